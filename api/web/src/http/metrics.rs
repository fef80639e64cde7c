//! `GET /metrics`: the node's figures in the Prometheus text format, read
//! when scraped. Written with `prometheus-client`, the Prometheus project's
//! own Rust client: the OpenTelemetry Prometheus exporter is discontinued.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

use super::AppState;
use crate::error::PlainError;
use godown_node::store::{cosignatures, ledger};

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct WitnessLabel {
    witness: String,
}

/// The registry and the instruments it holds.
pub struct Metrics {
    registry: Registry,
    log_entries: Gauge,
    final_entries: Gauge,
    final_trailing: Gauge<f64, AtomicU64>,
    final_late: Gauge,
    witness_entries: Family<WitnessLabel, Gauge>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Metrics {
    /// The instruments; those of finality only for a node with a witness
    /// policy, so that a scrape never shows a figure that means nothing.
    pub fn new(with_witnesses: bool) -> Self {
        let mut registry = Registry::with_prefix("godown");
        let m = Self {
            registry: Registry::default(),
            log_entries: Gauge::default(),
            final_entries: Gauge::default(),
            final_trailing: Gauge::default(),
            final_late: Gauge::default(),
            witness_entries: Family::default(),
        };
        registry.register(
            "log_entries",
            "Entries covered by the newest signed checkpoint",
            m.log_entries.clone(),
        );
        if !with_witnesses {
            return Self { registry, ..m };
        }
        registry.register(
            "final_entries",
            "Entries covered by the newest checkpoint that meets the witness policy (absent without a policy)",
            m.final_entries.clone(),
        );
        registry.register(
            "final_trailing_seconds",
            "How long the checkpoint that meets the witness policy has trailed the newest (0 when it covers it)",
            m.final_trailing.clone(),
        );
        registry.register(
            "final_late",
            "1 while that checkpoint has trailed for longer than the finality limit, else 0",
            m.final_late.clone(),
        );
        registry.register(
            "witness_cosigned_entries",
            "The checkpoint size each witness of the policy is known to have cosigned last",
            m.witness_entries.clone(),
        );
        Self { registry, ..m }
    }
}

/// `GET /metrics`
pub async fn metrics(State(app): State<AppState>) -> Result<Response, PlainError> {
    let node = &app.node;
    let conn = node.db().conn();
    let metrics: &Arc<Metrics> = &app.metrics;
    let size = ledger::latest_checkpoint(conn).await?.map_or(0, |c| c.size);
    metrics.log_entries.set(gauge(size));
    if let Some(f) = node.finality() {
        metrics.final_entries.set(gauge(f.final_size));
        metrics.final_trailing.set(f.trailing.as_secs_f64());
        metrics.final_late.set(i64::from(f.is_late()));
        for w in node.witnesses() {
            let head = cosignatures::head(conn, &w.vkey.to_string()).await?;
            metrics
                .witness_entries
                .get_or_create(&WitnessLabel {
                    witness: w.name.clone(),
                })
                .set(gauge(head));
        }
    }
    let mut body = String::new();
    encode(&mut body, &metrics.registry)
        .map_err(|e| PlainError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok((
        [(
            "content-type",
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        body,
    )
        .into_response())
}

fn gauge(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}
