/**
 * The signed mutations of the financing contract. Each body holds exactly the
 * members the node rebuilds from the GraphQL input, in the ledger's spelling:
 * snake_case members, money as `{currency, value}` with the value as typed,
 * fractions and dates as the strings typed, day counts (`tenor_days`,
 * `grace_days`, `cure_days`) as JSON integers, the day-count convention as
 * `act360` or `act365`, and a price's `grade` always present (a string or
 * null), as the node writes an absent option.
 */

import { type TxContext, signedSubmit } from '../api/transactions';
import type { TxBody } from '../crypto/tx';
import { graphql } from '../gql';
import type {
  ApplyForLoanInput,
  DayCount,
  DeclinePledgeInput,
  DesignateSourceInput,
  DisburseLoanInput,
  EnforceLoanInput,
  LoanReasonInput,
  LoanReceiptsInput,
  LoanRefInput,
  MoneyInput,
  PledgeInput,
  ProposeTermsInput,
  PublishPriceInput,
  RecordRepaymentInput,
  RegisterPledgeInput,
} from '../gql/graphql';

const money = (m: MoneyInput): TxBody => ({ currency: m.currency, value: m.value });

/** The ledger spells day counts in lower case without the underscore (`act360`). */
export function ledgerDayCount(d: DayCount): string {
  return d === 'ACT_360' ? 'act360' : 'act365';
}

const reason = (i: LoanReasonInput): TxBody => ({ loan: i.loan, reason: i.reason });
const receipts = (i: LoanReceiptsInput): TxBody => ({ loan: i.loan, receipts: [...i.receipts] });

export const loanBodies = {
  applyForLoan: (i: ApplyForLoanInput): TxBody => ({
    loan: i.loan,
    bank: i.bank,
    amount: money(i.amount),
    tenor_days: i.tenorDays,
    purpose: i.purpose,
    receipts: [...i.receipts],
  }),
  confirmPledge: (i: PledgeInput): TxBody => ({ loan: i.loan, receipt: i.receipt }),
  declinePledge: (i: DeclinePledgeInput): TxBody => ({ loan: i.loan, receipt: i.receipt, reason: i.reason }),
  proposeLoanTerms: (i: ProposeTermsInput): TxBody => ({
    loan: i.loan,
    terms: {
      principal: money(i.principal),
      annual_rate: i.annualRate,
      day_count: ledgerDayCount(i.dayCount),
      maturity: i.maturity,
      grace_days: i.graceDays,
      penalty_rate: i.penaltyRate,
      haircuts: i.haircuts.map((h) => ({ hs_code: h.hsCode, haircut: h.haircut })),
      max_ltv: i.maxLtv,
      margin_call_ltv: i.marginCallLtv,
      liquidation_ltv: i.liquidationLtv,
      cure_days: i.cureDays,
    },
  }),
  approveLoan: (i: LoanRefInput): TxBody => ({ loan: i.loan }),
  rejectLoan: reason,
  registerPledge: (i: RegisterPledgeInput): TxBody => ({ loan: i.loan, reference: i.reference, date: i.date }),
  disburseLoan: (i: DisburseLoanInput): TxBody => ({ loan: i.loan, reference: i.reference }),
  recordRepayment: (i: RecordRepaymentInput): TxBody => ({ loan: i.loan, amount: money(i.amount), reference: i.reference }),
  instructRepayment: (i: RecordRepaymentInput): TxBody => ({ loan: i.loan, amount: money(i.amount), reference: i.reference }),
  releaseCollateral: receipts,
  topUpCollateral: receipts,
  declareDefault: reason,
  enforceLoan: (i: EnforceLoanInput): TxBody => ({
    loan: i.loan,
    enforcement:
      i.method === 'SALE'
        ? { method: 'sale', buyer: i.buyer ?? '', proceeds: money(i.amount) }
        : { method: 'take', value: money(i.amount) },
  }),
  writeOffLoan: reason,
  publishPrice: (i: PublishPriceInput): TxBody => ({
    hs_code: i.hsCode,
    grade: i.grade ?? null,
    unit: i.unit,
    price: money(i.price),
  }),
  designatePriceSource: (i: DesignateSourceInput): TxBody => ({ org: i.org, source: i.source }),
};

export const LOAN_TX_TYPES = {
  applyForLoan: 'loan.apply',
  confirmPledge: 'pledge.confirm',
  declinePledge: 'pledge.decline',
  proposeLoanTerms: 'loan.propose',
  approveLoan: 'loan.approve',
  rejectLoan: 'loan.reject',
  registerPledge: 'loan.register',
  disburseLoan: 'loan.disburse',
  recordRepayment: 'loan.repay',
  instructRepayment: 'loan.instruct',
  releaseCollateral: 'loan.release',
  topUpCollateral: 'loan.top_up',
  declareDefault: 'loan.default',
  enforceLoan: 'loan.enforce',
  writeOffLoan: 'loan.write_off',
  publishPrice: 'price.publish',
  designatePriceSource: 'price.designate',
} as const satisfies Record<keyof typeof loanBodies, string>;

