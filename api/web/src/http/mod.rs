//! The HTTP surface: the router and the state every handler shares.

pub mod documents;
pub mod edge;
pub mod health;
pub mod ledger;
pub mod metrics;

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};
use tower_http::trace::TraceLayer;

pub use edge::EdgeOptions;
use edge::Limit;

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
    /// Whether `GET /graphql` serves GraphiQL.
    pub graphiql: bool,
}

/// The whole router: API routes, and the dashboard's files at `/` with
/// client-side routes falling back to `index.html`, behind the edge's
/// guards ([`edge`]).
pub fn router(
    node: Node,
    demo: Option<Arc<DemoDirectory>>,
    frontend: Option<PathBuf>,
    options: &EdgeOptions,
) -> Router {
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
        graphiql: options.graphiql,
    };
    // A challenge is a row written; an invitation is tried by its token.
    // Both are open to anyone, so each address gets a share.
    let signin = Limit::per_minute(options.signin_per_minute, "sign-in requests");
    let uploads = Limit::per_minute(options.uploads_per_minute, "uploads");
    let mut router = Router::new()
        .route("/graphql", get(graphql::get).post(graphql::post))
        .route(
            "/auth/challenge",
            post(auth::challenge).layer(from_fn_with_state(signin.clone(), edge::limit)),
        )
        .route("/auth/login", post(auth::login))
        .route("/auth/refresh", post(auth::refresh))
        .route(
            "/auth/invitation",
            post(auth::invitation).layer(from_fn_with_state(signin, edge::limit)),
        )
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
                .route(
                    "/documents",
                    post(documents::upload).layer(from_fn_with_state(uploads, edge::limit)),
                )
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
    let router = router
        // A slow client holds a connection no longer than this: the body
        // must arrive, and the answer be ready, within the deadline. (The
        // headers' own deadline is the listener's.)
        .layer(RequestBodyTimeoutLayer::new(options.request_timeout))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            options.request_timeout,
        ))
        // Outside the body limits and the deadlines, so an oversized body's
        // 413 and a late one's 408 are given their codes too.
        .layer(from_fn(crate::error::coded_errors))
        .layer(from_fn(edge::security_headers));
    let router = match edge::cors(&options.cors_origins) {
        Some(cors) => router.layer(cors),
        None => router,
    };
    router
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
