//! A loan's figures as reads show them: collateral valued at the latest
//! prices, loan-to-value, what is owed today, what cures a margin call, the
//! repayment schedule, the LTV at every price since disbursement, and a
//! bank's book. They are computed by the contract's own functions over a
//! [`Market`] holding just the rows the loans need (the node loads it), so a
//! read never disagrees with what the contract would decide.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use super::{Financing, Loan, LoanStatus, Owed, Pledge, Price, PriceKey, Valuation};
use crate::{Currency, Date, HsCode, Money, Receipts, Timestamp};

/// The rows a set of loans' figures are computed over: their receipts and
/// lots, and the latest prices. The node fills it from its store.
#[derive(Debug, Clone, Default)]
pub struct Market {
    /// The loans' receipts and their lots.
    pub receipts: Receipts,
    /// The latest prices (no loans).
    pub financing: Financing,
}

impl Market {
    /// The loan's collateral at the latest prices; `None` if a receipt or
    /// lot row is missing.
    pub fn valuation(&self, loan: &Loan) -> Option<Valuation> {
        self.financing.valuation(&self.receipts, loan).ok()
    }

    /// The loan's figures on `today`.
    pub fn figures(&self, loan: &Loan, today: Date) -> Figures {
        let valuation = self.valuation(loan);
        let Owed {
            penalty,
            interest,
            principal,
        } = loan.owed_on(today);
        let ltv = valuation.as_ref().and_then(|v| v.ltv(loan_principal(loan)));
        Figures {
            cure: loan
                .open_margin_call()
                .and(self.financing.cure_amount(&self.receipts, loan)),
            valuation,
            ltv,
            penalty,
            interest,
            principal,
            overdue: loan.overdue_on(today),
            today,
        }
    }
}

/// The principal an LTV is of: outstanding once disbursed, else the
/// principal proposed, else the amount applied for.
pub fn loan_principal(loan: &Loan) -> Decimal {
    if loan.disbursement.is_some() {
        loan.balances.principal
    } else if let Some(t) = loan.terms() {
        t.principal.value()
    } else {
        loan.amount.value()
    }
}

/// A loan's live figures.
#[derive(Debug, Clone)]
pub struct Figures {
    /// The collateral's value.
    pub valuation: Option<Valuation>,
    /// Loan-to-value.
    pub ltv: Option<Decimal>,
    /// Penalty owed today, rounded as a posting would.
    pub penalty: Decimal,
    /// Interest owed today.
    pub interest: Decimal,
    /// Principal outstanding.
    pub principal: Decimal,
    /// What cures the open margin call by repayment.
    pub cure: Option<Decimal>,
    /// Whether the loan is past maturity and unpaid.
    pub overdue: bool,
    /// The day the figures are for.
    pub today: Date,
}

/// One line of a repayment schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleLine {
    /// The date: a payment's value date, or when it falls due.
    pub date: Date,
    /// `paid`, `due` or `overdue`.
    pub kind: &'static str,
    /// Principal.
    pub principal: Decimal,
    /// Interest.
    pub interest: Decimal,
    /// Penalty interest.
    pub penalty: Decimal,
    /// The payment's reference, for paid lines.
    pub reference: Option<String>,
}

/// The repayment schedule: what was paid, then what falls due. Loans are
/// bullet loans: principal and interest fall due at maturity; once past it,
/// today's figures with penalty.
pub fn schedule(loan: &Loan, today: Date) -> Vec<ScheduleLine> {
    let mut lines: Vec<ScheduleLine> = loan
        .payments
        .iter()
        .map(|p| ScheduleLine {
            date: p.on,
            kind: "paid",
            principal: p.allocation.principal,
            interest: p.allocation.interest,
            penalty: p.allocation.penalty,
            reference: Some(p.reference.to_string()),
        })
        .collect();
    let Some(terms) = loan.terms() else {
        return lines;
    };
    let owes = loan.status.owes() || loan.status == LoanStatus::Approved;
    if !owes {
        return lines;
    }
    let (date, kind) = if today > terms.maturity {
        (today, "overdue")
    } else {
        (terms.maturity, "due")
    };
    let Owed {
        penalty,
        interest,
        principal,
    } = if loan.disbursement.is_some() {
        loan.owed_on(date)
    } else {
        Owed {
            principal: terms.principal.value(),
            ..Owed::default()
        }
    };
    lines.push(ScheduleLine {
        date,
        kind,
        principal,
        interest,
        penalty,
        reference: None,
    });
    lines
}

/// The loan-to-value at one published price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LtvPoint {
    /// The entry that published the price.
    pub at: u64,
    /// Its time.
    pub time: Timestamp,
    /// The commodity.
    pub hs_code: HsCode,
    /// The price published.
    pub price: Money,
    /// Principal outstanding then.
    pub principal: Decimal,
    /// The collateral's lending value then.
    pub value: Decimal,
    /// Loan-to-value then.
    pub ltv: Option<Decimal>,
}

