//! The methodology's rules as data: risk levels with cut-offs and colours, and per-group
//! minimum respondents and response-rate floors.

use serde::Deserialize;

use crate::cutoff;
use crate::instrument::Group;
use crate::text::Text;
use crate::Key;

/// A risk level of a factor: scores below `below` (and at or above the previous level's
/// cut-off) get it; the last level has no `below`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub key: Key,
    pub below: Option<f64>,
    /// `#rrggbb`, used on screens and in exports.
    pub colour: String,
    pub name: Text,
}

/// Data-sufficiency rules of one respondent group.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupRule {
    /// Fewest answers before anything is computed from the group (default: the set's minimum).
    pub min_respondents: Option<u32>,
    /// Smallest share of the expected respondents that must have answered (0 for none).
    #[serde(default)]
    pub response_rate_floor: f64,
}

/// The whole `methodology.toml`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    pub methodology: String,
    pub title: Text,
    /// The minimum number of respondents behind any aggregate of an anonymous group.
    pub min_respondents: u32,
    /// A group code's submissions beyond this percentage of the expected respondents are held
    /// for a coordinator's decision instead of entering profiles (default 120).
    #[serde(default = "default_surplus_percent")]
    pub surplus_percent: u32,
    /// The confidence level of every interval (default 0.9).
    #[serde(default = "default_confidence")]
    pub confidence: f64,
    /// The scale of the Laplace noise on each of a group's sums in the figures a code holder
    /// reads (`privacy`); 0 for none (default 2).
    #[serde(default = "default_privacy_noise")]
    pub privacy_noise: f64,
    /// Groups smaller than this get proportionally more noise: `privacy_noise × this / n`
    /// (default 40; a group of 5 gets eight times the noise of one of 40 or more).
    #[serde(default = "default_privacy_noise_group")]
    pub privacy_noise_group: u32,
    /// How many actual risks a school may choose for its anti-risk programme (default 3).
    #[serde(default = "default_max_chosen_risks")]
    pub max_chosen_risks: u32,
    #[serde(rename = "level")]
    pub levels: Vec<Level>,
    #[serde(rename = "group", default)]
    pub groups: std::collections::BTreeMap<Group, GroupRule>,
}

fn default_surplus_percent() -> u32 {
    120
}

fn default_confidence() -> f64 {
    0.9
}

fn default_privacy_noise() -> f64 {
    crate::privacy::DEFAULT_NOISE
}

fn default_privacy_noise_group() -> u32 {
    crate::privacy::DEFAULT_NOISE_GROUP
}

fn default_max_chosen_risks() -> u32 {
    3
}

/// No anonymous aggregate may rest on fewer respondents than this, whatever a set says.
pub const PRIVACY_FLOOR: u32 = 3;

impl Rules {
    /// The level of a factor score.
    pub fn level(&self, score: f64) -> &Level {
        self.levels
            .iter()
            .find(|l| l.below.is_none_or(|b| !cutoff::reaches(score, b)))
            .unwrap_or_else(|| &self.levels[self.levels.len() - 1])
    }

    pub fn level_index(&self, key: &str) -> Option<usize> {
        self.levels.iter().position(|l| l.key == key)
    }

    /// Fewest respondents of a group before its answers are used.
    pub fn min_respondents(&self, group: Group) -> u32 {
        let own = self.groups.get(&group).and_then(|r| r.min_respondents);
        let min = own.unwrap_or(self.min_respondents);
        if group.is_anonymous() {
            min.max(PRIVACY_FLOOR)
        } else {
            min.max(1)
        }
    }

    /// How many submissions a group code may receive before further ones are held: the
    /// expected count times `surplus_percent`, rounded down (integers, so exact).
    pub fn surplus_limit(&self, expected: u32) -> u64 {
        u64::from(expected) * u64::from(self.surplus_percent) / 100
    }

    pub fn response_rate_floor(&self, group: Group) -> f64 {
        self.groups
            .get(&group)
            .map_or(0.0, |r| r.response_rate_floor)
    }
}

#[cfg(test)]
mod tests {
    use crate::Methodology;

    #[test]
    fn the_surplus_limit_is_the_expected_count_times_the_percentage_rounded_down() {
        let m = Methodology::default_set().expect("the shipped set loads");
        assert_eq!(m.rules.surplus_percent, 120);
        assert_eq!(m.rules.surplus_limit(25), 30);
        assert_eq!(m.rules.surplus_limit(5), 6);
        assert_eq!(m.rules.surplus_limit(3), 3);
        assert_eq!(m.rules.surplus_limit(0), 0);
    }
}
