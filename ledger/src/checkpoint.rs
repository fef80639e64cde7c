//! C2SP tlog-checkpoint notes: the signed tree head, signed by the log key
//! and cosigned by witnesses. Note parsing and serialisation are
//! `signed_note`'s (a port of Go's `sumdb/note`); the keys are ours.

use std::collections::HashSet;
use std::fmt;

use signed_note::{Note, NoteError, VerificationError, Verifier as _, Verifiers};

use crate::hash::Hash;
use crate::vkey::{KeyKind, NoteSigner, VerifierKey, split_cosignature};

/// The body of a checkpoint: origin, size, root, and opaque extension lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The log's identity; also the log key's name.
    pub origin: String,
    /// Number of leaves.
    pub size: u64,
    /// RFC 6962 root at that size.
    pub root: Hash,
    /// Extension lines, if any; not recommended, carried verbatim.
    pub extensions: Vec<String>,
}

/// Why a checkpoint was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CheckpointError {
    /// Not a well-formed signed note.
    #[error("malformed signed note: {0}")]
    MalformedNote(String),
    /// The note text is not origin, size, root (C2SP tlog-checkpoint).
    #[error("malformed checkpoint body: {0}")]
    MalformedBody(&'static str),
    /// The log key's name is not the checkpoint's origin.
    #[error("checkpoint origin {origin:?} is not the log key's name {key_name:?}")]
    OriginMismatch {
        /// The checkpoint's first line.
        origin: String,
        /// The trusted log key's name.
        key_name: String,
    },
    /// No signature by the trusted log key.
    #[error("checkpoint carries no signature by the log key {0}")]
    LogSignatureMissing(String),
    /// A signature line of a trusted key does not verify.
    #[error("signature by {name} (key ID {id:08x}) does not verify")]
    BadSignature {
        /// Key name on the line.
        name: String,
        /// Key ID on the line.
        id: u32,
    },
    /// Fewer trusted witnesses cosigned than required.
    #[error("{got} of the trusted witnesses cosigned; at least {want} required")]
    TooFewWitnesses {
        /// Valid cosignatures from trusted witnesses.
        got: usize,
        /// Required.
        want: usize,
    },
    /// The witnesses who cosigned do not meet the policy's quorum.
    #[error("the cosignatures do not meet the policy's quorum: {0}")]
    QuorumNotMet(String),
    /// A log key was given as a witness, or the other way round.
    #[error("key {0} has the wrong kind for its role")]
    WrongKeyKind(String),
    /// Signing failed.
    #[error("could not sign: {0}")]
    Signing(String),
}

impl CheckpointError {
    /// Stable code for logs, CLI output and APIs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::MalformedNote(_) => "MALFORMED_NOTE",
            Self::MalformedBody(_) => "MALFORMED_CHECKPOINT",
            Self::OriginMismatch { .. } => "WRONG_ORIGIN",
            Self::LogSignatureMissing(_) => "LOG_SIGNATURE_MISSING",
            Self::BadSignature { .. } => "BAD_CHECKPOINT_SIGNATURE",
            Self::TooFewWitnesses { .. } => "TOO_FEW_WITNESSES",
            Self::QuorumNotMet(_) => "QUORUM_NOT_MET",
            Self::WrongKeyKind(_) => "WRONG_KEY_KIND",
            Self::Signing(_) => "SIGNING_FAILED",
        }
    }
}

impl Checkpoint {
    /// The note text: `origin\nsize\nroot\n` then extension lines.
    pub fn body(&self) -> String {
        let mut text = format!("{}\n{}\n{}\n", self.origin, self.size, self.root);
        for line in &self.extensions {
            text.push_str(line);
            text.push('\n');
        }
        text
    }

