/**
 * The signed mutations of the warehouse-receipts contract. Each body holds
 * exactly the members the node rebuilds from the GraphQL input, in the
 * ledger's spelling: snake_case members, quantities, money, fractions and
 * dates as the strings typed, `pieces` as a JSON integer, `insurance` always
 * present (an object or null), `documents` an array of SHA-256 hex names.
 */

import { type TxContext, signedSubmit } from '../api/transactions';
import type { TxBody } from '../crypto/tx';
import { graphql } from '../gql';
import type {
  AdjustStockInput,
  CertifyLotInput,
  CountStockInput,
  DiscardDraftInput,
  DraftReceiptInput,
  EncumberReceiptInput,
  EndorseReceiptInput,
  MergeReceiptsInput,
  ReceiptRefInput,
  ReceiveGoodsInput,
  RequestRedemptionInput,
  SplitReceiptInput,
} from '../gql/graphql';

const ref = (i: ReceiptRefInput): TxBody => ({ receipt: i.receipt });

export const receiptBodies = {
  receiveGoods: (i: ReceiveGoodsInput): TxBody => ({
    lot: i.lot,
    depositor: i.depositor,
    commodity: i.commodity,
    hs_code: i.hsCode,
    grade: i.grade,
    quantity: i.quantity,
    unit: i.unit,
    packaging: i.packaging,
    pieces: i.pieces,
    marks: i.marks,
    location: i.location,
    documents: [...i.documents],
  }),
  certifyLot: (i: CertifyLotInput): TxBody => ({ lot: i.lot, grade: i.grade, quantity: i.quantity, certificate: i.certificate }),
  countStock: (i: CountStockInput): TxBody => ({ lot: i.lot, counted: i.counted }),
  adjustStock: (i: AdjustStockInput): TxBody => ({ lot: i.lot, quantity: i.quantity, reason: i.reason }),
  draftReceipt: (i: DraftReceiptInput): TxBody => {
    const insurance = i.terms.insurance;
    return {
      receipt: i.receipt,
      lot: i.lot,
      number: i.number,
      quantity: i.quantity,
      pieces: i.pieces,
      terms: {
        loss_allowance: i.terms.lossAllowance,
        storage_from: i.terms.storageFrom,
        storage_until: i.terms.storageUntil,
        storage_fee: { currency: i.terms.storageFee.currency, value: i.terms.storageFee.value },
        fee_basis: i.terms.feeBasis,
        insurance: insurance
          ? {
              insurer: insurance.insurer,
              amount: { currency: insurance.amount.currency, value: insurance.amount.value },
              from: insurance.from,
              until: insurance.until,
            }
          : null,
        issue_place: i.terms.issuePlace,
      },
    };
  },
  issueReceipt: ref,
  discardDraft: (i: DiscardDraftInput): TxBody => ({ receipt: i.receipt, reason: i.reason }),
  endorseReceipt: (i: EndorseReceiptInput): TxBody => ({ receipt: i.receipt, to: i.to }),
  countersignTransfer: ref,
  cancelReceiptRequest: ref,
  splitReceipt: (i: SplitReceiptInput): TxBody => ({
    receipt: i.receipt,
    parts: i.parts.map((p) => ({ receipt: p.receipt, quantity: p.quantity, pieces: p.pieces })),
  }),
  mergeReceipts: (i: MergeReceiptsInput): TxBody => ({ receipts: [...i.receipts], into: i.into }),
  requestRedemption: (i: RequestRedemptionInput): TxBody => ({ receipt: i.receipt, quantity: i.quantity, pieces: i.pieces }),
  confirmRedemption: ref,
  encumberReceipt: (i: EncumberReceiptInput): TxBody => ({ receipt: i.receipt, pledgee: i.pledgee, reference: i.reference }),
  liftEncumbrance: ref,
};

export const RECEIPT_TX_TYPES = {
  receiveGoods: 'lot.receive',
  certifyLot: 'lot.certify',
  countStock: 'lot.count',
  adjustStock: 'lot.adjust',
  draftReceipt: 'receipt.draft',
  issueReceipt: 'receipt.issue',
  discardDraft: 'receipt.discard',
  endorseReceipt: 'receipt.endorse',
  countersignTransfer: 'receipt.countersign',
  cancelReceiptRequest: 'receipt.cancel_request',
  splitReceipt: 'receipt.split',
  mergeReceipts: 'receipt.merge',
  requestRedemption: 'receipt.request_redemption',
  confirmRedemption: 'receipt.confirm_redemption',
  encumberReceipt: 'receipt.encumber',
  liftEncumbrance: 'receipt.lift',
} as const satisfies Record<keyof typeof receiptBodies, string>;

