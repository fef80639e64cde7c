use std::fs;
use std::path::Path;

use godown_ledger::tree::RootBuilder;
use godown_ledger::{Checkpoint, Entry, NoteSigner, PrivateKey, Transaction};
use tempfile::TempDir;

use crate::{godown, stderr, stdout, vectors};

fn log_vkey() -> String {
    fs::read_to_string(vectors().join("log.vkey"))
        .unwrap()
        .trim()
        .to_owned()
}

fn witness_vkey() -> String {
    fs::read_to_string(vectors().join("witness.vkey"))
        .unwrap()
        .trim()
        .to_owned()
}

/// A writable copy of the vector export.
fn export_copy() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["entries.jsonl", "checkpoint", "log.vkey"] {
        fs::copy(vectors().join(name), dir.path().join(name)).unwrap();
    }
    dir
}

fn verify_export(dir: &Path, extra: &[&str]) -> std::process::Output {
    let vkey = log_vkey();
    let mut args = vec![
        "verify",
        "--export",
        dir.to_str().unwrap(),
        "--log-vkey",
        &vkey,
    ];
    args.extend_from_slice(extra);
    godown(&args)
}

/// Asserts a run failed with exit 1 and exactly one line naming `needle`.
fn assert_refused(run: &std::process::Output, needle: &str) {
    let err = stderr(run);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "not one line: {err}");
    assert!(err.contains(needle), "{needle:?} not in {err}");
}

