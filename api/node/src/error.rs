//! The one error a client of the node sees.
//!
//! Inside, libraries return their own error enums (ledger, domain, store);
//! the binary uses anyhow outside request handling. Toward any client every
//! failure becomes an [`ApiError`]: a stable code from `docs/API.md` and a
//! message for people. Anything unexpected is logged once, here, and answered
//! as `INTERNAL` without its details. How an edge carries it (an HTTP status,
//! a GraphQL `extensions.code`) is the edge's business.

use crate::node::SubmitError;
use crate::store::StoreError;
use godown_domain::ErrorCode;

/// A failure as a client sees it.
///
/// `Display` gives the message alone; the code travels beside it, and every
/// edge is responsible for carrying both (the web edge's GraphQL schema
/// restores `extensions.code` from the error itself, in one place).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// A stable code.
    pub code: ErrorCode,
    /// What went wrong, for people.
    pub message: String,
}

impl ApiError {
    /// Any code with a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// Malformed input.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::BadRequest, message)
    }

    /// No valid session.
    pub fn unauthenticated(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Unauthenticated, message)
    }

    /// Not allowed.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Forbidden, message)
    }

    /// Does not exist.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, message)
    }

    /// Something unexpected: logged here, reported without details.
    pub fn internal(error: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %error, "unexpected failure");
        Self::new(
            ErrorCode::Internal,
            "an unexpected failure; it has been logged on the node",
        )
    }

    /// A store failure as a client sees it: the database's own trouble is
    /// logged and answered as `UNAVAILABLE`, corrupt data as `INTERNAL`.
    pub fn of_store(e: &StoreError) -> Self {
        match e {
            StoreError::Db(e) => {
                tracing::error!(error = %e, "database failure");
                Self::new(
                    ErrorCode::Unavailable,
                    "the node cannot reach its database; retry",
                )
            }
            corrupt @ StoreError::Corrupt { .. } => Self::internal(corrupt),
        }
    }

    /// `CODE: message`, for logs and the command line.
    pub fn describe(&self) -> String {
        format!("{}: {}", self.code, self.message)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        Self::of_store(&e)
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
