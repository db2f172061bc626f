//! Coordinators' reports: response rates, school profiles and the matrix of a campaign,
//! computed by the engine (`surveys`) from the stored answers and cut to the viewer's scope here,
//! in one place. Nothing under the engine's minimum-respondent rules leaves this module.

use std::collections::HashMap;
use std::sync::Arc;

use app::access::Viewer;
use app::i18n::Lang;
use app::reports::{
    Change, ChangeCell, ChangeRow, CodeEntry, CodeSheet, DeficitView, FactorCell, FactorColumn,
    FactorView, GroupCell, IndicatorView, LevelView, Matrix, MatrixRow, Monitor, MonitorRow,
    Profile, ReportSource,
};
use app::work::{CampaignItem, Choice};
use app::AppError;
use surveys::calendar::Day;
use surveys::indicator::Display;
use surveys::profile::{group_results, GroupResult, Insufficiency, Scorer};
use surveys::{Answers, Expected, Group, Methodology, RawAnswers, Response, SchoolProfile};

use crate::error::ServerError;
use crate::storage::{CampaignRow, SchoolInCampaign, Storage};
use crate::web::internal;

#[derive(Clone)]
pub struct Reports {
    pub storage: Storage,
    pub methodology: Arc<Methodology>,
}

/// A campaign with the schools of it the viewer may see.
pub struct Scoped {
    pub campaign: CampaignRow,
    pub schools: Vec<SchoolInCampaign>,
}

/// The profiles of a campaign's schools, with each school's teacher-deficit results.
pub struct Scored {
    pub profiles: Vec<SchoolProfile>,
    pub deficits: Vec<Vec<surveys::deficits::DeficitResult>>,
}

fn expected(s: &SchoolInCampaign) -> Expected {
    let count = |n: i64| u32::try_from(n).unwrap_or(0);
    Expected::default()
        .with(Group::Principal, 1)
        .with(Group::Teacher, count(s.expected_teachers))
        .with(Group::Student, count(s.expected_students))
        .with(Group::Parent, count(s.expected_parents))
        .with(Group::TeacherDeficits, count(s.expected_teachers))
}

fn levels(m: &Methodology, lang: Lang) -> Vec<LevelView> {
    m.rules
        .levels
        .iter()
        .map(|l| LevelView {
            key: l.key.clone(),
            name: l.name.get(lang.code()).to_owned(),
            colour: l.colour.clone(),
        })
        .collect()
}

fn group_label(group: Group, lang: Lang) -> &'static str {
    match group {
        Group::Principal => lang.tr("Руководитель", "Principal"),
        Group::Teacher => lang.tr("Учителя", "Teachers"),
        Group::Student => lang.tr("Обучающиеся", "Students"),
        Group::Parent => lang.tr("Родители", "Parents"),
        Group::TeacherDeficits => lang.tr("Диагностика учителей", "Teacher diagnostic"),
    }
}

/// A link as an inline SVG QR code (empty if the link cannot be encoded).
fn qr_svg(link: &str) -> String {
    match qrcode::QrCode::new(link.as_bytes()) {
        Ok(code) => {
            let svg = code
                .render::<qrcode::render::svg::Color>()
                .min_dimensions(132, 132)
                .build();
            // Inline in the page: without the XML declaration.
            match svg.find("<svg") {
                Some(at) => svg[at..].to_owned(),
                None => svg,
            }
        }
        Err(_) => String::new(),
    }
}

fn campaign_item(c: &CampaignRow, schools: usize) -> CampaignItem {
    CampaignItem {
        id: c.id,
        name: c.name.clone(),
        methodology_version: c.methodology_version.clone(),
        opens_on: c.opens_on.clone(),
        closes_on: c.closes_on.clone(),
        schools,
    }
}

fn municipalities(schools: &[SchoolInCampaign]) -> Vec<Choice> {
    let mut list: Vec<Choice> = schools
        .iter()
        .map(|s| Choice {
            id: s.municipality_id,
            name: s.municipality.clone(),
        })
        .collect();
    list.sort_by(|a, b| a.name.cmp(&b.name));
    list.dedup();
    list
}

