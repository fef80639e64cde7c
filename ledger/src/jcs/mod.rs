//! RFC 8785 JSON Canonicalization Scheme, with Godown's number rule.
//!
//! Canonical bytes are produced by `serde_json_canonicalizer`. On top of
//! RFC 8785, Godown refuses every JSON number that is not an integer a double
//! holds exactly (|n| ≤ 2^53 − 1): money, quantities and rates travel as
//! decimal strings, so Rust, TypeScript and Python produce the same bytes.

mod scan;

use std::fmt::Write as _;

use serde_json::Value;

pub(crate) use scan::{Kind, Member, canonical_object, string_value};

/// Largest integer every JSON implementation holds exactly (2^53 − 1).
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// Why a JSON text is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JcsError {
    /// Not JSON at all, or cut short.
    #[error("not valid JSON: {0}")]
    Syntax(String),
    /// A number with a fraction or exponent.
    #[error(
        "JSON number {number} at {path} is a float; amounts, quantities and rates must be decimal strings"
    )]
    Float {
        /// Where in the document, as `a.b[2].c`.
        path: String,
        /// The number as parsed.
        number: String,
    },
    /// An integer outside ±(2^53 − 1).
    #[error(
        "JSON integer {number} at {path} is beyond 2^53-1 and cannot be held exactly everywhere"
    )]
    UnsafeInteger {
        /// Where in the document.
        path: String,
        /// The number as parsed.
        number: String,
    },
    /// Valid JSON, but not byte for byte its RFC 8785 form.
    #[error("not RFC 8785 canonical JSON: {detail}")]
    NotCanonical {
        /// Where the bytes first differ from the canonical form.
        detail: String,
    },
}

impl JcsError {
    /// Stable code for logs, CLI output and APIs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Syntax(_) => "MALFORMED_JSON",
            Self::Float { .. } => "FLOAT_NUMBER",
            Self::UnsafeInteger { .. } => "UNSAFE_INTEGER",
            Self::NotCanonical { .. } => "NOT_CANONICAL",
        }
    }
}

/// The RFC 8785 bytes of any JSON value, floats included. Godown's own data
/// goes through [`canonical`], which refuses floats first.
pub fn rfc8785(value: &Value) -> Vec<u8> {
    // A serde_json::Value has string keys and finite numbers only, which is
    // all the canonicalizer can fail on; an empty result would not verify.
    serde_json_canonicalizer::to_vec(value).unwrap_or_default()
}

/// The canonical bytes of a Godown value: its numbers checked, then RFC 8785.
pub fn canonical(value: &Value) -> Result<Vec<u8>, JcsError> {
    check_numbers(value)?;
    Ok(rfc8785(value))
}

/// Parses JSON and checks Godown's number rule, without requiring the bytes
/// to be canonical already.
pub fn parse(bytes: &[u8]) -> Result<Value, JcsError> {
    let value: Value =
        serde_json::from_slice(bytes).map_err(|e| JcsError::Syntax(e.to_string()))?;
    check_numbers(&value)?;
    Ok(value)
}

/// Says why bytes the canonical scanner refused are not canonical Godown
/// JSON; `Ok` only if the full parser finds nothing wrong either.
pub(crate) fn diagnose(bytes: &[u8]) -> Result<Value, JcsError> {
    parse_canonical(bytes)
}

/// Parses bytes that must already be canonical, as ledger entries are.
pub fn parse_canonical(bytes: &[u8]) -> Result<Value, JcsError> {
    let value = parse(bytes)?;
    let canonical = rfc8785(&value);
    if canonical == bytes {
        Ok(value)
    } else {
        Err(JcsError::NotCanonical {
            detail: first_difference(bytes, &canonical),
        })
    }
}

fn first_difference(got: &[u8], want: &[u8]) -> String {
    let at = got
        .iter()
        .zip(want)
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| got.len().min(want.len()));
    format!(
        "byte {at} differs (entry is {} bytes, its canonical form {})",
        got.len(),
        want.len()
    )
}

