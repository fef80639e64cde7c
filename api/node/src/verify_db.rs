//! `godown verify` on the node's own database: replay the log from genesis
//! and check every signature, every contract decision, the tree, every
//! checkpoint and every projection row. The first discrepancy is named, so
//! a hand-edited row in any table is caught.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{anyhow, bail};
use godown_ledger::batch::verify_entries;
use godown_ledger::tree::{MemoryStore, NodeId, NodeStore as _, RootBuilder, append, root_at};
use godown_ledger::{Entry, Handover, Hash, KeyChain, TrustPolicy, VerifierKey, leaf_hash};
use sea_orm::{DatabaseConnection, EntityTrait as _, QueryOrder as _};

use crate::node::replay::{Loaded, ReplayError, Replayed};
use crate::node::sequencer::{
    loan_events as loan_events_of, lot_events as lot_events_of, receipt_events as receipt_events_of,
};
use crate::store::entity::{checkpoints, tree_nodes};
use crate::store::ledger::LedgerMeta;
use crate::store::{ledger, loans, projection, receipts};

/// Replays and checks the database `data` names.
pub async fn run(db: &crate::store::Database, trusted: Option<&VerifierKey>) -> anyhow::Result<()> {
    let conn = db.conn();
    let meta = ledger::meta(conn)
        .await?
        .ok_or_else(|| anyhow!("the database holds no ledger"))?;
    let log_vkey = VerifierKey::parse(&meta.log_vkey)
        .map_err(|e| anyhow!("ledger_meta: the log vkey is malformed: {e}"))?;
    let (size, head_root) = ledger::head(conn).await?;
    let replay = replay(conn, &meta, size).await?;
    let eras = log_key_eras(&log_vkey, &replay)?;
    if let Some(trusted) = trusted
        && !eras.iter().any(|(k, _)| k == trusted)
    {
        bail!(
            "ledger_meta: the trusted --log-vkey {trusted} is none of this ledger's log keys (founded with {log_vkey})"
        );
    }
    let memory = check_tree(conn, &replay.leaves, size, head_root).await?;
    let signed = check_checkpoints(conn, &memory, &eras).await?;
    check_parties(conn, size, &replay.parties).await?;
    let rows = projection::load(conn).await?;
    if let Some(difference) = projection::first_difference(&rows, &replay.loaded.state.membership) {
        bail!("{difference}");
    }
    check_receipts(conn, &replay).await?;
    if let Some((lot, i)) = crate::store::lot_events::all_events(conn)
        .await?
        .symmetric_difference(&replay.lot_events)
        .next()
    {
        bail!("lot_events: the row ({lot}, entry {i}) is not what the log says");
    }
    check_financing(conn, &replay).await?;
    println!(
        "OK {}: {size} entries replayed from genesis; signatures, contract decisions, {} tree nodes, {signed} checkpoints and every projection row agree",
        meta.origin,
        memory.len()
    );
    Ok(())
}

/// The log's keys and the first checkpoint size each signs: the key the
/// ledger was founded with from size 0, and each successor from the size
/// that covers its hand-over. The chain the entries make must start at the
/// founding key, and the contract's view of the key in force must agree.
fn log_key_eras(
    founding: &VerifierKey,
    replay: &Replay,
) -> anyhow::Result<Vec<(VerifierKey, u64)>> {
    let mut eras = vec![(founding.clone(), 0)];
    for (key, at) in replay.chain.keys() {
        match at {
            None if key != founding => bail!(
                "entries: the first hand-over is signed by {key}, not by the key the ledger was founded with, {founding}"
            ),
            None => {}
            Some(at) => eras.push((key.clone(), at + 1)),
        }
    }
    let contract = &replay.loaded.state.membership.log_keys;
    if let Some(current) = &contract.current
        && eras.last().map(|(k, _)| k) != Some(&current.0)
    {
        bail!(
            "consortium.genesis: the genesis entry and its hand-overs put {current} in force, but the log's checkpoints follow {founding}"
        );
    }
    Ok(eras)
}

/// What replaying the entries left to compare with the other tables.
struct Replay {
    chain: KeyChain,
    loaded: Loaded,
    leaves: Vec<Hash>,
    parties: BTreeMap<u64, Vec<String>>,
    receipt_events: BTreeSet<(String, u64)>,
    loan_events: BTreeSet<(String, u64)>,
    lot_events: BTreeSet<(String, u64)>,
}

/// Loans, who may see each, which entries concern each, prices, their
/// history and the price sources are what the replayed contract says.
async fn check_financing(conn: &DatabaseConnection, replay: &Replay) -> anyhow::Result<()> {
    let state = &replay.loaded.state.financing;
    let rows = loans::load(conn).await?;
    if let Some(difference) = loans::first_difference(&rows, state) {
        bail!("{difference}");
    }
    let parties: BTreeSet<(String, String)> = state
        .loans
        .values()
        .flat_map(|l| {
            l.parties()
                .into_iter()
                .map(|o| (l.id.to_string(), o.to_string()))
        })
        .collect();
    index_agrees(
        "loan",
        &parties,
        &loans::all_parties(conn).await?,
        &replay.loan_events,
        &loans::all_events(conn).await?,
    )
}

