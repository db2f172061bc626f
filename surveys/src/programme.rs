//! Anti-risk programmes as the methodology sees them: which factors a school's profile suggests
//! as its actual risks (those above the lowest level, with their weakest indicators), the default
//! target of an indicator (the value whose risk is the cut-off of the level below the factor's),
//! and whether a target was achieved in a later campaign's published profile. The server keeps
//! programmes; every figure about them is computed here.

use serde::{Deserialize, Serialize};

use crate::cutoff;
use crate::factor::FactorCode;
use crate::indicator::Indicator;
use crate::methodology::Methodology;
use crate::profile::{IndicatorResult, SchoolProfile};

/// How many of its weakest indicators a suggested factor names.
pub const WEAKEST: usize = 3;

/// A factor the profile suggests as an actual risk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub factor: FactorCode,
    pub score: f64,
    pub level: String,
    /// Keys of its indicators with the highest risk, highest first.
    pub weakest: Vec<String>,
}

/// Factors above the lowest level, riskiest first, each with its weakest indicators.
pub fn suggestions(m: &Methodology, profile: &SchoolProfile) -> Vec<Suggestion> {
    let lowest = m.rules.levels.first().map(|l| l.key.as_str());
    let mut list: Vec<Suggestion> = profile
        .factors
        .iter()
        .filter_map(|f| {
            let (score, level) = (f.score?, f.level.clone()?);
            if Some(level.as_str()) == lowest {
                return None;
            }
            let mut risky: Vec<&IndicatorResult> = profile
                .indicators
                .iter()
                .filter(|i| i.factor == f.code && i.risk.is_some_and(|r| r > 0.0))
                .collect();
            risky.sort_by(|a, b| {
                b.risk
                    .partial_cmp(&a.risk)
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
            Some(Suggestion {
                factor: f.code.clone(),
                score,
                level: level.to_string(),
                weakest: risky
                    .iter()
                    .take(WEAKEST)
                    .map(|i| i.key.to_string())
                    .collect(),
            })
        })
        .collect();
    list.sort_by(|a, b| {
        b.score
            .partial_cmp(&a.score)
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    list
}

/// Which way an indicator improves: its value goes down (risk rises with the value, and for a
/// threshold) or up (`ok` above `critical`).
fn lower_is_better(indicator: &Indicator) -> bool {
    indicator.critical >= indicator.ok
}

/// The default target of an indicator of a factor at `level`: the value whose risk is the
/// cut-off between that level and the one below (risk is linear between `ok` and `critical`).
/// For a threshold indicator (`ok = critical`) the target is to be under the threshold. `None`
/// for a factor at the lowest level.
pub fn default_target(m: &Methodology, indicator: &Indicator, level: &str) -> Option<f64> {
    let index = m.rules.level_index(level)?;
    let below = m.rules.levels.get(index.checked_sub(1)?)?.below?;
    if indicator.ok == indicator.critical {
        return Some(indicator.critical);
    }
    Some(indicator.ok + below * (indicator.critical - indicator.ok))
}

/// Whether a target was met by the value of a later published profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Achievement {
    Achieved,
    NotAchieved,
    /// «недостаточно данных»: the later profile has no value for the indicator.
    InsufficientData,
}

/// The verdict on a target, and how sure it is.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    pub achievement: Achievement,
    /// The later value.
    pub actual: Option<f64>,
    /// `Some(true)` when the whole interval of the later value is on the same side of the target
    /// as the value, `Some(false)` when the interval straddles it (the verdict may be chance),
    /// `None` without an interval (a principal's number, which is exact).
    pub beyond_uncertainty: Option<bool>,
}

/// Judges a target against the later profile's result for its indicator. A value on the target
/// (within `cutoff::TOLERANCE`) achieves it; for a threshold indicator the value must be under
/// the threshold.
pub fn judge(indicator: &Indicator, target: f64, later: Option<&IndicatorResult>) -> Verdict {
    let Some(value) = later.and_then(|r| r.value) else {
        return Verdict {
            achievement: Achievement::InsufficientData,
            actual: None,
            beyond_uncertainty: None,
        };
    };
    let threshold = indicator.ok == indicator.critical;
    let meets = |v: f64| {
        if threshold {
            !cutoff::reaches(v, indicator.critical)
        } else if lower_is_better(indicator) {
            cutoff::reaches(target, v)
        } else {
            cutoff::reaches(v, target)
        }
    };
    let achieved = meets(value);
    let beyond_uncertainty = later
        .and_then(|r| r.interval)
        .map(|i| meets(i.low) == achieved && meets(i.high) == achieved);
    Verdict {
        achievement: if achieved {
            Achievement::Achieved
        } else {
            Achievement::NotAchieved
        },
        actual: Some(value),
        beyond_uncertainty,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instrument::Group;
    use crate::profile::FactorResult;
    use crate::stats::Interval;

    fn indicator(ok: f64, critical: f64) -> Indicator {
        let m = Methodology::default_set().expect("valid");
        Indicator {
            ok,
            critical,
            parsed_formula: None,
            ..m.indicators[0].clone()
        }
    }

    fn result(value: Option<f64>, interval: Option<(f64, f64)>) -> IndicatorResult {
        IndicatorResult {
            key: "k".into(),
            factor: FactorCode("RF01".into()),
            group: Group::Student,
            value,
            risk: None,
            interval: interval.map(|(low, high)| Interval { low, high }),
            risk_interval: None,
            respondents: Some(30),
            insufficient: None,
        }
    }

    #[test]
    fn the_default_target_is_the_value_at_the_cut_off_of_the_level_below() {
        let m = Methodology::default_set().expect("valid");
        // Levels: low below 0.25, medium below 0.5, high.
        let rising = indicator(0.1, 0.5);
        let at = |level| default_target(&m, &rising, level).expect("target");
        assert!((at("high") - 0.3).abs() < 1e-12, "risk 0.5");
        assert!((at("medium") - 0.2).abs() < 1e-12, "risk 0.25");
        assert_eq!(default_target(&m, &rising, "low"), None);
        // Fewer computers per student is worse: the target is above the current value.
        let falling = indicator(0.15, 0.05);
        assert!((default_target(&m, &falling, "high").expect("target") - 0.1).abs() < 1e-12);
        assert_eq!(default_target(&m, &indicator(0.3, 0.3), "high"), Some(0.3));
    }

    #[test]
    fn a_value_on_the_target_achieves_it_whichever_way_the_indicator_improves() {
        let rising = indicator(0.1, 0.5);
        let verdict =
            |i: &Indicator, target, value| judge(i, target, Some(&result(Some(value), None)));
        // 0.1 + 0.2 is 0.30000000000000004: on the target.
        assert_eq!(
            verdict(&rising, 0.3, 0.1 + 0.2).achievement,
            Achievement::Achieved
        );
        assert_eq!(
            verdict(&rising, 0.3, 0.2999).achievement,
            Achievement::Achieved
        );
        assert_eq!(
            verdict(&rising, 0.3, 0.3001).achievement,
            Achievement::NotAchieved
        );
        let falling = indicator(0.15, 0.05);
        // 0.3 − 0.2 is 0.09999999999999998: on the target.
        assert_eq!(
            verdict(&falling, 0.1, 0.3 - 0.2).achievement,
            Achievement::Achieved
        );
        assert_eq!(
            verdict(&falling, 0.1, 0.0999).achievement,
            Achievement::NotAchieved
        );
        assert_eq!(
            verdict(&falling, 0.1, 0.12).achievement,
            Achievement::Achieved
        );
        // A threshold is met under it, not on it.
        let threshold = indicator(0.3, 0.3);
        assert_eq!(
            verdict(&threshold, 0.3, 0.3).achievement,
            Achievement::NotAchieved
        );
        assert_eq!(
            verdict(&threshold, 0.3, 0.2999).achievement,
            Achievement::Achieved
        );
        // No later value: «недостаточно данных».
        let none = judge(&rising, 0.3, Some(&result(None, None)));
        assert_eq!(none.achievement, Achievement::InsufficientData);
        assert_eq!(
            judge(&rising, 0.3, None).achievement,
            Achievement::InsufficientData
        );
    }

    #[test]
    fn a_verdict_says_whether_it_is_beyond_the_uncertainty() {
        let rising = indicator(0.1, 0.5);
        let sure = judge(&rising, 0.3, Some(&result(Some(0.25), Some((0.2, 0.28)))));
        assert_eq!(
            (sure.achievement, sure.beyond_uncertainty),
            (Achievement::Achieved, Some(true))
        );
        let chance = judge(&rising, 0.3, Some(&result(Some(0.25), Some((0.2, 0.35)))));
        assert_eq!(
            (chance.achievement, chance.beyond_uncertainty),
            (Achievement::Achieved, Some(false))
        );
        let exact = judge(&rising, 0.3, Some(&result(Some(0.25), None)));
        assert_eq!(exact.beyond_uncertainty, None);
    }

    #[test]
    fn factors_above_the_lowest_level_are_suggested_riskiest_first_with_their_weakest_indicators() {
        let m = Methodology::default_set().expect("valid");
        let factor = |code: &str, score: f64| FactorResult {
            code: FactorCode(code.into()),
            score: Some(score),
            level: Some(m.rules.level(score).key.clone()),
            interval: None,
            levels_within: Vec::new(),
            indicators: Vec::new(),
        };
        let indicator = |key: &str, code: &str, risk: Option<f64>| IndicatorResult {
            key: key.into(),
            factor: FactorCode(code.into()),
            risk,
            ..result(Some(0.5), None)
        };
        let profile = SchoolProfile {
            school: "s1".into(),
            methodology_version: m.version.clone(),
            groups: Vec::new(),
            indicators: vec![
                indicator("a", "RF01", Some(0.2)),
                indicator("b", "RF01", Some(0.9)),
                indicator("c", "RF01", Some(0.0)),
                indicator("d", "RF02", Some(0.6)),
                indicator("e", "RF03", Some(0.1)),
                indicator("f", "RF01", None),
            ],
            factors: vec![
                factor("RF01", 0.3),
                factor("RF02", 0.7),
                factor("RF03", 0.1),
            ],
        };
        let s = suggestions(&m, &profile);
        let codes: Vec<&str> = s.iter().map(|x| x.factor.0.as_str()).collect();
        assert_eq!(codes, ["RF02", "RF01"], "low RF03 is not suggested");
        assert_eq!(
            s[1].weakest,
            ["b", "a"],
            "riskiest first, none without risk"
        );
        assert_eq!(
            (s[0].level.as_str(), s[1].level.as_str()),
            ("high", "medium")
        );
    }
}
