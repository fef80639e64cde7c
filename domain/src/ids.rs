//! Identifiers and enumerations that parse, so a value that exists is valid.

use std::fmt;

use godown_ledger::PublicKey;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::ContractError;

macro_rules! identifier {
    ($(#[$doc:meta])* $name:ident, $what:literal, $max:literal, $extra:pat) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            /// Parses the identifier, refusing anything outside its grammar.
            pub fn parse(text: &str) -> Result<Self, ContractError> {
                let mut chars = text.chars();
                let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase());
                let rest_ok = chars.all(|c| {
                    c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, $extra)
                });
                if first_ok && rest_ok && (2..=$max).contains(&text.len()) {
                    Ok(Self(text.to_owned()))
                } else {
                    Err(ContractError::BadRequest(format!(
                        "{:?} is not a valid {}: a lowercase letter, then 1 to {} more of a-z, 0-9 or {}",
                        text,
                        $what,
                        $max - 1,
                        stringify!($extra)
                    )))
                }
            }
        }

        string_newtype!($name);
    };
}

identifier!(
    /// An organisation: `^[a-z][a-z0-9-]{1,39}$`.
    OrgId, "organisation id", 40, '-'
);
identifier!(
    /// A user, unique in the consortium: `^[a-z][a-z0-9._-]{1,63}$`.
    UserId, "user id", 64, '.' | '_' | '-'
);

/// A lot or receipt: `^[a-z0-9][a-z0-9-]{7,63}$`, chosen by the client
/// that creates it (the dashboard makes 20 random base32 characters after
/// a prefix), so that a receipt's public page cannot be found by counting.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RecordId(String);

impl RecordId {
    /// Parses the identifier.
    pub fn parse(text: &str) -> Result<Self, ContractError> {
        let ok = (8..=64).contains(&text.len())
            && text
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            && text
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if ok {
            Ok(Self(text.to_owned()))
        } else {
            Err(ContractError::BadRequest(format!(
                "{text:?} is not a valid record id: 8 to 64 of a-z, 0-9 or -, not starting with -"
            )))
        }
    }
}

string_newtype!(RecordId);

/// A warehouse's receipt number, unique per warehouse:
/// `^[A-Z0-9][A-Z0-9/-]{0,63}$`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReceiptNumber(String);

impl ReceiptNumber {
    /// Parses the number.
    pub fn parse(text: &str) -> Result<Self, ContractError> {
        let ok = (1..=64).contains(&text.len())
            && text
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            && text
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-' || b == b'/');
        if ok {
            Ok(Self(text.to_owned()))
        } else {
            Err(ContractError::BadRequest(format!(
                "{text:?} is not a valid receipt number: 1 to 64 of A-Z, 0-9, - or /, starting with a letter or digit"
            )))
        }
    }
}

string_newtype!(ReceiptNumber);

word_enum!(
    /// What an organisation is in the consortium.
    OrgKind, "organisation kind" {
        /// Lends against receipts.
        Bank = "bank",
        /// Holds goods and issues receipts.
        Warehouse = "warehouse",
        /// Deposits goods and borrows.
        Sme = "sme",
        /// Certifies goods.
        Inspector = "inspector",
        /// Sees everything.
        Regulator = "regulator",
        /// Runs the node and admits members.
        Operator = "operator",
    }
);

word_enum!(
    /// What a user may do within their organisation.
    Role, "role" {
        /// Manages the organisation's users and keys.
        Admin = "admin",
        /// Prepares transactions (the maker).
        Officer = "officer",
        /// Approves what an officer prepared (the checker).
        Approver = "approver",
        /// Reads.
        Viewer = "viewer",
    }
);

/// A member's Ed25519 public key as it appears in transaction bodies:
/// standard base64 of 32 bytes, a valid point, never a weak key.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct MemberKey(pub PublicKey);

impl MemberKey {
    /// Parses standard base64.
    pub fn parse(text: &str) -> Result<Self, ContractError> {
        PublicKey::from_base64(text)
            .map(Self)
            .map_err(|e| ContractError::BadRequest(format!("key {text:?}: {e}")))
    }

    /// The raw 32 bytes, which identify the key.
    pub fn bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }
}

impl fmt::Display for MemberKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_base64())
    }
}

impl fmt::Debug for MemberKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MemberKey({self})")
    }
}

impl Serialize for MemberKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_base64())
    }
}

impl<'de> Deserialize<'de> for MemberKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_follow_their_grammar() {
        assert!(OrgId::parse("bank-a").is_ok());
        assert!(UserId::parse("bank-a.li_wei").is_ok());
        for bad in [
            "",
            "a",
            "Bank",
            "1bank",
            "bank a",
            "bank.a",
            &"b".repeat(41),
        ] {
            assert!(OrgId::parse(bad).is_err(), "{bad:?}");
        }
        assert!(UserId::parse(&"u".repeat(64)).is_ok());
        assert!(UserId::parse(&"u".repeat(65)).is_err());
    }

    #[test]
    fn words_round_trip_and_unknown_ones_are_refused_with_the_choices() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()).unwrap(), *role);
        }
        let err = OrgKind::parse("broker").unwrap_err().to_string();
        assert!(err.contains("bank, warehouse"), "{err}");
    }
}
