//! The running node: its keys, its database, the state the contracts keep,
//! and the sequencer that appends. Everything that serves requests holds a
//! [`Node`].

pub mod clock;
pub mod genesis;
pub mod keys;
pub mod log_keys;
pub mod replay;
pub mod sequencer;

use godown_domain::ErrorCode;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context as _, anyhow, bail};
use godown_domain::OrgId;
use godown_ledger::{
    NoteSigner, Policy, PrivateKey, PublicKey, Signature, Transaction, VerifierKey,
    policy::PolicyWitness,
};
use tokio::sync::{Notify, broadcast, mpsc, oneshot};

use crate::store::ledger::StoredEntry;
use crate::store::{Database, ledger};
pub use genesis::GenesisFile;
pub use keys::NodeKeys;
pub use replay::Loaded;
pub use sequencer::{Receipt, SideEffect, Submission, SubmitError};

/// Where the node keeps its data.
#[derive(Debug, Clone)]
pub enum DatabaseConfig {
    /// The embedded SQLite database file.
    Sqlite(PathBuf),
    /// A PostgreSQL server.
    Postgres(String),
}

/// What a node needs to start.
#[derive(Debug, Clone)]
pub struct NodeConfig {
    /// Its data directory: keys, and the SQLite file by default.
    pub data_dir: PathBuf,
    /// Its database.
    pub database: DatabaseConfig,
    /// The genesis to found a new ledger with, when the database is empty.
    pub genesis: Option<GenesisFile>,
}

/// An entry as the live feed carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appended {
    /// The entry, as stored.
    pub entry: StoredEntry,
    /// Organisations party to it.
    pub parties: Vec<OrgId>,
}

/// What the sequencer and request handlers share.
pub(crate) struct Shared {
    pub(crate) db: Database,
    pub(crate) origin: String,
    /// The log keys held, and which signs: the ledger says.
    pub(crate) log: std::sync::Mutex<log_keys::LogSigning>,
    pub(crate) feed: broadcast::Sender<Arc<Appended>>,
    pub(crate) outbox_ready: Notify,
    pub(crate) clock: clock::Clock,
    /// The consortium's witness policy: the one the members adopted last
    /// on the ledger, else the one the node was configured with.
    pub(crate) witnesses: std::sync::RwLock<WitnessPolicy>,
    /// How far the checkpoint that meets the policy trails, as last seen.
    pub(crate) finality: std::sync::Mutex<crate::cosigning::Finality>,
}

/// The node's witness policy and where it came from.
#[derive(Debug, Default)]
pub(crate) struct WitnessPolicy {
    /// The policy in force.
    pub(crate) policy: Option<Arc<Policy>>,
    /// The text of the policy the members adopted, once they have.
    pub(crate) adopted: Option<String>,
}

impl Shared {
    /// Puts in force the witness policy the members adopted last, once it
    /// differs from the one in force. One that does not list this ledger's
    /// log key could make nothing final: it is refused, loudly, and the
    /// policy in force stays.
    pub(crate) fn follow_ledger_policy(
        &self,
        adopted: Option<&godown_domain::membership::governance::PolicyText>,
    ) {
        let Some(text) = adopted else { return };
        // Called after every group: the common case, nothing new, takes only
        // the read lock the request handlers share.
        let in_force = |p: &WitnessPolicy| p.adopted.as_deref() == Some(text.as_str());
        if in_force(
            &self
                .witnesses
                .read()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        ) {
            return;
        }
        let mut current = self
            .witnesses
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if in_force(&current) {
            return;
        }
        current.adopted = Some(text.as_str().to_owned());
        match Policy::parse(text.as_str()) {
            Ok(policy) if self.lists_our_log_key(&policy) => {
                tracing::info!(quorum = %policy.describe(), "the witness policy the members adopted is in force");
                current.policy = Some(Arc::new(policy));
            }
            Ok(_) => tracing::error!(
                "the witness policy the members adopted does not list this ledger's log key {}; the policy in force stays",
                self.log_signing().in_force()
            ),
            Err(e) => tracing::error!(
                "the witness policy the members adopted does not parse here: {e}; the policy in force stays"
            ),
        }
    }
}

impl Shared {
    /// The log keys, locked briefly: nothing slow happens under the lock
    /// but for reading a small key file when a key is missing.
    pub(crate) fn log_signing(&self) -> std::sync::MutexGuard<'_, log_keys::LogSigning> {
        self.log
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Whether a policy lists a key of this log: the one in force, one it
    /// signed with before, or the successor the members adopted (a policy
    /// written ahead of a hand-over lists the old key and the new).
    fn lists_our_log_key(&self, policy: &Policy) -> bool {
        let signing = self.log_signing();
        policy.logs().iter().any(|l| signing.is_ours(&l.vkey))
    }
}

