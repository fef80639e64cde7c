//! Addresses of perfect subtrees, and the compact ranges they form.
//!
//! Only perfect subtrees are ever stored: once complete they never change, so
//! a store can keep them forever and every historical tree size can be proved
//! from them. The index arithmetic follows transparency-dev/merkle's `compact`
//! package, which the RFC 6962 test vectors come from.

/// The largest tree this code will address. Keeping one bit spare means no
/// sum of an index and a subtree width can overflow `u64`.
pub const MAX_TREE_SIZE: u64 = 1 << 63;

/// A perfect subtree: the node at `level` covering leaves
/// `[index·2^level, (index+1)·2^level)`. Leaves are level 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId {
    /// Height above the leaves.
    pub level: u8,
    /// Position among the nodes of that level, from the left.
    pub index: u64,
}

impl NodeId {
    /// The node at `level` and `index`.
    pub const fn new(level: u8, index: u64) -> Self {
        Self { level, index }
    }

    /// The leaf with this index.
    pub const fn leaf(index: u64) -> Self {
        Self { level: 0, index }
    }

    /// The node one level up that contains this one.
    #[must_use]
    pub const fn parent(self) -> Self {
        Self::new(self.level + 1, self.index >> 1)
    }

    /// The other child of this node's parent.
    #[must_use]
    pub const fn sibling(self) -> Self {
        Self::new(self.level, self.index ^ 1)
    }

    /// The leaves this node covers, as `[begin, end)`. Only meaningful for
    /// nodes of trees within [`MAX_TREE_SIZE`].
    pub const fn coverage(self) -> (u64, u64) {
        let begin = self.index << self.level;
        (begin, begin + (1 << self.level))
    }
}

/// Splits `[begin, end)` into the fewest perfect subtrees, as two bitmasks:
/// `left` lists subtree sizes left to right from the low bit up, `right`
/// continues from the high bit down (transparency-dev `compact.Decompose`).
pub(crate) fn decompose(begin: u64, end: u64) -> (u64, u64) {
    if begin == 0 {
        return (0, end);
    }
    let xbegin = begin - 1;
    // Paths to leaves begin-1 and end diverge at bit d; only nodes strictly
    // below the divergence are in the range.
    let d = (xbegin ^ end).checked_ilog2().unwrap_or(0);
    let mask = (1u64 << d) - 1;
    (!xbegin & mask, end & mask)
}

/// How many perfect subtrees make up `[begin, end)`.
pub(crate) fn range_size(begin: u64, end: u64) -> usize {
    let (left, right) = decompose(begin, end);
    (left.count_ones() + right.count_ones()) as usize
}

/// Appends, left to right, the perfect subtrees that make up `[begin, end)`.
pub(crate) fn range_nodes(begin: u64, end: u64, out: &mut Vec<NodeId>) {
    let (mut left, mut right) = decompose(begin, end);
    let mut pos = begin;
    while left != 0 {
        let level = left.trailing_zeros();
        let bit = 1u64 << level;
        out.push(NodeId::new(level_u8(level), pos >> level));
        pos += bit;
        left ^= bit;
    }
    while right != 0 {
        let level = right.ilog2();
        let bit = 1u64 << level;
        out.push(NodeId::new(level_u8(level), pos >> level));
        pos += bit;
        right ^= bit;
    }
}

/// The perfect subtrees whose hashes fold into the root of a tree of `size`
/// leaves, largest (leftmost) first.
pub fn peaks(size: u64) -> Vec<NodeId> {
    let mut out = Vec::with_capacity(size.count_ones() as usize);
    range_nodes(0, size, &mut out);
    out
}

// Levels come from bit positions of a u64, so they are below 64.
fn level_u8(level: u32) -> u8 {
    u8::try_from(level).unwrap_or(u8::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decompose_splits_a_range_into_the_documented_subtrees() {
        // transparency-dev's example: [0b110, 0b11101) is 2,8 then 8,4,1.
        let mut out = Vec::new();
        range_nodes(0b110, 0b11101, &mut out);
        let widths: Vec<u64> = out.iter().map(|n| 1 << n.level).collect();
        assert_eq!(widths, vec![2, 8, 8, 4, 1]);
        assert_eq!(range_size(0b110, 0b11101), 5);
    }

    #[test]
    fn the_peaks_of_a_tree_cover_every_leaf_exactly_once() {
        for size in 0..300u64 {
            let mut next = 0;
            for p in peaks(size) {
                let (b, e) = p.coverage();
                assert_eq!(b, next, "size {size}");
                next = e;
            }
            assert_eq!(next, size);
        }
    }
}
