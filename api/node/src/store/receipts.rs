//! The receipts contract's projection rows: lots and receipts as of the
//! latest entry, who may see each receipt, which entries concern it; and
//! the supporting documents kept off the ledger. Rows hold the columns
//! queries filter on, and the whole record as JSON, mapped to and from the
//! domain's types here.

use std::collections::{BTreeMap, BTreeSet};

use godown_domain::receipts::{Lot, Receipt, ReceiptStatus, Receipts};
use godown_domain::{OrgId, RecordId};
use sea_orm::sea_query::{OnConflict, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait as _, Condition, ConnectionTrait, EntityTrait as _,
    PaginatorTrait as _, QueryFilter as _, QueryOrder as _, QuerySelect as _,
};

use super::StoreError;
use super::entity::{documents, lots, receipt_events, receipt_parties, receipts};
use super::ledger::{to_i64, to_u64};

fn json<T: serde::Serialize>(value: &T, table: &'static str) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::corrupt(table, e))
}

fn lot_row(row: &lots::Model) -> Result<Lot, StoreError> {
    let lot: Lot = serde_json::from_str(&row.detail).map_err(|e| StoreError::corrupt("lots", e))?;
    if lot.id.as_str() != row.id || lot.warehouse.as_str() != row.warehouse {
        return Err(StoreError::corrupt(
            "lots",
            format!("row {} disagrees with its detail", row.id),
        ));
    }
    Ok(lot)
}

fn receipt_row(row: &receipts::Model) -> Result<Receipt, StoreError> {
    let r: Receipt =
        serde_json::from_str(&row.detail).map_err(|e| StoreError::corrupt("receipts", e))?;
    let columns_agree = r.id.as_str() == row.id
        && r.lot.as_str() == row.lot
        && r.warehouse.as_str() == row.warehouse
        && r.number.as_str() == row.number
        && r.holder.as_str() == row.holder
        && r.status.as_str() == row.status
        && r.encumbrance.as_ref().map(|e| e.holder.as_str()) == row.encumbered_by.as_deref();
    if !columns_agree {
        return Err(StoreError::corrupt(
            "receipts",
            format!("row {} disagrees with its detail", row.id),
        ));
    }
    Ok(r)
}

/// Rewrites a lot's row.
pub async fn write_lot<C: ConnectionTrait>(conn: &C, lot: &Lot) -> Result<(), StoreError> {
    lots::Entity::insert(lots::ActiveModel {
        id: Set(lot.id.to_string()),
        warehouse: Set(lot.warehouse.to_string()),
        depositor: Set(lot.depositor.to_string()),
        commodity: Set(lot.commodity.to_string()),
        received_at: Set(to_i64(lot.received_at, "lots")?),
        detail: Set(json(lot, "lots")?),
    })
    .on_conflict(
        OnConflict::column(lots::Column::Id)
            .update_columns([lots::Column::Commodity, lots::Column::Detail])
            .to_owned(),
    )
    .exec(conn)
    .await?;
    Ok(())
}

/// Rewrites a receipt's row and who may see it.
pub async fn write_receipt<C: ConnectionTrait>(
    conn: &C,
    state: &Receipts,
    r: &Receipt,
) -> Result<(), StoreError> {
    let commodity = state
        .lots
        .get(&r.lot)
        .map(|l| l.commodity.to_string())
        .unwrap_or_default();
    receipts::Entity::insert(receipts::ActiveModel {
        id: Set(r.id.to_string()),
        lot: Set(r.lot.to_string()),
        warehouse: Set(r.warehouse.to_string()),
        number: Set(r.number.to_string()),
        depositor: Set(r.depositor.to_string()),
        holder: Set(r.holder.to_string()),
        status: Set(r.status.as_str().to_owned()),
        commodity: Set(commodity),
        expires_ms: Set(r.terms.storage_until.end().unix_millis()),
        encumbered_by: Set(r.encumbrance.as_ref().map(|e| e.holder.to_string())),
        seq: Set(to_i64(r.drafted_at, "receipts")?),
        detail: Set(json(r, "receipts")?),
    })
    .on_conflict(
        OnConflict::column(receipts::Column::Id)
            .update_columns([
                receipts::Column::Holder,
                receipts::Column::Status,
                receipts::Column::ExpiresMs,
                receipts::Column::EncumberedBy,
                receipts::Column::Detail,
            ])
            .to_owned(),
    )
    .exec(conn)
    .await?;
    receipt_parties::Entity::delete_many()
        .filter(receipt_parties::Column::Receipt.eq(r.id.as_str()))
        .exec(conn)
        .await?;
    let rows: Vec<_> = r
        .parties()
        .into_iter()
        .map(|org| receipt_parties::ActiveModel {
            receipt: Set(r.id.to_string()),
            org: Set(org.to_string()),
        })
        .collect();
    if !rows.is_empty() {
        receipt_parties::Entity::insert_many(rows)
            .exec(conn)
            .await?;
    }
    Ok(())
}

