/** A set of AWS credentials. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** Temporary credentials from STS, always with an expiry. */
export interface TemporaryCredentials extends AwsCredentials {
  readonly sessionToken: string;
  readonly expiration: Date;
}

export interface AssumeRoleInput {
  readonly roleArn: string;
  readonly sessionName: string;
  readonly durationSeconds: number;
  readonly serialNumber?: string;
  readonly tokenCode?: string;
  readonly externalId?: string;
  readonly sourceIdentity?: string;
  readonly tags?: ReadonlyArray<{ readonly key: string; readonly value: string }>;
  readonly transitiveTagKeys?: readonly string[];
}

export interface GetSessionTokenInput {
  readonly durationSeconds: number;
  readonly serialNumber?: string;
  readonly tokenCode?: string;
}

/** The AWS calls anwbis makes, with the source credentials already bound. */
export interface AwsPort {
  getCallerIdentity(): Promise<{ account: string; arn: string; userId: string }>;
  /** The raw (URL-encoded) document of a group's inline policy. */
  getGroupPolicy(groupName: string, policyName: string): Promise<string>;
  /** The raw document of a role's inline policy (EC2 instance roles). */
  getRolePolicy(roleName: string, policyName: string): Promise<string>;
  /** MFA device serial numbers of an IAM user; without a name, of the calling user. */
  listMfaDevices(userName?: string): Promise<string[]>;
  assumeRole(input: AssumeRoleInput): Promise<TemporaryCredentials & { assumedRoleArn: string }>;
  getSessionToken(input: GetSessionTokenInput): Promise<TemporaryCredentials>;
  /** Names of every IAM group the user belongs to, all pages. */
  listGroupsForUser(userName: string): Promise<string[]>;
  /** Names of a group's inline policies, all pages. */
  listGroupPolicies(groupName: string): Promise<string[]>;
  /**
   * Starts loading the client of a service the next calls need, so it loads while a request to
   * another is on the wire. Optional: a port without it loads on first use.
   */
  preload?(service: 'iam' | 'sts'): void;
}

/** The IAM calls of `anwbis keys rotate`, apart from {@link AwsPort} since nothing else makes them. */
export interface AccessKeysPort {
  /** A new access key of the user (IAM allows two per user). */
  createAccessKey(userName: string): Promise<{ accessKeyId: string; secretAccessKey: string }>;
  deleteAccessKey(userName: string, accessKeyId: string): Promise<void>;
}

/** An error answered by AWS (or the network on the way), reduced to what anwbis decides on. */
export class AwsCallError extends Error {
  constructor(
    readonly operation: string,
    /** AWS error code (`AccessDenied`, `NoSuchEntity`, …) or `Network` when AWS was not reached. */
    readonly code: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'AwsCallError';
  }
}
