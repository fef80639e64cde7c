//! `/healthz`, `/readyz` and `/readyz/witnesses`.

use axum::extract::State;
use axum::http::StatusCode;

use super::AppState;
use crate::error::PlainError;
use godown_node::store::ledger;

/// The process runs.
pub async fn healthz() -> &'static str {
    "ok\n"
}

/// The database answers and the log has a checkpoint.
pub async fn readyz(State(app): State<AppState>) -> Result<&'static str, PlainError> {
    let db = app.node.db();
    db.ping().await.map_err(|_| {
        PlainError(
            StatusCode::SERVICE_UNAVAILABLE,
            "the database does not answer".into(),
        )
    })?;
    match ledger::latest_checkpoint(db.conn()).await {
        Ok(Some(_)) => Ok("ok\n"),
        _ => Err(PlainError(
            StatusCode::SERVICE_UNAVAILABLE,
            "the log has no checkpoint yet".into(),
        )),
    }
}

/// Whether the checkpoint that meets the witness policy keeps up: 503 once
/// it has trailed the newest for longer than the finality limit. Appends go
/// on regardless, so this is a signal for monitoring, not a reason to take
/// the node out of service; `/readyz` answers that.
pub async fn witnesses(State(app): State<AppState>) -> Result<String, PlainError> {
    let Some(f) = app.node.finality() else {
        return Ok("ok: no witness policy; every signed checkpoint is published\n".into());
    };
    if f.is_late() {
        return Err(PlainError(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "entries after {} are not final: the checkpoint that meets the witness policy has trailed the newest ({}) for {}s, longer than the limit of {}s",
                f.final_size,
                f.newest,
                f.trailing.as_secs(),
                f.limit.as_secs()
            ),
        ));
    }
    Ok(format!(
        "ok: final up to {} of {} entries\n",
        f.final_size, f.newest
    ))
}
