//! The financing contract's mutations: one per transaction type.

use super::inputs::{
    ApplyForLoanInput, DeclinePledgeInput, DesignateSourceInput, DisburseLoanInput,
    EnforceLoanInput, LoanReasonInput, LoanReceiptsInput, LoanRefInput, PledgeInput,
    ProposeTermsInput, PublishPriceInput, RecordRepaymentInput, RegisterPledgeInput, days,
    loan_reason, loan_receipts, loan_ref, receipt_ids, terms,
};
use super::types::EnforcementMethod;
use async_graphql::{Context, Object};
use godown_domain::financing::FinancingTx;
use godown_domain::financing::body::{
    Apply, Decline, Designate, Disburse, Enforce, Enforcement, Instruct, PledgeRef, Propose,
    PublishPrice, Register, Repay,
};
use godown_domain::{HsCode, Unit};

use crate::error::ApiError;
use crate::graphql::mutation::run;
use crate::graphql::shared::{date, money, org, p, rid, txt};
use crate::graphql::types::{SignatureInput, TxReceipt};

/// The financing contract's mutations.
#[derive(Default)]
pub struct FinancingMutation;

#[Object]
impl FinancingMutation {
    /// `loan.apply`: an SME applies to a bank, offering free receipts; each
    /// gets a pending encumbrance at once, so no one else can take it.
    async fn apply_for_loan(
        &self,
        ctx: &Context<'_>,
        input: ApplyForLoanInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = FinancingTx::Apply(Apply {
            loan: rid(&input.loan)?,
            bank: org(&input.bank)?,
            amount: money(&input.amount)?,
            tenor_days: days(input.tenor_days, "the tenor")?,
            purpose: txt(&input.purpose)?,
            receipts: receipt_ids(&input.receipts)?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `pledge.confirm`: the warehouse confirms it holds a receipt's goods
    /// for the bank.
    async fn confirm_pledge(
        &self,
        ctx: &Context<'_>,
        input: PledgeInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = FinancingTx::Confirm(PledgeRef {
            loan: rid(&input.loan)?,
            receipt: rid(&input.receipt)?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `pledge.decline`: the warehouse declines, with a reason.
    async fn decline_pledge(
        &self,
        ctx: &Context<'_>,
        input: DeclinePledgeInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = FinancingTx::Decline(Decline {
            loan: rid(&input.loan)?,
            receipt: rid(&input.receipt)?,
            reason: txt(&input.reason)?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `loan.propose`: a bank officer proposes terms (the maker).
    async fn propose_loan_terms(
        &self,
        ctx: &Context<'_>,
        input: ProposeTermsInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = FinancingTx::Propose(Propose {
            loan: rid(&input.loan)?,
            terms: terms(&input)?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `loan.approve`: an approver other than the maker approves.
    async fn approve_loan(
        &self,
        ctx: &Context<'_>,
        input: LoanRefInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        run(
            ctx,
            FinancingTx::Approve(loan_ref(&input)?),
            signature,
            vec![],
        )
        .await
    }

    /// `loan.reject`: an approver rejects; the encumbrances are lifted.
    async fn reject_loan(
        &self,
        ctx: &Context<'_>,
        input: LoanReasonInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        run(
            ctx,
            FinancingTx::Reject(loan_reason(&input)?),
            signature,
            vec![],
        )
        .await
    }

    /// `loan.register`: the pledge's registration with the national
    /// movable-property registry.
    async fn register_pledge(
        &self,
        ctx: &Context<'_>,
        input: RegisterPledgeInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = FinancingTx::Register(Register {
            loan: rid(&input.loan)?,
            reference: txt(&input.reference)?,
            date: date(&input.date)?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `loan.disburse`: the bank records the funds sent; the pledges become
    /// active.
    async fn disburse_loan(
        &self,
        ctx: &Context<'_>,
        input: DisburseLoanInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = FinancingTx::Disburse(Disburse {
            loan: rid(&input.loan)?,
            reference: txt(&input.reference)?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `loan.repay`: the bank records funds received, applied to penalty,
    /// then interest, then principal.
    async fn record_repayment(
        &self,
        ctx: &Context<'_>,
        input: RecordRepaymentInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = FinancingTx::Repay(Repay {
            loan: rid(&input.loan)?,
            amount: money(&input.amount)?,
            reference: txt(&input.reference)?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `loan.instruct`: the borrower records a repayment it has sent, for
    /// the bank to look out for; it moves no money on the loan.
    async fn instruct_repayment(
        &self,
        ctx: &Context<'_>,
        input: RecordRepaymentInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = FinancingTx::Instruct(Instruct {
            loan: rid(&input.loan)?,
            amount: money(&input.amount)?,
            reference: txt(&input.reference)?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `loan.release`: the pledgee bank releases receipts, all once repaid,
    /// some while the rest keeps the loan within its maximum LTV.
    async fn release_collateral(
        &self,
        ctx: &Context<'_>,
        input: LoanReceiptsInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        run(
            ctx,
            FinancingTx::Release(loan_receipts(&input)?),
            signature,
            vec![],
        )
        .await
    }

    /// `loan.top_up`: the borrower pledges more receipts, which their
    /// warehouse confirms.
    async fn top_up_collateral(
        &self,
        ctx: &Context<'_>,
        input: LoanReceiptsInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        run(
            ctx,
            FinancingTx::TopUp(loan_receipts(&input)?),
            signature,
            vec![],
        )
        .await
    }

    /// `loan.default`: an approver declares default on grounds that hold.
    async fn declare_default(
        &self,
        ctx: &Context<'_>,
        input: LoanReasonInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        run(
            ctx,
            FinancingTx::Default(loan_reason(&input)?),
            signature,
            vec![],
        )
        .await
    }

    /// `loan.enforce`: the bank takes the receipts or sells the goods; the
    /// proceeds are applied and any surplus goes to the borrower.
    async fn enforce_loan(
        &self,
        ctx: &Context<'_>,
        input: EnforceLoanInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let value = money(&input.amount)?;
        let enforcement = match (input.method, &input.buyer) {
            (EnforcementMethod::Take, None) => Enforcement::Take { value },
            (EnforcementMethod::Sale, Some(buyer)) => Enforcement::Sale {
                buyer: org(buyer)?,
                proceeds: value,
            },
            (EnforcementMethod::Take, Some(_)) => {
                return Err(ApiError::bad_request(
                    "a take names no buyer: the bank takes the receipts",
                )
                .into());
            }
            (EnforcementMethod::Sale, None) => {
                return Err(ApiError::bad_request("a sale names its buyer").into());
            }
        };
        let tx = FinancingTx::Enforce(Enforce {
            loan: rid(&input.loan)?,
            enforcement,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `loan.write_off`: an approver writes off the unsecured claim.
    async fn write_off_loan(
        &self,
        ctx: &Context<'_>,
        input: LoanReasonInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        run(
            ctx,
            FinancingTx::WriteOff(loan_reason(&input)?),
            signature,
            vec![],
        )
        .await
    }

    /// `price.publish`: a bank or designated source publishes a price.
    async fn publish_price(
        &self,
        ctx: &Context<'_>,
        input: PublishPriceInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = FinancingTx::Publish(PublishPrice {
            hs_code: p(HsCode::parse(&input.hs_code))?,
            grade: input.grade.as_deref().map(txt).transpose()?,
            unit: p(Unit::parse(&input.unit))?,
            price: money(&input.price)?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `price.designate`: the operator's admin lets an organisation publish
    /// prices, or stops it.
    async fn designate_price_source(
        &self,
        ctx: &Context<'_>,
        input: DesignateSourceInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = FinancingTx::Designate(Designate {
            org: org(&input.org)?,
            source: input.source,
        });
        run(ctx, tx, signature, vec![]).await
    }
}
