//! The GraphQL API at `/graphql`: GraphiQL on GET, queries and mutations on
//! POST, subscriptions over WebSocket on the same path. Resolvers are thin:
//! they parse input, ask `reads`, `submit` or the store, and map the answer.

pub mod codes;
pub mod cost;
pub mod financing;
pub mod governance;
pub mod mutation;
pub mod query;
pub mod receipts;
pub mod shared;
pub mod subscription;
pub mod types;

use async_graphql::http::GraphiQLSource;
use async_graphql::{Context, Data, Schema};
use async_graphql_axum::{GraphQLProtocol, GraphQLRequest, GraphQLResponse, GraphQLWebSocket};
use axum::extract::{State, WebSocketUpgrade};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};

use crate::auth::{self, Viewer};
use crate::error::{ApiError, ErrorCodes};
use crate::http::AppState;
use godown_node::node::Node;

/// Every query, of every contract.
#[derive(async_graphql::MergedObject, Default)]
pub struct Query(
    query::Query,
    receipts::ReceiptsQuery,
    financing::FinancingQuery,
    governance::GovernanceQuery,
);

/// Every mutation, of every contract.
#[derive(async_graphql::MergedObject, Default)]
pub struct Mutation(
    mutation::Mutation,
    receipts::ReceiptsMutation,
    financing::FinancingMutation,
    governance::GovernanceMutation,
);

/// The schema type.
pub type GodownSchema = Schema<Query, Mutation, subscription::Subscription>;

/// Deepest query accepted.
pub const MAX_DEPTH: usize = 10;
/// Most complex query accepted.
pub const MAX_COMPLEXITY: usize = 1000;

/// Facts about the node that the schema reports.
#[derive(Debug, Clone, Copy)]
pub struct AppFlags {
    /// A demo node, with public demo keys.
    pub demo: bool,
}

/// The session a request arrived with: none, a valid one, or a refused one,
/// and the token it came from, so a long-lived subscription can check that
/// the session still holds.
#[derive(Debug, Clone)]
pub struct Session {
    /// The bearer token, if any.
    pub token: Option<String>,
    /// Who the token stands for, or why it was refused.
    pub viewer: Option<Result<Viewer, ApiError>>,
}

/// Builds the schema, with its limits.
pub fn schema(node: Node, flags: AppFlags) -> GodownSchema {
    Schema::build(
        Query::default(),
        Mutation::default(),
        subscription::Subscription,
    )
    .register_output_type::<codes::ErrorCodeType>()
    .data(node)
    .data(flags)
    .extension(ErrorCodes)
    .limit_depth(MAX_DEPTH)
    .limit_complexity(MAX_COMPLEXITY)
    .finish()
}

/// The SDL, as committed in `api/schema.graphql`.
pub fn sdl() -> String {
    Schema::build(
        Query::default(),
        Mutation::default(),
        subscription::Subscription,
    )
    .register_output_type::<codes::ErrorCodeType>()
    .finish()
    .sdl()
}

pub(crate) fn node<'a>(ctx: &Context<'a>) -> &'a Node {
    // The schema is always built with a node; see `schema`.
    ctx.data_unchecked::<Node>()
}

pub(crate) fn viewer<'a>(ctx: &Context<'a>) -> Result<&'a Viewer, ApiError> {
    match ctx.data_opt::<Session>().and_then(|s| s.viewer.as_ref()) {
        Some(Ok(viewer)) => Ok(viewer),
        Some(Err(e)) => Err(e.clone()),
        None => Err(ApiError::unauthenticated(
            "sign in first: this needs a session token",
        )),
    }
}

/// A GraphQL `Int` from an index or size; the log would need two billion
/// entries to overflow it.
pub(crate) fn gql_int(value: u64) -> Result<i32, ApiError> {
    i32::try_from(value)
        .map_err(|_| ApiError::internal(&format!("{value} does not fit a GraphQL Int")))
}

