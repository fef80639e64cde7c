//! Encumbrances: the one pledge a receipt may carry, pending while a loan
//! is prepared and active once in force, and who may lift it (only its
//! holder). The financing contract pledges only through these hooks, and
//! `receipt.encumber` and `receipt.lift` expose the bare pledge. The
//! encumbrance is the one record that a receipt is pledged: the financing
//! contract reads a loan's pledges from it (`Financing::securing`).

use serde::{Deserialize, Serialize};

use super::{Endorsement, Receipts};
use crate::acting::{acts_for, counterparty};
use crate::error::ContractError;
use crate::ids::{OrgId, OrgKind, RecordId};
use crate::membership::{Membership, Signer};
use crate::text::Text;
use crate::{Context, Outcome, Touched};

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

impl Receipts {
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
        let e = self.encumbrance_of(receipt)?;
        if e.holder != *by {
            return Err(ContractError::Forbidden(format!(
                "only {}, which holds the encumbrance on receipt {receipt}, may lift it",
                e.holder
            )));
        }
        let r = self.receipt(receipt)?;
        let parties = [r.holder.clone(), by.clone(), r.warehouse.clone()];
        if let Some(r) = self.receipts.get_mut(receipt) {
            r.encumbrance = None;
        }
        Ok(Outcome::touching(
            parties,
            [Touched::Receipt(receipt.clone())],
        ))
    }

    /// `receipt.lift`, signed: a user acting for the encumbrance's holder
    /// lifts it. (A loan's pledge is refused before this, in
    /// `State::apply`: its bank releases it with `loan.release`.)
    pub(super) fn lift_signed(
        &mut self,
        signer: &Signer<'_>,
        receipt: &RecordId,
    ) -> Result<Outcome, ContractError> {
        let holder = self.encumbrance_of(receipt)?.holder.clone();
        acts_for(signer, &holder, "lifting an encumbrance")?;
        self.lift(receipt, &holder)
    }

    /// The encumbrance on `receipt`, which must have one.
    fn encumbrance_of(&self, receipt: &RecordId) -> Result<&Encumbrance, ContractError> {
        self.receipt(receipt)?.encumbrance.as_ref().ok_or_else(|| {
            ContractError::InvalidState(format!("receipt {receipt} carries no encumbrance"))
        })
    }
}
