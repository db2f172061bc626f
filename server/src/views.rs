//! The pieces every report is made of, in the reader's language: levels with their colours,
//! response counts per group, the municipalities to filter by, and a
//! factor explained by its indicators («why this level»).

use app::i18n::Lang;
use app::reports::{FactorView, GroupCell, IndicatorView, LevelView};
use surveys::indicator::Display;
use surveys::profile::{GroupResult, Insufficiency};
use surveys::{Methodology, SchoolProfile};

use crate::groups;
use crate::scope::{published, respondents_band};

/// The methodology's risk levels.
pub fn levels(m: &Methodology, lang: Lang) -> Vec<LevelView> {
    m.rules
        .levels
        .iter()
        .map(|l| LevelView {
            key: l.key.to_string(),
            name: l.name.get(lang.code()).to_owned(),
            colour: l.colour.clone(),
        })
        .collect()
}

/// The level with this key, if any.
pub fn level_of(m: &Methodology, key: Option<&str>, lang: Lang) -> Option<LevelView> {
    let key = key?;
    levels(m, lang).into_iter().find(|l| l.key == key)
}

/// Each group's responses against the expected count and the engine's minimums; a count under
/// the group's minimum (but not none) leaves the server only as «under the minimum».
pub fn group_cells(results: &[GroupResult], lang: Lang) -> Vec<GroupCell> {
    results
        .iter()
        .map(|g| {
            let under = g.under_minimum();
            GroupCell {
                group: g.group.key().to_owned(),
                label: groups::label(g.group, lang).to_owned(),
                responses: (!under).then_some(g.responses),
                expected: g.expected,
                rate: g.rate.filter(|_| !under),
                floor: g.rate_floor,
                min_respondents: g.min_respondents,
                sufficient: g.sufficient,
                held: None,
            }
        })
        .collect()
}

/// A value of an indicator as pages show it: a share in %, a score or a number.
pub fn show_value(m: &Methodology, indicator: &str, v: f64) -> String {
    match m.indicator(indicator).map_or(Display::Score, |d| d.display) {
        Display::Share => format!("{} %", surveys::text::decimals(v * 100.0, 0)),
        Display::Score => surveys::text::decimals(v, 2),
        Display::Number => {
            if v.fract() == 0.0 {
                format!("{v:.0}")
            } else {
                surveys::text::decimals(v, 2)
            }
        }
    }
}

