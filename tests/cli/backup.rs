//! A backup taken while clients write restores into a data directory whose
//! log is a prefix of the live one (a consistency proof between their
//! checkpoints verifies), that `godown verify` passes and a node serves; a
//! backup altered behind its back is refused and leaves nothing behind.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use godown_ledger::{Checkpoint, Hash};
use sea_orm::{ConnectionTrait as _, Database, Statement};

use crate::support::binary::{
    ServerProcess, free_port, invite_request, login, post_graphql, serve_command,
};
use crate::{godown, stderr};

/// Size and root of a checkpoint note.
fn head(note: &str) -> (u64, Hash) {
    let c = Checkpoint::of_note(note.as_bytes()).unwrap();
    (c.size, c.root)
}

/// Invites users from `writers` clients until `stop`; returns how many
/// were acknowledged.
fn write_until(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    writers: u64,
    stop: &Arc<AtomicBool>,
) -> Vec<tokio::task::JoinHandle<u64>> {
    let next = Arc::new(AtomicU64::new(0));
    (0..writers)
        .map(|_| {
            let (http, base, token) = (http.clone(), base.to_owned(), token.to_owned());
            let (stop, next) = (Arc::clone(stop), Arc::clone(&next));
            tokio::spawn(async move {
                let mut acknowledged = 0;
                while !stop.load(Ordering::Relaxed) {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let request =
                        invite_request(&format!("bank-a.load{i}"), &format!("backup-load-{i}"));
                    if let Ok(answer) = post_graphql(&http, &base, &token, &request).await
                        && answer["errors"].is_null()
                    {
                        acknowledged += 1;
                    }
                }
                acknowledged
            })
        })
        .collect()
}

fn restore(from: &Path, to: &Path) -> std::process::Output {
    godown(&[
        "restore",
        "--from",
        from.to_str().unwrap(),
        "--data",
        to.to_str().unwrap(),
    ])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_load_restores_a_verified_prefix_of_the_live_log() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("node");
    let port = free_port();
    let server = ServerProcess::start(serve_command(&data, port), port);
    let http = crate::support::http_client();
    let base = server.base.clone();
    let token = login(&http, &base, 10).await;

    let stop = Arc::new(AtomicBool::new(false));
    let writers = write_until(&http, &base, &token, 4, &stop);
    tokio::time::sleep(Duration::from_millis(800)).await;
    let backup = dir.path().join("backup");
    let args = [
        "backup".to_owned(),
        "--data".to_owned(),
        data.display().to_string(),
        "--out".to_owned(),
        backup.display().to_string(),
    ];
    let out = tokio::task::spawn_blocking(move || {
        godown(&args.iter().map(String::as_str).collect::<Vec<_>>())
    })
    .await
    .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    tokio::time::sleep(Duration::from_millis(800)).await;
    stop.store(true, Ordering::Relaxed);
    let mut acknowledged = 0;
    for w in writers {
        acknowledged += w.await.unwrap();
    }
    assert!(acknowledged > 0);

    // The live log went on after the backup; the backup is a prefix of it.
    let live = http
        .get(format!("{base}/checkpoint/pending"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let (n, live_root) = head(&live);
    let (m, backup_root) = head(&std::fs::read_to_string(backup.join("checkpoint")).unwrap());
    assert!(m > 2 && m < n, "backup {m}, live {n}");
    let proof: Vec<Hash> = http
        .get(format!("{base}/consistency/{m}/{n}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .lines()
        .map(|l| Hash::from_base64(l).unwrap())
        .collect();
    godown_ledger::tree::verify_consistency(
        m,
        n,
        &proof,
        backup_root.as_bytes(),
        live_root.as_bytes(),
    )
    .unwrap();
    server.stop();

    // Restored, it verifies from genesis, and a node serves it.
    let restored = dir.path().join("restored");
    let out = restore(&backup, &restored);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains(&format!("{m} entries, verified from genesis"))
    );
    let out = godown(&["verify", "--data", restored.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let port = free_port();
    let server = ServerProcess::start(serve_command(&restored, port), port);
    let token = login(&http, &server.base, 10).await;
    let answer = post_graphql(
        &http,
        &server.base,
        &token,
        &invite_request("bank-a.after", "after-restore"),
    )
    .await
    .unwrap();
    assert!(answer["errors"].is_null(), "{answer}");
    server.stop();

    // Never over a directory in use.
    let out = restore(&backup, &restored);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("is not empty"), "{}", stderr(&out));

    altered_backup_is_refused(dir.path(), &backup).await;
}

/// A backup altered behind its back is refused, and leaves nothing.
async fn altered_backup_is_refused(dir: &Path, backup: &Path) {
    let db = Database::connect(format!(
        "sqlite://{}?mode=rw",
        backup.join("godown.db").display()
    ))
    .await
    .unwrap();
    db.execute_raw(Statement::from_string(
        db.get_database_backend(),
        "UPDATE entries SET time = '2030-01-01T00:00:00.000Z' WHERE idx = 2",
    ))
    .await
    .unwrap();
    drop(db);
    let elsewhere = dir.join("elsewhere");
    let out = restore(backup, &elsewhere);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(stderr(&out).contains("does not verify"), "{}", stderr(&out));
    assert!(!elsewhere.exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("restoring"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
