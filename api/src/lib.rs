//! The Godown node: everything that does I/O. The command line lives in
//! [`cli`]; the ledger formats come from `godown-ledger`, the contracts from
//! `godown-domain`.

pub mod auth;
pub mod cli;
pub mod collateral;
pub mod config;
pub mod demo;
mod demo_loans;
pub mod error;
pub mod export;
pub mod files;
pub mod graphql;
pub mod http;
pub mod mail;
pub mod node;
pub mod reads;
pub mod server;
pub mod store;
pub mod submit;
pub mod telemetry;
mod verify_db;
pub mod visibility;

/// Opens the node's database for a command that reads it.
pub(crate) async fn cli_open(data: &config::DataArgs) -> anyhow::Result<store::Database> {
    cli::open(data).await
}
