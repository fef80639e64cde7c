//! The live feed over WebSocket.

use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;

use super::{INVITE, done, invite_input, invite_tx, server};
use crate::support::server::TestServer;

on_sqlite_and_postgres! {
    server;
    the_live_feed_carries_new_entries_with_payloads_only_for_their_parties => feed;
    the_live_feed_ends_once_its_key_is_revoked => revoked;
}

async fn subscribe(
    s: &TestServer,
    token: &str,
) -> tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>> {
    let mut request = format!("ws://{}/graphql", s.addr)
        .into_client_request()
        .unwrap();
    request.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("the WebSocket opens");
    ws.send(Message::text(
        json!({"type": "connection_init", "payload": {"token": token}}).to_string(),
    ))
    .await
    .unwrap();
    let ack = next_json(&mut ws).await;
    assert_eq!(ack["type"], "connection_ack", "{ack}");
    ws.send(Message::text(
        json!({"id": "1", "type": "subscribe", "payload": {"query": "subscription { entries { index visible type } }"}}).to_string(),
    ))
    .await
    .unwrap();
    ws
}

async fn next_json(
    ws: &mut tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
) -> Value {
    loop {
        let message = tokio::time::timeout(std::time::Duration::from_secs(10), ws.next())
            .await
            .expect("a message within 10 s")
            .expect("the stream is open")
            .expect("a frame");
        if let Message::Text(text) = message {
            return serde_json::from_str(&text).unwrap();
        }
    }
}

async fn feed(s: TestServer) {
    let bank = s.login(10).await;
    let warehouse = s.login(20).await;
    let mut for_bank = subscribe(&s, &bank).await;
    let mut for_warehouse = subscribe(&s, &warehouse).await;
    // Let both subscriptions reach the node before anything is appended.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let response = s
        .graphql(Some(&bank), INVITE, json!({"input": invite_input("bank-a", "bank-a.li"), "signature": s.sign(10, &invite_tx("bank-a", "bank-a.li"), "f1")}))
        .await;
    assert!(
        response["data"]["inviteUser"]["index"].is_number(),
        "{response}"
    );
    let seen = next_json(&mut for_bank).await;
    assert_eq!(seen["payload"]["data"]["entries"]["index"], 1, "{seen}");
    assert_eq!(seen["payload"]["data"]["entries"]["type"], "user.invite");
    let hidden = next_json(&mut for_warehouse).await;
    assert_eq!(hidden["payload"]["data"]["entries"]["index"], 1, "{hidden}");
    assert_eq!(hidden["payload"]["data"]["entries"]["visible"], false);
    assert!(hidden["payload"]["data"]["entries"]["type"].is_null());
    done(s).await;
}

async fn revoked(s: TestServer) {
    let token = s.login(10).await;
    crate::api::mutations::second_admin_key(&s, &token, 11).await;
    let mut ws = subscribe(&s, &token).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let other = s.login(11).await;
    let key = crate::support::key(10).public_key().to_base64();
    let revoke =
        godown_domain::MembershipTx::RevokeKey(godown_domain::membership::body::RevokeKey {
            key: godown_domain::MemberKey::parse(&key).unwrap(),
            reason: godown_domain::Text::parse("lost laptop").unwrap(),
        });
    let response = s
        .graphql(
            Some(&other),
            "mutation($input: RevokeKeyInput!, $signature: SignatureInput!) { revokeKey(input: $input, signature: $signature) { index } }",
            json!({"input": {"key": key, "reason": "lost laptop"}, "signature": s.sign(11, &revoke, "rv")}),
        )
        .await;
    assert!(
        response["data"]["revokeKey"]["index"].is_number(),
        "{response}"
    );
    // The feed carries nothing more to the revoked key's session: an error,
    // then the end of the subscription.
    let next = next_json(&mut ws).await;
    assert_eq!(
        next["payload"]["errors"][0]["extensions"]["code"], "KEY_NOT_ACTIVE",
        "{next}"
    );
    let end = next_json(&mut ws).await;
    assert_eq!(end["type"], "complete", "{end}");
    done(s).await;
}
