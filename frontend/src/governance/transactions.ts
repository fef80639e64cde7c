/**
 * The signed mutations of consortium governance. A proposal's body carries
 * its action as an object with exactly one member named after what it would
 * do (`org.admit`, `org.suspend`, `org.reinstate`, `witness.policy`, `log.rotate`), the organisation's kind
 * in the ledger's lower-case word, `days` as a JSON integer and `approve` as
 * a JSON boolean: the node rebuilds these bodies from the GraphQL input and
 * verifies the signature over them.
 */

import { type Receipt, type TxContext, signedSubmit } from '../api/transactions';
import { execute } from '../api/graphql';
import { type TxBody, signTransaction } from '../crypto/tx';
import { graphql } from '../gql';
import type { AdmitOrganisationInput, OrgKind, ProposalInput, VoteInput } from '../gql/graphql';

/** The ledger spells kinds in lower case (`sme`); GraphQL enums are upper case. */
export function ledgerKind(kind: OrgKind): string {
  return kind.toLowerCase();
}

function opening(i: ProposalInput, action: TxBody): TxBody {
  return { proposal: i.proposal, action, reason: i.reason, days: i.days, documents: [...i.documents] };
}

export const governanceBodies = {
  proposeAdmission: (i: ProposalInput, o: AdmitOrganisationInput): TxBody =>
    opening(i, {
      'org.admit': {
        org: o.org,
        name: o.name,
        kind: ledgerKind(o.kind),
        admin: { user: o.admin.user, name: o.admin.name, key: o.admin.key },
      },
    }),
  proposeSuspension: (i: ProposalInput, org: string): TxBody => opening(i, { 'org.suspend': { org } }),
  proposeReinstatement: (i: ProposalInput, org: string): TxBody => opening(i, { 'org.reinstate': { org } }),
  proposeWitnessPolicy: (i: ProposalInput, policy: string): TxBody => opening(i, { 'witness.policy': { policy } }),
  proposeLogRotation: (i: ProposalInput, vkey: string): TxBody => opening(i, { 'log.rotate': { vkey } }),
  voteOnProposal: (i: VoteInput): TxBody => ({ proposal: i.proposal, approve: i.approve }),
};

export const GOVERNANCE_TX_TYPES = {
  proposeAdmission: 'proposal.open',
  proposeSuspension: 'proposal.open',
  proposeReinstatement: 'proposal.open',
  proposeWitnessPolicy: 'proposal.open',
  proposeLogRotation: 'proposal.open',
  voteOnProposal: 'proposal.vote',
} as const satisfies Record<keyof typeof governanceBodies, string>;

const ProposeAdmissionMutation = graphql(`
  mutation ProposeAdmission($input: ProposalInput!, $organisation: AdmitOrganisationInput!, $signature: SignatureInput!) {
    proposeAdmission(input: $input, organisation: $organisation, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const ProposeSuspensionMutation = graphql(`
  mutation ProposeSuspension($input: ProposalInput!, $orgId: String!, $signature: SignatureInput!) {
    proposeSuspension(input: $input, orgId: $orgId, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const ProposeReinstatementMutation = graphql(`
  mutation ProposeReinstatement($input: ProposalInput!, $orgId: String!, $signature: SignatureInput!) {
    proposeReinstatement(input: $input, orgId: $orgId, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const ProposeWitnessPolicyMutation = graphql(`
  mutation ProposeWitnessPolicy($input: ProposalInput!, $policy: String!, $signature: SignatureInput!) {
    proposeWitnessPolicy(input: $input, policy: $policy, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const ProposeLogRotationMutation = graphql(`
  mutation ProposeLogRotation($input: ProposalInput!, $vkey: String!, $signature: SignatureInput!) {
    proposeLogRotation(input: $input, vkey: $vkey, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const VoteOnProposalMutation = graphql(`
  mutation VoteOnProposal($input: VoteInput!, $signature: SignatureInput!) {
    voteOnProposal(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const sign = async (ctx: TxContext, type: string, body: TxBody) => (await signTransaction(ctx.signer, ctx.origin, type, body)).signature;

// The proposals take the organisation beside the input, so they are signed
// and sent here rather than through signedSubmit, whose mutations take only
// `input` and `signature`.
export async function proposeAdmission(ctx: TxContext, input: ProposalInput, organisation: AdmitOrganisationInput): Promise<Receipt> {
  const signature = await sign(ctx, GOVERNANCE_TX_TYPES.proposeAdmission, governanceBodies.proposeAdmission(input, organisation));
  return (await execute(ProposeAdmissionMutation, { input, organisation, signature }, ctx.token)).proposeAdmission;
}

export async function proposeSuspension(ctx: TxContext, input: ProposalInput, orgId: string): Promise<Receipt> {
  const signature = await sign(ctx, GOVERNANCE_TX_TYPES.proposeSuspension, governanceBodies.proposeSuspension(input, orgId));
  return (await execute(ProposeSuspensionMutation, { input, orgId, signature }, ctx.token)).proposeSuspension;
}

export async function proposeReinstatement(ctx: TxContext, input: ProposalInput, orgId: string): Promise<Receipt> {
  const signature = await sign(ctx, GOVERNANCE_TX_TYPES.proposeReinstatement, governanceBodies.proposeReinstatement(input, orgId));
  return (await execute(ProposeReinstatementMutation, { input, orgId, signature }, ctx.token)).proposeReinstatement;
}

export async function proposeWitnessPolicy(ctx: TxContext, input: ProposalInput, policy: string): Promise<Receipt> {
  const signature = await sign(ctx, GOVERNANCE_TX_TYPES.proposeWitnessPolicy, governanceBodies.proposeWitnessPolicy(input, policy));
  return (await execute(ProposeWitnessPolicyMutation, { input, policy, signature }, ctx.token)).proposeWitnessPolicy;
}

export async function proposeLogRotation(ctx: TxContext, input: ProposalInput, vkey: string): Promise<Receipt> {
  const signature = await sign(ctx, GOVERNANCE_TX_TYPES.proposeLogRotation, governanceBodies.proposeLogRotation(input, vkey));
  return (await execute(ProposeLogRotationMutation, { input, vkey, signature }, ctx.token)).proposeLogRotation;
}

const submit = signedSubmit(GOVERNANCE_TX_TYPES);

export const voteOnProposal = (ctx: TxContext, input: VoteInput) =>
  submit(ctx, 'voteOnProposal', governanceBodies.voteOnProposal(input), VoteOnProposalMutation, input);
