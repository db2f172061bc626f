//! What coordinators' report pages show — response rates, school profiles, the schools ×
//! factors matrix — and the server functions that fetch them. Every view is computed by the
//! server from the engine's results, already cut to the viewer's scope and to the engine's
//! minimum-respondent rules.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::listing::{ListQuery, Paging};
use crate::work::{CampaignItem, Choice, Session};

/// A risk level with its colour.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LevelView {
    pub key: String,
    pub name: String,
    pub colour: String,
}

/// Responses of one group of a school against the expected count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupCell {
    pub group: String,
    pub label: String,
    /// `None` for 1 to `min_respondents - 1` responses: a count under the minimum is shown as
    /// «< min», never as a number (nor as a rate it could be computed from).
    pub responses: Option<u32>,
    pub expected: Option<u32>,
    pub rate: Option<f64>,
    pub floor: f64,
    pub min_respondents: u32,
    /// Enough respondents and a high enough rate for the group's indicators.
    pub sufficient: bool,
    /// Submissions through the group code beyond its surplus limit, held for a coordinator's
    /// decision (monitor only).
    /// As a band («< 5», «5–9», then the number), never an exact small count; `None` when
    /// nothing is held.
    pub held: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonitorRow {
    pub school_id: i64,
    pub school: String,
    pub municipality: String,
    pub groups: Vec<GroupCell>,
}

/// The response-rate monitor of a campaign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Monitor {
    pub campaign: CampaignItem,
    pub municipalities: Vec<Choice>,
    /// One page of the schools (`paging`), sorted and searched as asked.
    pub rows: Vec<MonitorRow>,
    pub paging: Paging,
    /// The viewer may publish the campaign's results now (admin, regional; open campaign).
    pub can_publish: bool,
    /// The viewer may admit or discard held submissions (admin, regional, municipal).
    pub can_decide: bool,
    /// A group code's surplus limit as a percentage of the expected count.
    pub surplus_percent: u32,
    /// The stage dates of the campaign's anti-risk programmes.
    pub stages: Vec<StageItem>,
    /// The viewer may set the stage dates (admin, regional).
    pub can_set_stages: bool,
    /// The viewer may print the schools' access codes (`access::CODE_HOLDERS`).
    pub can_print_codes: bool,
}

/// A stage date of a campaign's anti-risk programmes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageItem {
    pub id: i64,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub due_on: String,
}

/// A factor's result at one school.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FactorCell {
    pub code: String,
    pub score: Option<f64>,
    /// `None`: «недостаточно данных».
    pub level: Option<LevelView>,
    /// The score's interval reaches another level («уровень неустойчив»).
    pub unstable: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatrixRow {
    pub school_id: i64,
    pub school: String,
    pub municipality: String,
    pub cells: Vec<FactorCell>,
    /// Factors at the highest level.
    pub high: u32,
}

/// A factor's name and how the schools fall into its levels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FactorColumn {
    pub code: String,
    pub name: String,
    /// Schools per level, in the levels' order.
    pub per_level: Vec<u32>,
    pub insufficient: u32,
}

/// Schools × factors of a campaign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Matrix {
    pub campaign: CampaignItem,
    pub municipalities: Vec<Choice>,
    pub levels: Vec<LevelView>,
    /// Over every school the filter leaves, not only the page.
    pub factors: Vec<FactorColumn>,
    /// One page of the schools (`paging`), sorted and searched as asked.
    pub rows: Vec<MatrixRow>,
    pub paging: Paging,
    /// The groups whose raw answers the viewer may download (`access::RAW_READERS`): (group
    /// key, its name).
    pub raw_exports: Vec<(String, String)>,
}

