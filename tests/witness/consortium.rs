//! A three-member consortium: one node asks three members' witnesses to
//! cosign, and its `/checkpoint` carries a quorum (2 of 3) of their
//! cosignatures, verifiable with the policy file alone.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use godown_ledger::{KeyKind, Policy, PrivateKey, VerifierKey};

use super::{WitnessProcess, get_text, start_witness_with};
use crate::support::binary::{
    ORIGIN, ServerProcess, free_port, invite_request, login, post_graphql, serve_command,
};
use crate::{godown, stderr};

/// The newest checkpoint that meets the policy, and the newest signed.
pub(super) async fn sizes(http: &reqwest::Client, base: &str) -> (Option<u64>, u64) {
    let size = |note: &str| note.lines().nth(1).and_then(|l| l.parse().ok());
    let (status, published) = get_text(http, &format!("{base}/checkpoint")).await;
    let published = if status == 200 {
        size(&published)
    } else {
        None
    };
    let (_, pending) = get_text(http, &format!("{base}/checkpoint/pending")).await;
    (published, size(&pending).unwrap())
}

/// Waits until the published checkpoint covers everything signed.
pub(super) async fn until_final(http: &reqwest::Client, base: &str) -> u64 {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (published, pending) = sizes(http, base).await;
        if published == Some(pending) {
            return pending;
        }
        assert!(
            Instant::now() < deadline,
            "the published checkpoint {published:?} never caught up with {pending}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub(super) async fn invite(http: &reqwest::Client, base: &str, token: &str, from: usize, n: usize) {
    for i in from..from + n {
        let answer = post_graphql(
            http,
            base,
            token,
            &invite_request(&format!("bank-a.m{i}"), &format!("consortium-{i}")),
        )
        .await
        .unwrap();
        assert!(answer["errors"].is_null(), "{answer}");
    }
}

/// A node's data directory under `dir`, holding the log key of `seed`, and
/// that key's vkey.
pub(super) fn node_dir(dir: &Path, seed: u8) -> (PathBuf, PrivateKey, VerifierKey) {
    let data = dir.join("node");
    std::fs::create_dir_all(&data).unwrap();
    let log_key = PrivateKey::from_seed(&[seed; 32]);
    std::fs::write(data.join("log.pem"), log_key.to_pkcs8_pem().unwrap()).unwrap();
    let log = VerifierKey::new(ORIGIN, KeyKind::Note, log_key.public_key()).unwrap();
    (data, log_key, log)
}

/// A policy naming `witnesses` as m0, m1, … with their URLs, then `rules`
/// (its group and quorum lines).
pub(super) fn policy_text(log: &VerifierKey, witnesses: &[WitnessProcess], rules: &str) -> String {
    let mut policy = format!("log {log}\n");
    for (i, w) in witnesses.iter().enumerate() {
        writeln!(policy, "witness m{i} {} {}", w.vkey, w.server.base).unwrap();
    }
    policy.push_str(rules);
    policy
}

/// `godown serve` on `data` with the witness policy `policy`, a finality
/// limit of one second, and `extra` arguments.
pub(super) fn serve_with_policy(
    data: &Path,
    policy: &Path,
    extra: &[&std::ffi::OsStr],
) -> ServerProcess {
    let port = free_port();
    let mut command = serve_command(data, port);
    command
        .arg("--witness-policy")
        .arg(policy)
        .args(["--finality-limit", "1"])
        .args(extra);
    ServerProcess::start(command, port)
}

pub(super) fn witness(dir: &Path, i: u8, log: &VerifierKey) -> WitnessProcess {
    witness_trusting(dir, i, std::slice::from_ref(log))
}

/// Member `i`'s witness (its key from seed 80 + `i`), trusting `logs` for
/// the ledger: around a rotation, the log's old key and its new one.
pub(super) fn witness_trusting(dir: &Path, i: u8, logs: &[VerifierKey]) -> WitnessProcess {
    let wdir = dir.join(format!("w{i}"));
    std::fs::create_dir_all(&wdir).unwrap();
    let key = wdir.join("witness.pem");
    std::fs::write(
        &key,
        PrivateKey::from_seed(&[80 + i; 32]).to_pkcs8_pem().unwrap(),
    )
    .unwrap();
    start_witness_with(&wdir, logs, &key, &format!("witness.member{i}.example/w"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_members_witness_the_log_and_checkpoints_carry_a_quorum() {
    let dir = tempfile::tempdir().unwrap();
    let (data, _, log) = node_dir(dir.path(), 61);
    let mut witnesses: Vec<WitnessProcess> = (0..3).map(|i| witness(dir.path(), i, &log)).collect();
    let policy = policy_text(
        &log,
        &witnesses,
        "group members 2 m0 m1 m2\nquorum members\n",
    );
    let policy_file = dir.path().join("consortium.policy");
    std::fs::write(&policy_file, &policy).unwrap();
    let parsed = Policy::parse(&policy).unwrap();
    let server = serve_with_policy(&data, &policy_file, &[]);
    let http = crate::support::http_client();
    let base = server.base.clone();
    let token = login(&http, &base, 10).await;

    // Traffic flows; the published checkpoint catches up and carries at
    // least two valid cosignatures.
    invite(&http, &base, &token, 0, 20).await;
    let covered = until_final(&http, &base).await;
    assert!(covered >= 21, "{covered}");
    let (status, ready) = get_text(&http, &format!("{base}/readyz/witnesses")).await;
    assert_eq!(status, 200, "{ready}");
    let (status, metrics) = get_text(&http, &format!("{base}/metrics")).await;
    assert_eq!(status, 200, "{metrics}");
    assert!(metrics.contains("godown_final_late 0"), "{metrics}");
    for i in 0..3 {
        assert!(
            metrics.contains(&format!(
                "godown_witness_cosigned_entries{{witness=\"m{i}\"}}"
            )),
            "{metrics}"
        );
    }
    let (_, note) = get_text(&http, &format!("{base}/checkpoint")).await;
    let verified = parsed.verify(note.as_bytes()).unwrap();
    assert!(verified.witnesses.len() >= 2, "{note}");
    let (_, vkeys) = get_text(&http, &format!("{base}/vkeys")).await;
    assert!(
        witnesses
            .iter()
            .all(|w| vkeys.contains(&w.vkey.to_string())),
        "{vkeys}"
    );

    verify_offline(
        dir.path(),
        &data,
        &policy_file,
        &http,
        &base,
        &token,
        covered,
    )
    .await;

    // One member's witness goes away: two of three still vouch.
    let gone = witnesses.remove(0);
    gone.server.crash();
    invite(&http, &base, &token, 20, 10).await;
    let covered_with_two = until_final(&http, &base).await;
    assert!(covered_with_two > covered);

    // A second goes away: appends are not blocked, but nothing newer is
    // final; the newest signed checkpoint is pending.
    let gone = witnesses.remove(0);
    gone.server.crash();
    invite(&http, &base, &token, 30, 5).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (published, pending) = sizes(&http, &base).await;
    assert_eq!(published, Some(covered_with_two));
    assert!(pending > covered_with_two, "{pending}");
    // Past the finality limit (1 s here), the node says so: readiness for
    // monitoring fails and the metrics show how far finality trails.
    let deadline = Instant::now() + Duration::from_secs(15);
    let ready = loop {
        let (status, ready) = get_text(&http, &format!("{base}/readyz/witnesses")).await;
        if status == 503 {
            break ready;
        }
        assert!(Instant::now() < deadline, "never late: {ready}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(
        ready.contains(&format!("entries after {covered_with_two} are not final")),
        "{ready}"
    );
    let (status, _) = get_text(&http, &format!("{base}/readyz")).await;
    assert_eq!(status, 200, "the node still takes transactions");
    let (_, metrics) = get_text(&http, &format!("{base}/metrics")).await;
    assert!(metrics.contains("godown_final_late 1"), "{metrics}");
    assert!(
        metrics.contains(&format!("godown_final_entries {covered_with_two}")),
        "{metrics}"
    );
    assert!(
        metrics.contains(&format!("godown_log_entries {pending}")),
        "{metrics}"
    );
    server.stop();
}

/// An export carries the cosigned checkpoint, and an entry's proof its
/// cosignatures: the policy file alone verifies both offline.
async fn verify_offline(
    dir: &Path,
    data: &Path,
    policy_file: &Path,
    http: &reqwest::Client,
    base: &str,
    token: &str,
    covered: u64,
) {
    // An export carries the cosigned checkpoint, and the policy file alone
    // verifies it.
    let export = dir.join("export");
    let out = godown(&[
        "export",
        "--data",
        data.to_str().unwrap(),
        "--out",
        export.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = godown(&[
        "verify",
        "--export",
        export.to_str().unwrap(),
        "--policy",
        policy_file.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));

    // An entry's proof carries the cosignatures, and the policy alone
    // checks it offline.
    let proof = http
        .get(format!("{base}/proof/{}", covered - 1))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(proof.status(), 200);
    let proof_file = dir.join("entry.tlog-proof");
    std::fs::write(&proof_file, proof.text().await.unwrap()).unwrap();
    let out = godown(&[
        "verify",
        "--proof",
        proof_file.to_str().unwrap(),
        "--policy",
        policy_file.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
}
