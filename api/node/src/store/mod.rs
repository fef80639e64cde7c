//! Everything the node keeps in its database: the log (entries, tree nodes,
//! head, checkpoints, outbox), the projections the contracts maintain, and
//! off-ledger session state. SQLite by default, PostgreSQL when configured.

/// Which entries concern each record of a kind (`<kind>_events`, for its
/// signed history): the writes, and the read `godown verify` compares with
/// the replayed log. One definition for receipts, loans and lots.
macro_rules! record_events {
    ($events:ident, $field:ident, $what:literal) => {
        #[doc = concat!("Records that entries concern ", $what, "s.")]
        pub async fn insert_events<C: ConnectionTrait>(
            conn: &C,
            events: &[(RecordId, u64)],
        ) -> Result<(), StoreError> {
            let rows = events
                .iter()
                .map(|(record, index)| {
                    Ok($events::ActiveModel {
                        $field: Set(record.to_string()),
                        entry_idx: Set(to_i64(*index, stringify!($events))?),
                    })
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            for chunk in rows.chunks(1000) {
                $events::Entity::insert_many(chunk.to_vec())
                    .on_conflict_do_nothing()
                    .exec(conn)
                    .await?;
            }
            Ok(())
        }

        #[doc = concat!("Every event row, as `(", $what, ", entry)`, for `godown verify`.")]
        pub async fn all_events<C: ConnectionTrait>(
            conn: &C,
        ) -> Result<BTreeSet<(String, u64)>, StoreError> {
            $events::Entity::find()
                .all(conn)
                .await?
                .into_iter()
                .map(|row| Ok((row.$field, to_u64(row.entry_idx, stringify!($events))?)))
                .collect()
        }
    };
}

/// What receipts and loans keep beside their own rows: which entries
/// concern them ([`record_events`]) and which organisations are their
/// parties (`<kind>_parties`, for who may see them).
macro_rules! record_index {
    ($events:ident, $parties:ident, $field:ident, $what:literal) => {
        record_events!($events, $field, $what);

        #[doc = concat!("Every party row, as `(", $what, ", org)`, for `godown verify`.")]
        pub async fn all_parties<C: ConnectionTrait>(
            conn: &C,
        ) -> Result<BTreeSet<(String, String)>, StoreError> {
            Ok($parties::Entity::find()
                .all(conn)
                .await?
                .into_iter()
                .map(|row| (row.$field, row.org))
                .collect())
        }
    };
}

/// A list that reads pages: how many records a filter matches, and a page
/// of them, newest first (by `$newest`, then `$tie` where two are as new).
/// One definition for loans, receipts and lots.
macro_rules! filtered_list {
    ($count:ident, $page:ident, $entity:ident, $filter:ty, $record:ty, $row:ident, $what:literal,
     $newest:ident $(, $tie:ident)?) => {
        #[doc = concat!("How many ", $what, " a filter matches.")]
        pub async fn $count<C: ConnectionTrait>(
            conn: &C,
            filter: &$filter,
        ) -> Result<u64, StoreError> {
            Ok($entity::Entity::find()
                .filter(filter.condition())
                .count(conn)
                .await?)
        }

        #[doc = concat!("A page of the ", $what, " a filter matches, newest first.")]
        pub async fn $page<C: ConnectionTrait>(
            conn: &C,
            filter: &$filter,
            offset: u64,
            limit: u64,
        ) -> Result<Vec<$record>, StoreError> {
            $entity::Entity::find()
                .filter(filter.condition())
                .order_by_desc($entity::Column::$newest)
                $(.order_by_asc($entity::Column::$tie))?
                .offset(offset)
                .limit(limit)
                .all(conn)
                .await?
                .iter()
                .map($row)
                .collect()
        }
    };
}

pub mod cosignatures;
pub mod db;
pub(crate) mod entity;
pub mod ledger;
pub mod loans;
pub mod lot_events;
pub mod nodes;
pub mod projection;
pub mod receipts;
pub mod sessions;

pub use db::{Database, StoreError};

/// The first row of `rows` that differs from the replayed state, in `table`,
/// naming each key with `show`: `None` when they agree. What every
/// projection's `first_difference` is made of.
pub(crate) fn first_row_difference<K: Ord, V: PartialEq + std::fmt::Debug>(
    table: &str,
    rows: &std::collections::BTreeMap<K, V>,
    replayed: &std::collections::BTreeMap<K, V>,
    show: impl Fn(&K) -> String,
) -> Option<String> {
    for (id, value) in replayed {
        match rows.get(id) {
            None => return Some(format!("{table} row {} is missing", show(id))),
            Some(row) if row != value => {
                return Some(format!(
                    "{table} row {} is {row:?}; the log says {value:?}",
                    show(id)
                ));
            }
            Some(_) => {}
        }
    }
    rows.keys()
        .find(|id| !replayed.contains_key(*id))
        .map(|id| format!("{table} row {} has no entry behind it", show(id)))
}
