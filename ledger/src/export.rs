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
use crate::checkpoint::{Checkpoint, CheckpointError, CheckpointPolicy, VerifiedCheckpoint};
use crate::entry::{Entry, EntryError};
use crate::handover::{Handover, HandoverError, KeyChain};
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
    /// A hand-over of the log key is refused.
    #[error(transparent)]
    Handover(#[from] HandoverError),
    /// More or fewer entries than the checkpoint counts.
    #[error("entries.jsonl holds {entries} entries but the checkpoint covers {checkpoint}")]
    SizeMismatch {
        /// Entries read (so far, when there are too many).
        entries: u64,
        /// The checkpoint's tree size.
        checkpoint: u64,
    },
    /// The checkpoint is refused under the policy (with the log key the
    /// hand-overs put in force, if there were any).
    #[error("checkpoint: {0}")]
    Checkpoint(#[from] CheckpointError),
    /// The log key was handed over, but no key of the chain is trusted.
    #[error("the log key was handed over ({chain}), but none of these keys is trusted: {trusted}")]
    UntrustedChain {
        /// The chain, oldest first.
        chain: String,
        /// The keys the policy trusts.
        trusted: String,
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
            ExportErrorKind::Handover(e) => e.code(),
            ExportErrorKind::Checkpoint(e) => e.code(),
            ExportErrorKind::UntrustedChain { .. } => "UNTRUSTED_LOG_KEY",
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
    /// The log keys the entries' hand-overs establish; empty when the log
    /// key was never rotated.
    pub log_keys: KeyChain,
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
    chain: KeyChain,
}

impl ExportVerifier {
    /// Starts verifying entries against a checkpoint's body. Whose
    /// signature it must carry is known only at the end, once the entries'
    /// hand-overs are followed: [`ExportSummary::log_keys`].
    pub fn new(checkpoint: Checkpoint) -> Self {
        Self {
            chain: KeyChain::new(&checkpoint.origin),
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
            Err(e) => return Err(self.fail_at(number, e.into())),
        };
        match self.nonces.entry(nonce_digest(&entry)) {
            Slot::Occupied(first) => {
                let e = EntryError::NonceReused {
                    nonce: entry.nonce().to_owned(),
                    first_index: *first.get(),
                };
                return Err(self.fail_at(number, e.into()));
            }
            Slot::Vacant(slot) => {
                slot.insert(index);
            }
        }
        if let Some(handover) = Handover::of_entry(&entry) {
            let prefix = self.root.root();
            if let Err(e) = handover.and_then(|h| self.chain.follow(index, prefix, &entry, &h)) {
                return Err(self.fail_at(number, e.into()));
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
            log_keys: self.chain,
        })
    }

    /// A defect at `line` is only the first if every earlier signature holds.
    fn fail_at(&mut self, line: u64, kind: ExportErrorKind) -> ExportError {
        match self.flush() {
            Err(earlier) => earlier,
            Ok(()) => ExportError {
                line: Some(line),
                kind,
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

/// Verifies an export's checkpoint note once its entries have been
/// verified (`summary`). Without a hand-over, the note must verify under
/// `policy` as it is. With hand-overs, a key the policy trusts must be one
/// of the chain's (the key the ledger was founded with, or any later), and
/// the note must carry the signature of the key in force after the last
/// entry: a retired key signs nothing new.
pub fn verify_checkpoint(
    summary: &ExportSummary,
    note: &[u8],
    policy: &dyn CheckpointPolicy,
) -> Result<VerifiedCheckpoint, ExportError> {
    let error = |kind| ExportError { line: None, kind };
    let Some(current) = summary.log_keys.current() else {
        return policy
            .verify_note(note)
            .map_err(|e| error(ExportErrorKind::Checkpoint(e)));
    };
    let trusted = policy.log_keys();
    if !trusted.iter().any(|k| summary.log_keys.contains(k)) {
        let list = |keys: &mut dyn Iterator<Item = &crate::vkey::VerifierKey>| {
            keys.map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" → ")
        };
        return Err(error(ExportErrorKind::UntrustedChain {
            chain: list(&mut summary.log_keys.keys().iter().map(|(k, _)| k)),
            trusted: list(&mut trusted.iter()),
        }));
    }
    policy
        .with_log_key(current.clone())
        .and_then(|p| p.verify_note(note))
        .map_err(|e| error(ExportErrorKind::Checkpoint(e)))
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

#[cfg(test)]
mod tests {
    use serde_json::{Map, Value};

    use super::*;
    use crate::checkpoint::TrustPolicy;
    use crate::entry::Transaction;
    use crate::handover::HANDOVER_TYPE;
    use crate::keys::PrivateKey;
    use crate::policy::Policy;
    use crate::vkey::{NoteSigner, VerifierKey};

    const ORIGIN: &str = "export.test/log";

    fn log_key(seed: u8) -> NoteSigner {
        NoteSigner::log(ORIGIN, PrivateKey::from_seed(&[seed; 32])).unwrap()
    }

    fn vkey(seed: u8) -> VerifierKey {
        log_key(seed).verifier_key().clone()
    }

    fn signed(key: &PrivateKey, tx_type: &str, nonce: &str, body: Map<String, Value>) -> Vec<u8> {
        let tx = Transaction::new(ORIGIN, tx_type, nonce, body).unwrap();
        let sig = key.sign(&tx.signing_bytes());
        Entry::new(&tx, sig, key.public_key(), Map::new())
            .unwrap()
            .bytes()
            .to_vec()
    }

    /// Three member entries, a hand-over from log key 1 to 2 (pinning
    /// `pinned`, the true root when `None`), two more entries, and a
    /// checkpoint signed by `signers`.
    fn log(pinned: Option<Hash>, signers: &[u8]) -> (Vec<Vec<u8>>, Vec<u8>) {
        let member = PrivateKey::from_seed(&[40; 32]);
        let mut lines: Vec<Vec<u8>> = (0..3)
            .map(|i| signed(&member, "note.add", &format!("n{i}"), Map::new()))
            .collect();
        let mut root = RootBuilder::new();
        for line in &lines {
            root.push(crate::hash::leaf_hash(line));
        }
        let handover = Handover {
            vkey: vkey(2),
            size: 3,
            root: pinned.unwrap_or_else(|| root.root()),
        };
        lines.push(signed(
            log_key(1).private_key(),
            HANDOVER_TYPE,
            &Handover::nonce(3),
            handover.body(),
        ));
        for i in 3..5 {
            lines.push(signed(&member, "note.add", &format!("n{i}"), Map::new()));
        }
        let mut root = RootBuilder::new();
        for line in &lines {
            root.push(crate::hash::leaf_hash(line));
        }
        let keys: Vec<NoteSigner> = signers.iter().map(|s| log_key(*s)).collect();
        let note = Checkpoint {
            origin: ORIGIN.into(),
            size: root.size(),
            root: root.root(),
            extensions: vec![],
        }
        .sign_all(&keys.iter().collect::<Vec<_>>())
        .unwrap();
        (lines, note.into_bytes())
    }

    fn verify(
        lines: &[Vec<u8>],
        note: &[u8],
        policy: &dyn CheckpointPolicy,
    ) -> Result<VerifiedCheckpoint, ExportError> {
        let mut verifier = ExportVerifier::new(Checkpoint::of_note(note).unwrap());
        for line in lines {
            verifier.push_line(line)?;
        }
        let summary = verifier.finish()?;
        verify_checkpoint(&summary, note, policy)
    }

    fn trusting(seed: u8) -> TrustPolicy {
        TrustPolicy::new(vkey(seed), vec![], 0).unwrap()
    }

    #[test]
    fn an_export_across_a_hand_over_verifies_from_the_old_key_or_the_new() {
        let (lines, note) = log(None, &[2]);
        for seed in [1, 2] {
            let verified = verify(&lines, &note, &trusting(seed)).unwrap();
            assert_eq!(verified.checkpoint.size, 6);
        }
        let policy = Policy::parse(&format!("log {}\nquorum none\n", vkey(1))).unwrap();
        verify(&lines, &note, &policy).unwrap();
    }

    #[test]
    fn after_a_hand_over_the_retired_key_alone_signs_nothing() {
        let (lines, note) = log(None, &[1]);
        assert_eq!(
            verify(&lines, &note, &trusting(1)).unwrap_err().code(),
            "LOG_SIGNATURE_MISSING"
        );
    }

    #[test]
    fn a_key_outside_the_chain_is_not_trusted_for_it() {
        let (lines, note) = log(None, &[2]);
        assert_eq!(
            verify(&lines, &note, &trusting(3)).unwrap_err().code(),
            "UNTRUSTED_LOG_KEY"
        );
    }

    #[test]
    fn a_hand_over_that_pins_another_root_is_refused_at_its_line() {
        let (lines, note) = log(Some(crate::hash::leaf_hash(b"another log")), &[2]);
        let err = verify(&lines, &note, &trusting(1)).unwrap_err();
        assert_eq!(err.code(), "HANDOVER_WRONG_ROOT");
        assert_eq!(err.line, Some(4));
    }

    #[test]
    fn a_hand_over_signed_by_another_key_than_the_trusted_one_is_refused() {
        let (mut lines, _) = log(None, &[2]);
        let mut root = RootBuilder::new();
        for line in lines.iter().take(3) {
            root.push(crate::hash::leaf_hash(line));
        }
        // Someone holding key 9 but not log key 1 hands over to key 9's
        // own successor, and signs the checkpoint with it.
        let forged = Handover {
            vkey: vkey(8),
            size: 3,
            root: root.root(),
        };
        lines[3] = signed(
            log_key(9).private_key(),
            HANDOVER_TYPE,
            &Handover::nonce(3),
            forged.body(),
        );
        let mut root = RootBuilder::new();
        for line in &lines {
            root.push(crate::hash::leaf_hash(line));
        }
        let note = Checkpoint {
            origin: ORIGIN.into(),
            size: root.size(),
            root: root.root(),
            extensions: vec![],
        }
        .sign(&log_key(8))
        .unwrap();
        assert_eq!(
            verify(&lines, note.as_bytes(), &trusting(1))
                .unwrap_err()
                .code(),
            "UNTRUSTED_LOG_KEY"
        );
        verify(&lines, note.as_bytes(), &trusting(9)).unwrap();
    }
}
