//! The receipts contract over GraphQL: lots and receipts (with their signed
//! history and proofs), the public receipt check, and one mutation per
//! transaction type. Types are built from domain types; visibility is
//! decided by `godown_node::visibility`.

use godown_domain::ErrorCode;
use std::collections::BTreeMap;

use async_graphql::connection::{Connection, Edge, query};
use async_graphql::{ComplexObject, Context, Enum, InputObject, Object, SimpleObject};
use godown_domain::membership::Org;
use godown_domain::receipts::body::{
    AdjustStock, CertifyLot, CountStock, DiscardDraft, DraftReceipt, Encumber, Endorse,
    Insurance as InsuranceBody, Merge, Part, ReceiptRef, ReceiveGoods, RequestRedemption, Split,
    Terms,
};
use godown_domain::receipts::{self as domain, Pending, ReceiptsTx, Stock};
use godown_domain::{
    Currency, Date, DocHash, Fraction, HsCode, Money as DomainMoney, Name, OrgId, Quantity as Qty,
    ReceiptNumber, RecordId, Text, Timestamp, Unit,
};
use godown_ledger::Hash;
use rust_decimal::Decimal;

use super::mutation::run;
use super::types::{Organisation, Proof, SignatureInput, TxReceipt};
use super::{gql_int, node, viewer};
use crate::error::ApiError;
use godown_node::node::clock;
use godown_node::reads::{self, EntryProof, MAX_PAGE};
use godown_node::store::projection;
use godown_node::store::receipts::{self as store, LotFilter, ReceiptFilter, StatusFilter};
use godown_node::visibility::{may_see_lot, may_see_receipt, require_full, sees_everything};

/// Where a receipt stands, as the API shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum ReceiptStatus {
    /// Prepared by an officer, waiting for an approver.
    Draft,
    /// A draft that was dropped.
    Discarded,
    /// Issued, within its storage period.
    Live,
    /// Issued, past its storage period: it can only be redeemed.
    Expired,
    /// Replaced by the receipts a split or merge made.
    Cancelled,
    /// Its goods have left the warehouse.
    Redeemed,
}

impl ReceiptStatus {
    fn of(r: &domain::Receipt, now: Timestamp) -> Self {
        match r.status {
            domain::ReceiptStatus::Draft => Self::Draft,
            domain::ReceiptStatus::Discarded => Self::Discarded,
            domain::ReceiptStatus::Live if r.expired_at(now) => Self::Expired,
            domain::ReceiptStatus::Live => Self::Live,
            domain::ReceiptStatus::Cancelled => Self::Cancelled,
            domain::ReceiptStatus::Redeemed => Self::Redeemed,
        }
    }

    fn filter(self) -> StatusFilter {
        match self {
            Self::Draft => StatusFilter::Draft,
            Self::Discarded => StatusFilter::Discarded,
            Self::Live => StatusFilter::Live,
            Self::Expired => StatusFilter::Expired,
            Self::Cancelled => StatusFilter::Cancelled,
            Self::Redeemed => StatusFilter::Redeemed,
        }
    }
}

/// How a receipt came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum Provenance {
    /// Drafted and issued by the warehouse.
    Issued,
    /// Made by splitting its parent.
    Split,
    /// Made by merging its parents.
    Merged,
}

/// Whether an encumbrance is only asked for or in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum EncumbranceKind {
    /// Reserved for a pledge in preparation.
    Pending,
    /// In force.
    Active,
}

/// A quantity as a decimal string, with its UN/CEFACT unit code (TNE, KGM,
/// MTQ, LTR, MTK, BLL, H87, BG).
#[derive(Debug, Clone, SimpleObject)]
pub struct Quantity {
    /// The decimal string.
    pub value: String,
    /// The unit code.
    pub unit: String,
}

impl Quantity {
    pub(super) fn of(value: Decimal, unit: Unit) -> Self {
        Self {
            value: value.to_string(),
            unit: unit.as_str().to_owned(),
        }
    }
}

/// An amount as a decimal string with its ISO 4217 currency.
#[derive(Debug, Clone, SimpleObject)]
pub struct Money {
    /// The currency.
    pub currency: String,
    /// The decimal string.
    pub value: String,
}

impl From<&DomainMoney> for Money {
    fn from(m: &DomainMoney) -> Self {
        Self {
            currency: m.currency().as_str().to_owned(),
            value: m.value().to_string(),
        }
    }
}

/// An inspector's certificate.
#[derive(Debug, Clone, SimpleObject)]
pub struct Certification {
    /// The inspector organisation.
    pub inspector: String,
    /// The grade found.
    pub grade: String,
    /// The quantity found.
    pub quantity: Quantity,
    /// SHA-256 of the certificate.
    pub certificate: String,
    /// The entry that recorded it.
    pub at: i32,
}

/// A count that found less than the book quantity.
#[derive(Debug, Clone, SimpleObject)]
pub struct StockShortfall {
    /// What was counted.
    pub counted: Quantity,
    /// What the book said.
    pub book: Quantity,
    /// The count's entry.
    pub at: i32,
}

