//! Rebuilding the contracts' state from the log. The node does it at start,
//! again whenever another process sharing the database has appended, and
//! `godown verify` does it from genesis to check every row.

use std::collections::HashSet;

use godown_domain::{Context, Outcome, State, Timestamp, Tx};
use godown_ledger::{Entry, KeyCache};
use sea_orm::ConnectionTrait;

use crate::store::StoreError;
use crate::store::ledger::{self, StoredEntry};

/// How many entries are read per query while replaying.
const CHUNK: u64 = 2000;

/// The contracts' state as of some size of the log, with what appending
/// needs besides: the nonces used and the last sequencing time.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// The contracts' state; `state.size` is the log size it reflects.
    pub state: State,
    /// Every (key, nonce) pair used.
    pub nonces: HashSet<([u8; 32], String)>,
    /// The time stamped on the last entry.
    pub last_time: Option<Timestamp>,
    keys: KeyCache,
}

/// Why the log could not be replayed: a stored entry the contracts or the
/// formats refuse. This only happens if the database was altered.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An entry is refused.
    #[error("entry {index}: {code}: {message}")]
    Entry {
        /// Its index.
        index: u64,
        /// The stable code of the refusal.
        code: &'static str,
        /// What is wrong.
        message: String,
    },
}

impl ReplayError {
    fn entry(index: u64, code: &'static str, message: impl std::fmt::Display) -> Self {
        Self::Entry {
            index,
            code,
            message: message.to_string(),
        }
    }
}

/// An entry replayed, with what its contract decided.
#[derive(Debug)]
pub struct Replayed {
    /// The stored row.
    pub stored: StoredEntry,
    /// The parsed entry.
    pub entry: Entry,
    /// What the contract decided.
    pub outcome: Outcome,
}

impl Loaded {
    /// Applies the entries from `self.state.size` up to `size`, calling
    /// `each` on every one, so a verifier can check more as it goes.
    pub async fn catch_up<C: ConnectionTrait>(
        &mut self,
        conn: &C,
        origin: &str,
        size: u64,
        mut each: impl FnMut(&Replayed) -> Result<(), ReplayError>,
    ) -> Result<(), ReplayError> {
        while self.state.size < size {
            let start = self.state.size;
            let end = size.min(start.saturating_add(CHUNK));
            let rows = ledger::entries_between(conn, start, end).await?;
            if rows.len() as u64 != end - start {
                return Err(ReplayError::entry(
                    start,
                    "ENTRY_MISSING",
                    format!(
                        "the head says {size} entries but entries {start}..{end} are incomplete"
                    ),
                ));
            }
            for stored in rows {
                let replayed = self.apply_stored(stored, origin)?;
                each(&replayed)?;
            }
        }
        Ok(())
    }

    fn apply_stored(&mut self, stored: StoredEntry, origin: &str) -> Result<Replayed, ReplayError> {
        let index = stored.index;
        if index != self.state.size {
            return Err(ReplayError::entry(
                index,
                "ENTRY_MISSING",
                format!("expected entry {}", self.state.size),
            ));
        }
        let entry = Entry::parse_with(stored.leaf.clone(), &mut self.keys)
            .map_err(|e| ReplayError::entry(index, e.code(), e))?;
        entry
            .check_origin(origin)
            .map_err(|e| ReplayError::entry(index, e.code(), e))?;
        let time = entry
            .time()
            .ok_or_else(|| ReplayError::entry(index, "MALFORMED_ENTRY", "the entry has no time"))
            .and_then(|t| {
                Timestamp::parse(t).map_err(|e| ReplayError::entry(index, e.code().as_str(), e))
            })?;
        if self.last_time.is_some_and(|last| time < last) {
            return Err(ReplayError::entry(
                index,
                "TIME_WENT_BACK",
                "its time is earlier than the previous entry's",
            ));
        }
        let nonce = (entry.key().to_bytes(), entry.nonce().to_owned());
        if self.nonces.contains(&nonce) {
            return Err(ReplayError::entry(
                index,
                "NONCE_REUSED",
                format!("nonce {:?} was used before by this key", entry.nonce()),
            ));
        }
        let tx = entry
            .transaction()
            .map_err(|e| ReplayError::entry(index, e.code(), e))?;
        let body = tx.body().cloned().unwrap_or_default();
        let parsed = Tx::parse(entry.tx_type(), &body)
            .map_err(|e| ReplayError::entry(index, e.code().as_str(), e))?;
        let outcome = self
            .state
            .apply(
                &Context {
                    index,
                    time,
                    signer: entry.key(),
                },
                &parsed,
            )
            .map_err(|e| {
                ReplayError::entry(
                    index,
                    e.code().as_str(),
                    format!("the contract refuses it: {e}"),
                )
            })?;
        self.nonces.insert(nonce);
        self.last_time = Some(time);
        Ok(Replayed {
            stored,
            entry,
            outcome,
        })
    }
}
