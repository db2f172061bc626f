//! What the results pages show, worded in the reader's language: the region's page (imports,
//! criteria, candidates with their reasons, cohorts, schools that may leave the list) and a
//! school's card (its profile beside its results, with intervals, change, objectivity and peers).

use std::collections::BTreeMap;

use app::access::{Role, Viewer};
use app::error::AppError;
use app::i18n::Lang;
use app::listing::{self, ListQuery, SortKey};
use app::results::{
    AssessmentBlock, CandidateItem, Chart, ChartPoint, Cohort, FactorLine, ImportItem,
    IndicatorLine, PeerRow, ResultsFilter, ResultsOverview, ResultsSource, SchoolCard, SchoolItem,
};
use app::work::Choice;
use surveys::results::{
    estimate, objectivity_flag, trend, Assessment, AssessmentKind, Estimate, Figures, PeerGroup,
    Reason, ResultIndicator, Results, Trend,
};
use surveys::text::decimals;
use surveys::Methodology;

use crate::clock::moment;
use crate::error::ServerError;
use crate::storage::PlacedSchool;
use crate::yardstick::{Region, Yardstick};

/// Who imports results and sets cohorts: the region's work (`http/access.rs`).
pub fn imports(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Regional)
}

use crate::yardstick::figure;

/// A figure with its interval.
fn with_interval(e: &Estimate, share: bool) -> String {
    match e.interval {
        Some(i) => format!(
            "{} ({}–{})",
            figure(e.value, share),
            figure(i.low, share),
            figure(i.high, share)
        ),
        None => figure(e.value, share),
    }
}

fn trend_words(t: Trend, lang: Lang) -> &'static str {
    match t {
        Trend::Improved => lang.tr("значимо лучше", "significantly better"),
        Trend::Worsened => lang.tr("значимо хуже", "significantly worse"),
        Trend::WithinError => lang.tr("в пределах погрешности", "within the uncertainty"),
    }
}

/// The results page's filter, read: the region asked for, the year, a municipality, a cohort,
/// and whether the cohorts' schools are the list shown.
struct Asked {
    region: Option<i64>,
    year: Option<u16>,
    municipality: Option<i64>,
    cohort: Option<Cohort>,
    show_cohorts: bool,
}

fn item(s: &PlacedSchool) -> SchoolItem {
    SchoolItem {
        school_id: s.id,
        school: s.name.clone(),
        municipality: s.municipality.clone(),
    }
}

/// The criteria of the methodology in words.
fn criteria(r: &Results, m: &Methodology, lang: Lang) -> Vec<String> {
    let e = &r.entry;
    let x = &r.exit;
    let over = if e.peer_relative {
        lang.tr("группы сопоставимых школ", "the peer group")
    } else {
        lang.tr("региона", "the region")
    };
    let mut out = vec![
        match lang {
            Lang::Ru => format!(
                "Вход в список: доля «2» (ниже минимального балла) выше {}-го процентиля {over} не менее чем по {} предметам {} года подряд.",
                decimals(e.percentile, 0), e.subjects, e.years
            ),
            Lang::En => format!(
                "Entering the list: the share of «2» (below the pass score) above the {}th percentile of {over} in at least {} subjects {} years running.",
                decimals(e.percentile, 0), e.subjects, e.years
            ),
        },
        match lang {
            Lang::Ru => format!(
                "Выход из списка: {} года подряд по каждой процедуре доля «2» не выше {}-го процентиля региона.",
                x.years, decimals(x.percentile, 0)
            ),
            Lang::En => format!(
                "Leaving the list: {} years running, in every assessment the share of «2» at or below the region's {}th percentile.",
                x.years, decimals(x.percentile, 0)
            ),
        },
        match lang {
            Lang::Ru => format!(
                "Признак необъективности: не менее {} участников получили за работу отметку ниже журнальной.",
                figure(r.objectivity_lowered, true)
            ),
            Lang::En => format!(
                "Objectivity flag: at least {} of the participants got a lower mark than the journal's.",
                figure(r.objectivity_lowered, true)
            ),
        },
    ];
    if !r.context.is_empty() {
        let signs: Vec<String> = r
            .context
            .iter()
            .map(|c| {
                format!(
                    "{} ≥ {}",
                    m.indicator_name(&c.indicator, lang.code()),
                    figure(c.from, true)
                )
            })
            .collect();
        out.push(match lang {
            Lang::Ru => format!(
                "Сложные социальные условия (по анкете руководителя): {}.",
                signs.join("; ")
            ),
            Lang::En => format!(
                "Difficult social conditions (by the principal's questionnaire): {}.",
                signs.join("; ")
            ),
        });
    }
    out
}