#[test]
fn the_vector_export_verifies() {
    let run = verify_export(&vectors(), &[]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(stdout(&run).contains("5 entries"));
}

#[test]
fn the_export_fails_once_any_bad_entry_is_swapped_in() {
    for (name, code) in [
        ("altered-body", "BAD_SIGNATURE"),
        ("not-canonical", "line 2"),
        ("other-origin", "WRONG_ORIGIN"),
        ("wrong-key", "BAD_SIGNATURE"),
        ("float-amount", "FLOAT_NUMBER"),
    ] {
        let dir = export_copy();
        let bad = fs::read_to_string(vectors().join(format!("bad/{name}.json"))).unwrap();
        let mut lines: Vec<String> = fs::read_to_string(vectors().join("entries.jsonl"))
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect();
        lines[1] = bad.trim_end().to_owned();
        fs::write(dir.path().join("entries.jsonl"), lines.join("\n") + "\n").unwrap();
        let run = verify_export(dir.path(), &[]);
        assert_refused(&run, "entries.jsonl line 2 (entry 1)");
        assert!(stderr(&run).contains(code), "{name}: {}", stderr(&run));
    }
}

#[test]
fn a_truncated_last_line_is_refused_naming_the_line() {
    let dir = export_copy();
    let text = fs::read_to_string(vectors().join("entries.jsonl")).unwrap();
    fs::write(dir.path().join("entries.jsonl"), &text[..text.len() - 40]).unwrap();
    let run = verify_export(dir.path(), &[]);
    assert_refused(&run, "line 5 (entry 4): MALFORMED_JSON");
}

#[test]
fn missing_or_extra_entries_are_refused_against_the_checkpoint() {
    let dir = export_copy();
    let text = fs::read_to_string(vectors().join("entries.jsonl")).unwrap();
    let four: Vec<&str> = text.lines().take(4).collect();
    fs::write(dir.path().join("entries.jsonl"), four.join("\n") + "\n").unwrap();
    assert_refused(&verify_export(dir.path(), &[]), "SIZE_MISMATCH");

    let six = format!("{text}{}\n", text.lines().next().unwrap());
    fs::write(dir.path().join("entries.jsonl"), six).unwrap();
    assert_refused(
        &verify_export(dir.path(), &[]),
        "line 6 (entry 5): SIZE_MISMATCH",
    );
}

#[test]
fn a_swapped_order_of_entries_breaks_the_root() {
    let dir = export_copy();
    let text = fs::read_to_string(vectors().join("entries.jsonl")).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.swap(0, 2);
    fs::write(dir.path().join("entries.jsonl"), lines.join("\n") + "\n").unwrap();
    assert_refused(&verify_export(dir.path(), &[]), "ROOT_MISMATCH");
}

#[test]
fn witnesses_are_required_when_named_and_counted_when_given() {
    let dir = export_copy();
    let witness = witness_vkey();
    // The plain checkpoint carries no cosignature.
    assert_refused(
        &verify_export(dir.path(), &["--witness-vkey", &witness]),
        "TOO_FEW_WITNESSES",
    );
    let run = verify_export(
        dir.path(),
        &["--witness-vkey", &witness, "--min-witnesses", "0"],
    );
    assert!(run.status.success(), "{}", stderr(&run));

    fs::copy(
        vectors().join("checkpoint.cosigned"),
        dir.path().join("checkpoint"),
    )
    .unwrap();
    let run = verify_export(dir.path(), &["--witness-vkey", &witness]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(stdout(&run).contains("1 witness cosignature"));
}

/// Runs `godown verify --export DIR --policy FILE` with `policy` as the file.
fn verify_with_policy(dir: &Path, policy: &str) -> std::process::Output {
    let file = dir.join("consortium.policy");
    fs::write(&file, policy).unwrap();
    godown(&[
        "verify",
        "--export",
        dir.to_str().unwrap(),
        "--policy",
        file.to_str().unwrap(),
    ])
}

#[test]
fn a_tlog_policy_file_decides_which_cosignatures_are_enough() {
    let dir = export_copy();
    fs::copy(
        vectors().join("checkpoint.cosigned"),
        dir.path().join("checkpoint"),
    )
    .unwrap();
    let (log, witness) = (log_vkey(), witness_vkey());
    let run = verify_with_policy(
        dir.path(),
        &format!("log {log}\nwitness bank {witness}\nquorum bank\n"),
    );
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(stdout(&run).contains("1 witness cosignature"));

    // Two of two witnesses, one of whom never cosigned: not enough.
    let absent = NoteSigner::witness("w2.example/w", PrivateKey::from_seed(&[43; 32]), 1).unwrap();
    let two_of_two = format!(
        "log {log}\nwitness bank {witness}\nwitness other {}\ngroup both all bank other\nquorum both\n",
        absent.verifier_key()
    );
    assert_refused(
        &verify_with_policy(dir.path(), &two_of_two),
        "QUORUM_NOT_MET",
    );
    // A policy that is not one names its line.
    assert_refused(
        &verify_with_policy(dir.path(), &format!("log {log}\nquorum nobody\n")),
        "policy line 2",
    );
    // The flags and the file do not mix.
    let mixed = godown(&[
        "verify",
        "--export",
        dir.path().to_str().unwrap(),
        "--policy",
        dir.path().join("consortium.policy").to_str().unwrap(),
        "--log-vkey",
        &log,
    ]);
    assert!(!mixed.status.success());
}

#[test]
fn a_checkpoint_signed_by_another_log_key_is_refused() {
    let dir = export_copy();
    let other =
        NoteSigner::log("godown.example/vectors", PrivateKey::from_seed(&[42; 32])).unwrap();
    let vkey = other.verifier_key().to_string();
    let run = godown(&[
        "verify",
        "--export",
        dir.path().to_str().unwrap(),
        "--log-vkey",
        &vkey,
    ]);
    assert_refused(&run, "LOG_SIGNATURE_MISSING");
}

#[test]
fn a_malformed_vkey_is_a_usage_error() {
    let run = godown(&["verify", "--export", ".", "--log-vkey", "name+zz+AAAA"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(stderr(&run).contains("--log-vkey"));
}

#[test]
fn a_missing_export_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let run = verify_export(&dir.path().join("nothing-here"), &[]);
    assert_refused(&run, "cannot open");
}

#[test]
fn a_5_gb_entries_file_is_refused_at_its_first_overlong_line_without_reading_it_whole() {
    let dir = export_copy();
    let file = fs::File::create(dir.path().join("entries.jsonl")).unwrap();
    file.set_len(5 << 30).unwrap(); // sparse: five gigabytes of zero bytes
    assert_refused(
        &verify_export(dir.path(), &[]),
        "line 1 is longer than 1048576 bytes",
    );

    let file = fs::File::create(dir.path().join("checkpoint")).unwrap();
    file.set_len(5 << 30).unwrap();
    assert_refused(&verify_export(dir.path(), &[]), "larger than");
}

#[test]
fn the_vector_proof_file_verifies_and_a_tampered_one_does_not() {
    let vkey = log_vkey();
    let proof = vectors().join("entry-2.tlog-proof");
    let run = godown(&[
        "verify",
        "--proof",
        proof.to_str().unwrap(),
        "--log-vkey",
        &vkey,
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(stdout(&run).contains("entry 2 (pledge.confirm"));

    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(&proof).unwrap();
    for (label, tampered, code) in [
        ("index", text.replace("index 2", "index 3"), "ROOT_MISMATCH"),
        ("hash", text.replacen("KEA1", "KEA2", 1), "ROOT_MISMATCH"),
        (
            "header",
            text.replace("tlog-proof@v1", "tlog-proof@v2"),
            "MALFORMED_PROOF_FILE",
        ),
        ("cut", text[..200].to_owned(), "MALFORMED_PROOF_FILE"),
    ] {
        let path = dir.path().join(label);
        fs::write(&path, tampered).unwrap();
        let run = godown(&[
            "verify",
            "--proof",
            path.to_str().unwrap(),
            "--log-vkey",
            &vkey,
        ]);
        assert_refused(&run, code);
    }
}

/// Writes an export of `txs` signed by `key`, with a checkpoint by `log`.
fn write_export(dir: &Path, log: &NoteSigner, key: &PrivateKey, nonces: &[&str]) {
    let origin = log.verifier_key().name().to_owned();
    let mut root = RootBuilder::new();
    let mut lines = String::new();
    for nonce in nonces {
        let tx = Transaction::new(&origin, "org.admit", nonce, serde_json::Map::new()).unwrap();
        let sig = key.sign(&tx.signing_bytes());
        let entry = Entry::new(&tx, sig, key.public_key(), serde_json::Map::new()).unwrap();
        root.push(entry.leaf_hash());
        lines.push_str(std::str::from_utf8(entry.bytes()).unwrap());
        lines.push('\n');
    }
    let checkpoint = Checkpoint {
        origin,
        size: root.size(),
        root: root.root(),
        extensions: vec![],
    };
    fs::write(dir.join("entries.jsonl"), lines).unwrap();
    fs::write(dir.join("checkpoint"), checkpoint.sign(log).unwrap()).unwrap();
}

#[test]
fn a_key_that_reuses_a_nonce_is_refused_at_the_second_use() {
    let dir = tempfile::tempdir().unwrap();
    let log = NoteSigner::log("test.example/log", PrivateKey::from_seed(&[1; 32])).unwrap();
    let member = PrivateKey::from_seed(&[2; 32]);
    write_export(dir.path(), &log, &member, &["a", "b", "c"]);
    let vkey = log.verifier_key().to_string();
    let args = [
        "verify",
        "--export",
        dir.path().to_str().unwrap(),
        "--log-vkey",
        &vkey,
    ];
    let run = godown(&args);
    assert!(run.status.success(), "{}", stderr(&run));

    write_export(dir.path(), &log, &member, &["a", "b", "a"]);
    assert_refused(&godown(&args), "line 3 (entry 2): NONCE_REUSED");
}
