//! Sufficient statistics: everything a school's profile, its teachers' deficit summary and the
//! instruments' quality need from a set of responses, kept as sums that can be added response
//! by response or merged in any order with the same result. The server keeps one per school and
//! group, updated as each response is stored, so that a profile is computed from a few numbers
//! instead of every stored answer; `Scorer::profile` scores raw answers through the very same
//! sums, so both ways give identical figures.
//!
//! Sums are exact integers: each respondent's item score or mean (a real in [0, 1]) is kept in
//! fixed point to 2⁻⁴⁸ (about 3.6e-15, finer than the binary floating point of the value
//! itself), so that adding in another order — another instance, a rebuild — changes nothing.

use crate::instrument::Group;
use serde::{Deserialize, Serialize};

/// One in fixed point.
const ONE: f64 = (1u64 << 48) as f64;

/// A real in fixed point.
pub(crate) fn fixed(x: f64) -> i128 {
    (x * ONE).round() as i128
}

/// A fixed-point sum back as a real.
pub(crate) fn real(q: i128) -> f64 {
    q as f64 / ONE
}

/// A fixed-point sum of products back as a real.
pub(crate) fn real2(q: i128) -> f64 {
    q as f64 / ONE / ONE
}

/// Running sums of one variable: its count, sum and sum of squares, in fixed point.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sums {
    pub n: u32,
    /// Σ x.
    pub x: i128,
    /// Σ x².
    pub xx: i128,
}

impl Sums {
    pub fn add(&mut self, x: f64) {
        let q = fixed(x);
        self.n += 1;
        self.x += q;
        self.xx += q * q;
    }

    pub fn merge(&mut self, other: &Sums) {
        self.n += other.n;
        self.x += other.x;
        self.xx += other.xx;
    }

    /// Σ x as a real.
    pub fn sum(&self) -> f64 {
        real(self.x)
    }

    /// Σ x² as a real.
    pub fn squares(&self) -> f64 {
        real2(self.xx)
    }

    /// The sample variance; 0 under two values.
    pub fn variance(&self) -> f64 {
        if self.n < 2 {
            return 0.0;
        }
        let n = f64::from(self.n);
        // n·Σx² − (Σx)² exactly, then once to a real.
        let spread = i128::from(self.n)
            .checked_mul(self.xx)
            .and_then(|a| self.x.checked_mul(self.x).map(|b| a - b));
        let spread = spread.map_or_else(|| self.squares() * n - self.sum() * self.sum(), real2);
        (spread / (n * (n - 1.0))).max(0.0)
    }
}

/// What a school's responses add up to: the sufficient statistics of its profile and of its
/// teachers' deficit summary. `Scorer::add` adds a response, `Tally::merge` another tally,
/// `Scorer::finish` scores it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    /// Responses per group index.
    #[serde(with = "crate::instrument::per_group")]
    pub counts: [u32; Group::COUNT],
    /// Per indicator (by its position in the methodology): the respondents behind a `mean` or
    /// `share` with the sums of their means, and of them those at risk.
    pub indicators: Vec<IndicatorSums>,
    /// Per group index: the latest response and the values it gives the group's `value`
    /// indicators (a personal group's last answer counts).
    #[serde(with = "crate::instrument::per_group")]
    pub latest: [Option<Latest>; Group::COUNT],
    /// Teachers whose diagnostic gave a result.
    pub teachers: u32,
    /// Per deficit area and band (by position in the catalogue): teachers in it.
    pub bands: Vec<Vec<u32>>,
}

/// One `mean` or `share` indicator's sums: `means.n` respondents gave a scored answer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorSums {
    pub means: Sums,
    pub at_risk: u32,
}

/// The latest response of a group: its order (the stored response's id, or its position) and
/// the values of the group's `value` indicators, in the methodology's order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Latest {
    pub order: i64,
    pub values: Vec<Option<f64>>,
}

impl Tally {
    /// Places every latest response of the tally at `order` (a stored response's id).
    pub fn set_order(&mut self, order: i64) {
        for latest in self.latest.iter_mut().flatten() {
            latest.order = order;
        }
    }

    /// Adds another tally (of the same methodology): counts and sums add up, the later of two
    /// latest responses counts.
    pub fn merge(&mut self, other: &Tally) {
        for (a, b) in self.counts.iter_mut().zip(other.counts) {
            *a += b;
        }
        merge_all(&mut self.indicators, &other.indicators, |a, b| {
            a.means.merge(&b.means);
            a.at_risk += b.at_risk;
        });
        for (a, b) in self.latest.iter_mut().zip(&other.latest) {
            if let Some(b) = b {
                if a.as_ref().is_none_or(|a| b.order > a.order) {
                    *a = Some(b.clone());
                }
            }
        }
        self.teachers += other.teachers;
        merge_all(&mut self.bands, &other.bands, |a, b| {
            merge_all(a, b, |x, y| *x += y);
        });
    }
}

/// Adds `other` into `into` position by position, growing `into` to `other`'s length.
pub(crate) fn merge_all<T: Clone + Default>(
    into: &mut Vec<T>,
    other: &[T],
    add: impl Fn(&mut T, &T),
) {
    if into.len() < other.len() {
        into.resize(other.len(), T::default());
    }
    for (a, b) in into.iter_mut().zip(other) {
        add(a, b);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_in_any_order_are_identical() {
        let xs = [0.33, 0.67, 1.0 - 0.67, 0.1, 0.2, 0.7, 0.25, 0.5];
        let mut forward = Sums::default();
        xs.iter().for_each(|x| forward.add(*x));
        let mut backward = Sums::default();
        xs.iter().rev().for_each(|x| backward.add(*x));
        let (mut a, mut b) = (Sums::default(), Sums::default());
        xs[..3].iter().for_each(|x| a.add(*x));
        xs[3..].iter().for_each(|x| b.add(*x));
        b.merge(&a);
        assert_eq!(forward, backward);
        assert_eq!(forward, b);
    }

    #[test]
    fn variance_and_sums_match_the_formula() {
        let xs = [0.0, 0.25, 0.5, 1.0];
        let mut s = Sums::default();
        xs.iter().for_each(|x| s.add(*x));
        let mean = 1.75 / 4.0;
        let expected = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / 3.0;
        assert!((s.variance() - expected).abs() < 1e-15);
        assert!((s.sum() - 1.75).abs() < 1e-15);
        assert!((s.squares() - (0.0625 + 0.25 + 1.0)).abs() < 1e-15);
    }

    #[test]
    fn sums_survive_json() {
        let mut s = Sums::default();
        [0.33, 0.9].iter().for_each(|x| s.add(*x));
        let text = serde_json::to_string(&s).expect("json");
        assert_eq!(serde_json::from_str::<Sums>(&text).expect("back"), s);
    }

    #[test]
    fn a_tally_stored_before_a_group_was_added_is_read_with_the_new_group_empty() {
        let stored = r#"{"counts":[1,2,3,4,5],"indicators":[],"latest":[null,null,null,null,null],"teachers":5,"bands":[]}"#;
        let tally: Tally = serde_json::from_str(stored).expect("an older tally reads");
        assert_eq!(tally.counts, [1, 2, 3, 4, 5, 0]);
        let again: Tally =
            serde_json::from_str(&serde_json::to_string(&tally).expect("json")).expect("reads");
        assert_eq!(again, tally);
        let too_long = stored.replace("[1,2,3,4,5]", "[1,2,3,4,5,6,7]");
        assert!(serde_json::from_str::<Tally>(&too_long).is_err());
    }
}
