//! What the financing contract keeps: loans with their pledges, terms,
//! payments and margin calls, their exact balances, and prices.

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::body::{Enforcement, LoanTerms};
use super::interest;
use super::interest::{Allocation, Rates, allocate, round};
use crate::goods::{HsCode, Unit};
use crate::ids::{OrgId, RecordId, UserId};
use crate::money::{Currency, Money};
use crate::text::Text;
use crate::time::{Date, Timestamp};

word_enum!(
    /// Where a loan is in its life.
    LoanStatus, "loan status" {
        /// Applied for; the warehouse has yet to confirm every receipt.
        Applied = "applied",
        /// A warehouse declined to hold goods for the bank: ended.
        Declined = "declined",
        /// Every receipt confirmed; the bank reviews.
        Confirmed = "confirmed",
        /// An officer proposed terms; an approver decides.
        Proposed = "proposed",
        /// The bank rejected it: ended.
        Rejected = "rejected",
        /// Approved; waits for registration and disbursement.
        Approved = "approved",
        /// Disbursed and running.
        Active = "active",
        /// The bank declared default; it may enforce.
        Defaulted = "defaulted",
        /// Everything owed is paid; the bank releases the pledges.
        Repaid = "repaid",
        /// The collateral was realised and a claim remains unsecured.
        Enforced = "enforced",
        /// Ended, with nothing owed.
        Closed = "closed",
        /// Ended, with the unsecured claim written off.
        WrittenOff = "written_off",
    }
);

impl LoanStatus {
    /// Whether money is owed and may be repaid.
    pub fn owes(self) -> bool {
        matches!(self, Self::Active | Self::Defaulted | Self::Enforced)
    }

    /// Whether the loan has ended, with nothing more to happen.
    pub fn ended(self) -> bool {
        matches!(
            self,
            Self::Declined | Self::Rejected | Self::Closed | Self::WrittenOff
        )
    }
}

/// A receipt offered or pledged, and whether its warehouse confirmed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pledge {
    /// The receipt.
    pub receipt: RecordId,
    /// Its warehouse, which confirms.
    pub warehouse: OrgId,
    /// The entry that offered it.
    pub offered_at: u64,
    /// The entry that confirmed control.
    pub confirmed_at: Option<u64>,
}

/// Proposed terms, and who proposed them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Proposal {
    /// The terms.
    pub terms: LoanTerms,
    /// The officer (the maker).
    pub by: UserId,
    /// The entry.
    pub at: u64,
}

/// The registration of the pledge with the national registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    /// The registry's reference.
    pub reference: Text,
    /// The date registered.
    pub date: Date,
    /// The entry.
    pub at: u64,
}

/// A movement of money on the ledger's record of a loan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Payment {
    /// The entry.
    pub at: u64,
    /// The value date.
    pub on: Date,
    /// How much.
    pub amount: Decimal,
    /// The payment's reference.
    pub reference: Text,
    /// How it was applied.
    pub allocation: Allocation,
}

/// A repayment the borrower says it has sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instruction {
    /// The entry.
    pub at: u64,
    /// The day.
    pub on: Date,
    /// How much.
    pub amount: Decimal,
    /// The payment's reference.
    pub reference: Text,
}

/// A margin call, open or cured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarginCall {
    /// The entry that raised it.
    pub raised_at: u64,
    /// The day it was raised.
    pub raised_on: Date,
    /// The last day to cure it.
    pub deadline: Date,
    /// The loan-to-value that raised it.
    pub ltv: Decimal,
    /// The entry that cured it.
    pub cured_at: Option<u64>,
}

word_enum!(
    /// Why a bank declared default.
    DefaultGround, "default ground" {
        /// A margin call was not cured by its deadline.
        MarginCallExpired = "margin_call_expired",
        /// The loan-to-value reached the liquidation level.
        Liquidation = "liquidation",
        /// Not repaid by maturity plus grace.
        Overdue = "overdue",
    }
);

/// A declared default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Default {
    /// The grounds that held.
    pub grounds: Vec<DefaultGround>,
    /// The bank's words.
    pub reason: Text,
    /// The entry.
    pub at: u64,
}

/// The realisation of a defaulted loan's collateral.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Realisation {
    /// How.
    pub enforcement: Enforcement,
    /// Who received the receipts.
    pub to: OrgId,
    /// The receipts.
    pub receipts: Vec<RecordId>,
    /// How the proceeds were applied; the surplus went to the borrower.
    pub allocation: Allocation,
    /// What remained owed, unsecured.
    pub shortfall: Decimal,
    /// The entry.
    pub at: u64,
}

