//! The receipts contract's GraphQL objects: lots, receipts, their events
//! and the public receipt check, built from domain types.

use crate::graphql::shared::{
    Directory, Money, Quantity, SignedEntry, count, directory, index, organisation, signed_entries,
};

use async_graphql::{ComplexObject, Context, Enum, SimpleObject};
use godown_domain::receipts::{self as domain, Pending};
use godown_domain::{RecordId, Timestamp, Unit};
use rust_decimal::Decimal;

use crate::error::ApiError;
use crate::graphql::types::{Organisation, Proof};
use crate::graphql::{node, viewer};
use godown_node::node::clock;
use godown_node::store::receipts::{self as store, StatusFilter};
use godown_node::visibility::may_see_receipt;

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
    pub(crate) fn of(r: &domain::Receipt, now: Timestamp) -> Self {
        match r.status {
            domain::ReceiptStatus::Draft => Self::Draft,
            domain::ReceiptStatus::Discarded => Self::Discarded,
            domain::ReceiptStatus::Live if r.expired_at(now) => Self::Expired,
            domain::ReceiptStatus::Live => Self::Live,
            domain::ReceiptStatus::Cancelled => Self::Cancelled,
            domain::ReceiptStatus::Redeemed => Self::Redeemed,
        }
    }

    pub(crate) fn filter(self) -> StatusFilter {
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
    /// Its inclusion proof against the checkpoint the history is proved against.
    pub proof: Proof,
}

/// An entry the public receipt check shows, with what the browser needs to
/// check it.
#[derive(Debug, Clone, SimpleObject)]
pub struct CheckedEntry {
    /// Its index.
    pub index: i32,
    /// The transaction type.
    #[graphql(name = "type")]
    pub tx_type: String,
    /// The canonical entry bytes, as text, when the warehouse signed the
    /// entry; withheld for an entry the holder signed (a split or merge),
    /// which names the holder and the other receipts it made. Its leaf hash
    /// and inclusion proof are given all the same.
    pub entry: Option<String>,
    /// Its leaf hash.
    pub leaf_hash: String,
    /// Inclusion proof hashes against the checkpoint.
    pub hashes: Vec<String>,
    /// The checkpoint's size.
    pub tree_size: i32,
    /// The signer's organisation: the warehouse, for an entry shown.
    pub signer_org: Option<String>,
    /// Its name.
    pub signer_org_name: Option<String>,
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

impl Lot {
    pub(crate) fn build(
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
    /// The lot's own entries, oldest first: the goods received, certified,
    /// counted and adjusted, each with its inclusion proof. (Receipts
    /// issued and redeemed against it are in their own histories.)
    async fn history(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<SignedEntry>> {
        let events = godown_node::store::lot_events::events_of(node(ctx).db().conn(), &self.id)
            .await
            .map_err(ApiError::from)?;
        Ok(signed_entries(ctx, &events).await?)
    }

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
    pub(crate) fn build(
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
pub(crate) async fn receipts_objects(
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

#[ComplexObject]
impl Receipt {
    /// Every entry of this receipt and its ancestors, oldest first, each
    /// with its inclusion proof against the checkpoint the history is proved against.
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
