//! The quality of the instruments, as a region's methodologist revises them between years: per
//! factor and respondent group the internal consistency of its multi-item scale (Cronbach's α)
//! with each item's item–rest correlation, per item the share of «затрудняюсь ответить» and
//! whether anyone varies on it, and the deficit areas of the teachers' diagnostic with too few
//! items for a reliable score. Computed in one pass over responses from sufficient statistics, and
//! only where at least the group's minimum of respondents answered.

use serde::{Deserialize, Serialize};

use crate::answers::Answer;
use crate::instrument::{Group, Instrument};
use crate::methodology::Methodology;
use crate::profile::Response;
use crate::tally::{fixed, merge_all, real2, Sums};

/// A share of «затрудняюсь ответить» above this flags an item.
pub const DONT_KNOW_FLAG: f64 = 0.3;
/// A deficit area measured by fewer items than this has no reliable score.
pub const MIN_AREA_ITEMS: usize = 3;

/// One scored item (a slot).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemQuality {
    pub group: Group,
    pub key: String,
    /// The factor of the indicator the item feeds.
    pub factor: Option<String>,
    /// Respondents who answered the item at all.
    pub answered: u32,
    /// Of them, the share who chose a `missing` option («затрудняюсь ответить»).
    pub dont_know: Option<f64>,
    /// More than `DONT_KNOW_FLAG` chose «затрудняюсь ответить».
    pub dont_know_flag: bool,
    /// Everyone who gave a scored answer gave the same one.
    pub no_variance: bool,
    /// Correlation of the item with the sum of the other items of its scale.
    pub item_rest: Option<f64>,
}

/// The multi-item scale of one factor in one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScaleQuality {
    pub group: Group,
    pub factor: String,
    pub items: Vec<String>,
    /// Respondents with a scored answer to every item of the scale.
    pub complete: u32,
    /// Cronbach's α over the complete respondents; `None` under the minimum or without variance.
    pub alpha: Option<f64>,
}

/// A deficit area with the number of items measuring it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaQuality {
    pub area: String,
    pub items: usize,
    pub too_few: bool,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct InstrumentQuality {
    pub scales: Vec<ScaleQuality>,
    pub items: Vec<ItemQuality>,
    pub areas: Vec<AreaQuality>,
}

/// Cronbach's α of k items from the sample variances of the items and of their sum:
/// `α = k/(k−1) · (1 − Σ s²ᵢ / s²_T)` (Cronbach 1951). `None` for fewer than two items or a sum
/// without variance.
pub fn cronbach_alpha(item_variances: &[f64], total_variance: f64) -> Option<f64> {
    let k = item_variances.len() as f64;
    if item_variances.len() < 2 || total_variance <= 0.0 {
        return None;
    }
    Some(k / (k - 1.0) * (1.0 - item_variances.iter().sum::<f64>() / total_variance))
}

/// The item's score in a response: the choice's risk score (flipped for `reverse`), the mean of
/// a multiple choice's; `Err(())` for «затрудняюсь ответить»; `Ok(None)` when not answered.
fn slot_score(
    m: &Methodology,
    instrument: &Instrument,
    slot: usize,
    answer: Option<&Answer>,
) -> Result<Option<f64>, ()> {
    let item = instrument.slot_item(slot);
    let (_, reverse) = instrument.slot_link(slot);
    let Some(list) = item.choices.as_deref().and_then(|l| m.choice_list(l)) else {
        return Ok(None);
    };
    let score = |i: u16| {
        list.choices.get(usize::from(i)).map(|c| {
            if c.missing {
                None
            } else {
                c.score.map(|s| if reverse { 1.0 - s } else { s })
            }
        })
    };
    match answer {
        Some(Answer::Choice(i)) => match score(*i) {
            Some(Some(s)) => Ok(Some(s)),
            Some(None) => Err(()),
            None => Ok(None),
        },
        Some(Answer::Choices(is)) => {
            let scores: Vec<f64> = is.iter().filter_map(|i| score(*i).flatten()).collect();
            if scores.is_empty() {
                Err(())
            } else {
                Ok(Some(scores.iter().sum::<f64>() / scores.len() as f64))
            }
        }
        _ => Ok(None),
    }
}

/// The sums of the quality of one instrument (by slot, and per multi-item scale).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstrumentSums {
    /// Per slot: respondents who answered it, of them those who chose «затрудняюсь ответить»,
    /// and the scored answers.
    pub answered: Vec<u32>,
    pub dont_know: Vec<u32>,
    pub scored: Vec<Sums>,
    /// Per scale (`scales`): its complete respondents' sums.
    pub scales: Vec<ScaleSums>,
}