record_index!(receipt_events, receipt_parties, receipt, "receipt");

/// The whole projection, as rows say it is.
pub async fn load<C: ConnectionTrait>(conn: &C) -> Result<Receipts, StoreError> {
    let mut state = Receipts::default();
    for row in lots::Entity::find().all(conn).await? {
        let lot = lot_row(&row)?;
        state.lots.insert(lot.id.clone(), lot);
    }
    for row in receipts::Entity::find().all(conn).await? {
        let r = receipt_row(&row)?;
        if r.status != ReceiptStatus::Discarded {
            state
                .numbers
                .insert((r.warehouse.clone(), r.number.clone()), r.id.clone());
        }
        state.receipts.insert(r.id.clone(), r);
    }
    Ok(state)
}

/// The first difference between the rows and a replayed state: `None`
/// when they agree.
pub fn first_difference(rows: &Receipts, replayed: &Receipts) -> Option<String> {
    fn compare<K: Ord + std::fmt::Display, V: PartialEq + std::fmt::Debug>(
        table: &str,
        rows: &BTreeMap<K, V>,
        replayed: &BTreeMap<K, V>,
    ) -> Option<String> {
        super::first_row_difference(table, rows, replayed, ToString::to_string)
    }
    compare("lots", &rows.lots, &replayed.lots)
        .or_else(|| compare("receipts", &rows.receipts, &replayed.receipts))
}

/// One lot.
pub async fn lot<C: ConnectionTrait>(conn: &C, id: &str) -> Result<Option<Lot>, StoreError> {
    lots::Entity::find_by_id(id.to_owned())
        .one(conn)
        .await?
        .map(|row| lot_row(&row))
        .transpose()
}

