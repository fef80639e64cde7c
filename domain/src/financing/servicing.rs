//! A running loan: repayments instructed by the borrower and recorded by
//! the bank, releases of collateral, and top-ups that answer a margin call.

use rust_decimal::Decimal;

use super::body::{Instruct, LoanReceipts, Repay};
use super::{
    Financing, Instruction, LoanEvent, LoanStatus, Payment, absorb, distinct, haircut_of, notice,
    same_currency, within_ltv,
};
use crate::acting::acts_for;
use crate::error::ContractError;
use crate::ids::RecordId;
use crate::membership::{Membership, Signer};
use crate::receipts::Receipts;
use crate::time::Date;
use crate::{Context, Outcome};

/// Where a loan still owes money and takes repayments.
const OWING: &[LoanStatus] = &[
    LoanStatus::Active,
    LoanStatus::Defaulted,
    LoanStatus::Enforced,
];

impl Financing {
    pub(super) fn instruct(
        &mut self,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &Instruct,
    ) -> Result<Outcome, ContractError> {
        let mut loan = self.loan(&b.loan)?.clone();
        acts_for(signer, &loan.borrower, "instructing a repayment")?;
        Self::in_status(&loan, OWING, "instructing a repayment")?;
        let amount = same_currency(b.amount, &loan, "a repayment instruction")?;
        let today = Date::of(ctx.time);
        let owed = loan.owed_on(today).total();
        if amount > owed {
            return Err(ContractError::InvalidAmount(format!(
                "{} is more than loan {} owes today, {owed} {}",
                b.amount,
                loan.id,
                loan.currency()
            )));
        }
        loan.instructions.push(Instruction {
            at: ctx.index,
            on: today,
            amount,
            reference: b.reference.clone(),
        });
        let n = notice(&loan, &loan.bank, LoanEvent::RepaymentInstructed);
        self.finish(loan, Outcome::telling(n))
    }

    pub(super) fn repay(
        &mut self,
        receipts: &mut Receipts,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &Repay,
    ) -> Result<Outcome, ContractError> {
        let mut loan = self.loan(&b.loan)?.clone();
        acts_for(signer, &loan.bank, "recording a repayment")?;
        Self::in_status(&loan, OWING, "repaying")?;
        let amount = same_currency(b.amount, &loan, "a repayment")?;
        let today = Date::of(ctx.time);
        if let Some(rates) = loan.rates() {
            loan.balances.accrue(&rates, today);
        }
        let owed = loan.balances.total_owed(loan.currency());
        if amount > owed {
            return Err(ContractError::InvalidAmount(format!(
                "{} would overpay loan {}: {owed} {} is owed today",
                b.amount,
                loan.id,
                loan.currency()
            )));
        }
        let allocation = loan.balances.post(amount, loan.currency());
        loan.payments.push(Payment {
            at: ctx.index,
            on: today,
            amount,
            reference: b.reference.clone(),
            allocation,
        });
        let mut outcome = Outcome::default();
        if loan.balances.settled(loan.currency()) {
            loan.balances.round_off();
            if let Some(m) = loan.margin_calls.last_mut()
                && m.cured_at.is_none()
            {
                m.cured_at = Some(ctx.index);
            }
            let top_ups: Vec<RecordId> = loan.top_ups.iter().map(|p| p.receipt.clone()).collect();
            absorb(
                &mut outcome,
                Self::lift_all(receipts, &loan.bank, &top_ups)?,
            );
            loan.top_ups.clear();
            if loan.status == LoanStatus::Enforced {
                loan.status = LoanStatus::Closed;
                loan.closed_at = Some(ctx.index);
            } else {
                loan.status = LoanStatus::Repaid;
            }
        } else {
            self.revalue(receipts, &mut loan, ctx, &mut outcome);
        }
        self.finish(loan, outcome)
    }

    pub(super) fn release(
        &mut self,
        receipts: &mut Receipts,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &LoanReceipts,
    ) -> Result<Outcome, ContractError> {
        let mut loan = self.loan(&b.loan)?.clone();
        // Only the pledgee's own people release a pledge.
        acts_for(signer, &loan.bank, "releasing a pledge")?;
        Self::in_status(
            &loan,
            &[LoanStatus::Active, LoanStatus::Repaid],
            "releasing collateral",
        )?;
        distinct(&b.receipts, "a release")?;
        for id in &b.receipts {
            if !loan.collateral.iter().any(|p| p.receipt == *id) {
                return Err(ContractError::NotFound(format!(
                    "receipt {id} is not pledged for loan {}",
                    loan.id
                )));
            }
        }
        let remaining: Vec<&RecordId> = loan
            .collateral
            .iter()
            .map(|p| &p.receipt)
            .filter(|r| !b.receipts.contains(r))
            .collect();
        if loan.status == LoanStatus::Active {
            let v = self
                .value(receipts, &remaining, loan.currency(), |hs| {
                    haircut_of(loan.terms(), hs)
                })?
                .priced()?;
            let max = loan.terms().map_or(Decimal::ZERO, |t| t.max_ltv.value());
            within_ltv(loan.balances.principal, max, &v, "what remains owed")?;
        }
        let mut outcome = Self::lift_all(receipts, &loan.bank, &b.receipts)?;
        loan.collateral.retain(|p| !b.receipts.contains(&p.receipt));
        loan.released
            .extend(b.receipts.iter().map(|id| (id.clone(), ctx.index)));
        if loan.status == LoanStatus::Repaid && loan.collateral.is_empty() {
            loan.status = LoanStatus::Closed;
            loan.closed_at = Some(ctx.index);
        } else if loan.status == LoanStatus::Active {
            self.revalue(receipts, &mut loan, ctx, &mut outcome);
        }
        self.finish(loan, outcome)
    }

    pub(super) fn top_up(
        &mut self,
        members: &Membership,
        receipts: &mut Receipts,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &LoanReceipts,
    ) -> Result<Outcome, ContractError> {
        let mut loan = self.loan(&b.loan)?.clone();
        acts_for(signer, &loan.borrower, "topping up collateral")?;
        Self::in_status(&loan, &[LoanStatus::Active], "topping up")?;
        distinct(&b.receipts, "a top-up")?;
        let ids: Vec<&RecordId> = b.receipts.iter().collect();
        for line in self
            .value(receipts, &ids, loan.currency(), |hs| {
                haircut_of(loan.terms(), hs)
            })?
            .lines
        {
            if !loan
                .terms()
                .is_some_and(|t| t.haircuts.iter().any(|h| h.hs_code == line.hs_code))
            {
                return Err(ContractError::BadRequest(format!(
                    "loan {}'s terms give no haircut for HS {} (receipt {})",
                    loan.id, line.hs_code, line.receipt
                )));
            }
            if line.price.is_none() {
                return Err(ContractError::NoPrice(format!(
                    "no price in {} is published for HS {} grade {:?} (receipt {})",
                    loan.currency(),
                    line.hs_code,
                    line.grade.as_str(),
                    line.receipt
                )));
            }
        }
        let (pledges, mut outcome) = Self::offer(
            members,
            receipts,
            ctx,
            &loan.id,
            &loan.borrower,
            &loan.bank,
            &b.receipts,
        )?;
        for p in &pledges {
            outcome
                .notices
                .push(notice(&loan, &p.warehouse, LoanEvent::ConfirmationNeeded));
        }
        outcome.notices.dedup();
        loan.top_ups.extend(pledges);
        self.finish(loan, outcome)
    }
}