    /// Parses a note text as a checkpoint body.
    pub fn parse_body(text: &str) -> Result<Self, CheckpointError> {
        let text = text
            .strip_suffix('\n')
            .ok_or(CheckpointError::MalformedBody(
                "the text must end with a newline",
            ))?;
        let mut lines = text.split('\n');
        let origin = lines.next().unwrap_or_default();
        if origin.is_empty() {
            return Err(CheckpointError::MalformedBody("the origin line is empty"));
        }
        let size_line = lines.next().ok_or(CheckpointError::MalformedBody(
            "the tree size line is missing",
        ))?;
        let size = parse_decimal(size_line).ok_or(CheckpointError::MalformedBody(
            "the tree size must be a decimal with no leading zeros",
        ))?;
        let root_line = lines.next().ok_or(CheckpointError::MalformedBody(
            "the root hash line is missing",
        ))?;
        let root = Hash::from_base64(root_line).map_err(|_| {
            CheckpointError::MalformedBody("the root hash is not base64 of 32 bytes")
        })?;
        let extensions: Vec<String> = lines.map(str::to_owned).collect();
        if extensions.iter().any(String::is_empty) {
            return Err(CheckpointError::MalformedBody(
                "extension lines must not be empty",
            ));
        }
        Ok(Self {
            origin: origin.to_owned(),
            size,
            root,
            extensions,
        })
    }

    /// The body of a signed checkpoint note, read without checking any
    /// signature: for a verifier that learns which key must have signed
    /// only after reading the entries (a log whose key was handed over).
    pub fn of_note(note_bytes: &[u8]) -> Result<Self, CheckpointError> {
        let note = Note::from_bytes(note_bytes).map_err(note_error)?;
        let body = std::str::from_utf8(note.text())
            .map_err(|_| CheckpointError::MalformedNote("not UTF-8".into()))?;
        Self::parse_body(body)
    }

    /// Signs the checkpoint as the log and returns the whole note.
    pub fn sign(&self, log: &NoteSigner) -> Result<String, CheckpointError> {
        self.sign_all(&[log])
    }

    /// Signs the checkpoint with each of `logs` (keys of this log): the
    /// checkpoint that covers a hand-over of the log key carries the old
    /// key's signature and the new one's, so a verifier knowing either
    /// accepts it.
    pub fn sign_all(&self, logs: &[&NoteSigner]) -> Result<String, CheckpointError> {
        for log in logs {
            if log.verifier_key().kind() != KeyKind::Note {
                return Err(CheckpointError::WrongKeyKind(
                    log.verifier_key().to_string(),
                ));
            }
            if log.verifier_key().name() != self.origin {
                return Err(CheckpointError::OriginMismatch {
                    origin: self.origin.clone(),
                    key_name: log.verifier_key().name().to_owned(),
                });
            }
        }
        let signers: Vec<&dyn signed_note::Signer> = logs
            .iter()
            .map(|l| *l as &dyn signed_note::Signer)
            .collect();
        let mut note = Note::new(self.body().as_bytes(), &[]).map_err(note_error)?;
        note.add_sigs(&signers).map_err(note_error)?;
        note_string(&note)
    }
}

/// Adds a witness cosignature line to a signed checkpoint note.
pub fn cosign(note_text: &str, witness: &NoteSigner) -> Result<String, CheckpointError> {
    if witness.verifier_key().kind() != KeyKind::Cosignature {
        return Err(CheckpointError::WrongKeyKind(
            witness.verifier_key().to_string(),
        ));
    }
    let mut note = Note::from_bytes(note_text.as_bytes()).map_err(note_error)?;
    Checkpoint::parse_body(&String::from_utf8_lossy(note.text()))?;
    note.add_sigs(&[witness]).map_err(note_error)?;
    note_string(&note)
}

/// The signature line a witness answers for a checkpoint body (the note
/// text, ending in a newline): `— <name> <base64>` and a newline, as
/// tlog-witness's `add-checkpoint` returns it.
pub fn cosignature_line(body: &str, witness: &NoteSigner) -> Result<String, CheckpointError> {
    if witness.verifier_key().kind() != KeyKind::Cosignature {
        return Err(CheckpointError::WrongKeyKind(
            witness.verifier_key().to_string(),
        ));
    }
    Checkpoint::parse_body(body)?;
    let mut note = Note::new(body.as_bytes(), &[]).map_err(note_error)?;
    note.add_sigs(&[witness]).map_err(note_error)?;
    let text = note_string(&note)?;
    text.strip_prefix(body)
        .and_then(|rest| rest.strip_prefix('\n'))
        .map(str::to_owned)
        .ok_or_else(|| CheckpointError::MalformedNote("the note did not keep its text".into()))
}

