//! Off-ledger session state: login challenges, invitation tokens and the
//! contact addresses that must never reach the ledger.

use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait as _, ConnectionTrait, EntityTrait as _, QueryFilter as _,
};

use super::StoreError;
use super::entity::{auth_challenges, invitations, user_contacts};
use super::ledger::{to_i64, to_u64};

/// Stores a fresh login challenge.
pub async fn insert_challenge<C: ConnectionTrait>(
    conn: &C,
    challenge: &str,
    expires_ms: i64,
) -> Result<(), StoreError> {
    auth_challenges::Entity::insert(auth_challenges::ActiveModel {
        challenge: Set(challenge.to_owned()),
        expires_ms: Set(expires_ms),
        used: Set(false),
    })
    .exec(conn)
    .await?;
    Ok(())
}

/// Uses up a challenge: true only the first time, and only before it
/// expires. The update is conditional, so two logins racing with the same
/// challenge cannot both succeed.
pub async fn consume_challenge<C: ConnectionTrait>(
    conn: &C,
    challenge: &str,
    now_ms: i64,
) -> Result<bool, StoreError> {
    let result = auth_challenges::Entity::update_many()
        .col_expr(
            auth_challenges::Column::Used,
            sea_orm::sea_query::Expr::value(true),
        )
        .filter(auth_challenges::Column::Challenge.eq(challenge))
        .filter(auth_challenges::Column::Used.eq(false))
        .filter(auth_challenges::Column::ExpiresMs.gt(now_ms))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Forgets challenges that expired before `now_ms`.
pub async fn purge_challenges<C: ConnectionTrait>(
    conn: &C,
    now_ms: i64,
) -> Result<u64, StoreError> {
    let result = auth_challenges::Entity::delete_many()
        .filter(auth_challenges::Column::ExpiresMs.lte(now_ms))
        .exec(conn)
        .await?;
    Ok(result.rows_affected)
}

/// An invitation waiting for its user to make a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    /// The invited user.
    pub user: String,
    /// Where the invitation was sent.
    pub email: String,
    /// The `user.invite` entry.
    pub entry: u64,
    /// When it lapses.
    pub expires_ms: i64,
    /// When it was used, if it was.
    pub used_ms: Option<i64>,
}

/// Stores an invitation under the SHA-256 of its token.
pub async fn insert_invitation<C: ConnectionTrait>(
    conn: &C,
    token_hash: &[u8; 32],
    invitation: &Invitation,
) -> Result<(), StoreError> {
    invitations::Entity::insert(invitations::ActiveModel {
        token_hash: Set(token_hash.to_vec()),
        user_id: Set(invitation.user.clone()),
        email: Set(invitation.email.clone()),
        entry_idx: Set(to_i64(invitation.entry, "invitations")?),
        expires_ms: Set(invitation.expires_ms),
        used_ms: Set(invitation.used_ms),
    })
    .exec(conn)
    .await?;
    Ok(())
}

/// Finds an invitation by the SHA-256 of its token.
pub async fn invitation<C: ConnectionTrait>(
    conn: &C,
    token_hash: &[u8; 32],
) -> Result<Option<Invitation>, StoreError> {
    invitations::Entity::find_by_id(token_hash.to_vec())
        .one(conn)
        .await?
        .map(|row| {
            Ok(Invitation {
                user: row.user_id,
                email: row.email,
                entry: to_u64(row.entry_idx, "invitations")?,
                expires_ms: row.expires_ms,
                used_ms: row.used_ms,
            })
        })
        .transpose()
}

/// Marks an invitation used; true only the first time.
pub async fn use_invitation<C: ConnectionTrait>(
    conn: &C,
    token_hash: &[u8; 32],
    now_ms: i64,
) -> Result<bool, StoreError> {
    let result = invitations::Entity::update_many()
        .col_expr(
            invitations::Column::UsedMs,
            sea_orm::sea_query::Expr::value(now_ms),
        )
        .filter(invitations::Column::TokenHash.eq(token_hash.to_vec()))
        .filter(invitations::Column::UsedMs.is_null())
        .filter(invitations::Column::ExpiresMs.gt(now_ms))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Records a user's contact address.
pub async fn set_contact<C: ConnectionTrait>(
    conn: &C,
    user: &str,
    email: &str,
) -> Result<(), StoreError> {
    user_contacts::Entity::insert(user_contacts::ActiveModel {
        user_id: Set(user.to_owned()),
        email: Set(email.to_owned()),
    })
    .on_conflict(
        OnConflict::column(user_contacts::Column::UserId)
            .update_column(user_contacts::Column::Email)
            .to_owned(),
    )
    .exec(conn)
    .await?;
    Ok(())
}

/// A user's contact address, if known.
pub async fn contact<C: ConnectionTrait>(
    conn: &C,
    user: &str,
) -> Result<Option<String>, StoreError> {
    Ok(user_contacts::Entity::find_by_id(user.to_owned())
        .one(conn)
        .await?
        .map(|row| row.email))
}
