//! Selecting schools by their results: the region's percentiles of each assessment and year, the
//! candidates for the low-results list with the reasons that put each there, the schools that meet
//! the criteria for leaving it, and peer groups (like with like) with a school's place in its
//! group. Only figures with at least the minimum of participants take part anywhere.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{estimate, objectivity_flag, value, ResultIndicator, Results, SchoolResults};
use crate::cutoff::TOLERANCE;

/// What the methodology knows of a school's conditions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Context {
    /// A settlement key of `results.toml`.
    pub settlement: Option<String>,
    /// Students (expected in the latest campaign).
    pub students: Option<u32>,
    /// The principal's indicators named by the context rules, by key.
    pub indicators: BTreeMap<String, f64>,
}

impl Context {
    /// The context rules the school meets (difficult social conditions when any).
    pub fn signs<'a>(&self, r: &'a Results) -> Vec<(&'a str, f64)> {
        r.context
            .iter()
            .filter_map(|c| {
                let v = *self.indicators.get(&c.indicator)?;
                crate::cutoff::reaches(v, c.from).then_some((c.indicator.as_str(), v))
            })
            .collect()
    }

    fn size_band(&self, r: &Results) -> Option<usize> {
        self.students
            .map(|n| r.peers.size_below.iter().take_while(|b| n >= **b).count())
    }
}

/// A school's peer group: the schools that share what the group keeps (a `None` was dropped to
/// reach the minimum of schools).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeerGroup {
    pub settlement: Option<Option<String>>,
    pub size_band: Option<Option<usize>>,
    pub difficult: Option<bool>,
    pub schools: Vec<String>,
}

/// Every school's peer group: settlement, size band and conditions, widened step by step (without
/// the size, then without the conditions, then the whole region) until it holds the minimum.
pub fn peer_groups(
    r: &Results,
    contexts: &BTreeMap<String, Context>,
) -> BTreeMap<String, PeerGroup> {
    type Key = (Option<Option<String>>, Option<Option<usize>>, Option<bool>);
    let keys: BTreeMap<&String, (Option<String>, Option<usize>, bool)> = contexts
        .iter()
        .map(|(s, c)| {
            (
                s,
                (c.settlement.clone(), c.size_band(r), !c.signs(r).is_empty()),
            )
        })
        .collect();
    let widenings = |full: &(Option<String>, Option<usize>, bool)| -> [Key; 4] {
        [
            (Some(full.0.clone()), Some(full.1), Some(full.2)),
            (Some(full.0.clone()), None, Some(full.2)),
            (Some(full.0.clone()), None, None),
            (None, None, None),
        ]
    };
    let members = |key: &Key| -> Vec<String> {
        keys.iter()
            .filter(|(_, k)| {
                key.0.as_ref().is_none_or(|s| *s == k.0)
                    && key.1.is_none_or(|b| b == k.1)
                    && key.2.is_none_or(|d| d == k.2)
            })
            .map(|(s, _)| (*s).clone())
            .collect()
    };
    let mut cache: BTreeMap<Key, Vec<String>> = BTreeMap::new();
    keys.iter()
        .map(|(school, full)| {
            let steps = widenings(full);
            let last = steps.len() - 1;
            for (i, key) in steps.into_iter().enumerate() {
                let schools = cache
                    .entry(key.clone())
                    .or_insert_with(|| members(&key))
                    .clone();
                if schools.len() as u32 >= r.peers.min_schools || i == last {
                    return (
                        (*school).clone(),
                        PeerGroup {
                            settlement: key.0,
                            size_band: key.1,
                            difficult: key.2,
                            schools,
                        },
                    );
                }
            }
            unreachable!("the last widening always returns")
        })
        .collect()
}

/// The `p`-th percentile (0–100) of values, interpolated between the nearest ranks; `None` of none.
pub fn percentile(values: &[f64], p: f64) -> Option<f64> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    percentile_of_sorted(&sorted, p)
}

/// `percentile` of values already sorted (and finite).
fn percentile_of_sorted(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p.clamp(0.0, 100.0) / 100.0) * (sorted.len() - 1) as f64;
    let (below, above) = (rank.floor() as usize, rank.ceil() as usize);
    let weight = rank - below as f64;
    Some(sorted[below] + (sorted[above] - sorted[below]) * weight)
}

