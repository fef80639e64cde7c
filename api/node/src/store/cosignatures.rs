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

/// The newest cosignatures, at most `rows` of them in one read, grouped by
/// checkpoint size, newest size first, each with its (witness, line)
/// pairs. The oldest group may be cut short by the limit.
pub async fn newest<C: ConnectionTrait>(
    conn: &C,
    rows: u64,
) -> Result<Vec<(u64, Vec<(String, String)>)>, StoreError> {
    let found = cosignatures::Entity::find()
        .order_by_desc(cosignatures::Column::Size)
        .order_by_asc(cosignatures::Column::Witness)
        .limit(rows)
        .all(conn)
        .await?;
    let mut out: Vec<(u64, Vec<(String, String)>)> = Vec::new();
    for row in found {
        let size = to_u64(row.size, "cosignatures")?;
        match out.last_mut() {
            Some((last, lines)) if *last == size => lines.push((row.witness, row.line)),
            _ => out.push((size, vec![(row.witness, row.line)])),
        }
    }
    Ok(out)
}

/// The largest checkpoint size any witness cosigned.
pub async fn newest_size<C: ConnectionTrait>(conn: &C) -> Result<Option<u64>, StoreError> {
    cosignatures::Entity::find()
        .order_by_desc(cosignatures::Column::Size)
        .one(conn)
        .await?
        .map(|row| to_u64(row.size, "cosignatures"))
        .transpose()
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
