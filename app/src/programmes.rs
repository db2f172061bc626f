//! Anti-risk programmes as the pages meet them: a programme's status (one enum, stored by its
//! key) and a campaign's list of its schools' programmes, filtered by their state.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::listing::Paging;
use crate::work::{CampaignItem, Choice};

/// Where a programme stands in its agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgrammeStatus {
    Draft,
    Submitted,
    Returned,
    Agreed,
}

impl ProgrammeStatus {
    pub const ALL: [ProgrammeStatus; 4] = [
        ProgrammeStatus::Draft,
        ProgrammeStatus::Submitted,
        ProgrammeStatus::Returned,
        ProgrammeStatus::Agreed,
    ];

    /// Its key in storage and in addresses.
    pub fn key(self) -> &'static str {
        match self {
            ProgrammeStatus::Draft => "draft",
            ProgrammeStatus::Submitted => "submitted",
            ProgrammeStatus::Returned => "returned",
            ProgrammeStatus::Agreed => "agreed",
        }
    }

    pub fn parse(key: &str) -> Option<ProgrammeStatus> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Its words on pages and in documents.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ProgrammeStatus::Draft => lang.tr("черновик", "draft"),
            ProgrammeStatus::Submitted => {
                lang.tr("отправлена на согласование", "submitted for agreement")
            }
            ProgrammeStatus::Returned => lang.tr("возвращена на доработку", "returned for changes"),
            ProgrammeStatus::Agreed => lang.tr("согласована", "agreed"),
        }
    }

    /// The school (or its curator) may change it: a draft, or returned for changes.
    pub fn editable(self) -> bool {
        matches!(self, ProgrammeStatus::Draft | ProgrammeStatus::Returned)
    }
}

impl TryFrom<String> for ProgrammeStatus {
    type Error = String;

    fn try_from(key: String) -> Result<Self, Self::Error> {
        Self::parse(&key).ok_or_else(|| format!("unknown programme status {key:?}"))
    }
}

/// Where a measure of a programme stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureStatus {
    Planned,
    InProgress,
    Done,
    NotDone,
}

impl MeasureStatus {
    pub const ALL: [MeasureStatus; 4] = [
        MeasureStatus::Planned,
        MeasureStatus::InProgress,
        MeasureStatus::Done,
        MeasureStatus::NotDone,
    ];

    /// Its key in storage and forms.
    pub fn key(self) -> &'static str {
        match self {
            MeasureStatus::Planned => "planned",
            MeasureStatus::InProgress => "in_progress",
            MeasureStatus::Done => "done",
            MeasureStatus::NotDone => "not_done",
        }
    }

    pub fn parse(key: &str) -> Option<MeasureStatus> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }

    /// The status a stored or sent key stands for: an empty or unknown one is planned.
    pub fn of(key: &str) -> MeasureStatus {
        Self::parse(key).unwrap_or(MeasureStatus::Planned)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            MeasureStatus::Planned => lang.tr("запланировано", "planned"),
            MeasureStatus::InProgress => lang.tr("выполняется", "in progress"),
            MeasureStatus::Done => lang.tr("выполнено", "done"),
            MeasureStatus::NotDone => lang.tr("не выполнено", "not done"),
        }
    }

    /// Carried out or given up: no longer due (never overdue).
    pub fn closed(self) -> bool {
        matches!(self, MeasureStatus::Done | MeasureStatus::NotDone)
    }

    /// Given up: it needs a reason.
    pub fn needs_reason(self) -> bool {
        self == MeasureStatus::NotDone
    }
}

/// A school's programme state in a list: its status, or no programme yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgrammeState {
    Without,
    Has(ProgrammeStatus),
}

impl ProgrammeState {
    /// Every state, in the order a list's filter offers them.
    pub fn all() -> impl Iterator<Item = ProgrammeState> {
        std::iter::once(ProgrammeState::Without)
            .chain(ProgrammeStatus::ALL.into_iter().map(ProgrammeState::Has))
    }

    pub fn of(status: Option<ProgrammeStatus>) -> ProgrammeState {
        status.map_or(ProgrammeState::Without, ProgrammeState::Has)
    }

    /// Its key in the address (`?state=`).
    pub fn key(self) -> &'static str {
        match self {
            ProgrammeState::Without => "none",
            ProgrammeState::Has(s) => s.key(),
        }
    }

    /// The state a filter asks for: none for every state, an error naming the field for a key
    /// that is no state.
    pub fn from_query(
        key: Option<&str>,
        lang: Lang,
    ) -> Result<Option<ProgrammeState>, crate::AppError> {
        match key.map(str::trim).filter(|k| !k.is_empty()) {
            None => Ok(None),
            Some(k) => Self::all().find(|s| s.key() == k).map(Some).ok_or_else(|| {
                let keys: Vec<&str> = Self::all().map(Self::key).collect();
                crate::AppError::not_one_of(lang, ("Состояние программы", "Programme state"), &keys)
            }),
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ProgrammeState::Without => lang.tr("нет программы", "no programme"),
            ProgrammeState::Has(s) => s.label(lang),
        }
    }
}

