//! Every GraphQL error carries a stable code, and the limits hold.

use serde_json::json;

use super::{done, server};
use crate::support::server::{TestServer, error_code};

on_sqlite_and_postgres! {
    server;
    graphql_errors_of_every_kind_carry_a_code => codes;
    deep_complex_or_large_requests_are_refused => limits;
    what_the_http_stack_refuses_is_json_with_a_code_too => stack_errors;
}

async fn codes(s: TestServer) {
    let token = s.login(10).await;
    for (query, code) in [
        ("{ nope }", "BAD_REQUEST"),
        ("{ me { ", "BAD_REQUEST"),
        ("{ entry(index: -1) { index } }", "BAD_REQUEST"),
        ("{ proof(index: 999) { index } }", "NOT_FOUND"),
        ("{ consistency(old: 5, new: 2) }", "BAD_REQUEST"),
        ("{ user(id: \"wh-a.admin\") { id } }", "FORBIDDEN"),
    ] {
        let response = s.graphql(Some(&token), query, json!({})).await;
        assert_eq!(error_code(&response), Some(code), "{query}: {response}");
    }
    done(s).await;
}

async fn limits(s: TestServer) {
    let token = s.login(10).await;
    // Deeper than the limit.
    let deep = "{ organisations { members { keys { user } } } }";
    let ok = s.graphql(Some(&token), deep, json!({})).await;
    assert!(
        ok["errors"].is_null() || error_code(&ok) == Some("FORBIDDEN"),
        "{ok}"
    );
    let mut nested = String::from(
        "{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } }",
    );
    nested.push(' ');
    let response = s.graphql(Some(&token), &nested, json!({})).await;
    assert_eq!(error_code(&response), Some("BAD_REQUEST"), "{response}");
    // Too complex: many aliases of a list.
    let mut wide = String::new();
    for i in 0..400 {
        std::fmt::Write::write_fmt(
            &mut wide,
            format_args!(" a{i}: organisations {{ id name }}"),
        )
        .unwrap();
    }
    let response = s
        .graphql(Some(&token), &format!("{{{wide} }}"), json!({}))
        .await;
    assert_eq!(error_code(&response), Some("BAD_REQUEST"), "{response}");
    // Too large a body.
    let huge = "x".repeat(godown_web::http::MAX_BODY_BYTES + 1);
    let response = s
        .http
        .post(format!("{}/graphql", s.base))
        .header("content-type", "application/json")
        .body(json!({"query": huge}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 413);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "TOO_LARGE", "{body}");
    done(s).await;
}

/// A request the HTTP stack refuses, and what it must answer.
struct Refused {
    method: reqwest::Method,
    path: &'static str,
    content_type: Option<&'static str>,
    body: &'static str,
    status: u16,
    code: &'static str,
}

/// What the HTTP stack itself refuses (a body that does not parse or is too
/// large, a missing content type, an unknown route or method) answers the
/// same `{"error": {"code", "message"}}` as everything else, with its
/// status; the C2SP routes keep their one plain-text line.
async fn stack_errors(s: TestServer) {
    use reqwest::Method;
    let json = Some("application/json");
    let refused = |method, path, content_type, body, status, code| Refused {
        method,
        path,
        content_type,
        body,
        status,
        code,
    };
    for case in [
        refused(
            Method::POST,
            "/auth/login",
            json,
            "{not json",
            400,
            "BAD_REQUEST",
        ),
        refused(
            Method::POST,
            "/auth/login",
            json,
            "{\"key\": 1}",
            422,
            "BAD_REQUEST",
        ),
        refused(Method::POST, "/auth/login", None, "{}", 415, "BAD_REQUEST"),
        refused(
            Method::POST,
            "/auth/invitation",
            json,
            "[",
            400,
            "BAD_REQUEST",
        ),
        refused(
            Method::POST,
            "/graphql",
            json,
            "{\"query\": ",
            400,
            "BAD_REQUEST",
        ),
        refused(Method::DELETE, "/graphql", None, "", 405, "BAD_REQUEST"),
        refused(Method::GET, "/no/such/route", None, "", 404, "NOT_FOUND"),
    ] {
        answers_json_error(&s, &case).await;
    }
    // A body announced as larger than a route takes is refused before it
    // is sent: asked over a bare connection, since a client still sending
    // would meet a closed socket.
    let token = s.login(10).await;
    for (path, limit) in [
        ("/auth/login", godown_web::http::MAX_BODY_BYTES),
        (
            "/documents",
            godown_web::http::documents::MAX_DOCUMENT_BYTES,
        ),
    ] {
        let (status, body) = announce_body(&s, path, &token, limit + 1).await;
        assert_eq!(status, 413, "{path}: {body}");
        let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(answer["error"]["code"], "TOO_LARGE", "{path}: {answer}");
    }
    // A C2SP route's refusal stays one plain line.
    let (status, text) = s.get("/consistency/5/2", None).await;
    assert_eq!(status, 400);
    assert!(!text.starts_with('{'), "{text}");
    done(s).await;
}

async fn answers_json_error(s: &TestServer, case: &Refused) {
    let Refused { method, path, .. } = case;
    let mut request = s
        .http
        .request(method.clone(), format!("{}{path}", s.base))
        .body(case.body);
    if let Some(content_type) = case.content_type {
        request = request.header("content-type", content_type);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status().as_u16(), case.status, "{method} {path}");
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json"),
        "{method} {path}"
    );
    let answer: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        answer["error"]["code"], case.code,
        "{method} {path}: {answer}"
    );
    assert!(
        !answer["error"]["message"].as_str().unwrap().is_empty(),
        "{method} {path}: {answer}"
    );
}

/// Sends only the head of a POST announcing `length` bytes, and reads the
/// answer: its status and body.
async fn announce_body(s: &TestServer, path: &str, token: &str, length: usize) -> (u16, String) {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut stream = tokio::net::TcpStream::connect(s.addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n",
        s.addr
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}
