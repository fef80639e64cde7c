//! Transfers: the holder endorses a receipt to a new holder, the warehouse
//! countersigns, or the request is cancelled.

use super::body::{Endorse, ReceiptRef};
use super::{Endorsement, Pending, Receipts};
use crate::acting::{HOLDER_KINDS, acts_for, counterparty};
use crate::error::ContractError;
use crate::membership::{Membership, Signer};
use crate::{Context, Notice, Outcome, Touched};

impl Receipts {
    pub(super) fn endorse(
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

    pub(super) fn countersign(
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

    pub(super) fn cancel_request(
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
}
