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

/// China Standard Time is UTC+8 all year; calendar dates on the ledger
/// (storage periods, maturities) are dates there.
const CST_OFFSET_MS: i64 = 8 * 3_600_000;
const DAY_MS: i64 = 86_400_000;

/// A calendar date, `YYYY-MM-DD`, in China Standard Time (UTC+8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Days since 1970-01-01.
    days: i64,
}

impl Date {
    /// Parses exactly `YYYY-MM-DD`, years 1970 to 9999.
    pub fn parse(text: &str) -> Result<Self, ContractError> {
        let bad =
            || ContractError::BadRequest(format!("{text:?} is not a date of the form YYYY-MM-DD"));
        let b = text.as_bytes();
        let shape_ok = b.len() == 10
            && b.iter().enumerate().all(|(i, c)| match i {
                4 | 7 => *c == b'-',
                _ => c.is_ascii_digit(),
            });
        if !shape_ok {
            return Err(bad());
        }
        let num = |range: std::ops::Range<usize>| -> Result<i64, ContractError> {
            text.get(range).and_then(|s| s.parse().ok()).ok_or_else(bad)
        };
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        if year < 1970 || !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month)
        {
            return Err(bad());
        }
        Ok(Self {
            days: days_from_civil(year, month, day),
        })
    }

    /// The first instant of this date in China Standard Time.
    pub fn start(self) -> Timestamp {
        Timestamp::from_unix_millis(self.days * DAY_MS - CST_OFFSET_MS)
    }

    /// The first instant after this date ends in China Standard Time.
    pub fn end(self) -> Timestamp {
        Timestamp::from_unix_millis((self.days + 1) * DAY_MS - CST_OFFSET_MS)
    }

    /// The date in China Standard Time at an instant.
    pub fn of(time: Timestamp) -> Self {
        Self {
            days: (time.unix_millis() + CST_OFFSET_MS).div_euclid(DAY_MS),
        }
    }

    /// The date `n` days later (earlier when negative).
    #[must_use]
    pub fn plus_days(self, n: i64) -> Self {
        Self {
            days: self.days.saturating_add(n),
        }
    }

    /// Days from `self` to `other`.
    pub fn days_until(self, other: Self) -> i64 {
        other.days - self.days
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month, day) = civil_from_days(self.days);
        write!(f, "{year:04}-{month:02}-{day:02}")
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
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

    #[test]
    fn a_date_runs_from_midnight_to_midnight_in_china_standard_time() {
        let d = Date::parse("2027-04-30").unwrap();
        assert_eq!(d.to_string(), "2027-04-30");
        assert_eq!(d.start().to_string(), "2027-04-29T16:00:00.000Z");
        assert_eq!(d.end().to_string(), "2027-04-30T16:00:00.000Z");
        assert_eq!(
            Date::of(Timestamp::parse("2027-04-30T15:59:59.999Z").unwrap()),
            d
        );
        assert_eq!(Date::of(d.end()), d.plus_days(1));
        for bad in [
            "2027-4-30",
            "2027-02-29",
            "1969-12-31",
            "2027-04-31",
            "20270430",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad}");
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
