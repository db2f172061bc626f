//! Support work as the pages show it: a school's questions to its curator and municipal
//! coordinator and the knowledge base of published answers, visits with their recommendations,
//! regional and municipal events, roadmaps, and each account's notifications. The statuses and
//! kinds are enums with their words here; the server cuts everything to the viewer's scope.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::access::Viewer;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::reports::Report;
use crate::work::Choice;

/// Declares an enum stored by its key, with its words in both languages.
macro_rules! keyed {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $key:literal, $ru:literal, $en:literal;)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The key it is stored and sent by.
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),* }
            }

            pub fn parse(key: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.key() == key)
            }

            /// Its words in the reader's language.
            pub fn label(self, lang: Lang) -> &'static str {
                match self { $($name::$variant => lang.tr($ru, $en)),* }
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(key: String) -> Result<$name, String> {
                $name::parse(&key).ok_or(key)
            }
        }
    };
}

keyed!(
    /// The lists of the support page, one shown at a time.
    SupportList {
        Questions = "questions", "Вопросы", "Questions";
        Visits = "visits", "Визиты", "Visits";
        Recommendations = "recommendations", "Рекомендации", "Recommendations";
    }
);

keyed!(
    /// Where a school's question stands: new (waiting for an answer), answered, closed by the
    /// school; a new message of the school's opens it again.
    QuestionStatus {
        New = "new", "ждёт ответа", "waiting for an answer";
        Answered = "answered", "есть ответ", "answered";
        Closed = "closed", "закрыт", "closed";
    }
);

keyed!(
    /// How a visit is held.
    VisitMode {
        OnSite = "on_site", "выезд в школу", "on site";
        Online = "online", "онлайн", "online";
    }
);

keyed!(
    /// Where a visit stands.
    VisitStatus {
        Planned = "planned", "запланирован", "planned";
        Held = "held", "проведён", "held";
        Cancelled = "cancelled", "отменён", "cancelled";
    }
);

keyed!(
    /// Where a recommendation stands: the school's answer, then the author's decision.
    RecommendationStatus {
        Open = "open", "ждёт ответа школы", "waiting for the school";
        InProgress = "in_progress", "выполняется", "in progress";
        Done = "done", "выполнено (ждёт проверки)", "done (to be checked)";
        Disagreed = "disagreed", "школа не согласна", "the school disagrees";
        Accepted = "accepted", "принято", "accepted";
        Returned = "returned", "возвращено на доработку", "returned";
    }
);

impl RecommendationStatus {
    /// Still waiting for work: neither accepted nor argued against.
    pub fn open(self) -> bool {
        matches!(
            self,
            RecommendationStatus::Open
                | RecommendationStatus::InProgress
                | RecommendationStatus::Returned
        )
    }
}

keyed!(
    /// The school's answer to a recommendation.
    RecommendationAnswer {
        Done = "done", "выполнено", "done";
        InProgress = "in_progress", "выполняется", "in progress";
        Disagreed = "disagreed", "не согласны", "we disagree";
    }
);

keyed!(
    /// Who carries a recommendation out in the school.
    Responsible {
        Principal = "principal", "директор", "the principal";
        Deputy = "deputy", "заместитель директора", "a deputy principal";
        Methodist = "methodist", "методист / руководитель МО", "a methodist";
        Teachers = "teachers", "педагоги", "teachers";
        Psychologist = "psychologist", "педагог-психолог", "the psychologist";
    }
);

keyed!(
    /// The form of an event.
    EventFormat {
        Seminar = "seminar", "семинар", "seminar";
        Webinar = "webinar", "вебинар", "webinar";
        Course = "course", "курсы", "course";
        Conference = "conference", "конференция", "conference";
    }
);

keyed!(
    /// Where a roadmap's activity stands.
    ActivityStatus {
        Planned = "planned", "запланировано", "planned";
        InProgress = "in_progress", "выполняется", "in progress";
        Done = "done", "выполнено", "done";
        Cancelled = "cancelled", "отменено", "cancelled";
    }
);

