//! `godown verify` replays the node's database and names the first
//! discrepancy, so a hand-edited row in any table is caught.

use sea_orm::ConnectionTrait as _;

use crate::node::invite;
use crate::support::binary::verify_database;
use crate::support::{Backend, TestApp};

fn verify(app: &TestApp) -> std::process::Output {
    verify_database(&app.data_dir(), app.pg.as_ref().map(|db| db.url.as_str()))
}

async fn tampering_is_caught(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    for i in 0..3 {
        app.submit(10, &invite("bank-a", &format!("bank-a.u{i}")))
            .await
            .unwrap();
    }
    let out = verify(&app);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("4 entries replayed"));

    let db = app.node.db().conn();
    // Each edit is undone before the next, so each is caught on its own.
    let edits = [
        (
            "UPDATE users SET name = 'Mallory' WHERE id = 'bank-a.u1'",
            "UPDATE users SET name = 'bank-a.u1' WHERE id = 'bank-a.u1'",
            "users row bank-a.u1",
        ),
        (
            "UPDATE orgs SET status = 'suspended' WHERE id = 'wh-a'",
            "UPDATE orgs SET status = 'active' WHERE id = 'wh-a'",
            "orgs row wh-a",
        ),
        (
            "UPDATE users SET roles = 'admin' WHERE id = 'bank-a.u0'",
            "UPDATE users SET roles = 'officer' WHERE id = 'bank-a.u0'",
            "users row bank-a.u0",
        ),
        (
            "DELETE FROM entry_parties WHERE idx = 2",
            "INSERT INTO entry_parties (idx, org) VALUES (2, 'bank-a')",
            "entry_parties for entry 2",
        ),
        (
            "UPDATE entries SET nonce = 'forged' WHERE idx = 3",
            "UPDATE entries SET nonce = 'test-2' WHERE idx = 3",
            "entries row 3",
        ),
        (
            "UPDATE checkpoints SET note = replace(note, '\n4\n', '\n5\n') WHERE size = 4",
            "UPDATE checkpoints SET note = replace(note, '\n5\n', '\n4\n') WHERE size = 4",
            "checkpoints row 4",
        ),
        (
            "UPDATE member_keys SET status = 'revoked' WHERE user_id = 'wh-a.admin'",
            "UPDATE member_keys SET status = 'active' WHERE user_id = 'wh-a.admin'",
            "member_keys row",
        ),
    ];
    for (edit, undo, named) in edits {
        db.execute_unprepared(edit).await.unwrap();
        let out = verify(&app);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{edit} was not caught");
        assert!(err.contains(named), "{edit}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        db.execute_unprepared(undo).await.unwrap();
    }
    let out = verify(&app);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    if let Some(db) = &app.pg {
        db.drop_now().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hand_edited_row_in_any_table_is_named_by_verify_on_sqlite() {
    tampering_is_caught(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hand_edited_row_in_any_table_is_named_by_verify_on_postgres() {
    tampering_is_caught(Backend::Postgres).await;
}
