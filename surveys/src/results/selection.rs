//! Selecting schools by their results: the region's percentiles of each assessment and year, the
//! candidates for the low-results list with the reasons that put each there, the schools that meet
//! the criteria for leaving it, and peer groups (like with like) with a school's place in its
//! group. Only figures with at least the minimum of participants take part anywhere.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

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
/// reach the minimum of schools). The members are shared by every school of the group: a
/// region of 10,000 schools in one group would otherwise hold 10,000 lists of 10,000 codes.
#[derive(Debug, Clone, PartialEq)]
pub struct PeerGroup {
    pub settlement: Option<Option<String>>,
    pub size_band: Option<Option<usize>>,
    pub difficult: Option<bool>,
    pub schools: Arc<[String]>,
}

/// What sets a peer group apart: the settlement, the size band and the conditions it keeps.
pub type GroupKey = (Option<Option<String>>, Option<Option<usize>>, Option<bool>);

impl PeerGroup {
    /// What the group keeps: the same for every school of the group, and only for them.
    pub fn key(&self) -> GroupKey {
        (self.settlement.clone(), self.size_band, self.difficult)
    }
}

/// Every school's peer group: settlement, size band and conditions, widened step by step (without
/// the size, then without the conditions, then the whole region) until it holds the minimum.
pub fn peer_groups(
    r: &Results,
    contexts: &BTreeMap<String, Context>,
) -> BTreeMap<String, PeerGroup> {
    type Key = GroupKey;
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
    let members = |key: &Key| -> Arc<[String]> {
        keys.iter()
            .filter(|(_, k)| {
                key.0.as_ref().is_none_or(|s| *s == k.0)
                    && key.1.is_none_or(|b| b == k.1)
                    && key.2.is_none_or(|d| d == k.2)
            })
            .map(|(s, _)| (*s).clone())
            .collect()
    };
    let mut cache: BTreeMap<Key, Arc<[String]>> = BTreeMap::new();
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

/// The shown values of an indicator for an assessment and year over `schools`, sorted: what a
/// page reads many peer positions from without computing each value again.
pub fn shown_values<'a>(
    r: &Results,
    schools: impl Iterator<Item = &'a SchoolResults>,
    assessment: &str,
    year: u16,
    indicator: ResultIndicator,
) -> Vec<f64> {
    let Some(a) = r.assessment(assessment) else {
        return Vec::new();
    };
    sorted_values(
        r,
        a,
        schools.filter_map(|mine| mine.get(assessment, year)),
        indicator,
    )
}

/// The shown values of an indicator over figures of one assessment, sorted.
pub fn sorted_values<'a>(
    r: &Results,
    a: &super::Assessment,
    figures: impl Iterator<Item = &'a super::Figures>,
    indicator: ResultIndicator,
) -> Vec<f64> {
    let mut values: Vec<f64> = figures
        .filter_map(|f| value(r, a, f, indicator))
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
        all.get(school)?.get(assessment, year)?,
        indicator,
        confidence,
    )?;
    let members = group.schools.iter().filter_map(|s| all.get(s));
    let values = shown_values(r, members, assessment, year, indicator);
    let region = shown_values(r, all.values(), assessment, year, indicator);
    position(r, indicator, &own, &values, &region)
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

/// The catalogue's assessments by key, for the loops over a region's results (the catalogue's
/// own lookup reads its list in order).
fn by_key(r: &Results) -> HashMap<&str, &super::Assessment> {
    r.assessments.iter().map(|a| (a.key.as_str(), a)).collect()
}

/// Every shown share of «2» of the schools given, by assessment and year, each list sorted: one
/// pass over their results gives the thresholds of every assessment and year at once.
type Columns<'a> = HashMap<(&'a str, u16), Vec<f64>>;

fn fail_columns<'a>(
    r: &Results,
    catalogue: &HashMap<&str, &super::Assessment>,
    schools: impl Iterator<Item = &'a SchoolResults>,
) -> Columns<'a> {
    let mut out: Columns<'a> = HashMap::new();
    for mine in schools {
        for (key, year, f) in mine.iter() {
            let Some(a) = catalogue.get(key) else {
                continue;
            };
            if let Some(v) = value(r, a, f, ResultIndicator::Fail).filter(|v| v.is_finite()) {
                out.entry((key, year)).or_default().push(v);
            }
        }
    }
    for values in out.values_mut() {
        values.sort_by(f64::total_cmp);
    }
    out
}

/// The percentile `p` of a column, `None` under `fewest` values.
fn threshold(columns: &Columns<'_>, key: &str, year: u16, p: f64, fewest: u32) -> Option<f64> {
    let values = columns.get(&(key, year))?;
    if (values.len() as u32) < fewest {
        return None;
    }
    percentile_of_sorted(values, p)
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
    let catalogue = by_key(r);
    // The entry thresholds: over the region, or over each peer group (computed once a group).
    let region = fail_columns(r, &catalogue, all.values());
    let mut of_group: HashMap<GroupKey, Columns<'_>> = HashMap::new();
    let first = year.saturating_sub(r.entry.years.saturating_sub(1) as u16);
    let mut out = Vec::new();
    for (school, results) in all {
        let columns = match groups.get(school).filter(|_| r.entry.peer_relative) {
            Some(g) => &*of_group.entry(g.key()).or_insert_with(|| {
                fail_columns(r, &catalogue, g.schools.iter().filter_map(|s| all.get(s)))
            }),
            None => &region,
        };
        let mut reasons = Vec::new();
        let mut every_year = true;
        for y in first..=year {
            let mut subjects = BTreeSet::new();
            for (key, _, figures) in results.iter().filter(|(_, at, _)| *at == y) {
                let Some(a) = catalogue.get(key) else {
                    continue;
                };
                let Some(fail) = value(r, a, figures, ResultIndicator::Fail) else {
                    continue;
                };
                let threshold = threshold(columns, key, y, r.entry.percentile, r.peers.min_schools);
                if let Some(t) = threshold.filter(|t| fail > t + TOLERANCE) {
                    subjects.insert(a.subject.clone());
                    reasons.push(Reason::HighFail {
                        year: y,
                        assessment: key.to_owned(),
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
        for (key, _, figures) in results.iter().filter(|(_, at, _)| *at == year) {
            let Some(a) = catalogue.get(key) else {
                continue;
            };
            if objectivity_flag(r, a, figures, confidence) {
                let value = estimate(r, a, figures, ResultIndicator::Lowered, confidence)
                    .map_or(0.0, |e| e.value);
                reasons.push(Reason::Objectivity {
                    year,
                    assessment: key.to_owned(),
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
    let catalogue = by_key(r);
    let region = fail_columns(r, &catalogue, all.values());
    let first = year.saturating_sub(r.exit.years.saturating_sub(1) as u16);
    let mut out = BTreeSet::new();
    'schools: for (school, results) in all {
        for y in first..=year {
            let mut shown = 0;
            for (key, _, figures) in results.iter().filter(|(_, at, _)| *at == y) {
                let Some(a) = catalogue.get(key) else {
                    continue;
                };
                let Some(fail) = value(r, a, figures, ResultIndicator::Fail) else {
                    continue;
                };
                shown += 1;
                let t = threshold(&region, key, y, r.exit.percentile, 1);
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