/// Lots by id.
pub async fn lots_by_id<C: ConnectionTrait>(
    conn: &C,
    ids: impl IntoIterator<Item = &RecordId>,
) -> Result<BTreeMap<RecordId, Lot>, StoreError> {
    let ids: BTreeSet<String> = ids.into_iter().map(ToString::to_string).collect();
    lots::Entity::find()
        .filter(lots::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .iter()
        .map(|row| lot_row(row).map(|lot| (lot.id.clone(), lot)))
        .collect()
}

/// Receipts by id; ids with no receipt are left out.
pub async fn receipts_by_id<C: ConnectionTrait>(
    conn: &C,
    ids: impl IntoIterator<Item = &RecordId>,
) -> Result<BTreeMap<RecordId, Receipt>, StoreError> {
    let ids: BTreeSet<String> = ids.into_iter().map(ToString::to_string).collect();
    receipts::Entity::find()
        .filter(receipts::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .iter()
        .map(|row| receipt_row(row).map(|r| (r.id.clone(), r)))
        .collect()
}

/// One receipt or draft.
pub async fn receipt<C: ConnectionTrait>(
    conn: &C,
    id: &str,
) -> Result<Option<Receipt>, StoreError> {
    receipts::Entity::find_by_id(id.to_owned())
        .one(conn)
        .await?
        .map(|row| receipt_row(&row))
        .transpose()
}

/// The receipts of a lot, newest first.
pub async fn receipts_of_lot<C: ConnectionTrait>(
    conn: &C,
    lot: &str,
) -> Result<Vec<Receipt>, StoreError> {
    receipts::Entity::find()
        .filter(receipts::Column::Lot.eq(lot))
        .order_by_desc(receipts::Column::Seq)
        .order_by_asc(receipts::Column::Id)
        .all(conn)
        .await?
        .iter()
        .map(receipt_row)
        .collect()
}

/// Which receipts a listing wants, by status as the API names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    /// Drafts waiting for an approver.
    Draft,
    /// Dropped drafts.
    Discarded,
    /// Live within the storage period.
    Live,
    /// Live past the storage period.
    Expired,
    /// Replaced by a split or merge.
    Cancelled,
    /// Redeemed.
    Redeemed,
}

/// What a receipts listing filters on.
#[derive(Debug, Clone, Default)]
pub struct ReceiptFilter {
    /// By status; without it, every receipt but drafts and discarded ones.
    pub status: Option<StatusFilter>,
    /// Held by this organisation.
    pub holder: Option<String>,
    /// Issued by this warehouse.
    pub warehouse: Option<String>,
    /// Whose commodity contains this text.
    pub commodity: Option<String>,
    /// Encumbered in favour of this organisation.
    pub pledgee: Option<String>,
    /// Only receipts this organisation may see; `None` for all.
    pub visible_to: Option<String>,
    /// The time expiry is judged at.
    pub now_ms: i64,
}

impl ReceiptFilter {
    fn condition(&self) -> Condition {
        use receipts::Column as C;
        let mut c = Condition::all();
        c = match self.status {
            None => c.add(C::Status.is_not_in(["draft", "discarded"])),
            Some(StatusFilter::Draft) => c.add(C::Status.eq("draft")),
            Some(StatusFilter::Discarded) => c.add(C::Status.eq("discarded")),
            Some(StatusFilter::Live) => c
                .add(C::Status.eq("live"))
                .add(C::ExpiresMs.gt(self.now_ms)),
            Some(StatusFilter::Expired) => c
                .add(C::Status.eq("live"))
                .add(C::ExpiresMs.lte(self.now_ms)),
            Some(StatusFilter::Cancelled) => c.add(C::Status.eq("cancelled")),
            Some(StatusFilter::Redeemed) => c.add(C::Status.eq("redeemed")),
        };
        if let Some(holder) = &self.holder {
            c = c.add(C::Holder.eq(holder.as_str()));
        }
        if let Some(warehouse) = &self.warehouse {
            c = c.add(C::Warehouse.eq(warehouse.as_str()));
        }
        if let Some(pledgee) = &self.pledgee {
            c = c.add(C::EncumberedBy.eq(pledgee.as_str()));
        }
        if let Some(commodity) = &self.commodity {
            c = c.add(C::Commodity.contains(escape_like(commodity)));
        }
        if let Some(org) = &self.visible_to {
            c = c.add(
                C::Id.in_subquery(
                    Query::select()
                        .column(receipt_parties::Column::Receipt)
                        .from(receipt_parties::Entity)
                        .and_where(receipt_parties::Column::Org.eq(org.as_str()))
                        .to_owned(),
                ),
            );
        }
        c
    }
}

/// `%` and `_` match themselves in a commodity search.
fn escape_like(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '%' | '_' | '\\'))
        .collect()
}

filtered_list!(
    count_receipts,
    receipts_page,
    receipts,
    ReceiptFilter,
    Receipt,
    receipt_row,
    "receipts",
    Seq,
    Id
);

/// What a lots listing filters on.
#[derive(Debug, Clone, Default)]
pub struct LotFilter {
    /// Held by this warehouse.
    pub warehouse: Option<String>,
    /// Deposited by this organisation.
    pub depositor: Option<String>,
    /// Only lots this organisation holds, deposited, or may see a receipt
    /// of; `None` for all.
    pub visible_to: Option<String>,
}

