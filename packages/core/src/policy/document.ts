import { AnwbisError } from '../errors/errors.js';

/** One policy statement, normalised: every field a list. */
export interface Statement {
  readonly effect: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  /** Whether the statement has a Condition, which only AWS can evaluate. */
  readonly conditional: boolean;
}

/**
 * Parses an IAM policy document as IAM returns it (URL-encoded JSON) or as plain JSON.
 * @param where names the document in error messages, e.g. `group corp-x-master-admin policy Delegated_Roles`.
 */
export function parsePolicyDocument(raw: string, where: string): Statement[] {
  const text = raw.trim();
  let json: unknown;
  try {
    json = JSON.parse(text.startsWith('{') ? text : decodeURIComponent(text));
  } catch (cause) {
    throw malformed(where, 'it is not valid JSON', cause);
  }
  if (!isObject(json)) throw malformed(where, 'it is not a JSON object');
  const statements = json.Statement;
  const list = Array.isArray(statements) ? statements : statements === undefined ? [] : [statements];
  return list.map((s, i) => {
    if (!isObject(s)) throw malformed(where, `statement ${i + 1} is not an object`);
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw malformed(where, `statement ${i + 1} has Effect ${JSON.stringify(s.Effect)}`);
    return {
      effect: s.Effect,
      actions: strings(s.Action, where, i, 'Action'),
      notActions: strings(s.NotAction, where, i, 'NotAction'),
      resources: strings(s.Resource, where, i, 'Resource'),
      notResources: strings(s.NotResource, where, i, 'NotResource'),
      conditional: s.Condition !== undefined,
    };
  });
}

function strings(value: unknown, where: string, index: number, field: string): string[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((v): v is string => typeof v === 'string')) {
    throw malformed(where, `statement ${index + 1} has ${/^[AEIOU]/.test(field) ? 'an' : 'a'} ${field} that is not a string or a list of strings`);
  }
  return list;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function malformed(where: string, why: string, cause?: unknown): AnwbisError {
  return new AnwbisError('denied', `the policy document of ${where} is malformed: ${why}`, {
    next: 'ask the administrators of the corp account to fix the policy',
    cause,
  });
}
