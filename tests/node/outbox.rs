//! The outbox: a failed send waits out its backoff, a claimed row is sent
//! by one sender only, and a sent row is never sent again.

use std::time::Duration;

use godown_ledger::Transaction;
use godown_mail::{self as mail, MailSettings, Mailer};
use godown_node::node::SideEffect;
use godown_node::store::ledger;
use sea_orm::ConnectionTrait as _;

use crate::node::invite;
use crate::support::{Backend, TestApp, key, smtp};

async fn app(backend: Backend) -> Option<TestApp> {
    TestApp::start(backend).await
}

on_sqlite_and_postgres! {
    app;
    a_failed_notification_waits_out_its_backoff_and_is_then_sent_once => backoff;
}

fn settings() -> MailSettings {
    MailSettings {
        from: "Godown <no-reply@test.local>".parse().unwrap(),
        public_url: "http://127.0.0.1:1".into(),
    }
}

/// An SMTP URL where nothing listens.
fn nowhere() -> String {
    let port = crate::support::binary::free_port();
    format!("smtp://127.0.0.1:{port}")
}

async fn backoff(app: TestApp) {
    let tx = invite("bank-a", "bank-a.mail");
    let signed = Transaction::new(app.node.origin(), tx.tx_type(), "mail-1", tx.body()).unwrap();
    let signature = key(10).sign(&signed.signing_bytes());
    app.node
        .submit(
            signed,
            signature,
            key(10).public_key(),
            vec![SideEffect::Invite {
                email: "mail@bank-a.example".into(),
            }],
        )
        .await
        .unwrap();
    let db = app.node.db().conn();

    // The server is down: the attempt fails and is not retried at once.
    let down = Mailer::smtp(&nowhere()).unwrap();
    assert_eq!(mail::drain(&app.node, &down, &settings()).await.unwrap(), 0);
    let now = godown_node::node::clock::now_ms();
    assert!(
        ledger::pending_outbox(db, 10, 8, now)
            .await
            .unwrap()
            .is_empty(),
        "a failed notification is due again only after its backoff"
    );
    let due = ledger::pending_outbox(db, 10, 8, mail::retry_at(now, 1) + 1)
        .await
        .unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].attempts, 1);

    // Another sender holding the claim keeps this one off it.
    let id = due[0].id;
    assert!(
        ledger::claim_outbox(db, id, now, now + 60_000)
            .await
            .unwrap()
    );
    assert!(
        !ledger::claim_outbox(db, id, now, now + 60_000)
            .await
            .unwrap()
    );
    db.execute_unprepared(&format!(
        "UPDATE outbox SET next_attempt_ms = 0, claimed_until_ms = NULL WHERE id = {id}"
    ))
    .await
    .unwrap();

    // The server is back: sent once, and never again.
    let (url, inbox) = smtp::start().await;
    let up = Mailer::smtp(&url).unwrap();
    assert_eq!(mail::drain(&app.node, &up, &settings()).await.unwrap(), 1);
    assert_eq!(mail::drain(&app.node, &up, &settings()).await.unwrap(), 0);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let received = inbox.lock().unwrap().clone();
    assert_eq!(received.len(), 1);
    assert!(
        received[0].contains(&format!("Message-ID: <outbox-{id}-")),
        "{}",
        received[0]
    );
    if let Some(db) = &app.pg {
        db.drop_now().await;
    }
}
