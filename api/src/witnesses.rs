//! Reaching the consortium's witnesses over HTTP, for the node's
//! cosigning tasks (`godown_node::cosigning`), and reading the policy file.

use std::path::Path;

use anyhow::Context as _;
use godown_ledger::Policy;
use godown_node::cosigning::{TIMEOUT, WitnessClient};

/// The largest policy file read: 64 logs, witnesses and groups fit easily.
const MAX_POLICY_BYTES: u64 = 1 << 20;

/// Reads and parses a C2SP tlog-policy file.
pub fn read_policy(path: &Path) -> anyhow::Result<Policy> {
    let text = godown_node::files::read_small_text(path, MAX_POLICY_BYTES)
        .with_context(|| format!("cannot read the witness policy {}", path.display()))?;
    Policy::parse(&text).map_err(|e| anyhow::anyhow!("{}: {}: {e}", path.display(), e.code()))
}

/// A keep-alive HTTP client for witnesses' submission prefixes.
#[derive(Debug, Clone)]
pub struct HttpWitnesses {
    http: reqwest::Client,
}

impl HttpWitnesses {
    /// A client with the cosigning timeout.
    pub fn new() -> anyhow::Result<Self> {
        Ok(Self {
            http: reqwest::Client::builder()
                .timeout(TIMEOUT)
                .build()
                .context("cannot build the witnesses' HTTP client")?,
        })
    }
}

impl WitnessClient for HttpWitnesses {
    async fn add_checkpoint(&self, url: &str, body: String) -> Result<(u16, String), String> {
        let answer = self
            .http
            .post(format!("{}/add-checkpoint", url.trim_end_matches('/')))
            .body(body)
            .send()
            .await
            .map_err(|e| format!("cannot reach {url}: {e}"))?;
        let status = answer.status().as_u16();
        let text = answer
            .text()
            .await
            .map_err(|e| format!("{url} answered {status} but its body was cut off: {e}"))?;
        Ok((status, text))
    }
}
