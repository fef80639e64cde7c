//! The genesis file an operator writes to found a consortium, and the
//! genesis transaction the node builds from it.

use std::path::Path;

use anyhow::{Context as _, anyhow};
use godown_domain::membership::body::{AdminSpec, Genesis, OperatorSpec, OrgSpec};
use godown_domain::membership::log_key::LogKey;
use godown_domain::{MemberKey, MembershipTx, Name, OrgId};
use godown_ledger::{PrivateKey, Transaction, VerifierKey};
use serde::Deserialize;

use crate::files::read_small;

/// The operator organisation as the genesis file names it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperatorFile {
    /// Its id.
    pub org: OrgId,
    /// Its name.
    pub name: Name,
    /// Its first human admin.
    pub admin: AdminSpec,
}

/// A genesis file: the ledger's origin, the operator and the founders.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisFile {
    /// The origin: the first line of every checkpoint, and the log key's name.
    pub origin: String,
    /// The operator organisation.
    pub operator: OperatorFile,
    /// The founding organisations, each with the public key of its first admin.
    #[serde(default)]
    pub founders: Vec<OrgSpec>,
    /// How many member organisations must approve a proposal; absent, a
    /// majority of those not suspended.
    #[serde(default)]
    pub quorum: Option<godown_domain::membership::governance::Quorum>,
}

impl GenesisFile {
    /// Reads and checks a genesis file.
    pub fn read(path: &Path) -> anyhow::Result<Self> {
        let bytes = read_small(path, 1 << 20)?;
        let file: Self = serde_json::from_slice(&bytes)
            .with_context(|| format!("{} is not a valid genesis file", path.display()))?;
        if !godown_ledger::vkey::is_valid_key_name(&file.origin) {
            return Err(anyhow!(
                "{}: origin {:?} must be non-empty, without spaces or '+'",
                path.display(),
                file.origin
            ));
        }
        Ok(file)
    }

    /// The genesis transaction, with the node's operator key named as the
    /// signer of entry 0, and the log key the ledger is founded with.
    pub fn transaction(
        &self,
        node_key: &PrivateKey,
        log_key: &VerifierKey,
    ) -> anyhow::Result<(Transaction, MembershipTx)> {
        let body = MembershipTx::Genesis(Genesis {
            operator: OperatorSpec {
                org: self.operator.org.clone(),
                name: self.operator.name.clone(),
                node_key: MemberKey(node_key.public_key()),
                admin: self.operator.admin.clone(),
            },
            founders: self.founders.clone(),
            quorum: self.quorum,
            log_key: Some(LogKey(log_key.clone())),
        });
        let tx = Transaction::new(&self.origin, body.tx_type(), "genesis", body.body())
            .map_err(|e| anyhow!("the genesis transaction is malformed: {e}"))?;
        Ok((tx, body))
    }
}
