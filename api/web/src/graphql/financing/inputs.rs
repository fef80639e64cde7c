//! The financing contract's inputs, and their parsing into the contract's
//! body types.

use super::types::{DayCount, EnforcementMethod};
use async_graphql::InputObject;
use godown_domain::ErrorCode;
use godown_domain::financing::body::{
    Haircut, LoanReason, LoanReceipts, LoanRef, LoanTerms as TermsBody,
};
use godown_domain::{Fraction, HsCode, RecordId};

use crate::error::ApiError;
use crate::graphql::shared::{MoneyInput, date, money, p, rid, txt};

pub(crate) fn fraction(text: &str) -> Result<Fraction, ApiError> {
    p(Fraction::parse(text))
}

pub(crate) fn days(n: i32, what: &str) -> Result<u32, ApiError> {
    u32::try_from(n).map_err(|_| {
        ApiError::new(
            ErrorCode::BadRequest,
            format!("{what} must be 0 or more, not {n}"),
        )
    })
}

pub(crate) fn receipt_ids(ids: &[String]) -> Result<Vec<RecordId>, ApiError> {
    ids.iter().map(|r| rid(r)).collect()
}

/// `loan.apply`.
#[derive(Debug, Clone, InputObject)]
pub struct ApplyForLoanInput {
    /// The new loan's id, chosen by the client.
    pub loan: String,
    /// The bank asked.
    pub bank: String,
    /// How much.
    pub amount: MoneyInput,
    /// For how many days.
    pub tenor_days: i32,
    /// What for.
    pub purpose: String,
    /// The free receipts offered as collateral.
    pub receipts: Vec<String>,
}

/// `pledge.confirm`.
#[derive(Debug, Clone, InputObject)]
pub struct PledgeInput {
    /// The loan.
    pub loan: String,
    /// The receipt.
    pub receipt: String,
}

/// `pledge.decline`.
#[derive(Debug, Clone, InputObject)]
pub struct DeclinePledgeInput {
    /// The loan.
    pub loan: String,
    /// The receipt.
    pub receipt: String,
    /// Why.
    pub reason: String,
}

/// A haircut on one commodity.
#[derive(Debug, Clone, InputObject)]
pub struct HaircutInput {
    /// The HS code.
    pub hs_code: String,
    /// A fraction such as `"0.30"`.
    pub haircut: String,
}

/// `loan.propose`: the terms.
#[derive(Debug, Clone, InputObject)]
pub struct ProposeTermsInput {
    /// The loan.
    pub loan: String,
    /// The principal.
    pub principal: MoneyInput,
    /// The annual rate, a fraction such as `"0.0435"`.
    pub annual_rate: String,
    /// The day-count convention.
    pub day_count: DayCount,
    /// The maturity, YYYY-MM-DD.
    pub maturity: String,
    /// Days after maturity before penalty interest runs.
    pub grace_days: i32,
    /// The annual penalty rate.
    pub penalty_rate: String,
    /// A haircut per commodity pledged.
    pub haircuts: Vec<HaircutInput>,
    /// The maximum loan-to-value.
    pub max_ltv: String,
    /// The margin-call loan-to-value.
    pub margin_call_ltv: String,
    /// The liquidation loan-to-value.
    pub liquidation_ltv: String,
    /// Days to cure a margin call.
    pub cure_days: i32,
}

/// A transaction naming one loan.
#[derive(Debug, Clone, InputObject)]
pub struct LoanRefInput {
    /// The loan.
    pub loan: String,
}

/// A transaction naming a loan and a reason.
#[derive(Debug, Clone, InputObject)]
pub struct LoanReasonInput {
    /// The loan.
    pub loan: String,
    /// Why.
    pub reason: String,
}

/// `loan.register`.
#[derive(Debug, Clone, InputObject)]
pub struct RegisterPledgeInput {
    /// The loan.
    pub loan: String,
    /// The registry's reference number.
    pub reference: String,
    /// The date registered, YYYY-MM-DD.
    pub date: String,
}

/// `loan.disburse`.
#[derive(Debug, Clone, InputObject)]
pub struct DisburseLoanInput {
    /// The loan.
    pub loan: String,
    /// The payment's reference.
    pub reference: String,
}

/// `loan.repay` (funds received, by the bank) and `loan.instruct` (funds
/// sent, by the borrower).
#[derive(Debug, Clone, InputObject)]
pub struct RecordRepaymentInput {
    /// The loan.
    pub loan: String,
    /// How much arrived.
    pub amount: MoneyInput,
    /// The payment's reference.
    pub reference: String,
}

/// `loan.release` and `loan.top_up`.
#[derive(Debug, Clone, InputObject)]
pub struct LoanReceiptsInput {
    /// The loan.
    pub loan: String,
    /// The receipts.
    pub receipts: Vec<String>,
}

/// `loan.enforce`.
#[derive(Debug, Clone, InputObject)]
pub struct EnforceLoanInput {
    /// The loan.
    pub loan: String,
    /// Take the receipts, or sell the goods.
    pub method: EnforcementMethod,
    /// For a take, the value credited; for a sale, the proceeds.
    pub amount: MoneyInput,
    /// For a sale, the buyer.
    pub buyer: Option<String>,
}

/// `price.publish`.
#[derive(Debug, Clone, InputObject)]
pub struct PublishPriceInput {
    /// The commodity's HS code.
    pub hs_code: String,
    /// The grade; none for any grade without its own price.
    pub grade: Option<String>,
    /// The unit code it is per.
    pub unit: String,
    /// The price of one unit.
    pub price: MoneyInput,
}

/// `price.designate`.
#[derive(Debug, Clone, InputObject)]
pub struct DesignateSourceInput {
    /// The organisation.
    pub org: String,
    /// Whether it may publish.
    pub source: bool,
}

pub(crate) fn loan_ref(input: &LoanRefInput) -> Result<LoanRef, ApiError> {
    Ok(LoanRef {
        loan: rid(&input.loan)?,
    })
}

pub(crate) fn loan_reason(input: &LoanReasonInput) -> Result<LoanReason, ApiError> {
    Ok(LoanReason {
        loan: rid(&input.loan)?,
        reason: txt(&input.reason)?,
    })
}

pub(crate) fn loan_receipts(input: &LoanReceiptsInput) -> Result<LoanReceipts, ApiError> {
    Ok(LoanReceipts {
        loan: rid(&input.loan)?,
        receipts: receipt_ids(&input.receipts)?,
    })
}

pub(crate) fn terms(input: &ProposeTermsInput) -> Result<TermsBody, ApiError> {
    Ok(TermsBody {
        principal: money(&input.principal)?,
        annual_rate: fraction(&input.annual_rate)?,
        day_count: input.day_count.domain(),
        maturity: date(&input.maturity)?,
        grace_days: days(input.grace_days, "grace days")?,
        penalty_rate: fraction(&input.penalty_rate)?,
        haircuts: input
            .haircuts
            .iter()
            .map(|h| {
                Ok(Haircut {
                    hs_code: p(HsCode::parse(&h.hs_code))?,
                    haircut: fraction(&h.haircut)?,
                })
            })
            .collect::<Result<_, ApiError>>()?,
        max_ltv: fraction(&input.max_ltv)?,
        margin_call_ltv: fraction(&input.margin_call_ltv)?,
        liquidation_ltv: fraction(&input.liquidation_ltv)?,
        cure_days: days(input.cure_days, "cure days")?,
    })
}
