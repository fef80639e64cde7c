//! The node end to end below the API: founding, appending, refusing,
//! grouping, replaying, exporting, and sharing one database.

mod demo;
mod migrations;
mod outbox;

use std::sync::Arc;

use godown_domain::membership::body::{InviteUser, RoleChange};
use godown_domain::{MembershipTx, Name, OrgId, Role, UserId};
use godown_ledger::tree::verify_consistency;
use godown_ledger::{Transaction, TrustPolicy};
use godown_node::node::{DatabaseConfig, Node, NodeConfig};
use godown_node::store::ledger;

use crate::support::{Backend, TestApp, key};
use crate::{godown, stderr};

async fn app(backend: Backend) -> Option<TestApp> {
    TestApp::start(backend).await
}

pub(crate) fn invite(org: &str, user: &str) -> MembershipTx {
    MembershipTx::Invite(InviteUser {
        org: OrgId::parse(org).unwrap(),
        user: UserId::parse(user).unwrap(),
        name: Name::parse(user).unwrap(),
        roles: vec![Role::Officer],
    })
}

on_sqlite_and_postgres! {
    app;
    founding_a_ledger_appends_the_genesis_entry_and_signs_a_checkpoint => founding;
    accepted_transactions_land_in_order_each_under_a_signed_checkpoint => appending;
    a_refused_transaction_writes_nothing => refusing;
    concurrent_submissions_are_grouped_into_fewer_commits => grouping;
    a_restarted_node_replays_the_log_and_decides_as_before => restarting;
    an_export_of_the_node_verifies_with_godown_verify => exporting;
    two_nodes_sharing_a_database_keep_one_log_without_a_fork => sharing;
}

async fn founding(app: TestApp) {
    let db = app.node.db();
    let (size, root) = ledger::head(db.conn()).await.unwrap();
    assert_eq!(size, 1);
    let checkpoint = ledger::latest_checkpoint(db.conn()).await.unwrap().unwrap();
    assert_eq!((checkpoint.size, checkpoint.root), (1, root));
    let policy = TrustPolicy::new(app.node.log_vkey().clone(), vec![], 0).unwrap();
    let verified = policy.verify(checkpoint.note.as_bytes()).unwrap();
    assert_eq!(verified.checkpoint.origin, "test.godown.example/ledger");
    let genesis = ledger::entry(db.conn(), 0).await.unwrap().unwrap();
    assert_eq!(genesis.tx_type, "consortium.genesis");
    assert_eq!(
        genesis.signer,
        app.node.operator_key().public_key().to_bytes()
    );
    cleanup(app).await;
}

async fn appending(app: TestApp) {
    let first = app
        .submit(10, &invite("bank-a", "bank-a.li"))
        .await
        .unwrap();
    let second = app.submit(20, &invite("wh-a", "wh-a.wang")).await.unwrap();
    assert_eq!((first.index, second.index), (1, 2));
    assert!(second.time >= first.time);
    let db = app.node.db();
    let rows = ledger::entries_between(db.conn(), 0, 3).await.unwrap();
    assert_eq!(rows[1].leaf_hash, first.leaf_hash);
    let parties = ledger::parties_between(db.conn(), 1, 3).await.unwrap();
    assert_eq!(
        parties,
        vec![(1, "bank-a".to_owned()), (2, "wh-a".to_owned())]
    );
    let user = godown_node::store::projection::user(db.conn(), "bank-a.li")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.org.as_str(), "bank-a");
    let checkpoint = ledger::latest_checkpoint(db.conn()).await.unwrap().unwrap();
    assert_eq!(checkpoint.size, 3);
    cleanup(app).await;
}

async fn refusing(app: TestApp) {
    let db = app.node.db();
    let head = ledger::head(db.conn()).await.unwrap();

    // Signed over other bytes than the transaction the node rebuilt.
    let tx = Transaction::new(
        app.node.origin(),
        "user.invite",
        "n-1",
        invite("bank-a", "bank-a.x").body(),
    )
    .unwrap();
    let other = Transaction::new(
        app.node.origin(),
        "user.invite",
        "n-1",
        invite("bank-a", "bank-a.y").body(),
    )
    .unwrap();
    let sig = key(10).sign(&other.signing_bytes());
    let err = app
        .node
        .submit(tx, sig, key(10).public_key(), vec![])
        .await
        .unwrap_err();
    assert_eq!(err.code, "BAD_SIGNATURE");

    // Signed for another ledger.
    let foreign = Transaction::new(
        "other.example/ledger",
        "user.invite",
        "n-2",
        invite("bank-a", "bank-a.x").body(),
    )
    .unwrap();
    let sig = key(10).sign(&foreign.signing_bytes());
    let err = app
        .node
        .submit(foreign, sig, key(10).public_key(), vec![])
        .await
        .unwrap_err();
    assert_eq!(err.code, "WRONG_ORIGIN");

    // Without the right role.
    let err = app
        .submit(20, &invite("bank-a", "bank-a.x"))
        .await
        .unwrap_err();
    assert_eq!(err.code, "FORBIDDEN");

    assert_eq!(
        ledger::head(db.conn()).await.unwrap(),
        head,
        "refusals wrote nothing"
    );

    // A nonce is good once per key.
    app.submit_to(&app.node, 10, &invite("bank-a", "bank-a.x"), "same")
        .await
        .unwrap();
    let err = app
        .submit_to(&app.node, 10, &invite("bank-a", "bank-a.z"), "same")
        .await
        .unwrap_err();
    assert_eq!(err.code, "NONCE_REUSED");
    assert_eq!(ledger::head(db.conn()).await.unwrap().0, head.0 + 1);
    cleanup(app).await;
}