/// A checkpoint whose log signature and witness quorum were verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedCheckpoint {
    /// The verified body.
    pub checkpoint: Checkpoint,
    /// Trusted witnesses whose cosignature verified, with their timestamps.
    pub witnesses: Vec<Cosigned>,
}

/// One verified witness cosignature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cosigned {
    /// The witness's key name.
    pub name: String,
    /// When it cosigned, in POSIX seconds.
    pub timestamp: u64,
}

/// What decides whether a checkpoint note is to be believed: a log key and
/// k of n witnesses ([`TrustPolicy`]), or a C2SP tlog-policy file
/// ([`crate::policy::Policy`]).
pub trait CheckpointPolicy {
    /// Verifies a checkpoint note under this policy.
    fn verify_note(&self, note_bytes: &[u8]) -> Result<VerifiedCheckpoint, CheckpointError>;

    /// The log keys trusted, of every log the policy names.
    fn log_keys(&self) -> Vec<VerifierKey>;

    /// The same policy with `log` as the only key trusted for its log: for
    /// the newest checkpoint of a log whose key was handed over, which only
    /// the key in force may sign.
    fn with_log_key(&self, log: VerifierKey) -> Result<Box<dyn CheckpointPolicy>, CheckpointError>;
}

impl CheckpointPolicy for TrustPolicy {
    fn verify_note(&self, note_bytes: &[u8]) -> Result<VerifiedCheckpoint, CheckpointError> {
        self.verify(note_bytes)
    }

    fn log_keys(&self) -> Vec<VerifierKey> {
        self.logs.clone()
    }

    fn with_log_key(&self, log: VerifierKey) -> Result<Box<dyn CheckpointPolicy>, CheckpointError> {
        Ok(Box::new(Self::new(
            log,
            self.witnesses.clone(),
            self.min_witnesses,
        )?))
    }
}

/// The trusted keys for a log: its own key (or keys, around a rotation)
/// and its witnesses.
#[derive(Debug, Clone)]
pub struct TrustPolicy {
    /// One or more keys, all named after the log's origin.
    logs: Vec<VerifierKey>,
    witnesses: Vec<VerifierKey>,
    min_witnesses: usize,
}

impl TrustPolicy {
    /// Trusts `log` for checkpoints and requires `min_witnesses` of
    /// `witnesses` to have cosigned.
    pub fn new(
        log: VerifierKey,
        witnesses: Vec<VerifierKey>,
        min_witnesses: usize,
    ) -> Result<Self, CheckpointError> {
        Self::with_logs(vec![log], witnesses, min_witnesses)
    }

    /// Trusts any of `logs`, keys of one log (the same name), for
    /// checkpoints: a witness that follows a log across a key rotation
    /// trusts the old key and the new.
    pub fn with_logs(
        logs: Vec<VerifierKey>,
        witnesses: Vec<VerifierKey>,
        min_witnesses: usize,
    ) -> Result<Self, CheckpointError> {
        let Some(first) = logs.first() else {
            return Err(CheckpointError::LogSignatureMissing(
                "no log key is trusted".into(),
            ));
        };
        if let Some(log) = logs.iter().find(|l| l.kind() != KeyKind::Note) {
            return Err(CheckpointError::WrongKeyKind(log.to_string()));
        }
        if let Some(other) = logs.iter().find(|l| l.name() != first.name()) {
            return Err(CheckpointError::OriginMismatch {
                origin: first.name().to_owned(),
                key_name: other.name().to_owned(),
            });
        }
        if let Some(w) = witnesses.iter().find(|w| w.kind() != KeyKind::Cosignature) {
            return Err(CheckpointError::WrongKeyKind(w.to_string()));
        }
        if min_witnesses > witnesses.len() {
            return Err(CheckpointError::TooFewWitnesses {
                got: witnesses.len(),
                want: min_witnesses,
            });
        }
        Ok(Self {
            logs,
            witnesses,
            min_witnesses,
        })
    }