keyed!(
    /// What a notification is about; an account may turn off the mail of each kind.
    NoticeKind {
        ProgrammeSubmitted = "programme_submitted", "программа отправлена на согласование", "a programme submitted for agreement";
        ProgrammeReturned = "programme_returned", "программа возвращена на доработку", "a programme returned for changes";
        ProgrammeAgreed = "programme_agreed", "программа согласована", "a programme agreed";
        StageDue = "stage_due", "через 7 дней срок отчёта об этапе", "a stage report due in 7 days";
        StageOverdue = "stage_overdue", "отчёт об этапе просрочен", "a stage report overdue";
        QuestionAsked = "question_asked", "школа задала вопрос", "a school asked a question";
        QuestionAnswered = "question_answered", "на вопрос ответили", "a question answered";
        QuestionOverdue = "question_overdue", "вопрос ждёт ответа дольше срока", "a question waiting past its target";
        RecommendationDue = "recommendation_due", "через 7 дней срок рекомендации", "a recommendation due in 7 days";
        RecommendationOverdue = "recommendation_overdue", "рекомендация просрочена", "a recommendation overdue";
        RecommendationAnswered = "recommendation_answered", "школа ответила на рекомендацию", "a school answered a recommendation";
        EventInvitation = "event_invitation", "приглашение на мероприятие", "an invitation to an event";
        EventReminder = "event_reminder", "напоминание о мероприятии", "an event reminder";
        ResultsPublished = "results_published", "опубликованы результаты", "results published";
    }
);

/// A file attached to a support object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileLink {
    pub id: i64,
    pub name: String,
    pub size: String,
}

/// One entry of an object's history, worded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryLine {
    pub at: String,
    pub who: String,
    pub what: String,
}

/// A question in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionItem {
    pub id: i64,
    pub school: String,
    pub title: String,
    pub factor: String,
    pub status: QuestionStatus,
    pub asked: String,
    pub due_on: String,
    pub overdue: bool,
}

/// A visit in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VisitItem {
    pub id: i64,
    pub school: String,
    pub day: String,
    pub mode: VisitMode,
    pub status: VisitStatus,
    pub author: String,
    pub purpose: String,
    pub recommendations: usize,
}

/// A recommendation, with the school's answer and its files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecommendationItem {
    pub id: i64,
    pub visit_id: Option<i64>,
    pub school: String,
    pub body: String,
    pub due_on: String,
    pub responsible: Responsible,
    pub status: RecommendationStatus,
    pub answer: String,
    pub overdue: bool,
    pub files: Vec<FileLink>,
    /// The viewer is the school and may answer it now.
    pub answerable: bool,
    /// The viewer wrote it (or is an admin) and may accept or return the school's answer now.
    pub decidable: bool,
}

/// The support page: what the viewer's scope holds, one list at a time, filtered, searched by
/// the school's name, sorted and cut into pages (`crate::listing`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupportPage {
    /// The one school the lists are narrowed to (from its card), with its name.
    pub school: Option<(i64, String)>,
    /// The list shown; the other two are counted only.
    pub show: SupportList,
    pub municipalities: Vec<Choice>,
    /// The shown list's statuses: (key, words, how many the filter but the status leaves).
    pub states: Vec<(String, String, usize)>,
    /// Where the shown list's page stands.
    pub paging: crate::listing::Paging,
    pub questions: Vec<QuestionItem>,
    pub visits: Vec<VisitItem>,
    pub recommendations: Vec<RecommendationItem>,
    /// The viewer asks questions (a school's account).
    pub asks: bool,
    /// The viewer plans visits (a curator, a municipal coordinator, an admin).
    pub visits_planned: bool,
    /// The chosen risks of the school's programmes (all factors when none is chosen), (code,
    /// name), for a question's subject.
    pub factors: Vec<(String, String)>,
    /// The measures of the school's programmes, (id, «factor: measure»).
    pub measures: Vec<(i64, String)>,
    /// The region's target for a first answer, in working days.
    pub answer_days: Option<i64>,
    /// The viewer sets the region's target (a regional coordinator, an admin): the regions.
    pub target_regions: Vec<Choice>,
    /// How many questions, visits and recommendations the filter leaves (the tabs' counts).
    pub totals: [usize; 3],
}

