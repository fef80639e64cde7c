//! Money and rates: `rust_decimal`, never floats, with an ISO 4217 currency
//! whose minor unit bounds the decimal places.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::ContractError;
use crate::goods::{code_list, plain_decimal};

code_list!(
    /// An ISO 4217 currency, with its minor unit (decimal places).
    Currency, UnknownCurrency, "ISO 4217 currency" {
        /// Renminbi.
        Cny = ("CNY", 2),
        /// US dollar.
        Usd = ("USD", 2),
        /// Euro.
        Eur = ("EUR", 2),
        /// Hong Kong dollar.
        Hkd = ("HKD", 2),
        /// Singapore dollar.
        Sgd = ("SGD", 2),
        /// Pound sterling.
        Gbp = ("GBP", 2),
        /// Yen: no minor unit.
        Jpy = ("JPY", 0),
    }
);

/// An amount of money: a non-negative plain decimal string in a currency,
/// with no more places than the currency's minor unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields, try_from = "MoneyWire", into = "MoneyWire")]
pub struct Money {
    currency: Currency,
    value: Decimal,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct MoneyWire {
    currency: Currency,
    value: String,
}

impl Money {
    /// Parses a value in a currency.
    pub fn parse(currency: Currency, value: &str) -> Result<Self, ContractError> {
        let amount = plain_decimal(value).ok_or_else(|| {
            ContractError::InvalidAmount(format!(
                "{value:?} is not a plain decimal amount such as \"1200000.00\""
            ))
        })?;
        if amount.scale() > currency.places() {
            return Err(ContractError::InvalidAmount(format!(
                "{value} {currency} has more decimal places than {currency}'s minor unit ({})",
                currency.places()
            )));
        }
        Ok(Self {
            currency,
            value: amount,
        })
    }

    /// The currency.
    pub fn currency(self) -> Currency {
        self.currency
    }

    /// The value.
    pub fn value(self) -> Decimal {
        self.value
    }
}

impl TryFrom<MoneyWire> for Money {
    type Error = ContractError;
    fn try_from(w: MoneyWire) -> Result<Self, Self::Error> {
        Self::parse(w.currency, &w.value)
    }
}

impl From<Money> for MoneyWire {
    fn from(m: Money) -> Self {
        Self {
            currency: m.currency,
            value: m.value.to_string(),
        }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.value, self.currency)
    }
}

/// A fraction from 0 to 1 inclusive, such as a loss allowance (`"0.002"`),
/// with at most six decimal places.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fraction(Decimal);

impl Fraction {
    /// Parses a plain decimal from 0 to 1.
    pub fn parse(text: &str) -> Result<Self, ContractError> {
        match plain_decimal(text) {
            Some(v) if v <= Decimal::ONE && v.scale() <= 6 => Ok(Self(v)),
            _ => Err(ContractError::InvalidRate(format!(
                "{text:?} is not a fraction from 0 to 1 with at most 6 decimal places, such as \"0.002\""
            ))),
        }
    }

    /// The value.
    pub fn value(self) -> Decimal {
        self.0
    }
}

impl fmt::Display for Fraction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for Fraction {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Fraction {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_keeps_its_text_and_refuses_places_beyond_the_minor_unit() {
        let m = Money::parse(Currency::Cny, "1200000.00").unwrap();
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"currency":"CNY","value":"1200000.00"}"#
        );
        assert_eq!(
            Money::parse(Currency::Cny, "1.001").unwrap_err().code(),
            "INVALID_AMOUNT"
        );
        assert_eq!(
            Money::parse(Currency::Jpy, "1.5").unwrap_err().code(),
            "INVALID_AMOUNT"
        );
        assert_eq!(
            Money::parse(Currency::Cny, "-1").unwrap_err().code(),
            "INVALID_AMOUNT"
        );
        assert_eq!(
            Currency::parse("XYZ").unwrap_err().code(),
            "UNKNOWN_CURRENCY"
        );
        assert!(
            serde_json::from_str::<Money>(r#"{"currency":"CNY","value":"1.00","x":1}"#).is_err()
        );
    }

    #[test]
    fn fractions_lie_between_zero_and_one() {
        assert_eq!(Fraction::parse("0.002").unwrap().to_string(), "0.002");
        for bad in ["1.5", "-0.1", "0.0000001", "abc"] {
            assert_eq!(
                Fraction::parse(bad).unwrap_err().code(),
                "INVALID_RATE",
                "{bad}"
            );
        }
    }
}
