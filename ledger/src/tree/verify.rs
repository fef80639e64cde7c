//! Checking RFC 6962 inclusion and consistency proofs (RFC 9162 §2.1.3.2 and
//! §2.1.4.2), step for step as transparency-dev/merkle's `proof` package.
//!
//! Roots are taken as the bytes that were received and compared as bytes, as
//! the reference does, so a root of the wrong length simply fails to match.

use crate::hash::{Hash, node_hash};

/// Why a proof was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProofError {
    /// The leaf index is not inside the tree.
    #[error("leaf index {index} is not inside a tree of size {size}")]
    IndexOutOfRange {
        /// The index asked for.
        index: u64,
        /// The tree size.
        size: u64,
    },
    /// The proof has too many or too few hashes for its sizes.
    #[error("the proof has {got} hashes where {want} are needed")]
    WrongLength {
        /// Hashes in the proof.
        got: usize,
        /// Hashes the sizes call for.
        want: usize,
    },
    /// The newer tree is smaller than the older one.
    #[error("tree size {size2} is smaller than the earlier size {size1}")]
    SizeDecreased {
        /// Older size.
        size1: u64,
        /// Newer size.
        size2: u64,
    },
    /// Consistency from the empty tree proves nothing and is refused.
    #[error("a consistency proof from the empty tree proves nothing")]
    FromEmptyTree,
    /// The proof leads to a different root.
    #[error("the proof does not lead to the expected root")]
    RootMismatch,
}

impl ProofError {
    /// Stable code for logs, CLI output and APIs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::IndexOutOfRange { .. } => "INDEX_OUT_OF_RANGE",
            Self::WrongLength { .. } => "PROOF_WRONG_LENGTH",
            Self::SizeDecreased { .. } => "SIZE_DECREASED",
            Self::FromEmptyTree => "CONSISTENCY_FROM_EMPTY_TREE",
            Self::RootMismatch => "ROOT_MISMATCH",
        }
    }
}

/// Checks that `leaf` is leaf `index` of the tree of `size` leaves whose root
/// is `root`.
pub fn verify_inclusion(
    index: u64,
    size: u64,
    leaf: &Hash,
    proof: &[Hash],
    root: &[u8],
) -> Result<(), ProofError> {
    let computed = root_from_inclusion_proof(index, size, leaf, proof)?;
    matches(&computed, root)
}

/// The root implied by an inclusion proof, before comparing it with anything.
pub fn root_from_inclusion_proof(
    index: u64,
    size: u64,
    leaf: &Hash,
    proof: &[Hash],
) -> Result<Hash, ProofError> {
    if index >= size {
        return Err(ProofError::IndexOutOfRange { index, size });
    }
    let (inner, border) = decompose_inclusion_proof(index, size);
    let (inner_proof, border_proof) = split_exact(proof, inner, border)?;
    let seed = chain_inner(*leaf, inner_proof, index);
    Ok(chain_border_right(seed, border_proof))
}

/// Checks that the tree of `size2` leaves with root `root2` extends the tree
/// of `size1` leaves with root `root1`.
pub fn verify_consistency(
    size1: u64,
    size2: u64,
    proof: &[Hash],
    root1: &[u8],
    root2: &[u8],
) -> Result<(), ProofError> {
    if size2 < size1 {
        return Err(ProofError::SizeDecreased { size1, size2 });
    }
    // The witness protocol handles `old 0` itself; as a proof it is refused.
    if size1 == 0 {
        return Err(ProofError::FromEmptyTree);
    }
    if size1 == size2 {
        if !proof.is_empty() {
            return Err(ProofError::WrongLength {
                got: proof.len(),
                want: 0,
            });
        }
        return matches_bytes(root1, root2);
    }
    let (inner, border) = decompose_inclusion_proof(size1 - 1, size2);
    let shift = size1.trailing_zeros() as usize;
    // shift < inner whenever size1 < size2.
    let inner = inner.saturating_sub(shift);

    // The proof starts with the root of the subtree of 2^shift leaves ending
    // at size1, unless size1 is that subtree, which the verifier holds.
    let seeded = !size1.is_power_of_two();
    let want = usize::from(seeded) + inner + border;
    if proof.len() != want {
        return Err(ProofError::WrongLength {
            got: proof.len(),
            want,
        });
    }
    let (seed, rest) = match proof.split_first() {
        Some((first, rest)) if seeded => (*first, rest),
        _ => (
            Hash::from_slice(root1).map_err(|_| ProofError::RootMismatch)?,
            proof,
        ),
    };
    let (inner_proof, border_proof) = split_exact(rest, inner, border)?;

    let mask = (size1 - 1) >> shift;
    let hash1 = chain_border_right(chain_inner_right(seed, inner_proof, mask), border_proof);
    matches(&hash1, root1)?;
    let hash2 = chain_border_right(chain_inner(seed, inner_proof, mask), border_proof);
    matches(&hash2, root2)
}

/// Splits an inclusion proof into the part below the right border of the
/// tree and the part along it.
fn decompose_inclusion_proof(index: u64, size: u64) -> (usize, usize) {
    let inner = inner_proof_size(index, size);
    let border = (index.checked_shr(u32::try_from(inner).unwrap_or(u32::MAX)))
        .unwrap_or(0)
        .count_ones() as usize;
    (inner, border)
}

fn inner_proof_size(index: u64, size: u64) -> usize {
    let x = index ^ (size - 1);
    (64 - x.leading_zeros()) as usize
}

fn split_exact(
    proof: &[Hash],
    inner: usize,
    border: usize,
) -> Result<(&[Hash], &[Hash]), ProofError> {
    let want = inner + border;
    if proof.len() != want {
        return Err(ProofError::WrongLength {
            got: proof.len(),
            want,
        });
    }
    Ok(proof.split_at(inner))
}

fn chain_inner(seed: Hash, proof: &[Hash], index: u64) -> Hash {
    proof.iter().enumerate().fold(seed, |acc, (i, h)| {
        if (index >> i) & 1 == 0 {
            node_hash(&acc, h)
        } else {
            node_hash(h, &acc)
        }
    })
}

fn chain_inner_right(seed: Hash, proof: &[Hash], index: u64) -> Hash {
    proof.iter().enumerate().fold(seed, |acc, (i, h)| {
        if (index >> i) & 1 == 1 {
            node_hash(h, &acc)
        } else {
            acc
        }
    })
}

fn chain_border_right(seed: Hash, proof: &[Hash]) -> Hash {
    proof.iter().fold(seed, |acc, h| node_hash(h, &acc))
}

fn matches(computed: &Hash, expected: &[u8]) -> Result<(), ProofError> {
    matches_bytes(computed.as_bytes(), expected)
}

fn matches_bytes(a: &[u8], b: &[u8]) -> Result<(), ProofError> {
    if a == b {
        Ok(())
    } else {
        Err(ProofError::RootMismatch)
    }
}
