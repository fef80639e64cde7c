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

/// The largest CA file read.
const MAX_CA_BYTES: u64 = 1 << 20;

/// An HTTP client for witnesses and nodes: plain HTTP, or HTTPS trusting the
/// Mozilla root programme (`webpki-roots`, so the result does not depend on
/// the machine) and the certificates of `extra_ca`, a PEM file, for a
/// consortium that runs its own CA.
pub fn client(extra_ca: Option<&Path>) -> anyhow::Result<reqwest::Client> {
    let mut roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    if let Some(path) = extra_ca {
        use rustls_pki_types::pem::PemObject as _;
        let pem = godown_node::files::read_small(path, MAX_CA_BYTES)?;
        let mut added = 0;
        for cert in rustls_pki_types::CertificateDer::pem_slice_iter(&pem) {
            let cert = cert
                .map_err(|e| anyhow::anyhow!("{}: not a PEM certificate: {e}", path.display()))?;
            roots.add(cert).map_err(|e| {
                anyhow::anyhow!("{}: the certificate cannot be trusted: {e}", path.display())
            })?;
            added += 1;
        }
        anyhow::ensure!(added > 0, "{} holds no PEM certificate", path.display());
    }
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("the TLS provider offers no safe protocol version")?
        .with_root_certificates(roots)
        .with_no_client_auth();
    reqwest::Client::builder()
        .timeout(TIMEOUT)
        .tls_backend_preconfigured(tls)
        .build()
        .context("cannot build the HTTP client")
}

/// A keep-alive HTTP client for witnesses' submission prefixes.
#[derive(Debug, Clone)]
pub struct HttpWitnesses {
    http: reqwest::Client,
}

impl HttpWitnesses {
    /// A client with the cosigning timeout, trusting `extra_ca` besides the
    /// usual roots.
    pub fn new(extra_ca: Option<&Path>) -> anyhow::Result<Self> {
        Ok(Self {
            http: client(extra_ca)?,
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
