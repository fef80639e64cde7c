//! The financing contract over GraphQL: loans (with live valuation, LTV,
//! what is owed, the repayment schedule and the signed history with
//! proofs), prices, a bank's portfolio, and one mutation per transaction
//! type. Figures come from `godown_node::collateral`, which runs the contract's
//! own functions over the rows a loan needs.

use async_graphql::connection::{Connection, Edge, query};
use async_graphql::{ComplexObject, Context, Enum, InputObject, Object, SimpleObject};
use godown_domain::ErrorCode;
use godown_domain::financing::body::{
    Apply, Decline, Designate, Disburse, Enforce, Enforcement, Haircut, Instruct, LoanReason,
    LoanReceipts, LoanRef, LoanTerms as TermsBody, PledgeRef, Propose, PublishPrice, Register,
    Repay,
};
use godown_domain::financing::interest::{
    Allocation as DomainAllocation, DayCount as Convention, round,
};
use godown_domain::financing::{
    self as domain, FinancingTx, INDICATIVE_HAIRCUT, INDICATIVE_MAX_LTV,
    Valuation as DomainValuation,
};
use godown_domain::{Currency, Date, Fraction, HsCode, RecordId, Unit};
use rust_decimal::Decimal;

use super::mutation::run;
use super::receipts::{
    Directory, Money, MoneyInput, Quantity, date, directory, index, money, offset, org,
    organisation, p, page, rid, signed_entries, txt,
};
use super::types::{Organisation, Proof, SignatureInput, TxReceipt};
use super::{gql_int, node, viewer};
use crate::error::ApiError;
use godown_domain::financing::figures::{Book, Figures, books, schedule};
use godown_node::collateral::{load_market, ltv_series};
use godown_node::store::loans::{self as store, LoanFilter};
use godown_node::visibility::{may_see_loan, portfolio_of, require_full, sees_everything};

/// Where a loan is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum LoanStatus {
    /// Applied for; the warehouse has yet to confirm every receipt.
    Applied,
    /// A warehouse declined to hold the goods: ended.
    Declined,
    /// Every receipt confirmed; the bank reviews.
    Confirmed,
    /// An officer proposed terms; an approver decides.
    Proposed,
    /// The bank rejected it: ended.
    Rejected,
    /// Approved; waits for registration and disbursement.
    Approved,
    /// Disbursed and running.
    Active,
    /// Default declared; the bank may enforce.
    Defaulted,
    /// Everything owed is paid; the bank releases the pledges.
    Repaid,
    /// Collateral realised; an unsecured claim remains.
    Enforced,
    /// Ended with nothing owed.
    Closed,
    /// Ended with the unsecured claim written off.
    WrittenOff,
}

impl LoanStatus {
    fn of(s: domain::LoanStatus) -> Self {
        use domain::LoanStatus as D;
        match s {
            D::Applied => Self::Applied,
            D::Declined => Self::Declined,
            D::Confirmed => Self::Confirmed,
            D::Proposed => Self::Proposed,
            D::Rejected => Self::Rejected,
            D::Approved => Self::Approved,
            D::Active => Self::Active,
            D::Defaulted => Self::Defaulted,
            D::Repaid => Self::Repaid,
            D::Enforced => Self::Enforced,
            D::Closed => Self::Closed,
            D::WrittenOff => Self::WrittenOff,
        }
    }

    fn domain(self) -> domain::LoanStatus {
        use domain::LoanStatus as D;
        match self {
            Self::Applied => D::Applied,
            Self::Declined => D::Declined,
            Self::Confirmed => D::Confirmed,
            Self::Proposed => D::Proposed,
            Self::Rejected => D::Rejected,
            Self::Approved => D::Approved,
            Self::Active => D::Active,
            Self::Defaulted => D::Defaulted,
            Self::Repaid => D::Repaid,
            Self::Enforced => D::Enforced,
            Self::Closed => D::Closed,
            Self::WrittenOff => D::WrittenOff,
        }
    }
}

/// The day-count convention of a loan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum DayCount {
    /// Actual/360, the People's Bank of China's default.
    Act360,
    /// Actual/365.
    Act365,
}

impl DayCount {
    fn of(c: Convention) -> Self {
        match c {
            Convention::Act360 => Self::Act360,
            Convention::Act365 => Self::Act365,
        }
    }

    fn domain(self) -> Convention {
        match self {
            Self::Act360 => Convention::Act360,
            Self::Act365 => Convention::Act365,
        }
    }
}

/// How a defaulted loan's collateral is realised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum EnforcementMethod {
    /// The bank takes the receipts at a value credited to the loan.
    Take,
    /// The goods are sold to a buyer through the warehouse.
    Sale,
}

/// An amount in `currency`, always with its minor unit's places, so `100`
/// shows as `100.00`.
fn amount(value: Decimal, currency: Currency) -> Money {
    let mut fixed = round(value, currency);
    fixed.rescale(currency.places());
    Money {
        currency: currency.as_str().to_owned(),
        value: fixed.to_string(),
    }
}

fn ratio(value: Decimal) -> String {
    value.round_dp(4).normalize().to_string()
}

/// A receipt offered or pledged, and whether its warehouse confirmed it.
#[derive(Debug, Clone, SimpleObject)]
pub struct Pledge {
    /// The receipt.
    pub receipt: String,
    /// Its warehouse.
    pub warehouse: Organisation,
    /// The entry that offered it.
    pub offered_at: i32,
    /// The entry that confirmed control, if confirmed.
    pub confirmed_at: Option<i32>,
}

/// A receipt released from the loan.
#[derive(Debug, Clone, SimpleObject)]
pub struct Released {
    /// The receipt.
    pub receipt: String,
    /// The entry that released it.
    pub at: i32,
}

/// A haircut on one commodity.
#[derive(Debug, Clone, SimpleObject)]
pub struct HaircutTerm {
    /// Its HS code.
    pub hs_code: String,
    /// The haircut, a fraction such as `"0.30"`.
    pub haircut: String,
}

