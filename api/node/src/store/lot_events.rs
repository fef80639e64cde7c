//! Which entries concern each lot: its signed history (the goods received,
//! certified, counted and adjusted), for those who may see the lot.

use std::collections::BTreeSet;

use godown_domain::RecordId;
use sea_orm::{
    ActiveValue::Set, ColumnTrait as _, ConnectionTrait, EntityTrait as _, PaginatorTrait as _,
    QueryFilter as _, QueryOrder as _,
};

use super::StoreError;
use super::entity::lot_events;
use super::ledger::{to_i64, to_u64};

record_events!(lot_events, lot, "lot");

/// The entries that concern a lot, oldest first.
pub async fn events_of<C: ConnectionTrait>(conn: &C, lot: &str) -> Result<Vec<u64>, StoreError> {
    lot_events::Entity::find()
        .filter(lot_events::Column::Lot.eq(lot))
        .order_by_asc(lot_events::Column::EntryIdx)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| to_u64(row.entry_idx, "lot_events"))
        .collect()
}

/// Whether no lot history is kept yet: a ledger written before lots had
/// one, which the node fills from its replay at start.
pub async fn is_empty<C: ConnectionTrait>(conn: &C) -> Result<bool, StoreError> {
    Ok(lot_events::Entity::find().count(conn).await? == 0)
}
