//! The sequencer: the single path by which entries reach the log.
//!
//! Submissions queue on a channel. The sequencer takes every submission
//! waiting, checks their signatures as one batch, then opens one database
//! transaction that holds the log's write lock, catches up with anything
//! another process appended, lets the contracts decide each transaction in
//! order, and writes the entries, tree nodes, projection rows, outbox rows,
//! the new head and a signed checkpoint. It commits once for the whole
//! group; only then does any client hear that its transaction landed.

use godown_domain::ErrorCode;
use std::collections::BTreeSet;
use std::sync::Arc;

use godown_domain::{Context, OrgId, Outcome, RecordId, Timestamp, Touched, Tx};
use godown_ledger::batch::{Signed, failing};
use godown_ledger::tree::{TreeHead, append};
use godown_ledger::{
    Checkpoint, Entry, HANDOVER_TYPE, Handover, Hash, NoteSigner, PublicKey, Signature, Transaction,
};
use sea_orm::DatabaseTransaction;
use serde_json::{Map, Value};
use tokio::sync::{mpsc, oneshot};
use tracing::Instrument as _;

use super::replay::{Loaded, ReplayError};
use super::{Appended, Shared, clock};
use crate::outbox;
use crate::store::ledger::{self, StoredCheckpoint, StoredEntry};
use crate::store::nodes::DbNodes;
use crate::store::{StoreError, projection};

/// Most submissions decided in one database transaction.
const MAX_GROUP: usize = 256;

/// Something to do once the transaction is accepted, inside the same
/// database transaction: data that must not go on the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SideEffect {
    /// Send an invitation to the invited user at this address.
    Invite {
        /// The address, kept off the ledger.
        email: String,
    },
}

/// A signed transaction waiting to be sequenced.
#[derive(Debug)]
pub struct Submission {
    /// The transaction, rebuilt by the node from typed input.
    pub tx: Transaction,
    /// The detached signature.
    pub signature: Signature,
    /// The signing key.
    pub key: PublicKey,
    /// Off-ledger work to do if it is accepted.
    pub side_effects: Vec<SideEffect>,
    /// Where the verdict goes.
    pub reply: oneshot::Sender<Result<Receipt, SubmitError>>,
}

/// Where an accepted transaction landed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// Its entry's index.
    pub index: u64,
    /// The entry's leaf hash.
    pub leaf_hash: Hash,
    /// The sequencing time.
    pub time: Timestamp,
    /// The transaction type.
    pub tx_type: String,
}

/// Why a submission was not appended. Nothing was written for it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct SubmitError {
    /// A stable code from docs/API.md.
    pub code: ErrorCode,
    /// What went wrong, for people.
    pub message: String,
}

impl SubmitError {
    pub(crate) fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    fn unavailable(e: &impl std::fmt::Display) -> Self {
        tracing::error!(error = %e, "append failed; nothing was written");
        Self::new(
            ErrorCode::Unavailable,
            "the ledger could not be written; nothing was appended, retry",
        )
    }
}

/// A submission the contracts accepted, waiting for the commit.
struct Accepted {
    submission: Submission,
    entry: Entry,
    time: Timestamp,
    outcome: Outcome,
}

/// How often the sequencer looks, while idle, whether a hand-over of the
/// log key it could not make yet (its key missing) can be made now.
const HANDOVER_RETRY: std::time::Duration = std::time::Duration::from_secs(5);

/// Runs until every sender is gone.
pub(super) async fn run(
    shared: Arc<Shared>,
    mut rx: mpsc::Receiver<Submission>,
    mut loaded: Option<Loaded>,
) {
    loop {
        let waiting = shared.log_signing().next().is_some();
        let first = tokio::select! {
            first = rx.recv() => match first {
                Some(first) => Some(first),
                None => break,
            },
            () = tokio::time::sleep(HANDOVER_RETRY), if waiting => None,
        };
        if let Some(first) = first {
            let mut group = vec![first];
            while group.len() < MAX_GROUP {
                match rx.try_recv() {
                    Ok(next) => group.push(next),
                    Err(_) => break,
                }
            }
            for part in apart_from_handovers(group) {
                let span = tracing::info_span!(
                    "append",
                    submissions = part.len(),
                    accepted = tracing::field::Empty,
                    size = tracing::field::Empty
                );
                process(&shared, &mut loaded, part).instrument(span).await;
            }
        }
        hand_over_if_due(&shared, &mut loaded).await;
    }
}

