//! A split view: the log shows one history to one witness and another to a
//! second. Neither can then be brought to cosign the other's history, and a
//! monitor comparing what they cosigned finds the two checkpoints and keeps
//! them as the proof.

use std::fmt::Write as _;

use super::consortium::witness;
use super::{Log, add_checkpoint};
use crate::{godown, stderr, stdout};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_log_showing_two_histories_gets_neither_cosigned_twice_and_the_monitor_keeps_the_proof() {
    let dir = tempfile::tempdir().unwrap();
    // One log key, two histories of ten entries.
    let mut one = Log::new(1);
    one.grow(10, "one");
    let mut two = Log::new(1);
    two.grow(10, "two");
    let log = one.vkey();
    let (a, b) = (witness(dir.path(), 0, &log), witness(dir.path(), 1, &log));
    let http = crate::support::http_client();
    let (a_url, b_url) = (&a.server.base, &b.server.base);
    assert_eq!(add_checkpoint(&http, a_url, one.request(0)).await.0, 200);
    assert_eq!(add_checkpoint(&http, b_url, two.request(0)).await.0, 200);

    // Neither witness cosigns the history the other was shown: the same
    // size with another root is a 409, a larger tree of it a 422.
    assert_eq!(add_checkpoint(&http, a_url, two.request(10)).await.0, 409);
    assert_eq!(add_checkpoint(&http, b_url, one.request(10)).await.0, 409);
    let roots = [one.root, two.root];
    two.grow(2, "two-more");
    assert_eq!(add_checkpoint(&http, a_url, two.request(10)).await.0, 422);

    // A monitor holding both witnesses' checkpoints finds the split view.
    let mut policy = format!("log {log}\n");
    writeln!(policy, "witness a {} {a_url}", a.vkey).unwrap();
    writeln!(policy, "witness b {} {b_url}", b.vkey).unwrap();
    policy.push_str("group both 2 a b\nquorum both\n");
    let policy_file = dir.path().join("consortium.policy");
    std::fs::write(&policy_file, policy).unwrap();
    let state = dir.path().join("monitor");
    let mail = dir.path().join("mail");
    let out = godown(&[
        "monitor",
        "--policy",
        policy_file.to_str().unwrap(),
        "--state",
        state.to_str().unwrap(),
        "--name",
        "monitor.member0.example",
        "--alarm-to",
        "risk@member0.example",
        "--mail-dir",
        mail.to_str().unwrap(),
        "--once",
    ]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let evidence: Vec<String> = std::fs::read_dir(state.join("evidence"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert_eq!(evidence.len(), 1, "{evidence:?}");
    let kept = &evidence[0];
    for root in roots {
        let body = format!("{}\n10\n{}\n", log.name(), root.to_base64());
        assert!(kept.contains(&body), "both checkpoints are kept: {kept}");
    }
    assert!(
        kept.contains("two checkpoints of size 10 with different roots"),
        "{kept}"
    );
    // The alarm went out before the monitor exited, in both languages.
    let sent: Vec<String> = std::fs::read_dir(&mail)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(sent[0].contains("To: risk@member0.example"), "{}", sent[0]);
    assert!(sent[0].contains("Message-ID: <alarm-"), "{}", sent[0]);
    let metrics = std::fs::read_to_string(state.join("metrics.prom")).unwrap();
    assert!(
        metrics.contains("godown_monitor_split_views_total 1"),
        "{metrics}"
    );
    a.server.stop();
    b.server.stop();
}
