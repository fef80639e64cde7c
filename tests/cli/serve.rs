//! `godown serve` as a process: bad configuration ends start-up with one
//! clear sentence, spans reach an OTLP collector, and a crash loses
//! nothing acknowledged.

use std::process::Command;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::routing::post;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use prost::Message as _;

use crate::support::binary::{
    ServerProcess, free_port, invite_request, login, post_graphql, serve_command,
    serve_command_without_mail,
};
use crate::{godown, stderr};

/// Runs `command`, which must fail at start; returns its one-line error.
fn start_failure(mut command: Command) -> String {
    let out = command.output().expect("godown runs");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "not one line: {err}");
    lines[0].to_owned()
}

#[test]
fn a_port_in_use_ends_start_up_with_one_clear_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let line = start_failure(serve_command(dir.path(), port));
    assert!(
        line.contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{line}"
    );
}

#[test]
fn an_unreachable_database_ends_start_up_with_one_clear_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let mut command = serve_command(dir.path(), free_port());
    command.env("DATABASE_URL", "postgres://postgres@127.0.0.1:1/nothing");
    let line = start_failure(command);
    assert!(
        line.contains("cannot connect to the PostgreSQL database"),
        "{line}"
    );
}

#[test]
fn a_database_url_of_another_kind_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut command = serve_command(dir.path(), free_port());
    command.env("DATABASE_URL", "mysql://root@127.0.0.1/godown");
    let line = start_failure(command);
    assert!(line.contains("names neither PostgreSQL"), "{line}");
}

#[test]
fn an_unreadable_key_ends_start_up_with_one_clear_sentence() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("log.pem"), "this is not a key").unwrap();
    let line = start_failure(serve_command(dir.path(), free_port()));
    assert!(line.contains("log.pem is unreadable as a key"), "{line}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_without_smtp_writes_its_mail_as_eml_files_under_its_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let server = ServerProcess::start(serve_command_without_mail(dir.path(), port), port);
    let http = crate::support::http_client();
    let token = login(&http, &server.base, 10).await;
    let mut request = invite_request("bank-a.mail", "mail-1");
    request["variables"]["email"] = serde_json::json!("mail@bank-a.example");
    let answer = post_graphql(&http, &server.base, &token, &request)
        .await
        .unwrap();
    assert!(answer["errors"].is_null(), "{answer}");
    let mail = dir.path().join("mail");
    let mut found = None;
    for _ in 0..100 {
        if let Ok(mut entries) = std::fs::read_dir(&mail)
            && let Some(Ok(entry)) = entries.next()
        {
            found = Some(std::fs::read_to_string(entry.path()).unwrap());
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let message = found.expect("an .eml file under the data directory's mail/");
    assert!(message.contains("To: mail@bank-a.example"), "{message}");
    server.stop();
}

#[test]
fn every_command_has_help_with_an_example() {
    for cmd in ["serve", "demo", "export", "verify", "keygen"] {
        let run = godown(&[cmd, "--help"]);
        assert!(run.status.success(), "{cmd}");
        let help = String::from_utf8_lossy(&run.stdout);
        assert!(help.contains("Example"), "{cmd}: {help}");
    }
    let run = godown(&["tx", "sign", "--help"]);
    assert!(String::from_utf8_lossy(&run.stdout).contains("Example"));
}

/// Receives OTLP/HTTP trace exports.
async fn collector() -> (u16, Arc<Mutex<Vec<ExportTraceServiceRequest>>>) {
    let received = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&received);
    let app = Router::new().route(
        "/v1/traces",
        post(move |body: Bytes| {
            let sink = Arc::clone(&sink);
            async move {
                if let Ok(request) = ExportTraceServiceRequest::decode(body) {
                    sink.lock().unwrap().push(request);
                }
                ""
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (port, received)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_and_appends_are_exported_as_spans_over_otlp() {
    let (collector_port, received) = collector().await;
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut command = serve_command(dir.path(), port);
    command
        .env(
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            format!("http://127.0.0.1:{collector_port}"),
        )
        .env("RUST_LOG", "info");
    let server = ServerProcess::start(command, port);
    let client = crate::support::http_client();
    let health = client
        .get(format!("{}/healthz", server.base))
        .send()
        .await
        .unwrap();
    assert!(health.status().is_success());
    let status = tokio::task::spawn_blocking(move || server.stop())
        .await
        .unwrap();
    assert!(status.success(), "{status}");
    let names: Vec<String> = received
        .lock()
        .unwrap()
        .iter()
        .flat_map(|r| &r.resource_spans)
        .flat_map(|r| &r.scope_spans)
        .flat_map(|s| &s.spans)
        .map(|s| s.name.clone())
        .collect();
    assert!(names.iter().any(|n| n == "request"), "{names:?}");
    // Founding the ledger appended its genesis entry.
    assert!(names.iter().any(|n| n == "append"), "{names:?}");
    let _ = stderr;
}
