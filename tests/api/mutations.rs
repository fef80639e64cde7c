//! Mutations: a typed input plus a detached signature by a key of the
//! signed-in user; every refusal has a code and writes nothing.

use godown_domain::Role;
use godown_node::store::ledger;
use serde_json::json;

use super::{GRANT, INVITE, done, grant_tx, invite_input, invite_tx, server};
use crate::support::server::{TestServer, error_code};

on_sqlite_and_postgres! {
    server;
    a_signed_mutation_lands_on_the_ledger => landing;
    a_mutation_is_refused_with_a_code_and_writes_nothing => refusing;
    a_foreign_origin_or_a_hidden_character_is_refused_for_what_it_is => refusing_what_hides;
    a_revoked_key_ends_its_sessions_and_signs_nothing => revoking;
}

async fn head(s: &TestServer) -> u64 {
    ledger::head(s.app.node.db().conn()).await.unwrap().0
}

async fn landing(s: TestServer) {
    let token = s.login(10).await;
    let nonce = s.nonce();
    let response = s
        .graphql(
            Some(&token),
            INVITE,
            json!({"input": invite_input("bank-a", "bank-a.li"), "signature": s.sign(10, &invite_tx("bank-a", "bank-a.li"), &nonce)}),
        )
        .await;
    assert_eq!(response["data"]["inviteUser"]["index"], 1, "{response}");
    assert_eq!(response["data"]["inviteUser"]["type"], "user.invite");
    let user = s
        .graphql(
            Some(&token),
            "{ user(id: \"bank-a.li\") { status roles } }",
            json!({}),
        )
        .await;
    assert_eq!(user["data"]["user"]["status"], "INVITED");
    // A signature that states this ledger's origin lands the same way.
    let mut signature = s.sign(10, &invite_tx("bank-a", "bank-a.wu"), &s.nonce());
    signature["origin"] = json!(s.app.node.origin());
    let response = s
        .graphql(
            Some(&token),
            INVITE,
            json!({"input": invite_input("bank-a", "bank-a.wu"), "signature": signature}),
        )
        .await;
    assert_eq!(response["data"]["inviteUser"]["index"], 2, "{response}");
    done(s).await;
}

async fn refusing(s: TestServer) {
    let token = s.login(10).await;
    let before = head(&s).await;
    let input = invite_input("bank-a", "bank-a.li");
    let tx = invite_tx("bank-a", "bank-a.li");
    let cases = [
        // Signed over other bytes than the input says.
        (
            "altered bytes",
            s.sign(10, &invite_tx("bank-a", "bank-a.other"), "n1"),
            "BAD_SIGNATURE",
        ),
        // Signed by a key of someone else.
        ("someone else's key", s.sign(20, &tx, "n2"), "WRONG_KEY"),
    ];
    for (what, signature, code) in cases {
        let response = s
            .graphql(
                Some(&token),
                INVITE,
                json!({"input": input, "signature": signature}),
            )
            .await;
        assert_eq!(error_code(&response), Some(code), "{what}: {response}");
    }
    // Without a session.
    let response = s
        .graphql(
            None,
            INVITE,
            json!({"input": input, "signature": s.sign(10, &tx, "n4")}),
        )
        .await;
    assert_eq!(error_code(&response), Some("UNAUTHENTICATED"));
    // A role the signer does not hold.
    let wh = s.login(20).await;
    let response = s
        .graphql(
            Some(&wh),
            INVITE,
            json!({"input": input, "signature": s.sign(20, &tx, "n5")}),
        )
        .await;
    assert_eq!(error_code(&response), Some("FORBIDDEN"), "{response}");
    // Malformed input.
    let response = s
        .graphql(
            Some(&token),
            INVITE,
            json!({"input": invite_input("Bank A", "x"), "signature": s.sign(10, &tx, "n6")}),
        )
        .await;
    assert_eq!(error_code(&response), Some("BAD_REQUEST"));
    assert_eq!(head(&s).await, before, "refusals wrote nothing");

    // A nonce is good once per key.
    let ok = s
        .graphql(
            Some(&token),
            INVITE,
            json!({"input": input, "signature": s.sign(10, &tx, "once")}),
        )
        .await;
    assert!(ok["data"]["inviteUser"]["index"].is_number(), "{ok}");
    let grant = grant_tx("bank-a.li", Role::Viewer);
    let response = s
        .graphql(Some(&token), GRANT, json!({"input": {"user": "bank-a.li", "role": "VIEWER"}, "signature": s.sign(10, &grant, "once")}))
        .await;
    assert_eq!(error_code(&response), Some("NONCE_REUSED"), "{response}");
    assert_eq!(head(&s).await, before + 1);
    done(s).await;
}

const REVOKE: &str = "mutation($input: RevokeKeyInput!, $signature: SignatureInput!) {
  revokeKey(input: $input, signature: $signature) { index }
}";

const ENROL: &str = "mutation($input: EnrolKeyInput!, $signature: SignatureInput!) {
  enrolKey(input: $input, signature: $signature) { index }
}";

const APPROVE: &str = "mutation($input: ApproveKeyInput!, $signature: SignatureInput!) {
  approveKey(input: $input, signature: $signature) { index }
}";

