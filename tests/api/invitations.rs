//! An invitation travels by real SMTP; the invitee makes a key, enrols it
//! with an invitation session, and signs in once an admin approves it.

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use godown_domain::membership::body::{ApproveKey, EnrolKey};
use godown_domain::{MemberKey, MembershipTx, Text, UserId};
use godown_mail::Mailer;
use serde_json::json;

use super::{INVITE, done, invite_input, invite_tx};
use crate::support::server::{TestServer, error_code};
use crate::support::{Backend, key, smtp};

async fn server(backend: Backend) -> Option<(TestServer, smtp::Inbox)> {
    let (url, inbox) = smtp::start().await;
    let mailer = Mailer::smtp(&url).expect("an SMTP mailer");
    let server = TestServer::start_with(backend, mailer).await?;
    Some((server, inbox))
}

on_sqlite_and_postgres! {
    server;
    an_invited_user_enrols_a_key_from_the_emailed_link_and_signs_in_once_approved => invitation;
}

/// The invitation link's token, from the raw message.
fn token_from(raw: &str) -> String {
    // The body is base64; decode each base64 block and look for the link.
    let decoded: String = raw
        .split("\n\n")
        .map(|block| {
            block
                .lines()
                .take_while(|line| !line.starts_with("--"))
                .map(str::trim)
                .collect::<String>()
        })
        .filter_map(|block| STANDARD.decode(block).ok())
        .filter_map(|bytes| String::from_utf8(bytes).ok())
        .collect();
    let start = decoded
        .find("invitation=")
        .expect("the message carries the link")
        + "invitation=".len();
    decoded[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

async fn invitation((s, inbox): (TestServer, smtp::Inbox)) {
    let admin = s.login(10).await;
    let response = s
        .graphql(
            Some(&admin),
            INVITE,
            json!({"input": invite_input("bank-a", "bank-a.zhang"), "email": "zhang@bank-a.example", "signature": s.sign(10, &invite_tx("bank-a", "bank-a.zhang"), "i1")}),
        )
        .await;
    assert!(
        response["data"]["inviteUser"]["index"].is_number(),
        "{response}"
    );

    let mut raw = None;
    for _ in 0..100 {
        if let Some(message) = inbox.lock().unwrap().first().cloned() {
            raw = Some(message);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let raw = raw.expect("the invitation arrives by SMTP");
    assert!(raw.contains("To: zhang@bank-a.example"), "{raw}");
    let entries = s
        .graphql(
            Some(&admin),
            "{ entries(last: 1) { nodes { entry } } }",
            json!({}),
        )
        .await;
    assert!(
        !entries.to_string().contains("zhang@bank-a.example"),
        "the address stays off the ledger"
    );
    let token = token_from(&raw);

    // The invitee's browser makes a key and opens an enrolment session.
    let new_key = key(40);
    let message = format!("godown-invitation/v1\n{}\n{token}", s.app.node.origin());
    let body = json!({"token": token, "key": new_key.public_key().to_base64(), "signature": new_key.sign(message.as_bytes()).to_base64()});
    let (status, session) = s.post("/auth/invitation", None, &body).await;
    assert_eq!(status, 200, "{session}");
    assert_eq!(session["scope"], "enrol");
    let enrolling = session["token"].as_str().unwrap().to_owned();
    let (status, _) = s.post("/auth/invitation", None, &body).await;
    assert_eq!(status, 401, "an invitation opens one session");

    // That session enrols its key and nothing else.
    let user = UserId::parse("bank-a.zhang").unwrap();
    let member_key = MemberKey(new_key.public_key());
    let enrol = MembershipTx::Enrol(EnrolKey {
        user: user.clone(),
        key: member_key,
        device: Text::parse("laptop").unwrap(),
    });
    let other = s
        .graphql(Some(&enrolling), INVITE, json!({"input": invite_input("bank-a", "bank-a.x"), "signature": s.sign(40, &invite_tx("bank-a", "bank-a.x"), "e0")}))
        .await;
    assert_eq!(error_code(&other), Some("FORBIDDEN"), "{other}");
    let enrolled = s
        .graphql(
            Some(&enrolling),
            "mutation($input: EnrolKeyInput!, $signature: SignatureInput!) { enrolKey(input: $input, signature: $signature) { index } }",
            json!({"input": {"user": "bank-a.zhang", "key": member_key.to_string(), "device": "laptop"}, "signature": s.sign(40, &enrol, "e1")}),
        )
        .await;
    assert!(
        enrolled["data"]["enrolKey"]["index"].is_number(),
        "{enrolled}"
    );
    let (status, _) = s.try_login(40).await;
    assert_eq!(status, 403, "a pending key does not sign in");

    let approve = MembershipTx::Approve(ApproveKey {
        user,
        key: member_key,
    });
    let approved = s
        .graphql(
            Some(&admin),
            "mutation($input: ApproveKeyInput!, $signature: SignatureInput!) { approveKey(input: $input, signature: $signature) { index } }",
            json!({"input": {"user": "bank-a.zhang", "key": member_key.to_string()}, "signature": s.sign(10, &approve, "a1")}),
        )
        .await;
    assert!(
        approved["data"]["approveKey"]["index"].is_number(),
        "{approved}"
    );
    let token = s.login(40).await;
    let me = s
        .graphql(
            Some(&token),
            "{ me { user { id status } scope } }",
            json!({}),
        )
        .await;
    assert_eq!(me["data"]["me"]["user"]["status"], "ACTIVE", "{me}");
    done(s).await;
}