/// Goods received from a depositor and held by a warehouse.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(complex)]
pub struct Lot {
    /// Its id.
    pub id: String,
    /// The warehouse holding it.
    pub warehouse: Organisation,
    /// Whose goods they are.
    pub depositor: Organisation,
    /// What the goods are.
    pub commodity: String,
    /// Their HS code.
    pub hs_code: String,
    /// Grade or specification.
    pub grade: String,
    /// The unit of every quantity of the lot.
    pub unit: String,
    /// The quantity on hand.
    pub on_hand: Quantity,
    /// Quantity under live receipts.
    pub receipted: Quantity,
    /// `onHand` minus `receipted`.
    pub free: Quantity,
    /// How they are packed.
    pub packaging: String,
    /// Pieces on hand.
    pub pieces: i32,
    /// Pieces under live receipts.
    pub receipted_pieces: i32,
    /// Their marks.
    pub marks: String,
    /// Where they are stored.
    pub location: String,
    /// SHA-256 of supporting documents.
    pub documents: Vec<String>,
    /// The entry that received the goods.
    pub received_at: i32,
    /// Inspectors' certificates.
    pub certifications: Vec<Certification>,
    /// The last count.
    pub last_count: Option<Quantity>,
    /// The last count's entry.
    pub last_count_at: Option<i32>,
    /// An unresolved shortfall.
    pub shortfall: Option<StockShortfall>,
}

/// The goods a receipt covers, as its lot describes them.
#[derive(Debug, Clone, SimpleObject)]
pub struct Goods {
    /// What they are.
    pub commodity: String,
    /// Their HS code.
    pub hs_code: String,
    /// Grade or specification.
    pub grade: String,
    /// How they are packed.
    pub packaging: String,
    /// Their marks.
    pub marks: String,
    /// Where they are stored.
    pub location: String,
    /// SHA-256 of the lot's supporting documents, at `/documents/{sha256}`.
    pub documents: Vec<String>,
}

/// The goods' insurance.
#[derive(Debug, Clone, SimpleObject)]
pub struct Insurance {
    /// The insurer.
    pub insurer: String,
    /// The amount insured.
    pub amount: Money,
    /// First day of cover.
    pub from: String,
    /// Last day of cover.
    pub until: String,
}

/// A receipt's PRC Civil Code art. 909 terms.
#[derive(Debug, Clone, SimpleObject)]
pub struct ReceiptTerms {
    /// The loss and shrinkage allowance, a fraction.
    pub loss_allowance: String,
    /// First day of storage.
    pub storage_from: String,
    /// Last day of storage.
    pub storage_until: String,
    /// The storage fee.
    pub storage_fee: Money,
    /// What the fee is charged per.
    pub fee_basis: String,
    /// The insurance, if any.
    pub insurance: Option<Insurance>,
    /// Where the receipt was issued.
    pub issue_place: String,
}

/// A completed transfer by endorsement.
#[derive(Debug, Clone, SimpleObject)]
pub struct Endorsement {
    /// The holder who endorsed.
    pub from: String,
    /// The new holder.
    pub to: String,
    /// The endorsement's entry.
    pub endorsed_at: i32,
    /// The countersignature's entry.
    pub countersigned_at: i32,
}

/// An endorsement waiting for the warehouse.
#[derive(Debug, Clone, SimpleObject)]
pub struct PendingTransfer {
    /// The new holder.
    pub to: String,
    /// The endorsement's entry.
    pub at: i32,
}

/// A redemption waiting for the warehouse.
#[derive(Debug, Clone, SimpleObject)]
pub struct PendingRedemption {
    /// How much.
    pub quantity: Quantity,
    /// How many pieces.
    pub pieces: i32,
    /// The request's entry.
    pub at: i32,
}

/// A claim on a receipt.
#[derive(Debug, Clone, SimpleObject)]
pub struct Encumbrance {
    /// Who holds it.
    pub holder: String,
    /// Their reference.
    pub reference: String,
    /// Pending or active.
    pub kind: EncumbranceKind,
    /// The entry that placed it.
    pub since: i32,
}

/// An electronic warehouse receipt, or a draft of one.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(complex)]
pub struct Receipt {
    /// Its id.
    pub id: String,
    /// Its number, unique in the warehouse.
    pub number: String,
    /// Its lot's id.
    pub lot: String,
    /// The issuing warehouse.
    pub warehouse: Organisation,
    /// Whose goods were deposited.
    pub depositor: Organisation,
    /// Who holds it now.
    pub holder: Organisation,
    /// The quantity it covers.
    pub quantity: Quantity,
    /// The pieces it covers.
    pub pieces: i32,
    /// EXPIRED is LIVE past the end of the storage period.
    pub status: ReceiptStatus,
    /// How it came to be.
    pub provenance: Provenance,
    /// The goods, as its lot describes them.
    pub goods: Goods,
    /// Its terms.
    pub terms: ReceiptTerms,
    /// Who drafted it.
    pub drafted_by: String,
    /// The entry that drafted it.
    pub drafted_at: i32,
    /// Who issued it.
    pub issued_by: Option<String>,
    /// The entry that issued it.
    pub issued_at: Option<i32>,
    /// The date of issue: the sequencing time of the entry that issued it.
    pub issued_time: Option<String>,
    /// The receipts it was made from.
    pub parents: Vec<String>,
    /// The receipts that replaced it.
    pub children: Vec<String>,
    /// Completed transfers, oldest first.
    pub endorsements: Vec<Endorsement>,
    /// An endorsement waiting for the warehouse.
    pub pending_transfer: Option<PendingTransfer>,
    /// A redemption waiting for the warehouse.
    pub pending_redemption: Option<PendingRedemption>,
    /// Its encumbrance.
    pub encumbrance: Option<Encumbrance>,
    /// Flagged by a stock count that found a shortfall on its lot.
    pub flagged: bool,
    /// The quantity redeemed so far.
    pub redeemed: Quantity,
    /// The entry that closed it.
    pub closed_at: Option<i32>,
}

