//! Queries.

use async_graphql::connection::Connection;
use async_graphql::{Context, Object};
use godown_ledger::Hash;

use super::shared::paged;
use super::types::{Checkpoint, Entry, EntryPayload, LedgerInfo, Me, Organisation, Proof, User};
use super::{AppFlags, gql_int, node, u64_arg, viewer};
use crate::error::ApiError;
use godown_node::cosigning;
use godown_node::reads::{self, EntryView};
use godown_node::store::{ledger, projection};
use godown_node::visibility::{may_see_members, require_full};

/// The root of queries.
#[derive(Default)]
pub struct Query;

pub(crate) fn entry_object(view: &EntryView) -> Result<Entry, ApiError> {
    let payload = view.payload.as_ref().map(EntryPayload::of);
    Entry::new(view.index, view.leaf_hash.to_base64(), payload)
}

#[Object(name = "LedgerQuery")]
impl Query {
    /// The ledger's identity; needs no session.
    async fn ledger(&self, ctx: &Context<'_>) -> async_graphql::Result<LedgerInfo> {
        let node = node(ctx);
        let (size, _) = ledger::head(node.db().conn())
            .await
            .map_err(ApiError::from)?;
        Ok(LedgerInfo {
            origin: node.origin().to_owned(),
            log_vkey: node.log_vkey().to_string(),
            log_vkeys: node.log_vkeys().iter().map(ToString::to_string).collect(),
            log_vkey_next: node.log_vkey_next().map(|k| k.to_string()),
            witness_vkeys: node
                .witnesses()
                .iter()
                .map(|w| w.vkey.to_string())
                .collect(),
            size: gql_int(size)?,
            demo: ctx.data::<AppFlags>().is_ok_and(|f| f.demo),
        })
    }

    /// The signed-in user.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<Me> {
        let viewer = viewer(ctx)?;
        let db = node(ctx).db().conn();
        let user = projection::user(db, viewer.user.as_str())
            .await
            .map_err(ApiError::from)?;
        let org = projection::org(db, viewer.org.as_str())
            .await
            .map_err(ApiError::from)?;
        let (Some(user), Some(org)) = (user, org) else {
            return Err(ApiError::unauthenticated("the session's user no longer exists").into());
        };
        Ok(Me {
            user: User::from_domain(&user),
            organisation: Organisation::from_domain(&org)?,
            key: viewer.key.to_base64(),
            scope: viewer.scope.as_str().to_owned(),
        })
    }

    /// Every member organisation.
    async fn organisations(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Organisation>> {
        require_full(viewer(ctx)?)?;
        let orgs = projection::all_orgs(node(ctx).db().conn())
            .await
            .map_err(ApiError::from)?;
        Ok(orgs
            .iter()
            .map(Organisation::from_domain)
            .collect::<Result<_, _>>()?)
    }

    /// One organisation.
    async fn organisation(
        &self,
        ctx: &Context<'_>,
        id: String,
    ) -> async_graphql::Result<Option<Organisation>> {
        require_full(viewer(ctx)?)?;
        let org = projection::org(node(ctx).db().conn(), &id)
            .await
            .map_err(ApiError::from)?;
        Ok(org.as_ref().map(Organisation::from_domain).transpose()?)
    }

    /// One user, if the viewer may see their organisation's members.
    async fn user(&self, ctx: &Context<'_>, id: String) -> async_graphql::Result<Option<User>> {
        let viewer = viewer(ctx)?;
        let Some(user) = projection::user(node(ctx).db().conn(), &id)
            .await
            .map_err(ApiError::from)?
        else {
            return Ok(None);
        };
        if !may_see_members(viewer, &user.org) {
            return Err(ApiError::forbidden(format!(
                "the members of {} are not visible to you",
                user.org
            ))
            .into());
        }
        Ok(Some(User::from_domain(&user)))
    }

    /// Ledger entries in log order, with Relay cursor pagination. Without
    /// `first` or `last`, the first 50.
    async fn entries(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<Connection<u64, Entry>> {
        let viewer = viewer(ctx)?;
        let node = node(ctx);
        let (size, _) = ledger::head(node.db().conn())
            .await
            .map_err(ApiError::from)?;
        // An entry's cursor is its index: the log is the order.
        paged(size, after, before, first, last, |start, end| async move {
            let views = reads::entries(node, viewer, start, end).await?;
            Ok(views
                .iter()
                .map(entry_object)
                .collect::<Result<Vec<_>, _>>()?)
        })
        .await
    }

    /// One entry.
    async fn entry(&self, ctx: &Context<'_>, index: i32) -> async_graphql::Result<Option<Entry>> {
        let index = u64_arg(index)?;
        let view = reads::entries(node(ctx), viewer(ctx)?, index, index.saturating_add(1)).await?;
        Ok(view.first().map(entry_object).transpose()?)
    }

    /// The latest signed checkpoint, with the witness cosignatures collected
    /// for it so far.
    async fn checkpoint(&self, ctx: &Context<'_>) -> async_graphql::Result<Checkpoint> {
        viewer(ctx)?;
        let node = node(ctx);
        let c = reads::checkpoint_with_cosignatures(node).await?;
        let final_size = match node.witness_policy() {
            None => None,
            Some(_) => Some(gql_int(
                cosigning::published(node)
                    .await
                    .map_err(ApiError::from)?
                    .map_or(0, |p| p.size),
            )?),
        };
        Ok(Checkpoint {
            origin: node.origin().to_owned(),
            size: gql_int(c.size)?,
            root: c.root.to_base64(),
            note: c.note,
            final_size,
        })
    }

    /// An entry's inclusion proof against the newest checkpoint the
    /// witnesses' quorum cosigned once it covers the entry (the newest signed
    /// one until then), for the entry's parties and the regulator.
    async fn proof(&self, ctx: &Context<'_>, index: i32) -> async_graphql::Result<Proof> {
        let proof = reads::entry_proof(node(ctx), viewer(ctx)?, u64_arg(index)?).await?;
        Ok(super::shared::proof_object(&proof)?)
    }

    /// The consistency proof between two sizes of the log.
    async fn consistency(
        &self,
        ctx: &Context<'_>,
        old: i32,
        new: i32,
    ) -> async_graphql::Result<Vec<String>> {
        viewer(ctx)?;
        let hashes = reads::consistency(node(ctx), u64_arg(old)?, u64_arg(new)?).await?;
        Ok(hashes.iter().map(Hash::to_base64).collect())
    }
}
