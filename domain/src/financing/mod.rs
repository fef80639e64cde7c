//! The financing contract: an SME borrows from a bank against its warehouse
//! receipts, which the warehouse confirms it holds for the bank.
//!
//! The invariants that make the collateral real: a receipt is collateral of
//! at most one loan, because the receipts contract lets it carry one
//! encumbrance; only the pledgee bank releases it; and the money reconciles
//! exactly, since every amount is a `rust_decimal` that is rounded only
//! when it is posted. A refusal changes nothing: the receipts a transaction
//! touches are restored if any step fails.

pub mod body;
mod distress;
pub mod figures;
pub mod interest;
mod origination;
mod prices;
mod servicing;
mod types;
mod valuation;

pub use types::{
    Balances, Default, DefaultGround, Instruction, Loan, LoanStatus, MarginCall, Owed, Payment,
    Pledge, Price, PriceKey, Proposal, Realisation, Registration, penalty_from,
};
use valuation::within_ltv;
pub use valuation::{
    INDICATIVE_HAIRCUT, INDICATIVE_MAX_LTV, Line, Valuation, haircut_of, line_value,
};

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use crate::acting::acts_for;
use crate::error::ContractError;
use crate::ids::{OrgId, RecordId, Role};
use crate::membership::{Membership, Signer};
use crate::money::Money;
use crate::receipts::{Receipt, Receipts};
use crate::time::Date;
use crate::{Context, Notice, Outcome, Touched};
use body::{
    Apply, Decline, Designate, Disburse, Enforce, Instruct, LoanReason, LoanReceipts, LoanRef,
    PledgeRef, Propose, PublishPrice, Register, Repay,
};

/// Most receipts one application or top-up may offer.
pub const MAX_COLLATERAL: usize = 100;
/// Longest tenor, in days.
pub const MAX_TENOR_DAYS: u32 = 3650;
/// Longest grace period, in days.
pub const MAX_GRACE_DAYS: u32 = 365;
/// Longest cure period of a margin call, in days.
pub const MAX_CURE_DAYS: u32 = 90;

/// A financing transaction, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FinancingTx {
    /// `loan.apply`
    Apply(Apply),
    /// `pledge.confirm`
    Confirm(PledgeRef),
    /// `pledge.decline`
    Decline(Decline),
    /// `loan.propose`
    Propose(Propose),
    /// `loan.approve`
    Approve(LoanRef),
    /// `loan.reject`
    Reject(LoanReason),
    /// `loan.register`
    Register(Register),
    /// `loan.disburse`
    Disburse(Disburse),
    /// `loan.repay`
    Repay(Repay),
    /// `loan.instruct`
    Instruct(Instruct),
    /// `loan.release`
    Release(LoanReceipts),
    /// `loan.top_up`
    TopUp(LoanReceipts),
    /// `loan.default`
    Default(LoanReason),
    /// `loan.enforce`
    Enforce(Enforce),
    /// `loan.write_off`
    WriteOff(LoanReason),
    /// `price.publish`
    Publish(PublishPrice),
    /// `price.designate`
    Designate(Designate),
}

tx_types!(FinancingTx, "financing" {
        Apply => "loan.apply",
        Confirm => "pledge.confirm",
        Decline => "pledge.decline",
        Propose => "loan.propose",
        Approve => "loan.approve",
        Reject => "loan.reject",
        Register => "loan.register",
        Disburse => "loan.disburse",
        Repay => "loan.repay",
        Instruct => "loan.instruct",
        Release => "loan.release",
        TopUp => "loan.top_up",
        Default => "loan.default",
        Enforce => "loan.enforce",
        WriteOff => "loan.write_off",
        Publish => "price.publish",
        Designate => "price.designate",
    }
);

/// Every loan and price.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Financing {
    /// Loans by id.
    pub loans: BTreeMap<RecordId, Loan>,
    /// The latest price per commodity and grade.
    pub prices: BTreeMap<PriceKey, Price>,
    /// Every price published, oldest first: what valuations were made
    /// against, for charts and audits.
    pub history: Vec<(PriceKey, Price)>,
    /// Organisations other than banks the operator lets publish prices.
    pub sources: BTreeSet<OrgId>,
}

