//! The HTTP surface: the router and the state every handler shares.

pub mod documents;
pub mod health;
pub mod ledger;
pub mod metrics;

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::TraceLayer;

use crate::auth::routes as auth;
use crate::demo::DemoDirectory;
use crate::graphql::{self, AppFlags, GodownSchema};
use godown_node::node::Node;

/// Largest request body accepted, in bytes: a transaction with its input
/// is a few kilobytes.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// What every handler shares; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The node.
    pub node: Node,
    /// The GraphQL schema.
    pub schema: GodownSchema,
    /// The demo users and their public demo keys, on a demo node only.
    pub demo: Option<Arc<DemoDirectory>>,
    /// What `/metrics` reports.
    pub metrics: Arc<metrics::Metrics>,
}

/// The whole router: API routes, and the dashboard's files at `/` with
/// client-side routes falling back to `index.html`.
pub fn router(node: Node, demo: Option<Arc<DemoDirectory>>, frontend: Option<PathBuf>) -> Router {
    let schema = graphql::schema(
        node.clone(),
        AppFlags {
            demo: demo.is_some(),
        },
    );
    let metrics = Arc::new(metrics::Metrics::new(node.witness_policy().is_some()));
    let state = AppState {
        node,
        schema,
        demo,
        metrics,
    };
    let mut router = Router::new()
        .route("/graphql", get(graphql::get).post(graphql::post))
        .route("/auth/challenge", post(auth::challenge))
        .route("/auth/login", post(auth::login))
        .route("/auth/refresh", post(auth::refresh))
        .route("/auth/invitation", post(auth::invitation))
        .route("/checkpoint", get(ledger::checkpoint))
        .route("/checkpoint/pending", get(ledger::pending))
        .route("/consistency/{old}/{new}", get(ledger::consistency))
        .route("/vkeys", get(ledger::vkeys))
        .route("/proof/{index}", get(ledger::proof))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/readyz/witnesses", get(health::witnesses))
        .route("/metrics", get(metrics::metrics))
        .route("/demo/users", get(crate::demo::users))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        // The GraphQL extractor reads the body itself; this limit holds for
        // every route above.
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .merge(
            Router::new()
                .route("/documents", post(documents::upload))
                .route("/documents/{sha256}", get(documents::download))
                .layer(DefaultBodyLimit::max(documents::MAX_DOCUMENT_BYTES))
                .layer(RequestBodyLimitLayer::new(documents::MAX_DOCUMENT_BYTES)),
        );
    if let Some(dir) = frontend {
        // Built assets that do not exist are 404s; any other path is a
        // client-side route of the dashboard.
        let index = dir.join("index.html");
        router = router
            .nest_service("/assets", ServeDir::new(dir.join("assets")))
            .fallback_service(ServeDir::new(dir).fallback(ServeFile::new(index)));
    }
    router
        // Outside the body limits, so an oversized body's 413 is given its
        // code too.
        .layer(axum::middleware::from_fn(crate::error::coded_errors))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
                tracing::info_span!(
                    "request",
                    method = %request.method(),
                    path = %request.uri().path(),
                )
            }),
        )
        .with_state(state)
}
