//! Live figures of loans read from the projection: collateral valued at
//! the latest prices, loan-to-value, what is owed today, what cures a
//! margin call, and the repayment schedule. The contract's own functions
//! compute them, over just the rows a loan needs, so a read never disagrees
//! with what the contract would decide.

use std::collections::BTreeSet;

use godown_domain::financing::{Financing, Loan, LoanStatus, Valuation};
use godown_domain::{Date, Receipts, RecordId};
use rust_decimal::Decimal;
use sea_orm::ConnectionTrait;

use crate::store::{StoreError, loans, receipts};

/// The rows a set of loans' figures are computed over: their receipts and
/// lots, and the latest prices.
#[derive(Debug, Clone, Default)]
pub struct Market {
    /// The loans' receipts and their lots.
    pub receipts: Receipts,
    /// The latest prices (no loans).
    pub financing: Financing,
}

impl Market {
    /// Loads what `loans` need, plus the receipts named in `extra`.
    pub async fn load<C: ConnectionTrait>(
        conn: &C,
        loans: &[&Loan],
        extra: &[RecordId],
    ) -> Result<Self, StoreError> {
        let ids: BTreeSet<&RecordId> = loans
            .iter()
            .flat_map(|l| l.receipts())
            .chain(extra)
            .collect();
        let mut market = Self::default();
        market.receipts.receipts = receipts::receipts_by_id(conn, ids).await?;
        market.receipts.lots =
            receipts::lots_by_id(conn, market.receipts.receipts.values().map(|r| &r.lot)).await?;
        for (key, price) in loans::latest_prices(conn).await? {
            market.financing.prices.insert(key, price);
        }
        Ok(market)
    }

    /// The loan's collateral at the latest prices; `None` if a receipt or
    /// lot row is missing.
    pub fn valuation(&self, loan: &Loan) -> Option<Valuation> {
        self.financing.valuation(&self.receipts, loan).ok()
    }

    /// The loan's figures on `today`.
    pub fn figures(&self, loan: &Loan, today: Date) -> Figures {
        let valuation = self.valuation(loan);
        let (penalty, interest, principal) = loan.owed_on(today);
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
    let (penalty, interest, principal) = if loan.disbursement.is_some() {
        loan.owed_on(date)
    } else {
        (Decimal::ZERO, Decimal::ZERO, terms.principal.value())
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