/// The terms proposed, and who proposed them.
#[derive(Debug, Clone, SimpleObject)]
pub struct LoanTerms {
    /// The principal.
    pub principal: Money,
    /// The annual rate, a fraction.
    pub annual_rate: String,
    /// The day-count convention.
    pub day_count: DayCount,
    /// The maturity date.
    pub maturity: String,
    /// Days after maturity before penalty interest runs.
    pub grace_days: i32,
    /// The annual penalty rate.
    pub penalty_rate: String,
    /// Haircut per commodity.
    pub haircuts: Vec<HaircutTerm>,
    /// The maximum loan-to-value.
    pub max_ltv: String,
    /// The margin-call loan-to-value.
    pub margin_call_ltv: String,
    /// The liquidation loan-to-value.
    pub liquidation_ltv: String,
    /// Days to cure a margin call.
    pub cure_days: i32,
    /// The officer who proposed them (the maker).
    pub proposed_by: String,
    /// The entry.
    pub proposed_at: i32,
}

/// The pledge's registration with the national registry.
#[derive(Debug, Clone, SimpleObject)]
pub struct Registration {
    /// The registry's reference.
    pub reference: String,
    /// The date registered.
    pub date: String,
    /// The entry.
    pub at: i32,
}

/// The funds sent.
#[derive(Debug, Clone, SimpleObject)]
pub struct Disbursement {
    /// The payment's reference.
    pub reference: String,
    /// The entry.
    pub at: i32,
    /// The value date.
    pub on: String,
}

/// How money was applied: penalty, then interest, then principal.
#[derive(Debug, Clone, SimpleObject)]
pub struct Allocation {
    /// To penalty interest.
    pub penalty: Money,
    /// To interest.
    pub interest: Money,
    /// To principal.
    pub principal: Money,
    /// Left over, returned to the borrower.
    pub surplus: Money,
}

impl Allocation {
    fn of(a: &DomainAllocation, c: Currency) -> Self {
        Self {
            penalty: amount(a.penalty, c),
            interest: amount(a.interest, c),
            principal: amount(a.principal, c),
            surplus: amount(a.surplus, c),
        }
    }
}

/// A repayment recorded by the bank.
#[derive(Debug, Clone, SimpleObject)]
pub struct Payment {
    /// The entry.
    pub at: i32,
    /// The value date.
    pub on: String,
    /// How much.
    pub amount: Money,
    /// The payment's reference.
    pub reference: String,
    /// How it was applied.
    pub allocation: Allocation,
}

/// A repayment the borrower says it has sent.
#[derive(Debug, Clone, SimpleObject)]
pub struct Instruction {
    /// The entry.
    pub at: i32,
    /// The day.
    pub on: String,
    /// How much.
    pub amount: Money,
    /// The payment's reference.
    pub reference: String,
}

/// A margin call, open or cured.
#[derive(Debug, Clone, SimpleObject)]
pub struct MarginCall {
    /// The entry that raised it.
    pub raised_at: i32,
    /// The day raised.
    pub raised_on: String,
    /// The last day to cure it.
    pub deadline: String,
    /// The loan-to-value that raised it.
    pub ltv: String,
    /// The entry that cured it.
    pub cured_at: Option<i32>,
}

/// A declared default.
#[derive(Debug, Clone, SimpleObject)]
pub struct LoanDefault {
    /// The grounds that held: `margin_call_expired`, `liquidation`,
    /// `overdue`.
    pub grounds: Vec<String>,
    /// The bank's words.
    pub reason: String,
    /// The entry.
    pub at: i32,
}

/// The realisation of the collateral.
#[derive(Debug, Clone, SimpleObject)]
pub struct Realisation {
    /// How.
    pub method: EnforcementMethod,
    /// Who received the receipts: the bank or the buyer.
    pub to: String,
    /// What was credited: the value taken or the sale's proceeds.
    pub proceeds: Money,
    /// The receipts.
    pub receipts: Vec<String>,
    /// How the proceeds were applied; the surplus went to the borrower.
    pub allocation: Allocation,
    /// What remained owed, unsecured.
    pub shortfall: Money,
    /// The entry.
    pub at: i32,
}

/// The loan's money.
#[derive(Debug, Clone, SimpleObject)]
pub struct Balances {
    /// Principal disbursed.
    pub disbursed: Money,
    /// Principal outstanding.
    pub principal: Money,
    /// Interest accrued to the last posting and unpaid, unrounded.
    pub interest: String,
    /// Penalty accrued to the last posting and unpaid, unrounded.
    pub penalty: String,
    /// Everything received.
    pub received: Money,
    /// Everything received, by what it paid.
    pub paid: Allocation,
    /// What was written off.
    pub written_off: Allocation,
}

/// What is owed on a day, rounded as a posting would.
#[derive(Debug, Clone, SimpleObject)]
pub struct Owed {
    /// The day.
    pub on: String,
    /// Penalty interest.
    pub penalty: Money,
    /// Interest.
    pub interest: Money,
    /// Principal.
    pub principal: Money,
    /// The sum.
    pub total: Money,
}

/// One receipt's line in a valuation.
#[derive(Debug, Clone, SimpleObject)]
pub struct ValuationLine {
    /// The receipt.
    pub receipt: String,
    /// Its commodity's HS code.
    pub hs_code: String,
    /// Its grade.
    pub grade: String,
    /// The quantity it covers.
    pub quantity: Quantity,
    /// The quantity counted as there (less after a shortfall).
    pub effective: Quantity,
    /// The price per unit, if one is published in the currency.
    pub price: Option<Money>,
    /// The haircut applied.
    pub haircut: String,
    /// Market value.
    pub market: Money,
    /// Lending value: market × (1 − haircut).
    pub value: Money,
}

/// Collateral valued at the latest prices.
#[derive(Debug, Clone, SimpleObject)]
pub struct Valuation {
    /// Line by line.
    pub lines: Vec<ValuationLine>,
    /// Total market value.
    pub market: Money,
    /// Total lending value: Σ quantity × price × (1 − haircut).
    pub value: Money,
    /// The most that may be lent against it: maximum LTV × value.
    pub max_loan: Money,
    /// The maximum LTV used.
    pub max_ltv: String,
    /// Receipts without a price in the currency.
    pub unpriced: Vec<String>,
}