/// Lots, receipts, who may see each receipt and which entries concern it
/// are what the replayed contract says.
async fn check_receipts(conn: &DatabaseConnection, replay: &Replay) -> anyhow::Result<()> {
    let state = &replay.loaded.state.receipts;
    let rows = receipts::load(conn).await?;
    if let Some(difference) = receipts::first_difference(&rows, state) {
        bail!("{difference}");
    }
    let parties: BTreeSet<(String, String)> = state
        .receipts
        .values()
        .flat_map(|r| {
            r.parties()
                .into_iter()
                .map(|o| (r.id.to_string(), o.to_string()))
        })
        .collect();
    index_agrees(
        "receipt",
        &parties,
        &receipts::all_parties(conn).await?,
        &replay.receipt_events,
        &receipts::all_events(conn).await?,
    )
}

/// A kind of record's index tables hold exactly what the log says: who is a
/// party to each record, and which entries concern it.
fn index_agrees(
    kind: &str,
    parties: &BTreeSet<(String, String)>,
    stored_parties: &BTreeSet<(String, String)>,
    events: &BTreeSet<(String, u64)>,
    stored_events: &BTreeSet<(String, u64)>,
) -> anyhow::Result<()> {
    if let Some((record, org)) = stored_parties.symmetric_difference(parties).next() {
        bail!("{kind}_parties: the row ({record}, {org}) is not what the log says");
    }
    if let Some((record, i)) = stored_events.symmetric_difference(events).next() {
        bail!("{kind}_events: the row ({record}, entry {i}) is not what the log says");
    }
    Ok(())
}

/// Replays every entry through the contracts, checking each row against
/// its entry and every signature in batches.
async fn replay(conn: &DatabaseConnection, meta: &LedgerMeta, size: u64) -> anyhow::Result<Replay> {
    let mut loaded = Loaded::default();
    let mut leaves = Vec::new();
    let mut parties = BTreeMap::new();
    let mut receipt_events = BTreeSet::new();
    let mut loan_events = BTreeSet::new();
    let mut lot_events = BTreeSet::new();
    let mut pending: Vec<(u64, Entry)> = Vec::new();
    let mut first_bad: Option<String> = None;
    let mut chain = KeyChain::new(&meta.origin);
    let mut root = RootBuilder::new();
    loaded
        .catch_up(conn, &meta.origin, size, |r| {
            check_row(r)?;
            if let Some(handover) = Handover::of_entry(&r.entry) {
                handover
                    .and_then(|h| chain.follow(r.stored.index, root.root(), &r.entry, &h))
                    .map_err(|e| ReplayError::Entry {
                        index: r.stored.index,
                        code: e.code(),
                        message: e.to_string(),
                    })?;
            }
            root.push(r.stored.leaf_hash);
            leaves.push(r.stored.leaf_hash);
            parties.insert(
                r.stored.index,
                r.outcome.parties.iter().map(ToString::to_string).collect(),
            );
            for (receipt, index) in receipt_events_of(r.stored.index, &r.outcome) {
                receipt_events.insert((receipt.to_string(), index));
            }
            for (loan, index) in loan_events_of(r.stored.index, &r.outcome) {
                loan_events.insert((loan.to_string(), index));
            }
            for (lot, index) in lot_events_of(r.stored.index, &r.stored.tx_type, &r.outcome) {
                lot_events.insert((lot.to_string(), index));
            }
            pending.push((r.stored.index, r.entry.clone()));
            if pending.len() >= 64 && first_bad.is_none() {
                first_bad = check_signatures(&mut pending);
            }
            Ok(())
        })
        .await
        .map_err(|e| anyhow!("{e}"))?;
    if first_bad.is_none() {
        first_bad = check_signatures(&mut pending);
    }
    if let Some(bad) = first_bad {
        bail!("{bad}");
    }
    Ok(Replay {
        chain,
        loaded,
        leaves,
        parties,
        receipt_events,
        loan_events,
        lot_events,
    })
}

/// An entry row's columns must say what its leaf says.
fn check_row(r: &Replayed) -> Result<(), ReplayError> {
    let s = &r.stored;
    let problem = if leaf_hash(&s.leaf) != s.leaf_hash {
        Some("its leaf_hash column is not the hash of its leaf")
    } else if s.tx_type != r.entry.tx_type() {
        Some("its tx_type column differs from the entry")
    } else if s.signer != r.entry.key().to_bytes() {
        Some("its signer column differs from the entry")
    } else if s.nonce != r.entry.nonce() {
        Some("its nonce column differs from the entry")
    } else if Some(s.time.as_str()) != r.entry.time() {
        Some("its time column differs from the entry")
    } else {
        None
    };
    match problem {
        None => Ok(()),
        Some(problem) => Err(ReplayError::Entry {
            index: s.index,
            code: "ROW_MISMATCH",
            message: format!("entries row {}: {problem}", s.index),
        }),
    }
}

