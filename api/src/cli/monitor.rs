//! `godown monitor`: compares what the consortium's witnesses cosigned, to
//! catch a log that shows different histories to different members; and,
//! signed in as a member, compares what the node says about the member's
//! receipts and loans with what the signed entries imply (`crate::records`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;
use clap::Args;
use godown_ledger::monitor::{Verdict, compare};
use godown_ledger::policy::{PolicyLog, PolicyWitness};
use godown_ledger::{Checkpoint, Hash, Policy, PrivateKey, TrustPolicy};

/// The exit status of `--once` when a split view, or a record the node
/// describes otherwise than the entries do, was found.
pub const SPLIT_VIEW_EXIT: i32 = 3;

/// Compare the checkpoints the witnesses of a policy cosigned.
///
/// Each round fetches every witness's latest cosigned checkpoint of each
/// log in the policy (`GET <url>/checkpoint/<origin>`), checks the log's
/// signature and the witness's cosignature, and compares every pair: the
/// same size with different roots, or a smaller one the larger does not
/// extend (by the node's consistency proof), is a split view. The monitor
/// then keeps both checkpoints and the failed proof under `--state
/// DIR/evidence`, logs an error, and counts it in `DIR/metrics.prom`
/// (Prometheus text, for a node exporter's textfile collector).
///
/// With `--key`, the key of one of a member organisation's users (a viewer
/// is enough), each round also signs in to the node, checks that the
/// entries it lists hash to the checkpoint the witnesses cosigned, re-runs
/// the contracts over the entries the member may see, and compares what the
/// node's GraphQL says about the member's receipts and loans with what they
/// imply. A disagreement is kept as evidence and raised as an alarm like a
/// split view; a record the member's entries cannot decide alone is said
/// to be unchecked.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  godown monitor --policy consortium.policy --node https://godown.example.org --state ./monitor
  godown monitor --policy consortium.policy --state ./monitor --once   # exit 3 on a split view
  godown monitor --policy consortium.policy --node https://godown.example.org \\
      --key bank-jade.monitor.pem --state ./monitor --once             # also the bank's own records")]
pub struct Monitor {
    /// The consortium's witness policy (C2SP tlog-policy): the log key, and
    /// each witness with its URL.
    #[arg(long, value_name = "FILE")]
    policy: PathBuf,
    /// The node, for consistency proofs between checkpoints of different
    /// sizes; without it only checkpoints of the same size are compared.
    #[arg(long, value_name = "URL")]
    node: Option<String>,
    /// A member user's key (PKCS#8 PEM): check the node's answers about
    /// that member's receipts and loans against the entries. Needs --node.
    #[arg(long, value_name = "FILE", requires = "node")]
    key: Option<PathBuf>,
    /// Where evidence and the metrics file are kept.
    #[arg(long, value_name = "DIR")]
    state: PathBuf,
    /// Run one round and exit: 0 when the witnesses agree, 3 on a split view.
    #[arg(long)]
    once: bool,
    /// Seconds between rounds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    interval: u64,
    /// Certificates (PEM) to trust for HTTPS witness and node URLs, besides
    /// the Mozilla roots.
    #[arg(long, value_name = "FILE")]
    ca: Option<PathBuf>,
    /// The monitor's name in its alarms.
    #[arg(long, value_name = "NAME", default_value = "godown-monitor")]
    name: String,
    #[command(flatten)]
    alarms: crate::config::AlarmArgs,
}

/// A witness's latest cosigned checkpoint, verified.
struct Seen<'a> {
    witness: &'a PolicyWitness,
    checkpoint: Checkpoint,
    note: String,
}

impl Monitor {
    pub(super) fn run(self) -> anyhow::Result<()> {
        let _telemetry = crate::telemetry::init()?;
        let policy = crate::witnesses::read_policy(&self.policy)?;
        let http = crate::witnesses::client(self.ca.as_deref())?;
        let recipients = self.alarms.recipients(&self.state, &self.name)?;
        let key = self.key.as_deref().map(read_key).transpose()?;
        super::runtime()?.block_on(async {
            let mut tally = Tally::default();
            let mut backoff = std::collections::HashMap::new();
            loop {
                tally.splits += self.round(&http, &policy).await?;
                if let (Some(key), Some(node)) = (&key, &self.node) {
                    self.records(&http, node, key, &policy, &mut tally).await?;
                }
                write_metrics(&self.state, &tally)?;
                if let Some(to) = &recipients {
                    crate::alarms::tell_pending(&self.state, to, &mut backoff).await;
                }
                if self.once {
                    if tally.splits > 0 || tally.disagreements > 0 {
                        std::process::exit(SPLIT_VIEW_EXIT);
                    }
                    println!("OK: the witnesses' checkpoints are of one history");
                    if key.is_some() {
                        println!(
                            "OK: {} records are as the entries say; {} could not be checked from this member's view",
                            tally.checked, tally.unchecked
                        );
                    }
                    return Ok(());
                }
                tokio::time::sleep(Duration::from_secs(self.interval)).await;
            }
        })
    }

