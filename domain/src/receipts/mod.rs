//! The warehouse receipts contract: lots of counted goods, and the
//! electronic receipts issued against them, transferred, split, merged,
//! redeemed and encumbered.
//!
//! The invariant that ends double pledging: the quantity of a lot's
//! outstanding receipts never exceeds the quantity on hand, and a receipt
//! carries at most one encumbrance. Every method checks everything before
//! it changes anything, so a refusal leaves the state as it was.

pub mod body;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::ContractError;
use crate::goods::{DocHash, HsCode, MAX_SCALE, Unit, plain_decimal};
use crate::ids::{OrgId, OrgKind, ReceiptNumber, RecordId, Role, UserId};
use crate::membership::{Membership, Org, OrgStatus, Signer};
use crate::text::{Name, Text};
use crate::time::Timestamp;
use crate::{Context, Notice, Outcome, Touched};
use body::{
    AdjustStock, CertifyLot, CountStock, DiscardDraft, DraftReceipt, Encumber, Endorse, Merge,
    ReceiptRef, ReceiveGoods, RequestRedemption, Split, Terms,
};

/// Most receipts a split makes or a merge takes.
pub const MAX_PARTS: usize = 100;

/// A quantity that may be zero: a count, or a quantity on hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stock(Decimal);

impl Stock {
    /// Parses a plain non-negative decimal of up to three places.
    pub fn parse(text: &str) -> Result<Self, ContractError> {
        match plain_decimal(text) {
            Some(v) if v.scale() <= MAX_SCALE && v < Decimal::from(1_000_000_000_000_000_i64) => {
                Ok(Self(v))
            }
            _ => Err(ContractError::InvalidQuantity(format!(
                "{text:?} is not a plain decimal quantity from 0, with at most {MAX_SCALE} places"
            ))),
        }
    }

    /// The value.
    pub fn value(self) -> Decimal {
        self.0
    }
}

impl fmt::Display for Stock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for Stock {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Stock {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// An inspector's certificate on a lot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Certification {
    /// The inspector organisation.
    pub inspector: OrgId,
    /// The grade found.
    pub grade: Text,
    /// The quantity found.
    pub quantity: Decimal,
    /// SHA-256 of the certificate.
    pub certificate: DocHash,
    /// The entry that recorded it.
    pub at: u64,
}

/// A stock count that found less than the book quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shortfall {
    /// What was counted.
    pub counted: Decimal,
    /// What the book said.
    pub book: Decimal,
    /// The count's entry.
    pub at: u64,
}

/// Goods received from a depositor and held by a warehouse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lot {
    /// Its id.
    pub id: RecordId,
    /// The warehouse holding it.
    pub warehouse: OrgId,
    /// Whose goods they are.
    pub depositor: OrgId,
    /// What the goods are.
    pub commodity: Name,
    /// Their HS code.
    pub hs_code: HsCode,
    /// Grade or specification.
    pub grade: Text,
    /// The unit of every quantity of the lot.
    pub unit: Unit,
    /// The quantity on hand.
    pub on_hand: Decimal,
    /// How they are packed.
    pub packaging: Text,
    /// Pieces on hand.
    pub pieces: u32,
    /// Their marks.
    pub marks: Text,
    /// Where they are stored.
    pub location: Text,
    /// SHA-256 of supporting documents.
    pub documents: Vec<DocHash>,
    /// The entry that received the goods.
    pub received_at: u64,
    /// Inspectors' certificates, oldest first.
    pub certifications: Vec<Certification>,
    /// The last count: what was counted, at which entry.
    pub last_count: Option<(Decimal, u64)>,
    /// An unresolved shortfall.
    pub shortfall: Option<Shortfall>,
}

/// Where a receipt stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReceiptStatus {
    /// Prepared by an officer, waiting for an approver: not a receipt yet.
    Draft,
    /// A draft that was dropped.
    Discarded,
    /// Issued and outstanding (expired ones too, until redeemed).
    Live,
    /// Replaced by the receipts a split or merge made.
    Cancelled,
    /// Its goods have left the warehouse.
    Redeemed,
}

impl ReceiptStatus {
    /// The word stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Discarded => "discarded",
            Self::Live => "live",
            Self::Cancelled => "cancelled",
            Self::Redeemed => "redeemed",
        }
    }

    /// Parses the stored word.
    pub fn parse(text: &str) -> Result<Self, ContractError> {
        Ok(match text {
            "draft" => Self::Draft,
            "discarded" => Self::Discarded,
            "live" => Self::Live,
            "cancelled" => Self::Cancelled,
            "redeemed" => Self::Redeemed,
            other => {
                return Err(ContractError::BadRequest(format!(
                    "{other:?} is not a receipt status"
                )));
            }
        })
    }
}

/// How a receipt came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Provenance {
    /// Drafted and issued by the warehouse.
    Issued,
    /// Made by splitting its parent.
    Split,
    /// Made by merging its parents.
    Merged,
}

impl Provenance {
    /// The word stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Issued => "issued",
            Self::Split => "split",
            Self::Merged => "merged",
        }
    }

    /// Parses the stored word.
    pub fn parse(text: &str) -> Result<Self, ContractError> {
        Ok(match text {
            "issued" => Self::Issued,
            "split" => Self::Split,
            "merged" => Self::Merged,
            other => {
                return Err(ContractError::BadRequest(format!(
                    "{other:?} is not a provenance"
                )));
            }
        })
    }
}

/// A completed transfer by endorsement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Endorsement {
    /// The holder who endorsed.
    pub from: OrgId,
    /// The new holder.
    pub to: OrgId,
    /// The endorsement's entry.
    pub endorsed_at: u64,
    /// The warehouse's countersignature's entry.
    pub countersigned_at: u64,
}

/// What a receipt waits for from the warehouse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Pending {
    /// An endorsement waiting for the countersignature.
    Transfer {
        /// The new holder.
        to: OrgId,
        /// The endorsement's entry.
        at: u64,
    },
    /// A redemption waiting for the goods to be released.
    Redemption {
        /// How much.
        quantity: Decimal,
        /// How many pieces.
        pieces: u32,
        /// The request's entry.
        at: u64,
    },
}

/// Whether an encumbrance is only asked for or in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EncumbranceKind {
    /// Reserved for a pledge in preparation (a financing application).
    Pending,
    /// A pledge in force.
    Active,
}

