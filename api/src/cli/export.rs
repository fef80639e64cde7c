//! `godown export`: the export directory of FORMATS.md.

use std::path::PathBuf;

use anyhow::Context as _;
use clap::Args;

use crate::config::DataArgs;
use godown_node::node::DatabaseConfig;
use godown_node::store::Database;

/// Write the ledger as an export directory: entries.jsonl, checkpoint and
/// log.vkey, which `godown verify --export` and other tools check offline.
#[derive(Debug, Args)]
#[command(after_help = "Example:
  godown export --out ./export
  godown verify --export ./export --log-vkey \"$(cat ./export/log.vkey)\"")]
pub struct Export {
    /// The directory to write; it must not exist or be empty.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    #[command(flatten)]
    data: DataArgs,
}

impl Export {
    pub(super) async fn run(self) -> anyhow::Result<()> {
        let db = open(&self.data).await?;
        let summary = godown_node::export::export(&db, &self.out).await?;
        println!(
            "exported {} entries to {}",
            summary.entries,
            self.out.display()
        );
        Ok(())
    }
}

/// Opens the node's database for a command that reads it.
pub(crate) async fn open(data: &DataArgs) -> anyhow::Result<Database> {
    let db = match data.database()? {
        DatabaseConfig::Sqlite(path) => {
            if !path.exists() {
                anyhow::bail!("there is no ledger database at {}", path.display());
            }
            Database::open_sqlite(&path)
                .await
                .with_context(|| format!("cannot open {}", path.display()))?
        }
        DatabaseConfig::Postgres(url) => Database::open_postgres(&url)
            .await
            .context("cannot connect to the PostgreSQL database named by DATABASE_URL")?,
    };
    db.migrate()
        .await
        .context("cannot bring the database schema up to date")?;
    Ok(db)
}