/// The loan's LTV at each of `prices` (every price published for its
/// collateral's commodities, in entry order) since it was disbursed, against
/// the principal then outstanding and the receipts pledged then: each point
/// uses every price known at its entry. `market` must hold the receipts
/// the loan has released too.
pub fn series(loan: &Loan, market: &Market, prices: Vec<(PriceKey, Price)>) -> Vec<LtvPoint> {
    let Some((_, disbursed_at, _)) = &loan.disbursement else {
        return vec![];
    };
    let mut known = Financing::default();
    let mut out = Vec::new();
    for (key, price) in prices {
        let at = price.at;
        known.prices.insert(key.clone(), price.clone());
        if at < *disbursed_at {
            continue;
        }
        // The receipts pledged at that entry: confirmed by then, or
        // released only later.
        let mut then = loan.clone();
        then.collateral
            .retain(|p| p.confirmed_at.is_some_and(|c| c <= at));
        for (r, released_at) in &loan.released {
            if *released_at > at
                && let Some(receipt) = market.receipts.receipts.get(r)
            {
                then.collateral.push(Pledge {
                    receipt: r.clone(),
                    warehouse: receipt.warehouse.clone(),
                    offered_at: *disbursed_at,
                    confirmed_at: Some(*disbursed_at),
                });
            }
        }
        let repaid: Decimal = loan
            .payments
            .iter()
            .filter(|p| p.at <= at)
            .map(|p| p.allocation.principal)
            .sum();
        let principal = loan.balances.disbursed - repaid;
        let Ok(v) = known.valuation(&market.receipts, &then) else {
            continue;
        };
        out.push(LtvPoint {
            at,
            time: price.time,
            hs_code: key.0,
            price: price.price,
            principal,
            value: v.value,
            ltv: v.ltv(principal),
        });
    }
    out
}

/// A bank's book in one currency.
#[derive(Debug, Clone, Default)]
pub struct Book {
    /// Loans running: active or defaulted.
    pub running: usize,
    /// Applications waiting for the bank: confirmed or proposed.
    pub queue: usize,
    /// Principal outstanding on running loans.
    pub principal: Decimal,
    /// Their collateral's market value.
    pub market: Decimal,
    /// Their collateral's lending value.
    pub value: Decimal,
    /// Exposure by commodity.
    pub exposure: BTreeMap<HsCode, Exposure>,
    /// Loans with an open margin call, with their figures.
    pub in_margin_call: Vec<(Loan, Figures)>,
    /// Loans past maturity and unpaid, with their figures.
    pub overdue: Vec<(Loan, Figures)>,
}

/// A book's exposure to one commodity.
#[derive(Debug, Clone, Default)]
pub struct Exposure {
    /// The commodity's name, as its lots give it.
    pub commodity: String,
    /// The running loans it secures.
    pub loans: usize,
    /// Principal outstanding, shared among a loan's commodities in
    /// proportion to their lending value.
    pub principal: Decimal,
    /// Market value.
    pub market: Decimal,
    /// Lending value.
    pub value: Decimal,
}

/// Sums loans into one book per currency, with their figures on `today`.
pub fn books(loans: &[Loan], market: &Market, today: Date) -> BTreeMap<Currency, Book> {
    let mut books: BTreeMap<Currency, Book> = BTreeMap::new();
    for l in loans {
        books.entry(l.currency()).or_default().add(l, market, today);
    }
    books
}

impl Book {
    fn add(&mut self, l: &Loan, market: &Market, today: Date) {
        if matches!(l.status, LoanStatus::Confirmed | LoanStatus::Proposed) {
            self.queue += 1;
        }
        if !matches!(l.status, LoanStatus::Active | LoanStatus::Defaulted) {
            return;
        }
        let f = market.figures(l, today);
        self.running += 1;
        let principal = loan_principal(l);
        self.principal += principal;
        if let Some(v) = &f.valuation {
            self.market += v.market;
            self.value += v.value;
            let mut seen = BTreeSet::new();
            for line in &v.lines {
                let e = self.exposure.entry(line.hs_code.clone()).or_default();
                if e.commodity.is_empty() {
                    e.commodity = market
                        .receipts
                        .receipts
                        .get(&line.receipt)
                        .and_then(|r| market.receipts.lots.get(&r.lot))
                        .map(|lot| lot.commodity.to_string())
                        .unwrap_or_default();
                }
                if seen.insert(&line.hs_code) {
                    e.loans += 1;
                }
                if !v.value.is_zero() {
                    e.principal += principal * line.value / v.value;
                }
                e.market += line.market;
                e.value += line.value;
            }
        }
        if l.open_margin_call().is_some() {
            self.in_margin_call.push((l.clone(), f.clone()));
        }
        if f.overdue {
            self.overdue.push((l.clone(), f));
        }
    }
}
