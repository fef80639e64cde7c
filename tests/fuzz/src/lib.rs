//! What each fuzz target does with its bytes: hand them to one of Godown's
//! parsers of outside input, and when they parse, check what must then hold
//! (canonical bytes re-serialise to themselves, a body re-reads to itself).
//! A panic is a bug; a refusal with an error is the expected answer.
//!
//! The same functions run over the saved corpus as ordinary tests
//! (`cargo test` in this crate), so every input a fuzzer once found stays a
//! regression test.

use godown_ledger::CheckpointPolicy as _;
use godown_ledger::{
    Checkpoint, Entry, ExportVerifier, KeyKind, Policy, PrivateKey, TlogProof, TrustPolicy,
    VerifierKey,
};

/// The origin the targets' keys are named after.
const ORIGIN: &str = "fuzz.godown.example/log";

fn log_vkey() -> VerifierKey {
    VerifierKey::new(
        ORIGIN,
        KeyKind::Note,
        PrivateKey::from_seed(&[7; 32]).public_key(),
    )
    .unwrap_or_else(|_| unreachable!("a fixed key names the fuzz log"))
}

/// A ledger entry: parsed, and if it parses its canonical bytes are the
/// input and its signature check answers either way.
pub fn entry(data: &[u8]) {
    if let Ok(entry) = Entry::parse(data) {
        assert_eq!(
            entry.bytes(),
            data,
            "an entry parses only from its canonical bytes"
        );
        let _ = entry.leaf_hash();
        let _ = entry.transaction();
        let _ = godown_ledger::Handover::of_entry(&entry);
    }
}

/// A signed checkpoint note: its body read, and verified under a key.
pub fn checkpoint(data: &[u8]) {
    if let Ok(c) = Checkpoint::of_note(data) {
        assert_eq!(
            Checkpoint::parse_body(&c.body()).ok(),
            Some(c.clone()),
            "a checkpoint body re-reads to itself"
        );
    }
    if let Ok(policy) = TrustPolicy::new(log_vkey(), vec![], 0) {
        let _ = policy.verify(data);
    }
}

/// A c2sp.org/tlog-proof@v1 file: parsed, and verified under a key.
pub fn tlog_proof(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let (Ok(proof), Ok(policy)) = (
        TlogProof::parse(text),
        TrustPolicy::new(log_vkey(), vec![], 0),
    ) {
        let _ = proof.verify(&policy);
    }
}

/// RFC 8785 JSON: parsed; canonical input re-serialises to itself.
pub fn jcs(data: &[u8]) {
    let _ = godown_ledger::jcs::parse(data);
    if let Ok(value) = godown_ledger::jcs::parse_canonical(data) {
        assert_eq!(
            godown_ledger::jcs::canonical(&value).ok().as_deref(),
            Some(data),
            "canonical JSON re-serialises to itself"
        );
    }
}

/// A transaction's type and body, as a client sends them: `{"type", "body"}`.
/// A body the contracts accept writes back to a body they read the same.
pub fn tx_body(data: &[u8]) {
    let Ok(serde_json::Value::Object(tx)) = godown_ledger::jcs::parse(data) else {
        return;
    };
    let (Some(serde_json::Value::String(tx_type)), Some(serde_json::Value::Object(body))) =
        (tx.get("type"), tx.get("body"))
    else {
        return;
    };
    if let Ok(parsed) = godown_domain::Tx::parse(tx_type, body) {
        let again = godown_domain::Tx::parse(parsed.tx_type(), &parsed.body());
        assert_eq!(again.ok(), Some(parsed), "a parsed body re-reads to itself");
    }
}

/// A C2SP tlog-policy file: parsed, and a checkpoint verified under it.
pub fn policy(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(policy) = Policy::parse(text) {
        let _ = policy.describe();
        let _ = policy.verify_note(data);
    }
}

/// A tlog-witness add-checkpoint request body, decided against a log the
/// witness has cosigned nothing of.
pub fn add_checkpoint(data: &[u8]) {
    if let Ok(request) = godown_ledger::witness::AddCheckpoint::parse(data) {
        let _ = godown_ledger::witness::check(&[log_vkey()], |_| None, &request);
    }
}

/// Lines of an export's entries.jsonl, checked against a checkpoint of the
/// number of lines given.
pub fn export_line(data: &[u8]) {
    let lines: Vec<&[u8]> = data.split(|b| *b == b'\n').collect();
    let mut verifier = ExportVerifier::new(Checkpoint {
        origin: ORIGIN.to_owned(),
        size: lines.len() as u64,
        root: godown_ledger::Hash::EMPTY_ROOT,
        extensions: vec![],
    });
    for line in lines {
        if verifier.push_line(line).is_err() {
            return;
        }
    }
    let _ = verifier.finish();
}

/// Every target, by name, for the corpus tests.
pub const TARGETS: &[(&str, fn(&[u8]))] = &[
    ("entry", entry),
    ("checkpoint", checkpoint),
    ("tlog_proof", tlog_proof),
    ("jcs", jcs),
    ("tx_body", tx_body),
    ("policy", policy),
    ("add_checkpoint", add_checkpoint),
    ("export_line", export_line),
];

#[cfg(test)]
mod tests {
    use super::TARGETS;

    /// Every saved input of every target (the seeds and whatever the
    /// fuzzers kept, crashes they found among them) still parses or is
    /// refused without a panic.
    #[test]
    fn every_saved_input_of_every_target_is_answered_without_a_panic() {
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut ran = 0;
        for (name, target) in TARGETS {
            let dir = corpus.join(name);
            let files =
                std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
            for file in files {
                let path = file.unwrap().path();
                target(&std::fs::read(&path).unwrap());
                ran += 1;
            }
        }
        assert!(ran >= TARGETS.len(), "the corpus holds {ran} inputs");
    }
}
