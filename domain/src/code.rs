//! The stable error codes: every refusal a client can get carries one.
//!
//! This is the one list. Contracts return them through
//! [`ContractError::code`](crate::ContractError::code), the node carries them in
//! its errors, the web edge exposes the list as the GraphQL enum `ErrorCode`
//! (so the dashboard's codegen reads it instead of keeping a copy), and a test
//! checks the table in `docs/API.md` against it. Each serialises as its
//! `SCREAMING_SNAKE_CASE` word, exactly as clients have always seen it.

macro_rules! error_codes {
    ($($variant:ident = $word:literal: $meaning:literal,)+) => {
        /// A stable error code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $(
                #[doc = $meaning]
                $variant,
            )+
        }

        impl ErrorCode {
            /// Every code, in the order of `docs/API.md`.
            pub const ALL: &'static [ErrorCode] = &[$(Self::$variant),+];

            /// The code's word, as clients see it.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $word,)+
                }
            }

            /// What the code means, as `docs/API.md` says it.
            pub const fn meaning(self) -> &'static str {
                match self {
                    $(Self::$variant => $meaning,)+
                }
            }

            /// The code named by `word`, if there is one.
            pub fn parse(word: &str) -> Option<Self> {
                match word {
                    $($word => Some(Self::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

error_codes! {
    Unauthenticated = "UNAUTHENTICATED": "no token, or an expired or forged one",
    Forbidden = "FORBIDDEN": "the signer lacks the role, or the caller may not see this",
    BadRequest = "BAD_REQUEST": "malformed input (an identifier, a base64 value, a role)",
    BadSignature = "BAD_SIGNATURE": "the signature does not verify over the rebuilt transaction",
    WrongKey = "WRONG_KEY": "the signing key is not a key of the signed-in user",
    WrongOrigin = "WRONG_ORIGIN": "signed for another ledger",
    NonceReused = "NONCE_REUSED": "the key used this nonce before",
    KeyNotActive = "KEY_NOT_ACTIVE": "the key is pending or revoked",
    OrgSuspended = "ORG_SUSPENDED": "the signer's organisation is suspended",
    NotFound = "NOT_FOUND": "the organisation, user, key or entry does not exist",
    AlreadyExists = "ALREADY_EXISTS": "the organisation, user or key exists already",
    InvalidState = "INVALID_STATE": "the change does not apply in the current state (approving an active key, …)",
    LastAdmin = "LAST_ADMIN": "the change would leave an organisation without an admin",
    InvalidQuantity = "INVALID_QUANTITY": "a quantity that is zero, negative, not a plain decimal, or with more places than its unit allows; pieces below 0",
    UnknownUnit = "UNKNOWN_UNIT": "not a known UN/CEFACT unit code",
    InvalidHsCode = "INVALID_HS_CODE": "not 6, 8 or 10 digits of an HS chapter",
    InvalidAmount = "INVALID_AMOUNT": "money that is negative, not a plain decimal, or beyond its currency's minor unit",
    UnknownCurrency = "UNKNOWN_CURRENCY": "not a known ISO 4217 code",
    InvalidRate = "INVALID_RATE": "a fraction outside 0 to 1",
    ReceiptNumberTaken = "RECEIPT_NUMBER_TAKEN": "the warehouse already used this receipt number",
    InsufficientQuantity = "INSUFFICIENT_QUANTITY": "more than the lot holds free of live receipts, or more than a receipt covers",
    SplitMismatch = "SPLIT_MISMATCH": "split parts that do not sum exactly to the receipt (quantity and pieces)",
    ReceiptEncumbered = "RECEIPT_ENCUMBERED": "the receipt carries an encumbrance",
    ReceiptExpired = "RECEIPT_EXPIRED": "the receipt's storage period has ended",
    ReceiptBusy = "RECEIPT_BUSY": "the receipt waits for the warehouse to countersign or release",
    LotShortfall = "LOT_SHORTFALL": "the lot has a shortfall the warehouse has not adjusted",
    SameUser = "SAME_USER": "the drafter of a receipt tried to issue it, or the maker of loan terms to approve them",
    InsufficientCollateral = "INSUFFICIENT_COLLATERAL": "the principal exceeds max LTV × collateral value, or a release would take LTV past the maximum",
    InvalidDate = "INVALID_DATE": "a maturity not after today, or a registration dated in the future",
    NoPrice = "NO_PRICE": "no price is published in the loan's currency for a pledged commodity",
    RegistrationMissing = "REGISTRATION_MISSING": "disbursement before the pledge's registration is recorded",
    LoanClosed = "LOAN_CLOSED": "a repayment on a loan that is repaid or closed",
    TooLarge = "TOO_LARGE": "the request body is larger than the route accepts",
    RateLimited = "RATE_LIMITED": "too many sign-in or upload requests from one address; retry after the time given",
    Timeout = "TIMEOUT": "the request took longer than the node allows",
    Unavailable = "UNAVAILABLE": "the node cannot reach its database; retry",
    Internal = "INTERNAL": "an unexpected failure, logged on the node",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A code equals its word, so a test can say `assert_eq!(code, "NOT_FOUND")`.
impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl serde::Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back_from_its_word_and_no_word_is_used_twice() {
        let mut words = std::collections::BTreeSet::new();
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::parse(code.as_str()), Some(*code));
            assert!(words.insert(code.as_str()), "{code} twice");
        }
        assert_eq!(ErrorCode::parse("NOT_A_CODE"), None);
    }

    #[test]
    fn the_table_in_the_api_docs_lists_exactly_these_codes_with_these_meanings() {
        let docs = include_str!("../../docs/API.md");
        let table: Vec<(&str, &str)> = docs
            .lines()
            .filter_map(|line| {
                let row = line.trim().strip_prefix("| `")?.strip_suffix(" |")?;
                let (word, meaning) = row.split_once("` | ")?;
                word.chars()
                    .all(|c| c.is_ascii_uppercase() || c == '_')
                    .then_some((word, meaning))
            })
            .collect();
        let codes: Vec<(&str, &str)> = ErrorCode::ALL
            .iter()
            .map(|c| (c.as_str(), c.meaning()))
            .collect();
        assert_eq!(table, codes);
    }
}
