//! The witness's HTTP interface: `POST /add-checkpoint` at the root (the
//! submission prefix is empty), `GET /checkpoint/<origin>` for monitors
//! (the monitoring prefix is empty too), `GET /metrics` and `GET /healthz`.
//!
//! Answers are plain text, as tlog-witness has them: the cosignature lines,
//! `text/x.tlog.size` for a 409, and a line naming the refusal otherwise.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::{Answer, Witness};

/// The largest request accepted: 63 proof lines and a checkpoint with many
/// signatures fit in a small fraction of it.
pub const MAX_BODY: usize = 64 * 1024;

/// The witness's routes.
pub fn router(witness: Arc<Witness>) -> Router {
    Router::new()
        .route("/add-checkpoint", post(add_checkpoint))
        .route("/checkpoint/{*origin}", get(latest))
        .route("/metrics", get(metrics))
        .route("/healthz", get(|| async { "ok\n" }))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(witness)
}

fn text(status: StatusCode, content_type: &'static str, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

async fn add_checkpoint(State(witness): State<Arc<Witness>>, body: Bytes) -> Response {
    // The decision and the durable record block on the disk: off the
    // runtime's threads.
    let answer = tokio::task::spawn_blocking(move || witness.add_checkpoint(&body)).await;
    match answer {
        Ok(Ok(Answer::Cosigned(lines))) => text(StatusCode::OK, "text/plain; charset=utf-8", lines),
        Ok(Ok(Answer::Refused(refusal))) => {
            let status = StatusCode::from_u16(refusal.status()).unwrap_or(StatusCode::BAD_REQUEST);
            match refusal.conflict_size() {
                Some(size) => text(status, "text/x.tlog.size", format!("{size}\n")),
                None => text(
                    status,
                    "text/plain; charset=utf-8",
                    format!("{}: {refusal}\n", refusal.code()),
                ),
            }
        }
        Ok(Err(e)) => {
            tracing::error!("the witness could not record a checkpoint: {e:#}");
            text(
                StatusCode::SERVICE_UNAVAILABLE,
                "text/plain; charset=utf-8",
                "UNAVAILABLE: the witness could not record the checkpoint; nothing was cosigned\n"
                    .to_owned(),
            )
        }
        Err(e) => {
            tracing::error!("the witness's worker failed: {e}");
            text(
                StatusCode::SERVICE_UNAVAILABLE,
                "text/plain; charset=utf-8",
                "UNAVAILABLE: nothing was cosigned\n".to_owned(),
            )
        }
    }
}

async fn latest(State(witness): State<Arc<Witness>>, Path(origin): Path<String>) -> Response {
    match witness.latest_note(&origin) {
        Ok(Some(note)) => text(StatusCode::OK, "text/plain; charset=utf-8", note),
        Ok(None) => text(
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            format!("NOT_FOUND: nothing cosigned for {origin}\n"),
        ),
        Err(e) => {
            tracing::error!("the witness could not read its state: {e:#}");
            text(
                StatusCode::SERVICE_UNAVAILABLE,
                "text/plain; charset=utf-8",
                "UNAVAILABLE: the witness could not read its state\n".to_owned(),
            )
        }
    }
}

async fn metrics(State(witness): State<Arc<Witness>>) -> Response {
    text(
        StatusCode::OK,
        "text/plain; version=0.0.4",
        format!(
            "# HELP godown_witness_cosignatures_total Checkpoints cosigned since start.\n\
             # TYPE godown_witness_cosignatures_total counter\n\
             godown_witness_cosignatures_total {}\n\
             # HELP godown_witness_alarms_total Forks and rewrites refused since start.\n\
             # TYPE godown_witness_alarms_total counter\n\
             godown_witness_alarms_total {}\n\
             # HELP godown_witness_evidence_files Evidence files in the state directory.\n\
             # TYPE godown_witness_evidence_files gauge\n\
             godown_witness_evidence_files {}\n",
            witness.cosignatures(),
            witness.alarms(),
            witness.evidence_count()
        ),
    )
}