/// The shown values of an indicator for an assessment and year over `schools`, sorted.
fn values_of<'a>(
    r: &Results,
    all: &BTreeMap<String, SchoolResults>,
    schools: impl Iterator<Item = &'a String>,
    assessment: &str,
    year: u16,
    indicator: ResultIndicator,
) -> Vec<f64> {
    let Some(a) = r.assessment(assessment) else {
        return Vec::new();
    };
    let key = (assessment.to_owned(), year);
    let mut values: Vec<f64> = schools
        .filter_map(|s| value(r, a, all.get(s)?.get(&key)?, indicator))
        .filter(|v| v.is_finite())
        .collect();
    values.sort_by(f64::total_cmp);
    values
}

/// A school's place among its peers for one indicator, assessment and year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeerPosition {
    /// 1 is the best.
    pub place: u32,
    /// Peers with a shown figure (the school included).
    pub of: u32,
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
    pub region_median: f64,
    /// Better than the peers' median beyond the school's own uncertainty.
    pub better_than_peers: bool,
    /// Worse than the region's median.
    pub below_region: bool,
}

/// Where a school stands in its peer group; `None` when the school has no shown figure or the
/// group has fewer shown figures than the minimum of schools (a quartile of three schools is
/// nearly one school's own figure).
#[allow(clippy::too_many_arguments)]
pub fn peer_position(
    r: &Results,
    all: &BTreeMap<String, SchoolResults>,
    group: &PeerGroup,
    school: &str,
    assessment: &str,
    year: u16,
    indicator: ResultIndicator,
    confidence: f64,
) -> Option<PeerPosition> {
    let a = r.assessment(assessment)?;
    let own = estimate(
        r,
        a,
        all.get(school)?.get(&(assessment.to_owned(), year))?,
        indicator,
        confidence,
    )?;
    let values = values_of(r, all, group.schools.iter(), assessment, year, indicator);
    let region = values_of(r, all, all.keys(), assessment, year, indicator);
    position(r, indicator, &own, &values, &region)
}

/// The standings of one indicator, assessment and year: every shown value by school, sorted by
/// value — what a page reads many peer positions from without computing each value again.
pub fn standings(
    r: &Results,
    all: &BTreeMap<String, SchoolResults>,
    assessment: &str,
    year: u16,
    indicator: ResultIndicator,
) -> Vec<(String, f64)> {
    let Some(a) = r.assessment(assessment) else {
        return Vec::new();
    };
    let key = (assessment.to_owned(), year);
    let mut out: Vec<(String, f64)> = all
        .iter()
        .filter_map(|(s, mine)| value(r, a, mine.get(&key)?, indicator).map(|v| (s.clone(), v)))
        .filter(|(_, v)| v.is_finite())
        .collect();
    out.sort_by(|x, y| x.1.total_cmp(&y.1));
    out
}

/// A school's place given its own figure and the sorted values of its peers and of the region;
/// `None` when the peers are fewer than the minimum of schools.
pub fn position(
    r: &Results,
    indicator: ResultIndicator,
    own: &super::Estimate,
    values: &[f64],
    region: &[f64],
) -> Option<PeerPosition> {
    if (values.len() as u32) < r.peers.min_schools {
        return None;
    }
    let better = |x: f64, y: f64| {
        if indicator.lower_is_better() {
            x < y - TOLERANCE
        } else {
            x > y + TOLERANCE
        }
    };
    let median = percentile_of_sorted(values, 50.0)?;
    let region_median = percentile_of_sorted(region, 50.0)?;
    let worst_own = own.interval.map_or(own.value, |i| {
        if indicator.lower_is_better() {
            i.high
        } else {
            i.low
        }
    });
    Some(PeerPosition {
        place: 1 + values.iter().filter(|v| better(**v, own.value)).count() as u32,
        of: values.len() as u32,
        q1: percentile_of_sorted(values, 25.0)?,
        median,
        q3: percentile_of_sorted(values, 75.0)?,
        region_median,
        better_than_peers: better(worst_own, median),
        below_region: better(region_median, own.value),
    })
}

/// Why a school is on the candidate list, or flagged on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Reason {
    /// Its share of «2» above the percentile of the region (or its peers).
    HighFail {
        year: u16,
        assessment: String,
        value: f64,
        threshold: f64,
    },
    /// Marks far below the journal's.
    Objectivity {
        year: u16,
        assessment: String,
        value: f64,
    },
    /// Difficult social conditions.
    Conditions { indicator: String, value: f64 },
}

/// A school the criteria single out in a year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub school: String,
    /// Whether the entry criterion holds (otherwise only flags).
    pub enters: bool,
    pub reasons: Vec<Reason>,
}

