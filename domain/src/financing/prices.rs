//! Prices: published by banks and the sources the operator designates,
//! looked up per commodity and grade.

use super::body::{Designate, PublishPrice};
use super::{Financing, LoanStatus, Price, positive};
use crate::acting::acts_for;
use crate::error::ContractError;
use crate::goods::HsCode;
use crate::ids::{OrgKind, RecordId, Role};
use crate::membership::{Membership, Signer};
use crate::receipts::Receipts;
use crate::{Context, Outcome, Touched};

impl Financing {
    /// The price that applies to a commodity and grade: the grade's own,
    /// else the commodity's for any grade.
    pub fn price_for(&self, hs_code: &HsCode, grade: &str) -> Option<&Price> {
        self.prices
            .get(&(hs_code.clone(), grade.to_owned()))
            .or_else(|| self.prices.get(&(hs_code.clone(), String::new())))
    }

    pub(super) fn publish(
        &mut self,
        receipts: &Receipts,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &PublishPrice,
    ) -> Result<Outcome, ContractError> {
        let org = signer.user.org.clone();
        if signer.org.kind != OrgKind::Bank && !self.sources.contains(&org) {
            return Err(ContractError::Forbidden(format!(
                "{org} is not a price source: banks publish prices, and others only when the operator designates them"
            )));
        }
        acts_for(signer, &org, "publishing a price")?;
        positive(b.price, "a price")?;
        let key = (
            b.hs_code.clone(),
            b.grade
                .as_ref()
                .map(|g| g.as_str().to_owned())
                .unwrap_or_default(),
        );
        let price = Price {
            unit: b.unit,
            price: b.price,
            by: org.clone(),
            at: ctx.index,
            time: ctx.time,
        };
        self.history.push((key.clone(), price.clone()));
        self.prices.insert(key, price);
        let mut outcome = Outcome::default();
        outcome.parties.insert(org.clone());
        outcome.touched.push(Touched::Price(b.hs_code.clone()));
        let affected: Vec<RecordId> = self
            .loans
            .values()
            .filter(|l| l.status == LoanStatus::Active)
            .filter(|l| {
                l.collateral.iter().any(|p| {
                    receipts
                        .receipt(&p.receipt)
                        .and_then(|r| receipts.lot(&r.lot))
                        .is_ok_and(|lot| lot.hs_code == b.hs_code)
                })
            })
            .map(|l| l.id.clone())
            .collect();
        for id in affected {
            self.revalue_by_id(receipts, &id, ctx, &mut outcome);
        }
        Ok(outcome)
    }

    pub(super) fn designate(
        &mut self,
        members: &Membership,
        signer: &Signer<'_>,
        b: &Designate,
    ) -> Result<Outcome, ContractError> {
        if signer.org.kind != OrgKind::Operator || !signer.holds(Role::Admin, &signer.user.org) {
            return Err(ContractError::Forbidden(
                "only the operator's admin designates price sources".to_owned(),
            ));
        }
        members.org(&b.org)?;
        if b.source {
            self.sources.insert(b.org.clone());
        } else {
            self.sources.remove(&b.org);
        }
        Ok(Outcome::touching(
            [b.org.clone()],
            [Touched::PriceSource(b.org.clone())],
        ))
    }
}
