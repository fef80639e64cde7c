//! The plain-text routes of FORMATS.md, checked with the ledger library as
//! an outside verifier would.

use godown_ledger::tree::verify_consistency;
use godown_ledger::{Hash, TlogProof, TrustPolicy, VerifierKey};
use serde_json::json;

use super::{INVITE, done, invite_input, invite_tx, server};
use crate::support::server::TestServer;

on_sqlite_and_postgres! {
    server;
    the_public_routes_let_anyone_check_that_the_log_only_grows => public_routes;
    a_proof_file_is_served_to_the_parties_of_its_entry_only => proofs;
    health_readiness_and_metrics_answer => health;
    graphiql_is_served_on_get => graphiql;
}

async fn grow(s: &TestServer, n: usize) {
    let token = s.login(10).await;
    for i in 0..n {
        let user = format!("bank-a.u{i}");
        let response = s
            .graphql(
                Some(&token),
                INVITE,
                json!({"input": invite_input("bank-a", &user), "signature": s.sign(10, &invite_tx("bank-a", &user), &s.nonce())}),
            )
            .await;
        assert!(
            response["data"]["inviteUser"]["index"].is_number(),
            "{response}"
        );
    }
}

async fn public_routes(s: TestServer) {
    let (status, vkeys) = s.get("/vkeys", None).await;
    assert_eq!(status, 200);
    let log = VerifierKey::parse(vkeys.lines().next().unwrap()).unwrap();
    let policy = TrustPolicy::new(log, vec![], 0).unwrap();
    let (_, first) = s.get("/checkpoint", None).await;
    let old = policy.verify(first.as_bytes()).unwrap().checkpoint;
    grow(&s, 5).await;
    let (_, second) = s.get("/checkpoint", None).await;
    let new = policy.verify(second.as_bytes()).unwrap().checkpoint;
    assert_eq!(new.size, old.size + 5);
    let (status, text) = s
        .get(&format!("/consistency/{}/{}", old.size, new.size), None)
        .await;
    assert_eq!(status, 200);
    let proof: Vec<Hash> = text
        .lines()
        .map(|l| Hash::from_base64(l).unwrap())
        .collect();
    verify_consistency(
        old.size,
        new.size,
        &proof,
        old.root.as_bytes(),
        new.root.as_bytes(),
    )
    .unwrap();
    for (path, status) in [
        ("/consistency/abc/2", 400),
        ("/consistency/-1/2", 400),
        ("/consistency/1/99999", 404),
        ("/consistency/3/2", 400),
        ("/proof/notanumber", 400),
    ] {
        assert_eq!(s.get(path, None).await.0, status, "{path}");
    }
    done(s).await;
}

async fn proofs(s: TestServer) {
    grow(&s, 2).await;
    let policy = TrustPolicy::new(s.app.node.log_vkey().clone(), vec![], 0).unwrap();
    assert_eq!(s.get("/proof/1", None).await.0, 401);
    assert_eq!(s.get("/proof/1", Some("forged")).await.0, 401);
    // bank-a is party to its invitation; the warehouse is not; the
    // regulator sees everything.
    let bank = s.login(10).await;
    let (status, text) = s.get("/proof/1", Some(&bank)).await;
    assert_eq!(status, 200, "{text}");
    let proved = TlogProof::parse(&text).unwrap().verify(&policy).unwrap();
    assert_eq!(proved.index, 1);
    assert_eq!(proved.entry.tx_type(), "user.invite");
    let warehouse = s.login(20).await;
    assert_eq!(s.get("/proof/1", Some(&warehouse)).await.0, 403);
    let regulator = s.login(30).await;
    assert_eq!(s.get("/proof/1", Some(&regulator)).await.0, 200);
    assert_eq!(s.get("/proof/999", Some(&bank)).await.0, 404);
    done(s).await;
}

async fn graphiql(s: TestServer) {
    let (status, page) = s.get("/graphql", None).await;
    assert_eq!(status, 200);
    assert!(page.to_lowercase().contains("graphiql"), "{page}");
    done(s).await;
}

async fn health(s: TestServer) {
    assert_eq!(s.get("/healthz", None).await, (200, "ok\n".to_owned()));
    assert_eq!(s.get("/readyz", None).await, (200, "ok\n".to_owned()));
    let (status, witnesses) = s.get("/readyz/witnesses", None).await;
    assert_eq!(status, 200);
    assert!(witnesses.contains("no witness policy"), "{witnesses}");
    grow(&s, 2).await;
    let (status, metrics) = s.get("/metrics", None).await;
    assert_eq!(status, 200);
    assert!(metrics.contains("godown_log_entries 3"), "{metrics}");
    assert!(
        !metrics.contains("godown_final_entries "),
        "no finality without a policy: {metrics}"
    );
    assert!(metrics.ends_with("# EOF\n"), "{metrics}");
    done(s).await;
}

/// The dashboard's client-side routes fall back to its page; a missing
/// built asset is a 404, not the page.
#[tokio::test]
async fn the_dashboard_is_served_with_client_routes_and_missing_assets_are_404() {
    let app = crate::support::TestApp::start(crate::support::Backend::Sqlite)
        .await
        .unwrap();
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(
        dist.path().join("index.html"),
        "<!doctype html><title>Godown</title>",
    )
    .unwrap();
    std::fs::create_dir(dist.path().join("assets")).unwrap();
    std::fs::write(dist.path().join("assets/app.js"), "console.log(1)").unwrap();
    let router = godown_web::http::router(
        app.node.clone(),
        None,
        Some(dist.path().to_path_buf()),
        &godown_web::http::EdgeOptions::default(),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    let get = |path: &str| {
        let url = format!("{base}{path}");
        async move {
            let response = crate::support::http_client().get(url).send().await.unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };
    assert_eq!(get("/explorer").await.0, 200);
    assert!(get("/keys").await.1.contains("<title>Godown"));
    assert_eq!(
        get("/assets/app.js").await,
        (200, "console.log(1)".to_owned())
    );
    assert_eq!(get("/assets/missing.js").await.0, 404);
    assert_eq!(get("/healthz").await.0, 200);
}
