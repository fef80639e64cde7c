//! Interest, penalty and the allocation of money: exact decimals, rounded
//! only when an amount is posted, half to even, to the currency's minor unit.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::money::Currency;
use crate::time::Date;

word_enum!(
    /// The day-count convention of a loan.
    DayCount, "day-count convention" {
        /// Actual days over 360: the People's Bank of China's default.
        Act360 = "act360",
        /// Actual days over 365.
        Act365 = "act365",
    }
);

impl DayCount {
    /// The days of a year under this convention.
    pub fn basis(self) -> Decimal {
        match self {
            Self::Act360 => Decimal::from(360),
            Self::Act365 => Decimal::from(365),
        }
    }
}

/// Rounds an amount to the currency's minor unit, half to even: how a
/// posting rounds what is due, and how an amount is shown.
pub fn round(amount: Decimal, currency: Currency) -> Decimal {
    amount.round_dp_with_strategy(currency.places(), RoundingStrategy::MidpointNearestEven)
}

/// Rounds what someone must pay away from zero to the currency's minor
/// unit, so that paying it is always enough: what cures a margin call.
pub fn round_up(amount: Decimal, currency: Currency) -> Decimal {
    amount.round_dp_with_strategy(currency.places(), RoundingStrategy::AwayFromZero)
}

/// Rounds a limit toward zero to the currency's minor unit, so that what
/// it allows never exceeds what the rule allows: the most a loan may be.
pub fn round_limit(amount: Decimal, currency: Currency) -> Decimal {
    amount.round_dp_with_strategy(currency.places(), RoundingStrategy::ToZero)
}

/// Simple interest on `principal` at `annual_rate` for `days` days.
pub fn interest(
    principal: Decimal,
    annual_rate: Decimal,
    days: i64,
    convention: DayCount,
) -> Decimal {
    if days <= 0 {
        return Decimal::ZERO;
    }
    // Multiply first and divide once, so the only inexact step is the last.
    principal * annual_rate * Decimal::from(days) / convention.basis()
}

/// What accrues on an unchanged principal from one date to another,
/// multiplied by the day-count basis: principal × rate × days, with no
/// division, so that sums of accruals are exact however many there are.
/// Divide by the basis only to post or show an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Accrual {
    /// Contractual interest × basis: until the grace period after maturity
    /// ends.
    pub interest: Decimal,
    /// Penalty interest × basis: from then on, in place of contractual
    /// interest.
    pub penalty: Decimal,
}

/// The contract's rates and dates that accrual needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rates {
    /// Annual contractual rate.
    pub annual: Decimal,
    /// Annual penalty rate.
    pub penalty: Decimal,
    /// The day-count convention.
    pub convention: DayCount,
    /// The first day penalty interest runs: maturity plus the grace days.
    pub penalty_from: Date,
}

/// Accrues on `principal` from `from` (inclusive) to `to` (exclusive), day
/// by day: contractual interest before `penalty_from`, penalty interest on
/// and after it. Both are scaled by the basis (see [`Accrual`]).
pub fn accrue(principal: Decimal, from: Date, to: Date, rates: &Rates) -> Accrual {
    if to <= from {
        return Accrual::default();
    }
    let split = rates.penalty_from.clamp(from, to);
    let scaled = |rate: Decimal, days: i64| principal * rate * Decimal::from(days.max(0));
    Accrual {
        interest: scaled(rates.annual, from.days_until(split)),
        penalty: scaled(rates.penalty, split.days_until(to)),
    }
}

/// How a payment is applied: penalty first, then interest, then principal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Allocation {
    /// To penalty interest.
    pub penalty: Decimal,
    /// To contractual interest.
    pub interest: Decimal,
    /// To principal.
    pub principal: Decimal,
    /// What is left over once everything owed is paid.
    pub surplus: Decimal,
}

