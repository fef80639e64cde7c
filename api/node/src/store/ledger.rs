//! The log's tables: the ledger's identity, its head, entries and their
//! parties, checkpoints and the outbox.

use godown_domain::OrgId;
use godown_ledger::Hash;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait as _, ConnectionTrait, EntityTrait as _, QueryFilter as _,
    QueryOrder as _, QuerySelect as _,
};

use super::StoreError;
use super::entity::{checkpoints, entries, entry_parties, ledger_meta, log_head, outbox};

/// The ledger's identity, fixed at genesis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerMeta {
    /// The origin line of every checkpoint.
    pub origin: String,
    /// The log's verifier key, so a node started with another log key
    /// refuses to sign for this ledger.
    pub log_vkey: String,
}

/// An entry as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEntry {
    /// Its index.
    pub index: u64,
    /// The canonical entry bytes.
    pub leaf: Vec<u8>,
    /// `SHA-256(0x00 || leaf)`.
    pub leaf_hash: Hash,
    /// The transaction type.
    pub tx_type: String,
    /// The signing key's bytes.
    pub signer: [u8; 32],
    /// The transaction's nonce.
    pub nonce: String,
    /// The sequencing time.
    pub time: String,
}

/// A checkpoint as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCheckpoint {
    /// Tree size.
    pub size: u64,
    /// Root at that size.
    pub root: Hash,
    /// The signed note.
    pub note: String,
}

/// A notification waiting to be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxItem {
    /// Its id.
    pub id: i64,
    /// The entry that caused it.
    pub entry: u64,
    /// What kind of notification.
    pub kind: String,
    /// Its content, JSON.
    pub payload: String,
    /// Attempts so far.
    pub attempts: i32,
}

pub(crate) fn to_i64(value: u64, table: &'static str) -> Result<i64, StoreError> {
    i64::try_from(value).map_err(|_| StoreError::corrupt(table, "value beyond 2^63"))
}

pub(crate) fn to_u64(value: i64, table: &'static str) -> Result<u64, StoreError> {
    u64::try_from(value).map_err(|_| StoreError::corrupt(table, format!("negative value {value}")))
}

/// The ledger's identity, if genesis happened.
pub async fn meta<C: ConnectionTrait>(conn: &C) -> Result<Option<LedgerMeta>, StoreError> {
    Ok(ledger_meta::Entity::find_by_id(1)
        .one(conn)
        .await?
        .map(|m| LedgerMeta {
            origin: m.origin,
            log_vkey: m.log_vkey,
        }))
}

/// Records the ledger's identity at genesis.
pub async fn insert_meta<C: ConnectionTrait>(
    conn: &C,
    meta: &LedgerMeta,
) -> Result<(), StoreError> {
    ledger_meta::Entity::insert(ledger_meta::ActiveModel {
        id: Set(1),
        origin: Set(meta.origin.clone()),
        log_vkey: Set(meta.log_vkey.clone()),
    })
    .exec(conn)
    .await?;
    Ok(())
}

/// The size and root of the log.
pub async fn head<C: ConnectionTrait>(conn: &C) -> Result<(u64, Hash), StoreError> {
    match log_head::Entity::find_by_id(1).one(conn).await? {
        None => Ok((0, Hash::EMPTY_ROOT)),
        Some(row) => Ok((
            to_u64(row.size, "log_head")?,
            Hash::from_slice(&row.root).map_err(|e| StoreError::corrupt("log_head", e))?,
        )),
    }
}

/// Moves the head of the log.
pub async fn set_head<C: ConnectionTrait>(
    conn: &C,
    size: u64,
    root: &Hash,
) -> Result<(), StoreError> {
    log_head::Entity::insert(log_head::ActiveModel {
        id: Set(1),
        size: Set(to_i64(size, "log_head")?),
        root: Set(root.0.to_vec()),
    })
    .on_conflict(
        OnConflict::column(log_head::Column::Id)
            .update_columns([log_head::Column::Size, log_head::Column::Root])
            .to_owned(),
    )
    .exec(conn)
    .await?;
    Ok(())
}

