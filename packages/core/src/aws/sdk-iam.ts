// What the port uses of IAM (see sdk-http.ts for why it is named here): of its ~160 commands, the
// five that discovery and MFA lookup send, and the two of `keys rotate`.
export { CreateAccessKeyCommand, DeleteAccessKeyCommand, GetGroupPolicyCommand, GetRolePolicyCommand, IAMClient, ListGroupPoliciesCommand, ListGroupsForUserCommand, ListMFADevicesCommand } from '@aws-sdk/client-iam';
