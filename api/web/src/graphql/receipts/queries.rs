//! The receipts contract's queries: lots, receipts (with their signed
//! history and proofs), and the public receipt check.

use super::types::{CheckedEntry, Lot, Receipt, ReceiptCheck, ReceiptStatus, receipts_objects};
use crate::graphql::shared::{Quantity, count, directory, paged, signer_of};

use async_graphql::connection::Connection;
use async_graphql::{Context, Object};
use godown_domain::Unit;
use godown_domain::receipts::{self as domain};
use godown_ledger::Hash;

use crate::error::ApiError;
use crate::graphql::{gql_int, node, viewer};
use godown_node::node::clock;
use godown_node::reads::{self};
use godown_node::store::receipts::{self as store, LotFilter, ReceiptFilter};
use godown_node::visibility::{may_see_lot, may_see_receipt, require_full, sees_everything};

/// The receipts contract's queries.
#[derive(Default)]
pub struct ReceiptsQuery;

#[Object]
impl ReceiptsQuery {
    /// Lots the viewer may see, newest first.
    #[expect(
        clippy::too_many_arguments,
        reason = "one argument per filter, and the Relay four"
    )]
    async fn lots(
        &self,
        ctx: &Context<'_>,
        warehouse: Option<String>,
        depositor: Option<String>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<Connection<u64, Lot>> {
        let viewer = viewer(ctx)?;
        require_full(viewer)?;
        let filter = LotFilter {
            warehouse,
            depositor,
            visible_to: (!sees_everything(viewer)).then(|| viewer.org.to_string()),
        };
        let db = node(ctx).db().conn();
        let total = store::count_lots(db, &filter)
            .await
            .map_err(ApiError::from)?;
        paged(total, after, before, first, last, |start, end| async move {
            let lots = store::lots_page(db, &filter, start, end - start)
                .await
                .map_err(ApiError::from)?;
            let dir = directory(ctx).await?;
            let mut objects = Vec::with_capacity(lots.len());
            for lot in &lots {
                let receipts = store::receipts_of_lot(db, lot.id.as_str())
                    .await
                    .map_err(ApiError::from)?;
                objects.push(Lot::build(lot, &receipts, &dir)?);
            }
            Ok(objects)
        })
        .await
    }

    /// One lot, if the viewer may see it.
    async fn lot(&self, ctx: &Context<'_>, id: String) -> async_graphql::Result<Option<Lot>> {
        let viewer = viewer(ctx)?;
        require_full(viewer)?;
        let db = node(ctx).db().conn();
        let Some(lot) = store::lot(db, &id).await.map_err(ApiError::from)? else {
            return Ok(None);
        };
        let receipts = store::receipts_of_lot(db, &id)
            .await
            .map_err(ApiError::from)?;
        if !may_see_lot(viewer, &lot, &receipts) {
            return Err(ApiError::forbidden(format!("lot {id} is visible to its warehouse, its depositor, the parties of its receipts, inspectors and the regulator")).into());
        }
        Ok(Some(Lot::build(&lot, &receipts, &directory(ctx).await?)?))
    }

    /// Receipts the viewer may see, newest first, filtered by status,
    /// holder, issuing warehouse, commodity (a substring) and the bank that
    /// holds their encumbrance. Drafts only with `status: DRAFT` (or
    /// DISCARDED), and only for their warehouse.
    #[expect(
        clippy::too_many_arguments,
        reason = "one argument per filter, and the Relay four"
    )]
    async fn receipts(
        &self,
        ctx: &Context<'_>,
        status: Option<ReceiptStatus>,
        holder: Option<String>,
        warehouse: Option<String>,
        commodity: Option<String>,
        pledgee: Option<String>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<Connection<u64, Receipt>> {
        let viewer = viewer(ctx)?;
        require_full(viewer)?;
        let filter = ReceiptFilter {
            status: status.map(ReceiptStatus::filter),
            holder,
            warehouse,
            commodity,
            pledgee,
            visible_to: (!sees_everything(viewer)).then(|| viewer.org.to_string()),
            now_ms: clock::now_ms(),
        };
        let db = node(ctx).db().conn();
        let total = store::count_receipts(db, &filter)
            .await
            .map_err(ApiError::from)?;
        paged(total, after, before, first, last, |start, end| async move {
            let receipts = store::receipts_page(db, &filter, start, end - start)
                .await
                .map_err(ApiError::from)?;
            Ok(receipts_objects(ctx, &receipts).await?)
        })
        .await
    }

    /// One receipt or draft, if the viewer may see it.
    async fn receipt(
        &self,
        ctx: &Context<'_>,
        id: String,
    ) -> async_graphql::Result<Option<Receipt>> {
        let viewer = viewer(ctx)?;
        let db = node(ctx).db().conn();
        let Some(r) = store::receipt(db, &id).await.map_err(ApiError::from)? else {
            return Ok(None);
        };
        if !may_see_receipt(viewer, &r) {
            return Err(ApiError::forbidden(format!("receipt {id} is visible to its warehouse, its holders, its encumbrance holder and the regulator; anyone with its link may check it at /r/{id}")).into());
        }
        Ok(receipts_objects(ctx, &[r]).await?.pop())
    }

    /// The public receipt check: needs no session. Null for an id that is
    /// not an issued receipt.
    async fn receipt_check(
        &self,
        ctx: &Context<'_>,
        id: String,
    ) -> async_graphql::Result<Option<ReceiptCheck>> {
        let node = node(ctx);
        let db = node.db().conn();
        let Some(r) = store::receipt(db, &id).await.map_err(ApiError::from)? else {
            return Ok(None);
        };
        if matches!(
            r.status,
            domain::ReceiptStatus::Draft | domain::ReceiptStatus::Discarded
        ) {
            return Ok(None);
        }
        let dir = directory(ctx).await?;
        let lot = store::lot(db, r.lot.as_str())
            .await
            .map_err(ApiError::from)?;
        let lineage = store::lineage(db, &r).await.map_err(ApiError::from)?;
        // The warehouse's issue entry of each original, and the entry that
        // made each split or merged receipt.
        let mut made: Vec<u64> = lineage
            .iter()
            .filter_map(|x| match x.provenance {
                domain::Provenance::Issued => x.issued_at,
                domain::Provenance::Split | domain::Provenance::Merged => Some(x.drafted_at),
            })
            .collect();
        made.sort_unstable();
        made.dedup();
        // One checkpoint for the whole check: the one the witnesses' quorum
        // cosigned when it covers every entry shown, so the page can say
        // how many witnesses vouch for it.
        let checkpoint = reads::covering(node, made.last().copied().unwrap_or(0)).await?;
        let mut provenance = Vec::with_capacity(made.len());
        for entry in made {
            let proof = reads::proof_at(node, entry, &checkpoint).await?;
            let signer = signer_of(ctx, &proof.entry.signer).await?;
            // Only the warehouse is named: an entry another party signed (the
            // holder's split or merge) is shown by its leaf hash and proof.
            let by_warehouse = signer.as_ref().is_some_and(|(_, org)| *org == r.warehouse);
            provenance.push(CheckedEntry {
                index: gql_int(entry)?,
                tx_type: proof.entry.tx_type.clone(),
                entry: by_warehouse
                    .then(|| String::from_utf8_lossy(&proof.entry.leaf).into_owned()),
                leaf_hash: proof.entry.leaf_hash.to_base64(),
                hashes: proof.hashes.iter().map(Hash::to_base64).collect(),
                tree_size: gql_int(checkpoint.size)?,
                signer_org_name: by_warehouse.then(|| {
                    dir.get(&r.warehouse)
                        .map(|o| o.name.to_string())
                        .unwrap_or_default()
                }),
                signer_org: by_warehouse.then(|| r.warehouse.to_string()),
            });
        }
        let unit = lot.as_ref().map_or(Unit::Tonne, |l| l.unit);
        Ok(Some(ReceiptCheck {
            id: r.id.to_string(),
            number: r.number.to_string(),
            warehouse: r.warehouse.to_string(),
            warehouse_name: dir
                .get(&r.warehouse)
                .map(|o| o.name.to_string())
                .unwrap_or_default(),
            commodity: lot.map(|l| l.commodity.to_string()).unwrap_or_default(),
            quantity: Quantity::of(r.quantity, unit),
            pieces: count(u64::from(r.pieces)),
            issued_time: r.issued_time.map(|t| t.to_string()),
            issue_place: r.terms.issue_place.to_string(),
            status: ReceiptStatus::of(&r, clock::now()),
            encumbered: r.encumbrance.is_some(),
            flagged: r.flagged,
            storage_until: r.terms.storage_until.to_string(),
            provenance,
            checkpoint: checkpoint.note.clone(),
            log_vkey: node.log_vkey().to_string(),
        }))
    }
}

// ---------------------------------------------------------------------------
// Inputs, parsed into the contract's body types.
