//! `godown verify` replays the node's database and names the first
//! discrepancy, so a hand-edited row in any table is caught.

use sea_orm::ConnectionTrait as _;

use crate::node::invite;
use crate::support::binary::verify_database;
use crate::support::{Backend, TestApp};

fn verify(app: &TestApp) -> std::process::Output {
    verify_database(&app.data_dir(), app.pg.as_ref().map(|db| db.url.as_str()))
}

/// Makes each edit in turn, checks `godown verify` fails naming it in one
/// line, and undoes it before the next, so each is caught on its own; then
/// the database verifies again.
async fn each_edit_is_named(app: TestApp, edits: &[(&str, &str, &str)]) {
    let db = app.node.db().conn();
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
    each_edit_is_named(app, &edits).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hand_edited_row_in_any_table_is_named_by_verify_on_sqlite() {
    tampering_is_caught(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hand_edited_row_in_any_table_is_named_by_verify_on_postgres() {
    tampering_is_caught(Backend::Postgres).await;
}

/// The receipts contract's rows are checked like the others: a receipt
/// moved to another holder, a lot with more goods, a party or an event row
/// that the log does not say.
async fn receipt_tampering_is_caught(backend: Backend) {
    use crate::api::receipts::{WH_APPROVER, WH_OFFICER, consortium, draft, receive};
    use godown_domain::ReceiptsTx;
    use godown_domain::receipts::body::ReceiptRef;

    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    consortium(&app).await;
    app.submit(WH_OFFICER, &receive("lot-qd-0001", "100", 0))
        .await
        .unwrap();
    app.submit(
        WH_OFFICER,
        &draft("wr-qd-0001", "lot-qd-0001", "QD-1", "60", 0),
    )
    .await
    .unwrap();
    let issue = ReceiptsTx::Issue(ReceiptRef {
        receipt: godown_domain::RecordId::parse("wr-qd-0001").unwrap(),
    });
    app.submit(WH_APPROVER, &issue).await.unwrap();
    let out = verify(&app);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let edits = [
        (
            r#"UPDATE lots SET detail = replace(detail, '"on_hand":"100"', '"on_hand":"1000"') WHERE id = 'lot-qd-0001'"#,
            r#"UPDATE lots SET detail = replace(detail, '"on_hand":"1000"', '"on_hand":"100"') WHERE id = 'lot-qd-0001'"#,
            "lots row lot-qd-0001",
        ),
        (
            r#"UPDATE receipts SET holder = 'sme-b', detail = replace(detail, '"holder":"sme-a"', '"holder":"sme-b"') WHERE id = 'wr-qd-0001'"#,
            r#"UPDATE receipts SET holder = 'sme-a', detail = replace(detail, '"holder":"sme-b"', '"holder":"sme-a"') WHERE id = 'wr-qd-0001'"#,
            "receipts row wr-qd-0001",
        ),
        (
            "UPDATE receipts SET status = 'redeemed' WHERE id = 'wr-qd-0001'",
            "UPDATE receipts SET status = 'live' WHERE id = 'wr-qd-0001'",
            "row wr-qd-0001 disagrees with its detail",
        ),
        (
            "DELETE FROM receipt_parties WHERE receipt = 'wr-qd-0001' AND org = 'sme-a'",
            "INSERT INTO receipt_parties (receipt, org) VALUES ('wr-qd-0001', 'sme-a')",
            "receipt_parties",
        ),
        (
            "INSERT INTO receipt_events (receipt, entry_idx) VALUES ('wr-qd-0001', 1)",
            "DELETE FROM receipt_events WHERE receipt = 'wr-qd-0001' AND entry_idx = 1",
            "receipt_events",
        ),
    ];
    each_edit_is_named(app, &edits).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hand_edited_receipts_row_is_named_by_verify_on_sqlite() {
    receipt_tampering_is_caught(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hand_edited_receipts_row_is_named_by_verify_on_postgres() {
    receipt_tampering_is_caught(Backend::Postgres).await;
}

/// The financing contract's rows are checked like the others: a loan for
/// more than was asked, a status its record does not say, a party, an
/// event, a price, the price history and a price source the log does not
/// say.
async fn loan_tampering_is_caught(backend: Backend) {
    use crate::api::financing::{apply, financing_consortium};
    use crate::api::receipts::SME_A;

    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    financing_consortium(&app).await;
    app.submit(
        SME_A,
        &apply("ln-tamper-01", "bank-a", "1000000.00", &["wr-fin-0001"]),
    )
    .await
    .unwrap();
    let out = verify(&app);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let edits = [
        (
            r#"UPDATE loans SET detail = replace(detail, '"value":"1000000.00"', '"value":"9000000.00"') WHERE id = 'ln-tamper-01'"#,
            r#"UPDATE loans SET detail = replace(detail, '"value":"9000000.00"', '"value":"1000000.00"') WHERE id = 'ln-tamper-01'"#,
            "loans row",
        ),
        (
            "UPDATE loans SET status = 'active' WHERE id = 'ln-tamper-01'",
            "UPDATE loans SET status = 'applied' WHERE id = 'ln-tamper-01'",
            "row ln-tamper-01 disagrees with its detail",
        ),
        (
            "DELETE FROM loan_parties WHERE loan = 'ln-tamper-01' AND org = 'wh-a'",
            "INSERT INTO loan_parties (loan, org) VALUES ('ln-tamper-01', 'wh-a')",
            "loan_parties",
        ),
        (
            "INSERT INTO loan_events (loan, entry_idx) VALUES ('ln-tamper-01', 1)",
            "DELETE FROM loan_events WHERE loan = 'ln-tamper-01' AND entry_idx = 1",
            "loan_events",
        ),
        (
            "UPDATE prices SET detail = replace(detail, '70000.00', '90000.00')",
            "UPDATE prices SET detail = replace(detail, '90000.00', '70000.00')",
            "prices row",
        ),
        (
            "UPDATE price_history SET detail = replace(detail, '70000.00', '90000.00')",
            "UPDATE price_history SET detail = replace(detail, '90000.00', '70000.00')",
            "price_history row",
        ),
        (
            "INSERT INTO price_sources (org) VALUES ('wh-a')",
            "DELETE FROM price_sources WHERE org = 'wh-a'",
            "price_sources row",
        ),
    ];
    each_edit_is_named(app, &edits).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hand_edited_financing_row_is_named_by_verify_on_sqlite() {
    loan_tampering_is_caught(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hand_edited_financing_row_is_named_by_verify_on_postgres() {
    loan_tampering_is_caught(Backend::Postgres).await;
}