/// Restores the receipts in `ids` if `f` fails, so that a refusal halfway
/// through a multi-receipt step changes nothing.
fn guarded<T>(
    receipts: &mut Receipts,
    ids: &[RecordId],
    f: impl FnOnce(&mut Receipts) -> Result<T, ContractError>,
) -> Result<T, ContractError> {
    let saved: Vec<(RecordId, Option<Receipt>)> = ids
        .iter()
        .map(|id| (id.clone(), receipts.receipts.get(id).cloned()))
        .collect();
    let result = f(receipts);
    if result.is_err() {
        for (id, r) in saved {
            match r {
                Some(r) => {
                    receipts.receipts.insert(id, r);
                }
                None => {
                    receipts.receipts.remove(&id);
                }
            }
        }
    }
    result
}

fn absorb(into: &mut Outcome, other: Outcome) {
    into.parties.extend(other.parties);
    for t in other.touched {
        if !into.touched.contains(&t) {
            into.touched.push(t);
        }
    }
    into.notices.extend(other.notices);
}

fn distinct(ids: &[RecordId], what: &str) -> Result<(), ContractError> {
    if ids.is_empty() {
        return Err(ContractError::BadRequest(format!(
            "{what} names no receipt"
        )));
    }
    if ids.len() > MAX_COLLATERAL {
        return Err(ContractError::BadRequest(format!(
            "{what} names {} receipts; at most {MAX_COLLATERAL}",
            ids.len()
        )));
    }
    let set: BTreeSet<&RecordId> = ids.iter().collect();
    if set.len() != ids.len() {
        return Err(ContractError::BadRequest(format!(
            "{what} names a receipt twice"
        )));
    }
    Ok(())
}

fn positive(amount: Money, what: &str) -> Result<Decimal, ContractError> {
    if amount.value() <= Decimal::ZERO {
        return Err(ContractError::InvalidAmount(format!(
            "{what} must be more than zero; {amount} was given"
        )));
    }
    Ok(amount.value())
}

fn same_currency(amount: Money, loan: &Loan, what: &str) -> Result<Decimal, ContractError> {
    if amount.currency() != loan.currency() {
        return Err(ContractError::InvalidAmount(format!(
            "{what} is in {}; loan {} is in {}",
            amount.currency(),
            loan.id,
            loan.currency()
        )));
    }
    positive(amount, what)
}

fn notice(loan: &Loan, to: &OrgId, event: LoanEvent) -> Notice {
    Notice::Loan {
        loan: loan.id.clone(),
        to: to.clone(),
        event,
    }
}

word_enum!(
    /// What happened to a loan that a party must be told of.
    LoanEvent, "loan event" {
        /// An SME applied: the bank.
        Applied = "applied",
        /// A receipt waits for its warehouse to confirm control.
        ConfirmationNeeded = "confirmation_needed",
        /// A warehouse declined: the borrower.
        Declined = "declined",
        /// Approved: the borrower.
        Approved = "approved",
        /// Rejected: the borrower.
        Rejected = "rejected",
        /// Funds sent: the borrower.
        Disbursed = "disbursed",
        /// A margin call was raised: the borrower and the bank.
        MarginCall = "margin_call",
        /// A margin call was cured: the borrower and the bank.
        MarginCallCured = "margin_call_cured",
        /// Default declared: the borrower.
        Defaulted = "defaulted",
        /// Collateral realised: the borrower.
        Enforced = "enforced",
        /// The borrower says it has sent a repayment: the bank.
        RepaymentInstructed = "repayment_instructed",
        /// Maturity is seven days away: the borrower.
        MaturityNear = "maturity_near",
        /// Past maturity and unpaid: the borrower and the bank.
        Overdue = "overdue",
    }
);

impl Financing {
    /// The loan `receipt` is collateral of, if any. The receipt's one
    /// encumbrance is the only record of a pledge: a loan's encumbrance is
    /// held by its bank and names the loan as its reference, and the loan
    /// still counts the receipt among its collateral or top-ups (an ended
    /// loan counts none). A bare `receipt.encumber` is no loan's.
    pub fn securing(&self, receipts: &Receipts, receipt: &RecordId) -> Option<&Loan> {
        let e = receipts.receipts.get(receipt)?.encumbrance.as_ref()?;
        let loan = self
            .loans
            .get(&RecordId::parse(e.reference.as_str()).ok()?)?;
        (loan.bank == e.holder && loan.receipts().any(|id| id == receipt)).then_some(loan)
    }

