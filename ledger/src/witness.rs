//! C2SP tlog-witness `add-checkpoint`: the request's grammar, and what a
//! witness answers to it given the latest checkpoint it cosigned for the
//! origin. Pure: the witness process holds the state, the clock and the
//! key, and persists before it answers.
//!
//! The checks run in the order the spec's text gives them, and each refusal
//! carries the status the spec assigns: 404 for an unknown origin, 403 when
//! no trusted signature verifies, 400 for a malformed body or an old size
//! above the checkpoint's, 409 when the old size is not the one last
//! cosigned (with that size as the body), 409 for the same size with
//! another root (the current text; v1.0.0 answered 422 there), and 422 when
//! the consistency proof does not verify.

use crate::checkpoint::{Checkpoint, CheckpointError, TrustPolicy, parse_decimal};
use crate::hash::{Hash, push_base64_lines};
use crate::tree::{ProofError, verify_consistency};
use crate::vkey::VerifierKey;

/// At most this many consistency proof lines (the spec's limit: a proof
/// between two trees of fewer than 2^63 leaves needs no more).
pub const MAX_PROOF_LINES: usize = 63;

/// An `add-checkpoint` request body, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddCheckpoint {
    /// The size of the checkpoint the client believes the witness last
    /// cosigned.
    pub old_size: u64,
    /// The consistency proof from `old_size` to the checkpoint's size.
    pub proof: Vec<Hash>,
    /// The signed checkpoint note, verbatim.
    pub checkpoint: String,
}

impl AddCheckpoint {
    /// Parses a request body: `old N`, at most 63 base64 hashes, an empty
    /// line, then the checkpoint note; every line ends in a newline.
    pub fn parse(body: &[u8]) -> Result<Self, Refusal> {
        let text =
            std::str::from_utf8(body).map_err(|_| Refusal::Malformed("the body is not UTF-8"))?;
        let (head, checkpoint) = text
            .split_once("\n\n")
            .ok_or(Refusal::Malformed("no empty line before the checkpoint"))?;
        let mut lines = head.split('\n');
        let old = lines
            .next()
            .and_then(|l| l.strip_prefix("old "))
            .ok_or(Refusal::Malformed("the first line must be `old <size>`"))?;
        let old_size = parse_decimal(old).ok_or(Refusal::Malformed(
            "the old size must be a decimal with no leading zeroes",
        ))?;
        let mut proof = Vec::new();
        for line in lines {
            if proof.len() == MAX_PROOF_LINES {
                return Err(Refusal::Malformed("more than 63 consistency proof lines"));
            }
            let hash = Hash::from_base64(line)
                .map_err(|_| Refusal::Malformed("a proof line is not the base64 of 32 bytes"))?;
            proof.push(hash);
        }
        if checkpoint.is_empty() {
            return Err(Refusal::Malformed("the checkpoint is missing"));
        }
        Ok(Self {
            old_size,
            proof,
            checkpoint: checkpoint.to_owned(),
        })
    }

    /// The request body, as a client sends it.
    pub fn to_body(&self) -> String {
        let mut body = format!("old {}\n", self.old_size);
        push_base64_lines(&mut body, &self.proof);
        body.push('\n');
        body.push_str(&self.checkpoint);
        body
    }
}

/// What a witness last cosigned for an origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Latest {
    /// Its tree size.
    pub size: u64,
    /// Its root.
    pub root: Hash,
}

/// Why a witness does not cosign, with the status the spec assigns.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Refusal {
    /// The body does not follow the grammar, or the checkpoint is not a
    /// checkpoint.
    #[error("malformed request: {0}")]
    Malformed(&'static str),
    /// The checkpoint's origin is not a log this witness follows.
    #[error("unknown log origin {0:?}")]
    UnknownOrigin(String),
    /// No signature by a trusted key of the log verifies.
    #[error("no signature by the log's trusted key verifies: {0}")]
    NotSigned(String),
    /// The old size is above the checkpoint's size.
    #[error("old size {old} is above the checkpoint size {size}")]
    OldAboveSize {
        /// The old size sent.
        old: u64,
        /// The checkpoint's size.
        size: u64,
    },
    /// The old size is not the size last cosigned.
    #[error("old size {old} is not the size last cosigned, {latest}")]
    StaleOldSize {
        /// The old size sent.
        old: u64,
        /// The size last cosigned (0 if none).
        latest: u64,
    },
    /// The checkpoint has the size last cosigned but another root: the log
    /// forked.
    #[error("size {size} was cosigned with another root")]
    OtherRoot {
        /// The size both have.
        size: u64,
    },
    /// The consistency proof does not lead from what was cosigned to the
    /// checkpoint: the log rewrote history, or the proof is wrong.
    #[error("the consistency proof from {old} to {size} does not verify: {reason}")]
    Inconsistent {
        /// The old size.
        old: u64,
        /// The checkpoint's size.
        size: u64,
        /// What failed.
        reason: ProofError,
    },
}

