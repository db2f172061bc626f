//! The teacher's development loop as pages see it: a development plan (ИОМ) kept with the result
//! key of a diagnostic — its activities with dates, status and evidence, the catalogue's
//! suggestions, whom it is shown, the change since an earlier diagnostic — and the methodists'
//! view of the plans shared with them. The vocabulary (statuses, readers) is enums stored by key.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::access::Viewer;
use crate::i18n::Lang;
use crate::reports::Report;
use crate::respond::{AreaView, IomView};
use crate::AppError;

/// Where an activity of a plan stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ItemStatus {
    Planned,
    InProgress,
    Done,
}

impl ItemStatus {
    pub const ALL: [ItemStatus; 3] = [
        ItemStatus::Planned,
        ItemStatus::InProgress,
        ItemStatus::Done,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ItemStatus::Planned => "planned",
            ItemStatus::InProgress => "in_progress",
            ItemStatus::Done => "done",
        }
    }

    pub fn parse(key: &str) -> Option<ItemStatus> {
        ItemStatus::ALL.into_iter().find(|s| s.key() == key)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ItemStatus::Planned => lang.tr("запланировано", "planned"),
            ItemStatus::InProgress => lang.tr("в работе", "in progress"),
            ItemStatus::Done => lang.tr("выполнено", "done"),
        }
    }
}

/// Whom the owner of a plan may show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Reader {
    /// The methodist of the owner's school.
    School,
    /// The methodist of the school's municipality.
    Municipality,
}

impl Reader {
    pub const ALL: [Reader; 2] = [Reader::School, Reader::Municipality];

    pub fn key(self) -> &'static str {
        match self {
            Reader::School => "school",
            Reader::Municipality => "municipality",
        }
    }

    pub fn parse(key: &str) -> Option<Reader> {
        Reader::ALL.into_iter().find(|r| r.key() == key)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Reader::School => lang.tr("методист вашей школы", "your school's methodist"),
            Reader::Municipality => lang.tr("муниципальный методист", "the municipal methodist"),
        }
    }

    /// The reader whose plans a role reads.
    pub fn of(role: crate::access::Role) -> Option<Reader> {
        match role {
            crate::access::Role::Methodist => Some(Reader::School),
            crate::access::Role::MunicipalMethodist => Some(Reader::Municipality),
            _ => None,
        }
    }
}

/// One activity of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanItemView {
    pub id: i64,
    pub title: String,
    /// The deficit areas a catalogue activity addresses, by name; empty for the owner's own.
    pub areas: String,
    pub format: Option<String>,
    pub hours: Option<u32>,
    pub provider: Option<String>,
    pub link: Option<String>,
    pub starts_on: Option<String>,
    pub due_on: Option<String>,
    pub status: ItemStatus,
    pub evidence: String,
    /// Past its due date and not done.
    pub overdue: bool,
}

/// A catalogue activity the plan may take in, with its key.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub key: String,
    pub iom: IomView,
}

/// Whom the plan is shown.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareView {
    pub reader: Reader,
    pub since: String,
    pub signed: String,
}

/// One area's change between two diagnostics of the same owner.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeLine {
    pub area: String,
    pub before: String,
    pub after: String,
    /// The difference in points of percent, signed.
    pub delta: String,
    /// «лучше» / «хуже» beyond the uncertainty, or «в пределах погрешности».
    pub verdict: String,
}

/// What a plan page says after a change, by code (never text from the address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanNotice {
    Added,
    Saved,
    Removed,
    Shared,
    Withdrawn,
}

impl PlanNotice {
    pub const ALL: [PlanNotice; 5] = [
        PlanNotice::Added,
        PlanNotice::Saved,
        PlanNotice::Removed,
        PlanNotice::Shared,
        PlanNotice::Withdrawn,
    ];

    pub fn key(self) -> &'static str {
        match self {
            PlanNotice::Added => "added",
            PlanNotice::Saved => "saved",
            PlanNotice::Removed => "removed",
            PlanNotice::Shared => "shared",
            PlanNotice::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(key: &str) -> Option<PlanNotice> {
        PlanNotice::ALL.into_iter().find(|n| n.key() == key)
    }

    pub fn text(self, lang: Lang) -> &'static str {
        match self {
            PlanNotice::Added => lang.tr(
                "Мероприятие добавлено в план.",
                "The activity was added to the plan.",
            ),
            PlanNotice::Saved => lang.tr("Изменения сохранены.", "The changes were saved."),
            PlanNotice::Removed => lang.tr(
                "Мероприятие удалено из плана.",
                "The activity was removed from the plan.",
            ),
            PlanNotice::Shared => lang.tr("Доступ к плану открыт.", "The plan is now shown."),
            PlanNotice::Withdrawn => {
                lang.tr("Доступ к плану закрыт.", "The plan is no longer shown.")
            }
        }
    }
}

