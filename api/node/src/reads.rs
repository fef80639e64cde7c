//! Reads of the log that both GraphQL and the plain routes serve: entries
//! with their payload shown or withheld, checkpoints, inclusion and
//! consistency proofs. Visibility is decided by [`crate::visibility`].

use godown_domain::ErrorCode;
use std::collections::BTreeMap;

use godown_domain::OrgId;
use godown_ledger::proof_file::TlogProof;
use godown_ledger::tree::{consistency_proof, inclusion_proof};
use godown_ledger::{Hash, PublicKey};

use crate::error::ApiError;
use crate::node::Node;
use crate::session::Viewer;
use crate::store::cosignatures;
use crate::store::ledger::{self, StoredCheckpoint, StoredEntry};
use crate::store::nodes::DbNodes;
use crate::visibility::may_see_entry;

/// An entry with its payload if the viewer may see it.
#[derive(Debug, Clone)]
pub struct EntryView {
    /// Its index.
    pub index: u64,
    /// Its leaf hash.
    pub leaf_hash: Hash,
    /// The stored entry, when visible.
    pub payload: Option<StoredEntry>,
}

/// Largest page of entries served at once.
pub const MAX_PAGE: u64 = 200;

/// Entries `[start, end)` as `viewer` may see them.
pub async fn entries(
    node: &Node,
    viewer: &Viewer,
    start: u64,
    end: u64,
) -> Result<Vec<EntryView>, ApiError> {
    let db = node.db().conn();
    let rows = ledger::entries_between(db, start, end).await?;
    let mut parties: BTreeMap<u64, Vec<OrgId>> = BTreeMap::new();
    for (index, org) in ledger::parties_between(db, start, end).await? {
        if let Ok(org) = OrgId::parse(&org) {
            parties.entry(index).or_default().push(org);
        }
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let orgs = parties.remove(&row.index).unwrap_or_default();
            let visible = may_see_entry(viewer, &row.tx_type, orgs.iter());
            EntryView {
                index: row.index,
                leaf_hash: row.leaf_hash,
                payload: visible.then_some(row),
            }
        })
        .collect())
}

/// The latest checkpoint; every ledger has one from its genesis on.
pub async fn checkpoint(node: &Node) -> Result<StoredCheckpoint, ApiError> {
    ledger::latest_checkpoint(node.db().conn())
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::Unavailable, "the ledger has no checkpoint yet"))
}

/// The latest checkpoint with the cosignatures the node has collected for
/// it so far (none until the witnesses answer, a fraction of a second on
/// a healthy consortium): what the dashboard shows and checks.
pub async fn checkpoint_with_cosignatures(node: &Node) -> Result<StoredCheckpoint, ApiError> {
    let mut latest = checkpoint(node).await?;
    for (_, line) in cosignatures::of_size(node.db().conn(), latest.size).await? {
        latest.note.push_str(&line);
    }
    Ok(latest)
}

/// The checkpoint to prove entries up to `last` against: the newest that
/// meets the witness policy, with its cosignatures, when it covers them,
/// so that the proofs carry the witnesses' word; the newest signed one
/// otherwise (which is what `published` is without a policy).
pub async fn covering(node: &Node, last: u64) -> Result<StoredCheckpoint, ApiError> {
    if let Some(published) = crate::cosigning::published(node).await?
        && last < published.size
    {
        return Ok(published);
    }
    checkpoint(node).await
}

/// An entry's inclusion proof against a checkpoint.
#[derive(Debug, Clone)]
pub struct EntryProof {
    /// The entry.
    pub entry: StoredEntry,
    /// The checkpoint it is proved against.
    pub checkpoint: StoredCheckpoint,
    /// The inclusion proof.
    pub hashes: Vec<Hash>,
}

impl EntryProof {
    /// The proof as a `c2sp.org/tlog-proof@v1` file, the entry in `extra`.
    pub fn tlog_proof(&self) -> String {
        TlogProof {
            extra: Some(self.entry.leaf.clone()),
            index: self.entry.index,
            proof: self.hashes.clone(),
            checkpoint: self.checkpoint.note.clone(),
        }
        .to_text()
    }
}

/// The proof of entry `index`, if `viewer` may see the entry: against the
/// newest checkpoint that meets the witness policy, with its cosignatures,
/// once one covers the entry; until then against the newest signed one.
pub async fn entry_proof(node: &Node, viewer: &Viewer, index: u64) -> Result<EntryProof, ApiError> {
    let checkpoint = covering(node, index).await?;
    if index >= checkpoint.size {
        return Err(ApiError::not_found(format!(
            "entry {index} is beyond the checkpoint's size {}",
            checkpoint.size
        )));
    }
    let view = entries(node, viewer, index, index + 1).await?.pop();
    let entry = match view {
        None => return Err(ApiError::not_found(format!("entry {index} does not exist"))),
        Some(EntryView { payload: None, .. }) => {
            return Err(ApiError::forbidden(format!(
                "entry {index} is visible to its parties and the regulator only (and prices to every member)"
            )));
        }
        Some(EntryView {
            payload: Some(entry),
            ..
        }) => entry,
    };
    let hashes = inclusion_proof(&DbNodes::new(node.db().conn()), index, checkpoint.size)
        .await
        .map_err(|e| ApiError::internal(&e))?;
    Ok(EntryProof {
        entry,
        checkpoint,
        hashes,
    })
}

/// The proof of entry `index` against `checkpoint`, for a caller that has
/// already decided the viewer may see it.
pub async fn proof_at(
    node: &Node,
    index: u64,
    checkpoint: &StoredCheckpoint,
) -> Result<EntryProof, ApiError> {
    let db = node.db().conn();
    let entry = ledger::entry(db, index)
        .await?
        .filter(|_| index < checkpoint.size)
        .ok_or_else(|| ApiError::not_found(format!("entry {index} is not under the checkpoint")))?;
    let hashes = inclusion_proof(&DbNodes::new(db), index, checkpoint.size)
        .await
        .map_err(|e| ApiError::internal(&e))?;
    Ok(EntryProof {
        entry,
        checkpoint: checkpoint.clone(),
        hashes,
    })
}

/// The consistency proof from `old` to `new` entries; `new` may not exceed
/// the latest checkpoint.
pub async fn consistency(node: &Node, old: u64, new: u64) -> Result<Vec<Hash>, ApiError> {
    if old > new {
        return Err(ApiError::bad_request(format!(
            "old size {old} is larger than new size {new}"
        )));
    }
    let latest = checkpoint(node).await?;
    if new > latest.size {
        return Err(ApiError::not_found(format!(
            "size {new} is beyond the latest checkpoint's {}",
            latest.size
        )));
    }
    consistency_proof(&DbNodes::new(node.db().conn()), old, new)
        .await
        .map_err(|e| ApiError::internal(&e))
}

/// The signer's key as text.
pub fn signer_text(entry: &StoredEntry) -> String {
    PublicKey::from_bytes(&entry.signer).map_or_else(|_| String::new(), |k| k.to_base64())
}
