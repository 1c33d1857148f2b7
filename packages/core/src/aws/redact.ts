const SECRET_KEYS = /^(SecretAccessKey|SessionToken|TokenCode|secretAccessKey|sessionToken|tokenCode|aws_secret_access_key|aws_session_token|sessionKey|SigninToken|Password)$/i;

/** A copy of a request or response with every secret value replaced, for verbose output. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.test(k) && v !== undefined ? '<redacted>' : redact(v)]));
  }
  return value;
}
