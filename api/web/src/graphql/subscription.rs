//! The live feed.

use async_graphql::{Context, Subscription};
use futures_util::Stream;
use tokio::sync::broadcast::error::RecvError;

use super::types::{Entry, EntryPayload};
use super::{Session, node, viewer};
use crate::auth;
use crate::error::ApiError;
use godown_node::visibility::may_see_entry;

/// The root of subscriptions.
pub struct Subscription;

#[Subscription]
impl Subscription {
    /// Entries as they are appended; payloads only where the viewer may see
    /// them. The feed ends with an error as soon as the session no longer
    /// holds: its token expired, its key was revoked, its organisation
    /// suspended.
    #[expect(
        clippy::unused_async,
        reason = "async-graphql's subscription resolvers are async"
    )]
    async fn entries(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<Entry>>> {
        viewer(ctx)?;
        let token = ctx
            .data_opt::<Session>()
            .and_then(|s| s.token.clone())
            .ok_or_else(|| {
                ApiError::unauthenticated("sign in first: this needs a session token")
            })?;
        let node = node(ctx).clone();
        let mut feed = node.subscribe();
        Ok(async_stream::stream! {
            loop {
                let appended = match feed.recv().await {
                    Ok(appended) => appended,
                    // A slow subscriber misses entries rather than holding
                    // the node back; the client pages to catch up.
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => break,
                };
                // The session is checked again for every entry it would see.
                let viewer = match auth::viewer(&node, &token).await {
                    Ok(viewer) => viewer,
                    Err(e) => {
                        yield Err(e.into());
                        break;
                    }
                };
                let payload = may_see_entry(&viewer, &appended.entry.tx_type, appended.parties.iter())
                    .then(|| EntryPayload::of(&appended.entry));
                yield Entry::new(appended.entry.index, appended.entry.leaf_hash.to_base64(), payload)
                    .map_err(Into::into);
            }
        })
    }
}