/// The sums of one scale over the respondents with a scored answer to each of its items.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScaleSums {
    pub complete: u32,
    pub total: Sums,
    /// Per item: the item, the rest of the scale (the sum of the other items), Σ item·rest.
    pub items: Vec<Sums>,
    pub rest: Vec<Sums>,
    pub cross: Vec<i128>,
}

/// What the quality of the instruments needs from a set of responses, per instrument (by its
/// position in the methodology): sums that add up response by response or tally by tally.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualityTally {
    pub instruments: Vec<InstrumentSums>,
}

/// The multi-item scales of an instrument: per factor with two or more scored items in it, the
/// factor and the items' slots.
fn scales(m: &Methodology, instrument: &Instrument) -> Vec<(String, Vec<usize>)> {
    let mut scales: Vec<(String, Vec<usize>)> = Vec::new();
    for slot in 0..instrument.slots.len() {
        let Some(factor) = factor_of(m, instrument, slot) else {
            continue;
        };
        match scales.iter_mut().find(|s| s.0 == factor) {
            Some(scale) => scale.1.push(slot),
            None => scales.push((factor, vec![slot])),
        }
    }
    scales.retain(|s| s.1.len() >= 2);
    scales
}

/// The factor of the indicator a slot feeds.
fn factor_of(m: &Methodology, instrument: &Instrument, slot: usize) -> Option<String> {
    let (link, _) = instrument.slot_link(slot);
    link.and_then(|key| m.indicator(key))
        .map(|i| i.factor.0.to_string())
}

/// The scales of each instrument (by position in the methodology), worked out once.
#[derive(Debug, Clone)]
pub struct QualityPlan(Vec<Vec<(String, Vec<usize>)>>);

impl QualityPlan {
    pub fn new(m: &Methodology) -> QualityPlan {
        QualityPlan(m.instruments.iter().map(|i| scales(m, i)).collect())
    }
}

impl QualityTally {
    /// Adds one response; `plan` is the methodology's (`QualityPlan::new`).
    pub fn add(&mut self, m: &Methodology, plan: &QualityPlan, response: &Response) {
        if !response.group.is_summed() {
            return;
        }
        let Some(at) = m.instruments.iter().position(|i| i.group == response.group) else {
            return;
        };
        let instrument = &m.instruments[at];
        if self.instruments.len() <= at {
            self.instruments.resize(at + 1, InstrumentSums::default());
        }
        let sums = &mut self.instruments[at];
        let slots = instrument.slots.len();
        let scales = &plan.0[at];
        if sums.answered.len() < slots {
            sums.answered.resize(slots, 0);
            sums.dont_know.resize(slots, 0);
            sums.scored.resize(slots, Sums::default());
        }
        if sums.scales.len() < scales.len() {
            sums.scales = scales
                .iter()
                .map(|(_, items)| ScaleSums {
                    complete: 0,
                    total: Sums::default(),
                    items: vec![Sums::default(); items.len()],
                    rest: vec![Sums::default(); items.len()],
                    cross: vec![0; items.len()],
                })
                .collect();
        }
        let mut scores: Vec<Option<f64>> = Vec::with_capacity(slots);
        for slot in 0..slots {
            let answer = response.answers.get(slot);
            if answer.is_some() {
                sums.answered[slot] += 1;
            }
            let score = match slot_score(m, instrument, slot, answer) {
                Ok(s) => s,
                Err(()) => {
                    sums.dont_know[slot] += 1;
                    None
                }
            };
            if let Some(s) = score {
                sums.scored[slot].add(s);
            }
            scores.push(score);
        }
        for ((_, slots), scale) in scales.iter().zip(sums.scales.iter_mut()) {
            let values: Option<Vec<f64>> = slots.iter().map(|s| scores[*s]).collect();
            let Some(values) = values else { continue };
            let total: f64 = values.iter().sum();
            scale.complete += 1;
            scale.total.add(total);
            for (i, x) in values.iter().enumerate() {
                let rest = total - x;
                scale.items[i].add(*x);
                scale.rest[i].add(rest);
                scale.cross[i] += fixed(*x) * fixed(rest);
            }
        }
    }

    /// Adds another tally (of the same methodology).
    pub fn merge(&mut self, other: &QualityTally) {
        merge_all(&mut self.instruments, &other.instruments, |a, b| {
            merge_all(&mut a.answered, &b.answered, |x, y| *x += y);
            merge_all(&mut a.dont_know, &b.dont_know, |x, y| *x += y);
            merge_all(&mut a.scored, &b.scored, Sums::merge);
            merge_all(&mut a.scales, &b.scales, |x, y| {
                x.complete += y.complete;
                x.total.merge(&y.total);
                merge_all(&mut x.items, &y.items, Sums::merge);
                merge_all(&mut x.rest, &y.rest, Sums::merge);
                merge_all(&mut x.cross, &y.cross, |p, q| *p += q);
            });
        });
    }