/// Enrols the key of `seed` for bank-a's admin and approves it with key 10.
pub(crate) async fn second_admin_key(s: &TestServer, token: &str, seed: u8) {
    use godown_domain::membership::body::{ApproveKey, EnrolKey};
    let user = godown_domain::UserId::parse("bank-a.admin").unwrap();
    let new_key = godown_domain::MemberKey(crate::support::key(seed).public_key());
    let enrol = godown_domain::MembershipTx::Enrol(EnrolKey {
        user: user.clone(),
        key: new_key,
        device: godown_domain::Text::parse("second laptop").unwrap(),
    });
    let response = s
        .graphql(
            Some(token),
            ENROL,
            json!({"input": {"user": "bank-a.admin", "key": new_key.to_string(), "device": "second laptop"}, "signature": s.sign(seed, &enrol, &s.nonce())}),
        )
        .await;
    assert!(
        response["data"]["enrolKey"]["index"].is_number(),
        "{response}"
    );
    let approve = godown_domain::MembershipTx::Approve(ApproveKey { user, key: new_key });
    let response = s
        .graphql(
            Some(token),
            APPROVE,
            json!({"input": {"user": "bank-a.admin", "key": new_key.to_string()}, "signature": s.sign(10, &approve, &s.nonce())}),
        )
        .await;
    assert!(
        response["data"]["approveKey"]["index"].is_number(),
        "{response}"
    );
}

async fn refusing_what_hides(s: TestServer) {
    let token = s.login(10).await;
    let before = head(&s).await;
    let input = invite_input("bank-a", "bank-a.li");
    let tx = invite_tx("bank-a", "bank-a.li");
    let foreign =
        godown_ledger::Transaction::new("other.example/ledger", "user.invite", "n3", tx.body())
            .unwrap();
    let signature = crate::support::key(10).sign(&foreign.signing_bytes());
    let mut foreign = json!({"key": crate::support::key(10).public_key().to_base64(), "nonce": "n3", "signature": signature.to_base64()});
    // Signed for another ledger: the node rebuilds the bytes with its own
    // origin, so the signature does not verify.
    let response = s
        .graphql(
            Some(&token),
            INVITE,
            json!({"input": input, "signature": foreign}),
        )
        .await;
    assert_eq!(error_code(&response), Some("BAD_SIGNATURE"), "{response}");
    // The same, saying which ledger it was signed for: refused for that,
    // before its signature is looked at.
    foreign["origin"] = json!("other.example/ledger");
    let response = s
        .graphql(
            Some(&token),
            INVITE,
            json!({"input": input, "signature": foreign}),
        )
        .await;
    assert_eq!(error_code(&response), Some("WRONG_ORIGIN"), "{response}");
    assert!(
        response["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("other.example/ledger"),
        "{response}"
    );
    // A name that would display otherwise than it reads: a right-to-left
    // override, refused with its position.
    let mut hidden = input.clone();
    hidden["name"] = json!("Li \u{202E}gnaW");
    let response = s
        .graphql(
            Some(&token),
            INVITE,
            json!({"input": hidden, "signature": s.sign(10, &tx, "n7")}),
        )
        .await;
    assert_eq!(error_code(&response), Some("BAD_REQUEST"), "{response}");
    assert!(
        response["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("U+202E at character 4"),
        "{response}"
    );
    assert_eq!(head(&s).await, before, "refusals wrote nothing");
    done(s).await;
}

async fn revoking(s: TestServer) {
    let token = s.login(10).await;
    let key = crate::support::key(10).public_key().to_base64();
    let revoke =
        godown_domain::MembershipTx::RevokeKey(godown_domain::membership::body::RevokeKey {
            key: godown_domain::MemberKey::parse(&key).unwrap(),
            reason: godown_domain::Text::parse("lost laptop").unwrap(),
        });
    let input = json!({"key": key, "reason": "lost laptop"});
    // The last admin key of an organisation stays.
    let response = s
        .graphql(
            Some(&token),
            REVOKE,
            json!({"input": input, "signature": s.sign(10, &revoke, "r0")}),
        )
        .await;
    assert_eq!(error_code(&response), Some("LAST_ADMIN"), "{response}");
    second_admin_key(&s, &token, 11).await;
    // The operator's admin may not revoke a bank's key.
    let operator = s.login(2).await;
    let response = s
        .graphql(
            Some(&operator),
            REVOKE,
            json!({"input": input, "signature": s.sign(2, &revoke, "r1")}),
        )
        .await;
    assert_eq!(error_code(&response), Some("FORBIDDEN"), "{response}");
    // The owner revokes it with the other key.
    let other = s.login(11).await;
    let response = s
        .graphql(
            Some(&other),
            REVOKE,
            json!({"input": input, "signature": s.sign(11, &revoke, "r2")}),
        )
        .await;
    assert!(
        response["data"]["revokeKey"]["index"].is_number(),
        "{response}"
    );
    // Sessions opened with the revoked key end; it cannot sign in again.
    let me = s.graphql(Some(&token), "{ me { key } }", json!({})).await;
    assert_eq!(error_code(&me), Some("KEY_NOT_ACTIVE"), "{me}");
    let (status, body) = s.try_login(10).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("KEY_NOT_ACTIVE"))
    );
    done(s).await;
}
