//! Why a contract refuses a transaction. Each variant has a stable code.

use crate::ErrorCode;

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
    /// A quantity that is not a positive decimal its unit allows.
    #[error("{0}")]
    InvalidQuantity(String),
    /// A unit that is not a known UN/CEFACT code.
    #[error("{0}")]
    UnknownUnit(String),
    /// An HS code that is not 6, 8 or 10 digits.
    #[error("{0}")]
    InvalidHsCode(String),
    /// An amount of money that is malformed or negative.
    #[error("{0}")]
    InvalidAmount(String),
    /// A currency that is not a known ISO 4217 code.
    #[error("{0}")]
    UnknownCurrency(String),
    /// A rate or fraction out of its range.
    #[error("{0}")]
    InvalidRate(String),
    /// The warehouse already used this receipt number.
    #[error("{0}")]
    ReceiptNumberTaken(String),
    /// More than the lot holds free of receipts.
    #[error("{0}")]
    InsufficientQuantity(String),
    /// Parts that do not add up to the whole.
    #[error("{0}")]
    SplitMismatch(String),
    /// The receipt carries an encumbrance.
    #[error("{0}")]
    ReceiptEncumbered(String),
    /// The receipt's storage period has ended.
    #[error("{0}")]
    ReceiptExpired(String),
    /// The receipt waits for the warehouse on a transfer or redemption.
    #[error("{0}")]
    ReceiptBusy(String),
    /// The lot has a stock shortfall that the warehouse has not resolved.
    #[error("{0}")]
    LotShortfall(String),
    /// The maker tried to check their own work.
    #[error("{0}")]
    SameUser(String),
    /// The collateral is not worth enough for the loan.
    #[error("{0}")]
    InsufficientCollateral(String),
    /// A date that is not allowed here, such as a maturity in the past.
    #[error("{0}")]
    InvalidDate(String),
    /// No price is published for the collateral's commodity.
    #[error("{0}")]
    NoPrice(String),
    /// Funds cannot be disbursed before the pledge is registered.
    #[error("{0}")]
    RegistrationMissing(String),
    /// The loan is closed.
    #[error("{0}")]
    LoanClosed(String),
}

impl ContractError {
    /// Stable code for APIs and logs.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::BadRequest(_) | Self::UnknownType(_) => ErrorCode::BadRequest,
            Self::Forbidden(_) => ErrorCode::Forbidden,
            Self::KeyNotActive(_) => ErrorCode::KeyNotActive,
            Self::OrgSuspended(_) => ErrorCode::OrgSuspended,
            Self::NotFound(_) => ErrorCode::NotFound,
            Self::AlreadyExists(_) => ErrorCode::AlreadyExists,
            Self::InvalidState(_) => ErrorCode::InvalidState,
            Self::LastAdmin(_) => ErrorCode::LastAdmin,
            Self::InvalidQuantity(_) => ErrorCode::InvalidQuantity,
            Self::UnknownUnit(_) => ErrorCode::UnknownUnit,
            Self::InvalidHsCode(_) => ErrorCode::InvalidHsCode,
            Self::InvalidAmount(_) => ErrorCode::InvalidAmount,
            Self::UnknownCurrency(_) => ErrorCode::UnknownCurrency,
            Self::InvalidRate(_) => ErrorCode::InvalidRate,
            Self::ReceiptNumberTaken(_) => ErrorCode::ReceiptNumberTaken,
            Self::InsufficientQuantity(_) => ErrorCode::InsufficientQuantity,
            Self::SplitMismatch(_) => ErrorCode::SplitMismatch,
            Self::ReceiptEncumbered(_) => ErrorCode::ReceiptEncumbered,
            Self::ReceiptExpired(_) => ErrorCode::ReceiptExpired,
            Self::ReceiptBusy(_) => ErrorCode::ReceiptBusy,
            Self::LotShortfall(_) => ErrorCode::LotShortfall,
            Self::SameUser(_) => ErrorCode::SameUser,
            Self::InsufficientCollateral(_) => ErrorCode::InsufficientCollateral,
            Self::InvalidDate(_) => ErrorCode::InvalidDate,
            Self::NoPrice(_) => ErrorCode::NoPrice,
            Self::RegistrationMissing(_) => ErrorCode::RegistrationMissing,
            Self::LoanClosed(_) => ErrorCode::LoanClosed,
        }
    }
}