pub(crate) fn u64_arg(value: i32) -> Result<u64, ApiError> {
    u64::try_from(value).map_err(|_| ApiError::bad_request(format!("{value} is negative")))
}

async fn session(node: &Node, token: Option<&str>) -> Session {
    match token {
        None => Session {
            token: None,
            viewer: None,
        },
        Some(token) => Session {
            token: Some(token.to_owned()),
            viewer: Some(auth::viewer(node, token).await),
        },
    }
}

/// `POST /graphql`
pub async fn post(
    State(app): State<AppState>,
    headers: HeaderMap,
    request: GraphQLRequest,
) -> GraphQLResponse {
    let session = session(&app.node, auth::bearer(&headers)).await;
    let request = request.into_inner();
    // Anyone can call without a session, in any number: such a caller is
    // held to a few fields.
    if !matches!(session.viewer, Some(Ok(_)))
        && let Some(refusal) = cost::anonymous_refusal(&request.query)
    {
        let mut response =
            async_graphql::Response::from_errors(vec![async_graphql::ServerError::new(
                refusal, None,
            )]);
        with_codes(&mut response.errors);
        return response.into();
    }
    let mut response = app.schema.execute(request.data(session)).await;
    with_codes(&mut response.errors);
    response.into()
}

/// Errors raised by GraphQL itself (a parse error, an unknown field, a
/// limit exceeded) carry no code of ours; every error must, so they get
/// `BAD_REQUEST`.
fn with_codes(errors: &mut [async_graphql::ServerError]) {
    for error in errors {
        let extensions = error.extensions.get_or_insert_with(Default::default);
        if extensions.get("code").is_none() {
            extensions.set("code", "BAD_REQUEST");
        }
    }
}

/// The policy of the GraphiQL page: its inline script and the CDN it loads
/// from, no framing.
const GRAPHIQL_POLICY: &str = "default-src 'self'; script-src 'self' 'unsafe-inline' https://unpkg.com; \
     style-src 'self' 'unsafe-inline' https://unpkg.com; img-src 'self' data: https://unpkg.com; \
     connect-src 'self'; font-src 'self' https://unpkg.com; object-src 'none'; frame-ancestors 'none'";

/// `GET /graphql`: GraphiQL when it is on, or the WebSocket for
/// subscriptions.
pub async fn get(
    State(app): State<AppState>,
    protocol: Result<GraphQLProtocol, axum::http::StatusCode>,
    upgrade: Result<WebSocketUpgrade, axum::extract::ws::rejection::WebSocketUpgradeRejection>,
) -> Response {
    let (Ok(protocol), Ok(upgrade)) = (protocol, upgrade) else {
        if !app.graphiql {
            return crate::error::json_error(
                axum::http::StatusCode::NOT_FOUND,
                godown_domain::ErrorCode::NotFound,
                "GraphiQL is off on this node (start it with --graphiql); POST queries to /graphql, or open a WebSocket there for subscriptions",
            );
        }
        let mut page = Html(
            GraphiQLSource::build()
                .endpoint("/graphql")
                .subscription_endpoint("/graphql")
                .finish(),
        )
        .into_response();
        // GraphiQL is a developer's page: inline script and its CDN's, under
        // a policy of its own; every other answer keeps the strict one.
        page.headers_mut().insert(
            axum::http::header::CONTENT_SECURITY_POLICY,
            axum::http::HeaderValue::from_static(GRAPHIQL_POLICY),
        );
        return page;
    };
    let schema = app.schema.clone();
    let node = app.node.clone();
    upgrade
        .protocols(async_graphql::http::ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |stream| {
            GraphQLWebSocket::new(stream, schema, protocol)
                .on_connection_init(move |payload| async move {
                    let token = payload.get("token").and_then(serde_json::Value::as_str);
                    let mut data = Data::default();
                    data.insert(session(&node, token).await);
                    Ok(data)
                })
                .serve()
        })
}