/// One indicator behind a factor, with what explains it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorView {
    pub key: String,
    pub name: String,
    pub group: String,
    /// The value as shown (a share in %, a score, a number).
    pub value: Option<String>,
    /// The value's confidence interval as shown («32–58 %»); none for an exact number.
    pub interval: Option<String>,
    pub ok: String,
    pub critical: String,
    pub risk: Option<f64>,
    /// How many answered, as published: a number from 10 on, a band («5–9») under it.
    pub respondents: Option<String>,
    /// Why there is no value, in words.
    pub insufficient: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FactorView {
    pub code: String,
    pub name: String,
    pub score: Option<f64>,
    pub level: Option<LevelView>,
    /// The score's confidence interval (two decimals).
    pub interval: Option<(f64, f64)>,
    /// Set when the interval reaches another level: «уровень неустойчив» and which way.
    pub unstable: Option<String>,
    /// «Why this level», in plain words.
    pub why: String,
    pub indicators: Vec<IndicatorView>,
}

/// The teachers' deficit summary of a school: areas × bands, or why it is not shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeficitView {
    pub bands: Vec<LevelView>,
    /// (area name, teachers per band); empty when suppressed.
    pub areas: Vec<(String, Vec<u32>)>,
    pub suppressed: Option<String>,
}

/// A school's risk profile in a campaign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub campaign: CampaignItem,
    pub school_id: i64,
    pub school: String,
    pub municipality: String,
    pub methodology_version: String,
    pub levels: Vec<LevelView>,
    pub groups: Vec<GroupCell>,
    pub factors: Vec<FactorView>,
    pub deficits: DeficitView,
    pub risks: RiskPanel,
    /// The school's factors over the published campaigns it took part in, oldest first; none
    /// with fewer than two.
    pub history: Option<ProfileHistory>,
}

/// A school's factor scores over campaigns (each scored by the running methodology).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileHistory {
    /// (campaign id, name), oldest first.
    pub campaigns: Vec<(i64, String)>,
    pub factors: Vec<FactorHistory>,
}

/// A factor's score and level in one campaign, none without enough data.
pub type FactorPoint = Option<(f64, Option<LevelView>)>;

/// One factor's score and level in each campaign of a `ProfileHistory` (none without enough
/// data).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FactorHistory {
    pub code: String,
    pub name: String,
    pub points: Vec<FactorPoint>,
}

/// A campaign's schools in scope by municipality: per factor, how many schools stand at each
/// level (a picture of the region, and the table beside it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionOverview {
    pub campaign: CampaignItem,
    pub levels: Vec<LevelView>,
    /// (code, name).
    pub factors: Vec<(String, String)>,
    /// The whole scope first, then each municipality by name; empty while nothing is published.
    pub areas: Vec<OverviewArea>,
}

/// The schools of an area (the viewer's whole scope, or a municipality) per factor and level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverviewArea {
    /// `None` for the whole scope.
    pub municipality: Option<i64>,
    pub name: String,
    pub schools: u32,
    /// One per factor, in the methodology's order.
    pub cells: Vec<LevelCounts>,
}

/// Schools at each level (in the methodology's order) and without enough data.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LevelCounts {
    pub per_level: Vec<u32>,
    pub insufficient: u32,
}

/// A risk the school chose for its anti-risk programme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChosenRiskView {
    pub factor: String,
    pub name: String,
    pub level: Option<LevelView>,
    pub reasoning: String,
}

/// A factor the profile suggests as an actual risk, with its weakest indicators' names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuggestionView {
    pub factor: String,
    pub name: String,
    pub level: Option<LevelView>,
    pub weakest: Vec<String>,
}

/// The school's chosen risks on its profile, and what may be chosen.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RiskPanel {
    pub chosen: Vec<ChosenRiskView>,
    /// Factors with a score, suggested ones (above the lowest level) first.
    pub suggestions: Vec<SuggestionView>,
    /// The viewer may choose and drop risks (the school itself, its curator, an admin) now.
    pub can_choose: bool,
    /// The most risks a school may choose.
    pub max: u32,
    /// The programme's status, once it exists.
    pub status: Option<crate::programmes::ProgrammeStatus>,
}

