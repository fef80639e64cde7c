//! The sequencing time the node stamps on each entry. Contracts read time
//! only from here, never from a clock, so replay reproduces every decision.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::ContractError;

/// A UTC instant with millisecond precision, written
/// `YYYY-MM-DDTHH:MM:SS.mmmZ` (always this exact form).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    millis: i64,
}

impl Timestamp {
    /// The instant `millis` milliseconds after the Unix epoch.
    pub fn from_unix_millis(millis: i64) -> Self {
        Self { millis }
    }

    /// Milliseconds since the Unix epoch.
    pub fn unix_millis(self) -> i64 {
        self.millis
    }

    /// Parses exactly `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    pub fn parse(text: &str) -> Result<Self, ContractError> {
        let bad = || {
            ContractError::BadRequest(format!(
                "{text:?} is not a time of the form YYYY-MM-DDTHH:MM:SS.mmmZ"
            ))
        };
        let b = text.as_bytes();
        if b.len() != 24 {
            return Err(bad());
        }
        let shape_ok = b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'.',
            23 => *c == b'Z',
            _ => c.is_ascii_digit(),
        });
        if !shape_ok {
            return Err(bad());
        }
        let num = |range: std::ops::Range<usize>| -> Result<i64, ContractError> {
            text.get(range).and_then(|s| s.parse().ok()).ok_or_else(bad)
        };
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (hour, minute, second, milli) =
            (num(11..13)?, num(14..16)?, num(17..19)?, num(20..23)?);
        if !(1..=12).contains(&month)
            || day < 1
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 59
        {
            return Err(bad());
        }
        let days = days_from_civil(year, month, day);
        Ok(Self {
            millis: ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + milli,
        })
    }

    /// The calendar date and time of day in UTC.
    fn parts(self) -> (i64, i64, i64, i64, i64, i64, i64) {
        let days = self.millis.div_euclid(86_400_000);
        let ms = self.millis.rem_euclid(86_400_000);
        let (y, m, d) = civil_from_days(days);
        (
            y,
            m,
            d,
            ms / 3_600_000,
            ms / 60_000 % 60,
            ms / 1000 % 60,
            ms % 1000,
        )
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month, day, hour, minute, second, milli) = self.parts();
        write!(
            f,
            "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{milli:03}Z"
        )
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn known_instants_parse_to_their_unix_milliseconds() {
        assert_eq!(
            Timestamp::parse("1970-01-01T00:00:00.000Z")
                .unwrap()
                .unix_millis(),
            0
        );
        assert_eq!(
            Timestamp::parse("2026-11-22T04:03:41.250Z")
                .unwrap()
                .unix_millis(),
            1_795_320_221_250
        );
        assert_eq!(
            Timestamp::parse("2000-02-29T23:59:59.999Z")
                .unwrap()
                .to_string(),
            "2000-02-29T23:59:59.999Z"
        );
    }

    #[test]
    fn anything_but_the_exact_form_is_refused() {
        for bad in [
            "2026-11-22T04:03:41Z",
            "2026-11-22T04:03:41.25Z",
            "2026-11-22 04:03:41.250Z",
            "2026-02-30T00:00:00.000Z",
            "2025-02-29T00:00:00.000Z",
            "2026-13-01T00:00:00.000Z",
            "2026-11-22T24:00:00.000Z",
            "2026-11-22T04:03:41.250+",
            "",
        ] {
            assert!(Timestamp::parse(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn formatting_and_parsing_round_trip(millis in 0i64..253_402_300_799_999) {
            let t = Timestamp::from_unix_millis(millis);
            prop_assert_eq!(Timestamp::parse(&t.to_string()).unwrap(), t);
        }
    }
}
