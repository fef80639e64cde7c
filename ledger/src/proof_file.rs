//! C2SP tlog-proof@v1 files: one entry's inclusion, provable offline.
//!
//! Godown puts the entry's bytes in the `extra` line, so the file alone and
//! the trusted vkeys prove the entry, its signature and its place in the log.

use std::fmt::Write as _;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::checkpoint::{CheckpointError, CheckpointPolicy, VerifiedCheckpoint, parse_decimal};
use crate::entry::{Entry, EntryError};
use crate::hash::{Hash, leaf_hash, push_base64_lines};
use crate::tree::{ProofError, verify_inclusion};

/// The first line of every proof file.
pub const PROOF_HEADER: &str = "c2sp.org/tlog-proof@v1";

/// No tree of at most 2^63 leaves needs a longer inclusion proof.
const MAX_PROOF_HASHES: usize = 64;

/// A parsed proof file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlogProof {
    /// Opaque extra data; for Godown, the entry bytes.
    pub extra: Option<Vec<u8>>,
    /// The entry's zero-based index in the log.
    pub index: u64,
    /// The inclusion proof, from the leaf's sibling up.
    pub proof: Vec<Hash>,
    /// The checkpoint note, verbatim, with any cosignatures.
    pub checkpoint: String,
}

/// Why a proof file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProofFileError {
    /// The file does not follow the tlog-proof@v1 grammar.
    #[error("line {line}: {reason}")]
    Malformed {
        /// One-based line number.
        line: usize,
        /// What is wrong there.
        reason: &'static str,
    },
    /// The embedded checkpoint is not trusted.
    #[error("checkpoint: {0}")]
    Checkpoint(#[from] CheckpointError),
    /// The inclusion proof does not hold.
    #[error("inclusion proof: {0}")]
    Proof(#[from] ProofError),
    /// There is no `extra` line, so no entry to prove.
    #[error("the proof has no extra line carrying the entry")]
    NoEntry,
    /// The entry itself is refused.
    #[error("entry: {0}")]
    Entry(#[from] EntryError),
}

impl ProofFileError {
    /// Stable code for logs, CLI output and APIs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Malformed { .. } => "MALFORMED_PROOF_FILE",
            Self::Checkpoint(e) => e.code(),
            Self::Proof(e) => e.code(),
            Self::NoEntry => "PROOF_WITHOUT_ENTRY",
            Self::Entry(e) => e.code(),
        }
    }
}

/// An entry proved to be in a trusted checkpoint.
#[derive(Debug, Clone)]
pub struct ProvedEntry {
    /// The entry, its signature and origin checked.
    pub entry: Entry,
    /// Its index.
    pub index: u64,
    /// The checkpoint it is included in.
    pub checkpoint: VerifiedCheckpoint,
}

impl TlogProof {
    /// Parses a proof file's text.
    pub fn parse(text: &str) -> Result<Self, ProofFileError> {
        let mut lines = Lines {
            rest: text,
            number: 0,
        };
        if lines.next_line()? != PROOF_HEADER {
            return Err(lines.malformed("the first line must be c2sp.org/tlog-proof@v1"));
        }
        let mut line = lines.next_line()?;
        let extra = match line.strip_prefix("extra ") {
            Some(b64) => {
                let bytes = STANDARD
                    .decode(b64)
                    .map_err(|_| lines.malformed("the extra data is not standard base64"))?;
                line = lines.next_line()?;
                Some(bytes)
            }
            None => None,
        };
        let index = line
            .strip_prefix("index ")
            .and_then(parse_decimal)
            .ok_or_else(|| {
                lines.malformed("expected 'index N' with N a decimal with no leading zeros")
            })?;
        let mut proof = Vec::new();
        loop {
            let line = lines.next_line()?;
            if line.is_empty() {
                break;
            }
            if proof.len() == MAX_PROOF_HASHES {
                return Err(lines.malformed("more proof hashes than any tree needs"));
            }
            proof.push(
                Hash::from_base64(line)
                    .map_err(|_| lines.malformed("a proof line is not base64 of 32 bytes"))?,
            );
        }
        if lines.rest.is_empty() {
            return Err(lines.malformed("the checkpoint is missing after the empty line"));
        }
        Ok(Self {
            extra,
            index,
            proof,
            checkpoint: lines.rest.to_owned(),
        })
    }

    /// The file's text.
    pub fn to_text(&self) -> String {
        let mut text = format!("{PROOF_HEADER}\n");
        if let Some(extra) = &self.extra {
            text.push_str("extra ");
            text.push_str(&STANDARD.encode(extra));
            text.push('\n');
        }
        let _ = writeln!(text, "index {}", self.index);
        push_base64_lines(&mut text, &self.proof);
        text.push('\n');
        text.push_str(&self.checkpoint);
        text
    }

    /// Verifies the checkpoint against the trust policy, the inclusion of
    /// the entry bytes at the index, and the entry itself: canonical form,
    /// origin and signature.
    pub fn verify(
        &self,
        policy: &(impl CheckpointPolicy + ?Sized),
    ) -> Result<ProvedEntry, ProofFileError> {
        let checkpoint = policy.verify_note(self.checkpoint.as_bytes())?;
        let bytes = self.extra.as_deref().ok_or(ProofFileError::NoEntry)?;
        let head = &checkpoint.checkpoint;
        verify_inclusion(
            self.index,
            head.size,
            &leaf_hash(bytes),
            &self.proof,
            head.root.as_bytes(),
        )?;
        let entry = Entry::parse(bytes)?;
        entry.check_origin(&head.origin)?;
        entry.verify_signature([])?;
        Ok(ProvedEntry {
            entry,
            index: self.index,
            checkpoint,
        })
    }
}

struct Lines<'a> {
    rest: &'a str,
    number: usize,
}

impl<'a> Lines<'a> {
    fn next_line(&mut self) -> Result<&'a str, ProofFileError> {
        self.number += 1;
        let (line, rest) = self
            .rest
            .split_once('\n')
            .ok_or(ProofFileError::Malformed {
                line: self.number,
                reason: "the file ends before the checkpoint",
            })?;
        self.rest = rest;
        Ok(line)
    }

    fn malformed(&self, reason: &'static str) -> ProofFileError {
        ProofFileError::Malformed {
            line: self.number,
            reason,
        }
    }
}
