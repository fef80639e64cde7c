//! The node's only clock. Contracts never read it: the node stamps its time
//! on each entry, and contracts read it from there.

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