/// What a reader asked of the support page's lists.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SupportFilter {
    /// One school (from its card).
    pub school: Option<i64>,
    /// `questions` (the default), `visits` or `recommendations`.
    pub show: Option<String>,
    pub municipality: Option<i64>,
    /// A status key of the shown list.
    pub state: Option<String>,
}

/// One message of a question's thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MessageView {
    pub at: String,
    pub who: String,
    pub body: String,
    pub files: Vec<FileLink>,
}

/// A question with its thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionPage {
    pub item: QuestionItem,
    pub measure: Option<String>,
    pub messages: Vec<MessageView>,
    /// The viewer may write into the thread.
    pub writes: bool,
    /// The viewer (the school) may close it.
    pub closes: bool,
    /// The viewer (a regional coordinator, an admin) may publish it to the knowledge base.
    pub publishes: bool,
    pub published: bool,
    pub kb_question: String,
    pub kb_answer: String,
    pub history: Vec<HistoryLine>,
}

/// An entry of the knowledge base: no school's name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KnowledgeItem {
    pub id: i64,
    pub factor: String,
    pub question: String,
    pub answer: String,
    pub published: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KnowledgePage {
    pub factors: Vec<(String, String)>,
    pub factor: String,
    pub text: String,
    pub items: Vec<KnowledgeItem>,
}

/// A visit with its recommendations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VisitPage {
    pub item: VisitItem,
    pub school_id: i64,
    pub participants: [i64; 4],
    pub findings: String,
    pub recommendations: Vec<RecommendationItem>,
    /// The viewer wrote the visit (or is an admin) and may change it and add recommendations.
    pub edits: bool,
    pub history: Vec<HistoryLine>,
}

/// An event in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventItem {
    pub id: i64,
    pub title: String,
    pub format: EventFormat,
    pub starts_on: String,
    pub ends_on: String,
    /// The region's, or the municipality's name.
    pub organiser: String,
    pub invited: usize,
    pub registered: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventsPage {
    pub events: Vec<EventItem>,
    /// Where the viewer organises events (regional, municipal coordinators, admins): (value
    /// `region:ID` or `municipality:ID`, name).
    pub organises: Vec<(String, String)>,
    /// The cohorts an event may target, (key, name).
    pub cohorts: Vec<(String, String)>,
}

/// A school's place at an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Invitation {
    pub school_id: i64,
    pub school: String,
    /// (principals, deputies, teachers, others) registered.
    pub registered: Option<[i64; 4]>,
    pub attended: Option<i64>,
}