    /// The quality of every instrument from the tally.
    pub fn finish(&self, m: &Methodology) -> InstrumentQuality {
        let empty = InstrumentSums::default();
        let mut quality = InstrumentQuality::default();
        for (at, instrument) in m.instruments.iter().enumerate() {
            let sums = self.instruments.get(at).unwrap_or(&empty);
            let group = instrument.group;
            if !group.is_summed() {
                continue;
            }
            let min = m.min_respondents(group);
            let enough = |n: u32| n >= min;
            let mut item_rest: Vec<Option<f64>> = vec![None; instrument.slots.len()];
            for (s, (factor, slots)) in scales(m, instrument).into_iter().enumerate() {
                let scale = sums.scales.get(s).cloned().unwrap_or_else(|| ScaleSums {
                    items: vec![Sums::default(); slots.len()],
                    rest: vec![Sums::default(); slots.len()],
                    cross: vec![0; slots.len()],
                    ..ScaleSums::default()
                });
                let variances: Vec<f64> = scale.items.iter().map(Sums::variance).collect();
                let alpha = cronbach_alpha(&variances, scale.total.variance())
                    .filter(|_| enough(scale.complete));
                for (i, slot) in slots.iter().enumerate() {
                    let (x, r, n) = (scale.items[i], scale.rest[i], f64::from(scale.complete));
                    let covariance = real2(scale.cross[i]) - x.sum() * r.sum() / n;
                    let denominator = ((x.squares() - x.sum() * x.sum() / n)
                        * (r.squares() - r.sum() * r.sum() / n))
                        .sqrt();
                    item_rest[*slot] = (enough(scale.complete) && denominator > 0.0)
                        .then(|| covariance / denominator);
                }
                quality.scales.push(ScaleQuality {
                    group,
                    items: slots
                        .iter()
                        .map(|s| instrument.slots[*s].key.clone())
                        .collect(),
                    factor,
                    complete: scale.complete,
                    alpha,
                });
            }
            for (slot, s) in instrument.slots.iter().enumerate() {
                let item = instrument.slot_item(slot);
                if item.choices.is_none() {
                    continue;
                }
                let answered = sums.answered.get(slot).copied().unwrap_or(0);
                let scored = sums.scored.get(slot).copied().unwrap_or_default();
                let shown = enough(answered);
                let dont_know = shown.then(|| {
                    f64::from(sums.dont_know.get(slot).copied().unwrap_or(0)) / f64::from(answered)
                });
                quality.items.push(ItemQuality {
                    group,
                    key: s.key.clone(),
                    factor: factor_of(m, instrument, slot),
                    answered,
                    dont_know,
                    dont_know_flag: dont_know.is_some_and(|d| d > DONT_KNOW_FLAG),
                    no_variance: shown && scored.n >= 2 && scored.variance() == 0.0,
                    item_rest: item_rest[slot],
                });
            }
        }
        if let Some(diagnostic) = m.instrument(Group::TeacherDeficits) {
            for area in &m.deficits.areas {
                let items = (0..diagnostic.slots.len())
                    .filter(|slot| {
                        let item = diagnostic.slot_item(*slot);
                        let area_of = match diagnostic.slots[*slot].row {
                            Some(r) => item.rows[r].area.as_deref().or(item.area.as_deref()),
                            None => item.area.as_deref(),
                        };
                        area_of == Some(area.key.as_str())
                    })
                    .count();
                quality.areas.push(AreaQuality {
                    area: area.key.clone(),
                    items,
                    too_few: items < MIN_AREA_ITEMS,
                });
            }
        }
        quality
    }
}

