//! Witness cosignatures the node collected, and what each witness is known
//! to have cosigned last.

use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait as _, ConnectionTrait, EntityTrait as _, QueryFilter as _,
    QueryOrder as _, QuerySelect as _,
};

use super::StoreError;
use super::entity::{cosignatures, witness_heads};
use super::ledger::{to_i64, to_u64};

/// Keeps a witness's cosignature line for the checkpoint of `size`.
pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    size: u64,
    witness: &str,
    line: &str,
) -> Result<(), StoreError> {
    cosignatures::Entity::insert(cosignatures::ActiveModel {
        size: Set(to_i64(size, "cosignatures")?),
        witness: Set(witness.to_owned()),
        line: Set(line.to_owned()),
    })
    // A second cosignature of the same size by the same witness (after a
    // retry) is as good as the first; keep the first.
    .on_conflict_do_nothing_on([cosignatures::Column::Size, cosignatures::Column::Witness])
    .exec(conn)
    .await?;
    Ok(())
}

/// The cosigned sizes, newest first, at most `limit`, each with its
/// (witness, line) pairs.
pub async fn newest<C: ConnectionTrait>(
    conn: &C,
    limit: u64,
) -> Result<Vec<(u64, Vec<(String, String)>)>, StoreError> {
    let sizes: Vec<i64> = cosignatures::Entity::find()
        .select_only()
        .column(cosignatures::Column::Size)
        .distinct()
        .order_by_desc(cosignatures::Column::Size)
        .limit(limit)
        .into_tuple()
        .all(conn)
        .await?;
    let mut out = Vec::with_capacity(sizes.len());
    for size in sizes {
        let rows = cosignatures::Entity::find()
            .filter(cosignatures::Column::Size.eq(size))
            .order_by_asc(cosignatures::Column::Witness)
            .all(conn)
            .await?;
        out.push((
            to_u64(size, "cosignatures")?,
            rows.into_iter().map(|r| (r.witness, r.line)).collect(),
        ));
    }
    Ok(out)
}

/// The (witness, line) pairs collected for the checkpoint of `size`.
pub async fn of_size<C: ConnectionTrait>(
    conn: &C,
    size: u64,
) -> Result<Vec<(String, String)>, StoreError> {
    Ok(cosignatures::Entity::find()
        .filter(cosignatures::Column::Size.eq(to_i64(size, "cosignatures")?))
        .order_by_asc(cosignatures::Column::Witness)
        .all(conn)
        .await?
        .into_iter()
        .map(|r| (r.witness, r.line))
        .collect())
}

/// The size `witness` is known to have cosigned last (0 if none).
pub async fn head<C: ConnectionTrait>(conn: &C, witness: &str) -> Result<u64, StoreError> {
    witness_heads::Entity::find_by_id(witness.to_owned())
        .one(conn)
        .await?
        .map_or(Ok(0), |row| to_u64(row.size, "witness_heads"))
}

/// Records that `witness` holds `size` now.
pub async fn set_head<C: ConnectionTrait>(
    conn: &C,
    witness: &str,
    size: u64,
) -> Result<(), StoreError> {
    witness_heads::Entity::insert(witness_heads::ActiveModel {
        witness: Set(witness.to_owned()),
        size: Set(to_i64(size, "witness_heads")?),
    })
    .on_conflict(
        OnConflict::column(witness_heads::Column::Witness)
            .update_column(witness_heads::Column::Size)
            .to_owned(),
    )
    .exec(conn)
    .await?;
    Ok(())
}
