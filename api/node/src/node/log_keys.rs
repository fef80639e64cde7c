//! The log keys the node holds, and which of them signs.
//!
//! The key in force is the ledger's to say: the one the genesis entry named,
//! or the one the last `log.handover` entry handed over to. The node holds
//! private keys in its data directory: `log.pem`, the key the ledger was
//! founded with, and any PEM file under `log-keys/`, where an operator puts
//! the successor the members are voting on. It signs each checkpoint with
//! the key in force, and the checkpoint that covers a hand-over with the
//! retiring key as well.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use godown_domain::membership::log_key::LogKeys;
use godown_ledger::{NoteSigner, PrivateKey, VerifierKey};

use crate::files::read_small;

/// The folder of the data directory holding log keys besides `log.pem`.
pub const LOG_KEYS_DIR: &str = "log-keys";

/// How often the node looks again in `log-keys/` for a key it lacks.
const RESCAN: Duration = Duration::from_secs(5);

/// What the node knows of the log's keys.
#[derive(Debug)]
pub(crate) struct LogSigning {
    origin: String,
    dir: PathBuf,
    /// Private keys held, `log.pem` first.
    held: Vec<NoteSigner>,
    /// The key in force, as the ledger says.
    in_force: VerifierKey,
    /// The successor a quorum adopted, not yet handed over to.
    next: Option<VerifierKey>,
    /// Keys that signed before, oldest first.
    retired: Vec<VerifierKey>,
    last_scan: Option<Instant>,
    warned_missing: Option<VerifierKey>,
}

impl LogSigning {
    /// The keys in `data_dir`, with `founding` (from `log.pem`) in force
    /// until the ledger says otherwise.
    pub(crate) fn new(origin: &str, data_dir: &Path, founding: NoteSigner) -> Self {
        let in_force = founding.verifier_key().clone();
        let mut signing = Self {
            origin: origin.to_owned(),
            dir: data_dir.join(LOG_KEYS_DIR),
            held: vec![founding],
            in_force,
            next: None,
            retired: Vec::new(),
            last_scan: None,
            warned_missing: None,
        };
        signing.scan();
        signing
    }

    /// Follows what the ledger says of its keys. A ledger whose genesis did
    /// not name its key keeps the founding key.
    pub(crate) fn follow(&mut self, keys: &LogKeys) {
        if let Some(current) = &keys.current {
            self.in_force = current.0.clone();
        }
        self.next = keys.next.as_ref().map(|k| k.0.clone());
        self.retired = keys.retired.iter().map(|(k, _)| k.0.clone()).collect();
    }

    /// The key in force.
    pub(crate) fn in_force(&self) -> &VerifierKey {
        &self.in_force
    }

    /// The key in force, then the retired ones, newest first.
    pub(crate) fn all(&self) -> Vec<VerifierKey> {
        std::iter::once(self.in_force.clone())
            .chain(self.retired.iter().rev().cloned())
            .collect()
    }

    /// The adopted successor, if one waits for its hand-over.
    pub(crate) fn next(&self) -> Option<&VerifierKey> {
        self.next.as_ref()
    }

    /// Whether `vkey` is, was or is about to be a key of this log.
    pub(crate) fn is_ours(&self, vkey: &VerifierKey) -> bool {
        *vkey == self.in_force || self.next.as_ref() == Some(vkey) || self.retired.contains(vkey)
    }

    /// The signer of `vkey`, looking in `log-keys/` again (at most every
    /// few seconds) when the node does not hold it yet.
    pub(crate) fn signer(&mut self, vkey: &VerifierKey) -> Option<NoteSigner> {
        if let Some(s) = self.held(vkey) {
            return Some(s);
        }
        if self.last_scan.is_none_or(|t| t.elapsed() >= RESCAN) {
            self.scan();
        }
        self.held(vkey)
    }

    fn held(&self, vkey: &VerifierKey) -> Option<NoteSigner> {
        self.held.iter().find(|s| s.verifier_key() == vkey).cloned()
    }

    /// Who signs the checkpoint after entries that leave the log's keys
    /// as `keys` says: the key in force, and right after a hand-over also
    /// the key it retired, so that a verifier knowing either accepts the
    /// checkpoint that covers the hand-over.
    pub(crate) fn signers(
        &mut self,
        keys: &LogKeys,
        handed_over: bool,
    ) -> Result<Vec<NoteSigner>, String> {
        let current = match &keys.current {
            Some(k) => k.0.clone(),
            None => self.founding(),
        };
        let mut signers = vec![self.signer(&current).ok_or_else(|| {
            format!(
                "the node holds no private key for the log key in force {current}; put its PEM file in {}",
                self.dir.display()
            )
        })?];
        if handed_over
            && let Some((old, _)) = keys.retired.last()
            && let Some(s) = self.signer(&old.0)
        {
            signers.push(s);
        }
        Ok(signers)
    }

    /// The key in `log.pem`, which the ledger was founded with.
    fn founding(&self) -> VerifierKey {
        self.held
            .first()
            .map_or_else(|| self.in_force.clone(), |s| s.verifier_key().clone())
    }

    /// The key in force's signer and the successor's key, once a hand-over
    /// is due and the node holds the successor's private key. Says once,
    /// at warn, when it does not.
    pub(crate) fn handover_due(&mut self) -> Option<(NoteSigner, VerifierKey)> {
        let next = self.next.clone()?;
        if self.signer(&next).is_none() {
            if self.warned_missing.as_ref() != Some(&next) {
                tracing::warn!(
                    "the members adopted the log key {next}, but the node holds no private key for it; put its PEM file in {} and the node hands over to it",
                    self.dir.display()
                );
                self.warned_missing = Some(next);
            }
            return None;
        }
        let current = self.in_force.clone();
        Some((self.signer(&current)?, next))
    }

    /// Reads every PEM file in `log-keys/` as a key of this log. A file
    /// that is not a key is skipped with a warning, so a stray file does
    /// not stop the node.
    fn scan(&mut self) {
        self.last_scan = Some(Instant::now());
        let Ok(files) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for file in files.flatten() {
            let path = file.path();
            if path.extension().is_none_or(|e| e != "pem") {
                continue;
            }
            match read_signer(&self.origin, &path) {
                Ok(signer) => {
                    if self.held(signer.verifier_key()).is_none() {
                        tracing::info!(vkey = %signer.verifier_key(), "holding a log key from {}", path.display());
                        self.held.push(signer);
                    }
                }
                Err(e) => tracing::warn!("{}: not a usable log key: {e}", path.display()),
            }
        }
    }
}

fn read_signer(origin: &str, path: &Path) -> anyhow::Result<NoteSigner> {
    let bytes = read_small(path, 64 * 1024)?;
    let text = String::from_utf8(bytes)?;
    let key = PrivateKey::from_pkcs8_pem(&text).map_err(|e| anyhow::anyhow!("{e}"))?;
    NoteSigner::log(origin, key).map_err(|e| anyhow::anyhow!("{e}"))
}
