//! A verifier written without any of Godown's code, from the public
//! specifications alone (`tests/independent/verify_export.py`), accepts the
//! node's export and refuses a tampered one.

use std::path::Path;
use std::process::Command;

use crate::node::invite;
use crate::support::{Backend, TestApp};

/// Runs the independent verifier on an export, trusting `vkey`.
pub(crate) fn independent(dir: &Path, vkey: &str) -> std::process::Output {
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/independent/verify_export.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(dir)
        .arg(vkey)
        .output()
        .expect("python3 runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains("No module named 'cryptography'"),
        "the independent verifier needs Python's cryptography package: pip install cryptography"
    );
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_independent_verifier_accepts_the_nodes_export_and_refuses_a_tampered_one() {
    let app = TestApp::start(Backend::Sqlite).await.unwrap();
    for i in 0..4 {
        app.submit(10, &invite("bank-a", &format!("bank-a.u{i}")))
            .await
            .unwrap();
    }
    let out = app.data_dir().join("export");
    godown_node::export::export(app.node.db(), &out)
        .await
        .unwrap();
    let vkey = app.node.log_vkey().to_string();
    let run = independent(&out, &vkey);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(String::from_utf8_lossy(&run.stdout).contains("OK: 5 entries"));

    // Two entries swapped: each still signed, but the tree is not the same.
    let entries = out.join("entries.jsonl");
    let text = std::fs::read_to_string(&entries).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.swap(1, 2);
    std::fs::write(&entries, lines.join("\n") + "\n").unwrap();
    let run = independent(&out, &vkey);
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("do not hash to the checkpoint's root"));
}