/// Splits a group so that every hand-over of the log key is a group of its
/// own: the checkpoint after it is the one both keys sign, and the root it
/// pins is the head's at the group's start.
fn apart_from_handovers(group: Vec<Submission>) -> Vec<Vec<Submission>> {
    let mut parts: Vec<Vec<Submission>> = Vec::new();
    let mut current = Vec::new();
    for s in group {
        if s.tx.tx_type() == HANDOVER_TYPE {
            if !current.is_empty() {
                parts.push(std::mem::take(&mut current));
            }
            parts.push(vec![s]);
        } else {
            current.push(s);
        }
    }
    if !current.is_empty() {
        parts.push(current);
    }
    parts
}

/// Once the members have adopted a new log key and the node holds it, the
/// key in force signs the hand-over to it, pinning the log as it stands.
/// Another process sharing the database may append first; the contract
/// then refuses this one (its size is stale) and the next round retries.
async fn hand_over_if_due(shared: &Shared, loaded: &mut Option<Loaded>) {
    let Some((signer, next)) = shared.log_signing().handover_due() else {
        return;
    };
    let (size, root) = match ledger::head(shared.db.conn()).await {
        Ok(head) => head,
        Err(e) => {
            tracing::error!(error = %e, "cannot read the head to hand the log key over; retrying");
            return;
        }
    };
    let handover = Handover {
        vkey: next.clone(),
        size,
        root,
    };
    let tx = match Transaction::new(
        &shared.origin,
        HANDOVER_TYPE,
        &Handover::nonce(size),
        handover.body(),
    ) {
        Ok(tx) => tx,
        Err(e) => {
            tracing::error!(error = %e, "cannot build the hand-over of the log key");
            return;
        }
    };
    let key = signer.verifier_key().public_key();
    let signature = signer.private_key().sign(&tx.signing_bytes());
    let (reply, mut verdict) = oneshot::channel();
    let submission = Submission {
        tx,
        signature,
        key: *key,
        side_effects: Vec::new(),
        reply,
    };
    let span = tracing::info_span!(
        "append",
        submissions = 1,
        accepted = tracing::field::Empty,
        size = tracing::field::Empty
    );
    process(shared, loaded, vec![submission])
        .instrument(span)
        .await;
    match verdict.try_recv() {
        Ok(Ok(receipt)) => tracing::info!(
            entry = receipt.index,
            from = %signer.verifier_key(),
            to = %next,
            "the log key was handed over; the new key signs from this entry on"
        ),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "the hand-over of the log key was refused; retrying");
        }
        Err(_) => {}
    }
}

async fn process(shared: &Shared, loaded: &mut Option<Loaded>, group: Vec<Submission>) {
    let group = check_signatures(shared, group);
    if group.is_empty() {
        return;
    }
    let txn = match shared.db.begin_append().await {
        Ok(txn) => txn,
        Err(e) => return refuse_all(group, &SubmitError::unavailable(&e)),
    };
    let mut state = loaded.take().unwrap_or_default();
    let result = append_group(shared, &txn, &mut state, group).await;
    match result {
        Err((group, e)) => {
            // The in-memory state may hold decisions that were not written:
            // drop it, and replay from the database before the next group.
            let _ = txn.rollback().await;
            refuse_all(group.into_iter().map(|a| a.submission).collect(), &e);
        }
        Ok((_, None)) => {
            let _ = txn.rollback().await;
            shared.follow_ledger_policy(state.state.membership.witness_policy.as_ref());
            shared
                .log_signing()
                .follow(&state.state.membership.log_keys);
            *loaded = Some(state);
        }
        Ok((accepted, Some(written))) => {
            if let Err(e) = txn.commit().await {
                refuse_all(
                    accepted.into_iter().map(|a| a.submission).collect(),
                    &SubmitError::unavailable(&e),
                );
            } else {
                tracing::Span::current().record("accepted", accepted.len());
                tracing::Span::current().record("size", written.head.size);
                // A proposal adopted here or in another process sharing the
                // database may have changed the witness policy or the log
                // key.
                shared.follow_ledger_policy(state.state.membership.witness_policy.as_ref());
                shared
                    .log_signing()
                    .follow(&state.state.membership.log_keys);
                *loaded = Some(state);
                announce(shared, accepted, written.rows);
            }
        }
    }
}

