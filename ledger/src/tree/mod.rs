//! The RFC 6962 Merkle tree over a [`NodeStore`]: appending, roots and proofs
//! at any size the log has had, each costing O(log n) node reads.

mod node;
mod proof;
mod store;
mod verify;

pub use node::{MAX_TREE_SIZE, NodeId, peaks};
pub use store::{MemoryStore, MemoryStoreError, NodeStore, block_on};
pub use verify::{ProofError, root_from_inclusion_proof, verify_consistency, verify_inclusion};

use crate::hash::{Hash, node_hash};
use proof::ProofNodes;

/// A tree size and the root at that size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TreeHead {
    /// Number of leaves.
    pub size: u64,
    /// RFC 6962 root hash over those leaves.
    pub root: Hash,
}

/// Why a tree operation could not be done.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TreeError<E> {
    /// The store failed.
    #[error("node store: {0}")]
    Store(#[source] E),
    /// The store answered a different number of hashes than were asked for.
    #[error("node store returned {got} hashes for {asked} nodes")]
    StoreMiscounted {
        /// Nodes asked for.
        asked: usize,
        /// Hashes returned.
        got: usize,
    },
    /// The leaf index is not inside the tree.
    #[error("leaf index {index} is not inside a tree of size {size}")]
    IndexOutOfRange {
        /// The index asked for.
        index: u64,
        /// The tree size.
        size: u64,
    },
    /// A consistency proof was asked from a larger size to a smaller one.
    #[error("tree size {size1} is larger than {size2}")]
    SizesOutOfOrder {
        /// Older size.
        size1: u64,
        /// Newer size.
        size2: u64,
    },
    /// The tree would exceed [`MAX_TREE_SIZE`] leaves.
    #[error("a tree of more than 2^63 leaves is not supported")]
    TooLarge,
}

impl<E> TreeError<E> {
    /// Stable code for logs and APIs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Store(_) | Self::StoreMiscounted { .. } => "STORE_FAILED",
            Self::IndexOutOfRange { .. } => "INDEX_OUT_OF_RANGE",
            Self::SizesOutOfOrder { .. } => "SIZES_OUT_OF_ORDER",
            Self::TooLarge => "TREE_TOO_LARGE",
        }
    }
}

/// Appends leaf hashes to the tree of `size` leaves and returns the new head.
///
/// Reads only the peaks of the current tree (at most 63 nodes) however many
/// leaves are appended, and writes each node the moment it becomes perfect.
pub async fn append<S: NodeStore>(
    store: &mut S,
    size: u64,
    leaves: &[Hash],
) -> Result<TreeHead, TreeError<S::Error>> {
    let added = u64::try_from(leaves.len()).map_err(|_| TreeError::TooLarge)?;
    let new_size = size
        .checked_add(added)
        .filter(|s| *s <= MAX_TREE_SIZE)
        .ok_or(TreeError::TooLarge)?;
    let ids = peaks(size);
    let hashes = read(store, &ids).await?;
    let mut frontier: Vec<(NodeId, Hash)> = ids.into_iter().zip(hashes).collect();

    let mut writes = Vec::with_capacity(leaves.len() * 2);
    for (leaf_index, leaf) in (size..).zip(leaves) {
        let mut node = (NodeId::leaf(leaf_index), *leaf);
        writes.push(node);
        // Each trailing one bit of the index completes a subtree.
        while let Some(&(left_id, left_hash)) = frontier.last() {
            if left_id.level != node.0.level {
                break;
            }
            frontier.pop();
            node = (left_id.parent(), node_hash(&left_hash, &node.1));
            writes.push(node);
        }
        frontier.push(node);
    }
    store.write_nodes(&writes).await.map_err(TreeError::Store)?;
    let peak_hashes: Vec<Hash> = frontier.into_iter().map(|(_, h)| h).collect();
    Ok(TreeHead {
        size: new_size,
        root: fold_peaks(&peak_hashes),
    })
}

/// The root of the tree when it had `size` leaves.
pub async fn root_at<S: NodeStore>(store: &S, size: u64) -> Result<Hash, TreeError<S::Error>> {
    if size > MAX_TREE_SIZE {
        return Err(TreeError::TooLarge);
    }
    let hashes = read(store, &peaks(size)).await?;
    Ok(fold_peaks(&hashes))
}

/// The inclusion proof of leaf `index` in the tree of `size` leaves.
pub async fn inclusion_proof<S: NodeStore>(
    store: &S,
    index: u64,
    size: u64,
) -> Result<Vec<Hash>, TreeError<S::Error>> {
    if index >= size {
        return Err(TreeError::IndexOutOfRange { index, size });
    }
    if size > MAX_TREE_SIZE {
        return Err(TreeError::TooLarge);
    }
    prove(store, &ProofNodes::inclusion(index, size)).await
}

/// The consistency proof from the tree of `size1` leaves to that of `size2`.
/// Empty when `size1` is 0 or equal to `size2`: there is nothing to prove.
pub async fn consistency_proof<S: NodeStore>(
    store: &S,
    size1: u64,
    size2: u64,
) -> Result<Vec<Hash>, TreeError<S::Error>> {
    if size1 > size2 {
        return Err(TreeError::SizesOutOfOrder { size1, size2 });
    }
    if size2 > MAX_TREE_SIZE {
        return Err(TreeError::TooLarge);
    }
    if size1 == 0 || size1 == size2 {
        return Ok(Vec::new());
    }
    prove(store, &ProofNodes::consistency(size1, size2)).await
}