impl EncumbranceKind {
    /// The word stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Active => "active",
        }
    }
}

/// A claim on a receipt: at most one at a time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Encumbrance {
    /// Who holds it; only they lift it.
    pub holder: OrgId,
    /// Their reference, such as a loan number.
    pub reference: Text,
    /// Pending or active.
    pub kind: EncumbranceKind,
    /// The entry that placed it.
    pub since: u64,
}

/// An electronic warehouse receipt, or a draft of one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    /// Its id.
    pub id: RecordId,
    /// The lot it is issued against.
    pub lot: RecordId,
    /// The issuing warehouse.
    pub warehouse: OrgId,
    /// Its number, unique in the warehouse.
    pub number: ReceiptNumber,
    /// Whose goods were deposited.
    pub depositor: OrgId,
    /// Who holds it now.
    pub holder: OrgId,
    /// The quantity it covers now.
    pub quantity: Decimal,
    /// The pieces it covers now.
    pub pieces: u32,
    /// Its art. 909 terms.
    pub terms: Terms,
    /// Where it stands.
    pub status: ReceiptStatus,
    /// How it came to be.
    pub provenance: Provenance,
    /// The officer who drafted it (for split and merged receipts, the
    /// holder's user who signed).
    pub drafted_by: UserId,
    /// The entry that drafted or made it.
    pub drafted_at: u64,
    /// The approver who issued it, or the holder's user who split or merged.
    pub issued_by: Option<UserId>,
    /// The entry that issued it.
    pub issued_at: Option<u64>,
    /// The date of issue.
    pub issued_time: Option<Timestamp>,
    /// The receipts it was made from.
    pub parents: Vec<RecordId>,
    /// The receipts that replaced it.
    pub children: Vec<RecordId>,
    /// Completed transfers, oldest first.
    pub endorsements: Vec<Endorsement>,
    /// What it waits for from the warehouse.
    pub pending: Option<Pending>,
    /// Its encumbrance.
    pub encumbrance: Option<Encumbrance>,
    /// Flagged by a stock count that found a shortfall on its lot.
    pub flagged: bool,
    /// The quantity redeemed so far.
    pub redeemed: Decimal,
    /// The entry that cancelled, redeemed or discarded it.
    pub closed_at: Option<u64>,
}

impl Receipt {
    /// Whether its storage period has ended at `time`.
    pub fn expired_at(&self, time: Timestamp) -> bool {
        time >= self.terms.storage_until.end()
    }

    /// The organisations that see its whole history: the warehouse, every
    /// holder it has had, an endorsee waiting, and the encumbrance holder;
    /// for a draft, the warehouse alone.
    pub fn parties(&self) -> BTreeSet<OrgId> {
        if matches!(self.status, ReceiptStatus::Draft | ReceiptStatus::Discarded) {
            // A draft is the warehouse's business until it is issued.
            return BTreeSet::from([self.warehouse.clone()]);
        }
        let mut parties = BTreeSet::from([
            self.warehouse.clone(),
            self.depositor.clone(),
            self.holder.clone(),
        ]);
        for e in &self.endorsements {
            parties.insert(e.from.clone());
            parties.insert(e.to.clone());
        }
        if let Some(Pending::Transfer { to, .. }) = &self.pending {
            parties.insert(to.clone());
        }
        if let Some(e) = &self.encumbrance {
            parties.insert(e.holder.clone());
        }
        parties
    }
}

/// A receipts transaction, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReceiptsTx {
    /// `lot.receive`
    Receive(ReceiveGoods),
    /// `lot.certify`
    Certify(CertifyLot),
    /// `lot.count`
    Count(CountStock),
    /// `lot.adjust`
    Adjust(AdjustStock),
    /// `receipt.draft`
    Draft(DraftReceipt),
    /// `receipt.issue`
    Issue(ReceiptRef),
    /// `receipt.discard`
    Discard(DiscardDraft),
    /// `receipt.endorse`
    Endorse(Endorse),
    /// `receipt.countersign`
    Countersign(ReceiptRef),
    /// `receipt.cancel_request`
    CancelRequest(ReceiptRef),
    /// `receipt.split`
    Split(Split),
    /// `receipt.merge`
    Merge(Merge),
    /// `receipt.request_redemption`
    RequestRedemption(RequestRedemption),
    /// `receipt.confirm_redemption`
    ConfirmRedemption(ReceiptRef),
    /// `receipt.encumber`
    Encumber(Encumber),
    /// `receipt.lift`
    Lift(ReceiptRef),
}

tx_types!(ReceiptsTx, "receipts" {
        Receive => "lot.receive",
        Certify => "lot.certify",
        Count => "lot.count",
        Adjust => "lot.adjust",
        Draft => "receipt.draft",
        Issue => "receipt.issue",
        Discard => "receipt.discard",
        Endorse => "receipt.endorse",
        Countersign => "receipt.countersign",
        CancelRequest => "receipt.cancel_request",
        Split => "receipt.split",
        Merge => "receipt.merge",
        RequestRedemption => "receipt.request_redemption",
        ConfirmRedemption => "receipt.confirm_redemption",
        Encumber => "receipt.encumber",
        Lift => "receipt.lift",
    }
);

/// Every lot and receipt.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Receipts {
    /// Lots by id.
    pub lots: BTreeMap<RecordId, Lot>,
    /// Receipts and drafts by id.
    pub receipts: BTreeMap<RecordId, Receipt>,
    /// Numbers in use (by drafts and receipts that are not discarded), per
    /// warehouse.
    pub numbers: BTreeMap<(OrgId, ReceiptNumber), RecordId>,
}

/// The roles that act for an organisation in business: not a viewer.
const ACTING: [Role; 3] = [Role::Admin, Role::Officer, Role::Approver];

pub(crate) fn acts_for(
    signer: &Signer<'_>,
    org: &OrgId,
    action: &str,
) -> Result<(), ContractError> {
    if ACTING.iter().any(|r| signer.holds(*r, org)) {
        Ok(())
    } else if signer.user.org == *org {
        Err(ContractError::Forbidden(format!(
            "{action} needs an officer, approver or admin of {org}; {} only views",
            signer.user.id
        )))
    } else {
        Err(ContractError::Forbidden(format!(
            "{action} is for {org}; {} belongs to {}",
            signer.user.id, signer.user.org
        )))
    }
}

