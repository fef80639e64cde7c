//! Splitting a receipt into parts and merging receipts of one lot into one,
//! conserving quantity and pieces exactly.

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use super::body::{Merge, Split};
use super::{MAX_PARTS, Provenance, Receipt, ReceiptStatus, Receipts, sum};
use crate::acting::acts_for;
use crate::error::ContractError;
use crate::ids::{OrgId, ReceiptNumber};
use crate::membership::Signer;
use crate::{Context, Outcome, Touched};

impl Receipts {
    /// A number for a receipt made from `base`, refused if too long or taken.
    pub(super) fn derived_number(
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

    pub(super) fn split(
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

    pub(super) fn merge(
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
}