async fn grouping(app: TestApp) {
    let app = Arc::new(app);
    let mut tasks = Vec::new();
    for i in 0..60 {
        let app = Arc::clone(&app);
        tasks.push(tokio::spawn(async move {
            app.submit(10, &invite("bank-a", &format!("bank-a.u{i}")))
                .await
        }));
    }
    let mut indexes = Vec::new();
    for task in tasks {
        indexes.push(task.await.unwrap().unwrap().index);
    }
    indexes.sort_unstable();
    assert_eq!(indexes, (1..=60).collect::<Vec<u64>>());
    // One checkpoint is signed per commit; grouped commits leave fewer.
    let mut commits = 0;
    for size in 2..=61 {
        if ledger::checkpoint(app.node.db().conn(), size)
            .await
            .unwrap()
            .is_some()
        {
            commits += 1;
        }
    }
    assert!(commits < 60, "60 submissions took {commits} commits");
    let app = Arc::into_inner(app).expect("no other holder");
    cleanup(app).await;
}

async fn restarting(app: TestApp) {
    app.submit(10, &invite("bank-a", "bank-a.li"))
        .await
        .unwrap();
    let again = app.restart().await;
    // The replayed state knows the user and the nonce.
    let err = app
        .submit_to(&again, 10, &invite("bank-a", "bank-a.li"), "fresh")
        .await
        .unwrap_err();
    assert_eq!(err.code, "ALREADY_EXISTS");
    let err = app
        .submit_to(&again, 10, &invite("bank-a", "bank-a.other"), "test-0")
        .await
        .unwrap_err();
    assert_eq!(err.code, "NONCE_REUSED");
    let grant = MembershipTx::Grant(RoleChange {
        user: UserId::parse("bank-a.li").unwrap(),
        role: Role::Approver,
    });
    assert_eq!(
        app.submit_to(&again, 10, &grant, "grant")
            .await
            .unwrap()
            .index,
        2
    );
    cleanup(app).await;
}

async fn exporting(app: TestApp) {
    for i in 0..5 {
        app.submit(10, &invite("bank-a", &format!("bank-a.u{i}")))
            .await
            .unwrap();
    }
    let out = app.data_dir().join("export");
    let summary = godown_node::export::export(app.node.db(), &out)
        .await
        .unwrap();
    assert_eq!(summary.entries, 6);
    let vkey = app.node.log_vkey().to_string();
    let run = godown(&[
        "verify",
        "--export",
        out.to_str().unwrap(),
        "--log-vkey",
        &vkey,
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    // A second export into the same directory is refused, not merged.
    assert!(
        godown_node::export::export(app.node.db(), &out)
            .await
            .is_err()
    );
    cleanup(app).await;
}

async fn sharing(app: TestApp) {
    // Two nodes, each with its own sequencer and state, on one database.
    let second = app.restart().await;
    let app = Arc::new(app);
    let mut tasks = Vec::new();
    for i in 0..40 {
        let app = Arc::clone(&app);
        let node = if i % 2 == 0 {
            app.node.clone()
        } else {
            second.clone()
        };
        tasks.push(tokio::spawn(async move {
            app.submit_to(
                &node,
                10,
                &invite("bank-a", &format!("bank-a.s{i}")),
                &format!("s{i}"),
            )
            .await
        }));
    }
    let mut indexes = Vec::new();
    for task in tasks {
        indexes.push(task.await.unwrap().unwrap().index);
    }
    indexes.sort_unstable();
    assert_eq!(
        indexes,
        (1..=40).collect::<Vec<u64>>(),
        "one log, no gaps, no duplicates"
    );
    // Every checkpoint either node signed is consistent with the last one.
    let db = app.node.db();
    let last = ledger::latest_checkpoint(db.conn()).await.unwrap().unwrap();
    assert_eq!(last.size, 41);
    let store = godown_node::store::nodes::DbNodes::new(db.conn());
    for size in 1..41 {
        if let Some(c) = ledger::checkpoint(db.conn(), size).await.unwrap() {
            let proof = godown_ledger::tree::consistency_proof(&store, size, 41)
                .await
                .unwrap();
            verify_consistency(size, 41, &proof, c.root.as_bytes(), last.root.as_bytes()).unwrap();
        }
    }
    let app = Arc::into_inner(app).expect("no other holder");
    cleanup(app).await;
}

/// A node whose data directory holds another log key refuses to start.
#[tokio::test]
async fn a_node_with_another_log_key_refuses_to_start_with_one_clear_sentence() {
    let app = TestApp::start(Backend::Sqlite).await.unwrap();
    let other = tempfile::tempdir().unwrap();
    let config = NodeConfig {
        data_dir: other.path().to_path_buf(),
        database: app.config.database.clone(),
        genesis: None,
    };
    let err = Node::start(config).await.unwrap_err().to_string();
    assert!(err.contains("is not this ledger's log key"), "{err}");
}

/// An empty database without a genesis file cannot start a ledger.
#[tokio::test]
async fn an_empty_database_without_genesis_refuses_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let config = NodeConfig {
        data_dir: dir.path().to_path_buf(),
        database: DatabaseConfig::Sqlite(dir.path().join("godown.db")),
        genesis: None,
    };
    let err = Node::start(config).await.unwrap_err().to_string();
    assert!(err.contains("genesis file"), "{err}");
}

async fn cleanup(app: TestApp) {
    if let Some(db) = &app.pg {
        db.drop_now().await;
    }
}
