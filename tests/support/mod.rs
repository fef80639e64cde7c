//! What every node test needs: a fresh database (SQLite, or PostgreSQL when
//! one is reachable), a genesis, members' keys, and a running node.

pub mod binary;
pub mod postgres;
pub mod server;
pub mod smtp;

use std::path::PathBuf;

use godown_domain::Tx;
use godown_ledger::{PrivateKey, Transaction};
use godown_node::node::{
    DatabaseConfig, GenesisFile, Node, NodeConfig, Receipt, SideEffect, SubmitError,
};
use tempfile::TempDir;

/// Which database a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A fresh SQLite file.
    Sqlite,
    /// A fresh PostgreSQL database.
    Postgres,
}

/// A member's key in tests, from a fixed seed.
pub fn key(seed: u8) -> PrivateKey {
    PrivateKey::from_seed(&[seed; 32])
}

/// Installs the process's TLS provider once: reqwest is built with rustls
/// on ring for the node's HTTPS witnesses, and then asks for it.
fn tls_provider() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// An HTTP client for the tests.
pub fn http_client() -> reqwest::Client {
    tls_provider();
    reqwest::Client::new()
}

/// An HTTP client builder for the tests.
pub fn http_builder() -> reqwest::ClientBuilder {
    tls_provider();
    reqwest::Client::builder()
}

/// The test consortium: operator (admin seed 2), bank-a (admin seed 10),
/// wh-a (admin seed 20), regulator (admin seed 30).
pub fn genesis() -> GenesisFile {
    serde_json::from_value(genesis_json()).expect("the test genesis parses")
}

/// The test genesis file's JSON.
pub fn genesis_json() -> serde_json::Value {
    let admin = |user: &str, seed: u8| serde_json::json!({"user": user, "name": user, "key": key(seed).public_key().to_base64()});
    serde_json::json!({
        "origin": "test.godown.example/ledger",
        "operator": {"org": "operator", "name": "Godown Operator", "admin": admin("operator.admin", 2)},
        "founders": [
            {"org": "bank-a", "name": "Bank A", "kind": "bank", "admin": admin("bank-a.admin", 10)},
            {"org": "wh-a", "name": "Warehouse A", "kind": "warehouse", "admin": admin("wh-a.admin", 20)},
            {"org": "reg", "name": "Regulator", "kind": "regulator", "admin": admin("reg.admin", 30)}
        ]
    })
}

/// A running node on a fresh database, with its data directory.
pub struct TestApp {
    /// The node.
    pub node: Node,
    /// Its data directory.
    pub dir: TempDir,
    /// How it was configured, to restart it.
    pub config: NodeConfig,
    /// The PostgreSQL database, dropped with the app.
    pub pg: Option<postgres::TestDb>,
    nonce: std::sync::atomic::AtomicU64,
}

impl TestApp {
    /// A node on `backend`, or `None` when PostgreSQL is wanted but cannot
    /// be reached (the reason is printed once, loudly).
    pub async fn start(backend: Backend) -> Option<Self> {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let (database, pg) = match backend {
            Backend::Sqlite => (DatabaseConfig::Sqlite(dir.path().join("godown.db")), None),
            Backend::Postgres => {
                let db = postgres::TestDb::create().await?;
                (DatabaseConfig::Postgres(db.url.clone()), Some(db))
            }
        };
        let config = NodeConfig {
            data_dir: dir.path().to_path_buf(),
            database,
            genesis: Some(genesis()),
        };
        let node = Node::start(config.clone()).await.expect("the node starts");
        Some(Self {
            node,
            dir,
            config,
            pg,
            nonce: std::sync::atomic::AtomicU64::new(0),
        })
    }

    /// Starts a second node on the same data directory and database.
    pub async fn restart(&self) -> Node {
        Node::start(self.config.clone())
            .await
            .expect("the node restarts")
    }

    /// The data directory.
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    /// A nonce never used before in this app.
    pub fn nonce(&self) -> String {
        let n = self
            .nonce
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        format!("test-{n}")
    }

    /// Builds, signs with `seed` and submits a transaction of any contract.
    pub async fn submit(
        &self,
        seed: u8,
        tx: &(impl Clone + Into<Tx>),
    ) -> Result<Receipt, SubmitError> {
        self.submit_to(&self.node, seed, tx, &self.nonce()).await
    }

    /// Admits an organisation the way the members do: the operator proposes
    /// it, and bank-a, wh-a and the regulator approve until the quorum is
    /// reached.
    pub async fn admit(&self, spec: godown_domain::membership::body::OrgSpec) {
        use godown_domain::membership::governance::{Action, CastVote, OpenProposal};
        use godown_domain::{MembershipTx, RecordId, Text};
        let id = RecordId::parse(&format!("prop-admit-{}", spec.org)).expect("a proposal id");
        let org = spec.org.clone();
        let open = MembershipTx::Open(OpenProposal {
            proposal: id.clone(),
            action: Action::Admit(spec),
            reason: Text::parse("a new member").expect("a reason"),
            days: 7,
            documents: vec![],
        });
        self.submit(2, &open).await.expect("the operator proposes");
        for seed in [10, 20, 30] {
            let admitted = godown_node::store::projection::org(self.node.db().conn(), org.as_str())
                .await
                .expect("the orgs table");
            if admitted.is_some() {
                return;
            }
            let vote = MembershipTx::Vote(CastVote {
                proposal: id.clone(),
                approve: true,
            });
            self.submit(seed, &vote).await.expect("a member approves");
        }
        assert!(
            godown_node::store::projection::org(self.node.db().conn(), org.as_str())
                .await
                .expect("the orgs table")
                .is_some(),
            "{org} was admitted"
        );
    }

    /// Like [`Self::submit`], to a given node and with a given nonce.
    pub async fn submit_to(
        &self,
        node: &Node,
        seed: u8,
        tx: &(impl Clone + Into<Tx>),
        nonce: &str,
    ) -> Result<Receipt, SubmitError> {
        let tx: Tx = tx.clone().into();
        let signed = Transaction::new(node.origin(), tx.tx_type(), nonce, tx.body())
            .expect("a well-formed transaction");
        let signature = key(seed).sign(&signed.signing_bytes());
        node.submit(
            signed,
            signature,
            key(seed).public_key(),
            Vec::<SideEffect>::new(),
        )
        .await
    }
}
