//! The plain-text routes of FORMATS.md, for tools that are not ours:
//! `/checkpoint`, `/checkpoint/pending`, `/consistency/{old}/{new}`, `/vkeys`,
//! `/proof/{index}`.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::AppState;
use crate::auth;
use crate::error::{ApiError, PlainError};
use godown_domain::ErrorCode;
use godown_node::{cosigning, reads};

fn text(body: String) -> Response {
    (
        [
            ("content-type", "text/plain; charset=utf-8"),
            ("cache-control", "no-store"),
        ],
        body,
    )
        .into_response()
}

/// A path number: ASCII digits with no sign, else 400.
fn number(raw: &str, what: &str) -> Result<u64, PlainError> {
    if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PlainError(
            StatusCode::BAD_REQUEST,
            format!("{what} {raw:?} is not a number"),
        ));
    }
    raw.parse().map_err(|_| {
        PlainError(
            StatusCode::BAD_REQUEST,
            format!("{what} {raw:?} is too large"),
        )
    })
}

/// `GET /checkpoint`: the newest checkpoint that meets the witness policy,
/// with the cosignatures that make it so (without a policy, the newest).
pub async fn checkpoint(State(app): State<AppState>) -> Result<Response, PlainError> {
    let published = cosigning::published(&app.node)
        .await
        .map_err(ApiError::from)?
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::Unavailable,
                "no checkpoint meets the witness policy yet; the newest signed one is at /checkpoint/pending",
            )
        })?;
    Ok(text(published.note))
}

/// `GET /checkpoint/pending`: the newest signed checkpoint, cosigned or not.
pub async fn pending(State(app): State<AppState>) -> Result<Response, PlainError> {
    Ok(text(reads::checkpoint(&app.node).await?.note))
}

/// `GET /consistency/{old}/{new}`: base64 hashes, one per line.
pub async fn consistency(
    State(app): State<AppState>,
    Path((old, new)): Path<(String, String)>,
) -> Result<Response, PlainError> {
    let (old, new) = (number(&old, "old size")?, number(&new, "new size")?);
    let hashes = reads::consistency(&app.node, old, new).await?;
    let mut body = String::new();
    godown_ledger::push_base64_lines(&mut body, &hashes);
    Ok(text(body))
}

/// `GET /vkeys`: the log vkey in force, then the witness vkeys of the
/// policy, then the log keys it was handed over from (newest first), which
/// signed the log's older checkpoints.
pub async fn vkeys(State(app): State<AppState>) -> Response {
    let mut keys = app.node.log_vkeys().into_iter();
    let mut body = String::new();
    let mut line = |vkey: &dyn std::fmt::Display| {
        body.push_str(&vkey.to_string());
        body.push('\n');
    };
    if let Some(in_force) = keys.next() {
        line(&in_force);
    }
    for w in app.node.witnesses() {
        line(&w.vkey);
    }
    for retired in keys {
        line(&retired);
    }
    text(body)
}

/// `GET /proof/{index}`: a tlog-proof@v1 for an entry the caller may see.
pub async fn proof(
    State(app): State<AppState>,
    Path(index): Path<String>,
    headers: HeaderMap,
) -> Result<Response, PlainError> {
    let index = number(&index, "index")?;
    let token = auth::bearer(&headers)
        .ok_or_else(|| PlainError::from(ApiError::unauthenticated("a bearer token is required")))?;
    let viewer = auth::viewer(&app.node, token).await?;
    let proof = reads::entry_proof(&app.node, &viewer, index).await?;
    Ok(text(proof.tlog_proof()))
}
