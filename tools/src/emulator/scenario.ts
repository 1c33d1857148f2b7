import {
  AddUserToGroupCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateRoleCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  IAMClient,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';

/** An IAM policy document as the tests write it. */
export type PolicyDocument = { Version: string; Statement: unknown[] };

export interface UserSpec {
  readonly name: string;
  readonly path?: string;
  readonly groups?: readonly string[];
  /** Give the user a virtual MFA device (default true). */
  readonly mfa?: boolean;
  /** Inline user policies by name. */
  readonly policies?: Readonly<Record<string, PolicyDocument>>;
}

export interface GroupSpec {
  readonly name: string;
  /** Inline group policies by name; a string is stored as given (to test malformed documents). */
  readonly policies?: Readonly<Record<string, PolicyDocument | string>>;
}

export interface RoleSpec {
  readonly name: string;
  /** Trust policy; default trusts the corp account's root with MFA present. */
  readonly trust?: PolicyDocument;
  readonly maxSessionDuration?: number;
  readonly policies?: Readonly<Record<string, PolicyDocument>>;
}

export interface AccountSpec {
  readonly id: string;
  readonly roles: readonly RoleSpec[];
}

/** A declarative description of the AWS world a test runs in. */
export interface Scenario {
  readonly corpAccountId: string;
  readonly users: readonly UserSpec[];
  readonly groups: readonly GroupSpec[];
  readonly accounts: readonly AccountSpec[];
}

export interface SeededUser {
  readonly name: string;
  readonly arn: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly mfaSerial?: string;
}

export interface SeededScenario {
  readonly scenario: Scenario;
  readonly corpAccountId: string;
  readonly users: Readonly<Record<string, SeededUser>>;
  /** ARN of a role in a seeded account. */
  roleArn(accountId: string, roleName: string): string;
}

export const CORP_ACCOUNT = '111111111111';

/** Trust policy of a delegated role: the corp account, with MFA (and an ExternalId when given). */
export function corpTrust(corpAccountId: string, externalId?: string): PolicyDocument {
  const condition: Record<string, unknown> = externalId
    ? { StringEquals: { 'sts:ExternalId': externalId } }
    : { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };
  return {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${corpAccountId}:root` }, Action: 'sts:AssumeRole', Condition: condition },
    ],
  };
}

/** An Allow statement for `sts:AssumeRole` on the given role ARNs, as in `Delegated_Roles`. */
export function delegatedRolesPolicy(roleArns: readonly string[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: [...roleArns] }] };
}

export interface ConventionProject {
  /** Environment name → delegated account id. */
  readonly envs: Readonly<Record<string, string>>;
  readonly roles: readonly string[];
}

export interface ConventionOptions {
  readonly corpAccountId?: string;
  /** The corp IAM users; each is in every group. The first one is the `default` profile. */
  readonly users: readonly string[];
  readonly projects: Readonly<Record<string, ConventionProject>>;
  /** Contractor roles `contractor-<name>` with an ExternalId. */
  readonly contractors?: ReadonlyArray<{ project: string; env: string; name: string; externalId: string }>;
}

/**
 * The anwbis naming convention as a scenario: groups `corp-<project>-master-<role>` whose
 * `Delegated_Roles` policy lists `<env>-<project>-delegated-<role>` in every environment's account.
 */
export function conventionScenario(options: ConventionOptions): Scenario {
  const corp = options.corpAccountId ?? CORP_ACCOUNT;
  const groups: GroupSpec[] = [];
  const rolesByAccount = new Map<string, RoleSpec[]>();
  const addRole = (account: string, role: RoleSpec) => rolesByAccount.set(account, [...(rolesByAccount.get(account) ?? []), role]);
  const addGroup = (project: string, role: string, arns: string[]) =>
    groups.push({ name: `corp-${project}-master-${role}`, policies: { Delegated_Roles: delegatedRolesPolicy(arns) } });

  for (const [project, spec] of Object.entries(options.projects)) {
    for (const role of spec.roles) {
      const arns = Object.entries(spec.envs).map(([env, account]) => {
        const name = `${env}-${project}-delegated-${role}`;
        addRole(account, { name, trust: corpTrust(corp) });
        return `arn:aws:iam::${account}:role/${name}`;
      });
      addGroup(project, role, arns);
    }
  }
  for (const c of options.contractors ?? []) {
    const account = options.projects[c.project]?.envs[c.env];
    if (!account) throw new Error(`contractor ${c.name}: no account for ${c.project}/${c.env}`);
    const name = `${c.env}-${c.project}-delegated-contractor-${c.name}`;
    addRole(account, { name, trust: corpTrust(corp, c.externalId) });
    addGroup(c.project, `contractor-${c.name}`, [`arn:aws:iam::${account}:role/${name}`]);
  }
  return {
    corpAccountId: corp,
    users: options.users.map((name) => ({ name, groups: groups.map((g) => g.name), mfa: true })),
    groups,
    accounts: [...rolesByAccount].map(([id, roles]) => ({ id, roles })),
  };
}

/** Creates a scenario's accounts, users, keys, MFA devices, groups, policies and roles in moto. */
export async function seedScenario(endpoint: string, scenario: Scenario): Promise<SeededScenario> {
  const corp = iamFor(endpoint, scenario.corpAccountId);
  for (const group of scenario.groups) {
    await corp.send(new CreateGroupCommand({ GroupName: group.name }));
    for (const [policyName, doc] of Object.entries(group.policies ?? {})) {
      const PolicyDocument = typeof doc === 'string' ? doc : JSON.stringify(doc);
      await corp.send(new PutGroupPolicyCommand({ GroupName: group.name, PolicyName: policyName, PolicyDocument }));
    }
  }
  const users: Record<string, SeededUser> = {};
  for (const user of scenario.users) {
    const created = await corp.send(new CreateUserCommand({ UserName: user.name, Path: user.path ?? '/' }));
    const key = await corp.send(new CreateAccessKeyCommand({ UserName: user.name }));
    for (const group of user.groups ?? []) {
      await corp.send(new AddUserToGroupCommand({ GroupName: group, UserName: user.name }));
    }
    for (const [policyName, doc] of Object.entries(user.policies ?? {})) {
      await corp.send(new PutUserPolicyCommand({ UserName: user.name, PolicyName: policyName, PolicyDocument: JSON.stringify(doc) }));
    }
    let mfaSerial: string | undefined;
    if (user.mfa ?? true) {
      const device = await corp.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: user.name }));
      mfaSerial = device.VirtualMFADevice?.SerialNumber;
      await corp.send(
        new EnableMFADeviceCommand({ UserName: user.name, SerialNumber: mfaSerial, AuthenticationCode1: '123456', AuthenticationCode2: '654321' }),
      );
    }
    users[user.name] = {
      name: user.name,
      arn: created.User!.Arn!,
      accessKeyId: key.AccessKey!.AccessKeyId!,
      secretAccessKey: key.AccessKey!.SecretAccessKey!,
      ...(mfaSerial ? { mfaSerial } : {}),
    };
  }
  for (const account of scenario.accounts) {
    const iam = iamFor(endpoint, account.id);
    for (const role of account.roles) {
      await iam.send(
        new CreateRoleCommand({
          RoleName: role.name,
          AssumeRolePolicyDocument: JSON.stringify(role.trust ?? corpTrust(scenario.corpAccountId)),
          ...(role.maxSessionDuration ? { MaxSessionDuration: role.maxSessionDuration } : {}),
        }),
      );
      for (const [policyName, doc] of Object.entries(role.policies ?? {})) {
        await iam.send(new PutRolePolicyCommand({ RoleName: role.name, PolicyName: policyName, PolicyDocument: JSON.stringify(doc) }));
      }
    }
    iam.destroy();
  }
  corp.destroy();
  return {
    scenario,
    corpAccountId: scenario.corpAccountId,
    users,
    roleArn: (accountId, roleName) => `arn:aws:iam::${accountId}:role/${roleName}`,
  };
}

/** An IAM client that acts in the given moto account (moto's `x-moto-account-id` header). */
export function iamFor(endpoint: string, accountId: string): IAMClient {
  const client = new IAMClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAHARNESSSEEDING00', secretAccessKey: 'harness' },
  });
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) request.headers['x-moto-account-id'] = accountId;
      return next(args);
    },
    { step: 'build', name: 'motoAccount' },
  );
  return client;
}
