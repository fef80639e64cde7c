//! Where the tree's nodes live: a trait the node implements over its
//! database, and an in-memory implementation for tests and benchmarks.

use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll, Waker};

use crate::hash::Hash;
use crate::tree::node::NodeId;

/// Storage for the hashes of perfect subtrees.
///
/// Stored nodes never change once written, so every tree size the log ever
/// had can be proved from the same store. The methods are `async` so a
/// database can implement them; nothing here needs a runtime.
pub trait NodeStore {
    /// What the backing store reports when it fails.
    type Error: std::error::Error + Send + Sync + 'static;

    /// Returns one hash per id, in the order asked. A missing node is an
    /// error: the tree math only asks for nodes that must exist.
    fn read_nodes(
        &self,
        ids: &[NodeId],
    ) -> impl Future<Output = Result<Vec<Hash>, Self::Error>> + Send;

    /// Stores newly completed nodes. They are new: nothing is overwritten.
    fn write_nodes(
        &mut self,
        nodes: &[(NodeId, Hash)],
    ) -> impl Future<Output = Result<(), Self::Error>> + Send;
}

/// A node store held in memory, level by level.
#[derive(Debug, Default)]
pub struct MemoryStore {
    levels: Vec<Vec<Hash>>,
    reads: AtomicU64,
}

/// Errors of the in-memory store.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MemoryStoreError {
    /// A node was asked for that was never written.
    #[error("node at level {} index {} was never written", .0.level, .0.index)]
    Missing(NodeId),
    /// A node was written out of order or twice with different hashes.
    #[error("node at level {} index {} written out of order or changed", .0.level, .0.index)]
    OutOfOrder(NodeId),
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many node hashes have been read so far; tests use it to show that
    /// appends and proofs cost O(log n) reads.
    pub fn reads(&self) -> u64 {
        self.reads.load(Ordering::Relaxed)
    }

    /// How many node hashes are stored.
    pub fn len(&self) -> usize {
        self.levels.iter().map(Vec::len).sum()
    }

    /// Whether nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.levels.iter().all(Vec::is_empty)
    }

    /// Replaces a stored hash, so tests can show that tampering is caught.
    pub fn corrupt(&mut self, id: NodeId, hash: Hash) -> Result<(), MemoryStoreError> {
        let slot = usize::try_from(id.index)
            .ok()
            .and_then(|i| self.levels.get_mut(usize::from(id.level))?.get_mut(i))
            .ok_or(MemoryStoreError::Missing(id))?;
        *slot = hash;
        Ok(())
    }

    fn get(&self, id: NodeId) -> Result<Hash, MemoryStoreError> {
        usize::try_from(id.index)
            .ok()
            .and_then(|i| self.levels.get(usize::from(id.level))?.get(i))
            .copied()
            .ok_or(MemoryStoreError::Missing(id))
    }

    fn put(&mut self, id: NodeId, hash: Hash) -> Result<(), MemoryStoreError> {
        let level = usize::from(id.level);
        while self.levels.len() <= level {
            self.levels.push(Vec::new());
        }
        let nodes = self
            .levels
            .get_mut(level)
            .ok_or(MemoryStoreError::OutOfOrder(id))?;
        let index = usize::try_from(id.index).map_err(|_| MemoryStoreError::OutOfOrder(id))?;
        match nodes.get(index) {
            None if index == nodes.len() => {
                nodes.push(hash);
                Ok(())
            }
            Some(existing) if *existing == hash => Ok(()),
            _ => Err(MemoryStoreError::OutOfOrder(id)),
        }
    }
}

impl NodeStore for MemoryStore {
    type Error = MemoryStoreError;

    fn read_nodes(
        &self,
        ids: &[NodeId],
    ) -> impl Future<Output = Result<Vec<Hash>, Self::Error>> + Send {
        self.reads.fetch_add(
            u64::try_from(ids.len()).unwrap_or(u64::MAX),
            Ordering::Relaxed,
        );
        std::future::ready(ids.iter().map(|id| self.get(*id)).collect())
    }

    fn write_nodes(
        &mut self,
        nodes: &[(NodeId, Hash)],
    ) -> impl Future<Output = Result<(), Self::Error>> + Send {
        let result = nodes.iter().try_for_each(|(id, h)| self.put(*id, *h));
        std::future::ready(result)
    }
}

/// Runs a future to completion on the current thread by polling it.
///
/// For stores whose futures complete at once, such as [`MemoryStore`], this
/// is all the executor needed, and keeps the ledger free of any runtime.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
        std::thread::yield_now();
    }
}