/// One factor of one school between two campaigns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeCell {
    pub code: String,
    /// The levels' keys (`Change::levels` words them): a page of fifty schools carries five
    /// hundred cells.
    pub before: Option<String>,
    pub after: Option<String>,
    /// after − before; negative is less risk.
    pub delta: Option<f64>,
    /// Of the level; `Unknown` for a side without enough data.
    pub transition: surveys::change::Transition,
    /// The two scores as published (none without enough data).
    pub before_score: Option<f64>,
    pub after_score: Option<f64>,
    /// Whether the difference is beyond the scores' uncertainty («значимо») or within it («в
    /// пределах погрешности»); `None` without both scores.
    pub significant: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeRow {
    pub school_id: i64,
    pub school: String,
    pub municipality: String,
    pub cells: Vec<ChangeCell>,
    /// Factors improved and worsened beyond the uncertainty.
    pub improved: u32,
    pub worsened: u32,
    /// Factors whose level improved or worsened at all.
    pub improved_all: u32,
    pub worsened_all: u32,
}

/// Schools (of a municipality, or all in scope) between two campaigns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// Campaigns with schools in scope, newest first.
    pub campaigns: Vec<Choice>,
    pub municipalities: Vec<Choice>,
    pub before: Option<i64>,
    pub after: Option<i64>,
    /// Set when the campaigns used different methodology versions (both are recomputed with the
    /// current one, and the reader is told).
    pub versions: Option<String>,
    pub factors: Vec<(String, String)>,
    /// The methodology's levels (the chart's patterns).
    pub levels: Vec<LevelView>,
    /// One page of the schools (`paging`), sorted and searched as asked.
    pub rows: Vec<ChangeRow>,
    pub paging: Paging,
    /// One of the two campaigns has no publication the viewer may read yet.
    pub unpublished: bool,
    /// Per factor: schools improved, worsened beyond the uncertainty.
    pub totals: Vec<(u32, u32)>,
    /// Per factor: schools whose level improved, worsened at all.
    pub totals_all: Vec<(u32, u32)>,
}

/// One access code on a school's sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeEntry {
    pub group: String,
    pub label: String,
    /// Whom to give it to, in a line.
    pub hint: String,
    pub code: String,
    pub link: String,
    /// The link as a QR code (SVG markup made on the server).
    pub qr: String,
    pub personal: bool,
}

/// A school's printable sheet of access codes for a campaign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeSheet {
    pub campaign: CampaignItem,
    pub school_id: i64,
    pub school: String,
    pub municipality: String,
    pub entries: Vec<CodeEntry>,
}

/// A measure of a chosen risk as the programme page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeasureView {
    pub id: i64,
    pub action: String,
    /// «role — name».
    pub responsible: String,
    pub responsible_role: String,
    pub responsible_name: String,
    pub starts_on: Option<String>,
    pub due_on: Option<String>,
    pub expected_result: String,
    /// The status in words.
    pub status: String,
    pub status_reason: String,
    pub evidence: String,
    /// Past its deadline and not done: «просрочено» (computed, never typed).
    pub overdue: bool,
    pub from_catalogue: bool,
    /// Comments of those who agree, on this measure («who: text»).
    pub comments: Vec<String>,
    /// The status's key: `planned`, `in_progress`, `done`, `not_done`.
    pub status_key: String,
    /// Documents attached as evidence.
    pub files: Vec<FileView>,
}

/// A document attached to a measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileView {
    pub id: i64,
    pub name: String,
    /// The size in words (`1,2 МБ`).
    pub size: String,
}

/// A stage of a campaign's programmes as a school's programme page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageView {
    pub stage: StageItem,
    /// `filed`, `overdue` (the date passed without a report), `due` (within 14 days), `later`.
    pub state: String,
    pub report: Option<StageReportView>,
    /// Comments of those who agree, on this stage's report.
    pub comments: Vec<String>,
}

/// A filed stage report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageReportView {
    pub analysis: String,
    pub who: String,
    /// `YYYY-MM-DD HH:MM` (UTC).
    pub when: String,
    /// The measures as the report found them: (measure, status in words, reason, evidence).
    pub marks: Vec<(String, String, String, String)>,
}

