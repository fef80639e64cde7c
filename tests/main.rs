//! Integration tests of the `godown` binary and node, all in one binary.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::missing_panics_doc,
    reason = "a test fails loudly on anything unexpected"
)]

/// Runs each test body twice: on SQLite and on PostgreSQL. `$start` names a
/// function of the calling module that makes the fixture for a backend, or `None` when PostgreSQL is unreachable (which
/// the support module reports loudly).
macro_rules! on_sqlite_and_postgres {
    ($start:ident; $($name:ident => $body:ident;)+) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn on_sqlite() {
                    if let Some(fixture) = super::$start(crate::support::Backend::Sqlite).await {
                        super::$body(fixture).await;
                    }
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn on_postgres() {
                    if let Some(fixture) = super::$start(crate::support::Backend::Postgres).await {
                        super::$body(fixture).await;
                    }
                }
            }
        )+
    };
}

mod api;
mod cli;
mod node;
mod support;
mod witness;

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
