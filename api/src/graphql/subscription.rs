//! The live feed.

use async_graphql::{Context, Subscription};
use futures_util::Stream;
use tokio::sync::broadcast::error::RecvError;

use super::types::{Entry, EntryPayload};
use super::{node, viewer};
use crate::visibility::may_see_entry;

/// The root of subscriptions.
pub struct Subscription;

#[Subscription]
impl Subscription {
    /// Entries as they are appended; payloads only where the viewer may see
    /// them.
    #[expect(
        clippy::unused_async,
        reason = "async-graphql's subscription resolvers are async"
    )]
    async fn entries(&self, ctx: &Context<'_>) -> async_graphql::Result<impl Stream<Item = Entry>> {
        let viewer = viewer(ctx)?.clone();
        let mut feed = node(ctx).subscribe();
        Ok(async_stream::stream! {
            loop {
                match feed.recv().await {
                    Ok(appended) => {
                        let visible = may_see_entry(&viewer, appended.parties.iter());
                        let signer = godown_ledger::PublicKey::from_bytes(&appended.signer)
                            .map(|k| k.to_base64())
                            .unwrap_or_default();
                        let payload = visible.then(|| EntryPayload {
                            tx_type: appended.tx_type.clone(),
                            time: appended.time.clone(),
                            signer,
                            entry: String::from_utf8_lossy(&appended.leaf).into_owned(),
                        });
                        if let Ok(entry) = Entry::new(appended.index, appended.leaf_hash.to_base64(), payload) {
                            yield entry;
                        }
                    }
                    // A slow subscriber misses entries rather than holding the
                    // node back; the client pages to catch up.
                    Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => break,
                }
            }
        })
    }
}