/// A target of a chosen risk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetView {
    pub id: i64,
    pub indicator: String,
    pub name: String,
    /// The value in the published profile, as shown.
    pub baseline: Option<String>,
    pub target: String,
    /// Comments of those who agree, on this target.
    pub comments: Vec<String>,
}

/// A measure of the methodology's catalogue for a factor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogueMeasure {
    pub index: i64,
    pub action: String,
    pub responsible: String,
    pub expected_result: String,
}

/// An indicator of a chosen factor that can get a target, with its baseline and default target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorChoice {
    pub key: String,
    pub name: String,
    pub baseline: Option<String>,
    /// The value at the cut-off of the level below the factor's (as written in the form).
    pub default_target: Option<String>,
}

/// A chosen risk with its part of the programme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskPlanView {
    pub factor: String,
    pub name: String,
    pub level: Option<LevelView>,
    pub reasoning: String,
    pub goal: String,
    pub tasks: String,
    pub measures: Vec<MeasureView>,
    pub targets: Vec<TargetView>,
    pub catalogue: Vec<CatalogueMeasure>,
    pub indicators: Vec<IndicatorChoice>,
}

/// One change in a programme's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub who: String,
    /// `YYYY-MM-DD HH:MM` (UTC).
    pub when: String,
    pub what: String,
    pub comment: String,
}

/// A school's anti-risk programme for a campaign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgrammeView {
    pub campaign: CampaignItem,
    pub school_id: i64,
    pub school: String,
    pub municipality: String,
    pub status: Option<crate::programmes::ProgrammeStatus>,
    /// The viewer may change it now (the school, its curator, an admin; draft or returned).
    pub can_edit: bool,
    pub risks: Vec<RiskPlanView>,
    /// Warnings, not refusals: a measure without a deadline or a responsible, a risk without a
    /// target.
    pub warnings: Vec<String>,
    pub history: Vec<HistoryEntry>,
    /// The steps of the agreement the viewer may take now: `submit`, `comment`, `return`,
    /// `agree`, `reopen`.
    pub steps: Vec<String>,
    /// Comments on the programme as a whole (the last return's first).
    pub comments: Vec<String>,
    /// The campaign's stages with this programme's reports.
    pub stages: Vec<StageView>,
    /// The viewer may file stage reports now (a writer; the programme agreed).
    pub can_report: bool,
    /// The viewer may comment on stage reports (admin, curator, municipal coordinator).
    pub can_comment_stages: bool,
    /// The viewer may attach documents to measures (a writer).
    pub can_attach: bool,
    /// The results against the next published campaign, once there is one.
    pub results: Option<ResultsView>,
    /// The agreement's steps so far (submitted, agreed), for the printed document.
    pub agreement: Vec<HistoryEntry>,
    /// Targets on educational results, judged on the import of their year.
    pub result_targets: Vec<ResultTargetView>,
    /// The results indicators a target may be set on (the school's assessments with a shown
    /// figure).
    pub result_choices: Vec<ResultChoice>,
}

/// A programme target on an educational results indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultTargetView {
    pub id: i64,
    pub factor: String,
    /// «ВПР, Математика, 5 класс: доля «2»».
    pub name: String,
    /// The baseline with its year.
    pub baseline: Option<String>,
    pub target: String,
    pub judged_year: u16,
    pub actual: Option<String>,
    /// `achieved`, `not_achieved`, `insufficient_data` or `awaiting` (no import of the year yet).
    pub achievement: String,
    pub verdict: String,
    /// The actual figure's interval straddles the target.
    pub uncertain: bool,
}

/// A results indicator a target may be set on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultChoice {
    /// `assessment:indicator`.
    pub key: String,
    pub name: String,
    pub baseline: Option<String>,
}

/// A programme's results against a later published campaign of its school.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultsView {
    /// The later campaign's name.
    pub campaign: String,
    pub targets: Vec<TargetResultView>,
    pub factors: Vec<FactorChangeView>,
    /// Every judged target achieved (`Some(true)`), one not (`Some(false)`), none judged.
    pub met: Option<bool>,
}

