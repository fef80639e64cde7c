//! The node's only clock. Contracts never read it: the node stamps its time
//! on each entry, and contracts read it from there.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use godown_domain::Timestamp;

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// The current time as a ledger timestamp.
pub fn now() -> Timestamp {
    Timestamp::from_unix_millis(now_ms())
}

/// A node's clock: the system clock, plus an offset that only ever grows.
/// Moving it forward lets a drill or a test show what the passing of days
/// does to loans (interest, maturity, margin-call deadlines) without
/// waiting for them; nothing reachable from outside the process moves it.
#[derive(Debug, Default)]
pub struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    /// Milliseconds since the Unix epoch by this clock.
    pub fn now_ms(&self) -> i64 {
        now_ms().saturating_add(self.offset_ms.load(Ordering::Relaxed))
    }

    /// The current time by this clock.
    pub fn now(&self) -> Timestamp {
        Timestamp::from_unix_millis(self.now_ms())
    }

    /// Moves the clock forward by `days`.
    pub fn advance_days(&self, days: u32) {
        self.offset_ms
            .fetch_add(i64::from(days) * 86_400_000, Ordering::Relaxed);
    }
}
