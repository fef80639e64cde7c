/**
 * The signed mutations. Each body holds exactly the members docs/API.md lists
 * for its transaction type, in the ledger's spelling (snake_case members,
 * lower-case roles), because the node rebuilds the transaction from the
 * GraphQL input and verifies the signature over those bytes.
 */

import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { graphql } from '../gql';
import type {
  ApproveKeyInput,
  EnrolKeyInput,
  InviteUserInput,
  RevokeKeyInput,
  Role,
  RoleInput,
  SignatureInput,
  TxReceiptFieldsFragment,
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
export type Receipt = TxReceiptFieldsFragment;

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

// Every signed mutation answers where its transaction landed, in these fields.
export const TxReceiptFields = graphql(`
  fragment TxReceiptFields on TxReceipt {
    index
    leafHash
    time
    type
  }
`);

const EnrolKeyMutation = graphql(`
  mutation EnrolKey($input: EnrolKeyInput!, $signature: SignatureInput!) {
    enrolKey(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const ApproveKeyMutation = graphql(`
  mutation ApproveKey($input: ApproveKeyInput!, $signature: SignatureInput!) {
    approveKey(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const InviteUserMutation = graphql(`
  mutation InviteUser($input: InviteUserInput!, $email: String, $signature: SignatureInput!) {
    inviteUser(input: $input, email: $email, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const GrantRoleMutation = graphql(`
  mutation GrantRole($input: RoleInput!, $signature: SignatureInput!) {
    grantRole(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const RevokeRoleMutation = graphql(`
  mutation RevokeRole($input: RoleInput!, $signature: SignatureInput!) {
    revokeRole(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const RevokeKeyMutation = graphql(`
  mutation RevokeKey($input: RevokeKeyInput!, $signature: SignatureInput!) {
    revokeKey(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

/**
 * The submit of one contract's mutations: it signs the body built from the
 * input as the transaction type `types[op]`, then sends the input and the
 * detached signature with the mutation whose field is named `op`, and
 * answers where the transaction landed.
 */
export function signedSubmit<Op extends string>(types: Readonly<Record<Op, string>>) {
  return async function submit<I, R>(
    ctx: TxContext,
    op: Op,
    body: TxBody,
    document: TypedDocumentNode<R, { input: I; signature: SignatureInput }>,
    input: I,
  ): Promise<Receipt> {
    const { signature } = await signTransaction(ctx.signer, ctx.origin, types[op], body);
    const result = (await execute(document, { input, signature }, ctx.token)) as Record<string, Receipt>;
    return result[op] as Receipt;
  };
}

const submit = signedSubmit(TX_TYPES);

export const enrolKey = (ctx: TxContext, input: EnrolKeyInput) => submit(ctx, 'enrolKey', bodies.enrolKey(input), EnrolKeyMutation, input);
export const approveKey = (ctx: TxContext, input: ApproveKeyInput) => submit(ctx, 'approveKey', bodies.approveKey(input), ApproveKeyMutation, input);
export const grantRole = (ctx: TxContext, input: RoleInput) => submit(ctx, 'grantRole', bodies.grantRole(input), GrantRoleMutation, input);
export const revokeRole = (ctx: TxContext, input: RoleInput) => submit(ctx, 'revokeRole', bodies.revokeRole(input), RevokeRoleMutation, input);
export const revokeKey = (ctx: TxContext, input: RevokeKeyInput) => submit(ctx, 'revokeKey', bodies.revokeKey(input), RevokeKeyMutation, input);

/** The e-mail address goes beside the signed input and never onto the ledger. */
export async function inviteUser(ctx: TxContext, input: InviteUserInput, email: string | null): Promise<Receipt> {
  const { signature } = await signTransaction(ctx.signer, ctx.origin, TX_TYPES.inviteUser, bodies.inviteUser(input));
  return (await execute(InviteUserMutation, { input, email, signature }, ctx.token)).inviteUser;
}
