//! `godown export`: the export directory of FORMATS.md, written from the
//! database, consistent with its checkpoint: the newest cosigned one, or
//! the newest signed one when no witness cosigns.

use std::fs::{self, File};
use std::io::{BufWriter, Write as _};
use std::path::Path;

use anyhow::{Context as _, anyhow, bail};

use crate::store::ledger::StoredCheckpoint;
use crate::store::{Database, cosignatures, ledger};

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportSummary {
    /// Entries written.
    pub entries: u64,
    /// The checkpoint they verify against.
    pub checkpoint: String,
}

/// Entries read per query.
const CHUNK: u64 = 2000;

/// The checkpoint an export carries: the newest one witnesses cosigned,
/// with every cosignature the node collected for it, and the witnesses'
/// vkeys; the newest signed one when no witness has cosigned any.
async fn exported_checkpoint(db: &Database) -> anyhow::Result<(StoredCheckpoint, Vec<String>)> {
    if let Some(size) = cosignatures::newest_size(db.conn()).await?
        && let Some(mut checkpoint) = ledger::checkpoint(db.conn(), size).await?
    {
        let mut witnesses = Vec::new();
        for (witness, line) in cosignatures::of_size(db.conn(), size).await? {
            checkpoint.note.push_str(&line);
            witnesses.push(witness);
        }
        return Ok((checkpoint, witnesses));
    }
    let checkpoint = ledger::latest_checkpoint(db.conn())
        .await?
        .ok_or_else(|| anyhow!("the ledger has no checkpoint yet"))?;
    Ok((checkpoint, Vec::new()))
}

/// Writes `entries.jsonl`, `checkpoint` and `log.vkey` (the key that signs
/// that checkpoint: the ledger's key in force) into `out` (and
/// `witnesses.vkeys` when witnesses cosigned), which must not exist or be
/// empty. The entries are exactly those the checkpoint covers.
pub async fn export(db: &Database, out: &Path) -> anyhow::Result<ExportSummary> {
    if out.exists()
        && fs::read_dir(out)
            .with_context(|| format!("cannot read {}", out.display()))?
            .next()
            .is_some()
    {
        bail!(
            "{} exists and is not empty; choose a new directory",
            out.display()
        );
    }
    fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let meta = ledger::meta(db.conn())
        .await?
        .ok_or_else(|| anyhow!("the ledger is empty: nothing to export"))?;
    let (checkpoint, witnesses) = exported_checkpoint(db).await?;

    let path = out.join("entries.jsonl");
    let mut writer = BufWriter::new(
        File::create(&path).with_context(|| format!("cannot create {}", path.display()))?,
    );
    // The key that signs the exported checkpoint: the one the ledger was
    // founded with, or the last one an entry handed over to.
    let mut log_vkey = meta.log_vkey.clone();
    let mut next = 0;
    while next < checkpoint.size {
        let end = checkpoint.size.min(next + CHUNK);
        let rows = ledger::entries_between(db.conn(), next, end).await?;
        if rows.len() as u64 != end - next {
            bail!("entries {next}..{end} are missing from the database");
        }
        for row in rows {
            if row.tx_type == godown_ledger::HANDOVER_TYPE
                && let Some(Ok(handover)) = godown_ledger::Entry::parse(&row.leaf)
                    .ok()
                    .as_ref()
                    .and_then(godown_ledger::Handover::of_entry)
            {
                log_vkey = handover.vkey.to_string();
            }
            writer.write_all(&row.leaf)?;
            writer.write_all(b"\n")?;
        }
        next = end;
    }
    writer.flush()?;
    writer
        .into_inner()
        .map_err(std::io::IntoInnerError::into_error)?
        .sync_all()?;
    fs::write(out.join("checkpoint"), &checkpoint.note)?;
    fs::write(out.join("log.vkey"), format!("{log_vkey}\n"))?;
    if !witnesses.is_empty() {
        fs::write(out.join("witnesses.vkeys"), witnesses.join("\n") + "\n")?;
    }
    Ok(ExportSummary {
        entries: checkpoint.size,
        checkpoint: checkpoint.note,
    })
}
