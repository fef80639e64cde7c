//! From an application to a disbursed loan: the borrower applies with
//! receipts, each warehouse confirms or declines that it holds them for the
//! bank, a bank officer proposes terms, an approver who is not the maker
//! approves or rejects, the pledge is registered, and the bank disburses.

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use super::body::{
    Apply, Decline, Disburse, LoanReason, LoanRef, LoanTerms, PledgeRef, Propose, Register,
};
use super::{
    Balances, Financing, Loan, LoanEvent, LoanStatus, MAX_CURE_DAYS, MAX_GRACE_DAYS,
    MAX_TENOR_DAYS, Pledge, Proposal, Registration, Valuation, absorb, distinct, guarded,
    haircut_of, notice, positive, same_currency, within_ltv,
};
use crate::acting::{acting_as, acts_for, counterparty};
use crate::error::ContractError;
use crate::ids::{OrgId, OrgKind, RecordId, Role};
use crate::membership::{Membership, Signer};
use crate::receipts::{EncumbranceKind, Receipts};
use crate::text::Text;
use crate::time::Date;
use crate::{Context, Outcome, Touched};

/// Where a receipt offered to a loan sits: in the application or in a
/// top-up, by position.
#[derive(Debug, Clone, Copy)]
pub(super) enum Offer {
    Application(usize),
    TopUp(usize),
}

/// Finds `receipt` among the loan's offered receipts, still waiting for its
/// warehouse, whose user `signer` must be: what confirming and declining
/// both check first. `doing` names the act ("confirming", "declining") in
/// the refusal.
fn unconfirmed_offer(
    loan: &Loan,
    receipt: &RecordId,
    signer: &Signer<'_>,
    doing: &str,
) -> Result<Offer, ContractError> {
    let find = |list: &[Pledge]| list.iter().position(|p| &p.receipt == receipt);
    let found = find(&loan.collateral)
        .map(|i| (Offer::Application(i), loan.collateral.get(i)))
        .or_else(|| find(&loan.top_ups).map(|i| (Offer::TopUp(i), loan.top_ups.get(i))));
    let Some((offer, Some(pledge))) = found else {
        return Err(ContractError::NotFound(format!(
            "receipt {receipt} is not offered for loan {}",
            loan.id
        )));
    };
    acts_for(
        signer,
        &pledge.warehouse,
        &format!("{doing} control of pledged goods"),
    )?;
    if pledge.confirmed_at.is_some() {
        return Err(ContractError::InvalidState(format!(
            "receipt {receipt} is already confirmed for loan {}",
            loan.id
        )));
    }
    if let Offer::Application(_) = offer {
        Financing::in_status(
            loan,
            &[LoanStatus::Applied],
            &format!("{doing} an offered receipt"),
        )?;
    }
    Ok(offer)
}

impl Financing {
    /// Offers `ids` as pending pledges for `loan`, all or none.
    pub(super) fn offer(
        members: &Membership,
        receipts: &mut Receipts,
        ctx: &Context<'_>,
        loan: &RecordId,
        borrower: &OrgId,
        bank: &OrgId,
        ids: &[RecordId],
    ) -> Result<(Vec<Pledge>, Outcome), ContractError> {
        let reference = Text::parse(loan.as_str())?;
        guarded(receipts, ids, |receipts| {
            let mut outcome = Outcome::default();
            let mut pledges = Vec::new();
            for id in ids {
                absorb(
                    &mut outcome,
                    receipts.encumber(
                        members,
                        ctx,
                        id,
                        borrower,
                        bank,
                        &reference,
                        EncumbranceKind::Pending,
                    )?,
                );
                pledges.push(Pledge {
                    receipt: id.clone(),
                    warehouse: receipts.receipt(id)?.warehouse.clone(),
                    offered_at: ctx.index,
                    confirmed_at: None,
                });
            }
            Ok((pledges, outcome))
        })
    }

