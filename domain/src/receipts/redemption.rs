//! Redemption: the holder asks for the goods, the warehouse confirms their
//! release, and the receipt ends.

use super::body::{ReceiptRef, RequestRedemption};
use super::{Pending, ReceiptStatus, Receipts};
use crate::acting::acts_for;
use crate::error::ContractError;
use crate::membership::Signer;
use crate::{Context, Outcome, Touched};

impl Receipts {
    pub(super) fn request_redemption(
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

    pub(super) fn confirm_redemption(
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
}