impl Valuation {
    fn of(v: &DomainValuation, c: Currency, max_ltv: Decimal) -> Self {
        Self {
            lines: v
                .lines
                .iter()
                .map(|l| ValuationLine {
                    receipt: l.receipt.to_string(),
                    hs_code: l.hs_code.to_string(),
                    grade: l.grade.to_string(),
                    quantity: Quantity::of(l.quantity, l.unit),
                    effective: Quantity::of(l.effective, l.unit),
                    price: l.price.map(|p| Money {
                        currency: c.as_str().to_owned(),
                        value: p.to_string(),
                    }),
                    haircut: ratio(l.haircut),
                    market: amount(l.market, c),
                    value: amount(l.value, c),
                })
                .collect(),
            market: amount(v.market, c),
            value: amount(v.value, c),
            max_loan: amount(v.max_loan(max_ltv, c), c),
            max_ltv: ratio(max_ltv),
            unpriced: v.unpriced().map(|l| l.receipt.to_string()).collect(),
        }
    }
}

/// One line of the repayment schedule.
#[derive(Debug, Clone, SimpleObject)]
pub struct ScheduleLine {
    /// A payment's value date, or the day it falls due.
    pub date: String,
    /// `paid`, `due` or `overdue`.
    pub kind: String,
    /// Principal.
    pub principal: Money,
    /// Interest.
    pub interest: Money,
    /// Penalty.
    pub penalty: Money,
    /// The sum.
    pub total: Money,
    /// The payment's reference, for paid lines.
    pub reference: Option<String>,
}

/// One entry of a loan's signed history, with its inclusion proof.
#[derive(Debug, Clone, SimpleObject)]
pub struct LoanEvent {
    /// The entry's index.
    pub index: i32,
    /// The transaction type.
    #[graphql(name = "type")]
    pub tx_type: String,
    /// The sequencing time.
    pub time: String,
    /// Standard base64 of the signing key.
    pub signer: String,
    /// The signing key's user.
    pub signer_user: Option<String>,
    /// The signing user's organisation.
    pub signer_org: Option<String>,
    /// Its inclusion proof against the latest checkpoint.
    pub proof: Proof,
}

/// The loan-to-value at one published price.
#[derive(Debug, Clone, SimpleObject)]
pub struct LtvPoint {
    /// The entry that published the price.
    pub at: i32,
    /// Its time.
    pub time: String,
    /// The commodity.
    pub hs_code: String,
    /// The price published.
    pub price: Money,
    /// Principal outstanding then.
    pub principal: Money,
    /// The collateral's lending value at that price.
    pub value: Money,
    /// Loan-to-value then.
    pub ltv: Option<String>,
}

/// A loan, from application to its end.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(complex)]
pub struct Loan {
    /// Its id.
    pub id: String,
    /// The SME.
    pub borrower: Organisation,
    /// The bank.
    pub bank: Organisation,
    /// The amount applied for.
    pub amount: Money,
    /// The tenor applied for, in days.
    pub tenor_days: i32,
    /// The purpose.
    pub purpose: String,
    /// Where it is.
    pub status: LoanStatus,
    /// The entry that applied.
    pub applied_at: i32,
    /// Receipts offered, then pledged.
    pub collateral: Vec<Pledge>,
    /// Receipts offered as a top-up, waiting for their warehouse.
    pub top_ups: Vec<Pledge>,
    /// Receipts released.
    pub released: Vec<Released>,
    /// The terms proposed.
    pub terms: Option<LoanTerms>,
    /// The approver (the checker).
    pub approved_by: Option<String>,
    /// The registration.
    pub registration: Option<Registration>,
    /// The disbursement.
    pub disbursement: Option<Disbursement>,
    /// The money.
    pub balances: Balances,
    /// Repayments, oldest first.
    pub payments: Vec<Payment>,
    /// Repayments the borrower says it has sent, oldest first.
    pub instructions: Vec<Instruction>,
    /// Margin calls, oldest first; the last may be open.
    pub margin_calls: Vec<MarginCall>,
    /// The open margin call.
    pub open_margin_call: Option<MarginCall>,
    /// The default.
    pub default: Option<LoanDefault>,
    /// The realisation.
    pub realisation: Option<Realisation>,
    /// Why it was declined, rejected, defaulted or written off.
    pub reason: Option<String>,
    /// The entry that ended it.
    pub closed_at: Option<i32>,
    /// The collateral at the latest prices.
    pub valuation: Option<Valuation>,
    /// Loan-to-value at the latest prices: outstanding principal (or the
    /// principal proposed, or the amount applied for) over lending value.
    pub ltv: Option<String>,
    /// What is owed today.
    pub owed: Owed,
    /// Whether it is past maturity and unpaid.
    pub overdue: bool,
    /// What repayment cures the open margin call.
    pub cure_amount: Option<Money>,
    /// The repayment schedule: what was paid, then what falls due.
    pub schedule: Vec<ScheduleLine>,
}

fn margin_call(m: &domain::MarginCall) -> Result<MarginCall, ApiError> {
    Ok(MarginCall {
        raised_at: index(m.raised_at)?,
        raised_on: m.raised_on.to_string(),
        deadline: m.deadline.to_string(),
        ltv: ratio(m.ltv),
        cured_at: m.cured_at.map(index).transpose()?,
    })
}

fn pledges(list: &[domain::Pledge], dir: &Directory) -> Result<Vec<Pledge>, ApiError> {
    list.iter()
        .map(|p| {
            Ok(Pledge {
                receipt: p.receipt.to_string(),
                warehouse: organisation(dir, &p.warehouse)?,
                offered_at: index(p.offered_at)?,
                confirmed_at: p.confirmed_at.map(index).transpose()?,
            })
        })
        .collect()
}

fn terms_of(p: &domain::Proposal) -> Result<LoanTerms, ApiError> {
    let t = &p.terms;
    Ok(LoanTerms {
        principal: (&t.principal).into(),
        annual_rate: t.annual_rate.to_string(),
        day_count: DayCount::of(t.day_count),
        maturity: t.maturity.to_string(),
        grace_days: i32::try_from(t.grace_days).unwrap_or(i32::MAX),
        penalty_rate: t.penalty_rate.to_string(),
        haircuts: t
            .haircuts
            .iter()
            .map(|h| HaircutTerm {
                hs_code: h.hs_code.to_string(),
                haircut: h.haircut.to_string(),
            })
            .collect(),
        max_ltv: t.max_ltv.to_string(),
        margin_call_ltv: t.margin_call_ltv.to_string(),
        liquidation_ltv: t.liquidation_ltv.to_string(),
        cure_days: i32::try_from(t.cure_days).unwrap_or(i32::MAX),
        proposed_by: p.by.to_string(),
        proposed_at: index(p.at)?,
    })
}

