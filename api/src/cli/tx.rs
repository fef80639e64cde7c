//! `godown tx sign`: sign a transaction with a PEM key, for bank systems
//! that call the API without a browser.

use std::path::PathBuf;

use anyhow::{Context as _, anyhow};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use clap::{Args, Subcommand};
use godown_domain::Tx;
use godown_ledger::{PrivateKey, Transaction, jcs};
use rand_core::{OsRng, RngCore as _};
use serde_json::{Value, json};

use godown_node::files::read_small;

/// Transactions from the command line.
#[derive(Debug, Subcommand)]
pub enum TxCommand {
    /// Sign a transaction and print it with its detached signature.
    Sign(Sign),
}

impl TxCommand {
    pub(super) fn run(self) -> anyhow::Result<()> {
        match self {
            Self::Sign(args) => args.run(),
        }
    }
}

/// Sign `godown-tx/v1\n || JCS(transaction)` with a PKCS#8 PEM key.
///
/// Prints JSON with the transaction, its canonical bytes, the key and the
/// signature: send the key, nonce and signature as the `signature` argument
/// of the GraphQL mutation of that type. The body is checked against the
/// contract's rules for its type first.
#[derive(Debug, Args)]
#[command(after_help = "Example:
  godown tx sign --key bank.pem --origin demo.godown.local/ledger \\
      --type role.grant --body '{\"user\":\"bank-jade.officer\",\"role\":\"approver\"}'")]
pub struct Sign {
    /// The signing key, PKCS#8 PEM (as `godown keygen` or `openssl genpkey` write it).
    #[arg(long, value_name = "FILE")]
    key: PathBuf,
    /// The ledger's origin (`godown` prints it as the first line of /checkpoint).
    #[arg(long, value_name = "ORIGIN")]
    origin: String,
    /// The transaction type, such as role.grant.
    #[arg(long = "type", value_name = "TYPE")]
    tx_type: String,
    /// The body as JSON, or @FILE to read it from a file.
    #[arg(long, value_name = "JSON")]
    body: String,
    /// The nonce; a fresh random one by default.
    #[arg(long, value_name = "NONCE")]
    nonce: Option<String>,
}

impl Sign {
    fn run(self) -> anyhow::Result<()> {
        let pem = String::from_utf8(read_small(&self.key, 64 * 1024)?)
            .with_context(|| format!("{} is not text", self.key.display()))?;
        let key =
            PrivateKey::from_pkcs8_pem(&pem).map_err(|e| anyhow!("{}: {e}", self.key.display()))?;
        let body_text = match self.body.strip_prefix('@') {
            Some(path) => String::from_utf8(read_small(path.as_ref(), 1 << 20)?)
                .context("the body file is not text")?,
            None => self.body.clone(),
        };
        let Value::Object(body) =
            jcs::parse(body_text.as_bytes()).map_err(|e| anyhow!("--body: {}: {e}", e.code()))?
        else {
            anyhow::bail!("--body must be a JSON object");
        };
        Tx::parse(&self.tx_type, &body).map_err(|e| anyhow!("--body: {}: {e}", e.code()))?;
        let nonce = if let Some(nonce) = self.nonce {
            nonce
        } else {
            let mut bytes = [0u8; 16];
            OsRng
                .try_fill_bytes(&mut bytes)
                .map_err(|e| anyhow!("the operating system's random source failed: {e}"))?;
            URL_SAFE_NO_PAD.encode(bytes)
        };
        let tx = Transaction::new(&self.origin, &self.tx_type, &nonce, body)
            .map_err(|e| anyhow!("{}: {e}", e.code()))?;
        let signature = key.sign(&tx.signing_bytes());
        let out = json!({
            "tx": tx.as_value(),
            "canonical": String::from_utf8_lossy(&tx.canonical_bytes()),
            "key": key.public_key().to_base64(),
            "nonce": nonce,
            "signature": signature.to_base64(),
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        Ok(())
    }
}
