//! Several `godown serve` processes on one PostgreSQL keep one log.

use std::sync::Arc;

use crate::support::binary::{
    ServerProcess, free_port, invite_request, login, post_graphql, serve_command, verify_database,
};
use crate::support::postgres::TestDb;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_serve_processes_on_one_postgresql_append_to_one_log_without_a_fork() {
    let Some(db) = TestDb::create().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (port_a, port_b) = (free_port(), free_port());
    let mut first = serve_command(dir.path(), port_a);
    first.env("DATABASE_URL", &db.url);
    let a = ServerProcess::start(first, port_a);
    let mut second = serve_command(dir.path(), port_b);
    second.env("DATABASE_URL", &db.url);
    let b = ServerProcess::start(second, port_b);

    let http = crate::support::http_client();
    let bases = [a.base.clone(), b.base.clone()];
    let tokens = Arc::new([
        login(&http, &bases[0], 10).await,
        login(&http, &bases[1], 10).await,
    ]);
    let mut tasks = Vec::new();
    for i in 0..40 {
        let (http, base, tokens) = (http.clone(), bases[i % 2].clone(), Arc::clone(&tokens));
        tasks.push(tokio::spawn(async move {
            let body = invite_request(&format!("bank-a.p{i}"), &format!("p{i}"));
            let answer = post_graphql(&http, &base, &tokens[i % 2], &body)
                .await
                .unwrap();
            answer["data"]["inviteUser"]["index"]
                .as_u64()
                .unwrap_or_else(|| panic!("{answer}"))
        }));
    }
    let mut indexes = Vec::new();
    for task in tasks {
        indexes.push(task.await.unwrap());
    }
    indexes.sort_unstable();
    assert_eq!(
        indexes,
        (1..=40).collect::<Vec<u64>>(),
        "one log, no gaps, no duplicates"
    );
    // Both serve the same checkpoint, and the database replays cleanly.
    let checkpoint = |base: String| {
        let http = http.clone();
        async move {
            http.get(format!("{base}/checkpoint"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    let checkpoint_a = checkpoint(a.base.clone()).await;
    let checkpoint_b = checkpoint(b.base.clone()).await;
    assert_eq!(checkpoint_a, checkpoint_b);
    assert!(checkpoint_a.contains("\n41\n"), "{checkpoint_a}");
    a.stop();
    b.stop();
    let out = verify_database(dir.path(), Some(&db.url));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    db.drop_now().await;
}
