//! Everything the node keeps in its database: the log (entries, tree nodes,
//! head, checkpoints, outbox), the projections the contracts maintain, and
//! off-ledger session state. SQLite by default, PostgreSQL when configured.

pub mod db;
pub(crate) mod entity;
pub mod ledger;
pub mod loans;
pub mod nodes;
pub mod projection;
pub mod receipts;
pub mod sessions;

pub use db::{Database, StoreError};
