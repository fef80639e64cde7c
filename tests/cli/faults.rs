//! The database going away under load. PostgreSQL's connections killed
//! while clients write: the clients hear `UNAVAILABLE` (or their append
//! lands), nothing acknowledged is lost, and the node writes again by
//! itself, without a restart. SQLite on a disk that fills up: a clear
//! `UNAVAILABLE`, nothing half-written, and appends resume once space is
//! freed.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait as _, Database, Statement};

use crate::support::binary::{
    ServerProcess, free_port, invite_request, login, post_graphql, serve_command, verify_database,
};
use crate::support::postgres::TestDb;

/// What clients heard: acknowledged entries, and refusals by code.
#[derive(Default)]
struct Heard {
    acknowledged: Vec<(u64, String)>,
    refused: BTreeMap<String, usize>,
    messages: Vec<String>,
}

/// One invitation; records what the node answered.
async fn invite(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    name: &str,
    heard: &Mutex<Heard>,
) -> bool {
    let Ok(answer) = post_graphql(http, base, token, &invite_request(name, name)).await else {
        return false;
    };
    let mut heard = heard.lock().unwrap();
    if let (Some(index), Some(hash)) = (
        answer["data"]["inviteUser"]["index"].as_u64(),
        answer["data"]["inviteUser"]["leafHash"].as_str(),
    ) {
        heard.acknowledged.push((index, hash.to_owned()));
        return true;
    }
    let code = answer["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("none")
        .to_owned();
    heard.messages.push(
        answer["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    );
    *heard.refused.entry(code).or_default() += 1;
    false
}

async fn present(db: &godown_node::store::Database, acknowledged: &[(u64, String)]) {
    for (index, hash) in acknowledged {
        let entry = godown_node::store::ledger::entry(db.conn(), *index)
            .await
            .unwrap();
        assert_eq!(
            entry.map(|e| e.leaf_hash.to_base64()),
            Some(hash.clone()),
            "acknowledged entry {index} is missing"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_connections_killed_under_load_cost_no_acknowledged_append_and_the_node_recovers()
{
    let Some(pg) = TestDb::create().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut command = serve_command(dir.path(), port);
    command.env("DATABASE_URL", &pg.url);
    let server = ServerProcess::start(command, port);
    let http = crate::support::http_client();
    let token = login(&http, &server.base, 10).await;
    let heard = Arc::new(Mutex::new(Heard::default()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let (http, base, token) = (http.clone(), server.base.clone(), token.clone());
            let (heard, stop) = (Arc::clone(&heard), Arc::clone(&stop));
            tokio::spawn(async move {
                for i in 0.. {
                    if stop.load(std::sync::atomic::Ordering::Relaxed) {
                        break;
                    }
                    invite(&http, &base, &token, &format!("bank-a.pg{w}x{i}"), &heard).await;
                }
            })
        })
        .collect();
    // Kill every connection the node holds, twice, while the clients write.
    let admin = Database::connect(&pg.url).await.unwrap();
    let kill = Statement::from_string(
        admin.get_database_backend(),
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    );
    for _ in 0..2 {
        tokio::time::sleep(Duration::from_millis(700)).await;
        admin.execute_raw(kill.clone()).await.unwrap();
    }
    // The node writes again by itself: appends after the kills land.
    let before = heard.lock().unwrap().acknowledged.len();
    let deadline = Instant::now() + Duration::from_secs(20);
    while heard.lock().unwrap().acknowledged.len() < before + 20 {
        assert!(
            Instant::now() < deadline,
            "the node did not recover from the killed connections"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for w in writers {
        w.await.unwrap();
    }
    server.stop();
    let heard = std::mem::take(&mut *heard.lock().unwrap());
    println!(
        "postgres connections killed: {} acknowledged, refused {:?}",
        heard.acknowledged.len(),
        heard.refused
    );
    // A refusal is UNAVAILABLE, and says to retry; nothing else is heard.
    assert!(
        heard.refused.keys().all(|code| code == "UNAVAILABLE"),
        "{:?}",
        heard.refused
    );
    assert!(
        heard.messages.iter().all(|m| m.contains("retry")),
        "{:?}",
        heard.messages
    );
    let out = verify_database(dir.path(), Some(&pg.url));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let db = godown_node::store::Database::open_postgres(&pg.url)
        .await
        .unwrap();
    present(&db, &heard.acknowledged).await;
    drop(db);
    pg.drop_now().await;
}

/// A small file system of its own, mounted for the test, or `None` (said
/// loudly) where this process may not mount one.
struct SmallDisk {
    path: std::path::PathBuf,
}

impl SmallDisk {
    fn mount(dir: &std::path::Path, megabytes: u32) -> Option<Self> {
        let path = dir.join("disk");
        std::fs::create_dir_all(&path).unwrap();
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(&path)
            .status()
            .is_ok_and(|s| s.success());
        if !mounted {
            eprintln!(
                "SKIPPED: the full-disk test needs to mount a small tmpfs (run as root); it did not run"
            );
            return None;
        }
        Some(Self { path })
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.path)
            .status();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_on_a_full_disk_refuses_clearly_writes_nothing_half_and_resumes_when_space_is_freed()
{
    let dir = tempfile::tempdir().unwrap();
    let Some(disk) = SmallDisk::mount(dir.path(), 8) else {
        return;
    };
    let data = disk.path.join("node");
    let port = free_port();
    let server = ServerProcess::start(serve_command(&data, port), port);
    let http = crate::support::http_client();
    let token = login(&http, &server.base, 10).await;
    let heard = Mutex::new(Heard::default());
    // Fill the disk but for a little room.
    let filler = disk.path.join("filler");
    let free = fs_free(&disk.path);
    std::fs::write(
        &filler,
        vec![0u8; usize::try_from(free.saturating_sub(96 * 1024)).unwrap()],
    )
    .unwrap();
    let mut i = 0;
    let mut refused_at = None;
    while i < 5000 {
        i += 1;
        if !invite(
            &http,
            &server.base,
            &token,
            &format!("bank-a.full{i}"),
            &heard,
        )
        .await
        {
            refused_at = Some(i);
            break;
        }
    }
    let refused_at = refused_at.expect("the disk never filled");
    {
        let heard = heard.lock().unwrap();
        assert_eq!(
            heard.refused.get("UNAVAILABLE"),
            Some(&1),
            "{:?}",
            heard.refused
        );
        let message = heard.messages.last().unwrap();
        assert!(message.contains("nothing was appended"), "{message}");
    }
    // Space freed, appends resume without a restart.
    std::fs::remove_file(&filler).unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        i += 1;
        if invite(
            &http,
            &server.base,
            &token,
            &format!("bank-a.full{i}"),
            &heard,
        )
        .await
        {
            break;
        }
        assert!(Instant::now() < deadline, "appends did not resume");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    server.stop();
    let out = verify_database(&data, None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let db = godown_node::store::Database::open_sqlite(&data.join("godown.db"))
        .await
        .unwrap();
    let heard = heard.into_inner().unwrap();
    present(&db, &heard.acknowledged).await;
    // Nothing but what was acknowledged: the genesis and the seeded
    // members, then exactly the acknowledged invitations.
    let (size, _) = godown_node::store::ledger::head(db.conn()).await.unwrap();
    let first = heard.acknowledged.iter().map(|(i, _)| *i).min().unwrap();
    assert_eq!(
        size - first,
        heard.acknowledged.len() as u64,
        "refused at {refused_at}"
    );
    drop(db);
    drop(disk);
}

/// Bytes free on the file system holding `path`.
fn fs_free(path: &std::path::Path) -> u64 {
    let out = std::process::Command::new("df")
        .args(["-B1", "--output=avail"])
        .arg(path)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .nth(1)
        .and_then(|l| l.trim().parse().ok())
        .unwrap()
}
