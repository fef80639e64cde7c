//! The 196 RFC 6962 proof vectors of transparency-dev/merkle.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use godown_ledger::Hash;
use godown_ledger::tree::{verify_consistency, verify_inclusion};
use serde::Deserialize;

use crate::{json_files, vectors};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Inclusion {
    leaf_idx: u64,
    tree_size: u64,
    root: String,
    leaf_hash: String,
    proof: Option<Vec<String>>,
    desc: String,
    want_err: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Consistency {
    size1: u64,
    size2: u64,
    root1: String,
    root2: String,
    proof: Option<Vec<String>>,
    desc: String,
    want_err: bool,
}

fn bytes(b64: &str) -> Vec<u8> {
    STANDARD.decode(b64).unwrap()
}

/// A proof element that is not a 32-byte hash is refused when parsed, as
/// every hash on the wire is parsed before any proof is checked.
fn proof(items: Option<&Vec<String>>) -> Result<Vec<Hash>, ()> {
    items
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|p| Hash::from_base64(p).map_err(|_| ()))
        .collect()
}

fn inclusion_outcome(v: &Inclusion) -> Result<(), String> {
    let leaf = Hash::from_base64(&v.leaf_hash).map_err(|e| e.to_string())?;
    let proof = proof(v.proof.as_ref()).map_err(|()| "malformed proof hash".to_owned())?;
    verify_inclusion(v.leaf_idx, v.tree_size, &leaf, &proof, &bytes(&v.root))
        .map_err(|e| e.to_string())
}

fn consistency_outcome(v: &Consistency) -> Result<(), String> {
    let proof = proof(v.proof.as_ref()).map_err(|()| "malformed proof hash".to_owned())?;
    verify_consistency(v.size1, v.size2, &proof, &bytes(&v.root1), &bytes(&v.root2))
        .map_err(|e| e.to_string())
}

#[test]
fn every_rfc6962_inclusion_vector_gives_its_expected_outcome() {
    let files = json_files(&vectors().join("rfc6962/inclusion"));
    assert_eq!(files.len(), 98);
    for file in files {
        let v: Inclusion = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        let outcome = inclusion_outcome(&v);
        assert_eq!(
            outcome.is_err(),
            v.want_err,
            "{} ({}): {outcome:?}",
            file.display(),
            v.desc
        );
    }
}

#[test]
fn every_rfc6962_consistency_vector_gives_its_expected_outcome() {
    let files = json_files(&vectors().join("rfc6962/consistency"));
    assert_eq!(files.len(), 98);
    for file in files {
        let v: Consistency = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        let outcome = consistency_outcome(&v);
        assert_eq!(
            outcome.is_err(),
            v.want_err,
            "{} ({}): {outcome:?}",
            file.display(),
            v.desc
        );
    }
}

#[test]
fn the_vectors_hold_196_proof_cases_in_all() {
    assert_eq!(json_files(&vectors().join("rfc6962")).len(), 196);
}
