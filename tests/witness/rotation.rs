//! Rotating the log key through governance: a quorum adopts the new key,
//! the old key signs the hand-over on the ledger, the new key signs every
//! checkpoint after it, witnesses that trust the new key keep cosigning
//! across the rotation, and `godown verify` and the independent verifier
//! follow the hand-over from the key the ledger was founded with.

use std::path::Path;
use std::time::{Duration, Instant};

use godown_domain::membership::governance::{Action, OpenProposal};
use godown_domain::membership::log_key::{LogKey, LogRotation};
use godown_domain::{MembershipTx, RecordId, Text};
use godown_ledger::{KeyKind, Policy, PrivateKey, TrustPolicy, VerifierKey};
use serde_json::{Value, json};

use super::consortium::{
    invite, node_dir, policy_text, serve_with_policy, until_final, witness_trusting,
};
use super::governed::{approve, signed};
use super::{WitnessProcess, get_text};
use crate::cli::independent::independent;
use crate::support::binary::{ORIGIN, free_port, login, post_graphql, serve_command};
use crate::{godown, stderr};

const PROPOSAL: &str = "prop-rotate-log-key";

/// The ledger's keys as GraphQL says: in force, all, and the adopted next.
async fn ledger_keys(http: &reqwest::Client, base: &str) -> Value {
    let token = login(http, base, 10).await;
    let answer = post_graphql(
        http,
        base,
        &token,
        &json!({"query": "{ ledger { logVkey logVkeys logVkeyNext } }"}),
    )
    .await
    .unwrap();
    answer["data"]["ledger"].clone()
}

/// The size a witness last cosigned for the ledger.
async fn witnessed(http: &reqwest::Client, w: &WitnessProcess) -> u64 {
    let (_, note) = get_text(http, &format!("{}/checkpoint/{ORIGIN}", w.server.base)).await;
    note.lines()
        .nth(1)
        .and_then(|l| l.parse().ok())
        .unwrap_or(0)
}

/// The operator proposes `new` as the log key; bank-a and wh-a approve.
async fn adopt(http: &reqwest::Client, base: &str, new: &VerifierKey) {
    let open = MembershipTx::Open(OpenProposal {
        proposal: RecordId::parse(PROPOSAL).unwrap(),
        action: Action::LogRotate(LogRotation {
            vkey: LogKey(new.clone()),
        }),
        reason: Text::parse("the log key is three years old").unwrap(),
        days: 7,
        documents: vec![],
    });
    signed(
        http,
        base,
        2,
        "mutation($input: ProposalInput!, $vkey: String!, $signature: SignatureInput!) {
          proposeLogRotation(input: $input, vkey: $vkey, signature: $signature) { index } }",
        json!({"input": {"proposal": PROPOSAL, "reason": "the log key is three years old", "days": 7},
               "vkey": new.to_string()}),
        &open,
    )
    .await;
    approve(http, base, PROPOSAL, &[10, 20]).await;
}

