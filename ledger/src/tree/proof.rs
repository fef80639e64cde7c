//! Which stored nodes make up an RFC 6962 proof, and how to fold them.
//!
//! A proof against a tree whose size is not a power of two contains at most
//! one *ephemeral* node: a subtree on the right edge that is not perfect yet
//! and so is never stored. It is rebuilt from the perfect subtrees under it.
//! This is transparency-dev/merkle's `proof.Nodes`, which keeps every proof at
//! O(log n) reads.

use crate::hash::{Hash, node_hash};
use crate::tree::node::{NodeId, range_nodes, range_size};

/// The stored nodes needed for one proof, in proof order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProofNodes {
    /// Perfect subtrees to read from the store.
    pub ids: Vec<NodeId>,
    /// `ids[begin..end]` fold into the ephemeral node, when there is one.
    begin: usize,
    end: usize,
}

impl ProofNodes {
    /// The inclusion proof of leaf `index` in a tree of `size` leaves
    /// (RFC 6962 §2.1.1). The caller ensures `index < size <= MAX_TREE_SIZE`.
    pub(crate) fn inclusion(index: u64, size: u64) -> Self {
        Self::path(index, 0, size).skip_first()
    }

    /// The consistency proof from `size1` to `size2` (RFC 6962 §2.1.2).
    /// The caller ensures `0 < size1 < size2 <= MAX_TREE_SIZE`.
    pub(crate) fn consistency(size1: u64, size2: u64) -> Self {
        // The biggest perfect subtree that ends at size1.
        let level = size1.trailing_zeros();
        let index = (size1 - 1) >> level;
        let nodes = Self::path(index, level, size2);
        // When size1 is a power of two the verifier already holds that
        // subtree: it is the old root.
        if index == 0 {
            nodes.skip_first()
        } else {
            nodes
        }
    }

    /// The node `(level, index)` followed by what proves it into the tree of
    /// `size` leaves.
    fn path(index: u64, level: u32, size: u64) -> Self {
        // The fork is where the path to the node leaves the path to leaf
        // `size`; its sibling is the (possibly ephemeral) right-edge subtree.
        let inner = (index ^ (size >> level)).checked_ilog2().unwrap_or(0);
        let fork = NodeId::new(to_level(level + inner), index >> inner);
        let (begin, end) = fork.coverage();
        let left = range_size(0, begin);
        let right = range_size(end, size);

        let mut node = NodeId::new(to_level(level), index);
        let mut ids = Vec::with_capacity(1 + inner as usize + left + right);
        ids.push(node);
        while node.level < fork.level {
            ids.push(node.sibling());
            node = node.parent();
        }
        // The right-edge subtrees, reversed so folding runs root-wards.
        let len1 = ids.len();
        range_nodes(end, size, &mut ids);
        reverse_from(&mut ids, len1);
        let len2 = ids.len();
        // Then the left-hand subtrees, smallest first.
        range_nodes(0, begin, &mut ids);
        reverse_from(&mut ids, len2);

        let (begin, end) = if len1 >= len2 { (0, 0) } else { (len1, len2) };
        Self { ids, begin, end }
    }

    fn skip_first(mut self) -> Self {
        if !self.ids.is_empty() {
            self.ids.remove(0);
        }
        if self.begin < self.end {
            self.begin -= 1;
            self.end -= 1;
        }
        self
    }

    /// Folds the hashes read for [`Self::ids`] (same order, same length) into
    /// the proof, rebuilding the ephemeral node. `None` if the count is wrong.
    pub(crate) fn rehash(&self, hashes: &[Hash]) -> Option<Vec<Hash>> {
        if hashes.len() != self.ids.len() {
            return None;
        }
        let mut proof = Vec::with_capacity(hashes.len());
        let mut i = 0;
        while let Some(first) = hashes.get(i) {
            if i == self.begin && self.begin < self.end {
                let ephemeral = hashes
                    .get(self.begin + 1..self.end)?
                    .iter()
                    .fold(*first, |acc, h| node_hash(h, &acc));
                proof.push(ephemeral);
                i = self.end;
            } else {
                proof.push(*first);
                i += 1;
            }
        }
        Some(proof)
    }
}

fn reverse_from(ids: &mut [NodeId], start: usize) {
    if let Some(tail) = ids.get_mut(start..) {
        tail.reverse();
    }
}

fn to_level(level: u32) -> u8 {
    u8::try_from(level).unwrap_or(u8::MAX)
}