    pub(super) fn apply_for(
        &mut self,
        members: &Membership,
        receipts: &mut Receipts,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &Apply,
    ) -> Result<Outcome, ContractError> {
        let borrower = acting_as(signer, OrgKind::Sme, "applying for a loan")?;
        if self.loans.contains_key(&b.loan) {
            return Err(ContractError::AlreadyExists(format!(
                "loan {} already exists",
                b.loan
            )));
        }
        positive(b.amount, "the amount applied for")?;
        if b.tenor_days == 0 || b.tenor_days > MAX_TENOR_DAYS {
            return Err(ContractError::BadRequest(format!(
                "a tenor of {} days is outside 1 to {MAX_TENOR_DAYS}",
                b.tenor_days
            )));
        }
        counterparty(members, &b.bank, &[OrgKind::Bank], "the lender")?;
        distinct(&b.receipts, "an application")?;
        let (pledges, mut outcome) = Self::offer(
            members,
            receipts,
            ctx,
            &b.loan,
            &borrower,
            &b.bank,
            &b.receipts,
        )?;
        let loan = Loan {
            id: b.loan.clone(),
            borrower,
            bank: b.bank.clone(),
            amount: b.amount,
            tenor_days: b.tenor_days,
            purpose: b.purpose.clone(),
            status: LoanStatus::Applied,
            applied_at: ctx.index,
            collateral: pledges,
            top_ups: Vec::new(),
            released: Vec::new(),
            proposal: None,
            approved_by: None,
            registration: None,
            disbursement: None,
            balances: Balances::default(),
            payments: Vec::new(),
            instructions: Vec::new(),
            margin_calls: Vec::new(),
            default: None,
            realisation: None,
            reason: None,
            closed_at: None,
        };
        outcome
            .notices
            .push(notice(&loan, &loan.bank, LoanEvent::Applied));
        let warehouses: BTreeSet<&OrgId> = loan.collateral.iter().map(|p| &p.warehouse).collect();
        for w in warehouses {
            outcome
                .notices
                .push(notice(&loan, w, LoanEvent::ConfirmationNeeded));
        }
        self.finish(loan, outcome)
    }

    pub(super) fn confirm(
        &mut self,
        receipts: &mut Receipts,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &PledgeRef,
    ) -> Result<Outcome, ContractError> {
        let mut loan = self.loan(&b.loan)?.clone();
        let offer = unconfirmed_offer(&loan, &b.receipt, signer, "confirming")?;
        let mut outcome = Outcome::default();
        if let Offer::Application(i) = offer {
            if let Some(p) = loan.collateral.get_mut(i) {
                p.confirmed_at = Some(ctx.index);
            }
            if loan.collateral.iter().all(|p| p.confirmed_at.is_some()) {
                loan.status = LoanStatus::Confirmed;
            }
        } else if let Offer::TopUp(i) = offer {
            Self::in_status(&loan, &[LoanStatus::Active], "confirming a top-up")?;
            absorb(&mut outcome, receipts.activate(&b.receipt, &loan.bank)?);
            let mut pledge = loan.top_ups.remove(i);
            pledge.confirmed_at = Some(ctx.index);
            loan.collateral.push(pledge);
            self.revalue(receipts, &mut loan, ctx, &mut outcome);
        }
        outcome.touched.push(Touched::Receipt(b.receipt.clone()));
        self.finish(loan, outcome)
    }

    pub(super) fn decline(
        &mut self,
        receipts: &mut Receipts,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &Decline,
    ) -> Result<Outcome, ContractError> {
        let mut loan = self.loan(&b.loan)?.clone();
        let offer = unconfirmed_offer(&loan, &b.receipt, signer, "declining")?;
        let mut outcome = Outcome::default();
        if let Offer::Application(_) = offer {
            let ids: Vec<RecordId> = loan.receipts().cloned().collect();
            absorb(&mut outcome, Self::lift_all(receipts, &loan.bank, &ids)?);
            loan.collateral.clear();
            loan.released
                .extend(ids.into_iter().map(|id| (id, ctx.index)));
            loan.status = LoanStatus::Declined;
            loan.reason = Some(b.reason.clone());
            loan.closed_at = Some(ctx.index);
            outcome
                .notices
                .push(notice(&loan, &loan.borrower, LoanEvent::Declined));
        } else if let Offer::TopUp(i) = offer {
            absorb(
                &mut outcome,
                Self::lift_all(receipts, &loan.bank, std::slice::from_ref(&b.receipt))?,
            );
            loan.top_ups.remove(i);
            outcome
                .notices
                .push(notice(&loan, &loan.borrower, LoanEvent::Declined));
        }
        // The warehouse that declined stays a party to the entry.
        outcome.parties.insert(signer.user.org.clone());
        self.finish(loan, outcome)
    }