const ApplyForLoanMutation = graphql(`
  mutation ApplyForLoan($input: ApplyForLoanInput!, $signature: SignatureInput!) {
    applyForLoan(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const ConfirmPledgeMutation = graphql(`
  mutation ConfirmPledge($input: PledgeInput!, $signature: SignatureInput!) {
    confirmPledge(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const DeclinePledgeMutation = graphql(`
  mutation DeclinePledge($input: DeclinePledgeInput!, $signature: SignatureInput!) {
    declinePledge(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const ProposeLoanTermsMutation = graphql(`
  mutation ProposeLoanTerms($input: ProposeTermsInput!, $signature: SignatureInput!) {
    proposeLoanTerms(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const ApproveLoanMutation = graphql(`
  mutation ApproveLoan($input: LoanRefInput!, $signature: SignatureInput!) {
    approveLoan(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const RejectLoanMutation = graphql(`
  mutation RejectLoan($input: LoanReasonInput!, $signature: SignatureInput!) {
    rejectLoan(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const RegisterPledgeMutation = graphql(`
  mutation RegisterPledge($input: RegisterPledgeInput!, $signature: SignatureInput!) {
    registerPledge(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const DisburseLoanMutation = graphql(`
  mutation DisburseLoan($input: DisburseLoanInput!, $signature: SignatureInput!) {
    disburseLoan(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const RecordRepaymentMutation = graphql(`
  mutation RecordRepayment($input: RecordRepaymentInput!, $signature: SignatureInput!) {
    recordRepayment(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const InstructRepaymentMutation = graphql(`
  mutation InstructRepayment($input: RecordRepaymentInput!, $signature: SignatureInput!) {
    instructRepayment(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const ReleaseCollateralMutation = graphql(`
  mutation ReleaseCollateral($input: LoanReceiptsInput!, $signature: SignatureInput!) {
    releaseCollateral(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const TopUpCollateralMutation = graphql(`
  mutation TopUpCollateral($input: LoanReceiptsInput!, $signature: SignatureInput!) {
    topUpCollateral(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const DeclareDefaultMutation = graphql(`
  mutation DeclareDefault($input: LoanReasonInput!, $signature: SignatureInput!) {
    declareDefault(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const EnforceLoanMutation = graphql(`
  mutation EnforceLoan($input: EnforceLoanInput!, $signature: SignatureInput!) {
    enforceLoan(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const WriteOffLoanMutation = graphql(`
  mutation WriteOffLoan($input: LoanReasonInput!, $signature: SignatureInput!) {
    writeOffLoan(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const PublishPriceMutation = graphql(`
  mutation PublishPrice($input: PublishPriceInput!, $signature: SignatureInput!) {
    publishPrice(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const DesignatePriceSourceMutation = graphql(`
  mutation DesignatePriceSource($input: DesignateSourceInput!, $signature: SignatureInput!) {
    designatePriceSource(input: $input, signature: $signature) {
      ...TxReceiptFields
    }
  }
`);

const submit = signedSubmit(LOAN_TX_TYPES);

export const applyForLoan = (ctx: TxContext, input: ApplyForLoanInput) =>
  submit(ctx, 'applyForLoan', loanBodies.applyForLoan(input), ApplyForLoanMutation, input);
export const confirmPledge = (ctx: TxContext, input: PledgeInput) =>
  submit(ctx, 'confirmPledge', loanBodies.confirmPledge(input), ConfirmPledgeMutation, input);
export const declinePledge = (ctx: TxContext, input: DeclinePledgeInput) =>
  submit(ctx, 'declinePledge', loanBodies.declinePledge(input), DeclinePledgeMutation, input);
export const proposeLoanTerms = (ctx: TxContext, input: ProposeTermsInput) =>
  submit(ctx, 'proposeLoanTerms', loanBodies.proposeLoanTerms(input), ProposeLoanTermsMutation, input);
export const approveLoan = (ctx: TxContext, input: LoanRefInput) =>
  submit(ctx, 'approveLoan', loanBodies.approveLoan(input), ApproveLoanMutation, input);
export const rejectLoan = (ctx: TxContext, input: LoanReasonInput) =>
  submit(ctx, 'rejectLoan', loanBodies.rejectLoan(input), RejectLoanMutation, input);
export const registerPledge = (ctx: TxContext, input: RegisterPledgeInput) =>
  submit(ctx, 'registerPledge', loanBodies.registerPledge(input), RegisterPledgeMutation, input);
export const disburseLoan = (ctx: TxContext, input: DisburseLoanInput) =>
  submit(ctx, 'disburseLoan', loanBodies.disburseLoan(input), DisburseLoanMutation, input);
export const recordRepayment = (ctx: TxContext, input: RecordRepaymentInput) =>
  submit(ctx, 'recordRepayment', loanBodies.recordRepayment(input), RecordRepaymentMutation, input);
export const instructRepayment = (ctx: TxContext, input: RecordRepaymentInput) =>
  submit(ctx, 'instructRepayment', loanBodies.instructRepayment(input), InstructRepaymentMutation, input);
export const releaseCollateral = (ctx: TxContext, input: LoanReceiptsInput) =>
  submit(ctx, 'releaseCollateral', loanBodies.releaseCollateral(input), ReleaseCollateralMutation, input);
export const topUpCollateral = (ctx: TxContext, input: LoanReceiptsInput) =>
  submit(ctx, 'topUpCollateral', loanBodies.topUpCollateral(input), TopUpCollateralMutation, input);
export const declareDefault = (ctx: TxContext, input: LoanReasonInput) =>
  submit(ctx, 'declareDefault', loanBodies.declareDefault(input), DeclareDefaultMutation, input);
export const enforceLoan = (ctx: TxContext, input: EnforceLoanInput) =>
  submit(ctx, 'enforceLoan', loanBodies.enforceLoan(input), EnforceLoanMutation, input);
export const writeOffLoan = (ctx: TxContext, input: LoanReasonInput) =>
  submit(ctx, 'writeOffLoan', loanBodies.writeOffLoan(input), WriteOffLoanMutation, input);
export const publishPrice = (ctx: TxContext, input: PublishPriceInput) =>
  submit(ctx, 'publishPrice', loanBodies.publishPrice(input), PublishPriceMutation, input);
export const designatePriceSource = (ctx: TxContext, input: DesignateSourceInput) =>
  submit(ctx, 'designatePriceSource', loanBodies.designatePriceSource(input), DesignatePriceSourceMutation, input);
