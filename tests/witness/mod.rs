//! `godown witness` as a member runs it: a real process on loopback, asked
//! over HTTP exactly as C2SP tlog-witness says, by a log kept in memory
//! here and signed with a test log key.

mod consortium;
mod crash;
mod fork;
mod governed;
mod monitor;
mod rotation;
mod split;
mod tls;

use std::path::Path;
use std::process::Command;

use godown_ledger::tree::{MemoryStore, append, block_on, consistency_proof};
use godown_ledger::witness::AddCheckpoint;
use godown_ledger::{
    Checkpoint, Hash, KeyKind, NoteSigner, PrivateKey, TrustPolicy, VerifierKey, leaf_hash,
};

use crate::support::binary::{ServerProcess, free_port};

pub const ORIGIN: &str = "witness-test.godown.example/log";
pub const WITNESS: &str = "witness.bank-a.example/w1";

/// A log in memory: its tree and its signing key.
pub struct Log {
    store: MemoryStore,
    pub size: u64,
    pub root: Hash,
    signer: NoteSigner,
}

impl Log {
    /// An empty log signed by the key of `seed`.
    pub fn new(seed: u8) -> Self {
        Self::named(ORIGIN, seed)
    }

    pub fn named(origin: &str, seed: u8) -> Self {
        Self {
            store: MemoryStore::new(),
            size: 0,
            root: Hash::EMPTY_ROOT,
            signer: NoteSigner::log(origin, PrivateKey::from_seed(&[seed; 32])).unwrap(),
        }
    }

    pub fn vkey(&self) -> VerifierKey {
        self.signer.verifier_key().clone()
    }

    /// Appends `n` leaves whose content starts with `salt`.
    pub fn grow(&mut self, n: u64, salt: &str) {
        let leaves: Vec<Hash> = (self.size..self.size + n)
            .map(|i| leaf_hash(format!("{salt}-{i}").as_bytes()))
            .collect();
        let head = block_on(append(&mut self.store, self.size, &leaves)).unwrap();
        self.size = head.size;
        self.root = head.root;
    }

    /// The current checkpoint, signed.
    pub fn note(&self) -> String {
        Checkpoint {
            origin: self.signer.verifier_key().name().to_owned(),
            size: self.size,
            root: self.root,
            extensions: Vec::new(),
        }
        .sign(&self.signer)
        .unwrap()
    }

    /// The `add-checkpoint` body from `old` to now.
    pub fn request(&self, old: u64) -> String {
        AddCheckpoint {
            old_size: old,
            proof: block_on(consistency_proof(&self.store, old, self.size)).unwrap(),
            checkpoint: self.note(),
        }
        .to_body()
    }
}

/// A fresh witness following a fresh log (seed 1), with its directory and
/// an HTTP client: what most tests start from.
pub fn fresh() -> (tempfile::TempDir, Log, WitnessProcess, reqwest::Client) {
    let dir = tempfile::tempdir().unwrap();
    let log = Log::new(1);
    let witness = start_witness(dir.path(), &[log.vkey()]);
    (dir, log, witness, crate::support::http_client())
}

/// A running witness process.
pub struct WitnessProcess {
    pub server: ServerProcess,
    pub vkey: VerifierKey,
}

/// The witness's key, as `godown keygen --witness` would have written it.
pub fn witness_key_file(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("witness.pem");
    if !path.exists() {
        let pem = PrivateKey::from_seed(&[77; 32]).to_pkcs8_pem().unwrap();
        std::fs::write(&path, pem).unwrap();
    }
    path
}

/// Starts `godown witness` on a free port for `logs`, with its state in
/// `dir/state`.
pub fn start_witness(dir: &Path, logs: &[VerifierKey]) -> WitnessProcess {
    start_witness_with(dir, logs, &witness_key_file(dir), WITNESS)
}

pub fn start_witness_with(
    dir: &Path,
    logs: &[VerifierKey],
    key: &Path,
    name: &str,
) -> WitnessProcess {
    start_witness_args(dir, logs, key, name, &[])
}

/// Like [`start_witness_with`], with more arguments.
pub fn start_witness_args(
    dir: &Path,
    logs: &[VerifierKey],
    key: &Path,
    name: &str,
    extra: &[&str],
) -> WitnessProcess {
    let port = free_port();
    let mut command = Command::new(env!("CARGO_BIN_EXE_godown"));
    command
        .args(["witness", "--listen", &format!("127.0.0.1:{port}")])
        .arg("--key")
        .arg(key)
        .args(["--name", name])
        .arg("--state")
        .arg(dir.join("state"))
        .env("RUST_LOG", "error")
        .env_remove("OTEL_EXPORTER_OTLP_ENDPOINT");
    for log in logs {
        command.arg("--log-vkey").arg(log.to_string());
    }
    command.args(extra);
    let key = PrivateKey::from_pkcs8_pem(&std::fs::read_to_string(key).unwrap()).unwrap();
    WitnessProcess {
        server: ServerProcess::start_until(command, port, "/healthz"),
        vkey: VerifierKey::new(name, KeyKind::Cosignature, key.public_key()).unwrap(),
    }
}