/// A handle on the running node; cheap to clone.
#[derive(Clone)]
pub struct Node {
    shared: Arc<Shared>,
    submissions: mpsc::Sender<Submission>,
    keys: Arc<NodeKeys>,
}

impl std::fmt::Debug for Node {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Node")
            .field("origin", &self.shared.origin)
            .finish_non_exhaustive()
    }
}

impl Node {
    /// Opens the data directory and database, checks and replays the log,
    /// founds the ledger from `config.genesis` if it is empty, and starts
    /// the sequencer.
    pub async fn start(config: NodeConfig) -> anyhow::Result<Self> {
        let keys = NodeKeys::load_or_create(&config.data_dir)?;
        let db = match &config.database {
            DatabaseConfig::Sqlite(path) => Database::open_sqlite(path)
                .await
                .with_context(|| format!("cannot open the database {}", path.display()))?,
            DatabaseConfig::Postgres(url) => Database::open_postgres(url)
                .await
                .context("cannot connect to the PostgreSQL database named by DATABASE_URL")?,
        };
        db.migrate()
            .await
            .context("cannot bring the database schema up to date")?;

        let meta = ledger::meta(db.conn()).await?;
        let origin = match (&meta, &config.genesis) {
            (Some(meta), _) => meta.origin.clone(),
            (None, Some(genesis)) => genesis.origin.clone(),
            (None, None) => bail!(
                "the ledger in this database is empty; start it with a genesis file (--genesis FILE), or run `godown demo`"
            ),
        };
        let founding = NoteSigner::log(&origin, keys.log.clone())
            .map_err(|e| anyhow!("origin {origin:?} cannot name the log key: {e}"))?;
        if let Some(meta) = &meta
            && meta.log_vkey != founding.verifier_key().to_string()
        {
            bail!(
                "the log key in {} is not this ledger's log key {}; give the node the data directory that holds it",
                config.data_dir.join("log.pem").display(),
                meta.log_vkey
            );
        }

        let (size, _) = ledger::head(db.conn()).await?;
        let mut loaded = Loaded::default();
        // A ledger written before lots kept their history has it filled
        // from this replay, once.
        let fill_lots = size > 0 && crate::store::lot_events::is_empty(db.conn()).await?;
        let mut lot_events = Vec::new();
        loaded
            .catch_up(db.conn(), &origin, size, |r| {
                if fill_lots {
                    lot_events.extend(sequencer::lot_events(
                        r.stored.index,
                        &r.stored.tx_type,
                        &r.outcome,
                    ));
                }
                Ok(())
            })
            .await
            .map_err(|e| {
                anyhow!(
                    "the log in the database does not replay: {e}; run `godown verify` for details"
                )
            })?;
        if !lot_events.is_empty() {
            crate::store::lot_events::insert_events(db.conn(), &lot_events)
                .await
                .context("cannot fill the lots' histories")?;
            tracing::info!(
                entries = lot_events.len(),
                "filled the lots' histories from the log"
            );
        }

        let mut log = log_keys::LogSigning::new(&origin, &config.data_dir, founding);
        log.follow(&loaded.state.membership.log_keys);
        let in_force = log.in_force().clone();
        if log.signer(&in_force).is_none() {
            bail!(
                "the ledger's log key is {in_force}, handed over from the key in {}; the node holds no private key for it: put its PEM file in {}",
                config.data_dir.join("log.pem").display(),
                config.data_dir.join(log_keys::LOG_KEYS_DIR).display()
            );
        }
        let adopted = loaded.state.membership.witness_policy.clone();
        let (feed, _) = broadcast::channel(1024);
        let shared = Arc::new(Shared {
            db,
            origin,
            log: std::sync::Mutex::new(log),
            feed,
            outbox_ready: Notify::new(),
            clock: clock::Clock::default(),
            witnesses: std::sync::RwLock::new(WitnessPolicy::default()),
            finality: std::sync::Mutex::new(crate::cosigning::Finality::default()),
        });
        shared.follow_ledger_policy(adopted.as_ref());
        let (submissions, rx) = mpsc::channel(4096);
        tokio::spawn(sequencer::run(Arc::clone(&shared), rx, Some(loaded)));
        let node = Self {
            shared,
            submissions,
            keys: Arc::new(keys),
        };
        if meta.is_none()
            && let Some(genesis) = &config.genesis
        {
            node.found(genesis).await?;
        }
        Ok(node)
    }

    /// Appends the genesis entry, signed by the node's operator key.
    async fn found(&self, genesis: &GenesisFile) -> anyhow::Result<()> {
        let (tx, _) = genesis.transaction(&self.keys.operator, &self.log_vkey())?;
        let signature = self.keys.operator.sign(&tx.signing_bytes());
        match self
            .submit(tx, signature, self.keys.operator.public_key(), vec![])
            .await
        {
            Ok(_) => Ok(()),
            // Another process sharing the database founded it first.
            Err(_) if ledger::meta(self.shared.db.conn()).await?.is_some() => Ok(()),
            Err(e) => Err(anyhow!("the genesis file is refused: {e}")),
        }
    }

