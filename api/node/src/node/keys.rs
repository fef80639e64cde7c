//! The node's own secrets in its data directory: the log key, the operator
//! organisation's node key and the session secret. Members' private keys
//! never reach the node.

use std::fs::OpenOptions;
use std::io::Write as _;
use std::path::Path;

use anyhow::{Context as _, anyhow, bail};
use godown_ledger::PrivateKey;
use rand_core::{OsRng, RngCore as _};

use crate::files::read_small;

/// The node's keys.
#[derive(Debug)]
pub struct NodeKeys {
    /// Signs checkpoints.
    pub log: PrivateKey,
    /// Signs the genesis entry as the operator's node.
    pub operator: PrivateKey,
    /// Signs session tokens (HS256).
    pub session_secret: [u8; 32],
    /// The secret before the last rotation, whose tokens are still good
    /// until they expire.
    pub previous_session_secret: Option<[u8; 32]>,
}

/// The session secret's file in a data directory.
pub const SESSION_SECRET: &str = "session.secret";
/// The file of the secret it replaced at the last rotation.
pub const PREVIOUS_SESSION_SECRET: &str = "session.secret.previous";

impl NodeKeys {
    /// Loads the keys from `dir`, making any that do not exist yet.
    pub fn load_or_create(dir: &Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
        Ok(Self {
            log: pem_key(&dir.join("log.pem"))?,
            operator: pem_key(&dir.join("operator.pem"))?,
            session_secret: secret(&dir.join(SESSION_SECRET))?,
            previous_session_secret: if dir.join(PREVIOUS_SESSION_SECRET).exists() {
                Some(secret(&dir.join(PREVIOUS_SESSION_SECRET))?)
            } else {
                None
            },
        })
    }
}

/// Replaces the session secret in `dir` with a fresh one, keeping the
/// current one as the previous (whose tokens nodes accept until they
/// expire). Each file is replaced whole: written beside, flushed, renamed.
/// Nodes read the secrets when they start.
pub fn rotate_session_secret(dir: &Path) -> anyhow::Result<()> {
    let current = dir.join(SESSION_SECRET);
    if !current.exists() {
        bail!(
            "{} holds no session secret yet; a node makes one when it first starts",
            dir.display()
        );
    }
    let old = secret(&current)?;
    replace_private(&dir.join(PREVIOUS_SESSION_SECRET), &old)?;
    replace_private(&current, &random_32()?)
}

/// Replaces `path` whole with `bytes`, readable by its owner only.
fn replace_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let temporary = path.with_extension("tmp");
    let _ = std::fs::remove_file(&temporary);
    write_private(&temporary, bytes)?;
    std::fs::rename(&temporary, path)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    if let Some(dir) = path.parent() {
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .with_context(|| format!("cannot flush {}", dir.display()))?;
    }
    Ok(())
}

fn random_32() -> anyhow::Result<[u8; 32]> {
    let mut bytes = [0u8; 32];
    OsRng
        .try_fill_bytes(&mut bytes)
        .map_err(|e| anyhow!("the operating system's random source failed: {e}"))?;
    Ok(bytes)
}

fn pem_key(path: &Path) -> anyhow::Result<PrivateKey> {
    if !path.exists() {
        let key = PrivateKey::from_seed(&random_32()?);
        let pem = key
            .to_pkcs8_pem()
            .map_err(|e| anyhow!("cannot encode a new key: {e}"))?;
        write_private(path, pem.as_bytes())?;
    }
    let bytes = read_small(path, 64 * 1024)?;
    let text =
        String::from_utf8(bytes).with_context(|| format!("{} is not text", path.display()))?;
    PrivateKey::from_pkcs8_pem(&text)
        .map_err(|e| anyhow!("{} is unreadable as a key: {e}", path.display()))
}

fn secret(path: &Path) -> anyhow::Result<[u8; 32]> {
    if !path.exists() {
        write_private(path, &random_32()?)?;
    }
    let bytes = read_small(path, 64)?;
    match <[u8; 32]>::try_from(bytes.as_slice()) {
        Ok(secret) => Ok(secret),
        Err(_) => bail!("{} must hold exactly 32 bytes", path.display()),
    }
}

/// Creates a file readable by its owner only, never replacing one.
fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))
}
