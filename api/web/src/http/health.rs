//! `/healthz` and `/readyz`.

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
