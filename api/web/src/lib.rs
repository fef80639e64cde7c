//! The Godown web edge: the router and the state its handlers share,
//! sessions (challenge, JWT), the GraphQL schema (thin resolvers over the
//! node core), documents, health, and the C2SP routes (`/checkpoint`,
//! `/proof`, `/consistency`, `/vkeys`).
//!
//! It depends on the node core and never on the mailer: what a mutation
//! wants sent, the sequencer writes to the outbox.

pub mod auth;
pub mod demo;
pub mod error;
pub mod graphql;
pub mod http;
