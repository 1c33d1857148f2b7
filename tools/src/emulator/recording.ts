/** One AWS API call as moto's request recorder saw it. */
export interface RecordedCall {
  /** Signing service from the Authorization header (`sts`, `iam`), or '' when unsigned. */
  readonly service: string;
  readonly action: string;
  /** Request parameters, flattened as the Query protocol sends them (`Tags.member.1.Key`). */
  readonly params: Readonly<Record<string, string>>;
  /** The access key id that signed the request, or '' when unsigned. */
  readonly accessKeyId: string;
  readonly headers: Readonly<Record<string, string>>;
}

interface RawEntry {
  headers: Record<string, string>;
  method: string;
  url: string;
  body: string | null;
  body_encoded: boolean;
}

/** Decodes moto's recorder download (one JSON object per line) into AWS calls. */
export function parseRecording(text: string): RecordedCall[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => decodeEntry(JSON.parse(line) as RawEntry))
    .filter((call) => call.action !== '');
}

function decodeEntry(entry: RawEntry): RecordedCall {
  const headers = lowerKeys(entry.headers);
  const body = entry.body == null ? '' : entry.body_encoded ? Buffer.from(entry.body, 'base64').toString('utf8') : entry.body;
  const params: Record<string, string> = {};
  const url = new URL(entry.url);
  for (const [k, v] of url.searchParams) params[k] = v;
  const target = headers['x-amz-target'];
  if (target) {
    Object.assign(params, flattenJson(body === '' ? {} : (JSON.parse(body) as unknown)));
    params.Action = target.split('.').pop() ?? '';
  } else if (body !== '') {
    for (const [k, v] of new URLSearchParams(body)) params[k] = v;
  }
  const credential = /Credential=([^/]+)\/[^/]+\/[^/]+\/([^/]+)\//.exec(headers.authorization ?? '');
  return {
    service: credential?.[2] ?? '',
    action: params.Action ?? '',
    params,
    accessKeyId: credential?.[1] ?? '',
    headers,
  };
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function flattenJson(value: unknown, prefix = ''): Record<string, string> {
  if (value === null || typeof value !== 'object') return prefix ? { [prefix]: String(value) } : {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) Object.assign(out, flattenJson(v, prefix ? `${prefix}.${k}` : k));
  return out;
}
