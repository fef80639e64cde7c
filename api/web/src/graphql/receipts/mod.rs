//! The receipts contract over GraphQL: lots and receipts (with their signed
//! history and proofs), the public receipt check, and one mutation per
//! transaction type. Types are built from domain types; visibility is
//! decided by `godown_node::visibility`.

pub mod inputs;
pub mod mutations;
pub mod queries;
pub mod types;

pub use mutations::ReceiptsMutation;
pub use queries::ReceiptsQuery;
