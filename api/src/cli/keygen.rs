//! `godown keygen`: a new Ed25519 key as PKCS#8 PEM, and its vkey.

use std::fs::OpenOptions;
use std::io::Write as _;
use std::path::PathBuf;

use anyhow::{Context as _, bail};
use godown_ledger::{KeyKind, PrivateKey, VerifierKey};
use rand_core::{OsRng, RngCore as _};

/// Write a new Ed25519 private key (PKCS#8 PEM) and print its verifier key.
///
/// The file is readable by `openssl pkey`. An existing file is never
/// overwritten.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  godown keygen --name godown.example/log --out log.pem
  godown keygen --name witness.bank.example/w1 --witness --out witness.pem
  openssl pkey -in log.pem -noout -text")]
pub struct Keygen {
    /// The key's name in signed notes: for a log, its origin; for a
    /// witness, its own name. No spaces and no '+'.
    #[arg(long, value_name = "NAME")]
    name: String,
    /// Where to write the PEM file; it must not exist yet.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Print a witness cosignature vkey (type 0x04) instead of a log vkey
    /// (type 0x01).
    #[arg(long)]
    witness: bool,
}

impl Keygen {
    pub(super) fn run(self) -> anyhow::Result<()> {
        let mut seed = [0u8; 32];
        OsRng
            .try_fill_bytes(&mut seed)
            .map_err(|e| anyhow::anyhow!("the operating system's random source failed: {e}"))?;
        let key = PrivateKey::from_seed(&seed);
        let kind = if self.witness {
            KeyKind::Cosignature
        } else {
            KeyKind::Note
        };
        // Check the name before touching the file system.
        let vkey = VerifierKey::new(&self.name, kind, key.public_key())
            .map_err(|e| anyhow::anyhow!("{}: {e}", e.code()))?;
        let pem = key
            .to_pkcs8_pem()
            .map_err(|e| anyhow::anyhow!("{}: {e}", e.code()))?;
        write_new(&self.out, pem.as_bytes())?;
        println!("{vkey}");
        Ok(())
    }
}

/// Creates `path` with owner-only permissions; fails if it exists.
fn write_new(path: &PathBuf, bytes: &[u8]) -> anyhow::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = match options.open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            bail!(
                "{} already exists; refusing to overwrite a key",
                path.display()
            )
        }
        Err(e) => return Err(e).with_context(|| format!("cannot create {}", path.display())),
    };
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))
}
