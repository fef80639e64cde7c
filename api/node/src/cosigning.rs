//! Asking the consortium's witnesses to cosign, and finding the newest
//! checkpoint that meets the witness policy.
//!
//! Appends never wait for a witness: the sequencer signs checkpoints as
//! before, and one task per witness (each with its own backoff) asks it to
//! cosign the newest one, starting from the size the witness last cosigned
//! and answering a 409 by starting again from the size it names. What a
//! witness returns is checked against its key before it is kept. The
//! checkpoint that meets the policy therefore trails the newest by the time
//! a round takes (a fraction of a second on a healthy consortium); while
//! too few witnesses answer it stops advancing, the log keeps growing, and
//! once it has trailed for longer than the finality limit (60 s unless
//! configured) the node says so at warn level every limit,
//! `/readyz/witnesses` answers 503, and `/metrics` shows by how much.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use godown_ledger::tree::consistency_proof;
use godown_ledger::witness::AddCheckpoint;
use godown_ledger::{Policy, TrustPolicy, VerifierKey};

use crate::node::Node;
use crate::store::StoreError;
use crate::store::cosignatures;
use crate::store::ledger::{self, StoredCheckpoint};
use crate::store::nodes::DbNodes;

/// How a node reaches a witness: `POST <url>/add-checkpoint` with a body,
/// answering the status and the body. The HTTP client lives with the
/// binary, so that this crate needs no web stack.
pub trait WitnessClient: Send + Sync + 'static {
    /// Sends one `add-checkpoint` request.
    fn add_checkpoint(
        &self,
        url: &str,
        body: String,
    ) -> impl Future<Output = Result<(u16, String), String>> + Send;
}

/// How often a witness task looks for a newer checkpoint.
pub const POLL: Duration = Duration::from_millis(200);
/// How long one request to a witness may take.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// The longest wait between retries of a witness that fails.
pub const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// How many of the newest cosigned sizes are looked at for one that meets
/// the quorum.
const CANDIDATES: u64 = 64;
/// How long the policy's checkpoint may trail the newest before the node
/// warns, unless configured.
pub const TRAIL_WARNING: Duration = Duration::from_secs(60);
/// How often the node looks at how far the policy's checkpoint trails.
const TRAIL_CHECK: Duration = Duration::from_secs(1);

/// How far the checkpoint that meets the witness policy trails the newest
/// signed one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finality {
    /// The size of the newest signed checkpoint.
    pub newest: u64,
    /// The size of the newest checkpoint that meets the policy (0: none).
    pub final_size: u64,
    /// How long it has trailed the newest (zero when it covers it).
    pub trailing: Duration,
    /// How long it may trail before the node says so.
    pub limit: Duration,
}

impl Default for Finality {
    fn default() -> Self {
        Self {
            newest: 0,
            final_size: 0,
            trailing: Duration::ZERO,
            limit: TRAIL_WARNING,
        }
    }
}

impl Finality {
    /// Whether it has trailed for longer than the limit.
    pub fn is_late(&self) -> bool {
        self.final_size < self.newest && self.trailing >= self.limit
    }
}

/// Runs the witness tasks until the process ends. The set of witnesses
/// follows the policy in force: when the members adopt another, a task is
/// started for each new witness and stopped for each one dropped.
pub async fn run<C: WitnessClient>(node: Node, client: C) {
    let client = Arc::new(client);
    let mut asking: std::collections::HashMap<String, tokio::task::JoinHandle<()>> =
        std::collections::HashMap::new();
    let mut trail = TrailWatch::default();
    let mut last_check = Instant::now();
    loop {
        let policy = node.witness_policy();
        let wanted: Vec<_> = policy
            .as_ref()
            .map_or_else(Vec::new, |p| p.witnesses().to_vec());
        // A witness is its key and its URL: a new URL is a new task.
        let task_id = |w: &godown_ledger::policy::PolicyWitness| {
            format!("{} {}", w.vkey, w.url.as_deref().unwrap_or_default())
        };
        asking.retain(|id, task| {
            let keep = wanted.iter().any(|w| task_id(w) == *id);
            if !keep {
                task.abort();
            }
            keep
        });
        for witness in &wanted {
            let id = task_id(witness);
            if asking.contains_key(&id) {
                continue;
            }
            let Some(url) = witness.url.clone() else {
                tracing::warn!(witness = %witness.name, "the witness policy gives no URL for {}: it is never asked", witness.name);
                // Kept as a finished task, so the warning is said once.
                asking.insert(id, tokio::spawn(async {}));
                continue;
            };
            let task = tokio::spawn(ask_forever(
                node.clone(),
                witness.vkey.clone(),
                url,
                Arc::clone(&client),
            ));
            asking.insert(id, task);
        }
        if let Some(policy) = &policy
            && last_check.elapsed() >= TRAIL_CHECK
        {
            last_check = Instant::now();
            trail.look(&node, policy).await;
        }
        tokio::time::sleep(POLL).await;
    }
}