fn group_cells(groups: &[GroupResult], lang: Lang) -> Vec<GroupCell> {
    groups
        .iter()
        .map(|g| GroupCell {
            group: g.group.key().to_owned(),
            label: group_label(g.group, lang).to_owned(),
            responses: g.responses,
            expected: g.expected,
            rate: g.rate,
            floor: g.rate_floor,
            min_respondents: g.min_respondents,
            sufficient: g.sufficient,
        })
        .collect()
}

impl Reports {
    /// The campaign and its schools in the viewer's scope; `None` when the campaign does not
    /// exist or has none of the viewer's schools.
    pub async fn scoped(
        &self,
        viewer: &Viewer,
        campaign: i64,
        municipality: Option<i64>,
    ) -> Result<Option<Scoped>, ServerError> {
        let Some(campaign) = self.storage.campaign(campaign).await? else {
            return Ok(None);
        };
        let mut schools = self.storage.campaign_schools(campaign.id).await?;
        schools.retain(|s| viewer.scope.allows(s.place()));
        if schools.is_empty() {
            return Ok(None);
        }
        if let Some(m) = municipality {
            schools.retain(|s| s.municipality_id == m);
        }
        Ok(Some(Scoped { campaign, schools }))
    }

    /// The campaign's schools in scope narrowed to a municipality, with the municipalities to
    /// choose from and how many schools of the campaign the viewer may see in all.
    async fn filtered(
        &self,
        viewer: &Viewer,
        campaign: i64,
        municipality: Option<i64>,
    ) -> Result<Option<(Scoped, Vec<Choice>, usize)>, ServerError> {
        let Some(all) = self.scoped(viewer, campaign, None).await? else {
            return Ok(None);
        };
        let choices = municipalities(&all.schools);
        let in_scope = all.schools.len();
        Ok(self
            .scoped(viewer, campaign, municipality)
            .await?
            .map(|scoped| (scoped, choices, in_scope)))
    }

    /// Scores the schools from their stored answers.
    pub async fn score(&self, scoped: &Scoped) -> Result<Scored, ServerError> {
        let m: &Methodology = &self.methodology;
        let start: Day = scoped
            .campaign
            .opens_on
            .parse()
            .map_err(|e: surveys::calendar::BadDay| ServerError::Inconsistent(e.to_string()))?;
        let mut by_school: HashMap<i64, Vec<Response>> = HashMap::new();
        let mut deficits: HashMap<i64, Vec<surveys::deficits::DeficitResult>> = HashMap::new();
        for (school, group, answers) in self.storage.campaign_responses(scoped.campaign.id).await? {
            let (Some(group), true) = (
                Group::parse(&group),
                scoped.schools.iter().any(|s| s.school_id == school),
            ) else {
                continue;
            };
            let Some(instrument) = m.instrument(group) else {
                continue;
            };
            let raw: RawAnswers = serde_json::from_str(&answers)
                .map_err(|e| ServerError::Inconsistent(format!("stored answers: {e}")))?;
            let mut ignored = Vec::new();
            let answers = Answers::parse_known(m, instrument, &raw, &mut ignored, |_| false);
            if group == Group::TeacherDeficits {
                if let Some(result) = surveys::deficits::teacher_result(m, &answers, start) {
                    deficits.entry(school).or_default().push(result);
                }
            }
            by_school
                .entry(school)
                .or_default()
                .push(Response { group, answers });
        }
        let scorer = Scorer::new(m);
        let profiles = scoped
            .schools
            .iter()
            .map(|s| {
                scorer.profile(
                    &s.code,
                    &expected(s),
                    by_school.get(&s.school_id).map_or(&[][..], Vec::as_slice),
                )
            })
            .collect();
        let deficits = scoped
            .schools
            .iter()
            .map(|s| deficits.remove(&s.school_id).unwrap_or_default())
            .collect();
        Ok(Scored { profiles, deficits })
    }

