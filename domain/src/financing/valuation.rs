//! What collateral is worth: a loan's receipts valued at the latest prices
//! less the haircut, its loan-to-value, the revaluation that every price
//! and every change of collateral triggers, and what cures a margin call.

use rust_decimal::Decimal;

use super::body::LoanTerms;
use super::interest::{round_limit, round_up};
use super::{Financing, Loan, LoanEvent, LoanStatus, MarginCall, notice};
use crate::error::ContractError;
use crate::goods::{HsCode, Unit};
use crate::ids::RecordId;
use crate::money::Currency;
use crate::receipts::Receipts;
use crate::text::Text;
use crate::time::Date;
use crate::{Context, Outcome, Touched};

/// One receipt's line in a valuation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The receipt.
    pub receipt: RecordId,
    /// Its commodity's HS code.
    pub hs_code: HsCode,
    /// Its grade.
    pub grade: Text,
    /// The quantity it covers.
    pub quantity: Decimal,
    /// The quantity counted as there: less when its lot has an open
    /// shortfall, in proportion to the count.
    pub effective: Decimal,
    /// The unit.
    pub unit: Unit,
    /// The price applied, if one is published in the loan's currency.
    pub price: Option<Decimal>,
    /// The haircut applied.
    pub haircut: Decimal,
    /// Market value: effective quantity × price.
    pub market: Decimal,
    /// Lending value: market value × (1 − haircut).
    pub value: Decimal,
}

/// What collateral is worth.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Valuation {
    /// Line by line.
    pub lines: Vec<Line>,
    /// Total market value.
    pub market: Decimal,
    /// Total lending value: Σ quantity × price × (1 − haircut).
    pub value: Decimal,
}

impl Valuation {
    /// The receipts without a price.
    pub fn unpriced(&self) -> impl Iterator<Item = &Line> {
        self.lines.iter().filter(|l| l.price.is_none())
    }

    /// The most that may be lent against this collateral at `max_ltv`, in
    /// `currency`: rounded toward zero, never above the rule.
    pub fn max_loan(&self, max_ltv: Decimal, currency: Currency) -> Decimal {
        round_limit(max_ltv * self.value, currency)
    }

    /// Loan-to-value of `principal`; none when the collateral is worth
    /// nothing.
    pub fn ltv(&self, principal: Decimal) -> Option<Decimal> {
        if self.value.is_zero() {
            None
        } else {
            Some(principal / self.value)
        }
    }

    pub(super) fn priced(self) -> Result<Self, ContractError> {
        if let Some(l) = self.unpriced().next() {
            return Err(ContractError::NoPrice(format!(
                "no price in the loan's currency is published for HS {} grade {:?} per {} (receipt {})",
                l.hs_code,
                l.grade.as_str(),
                l.unit,
                l.receipt
            )));
        }
        Ok(self)
    }
}

/// What one receipt is worth: its market value (effective quantity ×
/// price; nothing without a price) and its lending value (market × (1 −
/// haircut)), both exact.
pub fn line_value(
    effective: Decimal,
    price: Option<Decimal>,
    haircut: Decimal,
) -> (Decimal, Decimal) {
    let market = price.map_or(Decimal::ZERO, |p| effective * p);
    (market, market * (Decimal::ONE - haircut))
}

/// Haircut and loan-to-value used for an indicative maximum before a bank
/// has proposed terms: a conservative middle of the usual ranges.
pub const INDICATIVE_HAIRCUT: &str = "0.30";
/// See [`INDICATIVE_HAIRCUT`].
pub const INDICATIVE_MAX_LTV: &str = "0.70";

/// The haircut the terms give a commodity; before terms, the indicative
/// one.
pub fn haircut_of(terms: Option<&LoanTerms>, hs: &HsCode) -> Decimal {
    match terms {
        Some(t) => t
            .haircuts
            .iter()
            .find(|h| h.hs_code == *hs)
            .map_or(Decimal::ONE, |h| h.haircut.value()),
        None => Decimal::from_str_exact(INDICATIVE_HAIRCUT).unwrap_or(Decimal::ONE),
    }
}

pub(super) fn within_ltv(
    principal: Decimal,
    max_ltv: Decimal,
    v: &Valuation,
    what: &str,
) -> Result<(), ContractError> {
    let limit = max_ltv * v.value;
    if principal > limit {
        return Err(ContractError::InsufficientCollateral(format!(
            "{what}, {principal}, exceeds the maximum loan-to-value {max_ltv} × collateral value {} = {}",
            v.value.round_dp(2),
            limit.round_dp(2)
        )));
    }
    Ok(())
}