/// Who may hold a receipt (and deposit goods): SMEs and banks.
pub(crate) const HOLDER_KINDS: &[OrgKind] = &[OrgKind::Sme, OrgKind::Bank];

/// Requires the signer to act for its own organisation, which must be of
/// `kind`; returns that organisation.
pub(crate) fn acting_as(
    signer: &Signer<'_>,
    kind: OrgKind,
    action: &str,
) -> Result<OrgId, ContractError> {
    let org = signer.user.org.clone();
    if signer.org.kind != kind {
        return Err(ContractError::Forbidden(format!(
            "{action} is for a {kind}; {org} is a {}",
            signer.org.kind
        )));
    }
    acts_for(signer, &org, action)?;
    Ok(org)
}

/// The organisation a transaction names as a counterparty: a member of one
/// of `kinds`, not suspended.
pub(crate) fn counterparty<'a>(
    members: &'a Membership,
    id: &OrgId,
    kinds: &[OrgKind],
    what: &str,
) -> Result<&'a Org, ContractError> {
    let org = members.org(id)?;
    if !kinds.contains(&org.kind) {
        let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
        return Err(ContractError::BadRequest(format!(
            "{what} must be a {}; {id} is a {}",
            names.join(" or "),
            org.kind
        )));
    }
    if org.status == OrgStatus::Suspended {
        return Err(ContractError::OrgSuspended(id.to_string()));
    }
    Ok(org)
}

fn sum<'a>(values: impl IntoIterator<Item = &'a Decimal>) -> Decimal {
    values.into_iter().copied().sum()
}

impl Receipts {
    /// The lot with this id.
    pub fn lot(&self, id: &RecordId) -> Result<&Lot, ContractError> {
        self.lots
            .get(id)
            .ok_or_else(|| ContractError::NotFound(format!("no lot {id}")))
    }

    /// The receipt or draft with this id.
    pub fn receipt(&self, id: &RecordId) -> Result<&Receipt, ContractError> {
        self.receipts
            .get(id)
            .ok_or_else(|| ContractError::NotFound(format!("no receipt {id}")))
    }

