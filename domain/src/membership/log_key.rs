//! The log key: which key signs the ledger's checkpoints, and how the
//! members change it. The genesis entry names the key the ledger is founded
//! with; a `log.rotate` proposal, once a quorum adopts it, names its
//! successor; and the key in force signs the `log.handover` entry that
//! hands over to it (`godown_ledger::handover`), pinning the log before it.
//! From that entry on, only the new key signs.

use godown_ledger::{Handover, KeyKind, VerifierKey};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::Membership;
use crate::error::ContractError;
use crate::{Context, Outcome, Touched};

/// A log's signed-note verifier key (type `0x01`), as bodies carry it: the
/// C2SP vkey text, `origin+keyid+base64`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogKey(pub VerifierKey);

impl LogKey {
    /// Parses a vkey and requires it to be a signed-note Ed25519 key.
    pub fn parse(text: &str) -> Result<Self, ContractError> {
        let vkey = VerifierKey::parse(text)
            .map_err(|e| ContractError::BadRequest(format!("log key {text:?}: {e}")))?;
        if vkey.kind() != KeyKind::Note {
            return Err(ContractError::BadRequest(format!(
                "log key {text:?} is not a signed-note (type 0x01) key"
            )));
        }
        Ok(Self(vkey))
    }
}

impl std::fmt::Display for LogKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for LogKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_string())
    }
}

impl<'de> Deserialize<'de> for LogKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// `log.rotate`, a proposal's action: the key to hand over to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogRotation {
    /// The successor, named after the ledger's origin.
    pub vkey: LogKey,
}

/// `log.handover`: the body of the entry the log key in force signs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogHandover(pub Handover);

impl Serialize for LogHandover {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.body().serialize(s)
    }
}

impl<'de> Deserialize<'de> for LogHandover {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let body = Map::<String, Value>::deserialize(d)?;
        Handover::parse(&body)
            .map(Self)
            .map_err(serde::de::Error::custom)
    }
}

/// The ledger's log keys as the entries say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogKeys {
    /// The key in force; `None` on a ledger whose genesis entry did not
    /// name its key, which therefore cannot rotate it.
    pub current: Option<LogKey>,
    /// The successor a quorum adopted, waiting for its hand-over.
    pub next: Option<LogKey>,
    /// Retired keys, oldest first, each with the hand-over that retired it.
    pub retired: Vec<(LogKey, u64)>,
}

impl LogKeys {
    /// Whether `vkey` is, or was, a key of this log.
    pub fn ever_used(&self, vkey: &LogKey) -> bool {
        let same = |k: &LogKey| k.0.public_key() == vkey.0.public_key();
        self.current.as_ref().is_some_and(same) || self.retired.iter().any(|(k, _)| same(k))
    }
}

impl Membership {
    /// Whether a `log.rotate` to `rotation.vkey` could be adopted now.
    pub(super) fn check_rotation(&self, rotation: &LogRotation) -> Result<(), ContractError> {
        let Some(current) = &self.log_keys.current else {
            return Err(ContractError::InvalidState(
                "this ledger's genesis entry does not name its log key, so the key cannot be handed over".into(),
            ));
        };
        if let Some(next) = &self.log_keys.next {
            return Err(ContractError::InvalidState(format!(
                "the log key is already to be handed over to {next}"
            )));
        }
        if rotation.vkey.0.name() != current.0.name() {
            return Err(ContractError::BadRequest(format!(
                "the new log key must be named after the ledger's origin {:?}, not {:?}",
                current.0.name(),
                rotation.vkey.0.name()
            )));
        }
        if self.log_keys.ever_used(&rotation.vkey) {
            return Err(ContractError::AlreadyExists(format!(
                "{} has signed for this ledger before; a retired key never signs again",
                rotation.vkey
            )));
        }
        Ok(())
    }

    /// Applies a `log.handover`: signed by the log key in force, to the
    /// successor the members adopted, at its own index. The root it pins
    /// is the ledger's to check (the node when it appends, every verifier
    /// when it replays), since contracts see no tree.
    pub(super) fn hand_over(
        &mut self,
        ctx: &Context<'_>,
        b: &LogHandover,
    ) -> Result<Outcome, ContractError> {
        let Some(next) = &self.log_keys.next else {
            return Err(ContractError::InvalidState(
                "no log key rotation was adopted by the members".into(),
            ));
        };
        if next.0 != b.0.vkey {
            return Err(ContractError::InvalidState(format!(
                "the members adopted a hand-over to {next}, not to {}",
                b.0.vkey
            )));
        }
        let Some(current) = self.log_keys.current.clone() else {
            return Err(ContractError::InvalidState(
                "this ledger's log key is not known".into(),
            ));
        };
        if current.0.public_key() != ctx.signer {
            return Err(ContractError::Forbidden(format!(
                "a hand-over is signed by the log key in force, {current}"
            )));
        }
        if b.0.size != ctx.index {
            return Err(ContractError::BadRequest(format!(
                "the hand-over at entry {} must pin the log's {} entries before it, not {}",
                ctx.index, ctx.index, b.0.size
            )));
        }
        self.log_keys.retired.push((current, ctx.index));
        self.log_keys.current = self.log_keys.next.take();
        Ok(Outcome::touching(
            self.orgs.keys().cloned(),
            [Touched::LogKey],
        ))
    }
}
