//! The receipts contract's inputs, and their parsing into the contract's
//! body types: what parses is what is signed.

use crate::graphql::shared::{MoneyInput, p, rid};
use godown_domain::ErrorCode;

use async_graphql::InputObject;
use godown_domain::Quantity as Qty;
use godown_domain::receipts::body::ReceiptRef;

use crate::error::ApiError;

pub(crate) fn qty(text: &str) -> Result<Qty, ApiError> {
    p(Qty::parse(text))
}

pub(crate) fn pieces(n: i32) -> Result<u32, ApiError> {
    u32::try_from(n).map_err(|_| {
        ApiError::new(
            ErrorCode::InvalidQuantity,
            format!("pieces must be 0 or more, not {n}"),
        )
    })
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

pub(crate) fn receipt_ref(input: &ReceiptRefInput) -> Result<ReceiptRef, ApiError> {
    Ok(ReceiptRef {
        receipt: rid(&input.receipt)?,
    })
}