/// Refuses every submission whose signature does not verify over the bytes
/// the node rebuilt, or that was signed for another ledger.
fn check_signatures(shared: &Shared, group: Vec<Submission>) -> Vec<Submission> {
    let (mut ok, bad): (Vec<_>, Vec<_>) = group
        .into_iter()
        .partition(|s| s.tx.origin() == shared.origin);
    for s in bad {
        let message = format!(
            "signed for {:?}, not this ledger ({:?})",
            s.tx.origin(),
            shared.origin
        );
        let _ = s
            .reply
            .send(Err(SubmitError::new(ErrorCode::WrongOrigin, message)));
    }
    let messages: Vec<Vec<u8>> = ok.iter().map(|s| s.tx.signing_bytes()).collect();
    let items: Vec<Signed<'_>> = ok
        .iter()
        .zip(&messages)
        .map(|(s, m)| Signed {
            message: m,
            signature: &s.signature,
            key: &s.key,
        })
        .collect();
    let bad = failing(&items);
    drop(items);
    // Highest position first, so earlier positions stay valid.
    for position in bad.into_iter().rev() {
        let s = ok.remove(position);
        let _ = s.reply.send(Err(SubmitError::new(
            ErrorCode::BadSignature,
            "the signature does not verify over the transaction rebuilt from the input",
        )));
    }
    ok
}

/// What a group wrote: the new head and the entry rows with their parties.
struct Written {
    head: TreeHead,
    rows: Vec<(StoredEntry, Vec<OrgId>)>,
}

/// The accepted submissions and, if there were any, what they wrote; or the
/// failure that stopped the group.
type GroupResult = Result<(Vec<Accepted>, Option<Written>), (Vec<Accepted>, SubmitError)>;

async fn append_group(
    shared: &Shared,
    txn: &DatabaseTransaction,
    loaded: &mut Loaded,
    group: Vec<Submission>,
) -> GroupResult {
    let fail = |accepted, e: &dyn std::fmt::Display| Err((accepted, SubmitError::unavailable(&e)));
    let (size, root) = match ledger::head(txn).await {
        Ok(head) => head,
        Err(e) => return fail(Vec::new(), &e),
    };
    if let Err(e) = loaded.catch_up(txn, &shared.origin, size, |_| Ok(())).await {
        return fail(Vec::new(), &e);
    }
    let group = refuse_stale_handover(group, root);
    let accepted = decide(loaded, group, shared.clock.now());
    if accepted.is_empty() {
        return Ok((accepted, None));
    }
    let handed_over = accepted.iter().any(|a| a.entry.tx_type() == HANDOVER_TYPE);
    let signers = shared
        .log_signing()
        .signers(&loaded.state.membership.log_keys, handed_over);
    let signers = match signers {
        Ok(signers) => signers,
        Err(e) => return fail(accepted, &e),
    };
    match write(shared, txn, loaded, size, &accepted, &signers).await {
        Ok(written) => Ok((accepted, Some(written))),
        Err(e) => fail(accepted, &e),
    }
}

/// A hand-over (always a group of its own) must pin the log as it stands:
/// the contracts check its size, but only the tree knows the root.
fn refuse_stale_handover(group: Vec<Submission>, root: Hash) -> Vec<Submission> {
    let [only] = group.as_slice() else {
        return group;
    };
    if only.tx.tx_type() != HANDOVER_TYPE {
        return group;
    }
    let pinned = only
        .tx
        .body()
        .and_then(|b| Handover::parse(b).ok())
        .map(|h| h.root);
    if pinned.is_none_or(|pinned| pinned == root) {
        // A malformed body is the contract's to refuse, with its reason.
        return group;
    }
    for s in group {
        let _ = s.reply.send(Err(SubmitError::new(
            ErrorCode::BadRequest,
            format!("the hand-over pins another root than the log's, {root}"),
        )));
    }
    Vec::new()
}

/// Lets the contracts decide each submission in order; refusals are
/// answered at once and change nothing.
fn decide(loaded: &mut Loaded, group: Vec<Submission>, now: Timestamp) -> Vec<Accepted> {
    let mut accepted = Vec::with_capacity(group.len());
    for submission in group {
        match decide_one(loaded, &submission, now) {
            Ok((entry, time, outcome)) => accepted.push(Accepted {
                submission,
                entry,
                time,
                outcome,
            }),
            Err(e) => {
                let _ = submission.reply.send(Err(e));
            }
        }
    }
    accepted
}