fn reason_words(reason: &Reason, r: &Results, m: &Methodology, lang: Lang) -> String {
    let name = |key: &str| {
        r.assessment(key)
            .map_or_else(|| key.to_owned(), |a| r.assessment_name(a, lang.code()))
    };
    match reason {
        Reason::HighFail {
            year,
            assessment,
            value,
            threshold,
        } => match lang {
            Lang::Ru => format!(
                "{year}, {}: доля «2» {} при пороге {}",
                name(assessment),
                figure(*value, true),
                figure(*threshold, true)
            ),
            Lang::En => format!(
                "{year}, {}: share of «2» {} against a threshold of {}",
                name(assessment),
                figure(*value, true),
                figure(*threshold, true)
            ),
        },
        Reason::Objectivity {
            year,
            assessment,
            value,
        } => match lang {
            Lang::Ru => format!(
                "{year}, {}: отметку ниже журнальной получили {} — признак необъективности",
                name(assessment),
                figure(*value, true)
            ),
            Lang::En => format!(
                "{year}, {}: {} got a lower mark than the journal's — an objectivity flag",
                name(assessment),
                figure(*value, true)
            ),
        },
        Reason::Conditions { indicator, value } => match lang {
            Lang::Ru => format!(
                "сложные условия: {} — {}",
                m.indicator_name(indicator, "ru"),
                figure(*value, true)
            ),
            Lang::En => format!(
                "difficult conditions: {} — {}",
                m.indicator_name(indicator, "en"),
                figure(*value, true)
            ),
        },
    }
}

fn cohort_words(key: &str, year: i64, lang: Lang) -> String {
    let name = Cohort::parse(key).map_or(key, |c| c.label(lang));
    format!("{name} ({year})")
}

/// A peer group in words.
fn peer_words(g: Option<&PeerGroup>, r: &Results, lang: Lang) -> String {
    let Some(g) = g else {
        return lang.tr("не определена", "not known").to_owned();
    };
    let mut parts = Vec::new();
    match &g.settlement {
        Some(Some(s)) => parts.push(r.settlement_name(s, lang.code()).to_owned()),
        Some(None) => parts.push(
            lang.tr(
                "тип населённого пункта не указан",
                "settlement type not given",
            )
            .to_owned(),
        ),
        None => parts.push(
            lang.tr("все школы региона", "every school of the region")
                .to_owned(),
        ),
    }
    if let Some(band) = g.size_band {
        let bounds = &r.peers.size_below;
        let text = match band {
            None => lang.tr("численность неизвестна", "size unknown").to_owned(),
            Some(0) => match lang {
                Lang::Ru => format!("до {} обучающихся", bounds.first().copied().unwrap_or(0)),
                Lang::En => format!("under {} students", bounds.first().copied().unwrap_or(0)),
            },
            Some(i) if i >= bounds.len() => match lang {
                Lang::Ru => format!("от {} обучающихся", bounds.last().copied().unwrap_or(0)),
                Lang::En => format!("{} students and more", bounds.last().copied().unwrap_or(0)),
            },
            Some(i) => format!("{}–{}", bounds[i - 1], bounds[i] - 1),
        };
        parts.push(text);
    }
    if let Some(d) = g.difficult {
        parts.push(if d {
            lang.tr("сложные социальные условия", "difficult social conditions")
                .to_owned()
        } else {
            lang.tr(
                "без признаков сложных условий",
                "no signs of difficult conditions",
            )
            .to_owned()
        });
    }
    match lang {
        Lang::Ru => format!("{} — школ: {}", parts.join(", "), g.schools.len()),
        Lang::En => format!("{} — schools: {}", parts.join(", "), g.schools.len()),
    }
}

