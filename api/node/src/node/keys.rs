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
}

impl NodeKeys {
    /// Loads the keys from `dir`, making any that do not exist yet.
    pub fn load_or_create(dir: &Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
        Ok(Self {
            log: pem_key(&dir.join("log.pem"))?,
            operator: pem_key(&dir.join("operator.pem"))?,
            session_secret: secret(&dir.join("session.secret"))?,
        })
    }
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