fn decide_one(
    loaded: &mut Loaded,
    s: &Submission,
    now: Timestamp,
) -> Result<(Entry, Timestamp, Outcome), SubmitError> {
    let nonce = (s.key.to_bytes(), s.tx.nonce().to_owned());
    if loaded.nonces.contains(&nonce) {
        return Err(SubmitError::new(
            ErrorCode::NonceReused,
            format!("this key already used nonce {:?}", s.tx.nonce()),
        ));
    }
    let body = s.tx.body().cloned().unwrap_or_default();
    let tx =
        Tx::parse(s.tx.tx_type(), &body).map_err(|e| SubmitError::new(e.code(), e.to_string()))?;
    // Sequencing time never goes back, whatever the clock does.
    let time = loaded.last_time.map_or(now, |last| last.max(now));
    let index = loaded.state.size;
    let mut extra = Map::new();
    extra.insert("time".into(), Value::String(time.to_string()));
    // The ledger's own words for a malformed entry are client codes too;
    // any the list lacks is malformed input.
    let entry = Entry::new(&s.tx, s.signature, s.key, extra).map_err(|e| {
        SubmitError::new(
            ErrorCode::parse(e.code()).unwrap_or(ErrorCode::BadRequest),
            e.to_string(),
        )
    })?;
    let outcome = loaded
        .state
        .apply(
            &Context {
                index,
                time,
                signer: &s.key,
            },
            &tx,
        )
        .map_err(|e| SubmitError::new(e.code(), e.to_string()))?;
    loaded.nonces.insert(nonce);
    loaded.last_time = Some(time);
    Ok((entry, time, outcome))
}

/// Writes the accepted entries and everything that goes with them.
async fn write(
    shared: &Shared,
    txn: &DatabaseTransaction,
    loaded: &Loaded,
    size: u64,
    accepted: &[Accepted],
    signers: &[NoteSigner],
) -> Result<Written, StoreError> {
    if size == 0 {
        // The ledger's identity is recorded with its first entry: its
        // origin and the key it is founded with.
        let founding = signers
            .first()
            .ok_or_else(|| StoreError::corrupt("ledger_meta", "no log key signs"))?;
        ledger::insert_meta(
            txn,
            &ledger::LedgerMeta {
                origin: shared.origin.clone(),
                log_vkey: founding.verifier_key().to_string(),
            },
        )
        .await?;
    }
    let leaves: Vec<Hash> = accepted.iter().map(|a| a.entry.leaf_hash()).collect();
    let head = append(&mut DbNodes::new(txn), size, &leaves)
        .await
        .map_err(|e| match e {
            godown_ledger::tree::TreeError::Store(e) => e,
            other => StoreError::corrupt("tree_nodes", other),
        })?;
    let rows: Vec<(StoredEntry, Vec<OrgId>)> = (size..)
        .zip(accepted)
        .map(|(index, a)| {
            (
                StoredEntry {
                    index,
                    leaf: a.entry.bytes().to_vec(),
                    leaf_hash: a.entry.leaf_hash(),
                    tx_type: a.entry.tx_type().to_owned(),
                    signer: a.entry.key().to_bytes(),
                    nonce: a.entry.nonce().to_owned(),
                    time: a.time.to_string(),
                },
                a.outcome.parties.iter().cloned().collect(),
            )
        })
        .collect();
    ledger::insert_entries(txn, &rows).await?;
    // Rows are written from the state after the whole group, so a record
    // several transactions touched is written once.
    let touched: BTreeSet<Touched> = accepted
        .iter()
        .flat_map(|a| a.outcome.touched.iter().cloned())
        .collect();
    let touched: Vec<Touched> = touched.into_iter().collect();
    projection::write_touched(txn, &loaded.state, &touched, size).await?;
    let events: Vec<(RecordId, u64)> = (size..)
        .zip(accepted)
        .flat_map(|(index, a)| receipt_events(index, &a.outcome))
        .collect();
    crate::store::receipts::insert_events(txn, &events).await?;
    let events: Vec<(RecordId, u64)> = (size..)
        .zip(accepted)
        .flat_map(|(index, a)| loan_events(index, &a.outcome))
        .collect();
    crate::store::loans::insert_events(txn, &events).await?;
    let events: Vec<(RecordId, u64)> = (size..)
        .zip(accepted)
        .flat_map(|(index, a)| lot_events(index, a.entry.tx_type(), &a.outcome))
        .collect();
    crate::store::lot_events::insert_events(txn, &events).await?;
    for (index, a) in (size..).zip(accepted) {
        for effect in &a.submission.side_effects {
            side_effect(txn, index, &a.submission.tx, effect).await?;
        }
        for notice in &a.outcome.notices {
            let message = outbox::Message::of_notice(notice);
            outbox::enqueue(txn, index, &message, clock::now_ms()).await?;
        }
    }
    ledger::set_head(txn, head.size, &head.root).await?;
    let note = Checkpoint {
        origin: shared.origin.clone(),
        size: head.size,
        root: head.root,
        extensions: vec![],
    }
    .sign_all(&signers.iter().collect::<Vec<_>>())
    .map_err(|e| StoreError::corrupt("checkpoints", e))?;
    ledger::insert_checkpoint(
        txn,
        &StoredCheckpoint {
            size: head.size,
            root: head.root,
            note,
        },
    )
    .await?;
    Ok(Written { head, rows })
}

