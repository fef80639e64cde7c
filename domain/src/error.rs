//! Why a contract refuses a transaction. Each variant has a stable code.

/// A contract's refusal. Nothing is written when a transaction is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ContractError {
    /// The body is malformed: a missing or unknown member, a bad identifier.
    #[error("{0}")]
    BadRequest(String),
    /// No contract handles this transaction type.
    #[error("unknown transaction type {0:?}")]
    UnknownType(String),
    /// The signer lacks the right to do this.
    #[error("{0}")]
    Forbidden(String),
    /// The signing key is pending, revoked or unknown.
    #[error("{0}")]
    KeyNotActive(String),
    /// The signer's organisation is suspended.
    #[error("organisation {0} is suspended")]
    OrgSuspended(String),
    /// Something named does not exist.
    #[error("{0}")]
    NotFound(String),
    /// Something to be created exists already.
    #[error("{0}")]
    AlreadyExists(String),
    /// The change does not apply in the current state.
    #[error("{0}")]
    InvalidState(String),
    /// The change would leave an organisation without an admin.
    #[error("{0}")]
    LastAdmin(String),
}

impl ContractError {
    /// Stable code for APIs and logs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadRequest(_) | Self::UnknownType(_) => "BAD_REQUEST",
            Self::Forbidden(_) => "FORBIDDEN",
            Self::KeyNotActive(_) => "KEY_NOT_ACTIVE",
            Self::OrgSuspended(_) => "ORG_SUSPENDED",
            Self::NotFound(_) => "NOT_FOUND",
            Self::AlreadyExists(_) => "ALREADY_EXISTS",
            Self::InvalidState(_) => "INVALID_STATE",
            Self::LastAdmin(_) => "LAST_ADMIN",
        }
    }
}
