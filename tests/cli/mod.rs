//! The command line: serving, verifying, keys, and what survives a crash.

mod backup;
mod crash;
mod faults;
pub(crate) mod independent;
mod keygen;
mod processes;
mod serve;
mod session;
mod tx;
mod verify;
mod verify_db;