/// Applies `amount` to what is owed, in the order the law and the contract
/// give: penalty, interest, principal.
pub fn allocate(
    amount: Decimal,
    penalty_due: Decimal,
    interest_due: Decimal,
    principal_due: Decimal,
) -> Allocation {
    let mut left = amount;
    let mut take = |due: Decimal| {
        let paid = left.min(due).max(Decimal::ZERO);
        left -= paid;
        paid
    };
    let penalty = take(penalty_due);
    let interest = take(interest_due);
    let principal = take(principal_due);
    Allocation {
        penalty,
        interest,
        principal,
        surplus: left,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn d(text: &str) -> Decimal {
        Decimal::from_str_exact(text).unwrap()
    }

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn a_year_of_interest_under_each_convention() {
        // 1,200,000.00 at 4.35 % for 365 days.
        assert_eq!(
            round(
                interest(d("1200000.00"), d("0.0435"), 365, DayCount::Act365),
                Currency::Cny
            ),
            d("52200.00")
        );
        assert_eq!(
            round(
                interest(d("1200000.00"), d("0.0435"), 365, DayCount::Act360),
                Currency::Cny
            ),
            d("52925.00")
        );
        // One day on Act/360: 145.0 exactly; on Act/365, 143.01369… → 143.01.
        assert_eq!(
            round(
                interest(d("1200000.00"), d("0.0435"), 1, DayCount::Act365),
                Currency::Cny
            ),
            d("143.01")
        );
    }

    #[test]
    fn rounding_is_half_to_even_at_the_minor_unit() {
        assert_eq!(round(d("0.125"), Currency::Cny), d("0.12"));
        assert_eq!(round(d("0.135"), Currency::Cny), d("0.14"));
        assert_eq!(round(d("2.5"), Currency::Jpy), d("2"));
        assert_eq!(round_limit(d("0.129"), Currency::Cny), d("0.12"));
        assert_eq!(round_up(d("0.121"), Currency::Cny), d("0.13"));
        assert_eq!(round_limit(d("2.9"), Currency::Jpy), d("2"));
    }

    #[test]
    fn penalty_interest_replaces_interest_after_the_grace_period() {
        let rates = Rates {
            annual: d("0.0360"),
            penalty: d("0.0540"),
            convention: DayCount::Act360,
            penalty_from: date("2027-01-11"),
        };
        let a = accrue(d("360000"), date("2027-01-01"), date("2027-01-21"), &rates);
        assert_eq!(a.interest / DayCount::Act360.basis(), d("360"));
        assert_eq!(a.penalty / DayCount::Act360.basis(), d("540"));
        assert_eq!(
            accrue(d("360000"), date("2027-01-21"), date("2027-01-01"), &rates),
            Accrual::default()
        );
    }

    #[test]
    fn a_payment_goes_to_penalty_then_interest_then_principal() {
        let a = allocate(d("100"), d("10"), d("30"), d("1000"));
        assert_eq!(
            (a.penalty, a.interest, a.principal, a.surplus),
            (d("10"), d("30"), d("60"), d("0"))
        );
        let a = allocate(d("25"), d("10"), d("30"), d("1000"));
        assert_eq!(
            (a.penalty, a.interest, a.principal),
            (d("10"), d("15"), d("0"))
        );
        let a = allocate(d("2000"), d("10"), d("30"), d("1000"));
        assert_eq!(a.surplus, d("960"));
    }

    proptest! {
        #[test]
        fn accrual_over_a_period_is_the_sum_of_its_parts(
            principal in 1u64..10_000_000_000,
            days in 1i64..2000,
            cut in 0i64..2000,
            penalty_at in 0i64..2000,
        ) {
            let principal = Decimal::new(i64::try_from(principal).unwrap(), 2);
            let start = date("2026-01-01");
            let rates = Rates { annual: d("0.0435"), penalty: d("0.065"), convention: DayCount::Act365, penalty_from: start.plus_days(penalty_at) };
            let whole = accrue(principal, start, start.plus_days(days), &rates);
            let cut = cut.min(days);
            let a = accrue(principal, start, start.plus_days(cut), &rates);
            let b = accrue(principal, start.plus_days(cut), start.plus_days(days), &rates);
            // Exact: accrual never divides.
            prop_assert_eq!(whole.interest, a.interest + b.interest);
            prop_assert_eq!(whole.penalty, a.penalty + b.penalty);
        }

        #[test]
        fn an_allocation_accounts_for_every_unit_paid(
            amount in 0i64..1_000_000_000, penalty in 0i64..1_000_000, interest in 0i64..10_000_000, principal in 0i64..1_000_000_000,
        ) {
            let a = allocate(Decimal::new(amount, 2), Decimal::new(penalty, 2), Decimal::new(interest, 2), Decimal::new(principal, 2));
            prop_assert_eq!(a.penalty + a.interest + a.principal + a.surplus, Decimal::new(amount, 2));
            prop_assert!(a.principal.is_zero() || a.interest == Decimal::new(interest, 2));
            prop_assert!(a.interest.is_zero() || a.penalty == Decimal::new(penalty, 2));
        }
    }
}
