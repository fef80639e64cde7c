//! Godown's contracts: the state machines that decide whether a signed
//! transaction may become a ledger entry, and what it changes.
//!
//! Nothing here performs I/O or reads a clock. A contract sees the current
//! [`State`] and a [`Context`] built from the entry, whose sequencing time the
//! node stamps; replaying the log from genesis therefore reproduces the state
//! exactly. Adding a contract means adding a module with its state and its
//! transaction types, and one arm in [`State::apply`].

#[macro_use]
mod macros;

mod acting;
pub mod code;
pub mod error;
pub mod financing;
pub mod goods;
pub mod ids;
pub mod membership;
pub mod money;
pub mod observer;
pub mod receipts;
pub mod text;
pub mod time;

#[cfg(test)]
mod testkit;

use std::collections::BTreeSet;

use godown_ledger::PublicKey;
use serde_json::{Map, Value};

pub use code::ErrorCode;
pub use error::ContractError;
pub use financing::{Financing, FinancingTx, LoanEvent};
pub use goods::{DocHash, HsCode, Quantity, Unit};
pub use ids::{MemberKey, OrgId, OrgKind, ReceiptNumber, RecordId, Role, UserId};
pub use membership::{Membership, MembershipTx};
pub use money::{Currency, Fraction, Money};
pub use receipts::{Receipts, ReceiptsTx};
pub use text::{Name, Text};
pub use time::{Date, Timestamp};

/// What a contract knows about the entry it decides.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The entry's index in the log.
    pub index: u64,
    /// The sequencing time stamped on the entry.
    pub time: Timestamp,
    /// The key that signed the transaction.
    pub signer: &'a PublicKey,
}

/// A record a transaction changed, so the node can rewrite its row.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Touched {
    /// An organisation.
    Org(OrgId),
    /// A user.
    User(UserId),
    /// A key, by its bytes.
    Key([u8; 32]),
    /// A lot.
    Lot(RecordId),
    /// A receipt or draft.
    Receipt(RecordId),
    /// A loan.
    Loan(RecordId),
    /// The prices of a commodity.
    Price(HsCode),
    /// Whether an organisation is a designated price source.
    PriceSource(OrgId),
    /// A consortium proposal.
    Proposal(RecordId),
    /// The witness policy the members adopted.
    WitnessPolicy,
    /// The log key: a rotation adopted, or a hand-over.
    LogKey,
}

/// Something a party must be told once the entry has committed; the node
/// turns each into e-mail through its outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// A receipt was issued: tell the depositor.
    ReceiptIssued {
        /// The receipt.
        receipt: RecordId,
        /// The depositor.
        depositor: OrgId,
    },
    /// A holder endorsed a receipt: the warehouse must countersign.
    TransferRequested {
        /// The receipt.
        receipt: RecordId,
        /// The warehouse.
        warehouse: OrgId,
    },
    /// A stock count found less than the book: tell the bank a flagged
    /// receipt is pledged to.
    ShortfallFound {
        /// The lot.
        lot: RecordId,
        /// The flagged receipt.
        receipt: RecordId,
        /// The bank holding its encumbrance.
        bank: OrgId,
    },
    /// Something happened to a loan that `to` must hear of.
    Loan {
        /// The loan.
        loan: RecordId,
        /// Whom to tell.
        to: OrgId,
        /// What happened.
        event: LoanEvent,
    },
}

/// What an accepted transaction did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// The organisations party to the entry: they see its payload.
    pub parties: BTreeSet<OrgId>,
    /// The records it changed.
    pub touched: Vec<Touched>,
    /// Whom to tell.
    pub notices: Vec<Notice>,
}

impl Outcome {
    fn touching(
        parties: impl IntoIterator<Item = OrgId>,
        touched: impl IntoIterator<Item = Touched>,
    ) -> Self {
        Self {
            parties: parties.into_iter().collect(),
            touched: touched.into_iter().collect(),
            notices: Vec::new(),
        }
    }

    /// An outcome whose only news is one notice; the contract that makes it
    /// adds the parties and records.
    fn telling(notice: Notice) -> Self {
        Self {
            notices: vec![notice],
            ..Self::default()
        }
    }
}

/// Reads a transaction body into its type, refusing unknown members.
pub(crate) fn read_body<T: serde::de::DeserializeOwned>(
    tx_type: &str,
    body: &Map<String, Value>,
) -> Result<T, ContractError> {
    serde_json::from_value(Value::Object(body.clone()))
        .map_err(|e| ContractError::BadRequest(format!("{tx_type} body: {e}")))
}

