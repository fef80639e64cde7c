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

pub mod error;
pub mod ids;
pub mod membership;
pub mod text;
pub mod time;

use std::collections::BTreeSet;

use godown_ledger::PublicKey;
use serde_json::{Map, Value};

pub use error::ContractError;
pub use ids::{MemberKey, OrgId, OrgKind, Role, UserId};
pub use membership::{Membership, MembershipTx};
pub use text::{Name, Text};
pub use time::Timestamp;

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
}

/// What an accepted transaction did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// The organisations party to the entry: they see its payload.
    pub parties: BTreeSet<OrgId>,
    /// The records it changed.
    pub touched: Vec<Touched>,
}

impl Outcome {
    fn touching(
        parties: impl IntoIterator<Item = OrgId>,
        touched: impl IntoIterator<Item = Touched>,
    ) -> Self {
        Self {
            parties: parties.into_iter().collect(),
            touched: touched.into_iter().collect(),
        }
    }
}

/// A transaction of any contract, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tx {
    /// Membership: organisations, users, roles and keys.
    Membership(MembershipTx),
}

impl Tx {
    /// Parses a transaction's type and body into the contract's own types.
    pub fn parse(tx_type: &str, body: &Map<String, Value>) -> Result<Self, ContractError> {
        if let Some(tx) = MembershipTx::parse(tx_type, body)? {
            return Ok(Self::Membership(tx));
        }
        Err(ContractError::UnknownType(tx_type.to_owned()))
    }
}

/// The state every contract maintains, as replayed from the log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct State {
    /// Entries applied so far.
    pub size: u64,
    /// The membership contract's state.
    pub membership: Membership,
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
