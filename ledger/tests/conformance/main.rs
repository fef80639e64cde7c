//! Conformance of the ledger core with the shared test vectors (a copy of
//! `../shared/vectors`, kept in `ledger/tests/vectors`), and property tests
//! of the tree, proofs and entries.
#![expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::missing_panics_doc,
    reason = "a test fails loudly on anything unexpected"
)]

mod godown;
mod jcs;
mod properties;
mod rfc6962;

use std::path::{Path, PathBuf};

/// The vectors directory inside this crate.
pub fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

/// Every `.json` file under `dir`, sorted.
pub fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}
