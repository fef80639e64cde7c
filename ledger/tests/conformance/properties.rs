//! Properties of the tree and of entries: every proof the tree produces
//! verifies, and no single flipped bit goes unnoticed.

use std::sync::OnceLock;

use godown_ledger::tree::{
    MemoryStore, append, block_on, consistency_proof, inclusion_proof, root_at, verify_consistency,
    verify_inclusion,
};
use godown_ledger::{Entry, Hash, leaf_hash};
use proptest::prelude::*;

const MAX: u64 = 1000;

struct Tree {
    store: MemoryStore,
    leaves: Vec<Hash>,
    roots: Vec<Hash>,
}

/// One tree of 1,000 leaves; every smaller size is a prefix of it.
fn tree() -> &'static Tree {
    static TREE: OnceLock<Tree> = OnceLock::new();
    TREE.get_or_init(|| {
        let leaves: Vec<Hash> = (0..MAX)
            .map(|i| leaf_hash(format!("leaf {i}").as_bytes()))
            .collect();
        let mut store = MemoryStore::new();
        block_on(append(&mut store, 0, &leaves)).unwrap();
        let roots = (0..=MAX)
            .map(|n| block_on(root_at(&store, n)).unwrap())
            .collect();
        Tree {
            store,
            leaves,
            roots,
        }
    })
}

fn root(n: u64) -> Hash {
    tree().roots[usize::try_from(n).unwrap()]
}

fn leaf(i: u64) -> Hash {
    tree().leaves[usize::try_from(i).unwrap()]
}

#[test]
fn every_inclusion_proof_verifies_for_every_size_from_1_to_1000() {
    let t = tree();
    for size in 1..=MAX {
        for index in 0..size {
            let proof = block_on(inclusion_proof(&t.store, index, size)).unwrap();
            verify_inclusion(index, size, &leaf(index), &proof, root(size).as_bytes())
                .unwrap_or_else(|e| panic!("index {index} size {size}: {e}"));
        }
    }
}

#[test]
fn every_consistency_proof_verifies_for_every_pair_of_sizes_up_to_1000() {
    let t = tree();
    for size2 in 1..=MAX {
        for size1 in 1..=size2 {
            let proof = block_on(consistency_proof(&t.store, size1, size2)).unwrap();
            verify_consistency(
                size1,
                size2,
                &proof,
                root(size1).as_bytes(),
                root(size2).as_bytes(),
            )
            .unwrap_or_else(|e| panic!("{size1} -> {size2}: {e}"));
        }
    }
}

fn flip(hash: &Hash, bit: usize) -> Hash {
    let mut bytes = hash.0;
    bytes[bit / 8 % 32] ^= 1 << (bit % 8);
    Hash(bytes)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn flipping_any_bit_of_an_inclusion_proof_root_or_leaf_fails_verification(
        size in 1..=MAX,
        index_seed in any::<u64>(),
        target in any::<usize>(),
        bit in 0..256usize,
    ) {
        let index = index_seed % size;
        let proof = block_on(inclusion_proof(&tree().store, index, size)).unwrap();
        let mut leaf = leaf(index);
        let mut root = root(size);
        let mut proof_flipped = proof.clone();
        // Choose one of: the leaf, the root, or one proof hash.
        match target % (proof.len() + 2) {
            0 => leaf = flip(&leaf, bit),
            1 => root = flip(&root, bit),
            k => proof_flipped[k - 2] = flip(&proof[k - 2], bit),
        }
        prop_assert!(verify_inclusion(index, size, &leaf, &proof_flipped, root.as_bytes()).is_err());
    }

    #[test]
    fn flipping_any_bit_of_a_consistency_proof_or_either_root_fails_verification(
        size2 in 2..=MAX,
        size1_seed in any::<u64>(),
        target in any::<usize>(),
        bit in 0..256usize,
    ) {
        let size1 = 1 + size1_seed % (size2 - 1);
        let proof = block_on(consistency_proof(&tree().store, size1, size2)).unwrap();
        let (mut root1, mut root2) = (root(size1), root(size2));
        let mut flipped = proof.clone();
        match target % (proof.len() + 2) {
            0 => root1 = flip(&root1, bit),
            1 => root2 = flip(&root2, bit),
            k => flipped[k - 2] = flip(&proof[k - 2], bit),
        }
        prop_assert!(verify_consistency(size1, size2, &flipped, root1.as_bytes(), root2.as_bytes()).is_err());
    }

    #[test]
    fn a_proof_with_a_hash_added_or_removed_is_refused(
        size in 2..=MAX,
        index_seed in any::<u64>(),
        remove in any::<bool>(),
    ) {
        let index = index_seed % size;
        let mut proof = block_on(inclusion_proof(&tree().store, index, size)).unwrap();
        if remove { proof.pop(); } else { proof.push(leaf(0)); }
        prop_assert!(verify_inclusion(index, size, &leaf(index), &proof, root(size).as_bytes()).is_err());
    }
}

#[test]
fn flipping_any_bit_of_any_vector_entry_makes_it_fail_verification() {
    let text = std::fs::read_to_string(crate::vectors().join("godown/entries.jsonl")).unwrap();
    for (n, line) in text.lines().enumerate() {
        let bytes = line.as_bytes();
        for bit in 0..bytes.len() * 8 {
            let mut flipped = bytes.to_vec();
            flipped[bit / 8] ^= 1 << (bit % 8);
            let verdict = Entry::parse(&flipped).and_then(|e| {
                e.check_origin("godown.example/vectors")?;
                e.verify_signature([])
            });
            assert!(
                verdict.is_err(),
                "entry {n}, bit {bit} flipped still verifies"
            );
        }
    }
}
