//! Godown's contracts: the state machines that decide whether a signed
//! transaction may become a ledger entry, and what it changes.
//!
//! Nothing here performs I/O or reads a clock: a contract sees only the
//! current state and the entry (whose sequencing time the node stamps), so
//! replaying the log from genesis reproduces the state exactly. The contracts
//! themselves arrive with the node; this crate fixes the boundary first.