/// One entry of a receipt's signed history, with its inclusion proof.
#[derive(Debug, Clone, SimpleObject)]
pub struct ReceiptEvent {
    /// The entry's index.
    pub index: i32,
    /// The transaction type.
    #[graphql(name = "type")]
    pub tx_type: String,
    /// The sequencing time.
    pub time: String,
    /// Standard base64 of the signing key.
    pub signer: String,
    /// The signing key's user.
    pub signer_user: Option<String>,
    /// The signing user's organisation.
    pub signer_org: Option<String>,
    /// The receipt of the lineage the entry concerns.
    pub receipt: String,
    /// Its inclusion proof against the latest checkpoint.
    pub proof: Proof,
}

/// An entry the public receipt check shows, with what the browser needs to
/// check it.
#[derive(Debug, Clone, SimpleObject)]
pub struct CheckedEntry {
    /// Its index.
    pub index: i32,
    /// The canonical entry bytes, as text.
    pub entry: String,
    /// Its leaf hash.
    pub leaf_hash: String,
    /// Inclusion proof hashes against the checkpoint.
    pub hashes: Vec<String>,
    /// The checkpoint's size.
    pub tree_size: i32,
    /// The signer's organisation.
    pub signer_org: String,
    /// Its name.
    pub signer_org_name: String,
    /// The signer.
    pub signer_user: String,
}

/// What anyone holding a receipt's link may see: no parties beyond the
/// warehouse, and not who holds an encumbrance.
#[derive(Debug, Clone, SimpleObject)]
pub struct ReceiptCheck {
    /// Its id.
    pub id: String,
    /// Its number.
    pub number: String,
    /// The issuing warehouse.
    pub warehouse: String,
    /// Its name.
    pub warehouse_name: String,
    /// What the goods are.
    pub commodity: String,
    /// The quantity it covers.
    pub quantity: Quantity,
    /// The pieces it covers.
    pub pieces: i32,
    /// The date of issue (of this receipt, or of the split or merge that
    /// made it).
    pub issued_time: Option<String>,
    /// Where it was issued.
    pub issue_place: String,
    /// Where it stands.
    pub status: ReceiptStatus,
    /// Whether it carries an encumbrance.
    pub encumbered: bool,
    /// Whether a stock count flagged it.
    pub flagged: bool,
    /// Last day of storage.
    pub storage_until: String,
    /// The entries that made the receipt: the warehouse's issue entry of
    /// each original receipt, then the splits and merges that led to it.
    pub provenance: Vec<CheckedEntry>,
    /// The checkpoint note every proof leads to.
    pub checkpoint: String,
    /// The log's verifier key.
    pub log_vkey: String,
}

pub(super) type Directory = BTreeMap<OrgId, Org>;

pub(super) async fn directory(ctx: &Context<'_>) -> Result<Directory, ApiError> {
    Ok(projection::all_orgs(node(ctx).db().conn())
        .await?
        .into_iter()
        .map(|o| (o.id.clone(), o))
        .collect())
}

pub(super) fn organisation(dir: &Directory, id: &OrgId) -> Result<Organisation, ApiError> {
    let org = dir
        .get(id)
        .ok_or_else(|| ApiError::internal(&format!("organisation {id} is not in the directory")))?;
    Organisation::from_domain(org)
}

pub(super) fn index(value: u64) -> Result<i32, ApiError> {
    gql_int(value)
}

pub(super) fn count(value: u64) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

impl Lot {
    fn build(
        lot: &domain::Lot,
        receipts: &[domain::Receipt],
        dir: &Directory,
    ) -> Result<Self, ApiError> {
        let live = receipts
            .iter()
            .filter(|r| r.lot == lot.id && r.status == domain::ReceiptStatus::Live);
        let (receipted, pieces) = live.fold((Decimal::ZERO, 0u64), |(q, p), r| {
            (q + r.quantity, p + u64::from(r.pieces))
        });
        Ok(Self {
            id: lot.id.to_string(),
            warehouse: organisation(dir, &lot.warehouse)?,
            depositor: organisation(dir, &lot.depositor)?,
            commodity: lot.commodity.to_string(),
            hs_code: lot.hs_code.to_string(),
            grade: lot.grade.to_string(),
            unit: lot.unit.as_str().to_owned(),
            on_hand: Quantity::of(lot.on_hand, lot.unit),
            receipted: Quantity::of(receipted, lot.unit),
            free: Quantity::of(lot.on_hand - receipted, lot.unit),
            packaging: lot.packaging.to_string(),
            pieces: count(u64::from(lot.pieces)),
            receipted_pieces: count(pieces),
            marks: lot.marks.to_string(),
            location: lot.location.to_string(),
            documents: lot.documents.iter().map(ToString::to_string).collect(),
            received_at: index(lot.received_at)?,
            certifications: lot
                .certifications
                .iter()
                .map(|c| {
                    Ok(Certification {
                        inspector: c.inspector.to_string(),
                        grade: c.grade.to_string(),
                        quantity: Quantity::of(c.quantity, lot.unit),
                        certificate: c.certificate.to_string(),
                        at: index(c.at)?,
                    })
                })
                .collect::<Result<_, ApiError>>()?,
            last_count: lot.last_count.map(|(q, _)| Quantity::of(q, lot.unit)),
            last_count_at: lot.last_count.map(|(_, at)| index(at)).transpose()?,
            shortfall: lot
                .shortfall
                .map(|s| {
                    Ok::<_, ApiError>(StockShortfall {
                        counted: Quantity::of(s.counted, lot.unit),
                        book: Quantity::of(s.book, lot.unit),
                        at: index(s.at)?,
                    })
                })
                .transpose()?,
        })
    }
}