    pub(super) fn check_terms(
        &self,
        receipts: &Receipts,
        loan: &Loan,
        t: &LoanTerms,
        today: Date,
    ) -> Result<Valuation, ContractError> {
        let principal = same_currency(t.principal, loan, "the principal")?;
        if principal > loan.amount.value() {
            return Err(ContractError::InvalidAmount(format!(
                "the principal {} exceeds the {} applied for",
                t.principal, loan.amount
            )));
        }
        if t.penalty_rate < t.annual_rate {
            return Err(ContractError::InvalidRate(format!(
                "the penalty rate {} is below the contractual rate {}",
                t.penalty_rate, t.annual_rate
            )));
        }
        if t.maturity <= today {
            return Err(ContractError::InvalidDate(format!(
                "the maturity {} is not after today, {today}",
                t.maturity
            )));
        }
        if today.days_until(t.maturity) > i64::from(MAX_TENOR_DAYS) {
            return Err(ContractError::InvalidDate(format!(
                "the maturity {} is more than {MAX_TENOR_DAYS} days away",
                t.maturity
            )));
        }
        if t.grace_days > MAX_GRACE_DAYS {
            return Err(ContractError::BadRequest(format!(
                "{} grace days are more than {MAX_GRACE_DAYS}",
                t.grace_days
            )));
        }
        if t.cure_days == 0 || t.cure_days > MAX_CURE_DAYS {
            return Err(ContractError::BadRequest(format!(
                "a cure period of {} days is outside 1 to {MAX_CURE_DAYS}",
                t.cure_days
            )));
        }
        let zero = Decimal::ZERO;
        if !(zero < t.max_ltv.value()
            && t.max_ltv < t.margin_call_ltv
            && t.margin_call_ltv < t.liquidation_ltv)
        {
            return Err(ContractError::InvalidRate(format!(
                "loan-to-value levels must rise strictly above 0: max {} < margin call {} < liquidation {}",
                t.max_ltv, t.margin_call_ltv, t.liquidation_ltv
            )));
        }
        let mut codes = BTreeSet::new();
        for h in &t.haircuts {
            if !codes.insert(&h.hs_code) {
                return Err(ContractError::BadRequest(format!(
                    "HS {} has two haircuts",
                    h.hs_code
                )));
            }
            if h.haircut.value() >= Decimal::ONE {
                return Err(ContractError::InvalidRate(format!(
                    "a haircut of {} on HS {} leaves nothing to lend against",
                    h.haircut, h.hs_code
                )));
            }
        }
        for p in &loan.collateral {
            let hs = &receipts.lot(&receipts.receipt(&p.receipt)?.lot)?.hs_code;
            if !codes.contains(hs) {
                return Err(ContractError::BadRequest(format!(
                    "no haircut is given for HS {hs} (receipt {})",
                    p.receipt
                )));
            }
        }
        let ids: Vec<&RecordId> = loan.collateral.iter().map(|p| &p.receipt).collect();
        let v = self
            .value(receipts, &ids, loan.currency(), |hs| {
                haircut_of(Some(t), hs)
            })?
            .priced()?;
        within_ltv(principal, t.max_ltv.value(), &v, "the principal")?;
        Ok(v)
    }

    pub(super) fn propose(
        &mut self,
        receipts: &Receipts,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &Propose,
    ) -> Result<Outcome, ContractError> {
        let mut loan = self.loan(&b.loan)?.clone();
        Self::bank_role(signer, &loan, Role::Officer, "proposing terms")?;
        Self::in_status(
            &loan,
            &[LoanStatus::Confirmed, LoanStatus::Proposed],
            "proposing terms",
        )?;
        self.check_terms(receipts, &loan, &b.terms, Date::of(ctx.time))?;
        loan.proposal = Some(Proposal {
            terms: b.terms.clone(),
            by: signer.user.id.clone(),
            at: ctx.index,
        });
        loan.status = LoanStatus::Proposed;
        self.finish(loan, Outcome::default())
    }