/// Stores appended entries and who is party to each.
pub async fn insert_entries<C: ConnectionTrait>(
    conn: &C,
    rows: &[(StoredEntry, Vec<OrgId>)],
) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut entry_rows = Vec::with_capacity(rows.len());
    let mut party_rows = Vec::new();
    for (e, parties) in rows {
        let idx = to_i64(e.index, "entries")?;
        entry_rows.push(entries::ActiveModel {
            idx: Set(idx),
            leaf: Set(e.leaf.clone()),
            leaf_hash: Set(e.leaf_hash.0.to_vec()),
            tx_type: Set(e.tx_type.clone()),
            signer: Set(e.signer.to_vec()),
            nonce: Set(e.nonce.clone()),
            time: Set(e.time.clone()),
        });
        for org in parties {
            party_rows.push(entry_parties::ActiveModel {
                idx: Set(idx),
                org: Set(org.to_string()),
            });
        }
    }
    for chunk in entry_rows.chunks(500) {
        entries::Entity::insert_many(chunk.to_vec())
            .exec(conn)
            .await?;
    }
    for chunk in party_rows.chunks(1000) {
        entry_parties::Entity::insert_many(chunk.to_vec())
            .exec(conn)
            .await?;
    }
    Ok(())
}

fn stored(row: entries::Model) -> Result<StoredEntry, StoreError> {
    Ok(StoredEntry {
        index: to_u64(row.idx, "entries")?,
        leaf_hash: Hash::from_slice(&row.leaf_hash)
            .map_err(|e| StoreError::corrupt("entries", e))?,
        signer: row
            .signer
            .as_slice()
            .try_into()
            .map_err(|_| StoreError::corrupt("entries", "signer is not 32 bytes"))?,
        leaf: row.leaf,
        tx_type: row.tx_type,
        nonce: row.nonce,
        time: row.time,
    })
}

/// Entries with index in `[start, end)`, in order.
pub async fn entries_between<C: ConnectionTrait>(
    conn: &C,
    start: u64,
    end: u64,
) -> Result<Vec<StoredEntry>, StoreError> {
    entries::Entity::find()
        .filter(entries::Column::Idx.gte(to_i64(start, "entries")?))
        .filter(entries::Column::Idx.lt(to_i64(end, "entries")?))
        .order_by_asc(entries::Column::Idx)
        .all(conn)
        .await?
        .into_iter()
        .map(stored)
        .collect()
}

/// The entry at `index`.
pub async fn entry<C: ConnectionTrait>(
    conn: &C,
    index: u64,
) -> Result<Option<StoredEntry>, StoreError> {
    entries::Entity::find_by_id(to_i64(index, "entries")?)
        .one(conn)
        .await?
        .map(stored)
        .transpose()
}

/// The parties of each entry in `[start, end)`.
pub async fn parties_between<C: ConnectionTrait>(
    conn: &C,
    start: u64,
    end: u64,
) -> Result<Vec<(u64, String)>, StoreError> {
    entry_parties::Entity::find()
        .filter(entry_parties::Column::Idx.gte(to_i64(start, "entry_parties")?))
        .filter(entry_parties::Column::Idx.lt(to_i64(end, "entry_parties")?))
        .order_by_asc(entry_parties::Column::Idx)
        .order_by_asc(entry_parties::Column::Org)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| Ok((to_u64(row.idx, "entry_parties")?, row.org)))
        .collect()
}

/// Stores a signed checkpoint.
pub async fn insert_checkpoint<C: ConnectionTrait>(
    conn: &C,
    checkpoint: &StoredCheckpoint,
) -> Result<(), StoreError> {
    checkpoints::Entity::insert(checkpoints::ActiveModel {
        size: Set(to_i64(checkpoint.size, "checkpoints")?),
        root: Set(checkpoint.root.0.to_vec()),
        note: Set(checkpoint.note.clone()),
    })
    // Every node signs the same bytes for the same size (Ed25519 is
    // deterministic), so a second writer of the same checkpoint is harmless.
    .on_conflict_do_nothing_on([checkpoints::Column::Size])
    .exec(conn)
    .await?;
    Ok(())
}

