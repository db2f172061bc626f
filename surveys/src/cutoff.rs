//! Comparisons with cut-offs. Scores and cut-offs are written as decimals in the methodology's
//! files, but computed in binary floating point, where `1 − 0.67` is `0.32999999999999996`. So
//! that a value exactly on a cut-off is on it whatever the arithmetic that led to it, every
//! comparison with a cut-off (`at_risk_from`, `ok`/`critical` thresholds, level and band
//! cut-offs, response-rate floors) treats values within `TOLERANCE` of the cut-off as equal to
//! it. `surveys/FORMAT.md` states the same rule.

/// Values closer than this to a cut-off count as on it: far below the precision of any score
/// (four decimals) and far above floating-point error (about 1e-15 for values in [0, 100]).
pub const TOLERANCE: f64 = 1e-9;

/// Whether `value` is at or above `cutoff`.
pub fn reaches(value: f64, cutoff: f64) -> bool {
    value >= cutoff - TOLERANCE
}

/// Whether `value` is on `cutoff`.
pub fn on(value: f64, cutoff: f64) -> bool {
    (value - cutoff).abs() <= TOLERANCE
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A decimal with up to four places, as the files write it, and its parsed value.
    fn decimal(units: u32) -> f64 {
        format!("{}.{:04}", units / 10_000, units % 10_000)
            .parse()
            .expect("a decimal")
    }

    #[test]
    fn the_reported_reversed_score_is_at_its_cut_off() {
        // 1 − 0.67 in binary floating point is 0.32999999999999996.
        let reversed = std::hint::black_box(1.0) - 0.67;
        assert!(reversed < 0.33);
        assert!(reaches(reversed, 0.33));
    }

    proptest! {
        /// Every reversed four-place score reaches the cut-off written as its decimal, and not the
        /// next one up.
        #[test]
        fn a_reversed_score_reaches_exactly_its_own_decimal(units in 0u32..=10_000) {
            let reversed = 1.0 - decimal(units);
            let written = decimal(10_000 - units);
            prop_assert!(reaches(reversed, written));
            prop_assert!(on(reversed, written));
            if units > 0 {
                prop_assert!(!reaches(reversed, decimal(10_000 - units + 1)));
            }
        }

        /// A share k/n or a mean of four-place scores that equals a decimal cut-off reaches it.
        #[test]
        fn a_share_on_a_decimal_cut_off_reaches_it(n in 1u32..=400, k in 0u32..=400) {
            let k = k.min(n);
            let share = f64::from(k) / f64::from(n);
            // The cut-off as a file would write it when it is a four-place decimal.
            if (u64::from(k) * 10_000) % u64::from(n) == 0 {
                let units = u32::try_from(u64::from(k) * 10_000 / u64::from(n)).unwrap_or(0);
                prop_assert!(reaches(share, decimal(units)));
                prop_assert!(units == 10_000 || !reaches(share, decimal(units + 1)));
            }
        }
    }
}
