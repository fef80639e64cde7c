//! `godown backup` and `godown restore` for a node on SQLite: a consistent
//! copy of a running node's database and keys, and bringing one back into
//! a new data directory, checked from genesis before it is put in place.
//!
//! The database is copied with SQLite's `VACUUM INTO`, which reads one
//! snapshot while the node goes on writing (WAL), so the copy holds whole
//! groups of entries and nothing half-written. A node on PostgreSQL is
//! backed up with PostgreSQL's own tools (`docs/OPERATIONS.md`).

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow, bail};
use sea_orm::{ConnectionTrait as _, Statement};

use crate::files::read_small;
use crate::node::keys::{PREVIOUS_SESSION_SECRET, SESSION_SECRET};
use crate::node::log_keys::LOG_KEYS_DIR;
use crate::store::{Database, ledger};

/// The database file in a data directory and in a backup.
pub const DATABASE_FILE: &str = "godown.db";
/// The checkpoint of the backed-up log, beside the copy.
pub const CHECKPOINT_FILE: &str = "checkpoint";

/// The node's secrets a backup carries besides the database.
const KEY_FILES: &[&str] = &[
    "log.pem",
    "operator.pem",
    SESSION_SECRET,
    PREVIOUS_SESSION_SECRET,
];

/// What a backup holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSummary {
    /// The ledger's origin.
    pub origin: String,
    /// Entries in the copy.
    pub entries: u64,
    /// The copy's newest checkpoint, signed.
    pub checkpoint: String,
}

/// Copies the running node's SQLite database and its keys from `data_dir`
/// into `out`, which must not exist or be empty.
pub async fn backup_sqlite(
    db: &Database,
    data_dir: &Path,
    out: &Path,
) -> anyhow::Result<BackupSummary> {
    fresh(out)?;
    let copy = out.join(DATABASE_FILE);
    db.conn()
        .execute_raw(Statement::from_sql_and_values(
            db.backend(),
            "VACUUM INTO ?",
            [copy.display().to_string().into()],
        ))
        .await
        .with_context(|| format!("cannot copy the database into {}", copy.display()))?;
    fs::File::open(&copy)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("cannot flush {}", copy.display()))?;
    copy_keys(data_dir, out)?;
    let summary = summarise(&copy).await?;
    write_synced(&out.join(CHECKPOINT_FILE), summary.checkpoint.as_bytes())?;
    sync_dir(out)?;
    Ok(summary)
}

/// Brings the backup in `from` into `data_dir`, which must not exist or be
/// empty: the files are copied beside it, the copy is replayed and checked
/// from genesis (`godown verify`), and only then renamed into place, so a
/// restore that fails leaves nothing behind.
pub async fn restore(from: &Path, data_dir: &Path) -> anyhow::Result<BackupSummary> {
    let source = from.join(DATABASE_FILE);
    if !source.is_file() {
        bail!(
            "{} holds no backup: {} is missing",
            from.display(),
            source.display()
        );
    }
    if data_dir.exists() {
        fresh(data_dir)?;
    }
    let staging = staging_dir(data_dir)?;
    let result = async {
        fs::copy(&source, staging.join(DATABASE_FILE))
            .with_context(|| format!("cannot copy {}", source.display()))?;
        copy_keys(from, &staging)?;
        let db = Database::open_sqlite(&staging.join(DATABASE_FILE)).await?;
        db.migrate().await?;
        crate::verify_db::run(&db, None)
            .await
            .context("the backup does not verify")?;
        drop(db);
        summarise(&staging.join(DATABASE_FILE)).await
    }
    .await;
    match result {
        Ok(summary) => {
            if data_dir.exists() {
                fs::remove_dir(data_dir)
                    .with_context(|| format!("cannot replace the empty {}", data_dir.display()))?;
            }
            fs::rename(&staging, data_dir).with_context(|| {
                format!("cannot move the restored data into {}", data_dir.display())
            })?;
            if let Some(parent) = data_dir.parent() {
                sync_dir(parent)?;
            }
            Ok(summary)
        }
        Err(e) => {
            let _ = fs::remove_dir_all(&staging);
            Err(e)
        }
    }
}

/// The origin, size and newest checkpoint of the database at `path`.
async fn summarise(path: &Path) -> anyhow::Result<BackupSummary> {
    let db = Database::open_sqlite(path).await?;
    let meta = ledger::meta(db.conn())
        .await?
        .ok_or_else(|| anyhow!("the copy holds no ledger"))?;
    let checkpoint = ledger::latest_checkpoint(db.conn())
        .await?
        .ok_or_else(|| anyhow!("the copy holds no checkpoint"))?;
    Ok(BackupSummary {
        origin: meta.origin,
        entries: checkpoint.size,
        checkpoint: checkpoint.note,
    })
}

/// Copies the node's key files that exist, and its `log-keys/` folder.
fn copy_keys(from: &Path, to: &Path) -> anyhow::Result<()> {
    for name in KEY_FILES {
        let source = from.join(name);
        if source.is_file() {
            write_synced(&to.join(name), &read_small(&source, 64 * 1024)?)?;
        }
    }
    let keys = from.join(LOG_KEYS_DIR);
    if keys.is_dir() {
        fs::create_dir_all(to.join(LOG_KEYS_DIR))?;
        for file in fs::read_dir(&keys)?.flatten() {
            if file.path().is_file() {
                write_synced(
                    &to.join(LOG_KEYS_DIR).join(file.file_name()),
                    &read_small(&file.path(), 64 * 1024)?,
                )?;
            }
        }
        sync_dir(&to.join(LOG_KEYS_DIR))?;
    }
    Ok(())
}

/// Creates `dir`, or accepts it empty; refuses anything in it.
fn fresh(dir: &Path) -> anyhow::Result<()> {
    if dir.exists()
        && fs::read_dir(dir)
            .with_context(|| format!("cannot read {}", dir.display()))?
            .next()
            .is_some()
    {
        bail!(
            "{} exists and is not empty; choose a new directory",
            dir.display()
        );
    }
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))
}

/// A new folder beside `data_dir` to restore into.
fn staging_dir(data_dir: &Path) -> anyhow::Result<PathBuf> {
    let name = data_dir
        .file_name()
        .ok_or_else(|| anyhow!("{} names no directory", data_dir.display()))?;
    let staging = data_dir.with_file_name(format!(
        ".{}.restoring-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&staging);
    fs::create_dir_all(&staging).with_context(|| format!("cannot create {}", staging.display()))?;
    Ok(staging)
}

fn write_synced(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))
}

fn sync_dir(dir: &Path) -> anyhow::Result<()> {
    fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .with_context(|| format!("cannot flush {}", dir.display()))
}
