//! Appending entries: origin checked, signatures batch-verified, leaves added
//! to the tree, all or nothing.

use crate::batch::verify_entries;
use crate::entry::{Entry, EntryError};
use crate::tree::{NodeStore, TreeError, TreeHead, append};

/// Why a batch of entries was not appended. Nothing was written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppendError<E> {
    /// The entry at `position` in the batch is refused.
    #[error("entry {position} of the batch: {error}")]
    Entry {
        /// Position in the batch.
        position: usize,
        /// The defect.
        error: EntryError,
    },
    /// The tree could not be updated.
    #[error(transparent)]
    Tree(#[from] TreeError<E>),
}

impl<E> AppendError<E> {
    /// Stable code for logs and APIs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Entry { error, .. } => error.code(),
            Self::Tree(e) => e.code(),
        }
    }
}

/// Appends `entries` to the log of `size` leaves whose origin is `origin`.
///
/// Every entry is checked before anything is written: a refused entry
/// leaves the store as it was. Nonce uniqueness needs the whole history and
/// is the caller's to enforce (the node keeps a unique index on it).
pub async fn append_entries<S: NodeStore>(
    store: &mut S,
    size: u64,
    origin: &str,
    entries: &[Entry],
) -> Result<TreeHead, AppendError<S::Error>> {
    for (position, entry) in entries.iter().enumerate() {
        entry
            .check_origin(origin)
            .map_err(|error| AppendError::Entry { position, error })?;
    }
    let refs: Vec<&Entry> = entries.iter().collect();
    verify_entries(&refs, &[])
        .map_err(|(position, error)| AppendError::Entry { position, error })?;
    let leaves: Vec<_> = entries.iter().map(Entry::leaf_hash).collect();
    Ok(append(store, size, &leaves).await?)
}