/// GETs `url`: the status and the body.
pub async fn get_text(http: &reqwest::Client, url: &str) -> (u16, String) {
    let answer = http.get(url).send().await.unwrap();
    (answer.status().as_u16(), answer.text().await.unwrap())
}

/// Posts an `add-checkpoint` body; the status, the content type and the body.
pub async fn add_checkpoint(
    http: &reqwest::Client,
    base: &str,
    body: impl Into<reqwest::Body>,
) -> (u16, String, String) {
    let answer = http
        .post(format!("{base}/add-checkpoint"))
        .body(body)
        .send()
        .await
        .unwrap();
    let status = answer.status().as_u16();
    let content_type = answer
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, content_type, answer.text().await.unwrap())
}

/// The checkpoint with the witness's answer appended, verified as a policy
/// of the log and this one witness would.
pub fn verify_cosigned(log: &Log, witness: &VerifierKey, lines: &str) -> u64 {
    let note = format!("{}{lines}", log.note());
    let policy = TrustPolicy::new(log.vkey(), vec![witness.clone()], 1).unwrap();
    let verified = policy.verify(note.as_bytes()).unwrap();
    assert_eq!(verified.witnesses.len(), 1);
    assert_eq!(verified.checkpoint.size, log.size);
    verified.witnesses[0].timestamp
}

#[tokio::test]
async fn a_witness_cosigns_a_growing_log_and_serves_what_it_cosigned() {
    let (_dir, mut log, witness, http) = fresh();
    let base = &witness.server.base;

    log.grow(3, "a");
    let (status, _, lines) = add_checkpoint(&http, base, log.request(0)).await;
    assert_eq!(status, 200, "{lines}");
    assert!(lines.starts_with(&format!("— {WITNESS} ")) && lines.ends_with('\n'));
    let timestamp = verify_cosigned(&log, &witness.vkey, &lines);
    assert!(timestamp > 0, "a cosignature's timestamp is never zero");

    for step in [1, 5, 17, 64] {
        let old = log.size;
        log.grow(step, "a");
        let (status, _, lines) = add_checkpoint(&http, base, log.request(old)).await;
        assert_eq!(status, 200, "{old} → {}: {lines}", log.size);
        verify_cosigned(&log, &witness.vkey, &lines);
    }

    // Monitors read back what was cosigned: the log's signature and the
    // witness's, over the newest checkpoint.
    let origin_path = ORIGIN;
    let (status, note) = get_text(&http, &format!("{base}/checkpoint/{origin_path}")).await;
    assert_eq!(status, 200);
    let policy = TrustPolicy::new(log.vkey(), vec![witness.vkey.clone()], 1).unwrap();
    assert_eq!(
        policy.verify(note.as_bytes()).unwrap().checkpoint.size,
        log.size
    );
    let (status, _) = get_text(&http, &format!("{base}/checkpoint/unknown.example/log")).await;
    assert_eq!(status, 404);
    witness.server.stop();
}

#[tokio::test]
async fn hostile_requests_get_the_status_the_spec_gives_and_change_nothing() {
    let (_dir, mut log, witness, http) = fresh();
    let base = &witness.server.base;
    log.grow(8, "a");
    assert_eq!(add_checkpoint(&http, base, log.request(0)).await.0, 200);
    let cosigned = log.size;
    log.grow(8, "a");
    let note = log.note();
    let proof_line = format!("{}\n", Hash::EMPTY_ROOT.to_base64());

    let mut stranger = Log::new(9);
    stranger.grow(16, "a");
    let mut other_origin = Log::named("other.godown.example/log", 1);
    other_origin.grow(16, "a");
    let mut empty_wrong_root = Log::new(1);
    empty_wrong_root.root = leaf_hash(b"not empty");

    let cases: Vec<(&str, Vec<u8>, u16)> = vec![
        ("an oversized body", vec![b'a'; 70 * 1024], 413),
        (
            "64 proof lines",
            format!("old {cosigned}\n{}\n{note}", proof_line.repeat(64)).into_bytes(),
            400,
        ),
        (
            "a proof line that is not base64",
            format!("old {cosigned}\n!!!!\n\n{note}").into_bytes(),
            400,
        ),
        (
            "an old size with a leading zero",
            format!("old 08\n\n{note}").into_bytes(),
            400,
        ),
        ("no old size line", note.clone().into_bytes(), 400),
        ("not UTF-8", b"old 8\n\xff\xfe\n\n".to_vec(), 400),
        (
            "a checkpoint that is not a note",
            format!("old {cosigned}\n\nhello\n").into_bytes(),
            400,
        ),
        (
            "an origin it does not follow",
            other_origin.request(0).into_bytes(),
            404,
        ),
        (
            "a signature by an unknown key only",
            stranger.request(cosigned).into_bytes(),
            403,
        ),
        (
            "an old size above the new one",
            format!("old 99\n\n{note}").into_bytes(),
            400,
        ),
        ("a stale old size", log.request(3).into_bytes(), 409),
        (
            "a checkpoint for size 0 with a wrong root",
            format!("old 0\n\n{}", empty_wrong_root.note()).into_bytes(),
            409,
        ),
    ];
    for (what, body, want) in cases {
        let (status, content_type, text) = add_checkpoint(&http, base, body).await;
        assert_eq!(status, want, "{what}: {text}");
        if status == 409 {
            assert_eq!(content_type, "text/x.tlog.size", "{what}");
            assert_eq!(text, format!("{cosigned}\n"), "{what}");
        }
    }
    // Nothing above moved the witness: it still holds size 8, and the
    // honest extension from 8 is cosigned.
    let (status, _, lines) = add_checkpoint(&http, base, log.request(cosigned)).await;
    assert_eq!(status, 200, "{lines}");
    verify_cosigned(&log, &witness.vkey, &lines);
    witness.server.stop();
}