/// Rebuilds the tree from the leaves and compares the head and every
/// stored node with it.
async fn check_tree(
    conn: &DatabaseConnection,
    leaves: &[Hash],
    size: u64,
    head_root: Hash,
) -> anyhow::Result<MemoryStore> {
    let mut memory = MemoryStore::new();
    let rebuilt = append(&mut memory, 0, leaves)
        .await
        .map_err(|e| anyhow!("{e}"))?;
    if rebuilt.root != head_root || rebuilt.size != size {
        bail!(
            "log_head: size {size} root {head_root} is not the tree the entries make (root {})",
            rebuilt.root
        );
    }
    let rows = tree_nodes::Entity::find()
        .order_by_asc(tree_nodes::Column::Level)
        .order_by_asc(tree_nodes::Column::Idx)
        .all(conn)
        .await?;
    for row in &rows {
        let (Ok(level), Ok(index)) = (u8::try_from(row.level), u64::try_from(row.idx)) else {
            bail!(
                "tree_nodes row ({}, {}) has an impossible position",
                row.level,
                row.idx
            );
        };
        let id = NodeId::new(level, index);
        let expected = memory
            .read_nodes(&[id])
            .await
            .ok()
            .and_then(|v| v.first().copied());
        if expected.map(|h| h.0.to_vec()).as_ref() != Some(&row.hash) {
            bail!("tree_nodes row (level {level}, index {index}) is not the hash the entries make");
        }
    }
    if rows.len() != memory.len() {
        bail!(
            "tree_nodes holds {} nodes; the entries make {}",
            rows.len(),
            memory.len()
        );
    }
    Ok(memory)
}

/// Every checkpoint is signed over the root at its size by the log key in
/// force after its last entry.
async fn check_checkpoints(
    conn: &DatabaseConnection,
    memory: &MemoryStore,
    eras: &[(VerifierKey, u64)],
) -> anyhow::Result<usize> {
    let rows = checkpoints::Entity::find()
        .order_by_asc(checkpoints::Column::Size)
        .all(conn)
        .await?;
    for row in &rows {
        let at = u64::try_from(row.size)
            .map_err(|_| anyhow!("checkpoints row {}: negative size", row.size))?;
        let key = eras
            .iter()
            .rev()
            .find(|(_, from)| *from <= at)
            .map(|(k, _)| k.clone())
            .ok_or_else(|| anyhow!("checkpoints row {}: no log key was in force", row.size))?;
        let policy = TrustPolicy::new(key, vec![], 0).map_err(|e| anyhow!("{e}"))?;
        let verified = policy
            .verify(row.note.as_bytes())
            .map_err(|e| anyhow!("checkpoints row {}: {}: {e}", row.size, e.code()))?;
        let root = root_at(memory, at)
            .await
            .map_err(|e| anyhow!("checkpoints row {}: {e}", row.size))?;
        if verified.checkpoint.size != at
            || verified.checkpoint.root != root
            || row.root != root.0.to_vec()
        {
            bail!(
                "checkpoints row {}: its note or root is not the tree at that size",
                row.size
            );
        }
    }
    Ok(rows.len())
}

/// The parties stored for each entry are those its contract decided.
async fn check_parties(
    conn: &DatabaseConnection,
    size: u64,
    decided: &BTreeMap<u64, Vec<String>>,
) -> anyhow::Result<()> {
    let mut stored: BTreeMap<u64, Vec<String>> = BTreeMap::new();
    for (index, org) in ledger::parties_between(conn, 0, size).await? {
        stored.entry(index).or_default().push(org);
    }
    for (index, expected) in decided {
        let mut expected = expected.clone();
        expected.sort();
        let mut got = stored.remove(index).unwrap_or_default();
        got.sort();
        if got != expected {
            bail!("entry_parties for entry {index} are {got:?}; the contract decided {expected:?}");
        }
    }
    if let Some(index) = stored.keys().next() {
        bail!("entry_parties has rows for entry {index}, which does not exist");
    }
    Ok(())
}

/// Checks the pending signatures as one batch; names the first bad one.
fn check_signatures(pending: &mut Vec<(u64, Entry)>) -> Option<String> {
    let entries: Vec<&Entry> = pending.iter().map(|(_, e)| e).collect();
    let result = verify_entries(&entries, &[]).err().map(|(bad, error)| {
        let index = pending.get(bad).map_or(0, |(i, _)| *i);
        format!("entry {index}: {}: {error}", error.code())
    });
    pending.clear();
    result
}