/// A school's line in a campaign's list of programmes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgrammeListRow {
    pub school_id: i64,
    pub school: String,
    pub municipality: String,
    pub state: ProgrammeState,
    /// The factor codes of the risks it chose, in the order chosen.
    pub risks: Vec<String>,
    pub measures: u32,
    /// Measures past their deadline and neither done nor given up.
    pub overdue: u32,
    /// The first stage without this programme's report, when it is due or overdue: (title,
    /// date, overdue).
    pub stage: Option<(String, String, bool)>,
}

/// A campaign's schools with their programmes, as one list page shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgrammeList {
    pub campaign: CampaignItem,
    pub municipalities: Vec<Choice>,
    pub rows: Vec<ProgrammeListRow>,
    pub paging: Paging,
    /// Schools per state over the whole filter but the state itself, every state listed.
    pub states: Vec<(ProgrammeState, usize)>,
}

/// The programmes' data from the server.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait ProgrammeSource: Send + Sync {
    /// A campaign's schools with their programmes, narrowed, filtered by state and cut to a page;
    /// `None` when the campaign has none of the viewer's schools.
    #[allow(clippy::too_many_arguments)]
    async fn programme_list(
        &self,
        viewer: &crate::access::Viewer,
        campaign: i64,
        municipality: Option<i64>,
        cohort: Option<crate::results::Cohort>,
        state: Option<ProgrammeState>,
        list: crate::listing::ListQuery,
    ) -> Result<Option<ProgrammeList>, crate::AppError>;
    /// A school's programme of a campaign, if the viewer may see the school.
    async fn programme(
        &self,
        viewer: &crate::access::Viewer,
        campaign: i64,
        school: i64,
        lang: Lang,
    ) -> Result<Option<crate::reports::ProgrammeView>, crate::AppError>;
    /// «Эффективность мер» over the viewer's scope (those who oversee many schools).
    async fn effectiveness(
        &self,
        viewer: &crate::access::Viewer,
        lang: Lang,
    ) -> Result<Option<crate::reports::Effectiveness>, crate::AppError>;
    /// The risks a school chose from its profile of a campaign, and what may be chosen.
    async fn risks(
        &self,
        viewer: &crate::access::Viewer,
        campaign: i64,
        school: i64,
        lang: Lang,
    ) -> Result<Option<crate::reports::RiskPanel>, crate::AppError>;
    /// What needs the viewer's attention in the programmes, and their overview.
    async fn attention(
        &self,
        viewer: &crate::access::Viewer,
        lang: Lang,
    ) -> Result<crate::work::Attention, crate::AppError>;
}

#[cfg(feature = "ssr")]
pub type SharedProgrammeSource = std::sync::Arc<dyn ProgrammeSource>;

/// The programmes' port and the request's session, for a server function.
#[cfg(feature = "ssr")]
pub(crate) fn context() -> Result<(SharedProgrammeSource, crate::work::Session), crate::AppError> {
    let source = leptos::prelude::use_context::<SharedProgrammeSource>().ok_or_else(|| {
        crate::AppError::Internal {
            request_id: "-".into(),
        }
    })?;
    Ok((source, crate::work::session()))
}

#[leptos::server(prefix = "/api", endpoint = "work-effectiveness")]
pub async fn get_effectiveness(
) -> Result<crate::reports::Report<crate::reports::Effectiveness>, crate::AppError> {
    let (source, session) = context()?;
    let report = match &session.viewer {
        Some(v) => source.effectiveness(v, session.lang).await?,
        None => None,
    };
    Ok(crate::reports::Report { session, report })
}

#[leptos::server(prefix = "/api", endpoint = "work-programme")]
pub async fn get_programme(
    campaign: i64,
    school: i64,
) -> Result<crate::reports::Report<crate::reports::ProgrammeView>, crate::AppError> {
    let (source, session) = context()?;
    let report = match &session.viewer {
        Some(v) => source.programme(v, campaign, school, session.lang).await?,
        None => None,
    };
    Ok(crate::reports::Report { session, report })
}

#[leptos::server(prefix = "/api", endpoint = "work-risks")]
pub async fn get_risks(
    campaign: i64,
    school: i64,
) -> Result<crate::reports::Report<crate::reports::RiskPanel>, crate::AppError> {
    let (source, session) = context()?;
    let report = match &session.viewer {
        Some(v) => source.risks(v, campaign, school, session.lang).await?,
        None => None,
    };
    Ok(crate::reports::Report { session, report })
}

#[leptos::server(prefix = "/api", endpoint = "work-programmes")]
pub async fn get_programme_list(
    campaign: i64,
    municipality: Option<i64>,
    cohort: Option<String>,
    state: Option<String>,
    #[server(default)] list: crate::listing::ListQuery,
) -> Result<crate::reports::Report<ProgrammeList>, crate::AppError> {
    use leptos::prelude::use_context;
    let source =
        use_context::<SharedProgrammeSource>().ok_or_else(|| crate::AppError::Internal {
            request_id: "-".into(),
        })?;
    let session = crate::work::session();
    let cohort = crate::results::Cohort::from_query(cohort.as_deref(), session.lang)?;
    let state = ProgrammeState::from_query(state.as_deref(), session.lang)?;
    let report = match &session.viewer {
        Some(v) => {
            source
                .programme_list(v, campaign, municipality, cohort, state, list)
                .await?
        }
        None => None,
    };
    Ok(crate::reports::Report { session, report })
}
