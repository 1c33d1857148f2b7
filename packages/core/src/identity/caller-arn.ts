/** Who the source credentials belong to, from STS GetCallerIdentity's ARN. */
export interface Identity {
  readonly arn: string;
  readonly account: string;
  readonly partition: string;
  readonly kind: 'user' | 'assumed-role' | 'root' | 'federated-user' | 'other';
  /** The IAM user name (users), or the role session name (assumed roles). */
  readonly name: string;
  /** For assumed roles: the role's name. */
  readonly roleName?: string;
}

/** Reads an identity out of a caller ARN (`arn:aws:iam::123:user/path/name`, `arn:aws:sts::123:assumed-role/R/s`). */
export function parseCallerArn(arn: string): Identity {
  const [, partition = 'aws', , , account = '', ...rest] = arn.split(':');
  const resource = rest.join(':');
  const segments = resource.split('/');
  const head = segments[0];
  if (resource === 'root') return { arn, account, partition, kind: 'root', name: 'root' };
  if (head === 'user') return { arn, account, partition, kind: 'user', name: segments[segments.length - 1] ?? '' };
  if (head === 'assumed-role') {
    return { arn, account, partition, kind: 'assumed-role', name: segments[segments.length - 1] ?? '', roleName: segments[1] ?? '' };
  }
  if (head === 'federated-user') return { arn, account, partition, kind: 'federated-user', name: segments[1] ?? '' };
  return { arn, account, partition, kind: 'other', name: segments[segments.length - 1] ?? resource };
}