impl Refusal {
    /// The HTTP status the spec gives this refusal.
    pub fn status(&self) -> u16 {
        match self {
            Self::Malformed(_) | Self::OldAboveSize { .. } => 400,
            Self::NotSigned(_) => 403,
            Self::UnknownOrigin(_) => 404,
            Self::StaleOldSize { .. } | Self::OtherRoot { .. } => 409,
            Self::Inconsistent { .. } => 422,
        }
    }

    /// Stable code for logs and evidence files.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Malformed(_) => "MALFORMED_REQUEST",
            Self::UnknownOrigin(_) => "UNKNOWN_ORIGIN",
            Self::NotSigned(_) => "NOT_SIGNED",
            Self::OldAboveSize { .. } => "OLD_ABOVE_SIZE",
            Self::StaleOldSize { .. } => "STALE_OLD_SIZE",
            Self::OtherRoot { .. } => "OTHER_ROOT",
            Self::Inconsistent { .. } => "INCONSISTENT",
        }
    }

    /// The size a 409 names: the size last cosigned.
    pub fn conflict_size(&self) -> Option<u64> {
        match self {
            Self::StaleOldSize { latest, .. } => Some(*latest),
            Self::OtherRoot { size } => Some(*size),
            _ => None,
        }
    }

    /// Whether the request, validly signed by the log, shows the log
    /// misbehaving: a second root for a size, or history that does not
    /// extend what was cosigned. Such a request is evidence to keep.
    pub fn is_evidence(&self) -> bool {
        matches!(self, Self::OtherRoot { .. } | Self::Inconsistent { .. })
    }
}

