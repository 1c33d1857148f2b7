/**
 * Large AWS shared files (for bench:bigfiles and the e2e tests) as organisations grow them (a
 * 7,000-line config is reported in the wild): many profiles, comment blocks, SSO sessions and profiles, role chains, nested `s3`
 * settings, `services` sections, CRLF-free UTF-8. Every name is prefixed so it cannot collide
 * with the profiles a benchmark or test uses.
 */

const ACCOUNT = (i: number) => String(100_000_000_000 + i * 7919).padStart(12, '0');
const KEY_ID = (i: number) => `AKIA${String(i).padStart(16, '0')}`;
// Fake secrets of real lengths; a session token is several hundred characters on one line.
const SECRET = (i: number) => `${i.toString(36)}${'s3cr3tK3y/'.repeat(4)}`.slice(0, 40);
const TOKEN = (i: number) => `IQoJb3JpZ2luX2VjE${i.toString(36)}${'FwoGZXIvYXdzEJr//////////wEaDM'.repeat(12)}`;

function credentialsBlock(i: number): string {
  const team = `team-${i % 23}`;
  const common = `aws_access_key_id = ${KEY_ID(i)}\naws_secret_access_key = ${SECRET(i)}\n`;
  switch (i % 4) {
    case 0:
      return `# ${team}: CI user, rotated by the platform team\n[bulk-${team}-ci-${i}]\n${common}\n`;
    case 1:
      return `[bulk-${team}-session-${i}]\n${common}aws_session_token = ${TOKEN(i)}\nregion = eu-west-1\n\n`;
    case 2:
      return `; old key kept for the migration, do not delete\n[bulk-${team}-legacy-${i}]\n${common}# expires with the contract\n\n`;
    default:
      return `[bulk-${team}-${i}]\n${common}aws_session_token = ${TOKEN(i)}\n\n`;
  }
}

function configBlock(i: number): string {
  const team = `team-${i % 23}`;
  switch (i % 5) {
    case 0:
      return (
        `# ---- account ${ACCOUNT(i)} (${team}) ----\n[profile bulk-${i}-admin]\nsso_session = bulk-corp\n` +
        `sso_account_id = ${ACCOUNT(i)}\nsso_role_name = AdministratorAccess\nregion = eu-west-1\noutput = json\n\n`
      );
    case 1:
      return (
        `[profile bulk-${i}-deploy]\nrole_arn = arn:aws:iam::${ACCOUNT(i)}:role/deploy\nsource_profile = bulk-${team}-ci-${i - 1}\n` +
        `role_session_name = deployer\nduration_seconds = 3600\ns3 =\n  max_concurrent_requests = 20\n  multipart_threshold = 64MB\n\n`
      );
    case 2:
      return `[profile bulk-${i}-readonly]\nsso_start_url = https://bulk-corp.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = ${ACCOUNT(i)}\nsso_role_name = ReadOnly\nregion = us-west-2\n\n`;
    case 3:
      return `[services bulk-${i}]\ns3 =\n  endpoint_url = https://s3.bulk-${i}.example.internal\nsts =\n  endpoint_url = https://sts.bulk-${i}.example.internal\n\n`;
    default:
      return `; ${team} sandbox, cleaned up every month\n[profile bulk-${i}-sandbox]\nregion = ap-southeast-2\noutput = table\ncli_pager =\n\n`;
  }
}

function lines(text: string): number {
  let n = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) n++;
  return n;
}

function grow(target: number, head: string, block: (i: number) => string): string {
  const parts = [head];
  let count = lines(head);
  for (let i = 0; count < target; i++) {
    const next = block(i);
    parts.push(next);
    count += lines(next);
  }
  return parts.join('');
}

/** A credentials file and a config file of about `lineCount` lines each (never fewer). */
export function bigAwsFiles(lineCount: number): { readonly credentials: string; readonly config: string } {
  return {
    credentials: grow(lineCount, '# Managed partly by hand, partly by scripts. Ask #cloud-platform before editing.\n\n', credentialsBlock),
    config: grow(
      lineCount,
      '# Company AWS config\n\n[sso-session bulk-corp]\nsso_start_url = https://bulk-corp.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n\n',
      configBlock,
    ),
  };
}

/**
 * Puts `extra` around `text`: the first half of its sections before, the rest after, so the
 * sections a tool looks for sit in the middle of a big file, as they do in a real one.
 */
export function surround(text: string, extra: string): string {
  const headers = [...extra.matchAll(/^\[/gm)].map((m) => m.index);
  const cut = headers[Math.floor(headers.length / 2)] ?? extra.length;
  // A comment block before a header belongs with it.
  const blockStart = extra.lastIndexOf('\n\n', cut) + 2;
  return `${extra.slice(0, blockStart)}${text.endsWith('\n') || text === '' ? text : `${text}\n`}\n${extra.slice(blockStart)}`;
}
