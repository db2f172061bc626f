//! Indicators: how the answers of one respondent group become a value, and the value a risk.

use serde::Deserialize;

use crate::cutoff;
use crate::factor::FactorCode;
use crate::formula::Formula;
use crate::instrument::Group;
use crate::text::Text;
use crate::Key;

/// How an indicator's value is computed from its group's answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// Mean over respondents of each one's mean item score.
    Mean,
    /// Share of respondents with any linked item scored at or above `at_risk_from`.
    Share,
    /// A principal's number, or a formula over the principal's answers.
    Value,
}

/// One indicator as written in `indicators.toml`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub key: Key,
    pub factor: FactorCode,
    pub group: Group,
    pub aggregation: Aggregation,
    /// `value` indicators: the formula over principal item keys.
    pub formula: Option<String>,
    /// `share` indicators: an item score from which a respondent counts as at risk.
    #[serde(default = "default_at_risk_from")]
    pub at_risk_from: f64,
    /// The value with no risk, and the value with full risk; linear between, clamped.
    pub ok: f64,
    pub critical: f64,
    #[serde(default = "default_weight")]
    pub weight: f64,
    /// How to read the value: `share` (shown as %), `score` (0–1) or `number`.
    #[serde(default)]
    pub display: Display,
    pub name: Text,
    #[serde(skip)]
    pub parsed_formula: Option<Formula>,
}

/// How an indicator value is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Display {
    #[default]
    Score,
    Share,
    Number,
}

fn default_at_risk_from() -> f64 {
    0.5
}

fn default_weight() -> f64 {
    1.0
}

impl Indicator {
    /// A value in the units people read and type it in: a share in percent, a score or a number
    /// as it is.
    pub fn to_typed(&self, value: f64) -> f64 {
        match self.display {
            Display::Share => value * 100.0,
            _ => value,
        }
    }

    /// A value typed in the indicator's units, back in its own.
    pub fn from_typed(&self, typed: f64) -> f64 {
        match self.display {
            Display::Share => typed / 100.0,
            _ => typed,
        }
    }

    /// Risk in [0,1] of a value: 0 at `ok`, 1 at `critical`, linear between and clamped. With
    /// `ok == critical` it is a pure threshold: risk 1 from `critical` upwards. A value on `ok` or
    /// `critical` (within `cutoff::TOLERANCE`) has risk exactly 0 or 1.
    pub fn risk(&self, value: f64) -> f64 {
        if self.ok == self.critical {
            return if cutoff::reaches(value, self.critical) {
                1.0
            } else {
                0.0
            };
        }
        if cutoff::on(value, self.critical) {
            return 1.0;
        }
        if cutoff::on(value, self.ok) {
            return 0.0;
        }
        ((value - self.ok) / (self.critical - self.ok)).clamp(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn indicator(ok: f64, critical: f64) -> Indicator {
        Indicator {
            key: "k".into(),
            factor: FactorCode("RF01".into()),
            group: Group::Principal,
            aggregation: Aggregation::Value,
            formula: None,
            at_risk_from: 0.5,
            ok,
            critical,
            weight: 1.0,
            display: Display::Number,
            name: Text {
                ru: "к".into(),
                en: "k".into(),
            },
            parsed_formula: None,
        }
    }

    #[test]
    fn risk_is_linear_between_ok_and_critical_and_clamped() {
        let rising = indicator(0.1, 0.5);
        assert_eq!(rising.risk(0.0), 0.0);
        assert!((rising.risk(0.3) - 0.5).abs() < 1e-12);
        assert_eq!(rising.risk(0.9), 1.0);
        // Fewer computers per student is worse: ok above critical.
        let falling = indicator(0.2, 0.05);
        assert_eq!(falling.risk(0.25), 0.0);
        assert!((falling.risk(0.125) - 0.5).abs() < 1e-12);
        assert_eq!(falling.risk(0.01), 1.0);
    }

    #[test]
    fn equal_ok_and_critical_is_a_threshold() {
        let threshold = indicator(0.3, 0.3);
        assert_eq!(threshold.risk(0.29), 0.0);
        assert_eq!(threshold.risk(0.3), 1.0);
        // A value on the threshold by another arithmetic is on it.
        let reversed = indicator(0.33, 0.33);
        assert_eq!(reversed.risk(1.0 - 0.67), 1.0);
    }

    #[test]
    fn a_value_on_ok_or_critical_has_risk_exactly_zero_or_one() {
        let rising = indicator(0.1, 0.33);
        assert_eq!(rising.risk(1.0 - 0.67), 1.0);
        let falling = indicator(0.33, 0.1);
        assert_eq!(falling.risk(1.0 - 0.67), 0.0);
    }
}
