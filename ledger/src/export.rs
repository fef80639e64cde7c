//! Verifying an export's `entries.jsonl` against its checkpoint in one pass.
//!
//! The verifier is fed one line at a time and keeps O(log n) tree state, a
//! pending batch of signatures, and one 16-byte digest per (key, nonce) pair,
//! so a caller can stream a file of any size through it.

use std::collections::HashMap;
use std::collections::hash_map::Entry as Slot;
use std::fmt;

use sha2::{Digest, Sha256};

use crate::batch::verify_entries;
use crate::checkpoint::Checkpoint;
use crate::entry::{Entry, EntryError};
use crate::hash::Hash;
use crate::keys::{KeyCache, PublicKey};
use crate::tree::RootBuilder;

/// Signatures checked per batch: past about 64 the saving per signature is
/// small, and a smaller batch finds a bad entry sooner.
pub const BATCH_SIZE: usize = 64;

/// How many distinct signer keys are remembered to diagnose a signature
/// filed under the wrong key; bounds the work spent on a bad entry.
const MAX_DIAGNOSTIC_KEYS: usize = 10_000;

/// Why an export was refused, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportError {
    /// One-based line of `entries.jsonl`, when one line is at fault.
    pub line: Option<u64>,
    /// What is wrong.
    pub kind: ExportErrorKind,
}

/// What is wrong with an export.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ExportErrorKind {
    /// An entry is refused.
    #[error(transparent)]
    Entry(#[from] EntryError),
    /// More or fewer entries than the checkpoint counts.
    #[error("entries.jsonl holds {entries} entries but the checkpoint covers {checkpoint}")]
    SizeMismatch {
        /// Entries read (so far, when there are too many).
        entries: u64,
        /// The checkpoint's tree size.
        checkpoint: u64,
    },
    /// The entries hash to another root than the checkpoint's.
    #[error("the entries hash to root {computed}, not the checkpoint's {checkpoint}")]
    RootMismatch {
        /// Root over the entries.
        computed: Hash,
        /// Root in the checkpoint.
        checkpoint: Hash,
    },
}

impl ExportError {
    /// Stable code for logs, CLI output and APIs.
    pub fn code(&self) -> &'static str {
        match &self.kind {
            ExportErrorKind::Entry(e) => e.code(),
            ExportErrorKind::SizeMismatch { .. } => "SIZE_MISMATCH",
            ExportErrorKind::RootMismatch { .. } => "ROOT_MISMATCH",
        }
    }
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.line {
            write!(f, "entries.jsonl line {line} (entry {}): ", line - 1)?;
        }
        write!(f, "{}: {}", self.code(), self.kind)
    }
}

impl std::error::Error for ExportError {}

/// What a successful verification covered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportSummary {
    /// Entries verified.
    pub entries: u64,
    /// Their root, equal to the checkpoint's.
    pub root: Hash,
    /// Distinct signing keys seen.
    pub signers: usize,
}

/// Streams the entries of an export through every check FORMATS.md asks:
/// canonical form, no floats, origin, signature, nonce uniqueness per key,
/// and finally the count and root against the checkpoint.
#[derive(Debug)]
pub struct ExportVerifier {
    checkpoint: Checkpoint,
    lines: u64,
    root: RootBuilder,
    pending: Vec<(u64, Entry)>,
    nonces: HashMap<u128, u64>,
    signers: HashMap<[u8; 32], PublicKey>,
    diagnostic_keys: Vec<PublicKey>,
    keys: KeyCache,
}

impl ExportVerifier {
    /// Starts verifying entries against an already verified checkpoint.
    pub fn new(checkpoint: Checkpoint) -> Self {
        Self {
            checkpoint,
            lines: 0,
            root: RootBuilder::new(),
            pending: Vec::with_capacity(BATCH_SIZE),
            nonces: HashMap::new(),
            signers: HashMap::new(),
            diagnostic_keys: Vec::new(),
            keys: KeyCache::new(),
        }
    }

