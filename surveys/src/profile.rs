//! The risk profile of a school in a campaign: indicator values and risks, factor scores and
//! levels, with the minimum-respondent and response-rate rules applied here, so that no caller
//! can show an aggregate the rules forbid.

use serde::{Deserialize, Serialize};

use crate::answers::{Answer, Answers};
use crate::cutoff;
use crate::factor::FactorCode;
use crate::indicator::Aggregation;
use crate::instrument::{Group, Instrument};
use crate::methodology::Methodology;
use crate::privacy::{laplace, Seeds};
use crate::stats::{mean_interval, normal_quantile, widen, wilson_share, Interval};
use crate::tally::{IndicatorSums, Latest, Tally};
use crate::Key;

/// One response as scoring sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub group: Group,
    pub answers: Answers,
}

/// Expected respondents per group (from the campaign), `None` where not planned.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Expected(
    #[serde(with = "crate::instrument::per_group")] pub [Option<u32>; Group::COUNT],
);

impl Expected {
    /// The group's expected count; 0 means «not known» (as an empty cell does), here and so
    /// everywhere: no response-rate floor and no finite-population correction (read as a census
    /// of nobody, it made every interval zero-wide).
    pub fn with(mut self, group: Group, count: u32) -> Expected {
        self.0[group.index()] = Some(count).filter(|&c| c > 0);
        self
    }

    pub fn get(&self, group: Group) -> Option<u32> {
        self.0[group.index()].filter(|&c| c > 0)
    }
}

/// Responses of one respondent group of the school.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupResult {
    pub group: Group,
    pub responses: u32,
    pub expected: Option<u32>,
    /// responses / expected.
    pub rate: Option<f64>,
    pub min_respondents: u32,
    pub rate_floor: f64,
    /// Enough respondents and a high enough response rate for the group's indicators.
    pub sufficient: bool,
}

impl GroupResult {
    /// Some answered, but fewer than the minimum: the count itself must not be published.
    pub fn under_minimum(&self) -> bool {
        self.responses > 0 && self.responses < self.min_respondents
    }
}

