//! The financing contract's projection rows: loans as of the latest entry,
//! who may see each loan, which entries concern it, the latest prices,
//! every price published and the designated price sources. Rows hold the
//! columns queries filter on, and the whole record as JSON.

use std::collections::{BTreeMap, BTreeSet};

use godown_domain::financing::{Financing, Loan, LoanStatus, Price, PriceKey};
use godown_domain::{HsCode, OrgId, RecordId};
use sea_orm::sea_query::{OnConflict, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait as _, Condition, ConnectionTrait, EntityTrait as _,
    PaginatorTrait as _, QueryFilter as _, QueryOrder as _, QuerySelect as _,
};

use super::StoreError;
use super::entity::{
    loan_events, loan_parties, loan_reminders, loans, price_history, price_sources, prices,
};
use super::ledger::{to_i64, to_u64};

fn json<T: serde::Serialize>(value: &T, table: &'static str) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::corrupt(table, e))
}

fn loan_row(row: &loans::Model) -> Result<Loan, StoreError> {
    let loan: Loan =
        serde_json::from_str(&row.detail).map_err(|e| StoreError::corrupt("loans", e))?;
    let columns_agree = loan.id.as_str() == row.id
        && loan.bank.as_str() == row.bank
        && loan.borrower.as_str() == row.borrower
        && loan.status.as_str() == row.status
        && loan.currency().as_str() == row.currency
        && i64::try_from(loan.applied_at).ok() == Some(row.applied_at);
    if !columns_agree {
        return Err(StoreError::corrupt(
            "loans",
            format!("row {} disagrees with its detail", row.id),
        ));
    }
    Ok(loan)
}

fn price_row(
    hs_code: &str,
    grade: &str,
    detail: &str,
    table: &'static str,
) -> Result<(PriceKey, Price), StoreError> {
    let price: Price = serde_json::from_str(detail).map_err(|e| StoreError::corrupt(table, e))?;
    let hs = HsCode::parse(hs_code).map_err(|e| StoreError::corrupt(table, e))?;
    Ok(((hs, grade.to_owned()), price))
}

/// Rewrites a loan's row and who may see it.
pub async fn write_loan<C: ConnectionTrait>(conn: &C, loan: &Loan) -> Result<(), StoreError> {
    loans::Entity::insert(loans::ActiveModel {
        id: Set(loan.id.to_string()),
        bank: Set(loan.bank.to_string()),
        borrower: Set(loan.borrower.to_string()),
        status: Set(loan.status.as_str().to_owned()),
        currency: Set(loan.currency().as_str().to_owned()),
        applied_at: Set(to_i64(loan.applied_at, "loans")?),
        detail: Set(json(loan, "loans")?),
    })
    .on_conflict(
        OnConflict::column(loans::Column::Id)
            .update_columns([loans::Column::Status, loans::Column::Detail])
            .to_owned(),
    )
    .exec(conn)
    .await?;
    loan_parties::Entity::delete_many()
        .filter(loan_parties::Column::Loan.eq(loan.id.as_str()))
        .exec(conn)
        .await?;
    let rows: Vec<_> = loan
        .parties()
        .into_iter()
        .map(|org| loan_parties::ActiveModel {
            loan: Set(loan.id.to_string()),
            org: Set(org.to_string()),
        })
        .collect();
    if !rows.is_empty() {
        loan_parties::Entity::insert_many(rows).exec(conn).await?;
    }
    Ok(())
}

/// Rewrites the latest prices of a commodity, and records the prices of it
/// published from entry `since` on.
pub async fn write_prices<C: ConnectionTrait>(
    conn: &C,
    state: &Financing,
    hs: &HsCode,
    since: u64,
) -> Result<(), StoreError> {
    for ((code, grade), price) in state.prices.iter().filter(|((c, _), _)| c == hs) {
        prices::Entity::insert(prices::ActiveModel {
            hs_code: Set(code.to_string()),
            grade: Set(grade.clone()),
            detail: Set(json(price, "prices")?),
        })
        .on_conflict(
            OnConflict::columns([prices::Column::HsCode, prices::Column::Grade])
                .update_column(prices::Column::Detail)
                .to_owned(),
        )
        .exec(conn)
        .await?;
    }
    let fresh = state
        .history
        .iter()
        .rev()
        .take_while(|(_, p)| p.at >= since)
        .filter(|((c, _), _)| c == hs);
    for ((code, grade), price) in fresh {
        price_history::Entity::insert(price_history::ActiveModel {
            entry_idx: Set(to_i64(price.at, "price_history")?),
            hs_code: Set(code.to_string()),
            grade: Set(grade.clone()),
            detail: Set(json(price, "price_history")?),
        })
        .on_conflict_do_nothing()
        .exec(conn)
        .await?;
    }
    Ok(())
}