/// A body type as the JSON object that is signed.
pub(crate) fn write_body<T: serde::Serialize>(body: &T) -> Map<String, Value> {
    match serde_json::to_value(body) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

/// A transaction of any contract, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[expect(
    clippy::large_enum_variant,
    reason = "a transaction is parsed once and moved rarely; boxing would only add noise"
)]
pub enum Tx {
    /// Membership: organisations, users, roles and keys.
    Membership(MembershipTx),
    /// Lots and warehouse receipts.
    Receipts(ReceiptsTx),
    /// Loans against receipts, and prices.
    Financing(FinancingTx),
}

impl Tx {
    /// Parses a transaction's type and body into the contract's own types.
    pub fn parse(tx_type: &str, body: &Map<String, Value>) -> Result<Self, ContractError> {
        if let Some(tx) = MembershipTx::parse(tx_type, body)? {
            return Ok(Self::Membership(tx));
        }
        if let Some(tx) = ReceiptsTx::parse(tx_type, body)? {
            return Ok(Self::Receipts(tx));
        }
        if let Some(tx) = FinancingTx::parse(tx_type, body)? {
            return Ok(Self::Financing(tx));
        }
        Err(ContractError::UnknownType(tx_type.to_owned()))
    }

    /// The transaction type.
    pub fn tx_type(&self) -> &'static str {
        match self {
            Self::Membership(tx) => tx.tx_type(),
            Self::Receipts(tx) => tx.tx_type(),
            Self::Financing(tx) => tx.tx_type(),
        }
    }

    /// The body, as signed.
    pub fn body(&self) -> Map<String, Value> {
        match self {
            Self::Membership(tx) => tx.body(),
            Self::Receipts(tx) => tx.body(),
            Self::Financing(tx) => tx.body(),
        }
    }
}

impl From<MembershipTx> for Tx {
    fn from(tx: MembershipTx) -> Self {
        Self::Membership(tx)
    }
}

impl From<ReceiptsTx> for Tx {
    fn from(tx: ReceiptsTx) -> Self {
        Self::Receipts(tx)
    }
}

impl From<FinancingTx> for Tx {
    fn from(tx: FinancingTx) -> Self {
        Self::Financing(tx)
    }
}

/// The state every contract maintains, as replayed from the log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct State {
    /// Entries applied so far.
    pub size: u64,
    /// The membership contract's state.
    pub membership: Membership,
    /// The receipts contract's state.
    pub receipts: Receipts,
    /// The financing contract's state.
    pub financing: Financing,
}

impl State {
    /// Decides a transaction. On success the state has changed and the
    /// entry must be appended at `ctx.index`; on refusal nothing changed.
    pub fn apply(&mut self, ctx: &Context<'_>, tx: &Tx) -> Result<Outcome, ContractError> {
        if ctx.index != self.size {
            return Err(ContractError::InvalidState(format!(
                "entry {} cannot follow a state of {} entries",
                ctx.index, self.size
            )));
        }
        let mut outcome = match tx {
            Tx::Membership(tx) => self.membership.apply(ctx, tx)?,
            Tx::Receipts(tx) => {
                if let ReceiptsTx::Lift(b) = tx
                    && let Some(loan) = self.financing.securing(&self.receipts, &b.receipt)
                {
                    return Err(ContractError::InvalidState(format!(
                        "receipt {} is collateral of loan {}; the bank releases it with loan.release",
                        b.receipt, loan.id
                    )));
                }
                let mut outcome = self.receipts.apply(&self.membership, ctx, tx)?;
                // A count or an adjustment changes what collateral is worth.
                if matches!(tx, ReceiptsTx::Count(_) | ReceiptsTx::Adjust(_)) {
                    self.financing
                        .revalue_all(&self.receipts, ctx, &mut outcome);
                }
                outcome
            }
            Tx::Financing(tx) => {
                self.financing
                    .apply(&self.membership, &mut self.receipts, ctx, tx)?
            }
        };
        // The signer's organisation is always a party to what it signs.
        if let Some(record) = self.membership.keys.get(&ctx.signer.to_bytes())
            && let Some(user) = self.membership.users.get(&record.user)
        {
            outcome.parties.insert(user.org.clone());
        }
        self.size += 1;
        Ok(outcome)
    }
}
