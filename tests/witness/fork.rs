//! A fork: with the witnesses running, the node's database is rewritten
//! behind its back by a test-only tool (an entry the operator signed is
//! altered and the tree re-signed with the log key), as an operator holding
//! the database and the log key could. Every witness refuses the next
//! checkpoint, keeps the evidence and raises its alarm, and the node
//! publishes nothing of the rewritten history as final.

use std::path::Path;
use std::time::{Duration, Instant};

use godown_domain::{MembershipTx, Tx};
use godown_ledger::tree::append;
use godown_ledger::{Checkpoint, Entry, NoteSigner, PrivateKey, Transaction};
use godown_node::store::nodes::DbNodes;
use godown_node::store::{Database, ledger};
use sea_orm::{ConnectionTrait as _, DbBackend, Statement};
use serde_json::{Map, Value, json};

use super::consortium::{
    invite, node_dir, policy_text, serve_with_policy, sizes, until_final, witness,
};
use super::{WitnessProcess, get_text};
use crate::support::binary::{ORIGIN, login, post_graphql};
use crate::support::key;

/// The operator admin's seed in the test consortium.
const OPERATOR: u8 = 2;

fn operator_invite(user: &str) -> MembershipTx {
    crate::api::invite_tx("operator", user)
}

/// The operator's admin invites `user` through the API.
async fn invite_as_operator(http: &reqwest::Client, base: &str, user: &str) {
    let token = login(http, base, OPERATOR).await;
    let tx = operator_invite(user);
    let nonce = format!("operator-{user}");
    let signed = Transaction::new(ORIGIN, "user.invite", &nonce, tx.body()).unwrap();
    let signature = json!({"key": key(OPERATOR).public_key().to_base64(), "nonce": nonce,
        "signature": key(OPERATOR).sign(&signed.signing_bytes()).to_base64()});
    let request = json!({"query": crate::api::INVITE, "variables": {
        "input": crate::api::invite_input("operator", user), "signature": signature}});
    let answer = post_graphql(http, base, &token, &request).await.unwrap();
    assert!(answer["errors"].is_null(), "{answer}");
}

/// The test-only tool. Replaces entry `index` with another transaction the
/// same key signs (at the same sequencing time), rebuilds every tree node
/// from the entries, moves the head, and re-signs the newest checkpoint
/// with the log key. The rewritten database is consistent in itself: only
/// someone who kept an earlier checkpoint can tell.
async fn rewrite_history(data: &Path, index: u64, signer: u8, tx: &Tx, log_key: &PrivateKey) {
    let db = Database::open_sqlite(&data.join("godown.db"))
        .await
        .unwrap();
    let conn = db.conn();
    let (size, _) = ledger::head(conn).await.unwrap();
    let old = ledger::entry(conn, index).await.unwrap().unwrap();
    let time = Entry::parse(&old.leaf).unwrap().time().unwrap().to_owned();
    let forged = Transaction::new(ORIGIN, tx.tx_type(), "forged-1", tx.body()).unwrap();
    let signature = key(signer).sign(&forged.signing_bytes());
    let mut extra = Map::new();
    extra.insert("time".into(), Value::String(time));
    let entry = Entry::new(&forged, signature, key(signer).public_key(), extra).unwrap();
    let sql = |text: &str, values: Vec<sea_orm::Value>| {
        Statement::from_sql_and_values(DbBackend::Sqlite, text, values)
    };
    conn.execute_raw(sql(
        "UPDATE entries SET leaf = ?, leaf_hash = ?, tx_type = ?, nonce = ? WHERE idx = ?",
        vec![
            entry.bytes().to_vec().into(),
            entry.leaf_hash().0.to_vec().into(),
            tx.tx_type().into(),
            "forged-1".into(),
            i64::try_from(index).unwrap().into(),
        ],
    ))
    .await
    .unwrap();
    conn.execute_unprepared("DELETE FROM tree_nodes")
        .await
        .unwrap();
    let leaves: Vec<_> = ledger::entries_between(conn, 0, size)
        .await
        .unwrap()
        .iter()
        .map(|e| e.leaf_hash)
        .collect();
    let head = append(&mut DbNodes::new(conn), 0, &leaves).await.unwrap();
    ledger::set_head(conn, head.size, &head.root).await.unwrap();
    let signer = NoteSigner::log(ORIGIN, log_key.clone()).unwrap();
    let note = Checkpoint {
        origin: ORIGIN.to_owned(),
        size: head.size,
        root: head.root,
        extensions: vec![],
    }
    .sign(&signer)
    .unwrap();
    conn.execute_raw(sql(
        "UPDATE checkpoints SET root = ?, note = ? WHERE size = ?",
        vec![
            head.root.0.to_vec().into(),
            note.into(),
            i64::try_from(head.size).unwrap().into(),
        ],
    ))
    .await
    .unwrap();
}