async fn ask_forever<C: WitnessClient>(
    node: Node,
    witness: VerifierKey,
    url: String,
    client: Arc<C>,
) {
    let mut backoff = Duration::from_secs(1);
    loop {
        match ask(&node, &witness, &url, client.as_ref()).await {
            Ok(true) => backoff = Duration::from_secs(1),
            Ok(false) => tokio::time::sleep(POLL).await,
            Err(e) => {
                tracing::warn!(witness = %witness.name(), url = %url, "asking the witness to cosign failed: {e}; retrying in {}s", backoff.as_secs());
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
        }
    }
}

/// Asks `witness` to cosign the newest checkpoint if it has not; whether
/// a new cosignature was kept.
async fn ask<C: WitnessClient>(
    node: &Node,
    witness: &VerifierKey,
    url: &str,
    client: &C,
) -> Result<bool, String> {
    let conn = node.db().conn();
    let id = witness.to_string();
    let latest = ledger::latest_checkpoint(conn)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("the ledger has no checkpoint yet")?;
    let mut old = cosignatures::head(conn, &id)
        .await
        .map_err(|e| e.to_string())?;
    if old == latest.size {
        return Ok(false);
    }
    // At most one resend: after a 409 the witness has said where it is.
    for _ in 0..2 {
        let proof = consistency_proof(&DbNodes::new(conn), old, latest.size)
            .await
            .map_err(|e| e.to_string())?;
        let body = AddCheckpoint {
            old_size: old,
            proof,
            checkpoint: latest.note.clone(),
        }
        .to_body();
        let (status, text) = tokio::time::timeout(TIMEOUT, client.add_checkpoint(url, body))
            .await
            .map_err(|_| format!("no answer within {}s", TIMEOUT.as_secs()))??;
        match status {
            200 => {
                let line = checked_line(node, witness, &latest, &text)?;
                cosignatures::insert(conn, latest.size, &id, &line)
                    .await
                    .map_err(|e| e.to_string())?;
                cosignatures::set_head(conn, &id, latest.size)
                    .await
                    .map_err(|e| e.to_string())?;
                return Ok(true);
            }
            409 => {
                let size: u64 = text
                    .trim_end_matches('\n')
                    .parse()
                    .map_err(|_| format!("a 409 whose body is not a size: {text:?}"))?;
                if size > latest.size {
                    tracing::error!(witness = %witness.name(), "the witness has cosigned size {size}, beyond this log's newest checkpoint {}: it has seen another history of this log", latest.size);
                    return Err(format!(
                        "the witness holds size {size}, beyond this log's {}",
                        latest.size
                    ));
                }
                cosignatures::set_head(conn, &id, size)
                    .await
                    .map_err(|e| e.to_string())?;
                // From the size it holds: a proof from there, or, if it
                // holds this very size, the same checkpoint again (it
                // cosigns it again if the roots agree).
                old = size;
            }
            other => return Err(format!("{other}: {}", text.trim_end())),
        }
    }
    Err("the witness answered 409 twice in a row".to_owned())
}

/// The witness's cosignature line from its answer, verified against its key.
fn checked_line(
    node: &Node,
    witness: &VerifierKey,
    checkpoint: &StoredCheckpoint,
    answer: &str,
) -> Result<String, String> {
    let prefix = format!("— {} ", witness.name());
    let line = answer
        .lines()
        .find(|l| l.starts_with(&prefix))
        .ok_or("the answer holds no line of this witness")?;
    let line = format!("{line}\n");
    let cosigned = format!("{}{line}", checkpoint.note);
    TrustPolicy::with_logs(node.log_vkeys(), vec![witness.clone()], 1)
        .and_then(|p| p.verify(cosigned.as_bytes()))
        .map_err(|e| format!("the cosignature does not verify: {e}"))?;
    Ok(line)
}

/// The newest checkpoint that meets the node's witness policy, with the
/// cosignatures that make it so; the newest signed checkpoint when the
/// node has no policy or its quorum is `none`; `None` while none meets it.
pub async fn published(node: &Node) -> Result<Option<StoredCheckpoint>, StoreError> {
    let conn = node.db().conn();
    let Some(policy) = node.witness_policy().filter(|p| !p.needs_no_witness()) else {
        return ledger::latest_checkpoint(conn).await;
    };
    // The node knows its log's keys across a rotation, whatever keys the
    // policy was written with.
    let Ok(policy) = policy.trusting_log_keys(&node.log_vkeys()) else {
        return Ok(None);
    };
    // The policy's witnesses by the id their cosignatures are kept under.
    let known: Vec<(String, &VerifierKey)> = policy
        .witnesses()
        .iter()
        .map(|w| (w.vkey.to_string(), &w.vkey))
        .collect();
    // Enough rows for the last CANDIDATES cosigned sizes, in one read.
    let rows = CANDIDATES * u64::try_from(known.len()).unwrap_or(u64::MAX).max(1);
    for (size, lines) in cosignatures::newest(conn, rows).await? {
        let lines: Vec<(&VerifierKey, String)> = lines
            .into_iter()
            .filter_map(|(id, line)| {
                known
                    .iter()
                    .find(|(k, _)| *k == id)
                    .map(|(_, v)| (*v, line))
            })
            .collect();
        let cosigners: Vec<VerifierKey> = lines.iter().map(|(v, _)| (*v).clone()).collect();
        if !policy.satisfied_by(&cosigners) {
            continue;
        }
        let Some(mut checkpoint) = ledger::checkpoint(conn, size).await? else {
            continue;
        };
        for (_, line) in &lines {
            checkpoint.note.push_str(line);
        }
        // Each cosignature was checked when it arrived; checked again here
        // against the checkpoint now stored, a failure means the database
        // was rewritten after the witnesses cosigned, so this size is not
        // final whatever the rows say.
        if let Err(e) = policy.verify(checkpoint.note.as_bytes()) {
            if REWRITE_REPORTED.swap(size, Ordering::Relaxed) != size {
                tracing::error!(
                    size,
                    "the checkpoint stored for size {size} is not the one the witnesses cosigned ({e}): the database was rewritten; that size is not final"
                );
            }
            continue;
        }
        return Ok(Some(checkpoint));
    }
    Ok(None)
}

/// The last size reported as rewritten, so the error is logged once per
/// size rather than on every look.
static REWRITE_REPORTED: AtomicU64 = AtomicU64::new(u64::MAX);

/// When the policy's checkpoint started to trail, and when that was last
/// said.
#[derive(Default)]
struct TrailWatch {
    since: Option<Instant>,
    warned: Option<Instant>,
}

impl TrailWatch {
    async fn look(&mut self, node: &Node, policy: &Policy) {
        let conn = node.db().conn();
        let (Ok(Some(latest)), Ok(final_)) =
            (ledger::latest_checkpoint(conn).await, published(node).await)
        else {
            return;
        };
        let covered = final_.map_or(0, |c| c.size);
        let trailing = if covered >= latest.size {
            self.since = None;
            Duration::ZERO
        } else {
            self.since.get_or_insert_with(Instant::now).elapsed()
        };
        let mut seen = Finality::default();
        node.update_finality(|f| {
            f.newest = latest.size;
            f.final_size = covered;
            f.trailing = trailing;
            seen = *f;
        });
        if seen.is_late() && self.warned.is_none_or(|w| w.elapsed() >= seen.limit) {
            self.warned = Some(Instant::now());
            tracing::warn!(
                newest = latest.size,
                cosigned = covered,
                quorum = %policy.describe(),
                "the checkpoint that meets the witness policy has trailed the newest for {}s: too few witnesses answer; appends go on, but entries after {covered} are not final",
                trailing.as_secs()
            );
        }
    }
}