impl Financing {
    /// Values `ids` for a loan in `currency` with `haircut` per commodity.
    pub fn value(
        &self,
        receipts: &Receipts,
        ids: &[&RecordId],
        currency: Currency,
        haircut: impl Fn(&HsCode) -> Decimal,
    ) -> Result<Valuation, ContractError> {
        let mut v = Valuation::default();
        for id in ids {
            let r = receipts.receipt(id)?;
            let lot = receipts.lot(&r.lot)?;
            let effective = match &lot.shortfall {
                Some(s) if !s.book.is_zero() => r.quantity * s.counted / s.book,
                _ => r.quantity,
            };
            let price = self
                .price_for(&lot.hs_code, lot.grade.as_str())
                .filter(|p| p.unit == lot.unit && p.price.currency() == currency)
                .map(|p| p.price.value());
            let cut = haircut(&lot.hs_code);
            let (market, value) = line_value(effective, price, cut);
            v.market += market;
            v.value += value;
            v.lines.push(Line {
                receipt: r.id.clone(),
                hs_code: lot.hs_code.clone(),
                grade: lot.grade.clone(),
                quantity: r.quantity,
                effective,
                unit: lot.unit,
                price,
                haircut: cut,
                market,
                value,
            });
        }
        Ok(v)
    }

    /// The loan's collateral valued under its terms (or, before terms, the
    /// indicative haircut).
    pub fn valuation(&self, receipts: &Receipts, loan: &Loan) -> Result<Valuation, ContractError> {
        let ids: Vec<&RecordId> = loan.collateral.iter().map(|p| &p.receipt).collect();
        self.value(receipts, &ids, loan.currency(), |hs| {
            haircut_of(loan.terms(), hs)
        })
    }

    /// Revalues every active loan after a receipts transaction, such as a
    /// count that found a shortfall, and raises or cures margin calls.
    pub fn revalue_all(&mut self, receipts: &Receipts, ctx: &Context<'_>, outcome: &mut Outcome) {
        let active: Vec<RecordId> = self
            .loans
            .values()
            .filter(|l| l.status == LoanStatus::Active)
            .map(|l| l.id.clone())
            .collect();
        for id in active {
            self.revalue_by_id(receipts, &id, ctx, outcome);
        }
    }

    pub(super) fn revalue_by_id(
        &mut self,
        receipts: &Receipts,
        id: &RecordId,
        ctx: &Context<'_>,
        outcome: &mut Outcome,
    ) {
        let Some(mut loan) = self.loans.get(id).cloned() else {
            return;
        };
        let before = loan.margin_calls.clone();
        self.revalue(receipts, &mut loan, ctx, outcome);
        if loan.margin_calls != before {
            outcome.parties.extend(loan.parties());
            outcome.touched.push(Touched::Loan(loan.id.clone()));
            self.loans.insert(loan.id.clone(), loan);
        }
    }

    /// Raises a margin call when an active loan's LTV reaches the
    /// margin-call level, and cures the open one when it is back within
    /// the maximum.
    pub(super) fn revalue(
        &self,
        receipts: &Receipts,
        loan: &mut Loan,
        ctx: &Context<'_>,
        outcome: &mut Outcome,
    ) {
        if loan.status != LoanStatus::Active {
            return;
        }
        let Some(terms) = loan.terms().cloned() else {
            return;
        };
        let Ok(v) = self.valuation(receipts, loan) else {
            return;
        };
        let principal = loan.balances.principal;
        let today = Date::of(ctx.time);
        let open = loan.open_margin_call().is_some();
        if !open && principal >= terms.margin_call_ltv.value() * v.value && !principal.is_zero() {
            loan.margin_calls.push(MarginCall {
                raised_at: ctx.index,
                raised_on: today,
                deadline: today.plus_days(i64::from(terms.cure_days)),
                ltv: v.ltv(principal).unwrap_or(Decimal::ONE_THOUSAND),
                cured_at: None,
            });
            outcome
                .notices
                .push(notice(loan, &loan.borrower, LoanEvent::MarginCall));
            outcome
                .notices
                .push(notice(loan, &loan.bank, LoanEvent::MarginCall));
        } else if open && principal <= terms.max_ltv.value() * v.value {
            if let Some(m) = loan.margin_calls.last_mut() {
                m.cured_at = Some(ctx.index);
            }
            outcome
                .notices
                .push(notice(loan, &loan.borrower, LoanEvent::MarginCallCured));
            outcome
                .notices
                .push(notice(loan, &loan.bank, LoanEvent::MarginCallCured));
        }
    }

    /// What the borrower must repay to bring the loan back within its
    /// maximum loan-to-value: zero when it is within.
    pub fn cure_amount(&self, receipts: &Receipts, loan: &Loan) -> Option<Decimal> {
        let terms = loan.terms()?;
        let v = self.valuation(receipts, loan).ok()?;
        let need = loan.balances.principal - terms.max_ltv.value() * v.value;
        Some(round_up(need.max(Decimal::ZERO), loan.currency()))
    }
}