async fn witness_metric(http: &reqwest::Client, w: &WitnessProcess, name: &str) -> u64 {
    let (_, metrics) = get_text(http, &format!("{}/metrics", w.server.base)).await;
    let value = metrics
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name} ")))
        .and_then(|v| v.parse().ok());
    assert!(value.is_some(), "no {name} in {metrics}");
    value.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_history_rewritten_behind_the_nodes_back_is_refused_by_every_witness() {
    let dir = tempfile::tempdir().unwrap();
    let (data, log_key, log) = node_dir(dir.path(), 62);
    let witnesses: Vec<WitnessProcess> = (0..3).map(|i| witness(dir.path(), i, &log)).collect();
    let policy = policy_text(
        &log,
        &witnesses,
        "group members 2 m0 m1 m2\nquorum members\n",
    );
    let policy_file = dir.path().join("consortium.policy");
    std::fs::write(&policy_file, &policy).unwrap();
    let start = || serve_with_policy(&data, &policy_file, &[]);

    // An honest history, cosigned by every witness; its last entry is one
    // the operator signed.
    let server = start();
    let http = crate::support::http_client();
    let token = login(&http, &server.base, 10).await;
    invite(&http, &server.base, &token, 0, 5).await;
    invite_as_operator(&http, &server.base, "operator.aide").await;
    let honest_size = until_final(&http, &server.base).await;
    for w in &witnesses {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !get_text(&http, &format!("{}/checkpoint/{ORIGIN}", w.server.base))
            .await
            .1
            .starts_with(&format!("{ORIGIN}\n{honest_size}\n"))
        {
            assert!(
                Instant::now() < deadline,
                "{} never cosigned {honest_size}",
                w.vkey
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    let (_, honest) = get_text(&http, &format!("{}/checkpoint", server.base)).await;
    let honest_body: String = honest.split_inclusive('\n').take(3).collect();
    server.stop();

    // Behind the node's back: the operator's invitation of operator.aide
    // becomes one of operator.forged, and the tree is re-signed.
    let forged: Tx = operator_invite("operator.forged").into();
    rewrite_history(&data, honest_size - 1, OPERATOR, &forged, &log_key).await;

    // The node starts on the rewritten database and appends as usual.
    let server = start();
    let base = server.base.clone();
    let token = login(&http, &base, 10).await;
    invite(&http, &base, &token, 5, 1).await;

    refused_and_kept(&http, &witnesses, dir.path(), &honest_body, honest_size).await;

    // Nothing of the rewritten history is final: the node publishes no
    // checkpoint at or past the rewritten entry, the dashboard's query says
    // the newest entries are not final, and readiness for monitoring fails.
    let (published, pending) = sizes(&http, &base).await;
    assert!(pending > honest_size, "{pending}");
    assert!(
        published.is_none_or(|p| p < honest_size),
        "{published:?} of {pending}"
    );
    let answer = post_graphql(
        &http,
        &base,
        &token,
        &json!({"query": "{ checkpoint { size finalSize } }"}),
    )
    .await
    .unwrap();
    let checkpoint = &answer["data"]["checkpoint"];
    assert_eq!(checkpoint["size"], pending, "{answer}");
    assert!(
        checkpoint["finalSize"]
            .as_u64()
            .is_none_or(|f| f < honest_size),
        "{answer}"
    );
    let deadline = Instant::now() + Duration::from_secs(15);
    while get_text(&http, &format!("{base}/readyz/witnesses")).await.0 != 503 {
        assert!(Instant::now() < deadline, "readiness never said so");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    server.stop();
}

/// Every witness refused the next checkpoint, kept the evidence (the
/// checkpoint it had cosigned and the failed proof) and raised its alarm;
/// what it serves is still the honest checkpoint.
async fn refused_and_kept(
    http: &reqwest::Client,
    witnesses: &[WitnessProcess],
    dir: &Path,
    honest_body: &str,
    honest_size: u64,
) {
    for w in witnesses {
        let deadline = Instant::now() + Duration::from_secs(30);
        while witness_metric(http, w, "godown_witness_alarms_total").await == 0 {
            assert!(Instant::now() < deadline, "{} raised no alarm", w.vkey);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(witness_metric(http, w, "godown_witness_evidence_files").await >= 1);
        let (_, cosigned) = get_text(http, &format!("{}/checkpoint/{ORIGIN}", w.server.base)).await;
        assert!(cosigned.starts_with(honest_body), "{cosigned}");
    }
    for i in 0..3 {
        let evidence = dir.join(format!("w{i}/state/evidence"));
        let kept: Vec<String> = std::fs::read_dir(&evidence)
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .collect();
        // The 422 case: the proof from what it cosigned does not verify.
        let refused = format!(
            "the consistency proof from {honest_size} to {} does not verify",
            honest_size + 1
        );
        assert!(
            kept.iter()
                .any(|e| e.contains(honest_body) && e.contains(&refused)),
            "witness {i} kept the checkpoint it had cosigned and the failed proof: {kept:?}"
        );
    }
}
