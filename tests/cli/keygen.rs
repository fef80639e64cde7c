use std::process::Command;

use godown_ledger::{KeyKind, PrivateKey, VerifierKey};

use crate::{godown, stderr, stdout};

#[test]
fn keygen_writes_a_pkcs8_pem_that_openssl_reads_and_prints_its_vkey() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("log.pem");
    let run = godown(&[
        "keygen",
        "--name",
        "godown.example/log",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));

    let vkey = VerifierKey::parse(stdout(&run).trim()).unwrap();
    assert_eq!(vkey.name(), "godown.example/log");
    assert_eq!(vkey.kind(), KeyKind::Note);
    let pem = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        &PrivateKey::from_pkcs8_pem(&pem).unwrap().public_key(),
        vkey.public_key()
    );

    let openssl = Command::new("openssl")
        .args(["pkey", "-in", out.to_str().unwrap(), "-noout", "-text"])
        .output()
        .expect("openssl is installed");
    assert!(openssl.status.success(), "{}", stderr(&openssl));
    assert!(String::from_utf8_lossy(&openssl.stdout).contains("ED25519 Private-Key"));

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the key file is readable by others");
    }
}

#[test]
fn keygen_never_overwrites_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("key.pem");
    std::fs::write(&out, "precious").unwrap();
    let run = godown(&["keygen", "--name", "n", "--out", out.to_str().unwrap()]);
    assert!(!run.status.success());
    assert!(stderr(&run).contains("already exists"), "{}", stderr(&run));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "precious");
}

#[test]
fn keygen_for_a_witness_prints_a_cosignature_vkey() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("w.pem");
    let run = godown(&[
        "keygen",
        "--name",
        "w.example/1",
        "--witness",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    let vkey = VerifierKey::parse(stdout(&run).trim()).unwrap();
    assert_eq!(vkey.kind(), KeyKind::Cosignature);
}

#[test]
fn keygen_refuses_a_name_with_spaces_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("k.pem");
    let run = godown(&[
        "keygen",
        "--name",
        "bad name",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(1));
    assert!(stderr(&run).contains("MALFORMED_VKEY"), "{}", stderr(&run));
    assert!(!out.exists());
}

#[test]
fn every_command_has_help_with_an_example() {
    for cmd in ["keygen", "verify"] {
        let run = godown(&[cmd, "--help"]);
        assert!(run.status.success());
        assert!(stdout(&run).contains("Example"), "{cmd}: {}", stdout(&run));
        assert!(stdout(&run).contains(&format!("godown {cmd} ")), "{cmd}");
    }
}