/// Why an indicator shows «недостаточно данных».
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum Insufficiency {
    /// Fewer respondents than the minimum (the count itself is not shown).
    TooFewRespondents { min: u32 },
    /// The group's response rate is under its floor.
    LowResponseRate { rate: f64, floor: f64 },
    /// A formula could not be computed (an unanswered number, or a division by zero).
    NoValue,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorResult {
    pub key: Key,
    pub factor: FactorCode,
    pub group: Group,
    pub value: Option<f64>,
    pub risk: Option<f64>,
    /// The value's confidence interval (`Rules::confidence`): Wilson's for a share, Student's t
    /// for a mean, both corrected for the group's expected count; none for a principal's value.
    pub interval: Option<Interval>,
    /// The risk of the interval's ends.
    pub risk_interval: Option<Interval>,
    /// Respondents behind the value; absent when under the minimum.
    pub respondents: Option<u32>,
    pub insufficient: Option<Insufficiency>,
}

impl IndicatorResult {
    pub fn is_sufficient(&self) -> bool {
        self.insufficient.is_none()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FactorResult {
    pub code: FactorCode,
    /// Weighted mean risk of the sufficient indicators; `None` = «недостаточно данных».
    pub score: Option<f64>,
    pub level: Option<Key>,
    /// The score's confidence interval, propagated from its indicators' (taken as independent).
    pub interval: Option<Interval>,
    /// The levels the interval reaches, lowest first; more than one: «уровень неустойчив».
    pub levels_within: Vec<Key>,
    /// Keys of the indicators the score rests on.
    pub indicators: Vec<Key>,
}

impl FactorResult {
    /// Whether the score's interval reaches another level than the score's own.
    pub fn unstable(&self) -> bool {
        self.levels_within.len() > 1
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchoolProfile {
    pub school: String,
    pub methodology_version: Key,
    pub groups: Vec<GroupResult>,
    pub indicators: Vec<IndicatorResult>,
    pub factors: Vec<FactorResult>,
}

impl SchoolProfile {
    pub fn factor(&self, code: &str) -> Option<&FactorResult> {
        self.factors.iter().find(|f| f.code.0 == code)
    }

    pub fn indicator(&self, key: &str) -> Option<&IndicatorResult> {
        self.indicators.iter().find(|i| i.key == key)
    }
}

/// Each scored group's responses against the expected count and its sufficiency rules
/// (minimum respondents, response-rate floor). `counts` are responses per group index.
pub fn group_results(
    m: &Methodology,
    expected: &Expected,
    counts: &[u32; Group::COUNT],
) -> Vec<GroupResult> {
    m.instruments
        .iter()
        .filter(|i| m.indicators.iter().any(|ind| ind.group == i.group))
        .map(|i| {
            let group = i.group;
            let responses = counts[group.index()];
            let expected = expected.get(group);
            let rate = expected
                .filter(|e| *e > 0)
                .map(|e| f64::from(responses) / f64::from(e));
            let min_respondents = m.rules.min_respondents(group);
            let rate_floor = m.rules.response_rate_floor(group);
            GroupResult {
                group,
                responses,
                expected,
                rate,
                min_respondents,
                rate_floor,
                sufficient: responses >= min_respondents
                    && rate.is_none_or(|r| cutoff::reaches(r, rate_floor)),
            }
        })
        .collect()
}

/// How one slot contributes: the indicators it feeds and the risk score of each choice.
#[derive(Debug, Clone)]
struct SlotPlan {
    slot: usize,
    /// Local indicator positions within the group plan.
    indicators: Vec<usize>,
    choice_scores: Vec<Option<f64>>,
}

#[derive(Debug, Clone)]
struct GroupPlan {
    group: Group,
    slots: Vec<SlotPlan>,
    /// Global indices of the group's mean/share indicators.
    indicators: Vec<usize>,
}

/// Scoring compiled once for a methodology set, then applied to any number of schools.
#[derive(Debug, Clone)]
pub struct Scorer<'m> {
    m: &'m Methodology,
    plans: Vec<GroupPlan>,
}

impl<'m> Scorer<'m> {
    pub fn new(m: &'m Methodology) -> Scorer<'m> {
        let mut plans = Vec::new();
        for instrument in &m.instruments {
            let indicators: Vec<usize> = m
                .indicators
                .iter()
                .enumerate()
                .filter(|(_, i)| i.group == instrument.group && i.aggregation != Aggregation::Value)
                .map(|(n, _)| n)
                .collect();
            let mut slots = Vec::new();
            for slot_index in 0..instrument.slots.len() {
                let item = instrument.slot_item(slot_index);
                let (link, reverse) = instrument.slot_link(slot_index);
                let Some(link) = link else { continue };
                let local: Vec<usize> = indicators
                    .iter()
                    .enumerate()
                    .filter(|(_, g)| m.indicators[**g].key == link)
                    .map(|(l, _)| l)
                    .collect();
                if local.is_empty() {
                    continue;
                }
                let choice_scores = item
                    .choices
                    .as_deref()
                    .and_then(|l| m.choice_list(l))
                    .map(|list| {
                        list.choices
                            .iter()
                            .map(|c| {
                                c.score.filter(|_| !c.missing).map(|s| {
                                    if reverse {
                                        1.0 - s
                                    } else {
                                        s
                                    }
                                })
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                slots.push(SlotPlan {
                    slot: slot_index,
                    indicators: local,
                    choice_scores,
                });
            }
            plans.push(GroupPlan {
                group: instrument.group,
                slots,
                indicators,
            });
        }
        Scorer { m, plans }
    }

    /// The profile of one school from its responses (of any groups) and expected counts. For a
    /// personal group (the principal) the last response given counts: pass responses in
    /// submission order.
    pub fn profile<'r>(
        &self,
        school: &str,
        expected: &Expected,
        responses: impl IntoIterator<Item = &'r Response>,
    ) -> SchoolProfile {
        let mut tally = Tally::default();
        for (order, response) in responses.into_iter().enumerate() {
            self.add(&mut tally, response, order as i64);
        }
        self.finish(school, expected, &tally)
    }

    /// Adds one response to a tally; `order` places it among the others (a later response of a
    /// personal group replaces an earlier one).
    pub fn add(&self, tally: &mut Tally, response: &Response, order: i64) {
        let m = self.m;
        if !response.group.is_summed() {
            return;
        }
        let g = response.group.index();
        tally.counts[g] += 1;
        if tally.indicators.len() < m.indicators.len() {
            tally
                .indicators
                .resize(m.indicators.len(), IndicatorSums::default());
        }
        if let Some(instrument) = m.instrument(response.group) {
            let values = m
                .indicators
                .iter()
                .filter(|i| i.group == response.group && i.aggregation == Aggregation::Value)
                .map(|i| {
                    formula_value(m, instrument, &response.answers, i.parsed_formula.as_ref()?)
                })
                .collect();
            let later = Latest { order, values };
            if tally.latest[g].as_ref().is_none_or(|l| order >= l.order) {
                tally.latest[g] = Some(later);
            }
        }
        let Some(plan) = self.plans.iter().find(|p| p.group == response.group) else {
            return;
        };
        let mut sums = vec![(0.0, 0u32, 0.0f64); plan.indicators.len()];
        for slot in &plan.slots {
            let score = match response.answers.get(slot.slot) {
                Some(Answer::Choice(i)) => {
                    slot.choice_scores.get(usize::from(*i)).copied().flatten()
                }
                Some(Answer::Choices(is)) => {
                    let scores: Vec<f64> = is
                        .iter()
                        .filter_map(|i| slot.choice_scores.get(usize::from(*i)).copied().flatten())
                        .collect();
                    (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64)
                }
                _ => None,
            };
            if let Some(score) = score {
                for &l in &slot.indicators {
                    let s = &mut sums[l];
                    s.0 += score;
                    s.1 += 1;
                    s.2 = s.2.max(score);
                }
            }
        }
        for (l, &(sum, n, max)) in sums.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let global = plan.indicators[l];
            let acc = &mut tally.indicators[global];
            match m.indicators[global].aggregation {
                Aggregation::Mean => acc.means.add(sum / f64::from(n)),
                _ => {
                    acc.means.n += 1;
                    let at_risk = cutoff::reaches(max, m.indicators[global].at_risk_from);
                    acc.at_risk += u32::from(at_risk);
                }
            }
        }
    }

    /// The profile of one school from the tally of its responses and its expected counts.
    pub fn finish(&self, school: &str, expected: &Expected, tally: &Tally) -> SchoolProfile {
        self.finish_with_noise(school, expected, tally, &Seeds::default())
    }

    /// The profile with noise on the sums of the groups that have a seed (`privacy`): what a
    /// reader who holds the groups' codes gets.
    pub fn finish_with_noise(
        &self,
        school: &str,
        expected: &Expected,
        tally: &Tally,
        seeds: &Seeds,
    ) -> SchoolProfile {
        let m = self.m;
        let scale = m.rules.privacy_noise;
        let z_noise = normal_quantile(0.5 + m.rules.confidence / 2.0);
        let counts = tally.counts;
        let groups = group_results(m, expected, &counts);

        let indicators: Vec<IndicatorResult> = m
            .indicators
            .iter()
            .enumerate()
            .map(|(n, ind)| {
                let min = m.rules.min_respondents(ind.group);
                let group = groups.iter().find(|g| g.group == ind.group);
                let acc = tally.indicators.get(n).copied().unwrap_or_default();
                let count = f64::from(acc.means.n.max(1));
                // The group's sums, with noise for a reader who holds its codes: three draws per
                // indicator (sum, squares, at risk), the same every time the group is read.
                let seed = seeds.of(ind.group).filter(|_| scale > 0.0);
                let b = crate::privacy::scale(scale, m.rules.privacy_noise_group, acc.means.n);
                let draw = |k: u64| seed.map_or(0.0, |s| laplace(s, n as u64 * 3 + k, b));
                let sum = (acc.means.sum() + draw(0)).clamp(0.0, count);
                let squares = (acc.means.squares() + draw(1)).clamp(0.0, count);
                let at_risk = (f64::from(acc.at_risk) + draw(2)).clamp(0.0, count);
                // The noise's own spread in a mean or share, √2·b / n, widens the interval.
                let noise_half =
                    seed.map_or(0.0, |_| z_noise * std::f64::consts::SQRT_2 * b / count);
                let (respondents, value) = match ind.aggregation {
                    Aggregation::Value => {
                        let latest = tally.latest[ind.group.index()].as_ref();
                        // The indicator's place among its group's `value` indicators.
                        let place = m.indicators[..n]
                            .iter()
                            .filter(|i| i.group == ind.group && i.aggregation == Aggregation::Value)
                            .count();
                        let value = latest.and_then(|l| l.values.get(place).copied().flatten());
                        (u32::from(latest.is_some()), value)
                    }
                    Aggregation::Mean => (acc.means.n, (acc.means.n > 0).then(|| sum / count)),
                    Aggregation::Share => (acc.means.n, (acc.means.n > 0).then(|| at_risk / count)),
                };
                let insufficient = match group {
                    _ if respondents < min => Some(Insufficiency::TooFewRespondents { min }),
                    Some(g) if g.rate.is_some_and(|r| !cutoff::reaches(r, g.rate_floor)) => {
                        Some(Insufficiency::LowResponseRate {
                            rate: g.rate.unwrap_or_default(),
                            floor: g.rate_floor,
                        })
                    }
                    _ if value.is_none() => Some(Insufficiency::NoValue),
                    _ => None,
                };
                let shown = insufficient.is_none();
                let population = expected.get(ind.group);
                let confidence = m.rules.confidence;
                let interval = match ind.aggregation {
                    Aggregation::Mean => {
                        mean_interval(acc.means.n, sum, squares, confidence, population)
                    }
                    Aggregation::Share => Some(wilson_share(
                        at_risk / count,
                        acc.means.n,
                        confidence,
                        population,
                    )),
                    Aggregation::Value => None,
                }
                .map(|i| match value {
                    Some(v) if noise_half > 0.0 => widen(i, v, noise_half),
                    _ => i,
                })
                .filter(|_| shown);
                let risk_interval = interval.map(|i| {
                    let (a, b) = (ind.risk(i.low), ind.risk(i.high));
                    Interval {
                        low: a.min(b),
                        high: a.max(b),
                    }
                });
                IndicatorResult {
                    key: ind.key.clone(),
                    factor: ind.factor.clone(),
                    group: ind.group,
                    value: value.filter(|_| shown),
                    risk: value.filter(|_| shown).map(|v| ind.risk(v)),
                    interval,
                    risk_interval,
                    respondents: (respondents >= min).then_some(respondents),
                    insufficient,
                }
            })
            .collect();

        let z = normal_quantile(0.5 + m.rules.confidence / 2.0);
        let factors = m
            .factors
            .iter()
            .map(|f| {
                let mut weight = 0.0;
                let mut sum = 0.0;
                // Σ (wᵢ · seᵢ)², each indicator's standard error read off its risk interval.
                let mut spread = 0.0;
                let mut used = Vec::new();
                for (ind, result) in m.indicators.iter().zip(&indicators) {
                    if ind.factor == f.code {
                        if let Some(risk) = result.risk {
                            weight += ind.weight;
                            sum += ind.weight * risk;
                            if let Some(i) = result.risk_interval {
                                let se = (i.high - i.low) / (2.0 * z);
                                spread += (ind.weight * se).powi(2);
                            }
                            used.push(ind.key.clone());
                        }
                    }
                }
                let score = (weight > 0.0).then(|| sum / weight);
                let interval = score.map(|s| {
                    let half = z * spread.sqrt() / weight;
                    Interval {
                        low: (s - half).max(0.0),
                        high: (s + half).min(1.0),
                    }
                });
                let levels_within = interval.map_or_else(Vec::new, |i| {
                    let from = m.rules.level_index(&m.rules.level(i.low).key).unwrap_or(0);
                    let to = m.rules.level_index(&m.rules.level(i.high).key).unwrap_or(0);
                    m.rules.levels[from..=to.max(from)]
                        .iter()
                        .map(|l| l.key.clone())
                        .collect()
                });
                FactorResult {
                    code: f.code.clone(),
                    score,
                    level: score.map(|s| m.rules.level(s).key.clone()),
                    interval,
                    levels_within,
                    indicators: used,
                }
            })
            .collect();

        SchoolProfile {
            school: school.to_owned(),
            methodology_version: m.version.clone(),
            groups,
            indicators,
            factors,
        }
    }
}

/// A formula over one response: a number answer is its value, a choice answer its risk score,
/// an item hidden by its condition counts as 0 (the follow-up did not apply).
fn formula_value(
    m: &Methodology,
    instrument: &Instrument,
    answers: &Answers,
    formula: &crate::formula::Formula,
) -> Option<f64> {
    formula.eval(&|key| {
        let slot = instrument.slot(key)?;
        let item = instrument.slot_item(slot);
        match answers.get(slot) {
            Some(Answer::Number(n)) => Some(*n),
            Some(Answer::Choice(i)) => {
                let list = m.choice_list(item.choices.as_deref()?)?;
                item.score(list.choices.get(usize::from(*i))?)
            }
            Some(_) => None,
            None if !answers.is_shown(m, instrument, item) => Some(0.0),
            None => None,
        }
    })
}

#[cfg(test)]
mod tests;
