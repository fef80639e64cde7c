//! The financing contract over GraphQL: loans (with live valuation, LTV,
//! what is owed, the repayment schedule and the signed history with
//! proofs), prices, a bank's portfolio, and one mutation per transaction
//! type. Figures come from `godown_node::collateral`, which runs the contract's
//! own functions over the rows a loan needs.

pub mod inputs;
pub mod mutations;
pub mod queries;
pub mod types;

pub use mutations::FinancingMutation;
pub use queries::FinancingQuery;
