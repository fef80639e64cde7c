//! How the web edge carries the node's [`ApiError`]: JSON on the JSON
//! routes (`/auth/…`, `/documents`), one plain-text line on the C2SP routes,
//! and `extensions.code` in GraphQL.

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextRequest, NextSubscribe,
};
use async_graphql::{Response as GraphQLResponse, ServerError};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt as _;
use futures_util::stream::BoxStream;
use godown_domain::ErrorCode;
pub use godown_node::error::ApiError;
use godown_node::node::SubmitError;
use godown_node::store::StoreError;

/// The HTTP status a code answers with.
pub fn status(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::Unauthenticated | ErrorCode::BadSignature => StatusCode::UNAUTHORIZED,
        ErrorCode::Forbidden
        | ErrorCode::WrongKey
        | ErrorCode::KeyNotActive
        | ErrorCode::OrgSuspended => StatusCode::FORBIDDEN,
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    }
}

/// An [`ApiError`] answered as `{"error": {"code", "message"}}`.
#[derive(Debug)]
pub struct JsonError(pub ApiError);

impl<E: Into<ApiError>> From<E> for JsonError {
    fn from(e: E) -> Self {
        Self(e.into())
    }
}

impl IntoResponse for JsonError {
    fn into_response(self) -> Response {
        json_error(status(self.0.code), self.0.code, &self.0.message)
    }
}

/// Marks a response whose error already carries its code, so that
/// [`coded_errors`] leaves it as it is.
#[derive(Debug, Clone, Copy)]
struct Coded;

pub(crate) fn json_error(status: StatusCode, code: ErrorCode, message: &str) -> Response {
    let body = serde_json::json!({"error": {"code": code.as_str(), "message": message}});
    let mut response = (status, axum::Json(body)).into_response();
    response.extensions_mut().insert(Coded);
    response
}

/// The code an error answered by the HTTP stack itself (a body over the
/// limit, JSON that does not parse, an unknown route or method) stands for.
fn code_of(status: StatusCode) -> ErrorCode {
    match status {
        StatusCode::UNAUTHORIZED => ErrorCode::Unauthenticated,
        StatusCode::FORBIDDEN => ErrorCode::Forbidden,
        StatusCode::NOT_FOUND => ErrorCode::NotFound,
        StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::TooLarge,
        StatusCode::REQUEST_TIMEOUT => ErrorCode::Timeout,
        StatusCode::TOO_MANY_REQUESTS => ErrorCode::RateLimited,
        StatusCode::SERVICE_UNAVAILABLE => ErrorCode::Unavailable,
        s if s.is_server_error() => ErrorCode::Internal,
        _ => ErrorCode::BadRequest,
    }
}

/// The longest message kept from an error the HTTP stack wrote.
const MAX_MESSAGE: usize = 1024;

/// Middleware: every error response that does not carry a code yet (one
/// written by axum or tower-http: a rejected or oversized body, an unknown
/// route, a method a route does not take) becomes `{"error": {"code",
/// "message"}}` with the same status, so a client meets one error shape.
pub async fn coded_errors(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error())
        || response.extensions().get::<Coded>().is_some()
    {
        return response;
    }
    let body = axum::body::to_bytes(response.into_body(), MAX_MESSAGE * 4)
        .await
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&body);
    let mut message: String = text.trim().chars().take(MAX_MESSAGE).collect();
    if message.is_empty() {
        status
            .canonical_reason()
            .unwrap_or("the request was refused")
            .clone_into(&mut message);
    }
    json_error(status, code_of(status), &message)
}

/// A one-line plain-text error, for the C2SP routes.
#[derive(Debug)]
pub struct PlainError(pub StatusCode, pub String);

impl IntoResponse for PlainError {
    fn into_response(self) -> Response {
        let mut response = (
            self.0,
            [("content-type", "text/plain; charset=utf-8")],
            format!("{}\n", self.1),
        )
            .into_response();
        // The C2SP routes answer plain text by design: leave it so.
        response.extensions_mut().insert(Coded);
        response
    }
}

impl From<ApiError> for PlainError {
    fn from(e: ApiError) -> Self {
        Self(status(e.code), e.message)
    }
}

impl From<StoreError> for PlainError {
    fn from(e: StoreError) -> Self {
        ApiError::from(e).into()
    }
}

/// The node's errors reach a resolver's `?` as any displayable error does,
/// which would answer them without a code. This extension, installed on the
/// schema, gives every error of every response the code of the node error
/// it came from, in one place, so no resolver can forget it.
pub struct ErrorCodes;

impl ExtensionFactory for ErrorCodes {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ErrorCodes)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for ErrorCodes {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> GraphQLResponse {
        with_codes(next.run(ctx).await)
    }

    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: BoxStream<'s, GraphQLResponse>,
        next: NextSubscribe<'_>,
    ) -> BoxStream<'s, GraphQLResponse> {
        next.run(ctx, stream).map(with_codes).boxed()
    }
}

fn with_codes(mut response: GraphQLResponse) -> GraphQLResponse {
    for error in &mut response.errors {
        give_code(error);
    }
    response
}

fn give_code(error: &mut ServerError) {
    let api = if let Some(e) = error.source::<ApiError>() {
        e.clone()
    } else if let Some(e) = error.source::<SubmitError>() {
        ApiError::from(e.clone())
    } else if let Some(e) = error.source::<godown_domain::ContractError>() {
        ApiError::from(e.clone())
    } else if let Some(e) = error.source::<StoreError>() {
        ApiError::of_store(e)
    } else {
        return;
    };
    error.message = api.message;
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set("code", api.code.as_str());
}