    /// One check of the member's records; a disagreement is kept and raised.
    async fn records(
        &self,
        http: &reqwest::Client,
        node: &str,
        key: &PrivateKey,
        policy: &Policy,
        tally: &mut Tally,
    ) -> anyhow::Result<()> {
        let round = match crate::records::check(http, node.trim_end_matches('/'), key, policy).await
        {
            Ok(round) => round,
            Err(e) => {
                tracing::warn!("cannot check the member's records this round: {e:#}");
                return Ok(());
            }
        };
        tally.checked = round.checked as u64;
        tally.unchecked = round.unchecked.len() as u64;
        for (record, why) in &round.unchecked {
            tracing::info!(org = %round.org, "{record} is not checked: {why}");
        }
        if round.findings.is_empty() {
            tracing::info!(
                org = %round.org,
                size = round.size,
                checked = round.checked,
                unchecked = round.unchecked.len(),
                "the node's answers about this member's records are what the entries say"
            );
            return Ok(());
        }
        tally.disagreements += round.findings.len() as u64;
        let path = keep_record_evidence(&self.state, node, &round)?;
        godown_witness::alarms::record(
            &self.state,
            &godown_witness::alarms::Alarm {
                kind: "record-disagreement".into(),
                origin: node.to_owned(),
                at: unix_now(),
                evidence: path.display().to_string(),
                why: round.findings.join("; "),
            },
        )?;
        for finding in &round.findings {
            tracing::error!(org = %round.org, evidence = %path.display(), "the node's answer disagrees with the entries: {finding}");
        }
        Ok(())
    }

    /// One comparison of every pair; returns the split views found.
    async fn round(&self, http: &reqwest::Client, policy: &Policy) -> anyhow::Result<u64> {
        let mut splits = 0;
        for log in policy.logs() {
            let seen = fetch_all(http, policy, log).await;
            for (i, a) in seen.iter().enumerate() {
                for b in seen.iter().skip(i + 1) {
                    let mut proof = None;
                    let mut verdict = compare(&a.checkpoint, &b.checkpoint, None);
                    if let (Verdict::ProofNeeded { old, new }, Some(node)) = (&verdict, &self.node)
                    {
                        match consistency(http, node, *old, *new).await {
                            Ok(hashes) => {
                                verdict = compare(&a.checkpoint, &b.checkpoint, Some(&hashes));
                                proof = Some(hashes);
                            }
                            Err(e) => tracing::warn!(
                                "cannot compare {} and {}: {e:#}",
                                a.witness.name,
                                b.witness.name
                            ),
                        }
                    }
                    if let Verdict::Split(why) = verdict {
                        splits += 1;
                        let path = keep_evidence(&self.state, a, b, &why, proof.as_deref())?;
                        godown_witness::alarms::record(
                            &self.state,
                            &godown_witness::alarms::Alarm {
                                kind: "split-view".into(),
                                origin: log.vkey.name().to_owned(),
                                at: unix_now(),
                                evidence: path.display().to_string(),
                                why: why.clone(),
                            },
                        )?;
                        tracing::error!(
                            log = %log.vkey.name(),
                            evidence = %path.display(),
                            "split view: {} and {} cosigned checkpoints of two histories: {why}",
                            a.witness.name,
                            b.witness.name
                        );
                    }
                }
            }
        }
        Ok(splits)
    }
}

/// Every witness's verified latest checkpoint of `log`; a witness that
/// cannot be reached, has cosigned nothing, or serves a note that does not
/// verify is left out with a warning (that is not a split view).
async fn fetch_all<'a>(
    http: &reqwest::Client,
    policy: &'a Policy,
    log: &PolicyLog,
) -> Vec<Seen<'a>> {
    let origin = log.vkey.name();
    let mut seen = Vec::new();
    for witness in policy.witnesses() {
        let Some(url) = &witness.url else { continue };
        let url = format!("{}/checkpoint/{origin}", url.trim_end_matches('/'));
        let note = match get(http, &url).await {
            Ok(Some(note)) => note,
            Ok(None) => continue,
            Err(e) => {
                tracing::warn!(witness = %witness.name, "{e:#}");
                continue;
            }
        };
        let verified = TrustPolicy::new(log.vkey.clone(), vec![witness.vkey.clone()], 1)
            .and_then(|trust| trust.verify(note.as_bytes()));
        match verified {
            Ok(v) => seen.push(Seen {
                witness,
                checkpoint: v.checkpoint,
                note,
            }),
            Err(e) => {
                tracing::warn!(witness = %witness.name, "{url} serves a checkpoint that does not verify: {e}");
            }
        }
    }
    seen
}

