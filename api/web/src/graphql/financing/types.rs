//! The financing contract's GraphQL objects: loans with their terms,
//! balances, valuation, schedule, LTV series and events; prices; a bank's
//! portfolio.

use async_graphql::{ComplexObject, Context, Enum, SimpleObject};
use godown_domain::financing::body::Enforcement;
use godown_domain::financing::interest::{
    Allocation as DomainAllocation, DayCount as Convention, round,
};
use godown_domain::financing::{self as domain, INDICATIVE_MAX_LTV, Valuation as DomainValuation};
use godown_domain::{Currency, Date};
use rust_decimal::Decimal;

use crate::error::ApiError;
use crate::graphql::shared::{
    Directory, Money, Quantity, SignedEntry, directory, index, organisation, signed_entries,
};
use crate::graphql::types::Organisation;
use crate::graphql::{gql_int, node};
use godown_domain::financing::figures::{Book, Figures, schedule};
use godown_node::collateral::{load_market, ltv_series};
use godown_node::store::loans::{self as store};

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
    pub(crate) fn of(s: domain::LoanStatus) -> Self {
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

    pub(crate) fn domain(self) -> domain::LoanStatus {
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
    pub(crate) fn of(c: Convention) -> Self {
        match c {
            Convention::Act360 => Self::Act360,
            Convention::Act365 => Self::Act365,
        }
    }

    pub(crate) fn domain(self) -> Convention {
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
pub(crate) fn amount(value: Decimal, currency: Currency) -> Money {
    let mut fixed = round(value, currency);
    fixed.rescale(currency.places());
    Money {
        currency: currency.as_str().to_owned(),
        value: fixed.to_string(),
    }
}

pub(crate) fn ratio(value: Decimal) -> String {
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
    pub(crate) fn of(a: &DomainAllocation, c: Currency) -> Self {
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
    pub(crate) fn of(v: &DomainValuation, c: Currency, max_ltv: Decimal) -> Self {
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

pub(crate) fn margin_call(m: &domain::MarginCall) -> Result<MarginCall, ApiError> {
    Ok(MarginCall {
        raised_at: index(m.raised_at)?,
        raised_on: m.raised_on.to_string(),
        deadline: m.deadline.to_string(),
        ltv: ratio(m.ltv),
        cured_at: m.cured_at.map(index).transpose()?,
    })
}

pub(crate) fn pledges(list: &[domain::Pledge], dir: &Directory) -> Result<Vec<Pledge>, ApiError> {
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

pub(crate) fn terms_of(p: &domain::Proposal) -> Result<LoanTerms, ApiError> {
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
    pub(crate) fn build(l: &domain::Loan, dir: &Directory, f: &Figures) -> Result<Self, ApiError> {
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
pub(crate) async fn loan_objects(
    ctx: &Context<'_>,
    loans: &[domain::Loan],
) -> Result<Vec<Loan>, ApiError> {
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
    /// proof against the checkpoint the history is proved against.
    async fn history(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<SignedEntry>> {
        let events = store::events_of(node(ctx).db().conn(), &self.id)
            .await
            .map_err(ApiError::from)?;
        Ok(signed_entries(ctx, &events).await?)
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
    pub(crate) fn of((key, p): &(domain::PriceKey, domain::Price)) -> Result<Self, ApiError> {
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

impl Portfolio {
    pub(crate) fn of(
        b: Book,
        bank: Option<String>,
        c: Currency,
        dir: &Directory,
    ) -> Result<Self, ApiError> {
        let loans = |list: &[(domain::Loan, Figures)]| -> Result<Vec<Loan>, ApiError> {
            list.iter().map(|(l, f)| Loan::build(l, dir, f)).collect()
        };
        Ok(Self {
            bank,
            currency: c.as_str().to_owned(),
            running: tally(b.running),
            principal: amount(b.principal, c),
            market: amount(b.market, c),
            value: amount(b.value, c),
            exposure: b
                .exposure
                .into_iter()
                .map(|(hs, e)| Exposure {
                    hs_code: hs.to_string(),
                    commodity: e.commodity,
                    loans: tally(e.loans),
                    principal: amount(e.principal, c),
                    market: amount(e.market, c),
                    value: amount(e.value, c),
                })
                .collect(),
            in_margin_call: loans(&b.in_margin_call)?,
            overdue: loans(&b.overdue)?,
            queue: tally(b.queue),
        })
    }
}

pub(crate) fn tally(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}
