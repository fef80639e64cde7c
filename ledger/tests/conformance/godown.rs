//! The five-entry ledger made by an independent implementation: keys,
//! checkpoints, cosignature, proof file, consistency proof, and the five
//! entries a verifier must refuse.

use std::path::PathBuf;

use godown_ledger::checkpoint::cosign;
use godown_ledger::tree::{
    MemoryStore, append, block_on, consistency_proof, inclusion_proof, root_at, verify_consistency,
};
use godown_ledger::{
    Checkpoint, Entry, ExportVerifier, Hash, NoteSigner, PrivateKey, PublicKey, TlogProof,
    TrustPolicy, VerifierKey,
};

use crate::vectors;

fn dir() -> PathBuf {
    vectors().join("godown")
}

fn read(name: &str) -> String {
    std::fs::read_to_string(dir().join(name)).unwrap()
}

fn key(name: &str) -> PrivateKey {
    PrivateKey::from_pkcs8_pem(&read(&format!("keys/{name}.pem"))).unwrap()
}

fn log_vkey() -> VerifierKey {
    VerifierKey::parse(&read("log.vkey")).unwrap()
}

fn witness_vkey() -> VerifierKey {
    VerifierKey::parse(&read("witness.vkey")).unwrap()
}

fn lines() -> Vec<String> {
    read("entries.jsonl").lines().map(str::to_owned).collect()
}

fn all_member_keys() -> Vec<PublicKey> {
    ["bank", "sme", "warehouse"]
        .iter()
        .map(|n| key(n).public_key())
        .collect()
}

fn verify_export(lines: &[String], checkpoint: &Checkpoint) -> Result<u64, String> {
    let mut verifier = ExportVerifier::new(checkpoint.clone());
    for line in lines {
        verifier
            .push_line(line.as_bytes())
            .map_err(|e| e.to_string())?;
    }
    verifier
        .finish()
        .map(|s| s.entries)
        .map_err(|e| e.to_string())
}

#[test]
fn the_vector_keys_read_as_pkcs8_and_write_back_byte_for_byte() {
    for name in ["bank", "log", "sme", "warehouse", "witness-bank"] {
        let pem = read(&format!("keys/{name}.pem"));
        assert_eq!(key(name).to_pkcs8_pem().unwrap(), pem, "{name}");
    }
    assert_eq!(log_vkey().public_key(), &key("log").public_key());
    assert_eq!(
        witness_vkey().public_key(),
        &key("witness-bank").public_key()
    );
}

#[test]
fn the_vkeys_parse_and_print_back_identically() {
    assert_eq!(log_vkey().to_string(), read("log.vkey").trim_end());
    assert_eq!(witness_vkey().to_string(), read("witness.vkey").trim_end());
}

#[test]
fn the_checkpoint_verifies_with_the_log_vkey() {
    let policy = TrustPolicy::new(log_vkey(), vec![], 0).unwrap();
    let verified = policy.verify(read("checkpoint").as_bytes()).unwrap();
    assert_eq!(verified.checkpoint.size, 5);
    assert_eq!(verified.checkpoint.origin, "godown.example/vectors");
    let size3 = policy.verify(read("checkpoint.size3").as_bytes()).unwrap();
    assert_eq!(size3.checkpoint.size, 3);
}

#[test]
fn the_cosigned_checkpoint_verifies_with_the_witness_vkey() {
    let policy = TrustPolicy::new(log_vkey(), vec![witness_vkey()], 1).unwrap();
    let verified = policy
        .verify(read("checkpoint.cosigned").as_bytes())
        .unwrap();
    assert_eq!(verified.witnesses.len(), 1);
    assert_eq!(verified.witnesses[0].name, "witness.bank.example/w1");
    // The plain checkpoint has no cosignature, so the quorum fails.
    let err = policy.verify(read("checkpoint").as_bytes()).unwrap_err();
    assert_eq!(err.code(), "TOO_FEW_WITNESSES");
}

#[test]
fn signing_and_cosigning_reproduce_the_vector_checkpoints_byte_for_byte() {
    let policy = TrustPolicy::new(log_vkey(), vec![], 0).unwrap();
    let body = policy
        .verify(read("checkpoint").as_bytes())
        .unwrap()
        .checkpoint;
    let log = NoteSigner::log("godown.example/vectors", key("log")).unwrap();
    let note = body.sign(&log).unwrap();
    assert_eq!(note, read("checkpoint"));

    let cosigned = TrustPolicy::new(log_vkey(), vec![witness_vkey()], 1)
        .unwrap()
        .verify(read("checkpoint.cosigned").as_bytes())
        .unwrap();
    let witness = NoteSigner::witness(
        "witness.bank.example/w1",
        key("witness-bank"),
        cosigned.witnesses[0].timestamp,
    )
    .unwrap();
    assert_eq!(
        cosign(&note, &witness).unwrap(),
        read("checkpoint.cosigned")
    );
}

#[test]
fn the_entries_verify_against_the_checkpoint() {
    let checkpoint = TrustPolicy::new(log_vkey(), vec![], 0)
        .unwrap()
        .verify(read("checkpoint").as_bytes())
        .unwrap()
        .checkpoint;
    assert_eq!(verify_export(&lines(), &checkpoint), Ok(5));
}

