//! Connecting to the database and bringing its schema up to date.

use std::path::Path;
use std::time::Duration;

use godown_migrations::{Migrator, MigratorTrait as _};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait as _, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, TransactionOptions, TransactionTrait as _,
};

/// A failure of the database, or data in it that cannot be right.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database failed or could not be reached.
    #[error("database: {0}")]
    Db(#[from] DbErr),
    /// A row holds a value no version of the node writes.
    #[error("corrupt row in {table}: {detail}")]
    Corrupt {
        /// Which table.
        table: &'static str,
        /// What is wrong.
        detail: String,
    },
}

impl StoreError {
    pub(crate) fn corrupt(table: &'static str, detail: impl std::fmt::Display) -> Self {
        Self::Corrupt {
            table,
            detail: detail.to_string(),
        }
    }
}

/// PostgreSQL advisory lock keys; arbitrary but fixed ("godown" in ASCII
/// digits, and the next number).
const APPEND_LOCK: i64 = 111_100_111_119_110;
const MIGRATION_LOCK: i64 = 111_100_111_119_111;

/// The node's database connection.
#[derive(Debug, Clone)]
pub struct Database {
    conn: DatabaseConnection,
}

impl Database {
    /// Opens (creating if needed) the embedded SQLite database at `path`.
    pub async fn open_sqlite(path: &Path) -> Result<Self, StoreError> {
        // The URL only selects the driver; the file is set below, so paths
        // need no URL escaping.
        let mut options = ConnectOptions::new("sqlite://godown.db");
        options
            .max_connections(8)
            .sqlx_logging(false)
            .connect_timeout(Duration::from_secs(5))
            .acquire_timeout(Duration::from_secs(30));
        let path = path.to_owned();
        options.map_sqlx_sqlite_opts(move |opts: SqliteConnectOptions| {
            opts.filename(&path)
                .in_memory(false)
                .create_if_missing(true)
                // WAL lets readers run beside the one writer; FULL makes every
                // acknowledged commit survive a power cut.
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
        });
        Self::connect(options).await
    }

    /// Connects to PostgreSQL at `url`.
    pub async fn open_postgres(url: &str) -> Result<Self, StoreError> {
        let mut options = ConnectOptions::new(url);
        options
            .max_connections(16)
            .sqlx_logging(false)
            .connect_timeout(Duration::from_secs(5))
            .acquire_timeout(Duration::from_secs(30));
        Self::connect(options).await
    }

    async fn connect(options: ConnectOptions) -> Result<Self, StoreError> {
        let conn = sea_orm::Database::connect(options).await?;
        Ok(Self { conn })
    }

    /// Applies every pending migration, all in one transaction: a failure
    /// leaves the schema as it was, and processes starting together on one
    /// database take turns (both databases have transactional DDL; on
    /// PostgreSQL an advisory lock makes the second wait for the first).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let txn = self.begin_locked(MIGRATION_LOCK).await?;
        Migrator::up(&txn, None).await?;
        txn.commit().await?;
        Ok(())
    }

    /// The connection, for reads.
    pub fn conn(&self) -> &DatabaseConnection {
        &self.conn
    }

    /// Which database this is.
    pub fn backend(&self) -> DbBackend {
        self.conn.get_database_backend()
    }

    /// Begins a write transaction that holds the log's write lock until it
    /// commits or rolls back: an immediate transaction on SQLite, a
    /// transaction-scoped advisory lock on PostgreSQL. Appends from every
    /// process sharing the database are serialised by it.
    pub async fn begin_append(&self) -> Result<DatabaseTransaction, StoreError> {
        self.begin_locked(APPEND_LOCK).await
    }

    /// A write transaction that holds `lock` until it ends: on SQLite every
    /// immediate transaction is exclusive of other writers already; on
    /// PostgreSQL the transaction-scoped advisory lock `lock` is taken.
    async fn begin_locked(&self, lock: i64) -> Result<DatabaseTransaction, StoreError> {
        let txn = self
            .conn
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
                ..TransactionOptions::default()
            })
            .await?;
        if self.backend() == DbBackend::Postgres {
            txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({lock})"))
                .await?;
        }
        Ok(txn)
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.conn.ping().await?;
        Ok(())
    }
}
