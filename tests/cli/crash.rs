//! A crash at any instant leaves a ledger that `godown verify` accepts, and
//! every append acknowledged to a client is present.

use std::sync::Arc;
use std::time::Duration;

use crate::support::Backend;
use crate::support::binary::{
    ServerProcess, free_port, invite_request, login, post_graphql, serve_command, verify_database,
};
use crate::support::postgres::TestDb;

/// Appends invitations until the node stops answering, recording each one
/// it acknowledged.
async fn write_until_refused(
    http: reqwest::Client,
    base: String,
    token: String,
    writer: usize,
    acknowledged: Arc<std::sync::Mutex<Vec<(u64, String)>>>,
) {
    for i in 0.. {
        let body = invite_request(
            &format!("bank-a.w{writer}n{i}"),
            &format!("crash-{writer}-{i}"),
        );
        let Ok(answer) = post_graphql(&http, &base, &token, &body).await else {
            break;
        };
        if let (Some(index), Some(hash)) = (
            answer["data"]["inviteUser"]["index"].as_u64(),
            answer["data"]["inviteUser"]["leafHash"].as_str(),
        ) {
            acknowledged.lock().unwrap().push((index, hash.to_owned()));
        }
    }
}

/// Rounds of the crash loop, per database.
const ROUNDS: u64 = 20;

/// A small generator for the moments of the kills, seeded and printed so a
/// failing run can be repeated (`GODOWN_CRASH_SEED`).
fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// `ROUNDS` times: four clients append, the node is killed with SIGKILL at a
/// random moment, and restarted. After each kill `godown verify` accepts
/// the database (nothing half-written: tree, checkpoints and projections
/// agree with the entries), and every append acknowledged so far is there,
/// byte for byte.
async fn crash_loop(backend: Backend) {
    let pg = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => match TestDb::create().await {
            Some(db) => Some(db),
            None => return,
        },
    };
    let mut seed = std::env::var("GODOWN_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| u64::from(d.subsec_nanos()) ^ d.as_secs())
                | 1
        });
    println!("GODOWN_CRASH_SEED={seed} ({backend:?})");
    let dir = tempfile::tempdir().unwrap();
    let http = crate::support::http_client();
    let acknowledged = Arc::new(std::sync::Mutex::new(Vec::new()));
    for round in 0..ROUNDS {
        let port = free_port();
        let mut command = serve_command(dir.path(), port);
        if let Some(db) = &pg {
            command.env("DATABASE_URL", &db.url);
        }
        let server = ServerProcess::start(command, port);
        let token = login(&http, &server.base, 10).await;
        let writers: Vec<_> = (0..4)
            .map(|w| {
                tokio::spawn(write_until_refused(
                    http.clone(),
                    server.base.clone(),
                    token.clone(),
                    usize::try_from(round * 4 + w).unwrap(),
                    Arc::clone(&acknowledged),
                ))
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(100 + next(&mut seed) % 600)).await;
        server.crash();
        for writer in writers {
            let _ = writer.await;
        }
        let out = verify_database(dir.path(), pg.as_ref().map(|db| db.url.as_str()));
        assert!(
            out.status.success(),
            "round {round}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let acknowledged = acknowledged.lock().unwrap().clone();
        assert_present(dir.path(), pg.as_ref(), &acknowledged, round).await;
    }
    let total = acknowledged.lock().unwrap().len();
    println!("crash loop ({backend:?}): {ROUNDS} kills, {total} acknowledged appends, none lost");
    assert!(
        total as u64 > ROUNDS,
        "only {total} appends in {ROUNDS} rounds"
    );
    if let Some(db) = &pg {
        db.drop_now().await;
    }
}

/// Every acknowledged append is in the database, byte for byte.
async fn assert_present(
    dir: &std::path::Path,
    pg: Option<&TestDb>,
    acknowledged: &[(u64, String)],
    round: u64,
) {
    let db = match pg {
        Some(db) => godown_node::store::Database::open_postgres(&db.url)
            .await
            .unwrap(),
        None => godown_node::store::Database::open_sqlite(&dir.join("godown.db"))
            .await
            .unwrap(),
    };
    for (index, hash) in acknowledged {
        let entry = godown_node::store::ledger::entry(db.conn(), *index)
            .await
            .unwrap();
        assert_eq!(
            entry.map(|e| e.leaf_hash.to_base64()),
            Some(hash.clone()),
            "round {round}: acknowledged entry {index} is missing"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_kills_under_load_lose_nothing_acknowledged_on_sqlite() {
    crash_loop(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_kills_under_load_lose_nothing_acknowledged_on_postgres() {
    crash_loop(Backend::Postgres).await;
}