/// The thresholds of the entry criterion: per school, assessment and year, the percentile of the
/// share of «2» over the region (or the school's peers).
fn entry_threshold(
    r: &Results,
    all: &BTreeMap<String, SchoolResults>,
    groups: &BTreeMap<String, PeerGroup>,
    school: &str,
    assessment: &str,
    year: u16,
    memo: &mut BTreeMap<(Vec<String>, String, u16), Option<f64>>,
) -> Option<f64> {
    let over: Vec<String> = if r.entry.peer_relative {
        groups
            .get(school)
            .map(|g| g.schools.clone())
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    memo.entry((over.clone(), assessment.to_owned(), year))
        .or_insert_with(|| {
            let values = if over.is_empty() {
                values_of(r, all, all.keys(), assessment, year, ResultIndicator::Fail)
            } else {
                values_of(r, all, over.iter(), assessment, year, ResultIndicator::Fail)
            };
            if (values.len() as u32) < r.peers.min_schools {
                return None;
            }
            percentile_of_sorted(&values, r.entry.percentile)
        })
        .to_owned()
}

/// The schools the criteria single out in `year`: those that enter the low-results list (with
/// every year and subject that put them there) and those flagged for objectivity or conditions.
pub fn candidates(
    r: &Results,
    all: &BTreeMap<String, SchoolResults>,
    contexts: &BTreeMap<String, Context>,
    groups: &BTreeMap<String, PeerGroup>,
    year: u16,
    confidence: f64,
) -> Vec<Candidate> {
    let mut memo = BTreeMap::new();
    let first = year.saturating_sub(r.entry.years.saturating_sub(1) as u16);
    let mut out = Vec::new();
    for (school, results) in all {
        let mut reasons = Vec::new();
        let mut every_year = true;
        for y in first..=year {
            let mut subjects = BTreeSet::new();
            for ((key, at), figures) in results.iter().filter(|((_, at), _)| *at == y) {
                let Some(a) = r.assessment(key) else { continue };
                let Some(fail) = value(r, a, figures, ResultIndicator::Fail) else {
                    continue;
                };
                let threshold = entry_threshold(r, all, groups, school, key, *at, &mut memo);
                if let Some(t) = threshold.filter(|t| fail > t + TOLERANCE) {
                    subjects.insert(a.subject.clone());
                    reasons.push(Reason::HighFail {
                        year: y,
                        assessment: key.clone(),
                        value: fail,
                        threshold: t,
                    });
                }
            }
            if (subjects.len() as u32) < r.entry.subjects {
                every_year = false;
            }
        }
        let enters = every_year;
        if !enters {
            reasons.clear();
        }
        for ((key, at), figures) in results.iter().filter(|((_, at), _)| *at == year) {
            let Some(a) = r.assessment(key) else { continue };
            if objectivity_flag(r, a, figures, confidence) {
                let value = estimate(r, a, figures, ResultIndicator::Lowered, confidence)
                    .map_or(0.0, |e| e.value);
                reasons.push(Reason::Objectivity {
                    year: *at,
                    assessment: key.clone(),
                    value,
                });
            }
        }
        if enters || !reasons.is_empty() {
            if let Some(c) = contexts.get(school) {
                for (indicator, value) in c.signs(r) {
                    reasons.push(Reason::Conditions {
                        indicator: indicator.to_owned(),
                        value,
                    });
                }
            }
            out.push(Candidate {
                school: school.clone(),
                enters,
                reasons,
            });
        }
    }
    out
}

/// The schools that meet the criteria for leaving the list in `year`: in each of the exit rule's
/// years they have shown results, and every shown share of «2» is at or below the region's
/// percentile of its assessment.
pub fn exits(r: &Results, all: &BTreeMap<String, SchoolResults>, year: u16) -> BTreeSet<String> {
    let first = year.saturating_sub(r.exit.years.saturating_sub(1) as u16);
    let mut thresholds: BTreeMap<(String, u16), Option<f64>> = BTreeMap::new();
    let mut out = BTreeSet::new();
    'schools: for (school, results) in all {
        for y in first..=year {
            let mut shown = 0;
            for ((key, _), figures) in results.iter().filter(|((_, at), _)| *at == y) {
                let Some(a) = r.assessment(key) else { continue };
                let Some(fail) = value(r, a, figures, ResultIndicator::Fail) else {
                    continue;
                };
                shown += 1;
                let t = thresholds
                    .entry((key.clone(), y))
                    .or_insert_with(|| {
                        let values = values_of(r, all, all.keys(), key, y, ResultIndicator::Fail);
                        percentile_of_sorted(&values, r.exit.percentile)
                    })
                    .to_owned();
                if t.is_none_or(|t| fail > t + TOLERANCE) {
                    continue 'schools;
                }
            }
            if shown == 0 {
                continue 'schools;
            }
        }
        out.insert(school.clone());
    }
    out
}
