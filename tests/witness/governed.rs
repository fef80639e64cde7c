//! The witness policy is the members' decision: a proposal adopted by the
//! quorum replaces the policy the node was configured with, the node asks
//! the new witnesses and publishes by the new quorum, and keeps doing so
//! after a restart with its old configuration.

use std::time::{Duration, Instant};

use godown_domain::membership::governance::{
    Action, CastVote, OpenProposal, PolicyChange, PolicyText,
};
use godown_domain::{MembershipTx, RecordId, Text};
use godown_ledger::{Policy, Transaction};
use serde_json::{Value, json};

use super::consortium::{invite, node_dir, policy_text, until_final, witness};
use super::{WitnessProcess, get_text};
use crate::support::binary::{
    ORIGIN, ServerProcess, free_port, login, post_graphql, serve_command,
};
use crate::support::key;

const PROPOSAL: &str = "prop-policy-two-of-three";

/// A GraphQL mutation of `tx`, signed by `seed`.
pub(super) async fn signed(
    http: &reqwest::Client,
    base: &str,
    seed: u8,
    query: &str,
    mut variables: Value,
    tx: &MembershipTx,
) -> Value {
    let token = login(http, base, seed).await;
    let nonce = format!("governed-{seed}-{}", tx.tx_type());
    let signed = Transaction::new(ORIGIN, tx.tx_type(), &nonce, tx.body()).unwrap();
    variables["signature"] = json!({"key": key(seed).public_key().to_base64(), "nonce": nonce,
        "signature": key(seed).sign(&signed.signing_bytes()).to_base64()});
    let answer = post_graphql(
        http,
        base,
        &token,
        &json!({"query": query, "variables": variables}),
    )
    .await
    .unwrap();
    assert!(answer["errors"].is_null(), "{answer}");
    answer
}

/// The admins of `seeds` approve `proposal`, each for their organisation.
pub(super) async fn approve(http: &reqwest::Client, base: &str, proposal: &str, seeds: &[u8]) {
    for seed in seeds {
        let vote = MembershipTx::Vote(CastVote {
            proposal: RecordId::parse(proposal).unwrap(),
            approve: true,
        });
        signed(
            http,
            base,
            *seed,
            "mutation($input: VoteInput!, $signature: SignatureInput!) {
              voteOnProposal(input: $input, signature: $signature) { index } }",
            json!({"input": {"proposal": proposal, "approve": true}}),
            &vote,
        )
        .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_witness_policy_the_members_adopt_replaces_the_configured_one_and_outlives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let (data, _, log) = node_dir(dir.path(), 64);
    let witnesses: Vec<WitnessProcess> = (0..3).map(|i| witness(dir.path(), i, &log)).collect();
    // Configured: the first witness alone. Proposed: two of all three.
    let configured = format!(
        "log {log}\nwitness m0 {} {}\nquorum m0\n",
        witnesses[0].vkey, witnesses[0].server.base
    );
    let proposed = policy_text(
        &log,
        &witnesses,
        "group members 2 m0 m1 m2\nquorum members\n",
    );
    let policy_file = dir.path().join("configured.policy");
    std::fs::write(&policy_file, &configured).unwrap();
    let start = || {
        let port = free_port();
        let mut command = serve_command(&data, port);
        command.arg("--witness-policy").arg(&policy_file);
        ServerProcess::start(command, port)
    };
    let server = start();
    let http = crate::support::http_client();
    let base = server.base.clone();
    let (_, vkeys) = get_text(&http, &format!("{base}/vkeys")).await;
    assert!(!vkeys.contains(&witnesses[1].vkey.to_string()), "{vkeys}");

    // The operator proposes; bank-a and wh-a approve: three of four.
    let open = MembershipTx::Open(OpenProposal {
        proposal: RecordId::parse(PROPOSAL).unwrap(),
        action: Action::Policy(PolicyChange {
            policy: PolicyText::parse(&proposed).unwrap(),
        }),
        reason: Text::parse("two members must vouch").unwrap(),
        days: 7,
        documents: vec![],
    });
    signed(
        &http,
        &base,
        2,
        "mutation($input: ProposalInput!, $policy: String!, $signature: SignatureInput!) {
          proposeWitnessPolicy(input: $input, policy: $policy, signature: $signature) { index } }",
        json!({"input": {"proposal": PROPOSAL, "reason": "two members must vouch", "days": 7}, "policy": proposed}),
        &open,
    )
    .await;
    approve(&http, &base, PROPOSAL, &[10, 20]).await;

    // The node asks all three now, and publishes by two of them.
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let (_, vkeys) = get_text(&http, &format!("{base}/vkeys")).await;
        if witnesses
            .iter()
            .all(|w| vkeys.contains(&w.vkey.to_string()))
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the adopted policy was not put in force: {vkeys}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let token = login(&http, &base, 10).await;
    invite(&http, &base, &token, 0, 3).await;
    until_final(&http, &base).await;
    let (_, note) = get_text(&http, &format!("{base}/checkpoint")).await;
    let verified = Policy::parse(&proposed)
        .unwrap()
        .verify(note.as_bytes())
        .unwrap();
    assert!(verified.witnesses.len() >= 2, "{note}");
    server.stop();

    // Restarted with its old configuration, it keeps the members' policy.
    let server = start();
    let (_, vkeys) = get_text(&http, &format!("{}/vkeys", server.base)).await;
    assert!(
        witnesses
            .iter()
            .all(|w| vkeys.contains(&w.vkey.to_string())),
        "{vkeys}"
    );
    server.stop();
}