/// What a loan owes at a moment, each part rounded as a posting would round
/// it; a repayment is allocated to them in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Owed {
    /// Penalty interest.
    pub penalty: Decimal,
    /// Interest.
    pub interest: Decimal,
    /// Principal outstanding.
    pub principal: Decimal,
}

impl Owed {
    /// Everything owed.
    pub fn total(&self) -> Decimal {
        self.penalty + self.interest + self.principal
    }
}

/// The loan's money, exact. Interest and penalty accrue as principal ×
/// rate × days, kept multiplied by the day-count basis (360 or 365) so
/// that accrual never divides; a posting divides once and rounds what is
/// due, and the remainder stays in the balance. Nothing drifts however many
/// postings there are.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Balances {
    /// The day-count basis the scaled fields are multiplied by.
    pub basis: Decimal,
    /// Principal disbursed.
    pub disbursed: Decimal,
    /// Principal outstanding.
    pub principal: Decimal,
    /// Contractual interest accrued and unpaid, × basis.
    pub interest_scaled: Decimal,
    /// Penalty interest accrued and unpaid, × basis.
    pub penalty_scaled: Decimal,
    /// The day accrual has reached (exclusive).
    pub accrued_to: Option<Date>,
    /// Contractual interest ever accrued, × basis.
    pub interest_accrued_scaled: Decimal,
    /// Penalty interest ever accrued, × basis.
    pub penalty_accrued_scaled: Decimal,
    /// Everything received: repayments and enforcement proceeds.
    pub received: Decimal,
    /// Everything received, by what it paid.
    pub paid: Allocation,
    /// What was written off, by what it was owed for.
    pub written_off: Allocation,
    /// The sub-minor-unit remainders of interest and penalty, × basis,
    /// left when the loan ended, which no posting can collect.
    pub rounded_off_scaled: Decimal,
}

impl Balances {
    pub(super) fn unscale(&self, scaled: Decimal) -> Decimal {
        if self.basis.is_zero() {
            Decimal::ZERO
        } else {
            scaled / self.basis
        }
    }

    /// Interest accrued and unpaid, unrounded (for display).
    pub fn interest(&self) -> Decimal {
        self.unscale(self.interest_scaled)
    }

    /// Penalty accrued and unpaid, unrounded (for display).
    pub fn penalty(&self) -> Decimal {
        self.unscale(self.penalty_scaled)
    }

    /// What is owed now, as a posting would round it.
    pub fn owed(&self, currency: Currency) -> Owed {
        Owed {
            penalty: round(self.penalty(), currency).max(Decimal::ZERO),
            interest: round(self.interest(), currency).max(Decimal::ZERO),
            principal: self.principal,
        }
    }

    /// The sum of what is owed now.
    pub fn total_owed(&self, currency: Currency) -> Decimal {
        self.owed(currency).total()
    }

    pub(super) fn accrue(&mut self, rates: &Rates, today: Date) {
        let Some(from) = self.accrued_to else {
            return;
        };
        if today <= from {
            return;
        }
        let a = interest::accrue(self.principal, from, today, rates);
        self.interest_scaled += a.interest;
        self.penalty_scaled += a.penalty;
        self.interest_accrued_scaled += a.interest;
        self.penalty_accrued_scaled += a.penalty;
        self.accrued_to = Some(today);
    }

    /// Applies `amount` to what is owed; anything beyond it is surplus.
    pub(super) fn post(&mut self, amount: Decimal, currency: Currency) -> Allocation {
        let owed = self.owed(currency);
        let a = allocate(amount, owed.penalty, owed.interest, owed.principal);
        self.penalty_scaled -= a.penalty * self.basis;
        self.interest_scaled -= a.interest * self.basis;
        self.principal -= a.principal;
        self.received += amount;
        self.paid.penalty += a.penalty;
        self.paid.interest += a.interest;
        self.paid.principal += a.principal;
        self.paid.surplus += a.surplus;
        a
    }

    /// Whether nothing collectable is owed.
    pub(super) fn settled(&self, currency: Currency) -> bool {
        self.total_owed(currency).is_zero()
    }

    /// Moves the uncollectable remainders out once the loan is settled.
    pub(super) fn round_off(&mut self) {
        self.rounded_off_scaled += self.interest_scaled + self.penalty_scaled;
        self.interest_scaled = Decimal::ZERO;
        self.penalty_scaled = Decimal::ZERO;
    }
}