#[tokio::test]
async fn a_checkpoint_for_size_zero_with_a_wrong_root_is_refused_on_a_fresh_witness() {
    let (_dir, mut log, witness, http) = fresh();
    log.root = leaf_hash(b"not empty");
    let (status, _, text) = add_checkpoint(&http, &witness.server.base, log.request(0)).await;
    assert_eq!(status, 422, "{text}");
    witness.server.stop();
}

#[tokio::test]
async fn a_fork_is_refused_and_the_witness_keeps_the_evidence_and_raises_an_alarm() {
    let (dir, mut honest, witness, http) = fresh();
    let base = &witness.server.base;
    honest.grow(10, "honest");
    assert_eq!(add_checkpoint(&http, base, honest.request(0)).await.0, 200);

    // The operator rewrites entry 0 and re-signs the tree with the log key.
    let mut forked = Log::new(1);
    forked.grow(12, "rewritten");
    let (status, _, text) = add_checkpoint(&http, base, forked.request(10)).await;
    assert_eq!(status, 422, "{text}");
    // Same size, another root: refused too.
    let mut same_size = Log::new(1);
    same_size.grow(10, "rewritten");
    let (status, _, _) = add_checkpoint(&http, base, same_size.request(10)).await;
    assert_eq!(status, 409);

    let evidence: Vec<_> = std::fs::read_dir(dir.path().join("state/evidence"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert_eq!(evidence.len(), 2);
    let honest_body = format!("{ORIGIN}\n10\n{}\n", honest.root.to_base64());
    assert!(
        evidence.iter().all(|e| e.contains(&honest_body)),
        "{evidence:?}"
    );
    assert!(evidence.iter().any(|e| e.contains(&forked.note())));
    let (_, metrics) = get_text(&http, &format!("{base}/metrics")).await;
    assert!(
        metrics.contains("godown_witness_alarms_total 2"),
        "{metrics}"
    );
    assert!(
        metrics.contains("godown_witness_evidence_files 2"),
        "{metrics}"
    );

    // What it serves is still the honest history.
    let (_, served) = get_text(&http, &format!("{base}/checkpoint/{ORIGIN}")).await;
    assert!(served.starts_with(&format!("{ORIGIN}\n10\n{}\n", honest.root.to_base64())));
    witness.server.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forks_alarm_is_e_mailed_to_the_organisations_admins_in_both_languages() {
    let (url, inbox) = crate::support::smtp::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut honest = Log::new(1);
    let witness = start_witness_args(
        dir.path(),
        &[honest.vkey()],
        &witness_key_file(dir.path()),
        WITNESS,
        &[
            "--smtp-url",
            &url,
            "--alarm-to",
            "admin@bank-a.example,risk@bank-a.example",
        ],
    );
    let http = crate::support::http_client();
    let base = &witness.server.base;
    honest.grow(5, "honest");
    assert_eq!(add_checkpoint(&http, base, honest.request(0)).await.0, 200);
    assert!(
        inbox.lock().unwrap().is_empty(),
        "no alarm for an honest log"
    );
    let mut forked = Log::new(1);
    forked.grow(7, "forked");
    assert_eq!(add_checkpoint(&http, base, forked.request(5)).await.0, 422);

    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while inbox.lock().unwrap().len() < 2 {
        assert!(
            std::time::Instant::now() < deadline,
            "the alarm was not e-mailed"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let raw = inbox.lock().unwrap().clone();
    for address in ["admin@bank-a.example", "risk@bank-a.example"] {
        assert!(
            raw.iter().any(|m| m.contains(&format!("To: {address}"))),
            "{raw:?}"
        );
    }
    for text in crate::api::receipts::decoded(&inbox) {
        for phrase in [
            "见证人 witness.bank-a.example/w1",
            "Witness witness.bank-a.example/w1 refused a checkpoint of the log",
            ORIGIN,
            "the consistency proof from 5 to 7 does not verify",
            "/state/evidence/",
        ] {
            assert!(text.contains(phrase), "{phrase:?} in {text}");
        }
    }
    // Told once: the alarm moved to sent/, and nothing is pending.
    let alarms = dir.path().join("state/alarms");
    assert_eq!(
        std::fs::read_dir(&alarms)
            .unwrap()
            .filter(|e| e
                .as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "alarm"))
            .count(),
        0
    );
    assert_eq!(std::fs::read_dir(alarms.join("sent")).unwrap().count(), 1);
    witness.server.stop();
}

#[tokio::test]
async fn two_requests_from_the_same_old_size_never_both_succeed() {
    let (_dir, mut log, witness, http) = fresh();
    let base = witness.server.base.clone();
    log.grow(5, "a");
    assert_eq!(add_checkpoint(&http, &base, log.request(0)).await.0, 200);
    // Twelve different extensions of size 5, sent at once.
    let bodies: Vec<String> = (0..12)
        .map(|_| {
            log.grow(1, "a");
            log.request(5)
        })
        .collect();
    let answers = futures_util::future::join_all(bodies.into_iter().map(|body| {
        let http = http.clone();
        let base = base.clone();
        async move { add_checkpoint(&http, &base, body).await.0 }
    }))
    .await;
    let cosigned = answers.iter().filter(|s| **s == 200).count();
    assert_eq!(cosigned, 1, "{answers:?}");
    assert!(
        answers.iter().all(|s| *s == 200 || *s == 409),
        "{answers:?}"
    );
    witness.server.stop();
}

#[tokio::test]
async fn a_second_witness_process_cannot_share_a_state_directory() {
    let dir = tempfile::tempdir().unwrap();
    let log = Log::new(1);
    let first = start_witness(dir.path(), &[log.vkey()]);
    let out = Command::new(env!("CARGO_BIN_EXE_godown"))
        .args(["witness", "--listen", &format!("127.0.0.1:{}", free_port())])
        .arg("--key")
        .arg(witness_key_file(dir.path()))
        .args(["--name", WITNESS, "--log-vkey", &log.vkey().to_string()])
        .arg("--state")
        .arg(dir.path().join("state"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("in use by another witness process"));
    first.server.stop();
}

#[tokio::test]
async fn a_witness_with_the_vectors_key_cosigns_as_the_independent_implementation_does() {
    let dir = tempfile::tempdir().unwrap();
    let vectors = crate::vectors();
    let log_vkey = VerifierKey::parse(
        std::fs::read_to_string(vectors.join("log.vkey"))
            .unwrap()
            .trim(),
    )
    .unwrap();
    let expected = VerifierKey::parse(
        std::fs::read_to_string(vectors.join("witness.vkey"))
            .unwrap()
            .trim(),
    )
    .unwrap();
    let witness = start_witness_with(
        dir.path(),
        std::slice::from_ref(&log_vkey),
        &vectors.join("keys/witness-bank.pem"),
        expected.name(),
    );
    // The key ID and vkey are derived as the independent implementation
    // derived them.
    assert_eq!(witness.vkey.to_string(), expected.to_string());
    let checkpoint = std::fs::read_to_string(vectors.join("checkpoint")).unwrap();
    let http = crate::support::http_client();
    let (status, _, lines) = add_checkpoint(
        &http,
        &witness.server.base,
        format!("old 0\n\n{checkpoint}"),
    )
    .await;
    assert_eq!(status, 200, "{lines}");
    let cosigned = format!("{checkpoint}{lines}");
    let policy = TrustPolicy::new(log_vkey.clone(), vec![expected.clone()], 1).unwrap();
    assert_eq!(
        policy.verify(cosigned.as_bytes()).unwrap().witnesses.len(),
        1
    );
    // And the independent verifier, written from the specifications alone,
    // accepts the cosignature.
    let file = dir.path().join("checkpoint.cosigned");
    std::fs::write(&file, &cosigned).unwrap();
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/independent/verify_cosignature.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(&file)
        .arg(log_vkey.to_string())
        .arg(expected.to_string())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The vectors' own cosigned checkpoint passes the same script.
    let out = Command::new("python3")
        .arg(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../tests/independent/verify_cosignature.py"),
        )
        .arg(vectors.join("checkpoint.cosigned"))
        .arg(log_vkey.to_string())
        .arg(expected.to_string())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    witness.server.stop();
}
