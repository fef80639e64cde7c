//! The Godown node: everything that does I/O. The command line lives in
//! [`cli`]; the ledger formats come from `godown-ledger`, the contracts from
//! `godown-domain`.

pub mod cli;
pub mod export;
pub mod files;
pub mod node;
pub mod store;
