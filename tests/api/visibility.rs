//! Who sees what, through GraphQL.

use serde_json::json;

use super::{INVITE, done, invite_input, invite_tx, server};
use crate::support::server::{TestServer, error_code};

on_sqlite_and_postgres! {
    server;
    members_see_payloads_of_their_entries_and_everyone_sees_leaf_hashes => payloads;
    members_of_an_organisation_are_visible_to_it_the_operator_and_the_regulator => directory;
}

const ENTRIES: &str = "{ entries(last: 10) { edges { cursor node { index leafHash visible type signer entry } } pageInfo { hasPreviousPage hasNextPage } } }";

async fn payloads(s: TestServer) {
    let bank = s.login(10).await;
    let invite = s
        .graphql(
            Some(&bank),
            INVITE,
            json!({"input": invite_input("bank-a", "bank-a.li"), "signature": s.sign(10, &invite_tx("bank-a", "bank-a.li"), "v1")}),
        )
        .await;
    assert_eq!(invite["data"]["inviteUser"]["index"], 1, "{invite}");
    let seen = |response: &serde_json::Value, index: usize| {
        response["data"]["entries"]["edges"][index]["node"].clone()
    };

    let for_bank = s.graphql(Some(&bank), ENTRIES, json!({})).await;
    assert_eq!(seen(&for_bank, 1)["visible"], true, "{for_bank}");
    assert_eq!(seen(&for_bank, 1)["type"], "user.invite");

    let warehouse = s.login(20).await;
    let for_warehouse = s.graphql(Some(&warehouse), ENTRIES, json!({})).await;
    let node = seen(&for_warehouse, 1);
    assert_eq!(node["visible"], false);
    assert!(node["type"].is_null() && node["entry"].is_null() && node["signer"].is_null());
    assert_eq!(
        node["leafHash"],
        seen(&for_bank, 1)["leafHash"],
        "everyone sees the leaf hash"
    );

    let regulator = s.login(30).await;
    let for_regulator = s.graphql(Some(&regulator), ENTRIES, json!({})).await;
    assert_eq!(seen(&for_regulator, 1)["visible"], true);

    // The genesis names every founder, so every founder sees it.
    assert_eq!(seen(&for_warehouse, 0)["visible"], true);

    let proof = s
        .graphql(Some(&warehouse), "{ proof(index: 1) { index } }", json!({}))
        .await;
    assert_eq!(error_code(&proof), Some("FORBIDDEN"));
    done(s).await;
}

async fn directory(s: TestServer) {
    const MEMBERS: &str =
        "query($id: String!) { organisation(id: $id) { id members { id keys { status } } } }";
    let warehouse = s.login(20).await;
    let own = s
        .graphql(Some(&warehouse), MEMBERS, json!({"id": "wh-a"}))
        .await;
    assert_eq!(
        own["data"]["organisation"]["members"][0]["id"], "wh-a.admin",
        "{own}"
    );
    let other = s
        .graphql(Some(&warehouse), MEMBERS, json!({"id": "bank-a"}))
        .await;
    assert_eq!(error_code(&other), Some("FORBIDDEN"), "{other}");
    for seed in [2, 30] {
        let token = s.login(seed).await;
        let seen = s
            .graphql(Some(&token), MEMBERS, json!({"id": "bank-a"}))
            .await;
        assert_eq!(
            seen["data"]["organisation"]["members"][0]["id"], "bank-a.admin",
            "{seen}"
        );
    }
    let orgs = s
        .graphql(
            Some(&warehouse),
            "{ organisations { id kind status } }",
            json!({}),
        )
        .await;
    assert_eq!(orgs["data"]["organisations"].as_array().unwrap().len(), 4);
    done(s).await;
}