impl LotFilter {
    fn condition(&self) -> Condition {
        use lots::Column as C;
        let mut c = Condition::all();
        if let Some(w) = &self.warehouse {
            c = c.add(C::Warehouse.eq(w.as_str()));
        }
        if let Some(d) = &self.depositor {
            c = c.add(C::Depositor.eq(d.as_str()));
        }
        if let Some(org) = &self.visible_to {
            let via_receipts = Query::select()
                .column(receipts::Column::Lot)
                .from(receipts::Entity)
                .and_where(
                    receipts::Column::Id.in_subquery(
                        Query::select()
                            .column(receipt_parties::Column::Receipt)
                            .from(receipt_parties::Entity)
                            .and_where(receipt_parties::Column::Org.eq(org.as_str()))
                            .to_owned(),
                    ),
                )
                .to_owned();
            c = c.add(
                Condition::any()
                    .add(C::Warehouse.eq(org.as_str()))
                    .add(C::Depositor.eq(org.as_str()))
                    .add(C::Id.in_subquery(via_receipts)),
            );
        }
        c
    }
}

filtered_list!(
    count_lots, lots_page, lots, LotFilter, Lot, lot_row, "lots", ReceivedAt
);

/// The entries that concern any of these receipts, in log order, each with
/// the receipt it concerns.
pub async fn events_of<C: ConnectionTrait>(
    conn: &C,
    ids: &[RecordId],
) -> Result<Vec<(RecordId, u64)>, StoreError> {
    let names: Vec<String> = ids.iter().map(ToString::to_string).collect();
    receipt_events::Entity::find()
        .filter(receipt_events::Column::Receipt.is_in(names))
        .order_by_asc(receipt_events::Column::EntryIdx)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| {
            Ok((
                RecordId::parse(&row.receipt)
                    .map_err(|e| StoreError::corrupt("receipt_events", e))?,
                to_u64(row.entry_idx, "receipt_events")?,
            ))
        })
        .collect()
}

/// A receipt and its ancestors, the receipt first.
pub async fn lineage<C: ConnectionTrait>(
    conn: &C,
    r: &Receipt,
) -> Result<Vec<Receipt>, StoreError> {
    let mut seen = BTreeSet::from([r.id.clone()]);
    let mut out = vec![r.clone()];
    let mut next: Vec<RecordId> = r.parents.clone();
    while let Some(id) = next.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        if let Some(parent) = receipt(conn, id.as_str()).await? {
            next.extend(parent.parents.iter().cloned());
            out.push(parent);
        }
    }
    Ok(out)
}

/// The name of a document: the SHA-256 of its bytes, in lowercase hex.
pub fn document_name(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut out, b| {
            use std::fmt::Write as _;
            let _ = write!(out, "{b:02x}");
            out
        })
}

/// A supporting document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Its SHA-256, hex.
    pub sha256: String,
    /// Its media type.
    pub content_type: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// Who uploaded it.
    pub uploaded_by: String,
    /// Their organisation.
    pub org: OrgId,
}

/// Stores a document unless one with its hash is stored already.
pub async fn insert_document<C: ConnectionTrait>(
    conn: &C,
    doc: &Document,
    now_ms: i64,
) -> Result<(), StoreError> {
    documents::Entity::insert(documents::ActiveModel {
        sha256: Set(doc.sha256.clone()),
        content_type: Set(doc.content_type.clone()),
        bytes: Set(doc.bytes.clone()),
        uploaded_by: Set(doc.uploaded_by.clone()),
        org: Set(doc.org.to_string()),
        uploaded_ms: Set(now_ms),
    })
    .on_conflict_do_nothing()
    .exec(conn)
    .await?;
    Ok(())
}

/// A document by its hash.
pub async fn document<C: ConnectionTrait>(
    conn: &C,
    sha256: &str,
) -> Result<Option<Document>, StoreError> {
    documents::Entity::find_by_id(sha256.to_owned())
        .one(conn)
        .await?
        .map(|row| {
            Ok(Document {
                org: OrgId::parse(&row.org).map_err(|e| StoreError::corrupt("documents", e))?,
                sha256: row.sha256,
                content_type: row.content_type,
                bytes: row.bytes,
                uploaded_by: row.uploaded_by,
            })
        })
        .transpose()
}

/// The lots that name a document, by its hash, among supporting documents
/// and certificates.
pub async fn lots_naming<C: ConnectionTrait>(
    conn: &C,
    sha256: &str,
) -> Result<Vec<Lot>, StoreError> {
    lots::Entity::find()
        .filter(lots::Column::Detail.contains(sha256))
        .all(conn)
        .await?
        .iter()
        .map(lot_row)
        .collect()
}
