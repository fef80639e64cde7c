//! Every GraphQL error carries a stable code, and the limits hold.

use serde_json::json;

use super::{done, server};
use crate::support::server::{TestServer, error_code};

on_sqlite_and_postgres! {
    server;
    graphql_errors_of_every_kind_carry_a_code => codes;
    deep_complex_or_large_requests_are_refused => limits;
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
    done(s).await;
}
