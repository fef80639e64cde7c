//! `godown witness`: a process a member organisation runs on its own
//! machine. It cosigns a log's checkpoint (C2SP tlog-witness
//! `add-checkpoint`, C2SP tlog-cosignature) only if it is consistent with
//! the last one it cosigned for that log, records it durably before it
//! answers, and keeps as evidence any validly signed checkpoint that forks
//! or rewrites the history it vouched for.
//!
//! The rules are `godown_ledger::witness` (pure); this crate adds the state
//! directory, the clock, the key and HTTP. It depends on nothing of the
//! node: a member can run it without trusting the operator's code beyond
//! the ledger's formats.

pub mod alarms;
mod http;
pub mod state;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use godown_ledger::witness::{AddCheckpoint, Refusal, check};
use godown_ledger::{KeyKind, NoteSigner, PrivateKey, VerifierKey, cosignature_line};

pub use http::router;
use state::State;

/// How a witness is run.
#[derive(Debug)]
pub struct Config {
    /// Its key (as `godown keygen --witness` writes it).
    pub key: PrivateKey,
    /// Its name: the key name in its vkey.
    pub name: String,
    /// The logs it follows: one log vkey each, named after the origin.
    pub logs: Vec<VerifierKey>,
    /// Its state directory.
    pub state: PathBuf,
}

/// What `add-checkpoint` answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The cosignature line(s), recorded before this answer.
    Cosigned(String),
    /// Not cosigned.
    Refused(Refusal),
}

/// A running witness.
#[derive(Debug)]
pub struct Witness {
    key: PrivateKey,
    vkey: VerifierKey,
    logs: Vec<VerifierKey>,
    /// The decision and the record happen under this lock, one request at a
    /// time: two requests from the same old size cannot both succeed.
    state: Mutex<State>,
    cosignatures: AtomicU64,
    alarms: AtomicU64,
}

/// Seconds since the epoch; a clock before 1970 stamps 1, since a
/// cosignature's timestamp must not be zero.
fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(1, |d| d.as_secs().max(1))
}

impl Witness {
    /// Opens the state directory (taking its lock) and checks the keys.
    pub fn open(config: Config) -> anyhow::Result<Self> {
        let vkey = VerifierKey::new(&config.name, KeyKind::Cosignature, config.key.public_key())
            .map_err(|e| {
                anyhow::anyhow!("{}: the witness name {:?}: {e}", e.code(), config.name)
            })?;
        if config.logs.is_empty() {
            anyhow::bail!("a witness follows at least one log: give --log-vkey");
        }
        if let Some(k) = config.logs.iter().find(|k| k.kind() != KeyKind::Note) {
            anyhow::bail!("{k} is not a log vkey (type 0x01)");
        }
        Ok(Self {
            key: config.key,
            vkey,
            logs: config.logs,
            state: Mutex::new(State::open(&config.state)?),
            cosignatures: AtomicU64::new(0),
            alarms: AtomicU64::new(0),
        })
    }

    /// The witness's verifier key (type 0x04), for policies.
    pub fn vkey(&self) -> &VerifierKey {
        &self.vkey
    }

    /// Cosignatures given since start.
    pub fn cosignatures(&self) -> u64 {
        self.cosignatures.load(Ordering::Relaxed)
    }

    /// Alarms raised since start: forks and rewrites refused.
    pub fn alarms(&self) -> u64 {
        self.alarms.load(Ordering::Relaxed)
    }

    /// Decides an `add-checkpoint` body and, if it is cosigned, records the
    /// checkpoint durably before returning. Errors are the witness's own
    /// (its disk), never the request's.
    pub fn add_checkpoint(&self, body: &[u8]) -> anyhow::Result<Answer> {
        let request = match AddCheckpoint::parse(body) {
            Ok(r) => r,
            Err(refusal) => return Ok(Answer::Refused(refusal)),
        };
        let state = self
            .state
            .lock()
            .map_err(|_| anyhow::anyhow!("the witness state lock was poisoned"))?;
        let origin = request
            .checkpoint
            .split('\n')
            .next()
            .unwrap_or_default()
            .to_owned();
        let stored = if self.logs.iter().any(|k| k.name() == origin) {
            state.latest(&origin)?
        } else {
            None
        };
        let checkpoint = match check(&self.logs, |_| stored.as_ref().map(|s| s.latest), &request) {
            Ok(c) => c,
            Err(refusal) => {
                if refusal.is_evidence() {
                    let path = state.keep_evidence(
                        &origin,
                        &format!("{}: {refusal}", refusal.code()),
                        stored.as_ref().map(|s| s.note.as_str()),
                        body,
                        now(),
                    )?;
                    alarms::record(
                        state.dir(),
                        &alarms::Alarm {
                            kind: "fork".into(),
                            origin: origin.clone(),
                            at: now(),
                            evidence: path.display().to_string(),
                            why: format!("{}: {refusal}", refusal.code()),
                        },
                    )?;
                    self.alarms.fetch_add(1, Ordering::Relaxed);
                    tracing::error!(
                        origin = %origin,
                        code = refusal.code(),
                        evidence = %path.display(),
                        "the log signed a checkpoint that does not extend what this witness cosigned: {refusal}"
                    );
                }
                return Ok(Answer::Refused(refusal));
            }
        };
        let signer = NoteSigner::witness(self.vkey.name(), self.key.clone(), now())
            .map_err(|e| anyhow::anyhow!("{}: {e}", e.code()))?;
        let body_text = checkpoint.body();
        let line = cosignature_line(&body_text, &signer)
            .map_err(|e| anyhow::anyhow!("{}: {e}", e.code()))?;
        // What monitors read back: the body, the log's signatures, ours.
        let mut note = format!("{body_text}\n");
        let log_prefix = format!("— {origin} ");
        let signatures = request.checkpoint.split_once("\n\n").map_or("", |(_, s)| s);
        for l in signatures.lines().filter(|l| l.starts_with(&log_prefix)) {
            note.push_str(l);
            note.push('\n');
        }
        note.push_str(&line);
        state.record(&origin, &note)?;
        self.cosignatures.fetch_add(1, Ordering::Relaxed);
        Ok(Answer::Cosigned(line))
    }

    /// The latest checkpoint cosigned for `origin`, for monitors.
    pub fn latest_note(&self, origin: &str) -> anyhow::Result<Option<String>> {
        let state = self
            .state
            .lock()
            .map_err(|_| anyhow::anyhow!("the witness state lock was poisoned"))?;
        Ok(state.latest(origin)?.map(|s| s.note))
    }

    /// How many evidence files the state directory holds.
    pub fn evidence_count(&self) -> usize {
        self.state.lock().map_or(0, |s| s.evidence_count())
    }
}

/// Serves a witness on `listen` until `shutdown` completes, printing its
/// vkey first.
pub async fn serve(
    config: Config,
    listen: SocketAddr,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let witness = Arc::new(Witness::open(config)?);
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {listen}: {e}"))?;
    println!("{}", witness.vkey());
    serve_on(witness, listener, shutdown).await
}

/// Serves an opened witness on a bound listener until `shutdown`
/// completes: how a demo node runs its members' witnesses in process.
pub async fn serve_on(
    witness: Arc<Witness>,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let local = listener.local_addr()?;
    tracing::info!(vkey = %witness.vkey(), "witness listening on http://{local}");
    axum::serve(listener, router(witness))
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| anyhow::anyhow!("the witness server failed: {e}"))
}