/// Checks Godown's number rule over a whole value: integers within
/// ±(2^53 − 1) only.
pub fn check_numbers(value: &Value) -> Result<(), JcsError> {
    // The common case allocates nothing; the path is built only to report.
    if numbers_are_safe(value) {
        Ok(())
    } else {
        check_numbers_at(value, &mut String::from("$"))
    }
}

fn numbers_are_safe(value: &Value) -> bool {
    match value {
        Value::Number(n) => safe_integer(n) == Some(true),
        Value::Array(items) => items.iter().all(numbers_are_safe),
        Value::Object(members) => members.values().all(numbers_are_safe),
        Value::Null | Value::Bool(_) | Value::String(_) => true,
    }
}

/// `Some(true)` for a safe integer, `Some(false)` for an unsafe one, `None`
/// for a float.
fn safe_integer(n: &serde_json::Number) -> Option<bool> {
    n.as_i64()
        .map(i64::unsigned_abs)
        .or_else(|| n.as_u64())
        .map(|abs| abs <= MAX_SAFE_INTEGER)
}

fn check_numbers_at(value: &Value, path: &mut String) -> Result<(), JcsError> {
    match value {
        Value::Number(n) => match safe_integer(n) {
            Some(true) => Ok(()),
            Some(false) => Err(JcsError::UnsafeInteger {
                path: path.clone(),
                number: n.to_string(),
            }),
            None => Err(JcsError::Float {
                path: path.clone(),
                number: n.to_string(),
            }),
        },
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                let _ = write!(path, "[{i}]");
                check_numbers_at(item, path)?;
                path.truncate(len);
            }
            Ok(())
        }
        Value::Object(members) => {
            for (key, item) in members {
                let len = path.len();
                path.push('.');
                path.push_str(key);
                check_numbers_at(item, path)?;
                path.truncate(len);
            }
            Ok(())
        }
        Value::Null | Value::Bool(_) | Value::String(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_are_refused_wherever_they_hide() {
        let err = parse(br#"{"a":[1,{"b":2.5}]}"#).unwrap_err();
        assert_eq!(
            err,
            JcsError::Float {
                path: "$.a[1].b".into(),
                number: "2.5".into()
            }
        );
        assert_eq!(parse(b"1e3").unwrap_err().code(), "FLOAT_NUMBER");
        assert_eq!(parse(b"56.0").unwrap_err().code(), "FLOAT_NUMBER");
    }

    #[test]
    fn integers_beyond_two_to_the_53_are_refused() {
        assert!(parse(b"9007199254740991").is_ok());
        assert!(parse(b"-9007199254740991").is_ok());
        assert_eq!(
            parse(b"9007199254740992").unwrap_err().code(),
            "UNSAFE_INTEGER"
        );
        assert_eq!(
            parse(b"18446744073709551615").unwrap_err().code(),
            "UNSAFE_INTEGER"
        );
    }

    #[test]
    fn canonical_bytes_are_accepted_and_anything_else_is_not() {
        assert!(parse_canonical(br#"{"a":1,"b":"x"}"#).is_ok());
        for bad in [
            &br#"{"b":"x","a":1}"#[..],
            br#"{"a": 1,"b":"x"}"#,
            br#"{"a":1,"a":1,"b":"x"}"#,
            b"{\"a\":1}\n",
            br#"{"a":"\u0041"}"#,
        ] {
            assert_eq!(parse_canonical(bad).unwrap_err().code(), "NOT_CANONICAL");
        }
    }

    #[test]
    fn broken_json_is_a_syntax_error_not_a_panic() {
        for bad in [&b""[..], b"{", b"{\"a\":", b"\xff", b"[1,]"] {
            assert_eq!(parse(bad).unwrap_err().code(), "MALFORMED_JSON");
        }
    }
}
