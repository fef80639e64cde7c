//! The bodies of receipt transactions, exactly as signed. Each parses with
//! unknown members refused, so a body that exists is well formed; the
//! contract then checks it against the state.

use serde::{Deserialize, Serialize};

use crate::goods::{DocHash, HsCode, Quantity, Unit};
use crate::ids::{OrgId, ReceiptNumber, RecordId};
use crate::money::{Fraction, Money};
use crate::text::{Name, Text};
use crate::time::Date;

use super::Stock;

/// `lot.receive`: a warehouse records goods received from a depositor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiveGoods {
    /// The new lot's id.
    pub lot: RecordId,
    /// Whose goods they are.
    pub depositor: OrgId,
    /// What the goods are, such as "阴极铜 Copper cathode".
    pub commodity: Name,
    /// Their HS code.
    pub hs_code: HsCode,
    /// Grade or specification.
    pub grade: Text,
    /// How much was received.
    pub quantity: Quantity,
    /// In which unit.
    pub unit: Unit,
    /// How they are packed.
    pub packaging: Text,
    /// How many pieces (bundles, bags, coils); 0 for bulk.
    pub pieces: u32,
    /// Their marks.
    pub marks: Text,
    /// Where they are stored.
    pub location: Text,
    /// SHA-256 of supporting documents (weighbridge ticket, photos), kept
    /// by the node off the ledger.
    pub documents: Vec<DocHash>,
}

/// `lot.certify`: an inspector certifies a lot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertifyLot {
    /// The lot.
    pub lot: RecordId,
    /// The grade found.
    pub grade: Text,
    /// The quantity found, in the lot's unit.
    pub quantity: Quantity,
    /// SHA-256 of the certificate.
    pub certificate: DocHash,
}

/// `lot.count`: a periodic stock count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountStock {
    /// The lot.
    pub lot: RecordId,
    /// The quantity counted, in the lot's unit; may be zero.
    pub counted: Stock,
}

/// `lot.adjust`: the warehouse sets the book quantity, with a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdjustStock {
    /// The lot.
    pub lot: RecordId,
    /// The quantity on hand from now on.
    pub quantity: Stock,
    /// Why, for the record.
    pub reason: Text,
}

/// The goods' insurance, when they are insured (PRC Civil Code art. 909 (8)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Insurance {
    /// The insurer.
    pub insurer: Name,
    /// The amount insured.
    pub amount: Money,
    /// First day of cover.
    pub from: Date,
    /// Last day of cover.
    pub until: Date,
}

/// What a receipt promises beyond the goods: the art. 909 terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Terms {
    /// The loss and shrinkage allowance, as a fraction of the quantity.
    pub loss_allowance: Fraction,
    /// First day of storage.
    pub storage_from: Date,
    /// Last day of storage: the receipt expires when it ends.
    pub storage_until: Date,
    /// The storage fee.
    pub storage_fee: Money,
    /// What the fee is charged per, such as "per tonne per day".
    pub fee_basis: Text,
    /// The insurance, if the goods are insured.
    pub insurance: Option<Insurance>,
    /// Where the receipt is issued.
    pub issue_place: Text,
}

/// `receipt.draft`: a warehouse officer prepares a receipt (the maker).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftReceipt {
    /// The new receipt's id.
    pub receipt: RecordId,
    /// The lot it is issued against.
    pub lot: RecordId,
    /// Its number, unique in the warehouse.
    pub number: ReceiptNumber,
    /// The quantity it covers, in the lot's unit.
    pub quantity: Quantity,
    /// The pieces it covers; 0 for bulk.
    pub pieces: u32,
    /// Its terms.
    pub terms: Terms,
}

/// A transaction naming one receipt: `receipt.issue`, `receipt.countersign`,
/// `receipt.cancel_request`, `receipt.confirm_redemption`, `receipt.lift`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiptRef {
    /// The receipt.
    pub receipt: RecordId,
}

/// `receipt.discard`: a draft is dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscardDraft {
    /// The draft.
    pub receipt: RecordId,
    /// Why.
    pub reason: Text,
}

/// `receipt.endorse`: the holder endorses the receipt to a new holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Endorse {
    /// The receipt.
    pub receipt: RecordId,
    /// The new holder.
    pub to: OrgId,
}

/// One new receipt of a split.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Part {
    /// The new receipt's id.
    pub receipt: RecordId,
    /// Its quantity.
    pub quantity: Quantity,
    /// Its pieces.
    pub pieces: u32,
}

/// `receipt.split`: one receipt becomes several whose quantities sum to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Split {
    /// The receipt split, cancelled by it.
    pub receipt: RecordId,
    /// The new receipts.
    pub parts: Vec<Part>,
}

/// `receipt.merge`: receipts on one lot and holder become one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Merge {
    /// The receipts merged, cancelled by it.
    pub receipts: Vec<RecordId>,
    /// The new receipt's id.
    pub into: RecordId,
}

/// `receipt.request_redemption`: the holder asks for goods to be released.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestRedemption {
    /// The receipt.
    pub receipt: RecordId,
    /// How much to release.
    pub quantity: Quantity,
    /// How many pieces to release.
    pub pieces: u32,
}

/// `receipt.encumber`: the holder pledges the receipt to a bank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Encumber {
    /// The receipt.
    pub receipt: RecordId,
    /// The bank that holds the encumbrance.
    pub pledgee: OrgId,
    /// The bank's reference, such as a loan number.
    pub reference: Text,
}
