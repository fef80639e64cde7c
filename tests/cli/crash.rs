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

async fn crash_then_verify(backend: Backend) {
    let pg = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => match TestDb::create().await {
            Some(db) => Some(db),
            None => return,
        },
    };
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut command = serve_command(dir.path(), port);
    if let Some(db) = &pg {
        command.env("DATABASE_URL", &db.url);
    }
    let server = ServerProcess::start(command, port);
    let http = crate::support::http_client();
    let token = login(&http, &server.base, 10).await;

    // Writers keep appending; the node is killed while they do.
    let acknowledged = Arc::new(std::sync::Mutex::new(Vec::new()));
    let writers: Vec<_> = (0..4)
        .map(|w| {
            tokio::spawn(write_until_refused(
                http.clone(),
                server.base.clone(),
                token.clone(),
                w,
                Arc::clone(&acknowledged),
            ))
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.crash();
    for writer in writers {
        let _ = writer.await;
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() > 10,
        "only {} appends before the crash",
        acknowledged.len()
    );

    let out = verify_database(dir.path(), pg.as_ref().map(|db| db.url.as_str()));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Every acknowledged append is there, byte for byte.
    let database = match &pg {
        Some(db) => godown_node::node::DatabaseConfig::Postgres(db.url.clone()),
        None => godown_node::node::DatabaseConfig::Sqlite(dir.path().join("godown.db")),
    };
    let db = match database {
        godown_node::node::DatabaseConfig::Postgres(url) => {
            godown_node::store::Database::open_postgres(&url)
                .await
                .unwrap()
        }
        godown_node::node::DatabaseConfig::Sqlite(path) => {
            godown_node::store::Database::open_sqlite(&path)
                .await
                .unwrap()
        }
    };
    for (index, hash) in acknowledged {
        let entry = godown_node::store::ledger::entry(db.conn(), index)
            .await
            .unwrap();
        assert_eq!(
            entry.map(|e| e.leaf_hash.to_base64()),
            Some(hash),
            "acknowledged entry {index} is missing"
        );
    }
    if let Some(db) = &pg {
        db.drop_now().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_mid_append_loses_nothing_acknowledged_on_sqlite() {
    crash_then_verify(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_mid_append_loses_nothing_acknowledged_on_postgres() {
    crash_then_verify(Backend::Postgres).await;
}
