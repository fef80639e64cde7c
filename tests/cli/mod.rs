//! The command line: serving, verifying, keys, and what survives a crash.

mod crash;
mod keygen;
mod serve;
mod verify;
mod verify_db;
