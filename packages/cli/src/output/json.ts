import { jsonForTerminal, type TemporaryCredentials } from '@anwbis/core';

/**
 * Every `--json` document on stdout, oclif's `enableJsonFlag` results included (through
 * AnwbisCommand's logJson): indented by two, one newline after it, and each character a
 * terminal would act on written as a `\u` escape. Values quote names from policies and messages
 * from AWS that anyone with IAM rights may have written; a person may print them on a terminal.
 */
export function writeJson(value: unknown): void {
  process.stdout.write(`${jsonForTerminal(value, 2)}\n`);
}

/** What a role's or a corp session's credentials came from; a corp session has no role or account. */
export interface CredentialsOutcome {
  readonly profile: string;
  readonly account?: string | undefined;
  readonly roleArn?: string | undefined;
  readonly region: string;
  readonly reused: boolean;
  readonly credentials: TemporaryCredentials;
}

/** The `--json` object of `assume`, `tui` and `session`: the credentials, named as the AWS CLI names them, and where they came from. */
export function credentialsJson(outcome: CredentialsOutcome) {
  const c = outcome.credentials;
  return {
    Profile: outcome.profile,
    ...(outcome.account !== undefined ? { AccountId: outcome.account } : {}),
    ...(outcome.roleArn !== undefined ? { RoleArn: outcome.roleArn } : {}),
    Region: outcome.region,
    Reused: outcome.reused,
    AccessKeyId: c.accessKeyId,
    SecretAccessKey: c.secretAccessKey,
    SessionToken: c.sessionToken,
    Expiration: c.expiration.toISOString(),
  };
}

/** The `--json` object of {@link credentialsJson}. */
export type CredentialsJson = ReturnType<typeof credentialsJson>;
