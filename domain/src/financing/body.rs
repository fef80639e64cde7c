//! The bodies of financing transactions, exactly as signed. Each parses with
//! unknown members refused; the contract then checks it against the state.

use serde::{Deserialize, Serialize};

use crate::goods::{HsCode, Unit};
use crate::ids::{OrgId, RecordId};
use crate::money::{Fraction, Money};
use crate::text::Text;
use crate::time::Date;

use super::interest::DayCount;

/// `loan.apply`: an SME asks a bank for a loan against its free receipts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Apply {
    /// The new loan's id.
    pub loan: RecordId,
    /// The bank asked.
    pub bank: OrgId,
    /// How much, in which currency.
    pub amount: Money,
    /// For how many days.
    pub tenor_days: u32,
    /// What for.
    pub purpose: Text,
    /// The receipts offered as collateral.
    pub receipts: Vec<RecordId>,
}

/// `pledge.confirm`: the warehouse confirms it holds a receipt's goods for
/// the bank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PledgeRef {
    /// The loan.
    pub loan: RecordId,
    /// The receipt.
    pub receipt: RecordId,
}

/// `pledge.decline`: the warehouse declines to hold a receipt's goods for
/// the bank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decline {
    /// The loan.
    pub loan: RecordId,
    /// The receipt.
    pub receipt: RecordId,
    /// Why.
    pub reason: Text,
}

/// The haircut a bank applies to one commodity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Haircut {
    /// The commodity's HS code.
    pub hs_code: HsCode,
    /// The share of its market value not lent against.
    pub haircut: Fraction,
}

/// The terms a bank officer proposes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoanTerms {
    /// The principal lent.
    pub principal: Money,
    /// The annual contractual rate, such as `"0.0435"`.
    pub annual_rate: Fraction,
    /// The day-count convention.
    pub day_count: DayCount,
    /// The date the principal falls due.
    pub maturity: Date,
    /// Days after maturity before penalty interest runs.
    pub grace_days: u32,
    /// The annual penalty rate.
    pub penalty_rate: Fraction,
    /// A haircut for every commodity pledged.
    pub haircuts: Vec<Haircut>,
    /// The loan-to-value the loan must stay within.
    pub max_ltv: Fraction,
    /// The loan-to-value at which a margin call is raised.
    pub margin_call_ltv: Fraction,
    /// The loan-to-value at which the bank may declare default at once.
    pub liquidation_ltv: Fraction,
    /// Days the borrower has to cure a margin call.
    pub cure_days: u32,
}

/// `loan.propose`: a bank officer proposes terms (the maker).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Propose {
    /// The loan.
    pub loan: RecordId,
    /// The terms.
    pub terms: LoanTerms,
}

/// A transaction naming one loan: `loan.approve`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoanRef {
    /// The loan.
    pub loan: RecordId,
}

/// A transaction naming a loan and a reason: `loan.reject`, `loan.default`,
/// `loan.write_off`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoanReason {
    /// The loan.
    pub loan: RecordId,
    /// Why.
    pub reason: Text,
}

/// `loan.register`: the pledge's registration with the national movable
/// property registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Register {
    /// The loan.
    pub loan: RecordId,
    /// The registry's reference number.
    pub reference: Text,
    /// The date of registration.
    pub date: Date,
}

/// `loan.disburse`: the bank records the funds sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Disburse {
    /// The loan.
    pub loan: RecordId,
    /// The payment's reference.
    pub reference: Text,
}

/// `loan.repay`: the bank records funds received from the borrower.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Repay {
    /// The loan.
    pub loan: RecordId,
    /// How much arrived.
    pub amount: Money,
    /// The payment's reference.
    pub reference: Text,
}

/// `loan.instruct`: the borrower records that it has instructed a
/// repayment, for the bank to look out for; the bank still records the
/// repayment itself when the funds arrive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instruct {
    /// The loan.
    pub loan: RecordId,
    /// How much was sent.
    pub amount: Money,
    /// The payment's reference, as the bank will see it.
    pub reference: Text,
}

/// `loan.release` (the bank lifts pledges) and `loan.top_up` (the borrower
/// pledges more receipts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoanReceipts {
    /// The loan.
    pub loan: RecordId,
    /// The receipts.
    pub receipts: Vec<RecordId>,
}

/// How a defaulted loan's collateral is realised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "method", deny_unknown_fields)]
pub enum Enforcement {
    /// The bank takes the receipts, at a value it credits to the loan.
    Take {
        /// The value credited.
        value: Money,
    },
    /// The goods are sold to a buyer, who becomes the receipts' holder.
    Sale {
        /// The buyer.
        buyer: OrgId,
        /// What the buyer paid.
        proceeds: Money,
    },
}

/// `loan.enforce`: the bank realises the collateral of a defaulted loan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Enforce {
    /// The loan.
    pub loan: RecordId,
    /// How.
    pub enforcement: Enforcement,
}

/// `price.publish`: a price source publishes a price per unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishPrice {
    /// The commodity's HS code.
    pub hs_code: HsCode,
    /// The grade it is for; none for any grade without its own price.
    pub grade: Option<Text>,
    /// The unit it is per.
    pub unit: Unit,
    /// The price of one unit.
    pub price: Money,
}

/// `price.designate`: the operator authorises (or stops authorising) an
/// organisation to publish prices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Designate {
    /// The organisation.
    pub org: OrgId,
    /// Whether it may publish.
    pub source: bool,
}