/// A target: baseline → target → actual, and the verdict of `surveys`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetResultView {
    pub factor: String,
    pub indicator: String,
    pub name: String,
    pub baseline: Option<String>,
    pub target: String,
    pub actual: Option<String>,
    /// `achieved`, `not_achieved` or `insufficient_data`.
    pub achievement: String,
    /// The verdict in words.
    pub verdict: String,
    /// The later value's interval straddles the target: the verdict may be chance.
    pub uncertain: bool,
}

/// A chosen factor's level in the programme's campaign and in the later one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FactorChangeView {
    pub code: String,
    pub name: String,
    pub before: Option<LevelView>,
    pub after: Option<LevelView>,
}

/// «Эффективность мер»: how often each catalogue measure appears in agreed programmes whose
/// targets were met versus not, over the viewer's scope; rows under the minimum are not shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Effectiveness {
    /// The fewest programmes a row (or the total) is shown for.
    pub min: u32,
    /// Programmes with a judged result, when at least `min`.
    pub judged: Option<u32>,
    pub rows: Vec<EffectRow>,
    /// Catalogue measures left out for appearing in fewer than `min` judged programmes.
    pub hidden: u32,
    /// Results-based outcomes: schools whose share of «2» fell beyond the uncertainty in the
    /// newest year, in words.
    pub improved: Vec<String>,
    /// Schools of the low-results list that now meet the criteria for leaving it.
    pub leaving: Vec<String>,
}

/// One catalogue measure in «эффективность мер».
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EffectRow {
    pub factor: String,
    pub action: String,
    /// Programmes with it whose targets were met.
    pub met: u32,
    pub not_met: u32,
}

/// A multi-item scale of one factor in one group, with its consistency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScaleRow {
    pub group: String,
    pub factor: String,
    pub items: usize,
    /// Respondents with every item answered, as published («5–9» under ten).
    pub respondents: String,
    pub alpha: Option<f64>,
}

/// One question of an instrument, with what its answers say about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemRow {
    pub group: String,
    pub key: String,
    pub question: String,
    pub factor: Option<String>,
    pub respondents: String,
    /// Share of «затрудняюсь ответить».
    pub dont_know: Option<f64>,
    pub dont_know_flag: bool,
    pub no_variance: bool,
    pub item_rest: Option<f64>,
}

/// A deficit area of the teachers' diagnostic with the number of items measuring it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaRow {
    pub area: String,
    pub items: u32,
    pub too_few: bool,
}

/// The quality of a campaign's instruments, from the published answers in scope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QualityReport {
    pub campaign: CampaignItem,
    pub scales: Vec<ScaleRow>,
    pub items: Vec<ItemRow>,
    pub areas: Vec<AreaRow>,
}

/// A report page: the session, and the report or why there is none (a campaign or school
/// outside the viewer's scope reads as not found).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report<T> {
    pub session: Session,
    pub report: Option<T>,
}

/// Report data from the server.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait ReportSource: Send + Sync {
    async fn monitor(
        &self,
        viewer: &crate::access::Viewer,
        campaign: i64,
        municipality: Option<i64>,
        cohort: Option<String>,
        list: ListQuery,
        lang: crate::i18n::Lang,
    ) -> Result<Option<Monitor>, AppError>;
    async fn matrix(
        &self,
        viewer: &crate::access::Viewer,
        campaign: i64,
        municipality: Option<i64>,
        cohort: Option<String>,
        list: ListQuery,
        lang: crate::i18n::Lang,
    ) -> Result<Option<Matrix>, AppError>;
    async fn profile(
        &self,
        viewer: &crate::access::Viewer,
        campaign: i64,
        school: i64,
        lang: crate::i18n::Lang,
    ) -> Result<Option<Profile>, AppError>;
    /// Two campaigns, the narrowing and the list: each a choice of the page.
    #[allow(clippy::too_many_arguments)]
    async fn change(
        &self,
        viewer: &crate::access::Viewer,
        before: Option<i64>,
        after: Option<i64>,
        municipality: Option<i64>,
        cohort: Option<String>,
        list: ListQuery,
        lang: crate::i18n::Lang,
    ) -> Result<Option<Change>, AppError>;
    async fn overview(
        &self,
        viewer: &crate::access::Viewer,
        campaign: i64,
        cohort: Option<String>,
        lang: crate::i18n::Lang,
    ) -> Result<Option<RegionOverview>, AppError>;
    async fn quality(
        &self,
        viewer: &crate::access::Viewer,
        campaign: i64,
        lang: crate::i18n::Lang,
    ) -> Result<Option<QualityReport>, AppError>;
}