#[ComplexObject]
impl Lot {
    /// The lot's receipts the viewer may see, drafts included for the
    /// warehouse, newest first.
    async fn receipts(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Receipt>> {
        let viewer = viewer(ctx)?;
        let db = node(ctx).db().conn();
        let all = store::receipts_of_lot(db, &self.id)
            .await
            .map_err(ApiError::from)?;
        let visible: Vec<_> = all
            .into_iter()
            .filter(|r| may_see_receipt(viewer, r))
            .collect();
        Ok(receipts_objects(ctx, &visible).await?)
    }
}

impl Receipt {
    fn build(
        r: &domain::Receipt,
        lot: Option<&domain::Lot>,
        dir: &Directory,
        now: Timestamp,
    ) -> Result<Self, ApiError> {
        let unit = lot.map_or(Unit::Tonne, |l| l.unit);
        let t = &r.terms;
        Ok(Self {
            id: r.id.to_string(),
            number: r.number.to_string(),
            lot: r.lot.to_string(),
            warehouse: organisation(dir, &r.warehouse)?,
            depositor: organisation(dir, &r.depositor)?,
            holder: organisation(dir, &r.holder)?,
            quantity: Quantity::of(r.quantity, unit),
            pieces: count(u64::from(r.pieces)),
            status: ReceiptStatus::of(r, now),
            provenance: match r.provenance {
                domain::Provenance::Issued => Provenance::Issued,
                domain::Provenance::Split => Provenance::Split,
                domain::Provenance::Merged => Provenance::Merged,
            },
            goods: Goods {
                commodity: lot.map(|l| l.commodity.to_string()).unwrap_or_default(),
                hs_code: lot.map(|l| l.hs_code.to_string()).unwrap_or_default(),
                grade: lot.map(|l| l.grade.to_string()).unwrap_or_default(),
                packaging: lot.map(|l| l.packaging.to_string()).unwrap_or_default(),
                marks: lot.map(|l| l.marks.to_string()).unwrap_or_default(),
                location: lot.map(|l| l.location.to_string()).unwrap_or_default(),
                documents: lot
                    .map(|l| l.documents.iter().map(ToString::to_string).collect())
                    .unwrap_or_default(),
            },
            terms: ReceiptTerms {
                loss_allowance: t.loss_allowance.to_string(),
                storage_from: t.storage_from.to_string(),
                storage_until: t.storage_until.to_string(),
                storage_fee: Money::from(&t.storage_fee),
                fee_basis: t.fee_basis.to_string(),
                insurance: t.insurance.as_ref().map(|i| Insurance {
                    insurer: i.insurer.to_string(),
                    amount: Money::from(&i.amount),
                    from: i.from.to_string(),
                    until: i.until.to_string(),
                }),
                issue_place: t.issue_place.to_string(),
            },
            drafted_by: r.drafted_by.to_string(),
            drafted_at: index(r.drafted_at)?,
            issued_by: r.issued_by.as_ref().map(ToString::to_string),
            issued_at: r.issued_at.map(index).transpose()?,
            issued_time: r.issued_time.map(|t| t.to_string()),
            parents: r.parents.iter().map(ToString::to_string).collect(),
            children: r.children.iter().map(ToString::to_string).collect(),
            endorsements: r
                .endorsements
                .iter()
                .map(|e| {
                    Ok(Endorsement {
                        from: e.from.to_string(),
                        to: e.to.to_string(),
                        endorsed_at: index(e.endorsed_at)?,
                        countersigned_at: index(e.countersigned_at)?,
                    })
                })
                .collect::<Result<_, ApiError>>()?,
            pending_transfer: match &r.pending {
                Some(Pending::Transfer { to, at }) => Some(PendingTransfer {
                    to: to.to_string(),
                    at: index(*at)?,
                }),
                _ => None,
            },
            pending_redemption: match &r.pending {
                Some(Pending::Redemption {
                    quantity,
                    pieces,
                    at,
                }) => Some(PendingRedemption {
                    quantity: Quantity::of(*quantity, unit),
                    pieces: count(u64::from(*pieces)),
                    at: index(*at)?,
                }),
                _ => None,
            },
            encumbrance: r
                .encumbrance
                .as_ref()
                .map(|e| {
                    Ok::<_, ApiError>(Encumbrance {
                        holder: e.holder.to_string(),
                        reference: e.reference.to_string(),
                        kind: match e.kind {
                            domain::EncumbranceKind::Pending => EncumbranceKind::Pending,
                            domain::EncumbranceKind::Active => EncumbranceKind::Active,
                        },
                        since: index(e.since)?,
                    })
                })
                .transpose()?,
            flagged: r.flagged,
            redeemed: Quantity::of(r.redeemed, unit),
            closed_at: r.closed_at.map(index).transpose()?,
        })
    }
}

/// GraphQL receipts from domain receipts, with their lots and
/// organisations read once.
async fn receipts_objects(
    ctx: &Context<'_>,
    receipts: &[domain::Receipt],
) -> Result<Vec<Receipt>, ApiError> {
    let db = node(ctx).db().conn();
    let dir = directory(ctx).await?;
    let lots = store::lots_by_id(db, receipts.iter().map(|r| &r.lot)).await?;
    let now = clock::now();
    receipts
        .iter()
        .map(|r| Receipt::build(r, lots.get(&r.lot), &dir, now))
        .collect()
}

pub(super) fn proof_object(p: &EntryProof) -> Result<Proof, ApiError> {
    Ok(Proof {
        index: gql_int(p.entry.index)?,
        tree_size: gql_int(p.checkpoint.size)?,
        leaf_hash: p.entry.leaf_hash.to_base64(),
        hashes: p.hashes.iter().map(Hash::to_base64).collect(),
        checkpoint: p.checkpoint.note.clone(),
        entry: String::from_utf8_lossy(&p.entry.leaf).into_owned(),
        tlog_proof: p.tlog_proof(),
    })
}

/// The user and organisation behind a signing key.
pub(super) async fn signer_of(
    ctx: &Context<'_>,
    key: &[u8; 32],
) -> Result<Option<(String, OrgId)>, ApiError> {
    let db = node(ctx).db().conn();
    let Some(record) = projection::key(db, key).await? else {
        return Ok(None);
    };
    Ok(projection::user(db, record.user.as_str())
        .await?
        .map(|u| (u.id.to_string(), u.org)))
}

/// An entry with its signer and its inclusion proof against the latest
/// checkpoint: what every signed history shows.
pub(super) struct SignedEntry {
    pub(super) index: i32,
    pub(super) tx_type: String,
    pub(super) time: String,
    pub(super) signer: String,
    pub(super) signer_user: Option<String>,
    pub(super) signer_org: Option<String>,
    pub(super) proof: Proof,
}

/// The entries at `indexes`, each proven against one checkpoint.
pub(super) async fn signed_entries(
    ctx: &Context<'_>,
    indexes: &[u64],
) -> Result<Vec<SignedEntry>, ApiError> {
    let node = node(ctx);
    let checkpoint = reads::checkpoint(node).await?;
    let mut out = Vec::with_capacity(indexes.len());
    for &entry in indexes {
        let proof = reads::proof_at(node, entry, &checkpoint).await?;
        let signer = signer_of(ctx, &proof.entry.signer).await?;
        out.push(SignedEntry {
            index: gql_int(entry)?,
            tx_type: proof.entry.tx_type.clone(),
            time: proof.entry.time.clone(),
            signer: reads::signer_text(&proof.entry),
            signer_user: signer.as_ref().map(|(u, _)| u.clone()),
            signer_org: signer.map(|(_, o)| o.to_string()),
            proof: proof_object(&proof)?,
        });
    }
    Ok(out)
}

#[ComplexObject]
impl Receipt {
    /// Every entry of this receipt and its ancestors, oldest first, each
    /// with its inclusion proof against the latest checkpoint.
    async fn history(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ReceiptEvent>> {
        let node = node(ctx);
        let db = node.db().conn();
        let Some(r) = store::receipt(db, &self.id).await.map_err(ApiError::from)? else {
            return Ok(vec![]);
        };
        let lineage = store::lineage(db, &r).await.map_err(ApiError::from)?;
        let ids: Vec<RecordId> = lineage.iter().map(|r| r.id.clone()).collect();
        let mut events = store::events_of(db, &ids).await.map_err(ApiError::from)?;
        // A split or merge concerns parent and child: show its entry once.
        events.dedup_by_key(|(_, entry)| *entry);
        let entries: Vec<u64> = events.iter().map(|(_, entry)| *entry).collect();
        let mut out = Vec::with_capacity(events.len());
        for ((receipt, _), e) in events.iter().zip(signed_entries(ctx, &entries).await?) {
            out.push(ReceiptEvent {
                index: e.index,
                tx_type: e.tx_type,
                time: e.time,
                signer: e.signer,
                signer_user: e.signer_user,
                signer_org: e.signer_org,
                receipt: receipt.to_string(),
                proof: e.proof,
            });
        }
        Ok(out)
    }
}

/// The receipts contract's queries.
#[derive(Default)]
pub struct ReceiptsQuery;

/// Bounds of a page of `total` items, Relay style, by offset.
pub(super) fn page(
    total: usize,
    after: Option<usize>,
    before: Option<usize>,
    first: Option<usize>,
    last: Option<usize>,
) -> (usize, usize) {
    let max = usize::try_from(MAX_PAGE).unwrap_or(200);
    let mut start = after.map_or(0, |a| a.saturating_add(1)).min(total);
    let mut end = before.unwrap_or(total).min(total).max(start);
    if let Some(n) = first {
        end = end.min(start + n.min(max));
    }
    if let Some(n) = last {
        start = start.max(end.saturating_sub(n.min(max)));
    }
    if first.is_none() && last.is_none() {
        end = end.min(start + 50);
    }
    (start, end)
}

pub(super) fn offset(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

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
    ) -> async_graphql::Result<Connection<usize, Lot>> {
        let viewer = viewer(ctx)?;
        require_full(viewer)?;
        let filter = LotFilter {
            warehouse,
            depositor,
            visible_to: (!sees_everything(viewer)).then(|| viewer.org.to_string()),
        };
        let db = node(ctx).db().conn();
        let total = usize::try_from(
            store::count_lots(db, &filter)
                .await
                .map_err(ApiError::from)?,
        )
        .unwrap_or(usize::MAX);
        query(
            after,
            before,
            first,
            last,
            |after, before, first, last| async move {
                let (start, end) = page(total, after, before, first, last);
                let lots = store::lots_page(db, &filter, offset(start), offset(end - start))
                    .await
                    .map_err(ApiError::from)?;
                let dir = directory(ctx).await?;
                let mut connection = Connection::new(start > 0, end < total);
                for (i, lot) in (start..).zip(&lots) {
                    let receipts = store::receipts_of_lot(db, lot.id.as_str())
                        .await
                        .map_err(ApiError::from)?;
                    connection
                        .edges
                        .push(Edge::new(i, Lot::build(lot, &receipts, &dir)?));
                }
                Ok::<_, async_graphql::Error>(connection)
            },
        )
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
    ) -> async_graphql::Result<Connection<usize, Receipt>> {
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
        let total = usize::try_from(
            store::count_receipts(db, &filter)
                .await
                .map_err(ApiError::from)?,
        )
        .unwrap_or(usize::MAX);
        query(
            after,
            before,
            first,
            last,
            |after, before, first, last| async move {
                let (start, end) = page(total, after, before, first, last);
                let receipts =
                    store::receipts_page(db, &filter, offset(start), offset(end - start))
                        .await
                        .map_err(ApiError::from)?;
                let objects = receipts_objects(ctx, &receipts).await?;
                let mut connection = Connection::new(start > 0, end < total);
                for (i, r) in (start..).zip(objects) {
                    connection.edges.push(Edge::new(i, r));
                }
                Ok::<_, async_graphql::Error>(connection)
            },
        )
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
        let checkpoint = reads::checkpoint(node).await?;
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
        let mut provenance = Vec::with_capacity(made.len());
        for entry in made {
            let proof = reads::proof_at(node, entry, &checkpoint).await?;
            let Some((user, org)) = signer_of(ctx, &proof.entry.signer).await? else {
                return Err(ApiError::internal(&format!(
                    "entry {entry}'s signer is not a member key"
                ))
                .into());
            };
            provenance.push(CheckedEntry {
                index: gql_int(entry)?,
                entry: String::from_utf8_lossy(&proof.entry.leaf).into_owned(),
                leaf_hash: proof.entry.leaf_hash.to_base64(),
                hashes: proof.hashes.iter().map(Hash::to_base64).collect(),
                tree_size: gql_int(checkpoint.size)?,
                signer_org_name: dir
                    .get(&org)
                    .map(|o| o.name.to_string())
                    .unwrap_or_default(),
                signer_org: org.to_string(),
                signer_user: user,
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

pub(super) fn p<T>(r: Result<T, godown_domain::ContractError>) -> Result<T, ApiError> {
    r.map_err(ApiError::from)
}

pub(super) fn rid(text: &str) -> Result<RecordId, ApiError> {
    p(RecordId::parse(text))
}

pub(super) fn org(text: &str) -> Result<OrgId, ApiError> {
    p(OrgId::parse(text))
}

pub(super) fn txt(text: &str) -> Result<Text, ApiError> {
    p(Text::parse(text))
}

fn qty(text: &str) -> Result<Qty, ApiError> {
    p(Qty::parse(text))
}

fn pieces(n: i32) -> Result<u32, ApiError> {
    u32::try_from(n).map_err(|_| {
        ApiError::new(
            ErrorCode::InvalidQuantity,
            format!("pieces must be 0 or more, not {n}"),
        )
    })
}

pub(super) fn date(text: &str) -> Result<Date, ApiError> {
    p(Date::parse(text))
}

pub(super) fn money(m: &MoneyInput) -> Result<DomainMoney, ApiError> {
    p(DomainMoney::parse(
        p(Currency::parse(&m.currency))?,
        &m.value,
    ))
}

/// An amount with its ISO 4217 currency.
#[derive(Debug, Clone, InputObject)]
pub struct MoneyInput {
    /// The currency.
    pub currency: String,
    /// The decimal string.
    pub value: String,
}

/// The goods' insurance.
#[derive(Debug, Clone, InputObject)]
pub struct InsuranceInput {
    /// The insurer.
    pub insurer: String,
    /// The amount insured.
    pub amount: MoneyInput,
    /// First day of cover, YYYY-MM-DD.
    pub from: String,
    /// Last day of cover, YYYY-MM-DD.
    pub until: String,
}

/// A receipt's art. 909 terms.
#[derive(Debug, Clone, InputObject)]
pub struct TermsInput {
    /// The loss allowance, a fraction such as "0.002".
    pub loss_allowance: String,
    /// First day of storage.
    pub storage_from: String,
    /// Last day of storage.
    pub storage_until: String,
    /// The storage fee.
    pub storage_fee: MoneyInput,
    /// What the fee is charged per.
    pub fee_basis: String,
    /// The insurance, if any.
    pub insurance: Option<InsuranceInput>,
    /// Where the receipt is issued.
    pub issue_place: String,
}

/// `lot.receive`.
#[derive(Debug, Clone, InputObject)]
pub struct ReceiveGoodsInput {
    /// The new lot's id.
    pub lot: String,
    /// The depositor organisation.
    pub depositor: String,
    /// What the goods are.
    pub commodity: String,
    /// HS code: 6, 8 or 10 digits.
    pub hs_code: String,
    /// Grade or specification.
    pub grade: String,
    /// The quantity, a decimal string.
    pub quantity: String,
    /// The UN/CEFACT unit code.
    pub unit: String,
    /// Packaging.
    pub packaging: String,
    /// Pieces; 0 for bulk.
    pub pieces: i32,
    /// Marks.
    pub marks: String,
    /// Storage location.
    pub location: String,
    /// SHA-256 (hex) of supporting documents uploaded to `/documents`.
    pub documents: Vec<String>,
}

/// `lot.certify`.
#[derive(Debug, Clone, InputObject)]
pub struct CertifyLotInput {
    /// The lot.
    pub lot: String,
    /// The grade found.
    pub grade: String,
    /// The quantity found.
    pub quantity: String,
    /// SHA-256 (hex) of the certificate.
    pub certificate: String,
}

/// `lot.count`.
#[derive(Debug, Clone, InputObject)]
pub struct CountStockInput {
    /// The lot.
    pub lot: String,
    /// The quantity counted.
    pub counted: String,
}

/// `lot.adjust`.
#[derive(Debug, Clone, InputObject)]
pub struct AdjustStockInput {
    /// The lot.
    pub lot: String,
    /// The quantity on hand from now on.
    pub quantity: String,
    /// Why.
    pub reason: String,
}

/// `receipt.draft`.
#[derive(Debug, Clone, InputObject)]
pub struct DraftReceiptInput {
    /// The new receipt's id.
    pub receipt: String,
    /// The lot.
    pub lot: String,
    /// The receipt number.
    pub number: String,
    /// The quantity.
    pub quantity: String,
    /// The pieces.
    pub pieces: i32,
    /// The terms.
    pub terms: TermsInput,
}

/// A transaction that names one receipt.
#[derive(Debug, Clone, InputObject)]
pub struct ReceiptRefInput {
    /// The receipt.
    pub receipt: String,
}

/// `receipt.discard`.
#[derive(Debug, Clone, InputObject)]
pub struct DiscardDraftInput {
    /// The draft.
    pub receipt: String,
    /// Why.
    pub reason: String,
}

/// `receipt.endorse`.
#[derive(Debug, Clone, InputObject)]
pub struct EndorseReceiptInput {
    /// The receipt.
    pub receipt: String,
    /// The new holder.
    pub to: String,
}

/// One new receipt of a split. The node numbers it after its parent:
/// `<parent number>-S1`, `-S2`, … in the order given.
#[derive(Debug, Clone, InputObject)]
pub struct PartInput {
    /// Its id.
    pub receipt: String,
    /// Its quantity.
    pub quantity: String,
    /// Its pieces.
    pub pieces: i32,
}

/// `receipt.split`.
#[derive(Debug, Clone, InputObject)]
pub struct SplitReceiptInput {
    /// The receipt.
    pub receipt: String,
    /// The new receipts.
    pub parts: Vec<PartInput>,
}

/// `receipt.merge`. The node numbers the new receipt after the first one
/// merged: `<number>-M<entry index>`.
#[derive(Debug, Clone, InputObject)]
pub struct MergeReceiptsInput {
    /// The receipts.
    pub receipts: Vec<String>,
    /// The new receipt's id.
    pub into: String,
}

/// `receipt.request_redemption`.
#[derive(Debug, Clone, InputObject)]
pub struct RequestRedemptionInput {
    /// The receipt.
    pub receipt: String,
    /// How much.
    pub quantity: String,
    /// How many pieces.
    pub pieces: i32,
}

/// `receipt.encumber`.
#[derive(Debug, Clone, InputObject)]
pub struct EncumberReceiptInput {
    /// The receipt.
    pub receipt: String,
    /// The bank.
    pub pledgee: String,
    /// The bank's reference.
    pub reference: String,
}

fn receipt_ref(input: &ReceiptRefInput) -> Result<ReceiptRef, ApiError> {
    Ok(ReceiptRef {
        receipt: rid(&input.receipt)?,
    })
}

/// The receipts contract's mutations.
#[derive(Default)]
pub struct ReceiptsMutation;

#[Object]
impl ReceiptsMutation {
    /// `lot.receive`: a warehouse records goods received from a depositor.
    async fn receive_goods(
        &self,
        ctx: &Context<'_>,
        input: ReceiveGoodsInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let quantity = qty(&input.quantity)?;
        let unit = p(Unit::parse(&input.unit))?;
        p(unit.check(quantity))?;
        let tx = ReceiptsTx::Receive(ReceiveGoods {
            lot: rid(&input.lot)?,
            depositor: org(&input.depositor)?,
            commodity: p(Name::parse(&input.commodity))?,
            hs_code: p(HsCode::parse(&input.hs_code))?,
            grade: txt(&input.grade)?,
            quantity,
            unit,
            packaging: txt(&input.packaging)?,
            pieces: pieces(input.pieces)?,
            marks: txt(&input.marks)?,
            location: txt(&input.location)?,
            documents: input
                .documents
                .iter()
                .map(|d| p(DocHash::parse(d)))
                .collect::<Result<_, _>>()?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `lot.certify`: an inspector certifies a lot.
    async fn certify_lot(
        &self,
        ctx: &Context<'_>,
        input: CertifyLotInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = ReceiptsTx::Certify(CertifyLot {
            lot: rid(&input.lot)?,
            grade: txt(&input.grade)?,
            quantity: qty(&input.quantity)?,
            certificate: p(DocHash::parse(&input.certificate))?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `lot.count`: a stock count; less than the book flags every receipt
    /// on the lot and tells the banks they are pledged to.
    async fn count_stock(
        &self,
        ctx: &Context<'_>,
        input: CountStockInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = ReceiptsTx::Count(CountStock {
            lot: rid(&input.lot)?,
            counted: p(Stock::parse(&input.counted))?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `lot.adjust`: the warehouse sets the quantity on hand, with a reason.
    async fn adjust_stock(
        &self,
        ctx: &Context<'_>,
        input: AdjustStockInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = ReceiptsTx::Adjust(AdjustStock {
            lot: rid(&input.lot)?,
            quantity: p(Stock::parse(&input.quantity))?,
            reason: txt(&input.reason)?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `receipt.draft`: a warehouse officer prepares a receipt (the maker).
    async fn draft_receipt(
        &self,
        ctx: &Context<'_>,
        input: DraftReceiptInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let t = &input.terms;
        let tx = ReceiptsTx::Draft(DraftReceipt {
            receipt: rid(&input.receipt)?,
            lot: rid(&input.lot)?,
            number: p(ReceiptNumber::parse(&input.number))?,
            quantity: qty(&input.quantity)?,
            pieces: pieces(input.pieces)?,
            terms: Terms {
                loss_allowance: p(Fraction::parse(&t.loss_allowance))?,
                storage_from: date(&t.storage_from)?,
                storage_until: date(&t.storage_until)?,
                storage_fee: money(&t.storage_fee)?,
                fee_basis: txt(&t.fee_basis)?,
                insurance: t
                    .insurance
                    .as_ref()
                    .map(|i| {
                        Ok::<_, ApiError>(InsuranceBody {
                            insurer: p(Name::parse(&i.insurer))?,
                            amount: money(&i.amount)?,
                            from: date(&i.from)?,
                            until: date(&i.until)?,
                        })
                    })
                    .transpose()?,
                issue_place: txt(&t.issue_place)?,
            },
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `receipt.issue`: an approver other than the drafter issues a draft.
    async fn issue_receipt(
        &self,
        ctx: &Context<'_>,
        input: ReceiptRefInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        run(
            ctx,
            ReceiptsTx::Issue(receipt_ref(&input)?),
            signature,
            vec![],
        )
        .await
    }

    /// `receipt.discard`: a draft is dropped.
    async fn discard_draft(
        &self,
        ctx: &Context<'_>,
        input: DiscardDraftInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = ReceiptsTx::Discard(DiscardDraft {
            receipt: rid(&input.receipt)?,
            reason: txt(&input.reason)?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `receipt.endorse`: the holder endorses to a new holder; the
    /// warehouse countersigns.
    async fn endorse_receipt(
        &self,
        ctx: &Context<'_>,
        input: EndorseReceiptInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = ReceiptsTx::Endorse(Endorse {
            receipt: rid(&input.receipt)?,
            to: org(&input.to)?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `receipt.countersign`: the warehouse completes a transfer.
    async fn countersign_transfer(
        &self,
        ctx: &Context<'_>,
        input: ReceiptRefInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        run(
            ctx,
            ReceiptsTx::Countersign(receipt_ref(&input)?),
            signature,
            vec![],
        )
        .await
    }

    /// `receipt.cancel_request`: the holder withdraws a pending endorsement
    /// or redemption.
    async fn cancel_receipt_request(
        &self,
        ctx: &Context<'_>,
        input: ReceiptRefInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        run(
            ctx,
            ReceiptsTx::CancelRequest(receipt_ref(&input)?),
            signature,
            vec![],
        )
        .await
    }

    /// `receipt.split`: parts that sum exactly to the receipt replace it.
    async fn split_receipt(
        &self,
        ctx: &Context<'_>,
        input: SplitReceiptInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = ReceiptsTx::Split(Split {
            receipt: rid(&input.receipt)?,
            parts: input
                .parts
                .iter()
                .map(|part| {
                    Ok::<_, ApiError>(Part {
                        receipt: rid(&part.receipt)?,
                        quantity: qty(&part.quantity)?,
                        pieces: pieces(part.pieces)?,
                    })
                })
                .collect::<Result<_, _>>()?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `receipt.merge`: receipts on one lot and holder become one.
    async fn merge_receipts(
        &self,
        ctx: &Context<'_>,
        input: MergeReceiptsInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = ReceiptsTx::Merge(Merge {
            receipts: input
                .receipts
                .iter()
                .map(|r| rid(r))
                .collect::<Result<_, _>>()?,
            into: rid(&input.into)?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `receipt.request_redemption`: the holder asks for goods to leave.
    async fn request_redemption(
        &self,
        ctx: &Context<'_>,
        input: RequestRedemptionInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = ReceiptsTx::RequestRedemption(RequestRedemption {
            receipt: rid(&input.receipt)?,
            quantity: qty(&input.quantity)?,
            pieces: pieces(input.pieces)?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `receipt.confirm_redemption`: the warehouse releases the goods and
    /// debits the lot.
    async fn confirm_redemption(
        &self,
        ctx: &Context<'_>,
        input: ReceiptRefInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        run(
            ctx,
            ReceiptsTx::ConfirmRedemption(receipt_ref(&input)?),
            signature,
            vec![],
        )
        .await
    }

    /// `receipt.encumber`: the holder pledges the receipt to a bank.
    async fn encumber_receipt(
        &self,
        ctx: &Context<'_>,
        input: EncumberReceiptInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = ReceiptsTx::Encumber(Encumber {
            receipt: rid(&input.receipt)?,
            pledgee: org(&input.pledgee)?,
            reference: txt(&input.reference)?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `receipt.lift`: the bank holding the encumbrance lifts it.
    async fn lift_encumbrance(
        &self,
        ctx: &Context<'_>,
        input: ReceiptRefInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        run(
            ctx,
            ReceiptsTx::Lift(receipt_ref(&input)?),
            signature,
            vec![],
        )
        .await
    }
}