/// Makes `org`'s price-source row say what the state says.
pub async fn write_source<C: ConnectionTrait>(
    conn: &C,
    state: &Financing,
    org: &OrgId,
) -> Result<(), StoreError> {
    if state.sources.contains(org) {
        price_sources::Entity::insert(price_sources::ActiveModel {
            org: Set(org.to_string()),
        })
        .on_conflict_do_nothing()
        .exec(conn)
        .await?;
    } else {
        price_sources::Entity::delete_by_id(org.to_string())
            .exec(conn)
            .await?;
    }
    Ok(())
}

record_index!(loan_events, loan_parties, loan, "loan");

/// The whole projection, as rows say it is. Which receipts are pledged is
/// read from their encumbrances, so nothing more is stored for it.
pub async fn load<C: ConnectionTrait>(conn: &C) -> Result<Financing, StoreError> {
    let mut state = Financing::default();
    for row in loans::Entity::find().all(conn).await? {
        let loan = loan_row(&row)?;
        state.loans.insert(loan.id.clone(), loan);
    }
    for row in prices::Entity::find().all(conn).await? {
        let (key, price) = price_row(&row.hs_code, &row.grade, &row.detail, "prices")?;
        state.prices.insert(key, price);
    }
    for row in price_history::Entity::find()
        .order_by_asc(price_history::Column::EntryIdx)
        .all(conn)
        .await?
    {
        let (key, price) = price_row(&row.hs_code, &row.grade, &row.detail, "price_history")?;
        if i64::try_from(price.at).ok() != Some(row.entry_idx) {
            return Err(StoreError::corrupt(
                "price_history",
                format!("row {} disagrees with its detail", row.entry_idx),
            ));
        }
        state.history.push((key, price));
    }
    for row in price_sources::Entity::find().all(conn).await? {
        state
            .sources
            .insert(OrgId::parse(&row.org).map_err(|e| StoreError::corrupt("price_sources", e))?);
    }
    Ok(state)
}

/// The first difference between the rows and a replayed state: `None`
/// when they agree.
pub fn first_difference(rows: &Financing, replayed: &Financing) -> Option<String> {
    fn compare<K: Ord + std::fmt::Debug, V: PartialEq + std::fmt::Debug>(
        table: &str,
        rows: &BTreeMap<K, V>,
        replayed: &BTreeMap<K, V>,
    ) -> Option<String> {
        super::first_row_difference(table, rows, replayed, |id| format!("{id:?}"))
    }
    let history = |h: &[(PriceKey, Price)]| -> BTreeMap<u64, (PriceKey, Price)> {
        h.iter()
            .map(|(k, p)| (p.at, (k.clone(), p.clone())))
            .collect()
    };
    let sources = |s: &BTreeSet<OrgId>| -> BTreeMap<String, bool> {
        s.iter().map(|o| (o.to_string(), true)).collect()
    };
    compare("loans", &rows.loans, &replayed.loans)
        .or_else(|| compare("prices", &rows.prices, &replayed.prices))
        .or_else(|| {
            compare(
                "price_history",
                &history(&rows.history),
                &history(&replayed.history),
            )
        })
        .or_else(|| {
            compare(
                "price_sources",
                &sources(&rows.sources),
                &sources(&replayed.sources),
            )
        })
}

/// One loan.
pub async fn loan<C: ConnectionTrait>(conn: &C, id: &str) -> Result<Option<Loan>, StoreError> {
    loans::Entity::find_by_id(id.to_owned())
        .one(conn)
        .await?
        .map(|row| loan_row(&row))
        .transpose()
}

/// What a loans listing filters on.
#[derive(Debug, Clone, Default)]
pub struct LoanFilter {
    /// In any of these statuses; empty for all.
    pub statuses: Vec<LoanStatus>,
    /// Lent by this bank.
    pub bank: Option<String>,
    /// Borrowed by this organisation.
    pub borrower: Option<String>,
    /// Only loans this organisation is party to; `None` for all.
    pub visible_to: Option<String>,
}