/// The quality of every instrument from `responses` (of any groups and schools).
pub fn instrument_quality<'r>(
    m: &Methodology,
    responses: impl IntoIterator<Item = &'r Response>,
) -> InstrumentQuality {
    let plan = QualityPlan::new(m);
    let mut tally = QualityTally::default();
    for response in responses {
        tally.add(m, &plan, response);
    }
    tally.finish(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variance(xs: &[f64]) -> f64 {
        let mut s = Sums::default();
        xs.iter().for_each(|x| s.add(*x));
        s.variance()
    }

    /// The worked example «How is Cronbach alpha coefficient calculated» (askan.ai): three items
    /// A, B, C answered by five respondents (3 4 3, 2 3 4, 4 4 5, 3 2 3, 4 4 4). By hand: item
    /// variances 0.7, 0.8, 0.7; totals 10, 9, 13, 8, 12 with variance 4.3; α = 3/2 · (1 − 2.2/4.3)
    /// = 0.73256.
    #[test]
    fn alpha_matches_the_hand_worked_example() {
        let (a, b, c) = (
            [3.0, 2.0, 4.0, 3.0, 4.0],
            [4.0, 3.0, 4.0, 2.0, 4.0],
            [3.0, 4.0, 5.0, 3.0, 4.0],
        );
        let totals: Vec<f64> = (0..5).map(|i| a[i] + b[i] + c[i]).collect();
        let items = [variance(&a), variance(&b), variance(&c)];
        assert!((items[0] - 0.7).abs() < 1e-12 && (items[1] - 0.8).abs() < 1e-12);
        assert!((variance(&totals) - 4.3).abs() < 1e-12);
        let alpha = cronbach_alpha(&items, variance(&totals)).expect("alpha");
        assert!((alpha - 1.5 * (1.0 - 2.2 / 4.3)).abs() < 1e-12);
        assert!((alpha - 0.73256).abs() < 1e-5);
    }

    /// Identical items are perfectly consistent; a single item or a sum without variance has no α.
    #[test]
    fn parallel_items_have_alpha_one_and_degenerate_scales_none() {
        let x = [0.0, 0.33, 0.67, 1.0, 0.33];
        let totals: Vec<f64> = x.iter().map(|v| 3.0 * v).collect();
        let alpha = cronbach_alpha(&[variance(&x); 3], variance(&totals)).expect("alpha");
        assert!((alpha - 1.0).abs() < 1e-12);
        assert_eq!(cronbach_alpha(&[0.5], 0.5), None);
        assert_eq!(cronbach_alpha(&[0.0, 0.0], 0.0), None);
    }

    #[test]
    fn the_default_instruments_report_scales_items_and_areas() {
        let m = Methodology::default_set().expect("valid");
        let student = m.instrument(Group::Student).expect("student");
        // Twenty students: the first option everywhere for half, the last scored for the rest,
        // «затрудняюсь ответить» wherever a list has one for the last eight.
        let responses: Vec<Response> = (0..20)
            .map(|n| {
                let mut answers = crate::answers::Answers::empty(student);
                for slot in 0..student.slots.len() {
                    let item = student.slot_item(slot);
                    let Some(list) = item.choices.as_deref().and_then(|l| m.choice_list(l)) else {
                        continue;
                    };
                    let scored: Vec<usize> = (0..list.choices.len())
                        .filter(|i| !list.choices[*i].missing && !list.choices[*i].exclusive)
                        .collect();
                    let missing = list.choices.iter().position(|c| c.missing);
                    let pick = match (n, missing) {
                        (12.., Some(dk)) => dk,
                        (0..10, _) => scored[0],
                        _ => scored[scored.len() - 1],
                    };
                    answers.0[slot] = Some(if item.kind == crate::ItemKind::Multiple {
                        Answer::Choices(vec![pick as u16])
                    } else {
                        Answer::Choice(pick as u16)
                    });
                }
                Response {
                    group: Group::Student,
                    answers,
                }
            })
            .collect();
        let q = instrument_quality(&m, &responses);
        let scales: Vec<&ScaleQuality> = q
            .scales
            .iter()
            .filter(|s| s.group == Group::Student)
            .collect();
        assert!(
            !scales.is_empty(),
            "the student questionnaire has multi-item scales"
        );
        // Answers that all move together are consistent.
        assert!(
            scales.iter().filter_map(|s| s.alpha).any(|a| a > 0.9),
            "{scales:?}"
        );
        let flagged: Vec<&ItemQuality> = q
            .items
            .iter()
            .filter(|i| i.group == Group::Student && i.dont_know_flag)
            .collect();
        // Eight of twenty is 40 %: over the 30 % flag, on exactly the items that offer it.
        assert!(!flagged.is_empty());
        assert!(flagged
            .iter()
            .all(|i| i.dont_know.is_some_and(|d| (d - 0.4).abs() < 1e-12)));
        assert_eq!(q.areas.len(), m.deficits.areas.len());
        // Under the minimum of respondents nothing is computed.
        let few = instrument_quality(&m, &responses[..3]);
        assert!(few.scales.iter().all(|s| s.alpha.is_none()));
        assert!(few
            .items
            .iter()
            .all(|i| i.dont_know.is_none() && i.item_rest.is_none()));
    }
}
