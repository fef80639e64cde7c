//! `godown witness`: run a member's witness for one or more logs.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context as _;
use godown_ledger::{PrivateKey, VerifierKey};

/// Run a witness: cosign a log's checkpoints (C2SP tlog-witness
/// `add-checkpoint` at the root of ADDR) only when each is consistent with
/// the last one cosigned, and keep the evidence when one is not.
///
/// Prints the witness's vkey (type 0x04) on start, for the consortium's
/// policy file.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  godown keygen --name witness.bank-jade.example/w1 --witness --out witness.pem
  godown witness --listen 127.0.0.1:7380 --key witness.pem \\
      --name witness.bank-jade.example/w1 \\
      --log-vkey \"$(cat log.vkey)\" --state ./witness-state")]
pub struct Witness {
    /// Address to listen on.
    #[arg(long, value_name = "ADDR", env = "GODOWN_WITNESS_LISTEN")]
    listen: SocketAddr,
    /// The witness's private key, PKCS#8 PEM, as `godown keygen --witness`
    /// writes it.
    #[arg(long, value_name = "FILE")]
    key: PathBuf,
    /// The witness's name: the key name in its vkey.
    #[arg(long, value_name = "NAME")]
    name: String,
    /// A log to witness, by its vkey (named after its origin); repeat for
    /// several logs.
    #[arg(long = "log-vkey", value_name = "VKEY", value_parser = VerifierKey::parse, required = true)]
    log_vkeys: Vec<VerifierKey>,
    /// The state directory: the checkpoints cosigned and the evidence kept.
    #[arg(long, value_name = "DIR")]
    state: PathBuf,
    #[command(flatten)]
    alarms: crate::config::AlarmArgs,
}

impl Witness {
    pub(super) fn run(self) -> anyhow::Result<()> {
        let pem = std::fs::read_to_string(&self.key)
            .with_context(|| format!("cannot read the witness key {}", self.key.display()))?;
        let key = PrivateKey::from_pkcs8_pem(&pem)
            .map_err(|e| anyhow::anyhow!("{}: {}: {e}", e.code(), self.key.display()))?;
        let _telemetry = crate::telemetry::init()?;
        let recipients = self.alarms.recipients(&self.state, &self.name)?;
        let config = godown_witness::Config {
            key,
            name: self.name,
            logs: self.log_vkeys,
            state: self.state.clone(),
        };
        super::runtime()?.block_on(async move {
            if let Some(to) = recipients {
                tokio::spawn(crate::alarms::tell(self.state, to));
            }
            godown_witness::serve(config, self.listen, crate::server::shutdown()).await
        })
    }
}