fn chart_of(
    r: &Results,
    a: &Assessment,
    mine: &BTreeMap<u16, &Figures>,
    years: &[u16],
    lang: Lang,
    confidence: f64,
) -> Chart {
    let indicator = ResultIndicator::Fail;
    let points: Vec<ChartPoint> = years
        .iter()
        .map(|y| {
            let e = mine
                .get(y)
                .and_then(|f| estimate(r, a, f, indicator, confidence));
            ChartPoint {
                year: *y,
                value: e.map(|e| e.value),
                low: e.and_then(|e| e.interval).map(|i| i.low),
                high: e.and_then(|e| e.interval).map(|i| i.high),
            }
        })
        .collect();
    let top = points
        .iter()
        .filter_map(|p| p.high.or(p.value))
        .fold(0.1_f64, f64::max);
    Chart {
        title: format!(
            "{}: {}",
            r.assessment_name(a, lang.code()),
            indicator.name(a, lang.code())
        ),
        min: 0.0,
        max: ((top * 10.0).ceil() / 10.0).min(1.0),
        percent: true,
        points,
    }
}

/// One assessment of a school's card.
fn block(
    region: &Region,
    m: &Methodology,
    a: &Assessment,
    code: &str,
    lang: Lang,
) -> AssessmentBlock {
    let r = &m.results;
    let confidence = m.rules.confidence;
    let empty = surveys::results::SchoolResults::new();
    let all = region.results.get(code).unwrap_or(&empty);
    let mine: BTreeMap<u16, &Figures> = all
        .iter()
        .filter(|(k, _, _)| *k == a.key)
        .map(|(_, y, f)| (y, f))
        .collect();
    let years: Vec<u16> = mine.keys().copied().collect();
    let hidden = |f: &Figures| !r.shown(f.participants);
    let mut lines = vec![IndicatorLine {
        name: lang.tr("участников", "participants").to_owned(),
        cells: years
            .iter()
            .map(|y| {
                let f = mine[y];
                if hidden(f) {
                    match lang {
                        Lang::Ru => format!("меньше {}", r.min_participants),
                        Lang::En => format!("fewer than {}", r.min_participants),
                    }
                } else {
                    f.participants.to_string()
                }
            })
            .collect(),
        trends: years.iter().skip(1).map(|_| None).collect(),
    }];
    for indicator in a.indicators() {
        let share = indicator.is_share(a);
        let values: Vec<Option<Estimate>> = years
            .iter()
            .map(|y| estimate(r, a, mine[y], indicator, confidence))
            .collect();
        if values.iter().all(Option::is_none) {
            continue;
        }
        let cells = values
            .iter()
            .map(|v| {
                v.as_ref()
                    .map_or_else(|| "—".to_owned(), |e| with_interval(e, share))
            })
            .collect();
        let trends = values
            .windows(2)
            .map(|w| match (&w[0], &w[1]) {
                (Some(b), Some(x)) => {
                    trend(indicator, b, x).map(|t| trend_words(t, lang).to_owned())
                }
                _ => None,
            })
            .collect();
        lines.push(IndicatorLine {
            name: indicator.name(a, lang.code()),
            cells,
            trends,
        });
    }
    let mut flags = Vec::new();
    for y in &years {
        if objectivity_flag(r, a, mine[y], confidence) {
            flags.push(match lang {
                Lang::Ru => format!(
                    "{y}: признак необъективности — отметки за работу заметно ниже журнальных"
                ),
                Lang::En => {
                    format!("{y}: objectivity flag — assessment marks well below the journal's")
                }
            });
        }
    }
    let mut peers = Vec::new();
    if let (Some(group), Some(last)) = (region.groups.get(code), years.last()) {
        for indicator in a.indicators() {
            let share = indicator.is_share(a);
            let Some(p) = region.peer_position(m, code, group, &a.key, *last, indicator) else {
                continue;
            };
            peers.push(PeerRow {
                name: indicator.name(a, lang.code()),
                place: match lang {
                    Lang::Ru => format!("{} из {}", p.place, p.of),
                    Lang::En => format!("{} of {}", p.place, p.of),
                },
                median: figure(p.median, share),
                quartiles: format!("{}–{}", figure(p.q1, share), figure(p.q3, share)),
                region: figure(p.region_median, share),
            });
            let headline = matches!(indicator, ResultIndicator::Fail | ResultIndicator::Mean);
            if headline && p.better_than_peers {
                flags.push(match (lang, p.below_region) {
                    (Lang::Ru, true) => {
                        format!("{last}: лучше сопоставимых школ, хотя ниже медианы региона")
                    }
                    (Lang::En, true) => {
                        format!("{last}: better than its peers, though below the region's median")
                    }
                    (Lang::Ru, false) => format!("{last}: лучше сопоставимых школ"),
                    (Lang::En, false) => format!("{last}: better than its peers"),
                });
            }
        }
    }
    let peer_year = (!peers.is_empty()).then(|| years.last().copied()).flatten();
    flags.dedup();
    AssessmentBlock {
        key: a.key.clone(),
        name: r.assessment_name(a, lang.code()),
        chart: chart_of(r, a, &mine, &years, lang, confidence),
        years,
        lines,
        flags,
        peers,
        peer_year,
    }
}

