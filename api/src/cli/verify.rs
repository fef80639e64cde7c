//! `godown verify`: check an export directory or a proof file offline, or
//! replay the node's own database from genesis.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail};
use godown_ledger::{
    Checkpoint, CheckpointPolicy, ExportVerifier, Policy, TlogProof, TrustPolicy, VerifierKey,
    verify_checkpoint,
};

use crate::config::DataArgs;
use godown_node::files::{BoundedLines, read_small, read_small_text};

/// Largest entry line accepted in `entries.jsonl`.
const MAX_ENTRY_BYTES: usize = 1 << 20;
/// Largest checkpoint file accepted (the signed-note limit).
const MAX_CHECKPOINT_BYTES: u64 = 1 << 20;
/// Largest policy file accepted: 64 logs, witnesses and groups fit easily.
const MAX_POLICY_BYTES: u64 = 1 << 20;
/// Largest proof file accepted: a maximal entry in base64 plus a checkpoint.
const MAX_PROOF_BYTES: u64 = 4 << 20;

/// Verify a Godown ledger: an export directory or a tlog-proof file
/// offline, or, with neither, the node's own database.
///
/// Offline, only the keys given on the command line are trusted. Replaying
/// the database checks every signature, every contract decision, the tree,
/// every checkpoint and every projection row. On failure, one line names
/// the first bad entry, line or row and the reason, and the exit status is 1.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  godown verify --export ./export --log-vkey \"$(cat log.vkey)\"
  godown verify --export ./export --log-vkey \"$(cat log.vkey)\" \\
      --witness-vkey \"$(cat witness.vkey)\" --min-witnesses 1
  godown verify --proof entry-2.tlog-proof --log-vkey \"$(cat log.vkey)\"
  godown verify --export ./export --policy consortium.policy
  godown verify --data ./godown-data        # replay the node's database")]
#[command(group(clap::ArgGroup::new("what").args(["export", "proof"])))]
pub struct Verify {
    /// An export directory: entries.jsonl and checkpoint.
    #[arg(long, value_name = "DIR")]
    export: Option<PathBuf>,
    /// A c2sp.org/tlog-proof@v1 file.
    #[arg(long, value_name = "FILE")]
    proof: Option<PathBuf>,
    /// The log's verifier key, trusted for checkpoints. Required offline;
    /// when replaying a database, it must match the database's.
    #[arg(long, value_name = "VKEY", value_parser = VerifierKey::parse)]
    log_vkey: Option<VerifierKey>,
    /// A witness's cosignature verifier key; repeat for several.
    #[arg(long, value_name = "VKEY", value_parser = VerifierKey::parse)]
    witness_vkey: Vec<VerifierKey>,
    /// How many of the given witnesses must have cosigned [default: all
    /// of them].
    #[arg(long, value_name = "K")]
    min_witnesses: Option<usize>,
    /// A C2SP tlog-policy file: the logs trusted, the witnesses and the
    /// quorum; in place of --log-vkey, --witness-vkey and --min-witnesses.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["log_vkey", "witness_vkey", "min_witnesses"])]
    policy: Option<PathBuf>,
    #[command(flatten)]
    data: DataArgs,
}

impl Verify {
    pub(super) fn run(self) -> anyhow::Result<()> {
        if self.export.is_none() && self.proof.is_none() {
            return super::runtime()?.block_on(async {
                let db = super::open(&self.data).await?;
                godown_node::verify_db::run(&db, self.log_vkey.as_ref()).await
            });
        }
        let policy: Box<dyn CheckpointPolicy> = if let Some(file) = &self.policy {
            let text = read_small_text(file, MAX_POLICY_BYTES)?;
            Box::new(
                Policy::parse(&text)
                    .map_err(|e| anyhow!("{}: {}: {e}", file.display(), e.code()))?,
            )
        } else {
            let log_vkey = self.log_vkey.ok_or_else(|| {
                anyhow!("--log-vkey (or --policy) is required to verify offline: it says which keys are trusted")
            })?;
            let min = self.min_witnesses.unwrap_or(self.witness_vkey.len());
            Box::new(
                TrustPolicy::new(log_vkey, self.witness_vkey, min)
                    .map_err(|e| anyhow!("{}: {e}", e.code()))?,
            )
        };
        match (self.export, self.proof) {
            (Some(dir), _) => verify_export(&dir, policy.as_ref()),
            (None, Some(file)) => verify_proof(&file, policy.as_ref()),
            (None, None) => bail!("give --export DIR or --proof FILE"),
        }
    }
}

fn verify_export(dir: &Path, policy: &dyn CheckpointPolicy) -> anyhow::Result<()> {
    let checkpoint_path = dir.join("checkpoint");
    let note = read_small(&checkpoint_path, MAX_CHECKPOINT_BYTES)?;
    // Which key must have signed the checkpoint is known once the entries'
    // hand-overs of the log key are followed; its body says what to expect.
    let body = Checkpoint::of_note(&note)
        .map_err(|e| anyhow!("{}: {}: {e}", checkpoint_path.display(), e.code()))?;
    let entries_path = dir.join("entries.jsonl");
    let mut lines = BoundedLines::open(&entries_path, MAX_ENTRY_BYTES)?;
    let mut entries = ExportVerifier::new(body);
    while let Some(line) = lines.next_line() {
        let line = line.map_err(|e| anyhow!("{}: {e}", entries_path.display()))?;
        entries
            .push_line(line)
            .map_err(|e| anyhow!("{}: {e}", dir.display()))?;
    }
    let summary = entries
        .finish()
        .map_err(|e| anyhow!("{}: {e}", dir.display()))?;
    let verified = verify_checkpoint(&summary, &note, policy)
        .map_err(|e| anyhow!("{}: {e}", checkpoint_path.display()))?;
    let checkpoint = &verified.checkpoint;
    let rotations = summary.log_keys.keys().len().saturating_sub(1);
    println!(
        "OK {}: {} entries by {} signers, root {} signed by {}{}, {} witness cosignature(s)",
        dir.display(),
        summary.entries,
        summary.signers,
        summary.root,
        checkpoint.origin,
        summary
            .log_keys
            .current()
            .map_or_else(String::new, |k| format!(
                " (its key handed over {rotations} time(s), now {k})"
            )),
        verified.witnesses.len()
    );
    Ok(())
}

fn verify_proof(file: &Path, policy: &dyn CheckpointPolicy) -> anyhow::Result<()> {
    let text = read_small_text(file, MAX_PROOF_BYTES)?;
    let proved = TlogProof::parse(&text)
        .and_then(|p| p.verify(policy))
        .map_err(|e| anyhow!("{}: {}: {e}", file.display(), e.code()))?;
    let checkpoint = &proved.checkpoint.checkpoint;
    println!(
        "OK {}: entry {} ({} by {}) is in {} at size {}, {} witness cosignature(s)",
        file.display(),
        proved.index,
        proved.entry.tx_type(),
        proved.entry.key().to_base64(),
        checkpoint.origin,
        checkpoint.size,
        proved.checkpoint.witnesses.len()
    );
    Ok(())
}
