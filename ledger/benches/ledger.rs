//! The ledger core's figures, in one run (`cargo bench -p godown-ledger`):
//!
//! - the bare limit: batch Ed25519 verifications per second on one core;
//! - entries appended per second to the in-memory store, each parsed, its
//!   signature batch-verified, and the tree updated;
//! - inclusion and consistency proof generation at 1 M entries;
//! - full verification of a 1 M-entry export, in entries per second.
//!
//! At the end it prints the medians and the ratios against the bare limit.
//! Everything runs on one thread, so the figures are per core.
#![expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::cast_precision_loss,
    reason = "a benchmark fails loudly on setup errors and reports figures as floats"
)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use criterion::{BatchSize, Criterion, Throughput};
use godown_ledger::batch::verify_batch;
use godown_ledger::export::BATCH_SIZE;
use godown_ledger::tree::{
    MemoryStore, RootBuilder, append, block_on, consistency_proof, inclusion_proof,
};
use godown_ledger::{
    Checkpoint, Entry, PrivateKey, PublicKey, Signature, Transaction, append_entries,
};
use serde_json::{Map, Value, json};

const ORIGIN: &str = "bench.godown.example/ledger";
const SIGNERS: u8 = 16;
const MILLION: u64 = 1_000_000;

/// A signed pledge request much like the ones the platform will carry, as
/// the node receives it: the transaction, its signature and the signer.
fn signed_tx(signers: &[PrivateKey], i: u64) -> (Transaction, Signature, PublicKey) {
    let signer = &signers[usize::try_from(i % u64::from(SIGNERS)).unwrap()];
    let Value::Object(body) = json!({
        "amount": {"currency": "CNY", "value": format!("{}.00", 1_000_000 + i)},
        "loan": format!("LN-{i}"),
        "pledgee": "bank",
        "receipt": format!("WR-2026-{i:06}"),
        "tenor_days": 180,
    }) else {
        unreachable!()
    };
    let tx = Transaction::new(ORIGIN, "pledge.request", &format!("n-{i}"), body).unwrap();
    let sig = signer.sign(&tx.signing_bytes());
    (tx, sig, signer.public_key())
}

fn entry(signers: &[PrivateKey], i: u64) -> Entry {
    let (tx, sig, key) = signed_tx(signers, i);
    Entry::new(&tx, sig, key, Map::new()).unwrap()
}

fn signers() -> Vec<PrivateKey> {
    (0..SIGNERS)
        .map(|s| PrivateKey::from_seed(&[s + 1; 32]))
        .collect()
}

fn bare_limit(c: &mut Criterion, entries: &[Entry]) {
    let messages: Vec<Vec<u8>> = entries.iter().map(Entry::signing_bytes).collect();
    let refs: Vec<&Entry> = entries.iter().collect();
    let items = godown_ledger::batch::signed(&refs, &messages);
    let mut group = c.benchmark_group("bare_limit");
    group.throughput(Throughput::Elements(BATCH_SIZE as u64));
    group.bench_function("ed25519_batch_verify_64", |b| {
        b.iter(|| verify_batch(black_box(&items)).unwrap());
    });
    group.finish();
}

/// Where the time of an append goes, entry by entry.
fn breakdown(c: &mut Criterion, entries: &[Entry]) {
    let line = entries[0].bytes().to_vec();
    let entry = &entries[0];
    let key = entry.key().to_base64();
    let mut group = c.benchmark_group("breakdown");
    group.bench_function("entry_parse", |b| {
        b.iter(|| Entry::parse(black_box(&line)).unwrap());
    });
    group.bench_function("public_key_decode", |b| {
        b.iter(|| PublicKey::from_base64(black_box(&key)).unwrap());
    });
    group.bench_function("entry_signing_bytes", |b| {
        b.iter(|| black_box(entry).signing_bytes());
    });
    let (tx, sig, key) = signed_tx(&signers(), 0);
    group.bench_function("entry_new", |b| {
        b.iter(|| Entry::new(black_box(&tx), sig, key, Map::new()).unwrap());
    });
    group.bench_function("leaf_hash", |b| b.iter(|| black_box(entry).leaf_hash()));
    group.finish();
}

fn appends(c: &mut Criterion, signers: &[PrivateKey]) {
    let incoming: Vec<_> = (0..BATCH_SIZE as u64)
        .map(|i| signed_tx(signers, i))
        .collect();
    let mut store = MemoryStore::new();
    let leaves: Vec<_> = (0..MILLION)
        .map(|i| godown_ledger::leaf_hash(&i.to_be_bytes()))
        .collect();
    let mut size = block_on(append(&mut store, 0, &leaves)).unwrap().size;
    let mut group = c.benchmark_group("append");
    group.throughput(Throughput::Elements(BATCH_SIZE as u64));
    group.bench_function("build_batch_verify_and_append_64_to_1m_tree", |b| {
        b.iter(|| {
            let batch: Vec<Entry> = incoming
                .iter()
                .map(|(tx, sig, key)| Entry::new(tx, *sig, *key, Map::new()).unwrap())
                .collect();
            size = block_on(append_entries(&mut store, size, ORIGIN, &batch))
                .unwrap()
                .size;
        });
    });
    group.finish();
}