/// A text resource; `None` for a 404.
async fn get(http: &reqwest::Client, url: &str) -> anyhow::Result<Option<String>> {
    let answer = http
        .get(url)
        .send()
        .await
        .with_context(|| format!("cannot reach {url}"))?;
    if answer.status() == reqwest::StatusCode::NOT_FOUND {
        return Ok(None);
    }
    let status = answer.status();
    let text = answer
        .text()
        .await
        .with_context(|| format!("{url}: the body was cut off"))?;
    anyhow::ensure!(
        status.is_success(),
        "{url} answered {status}: {}",
        text.trim()
    );
    Ok(Some(text))
}

async fn consistency(
    http: &reqwest::Client,
    node: &str,
    old: u64,
    new: u64,
) -> anyhow::Result<Vec<Hash>> {
    let url = format!("{}/consistency/{old}/{new}", node.trim_end_matches('/'));
    let text = get(http, &url)
        .await?
        .with_context(|| format!("{url}: not found"))?;
    text.lines()
        .map(|l| {
            Hash::from_base64(l)
                .map_err(|e| anyhow::anyhow!("{url}: a proof line is not a hash: {e}"))
        })
        .collect()
}

fn keep_evidence(
    state: &Path,
    a: &Seen<'_>,
    b: &Seen<'_>,
    why: &str,
    proof: Option<&[Hash]>,
) -> anyhow::Result<PathBuf> {
    let mut text = format!(
        "# Split view found by godown monitor: {why}\n\
         # Both checkpoints are signed by the log; each is cosigned by the witness named.\n\
         \n## Cosigned by {}\n\n{}\n## Cosigned by {}\n\n{}",
        a.witness.name, a.note, b.witness.name, b.note
    );
    if let Some(proof) = proof {
        text.push_str("\n## The consistency proof the node gave, which does not verify\n\n");
        godown_ledger::push_base64_lines(&mut text, proof);
    }
    godown_witness::state::write_evidence(
        &state.join("evidence"),
        &format!("{}-split", unix_now()),
        &text,
    )
}

/// What the monitor found since it started, and in its last round.
#[derive(Debug, Default)]
struct Tally {
    splits: u64,
    disagreements: u64,
    checked: u64,
    unchecked: u64,
}

fn read_key(path: &Path) -> anyhow::Result<PrivateKey> {
    let pem = String::from_utf8(godown_node::files::read_small(path, 64 * 1024)?)
        .with_context(|| format!("{} is not text", path.display()))?;
    PrivateKey::from_pkcs8_pem(&pem).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

/// The evidence of a round whose records disagree: what was found, and the
/// signed entries of those records as the node served them.
fn keep_record_evidence(
    state: &Path,
    node: &str,
    round: &crate::records::Round,
) -> anyhow::Result<PathBuf> {
    let mut text = format!(
        "# godown monitor: the node at {node} describes {}'s records otherwise than the signed entries do\n\
         # checked against the cosigned checkpoint of size {}\n\n## Findings\n\n",
        round.org, round.size
    );
    for finding in &round.findings {
        let _ = writeln!(text, "- {finding}");
    }
    text.push_str("\n## The entries of those records, as the node served them\n\n");
    for (index, entry) in &round.evidence {
        let _ = writeln!(text, "{index} {entry}");
    }
    godown_witness::state::write_evidence(
        &state.join("evidence"),
        &format!("{}-records", unix_now()),
        &text,
    )
}

/// The metrics file, replaced atomically each round.
fn write_metrics(state: &Path, tally: &Tally) -> anyhow::Result<()> {
    std::fs::create_dir_all(state).with_context(|| format!("cannot create {}", state.display()))?;
    let mut text = String::new();
    let mut metric = |name: &str, kind: &str, help: &str, value: u64| {
        let _ = writeln!(
            text,
            "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}"
        );
    };
    metric(
        "godown_monitor_split_views_total",
        "counter",
        "Split views found since the monitor started.",
        tally.splits,
    );
    metric(
        "godown_monitor_record_disagreements_total",
        "counter",
        "Records the node described otherwise than the entries, since the monitor started.",
        tally.disagreements,
    );
    metric(
        "godown_monitor_records_checked",
        "gauge",
        "Records found as the entries say in the last round.",
        tally.checked,
    );
    metric(
        "godown_monitor_records_unchecked",
        "gauge",
        "Records the member's entries could not decide alone in the last round.",
        tally.unchecked,
    );
    let path = state.join("metrics.prom");
    let tmp = state.join("metrics.prom.tmp");
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, &path))
        .with_context(|| format!("cannot write {}", path.display()))
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
