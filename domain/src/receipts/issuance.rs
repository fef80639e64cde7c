//! Issuing receipts, maker-checker: an officer drafts (reserving nothing),
//! an approver who is not the drafter issues against free stock, or the
//! draft is discarded.

use rust_decimal::Decimal;

use super::body::{DiscardDraft, DraftReceipt, ReceiptRef, Terms};
use super::{Lot, Provenance, Receipt, ReceiptStatus, Receipts};
use crate::acting::acts_for;
use crate::error::ContractError;
use crate::ids::{OrgId, ReceiptNumber, RecordId, Role};
use crate::membership::Signer;
use crate::time::Timestamp;
use crate::{Context, Notice, Outcome, Touched};

/// Terms that make sense: a storage period that has not ended and does not
/// end before it starts, and insurance that ends after it starts.
pub(super) fn check_terms(terms: &Terms, time: Timestamp) -> Result<(), ContractError> {
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

impl Receipts {
    pub(super) fn number_is_free(
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
    pub(super) fn check_free(
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

    pub(super) fn draft(
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

    pub(super) fn draft_of(&self, id: &RecordId) -> Result<&Receipt, ContractError> {
        let r = self.receipt(id)?;
        if r.status != ReceiptStatus::Draft {
            return Err(ContractError::InvalidState(format!(
                "receipt {id} is {}, not a draft",
                r.status.as_str()
            )));
        }
        Ok(r)
    }

    pub(super) fn issue(
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

    pub(super) fn discard(
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
}
