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
pub mod interest;

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::ContractError;
use crate::goods::{HsCode, Unit};
use crate::ids::{OrgId, OrgKind, RecordId, Role, UserId};
use crate::membership::{Membership, Signer};
use crate::money::{Currency, Money};
use crate::receipts::{
    EncumbranceKind, HOLDER_KINDS, Receipt, Receipts, acting_as, acts_for, counterparty,
};
use crate::text::Text;
use crate::time::{Date, Timestamp};
use crate::{Context, Notice, Outcome, Touched};
use body::{
    Apply, Decline, Designate, Disburse, Enforce, Enforcement, Instruct, LoanReason, LoanReceipts,
    LoanRef, LoanTerms, PledgeRef, Propose, PublishPrice, Register, Repay,
};
use interest::{Allocation, Rates, allocate, round};

/// Most receipts one application or top-up may offer.
pub const MAX_COLLATERAL: usize = 100;
/// Longest tenor, in days.
pub const MAX_TENOR_DAYS: u32 = 3650;
/// Longest grace period, in days.
pub const MAX_GRACE_DAYS: u32 = 365;
/// Longest cure period of a margin call, in days.
pub const MAX_CURE_DAYS: u32 = 90;

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
    fn unscale(&self, scaled: Decimal) -> Decimal {
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

    /// What is owed now, as a posting would round it: penalty, interest
    /// and principal.
    pub fn owed(&self, currency: Currency) -> (Decimal, Decimal, Decimal) {
        (
            round(self.penalty(), currency).max(Decimal::ZERO),
            round(self.interest(), currency).max(Decimal::ZERO),
            self.principal,
        )
    }

    /// The sum of what is owed now.
    pub fn total_owed(&self, currency: Currency) -> Decimal {
        let (p, i, c) = self.owed(currency);
        p + i + c
    }

    fn accrue(&mut self, rates: &Rates, today: Date) {
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
    fn post(&mut self, amount: Decimal, currency: Currency) -> Allocation {
        let (p, i, c) = self.owed(currency);
        let a = allocate(amount, p, i, c);
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
    fn settled(&self, currency: Currency) -> bool {
        self.total_owed(currency).is_zero()
    }

    /// Moves the uncollectable remainders out once the loan is settled.
    fn round_off(&mut self) {
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
    /// would: penalty, interest, principal.
    pub fn owed_on(&self, today: Date) -> (Decimal, Decimal, Decimal) {
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

    /// Loan-to-value of `principal`; none when the collateral is worth
    /// nothing.
    pub fn ltv(&self, principal: Decimal) -> Option<Decimal> {
        if self.value.is_zero() {
            None
        } else {
            Some(principal / self.value)
        }
    }

    fn priced(self) -> Result<Self, ContractError> {
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

/// Haircut and loan-to-value used for an indicative maximum before a bank
/// has proposed terms: a conservative middle of the usual ranges.
pub const INDICATIVE_HAIRCUT: &str = "0.30";
/// See [`INDICATIVE_HAIRCUT`].
pub const INDICATIVE_MAX_LTV: &str = "0.70";

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
    /// Which loan each offered or pledged receipt belongs to.
    pub pledged: BTreeMap<RecordId, RecordId>,
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
    /// The loan with this id.
    pub fn loan(&self, id: &RecordId) -> Result<&Loan, ContractError> {
        self.loans
            .get(id)
            .ok_or_else(|| ContractError::NotFound(format!("no loan {id}")))
    }

    /// The price that applies to a commodity and grade: the grade's own,
    /// else the commodity's for any grade.
    pub fn price_for(&self, hs_code: &HsCode, grade: &str) -> Option<&Price> {
        self.prices
            .get(&(hs_code.clone(), grade.to_owned()))
            .or_else(|| self.prices.get(&(hs_code.clone(), String::new())))
    }

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
            let market = price.map_or(Decimal::ZERO, |p| effective * p);
            let value = market * (Decimal::ONE - cut);
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
        if !signer.holds(role, &loan.bank) {
            return Err(ContractError::Forbidden(format!(
                "{action} needs the {role} role in {}; {} does not hold it",
                loan.bank, signer.user.id
            )));
        }
        Ok(())
    }

    /// Offers `ids` as pending pledges for `loan`, all or none.
    #[expect(
        clippy::too_many_arguments,
        reason = "one step of two transactions, named in full"
    )]
    fn offer(
        &self,
        members: &Membership,
        receipts: &mut Receipts,
        ctx: &Context<'_>,
        loan: &RecordId,
        borrower: &OrgId,
        bank: &OrgId,
        ids: &[RecordId],
    ) -> Result<(Vec<Pledge>, Outcome), ContractError> {
        let reference = Text::parse(loan.as_str())?;
        guarded(receipts, ids, |receipts| {
            let mut outcome = Outcome::default();
            let mut pledges = Vec::new();
            for id in ids {
                if let Some(other) = self.pledged.get(id) {
                    return Err(ContractError::ReceiptEncumbered(format!(
                        "receipt {id} is already offered or pledged for loan {other}"
                    )));
                }
                absorb(
                    &mut outcome,
                    receipts.encumber(
                        members,
                        ctx,
                        id,
                        borrower,
                        bank,
                        &reference,
                        EncumbranceKind::Pending,
                    )?,
                );
                pledges.push(Pledge {
                    receipt: id.clone(),
                    warehouse: receipts.receipt(id)?.warehouse.clone(),
                    offered_at: ctx.index,
                    confirmed_at: None,
                });
            }
            Ok((pledges, outcome))
        })
    }

    fn apply_for(
        &mut self,
        members: &Membership,
        receipts: &mut Receipts,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &Apply,
    ) -> Result<Outcome, ContractError> {
        let borrower = acting_as(signer, OrgKind::Sme, "applying for a loan")?;
        if self.loans.contains_key(&b.loan) {
            return Err(ContractError::AlreadyExists(format!(
                "loan {} already exists",
                b.loan
            )));
        }
        positive(b.amount, "the amount applied for")?;
        if b.tenor_days == 0 || b.tenor_days > MAX_TENOR_DAYS {
            return Err(ContractError::BadRequest(format!(
                "a tenor of {} days is outside 1 to {MAX_TENOR_DAYS}",
                b.tenor_days
            )));
        }
        counterparty(members, &b.bank, &[OrgKind::Bank], "the lender")?;
        distinct(&b.receipts, "an application")?;
        let (pledges, mut outcome) = self.offer(
            members,
            receipts,
            ctx,
            &b.loan,
            &borrower,
            &b.bank,
            &b.receipts,
        )?;
        let loan = Loan {
            id: b.loan.clone(),
            borrower,
            bank: b.bank.clone(),
            amount: b.amount,
            tenor_days: b.tenor_days,
            purpose: b.purpose.clone(),
            status: LoanStatus::Applied,
            applied_at: ctx.index,
            collateral: pledges,
            top_ups: Vec::new(),
            released: Vec::new(),
            proposal: None,
            approved_by: None,
            registration: None,
            disbursement: None,
            balances: Balances::default(),
            payments: Vec::new(),
            instructions: Vec::new(),
            margin_calls: Vec::new(),
            default: None,
            realisation: None,
            reason: None,
            closed_at: None,
        };
        for id in &b.receipts {
            self.pledged.insert(id.clone(), b.loan.clone());
        }
        outcome
            .notices
            .push(notice(&loan, &loan.bank, LoanEvent::Applied));
        let warehouses: BTreeSet<&OrgId> = loan.collateral.iter().map(|p| &p.warehouse).collect();
        for w in warehouses {
            outcome
                .notices
                .push(notice(&loan, w, LoanEvent::ConfirmationNeeded));
        }
        self.finish(loan, outcome)
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

    fn confirm(
        &mut self,
        receipts: &mut Receipts,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &PledgeRef,
    ) -> Result<Outcome, ContractError> {
        let mut loan = self.loan(&b.loan)?.clone();
        let offer = unconfirmed_offer(
            &loan,
            &b.receipt,
            signer,
            "confirming control of pledged goods",
        )?;
        let mut outcome = Outcome::default();
        if let Offer::Application(i) = offer {
            Self::in_status(
                &loan,
                &[LoanStatus::Applied],
                "confirming an offered receipt",
            )?;
            if let Some(p) = loan.collateral.get_mut(i) {
                p.confirmed_at = Some(ctx.index);
            }
            if loan.collateral.iter().all(|p| p.confirmed_at.is_some()) {
                loan.status = LoanStatus::Confirmed;
            }
        } else if let Offer::TopUp(i) = offer {
            Self::in_status(&loan, &[LoanStatus::Active], "confirming a top-up")?;
            absorb(&mut outcome, receipts.activate(&b.receipt, &loan.bank)?);
            let mut pledge = loan.top_ups.remove(i);
            pledge.confirmed_at = Some(ctx.index);
            loan.collateral.push(pledge);
            self.revalue(receipts, &mut loan, ctx, &mut outcome);
        }
        outcome.touched.push(Touched::Receipt(b.receipt.clone()));
        self.finish(loan, outcome)
    }

    fn decline(
        &mut self,
        receipts: &mut Receipts,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &Decline,
    ) -> Result<Outcome, ContractError> {
        let mut loan = self.loan(&b.loan)?.clone();
        let offer = unconfirmed_offer(
            &loan,
            &b.receipt,
            signer,
            "declining control of pledged goods",
        )?;
        let mut outcome = Outcome::default();
        if let Offer::Application(_) = offer {
            Self::in_status(
                &loan,
                &[LoanStatus::Applied],
                "declining an offered receipt",
            )?;
            let ids: Vec<RecordId> = loan.receipts().cloned().collect();
            absorb(&mut outcome, self.lift_all(receipts, &loan.bank, &ids)?);
            loan.collateral.clear();
            loan.released
                .extend(ids.into_iter().map(|id| (id, ctx.index)));
            loan.status = LoanStatus::Declined;
            loan.reason = Some(b.reason.clone());
            loan.closed_at = Some(ctx.index);
            outcome
                .notices
                .push(notice(&loan, &loan.borrower, LoanEvent::Declined));
        } else if let Offer::TopUp(i) = offer {
            absorb(
                &mut outcome,
                self.lift_all(receipts, &loan.bank, std::slice::from_ref(&b.receipt))?,
            );
            loan.top_ups.remove(i);
            outcome
                .notices
                .push(notice(&loan, &loan.borrower, LoanEvent::Declined));
        }
        // The warehouse that declined stays a party to the entry.
        outcome.parties.insert(signer.user.org.clone());
        self.finish(loan, outcome)
    }

    /// Lifts the bank's encumbrances on `ids`, all or none, and forgets
    /// them as pledged.
    fn lift_all(
        &mut self,
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
        for id in ids {
            self.pledged.remove(id);
        }
        Ok(outcome)
    }

    fn check_terms(
        &self,
        receipts: &Receipts,
        loan: &Loan,
        t: &LoanTerms,
        today: Date,
    ) -> Result<Valuation, ContractError> {
        let principal = same_currency(t.principal, loan, "the principal")?;
        if principal > loan.amount.value() {
            return Err(ContractError::InvalidAmount(format!(
                "the principal {} exceeds the {} applied for",
                t.principal, loan.amount
            )));
        }
        if t.penalty_rate < t.annual_rate {
            return Err(ContractError::InvalidRate(format!(
                "the penalty rate {} is below the contractual rate {}",
                t.penalty_rate, t.annual_rate
            )));
        }
        if t.maturity <= today {
            return Err(ContractError::InvalidDate(format!(
                "the maturity {} is not after today, {today}",
                t.maturity
            )));
        }
        if today.days_until(t.maturity) > i64::from(MAX_TENOR_DAYS) {
            return Err(ContractError::InvalidDate(format!(
                "the maturity {} is more than {MAX_TENOR_DAYS} days away",
                t.maturity
            )));
        }
        if t.grace_days > MAX_GRACE_DAYS {
            return Err(ContractError::BadRequest(format!(
                "{} grace days are more than {MAX_GRACE_DAYS}",
                t.grace_days
            )));
        }
        if t.cure_days == 0 || t.cure_days > MAX_CURE_DAYS {
            return Err(ContractError::BadRequest(format!(
                "a cure period of {} days is outside 1 to {MAX_CURE_DAYS}",
                t.cure_days
            )));
        }
        let zero = Decimal::ZERO;
        if !(zero < t.max_ltv.value()
            && t.max_ltv < t.margin_call_ltv
            && t.margin_call_ltv < t.liquidation_ltv)
        {
            return Err(ContractError::InvalidRate(format!(
                "loan-to-value levels must rise strictly above 0: max {} < margin call {} < liquidation {}",
                t.max_ltv, t.margin_call_ltv, t.liquidation_ltv
            )));
        }
        let mut codes = BTreeSet::new();
        for h in &t.haircuts {
            if !codes.insert(&h.hs_code) {
                return Err(ContractError::BadRequest(format!(
                    "HS {} has two haircuts",
                    h.hs_code
                )));
            }
            if h.haircut.value() >= Decimal::ONE {
                return Err(ContractError::InvalidRate(format!(
                    "a haircut of {} on HS {} leaves nothing to lend against",
                    h.haircut, h.hs_code
                )));
            }
        }
        for p in &loan.collateral {
            let hs = &receipts.lot(&receipts.receipt(&p.receipt)?.lot)?.hs_code;
            if !codes.contains(hs) {
                return Err(ContractError::BadRequest(format!(
                    "no haircut is given for HS {hs} (receipt {})",
                    p.receipt
                )));
            }
        }
        let ids: Vec<&RecordId> = loan.collateral.iter().map(|p| &p.receipt).collect();
        let v = self
            .value(receipts, &ids, loan.currency(), |hs| {
                haircut_of(Some(t), hs)
            })?
            .priced()?;
        within_ltv(principal, t.max_ltv.value(), &v, "the principal")?;
        Ok(v)
    }

    fn propose(
        &mut self,
        receipts: &Receipts,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &Propose,
    ) -> Result<Outcome, ContractError> {
        let mut loan = self.loan(&b.loan)?.clone();
        Self::bank_role(signer, &loan, Role::Officer, "proposing terms")?;
        Self::in_status(
            &loan,
            &[LoanStatus::Confirmed, LoanStatus::Proposed],
            "proposing terms",
        )?;
        self.check_terms(receipts, &loan, &b.terms, Date::of(ctx.time))?;
        loan.proposal = Some(Proposal {
            terms: b.terms.clone(),
            by: signer.user.id.clone(),
            at: ctx.index,
        });
        loan.status = LoanStatus::Proposed;
        self.finish(loan, Outcome::default())
    }

    fn approve(
        &mut self,
        receipts: &Receipts,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &LoanRef,
    ) -> Result<Outcome, ContractError> {
        let mut loan = self.loan(&b.loan)?.clone();
        Self::bank_role(signer, &loan, Role::Approver, "approving a loan")?;
        Self::in_status(&loan, &[LoanStatus::Proposed], "approving")?;
        let Some(proposal) = &loan.proposal else {
            return Err(ContractError::InvalidState(format!(
                "loan {} has no terms proposed",
                loan.id
            )));
        };
        if proposal.by == signer.user.id {
            return Err(ContractError::SameUser(format!(
                "{} proposed these terms and cannot also approve them",
                signer.user.id
            )));
        }
        self.check_terms(receipts, &loan, &proposal.terms, Date::of(ctx.time))?;
        loan.status = LoanStatus::Approved;
        loan.approved_by = Some(signer.user.id.clone());
        let n = notice(&loan, &loan.borrower, LoanEvent::Approved);
        self.finish(
            loan,
            Outcome {
                notices: vec![n],
                ..Outcome::default()
            },
        )
    }

    fn reject(
        &mut self,
        receipts: &mut Receipts,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &LoanReason,
    ) -> Result<Outcome, ContractError> {
        let mut loan = self.loan(&b.loan)?.clone();
        Self::bank_role(signer, &loan, Role::Approver, "rejecting a loan")?;
        Self::in_status(
            &loan,
            &[
                LoanStatus::Applied,
                LoanStatus::Confirmed,
                LoanStatus::Proposed,
                LoanStatus::Approved,
            ],
            "rejecting",
        )?;
        if let Some(p) = &loan.proposal
            && p.by == signer.user.id
        {
            return Err(ContractError::SameUser(format!(
                "{} proposed these terms and cannot also decide on them",
                signer.user.id
            )));
        }
        let ids: Vec<RecordId> = loan.receipts().cloned().collect();
        let mut outcome = self.lift_all(receipts, &loan.bank, &ids)?;
        loan.collateral.clear();
        loan.top_ups.clear();
        loan.released
            .extend(ids.into_iter().map(|id| (id, ctx.index)));
        loan.status = LoanStatus::Rejected;
        loan.reason = Some(b.reason.clone());
        loan.closed_at = Some(ctx.index);
        outcome
            .notices
            .push(notice(&loan, &loan.borrower, LoanEvent::Rejected));
        self.finish(loan, outcome)
    }

    fn register(
        &mut self,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &Register,
    ) -> Result<Outcome, ContractError> {
        let mut loan = self.loan(&b.loan)?.clone();
        acts_for(signer, &loan.bank, "recording the pledge's registration")?;
        Self::in_status(&loan, &[LoanStatus::Approved], "recording a registration")?;
        let today = Date::of(ctx.time);
        if b.date > today {
            return Err(ContractError::InvalidDate(format!(
                "the registration date {} is after today, {today}",
                b.date
            )));
        }
        loan.registration = Some(Registration {
            reference: b.reference.clone(),
            date: b.date,
            at: ctx.index,
        });
        self.finish(loan, Outcome::default())
    }

    fn disburse(
        &mut self,
        receipts: &mut Receipts,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &Disburse,
    ) -> Result<Outcome, ContractError> {
        let mut loan = self.loan(&b.loan)?.clone();
        acts_for(signer, &loan.bank, "disbursing a loan")?;
        Self::in_status(&loan, &[LoanStatus::Approved], "disbursing")?;
        if loan.registration.is_none() {
            return Err(ContractError::RegistrationMissing(format!(
                "loan {}'s pledge is not registered with the movable property registry; record the registration first",
                loan.id
            )));
        }
        let Some(terms) = loan.terms().cloned() else {
            return Err(ContractError::InvalidState(format!(
                "loan {} has no terms",
                loan.id
            )));
        };
        let today = Date::of(ctx.time);
        self.check_terms(receipts, &loan, &terms, today)?;
        let ids: Vec<RecordId> = loan.collateral.iter().map(|p| p.receipt.clone()).collect();
        let bank = loan.bank.clone();
        let mut outcome = guarded(receipts, &ids, |receipts| {
            let mut outcome = Outcome::default();
            for id in &ids {
                absorb(&mut outcome, receipts.activate(id, &bank)?);
            }
            Ok(outcome)
        })?;
        let principal = terms.principal.value();
        loan.balances = Balances {
            basis: terms.day_count.basis(),
            disbursed: principal,
            principal,
            accrued_to: Some(today),
            ..Balances::default()
        };
        loan.disbursement = Some((b.reference.clone(), ctx.index, today));
        loan.status = LoanStatus::Active;
        outcome
            .notices
            .push(notice(&loan, &loan.borrower, LoanEvent::Disbursed));
        self.finish(loan, outcome)
    }

    fn instruct(
        &mut self,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &Instruct,
    ) -> Result<Outcome, ContractError> {
        let mut loan = self.loan(&b.loan)?.clone();
        acts_for(signer, &loan.borrower, "instructing a repayment")?;
        Self::in_status(
            &loan,
            &[
                LoanStatus::Active,
                LoanStatus::Defaulted,
                LoanStatus::Enforced,
            ],
            "instructing a repayment",
        )?;
        let amount = same_currency(b.amount, &loan, "a repayment instruction")?;
        let today = Date::of(ctx.time);
        let (penalty, interest, principal) = loan.owed_on(today);
        let owed = penalty + interest + principal;
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
        self.finish(
            loan,
            Outcome {
                notices: vec![n],
                ..Outcome::default()
            },
        )
    }

    fn repay(
        &mut self,
        receipts: &mut Receipts,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &Repay,
    ) -> Result<Outcome, ContractError> {
        let mut loan = self.loan(&b.loan)?.clone();
        acts_for(signer, &loan.bank, "recording a repayment")?;
        Self::in_status(
            &loan,
            &[
                LoanStatus::Active,
                LoanStatus::Defaulted,
                LoanStatus::Enforced,
            ],
            "repaying",
        )?;
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
            absorb(&mut outcome, self.lift_all(receipts, &loan.bank, &top_ups)?);
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

    fn release(
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
        let mut outcome = self.lift_all(receipts, &loan.bank, &b.receipts)?;
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

    fn top_up(
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
        let (pledges, mut outcome) = self.offer(
            members,
            receipts,
            ctx,
            &loan.id,
            &loan.borrower,
            &loan.bank,
            &b.receipts,
        )?;
        for p in &pledges {
            self.pledged.insert(p.receipt.clone(), loan.id.clone());
            outcome
                .notices
                .push(notice(&loan, &p.warehouse, LoanEvent::ConfirmationNeeded));
        }
        outcome.notices.dedup();
        loan.top_ups.extend(pledges);
        self.finish(loan, outcome)
    }

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

    fn declare_default(
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
        self.finish(
            loan,
            Outcome {
                notices: vec![n],
                ..Outcome::default()
            },
        )
    }

    fn enforce(
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
        for id in &ids {
            self.pledged.remove(id);
        }
        absorb(&mut outcome, self.lift_all(receipts, &bank, &top_ups)?);
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

    fn write_off(
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
        let (penalty, interest, principal) = loan.balances.owed(loan.currency());
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

    fn publish(
        &mut self,
        receipts: &Receipts,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &PublishPrice,
    ) -> Result<Outcome, ContractError> {
        let org = signer.user.org.clone();
        if signer.org.kind != OrgKind::Bank && !self.sources.contains(&org) {
            return Err(ContractError::Forbidden(format!(
                "{org} is not a price source: banks publish prices, and others only when the operator designates them"
            )));
        }
        acts_for(signer, &org, "publishing a price")?;
        positive(b.price, "a price")?;
        let key = (
            b.hs_code.clone(),
            b.grade
                .as_ref()
                .map(|g| g.as_str().to_owned())
                .unwrap_or_default(),
        );
        let price = Price {
            unit: b.unit,
            price: b.price,
            by: org.clone(),
            at: ctx.index,
            time: ctx.time,
        };
        self.history.push((key.clone(), price.clone()));
        self.prices.insert(key, price);
        let mut outcome = Outcome::default();
        outcome.parties.insert(org.clone());
        outcome.touched.push(Touched::Price(b.hs_code.clone()));
        let affected: Vec<RecordId> = self
            .loans
            .values()
            .filter(|l| l.status == LoanStatus::Active)
            .filter(|l| {
                l.collateral.iter().any(|p| {
                    receipts
                        .receipt(&p.receipt)
                        .and_then(|r| receipts.lot(&r.lot))
                        .is_ok_and(|lot| lot.hs_code == b.hs_code)
                })
            })
            .map(|l| l.id.clone())
            .collect();
        for id in affected {
            self.revalue_by_id(receipts, &id, ctx, &mut outcome);
        }
        Ok(outcome)
    }

    fn designate(
        &mut self,
        members: &Membership,
        signer: &Signer<'_>,
        b: &Designate,
    ) -> Result<Outcome, ContractError> {
        if signer.org.kind != OrgKind::Operator || !signer.holds(Role::Admin, &signer.user.org) {
            return Err(ContractError::Forbidden(
                "only the operator's admin designates price sources".to_owned(),
            ));
        }
        members.org(&b.org)?;
        if b.source {
            self.sources.insert(b.org.clone());
        } else {
            self.sources.remove(&b.org);
        }
        Ok(Outcome::touching(
            [b.org.clone()],
            [Touched::PriceSource(b.org.clone())],
        ))
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

    fn revalue_by_id(
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
    fn revalue(
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
        Some(need.max(Decimal::ZERO).round_dp_with_strategy(
            loan.currency().places(),
            rust_decimal::RoundingStrategy::AwayFromZero,
        ))
    }
}

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

fn within_ltv(
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

/// Where a receipt offered to a loan sits: in the application or in a
/// top-up, by position.
#[derive(Debug, Clone, Copy)]
enum Offer {
    Application(usize),
    TopUp(usize),
}

/// Finds `receipt` among the loan's offered receipts, still waiting for its
/// warehouse, whose user `signer` must be: what confirming and declining
/// both check first.
fn unconfirmed_offer(
    loan: &Loan,
    receipt: &RecordId,
    signer: &Signer<'_>,
    action: &str,
) -> Result<Offer, ContractError> {
    let find = |list: &[Pledge]| list.iter().position(|p| &p.receipt == receipt);
    let found = find(&loan.collateral)
        .map(|i| (Offer::Application(i), loan.collateral.get(i)))
        .or_else(|| find(&loan.top_ups).map(|i| (Offer::TopUp(i), loan.top_ups.get(i))));
    let Some((offer, Some(pledge))) = found else {
        return Err(ContractError::NotFound(format!(
            "receipt {receipt} is not offered for loan {}",
            loan.id
        )));
    };
    acts_for(signer, &pledge.warehouse, action)?;
    if pledge.confirmed_at.is_some() {
        return Err(ContractError::InvalidState(format!(
            "receipt {receipt} is already confirmed for loan {}",
            loan.id
        )));
    }
    Ok(offer)
}

#[cfg(test)]
mod tests;
