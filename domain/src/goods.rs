//! What goods are: quantities with their UN/CEFACT unit, HS codes, and the
//! SHA-256 of documents kept off the ledger. Each parses, so a value that
//! exists is valid, and each refusal carries its own stable code.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::ContractError;

/// The most decimal places any quantity may have.
pub const MAX_SCALE: u32 = 3;

/// A positive quantity, written as a plain decimal string (`"25.000"`).
///
/// The text is kept as given, because the signed bytes carry it; two
/// quantities compare by value (`"25.0" == "25.000"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quantity(Decimal);

/// The largest quantity accepted: far above any warehouse, far below
/// where decimal arithmetic could overflow when quantities are summed.
const MAX_QUANTITY: Decimal = Decimal::from_parts(0xA4C6_8000, 0x0003_8D7E, 0, false, 0); // 10^15

impl Quantity {
    /// Parses `0|[1-9][0-9]*` with an optional fraction of up to three
    /// digits; the value must be above zero.
    pub fn parse(text: &str) -> Result<Self, ContractError> {
        let value = plain_decimal(text).ok_or_else(|| {
            ContractError::InvalidQuantity(format!(
                "{text:?} is not a plain decimal quantity such as \"25.000\""
            ))
        })?;
        if value.scale() > MAX_SCALE {
            return Err(ContractError::InvalidQuantity(format!(
                "{text:?} has {} decimal places; at most {MAX_SCALE} are allowed",
                value.scale()
            )));
        }
        Self::from_decimal(value)
    }

    /// A quantity from a decimal: above zero, at most three places.
    pub fn from_decimal(value: Decimal) -> Result<Self, ContractError> {
        if value <= Decimal::ZERO {
            return Err(ContractError::InvalidQuantity(format!(
                "a quantity must be above zero, not {value}"
            )));
        }
        if value > MAX_QUANTITY || value.scale() > MAX_SCALE {
            return Err(ContractError::InvalidQuantity(format!(
                "{value} is out of range: above zero, below 10^15, at most {MAX_SCALE} decimal places"
            )));
        }
        Ok(Self(value))
    }

    /// The value.
    pub fn value(self) -> Decimal {
        self.0
    }
}

/// Parses a plain decimal: no sign, no exponent, no leading zeros, no
/// trailing dot; the form every verifier reads the same way.
pub(crate) fn plain_decimal(text: &str) -> Option<Decimal> {
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text, None),
    };
    let int_ok = !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && (int == "0" || !int.starts_with('0'));
    let frac_ok = frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    if !int_ok || !frac_ok || text.len() > 40 {
        return None;
    }
    Decimal::from_str_exact(text).ok()
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