impl Yardstick {
    async fn overview_of(
        &self,
        viewer: &Viewer,
        asked: Asked,
        list: &ListQuery,
        lang: Lang,
    ) -> Result<Option<ResultsOverview>, ServerError> {
        let Asked {
            region: asked,
            year,
            municipality,
            cohort,
            show_cohorts,
        } = asked;
        let Some(region_id) = self.region_of(viewer, asked).await? else {
            return Ok(None);
        };
        let region = self.region(region_id).await?;
        let m = self.gate.methodology();
        let r = &m.results;
        let in_scope: Vec<&PlacedSchool> = region
            .schools
            .iter()
            .filter(|s| viewer.scope.allows(s.place()))
            .filter(|s| municipality.is_none_or(|id| s.municipality_id == id))
            .filter(|s| {
                cohort.is_none_or(|c| region.cohorts_of(s.id).iter().any(|(k, _)| *k == c.key()))
            })
            .collect();
        let mut municipalities: Vec<Choice> = Vec::new();
        for s in region
            .schools
            .iter()
            .filter(|s| viewer.scope.allows(s.place()))
        {
            if !municipalities.iter().any(|c| c.id == s.municipality_id) {
                municipalities.push(Choice {
                    id: s.municipality_id,
                    name: s.municipality.clone(),
                });
            }
        }
        let year = year
            .filter(|y| region.years.contains(y))
            .or_else(|| region.years.last().copied());
        let by_code: BTreeMap<&str, &PlacedSchool> =
            in_scope.iter().map(|s| (s.code.as_str(), *s)).collect();
        let cohorts_of = |id: i64| -> Vec<String> {
            region
                .cohorts_of(id)
                .into_iter()
                .map(|(k, y)| cohort_words(k, y, lang))
                .collect()
        };
        let mut candidates = Vec::new();
        let mut leaving = Vec::new();
        if let Some(y) = year {
            for c in &region.selection(m, y).candidates {
                let Some(s) = by_code.get(c.school.as_str()) else {
                    continue;
                };
                candidates.push(CandidateItem {
                    school: item(s),
                    enters: c.enters,
                    reasons: c
                        .reasons
                        .iter()
                        .take(app::results::SHOWN_REASONS)
                        .map(|x| reason_words(x, r, m, lang))
                        .collect(),
                    more_reasons: c.reasons.len().saturating_sub(app::results::SHOWN_REASONS),
                    cohorts: cohorts_of(s.id),
                });
            }
            candidates.sort_by(|a, b| {
                b.enters
                    .cmp(&a.enters)
                    .then(a.school.school.cmp(&b.school.school))
            });
            listing::search(&mut candidates, list, |c| &c.school.school);
            for s in region.leaving(m, y) {
                if by_code.contains_key(s.code.as_str()) {
                    leaving.push(item(s));
                }
            }
        }
        // The cohorts' schools in scope: («category (year)», school), each cohort counted.
        let mut members: Vec<(SchoolItem, String)> = Vec::new();
        let mut cohort_lists: Vec<(String, usize)> = Vec::new();
        for c in &region.cohorts {
            let Some(s) = in_scope.iter().find(|s| s.id == c.school_id) else {
                continue;
            };
            let title = cohort_words(&c.category, c.year, lang);
            match cohort_lists.iter_mut().find(|(t, _)| *t == title) {
                Some((_, n)) => *n += 1,
                None => cohort_lists.push((title.clone(), 1)),
            }
            members.push((item(s), title));
        }
        listing::search(&mut members, list, |(s, _)| &s.school);
        let totals = [candidates.len(), members.len()];
        // The list shown a page at a time, sorted as asked; the other only counted.
        let (candidates, members, paging) = if show_cohorts {
            let (members, paging) = listing::cut(
                members,
                list,
                |(s, title): &(SchoolItem, String), column| match column {
                    "school" => Some(listing::text_key(&s.school)),
                    "municipality" => Some(listing::text_key(&s.municipality)),
                    "cohort" => Some(listing::text_key(title)),
                    _ => None,
                },
            );
            (Vec::new(), members, paging)
        } else {
            let (candidates, paging) =
                listing::cut(candidates, list, |c: &CandidateItem, column| match column {
                    "school" => Some(listing::text_key(&c.school.school)),
                    "municipality" => Some(listing::text_key(&c.school.municipality)),
                    "enters" => Some(SortKey::Number(Some(f64::from(u8::from(c.enters))))),
                    _ => None,
                });
            (candidates, Vec::new(), paging)
        };
        let can_import = imports(viewer.role);
        let imports_list = if can_import || viewer.role == Role::Municipal {
            self.storage
                .result_imports(region_id)
                .await?
                .into_iter()
                .map(|i| ImportItem {
                    year: u16::try_from(i.year).unwrap_or(0),
                    who: i.user_name,
                    at: moment(i.at),
                    file: i.file_name,
                    layout: match (i.layout.as_str(), lang) {
                        ("template", Lang::Ru) => "шаблон «Ориентира»".into(),
                        ("template", Lang::En) => "Orientir's template".into(),
                        (_, Lang::Ru) => "выгрузка ФИС ОКО".into(),
                        (_, Lang::En) => "federal monitoring layout".into(),
                    },
                    rows: u64::try_from(i.rows).unwrap_or(0),
                    replaced: u64::try_from(i.replaced).unwrap_or(0),
                })
                .collect()
        } else {
            Vec::new()
        };
        let regions = if viewer.role == Role::Admin {
            let mut list: Vec<Choice> = Vec::new();
            for s in self.storage.schools_with_place().await? {
                if !list.iter().any(|c| c.id == s.region_id) {
                    list.push(Choice {
                        id: s.region_id,
                        name: s.region.clone(),
                    });
                }
            }
            list
        } else {
            Vec::new()
        };
        Ok(Some(ResultsOverview {
            region_id,
            region: region.name.clone(),
            regions,
            can_import,
            year,
            this_year: u16::try_from(crate::clock::today().ymd().0).unwrap_or(2026),
            years: region.years.clone(),
            municipality,
            municipalities,
            assessments: r
                .assessments
                .iter()
                .map(|a| (a.key.clone(), r.assessment_name(a, lang.code())))
                .collect(),
            imports: imports_list,
            criteria: criteria(r, m, lang),
            candidates,
            paging,
            leaving,
            cohorts: Cohort::ALL
                .iter()
                .map(|c| (c.key().to_owned(), c.label(lang).to_owned()))
                .collect(),
            cohort: cohort.map(|c| c.key().to_owned()),
            cohort_lists,
            show: if show_cohorts {
                "cohorts"
            } else {
                "candidates"
            }
            .to_owned(),
            members,
            totals,
            min_participants: r.min_participants,
        }))
    }

