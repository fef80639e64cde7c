//! What a monitor concludes from two checkpoints of one log that different
//! witnesses cosigned. Both are genuine (the log signed each, a witness
//! cosigned each), so if they cannot both be true of one history, the log
//! showed two histories: a split view, and the pair is the proof.
//!
//! - The same size with different roots is a split view on its face.
//! - Different sizes need a consistency proof from the smaller to the
//!   larger; the log owes one. If it does not verify, the two roots belong
//!   to different histories.
//!
//! Pure: the monitor process fetches the checkpoints and the proof, keeps
//! the evidence and raises the alarm.

use crate::checkpoint::Checkpoint;
use crate::hash::Hash;
use crate::tree::verify_consistency;

/// What two checkpoints of one log say about each other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// One history: the same tree, or the larger extends the smaller.
    Consistent,
    /// A consistency proof from `old` to `new` is needed to decide.
    ProofNeeded {
        /// The smaller size.
        old: u64,
        /// The larger size.
        new: u64,
    },
    /// Two histories; the reason says why, for the evidence.
    Split(String),
}

/// Compares two checkpoints of the same origin, given the consistency proof
/// from the smaller to the larger when their sizes differ.
pub fn compare(a: &Checkpoint, b: &Checkpoint, proof: Option<&[Hash]>) -> Verdict {
    if a.origin != b.origin {
        return Verdict::Split(format!(
            "the checkpoints are of two origins, {} and {}; they cannot be compared",
            a.origin, b.origin
        ));
    }
    let (small, large) = if a.size <= b.size { (a, b) } else { (b, a) };
    if small.size == large.size {
        return if small.root == large.root {
            Verdict::Consistent
        } else {
            Verdict::Split(format!(
                "two checkpoints of size {} with different roots, {} and {}",
                small.size,
                small.root.to_base64(),
                large.root.to_base64()
            ))
        };
    }
    if small.size == 0 {
        return if small.root == Hash::EMPTY_ROOT {
            Verdict::Consistent
        } else {
            Verdict::Split("a checkpoint of size 0 whose root is not the empty tree's".into())
        };
    }
    let Some(proof) = proof else {
        return Verdict::ProofNeeded {
            old: small.size,
            new: large.size,
        };
    };
    match verify_consistency(small.size, large.size, proof, &small.root.0, &large.root.0) {
        Ok(()) => Verdict::Consistent,
        Err(e) => Verdict::Split(format!(
            "the consistency proof from {} to {} does not verify: {e}",
            small.size, large.size
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::{MemoryStore, append, block_on, consistency_proof};

    fn tree(leaves: &[&str]) -> (MemoryStore, Checkpoint) {
        let mut store = MemoryStore::new();
        let hashes: Vec<Hash> = leaves
            .iter()
            .map(|l| crate::hash::leaf_hash(l.as_bytes()))
            .collect();
        let head = block_on(append(&mut store, 0, &hashes)).unwrap();
        let checkpoint = Checkpoint {
            origin: "monitor.example/log".into(),
            size: head.size,
            root: head.root,
            extensions: vec![],
        };
        (store, checkpoint)
    }

    #[test]
    fn a_checkpoint_agrees_with_itself_and_with_the_history_it_grows_into() {
        let (_, small) = tree(&["a", "b", "c"]);
        let (store, large) = tree(&["a", "b", "c", "d", "e"]);
        assert_eq!(compare(&small, &small.clone(), None), Verdict::Consistent);
        assert_eq!(
            compare(&large, &small, None),
            Verdict::ProofNeeded { old: 3, new: 5 }
        );
        let proof = block_on(consistency_proof(&store, 3, 5)).unwrap();
        assert_eq!(compare(&small, &large, Some(&proof)), Verdict::Consistent);
    }

    #[test]
    fn the_same_size_with_another_root_is_a_split_view() {
        let (_, one) = tree(&["a", "b", "c"]);
        let (_, other) = tree(&["a", "x", "c"]);
        let Verdict::Split(why) = compare(&one, &other, None) else {
            panic!("a split view");
        };
        assert!(why.contains("size 3"), "{why}");
    }

    #[test]
    fn a_larger_tree_of_another_history_is_a_split_view_whatever_proof_is_offered() {
        let (_, small) = tree(&["a", "b", "c"]);
        let (store, forked) = tree(&["a", "x", "c", "d"]);
        let proof = block_on(consistency_proof(&store, 3, 4)).unwrap();
        assert!(matches!(
            compare(&small, &forked, Some(&proof)),
            Verdict::Split(_)
        ));
        assert!(matches!(
            compare(&small, &forked, Some(&[])),
            Verdict::Split(_)
        ));
    }
}