    pub(super) fn approve(
        &mut self,
        receipts: &Receipts,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &LoanRef,
    ) -> Result<Outcome, ContractError> {
        let mut loan = self.loan(&b.loan)?.clone();
        Self::bank_role(signer, &loan, Role::Approver, "approving a loan")?;
        Self::in_status(&loan, &[LoanStatus::Proposed], "approving")?;
        let Some(proposal) = &loan.proposal else {
            return Err(ContractError::InvalidState(format!(
                "loan {} has no terms proposed",
                loan.id
            )));
        };
        if proposal.by == signer.user.id {
            return Err(ContractError::SameUser(format!(
                "{} proposed these terms and cannot also approve them",
                signer.user.id
            )));
        }
        self.check_terms(receipts, &loan, &proposal.terms, Date::of(ctx.time))?;
        loan.status = LoanStatus::Approved;
        loan.approved_by = Some(signer.user.id.clone());
        let n = notice(&loan, &loan.borrower, LoanEvent::Approved);
        self.finish(loan, Outcome::telling(n))
    }

    pub(super) fn reject(
        &mut self,
        receipts: &mut Receipts,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &LoanReason,
    ) -> Result<Outcome, ContractError> {
        let mut loan = self.loan(&b.loan)?.clone();
        Self::bank_role(signer, &loan, Role::Approver, "rejecting a loan")?;
        Self::in_status(
            &loan,
            &[
                LoanStatus::Applied,
                LoanStatus::Confirmed,
                LoanStatus::Proposed,
                LoanStatus::Approved,
            ],
            "rejecting",
        )?;
        if let Some(p) = &loan.proposal
            && p.by == signer.user.id
        {
            return Err(ContractError::SameUser(format!(
                "{} proposed these terms and cannot also decide on them",
                signer.user.id
            )));
        }
        let ids: Vec<RecordId> = loan.receipts().cloned().collect();
        let mut outcome = Self::lift_all(receipts, &loan.bank, &ids)?;
        loan.collateral.clear();
        loan.top_ups.clear();
        loan.released
            .extend(ids.into_iter().map(|id| (id, ctx.index)));
        loan.status = LoanStatus::Rejected;
        loan.reason = Some(b.reason.clone());
        loan.closed_at = Some(ctx.index);
        outcome
            .notices
            .push(notice(&loan, &loan.borrower, LoanEvent::Rejected));
        self.finish(loan, outcome)
    }

    pub(super) fn register(
        &mut self,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &Register,
    ) -> Result<Outcome, ContractError> {
        let mut loan = self.loan(&b.loan)?.clone();
        acts_for(signer, &loan.bank, "recording the pledge's registration")?;
        Self::in_status(&loan, &[LoanStatus::Approved], "recording a registration")?;
        let today = Date::of(ctx.time);
        if b.date > today {
            return Err(ContractError::InvalidDate(format!(
                "the registration date {} is after today, {today}",
                b.date
            )));
        }
        loan.registration = Some(Registration {
            reference: b.reference.clone(),
            date: b.date,
            at: ctx.index,
        });
        self.finish(loan, Outcome::default())
    }

    pub(super) fn disburse(
        &mut self,
        receipts: &mut Receipts,
        signer: &Signer<'_>,
        ctx: &Context<'_>,
        b: &Disburse,
    ) -> Result<Outcome, ContractError> {
        let mut loan = self.loan(&b.loan)?.clone();
        acts_for(signer, &loan.bank, "disbursing a loan")?;
        Self::in_status(&loan, &[LoanStatus::Approved], "disbursing")?;
        if loan.registration.is_none() {
            return Err(ContractError::RegistrationMissing(format!(
                "loan {}'s pledge is not registered with the movable property registry; record the registration first",
                loan.id
            )));
        }
        let Some(terms) = loan.terms().cloned() else {
            return Err(ContractError::InvalidState(format!(
                "loan {} has no terms",
                loan.id
            )));
        };
        let today = Date::of(ctx.time);
        self.check_terms(receipts, &loan, &terms, today)?;
        let ids: Vec<RecordId> = loan.collateral.iter().map(|p| p.receipt.clone()).collect();
        let bank = loan.bank.clone();
        let mut outcome = guarded(receipts, &ids, |receipts| {
            let mut outcome = Outcome::default();
            for id in &ids {
                absorb(&mut outcome, receipts.activate(id, &bank)?);
            }
            Ok(outcome)
        })?;
        let principal = terms.principal.value();
        loan.balances = Balances {
            basis: terms.day_count.basis(),
            disbursed: principal,
            principal,
            accrued_to: Some(today),
            ..Balances::default()
        };
        loan.disbursement = Some((b.reference.clone(), ctx.index, today));
        loan.status = LoanStatus::Active;
        outcome
            .notices
            .push(notice(&loan, &loan.borrower, LoanEvent::Disbursed));
        self.finish(loan, outcome)
    }
}
