//! Integration tests of the `godown` binary and node, all in one binary.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::missing_panics_doc,
    reason = "a test fails loudly on anything unexpected"
)]

mod api;
mod cli;
mod node;
mod support;

use std::path::PathBuf;
use std::process::{Command, Output};

/// The shared conformance vectors, as copied into the ledger crate.
pub fn vectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ledger/tests/vectors/godown")
}

/// Runs the built `godown` binary.
pub fn godown(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_godown"))
        .args(args)
        .output()
        .expect("the godown binary runs")
}

/// What a run printed on stderr.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// What a run printed on stdout.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}