#[test]
fn re_signing_each_transaction_reproduces_the_vector_entries() {
    let signers = [
        (
            "tfvgGpj9M6naVhHkW6DipbXJQmupsCOJHOrg1M+nvHA=",
            key("warehouse"),
        ),
        ("ttHnYcXfhy7AEboBaoJQksj9WgvNLpcSbCPu5kGofT0=", key("sme")),
        ("wyzFuHGak0O4KBUqSKxg5j6w/3zCCROnelseexdqm98=", key("bank")),
    ];
    for line in lines() {
        let entry = Entry::parse(line.as_bytes()).unwrap();
        let (_, signer) = signers
            .iter()
            .find(|(k, _)| *k == entry.key().to_base64())
            .unwrap();
        let tx = entry.transaction().unwrap();
        assert_eq!(tx.signing_bytes(), entry.signing_bytes());
        let sig = signer.sign(&tx.signing_bytes());
        let again = Entry::new(&tx, sig, signer.public_key(), serde_json::Map::default()).unwrap();
        assert_eq!(String::from_utf8(again.bytes().to_vec()).unwrap(), line);
    }
}

#[test]
fn the_proof_file_verifies_and_round_trips() {
    let text = read("entry-2.tlog-proof");
    let proof = TlogProof::parse(&text).unwrap();
    assert_eq!(proof.to_text(), text);
    let policy = TrustPolicy::new(log_vkey(), vec![witness_vkey()], 1).unwrap();
    let proved = proof.verify(&policy).unwrap();
    assert_eq!(proved.index, 2);
    assert_eq!(proved.entry.bytes(), lines()[2].as_bytes());
    assert_eq!(proved.entry.tx_type(), "pledge.confirm");
}

#[test]
fn the_3_to_5_consistency_proof_verifies() {
    let policy = TrustPolicy::new(log_vkey(), vec![], 0).unwrap();
    let old = policy
        .verify(read("checkpoint.size3").as_bytes())
        .unwrap()
        .checkpoint;
    let new = policy
        .verify(read("checkpoint").as_bytes())
        .unwrap()
        .checkpoint;
    let proof: Vec<Hash> = read("consistency-3-5.txt")
        .lines()
        .map(|l| Hash::from_base64(l).unwrap())
        .collect();
    verify_consistency(3, 5, &proof, old.root.as_bytes(), new.root.as_bytes()).unwrap();
}

#[test]
fn our_tree_builds_the_same_roots_and_proofs_as_the_independent_implementation() {
    let leaves: Vec<Hash> = lines()
        .iter()
        .map(|l| Entry::parse(l.as_bytes()).unwrap().leaf_hash())
        .collect();
    let mut store = MemoryStore::new();
    let head = block_on(append(&mut store, 0, &leaves)).unwrap();
    let policy = TrustPolicy::new(log_vkey(), vec![], 0).unwrap();
    let at_five = policy
        .verify(read("checkpoint").as_bytes())
        .unwrap()
        .checkpoint;
    let at_three = policy
        .verify(read("checkpoint.size3").as_bytes())
        .unwrap()
        .checkpoint;
    assert_eq!(head.root, at_five.root);
    assert_eq!(block_on(root_at(&store, 3)).unwrap(), at_three.root);

    let consistency: Vec<String> = block_on(consistency_proof(&store, 3, 5))
        .unwrap()
        .iter()
        .map(Hash::to_base64)
        .collect();
    assert_eq!(
        consistency,
        read("consistency-3-5.txt").lines().collect::<Vec<_>>()
    );

    let file = TlogProof::parse(&read("entry-2.tlog-proof")).unwrap();
    assert_eq!(block_on(inclusion_proof(&store, 2, 5)).unwrap(), file.proof);
}

/// Each bad entry, and the defect it must be refused for.
const BAD: [(&str, &str); 5] = [
    ("altered-body", "BAD_SIGNATURE"),
    ("not-canonical", "NOT_CANONICAL"),
    ("other-origin", "WRONG_ORIGIN"),
    ("wrong-key", "WRONG_KEY"),
    ("float-amount", "FLOAT_NUMBER"),
];

fn check_entry(bytes: &[u8]) -> Result<Entry, godown_ledger::EntryError> {
    let entry = Entry::parse(bytes)?;
    entry.check_origin("godown.example/vectors")?;
    entry.verify_signature(&all_member_keys())?;
    Ok(entry)
}

#[test]
fn each_bad_entry_is_refused_with_an_error_naming_its_defect() {
    for (name, code) in BAD {
        let bytes = std::fs::read(dir().join(format!("bad/{name}.json"))).unwrap();
        let err = check_entry(&bytes).unwrap_err();
        assert_eq!(err.code(), code, "{name}: {err}");
    }
}

#[test]
fn the_export_is_refused_once_any_bad_entry_is_swapped_in() {
    let checkpoint = TrustPolicy::new(log_vkey(), vec![], 0)
        .unwrap()
        .verify(read("checkpoint").as_bytes())
        .unwrap()
        .checkpoint;
    for (name, _) in BAD {
        let bad = read(&format!("bad/{name}.json"));
        // The bad entries all stand in for entry 1, the SME's pledge request.
        let mut swapped = lines();
        swapped[1] = bad.trim_end().to_owned();
        let text = swapped.join("\n");
        let swapped: Vec<String> = text.lines().map(str::to_owned).collect();
        let err = verify_export(&swapped, &checkpoint).unwrap_err();
        assert!(
            err.starts_with("entries.jsonl line 2 (entry 1): "),
            "{name}: {err}"
        );
    }
}
