//! `godown tx sign`: a bank system signs with its PEM key; the node accepts
//! the signature for the same typed input.

use serde_json::{Value, json};

use crate::api::INVITE;
use crate::support::Backend;
use crate::support::server::TestServer;
use crate::{godown, stderr};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transaction_signed_on_the_command_line_is_accepted_by_the_node() {
    let s = TestServer::start(Backend::Sqlite).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let pem = dir.path().join("bank.pem");
    std::fs::write(&pem, crate::support::key(10).to_pkcs8_pem().unwrap()).unwrap();
    let body =
        json!({"org": "bank-a", "user": "bank-a.cli", "name": "bank-a.cli", "roles": ["officer"]})
            .to_string();
    let run = godown(&[
        "tx",
        "sign",
        "--key",
        pem.to_str().unwrap(),
        "--origin",
        s.app.node.origin(),
        "--type",
        "user.invite",
        "--body",
        &body,
        "--nonce",
        "cli-1",
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    let signed: Value = serde_json::from_slice(&run.stdout).unwrap();
    let token = s.login(10).await;
    let response = s
        .graphql(
            Some(&token),
            INVITE,
            json!({
                "input": {"org": "bank-a", "user": "bank-a.cli", "name": "bank-a.cli", "roles": ["OFFICER"]},
                "signature": {"key": signed["key"], "nonce": signed["nonce"], "signature": signed["signature"]},
            }),
        )
        .await;
    assert!(
        response["data"]["inviteUser"]["index"].is_number(),
        "{response}"
    );
}

#[test]
fn a_body_the_contract_would_refuse_is_refused_before_signing() {
    let dir = tempfile::tempdir().unwrap();
    let pem = dir.path().join("k.pem");
    std::fs::write(&pem, crate::support::key(10).to_pkcs8_pem().unwrap()).unwrap();
    for (body, code) in [
        (
            r#"{"org":"bank-a","user":"x.y","name":"n","roles":["officer"],"extra":1}"#,
            "BAD_REQUEST",
        ),
        (r#"{"amount":1.5}"#, "FLOAT_NUMBER"),
        ("not json", "MALFORMED_JSON"),
    ] {
        let run = godown(&[
            "tx",
            "sign",
            "--key",
            pem.to_str().unwrap(),
            "--origin",
            "o",
            "--type",
            "user.invite",
            "--body",
            body,
        ]);
        assert_eq!(run.status.code(), Some(1), "{body}");
        assert!(stderr(&run).contains(code), "{body}: {}", stderr(&run));
    }
}
