//! Educational results as coordinators' pages show them: a region's results page (imports and
//! their history, the candidate list with its reasons, cohorts, schools that meet the criteria for
//! leaving the list) and a school's card (its risk profile beside its results over the years, with
//! intervals, change, objectivity and its place among its peers). The server words everything in
//! the reader's language and cuts it to the viewer's scope and the minimum of participants.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::access::Viewer;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::reports::Report;
use crate::work::Choice;

/// A category a school carries over time, set by the region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Cohort {
    /// The region's list of schools with low results, of a year.
    LowResults,
    /// The federal «500+» project, of a year.
    Project500,
    /// A regional programme of support modelled on it.
    RegionalTwin,
    /// Schools working in difficult social conditions.
    DifficultConditions,
}

impl Cohort {
    pub const ALL: [Cohort; 4] = [
        Cohort::LowResults,
        Cohort::Project500,
        Cohort::RegionalTwin,
        Cohort::DifficultConditions,
    ];

    /// The key stored in the database and sent by forms.
    pub fn key(self) -> &'static str {
        match self {
            Cohort::LowResults => "low_results",
            Cohort::Project500 => "project_500",
            Cohort::RegionalTwin => "regional_twin",
            Cohort::DifficultConditions => "difficult_conditions",
        }
    }

    pub fn parse(key: &str) -> Option<Cohort> {
        Cohort::ALL.into_iter().find(|c| c.key() == key)
    }

    /// A cohort from a page's address (`?cohort=`): none, or one of the keys; anything else is
    /// refused, naming the field.
    pub fn from_query(key: Option<&str>, lang: Lang) -> Result<Option<Cohort>, AppError> {
        match key.filter(|k| !k.is_empty()) {
            None => Ok(None),
            Some(k) => Cohort::parse(k).map(Some).ok_or_else(|| {
                let keys: Vec<&str> = Cohort::ALL.iter().map(|c| c.key()).collect();
                AppError::not_one_of(lang, ("Категория школ", "Category of schools"), &keys)
            }),
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Cohort::LowResults => {
                lang.tr("школы с низкими результатами", "schools with low results")
            }
            Cohort::Project500 => lang.tr("проект «500+»", "the «500+» project"),
            Cohort::RegionalTwin => lang.tr(
                "региональная программа поддержки",
                "regional support programme",
            ),
            Cohort::DifficultConditions => lang.tr(
                "школы в сложных социальных условиях",
                "schools in difficult social conditions",
            ),
        }
    }
}

/// One import of a region's year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportItem {
    pub year: u16,
    pub who: String,
    pub at: String,
    pub file: String,
    pub layout: String,
    pub rows: u64,
    pub replaced: u64,
}

/// A school as a list shows it, with its card's address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchoolItem {
    pub school_id: i64,
    pub school: String,
    pub municipality: String,
}

/// The reasons a candidate's line shows (its card shows every one): a school with results in
/// thirty assessments may have as many.
pub const SHOWN_REASONS: usize = 3;

/// A school the selection criteria single out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateItem {
    pub school: SchoolItem,
    /// Meets the criterion for entering the low-results list.
    pub enters: bool,
    /// The first `SHOWN_REASONS` reasons in words; the school's card has them all.
    pub reasons: Vec<String>,
    /// How many more reasons there are.
    pub more_reasons: usize,
    /// The cohorts it carries, in words.
    pub cohorts: Vec<String>,
}

/// What a reader asked of the results page: the region (an admin's choice), the year, a
/// municipality, a cohort and the list shown (`candidates` or `cohorts`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ResultsFilter {
    pub region: Option<i64>,
    pub year: Option<u16>,
    pub municipality: Option<i64>,
    pub cohort: Option<String>,
    pub show: Option<String>,
}

/// The region's results page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultsOverview {
    pub region_id: i64,
    pub region: String,
    /// Regions to choose from (an admin's).
    pub regions: Vec<Choice>,
    /// Whether the viewer imports results and sets cohorts.
    pub can_import: bool,
    /// The year the criteria are evaluated for.
    pub year: Option<u16>,
    /// This year (the import form's default).
    pub this_year: u16,
    pub years: Vec<u16>,
    pub municipality: Option<i64>,
    pub municipalities: Vec<Choice>,
    /// (key, name) of every assessment of the catalogue, for the templates.
    pub assessments: Vec<(String, String)>,
    pub imports: Vec<ImportItem>,
    /// The criteria in words.
    pub criteria: Vec<String>,
    /// One page of the candidates (`paging`), searched and sorted as asked.
    pub candidates: Vec<CandidateItem>,
    pub paging: crate::listing::Paging,
    /// Schools of the low-results cohort that now meet the criteria for leaving it.
    pub leaving: Vec<SchoolItem>,
    /// (key, name) of the cohorts.
    pub cohorts: Vec<(String, String)>,
    /// The cohort the lists are narrowed to.
    pub cohort: Option<String>,
    /// Each cohort of each year with how many of its schools are in scope: («category (year)»,
    /// schools).
    pub cohort_lists: Vec<(String, usize)>,
    /// The list shown: `candidates` (the default) or `cohorts` (the schools of each cohort).
    pub show: String,
    /// One page of the cohorts' schools when they are shown (`paging`): (school, «category
    /// (year)»).
    pub members: Vec<(SchoolItem, String)>,
    /// How many candidates and cohort memberships the filter leaves (the tabs' counts).
    pub totals: [usize; 2],
    pub min_participants: u32,
}