    /// The loan with this id.
    pub fn loan(&self, id: &RecordId) -> Result<&Loan, ContractError> {
        self.loans
            .get(id)
            .ok_or_else(|| ContractError::NotFound(format!("no loan {id}")))
    }

    /// Decides a financing transaction and applies it.
    pub fn apply(
        &mut self,
        members: &Membership,
        receipts: &mut Receipts,
        ctx: &Context<'_>,
        tx: &FinancingTx,
    ) -> Result<Outcome, ContractError> {
        let signer = members.signer(ctx.signer)?;
        let today = Date::of(ctx.time);
        match tx {
            FinancingTx::Apply(b) => self.apply_for(members, receipts, &signer, ctx, b),
            FinancingTx::Confirm(b) => self.confirm(receipts, &signer, ctx, b),
            FinancingTx::Decline(b) => self.decline(receipts, &signer, ctx, b),
            FinancingTx::Propose(b) => self.propose(receipts, &signer, ctx, b),
            FinancingTx::Approve(b) => self.approve(receipts, &signer, ctx, b),
            FinancingTx::Reject(b) => self.reject(receipts, &signer, ctx, b),
            FinancingTx::Register(b) => self.register(&signer, ctx, b),
            FinancingTx::Disburse(b) => self.disburse(receipts, &signer, ctx, b),
            FinancingTx::Repay(b) => self.repay(receipts, &signer, ctx, b),
            FinancingTx::Instruct(b) => self.instruct(&signer, ctx, b),
            FinancingTx::Release(b) => self.release(receipts, &signer, ctx, b),
            FinancingTx::TopUp(b) => self.top_up(members, receipts, &signer, ctx, b),
            FinancingTx::Default(b) => self.declare_default(receipts, &signer, ctx, today, b),
            FinancingTx::Enforce(b) => self.enforce(members, receipts, &signer, ctx, b),
            FinancingTx::WriteOff(b) => self.write_off(&signer, ctx, b),
            FinancingTx::Publish(b) => self.publish(receipts, &signer, ctx, b),
            FinancingTx::Designate(b) => self.designate(members, &signer, b),
        }
    }

    fn in_status(loan: &Loan, allowed: &[LoanStatus], action: &str) -> Result<(), ContractError> {
        if allowed.contains(&loan.status) {
            return Ok(());
        }
        if loan.status.ended() || loan.status == LoanStatus::Repaid {
            return Err(ContractError::LoanClosed(format!(
                "loan {} is {}; {action} is not possible",
                loan.id,
                loan.status.as_str()
            )));
        }
        Err(ContractError::InvalidState(format!(
            "loan {} is {}; {action} needs it {}",
            loan.id,
            loan.status.as_str(),
            allowed
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(" or ")
        )))
    }

    fn bank_role(
        signer: &Signer<'_>,
        loan: &Loan,
        role: Role,
        action: &str,
    ) -> Result<(), ContractError> {
        acts_for(signer, &loan.bank, action)?;
        signer.require(role, &loan.bank, action)
    }

    /// Stores `loan` and completes the outcome with its parties and row.
    #[expect(
        clippy::unnecessary_wraps,
        reason = "every contract step ends in `self.finish(..)`, which reads as the step's result"
    )]
    fn finish(&mut self, loan: Loan, mut outcome: Outcome) -> Result<Outcome, ContractError> {
        outcome.parties.extend(loan.parties());
        outcome.touched.push(Touched::Loan(loan.id.clone()));
        self.loans.insert(loan.id.clone(), loan);
        Ok(outcome)
    }

    /// Lifts the bank's encumbrances on `ids`, all or none.
    fn lift_all(
        receipts: &mut Receipts,
        bank: &OrgId,
        ids: &[RecordId],
    ) -> Result<Outcome, ContractError> {
        let outcome = guarded(receipts, ids, |receipts| {
            let mut outcome = Outcome::default();
            for id in ids {
                absorb(&mut outcome, receipts.lift(id, bank)?);
            }
            Ok(outcome)
        })?;
        Ok(outcome)
    }
}

#[cfg(test)]
mod tests;