/// An indicator's value in the units its form field takes: a share in percent, a score or a
/// number as they are (up to four decimals).
pub fn form_value(m: &Methodology, indicator: &str, v: f64) -> String {
    let typed = m.indicator(indicator).map_or(v, |d| d.to_typed(v));
    let text = format!("{typed:.4}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// An indicator as the profile shows it: value, thresholds and risk in the indicator's own
/// display, or why there is not enough data.
pub fn indicator_view(
    m: &Methodology,
    i: &surveys::profile::IndicatorResult,
    lang: Lang,
) -> IndicatorView {
    let l = lang.code();
    let def = m.indicator(&i.key);
    let show = |v: f64| show_value(m, &i.key, v);
    let insufficient = i.insufficient.map(|why| match why {
        Insufficiency::TooFewRespondents { min } => match lang {
            Lang::Ru => format!("недостаточно данных: ответили меньше {min} человек"),
            Lang::En => format!("not enough data: fewer than {min} respondents"),
        },
        Insufficiency::LowResponseRate { rate, floor } => match lang {
            Lang::Ru => format!(
                "недостаточно данных: ответили {:.0} % при минимуме {:.0} %",
                rate * 100.0,
                floor * 100.0
            ),
            Lang::En => format!(
                "not enough data: a response rate of {:.0} % under the floor of {:.0} %",
                rate * 100.0,
                floor * 100.0
            ),
        },
        Insufficiency::NoValue => lang
            .tr(
                "недостаточно данных: значение не вычисляется",
                "not enough data: no value can be computed",
            )
            .to_owned(),
    });
    IndicatorView {
        key: i.key.to_string(),
        name: def.map_or_else(|| i.key.to_string(), |d| d.name.get(l).to_owned()),
        group: groups::label(i.group, lang).to_owned(),
        value: i.value.map(show),
        interval: i.interval.map(|r| {
            let (low, high) = (show(r.low), show(r.high));
            // «32 %–58 %» reads as «32–58 %».
            let low = low.strip_suffix(" %").unwrap_or(&low);
            format!("{low}–{high}")
        }),
        ok: def.map_or_else(String::new, |d| show(d.ok)),
        critical: def.map_or_else(String::new, |d| show(d.critical)),
        risk: i.risk.map(published),
        respondents: i.respondents.map(respondents_band),
        insufficient,
    }
}

/// A factor with its level, its indicators and the sentence that explains the level.
pub fn factor_view(
    m: &Methodology,
    profile: &SchoolProfile,
    f: &surveys::profile::FactorResult,
    lang: Lang,
) -> FactorView {
    let level = level_of(m, f.level.as_deref(), lang);
    let indicators: Vec<IndicatorView> = profile
        .indicators
        .iter()
        .filter(|i| i.factor == f.code)
        .map(|i| indicator_view(m, i, lang))
        .collect();
    let confidence = (m.rules.confidence * 100.0).round();
    let interval = f.interval.map(|i| (published(i.low), published(i.high)));
    let name_of = |key: &surveys::Key| {
        m.rules
            .levels
            .iter()
            .find(|l| &l.key == key)
            .map_or_else(|| key.to_string(), |l| l.name.get(lang.code()).to_owned())
    };
    let unstable = (f.unstable()).then(|| {
        let others: Vec<String> = f
            .levels_within
            .iter()
            .filter(|k| Some(*k) != f.level.as_ref())
            .map(|k| format!("«{}»", name_of(k)))
            .collect();
        match lang {
            Lang::Ru => format!(
                "Уровень неустойчив: с учётом погрешности ({confidence:.0} % интервал) он может быть и {}.",
                others.join(" или ")
            ),
            Lang::En => format!(
                "The level is unstable: within the uncertainty ({confidence:.0} % interval) it may also be {}.",
                others.join(" or ")
            ),
        }
    });
    let why = match (&level, f.score) {
        (Some(level), Some(score)) => {
            let mut risky: Vec<&IndicatorView> =
                indicators.iter().filter(|i| i.risk.is_some()).collect();
            risky.sort_by(|a, b| {
                b.risk
                    .partial_cmp(&a.risk)
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
            let top: Vec<String> = risky
                .iter()
                .take(2)
                .map(|i| format!("«{}» ({})", i.name, i.value.clone().unwrap_or_default()))
                .collect();
            let cut = m
                .rules
                .levels
                .iter()
                .find(|l| l.key == level.key)
                .and_then(|l| l.below);
            let range = interval.map_or_else(String::new, |(low, high)| match lang {
                Lang::Ru => format!(
                    " ({confidence:.0} % интервал {}–{})",
                    surveys::text::decimals(low, 2),
                    surveys::text::decimals(high, 2)
                ),
                Lang::En => format!(
                    " ({confidence:.0} % interval {}–{})",
                    surveys::text::decimals(low, 2),
                    surveys::text::decimals(high, 2)
                ),
            });
            let score = surveys::text::decimals(score, 2);
            match lang {
                    Lang::Ru => format!(
                        "Средний риск {} показателей — {score}{range}{}, поэтому уровень «{}». Больше всего риска дают: {}.",
                        f.indicators.len(),
                        cut.map_or_else(String::new, |c| format!(" (меньше {})", surveys::text::decimals(c, 2))),
                        level.name,
                        top.join(", ")
                    ),
                    Lang::En => format!(
                        "The mean risk of {} indicators is {score}{range}{}, hence «{}». Most of the risk comes from: {}.",
                        f.indicators.len(),
                        cut.map_or_else(String::new, |c| format!(" (under {})", surveys::text::decimals(c, 2))),
                        level.name,
                        top.join(", ")
                    ),
                }
        }
        _ => lang
            .tr(
                "Недостаточно данных: ни один показатель фактора не набрал нужного числа ответов.",
                "Not enough data: no indicator of the factor has enough answers.",
            )
            .to_owned(),
    };
    FactorView {
        code: f.code.0.to_string(),
        name: m.factors.iter().find(|x| x.code == f.code).map_or_else(
            || f.code.0.to_string(),
            |x| x.name.get(lang.code()).to_owned(),
        ),
        score: f.score.map(published),
        level,
        interval,
        unstable,
        why,
        indicators,
    }
}

/// The stage dates of a campaign as pages show them.
pub fn stage_items(stages: &[crate::storage::StageRow]) -> Vec<app::reports::StageItem> {
    stages
        .iter()
        .map(|s| app::reports::StageItem {
            id: s.id,
            title: s.title.clone(),
            due_on: s.due_on.to_string(),
        })
        .collect()
}

/// A diagnostic's areas with their bands, in the reader's language (a report and a plan).
pub fn area_views(
    m: &Methodology,
    diagnostic: surveys::deficits::Diagnostic,
    areas: &[surveys::deficits::AreaResult],
    lang: Lang,
) -> Vec<app::respond::AreaView> {
    let band = |key: &Option<String>| {
        m.scale(diagnostic)
            .bands
            .iter()
            .find(|b| Some(&b.key) == key.as_ref())
    };
    areas
        .iter()
        .map(|a| app::respond::AreaView {
            name: a.name.get(lang.code()).to_owned(),
            percent: a.percent,
            band: band(&a.band)
                .map_or(lang.tr("нет ответов", "no answers").into(), |b| {
                    b.name.get(lang.code()).to_owned()
                }),
            colour: band(&a.band).map_or("#777777".into(), |b| b.colour.clone()),
        })
        .collect()
}

/// The name of a diagnostic's area in the reader's language (its key when the methodology has
/// none).
pub fn area_name(m: &Methodology, key: &str, lang: Lang) -> String {
    m.area_name(key, lang.code()).to_owned()
}

/// An activity of a draft ИОМ in the reader's language.
pub fn iom_view(
    m: &Methodology,
    i: &surveys::deficits::IomItem,
    lang: Lang,
) -> app::respond::IomView {
    let l = lang.code();
    app::respond::IomView {
        area: i
            .areas
            .iter()
            .map(|a| area_name(m, a, lang))
            .collect::<Vec<_>>()
            .join(", "),
        provider: i.provider.as_ref().map(|p| p.get(l).to_owned()),
        link: i.link.clone(),
        format: i.format.get(l).to_owned(),
        title: i.title.get(l).to_owned(),
        hours: i.hours,
        goal: i.goal.get(l).to_owned(),
        deadline: i.deadline.clone(),
        evidence: i.evidence.get(l).to_owned(),
    }
}
