// Calls sts get-caller-identity every second with one AWS SDK v3 client, as a long-running
// program would, until it has signed calls with `want` different access keys or made `limit`
// calls. One JSON line per call on stdout: the key that signed it and the ARN, or the error.
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

const [want, limit] = process.argv.slice(2).map(Number);
const sts = new STSClient({});
const keys = new Set();
for (let n = 0; n < limit && keys.size < want; n++) {
  try {
    const { Arn } = await sts.send(new GetCallerIdentityCommand({}));
    // The memoized identity: the one that signed this call.
    const { accessKeyId } = await sts.config.credentials();
    keys.add(accessKeyId);
    console.log(JSON.stringify({ n, key: accessKeyId, arn: Arn }));
  } catch (error) {
    console.log(JSON.stringify({ n, error: String(error) }));
  }
  if (keys.size < want) await new Promise((r) => setTimeout(r, 1000));
}