    /// The live receipts of a lot.
    pub fn outstanding<'a>(&'a self, lot: &'a RecordId) -> impl Iterator<Item = &'a Receipt> + 'a {
        self.receipts
            .values()
            .filter(move |r| r.lot == *lot && r.status == ReceiptStatus::Live)
    }

    /// The quantity and pieces of a lot's live receipts.
    pub fn receipted(&self, lot: &RecordId) -> (Decimal, u64) {
        self.outstanding(lot).fold((Decimal::ZERO, 0), |(q, p), r| {
            (q + r.quantity, p + u64::from(r.pieces))
        })
    }

    /// Decides a receipts transaction and applies it.
    pub fn apply(
        &mut self,
        members: &Membership,
        ctx: &Context<'_>,
        tx: &ReceiptsTx,
    ) -> Result<Outcome, ContractError> {
        let signer = members.signer(ctx.signer)?;
        match tx {
            ReceiptsTx::Receive(b) => self.receive(members, &signer, ctx, b),
            ReceiptsTx::Certify(b) => self.certify(&signer, ctx, b),
            ReceiptsTx::Count(b) => self.count(&signer, ctx, b),
            ReceiptsTx::Adjust(b) => self.adjust(&signer, b),
            ReceiptsTx::Draft(b) => self.draft(&signer, ctx, b),
            ReceiptsTx::Issue(b) => self.issue(&signer, ctx, b),
            ReceiptsTx::Discard(b) => self.discard(&signer, ctx, b),
            ReceiptsTx::Endorse(b) => self.endorse(members, &signer, ctx, b),
            ReceiptsTx::Countersign(b) => self.countersign(&signer, ctx, b),
            ReceiptsTx::CancelRequest(b) => self.cancel_request(&signer, b),
            ReceiptsTx::Split(b) => self.split(&signer, ctx, b),
            ReceiptsTx::Merge(b) => self.merge(&signer, ctx, b),
            ReceiptsTx::RequestRedemption(b) => self.request_redemption(&signer, ctx, b),
            ReceiptsTx::ConfirmRedemption(b) => self.confirm_redemption(&signer, ctx, b),
            ReceiptsTx::Encumber(b) => {
                let r = self.receipt(&b.receipt)?;
                acts_for(&signer, &r.holder, "pledging a receipt")?;
                let holder = r.holder.clone();
                self.encumber(
                    members,
                    ctx,
                    &b.receipt,
                    &holder,
                    &b.pledgee,
                    &b.reference,
                    EncumbranceKind::Active,
                )
            }
            ReceiptsTx::Lift(b) => {
                let r = self.receipt(&b.receipt)?;
                let Some(e) = &r.encumbrance else {
                    return Err(ContractError::InvalidState(format!(
                        "receipt {} carries no encumbrance",
                        r.id
                    )));
                };
                acts_for(&signer, &e.holder.clone(), "lifting an encumbrance")?;
                let by = signer.user.org.clone();
                self.lift(&b.receipt, &by)
            }
        }
    }

    fn id_is_new(&self, id: &RecordId) -> Result<(), ContractError> {
        if self.lots.contains_key(id) || self.receipts.contains_key(id) {
            return Err(ContractError::AlreadyExists(format!(
                "{id} is already used"
            )));
        }
        Ok(())
    }

    fn number_is_free(
        &self,
        warehouse: &OrgId,
        number: &ReceiptNumber,
    ) -> Result<(), ContractError> {
        if let Some(id) = self.numbers.get(&(warehouse.clone(), number.clone())) {
            return Err(ContractError::ReceiptNumberTaken(format!(
                "{warehouse} already used receipt number {number} (receipt {id})"
            )));
        }
        Ok(())
    }

    /// Refuses `quantity` and `pieces` more than the lot holds free of
    /// live receipts, leaving out the receipts in `replaced`.
    fn check_free(
        &self,
        lot: &Lot,
        quantity: Decimal,
        pieces: u32,
        replaced: &[&RecordId],
    ) -> Result<(), ContractError> {
        let (mut q, mut p) = (Decimal::ZERO, 0u64);
        for r in self
            .outstanding(&lot.id)
            .filter(|r| !replaced.contains(&&r.id))
        {
            q += r.quantity;
            p += u64::from(r.pieces);
        }
        if q + quantity > lot.on_hand {
            return Err(ContractError::InsufficientQuantity(format!(
                "lot {} has {} {} on hand and {q} under live receipts; {quantity} more would exceed it (free: {})",
                lot.id,
                lot.on_hand,
                lot.unit,
                lot.on_hand - q
            )));
        }
        if p + u64::from(pieces) > u64::from(lot.pieces) {
            return Err(ContractError::InsufficientQuantity(format!(
                "lot {} has {} pieces and {p} under live receipts; {pieces} more would exceed it",
                lot.id, lot.pieces
            )));
        }
        Ok(())
    }

    fn lot_is_clear(lot: &Lot) -> Result<(), ContractError> {
        match &lot.shortfall {
            Some(s) => Err(ContractError::LotShortfall(format!(
                "lot {}: the count at entry {} found {} {} against {} on the book; the warehouse must adjust first",
                lot.id, s.at, s.counted, lot.unit, s.book
            ))),
            None => Ok(()),
        }
    }

    /// A live receipt the holder may dispose of: not expired, not waiting
    /// for the warehouse, not encumbered.
    fn free_receipt(
        &self,
        id: &RecordId,
        time: Timestamp,
        action: &str,
    ) -> Result<&Receipt, ContractError> {
        let r = self.live(id)?;
        if r.expired_at(time) {
            return Err(ContractError::ReceiptExpired(format!(
                "receipt {id}'s storage period ended on {}; it can only be redeemed",
                r.terms.storage_until
            )));
        }
        Self::not_encumbered(r, action)?;
        Self::not_busy(r)?;
        Ok(r)
    }

    fn live(&self, id: &RecordId) -> Result<&Receipt, ContractError> {
        let r = self.receipt(id)?;
        if r.status != ReceiptStatus::Live {
            return Err(ContractError::InvalidState(format!(
                "receipt {id} is {}, not live",
                r.status.as_str()
            )));
        }
        Ok(r)
    }

    fn not_encumbered(r: &Receipt, action: &str) -> Result<(), ContractError> {
        if r.encumbrance.is_some() {
            return Err(ContractError::ReceiptEncumbered(format!(
                "receipt {} is encumbered; {action} needs it free",
                r.id
            )));
        }
        Ok(())
    }

    fn not_busy(r: &Receipt) -> Result<(), ContractError> {
        match &r.pending {
            None => Ok(()),
            Some(Pending::Transfer { to, .. }) => Err(ContractError::ReceiptBusy(format!(
                "receipt {} waits for the warehouse to countersign its endorsement to {to}",
                r.id
            ))),
            Some(Pending::Redemption { quantity, .. }) => Err(ContractError::ReceiptBusy(format!(
                "receipt {} waits for the warehouse to release {quantity}",
                r.id
            ))),
        }
    }

    fn receive(
        &mut self,
        members: &Membership,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &ReceiveGoods,
    ) -> Result<Outcome, ContractError> {
        let warehouse = acting_as(signer, OrgKind::Warehouse, "receiving goods")?;
        counterparty(members, &b.depositor, HOLDER_KINDS, "the depositor")?;
        b.unit.check(b.quantity)?;
        self.id_is_new(&b.lot)?;
        self.lots.insert(
            b.lot.clone(),
            Lot {
                id: b.lot.clone(),
                warehouse: warehouse.clone(),
                depositor: b.depositor.clone(),
                commodity: b.commodity.clone(),
                hs_code: b.hs_code.clone(),
                grade: b.grade.clone(),
                unit: b.unit,
                on_hand: b.quantity.value(),
                packaging: b.packaging.clone(),
                pieces: b.pieces,
                marks: b.marks.clone(),
                location: b.location.clone(),
                documents: b.documents.clone(),
                received_at: ctx.index,
                certifications: Vec::new(),
                last_count: None,
                shortfall: None,
            },
        );
        Ok(Outcome::touching(
            [warehouse, b.depositor.clone()],
            [Touched::Lot(b.lot.clone())],
        ))
    }

    fn certify(
        &mut self,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &CertifyLot,
    ) -> Result<Outcome, ContractError> {
        let inspector = acting_as(signer, OrgKind::Inspector, "certifying a lot")?;
        let lot = self.lot(&b.lot)?;
        lot.unit.check(b.quantity)?;
        let parties = [
            inspector.clone(),
            lot.warehouse.clone(),
            lot.depositor.clone(),
        ];
        if let Some(lot) = self.lots.get_mut(&b.lot) {
            lot.certifications.push(Certification {
                inspector,
                grade: b.grade.clone(),
                quantity: b.quantity.value(),
                certificate: b.certificate.clone(),
                at: ctx.index,
            });
        }
        Ok(Outcome::touching(parties, [Touched::Lot(b.lot.clone())]))
    }

    /// The parties of a lot event: the warehouse, the depositor, and the
    /// holders and encumbrance holders of its live receipts.
    fn lot_parties(&self, lot: &Lot) -> BTreeSet<OrgId> {
        let mut parties = BTreeSet::from([lot.warehouse.clone(), lot.depositor.clone()]);
        for r in self.outstanding(&lot.id) {
            parties.insert(r.holder.clone());
            if let Some(e) = &r.encumbrance {
                parties.insert(e.holder.clone());
            }
        }
        parties
    }

    fn count(
        &mut self,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &CountStock,
    ) -> Result<Outcome, ContractError> {
        let lot = self.lot(&b.lot)?;
        acts_for(signer, &lot.warehouse, "counting stock")?;
        lot.unit.check_value(b.counted.value())?;
        let short = b.counted.value() < lot.on_hand;
        let mut outcome = Outcome::touching(self.lot_parties(lot), [Touched::Lot(b.lot.clone())]);
        let book = lot.on_hand;
        let flagged: Vec<RecordId> = if short {
            self.outstanding(&b.lot).map(|r| r.id.clone()).collect()
        } else {
            Vec::new()
        };
        for id in &flagged {
            if let Some(r) = self.receipts.get_mut(id) {
                r.flagged = true;
                outcome.touched.push(Touched::Receipt(id.clone()));
                if let Some(e) = &r.encumbrance {
                    outcome.notices.push(Notice::ShortfallFound {
                        lot: b.lot.clone(),
                        receipt: id.clone(),
                        bank: e.holder.clone(),
                    });
                }
            }
        }
        if let Some(lot) = self.lots.get_mut(&b.lot) {
            lot.last_count = Some((b.counted.value(), ctx.index));
            if short {
                lot.shortfall = Some(Shortfall {
                    counted: b.counted.value(),
                    book,
                    at: ctx.index,
                });
            }
        }
        Ok(outcome)
    }

    fn adjust(&mut self, signer: &Signer<'_>, b: &AdjustStock) -> Result<Outcome, ContractError> {
        let lot = self.lot(&b.lot)?;
        acts_for(signer, &lot.warehouse, "adjusting stock")?;
        lot.unit.check_value(b.quantity.value())?;
        let (receipted, _) = self.receipted(&b.lot);
        if b.quantity.value() < receipted {
            return Err(ContractError::InsufficientQuantity(format!(
                "live receipts on lot {} cover {receipted} {}; the quantity on hand cannot go below that until they are redeemed",
                lot.id, lot.unit
            )));
        }
        let mut outcome = Outcome::touching(self.lot_parties(lot), [Touched::Lot(b.lot.clone())]);
        let flagged: Vec<RecordId> = self
            .outstanding(&b.lot)
            .filter(|r| r.flagged)
            .map(|r| r.id.clone())
            .collect();
        for id in flagged {
            if let Some(r) = self.receipts.get_mut(&id) {
                r.flagged = false;
            }
            outcome.touched.push(Touched::Receipt(id));
        }
        if let Some(lot) = self.lots.get_mut(&b.lot) {
            lot.on_hand = b.quantity.value();
            lot.shortfall = None;
        }
        Ok(outcome)
    }

    fn draft(
        &mut self,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &DraftReceipt,
    ) -> Result<Outcome, ContractError> {
        let lot = self.lot(&b.lot)?;
        if !signer.holds(Role::Officer, &lot.warehouse) {
            return Err(ContractError::Forbidden(format!(
                "drafting a receipt needs the officer role in {}; {} does not hold it",
                lot.warehouse, signer.user.id
            )));
        }
        lot.unit.check(b.quantity)?;
        self.id_is_new(&b.receipt)?;
        self.number_is_free(&lot.warehouse, &b.number)?;
        Self::lot_is_clear(lot)?;
        self.check_free(lot, b.quantity.value(), b.pieces, &[])?;
        check_terms(&b.terms, ctx.time)?;
        let receipt = Receipt {
            id: b.receipt.clone(),
            lot: b.lot.clone(),
            warehouse: lot.warehouse.clone(),
            number: b.number.clone(),
            depositor: lot.depositor.clone(),
            holder: lot.depositor.clone(),
            quantity: b.quantity.value(),
            pieces: b.pieces,
            terms: b.terms.clone(),
            status: ReceiptStatus::Draft,
            provenance: Provenance::Issued,
            drafted_by: signer.user.id.clone(),
            drafted_at: ctx.index,
            issued_by: None,
            issued_at: None,
            issued_time: None,
            parents: Vec::new(),
            children: Vec::new(),
            endorsements: Vec::new(),
            pending: None,
            encumbrance: None,
            flagged: false,
            redeemed: Decimal::ZERO,
            closed_at: None,
        };
        let warehouse = lot.warehouse.clone();
        self.numbers
            .insert((warehouse.clone(), b.number.clone()), b.receipt.clone());
        self.receipts.insert(b.receipt.clone(), receipt);
        Ok(Outcome::touching(
            [warehouse],
            [Touched::Receipt(b.receipt.clone())],
        ))
    }

    fn draft_of(&self, id: &RecordId) -> Result<&Receipt, ContractError> {
        let r = self.receipt(id)?;
        if r.status != ReceiptStatus::Draft {
            return Err(ContractError::InvalidState(format!(
                "receipt {id} is {}, not a draft",
                r.status.as_str()
            )));
        }
        Ok(r)
    }

    fn issue(
        &mut self,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &ReceiptRef,
    ) -> Result<Outcome, ContractError> {
        let r = self.draft_of(&b.receipt)?;
        if !signer.holds(Role::Approver, &r.warehouse) {
            return Err(ContractError::Forbidden(format!(
                "issuing a receipt needs the approver role in {}; {} does not hold it",
                r.warehouse, signer.user.id
            )));
        }
        if signer.user.id == r.drafted_by {
            return Err(ContractError::SameUser(format!(
                "{} drafted receipt {}; another user must approve it",
                r.drafted_by, r.id
            )));
        }
        let lot = self.lot(&r.lot)?;
        Self::lot_is_clear(lot)?;
        self.check_free(lot, r.quantity, r.pieces, &[])?;
        if r.expired_at(ctx.time) {
            return Err(ContractError::ReceiptExpired(format!(
                "the storage period of draft {} ended on {}",
                r.id, r.terms.storage_until
            )));
        }
        let (warehouse, depositor, lot_id) =
            (r.warehouse.clone(), r.depositor.clone(), r.lot.clone());
        if let Some(r) = self.receipts.get_mut(&b.receipt) {
            r.status = ReceiptStatus::Live;
            r.issued_by = Some(signer.user.id.clone());
            r.issued_at = Some(ctx.index);
            r.issued_time = Some(ctx.time);
        }
        let mut outcome = Outcome::touching(
            [warehouse, depositor.clone()],
            [Touched::Receipt(b.receipt.clone()), Touched::Lot(lot_id)],
        );
        outcome.notices.push(Notice::ReceiptIssued {
            receipt: b.receipt.clone(),
            depositor,
        });
        Ok(outcome)
    }

    fn discard(
        &mut self,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &DiscardDraft,
    ) -> Result<Outcome, ContractError> {
        let r = self.draft_of(&b.receipt)?;
        acts_for(signer, &r.warehouse, "discarding a draft")?;
        let key = (r.warehouse.clone(), r.number.clone());
        let warehouse = r.warehouse.clone();
        self.numbers.remove(&key);
        if let Some(r) = self.receipts.get_mut(&b.receipt) {
            r.status = ReceiptStatus::Discarded;
            r.closed_at = Some(ctx.index);
        }
        Ok(Outcome::touching(
            [warehouse],
            [Touched::Receipt(b.receipt.clone())],
        ))
    }

    fn endorse(
        &mut self,
        members: &Membership,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &Endorse,
    ) -> Result<Outcome, ContractError> {
        let r = self.free_receipt(&b.receipt, ctx.time, "endorsing it")?;
        acts_for(signer, &r.holder, "endorsing a receipt")?;
        let to = counterparty(members, &b.to, HOLDER_KINDS, "the new holder")?;
        if to.id == r.holder {
            return Err(ContractError::BadRequest(format!(
                "{} already holds receipt {}",
                to.id, r.id
            )));
        }
        let parties = [r.holder.clone(), b.to.clone(), r.warehouse.clone()];
        let warehouse = r.warehouse.clone();
        if let Some(r) = self.receipts.get_mut(&b.receipt) {
            r.pending = Some(Pending::Transfer {
                to: b.to.clone(),
                at: ctx.index,
            });
        }
        let mut outcome = Outcome::touching(parties, [Touched::Receipt(b.receipt.clone())]);
        outcome.notices.push(Notice::TransferRequested {
            receipt: b.receipt.clone(),
            warehouse,
        });
        Ok(outcome)
    }

    fn countersign(
        &mut self,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &ReceiptRef,
    ) -> Result<Outcome, ContractError> {
        let r = self.live(&b.receipt)?;
        acts_for(signer, &r.warehouse, "countersigning a transfer")?;
        let Some(Pending::Transfer { to, at }) = &r.pending else {
            return Err(ContractError::InvalidState(format!(
                "receipt {} has no endorsement waiting for a countersignature",
                r.id
            )));
        };
        Self::not_encumbered(r, "countersigning a transfer")?;
        let endorsement = Endorsement {
            from: r.holder.clone(),
            to: to.clone(),
            endorsed_at: *at,
            countersigned_at: ctx.index,
        };
        let parties = [
            endorsement.from.clone(),
            endorsement.to.clone(),
            r.warehouse.clone(),
        ];
        if let Some(r) = self.receipts.get_mut(&b.receipt) {
            r.holder = endorsement.to.clone();
            r.pending = None;
            r.endorsements.push(endorsement);
        }
        Ok(Outcome::touching(
            parties,
            [Touched::Receipt(b.receipt.clone())],
        ))
    }

    fn cancel_request(
        &mut self,
        signer: &Signer<'_>,
        b: &ReceiptRef,
    ) -> Result<Outcome, ContractError> {
        let r = self.live(&b.receipt)?;
        acts_for(signer, &r.holder, "withdrawing a request")?;
        let mut parties = vec![r.holder.clone(), r.warehouse.clone()];
        match &r.pending {
            None => {
                return Err(ContractError::InvalidState(format!(
                    "receipt {} has no endorsement or redemption waiting",
                    r.id
                )));
            }
            Some(Pending::Transfer { to, .. }) => parties.push(to.clone()),
            Some(Pending::Redemption { .. }) => {}
        }
        if let Some(r) = self.receipts.get_mut(&b.receipt) {
            r.pending = None;
        }
        Ok(Outcome::touching(
            parties,
            [Touched::Receipt(b.receipt.clone())],
        ))
    }

    /// A number for a receipt made from `base`, refused if too long or taken.
    fn derived_number(
        &self,
        warehouse: &OrgId,
        base: &ReceiptNumber,
        suffix: &str,
    ) -> Result<ReceiptNumber, ContractError> {
        let number = ReceiptNumber::parse(&format!("{base}-{suffix}")).map_err(|_| {
            ContractError::BadRequest(format!(
                "receipt number {base}-{suffix} would be longer than 64 characters; ask the warehouse for a fresh receipt"
            ))
        })?;
        self.number_is_free(warehouse, &number)?;
        Ok(number)
    }

    fn split(
        &mut self,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &Split,
    ) -> Result<Outcome, ContractError> {
        let r = self.free_receipt(&b.receipt, ctx.time, "splitting it")?;
        acts_for(signer, &r.holder, "splitting a receipt")?;
        let lot = self.lot(&r.lot)?;
        Self::lot_is_clear(lot)?;
        if !(2..=MAX_PARTS).contains(&b.parts.len()) {
            return Err(ContractError::BadRequest(format!(
                "a split makes 2 to {MAX_PARTS} receipts, not {}",
                b.parts.len()
            )));
        }
        let mut ids = BTreeSet::new();
        let mut numbers = Vec::with_capacity(b.parts.len());
        for (k, part) in (1..).zip(&b.parts) {
            lot.unit.check(part.quantity)?;
            self.id_is_new(&part.receipt)?;
            if !ids.insert(&part.receipt) {
                return Err(ContractError::BadRequest(format!(
                    "{} is named twice",
                    part.receipt
                )));
            }
            numbers.push(self.derived_number(&r.warehouse, &r.number, &format!("S{k}"))?);
        }
        let total: Decimal = b.parts.iter().map(|p| p.quantity.value()).sum();
        let pieces: u64 = b.parts.iter().map(|p| u64::from(p.pieces)).sum();
        if total != r.quantity || pieces != u64::from(r.pieces) {
            return Err(ContractError::SplitMismatch(format!(
                "the parts add up to {total} {} and {pieces} pieces; receipt {} is {} {} and {} pieces",
                lot.unit, r.id, r.quantity, lot.unit, r.pieces
            )));
        }
        let parent = r.clone();
        let parties = parent.parties();
        let mut touched = vec![Touched::Receipt(parent.id.clone())];
        for (part, number) in b.parts.iter().zip(numbers) {
            let child = Receipt {
                id: part.receipt.clone(),
                number: number.clone(),
                quantity: part.quantity.value(),
                pieces: part.pieces,
                provenance: Provenance::Split,
                drafted_by: signer.user.id.clone(),
                drafted_at: ctx.index,
                issued_by: Some(signer.user.id.clone()),
                issued_at: Some(ctx.index),
                issued_time: Some(ctx.time),
                parents: vec![parent.id.clone()],
                children: Vec::new(),
                endorsements: Vec::new(),
                redeemed: Decimal::ZERO,
                closed_at: None,
                ..parent.clone()
            };
            self.numbers
                .insert((parent.warehouse.clone(), number), part.receipt.clone());
            self.receipts.insert(part.receipt.clone(), child);
            touched.push(Touched::Receipt(part.receipt.clone()));
        }
        if let Some(r) = self.receipts.get_mut(&parent.id) {
            r.status = ReceiptStatus::Cancelled;
            r.children = b.parts.iter().map(|p| p.receipt.clone()).collect();
            r.closed_at = Some(ctx.index);
        }
        Ok(Outcome::touching(parties, touched))
    }

    fn merge(
        &mut self,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &Merge,
    ) -> Result<Outcome, ContractError> {
        if !(2..=MAX_PARTS).contains(&b.receipts.len()) {
            return Err(ContractError::BadRequest(format!(
                "a merge takes 2 to {MAX_PARTS} receipts, not {}",
                b.receipts.len()
            )));
        }
        let mut seen = BTreeSet::new();
        let mut merged = Vec::with_capacity(b.receipts.len());
        for id in &b.receipts {
            if !seen.insert(id) {
                return Err(ContractError::BadRequest(format!("{id} is named twice")));
            }
            merged.push(self.free_receipt(id, ctx.time, "merging it")?);
        }
        let Some(first) = merged.first().copied() else {
            return Err(ContractError::BadRequest("a merge needs receipts".into()));
        };
        acts_for(signer, &first.holder, "merging receipts")?;
        for r in &merged {
            if r.lot != first.lot || r.holder != first.holder {
                return Err(ContractError::BadRequest(format!(
                    "receipts {} and {} are not on the same lot with the same holder",
                    first.id, r.id
                )));
            }
            if r.terms != first.terms {
                return Err(ContractError::BadRequest(format!(
                    "receipts {} and {} have different terms (storage, fee or insurance)",
                    first.id, r.id
                )));
            }
        }
        Self::lot_is_clear(self.lot(&first.lot)?)?;
        self.id_is_new(&b.into)?;
        let number =
            self.derived_number(&first.warehouse, &first.number, &format!("M{}", ctx.index))?;
        let quantity = sum(merged.iter().map(|r| &r.quantity));
        let pieces = merged
            .iter()
            .try_fold(0u32, |acc, r| acc.checked_add(r.pieces))
            .ok_or_else(|| {
                ContractError::BadRequest(
                    "the merged receipts hold more pieces than can be counted".into(),
                )
            })?;
        let mut parties = BTreeSet::new();
        for r in &merged {
            parties.extend(r.parties());
        }
        let child = Receipt {
            id: b.into.clone(),
            number: number.clone(),
            quantity,
            pieces,
            provenance: Provenance::Merged,
            drafted_by: signer.user.id.clone(),
            drafted_at: ctx.index,
            issued_by: Some(signer.user.id.clone()),
            issued_at: Some(ctx.index),
            issued_time: Some(ctx.time),
            parents: b.receipts.clone(),
            children: Vec::new(),
            endorsements: Vec::new(),
            redeemed: Decimal::ZERO,
            closed_at: None,
            flagged: false,
            ..first.clone()
        };
        let warehouse = first.warehouse.clone();
        let mut touched = vec![Touched::Receipt(b.into.clone())];
        for id in &b.receipts {
            if let Some(r) = self.receipts.get_mut(id) {
                r.status = ReceiptStatus::Cancelled;
                r.children = vec![b.into.clone()];
                r.closed_at = Some(ctx.index);
            }
            touched.push(Touched::Receipt(id.clone()));
        }
        self.numbers.insert((warehouse, number), b.into.clone());
        self.receipts.insert(b.into.clone(), child);
        Ok(Outcome::touching(parties, touched))
    }

    fn request_redemption(
        &mut self,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &RequestRedemption,
    ) -> Result<Outcome, ContractError> {
        // Expired receipts may still be redeemed: the goods are owed.
        let r = self.live(&b.receipt)?;
        acts_for(signer, &r.holder, "requesting redemption")?;
        Self::not_encumbered(r, "redeeming it")?;
        Self::not_busy(r)?;
        let unit = self.lot(&r.lot)?.unit;
        unit.check(b.quantity)?;
        let q = b.quantity.value();
        if q > r.quantity || b.pieces > r.pieces {
            return Err(ContractError::InsufficientQuantity(format!(
                "receipt {} covers {} {unit} and {} pieces; {q} and {} pieces were asked for",
                r.id, r.quantity, r.pieces, b.pieces
            )));
        }
        if q == r.quantity && b.pieces != r.pieces {
            return Err(ContractError::SplitMismatch(format!(
                "redeeming all of receipt {} releases all its {} pieces, not {}",
                r.id, r.pieces, b.pieces
            )));
        }
        let parties = [r.holder.clone(), r.warehouse.clone()];
        if let Some(r) = self.receipts.get_mut(&b.receipt) {
            r.pending = Some(Pending::Redemption {
                quantity: q,
                pieces: b.pieces,
                at: ctx.index,
            });
        }
        Ok(Outcome::touching(
            parties,
            [Touched::Receipt(b.receipt.clone())],
        ))
    }

    fn confirm_redemption(
        &mut self,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &ReceiptRef,
    ) -> Result<Outcome, ContractError> {
        let r = self.live(&b.receipt)?;
        acts_for(signer, &r.warehouse, "confirming a release of goods")?;
        let Some(Pending::Redemption {
            quantity, pieces, ..
        }) = r.pending
        else {
            return Err(ContractError::InvalidState(format!(
                "receipt {} has no redemption waiting",
                r.id
            )));
        };
        Self::not_encumbered(r, "releasing its goods")?;
        let lot = self.lot(&r.lot)?;
        if quantity > lot.on_hand || pieces > lot.pieces {
            return Err(ContractError::InsufficientQuantity(format!(
                "lot {} has {} {} and {} pieces on hand; {quantity} and {pieces} pieces cannot leave",
                lot.id, lot.on_hand, lot.unit, lot.pieces
            )));
        }
        let parties = [r.holder.clone(), r.warehouse.clone(), r.depositor.clone()];
        let lot_id = r.lot.clone();
        if let Some(lot) = self.lots.get_mut(&lot_id) {
            lot.on_hand -= quantity;
            lot.pieces -= pieces;
        }
        if let Some(r) = self.receipts.get_mut(&b.receipt) {
            r.quantity -= quantity;
            r.pieces -= pieces;
            r.redeemed += quantity;
            r.pending = None;
            if r.quantity.is_zero() {
                r.status = ReceiptStatus::Redeemed;
                r.closed_at = Some(ctx.index);
            }
        }
        Ok(Outcome::touching(
            parties,
            [Touched::Receipt(b.receipt.clone()), Touched::Lot(lot_id)],
        ))
    }

    /// The encumbrance hook: places an encumbrance on a live receipt held
    /// by `holder`, in favour of the bank `pledgee`. Refused if the receipt
    /// already carries one, waits for the warehouse, has expired, or its lot
    /// has an unresolved shortfall.
    #[expect(
        clippy::too_many_arguments,
        reason = "the hook names everything an encumbrance records"
    )]
    pub fn encumber(
        &mut self,
        members: &Membership,
        ctx: &Context<'_>,
        receipt: &RecordId,
        holder: &OrgId,
        pledgee: &OrgId,
        reference: &Text,
        kind: EncumbranceKind,
    ) -> Result<Outcome, ContractError> {
        let r = self.live(receipt)?;
        Self::not_encumbered(r, "another encumbrance")?;
        if r.holder != *holder {
            return Err(ContractError::Forbidden(format!(
                "receipt {receipt} is held by {}, not {holder}",
                r.holder
            )));
        }
        if r.expired_at(ctx.time) {
            return Err(ContractError::ReceiptExpired(format!(
                "receipt {receipt}'s storage period ended on {}",
                r.terms.storage_until
            )));
        }
        Self::not_busy(r)?;
        if r.flagged {
            return Err(ContractError::LotShortfall(format!(
                "receipt {receipt} is flagged by a stock shortfall on lot {}",
                r.lot
            )));
        }
        Self::lot_is_clear(self.lot(&r.lot)?)?;
        counterparty(members, pledgee, &[OrgKind::Bank], "the pledgee")?;
        let parties = [r.holder.clone(), pledgee.clone(), r.warehouse.clone()];
        if let Some(r) = self.receipts.get_mut(receipt) {
            r.encumbrance = Some(Encumbrance {
                holder: pledgee.clone(),
                reference: reference.clone(),
                kind,
                since: ctx.index,
            });
        }
        Ok(Outcome::touching(
            parties,
            [Touched::Receipt(receipt.clone())],
        ))
    }

    /// The encumbrance hook: turns a pending encumbrance held by `by` into
    /// an active one.
    pub fn activate(&mut self, receipt: &RecordId, by: &OrgId) -> Result<Outcome, ContractError> {
        let r = self.live(receipt)?;
        match &r.encumbrance {
            Some(e) if e.holder == *by && e.kind == EncumbranceKind::Pending => {}
            Some(e) if e.holder != *by => {
                return Err(ContractError::Forbidden(format!(
                    "the encumbrance on receipt {receipt} is held by {}, not {by}",
                    e.holder
                )));
            }
            _ => {
                return Err(ContractError::InvalidState(format!(
                    "receipt {receipt} carries no pending encumbrance"
                )));
            }
        }
        let parties = [r.holder.clone(), by.clone(), r.warehouse.clone()];
        if let Some(e) = self
            .receipts
            .get_mut(receipt)
            .and_then(|r| r.encumbrance.as_mut())
        {
            e.kind = EncumbranceKind::Active;
        }
        Ok(Outcome::touching(
            parties,
            [Touched::Receipt(receipt.clone())],
        ))
    }

    /// The enforcement hook: the holder of an active encumbrance realises
    /// it, and the receipt passes, free, to `to` (the bank itself, or a
    /// buyer). Recorded as an endorsement the warehouse took part in.
    pub fn transfer_pledged(
        &mut self,
        ctx: &Context<'_>,
        receipt: &RecordId,
        by: &OrgId,
        to: &OrgId,
    ) -> Result<Outcome, ContractError> {
        let r = self.live(receipt)?;
        match &r.encumbrance {
            Some(e) if e.holder == *by && e.kind == EncumbranceKind::Active => {}
            _ => {
                return Err(ContractError::InvalidState(format!(
                    "receipt {receipt} carries no active pledge held by {by}"
                )));
            }
        }
        Self::not_busy(r)?;
        let parties = [
            r.holder.clone(),
            by.clone(),
            to.clone(),
            r.warehouse.clone(),
        ];
        if let Some(r) = self.receipts.get_mut(receipt) {
            r.endorsements.push(Endorsement {
                from: r.holder.clone(),
                to: to.clone(),
                endorsed_at: ctx.index,
                countersigned_at: ctx.index,
            });
            r.holder = to.clone();
            r.encumbrance = None;
        }
        Ok(Outcome::touching(
            parties,
            [Touched::Receipt(receipt.clone())],
        ))
    }

    /// The encumbrance hook: lifts the encumbrance, which only its holder
    /// `by` may do.
    pub fn lift(&mut self, receipt: &RecordId, by: &OrgId) -> Result<Outcome, ContractError> {
        let r = self.receipt(receipt)?;
        let Some(e) = &r.encumbrance else {
            return Err(ContractError::InvalidState(format!(
                "receipt {receipt} carries no encumbrance"
            )));
        };
        if e.holder != *by {
            return Err(ContractError::Forbidden(format!(
                "only {}, which holds the encumbrance on receipt {receipt}, may lift it",
                e.holder
            )));
        }
        let parties = [r.holder.clone(), by.clone(), r.warehouse.clone()];
        if let Some(r) = self.receipts.get_mut(receipt) {
            r.encumbrance = None;
        }
        Ok(Outcome::touching(
            parties,
            [Touched::Receipt(receipt.clone())],
        ))
    }
}

/// Terms that make sense: a storage period that has not ended and does not
/// end before it starts, and insurance that ends after it starts.
fn check_terms(terms: &Terms, time: Timestamp) -> Result<(), ContractError> {
    if terms.storage_until < terms.storage_from {
        return Err(ContractError::BadRequest(format!(
            "the storage period ends ({}) before it starts ({})",
            terms.storage_until, terms.storage_from
        )));
    }
    if time >= terms.storage_until.end() {
        return Err(ContractError::BadRequest(format!(
            "the storage period ended on {}",
            terms.storage_until
        )));
    }
    if let Some(i) = &terms.insurance
        && i.until < i.from
    {
        return Err(ContractError::BadRequest(format!(
            "the insurance ends ({}) before it starts ({})",
            i.until, i.from
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
