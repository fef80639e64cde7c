//! Lots and their stock: goods received into a warehouse, certified by an
//! inspector, counted, and adjusted; what a lot holds and what its live
//! receipts cover.

use std::collections::BTreeSet;
use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Receipts;
use super::body::{AdjustStock, CertifyLot, CountStock, ReceiveGoods};
use crate::acting::{HOLDER_KINDS, acting_as, acts_for, counterparty};
use crate::error::ContractError;
use crate::goods::{DocHash, HsCode, MAX_SCALE, Unit, plain_decimal};
use crate::ids::{OrgId, OrgKind, RecordId};
use crate::membership::{Membership, Signer};
use crate::text::{Name, Text};
use crate::{Context, Notice, Outcome, Touched};

/// A quantity that may be zero: a count, or a quantity on hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stock(pub(super) Decimal);

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

impl Receipts {
    pub(super) fn receive(
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

    pub(super) fn certify(
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
    pub(super) fn lot_parties(&self, lot: &Lot) -> BTreeSet<OrgId> {
        let mut parties = BTreeSet::from([lot.warehouse.clone(), lot.depositor.clone()]);
        for r in self.outstanding(&lot.id) {
            parties.insert(r.holder.clone());
            if let Some(e) = &r.encumbrance {
                parties.insert(e.holder.clone());
            }
        }
        parties
    }

    pub(super) fn count(
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

    pub(super) fn adjust(
        &mut self,
        signer: &Signer<'_>,
        b: &AdjustStock,
    ) -> Result<Outcome, ContractError> {
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
}
