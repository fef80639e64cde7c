//! Signing in with a key, and what a session allows.

use serde_json::json;

use super::{done, server};
use crate::support::key;
use crate::support::server::{TestServer, error_code};

on_sqlite_and_postgres! {
    server;
    a_signed_challenge_opens_a_session_that_reads_need => signing_in;
    a_challenge_opens_one_session_only => one_use;
    a_login_is_refused_for_a_bad_signature_an_unknown_key_or_malformed_input => refusals;
    an_expired_or_forged_token_is_refused => forged_tokens;
    a_token_refreshes_while_its_key_stays_active => refreshing;
}

const ME: &str = "{ me { user { id roles } organisation { id kind } scope key } }";

async fn signing_in(s: TestServer) {
    let anonymous = s.graphql(None, ME, json!({})).await;
    assert_eq!(error_code(&anonymous), Some("UNAUTHENTICATED"));
    let token = s.login(10).await;
    let me = s.graphql(Some(&token), ME, json!({})).await;
    assert_eq!(me["data"]["me"]["user"]["id"], "bank-a.admin", "{me}");
    assert_eq!(me["data"]["me"]["organisation"]["kind"], "BANK");
    assert_eq!(me["data"]["me"]["scope"], "full");
    // The ledger's identity needs no session.
    let ledger = s
        .graphql(None, "{ ledger { origin logVkey size demo } }", json!({}))
        .await;
    assert_eq!(
        ledger["data"]["ledger"]["origin"],
        "test.godown.example/ledger"
    );
    assert_eq!(ledger["data"]["ledger"]["demo"], false);
    done(s).await;
}

async fn one_use(s: TestServer) {
    let (_, challenge) = s.post("/auth/challenge", None, &json!({})).await;
    let challenge = challenge["challenge"].as_str().unwrap().to_owned();
    let message = format!("godown-login/v1\n{}\n{challenge}", s.app.node.origin());
    let body = json!({
        "key": key(10).public_key().to_base64(),
        "challenge": challenge,
        "signature": key(10).sign(message.as_bytes()).to_base64(),
    });
    assert_eq!(s.post("/auth/login", None, &body).await.0, 200);
    let (status, again) = s.post("/auth/login", None, &body).await;
    assert_eq!(status, 401);
    assert_eq!(again["error"]["code"], "UNAUTHENTICATED");
    done(s).await;
}

async fn refusals(s: TestServer) {
    let (_, challenge) = s.post("/auth/challenge", None, &json!({})).await;
    let challenge = challenge["challenge"].as_str().unwrap().to_owned();
    let message = format!("godown-login/v1\n{}\n{challenge}", s.app.node.origin());
    // Signed by another key than the one named.
    let (status, body) = s
        .post(
            "/auth/login",
            None,
            &json!({"key": key(10).public_key().to_base64(), "challenge": challenge, "signature": key(20).sign(message.as_bytes()).to_base64()}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (401, Some("BAD_SIGNATURE"))
    );
    // A key that is not enrolled.
    let (status, body) = s.try_login(99).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("KEY_NOT_ACTIVE"))
    );
    // Malformed input.
    let (status, body) = s
        .post(
            "/auth/login",
            None,
            &json!({"key": "not base64", "challenge": "x", "signature": "y"}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("BAD_REQUEST"))
    );
    let (status, _) = s.post("/auth/login", None, &json!({"key": 1})).await;
    assert!(status == 400 || status == 422, "{status}");
    done(s).await;
}

async fn forged_tokens(s: TestServer) {
    let token = s.login(10).await;
    // Another secret signs the same claims.
    let claims: serde_json::Value = {
        use base64::Engine as _;
        let payload = token.split('.').nth(1).unwrap();
        serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(payload)
                .unwrap(),
        )
        .unwrap()
    };
    let forged = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(b"not the node's secret, not at all"),
    )
    .unwrap();
    let me = s.graphql(Some(&forged), ME, json!({})).await;
    assert_eq!(error_code(&me), Some("UNAUTHENTICATED"));
    // The node's own secret, but expired.
    let mut expired = claims.clone();
    expired["exp"] = json!(claims["iat"].as_i64().unwrap() - 10);
    let secret = std::fs::read(s.app.data_dir().join("session.secret")).unwrap();
    let expired = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &expired,
        &jsonwebtoken::EncodingKey::from_secret(&secret),
    )
    .unwrap();
    let me = s.graphql(Some(&expired), ME, json!({})).await;
    assert_eq!(error_code(&me), Some("UNAUTHENTICATED"));
    assert!(
        me["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("expired")
    );
    done(s).await;
}

async fn refreshing(s: TestServer) {
    let token = s.login(10).await;
    let (status, body) = s.post("/auth/refresh", Some(&token), &json!({})).await;
    assert_eq!(status, 200, "{body}");
    let fresh = body["token"].as_str().unwrap();
    let me = s.graphql(Some(fresh), ME, json!({})).await;
    assert_eq!(me["data"]["me"]["user"]["id"], "bank-a.admin");
    let (status, _) = s.post("/auth/refresh", Some("garbage"), &json!({})).await;
    assert_eq!(status, 401);
    done(s).await;
}
