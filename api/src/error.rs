//! The one error type at the edge of the node.
//!
//! Inside, libraries return their own error enums (ledger, domain, store);
//! the binary uses anyhow outside request handling. At the edge every failure
//! becomes an [`ApiError`]: a stable code from `docs/API.md`, a message for
//! people, and the HTTP status it answers with. Anything unexpected is logged
//! once, here, and answered as `INTERNAL` without its details.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::node::SubmitError;
use crate::store::StoreError;

/// A failure as a client sees it.
///
/// It deliberately does not implement `Display`: async-graphql converts
/// anything displayable into an error without a code, so the only way an
/// `ApiError` reaches a client is through the conversion below, which keeps
/// `extensions.code`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// A stable code.
    pub code: &'static str,
    /// What went wrong, for people.
    pub message: String,
}

impl ApiError {
    /// Any code with a message.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// Malformed input.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new("BAD_REQUEST", message)
    }

    /// No valid session.
    pub fn unauthenticated(message: impl Into<String>) -> Self {
        Self::new("UNAUTHENTICATED", message)
    }

    /// Not allowed.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new("FORBIDDEN", message)
    }

    /// Does not exist.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new("NOT_FOUND", message)
    }

    /// Something unexpected: logged here, reported without details.
    pub fn internal(error: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %error, "unexpected failure");
        Self::new(
            "INTERNAL",
            "an unexpected failure; it has been logged on the node",
        )
    }

    /// `CODE: message`, for logs and the command line.
    pub fn describe(&self) -> String {
        format!("{}: {}", self.code, self.message)
    }

    /// The HTTP status this answers with.
    pub fn status(&self) -> StatusCode {
        match self.code {
            "UNAUTHENTICATED" | "BAD_SIGNATURE" => StatusCode::UNAUTHORIZED,
            "FORBIDDEN" | "WRONG_KEY" | "KEY_NOT_ACTIVE" | "ORG_SUSPENDED" => StatusCode::FORBIDDEN,
            "NOT_FOUND" => StatusCode::NOT_FOUND,
            "UNAVAILABLE" => StatusCode::SERVICE_UNAVAILABLE,
            "INTERNAL" => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::BAD_REQUEST,
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Db(e) => {
                tracing::error!(error = %e, "database failure");
                Self::new("UNAVAILABLE", "the node cannot reach its database; retry")
            }
            corrupt @ StoreError::Corrupt { .. } => Self::internal(&corrupt),
        }
    }
}

impl From<SubmitError> for ApiError {
    fn from(e: SubmitError) -> Self {
        Self::new(e.code, e.message)
    }
}

impl From<godown_domain::ContractError> for ApiError {
    fn from(e: godown_domain::ContractError) -> Self {
        Self::new(e.code(), e.to_string())
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(e: ApiError) -> Self {
        use async_graphql::ErrorExtensions as _;
        async_graphql::Error::new(e.message.clone()).extend_with(|_, ext| ext.set("code", e.code))
    }
}

/// JSON errors for the JSON routes (`/auth/…`).
impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({"error": {"code": self.code, "message": self.message}});
        (self.status(), axum::Json(body)).into_response()
    }
}

/// A one-line plain-text error, for the C2SP routes.
#[derive(Debug)]
pub struct PlainError(pub StatusCode, pub String);

impl IntoResponse for PlainError {
    fn into_response(self) -> Response {
        (
            self.0,
            [("content-type", "text/plain; charset=utf-8")],
            format!("{}\n", self.1),
        )
            .into_response()
    }
}

impl From<ApiError> for PlainError {
    fn from(e: ApiError) -> Self {
        Self(e.status(), e.message)
    }
}

impl From<StoreError> for PlainError {
    fn from(e: StoreError) -> Self {
        ApiError::from(e).into()
    }
}