macro_rules! code_list {
    ($(#[$doc:meta])* $name:ident, $error:ident, $what:literal { $($(#[$vdoc:meta])* $variant:ident = ($text:literal, $places:literal)),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The code as written on the ledger.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text),+
                }
            }

            /// Decimal places a value in this unit may have.
            pub fn places(self) -> u32 {
                match self {
                    $(Self::$variant => $places),+
                }
            }

            /// Parses the code.
            pub fn parse(text: &str) -> Result<Self, ContractError> {
                match text {
                    $($text => Ok(Self::$variant),)+
                    other => Err(ContractError::$error(format!(
                        "{other:?} is not a known {}; expected one of {}",
                        $what,
                        [$($text),+].join(", ")
                    ))),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                Self::parse(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use code_list;

code_list!(
    /// A UN/CEFACT Recommendation 20 unit of measure, with the decimal
    /// places a quantity in it may carry (grams for tonnes, and so on).
    Unit, UnknownUnit, "UN/CEFACT unit" {
        /// Metric tonne.
        Tonne = ("TNE", 3),
        /// Kilogram.
        Kilogram = ("KGM", 3),
        /// Cubic metre.
        CubicMetre = ("MTQ", 3),
        /// Litre.
        Litre = ("LTR", 3),
        /// Square metre.
        SquareMetre = ("MTK", 3),
        /// Barrel (US), for oil.
        Barrel = ("BLL", 3),
        /// Piece: counted, never fractional.
        Piece = ("H87", 0),
        /// Bag: counted, never fractional.
        Bag = ("BG", 0),
    }
);

impl Unit {
    /// Refuses a quantity with more decimal places than this unit allows.
    pub fn check(self, quantity: Quantity) -> Result<(), ContractError> {
        self.check_value(quantity.value())
    }

    /// Refuses a value (a count, which may be zero) with more decimal
    /// places than this unit allows.
    pub fn check_value(self, value: Decimal) -> Result<(), ContractError> {
        if value.normalize().scale() > self.places() {
            return Err(ContractError::InvalidQuantity(format!(
                "{value} {self} has more decimal places than {self} allows ({})",
                self.places()
            )));
        }
        Ok(())
    }
}

/// A Harmonized System code: 6 digits, or 8 or 10 with a national
/// extension (China's tariff uses 10), written without dots.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HsCode(String);

impl HsCode {
    /// Parses 6, 8 or 10 digits whose chapter (the first two) is 01 to 97.
    pub fn parse(text: &str) -> Result<Self, ContractError> {
        let digits_ok =
            text.bytes().all(|b| b.is_ascii_digit()) && matches!(text.len(), 6 | 8 | 10);
        let chapter_ok = text
            .get(0..2)
            .and_then(|c| c.parse::<u8>().ok())
            .is_some_and(|c| (1..=97).contains(&c));
        if digits_ok && chapter_ok {
            Ok(Self(text.to_owned()))
        } else {
            Err(ContractError::InvalidHsCode(format!(
                "{text:?} is not an HS code: 6, 8 or 10 digits without dots, chapter 01 to 97 (copper cathode is 740311)"
            )))
        }
    }
}

string_newtype!(HsCode);

/// The SHA-256 of a document kept by the node off the ledger: 64
/// lowercase hex digits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocHash(String);

impl DocHash {
    /// Parses 64 lowercase hex digits.
    pub fn parse(text: &str) -> Result<Self, ContractError> {
        if text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            Ok(Self(text.to_owned()))
        } else {
            Err(ContractError::BadRequest(format!(
                "{text:?} is not a SHA-256 digest in 64 lowercase hex digits"
            )))
        }
    }
}

string_newtype!(DocHash);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_are_plain_positive_decimals_of_up_to_three_places() {
        assert_eq!(Quantity::parse("25.000").unwrap().to_string(), "25.000");
        assert_eq!(
            Quantity::parse("25.0").unwrap(),
            Quantity::parse("25.000").unwrap()
        );
        for bad in [
            "0", "0.000", "-1", "+1", "1e3", "01", "1.", ".5", "1.2345", "", "1,5", " 1", "NaN",
        ] {
            let err = Quantity::parse(bad).unwrap_err();
            assert_eq!(err.code(), "INVALID_QUANTITY", "{bad:?}");
        }
        assert!(Quantity::parse("999999999999999.999").is_ok());
        assert!(Quantity::parse("1000000000000000.001").is_err());
    }

    #[test]
    fn a_unit_refuses_more_places_than_it_allows() {
        let q = Quantity::parse("1.5").unwrap();
        assert!(Unit::Tonne.check(q).is_ok());
        assert_eq!(Unit::Piece.check(q).unwrap_err().code(), "INVALID_QUANTITY");
        assert!(Unit::Piece.check(Quantity::parse("2.000").unwrap()).is_ok());
        assert_eq!(Unit::parse("TON").unwrap_err().code(), "UNKNOWN_UNIT");
        assert_eq!(Unit::parse("TNE").unwrap(), Unit::Tonne);
    }

    #[test]
    fn hs_codes_are_six_eight_or_ten_digits() {
        for good in ["740311", "76011000", "1201900000"] {
            assert!(HsCode::parse(good).is_ok(), "{good}");
        }
        for bad in ["7403.11", "74031", "7403111", "990000", "000000", "abcdef"] {
            assert_eq!(
                HsCode::parse(bad).unwrap_err().code(),
                "INVALID_HS_CODE",
                "{bad}"
            );
        }
    }
}