/// Decides a request: the logs the witness follows (their vkeys, named
/// after their origins; one log may have several around a key rotation),
/// and `latest`, what it last cosigned for an origin. On success, the
/// checkpoint to cosign and record.
pub fn check(
    logs: &[VerifierKey],
    latest: impl FnOnce(&str) -> Option<Latest>,
    request: &AddCheckpoint,
) -> Result<Checkpoint, Refusal> {
    // A body that is not a checkpoint note is malformed before its origin
    // can mean anything.
    let body = request
        .checkpoint
        .split_once("\n\n")
        .map(|(body, _)| format!("{body}\n"))
        .ok_or(Refusal::Malformed("the checkpoint is not a signed note"))?;
    let origin = Checkpoint::parse_body(&body)
        .map_err(|_| Refusal::Malformed("the note's text is not a checkpoint"))?
        .origin;
    let origin = origin.as_str();
    // Around a key rotation a witness trusts the log's old key and its new
    // one: both are listed, under the same origin.
    let keys: Vec<VerifierKey> = logs
        .iter()
        .filter(|k| k.name() == origin)
        .cloned()
        .collect();
    if keys.is_empty() {
        return Err(Refusal::UnknownOrigin(origin.to_owned()));
    }
    let policy = TrustPolicy::with_logs(keys, Vec::new(), 0)
        .map_err(|e| Refusal::NotSigned(e.to_string()))?;
    let checkpoint = match policy.verify(request.checkpoint.as_bytes()) {
        Ok(v) => v.checkpoint,
        Err(CheckpointError::MalformedNote(_) | CheckpointError::MalformedBody(_)) => {
            return Err(Refusal::Malformed(
                "the checkpoint is not a signed checkpoint note",
            ));
        }
        Err(e) => return Err(Refusal::NotSigned(e.to_string())),
    };
    let (old, size) = (request.old_size, checkpoint.size);
    if old > size {
        return Err(Refusal::OldAboveSize { old, size });
    }
    let latest = latest(origin);
    let cosigned = latest.map_or(0, |l| l.size);
    if old != cosigned {
        return Err(Refusal::StaleOldSize {
            old,
            latest: cosigned,
        });
    }
    let inconsistent = |reason| Refusal::Inconsistent { old, size, reason };
    match latest {
        // Nothing cosigned yet (or size 0 cosigned): there is nothing to be
        // consistent with, except that an empty tree has one root.
        None | Some(Latest { size: 0, .. }) => {
            if !request.proof.is_empty() {
                return Err(Refusal::Malformed(
                    "the proof must be empty from old size 0",
                ));
            }
            if size == 0 && checkpoint.root != Hash::EMPTY_ROOT {
                return Err(inconsistent(ProofError::RootMismatch));
            }
        }
        Some(l) if size == l.size => {
            if checkpoint.root != l.root {
                return Err(Refusal::OtherRoot { size });
            }
            if !request.proof.is_empty() {
                return Err(inconsistent(ProofError::WrongLength {
                    got: request.proof.len(),
                    want: 0,
                }));
            }
        }
        Some(l) => verify_consistency(
            l.size,
            size,
            &request.proof,
            l.root.as_bytes(),
            checkpoint.root.as_bytes(),
        )
        .map_err(inconsistent)?,
    }
    Ok(checkpoint)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::leaf_hash;
    use crate::keys::PrivateKey;
    use crate::tree::{MemoryStore, append, block_on, consistency_proof};
    use crate::vkey::NoteSigner;

    const ORIGIN: &str = "witness.test/log";

    /// A log of `n` leaves in memory that signs its checkpoints.
    struct Log {
        store: MemoryStore,
        size: u64,
        root: Hash,
        signer: NoteSigner,
    }

    impl Log {
        fn new(seed: u8) -> Self {
            Self {
                store: MemoryStore::new(),
                size: 0,
                root: Hash::EMPTY_ROOT,
                signer: NoteSigner::log(ORIGIN, PrivateKey::from_seed(&[seed; 32])).unwrap(),
            }
        }

        fn grow(&mut self, n: u64, salt: &str) {
            let leaves: Vec<Hash> = (self.size..self.size + n)
                .map(|i| leaf_hash(format!("{salt}{i}").as_bytes()))
                .collect();
            let head = block_on(append(&mut self.store, self.size, &leaves)).unwrap();
            self.size = head.size;
            self.root = head.root;
        }

        fn note(&self) -> String {
            Checkpoint {
                origin: ORIGIN.to_owned(),
                size: self.size,
                root: self.root,
                extensions: Vec::new(),
            }
            .sign(&self.signer)
            .unwrap()
        }

        fn request(&self, old: u64) -> AddCheckpoint {
            AddCheckpoint {
                old_size: old,
                proof: block_on(consistency_proof(&self.store, old, self.size)).unwrap(),
                checkpoint: self.note(),
            }
        }

        fn latest(&self) -> Latest {
            Latest {
                size: self.size,
                root: self.root,
            }
        }
    }

    fn decide(
        log: &Log,
        latest: Option<Latest>,
        request: &AddCheckpoint,
    ) -> Result<Checkpoint, Refusal> {
        check(&[log.signer.verifier_key().clone()], |_| latest, request)
    }

    #[test]
    fn a_request_body_round_trips_through_its_grammar() {
        let mut log = Log::new(1);
        log.grow(5, "a");
        let before = log.latest();
        log.grow(6, "a");
        let request = log.request(before.size);
        assert!(!request.proof.is_empty());
        assert_eq!(
            AddCheckpoint::parse(request.to_body().as_bytes()).unwrap(),
            request
        );
    }

    #[test]
    fn malformed_bodies_are_bad_requests() {
        let mut log = Log::new(1);
        log.grow(3, "a");
        let note = log.note();
        let hash = Hash::EMPTY_ROOT.to_base64();
        let sixty_four = format!("old 1\n{}\n{note}", format!("{hash}\n").repeat(64));
        for body in [
            format!("old 01\n\n{note}"),
            format!("old -1\n\n{note}"),
            format!("new 1\n\n{note}"),
            format!("old 1\n{note}"),
            format!("old 1\nnot-base64!\n\n{note}"),
            format!("old 1\n{}\n\n{note}", "AAAA"),
            "old 1\n\n".to_owned(),
            sixty_four,
        ] {
            let refusal = AddCheckpoint::parse(body.as_bytes()).unwrap_err();
            assert_eq!(refusal.status(), 400, "{body:?}: {refusal}");
        }
        assert_eq!(AddCheckpoint::parse(b"\xff\xfe").unwrap_err().status(), 400);
    }

    #[test]
    fn the_first_checkpoint_is_cosigned_from_old_size_zero_and_then_only_consistent_ones() {
        let mut log = Log::new(1);
        log.grow(4, "a");
        let first = decide(&log, None, &log.request(0)).unwrap();
        assert_eq!(first.size, 4);
        let cosigned = log.latest();
        log.grow(9, "a");
        let next = decide(&log, Some(cosigned), &log.request(4)).unwrap();
        assert_eq!(next.size, 13);
        // The same checkpoint again is cosigned again.
        assert!(decide(&log, Some(log.latest()), &log.request(13)).is_ok());
    }

    #[test]
    fn each_refusal_has_the_status_the_spec_gives_it() {
        let mut log = Log::new(1);
        log.grow(4, "a");
        let cosigned = log.latest();
        log.grow(4, "a");

        // 404: another origin.
        let stranger = Log::new(2);
        let other_key = NoteSigner::log("other.test/log", PrivateKey::from_seed(&[2; 32])).unwrap();
        let r = check(
            &[other_key.verifier_key().clone()],
            |_| None,
            &log.request(0),
        )
        .unwrap_err();
        assert_eq!(r.status(), 404);

        // 403: signed by a key that is not the log's (same origin).
        let r = decide(&stranger, Some(cosigned), &log.request(4)).unwrap_err();
        assert_eq!(r.status(), 403, "{r}");

        // 400: old size above the checkpoint's.
        let mut above = log.request(4);
        above.old_size = 9;
        above.proof.clear();
        assert_eq!(
            decide(&log, Some(cosigned), &above).unwrap_err().status(),
            400
        );

        // 409: a stale old size names the size last cosigned.
        let r = decide(&log, Some(cosigned), &log.request(0)).unwrap_err();
        assert_eq!((r.status(), r.conflict_size()), (409, Some(4)));
        let r = decide(&log, Some(cosigned), &log.request(2)).unwrap_err();
        assert_eq!((r.status(), r.conflict_size()), (409, Some(4)));

        // 422: a proof that does not lead from what was cosigned.
        let mut wrong = log.request(4);
        if let Some(first) = wrong.proof.first_mut() {
            *first = Hash::EMPTY_ROOT;
        }
        let r = decide(&log, Some(cosigned), &wrong).unwrap_err();
        assert_eq!(r.status(), 422);
        assert!(r.is_evidence());
    }

    #[test]
    fn a_fork_is_refused_and_kept_as_evidence() {
        let mut honest = Log::new(1);
        honest.grow(4, "a");
        let cosigned = honest.latest();
        // The same key signs a tree whose history differs from leaf 0 on.
        let mut forked = Log::new(1);
        forked.grow(8, "b");
        let r = decide(&forked, Some(cosigned), &forked.request(4)).unwrap_err();
        assert_eq!(r.status(), 422);
        assert!(r.is_evidence());
        // Same size, another root: 409, and evidence too.
        let mut same = Log::new(1);
        same.grow(4, "b");
        let r = decide(&same, Some(cosigned), &same.request(4)).unwrap_err();
        assert_eq!((r.status(), r.conflict_size()), (409, Some(4)));
        assert!(r.is_evidence());
    }

    #[test]
    fn an_empty_tree_has_one_root() {
        let log = Log::new(1);
        assert!(decide(&log, None, &log.request(0)).is_ok());
        let bad = Checkpoint {
            origin: ORIGIN.to_owned(),
            size: 0,
            root: leaf_hash(b"x"),
            extensions: Vec::new(),
        }
        .sign(&log.signer)
        .unwrap();
        let request = AddCheckpoint {
            old_size: 0,
            proof: Vec::new(),
            checkpoint: bad,
        };
        assert_eq!(decide(&log, None, &request).unwrap_err().status(), 422);
    }
}