/// The feedback questionnaire's results: shown once the feedback is closed and only with at
/// least the minimum of answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedbackResults {
    /// Answers in words (a band when under the minimum is not shown at all).
    pub answers: String,
    /// (question, mean out of the scale's top, distribution in words).
    pub items: Vec<(String, String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventPage {
    pub item: EventItem,
    pub description: String,
    pub cohort: String,
    pub factors: String,
    pub invitations: Vec<Invitation>,
    pub materials: Vec<FileLink>,
    /// The viewer organises it: invites, records attendance, adds materials, runs the feedback.
    pub organises: bool,
    /// The viewer's school, invited: may register.
    pub registers: Option<Invitation>,
    /// The viewer's school's feedback codes (single-use), once the feedback is open.
    pub codes: Vec<String>,
    pub feedback_open: bool,
    pub feedback_closed: bool,
    /// The minimum of answers before any feedback result is shown.
    pub feedback_minimum: u32,
    pub feedback: Option<FeedbackResults>,
    pub history: Vec<HistoryLine>,
}

/// An activity of a roadmap's track.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityView {
    pub id: i64,
    pub title: String,
    pub starts_on: String,
    pub due_on: String,
    pub responsible: String,
    pub targets: String,
    pub cohort: String,
    pub schools: String,
    pub expected: String,
    pub status: ActivityStatus,
    pub overdue: bool,
    pub files: Vec<FileLink>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackView {
    pub id: i64,
    pub title: String,
    pub activities: Vec<ActivityView>,
    /// Done of all but the cancelled, in percent.
    pub progress: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoadmapItem {
    pub id: i64,
    pub title: String,
    pub year: i64,
    pub owner: String,
    pub activities: usize,
    pub overdue: usize,
    pub progress: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoadmapsPage {
    pub roadmaps: Vec<RoadmapItem>,
    /// Where the viewer may start a roadmap: (value `region:ID` or `municipality:ID`, name).
    pub owns: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoadmapPage {
    pub item: RoadmapItem,
    /// The cohorts an activity may target, (key, name).
    pub cohorts: Vec<(String, String)>,
    pub tracks: Vec<TrackView>,
    pub edits: bool,
    pub history: Vec<HistoryLine>,
}

/// A notification in the inbox, worded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticeView {
    pub id: i64,
    pub kind: NoticeKind,
    pub subject: String,
    pub link: String,
    pub at: String,
    pub read: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboxPage {
    pub notices: Vec<NoticeView>,
    pub unread: usize,
    pub email: String,
    pub digest: bool,
    /// Kinds whose mail the account turned off.
    pub muted: Vec<NoticeKind>,
    /// Whether this server sends mail at all.
    pub mail: bool,
}

/// A curator's or coordinator's load, for the region's start page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoadRow {
    pub who: String,
    pub role: String,
    pub schools: usize,
    pub open_questions: usize,
    pub visits_per_month: String,
}

/// The start page's support work.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SupportSummary {
    pub questions_waiting: usize,
    pub questions_overdue: usize,
    pub recommendations_due: usize,
    pub recommendations_overdue: usize,
    pub visits_this_month: usize,
    pub events_this_month: usize,
    pub activities_overdue: usize,
    pub unread: usize,
    /// For regional coordinators and admins: schools with no contact (visit, answer, event) in
    /// the last 60 days, and each supporter's load.
    pub coverage: Option<(Vec<String>, usize)>,
    pub load: Vec<LoadRow>,
}

/// Support data from the server.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait SupportSource: Send + Sync {
    async fn support(
        &self,
        viewer: &Viewer,
        filter: SupportFilter,
        list: crate::listing::ListQuery,
        lang: Lang,
    ) -> Result<SupportPage, AppError>;
    async fn question(
        &self,
        viewer: &Viewer,
        id: i64,
        lang: Lang,
    ) -> Result<Option<QuestionPage>, AppError>;
    async fn knowledge(
        &self,
        viewer: &Viewer,
        factor: String,
        text: String,
        lang: Lang,
    ) -> Result<KnowledgePage, AppError>;
    async fn visit(
        &self,
        viewer: &Viewer,
        id: i64,
        lang: Lang,
    ) -> Result<Option<VisitPage>, AppError>;
    async fn events(&self, viewer: &Viewer, lang: Lang) -> Result<EventsPage, AppError>;
    async fn event(
        &self,
        viewer: &Viewer,
        id: i64,
        lang: Lang,
    ) -> Result<Option<EventPage>, AppError>;
    async fn roadmaps(&self, viewer: &Viewer, lang: Lang) -> Result<RoadmapsPage, AppError>;
    async fn roadmap(
        &self,
        viewer: &Viewer,
        id: i64,
        lang: Lang,
    ) -> Result<Option<RoadmapPage>, AppError>;
    async fn inbox(&self, viewer: &Viewer, lang: Lang) -> Result<InboxPage, AppError>;
    async fn summary(&self, viewer: &Viewer, lang: Lang) -> Result<SupportSummary, AppError>;
}

#[cfg(feature = "ssr")]
pub type SharedSupportSource = std::sync::Arc<dyn SupportSource>;

#[cfg(feature = "ssr")]
fn source() -> Result<SharedSupportSource, AppError> {
    use_context::<SharedSupportSource>().ok_or_else(|| AppError::Internal {
        request_id: "-".into(),
    })
}

/// Runs `ask` for the signed-in viewer; nothing for a visitor.
#[cfg(feature = "ssr")]
async fn signed_in<T, F, Fut>(ask: F) -> Result<Report<T>, AppError>
where
    F: FnOnce(SharedSupportSource, Viewer, Lang) -> Fut,
    Fut: std::future::Future<Output = Result<Option<T>, AppError>>,
{
    let session = crate::work::session();
    let report = match &session.viewer {
        Some(v) => ask(source()?, v.clone(), session.lang).await?,
        None => None,
    };
    Ok(Report { session, report })
}

#[server(prefix = "/api", endpoint = "work-support")]
pub async fn get_support(
    #[server(default)] filter: SupportFilter,
    #[server(default)] list: crate::listing::ListQuery,
) -> Result<Report<SupportPage>, AppError> {
    signed_in(|s, v, l| async move { s.support(&v, filter, list, l).await.map(Some) }).await
}

#[server(prefix = "/api", endpoint = "work-question")]
pub async fn get_question(id: i64) -> Result<Report<QuestionPage>, AppError> {
    signed_in(|s, v, l| async move { s.question(&v, id, l).await }).await
}

#[server(prefix = "/api", endpoint = "work-knowledge")]
pub async fn get_knowledge(
    factor: Option<String>,
    text: Option<String>,
) -> Result<Report<KnowledgePage>, AppError> {
    let (factor, text) = (factor.unwrap_or_default(), text.unwrap_or_default());
    signed_in(|s, v, l| async move { s.knowledge(&v, factor, text, l).await.map(Some) }).await
}

#[server(prefix = "/api", endpoint = "work-visit")]
pub async fn get_visit(id: i64) -> Result<Report<VisitPage>, AppError> {
    signed_in(|s, v, l| async move { s.visit(&v, id, l).await }).await
}

#[server(prefix = "/api", endpoint = "work-events")]
pub async fn get_events() -> Result<Report<EventsPage>, AppError> {
    signed_in(|s, v, l| async move { s.events(&v, l).await.map(Some) }).await
}

#[server(prefix = "/api", endpoint = "work-event")]
pub async fn get_event(id: i64) -> Result<Report<EventPage>, AppError> {
    signed_in(|s, v, l| async move { s.event(&v, id, l).await }).await
}

#[server(prefix = "/api", endpoint = "work-roadmaps")]
pub async fn get_roadmaps() -> Result<Report<RoadmapsPage>, AppError> {
    signed_in(|s, v, l| async move { s.roadmaps(&v, l).await.map(Some) }).await
}

#[server(prefix = "/api", endpoint = "work-roadmap")]
pub async fn get_roadmap(id: i64) -> Result<Report<RoadmapPage>, AppError> {
    signed_in(|s, v, l| async move { s.roadmap(&v, id, l).await }).await
}

#[server(prefix = "/api", endpoint = "work-inbox")]
pub async fn get_inbox() -> Result<Report<InboxPage>, AppError> {
    signed_in(|s, v, l| async move { s.inbox(&v, l).await.map(Some) }).await
}

#[server(prefix = "/api", endpoint = "work-support-summary")]
pub async fn get_support_summary() -> Result<Report<SupportSummary>, AppError> {
    signed_in(|s, v, l| async move { s.summary(&v, l).await.map(Some) }).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_parses_back() {
        for k in NoticeKind::ALL {
            assert_eq!(NoticeKind::parse(k.key()), Some(*k));
        }
        for s in RecommendationStatus::ALL {
            assert_eq!(RecommendationStatus::parse(s.key()), Some(*s));
        }
        assert_eq!(QuestionStatus::parse("nonsense"), None);
        assert!(RecommendationStatus::Returned.open());
        assert!(!RecommendationStatus::Accepted.open());
    }
}