    /// Submits a signed transaction and waits until it is committed or
    /// refused.
    pub async fn submit(
        &self,
        tx: Transaction,
        signature: Signature,
        key: PublicKey,
        side_effects: Vec<SideEffect>,
    ) -> Result<Receipt, SubmitError> {
        let (reply, verdict) = oneshot::channel();
        let submission = Submission {
            tx,
            signature,
            key,
            side_effects,
            reply,
        };
        let stopped = || SubmitError::new(ErrorCode::Unavailable, "the node is shutting down");
        self.submissions
            .send(submission)
            .await
            .map_err(|_| stopped())?;
        verdict.await.map_err(|_| stopped())?
    }

    /// The live feed of appended entries.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Appended>> {
        self.shared.feed.subscribe()
    }

    /// The time by this node's clock, which stamps its entries.
    pub fn now(&self) -> godown_domain::Timestamp {
        self.shared.clock.now()
    }

    /// Moves this node's clock forward by `days`: for drills and tests of
    /// what time does to loans. Entries are stamped by it from then on.
    pub fn advance_clock_days(&self, days: u32) {
        self.shared.clock.advance_days(days);
    }

    /// The ledger's origin.
    pub fn origin(&self) -> &str {
        &self.shared.origin
    }

    /// Makes `policy`, from the node's configuration, its witness policy:
    /// `/checkpoint` then serves the newest checkpoint that meets it.
    /// Refused if the policy does not trust this log's key, or one is set
    /// already. A policy the members adopted on the ledger takes precedence:
    /// the configured one is then ignored, with a warning.
    pub fn set_witness_policy(&self, policy: Policy) -> anyhow::Result<()> {
        if !self.shared.lists_our_log_key(&policy) {
            bail!(
                "the witness policy does not list this ledger's log key {}",
                self.log_vkey()
            );
        }
        let mut current = self
            .shared
            .witnesses
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if current.adopted.is_some() {
            tracing::warn!(
                "the members adopted a witness policy on the ledger; it takes precedence over the configured one"
            );
            return Ok(());
        }
        if current.policy.is_some() {
            bail!("the witness policy is already set");
        }
        current.policy = Some(Arc::new(policy));
        Ok(())
    }

    /// The witness policy, if the node has one.
    pub fn witness_policy(&self) -> Option<Arc<Policy>> {
        self.shared
            .witnesses
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .policy
            .clone()
    }

    /// How far the checkpoint that meets the witness policy trails the
    /// newest, as the node last looked (every second); `None` without a
    /// policy.
    pub fn finality(&self) -> Option<crate::cosigning::Finality> {
        self.witness_policy()?;
        Some(
            *self
                .shared
                .finality
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }

    /// Sets how long the checkpoint that meets the policy may trail the
    /// newest before the node warns and `/readyz/witnesses` fails.
    pub fn set_finality_limit(&self, limit: std::time::Duration) {
        self.update_finality(|f| f.limit = limit);
    }

    pub(crate) fn update_finality(&self, change: impl FnOnce(&mut crate::cosigning::Finality)) {
        change(
            &mut self
                .shared
                .finality
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
    }

    /// The witnesses of the policy (none without one).
    pub fn witnesses(&self) -> Vec<PolicyWitness> {
        self.witness_policy()
            .map_or_else(Vec::new, |p| p.witnesses().to_vec())
    }

    /// The log's verifier key in force: the one that signs its newest
    /// checkpoints.
    pub fn log_vkey(&self) -> VerifierKey {
        self.shared.log_signing().in_force().clone()
    }

    /// Every key of the log: the one in force, then those it was handed
    /// over from, newest first. A checkpoint of this log is signed by one
    /// of them.
    pub fn log_vkeys(&self) -> Vec<VerifierKey> {
        self.shared.log_signing().all()
    }

    /// The log key a quorum adopted, waiting for its hand-over.
    pub fn log_vkey_next(&self) -> Option<VerifierKey> {
        self.shared.log_signing().next().cloned()
    }

    /// The database.
    pub fn db(&self) -> &Database {
        &self.shared.db
    }

    /// The secret session tokens are signed with.
    pub fn session_secret(&self) -> &[u8; 32] {
        &self.keys.session_secret
    }

    /// The session secret before the last rotation, if the node has it:
    /// tokens it signed are still good until they expire.
    pub fn previous_session_secret(&self) -> Option<&[u8; 32]> {
        self.keys.previous_session_secret.as_ref()
    }

    /// The node's operator key, which signed the genesis entry.
    pub fn operator_key(&self) -> &PrivateKey {
        &self.keys.operator
    }

    /// Woken when notifications wait in the outbox.
    pub fn outbox_ready(&self) -> &Notify {
        &self.shared.outbox_ready
    }
}