/// The receipts an entry concerns: every receipt it touched.
pub(crate) fn receipt_events(index: u64, outcome: &Outcome) -> Vec<(RecordId, u64)> {
    events(index, outcome, |t| match t {
        Touched::Receipt(id) => Some(id),
        _ => None,
    })
}

/// The loans an entry concerns: every loan it touched.
pub(crate) fn loan_events(index: u64, outcome: &Outcome) -> Vec<(RecordId, u64)> {
    events(index, outcome, |t| match t {
        Touched::Loan(id) => Some(id),
        _ => None,
    })
}

/// The lots a `lot.*` entry concerns: every lot it touched. A receipt's
/// entries that change its lot (issue, redemption) stay in the receipt's
/// history, which only the receipt's parties see.
pub(crate) fn lot_events(index: u64, tx_type: &str, outcome: &Outcome) -> Vec<(RecordId, u64)> {
    if !tx_type.starts_with("lot.") {
        return Vec::new();
    }
    events(index, outcome, |t| match t {
        Touched::Lot(id) => Some(id),
        _ => None,
    })
}

/// The records `pick` names among those an entry touched, each once.
fn events(
    index: u64,
    outcome: &Outcome,
    pick: impl Fn(&Touched) -> Option<&RecordId>,
) -> Vec<(RecordId, u64)> {
    let ids: BTreeSet<&RecordId> = outcome.touched.iter().filter_map(pick).collect();
    ids.into_iter().map(|id| (id.clone(), index)).collect()
}

async fn side_effect(
    txn: &DatabaseTransaction,
    index: u64,
    tx: &Transaction,
    effect: &SideEffect,
) -> Result<(), StoreError> {
    match effect {
        SideEffect::Invite { email } => {
            let body = tx.body().cloned().unwrap_or_default();
            let user = body.get("user").and_then(Value::as_str).unwrap_or_default();
            crate::store::sessions::set_contact(txn, user, email).await?;
            let text = |field: &str| {
                body.get(field)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            let message = outbox::Message::Invitation(outbox::Invitation {
                user: user.to_owned(),
                email: email.clone(),
                org: text("org"),
                name: text("name"),
            });
            outbox::enqueue(txn, index, &message, clock::now_ms()).await
        }
    }
}

fn refuse_all(group: Vec<Submission>, e: &SubmitError) {
    for s in group {
        let _ = s.reply.send(Err(e.clone()));
    }
}

/// Answers each client and tells the live feed, after the commit.
fn announce(shared: &Shared, accepted: Vec<Accepted>, rows: Vec<(StoredEntry, Vec<OrgId>)>) {
    for (a, (entry, parties)) in accepted.into_iter().zip(rows) {
        let receipt = Receipt {
            index: entry.index,
            leaf_hash: entry.leaf_hash,
            time: a.time,
            tx_type: entry.tx_type.clone(),
        };
        let _ = shared.feed.send(Arc::new(Appended { entry, parties }));
        if !a.submission.side_effects.is_empty() || !a.outcome.notices.is_empty() {
            shared.outbox_ready.notify_one();
        }
        let _ = a.submission.reply.send(Ok(receipt));
    }
}

impl From<ReplayError> for SubmitError {
    fn from(e: ReplayError) -> Self {
        Self::unavailable(&e)
    }
}