    fn level_of(&self, key: Option<&String>, lang: Lang) -> Option<LevelView> {
        let key = key?;
        levels(&self.methodology, lang)
            .into_iter()
            .find(|l| &l.key == key)
    }

    fn indicator_view(&self, i: &surveys::profile::IndicatorResult, lang: Lang) -> IndicatorView {
        let m = &self.methodology;
        let l = lang.code();
        let def = m.indicator(&i.key);
        let display = def.map_or(Display::Score, |d| d.display);
        let show = |v: f64| match display {
            Display::Share => format!("{:.0} %", v * 100.0),
            Display::Score => format!("{v:.2}"),
            Display::Number => {
                if v.fract() == 0.0 {
                    format!("{v:.0}")
                } else {
                    format!("{v:.2}")
                }
            }
        };
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
            key: i.key.clone(),
            name: def.map_or_else(|| i.key.clone(), |d| d.name.get(l).to_owned()),
            group: group_label(i.group, lang).to_owned(),
            value: i.value.map(show),
            ok: def.map_or_else(String::new, |d| show(d.ok)),
            critical: def.map_or_else(String::new, |d| show(d.critical)),
            risk: i.risk,
            respondents: i.respondents,
            insufficient,
        }
    }

    fn factor_view(
        &self,
        profile: &SchoolProfile,
        f: &surveys::profile::FactorResult,
        lang: Lang,
    ) -> FactorView {
        let m = &self.methodology;
        let level = self.level_of(f.level.as_ref(), lang);
        let indicators: Vec<IndicatorView> = profile
            .indicators
            .iter()
            .filter(|i| i.factor == f.code)
            .map(|i| self.indicator_view(i, lang))
            .collect();
        let why = match (&level, f.score) {
            (Some(level), Some(score)) => {
                let mut risky: Vec<&IndicatorView> =
                    indicators.iter().filter(|i| i.risk.is_some()).collect();
                risky.sort_by(|a, b| b.risk.partial_cmp(&a.risk).unwrap_or(std::cmp::Ordering::Equal));
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
                match lang {
                    Lang::Ru => format!(
                        "Средний риск {} показателей — {score:.2}{}, поэтому уровень «{}». Больше всего риска дают: {}.",
                        f.indicators.len(),
                        cut.map_or_else(String::new, |c| format!(" (меньше {c:.2})")),
                        level.name,
                        top.join(", ")
                    ),
                    Lang::En => format!(
                        "The mean risk of {} indicators is {score:.2}{}, hence «{}». Most of the risk comes from: {}.",
                        f.indicators.len(),
                        cut.map_or_else(String::new, |c| format!(" (under {c:.2})")),
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
            code: f.code.0.clone(),
            name: m
                .factors
                .iter()
                .find(|x| x.code == f.code)
                .map_or_else(|| f.code.0.clone(), |x| x.name.get(lang.code()).to_owned()),
            score: f.score,
            level,
            why,
            indicators,
        }
    }
}

#[async_trait::async_trait]
impl ReportSource for Reports {
    async fn monitor(
        &self,
        viewer: &Viewer,
        campaign: i64,
        municipality: Option<i64>,
        lang: Lang,
    ) -> Result<Option<Monitor>, AppError> {
        let run = async {
            let Some((scoped, choices, in_scope)) =
                self.filtered(viewer, campaign, municipality).await?
            else {
                return Ok(None);
            };
            // Counts only: the monitor never needs the answers themselves.
            let counts = self.storage.response_counts(scoped.campaign.id).await?;
            let rows = scoped
                .schools
                .iter()
                .map(|s| {
                    let mut per_group = [0u32; 5];
                    for (school, group, n) in &counts {
                        if let (true, Some(g)) = (*school == s.school_id, Group::parse(group)) {
                            per_group[g.index()] = u32::try_from(*n).unwrap_or(0);
                        }
                    }
                    let expected = expected(s);
                    let mut groups = group_results(&self.methodology, &expected, &per_group);
                    groups.push(surveys::deficits::participation(
                        &self.methodology,
                        expected.get(Group::TeacherDeficits),
                        per_group[Group::TeacherDeficits.index()],
                    ));
                    MonitorRow {
                        school_id: s.school_id,
                        school: s.name.clone(),
                        municipality: s.municipality.clone(),
                        groups: group_cells(&groups, lang),
                    }
                })
                .collect();
            Ok::<_, ServerError>(Some(Monitor {
                campaign: campaign_item(&scoped.campaign, in_scope),
                municipalities: choices,
                rows,
            }))
        };
        run.await.map_err(|e| internal(&e))
    }

    async fn matrix(
        &self,
        viewer: &Viewer,
        campaign: i64,
        municipality: Option<i64>,
        lang: Lang,
    ) -> Result<Option<Matrix>, AppError> {
        let run = async {
            let Some((scoped, choices, in_scope)) =
                self.filtered(viewer, campaign, municipality).await?
            else {
                return Ok(None);
            };
            let scored = self.score(&scoped).await?;
            let m = &self.methodology;
            let levels = levels(m, lang);
            let highest = levels.last().map(|l| l.key.clone());
            let rows: Vec<MatrixRow> = scoped
                .schools
                .iter()
                .zip(&scored.profiles)
                .map(|(s, p)| {
                    let cells: Vec<FactorCell> = p
                        .factors
                        .iter()
                        .map(|f| FactorCell {
                            code: f.code.0.clone(),
                            score: f.score,
                            level: self.level_of(f.level.as_ref(), lang),
                        })
                        .collect();
                    MatrixRow {
                        school_id: s.school_id,
                        school: s.name.clone(),
                        municipality: s.municipality.clone(),
                        high: cells
                            .iter()
                            .filter(|c| c.level.as_ref().map(|l| &l.key) == highest.as_ref())
                            .count() as u32,
                        cells,
                    }
                })
                .collect();
            let factors = m
                .factors
                .iter()
                .map(|f| {
                    let cells: Vec<&FactorCell> = rows
                        .iter()
                        .filter_map(|r| r.cells.iter().find(|c| c.code == f.code.0))
                        .collect();
                    FactorColumn {
                        code: f.code.0.clone(),
                        name: f.name.get(lang.code()).to_owned(),
                        per_level: levels
                            .iter()
                            .map(|l| {
                                cells
                                    .iter()
                                    .filter(|c| c.level.as_ref().is_some_and(|x| x.key == l.key))
                                    .count() as u32
                            })
                            .collect(),
                        insufficient: cells.iter().filter(|c| c.level.is_none()).count() as u32,
                    }
                })
                .collect();
            Ok::<_, ServerError>(Some(Matrix {
                campaign: campaign_item(&scoped.campaign, in_scope),
                municipalities: choices,
                levels,
                factors,
                rows,
            }))
        };
        run.await.map_err(|e| internal(&e))
    }

    async fn profile(
        &self,
        viewer: &Viewer,
        campaign: i64,
        school: i64,
        lang: Lang,
    ) -> Result<Option<Profile>, AppError> {
        let run = async {
            let Some(mut scoped) = self.scoped(viewer, campaign, None).await? else {
                return Ok(None);
            };
            let count = scoped.schools.len();
            scoped.schools.retain(|s| s.school_id == school);
            let Some(s) = scoped.schools.first().cloned() else {
                return Ok(None);
            };
            let scored = self.score(&scoped).await?;
            let (Some(profile), Some(results)) = (scored.profiles.first(), scored.deficits.first())
            else {
                return Ok(None);
            };
            let m = &self.methodology;
            let summary = surveys::deficits::school_summary(m, results);
            let bands: Vec<LevelView> = m
                .deficits
                .bands
                .iter()
                .map(|b| LevelView {
                    key: b.key.clone(),
                    name: b.name.get(lang.code()).to_owned(),
                    colour: b.colour.clone(),
                })
                .collect();
            let deficits = DeficitView {
                bands,
                areas: summary
                    .areas
                    .iter()
                    .map(|a| {
                        (
                            m.deficits
                                .areas
                                .iter()
                                .find(|x| x.key == a.area)
                                .map_or_else(|| a.area.clone(), |x| x.name.get(lang.code()).to_owned()),
                            a.bands.iter().map(|(_, n)| *n).collect(),
                        )
                    })
                    .collect(),
                suppressed: summary.suppressed.then(|| match lang {
                    Lang::Ru => format!(
                        "Недостаточно данных: сводка показывается, когда диагностику прошли не меньше {} учителей.",
                        surveys::deficits::min_teachers(m)
                    ),
                    Lang::En => format!(
                        "Not enough data: the summary is shown once at least {} teachers have taken the diagnostic.",
                        surveys::deficits::min_teachers(m)
                    ),
                }),
            };
            Ok::<_, ServerError>(Some(Profile {
                campaign: campaign_item(&scoped.campaign, count),
                school: s.name.clone(),
                municipality: s.municipality.clone(),
                methodology_version: profile.methodology_version.clone(),
                levels: levels(m, lang),
                groups: group_cells(&profile.groups, lang),
                factors: profile
                    .factors
                    .iter()
                    .map(|f| self.factor_view(profile, f, lang))
                    .collect(),
                deficits,
            }))
        };
        run.await.map_err(|e| internal(&e))
    }

    async fn change(
        &self,
        viewer: &Viewer,
        before: Option<i64>,
        after: Option<i64>,
        municipality: Option<i64>,
        lang: Lang,
    ) -> Result<Option<Change>, AppError> {
        let run = async {
            let m: &Methodology = &self.methodology;
            // Campaigns with schools in scope, newest first.
            let mut campaigns = Vec::new();
            for c in self.storage.campaigns().await? {
                if self.scoped(viewer, c.id, None).await?.is_some() {
                    campaigns.push(c);
                }
            }
            if campaigns.is_empty() {
                return Ok(None);
            }
            let choices: Vec<Choice> = campaigns
                .iter()
                .map(|c| Choice {
                    id: c.id,
                    name: format!("{} ({} — {})", c.name, c.opens_on, c.closes_on),
                })
                .collect();
            let after = after.or(campaigns.first().map(|c| c.id));
            let before = before.or(campaigns.get(1).map(|c| c.id));
            let factors: Vec<(String, String)> = m
                .factors
                .iter()
                .map(|f| (f.code.0.clone(), f.name.get(lang.code()).to_owned()))
                .collect();
            let mut report = Change {
                campaigns: choices,
                municipalities: Vec::new(),
                before,
                after,
                versions: None,
                factors,
                rows: Vec::new(),
                totals: vec![(0, 0); m.factors.len()],
            };
            let (Some(before), Some(after)) = (before, after) else {
                return Ok(Some(report));
            };
            let (Some(all), Some(earlier), Some(later)) = (
                self.scoped(viewer, after, None).await?,
                self.scoped(viewer, before, municipality).await?,
                self.scoped(viewer, after, municipality).await?,
            ) else {
                return Ok(Some(report));
            };
            report.municipalities = municipalities(&all.schools);
            if earlier.campaign.methodology_version != later.campaign.methodology_version {
                report.versions = Some(match lang {
                    Lang::Ru => format!(
                        "Кампании проведены по разным версиям методики ({} и {}): оба профиля пересчитаны по текущей версии {}.",
                        earlier.campaign.methodology_version, later.campaign.methodology_version, m.version
                    ),
                    Lang::En => format!(
                        "The campaigns used different methodology versions ({} and {}): both profiles are recomputed with the current version {}.",
                        earlier.campaign.methodology_version, later.campaign.methodology_version, m.version
                    ),
                });
            }
            let first = self.score(&earlier).await?;
            let second = self.score(&later).await?;
            for (s, after_profile) in later.schools.iter().zip(&second.profiles) {
                let Some(before_profile) = first.profiles.iter().find(|p| p.school == s.code)
                else {
                    continue;
                };
                let Ok(change) = surveys::change::compare(m, before_profile, after_profile) else {
                    continue;
                };
                let cells: Vec<ChangeCell> = change
                    .factors
                    .iter()
                    .enumerate()
                    .map(|(n, f)| {
                        let transition = match f.transition {
                            surveys::change::Transition::Improved => {
                                report.totals[n].0 += 1;
                                "improved"
                            }
                            surveys::change::Transition::Worsened => {
                                report.totals[n].1 += 1;
                                "worsened"
                            }
                            surveys::change::Transition::Unchanged => "unchanged",
                            surveys::change::Transition::Unknown => "unknown",
                        };
                        ChangeCell {
                            code: f.code.0.clone(),
                            before: self.level_of(f.before_level.as_ref(), lang),
                            after: self.level_of(f.after_level.as_ref(), lang),
                            delta: f.delta,
                            transition: transition.into(),
                        }
                    })
                    .collect();
                report.rows.push(ChangeRow {
                    school_id: s.school_id,
                    school: s.name.clone(),
                    municipality: s.municipality.clone(),
                    cells,
                    improved: change.improved,
                    worsened: change.worsened,
                });
            }
            Ok::<_, ServerError>(Some(report))
        };
        run.await.map_err(|e| internal(&e))
    }

    async fn code_sheet(
        &self,
        viewer: &Viewer,
        campaign: i64,
        school: i64,
        base: &str,
        lang: Lang,
    ) -> Result<Option<CodeSheet>, AppError> {
        let run = async {
            let Some(mut scoped) = self.scoped(viewer, campaign, None).await? else {
                return Ok(None);
            };
            let count = scoped.schools.len();
            scoped.schools.retain(|s| s.school_id == school);
            let Some(s) = scoped.schools.first() else {
                return Ok(None);
            };
            let mut codes = self.storage.access_codes(campaign, school).await?;
            // Group codes first, in the order respondents meet them, then personal ones.
            let order = |g: &str| {
                [
                    Group::Student,
                    Group::Parent,
                    Group::Teacher,
                    Group::Principal,
                    Group::TeacherDeficits,
                ]
                .iter()
                .position(|x| x.key() == g)
                .unwrap_or(9)
            };
            codes.sort_by_key(|(code, group, _)| (order(group), code.clone()));
            let mut entries = Vec::new();
            for (code, group, personal) in codes {
                let Some(g) = Group::parse(&group) else {
                    continue;
                };
                let link = format!("{base}/s/{code}");
                let label = group_label(g, lang);
                let hint = match g {
                    Group::Student => lang.tr(
                        "Для всех обучающихся 5–11 классов: раздайте или покажите на уроке.",
                        "For all students of grades 5–11: hand out or show in class.",
                    ),
                    Group::Parent => lang.tr(
                        "Для родителей: передайте через дневник, чат класса или на собрании.",
                        "For parents: pass on through the class chat or at a meeting.",
                    ),
                    Group::Teacher => lang.tr(
                        "Для всех учителей школы; анкета анонимна.",
                        "For all teachers of the school; anonymous.",
                    ),
                    Group::Principal => lang.tr(
                        "Личный код руководителя школы.",
                        "The principal's personal code.",
                    ),
                    Group::TeacherDeficits => lang.tr(
                        "Личный код одного учителя: результат увидит только он.",
                        "One teacher's personal code: only they see the result.",
                    ),
                };
                entries.push(CodeEntry {
                    group: group.clone(),
                    label: label.into(),
                    hint: hint.into(),
                    qr: qr_svg(&link),
                    code,
                    link,
                    personal,
                });
            }
            Ok::<_, ServerError>(Some(CodeSheet {
                campaign: campaign_item(&scoped.campaign, count),
                school: s.name.clone(),
                municipality: s.municipality.clone(),
                entries,
            }))
        };
        run.await.map_err(|e| internal(&e))
    }
}
