//! The impls shared by every string newtype (one that wraps a `String`
//! which its own `parse` has checked), every enumeration written as a
//! lowercase word, and every contract's transaction enum.

/// `as_str`, `Display`, and serde through `parse`, for a `struct T(String)`
/// with `fn parse(&str) -> Result<T, ContractError>`.
macro_rules! string_newtype {
    ($name:ident) => {
        impl $name {
            /// The text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                Self::parse(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}

/// An enum written as a lowercase word on the ledger: `ALL`, `as_str`,
/// `parse` (refusing other words with `BAD_REQUEST`), `Display`, and serde
/// through them.
macro_rules! word_enum {
    ($(#[$doc:meta])* $name:ident, $what:literal { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The lowercase word used on the ledger.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text),+
                }
            }

            /// Parses the lowercase word.
            pub fn parse(text: &str) -> Result<Self, crate::error::ContractError> {
                match text {
                    $($text => Ok(Self::$variant),)+
                    other => Err(crate::error::ContractError::BadRequest(format!(
                        "{other:?} is not a {}; expected one of {}",
                        $what,
                        [$($text),+].join(", ")
                    ))),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <String as serde::Deserialize>::deserialize(d)?;
                Self::parse(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}

/// `TYPES`, `parse`, `tx_type` and `body` for a contract's transaction enum
/// whose every variant holds the body type of one transaction type.
macro_rules! tx_types {
    ($tx:ident, $what:literal { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $tx {
            /// The transaction types this contract decides.
            pub const TYPES: &'static [&'static str] = &[$($text),+];

            #[doc = concat!("Parses a body of a ", $what, " type; `None` for other types.")]
            pub fn parse(
                tx_type: &str,
                body: &serde_json::Map<String, serde_json::Value>,
            ) -> Result<Option<Self>, crate::error::ContractError> {
                Ok(Some(match tx_type {
                    $($text => Self::$variant(crate::read_body(tx_type, body)?),)+
                    _ => return Ok(None),
                }))
            }

            /// The transaction type.
            pub fn tx_type(&self) -> &'static str {
                match self {
                    $(Self::$variant(_) => $text),+
                }
            }

            /// The body, as signed.
            pub fn body(&self) -> serde_json::Map<String, serde_json::Value> {
                match self {
                    $(Self::$variant(b) => crate::write_body(b)),+
                }
            }
        }
    };
}
