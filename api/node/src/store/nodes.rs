//! The Merkle tree's node store over the database: the ledger core computes,
//! this reads and writes the `tree_nodes` table, inside the append's
//! transaction when writing.

use std::future::Future;

use godown_ledger::Hash;
use godown_ledger::tree::{NodeId, NodeStore};
use sea_orm::sea_query::{Condition, Expr, ExprTrait as _};
use sea_orm::{ColumnTrait as _, ConnectionTrait, EntityTrait as _, QueryFilter as _};

use super::StoreError;
use super::entity::tree_nodes;

/// Tree nodes in the database, read and written through `conn`.
pub struct DbNodes<'c, C> {
    conn: &'c C,
}

impl<'c, C: ConnectionTrait> DbNodes<'c, C> {
    /// Nodes reached through `conn`, a connection or a transaction.
    pub fn new(conn: &'c C) -> Self {
        Self { conn }
    }
}

impl<C: ConnectionTrait + Sync> NodeStore for DbNodes<'_, C> {
    type Error = StoreError;

    fn read_nodes(
        &self,
        ids: &[NodeId],
    ) -> impl Future<Output = Result<Vec<Hash>, Self::Error>> + Send {
        let ids = ids.to_vec();
        async move {
            let mut wanted = Condition::any();
            for id in &ids {
                wanted = wanted.add(
                    Expr::col(tree_nodes::Column::Level)
                        .eq(i16::from(id.level))
                        .and(tree_nodes::Column::Idx.eq(index(id.index)?)),
                );
            }
            let rows = tree_nodes::Entity::find()
                .filter(wanted)
                .all(self.conn)
                .await?;
            ids.iter()
                .map(|id| {
                    let row = rows
                        .iter()
                        .find(|r| {
                            i64::from(r.level) == i64::from(id.level)
                                && r.idx == index(id.index).unwrap_or(-1)
                        })
                        .ok_or_else(|| {
                            StoreError::corrupt(
                                "tree_nodes",
                                format!("node at level {} index {} is missing", id.level, id.index),
                            )
                        })?;
                    Hash::from_slice(&row.hash).map_err(|e| StoreError::corrupt("tree_nodes", e))
                })
                .collect()
        }
    }

    fn write_nodes(
        &mut self,
        nodes: &[(NodeId, Hash)],
    ) -> impl Future<Output = Result<(), Self::Error>> + Send {
        let rows: Result<Vec<tree_nodes::ActiveModel>, StoreError> = nodes
            .iter()
            .map(|(id, hash)| {
                Ok(tree_nodes::ActiveModel {
                    level: sea_orm::Set(i16::from(id.level)),
                    idx: sea_orm::Set(index(id.index)?),
                    hash: sea_orm::Set(hash.0.to_vec()),
                })
            })
            .collect();
        async move {
            let rows = rows?;
            // Bounded statements: SQLite takes at most 32,766 parameters.
            for chunk in rows.chunks(1000) {
                tree_nodes::Entity::insert_many(chunk.to_vec())
                    .exec(self.conn)
                    .await?;
            }
            Ok(())
        }
    }
}

/// Indexes are stored as `BIGINT`; a tree never exceeds 2^63 leaves.
fn index(value: u64) -> Result<i64, StoreError> {
    i64::try_from(value).map_err(|_| StoreError::corrupt("tree_nodes", "index beyond 2^63"))
}
