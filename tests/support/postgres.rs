//! A fresh PostgreSQL database per test: on the server `TEST_DATABASE_URL`
//! names, or else on a throwaway cluster made with the system's `initdb` and
//! `pg_ctl`. When neither is possible the tests say so, loudly, once.

use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use sea_orm::{ConnectionTrait as _, Database};

/// A database created for one test and dropped after it.
pub struct TestDb {
    /// Its URL.
    pub url: String,
    admin_url: String,
    name: String,
}

static NEXT: AtomicU32 = AtomicU32::new(0);

/// The server to create test databases on, found once per test run.
fn server() -> Option<&'static str> {
    static SERVER: OnceLock<Option<String>> = OnceLock::new();
    SERVER
        .get_or_init(|| {
            if let Ok(url) = std::env::var("TEST_DATABASE_URL") {
                return Some(url);
            }
            if std::env::var("GODOWN_SKIP_THROWAWAY_PG").is_ok() {
                eprintln!("\n\n!!! PostgreSQL tests SKIPPED: TEST_DATABASE_URL is not set and GODOWN_SKIP_THROWAWAY_PG asks not to start a cluster.\n");
                return None;
            }
            match throwaway_cluster() {
                Ok(url) => Some(url),
                Err(reason) => {
                    eprintln!(
                        "\n\n!!! PostgreSQL tests SKIPPED: TEST_DATABASE_URL is not set and no throwaway cluster could be started ({reason}).\n!!! Set TEST_DATABASE_URL=postgres://user@host:port/db to run them.\n"
                    );
                    None
                }
            }
        })
        .as_deref()
}

/// Starts a cluster in a temporary directory with `initdb` and `pg_ctl`,
/// listening on a Unix socket only, and returns its URL.
fn throwaway_cluster() -> Result<String, String> {
    let which = |tool: &str| {
        Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
    };
    let initdb = which("initdb").ok_or("initdb is not installed")?;
    let pg_ctl = which("pg_ctl").ok_or("pg_ctl is not installed")?;
    // PostgreSQL refuses to run as root; run it as the postgres user then.
    let as_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout == b"0\n");
    // One cluster serves every test run on this machine: it is reused while
    // it runs, so test runs do not leave a server each behind them.
    let dir = std::env::temp_dir().join("godown-test-pg");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let run = |args: &[&str]| -> Result<(), String> {
        let mut cmd = if as_root {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]);
            c.args(args);
            c
        } else {
            let mut c = Command::new(args[0]);
            c.args(&args[1..]);
            c
        };
        let out = cmd.output().map_err(|e| e.to_string())?;
        if out.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).trim().to_owned())
        }
    };
    if as_root {
        Command::new("chown")
            .args(["postgres", dir.to_str().unwrap_or_default()])
            .status()
            .map_err(|e| e.to_string())?;
    }
    let data_dir = dir.join("data");
    let data = data_dir.to_str().unwrap_or_default();
    let socket = dir.to_str().unwrap_or_default();
    if !data_dir.join("PG_VERSION").exists() {
        run(&[
            &initdb,
            "-D",
            data,
            "-U",
            "postgres",
            "-A",
            "trust",
            "--no-sync",
        ])?;
    }
    if run(&[&pg_ctl, "-D", data, "status"]).is_err() {
        let options = format!("-k {socket} -c listen_addresses='' -c fsync=off");
        run(&[
            &pg_ctl,
            "-D",
            data,
            "-o",
            &options,
            "-w",
            "-l",
            &format!("{socket}/log"),
            "start",
        ])?;
    }
    Ok(format!(
        "postgres://postgres@localhost/postgres?host={socket}"
    ))
}

impl TestDb {
    /// Creates a fresh, empty database, or `None` when PostgreSQL is not
    /// reachable.
    pub async fn create() -> Option<Self> {
        static SWEPT: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
        let admin_url = server()?.to_owned();
        SWEPT.get_or_init(|| sweep(&admin_url)).await;
        let name = format!(
            "godown_test_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let admin = Database::connect(&admin_url)
            .await
            .expect("PostgreSQL accepts the connection");
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .expect("a test database can be created");
        admin.close().await.ok();
        Some(Self {
            url: with_database(&admin_url, &name),
            admin_url,
            name,
        })
    }

    /// Drops the database, ending any session still connected to it.
    pub async fn drop_now(&self) {
        if let Ok(admin) = Database::connect(&self.admin_url).await {
            let _ = admin
                .execute_unprepared(&format!(
                    "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                    self.name
                ))
                .await;
            admin.close().await.ok();
        }
    }
}

/// The same server URL with another database name.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let base = match base.rsplit_once('/') {
        Some((server, _)) if server.contains("://") => server.to_owned(),
        _ => base.to_owned(),
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// Drops test databases left by test runs that have ended.
async fn sweep(admin_url: &str) {
    let Ok(admin) = Database::connect(admin_url).await else {
        return;
    };
    let rows = admin
        .query_all_raw(sea_orm::Statement::from_string(
            admin.get_database_backend(),
            "SELECT datname FROM pg_database WHERE datname LIKE 'godown_test_%'",
        ))
        .await
        .unwrap_or_default();
    for row in rows {
        let Ok(name) = row.try_get::<String>("", "datname") else {
            continue;
        };
        let pid = name.split('_').nth(2).unwrap_or_default();
        if !std::path::Path::new(&format!("/proc/{pid}")).exists() {
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await;
        }
    }
    admin.close().await.ok();
}
