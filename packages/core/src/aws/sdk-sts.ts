// What the port uses of STS (see sdk-http.ts for why it is named here).
export { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