/// A factor of the profile on the card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FactorLine {
    pub name: String,
    pub level: Option<String>,
    pub level_key: Option<String>,
    pub score: String,
}

/// A point of a small chart: a year, the value and its interval, and the words read aloud.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChartPoint {
    pub year: u16,
    pub value: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

/// A small chart of one indicator over the years.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chart {
    pub title: String,
    /// The top of the scale (the bottom is `min`).
    pub min: f64,
    pub max: f64,
    /// Shares are drawn as percentages.
    pub percent: bool,
    pub points: Vec<ChartPoint>,
}

/// One row of an assessment's table: an indicator over the years.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorLine {
    pub name: String,
    /// Per year: the figure with its interval, or why there is none.
    pub cells: Vec<String>,
    /// Per year from the second: «значимо лучше» / «в пределах погрешности» …
    pub trends: Vec<Option<String>>,
}

/// An assessment on the card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessmentBlock {
    pub key: String,
    pub name: String,
    pub years: Vec<u16>,
    pub lines: Vec<IndicatorLine>,
    pub chart: Chart,
    /// Objectivity flags and «лучше сопоставимых школ».
    pub flags: Vec<String>,
    /// The school among its peers, per indicator, in the newest year (`peer_year`).
    pub peers: Vec<PeerRow>,
    pub peer_year: Option<u16>,
}

/// A school's place among its peers for one indicator: never another school's own figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeerRow {
    pub name: String,
    /// «2 из 7» (1 is the best).
    pub place: String,
    pub median: String,
    pub quartiles: String,
    /// The region's median.
    pub region: String,
}

/// A school's card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchoolCard {
    pub school_id: i64,
    pub school: String,
    pub municipality: String,
    pub settlement: Option<String>,
    pub peer_group: String,
    pub cohorts: Vec<String>,
    pub cohort_history: Vec<String>,
    pub campaigns: Vec<Choice>,
    pub campaign: Option<i64>,
    pub factors: Vec<FactorLine>,
    /// Why the profile is not shown.
    pub profile_note: Option<String>,
    /// The programme's state in words and its page.
    pub programme: Option<(String, String)>,
    /// The kinds of assessment the school has results of (key, name, how many assessments):
    /// the card shows one kind at a time, a tab each.
    pub kinds: Vec<(String, String, usize)>,
    /// The kind shown.
    pub kind: Option<String>,
    /// The assessments of the kind shown.
    pub assessments: Vec<AssessmentBlock>,
    pub min_participants: u32,
}

/// Results data from the server.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait ResultsSource: Send + Sync {
    async fn overview(
        &self,
        viewer: &Viewer,
        filter: ResultsFilter,
        list: crate::listing::ListQuery,
        lang: Lang,
    ) -> Result<Option<ResultsOverview>, AppError>;
    /// A school's card; its results of one kind of assessment (`results`, the first the school
    /// has by default).
    async fn card(
        &self,
        viewer: &Viewer,
        school: i64,
        campaign: Option<i64>,
        results: Option<String>,
        lang: Lang,
    ) -> Result<Option<SchoolCard>, AppError>;
}

#[cfg(feature = "ssr")]
pub type SharedResultsSource = std::sync::Arc<dyn ResultsSource>;

#[cfg(feature = "ssr")]
fn source() -> Result<SharedResultsSource, AppError> {
    use_context::<SharedResultsSource>().ok_or_else(|| AppError::Internal {
        request_id: "-".into(),
    })
}

#[server(prefix = "/api", endpoint = "work-results")]
pub async fn get_results(
    region: Option<i64>,
    year: Option<u16>,
    municipality: Option<i64>,
    cohort: Option<String>,
    show: Option<String>,
    #[server(default)] list: crate::listing::ListQuery,
) -> Result<Report<ResultsOverview>, AppError> {
    let session = crate::work::session();
    let report = match &session.viewer {
        Some(v) => {
            let filter = ResultsFilter {
                region,
                year,
                municipality,
                cohort,
                show,
            };
            source()?.overview(v, filter, list, session.lang).await?
        }
        None => None,
    };
    Ok(Report { session, report })
}

#[server(prefix = "/api", endpoint = "work-school-card")]
pub async fn get_school_card(
    school: i64,
    campaign: Option<i64>,
    results: Option<String>,
) -> Result<Report<SchoolCard>, AppError> {
    let session = crate::work::session();
    let report = match &session.viewer {
        Some(v) => {
            source()?
                .card(v, school, campaign, results, session.lang)
                .await?
        }
        None => None,
    };
    Ok(Report { session, report })
}
