//! What programmes achieved, as pages show it: a programme's targets against the later
//! published profile of its school (baseline → target → actual, with the verdict of `surveys`)
//! and its chosen factors' levels then and now; the region's «эффективность мер», with no row
//! (and no total) under the minimum of programmes.

use app::access::Viewer;
use app::i18n::Lang;
use app::reports::{
    EffectRow, Effectiveness, FactorChangeView, ResultChoice, ResultTargetView, ResultsView,
    TargetResultView,
};
use surveys::programme::{Achievement, Verdict};
use surveys::results::ResultIndicator;
use surveys::{Methodology, SchoolProfile};

use super::results::{self, met, verdicts, Later, MIN_PROGRAMMES};
use crate::error::ServerError;
use crate::storage::{ChosenRiskRow, ResultTargetRow, TargetRow};
use crate::views::{level_of, show_value};
use crate::yardstick::{Judged, Region};

fn verdict_words(v: &Verdict, lang: Lang) -> (&'static str, &'static str) {
    match v.achievement {
        Achievement::Achieved => ("achieved", lang.tr("достигнут", "achieved")),
        Achievement::NotAchieved => ("not_achieved", lang.tr("не достигнут", "not achieved")),
        Achievement::InsufficientData => (
            "insufficient_data",
            lang.tr("недостаточно данных", "insufficient data"),
        ),
    }
}

/// A results indicator's name: «ВПР, Математика, 5 класс: доля «2»».
fn result_name(
    m: &Methodology,
    assessment: &str,
    indicator: ResultIndicator,
    lang: Lang,
) -> String {
    match m.results.assessment(assessment) {
        Some(a) => format!(
            "{}: {}",
            m.results.assessment_name(a, lang.code()),
            indicator.name(a, lang.code())
        ),
        None => assessment.to_owned(),
    }
}

fn result_value(
    m: &Methodology,
    assessment: &str,
    indicator: ResultIndicator,
    value: f64,
) -> String {
    let share = m
        .results
        .assessment(assessment)
        .is_some_and(|a| indicator.is_share(a));
    crate::yardstick::figure(value, share)
}

/// A programme's results targets, judged on the import of their year.
pub fn result_targets_view(
    m: &Methodology,
    region: &Region,
    code: &str,
    targets: &[ResultTargetRow],
    lang: Lang,
) -> Vec<ResultTargetView> {
    targets
        .iter()
        .filter_map(|t| {
            let indicator = ResultIndicator::parse(&t.indicator)?;
            let value = |v: f64| result_value(m, &t.assessment, indicator, v);
            let judged_year = u16::try_from(t.judged_year).unwrap_or(0);
            let (key, verdict, actual, uncertain) = match region.judge(m, code, t) {
                Judged::Awaiting => (
                    "awaiting",
                    match lang {
                        Lang::Ru => format!("ждёт результатов {judged_year} года"),
                        Lang::En => format!("awaiting the {judged_year} results"),
                    },
                    None,
                    false,
                ),
                Judged::Verdict(v) => {
                    let (key, words) = verdict_words(&v, lang);
                    (
                        key,
                        words.to_owned(),
                        v.actual.map(value),
                        v.beyond_uncertainty == Some(false),
                    )
                }
            };
            Some(ResultTargetView {
                id: t.id,
                factor: t.factor.clone(),
                name: result_name(m, &t.assessment, indicator, lang),
                baseline: t
                    .baseline
                    .map(|b| format!("{} ({})", value(b), t.baseline_year.unwrap_or_default())),
                target: value(t.target),
                judged_year,
                actual,
                achievement: key.to_owned(),
                verdict,
                uncertain,
            })
        })
        .collect()
}

