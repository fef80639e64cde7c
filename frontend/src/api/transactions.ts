/**
 * The signed mutations. Each body holds exactly the members docs/API.md lists
 * for its transaction type, in the ledger's spelling (snake_case members,
 * lower-case roles), because the node rebuilds the transaction from the
 * GraphQL input and verifies the signature over those bytes.
 */

import { graphql } from '../gql';
import type {
  ApproveKeyInput,
  EnrolKeyInput,
  EnrolKeyMutation as EnrolKeyResult,
  InviteUserInput,
  RevokeKeyInput,
  Role,
  RoleInput,
} from '../gql/graphql';
import { type TxBody, signTransaction } from '../crypto/tx';
import { execute } from './graphql';

export interface Signer {
  privateKey: CryptoKey;
  publicKey: string;
}

export interface TxContext {
  origin: string;
  token: string;
  signer: Signer;
}

/** Where a transaction landed (TxReceipt). */
export type Receipt = EnrolKeyResult['enrolKey'];

/** The ledger spells roles in lower case (`admin`); GraphQL enums are upper case. */
export function ledgerRole(role: Role): string {
  return role.toLowerCase();
}

export const bodies = {
  enrolKey: (i: EnrolKeyInput): TxBody => ({ user: i.user, key: i.key, device: i.device }),
  approveKey: (i: ApproveKeyInput): TxBody => ({ user: i.user, key: i.key }),
  inviteUser: (i: InviteUserInput): TxBody => ({ org: i.org, user: i.user, name: i.name, roles: i.roles.map(ledgerRole) }),
  grantRole: (i: RoleInput): TxBody => ({ user: i.user, role: ledgerRole(i.role) }),
  revokeRole: (i: RoleInput): TxBody => ({ user: i.user, role: ledgerRole(i.role) }),
  revokeKey: (i: RevokeKeyInput): TxBody => ({ key: i.key, reason: i.reason }),
};

export const TX_TYPES = {
  enrolKey: 'key.enrol',
  approveKey: 'key.approve',
  inviteUser: 'user.invite',
  grantRole: 'role.grant',
  revokeRole: 'role.revoke',
  revokeKey: 'key.revoke',
} as const;

const EnrolKeyMutation = graphql(`
  mutation EnrolKey($input: EnrolKeyInput!, $signature: SignatureInput!) {
    enrolKey(input: $input, signature: $signature) {
      index
      leafHash
      time
      type
    }
  }
`);

const ApproveKeyMutation = graphql(`
  mutation ApproveKey($input: ApproveKeyInput!, $signature: SignatureInput!) {
    approveKey(input: $input, signature: $signature) {
      index
      leafHash
      time
      type
    }
  }
`);

const InviteUserMutation = graphql(`
  mutation InviteUser($input: InviteUserInput!, $email: String, $signature: SignatureInput!) {
    inviteUser(input: $input, email: $email, signature: $signature) {
      index
      leafHash
      time
      type
    }
  }
`);

const GrantRoleMutation = graphql(`
  mutation GrantRole($input: RoleInput!, $signature: SignatureInput!) {
    grantRole(input: $input, signature: $signature) {
      index
      leafHash
      time
      type
    }
  }
`);

const RevokeRoleMutation = graphql(`
  mutation RevokeRole($input: RoleInput!, $signature: SignatureInput!) {
    revokeRole(input: $input, signature: $signature) {
      index
      leafHash
      time
      type
    }
  }
`);

const RevokeKeyMutation = graphql(`
  mutation RevokeKey($input: RevokeKeyInput!, $signature: SignatureInput!) {
    revokeKey(input: $input, signature: $signature) {
      index
      leafHash
      time
      type
    }
  }
`);

async function sign(ctx: TxContext, type: string, body: TxBody) {
  return (await signTransaction(ctx.signer, ctx.origin, type, body)).signature;
}

export async function enrolKey(ctx: TxContext, input: EnrolKeyInput): Promise<Receipt> {
  const signature = await sign(ctx, TX_TYPES.enrolKey, bodies.enrolKey(input));
  return (await execute(EnrolKeyMutation, { input, signature }, ctx.token)).enrolKey;
}

export async function approveKey(ctx: TxContext, input: ApproveKeyInput): Promise<Receipt> {
  const signature = await sign(ctx, TX_TYPES.approveKey, bodies.approveKey(input));
  return (await execute(ApproveKeyMutation, { input, signature }, ctx.token)).approveKey;
}

/** The e-mail address goes beside the signed input and never onto the ledger. */
export async function inviteUser(ctx: TxContext, input: InviteUserInput, email: string | null): Promise<Receipt> {
  const signature = await sign(ctx, TX_TYPES.inviteUser, bodies.inviteUser(input));
  return (await execute(InviteUserMutation, { input, email, signature }, ctx.token)).inviteUser;
}

export async function grantRole(ctx: TxContext, input: RoleInput): Promise<Receipt> {
  const signature = await sign(ctx, TX_TYPES.grantRole, bodies.grantRole(input));
  return (await execute(GrantRoleMutation, { input, signature }, ctx.token)).grantRole;
}

export async function revokeRole(ctx: TxContext, input: RoleInput): Promise<Receipt> {
  const signature = await sign(ctx, TX_TYPES.revokeRole, bodies.revokeRole(input));
  return (await execute(RevokeRoleMutation, { input, signature }, ctx.token)).revokeRole;
}

export async function revokeKey(ctx: TxContext, input: RevokeKeyInput): Promise<Receipt> {
  const signature = await sign(ctx, TX_TYPES.revokeKey, bodies.revokeKey(input));
  return (await execute(RevokeKeyMutation, { input, signature }, ctx.token)).revokeKey;
}