fn proofs(c: &mut Criterion) {
    let mut store = MemoryStore::new();
    let leaves: Vec<_> = (0..MILLION)
        .map(|i| godown_ledger::leaf_hash(&i.to_be_bytes()))
        .collect();
    block_on(append(&mut store, 0, &leaves)).unwrap();
    let mut group = c.benchmark_group("proof_at_1m");
    let mut index = 0u64;
    group.bench_function("inclusion", |b| {
        b.iter(|| {
            // Walk the indices with a stride coprime to the size so every
            // shape of proof is exercised.
            index = (index + 7919) % MILLION;
            block_on(inclusion_proof(&store, black_box(index), MILLION)).unwrap()
        });
    });
    let mut old = 1u64;
    group.bench_function("consistency", |b| {
        b.iter(|| {
            old = (old + 7919) % (MILLION - 1) + 1;
            block_on(consistency_proof(&store, black_box(old), MILLION)).unwrap()
        });
    });
    group.finish();
}

fn export_verification(c: &mut Criterion, signers: &[PrivateKey]) {
    let lines: Vec<Vec<u8>> = (0..MILLION)
        .map(|i| entry(signers, i).bytes().to_vec())
        .collect();
    let mut root = RootBuilder::new();
    for line in &lines {
        root.push(godown_ledger::leaf_hash(line));
    }
    let checkpoint = Checkpoint {
        origin: ORIGIN.into(),
        size: root.size(),
        root: root.root(),
        extensions: vec![],
    };
    let mut group = c.benchmark_group("verify_export");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(1));
    group.measurement_time(Duration::from_secs(60));
    group.throughput(Throughput::Elements(MILLION));
    group.bench_function("1m_entries", |b| {
        b.iter_batched(
            || godown_ledger::ExportVerifier::new(checkpoint.clone()),
            |mut verifier| {
                for line in &lines {
                    verifier.push_line(line).unwrap();
                }
                verifier.finish().unwrap()
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

fn output_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(
            || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"),
            PathBuf::from,
        )
        .join("criterion")
}

/// Median time per iteration, in nanoseconds, from the estimates criterion
/// wrote during this run (`None` if the benchmark was filtered out).
fn median_ns(id: &str, since: SystemTime) -> Option<f64> {
    let path = output_dir().join(id).join("new/estimates.json");
    let fresh = std::fs::metadata(&path).ok()?.modified().ok()? >= since;
    let text = std::fs::read_to_string(&path).ok().filter(|_| fresh)?;
    let v: Value = serde_json::from_str(&text).ok()?;
    v["median"]["point_estimate"].as_f64()
}

fn summary(since: SystemTime) {
    let batch = BATCH_SIZE as f64;
    let rate = |id: &str, n: f64| median_ns(id, since).map(|ns| n / (ns * 1e-9));
    let (Some(bare), Some(appends), Some(verify), Some(inclusion_median), Some(consistency_median)) = (
        rate("bare_limit/ed25519_batch_verify_64", batch),
        rate("append/build_batch_verify_and_append_64_to_1m_tree", batch),
        rate("verify_export/1m_entries", MILLION as f64),
        median_ns("proof_at_1m/inclusion", since),
        median_ns("proof_at_1m/consistency", since),
    ) else {
        println!("(summary skipped: not every benchmark ran in this run)");
        return;
    };
    let inclusion_us = inclusion_median / 1e3;
    let consistency_us = consistency_median / 1e3;
    println!();
    println!("== Godown ledger figures (medians, one core) ==");
    println!("bare limit, batch Ed25519 verify   {bare:>12.0} sig/s");
    println!(
        "appends to the in-memory store     {appends:>12.0} entries/s  ({:.1} % of bare; target >= 50 %)",
        100.0 * appends / bare
    );
    println!(
        "verification of a 1 M export      {verify:>12.0} entries/s  ({:.1} % of bare; target >= 70 %)",
        100.0 * verify / bare
    );
    println!("inclusion proof at 1 M entries     {inclusion_us:>12.2} us  (target < 100 us)");
    println!("consistency proof at 1 M entries   {consistency_us:>12.2} us");
}

fn main() {
    #[expect(clippy::disallowed_methods, reason = "a benchmark reads the clock")]
    let started = SystemTime::now();
    let mut c = Criterion::default()
        .output_directory(&output_dir())
        .configure_from_args();
    let signers = signers();
    let sample: Vec<Entry> = (0..BATCH_SIZE as u64).map(|i| entry(&signers, i)).collect();
    bare_limit(&mut c, &sample);
    breakdown(&mut c, &sample);
    appends(&mut c, &signers);
    proofs(&mut c);
    export_verification(&mut c, &signers);
    c.final_summary();
    summary(started);
}
