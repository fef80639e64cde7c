//! The demo consortium is founded and seeded through the ledger like any
//! other, and replays cleanly.

use godown_node::node::{DatabaseConfig, Node, NodeConfig};
use godown_node::store::{ledger, projection};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_consortium_is_seeded_through_signed_transactions() {
    let dir = tempfile::tempdir().unwrap();
    let node = Node::start(NodeConfig {
        data_dir: dir.path().to_path_buf(),
        database: DatabaseConfig::Sqlite(dir.path().join("godown.db")),
        genesis: Some(godown_api::demo::genesis().unwrap()),
    })
    .await
    .unwrap();
    let directory = godown_api::demo::seed(&node).await.unwrap();
    let kinds: std::collections::BTreeSet<&str> = directory
        .users
        .iter()
        .map(|u| u.org_kind.as_str())
        .collect();
    assert_eq!(kinds.len(), 6, "{kinds:?}");
    let orgs = projection::all_orgs(node.db().conn()).await.unwrap();
    let count = |kind: &str| orgs.iter().filter(|o| o.kind.as_str() == kind).count();
    assert_eq!(
        (
            count("bank"),
            count("warehouse"),
            count("sme"),
            count("inspector"),
            count("regulator")
        ),
        (2, 2, 3, 1, 1)
    );
    // Every demo user has an active key on the ledger.
    for user in &directory.users {
        let keys = projection::keys_of(node.db().conn(), &user.user)
            .await
            .unwrap();
        assert!(
            keys.iter()
                .any(|k| k.status == godown_domain::membership::KeyStatus::Active),
            "{}",
            user.user
        );
    }
    assert!(ledger::head(node.db().conn()).await.unwrap().0 > 20);
    // Loans in every state a fresh ledger can show, and a price history.
    let loans = godown_node::store::loans::all_loans(
        node.db().conn(),
        &godown_node::store::loans::LoanFilter::default(),
    )
    .await
    .unwrap();
    let states: std::collections::BTreeSet<_> = loans.iter().map(|l| l.status).collect();
    assert_eq!(
        states.len(),
        godown_domain::financing::LoanStatus::ALL.len(),
        "{states:?}"
    );
    assert!(
        loans.iter().any(|l| l.open_margin_call().is_some()),
        "a loan in margin call"
    );
    let copper = godown_node::store::loans::price_history(node.db().conn(), "740311", None, 100)
        .await
        .unwrap();
    assert!(copper.len() >= 10, "{}", copper.len());
    let out = crate::support::binary::verify_database(dir.path(), None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    demo_mail_is_written(&node, dir.path()).await;
}

/// Every demo user has an address on file, so the outbox writes the demo's
/// notices (invitations, receipts, loans) as `.eml` files in both languages.
async fn demo_mail_is_written(node: &Node, dir: &std::path::Path) {
    use godown_mail::{MailSettings, Mailer, drain};
    let mail = dir.join("mail");
    let mailer = Mailer::Files(mail.clone());
    let settings = MailSettings {
        from: "Godown Demo <demo@godown.local>".parse().unwrap(),
        public_url: "http://127.0.0.1:8080".to_owned(),
    };
    while drain(node, &mailer, &settings).await.unwrap() > 0 {}
    let written: Vec<String> = std::fs::read_dir(&mail)
        .unwrap()
        .map(|e| {
            std::fs::read_to_string(e.unwrap().path())
                .unwrap()
                .replace("\r\n", "\n")
        })
        .collect();
    let texts = crate::api::receipts::decoded_messages(&written);
    for (what, subject) in [
        ("an invitation", "has invited you to the Godown ledger"),
        (
            "a receipt issued",
            "has issued an electronic warehouse receipt to you",
        ),
        ("a loan application", "applies for"),
    ] {
        assert!(
            texts.iter().any(|t| t.contains(subject)),
            "the demo wrote {what} ({subject:?}) among {} messages",
            texts.len()
        );
    }
    assert!(
        written
            .iter()
            .all(|m| m.contains("To: ") && m.contains(".example")),
        "every message is addressed"
    );
    // Chinese first, then English, in every message.
    assert!(
        texts
            .iter()
            .all(|t| t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))),
        "every message speaks Chinese too"
    );
}