    /// The log's name, which is its origin.
    fn origin(&self) -> &str {
        self.logs.first().map_or("", |l| l.name())
    }

    fn log_list(&self) -> String {
        self.logs
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" or ")
    }

    /// Verifies a checkpoint note: a valid log signature, every signature
    /// line of a trusted key valid, and the witness quorum met. Lines from
    /// unknown keys are ignored, as signed-note requires.
    pub fn verify(&self, note_bytes: &[u8]) -> Result<VerifiedCheckpoint, CheckpointError> {
        let note = Note::from_bytes(note_bytes).map_err(note_error)?;
        let body = std::str::from_utf8(note.text())
            .map_err(|_| CheckpointError::MalformedNote("not UTF-8".into()))?;
        let checkpoint = Checkpoint::parse_body(body)?;
        if checkpoint.origin != self.origin() {
            return Err(CheckpointError::OriginMismatch {
                origin: checkpoint.origin,
                key_name: self.origin().to_owned(),
            });
        }
        let (verified, _unknown) = note.verify(self).map_err(|e| match e {
            NoteError::UnverifiedNote => CheckpointError::LogSignatureMissing(self.log_list()),
            other => note_error(other),
        })?;
        if !verified.iter().any(|s| {
            self.logs
                .iter()
                .any(|l| s.name() == l.name() && s.id() == l.id())
        }) {
            return Err(CheckpointError::LogSignatureMissing(self.log_list()));
        }
        let mut seen = HashSet::new();
        let witnesses: Vec<Cosigned> = verified
            .iter()
            .filter(|s| {
                self.witnesses
                    .iter()
                    .any(|w| w.name() == s.name() && w.id() == s.id())
            })
            .filter(|s| seen.insert((s.name().to_owned(), s.id())))
            .filter_map(|s| {
                split_cosignature(s.signature()).map(|(timestamp, _)| Cosigned {
                    name: s.name().to_owned(),
                    timestamp,
                })
            })
            .collect();
        if witnesses.len() < self.min_witnesses {
            return Err(CheckpointError::TooFewWitnesses {
                got: witnesses.len(),
                want: self.min_witnesses,
            });
        }
        Ok(VerifiedCheckpoint {
            checkpoint,
            witnesses,
        })
    }
}

impl Verifiers for TrustPolicy {
    fn verifier(
        &self,
        name: &str,
        id: u32,
    ) -> Result<&dyn signed_note::Verifier, VerificationError> {
        self.logs
            .iter()
            .chain(&self.witnesses)
            .find(|k| k.name() == name && k.key_id() == id)
            .map(|k| k as &dyn signed_note::Verifier)
            .ok_or(VerificationError::UnknownKey {
                name: name.to_owned(),
                id,
            })
    }
}

impl fmt::Display for Checkpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.body())
    }
}

/// ASCII decimal with no leading zeros (a lone `0` is allowed).
pub(crate) fn parse_decimal(text: &str) -> Option<u64> {
    let valid = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    if valid { text.parse().ok() } else { None }
}

fn note_error(e: NoteError) -> CheckpointError {
    match e {
        NoteError::InvalidSignature { name, id } => CheckpointError::BadSignature { name, id },
        NoteError::UnverifiedNote => CheckpointError::LogSignatureMissing(String::new()),
        NoteError::SignatureError(e) => CheckpointError::Signing(e.to_string()),
        other => CheckpointError::MalformedNote(other.to_string()),
    }
}