    /// Adds keys known from elsewhere (a membership list, say), to diagnose
    /// signatures filed under the wrong key.
    #[must_use]
    pub fn with_known_keys(mut self, keys: impl IntoIterator<Item = PublicKey>) -> Self {
        for key in keys {
            self.remember(key);
        }
        self
    }

    /// Checks the next line (without its newline).
    pub fn push_line(&mut self, line: &[u8]) -> Result<(), ExportError> {
        self.lines += 1;
        let number = self.lines;
        let index = number - 1;
        if index >= self.checkpoint.size {
            self.flush()?;
            return Err(ExportError {
                line: Some(number),
                kind: ExportErrorKind::SizeMismatch {
                    entries: number,
                    checkpoint: self.checkpoint.size,
                },
            });
        }
        let entry = match Entry::parse_with(line.to_vec(), &mut self.keys).and_then(|e| {
            e.check_origin(&self.checkpoint.origin)?;
            Ok(e)
        }) {
            Ok(entry) => entry,
            Err(e) => return Err(self.fail_at(number, e)),
        };
        match self.nonces.entry(nonce_digest(&entry)) {
            Slot::Occupied(first) => {
                let e = EntryError::NonceReused {
                    nonce: entry.nonce().to_owned(),
                    first_index: *first.get(),
                };
                return Err(self.fail_at(number, e));
            }
            Slot::Vacant(slot) => {
                slot.insert(index);
            }
        }
        self.root.push(entry.leaf_hash());
        self.remember(*entry.key());
        self.pending.push((number, entry));
        if self.pending.len() >= BATCH_SIZE {
            self.flush()?;
        }
        Ok(())
    }

    /// Checks what is left and compares the count and root with the
    /// checkpoint.
    pub fn finish(mut self) -> Result<ExportSummary, ExportError> {
        self.flush()?;
        if self.root.size() != self.checkpoint.size {
            return Err(ExportError {
                line: None,
                kind: ExportErrorKind::SizeMismatch {
                    entries: self.root.size(),
                    checkpoint: self.checkpoint.size,
                },
            });
        }
        let computed = self.root.root();
        if computed != self.checkpoint.root {
            return Err(ExportError {
                line: None,
                kind: ExportErrorKind::RootMismatch {
                    computed,
                    checkpoint: self.checkpoint.root,
                },
            });
        }
        Ok(ExportSummary {
            entries: self.root.size(),
            root: computed,
            signers: self.signers.len(),
        })
    }

    /// A defect at `line` is only the first if every earlier signature holds.
    fn fail_at(&mut self, line: u64, error: EntryError) -> ExportError {
        match self.flush() {
            Err(earlier) => earlier,
            Ok(()) => ExportError {
                line: Some(line),
                kind: ExportErrorKind::Entry(error),
            },
        }
    }

    fn flush(&mut self) -> Result<(), ExportError> {
        let entries: Vec<&Entry> = self.pending.iter().map(|(_, e)| e).collect();
        let result = verify_entries(&entries, &self.diagnostic_keys);
        let failed = result.err().map(|(bad, error)| ExportError {
            line: self.pending.get(bad).map(|(line, _)| *line),
            kind: ExportErrorKind::Entry(error),
        });
        self.pending.clear();
        failed.map_or(Ok(()), Err)
    }

    fn remember(&mut self, key: PublicKey) {
        if let Slot::Vacant(slot) = self.signers.entry(key.to_bytes()) {
            slot.insert(key);
            if self.diagnostic_keys.len() < MAX_DIAGNOSTIC_KEYS {
                self.diagnostic_keys.push(key);
            }
        }
    }
}

/// 128 bits of `SHA-256(key || nonce)`: collisions are out of reach, and the
/// set of a million entries stays within tens of megabytes.
fn nonce_digest(entry: &Entry) -> u128 {
    let mut h = Sha256::new();
    h.update(entry.key().to_bytes());
    h.update(entry.nonce().as_bytes());
    let digest = h.finalize();
    let mut first = [0u8; 16];
    first.copy_from_slice(digest.get(..16).unwrap_or(&[0; 16]));
    u128::from_be_bytes(first)
}
