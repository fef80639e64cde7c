//! Rotating the session secret logs no one out at once: a token signed with
//! the secret before the rotation stays good after the node restarts, and
//! refreshes into one signed with the new secret; a second rotation ends
//! what the first one's secret signed.

use serde_json::{Value, json};

use crate::support::binary::{ServerProcess, free_port, login, post_graphql, serve_command};
use crate::{godown, stderr};

async fn me(http: &reqwest::Client, base: &str, token: &str) -> Value {
    post_graphql(
        http,
        base,
        token,
        &json!({"query": "{ me { user { id } } }"}),
    )
    .await
    .unwrap()
}

async fn refresh(http: &reqwest::Client, base: &str, token: &str) -> String {
    let answer: Value = http
        .post(format!("{base}/auth/refresh"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["token"].as_str().unwrap().to_owned()
}

fn rotate(data: &std::path::Path) {
    let out = godown(&["rotate-session-secret", "--data", data.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotated_session_secret_keeps_todays_sessions_and_a_second_rotation_ends_them() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("node");
    let start = || {
        let port = free_port();
        ServerProcess::start(serve_command(&data, port), port)
    };
    let http = crate::support::http_client();
    let server = start();
    let before = login(&http, &server.base, 10).await;
    assert!(me(&http, &server.base, &before).await["errors"].is_null());
    server.stop();

    rotate(&data);
    let server = start();
    let answer = me(&http, &server.base, &before).await;
    assert!(answer["errors"].is_null(), "still signed in: {answer}");
    let after = refresh(&http, &server.base, &before).await;
    assert!(me(&http, &server.base, &after).await["errors"].is_null());
    server.stop();

    rotate(&data);
    let server = start();
    let answer = me(&http, &server.base, &before).await;
    assert_eq!(
        answer["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "two rotations old: {answer}"
    );
    assert!(me(&http, &server.base, &after).await["errors"].is_null());
    server.stop();

    // Without a secret yet, there is nothing to rotate: said plainly.
    let empty = dir.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let out = godown(&["rotate-session-secret", "--data", empty.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no session secret yet"),
        "{}",
        stderr(&out)
    );
}