impl LoanFilter {
    fn condition(&self) -> Condition {
        use loans::Column as C;
        let mut c = Condition::all();
        if !self.statuses.is_empty() {
            c = c.add(C::Status.is_in(self.statuses.iter().map(|s| s.as_str())));
        }
        if let Some(b) = &self.bank {
            c = c.add(C::Bank.eq(b.as_str()));
        }
        if let Some(b) = &self.borrower {
            c = c.add(C::Borrower.eq(b.as_str()));
        }
        if let Some(org) = &self.visible_to {
            c = c.add(
                C::Id.in_subquery(
                    Query::select()
                        .column(loan_parties::Column::Loan)
                        .from(loan_parties::Entity)
                        .and_where(loan_parties::Column::Org.eq(org.as_str()))
                        .to_owned(),
                ),
            );
        }
        c
    }
}

filtered_list!(
    count_loans,
    loans_page,
    loans,
    LoanFilter,
    Loan,
    loan_row,
    "loans",
    AppliedAt,
    Id
);

/// Every loan a filter matches, for summaries.
pub async fn all_loans<C: ConnectionTrait>(
    conn: &C,
    filter: &LoanFilter,
) -> Result<Vec<Loan>, StoreError> {
    loans::Entity::find()
        .filter(filter.condition())
        .order_by_asc(loans::Column::AppliedAt)
        .all(conn)
        .await?
        .iter()
        .map(loan_row)
        .collect()
}

/// The entries that concern a loan, in log order.
pub async fn events_of<C: ConnectionTrait>(conn: &C, loan: &str) -> Result<Vec<u64>, StoreError> {
    loan_events::Entity::find()
        .filter(loan_events::Column::Loan.eq(loan))
        .order_by_asc(loan_events::Column::EntryIdx)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| to_u64(row.entry_idx, "loan_events"))
        .collect()
}

/// The latest prices.
pub async fn latest_prices<C: ConnectionTrait>(
    conn: &C,
) -> Result<Vec<(PriceKey, Price)>, StoreError> {
    prices::Entity::find()
        .order_by_asc(prices::Column::HsCode)
        .order_by_asc(prices::Column::Grade)
        .all(conn)
        .await?
        .iter()
        .map(|row| price_row(&row.hs_code, &row.grade, &row.detail, "prices"))
        .collect()
}

/// The prices published for a commodity (any grade when `grade` is
/// `None`), oldest first, at most `limit` of the latest.
pub async fn price_history<C: ConnectionTrait>(
    conn: &C,
    hs_code: &str,
    grade: Option<&str>,
    limit: u64,
) -> Result<Vec<(PriceKey, Price)>, StoreError> {
    let mut q = price_history::Entity::find().filter(price_history::Column::HsCode.eq(hs_code));
    if let Some(g) = grade {
        q = q.filter(price_history::Column::Grade.eq(g));
    }
    let mut rows: Vec<(PriceKey, Price)> = q
        .order_by_desc(price_history::Column::EntryIdx)
        .limit(limit)
        .all(conn)
        .await?
        .iter()
        .map(|row| price_row(&row.hs_code, &row.grade, &row.detail, "price_history"))
        .collect::<Result<_, _>>()?;
    rows.reverse();
    Ok(rows)
}

/// The organisations designated to publish prices.
pub async fn sources<C: ConnectionTrait>(conn: &C) -> Result<BTreeSet<OrgId>, StoreError> {
    price_sources::Entity::find()
        .all(conn)
        .await?
        .iter()
        .map(|row| OrgId::parse(&row.org).map_err(|e| StoreError::corrupt("price_sources", e)))
        .collect()
}

/// Records that a reminder of `event` was queued for `loan`: `false` if it
/// already was, so each reminder is queued once.
pub async fn claim_reminder<C: ConnectionTrait>(
    conn: &C,
    loan: &str,
    event: &str,
    now_ms: i64,
) -> Result<bool, StoreError> {
    let result = loan_reminders::Entity::insert(loan_reminders::ActiveModel {
        loan: Set(loan.to_owned()),
        event: Set(event.to_owned()),
        sent_ms: Set(now_ms),
    })
    .on_conflict_do_nothing()
    .exec_without_returning(conn)
    .await?;
    Ok(matches!(result, sea_orm::TryInsertResult::Inserted(1)))
}