#[cfg(feature = "ssr")]
pub type SharedReportSource = std::sync::Arc<dyn ReportSource>;

#[cfg(feature = "ssr")]
fn context() -> Result<(SharedReportSource, Session), AppError> {
    let source = use_context::<SharedReportSource>().ok_or_else(|| AppError::Internal {
        request_id: "-".into(),
    })?;
    Ok((source, crate::work::session()))
}

#[server(prefix = "/api", endpoint = "work-monitor")]
pub async fn get_monitor(
    campaign: i64,
    municipality: Option<i64>,
    cohort: Option<String>,
    #[server(default)] list: ListQuery,
) -> Result<Report<Monitor>, AppError> {
    let (source, session) = context()?;
    let report = match &session.viewer {
        Some(v) => {
            source
                .monitor(v, campaign, municipality, cohort, list, session.lang)
                .await?
        }
        None => None,
    };
    Ok(Report { session, report })
}

#[server(prefix = "/api", endpoint = "work-overview")]
pub async fn get_overview(
    campaign: i64,
    cohort: Option<String>,
) -> Result<Report<RegionOverview>, AppError> {
    let (source, session) = context()?;
    let report = match &session.viewer {
        Some(v) => source.overview(v, campaign, cohort, session.lang).await?,
        None => None,
    };
    Ok(Report { session, report })
}

#[server(prefix = "/api", endpoint = "work-matrix")]
pub async fn get_matrix(
    campaign: i64,
    municipality: Option<i64>,
    cohort: Option<String>,
    #[server(default)] list: ListQuery,
) -> Result<Report<Matrix>, AppError> {
    let (source, session) = context()?;
    let report = match &session.viewer {
        Some(v) => {
            source
                .matrix(v, campaign, municipality, cohort, list, session.lang)
                .await?
        }
        None => None,
    };
    Ok(Report { session, report })
}

#[server(prefix = "/api", endpoint = "work-profile")]
pub async fn get_profile(campaign: i64, school: i64) -> Result<Report<Profile>, AppError> {
    let (source, session) = context()?;
    let report = match &session.viewer {
        Some(v) => source.profile(v, campaign, school, session.lang).await?,
        None => None,
    };
    Ok(Report { session, report })
}

#[server(prefix = "/api", endpoint = "work-change")]
pub async fn get_change(
    before: Option<i64>,
    after: Option<i64>,
    municipality: Option<i64>,
    cohort: Option<String>,
    #[server(default)] list: ListQuery,
) -> Result<Report<Change>, AppError> {
    let (source, session) = context()?;
    let report = match &session.viewer {
        Some(v) => {
            source
                .change(v, before, after, municipality, cohort, list, session.lang)
                .await?
        }
        None => None,
    };
    Ok(Report { session, report })
}

#[server(prefix = "/api", endpoint = "work-codes")]
pub async fn get_code_sheet(campaign: i64, school: i64) -> Result<Report<CodeSheet>, AppError> {
    // A school's code sheet is the coordinators' room's.
    let source = crate::work::source()?;
    let session = crate::work::session();
    let report = match &session.viewer {
        Some(v) => source.code_sheet(v, campaign, school, session.lang).await?,
        None => None,
    };
    Ok(Report { session, report })
}

#[server(prefix = "/api", endpoint = "work-quality")]
pub async fn get_quality(campaign: i64) -> Result<Report<QualityReport>, AppError> {
    let (source, session) = context()?;
    let report = match &session.viewer {
        Some(v) => source.quality(v, campaign, session.lang).await?,
        None => None,
    };
    Ok(Report { session, report })
}