fn stored_checkpoint(row: checkpoints::Model) -> Result<StoredCheckpoint, StoreError> {
    Ok(StoredCheckpoint {
        size: to_u64(row.size, "checkpoints")?,
        root: Hash::from_slice(&row.root).map_err(|e| StoreError::corrupt("checkpoints", e))?,
        note: row.note,
    })
}

/// The checkpoint signed at exactly `size`, if a commit left the log there.
pub async fn checkpoint<C: ConnectionTrait>(
    conn: &C,
    size: u64,
) -> Result<Option<StoredCheckpoint>, StoreError> {
    checkpoints::Entity::find_by_id(to_i64(size, "checkpoints")?)
        .one(conn)
        .await?
        .map(stored_checkpoint)
        .transpose()
}

/// The checkpoint of the largest size.
pub async fn latest_checkpoint<C: ConnectionTrait>(
    conn: &C,
) -> Result<Option<StoredCheckpoint>, StoreError> {
    checkpoints::Entity::find()
        .order_by_desc(checkpoints::Column::Size)
        .limit(1)
        .one(conn)
        .await?
        .map(stored_checkpoint)
        .transpose()
}

/// Queues a notification; it is sent only once its entry has committed.
pub async fn enqueue<C: ConnectionTrait>(
    conn: &C,
    entry: u64,
    kind: &str,
    payload: &str,
    now_ms: i64,
) -> Result<(), StoreError> {
    outbox::Entity::insert(outbox::ActiveModel {
        entry_idx: Set(to_i64(entry, "outbox")?),
        kind: Set(kind.to_owned()),
        payload: Set(payload.to_owned()),
        created_ms: Set(now_ms),
        sent_ms: Set(None),
        attempts: Set(0),
        last_error: Set(None),
        next_attempt_ms: Set(0),
        claimed_until_ms: Set(None),
        ..Default::default()
    })
    .exec(conn)
    .await?;
    Ok(())
}

/// Notifications not yet sent whose next attempt is due, oldest first,
/// skipping those that failed too often.
pub async fn pending_outbox<C: ConnectionTrait>(
    conn: &C,
    limit: u64,
    max_attempts: i32,
    now_ms: i64,
) -> Result<Vec<OutboxItem>, StoreError> {
    outbox::Entity::find()
        .filter(outbox::Column::SentMs.is_null())
        .filter(outbox::Column::Attempts.lt(max_attempts))
        .filter(outbox::Column::NextAttemptMs.lte(now_ms))
        .order_by_asc(outbox::Column::Id)
        .limit(limit)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| {
            Ok(OutboxItem {
                id: row.id,
                entry: to_u64(row.entry_idx, "outbox")?,
                kind: row.kind,
                payload: row.payload,
                attempts: row.attempts,
            })
        })
        .collect()
}

/// Claims a notification for one sender until `until_ms`, so that two
/// processes sharing the database never both send it: true when this
/// caller won the claim.
pub async fn claim_outbox<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    now_ms: i64,
    until_ms: i64,
) -> Result<bool, StoreError> {
    let result = outbox::Entity::update_many()
        .col_expr(
            outbox::Column::ClaimedUntilMs,
            sea_orm::sea_query::Expr::value(until_ms),
        )
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::SentMs.is_null())
        .filter(
            sea_orm::Condition::any()
                .add(outbox::Column::ClaimedUntilMs.is_null())
                .add(outbox::Column::ClaimedUntilMs.lt(now_ms)),
        )
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Records the outcome of sending a notification: sent, or failed and to
/// be tried again no sooner than `retry_at_ms`.
pub async fn mark_outbox<C: ConnectionTrait>(
    conn: &C,
    item: &OutboxItem,
    result: Result<i64, String>,
    retry_at_ms: i64,
) -> Result<(), StoreError> {
    let mut row = outbox::ActiveModel {
        id: Set(item.id),
        attempts: Set(item.attempts + 1),
        claimed_until_ms: Set(None),
        ..Default::default()
    };
    match result {
        Ok(sent_ms) => row.sent_ms = Set(Some(sent_ms)),
        Err(error) => {
            row.last_error = Set(Some(error));
            row.next_attempt_ms = Set(retry_at_ms);
        }
    }
    outbox::Entity::update(row).exec(conn).await?;
    Ok(())
}