/// The owner's plan page.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanView {
    /// «учителя» or «руководителя»: whose diagnostic it is.
    pub principal: bool,
    pub created_on: String,
    pub areas: Vec<AreaView>,
    pub items: Vec<PlanItemView>,
    pub suggestions: Vec<Suggestion>,
    pub shares: Vec<ShareView>,
    /// The change since an earlier diagnostic whose key the owner gave.
    pub change: Option<Vec<ChangeLine>>,
    pub notice: Option<PlanNotice>,
    /// Problems of the last form, in words.
    pub problems: Vec<String>,
    /// The plan holds as many activities as it may.
    pub full: bool,
}

/// What the plan address shows.
#[derive(Debug, Clone, PartialEq)]
pub enum PlanPage {
    /// The form for a result key; `wrong` after a key that opens nothing, `compare` for the key
    /// of an earlier diagnostic.
    Key {
        wrong: bool,
    },
    Plan(Box<PlanView>),
}

/// A plan shown to a methodist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedPlan {
    /// The plan's short name (random, not the key).
    pub handle: String,
    pub school: String,
    /// The name its owner chose to show (may be empty).
    pub signed: String,
    pub since: String,
    pub updated_on: String,
    pub items: Vec<PlanItemView>,
}

impl SharedPlan {
    /// (done, all) activities.
    pub fn progress(&self) -> (usize, usize) {
        let done = self
            .items
            .iter()
            .filter(|i| i.status == ItemStatus::Done)
            .count();
        (done, self.items.len())
    }
}

/// The plans shared with a methodist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedPlans {
    pub reader: Reader,
    pub plans: Vec<SharedPlan>,
}

/// One line of the demand for professional development: a deficit area (teachers with that
/// deficit) or a catalogue activity (teachers who chose it), per shown municipality and in all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemandLine {
    pub name: String,
    pub counts: Vec<u32>,
    pub total: u32,
}

/// The demand for professional development of a campaign's diagnostics, per municipality.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemandView {
    /// The campaigns with diagnostics kept as plans, newest first, and the one shown.
    pub campaigns: Vec<(i64, String)>,
    pub campaign: Option<i64>,
    /// The municipalities shown (the columns) and their teachers.
    pub municipalities: Vec<String>,
    pub teachers: Vec<u32>,
    pub teachers_total: u32,
    pub areas: Vec<DemandLine>,
    pub activities: Vec<DemandLine>,
    /// Municipalities left out, too few teachers or schools.
    pub hidden: u32,
    pub min_teachers: u32,
    pub min_schools: u32,
}

impl DemandView {
    /// The first line of the table: how many teachers took the diagnostic.
    pub fn teachers_line(&self, lang: Lang) -> DemandLine {
        DemandLine {
            name: lang
                .tr(
                    "Педагогов прошли диагностику",
                    "Teachers who took the diagnostic",
                )
                .to_owned(),
            counts: self.teachers.clone(),
            total: self.teachers_total,
        }
    }
}

/// The development room's data from the server.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait DevelopmentSource: Send + Sync {
    /// The plans shared with the viewer (`None` for a role that reads none).
    async fn shared(&self, viewer: &Viewer, lang: Lang) -> Result<Option<SharedPlans>, AppError>;
    /// The demand for professional development in the viewer's municipalities (`None` for a
    /// role that plans none).
    async fn demand(
        &self,
        viewer: &Viewer,
        campaign: Option<i64>,
        lang: Lang,
    ) -> Result<Option<DemandView>, AppError>;
}

#[cfg(feature = "ssr")]
pub type SharedDevelopmentSource = std::sync::Arc<dyn DevelopmentSource>;

#[cfg(feature = "ssr")]
fn source() -> Result<SharedDevelopmentSource, AppError> {
    use_context::<SharedDevelopmentSource>().ok_or_else(|| AppError::Internal {
        request_id: "-".into(),
    })
}

/// The plans shared with the signed-in methodist.
#[server(prefix = "/api", endpoint = "work-plans")]
pub async fn get_shared_plans() -> Result<Report<SharedPlans>, AppError> {
    let session = crate::work::session();
    let report = match &session.viewer {
        Some(v) => source()?.shared(v, session.lang).await?,
        None => None,
    };
    Ok(Report { session, report })
}

/// The demand for professional development, for those who plan courses.
#[server(prefix = "/api", endpoint = "work-development")]
pub async fn get_demand(campaign: Option<i64>) -> Result<Report<DemandView>, AppError> {
    let session = crate::work::session();
    let report = match &session.viewer {
        Some(v) => source()?.demand(v, campaign, session.lang).await?,
        None => None,
    };
    Ok(Report { session, report })
}