/// A loan, from application to its end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Loan {
    /// Its id.
    pub id: RecordId,
    /// The SME.
    pub borrower: OrgId,
    /// The bank.
    pub bank: OrgId,
    /// The amount applied for.
    pub amount: Money,
    /// The tenor applied for, in days.
    pub tenor_days: u32,
    /// The purpose.
    pub purpose: Text,
    /// Where it is.
    pub status: LoanStatus,
    /// The entry that applied.
    pub applied_at: u64,
    /// The receipts offered in the application, then pledged.
    pub collateral: Vec<Pledge>,
    /// Receipts offered to top up, waiting for their warehouse.
    pub top_ups: Vec<Pledge>,
    /// Receipts released, with the entry that released each.
    pub released: Vec<(RecordId, u64)>,
    /// The terms proposed.
    pub proposal: Option<Proposal>,
    /// The approver (the checker).
    pub approved_by: Option<UserId>,
    /// The registration.
    pub registration: Option<Registration>,
    /// The disbursement: the payment's reference, the entry and the value
    /// date.
    pub disbursement: Option<(Text, u64, Date)>,
    /// The money.
    pub balances: Balances,
    /// Repayments, in order.
    pub payments: Vec<Payment>,
    /// Repayments the borrower says it has sent, in order.
    #[serde(default)]
    pub instructions: Vec<Instruction>,
    /// Margin calls, in order; the last may be open.
    pub margin_calls: Vec<MarginCall>,
    /// The default, once declared.
    pub default: Option<Default>,
    /// The enforcement, once done.
    pub realisation: Option<Realisation>,
    /// Why it was declined, rejected or written off.
    pub reason: Option<Text>,
    /// The entry that ended it.
    pub closed_at: Option<u64>,
}

impl Loan {
    /// The currency.
    pub fn currency(&self) -> Currency {
        self.amount.currency()
    }

    /// The terms in force: the approved (or proposed) ones.
    pub fn terms(&self) -> Option<&LoanTerms> {
        self.proposal.as_ref().map(|p| &p.terms)
    }

    /// The rates accrual needs.
    pub fn rates(&self) -> Option<Rates> {
        self.terms().map(|t| Rates {
            annual: t.annual_rate.value(),
            penalty: t.penalty_rate.value(),
            convention: t.day_count,
            penalty_from: penalty_from(t),
        })
    }

    /// The open margin call: the last one, uncured, while the loan runs.
    /// Once the bank declares default, or the loan ends, a margin call is
    /// moot and no longer open.
    pub fn open_margin_call(&self) -> Option<&MarginCall> {
        if self.status != LoanStatus::Active {
            return None;
        }
        self.margin_calls.last().filter(|m| m.cured_at.is_none())
    }

    /// The receipts pledged or offered, including top-ups.
    pub fn receipts(&self) -> impl Iterator<Item = &RecordId> {
        self.collateral
            .iter()
            .chain(&self.top_ups)
            .map(|p| &p.receipt)
    }

    /// The organisations party to the loan.
    pub fn parties(&self) -> BTreeSet<OrgId> {
        let mut parties: BTreeSet<OrgId> = [self.borrower.clone(), self.bank.clone()].into();
        for p in self.collateral.iter().chain(&self.top_ups) {
            parties.insert(p.warehouse.clone());
        }
        parties
    }

    /// What is owed on `today`, accrued to it and rounded as a posting
    /// would.
    pub fn owed_on(&self, today: Date) -> Owed {
        let mut b = self.balances.clone();
        if let Some(rates) = self.rates() {
            b.accrue(&rates, today);
        }
        b.owed(self.currency())
    }

    /// Whether the loan is past maturity with money owed.
    pub fn overdue_on(&self, today: Date) -> bool {
        self.status.owes()
            && self.terms().is_some_and(|t| today > t.maturity)
            && !self.balances.settled(self.currency())
    }
}

/// The first day penalty interest runs: the day after maturity plus grace.
pub fn penalty_from(terms: &LoanTerms) -> Date {
    terms
        .maturity
        .plus_days(i64::from(terms.grace_days).saturating_add(1))
}

/// A published price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Price {
    /// The unit it is per.
    pub unit: Unit,
    /// The price of one unit.
    pub price: Money,
    /// Who published it.
    pub by: OrgId,
    /// The entry.
    pub at: u64,
    /// The entry's time.
    pub time: Timestamp,
}

/// A price's key: the HS code and a grade, or `""` for any grade.
pub type PriceKey = (HsCode, String);