    async fn card_of(
        &self,
        viewer: &Viewer,
        school: i64,
        campaign: Option<i64>,
        results: Option<&str>,
        lang: Lang,
    ) -> Result<Option<SchoolCard>, ServerError> {
        let Some(placed) = self.gate.placed(viewer, school).await? else {
            return Ok(None);
        };
        let region = self.region(placed.region_id).await?;
        let m = self.gate.methodology();
        let r = &m.results;
        // The profile of the chosen campaign (the newest with the school by default).
        let mut campaigns = Vec::new();
        for c in self.storage.campaigns().await? {
            if let Some(in_scope) = self.gate.school_alone(viewer, c.id, school).await? {
                campaigns.push(in_scope);
            }
        }
        campaigns.sort_by(|a, b| {
            (b.campaign.opens_on, b.campaign.id).cmp(&(a.campaign.opens_on, a.campaign.id))
        });
        let chosen_at = campaign
            .and_then(|id| campaigns.iter().position(|s| s.campaign.id == id))
            .unwrap_or(0);
        let mut factors = Vec::new();
        let mut profile_note = None;
        let mut programme = None;
        if let Some(in_scope) = campaigns.get(chosen_at) {
            let c = &in_scope.campaign;
            match self.gate.score(viewer, in_scope).await? {
                Some(scored) => {
                    if let Some(p) = scored.profiles.first() {
                        for f in &m.factors {
                            let result = p.factor(&f.code.0);
                            let level = result.and_then(|x| x.level.clone());
                            factors.push(FactorLine {
                                name: format!("{} {}", f.code.0, f.name.get(lang.code())),
                                level: level.as_deref().and_then(|k| {
                                    m.rules
                                        .levels
                                        .iter()
                                        .find(|l| l.key == k)
                                        .map(|l| l.name.get(lang.code()).to_owned())
                                }),
                                level_key: level.map(|k| k.to_string()),
                                score: result
                                    .and_then(|x| x.score)
                                    .map_or_else(|| "—".to_owned(), |s| decimals(s, 2)),
                            });
                        }
                    }
                }
                None => {
                    profile_note = Some(
                        lang.tr(
                            "Результаты этой кампании ещё не опубликованы.",
                            "This campaign's results are not published yet.",
                        )
                        .to_owned(),
                    );
                }
            }
            if let Some(p) = self.storage.programme(c.id, school).await? {
                programme = Some((
                    p.status.label(lang).to_owned(),
                    format!("/work/campaigns/{}/schools/{school}/programme", c.id),
                ));
            }
        } else {
            profile_note = Some(
                lang.tr(
                    "Школа ещё не участвовала в кампаниях.",
                    "The school has not been in a campaign yet.",
                )
                .to_owned(),
            );
        }
        let mut keys: Vec<&str> = region
            .results
            .get(&placed.code)
            .map(|all| all.keys().map(|(k, _)| k).collect())
            .unwrap_or_default();
        keys.dedup();
        let held: Vec<&surveys::results::Assessment> = r
            .assessments
            .iter()
            .filter(|a| keys.contains(&a.key.as_str()))
            .collect();
        // One kind of assessment at a time: a school with fifty assessments over three years
        // would make a card heavier than a region's list.
        let kinds: Vec<(AssessmentKind, usize)> = AssessmentKind::ALL
            .into_iter()
            .map(|k| (k, held.iter().filter(|a| a.kind == k).count()))
            .filter(|(_, n)| *n > 0)
            .collect();
        let kind = results
            .and_then(AssessmentKind::parse)
            .filter(|k| kinds.iter().any(|(held, _)| held == k))
            .or_else(|| kinds.first().map(|(k, _)| *k));
        let assessments = held
            .iter()
            .filter(|a| Some(a.kind) == kind)
            .map(|a| block(&region, m, a, &placed.code, lang))
            .collect();
        let context = region.contexts.get(&placed.code);
        let history = self
            .storage
            .cohort_events(school)
            .await?
            .into_iter()
            .map(|e| {
                let what = cohort_words(&e.category, e.year, lang);
                match (lang, e.added) {
                    (Lang::Ru, true) => format!(
                        "{}: включена в «{what}» ({}, {})",
                        moment(e.at),
                        e.user_name,
                        e.how
                    ),
                    (Lang::Ru, false) => format!(
                        "{}: исключена из «{what}» ({}, {})",
                        moment(e.at),
                        e.user_name,
                        e.how
                    ),
                    (Lang::En, true) => format!(
                        "{}: added to «{what}» ({}, {})",
                        moment(e.at),
                        e.user_name,
                        e.how
                    ),
                    (Lang::En, false) => format!(
                        "{}: removed from «{what}» ({}, {})",
                        moment(e.at),
                        e.user_name,
                        e.how
                    ),
                }
            })
            .collect();
        Ok(Some(SchoolCard {
            school_id: school,
            school: placed.name.clone(),
            municipality: placed.municipality.clone(),
            settlement: context
                .and_then(|c| c.settlement.as_deref())
                .map(|s| r.settlement_name(s, lang.code()).to_owned()),
            peer_group: peer_words(region.groups.get(&placed.code), r, lang),
            cohorts: region
                .cohorts_of(school)
                .into_iter()
                .map(|(k, y)| cohort_words(k, y, lang))
                .collect(),
            cohort_history: history,
            campaigns: campaigns
                .iter()
                .map(|s| Choice {
                    id: s.campaign.id,
                    name: s.campaign.name.clone(),
                })
                .collect(),
            campaign: campaigns.get(chosen_at).map(|s| s.campaign.id),
            factors,
            profile_note,
            programme,
            kinds: kinds
                .into_iter()
                .map(|(k, n)| (k.key().to_owned(), k.name(lang.code()).to_owned(), n))
                .collect(),
            kind: kind.map(|k| k.key().to_owned()),
            assessments,
            min_participants: r.min_participants,
        }))
    }
}

