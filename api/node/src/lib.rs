//! The Godown node core: everything a node process needs to keep the log,
//! and nothing of how clients reach it. It holds the store (rows ⇄ domain
//! types), the sequencer that decides and appends, replay, the clock, the
//! node's keys and genesis, the signer checks, the one visibility rule, the
//! reads, the export and the database verifier.
//!
//! It never depends on a web stack, GraphQL or a mailer
//! (`scripts/check-purity.sh` proves it): the web edge and the mail worker
//! depend on this crate, not the other way round. What the sequencer wants
//! sent, it writes to the outbox as an [`outbox::Message`].

pub mod backup;
pub mod collateral;
pub mod contact;
pub mod cosigning;
pub mod error;
pub mod export;
pub mod files;
pub mod node;
pub mod outbox;
pub mod reads;
pub mod session;
pub mod store;
pub mod submit;
pub mod verify_db;
pub mod visibility;
