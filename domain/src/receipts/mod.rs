//! The warehouse receipts contract: lots of counted goods, and the
//! electronic receipts issued against them, transferred, split, merged,
//! redeemed and encumbered.
//!
//! The invariant that ends double pledging: the quantity of a lot's
//! outstanding receipts never exceeds the quantity on hand, and a receipt
//! carries at most one encumbrance. Every method checks everything before
//! it changes anything, so a refusal leaves the state as it was.

pub mod body;
mod encumbrance;
mod issuance;
mod redemption;
mod split_merge;
mod stock;
mod transfer;

pub use encumbrance::{Encumbrance, EncumbranceKind};
pub use stock::{Certification, Lot, Shortfall, Stock};

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::acting::acts_for;
use crate::error::ContractError;
use crate::ids::{OrgId, ReceiptNumber, RecordId, UserId};
use crate::membership::Membership;
use crate::time::Timestamp;
use crate::{Context, Outcome};
use body::{
    AdjustStock, CertifyLot, CountStock, DiscardDraft, DraftReceipt, Encumber, Endorse, Merge,
    ReceiptRef, ReceiveGoods, RequestRedemption, Split, Terms,
};

/// Most receipts a split makes or a merge takes.
pub const MAX_PARTS: usize = 100;

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
            ReceiptsTx::Lift(b) => self.lift_signed(&signer, &b.receipt),
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
}

#[cfg(test)]
mod tests;
