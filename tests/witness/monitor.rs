//! A member's monitor re-runs the contracts over the entries it may see and
//! compares the node's answers about its receipts and loans with them: on
//! the demo consortium every member finds its records as the entries say;
//! once the node's database is altered behind the ledger's back (a
//! pledged receipt shown as unpledged, to the bank it is pledged to), the
//! bank's monitor raises the alarm and keeps the entries as evidence.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sea_orm::{ConnectionTrait as _, Database, Statement};
use serde_json::Value;

use super::get_text;
use crate::support::binary::{ServerProcess, free_port};
use crate::{godown, stderr};

/// `godown demo` on a fresh directory, served on a free port.
fn demo(dir: &Path) -> ServerProcess {
    let port = free_port();
    let mut command = Command::new(env!("CARGO_BIN_EXE_godown"));
    command
        .args(["demo", "--data"])
        .arg(dir)
        .args(["--listen", &format!("127.0.0.1:{port}")]);
    ServerProcess::start(command, port)
}

/// The demo user's key as a PEM file, as a member would keep it.
fn key_file(dir: &Path, users: &Value, user: &str) -> PathBuf {
    let pkcs8 = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["user"] == user)
        .and_then(|u| u["pkcs8"].as_str())
        .unwrap();
    let der = STANDARD.decode(pkcs8).unwrap();
    let body: Vec<String> = STANDARD
        .encode(der)
        .as_bytes()
        .chunks(64)
        .map(|c| String::from_utf8(c.to_vec()).unwrap())
        .collect();
    let path = dir.join(format!("{user}.pem"));
    std::fs::write(
        &path,
        format!(
            "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
            body.join("\n")
        ),
    )
    .unwrap();
    path
}

fn monitor(data: &Path, base: &str, key: &Path, state: &Path) -> std::process::Output {
    godown(&[
        "monitor",
        "--policy",
        data.join("consortium.policy").to_str().unwrap(),
        "--node",
        base,
        "--key",
        key.to_str().unwrap(),
        "--state",
        state.to_str().unwrap(),
        "--once",
    ])
}

/// Waits until the witnesses have cosigned everything the seeding signed.
async fn until_final(http: &reqwest::Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (status, published) = get_text(http, &format!("{base}/checkpoint")).await;
        let (_, pending) = get_text(http, &format!("{base}/checkpoint/pending")).await;
        let size = |note: &str| note.lines().nth(1).map(str::to_owned);
        if status == 200 && size(&published) == size(&pending) {
            return;
        }
        assert!(Instant::now() < deadline, "the demo never became final");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The node's database altered behind the ledger: a receipt pledged to
/// Jade River Bank shown to it as unpledged. Returns the receipt's id.
async fn hide_a_pledge(data: &Path) -> String {
    let db = Database::connect(format!(
        "sqlite://{}?mode=rw",
        data.join("godown.db").display()
    ))
    .await
    .unwrap();
    let pledged = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT id FROM receipts WHERE encumbered_by = 'bank-jade' ORDER BY id LIMIT 1",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<String>("", "id")
        .unwrap();
    db.execute_raw(Statement::from_string(
        db.get_database_backend(),
        format!(
            "UPDATE receipts SET encumbered_by = NULL, detail = json_set(detail, '$.encumbrance', json('null')) WHERE id = '{pledged}'"
        ),
    ))
    .await
    .unwrap();

    pledged
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_members_monitor_finds_its_records_as_the_entries_say_and_raises_the_alarm_when_the_node_lies()
 {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("demo");
    let server = demo(&data);
    let http = crate::support::http_client();
    let base = server.base.clone();
    let (_, users) = get_text(&http, &format!("{base}/demo/users")).await;
    let users: Value = serde_json::from_str(&users).unwrap();
    until_final(&http, &base).await;

    // Each kind of member checks its own records and finds them as the
    // entries say; the regulator sees every entry and checks every record.
    let admins: Vec<String> = users
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| {
            u["roles"]
                .as_array()
                .unwrap()
                .contains(&Value::from("admin"))
        })
        .map(|u| u["user"].as_str().unwrap().to_owned())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    for user in admins.iter().map(String::as_str) {
        let key = key_file(dir.path(), &users, user);
        let state = dir.path().join(format!("monitor-{user}"));
        let out = monitor(&data, &base, &key, &state);
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{user}: {said}{}", stderr(&out));
        let checked: usize = said
            .split("OK: ")
            .nth(2)
            .and_then(|l| l.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let kind = users
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["user"] == user)
            .and_then(|u| u["orgKind"].as_str())
            .unwrap();
        // Inspectors and the operator hold no receipts or loans.
        if !matches!(kind, "inspector" | "operator") {
            assert!(checked > 0, "{user} checked no record: {said}");
        }
        println!("{user}: {}", said.lines().last().unwrap_or_default());
        for line in said.lines().filter(|l| l.contains("is not checked")) {
            println!("    {line}");
        }
        let metrics = std::fs::read_to_string(state.join("metrics.prom")).unwrap();
        assert!(
            metrics.contains(&format!("godown_monitor_records_checked {checked}")),
            "{metrics}"
        );
        assert!(
            metrics.contains("godown_monitor_record_disagreements_total 0"),
            "{metrics}"
        );
    }

    let pledged = hide_a_pledge(&data).await;

    let key = key_file(dir.path(), &users, "bank-jade.admin");
    let state = dir.path().join("monitor-after");
    let out = monitor(&data, &base, &key, &state);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        stderr(&out)
    );
    let evidence: Vec<PathBuf> = std::fs::read_dir(state.join("evidence"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(evidence.len(), 1, "{evidence:?}");
    let text = std::fs::read_to_string(&evidence[0]).unwrap();
    assert!(
        text.contains(&format!(
            "receipt {pledged}: pledgee: the node says none, the entries say bank-jade"
        )),
        "{text}"
    );
    assert!(
        text.contains("receipt.encumber") || text.contains("loan."),
        "{text}"
    );
    let alarms = std::fs::read_dir(state.join("alarms"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().is_file())
        .count();
    assert_eq!(alarms, 1);
    let metrics = std::fs::read_to_string(state.join("metrics.prom")).unwrap();
    assert!(
        metrics.contains("godown_monitor_record_disagreements_total 1"),
        "{metrics}"
    );
    server.stop();
}