async fn prove<S: NodeStore>(
    store: &S,
    nodes: &ProofNodes,
) -> Result<Vec<Hash>, TreeError<S::Error>> {
    let hashes = read(store, &nodes.ids).await?;
    nodes.rehash(&hashes).ok_or(TreeError::StoreMiscounted {
        asked: nodes.ids.len(),
        got: hashes.len(),
    })
}

async fn read<S: NodeStore>(store: &S, ids: &[NodeId]) -> Result<Vec<Hash>, TreeError<S::Error>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let hashes = store.read_nodes(ids).await.map_err(TreeError::Store)?;
    if hashes.len() == ids.len() {
        Ok(hashes)
    } else {
        Err(TreeError::StoreMiscounted {
            asked: ids.len(),
            got: hashes.len(),
        })
    }
}

/// Folds the peaks of a tree, largest first, into its root.
fn fold_peaks(peaks: &[Hash]) -> Hash {
    match peaks.split_last() {
        None => Hash::EMPTY_ROOT,
        Some((last, rest)) => rest.iter().rev().fold(*last, |acc, p| node_hash(p, &acc)),
    }
}

/// Computes the root of a whole tree from its leaf hashes in O(log n) memory,
/// for verifiers that stream an export once.
#[derive(Debug, Default, Clone)]
pub struct RootBuilder {
    size: u64,
    peaks: Vec<(u8, Hash)>,
}

impl RootBuilder {
    /// An empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the next leaf hash.
    pub fn push(&mut self, leaf: Hash) {
        let mut node = (0u8, leaf);
        while let Some(&(level, left)) = self.peaks.last() {
            if level != node.0 {
                break;
            }
            self.peaks.pop();
            node = (level.saturating_add(1), node_hash(&left, &node.1));
        }
        self.peaks.push(node);
        self.size += 1;
    }

    /// Leaves pushed so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The root over the leaves pushed so far.
    pub fn root(&self) -> Hash {
        let hashes: Vec<Hash> = self.peaks.iter().map(|(_, h)| *h).collect();
        fold_peaks(&hashes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::leaf_hash;

    /// RFC 6962 §2.1 MTH, written straight from the definition.
    fn reference_root(leaves: &[Hash]) -> Hash {
        match leaves.len() {
            0 => Hash::EMPTY_ROOT,
            1 => leaves[0],
            n => {
                // The largest power of two smaller than n.
                let mut k = 1;
                while k * 2 < n {
                    k *= 2;
                }
                node_hash(&reference_root(&leaves[..k]), &reference_root(&leaves[k..]))
            }
        }
    }

    fn leaves(n: u64) -> Vec<Hash> {
        (0..n).map(|i| leaf_hash(&i.to_be_bytes())).collect()
    }

    #[test]
    fn appending_one_leaf_at_a_time_gives_the_rfc6962_root_at_every_size() {
        let all = leaves(70);
        let mut store = MemoryStore::new();
        let mut builder = RootBuilder::new();
        for (i, leaf) in all.iter().enumerate() {
            let head = block_on(append(&mut store, i as u64, &[*leaf])).unwrap();
            builder.push(*leaf);
            let want = reference_root(&all[..=i]);
            assert_eq!(head.root, want, "size {}", i + 1);
            assert_eq!(builder.root(), want);
        }
        for size in 0..=70usize {
            assert_eq!(
                block_on(root_at(&store, size as u64)).unwrap(),
                reference_root(&all[..size])
            );
        }
    }

    #[test]
    fn appending_in_batches_gives_the_same_tree_as_one_at_a_time() {
        let all = leaves(100);
        let mut store = MemoryStore::new();
        let mut size = 0;
        for chunk in all.chunks(7) {
            size = block_on(append(&mut store, size, chunk)).unwrap().size;
        }
        assert_eq!(size, 100);
        assert_eq!(
            block_on(root_at(&store, 100)).unwrap(),
            reference_root(&all)
        );
    }

    #[test]
    fn an_append_reads_at_most_one_node_per_level() {
        let mut store = MemoryStore::new();
        let mut size = 0;
        for leaf in leaves(5000) {
            let before = store.reads();
            size = block_on(append(&mut store, size, &[leaf])).unwrap().size;
            assert!(store.reads() - before <= 13, "size {size}");
        }
    }

    #[test]
    fn a_proof_reads_o_log_n_nodes() {
        let mut store = MemoryStore::new();
        block_on(append(&mut store, 0, &leaves(4097))).unwrap();
        for index in [0, 1, 2047, 2048, 4095, 4096] {
            let before = store.reads();
            block_on(inclusion_proof(&store, index, 4097)).unwrap();
            assert!(store.reads() - before <= 2 * 13, "index {index}");
        }
        let before = store.reads();
        block_on(consistency_proof(&store, 1000, 4097)).unwrap();
        assert!(store.reads() - before <= 2 * 13);
    }

    #[test]
    fn proofs_out_of_range_are_refused_with_an_error() {
        let mut store = MemoryStore::new();
        block_on(append(&mut store, 0, &leaves(3))).unwrap();
        assert!(matches!(
            block_on(inclusion_proof(&store, 3, 3)),
            Err(TreeError::IndexOutOfRange { index: 3, size: 3 })
        ));
        assert!(matches!(
            block_on(consistency_proof(&store, 3, 2)),
            Err(TreeError::SizesOutOfOrder { .. })
        ));
        assert!(matches!(
            block_on(inclusion_proof(&store, 0, 9)),
            Err(TreeError::Store(MemoryStoreError::Missing(_)))
        ));
        assert!(matches!(
            block_on(inclusion_proof(&store, 0, u64::MAX)),
            Err(TreeError::TooLarge)
        ));
    }
}
