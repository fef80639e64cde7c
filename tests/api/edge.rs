//! The web edge: security headers on every answer, cross-origin access only
//! for the origins configured, limits per client address on sign-in and
//! uploads, deadlines on slow clients, GraphiQL only when asked for, and
//! few fields for a caller without a session.

use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use godown_mail::Mailer;
use godown_web::http::EdgeOptions;
use serde_json::json;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use super::done;
use crate::support::Backend;
use crate::support::server::{TestServer, error_code};

async fn serve(edge: EdgeOptions) -> TestServer {
    TestServer::start_with_edge(
        Backend::Sqlite,
        Mailer::Memory(Arc::new(Mutex::new(Vec::new()))),
        edge,
    )
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answer_carries_the_security_headers_and_a_policy_without_inline_script() {
    let s = serve(EdgeOptions::default()).await;
    let token = s.login(10).await;
    for (method, path, body) in [
        ("GET", "/healthz", None),
        ("GET", "/checkpoint", None),
        ("GET", "/no-such-route", None),
        ("POST", "/graphql", Some(json!({"query": "{ me { key } }"}))),
        ("POST", "/auth/login", Some(json!({"key": "x"}))),
    ] {
        let mut request = s
            .http
            .request(method.parse().unwrap(), format!("{}{path}", s.base))
            .bearer_auth(&token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let headers = response.headers();
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(header("referrer-policy"), "no-referrer", "{path}");
        assert_eq!(header("x-frame-options"), "DENY", "{path}");
        let csp = header("content-security-policy");
        assert!(csp.contains("script-src 'self';"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
    }
    done(s).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graphiql_is_served_only_when_asked_for_under_a_policy_of_its_own() {
    let s = serve(EdgeOptions::default()).await;
    let response = s
        .http
        .get(format!("{}/graphql", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 404);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "NOT_FOUND", "{body}");
    done(s).await;
    let s = serve(EdgeOptions {
        graphiql: true,
        ..EdgeOptions::default()
    })
    .await;
    let response = s
        .http
        .get(format!("{}/graphql", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("https://unpkg.com"), "{csp}");
    assert!(
        response
            .text()
            .await
            .unwrap()
            .to_lowercase()
            .contains("graphiql")
    );
    done(s).await;
}

/// A CORS preflight from `origin`; the `Access-Control-Allow-Origin` answered.
async fn preflight(s: &TestServer, origin: &str) -> Option<String> {
    let response = s
        .http
        .request(reqwest::Method::OPTIONS, format!("{}/graphql", s.base))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization, content-type",
        )
        .send()
        .await
        .unwrap();
    response
        .headers()
        .get("access-control-allow-origin")
        .map(|v| v.to_str().unwrap().to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_origin_may_call_from_a_browser_unless_it_is_configured() {
    let s = serve(EdgeOptions::default()).await;
    assert_eq!(preflight(&s, "https://bank.example").await, None);
    done(s).await;
    let s = serve(EdgeOptions {
        cors_origins: vec!["https://bank.example".parse().unwrap()],
        ..EdgeOptions::default()
    })
    .await;
    assert_eq!(
        preflight(&s, "https://bank.example").await.as_deref(),
        Some("https://bank.example")
    );
    assert_eq!(preflight(&s, "https://evil.example").await, None);
    done(s).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_challenges_and_uploads_are_limited_per_client_address() {
    let s = serve(EdgeOptions {
        signin_per_minute: NonZeroU32::new(2).unwrap(),
        uploads_per_minute: NonZeroU32::new(2).unwrap(),
        ..EdgeOptions::default()
    })
    .await;
    // A quota of two a minute allows one at once.
    let (status, _) = s.post("/auth/challenge", None, &json!({})).await;
    assert_eq!(status, 200);
    let response = s
        .http
        .post(format!("{}/auth/challenge", s.base))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 429);
    let retry: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "RATE_LIMITED", "{body}");
    // Signing in with a challenge already given is not limited, nor are
    // other routes.
    let (status, _) = s.get("/healthz", None).await;
    assert_eq!(status, 200);
    let (status, _) = s
        .post(
            "/auth/invitation",
            None,
            &json!({"token": "x", "key": "y", "signature": "z"}),
        )
        .await;
    assert_eq!(status, 429, "invitations share the sign-in limit");
    done(s).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_trickles_its_headers_or_its_body_is_cut_off() {
    let s = serve(EdgeOptions {
        request_timeout: Duration::from_secs(1),
        header_timeout: Duration::from_secs(1),
        ..EdgeOptions::default()
    })
    .await;
    // Headers never finished: the connection is closed.
    let mut stream = tokio::net::TcpStream::connect(s.addr).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer))
        .await
        .expect("the node closes the connection")
        .unwrap();
    assert!(started.elapsed() >= Duration::from_millis(900));
    assert!(!String::from_utf8_lossy(&answer).contains("200 OK"));
    // A body that never arrives: 408 with its code.
    let mut stream = tokio::net::TcpStream::connect(s.addr).await.unwrap();
    stream
        .write_all(
            b"POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"key\":",
        )
        .await
        .unwrap();
    let mut answer = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut answer))
        .await
        .expect("the node answers")
        .unwrap();
    let answer = String::from_utf8_lossy(&answer[..n]);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("\"TIMEOUT\""), "{answer}");
    done(s).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_caller_without_a_session_gets_a_few_fields_and_no_more() {
    let s = serve(EdgeOptions::default()).await;
    let ok = s
        .graphql(None, "{ ledger { origin size } }", json!({}))
        .await;
    assert!(ok["errors"].is_null(), "{ok}");
    let wide = " a0: ledger { origin } a1: ledger { origin } a2: ledger { origin } \
                a3: ledger { origin } a4: ledger { origin }";
    let refused = s.graphql(None, &format!("{{{wide} }}"), json!({})).await;
    assert_eq!(error_code(&refused), Some("BAD_REQUEST"), "{refused}");
    assert!(refused["data"].is_null(), "{refused}");
    let token = s.login(10).await;
    let allowed = s
        .graphql(Some(&token), &format!("{{{wide} }}"), json!({}))
        .await;
    assert!(allowed["errors"].is_null(), "{allowed}");
    done(s).await;
}
