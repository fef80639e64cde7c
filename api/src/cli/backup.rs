//! `godown backup` and `godown restore`.

use std::path::PathBuf;

use anyhow::bail;

use crate::config::DataArgs;
use godown_node::node::DatabaseConfig;

/// Copy a running node's ledger and keys into a new directory.
///
/// On SQLite the database is copied with `VACUUM INTO`: one consistent
/// snapshot, taken while the node goes on serving, holding whole groups of
/// entries and nothing half-written. The node's keys are copied beside it,
/// with the copy's newest checkpoint in `checkpoint`. Keep backups as
/// secret as the data directory: they hold the log key. A node on
/// PostgreSQL is backed up with PostgreSQL's tools (docs/OPERATIONS.md).
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:
  godown backup --data ./godown-data --out /backups/godown-2026-12-08
  godown restore --from /backups/godown-2026-12-08 --data ./godown-data-restored")]
pub struct Backup {
    /// The directory to write; it must not exist or be empty.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    #[command(flatten)]
    data: DataArgs,
}

impl Backup {
    pub(super) async fn run(self) -> anyhow::Result<()> {
        if let DatabaseConfig::Postgres(_) = self.data.database()? {
            bail!(
                "this node keeps its ledger in PostgreSQL: back it up with `pg_dump --format=custom`, and copy the data directory's keys (docs/OPERATIONS.md)"
            );
        }
        let db = super::open(&self.data).await?;
        let summary =
            godown_node::backup::backup_sqlite(&db, &self.data.data_dir, &self.out).await?;
        println!(
            "backed up {}: {} entries, with the node's keys, in {}",
            summary.origin,
            summary.entries,
            self.out.display()
        );
        Ok(())
    }
}

/// Bring a backup back into a new data directory.
///
/// The files are copied beside the directory, replayed and checked from
/// genesis as `godown verify` does, and only then moved into place: a
/// backup that does not verify leaves nothing behind. Start a node on the
/// restored directory as usual.
#[derive(Debug, clap::Args)]
pub struct Restore {
    /// The backup: a directory `godown backup` wrote.
    #[arg(long, value_name = "DIR")]
    from: PathBuf,
    #[command(flatten)]
    data: DataArgs,
}

impl Restore {
    pub(super) async fn run(self) -> anyhow::Result<()> {
        if self.data.database_url.is_some() {
            bail!(
                "godown restore writes an SQLite data directory; restore a PostgreSQL backup with pg_restore (docs/OPERATIONS.md)"
            );
        }
        let summary = godown_node::backup::restore(&self.from, &self.data.data_dir).await?;
        println!(
            "restored {}: {} entries, verified from genesis, into {}",
            summary.origin,
            summary.entries,
            self.data.data_dir.display()
        );
        Ok(())
    }
}