/// The results indicators of a school's assessments with a shown figure, with the newest one.
pub fn result_choices(
    m: &Methodology,
    region: &Region,
    code: &str,
    lang: Lang,
) -> Vec<ResultChoice> {
    let Some(mine) = region.results.get(code) else {
        return Vec::new();
    };
    let mut keys: Vec<&str> = mine.keys().map(|(k, _)| k).collect();
    keys.dedup();
    let mut out = Vec::new();
    for key in keys {
        for indicator in crate::yardstick::TARGET_INDICATORS {
            if let Some((e, year)) = region.latest(m, code, key, indicator) {
                out.push(ResultChoice {
                    key: format!("{key}:{}", indicator.key()),
                    name: result_name(m, key, indicator, lang),
                    baseline: Some(format!(
                        "{} ({year})",
                        result_value(m, key, indicator, e.value)
                    )),
                });
            }
        }
    }
    out
}

/// A programme's results against the later campaign, for its school (by registry code).
pub fn results_view(
    m: &Methodology,
    later: &Later,
    code: &str,
    before: &SchoolProfile,
    chosen: &[ChosenRiskRow],
    targets: &[TargetRow],
    lang: Lang,
) -> ResultsView {
    let after = later.profile(code);
    let judged = verdicts(m, targets, after);
    let l = lang.code();
    ResultsView {
        campaign: later.campaign.name.clone(),
        met: met(&judged),
        targets: targets
            .iter()
            .zip(&judged)
            .map(|(t, v)| {
                let (key, words) = verdict_words(v, lang);
                TargetResultView {
                    factor: t.factor.clone(),
                    indicator: t.indicator.clone(),
                    name: m.indicator_name(&t.indicator, l).to_owned(),
                    baseline: t.baseline.map(|b| show_value(m, &t.indicator, b)),
                    target: show_value(m, &t.indicator, t.target),
                    actual: v.actual.map(|a| show_value(m, &t.indicator, a)),
                    achievement: key.to_owned(),
                    verdict: words.to_owned(),
                    uncertain: v.beyond_uncertainty == Some(false),
                }
            })
            .collect(),
        factors: chosen
            .iter()
            .map(|r| FactorChangeView {
                code: r.factor.clone(),
                name: m.factor_name(&r.factor, l).to_owned(),
                before: level_of(
                    m,
                    before.factor(&r.factor).and_then(|f| f.level.as_deref()),
                    lang,
                ),
                after: level_of(
                    m,
                    after
                        .and_then(|p| p.factor(&r.factor))
                        .and_then(|f| f.level.as_deref()),
                    lang,
                ),
            })
            .collect(),
    }
}

/// «Эффективность мер» of the viewer's scope, for municipal and regional coordinators and
/// admins; nothing under `MIN_PROGRAMMES` judged programmes, per row and in total.
pub async fn effectiveness(
    gate: &crate::scope::Gate,
    storage: &crate::storage::Storage,
    yardstick: &crate::yardstick::Yardstick,
    viewer: &Viewer,
    lang: Lang,
) -> Result<Option<Effectiveness>, ServerError> {
    if !app::access::OVERSEERS.contains(&viewer.role) {
        return Ok(None);
    }
    let m = gate.methodology();
    let found = results::effectiveness(gate, storage, viewer).await?;
    let l = lang.code();
    let mut rows = Vec::new();
    let mut hidden = 0;
    for (index, (met, not_met)) in found.measures {
        let catalogue = usize::try_from(index)
            .ok()
            .and_then(|i| m.measures.measures.get(i));
        match catalogue {
            Some(x) if met + not_met >= MIN_PROGRAMMES => rows.push(EffectRow {
                factor: x.factor.0.to_string(),
                action: x.action.get(l).to_owned(),
                met,
                not_met,
            }),
            _ => hidden += 1,
        }
    }
    rows.sort_by(|a, b| {
        (b.met + b.not_met)
            .cmp(&(a.met + a.not_met))
            .then(a.factor.cmp(&b.factor))
    });
    let (improved, leaving) = yardstick.outcomes(viewer, lang).await?;
    Ok(Some(Effectiveness {
        min: MIN_PROGRAMMES,
        judged: (found.judged >= MIN_PROGRAMMES).then_some(found.judged),
        rows,
        hidden,
        improved,
        leaving,
    }))
}