impl Loan {
    #[expect(
        clippy::too_many_lines,
        reason = "a field-by-field mapping of the domain's loan"
    )]
    fn build(l: &domain::Loan, dir: &Directory, f: &Figures) -> Result<Self, ApiError> {
        let c = l.currency();
        let b = &l.balances;
        let max_ltv = l.terms().map_or_else(
            || INDICATIVE_MAX_LTV.parse().unwrap_or(Decimal::ZERO),
            |t| t.max_ltv.value(),
        );
        let schedule = schedule(l, f.today)
            .into_iter()
            .map(|s| ScheduleLine {
                date: s.date.to_string(),
                kind: s.kind.to_owned(),
                principal: amount(s.principal, c),
                interest: amount(s.interest, c),
                penalty: amount(s.penalty, c),
                total: amount(s.principal + s.interest + s.penalty, c),
                reference: s.reference,
            })
            .collect();
        Ok(Self {
            id: l.id.to_string(),
            borrower: organisation(dir, &l.borrower)?,
            bank: organisation(dir, &l.bank)?,
            amount: (&l.amount).into(),
            tenor_days: i32::try_from(l.tenor_days).unwrap_or(i32::MAX),
            purpose: l.purpose.to_string(),
            status: LoanStatus::of(l.status),
            applied_at: index(l.applied_at)?,
            collateral: pledges(&l.collateral, dir)?,
            top_ups: pledges(&l.top_ups, dir)?,
            released: l
                .released
                .iter()
                .map(|(r, at)| {
                    Ok(Released {
                        receipt: r.to_string(),
                        at: index(*at)?,
                    })
                })
                .collect::<Result<_, ApiError>>()?,
            terms: l.proposal.as_ref().map(terms_of).transpose()?,
            approved_by: l.approved_by.as_ref().map(ToString::to_string),
            registration: l
                .registration
                .as_ref()
                .map(|r| {
                    Ok::<_, ApiError>(Registration {
                        reference: r.reference.to_string(),
                        date: r.date.to_string(),
                        at: index(r.at)?,
                    })
                })
                .transpose()?,
            disbursement: l
                .disbursement
                .as_ref()
                .map(|(reference, at, on)| {
                    Ok::<_, ApiError>(Disbursement {
                        reference: reference.to_string(),
                        at: index(*at)?,
                        on: on.to_string(),
                    })
                })
                .transpose()?,
            balances: Balances {
                disbursed: amount(b.disbursed, c),
                principal: amount(b.principal, c),
                interest: b.interest().round_dp(8).normalize().to_string(),
                penalty: b.penalty().round_dp(8).normalize().to_string(),
                received: amount(b.received, c),
                paid: Allocation::of(&b.paid, c),
                written_off: Allocation::of(&b.written_off, c),
            },
            payments: l
                .payments
                .iter()
                .map(|p| {
                    Ok(Payment {
                        at: index(p.at)?,
                        on: p.on.to_string(),
                        amount: amount(p.amount, c),
                        reference: p.reference.to_string(),
                        allocation: Allocation::of(&p.allocation, c),
                    })
                })
                .collect::<Result<_, ApiError>>()?,
            instructions: l
                .instructions
                .iter()
                .map(|i| {
                    Ok(Instruction {
                        at: index(i.at)?,
                        on: i.on.to_string(),
                        amount: amount(i.amount, c),
                        reference: i.reference.to_string(),
                    })
                })
                .collect::<Result<_, ApiError>>()?,
            margin_calls: l
                .margin_calls
                .iter()
                .map(margin_call)
                .collect::<Result<_, _>>()?,
            open_margin_call: l.open_margin_call().map(margin_call).transpose()?,
            default: l
                .default
                .as_ref()
                .map(|d| {
                    Ok::<_, ApiError>(LoanDefault {
                        grounds: d.grounds.iter().map(|g| g.as_str().to_owned()).collect(),
                        reason: d.reason.to_string(),
                        at: index(d.at)?,
                    })
                })
                .transpose()?,
            realisation: l
                .realisation
                .as_ref()
                .map(|r| {
                    let (method, proceeds) = match &r.enforcement {
                        Enforcement::Take { value } => (EnforcementMethod::Take, value),
                        Enforcement::Sale { proceeds, .. } => (EnforcementMethod::Sale, proceeds),
                    };
                    Ok::<_, ApiError>(Realisation {
                        method,
                        to: r.to.to_string(),
                        proceeds: proceeds.into(),
                        receipts: r.receipts.iter().map(ToString::to_string).collect(),
                        allocation: Allocation::of(&r.allocation, c),
                        shortfall: amount(r.shortfall, c),
                        at: index(r.at)?,
                    })
                })
                .transpose()?,
            reason: l.reason.as_ref().map(ToString::to_string),
            closed_at: l.closed_at.map(index).transpose()?,
            valuation: f.valuation.as_ref().map(|v| Valuation::of(v, c, max_ltv)),
            ltv: f.ltv.map(ratio),
            owed: Owed {
                on: f.today.to_string(),
                penalty: amount(f.penalty, c),
                interest: amount(f.interest, c),
                principal: amount(f.principal, c),
                total: amount(f.penalty + f.interest + f.principal, c),
            },
            overdue: f.overdue,
            cure_amount: f.cure.map(|v| amount(v, c)),
            schedule,
        })
    }
}

/// GraphQL loans from domain loans, with their receipts, lots, prices and
/// organisations read once.
async fn loan_objects(ctx: &Context<'_>, loans: &[domain::Loan]) -> Result<Vec<Loan>, ApiError> {
    let db = node(ctx).db().conn();
    let dir = directory(ctx).await?;
    let refs: Vec<&domain::Loan> = loans.iter().collect();
    let market = load_market(db, &refs, &[]).await?;
    let today = Date::of(node(ctx).now());
    loans
        .iter()
        .map(|l| Loan::build(l, &dir, &market.figures(l, today)))
        .collect()
}