fn note_string(note: &Note) -> Result<String, CheckpointError> {
    String::from_utf8(note.to_bytes())
        .map_err(|_| CheckpointError::MalformedNote("not UTF-8".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::PrivateKey;

    fn log_signer() -> NoteSigner {
        NoteSigner::log("example.com/log", PrivateKey::from_seed(&[1; 32])).unwrap()
    }

    fn witness(seed: u8, name: &str) -> NoteSigner {
        NoteSigner::witness(name, PrivateKey::from_seed(&[seed; 32]), 1_700_000_000).unwrap()
    }

    fn checkpoint() -> Checkpoint {
        Checkpoint {
            origin: "example.com/log".into(),
            size: 7,
            root: crate::hash::leaf_hash(b"x"),
            extensions: vec![],
        }
    }

    #[test]
    fn a_signed_and_cosigned_checkpoint_verifies_with_its_quorum() {
        let note = checkpoint().sign(&log_signer()).unwrap();
        let w1 = witness(2, "w1.example");
        let w2 = witness(3, "w2.example");
        let note = cosign(&cosign(&note, &w1).unwrap(), &w2).unwrap();
        let policy = TrustPolicy::new(
            log_signer().verifier_key().clone(),
            vec![w1.verifier_key().clone(), w2.verifier_key().clone()],
            2,
        )
        .unwrap();
        let verified = policy.verify(note.as_bytes()).unwrap();
        assert_eq!(verified.checkpoint, checkpoint());
        assert_eq!(verified.witnesses.len(), 2);
        assert_eq!(verified.witnesses[0].timestamp, 1_700_000_000);
    }

    #[test]
    fn a_missing_witness_fails_the_quorum() {
        let note = checkpoint().sign(&log_signer()).unwrap();
        let w1 = witness(2, "w1.example");
        let policy = TrustPolicy::new(
            log_signer().verifier_key().clone(),
            vec![w1.verifier_key().clone()],
            1,
        )
        .unwrap();
        assert_eq!(
            policy.verify(note.as_bytes()).unwrap_err(),
            CheckpointError::TooFewWitnesses { got: 0, want: 1 }
        );
    }

    #[test]
    fn a_changed_body_breaks_the_log_signature() {
        let note = checkpoint().sign(&log_signer()).unwrap();
        let tampered = note.replacen("\n7\n", "\n8\n", 1);
        let policy = TrustPolicy::new(log_signer().verifier_key().clone(), vec![], 0).unwrap();
        assert_eq!(
            policy.verify(tampered.as_bytes()).unwrap_err().code(),
            "BAD_CHECKPOINT_SIGNATURE"
        );
    }

    #[test]
    fn a_checkpoint_signed_only_by_an_unknown_key_is_refused() {
        let stranger = NoteSigner::log("example.com/log", PrivateKey::from_seed(&[9; 32])).unwrap();
        let note = checkpoint().sign(&stranger).unwrap();
        let policy = TrustPolicy::new(log_signer().verifier_key().clone(), vec![], 0).unwrap();
        assert_eq!(
            policy.verify(note.as_bytes()).unwrap_err().code(),
            "LOG_SIGNATURE_MISSING"
        );
    }

    #[test]
    fn checkpoint_bodies_follow_the_c2sp_grammar() {
        let root = crate::hash::leaf_hash(b"x");
        assert!(Checkpoint::parse_body(&format!("o\n0\n{root}\n")).is_ok());
        assert!(Checkpoint::parse_body(&format!("o\n5\n{root}\next\n")).is_ok());
        for bad in [
            format!("o\n05\n{root}\n"),
            format!("o\n-5\n{root}\n"),
            format!("o\n5\n{root}"),
            format!("\n5\n{root}\n"),
            "o\n5\nAAAA\n".to_owned(),
            format!("o\n5\n{root}\n\n"),
            format!("o\n99999999999999999999999\n{root}\n"),
        ] {
            assert_eq!(
                Checkpoint::parse_body(&bad).unwrap_err().code(),
                "MALFORMED_CHECKPOINT",
                "{bad:?}"
            );
        }
    }
}
