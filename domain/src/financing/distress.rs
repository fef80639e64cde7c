//! When a loan goes wrong: the grounds for default, the declaration, the
//! enforcement of the collateral, and the write-off of what remains.

use rust_decimal::Decimal;

use super::body::{Enforce, Enforcement, LoanReason};
use super::interest::Allocation;
use super::{
    Default, DefaultGround, Financing, Loan, LoanEvent, LoanStatus, Owed, Realisation, absorb,
    guarded, notice, penalty_from, same_currency,
};
use crate::acting::{HOLDER_KINDS, counterparty};
use crate::error::ContractError;
use crate::ids::{RecordId, Role};
use crate::membership::{Membership, Signer};
use crate::receipts::Receipts;
use crate::time::Date;
use crate::{Context, Outcome};

impl Financing {
    /// The grounds on which the bank may declare default today.
    pub fn default_grounds(
        &self,
        receipts: &Receipts,
        loan: &Loan,
        today: Date,
    ) -> Vec<DefaultGround> {
        let mut grounds = Vec::new();
        let Some(terms) = loan.terms() else {
            return grounds;
        };
        if loan.status != LoanStatus::Active {
            return grounds;
        }
        if loan.open_margin_call().is_some_and(|m| today > m.deadline) {
            grounds.push(DefaultGround::MarginCallExpired);
        }
        if let Ok(v) = self.valuation(receipts, loan)
            && loan.balances.principal >= terms.liquidation_ltv.value() * v.value
        {
            grounds.push(DefaultGround::Liquidation);
        }
        if today >= penalty_from(terms) && !loan.balances.settled(loan.currency()) {
            grounds.push(DefaultGround::Overdue);
        }
        grounds
    }

    pub(super) fn declare_default(
        &mut self,
        receipts: &Receipts,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        today: Date,
        b: &LoanReason,
    ) -> Result<Outcome, ContractError> {
        let mut loan = self.loan(&b.loan)?.clone();
        Self::bank_role(signer, &loan, Role::Approver, "declaring default")?;
        Self::in_status(&loan, &[LoanStatus::Active], "declaring default")?;
        let grounds = self.default_grounds(receipts, &loan, today);
        if grounds.is_empty() {
            return Err(ContractError::InvalidState(format!(
                "loan {} is not in default: no margin call has passed its deadline, the loan-to-value is below the liquidation level, and it is not overdue past grace",
                loan.id
            )));
        }
        if let Some(rates) = loan.rates() {
            loan.balances.accrue(&rates, today);
        }
        loan.default = Some(Default {
            grounds,
            reason: b.reason.clone(),
            at: ctx.index,
        });
        loan.status = LoanStatus::Defaulted;
        let n = notice(&loan, &loan.borrower, LoanEvent::Defaulted);
        self.finish(loan, Outcome::telling(n))
    }

    pub(super) fn enforce(
        &mut self,
        members: &Membership,
        receipts: &mut Receipts,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &Enforce,
    ) -> Result<Outcome, ContractError> {
        let mut loan = self.loan(&b.loan)?.clone();
        Self::bank_role(signer, &loan, Role::Approver, "enforcing a pledge")?;
        Self::in_status(&loan, &[LoanStatus::Defaulted], "enforcing")?;
        let (to, proceeds) = match &b.enforcement {
            Enforcement::Take { value } => (loan.bank.clone(), *value),
            Enforcement::Sale { buyer, proceeds } => {
                counterparty(members, buyer, HOLDER_KINDS, "the buyer")?;
                if *buyer == loan.borrower {
                    return Err(ContractError::BadRequest(format!(
                        "the borrower {buyer} cannot buy its own pledged goods"
                    )));
                }
                (buyer.clone(), *proceeds)
            }
        };
        let amount = same_currency(proceeds, &loan, "the proceeds")?;
        let ids: Vec<RecordId> = loan.collateral.iter().map(|p| p.receipt.clone()).collect();
        let top_ups: Vec<RecordId> = loan.top_ups.iter().map(|p| p.receipt.clone()).collect();
        let bank = loan.bank.clone();
        let mut outcome = guarded(receipts, &ids, |receipts| {
            let mut outcome = Outcome::default();
            for id in &ids {
                absorb(
                    &mut outcome,
                    receipts.transfer_pledged(ctx, id, &bank, &to)?,
                );
            }
            Ok(outcome)
        })?;
        absorb(&mut outcome, Self::lift_all(receipts, &bank, &top_ups)?);
        let today = Date::of(ctx.time);
        if let Some(rates) = loan.rates() {
            loan.balances.accrue(&rates, today);
        }
        let allocation = loan.balances.post(amount, loan.currency());
        let shortfall = loan.balances.total_owed(loan.currency());
        loan.realisation = Some(Realisation {
            enforcement: b.enforcement.clone(),
            to,
            receipts: ids,
            allocation,
            shortfall,
            at: ctx.index,
        });
        loan.collateral.clear();
        loan.top_ups.clear();
        if shortfall.is_zero() {
            loan.balances.round_off();
            loan.status = LoanStatus::Closed;
            loan.closed_at = Some(ctx.index);
        } else {
            loan.status = LoanStatus::Enforced;
        }
        outcome
            .notices
            .push(notice(&loan, &loan.borrower, LoanEvent::Enforced));
        self.finish(loan, outcome)
    }

    pub(super) fn write_off(
        &mut self,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &LoanReason,
    ) -> Result<Outcome, ContractError> {
        let mut loan = self.loan(&b.loan)?.clone();
        Self::bank_role(signer, &loan, Role::Approver, "writing off a claim")?;
        Self::in_status(&loan, &[LoanStatus::Enforced], "writing off")?;
        let today = Date::of(ctx.time);
        if let Some(rates) = loan.rates() {
            loan.balances.accrue(&rates, today);
        }
        let Owed {
            penalty,
            interest,
            principal,
        } = loan.balances.owed(loan.currency());
        let balances = &mut loan.balances;
        balances.written_off = Allocation {
            penalty,
            interest,
            principal,
            surplus: Decimal::ZERO,
        };
        balances.penalty_scaled -= penalty * balances.basis;
        balances.interest_scaled -= interest * balances.basis;
        balances.principal -= principal;
        balances.round_off();
        loan.status = LoanStatus::WrittenOff;
        loan.reason = Some(b.reason.clone());
        loan.closed_at = Some(ctx.index);
        self.finish(loan, Outcome::default())
    }
}