const ReceiveGoodsMutation = graphql(`
  mutation ReceiveGoods($input: ReceiveGoodsInput!, $signature: SignatureInput!) {
    receiveGoods(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const CertifyLotMutation = graphql(`
  mutation CertifyLot($input: CertifyLotInput!, $signature: SignatureInput!) {
    certifyLot(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const CountStockMutation = graphql(`
  mutation CountStock($input: CountStockInput!, $signature: SignatureInput!) {
    countStock(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const AdjustStockMutation = graphql(`
  mutation AdjustStock($input: AdjustStockInput!, $signature: SignatureInput!) {
    adjustStock(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const DraftReceiptMutation = graphql(`
  mutation DraftReceipt($input: DraftReceiptInput!, $signature: SignatureInput!) {
    draftReceipt(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const IssueReceiptMutation = graphql(`
  mutation IssueReceipt($input: ReceiptRefInput!, $signature: SignatureInput!) {
    issueReceipt(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const DiscardDraftMutation = graphql(`
  mutation DiscardDraft($input: DiscardDraftInput!, $signature: SignatureInput!) {
    discardDraft(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const EndorseReceiptMutation = graphql(`
  mutation EndorseReceipt($input: EndorseReceiptInput!, $signature: SignatureInput!) {
    endorseReceipt(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const CountersignTransferMutation = graphql(`
  mutation CountersignTransfer($input: ReceiptRefInput!, $signature: SignatureInput!) {
    countersignTransfer(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const CancelReceiptRequestMutation = graphql(`
  mutation CancelReceiptRequest($input: ReceiptRefInput!, $signature: SignatureInput!) {
    cancelReceiptRequest(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const SplitReceiptMutation = graphql(`
  mutation SplitReceipt($input: SplitReceiptInput!, $signature: SignatureInput!) {
    splitReceipt(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const MergeReceiptsMutation = graphql(`
  mutation MergeReceipts($input: MergeReceiptsInput!, $signature: SignatureInput!) {
    mergeReceipts(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const RequestRedemptionMutation = graphql(`
  mutation RequestRedemption($input: RequestRedemptionInput!, $signature: SignatureInput!) {
    requestRedemption(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const ConfirmRedemptionMutation = graphql(`
  mutation ConfirmRedemption($input: ReceiptRefInput!, $signature: SignatureInput!) {
    confirmRedemption(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const EncumberReceiptMutation = graphql(`
  mutation EncumberReceipt($input: EncumberReceiptInput!, $signature: SignatureInput!) {
    encumberReceipt(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const LiftEncumbranceMutation = graphql(`
  mutation LiftEncumbrance($input: ReceiptRefInput!, $signature: SignatureInput!) {
    liftEncumbrance(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const submit = signedSubmit(RECEIPT_TX_TYPES);

export const receiveGoods = (ctx: TxContext, input: ReceiveGoodsInput) =>
  submit(ctx, 'receiveGoods', receiptBodies.receiveGoods(input), ReceiveGoodsMutation, input);
export const certifyLot = (ctx: TxContext, input: CertifyLotInput) =>
  submit(ctx, 'certifyLot', receiptBodies.certifyLot(input), CertifyLotMutation, input);
export const countStock = (ctx: TxContext, input: CountStockInput) =>
  submit(ctx, 'countStock', receiptBodies.countStock(input), CountStockMutation, input);
export const adjustStock = (ctx: TxContext, input: AdjustStockInput) =>
  submit(ctx, 'adjustStock', receiptBodies.adjustStock(input), AdjustStockMutation, input);
export const draftReceipt = (ctx: TxContext, input: DraftReceiptInput) =>
  submit(ctx, 'draftReceipt', receiptBodies.draftReceipt(input), DraftReceiptMutation, input);
export const issueReceipt = (ctx: TxContext, input: ReceiptRefInput) =>
  submit(ctx, 'issueReceipt', receiptBodies.issueReceipt(input), IssueReceiptMutation, input);
export const discardDraft = (ctx: TxContext, input: DiscardDraftInput) =>
  submit(ctx, 'discardDraft', receiptBodies.discardDraft(input), DiscardDraftMutation, input);
export const endorseReceipt = (ctx: TxContext, input: EndorseReceiptInput) =>
  submit(ctx, 'endorseReceipt', receiptBodies.endorseReceipt(input), EndorseReceiptMutation, input);
export const countersignTransfer = (ctx: TxContext, input: ReceiptRefInput) =>
  submit(ctx, 'countersignTransfer', receiptBodies.countersignTransfer(input), CountersignTransferMutation, input);
export const cancelReceiptRequest = (ctx: TxContext, input: ReceiptRefInput) =>
  submit(ctx, 'cancelReceiptRequest', receiptBodies.cancelReceiptRequest(input), CancelReceiptRequestMutation, input);
export const splitReceipt = (ctx: TxContext, input: SplitReceiptInput) =>
  submit(ctx, 'splitReceipt', receiptBodies.splitReceipt(input), SplitReceiptMutation, input);
export const mergeReceipts = (ctx: TxContext, input: MergeReceiptsInput) =>
  submit(ctx, 'mergeReceipts', receiptBodies.mergeReceipts(input), MergeReceiptsMutation, input);
export const requestRedemption = (ctx: TxContext, input: RequestRedemptionInput) =>
  submit(ctx, 'requestRedemption', receiptBodies.requestRedemption(input), RequestRedemptionMutation, input);
export const confirmRedemption = (ctx: TxContext, input: ReceiptRefInput) =>
  submit(ctx, 'confirmRedemption', receiptBodies.confirmRedemption(input), ConfirmRedemptionMutation, input);
export const encumberReceipt = (ctx: TxContext, input: EncumberReceiptInput) =>
  submit(ctx, 'encumberReceipt', receiptBodies.encumberReceipt(input), EncumberReceiptMutation, input);
export const liftEncumbrance = (ctx: TxContext, input: ReceiptRefInput) =>
  submit(ctx, 'liftEncumbrance', receiptBodies.liftEncumbrance(input), LiftEncumbranceMutation, input);