#[ComplexObject]
impl Loan {
    /// Every entry of this loan, oldest first, each with its inclusion
    /// proof against the latest checkpoint.
    async fn history(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<LoanEvent>> {
        let events = store::events_of(node(ctx).db().conn(), &self.id)
            .await
            .map_err(ApiError::from)?;
        Ok(signed_entries(ctx, &events)
            .await?
            .into_iter()
            .map(|e| LoanEvent {
                index: e.index,
                tx_type: e.tx_type,
                time: e.time,
                signer: e.signer,
                signer_user: e.signer_user,
                signer_org: e.signer_org,
                proof: e.proof,
            })
            .collect())
    }

    /// The loan-to-value at each price published for its collateral's
    /// commodities since it was disbursed, against the principal then
    /// outstanding and the collateral pledged then.
    async fn ltv_series(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<LtvPoint>> {
        let db = node(ctx).db().conn();
        let Some(loan) = store::loan(db, &self.id).await.map_err(ApiError::from)? else {
            return Ok(vec![]);
        };
        let c = loan.currency();
        ltv_series(db, &loan)
            .await
            .map_err(ApiError::from)?
            .into_iter()
            .map(|p| {
                Ok(LtvPoint {
                    at: gql_int(p.at)?,
                    time: p.time.to_string(),
                    hs_code: p.hs_code.to_string(),
                    price: (&p.price).into(),
                    principal: amount(p.principal, c),
                    value: amount(p.value, c),
                    ltv: p.ltv.map(ratio),
                })
            })
            .collect()
    }
}

/// A published price.
#[derive(Debug, Clone, SimpleObject)]
pub struct Price {
    /// The commodity's HS code.
    pub hs_code: String,
    /// The grade; empty for any grade without its own price.
    pub grade: String,
    /// The unit it is per.
    pub unit: String,
    /// The price of one unit.
    pub price: Money,
    /// Who published it.
    pub by: String,
    /// The entry.
    pub at: i32,
    /// The entry's time.
    pub time: String,
}

impl Price {
    fn of((key, p): &(domain::PriceKey, domain::Price)) -> Result<Self, ApiError> {
        Ok(Self {
            hs_code: key.0.to_string(),
            grade: key.1.clone(),
            unit: p.unit.as_str().to_owned(),
            price: (&p.price).into(),
            by: p.by.to_string(),
            at: index(p.at)?,
            time: p.time.to_string(),
        })
    }
}

/// A bank's exposure to one commodity.
#[derive(Debug, Clone, SimpleObject)]
pub struct Exposure {
    /// The HS code.
    pub hs_code: String,
    /// The commodity's name, as the lots give it.
    pub commodity: String,
    /// The loans secured by it.
    pub loans: i32,
    /// The principal outstanding, in proportion to its share of each
    /// loan's collateral value.
    pub principal: Money,
    /// Its market value.
    pub market: Money,
    /// Its lending value.
    pub value: Money,
}

/// A bank's book in one currency.
#[derive(Debug, Clone, SimpleObject)]
pub struct Portfolio {
    /// The bank, or none for every bank (the regulator's view).
    pub bank: Option<String>,
    /// The currency.
    pub currency: String,
    /// Loans running: active or defaulted.
    pub running: i32,
    /// Principal outstanding on running loans.
    pub principal: Money,
    /// Their collateral's market value.
    pub market: Money,
    /// Their collateral's lending value.
    pub value: Money,
    /// Exposure by commodity.
    pub exposure: Vec<Exposure>,
    /// Loans with an open margin call.
    pub in_margin_call: Vec<Loan>,
    /// Loans past maturity and unpaid.
    pub overdue: Vec<Loan>,
    /// Applications waiting for the bank: confirmed or proposed.
    pub queue: i32,
}

/// The financing contract's queries.
#[derive(Default)]
pub struct FinancingQuery;

#[Object]
impl FinancingQuery {
    /// Loans the viewer may see, newest first, filtered by status, bank
    /// and borrower.
    #[expect(
        clippy::too_many_arguments,
        reason = "one argument per filter, and the Relay four"
    )]
    async fn loans(
        &self,
        ctx: &Context<'_>,
        status: Option<Vec<LoanStatus>>,
        bank: Option<String>,
        borrower: Option<String>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<Connection<usize, Loan>> {
        let viewer = viewer(ctx)?;
        require_full(viewer)?;
        let filter = LoanFilter {
            statuses: status
                .unwrap_or_default()
                .into_iter()
                .map(LoanStatus::domain)
                .collect(),
            bank,
            borrower,
            visible_to: (!sees_everything(viewer)).then(|| viewer.org.to_string()),
        };
        let db = node(ctx).db().conn();
        let total = usize::try_from(
            store::count_loans(db, &filter)
                .await
                .map_err(ApiError::from)?,
        )
        .unwrap_or(usize::MAX);
        query(
            after,
            before,
            first,
            last,
            |after, before, first, last| async move {
                let (start, end) = page(total, after, before, first, last);
                let loans = store::loans_page(db, &filter, offset(start), offset(end - start))
                    .await
                    .map_err(ApiError::from)?;
                let objects = loan_objects(ctx, &loans).await?;
                let mut connection = Connection::new(start > 0, end < total);
                for (i, l) in (start..).zip(objects) {
                    connection.edges.push(Edge::new(i, l));
                }
                Ok::<_, async_graphql::Error>(connection)
            },
        )
        .await
    }

    /// One loan, if the viewer may see it.
    async fn loan(&self, ctx: &Context<'_>, id: String) -> async_graphql::Result<Option<Loan>> {
        let viewer = viewer(ctx)?;
        let db = node(ctx).db().conn();
        let Some(l) = store::loan(db, &id).await.map_err(ApiError::from)? else {
            return Ok(None);
        };
        if !may_see_loan(viewer, &l) {
            return Err(ApiError::forbidden(format!(
                "loan {id} is visible to its borrower, its bank, the warehouses holding its collateral and the regulator"
            ))
            .into());
        }
        Ok(loan_objects(ctx, &[l]).await?.pop())
    }

    /// What receipts would support before a bank proposes terms: their
    /// value at the latest prices with the indicative haircut, and the
    /// indicative maximum loan (indicative maximum LTV × value).
    async fn indicative_valuation(
        &self,
        ctx: &Context<'_>,
        receipts: Vec<String>,
        currency: String,
    ) -> async_graphql::Result<Valuation> {
        let viewer = viewer(ctx)?;
        require_full(viewer)?;
        let c = p(Currency::parse(&currency))?;
        let ids: Vec<RecordId> = receipts.iter().map(|r| rid(r)).collect::<Result<_, _>>()?;
        let db = node(ctx).db().conn();
        let market = load_market(db, &[], &ids).await.map_err(ApiError::from)?;
        for id in &ids {
            let Some(r) = market.receipts.receipts.get(id) else {
                return Err(ApiError::not_found(format!("no receipt {id}")).into());
            };
            if !godown_node::visibility::may_see_receipt(viewer, r) {
                return Err(ApiError::forbidden(format!(
                    "receipt {id} is not visible to {}",
                    viewer.org
                ))
                .into());
            }
        }
        let haircut: Decimal = INDICATIVE_HAIRCUT.parse().unwrap_or(Decimal::ZERO);
        let refs: Vec<&RecordId> = ids.iter().collect();
        let v = p(market
            .financing
            .value(&market.receipts, &refs, c, |_| haircut))?;
        Ok(Valuation::of(
            &v,
            c,
            INDICATIVE_MAX_LTV.parse().unwrap_or(Decimal::ZERO),
        ))
    }

    /// The latest price per commodity and grade.
    async fn prices(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Price>> {
        require_full(viewer(ctx)?)?;
        let rows = store::latest_prices(node(ctx).db().conn())
            .await
            .map_err(ApiError::from)?;
        Ok(rows.iter().map(Price::of).collect::<Result<_, _>>()?)
    }

    /// The prices published for a commodity (every grade unless one is
    /// named), oldest first: at most the latest `last` (default 200).
    async fn price_history(
        &self,
        ctx: &Context<'_>,
        hs_code: String,
        grade: Option<String>,
        last: Option<i32>,
    ) -> async_graphql::Result<Vec<Price>> {
        require_full(viewer(ctx)?)?;
        let hs = p(HsCode::parse(&hs_code))?;
        let limit = u64::try_from(last.unwrap_or(200).clamp(1, 1000)).unwrap_or(200);
        let rows =
            store::price_history(node(ctx).db().conn(), hs.as_str(), grade.as_deref(), limit)
                .await
                .map_err(ApiError::from)?;
        Ok(rows.iter().map(Price::of).collect::<Result<_, _>>()?)
    }

    /// Organisations other than banks designated to publish prices.
    async fn price_sources(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<String>> {
        require_full(viewer(ctx)?)?;
        Ok(store::sources(node(ctx).db().conn())
            .await
            .map_err(ApiError::from)?
            .iter()
            .map(ToString::to_string)
            .collect())
    }

    /// A bank's book, one per currency: a bank sees its own; the regulator
    /// any bank's, or every bank's without `bank`.
    async fn portfolio(
        &self,
        ctx: &Context<'_>,
        bank: Option<String>,
    ) -> async_graphql::Result<Vec<Portfolio>> {
        let bank = portfolio_of(viewer(ctx)?, bank)?;
        let db = node(ctx).db().conn();
        let filter = LoanFilter {
            bank: bank.clone(),
            ..LoanFilter::default()
        };
        let loans = store::all_loans(db, &filter)
            .await
            .map_err(ApiError::from)?;
        let refs: Vec<&domain::Loan> = loans.iter().collect();
        let market = load_market(db, &refs, &[]).await.map_err(ApiError::from)?;
        let dir = directory(ctx).await?;
        let today = Date::of(node(ctx).now());
        Ok(books(&loans, &market, today)
            .into_iter()
            .map(|(c, b)| Portfolio::of(b, bank.clone(), c, &dir))
            .collect::<Result<_, _>>()?)
    }
}

impl Portfolio {
    fn of(b: Book, bank: Option<String>, c: Currency, dir: &Directory) -> Result<Self, ApiError> {
        let loans = |list: &[(domain::Loan, Figures)]| -> Result<Vec<Loan>, ApiError> {
            list.iter().map(|(l, f)| Loan::build(l, dir, f)).collect()
        };
        Ok(Self {
            bank,
            currency: c.as_str().to_owned(),
            running: count(b.running),
            principal: amount(b.principal, c),
            market: amount(b.market, c),
            value: amount(b.value, c),
            exposure: b
                .exposure
                .into_iter()
                .map(|(hs, e)| Exposure {
                    hs_code: hs.to_string(),
                    commodity: e.commodity,
                    loans: count(e.loans),
                    principal: amount(e.principal, c),
                    market: amount(e.market, c),
                    value: amount(e.value, c),
                })
                .collect(),
            in_margin_call: loans(&b.in_margin_call)?,
            overdue: loans(&b.overdue)?,
            queue: count(b.queue),
        })
    }
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

// ---------------------------------------------------------------------------
// Inputs, parsed into the contract's body types.

fn fraction(text: &str) -> Result<Fraction, ApiError> {
    p(Fraction::parse(text))
}

fn days(n: i32, what: &str) -> Result<u32, ApiError> {
    u32::try_from(n).map_err(|_| {
        ApiError::new(
            ErrorCode::BadRequest,
            format!("{what} must be 0 or more, not {n}"),
        )
    })
}

fn receipt_ids(ids: &[String]) -> Result<Vec<RecordId>, ApiError> {
    ids.iter().map(|r| rid(r)).collect()
}

/// `loan.apply`.
#[derive(Debug, Clone, InputObject)]
pub struct ApplyForLoanInput {
    /// The new loan's id, chosen by the client.
    pub loan: String,
    /// The bank asked.
    pub bank: String,
    /// How much.
    pub amount: MoneyInput,
    /// For how many days.
    pub tenor_days: i32,
    /// What for.
    pub purpose: String,
    /// The free receipts offered as collateral.
    pub receipts: Vec<String>,
}

/// `pledge.confirm`.
#[derive(Debug, Clone, InputObject)]
pub struct PledgeInput {
    /// The loan.
    pub loan: String,
    /// The receipt.
    pub receipt: String,
}

/// `pledge.decline`.
#[derive(Debug, Clone, InputObject)]
pub struct DeclinePledgeInput {
    /// The loan.
    pub loan: String,
    /// The receipt.
    pub receipt: String,
    /// Why.
    pub reason: String,
}

/// A haircut on one commodity.
#[derive(Debug, Clone, InputObject)]
pub struct HaircutInput {
    /// The HS code.
    pub hs_code: String,
    /// A fraction such as `"0.30"`.
    pub haircut: String,
}

/// `loan.propose`: the terms.
#[derive(Debug, Clone, InputObject)]
pub struct ProposeTermsInput {
    /// The loan.
    pub loan: String,
    /// The principal.
    pub principal: MoneyInput,
    /// The annual rate, a fraction such as `"0.0435"`.
    pub annual_rate: String,
    /// The day-count convention.
    pub day_count: DayCount,
    /// The maturity, YYYY-MM-DD.
    pub maturity: String,
    /// Days after maturity before penalty interest runs.
    pub grace_days: i32,
    /// The annual penalty rate.
    pub penalty_rate: String,
    /// A haircut per commodity pledged.
    pub haircuts: Vec<HaircutInput>,
    /// The maximum loan-to-value.
    pub max_ltv: String,
    /// The margin-call loan-to-value.
    pub margin_call_ltv: String,
    /// The liquidation loan-to-value.
    pub liquidation_ltv: String,
    /// Days to cure a margin call.
    pub cure_days: i32,
}

/// A transaction naming one loan.
#[derive(Debug, Clone, InputObject)]
pub struct LoanRefInput {
    /// The loan.
    pub loan: String,
}

/// A transaction naming a loan and a reason.
#[derive(Debug, Clone, InputObject)]
pub struct LoanReasonInput {
    /// The loan.
    pub loan: String,
    /// Why.
    pub reason: String,
}

/// `loan.register`.
#[derive(Debug, Clone, InputObject)]
pub struct RegisterPledgeInput {
    /// The loan.
    pub loan: String,
    /// The registry's reference number.
    pub reference: String,
    /// The date registered, YYYY-MM-DD.
    pub date: String,
}

/// `loan.disburse`.
#[derive(Debug, Clone, InputObject)]
pub struct DisburseLoanInput {
    /// The loan.
    pub loan: String,
    /// The payment's reference.
    pub reference: String,
}

/// `loan.repay` (funds received, by the bank) and `loan.instruct` (funds
/// sent, by the borrower).
#[derive(Debug, Clone, InputObject)]
pub struct RecordRepaymentInput {
    /// The loan.
    pub loan: String,
    /// How much arrived.
    pub amount: MoneyInput,
    /// The payment's reference.
    pub reference: String,
}

/// `loan.release` and `loan.top_up`.
#[derive(Debug, Clone, InputObject)]
pub struct LoanReceiptsInput {
    /// The loan.
    pub loan: String,
    /// The receipts.
    pub receipts: Vec<String>,
}

/// `loan.enforce`.
#[derive(Debug, Clone, InputObject)]
pub struct EnforceLoanInput {
    /// The loan.
    pub loan: String,
    /// Take the receipts, or sell the goods.
    pub method: EnforcementMethod,
    /// For a take, the value credited; for a sale, the proceeds.
    pub amount: MoneyInput,
    /// For a sale, the buyer.
    pub buyer: Option<String>,
}

/// `price.publish`.
#[derive(Debug, Clone, InputObject)]
pub struct PublishPriceInput {
    /// The commodity's HS code.
    pub hs_code: String,
    /// The grade; none for any grade without its own price.
    pub grade: Option<String>,
    /// The unit code it is per.
    pub unit: String,
    /// The price of one unit.
    pub price: MoneyInput,
}

/// `price.designate`.
#[derive(Debug, Clone, InputObject)]
pub struct DesignateSourceInput {
    /// The organisation.
    pub org: String,
    /// Whether it may publish.
    pub source: bool,
}

fn loan_ref(input: &LoanRefInput) -> Result<LoanRef, ApiError> {
    Ok(LoanRef {
        loan: rid(&input.loan)?,
    })
}

fn loan_reason(input: &LoanReasonInput) -> Result<LoanReason, ApiError> {
    Ok(LoanReason {
        loan: rid(&input.loan)?,
        reason: txt(&input.reason)?,
    })
}

fn loan_receipts(input: &LoanReceiptsInput) -> Result<LoanReceipts, ApiError> {
    Ok(LoanReceipts {
        loan: rid(&input.loan)?,
        receipts: receipt_ids(&input.receipts)?,
    })
}

fn terms(input: &ProposeTermsInput) -> Result<TermsBody, ApiError> {
    Ok(TermsBody {
        principal: money(&input.principal)?,
        annual_rate: fraction(&input.annual_rate)?,
        day_count: input.day_count.domain(),
        maturity: date(&input.maturity)?,
        grace_days: days(input.grace_days, "grace days")?,
        penalty_rate: fraction(&input.penalty_rate)?,
        haircuts: input
            .haircuts
            .iter()
            .map(|h| {
                Ok(Haircut {
                    hs_code: p(HsCode::parse(&h.hs_code))?,
                    haircut: fraction(&h.haircut)?,
                })
            })
            .collect::<Result<_, ApiError>>()?,
        max_ltv: fraction(&input.max_ltv)?,
        margin_call_ltv: fraction(&input.margin_call_ltv)?,
        liquidation_ltv: fraction(&input.liquidation_ltv)?,
        cure_days: days(input.cure_days, "cure days")?,
    })
}

/// The financing contract's mutations.
#[derive(Default)]
pub struct FinancingMutation;

#[Object]
impl FinancingMutation {
    /// `loan.apply`: an SME applies to a bank, offering free receipts; each
    /// gets a pending encumbrance at once, so no one else can take it.
    async fn apply_for_loan(
        &self,
        ctx: &Context<'_>,
        input: ApplyForLoanInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = FinancingTx::Apply(Apply {
            loan: rid(&input.loan)?,
            bank: org(&input.bank)?,
            amount: money(&input.amount)?,
            tenor_days: days(input.tenor_days, "the tenor")?,
            purpose: txt(&input.purpose)?,
            receipts: receipt_ids(&input.receipts)?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `pledge.confirm`: the warehouse confirms it holds a receipt's goods
    /// for the bank.
    async fn confirm_pledge(
        &self,
        ctx: &Context<'_>,
        input: PledgeInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = FinancingTx::Confirm(PledgeRef {
            loan: rid(&input.loan)?,
            receipt: rid(&input.receipt)?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `pledge.decline`: the warehouse declines, with a reason.
    async fn decline_pledge(
        &self,
        ctx: &Context<'_>,
        input: DeclinePledgeInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = FinancingTx::Decline(Decline {
            loan: rid(&input.loan)?,
            receipt: rid(&input.receipt)?,
            reason: txt(&input.reason)?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `loan.propose`: a bank officer proposes terms (the maker).
    async fn propose_loan_terms(
        &self,
        ctx: &Context<'_>,
        input: ProposeTermsInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = FinancingTx::Propose(Propose {
            loan: rid(&input.loan)?,
            terms: terms(&input)?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `loan.approve`: an approver other than the maker approves.
    async fn approve_loan(
        &self,
        ctx: &Context<'_>,
        input: LoanRefInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        run(
            ctx,
            FinancingTx::Approve(loan_ref(&input)?),
            signature,
            vec![],
        )
        .await
    }

    /// `loan.reject`: an approver rejects; the encumbrances are lifted.
    async fn reject_loan(
        &self,
        ctx: &Context<'_>,
        input: LoanReasonInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        run(
            ctx,
            FinancingTx::Reject(loan_reason(&input)?),
            signature,
            vec![],
        )
        .await
    }

    /// `loan.register`: the pledge's registration with the national
    /// movable-property registry.
    async fn register_pledge(
        &self,
        ctx: &Context<'_>,
        input: RegisterPledgeInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = FinancingTx::Register(Register {
            loan: rid(&input.loan)?,
            reference: txt(&input.reference)?,
            date: date(&input.date)?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `loan.disburse`: the bank records the funds sent; the pledges become
    /// active.
    async fn disburse_loan(
        &self,
        ctx: &Context<'_>,
        input: DisburseLoanInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = FinancingTx::Disburse(Disburse {
            loan: rid(&input.loan)?,
            reference: txt(&input.reference)?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `loan.repay`: the bank records funds received, applied to penalty,
    /// then interest, then principal.
    async fn record_repayment(
        &self,
        ctx: &Context<'_>,
        input: RecordRepaymentInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = FinancingTx::Repay(Repay {
            loan: rid(&input.loan)?,
            amount: money(&input.amount)?,
            reference: txt(&input.reference)?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `loan.instruct`: the borrower records a repayment it has sent, for
    /// the bank to look out for; it moves no money on the loan.
    async fn instruct_repayment(
        &self,
        ctx: &Context<'_>,
        input: RecordRepaymentInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = FinancingTx::Instruct(Instruct {
            loan: rid(&input.loan)?,
            amount: money(&input.amount)?,
            reference: txt(&input.reference)?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `loan.release`: the pledgee bank releases receipts, all once repaid,
    /// some while the rest keeps the loan within its maximum LTV.
    async fn release_collateral(
        &self,
        ctx: &Context<'_>,
        input: LoanReceiptsInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        run(
            ctx,
            FinancingTx::Release(loan_receipts(&input)?),
            signature,
            vec![],
        )
        .await
    }

    /// `loan.top_up`: the borrower pledges more receipts, which their
    /// warehouse confirms.
    async fn top_up_collateral(
        &self,
        ctx: &Context<'_>,
        input: LoanReceiptsInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        run(
            ctx,
            FinancingTx::TopUp(loan_receipts(&input)?),
            signature,
            vec![],
        )
        .await
    }

    /// `loan.default`: an approver declares default on grounds that hold.
    async fn declare_default(
        &self,
        ctx: &Context<'_>,
        input: LoanReasonInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        run(
            ctx,
            FinancingTx::Default(loan_reason(&input)?),
            signature,
            vec![],
        )
        .await
    }

    /// `loan.enforce`: the bank takes the receipts or sells the goods; the
    /// proceeds are applied and any surplus goes to the borrower.
    async fn enforce_loan(
        &self,
        ctx: &Context<'_>,
        input: EnforceLoanInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let value = money(&input.amount)?;
        let enforcement = match (input.method, &input.buyer) {
            (EnforcementMethod::Take, None) => Enforcement::Take { value },
            (EnforcementMethod::Sale, Some(buyer)) => Enforcement::Sale {
                buyer: org(buyer)?,
                proceeds: value,
            },
            (EnforcementMethod::Take, Some(_)) => {
                return Err(ApiError::bad_request(
                    "a take names no buyer: the bank takes the receipts",
                )
                .into());
            }
            (EnforcementMethod::Sale, None) => {
                return Err(ApiError::bad_request("a sale names its buyer").into());
            }
        };
        let tx = FinancingTx::Enforce(Enforce {
            loan: rid(&input.loan)?,
            enforcement,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `loan.write_off`: an approver writes off the unsecured claim.
    async fn write_off_loan(
        &self,
        ctx: &Context<'_>,
        input: LoanReasonInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        run(
            ctx,
            FinancingTx::WriteOff(loan_reason(&input)?),
            signature,
            vec![],
        )
        .await
    }

    /// `price.publish`: a bank or designated source publishes a price.
    async fn publish_price(
        &self,
        ctx: &Context<'_>,
        input: PublishPriceInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = FinancingTx::Publish(PublishPrice {
            hs_code: p(HsCode::parse(&input.hs_code))?,
            grade: input.grade.as_deref().map(txt).transpose()?,
            unit: p(Unit::parse(&input.unit))?,
            price: money(&input.price)?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `price.designate`: the operator's admin lets an organisation publish
    /// prices, or stops it.
    async fn designate_price_source(
        &self,
        ctx: &Context<'_>,
        input: DesignateSourceInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = FinancingTx::Designate(Designate {
            org: org(&input.org)?,
            source: input.source,
        });
        run(ctx, tx, signature, vec![]).await
    }
}