#[async_trait::async_trait]
impl ResultsSource for Yardstick {
    async fn overview(
        &self,
        viewer: &Viewer,
        filter: ResultsFilter,
        list: ListQuery,
        lang: Lang,
    ) -> Result<Option<ResultsOverview>, AppError> {
        let ResultsFilter {
            region,
            year,
            municipality,
            cohort,
            show,
        } = filter;
        let cohort = Cohort::from_query(cohort.as_deref(), lang)?;
        let cohorts = match show.as_deref().filter(|s| !s.is_empty()) {
            None | Some("candidates") => false,
            Some("cohorts") => true,
            Some(_) => {
                return Err(AppError::not_one_of(
                    lang,
                    ("Список", "List"),
                    &["candidates", "cohorts"],
                ))
            }
        };
        Ok(self
            .overview_of(
                viewer,
                Asked {
                    region,
                    year,
                    municipality,
                    cohort,
                    show_cohorts: cohorts,
                },
                &list,
                lang,
            )
            .await?)
    }

    async fn card(
        &self,
        viewer: &Viewer,
        school: i64,
        campaign: Option<i64>,
        results: Option<String>,
        lang: Lang,
    ) -> Result<Option<SchoolCard>, AppError> {
        Ok(self
            .card_of(viewer, school, campaign, results.as_deref(), lang)
            .await?)
    }
}