/// Offline, from the key the ledger was founded with or from the new one,
/// an export verifies across the hand-over; from a stranger's, not. The
/// node's database replays, each checkpoint signed by the key in force at
/// its size.
fn verify_offline(
    dir: &Path,
    data: &Path,
    policy_file: &Path,
    old: &VerifierKey,
    new: &VerifierKey,
) {
    let export = dir.join("export");
    let out = godown(&[
        "export",
        "--data",
        data.to_str().unwrap(),
        "--out",
        export.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    for trusted in [old, new] {
        let out = godown(&[
            "verify",
            "--export",
            export.to_str().unwrap(),
            "--log-vkey",
            &trusted.to_string(),
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(said.contains("handed over 1 time(s)"), "{said}");
        let run = independent(&export, &trusted.to_string());
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        assert!(
            String::from_utf8_lossy(&run.stdout).contains("handed over 1 time(s)"),
            "{}",
            String::from_utf8_lossy(&run.stdout)
        );
    }
    let stranger = VerifierKey::new(
        ORIGIN,
        KeyKind::Note,
        PrivateKey::from_seed(&[67; 32]).public_key(),
    )
    .unwrap();
    let out = godown(&[
        "verify",
        "--export",
        export.to_str().unwrap(),
        "--log-vkey",
        &stranger.to_string(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("UNTRUSTED_LOG_KEY"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        independent(&export, &stranger.to_string()).status.code(),
        Some(1)
    );
    let out = godown(&[
        "verify",
        "--export",
        export.to_str().unwrap(),
        "--policy",
        policy_file.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = godown(&["verify", "--data", data.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_log_key_handed_over_by_quorum_signs_from_its_hand_over_and_verifiers_follow_it() {
    let dir = tempfile::tempdir().unwrap();
    let (data, _, old) = node_dir(dir.path(), 65);
    let next_key = PrivateKey::from_seed(&[66; 32]);
    let new = VerifierKey::new(ORIGIN, KeyKind::Note, next_key.public_key()).unwrap();
    // Two members' witnesses were told of the new key when it was proposed;
    // the third still trusts only the old one.
    let both = [old.clone(), new.clone()];
    let witnesses = vec![
        witness_trusting(dir.path(), 0, &both),
        witness_trusting(dir.path(), 1, &both),
        witness_trusting(dir.path(), 2, std::slice::from_ref(&old)),
    ];
    // A policy written ahead of the rotation lists both keys of the log.
    let policy = policy_text(
        &old,
        &witnesses,
        "group members 2 m0 m1 m2\nquorum members\n",
    )
    .replacen('\n', &format!("\nlog {new}\n"), 1);
    let policy_file = dir.path().join("consortium.policy");
    std::fs::write(&policy_file, &policy).unwrap();
    let server = serve_with_policy(&data, &policy_file, &[]);
    let http = crate::support::http_client();
    let base = server.base.clone();
    let token = login(&http, &base, 10).await;
    invite(&http, &base, &token, 0, 3).await;

    adopt(&http, &base, &new).await;

    // Adopted, but the node does not hold the new key yet: nothing is
    // handed over, and the ledger says what it waits for.
    let keys = ledger_keys(&http, &base).await;
    assert_eq!(keys["logVkey"], old.to_string(), "{keys}");
    assert_eq!(keys["logVkeyNext"], new.to_string(), "{keys}");

    // The operator puts the new key in the node's log-keys folder: the node
    // hands over by itself.
    let folder = data.join("log-keys");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("next.pem"), next_key.to_pkcs8_pem().unwrap()).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (_, vkeys) = get_text(&http, &format!("{base}/vkeys")).await;
        if vkeys.lines().next() == Some(new.to_string().as_str()) {
            assert_eq!(
                vkeys.lines().last(),
                Some(old.to_string().as_str()),
                "the retired key is listed last: {vkeys}"
            );
            break;
        }
        assert!(Instant::now() < deadline, "never handed over: {vkeys}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let keys = ledger_keys(&http, &base).await;
    assert_eq!(keys["logVkey"], new.to_string(), "{keys}");
    assert_eq!(keys["logVkeys"], json!([new.to_string(), old.to_string()]));
    assert!(keys["logVkeyNext"].is_null(), "{keys}");

    // The log goes on; the two witnesses trusting the new key keep it final.
    invite(&http, &base, &token, 3, 3).await;
    let covered = until_final(&http, &base).await;
    let (_, note) = get_text(&http, &format!("{base}/checkpoint")).await;
    let verified = Policy::parse(&policy)
        .unwrap()
        .verify(note.as_bytes())
        .unwrap();
    assert!(verified.witnesses.len() >= 2, "{note}");
    assert_eq!(
        TrustPolicy::new(old.clone(), vec![], 0)
            .unwrap()
            .verify(note.as_bytes())
            .unwrap_err()
            .code(),
        "LOG_SIGNATURE_MISSING",
        "the retired key signs nothing new"
    );
    // The third witness cosigned up to the checkpoint that covers the
    // hand-over (both keys sign it), and refuses what the new key alone signs.
    let third = witnessed(&http, &witnesses[2]).await;
    assert!(third < covered, "{third} of {covered}");
    assert!(witnessed(&http, &witnesses[0]).await >= covered);
    server.stop();

    verify_offline(dir.path(), &data, &policy_file, &old, &new);

    restart(&http, &data, &policy_file, &new).await;
}

/// Restarted, the node signs with the new key; without it, it refuses to
/// start and says where the key belongs.
async fn restart(http: &reqwest::Client, data: &Path, policy_file: &Path, new: &VerifierKey) {
    let server = serve_with_policy(data, policy_file, &[]);
    let token = login(http, &server.base, 10).await;
    invite(http, &server.base, &token, 6, 1).await;
    let (_, pending) = get_text(http, &format!("{}/checkpoint/pending", server.base)).await;
    TrustPolicy::new(new.clone(), vec![], 0)
        .unwrap()
        .verify(pending.as_bytes())
        .unwrap();
    server.stop();
    std::fs::remove_file(data.join("log-keys").join("next.pem")).unwrap();
    let mut command = serve_command(data, free_port());
    let mut child = command
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
        }
        assert!(
            Instant::now() <= deadline,
            "the node started without the log key in force"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(!status.success());
    let mut said = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut said).unwrap();
    assert!(said.contains("log-keys"), "{said}");
}
