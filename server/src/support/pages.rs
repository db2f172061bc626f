//! What the support pages show, behind `app::support::SupportSource`: everything cut to the
//! viewer's reach and worded in the reader's language.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use app::access::{Role, Viewer};
use app::i18n::Lang;
use app::listing::{self, ListQuery, SortKey};
use app::results::Cohort;
use app::support::{
    ActivityView, EventItem, EventPage, EventsPage, FeedbackResults, FileLink, HistoryLine,
    InboxPage, Invitation, KnowledgeItem, KnowledgePage, LoadRow, MessageView, NoticeKind,
    NoticeView, QuestionItem, QuestionPage, QuestionStatus, RecommendationItem,
    RecommendationStatus, RoadmapItem, RoadmapPage, RoadmapsPage, SupportFilter, SupportList,
    SupportPage, SupportSource, SupportSummary, TrackView, VisitItem, VisitPage, VisitStatus,
};
use app::work::Choice;
use app::AppError;
use surveys::calendar::Day;

use super::consultations::publishes;
use super::visits::authored;
use super::{events, factor_names, moment, organises, roadmaps, supports, Reach, Support};
use crate::error::ServerError;
use crate::problem::{At, Kind, Refused};
use crate::storage::{
    ActivityRow, EventRow, EventSchoolRow, HistoryRow, QuestionRow, RecommendationRow, RoadmapRow,
    TrackRow, VisitRow,
};
use crate::uploads::size_words;

/// A scope of at most this many schools reads their support work school by school (through the
/// index by school) rather than the region's at once.
const FEW_SCHOOLS: usize = 50;

/// Days without contact after which a school counts as uncovered.
pub const NO_CONTACT_DAYS: i64 = 60;

/// A roadmap with its tracks and their activities.
type RoadmapTree = (RoadmapRow, Vec<(TrackRow, Vec<ActivityRow>)>);

/// The support figures of every school on a day, which the start page sums over a viewer's
/// schools: read once per support change and day (`Storage::support_version`) and kept.
pub struct Tallies {
    /// Per school: questions waiting for an answer, and overdue.
    questions: HashMap<i64, (i64, i64)>,
    /// Per school: open recommendations due within a week, and overdue.
    recommendations: Vec<(i64, i64, i64)>,
    /// Per school: visits this month.
    visits: Vec<(i64, i64)>,
    /// Per author and school: visits held over the last 90 days.
    held: Vec<(i64, i64, i64)>,
    /// Per school: its last contact (a visit held, an answer, an event attended), in seconds.
    contacts: Vec<(i64, i64)>,
    events: Vec<(EventRow, Vec<EventSchoolRow>)>,
    roadmaps: Vec<RoadmapTree>,
}

/// The key tallies are kept under: the support version and the day.
pub type TalliesKey = (i64, Day);

/// How many tallies are kept (a day's and the one before it).
pub const TALLIES_KEPT: usize = 2;

/// The first day of `today`'s month and of the next.
fn this_month(today: Day) -> (Day, Day) {
    let month = today.month_start();
    (month, month.plus_days(31).month_start())
}

fn app_error(e: ServerError) -> AppError {
    e.into()
}

/// What a lookup found; `None` when there is nothing the viewer may see.
fn found<T>(looked: Result<T, ServerError>) -> Result<Option<T>, ServerError> {
    match looked {
        Ok(value) => Ok(Some(value)),
        Err(ServerError::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

/// An action of a history in words.
fn action_words(action: &str, lang: Lang) -> &'static str {
    match action {
        "asked" => lang.tr("задан вопрос", "question asked"),
        "message" => lang.tr("сообщение школы", "the school's message"),
        "reopened" => lang.tr("вопрос открыт снова", "question reopened"),
        "answered" => lang.tr("ответ", "answer"),
        "closed" => lang.tr("вопрос закрыт", "question closed"),
        "published" => lang.tr(
            "опубликовано в базе знаний",
            "published to the knowledge base",
        ),
        "unpublished" => lang.tr("снято из базы знаний", "withdrawn from the knowledge base"),
        "file_added" => lang.tr("приложен файл", "file attached"),
        "visit_planned" => lang.tr("визит запланирован", "visit planned"),
        "visit_held" => lang.tr("визит проведён", "visit held"),
        "visit_cancelled" => lang.tr("визит отменён", "visit cancelled"),
        "visit_changed" => lang.tr("визит изменён", "visit changed"),
        "recommended" => lang.tr("рекомендация дана", "recommendation given"),
        "in_progress" => lang.tr("школа: выполняется", "school: in progress"),
        "done" => lang.tr("школа: выполнено", "school: done"),
        "disagreed" => lang.tr("школа: не согласна", "school: disagrees"),
        "accepted" => lang.tr("принято", "accepted"),
        "returned" => lang.tr("возвращено", "returned"),
        "created" => lang.tr("создано", "created"),
        "invited" => lang.tr("приглашены школы", "schools invited"),
        "registered" => lang.tr("регистрация школы", "a school registered"),
        "attended" => lang.tr("отмечено присутствие", "attendance recorded"),
        "feedback_opened" => lang.tr("открыт приём отзывов", "feedback opened"),
        "feedback_closed" => lang.tr("приём отзывов закрыт", "feedback closed"),
        "track_added" => lang.tr("добавлено направление", "track added"),
        "activity_added" => lang.tr("добавлено мероприятие", "activity added"),
        "activity_changed" => lang.tr("мероприятие изменено", "activity changed"),
        _ => lang.tr("изменение", "change"),
    }
}

fn history(rows: Vec<HistoryRow>, lang: Lang) -> Vec<HistoryLine> {
    rows.into_iter()
        .map(|h| HistoryLine {
            at: moment(h.at),
            who: h.user_name,
            what: if h.detail.is_empty() {
                action_words(&h.action, lang).to_owned()
            } else {
                format!("{}: {}", action_words(&h.action, lang), h.detail)
            },
        })
        .collect()
}

/// A region's activity's status in words for its status, with the region's target schools.
fn cohort_choices(lang: Lang) -> Vec<(String, String)> {
    Cohort::ALL
        .iter()
        .map(|c| (c.key().to_owned(), c.label(lang).to_owned()))
        .collect()
}

impl Support {
    async fn files(
        &self,
        kind: &str,
        lang: Lang,
    ) -> Result<HashMap<i64, Vec<FileLink>>, ServerError> {
        let mut by_owner: HashMap<i64, Vec<FileLink>> = HashMap::new();
        for f in self.storage.support_files(kind).await? {
            by_owner.entry(f.owner_id).or_default().push(FileLink {
                id: f.id,
                name: f.name,
                size: size_words(f.size, lang),
            });
        }
        Ok(by_owner)
    }

    fn question_item(&self, q: &QuestionRow, reach: &Reach, lang: Lang) -> QuestionItem {
        let today = (self.today)();
        QuestionItem {
            id: q.id,
            school: reach
                .school(q.school_id)
                .map(|s| s.name.clone())
                .unwrap_or_default(),
            title: q.title.clone(),
            factor: if q.factor.is_empty() {
                String::new()
            } else {
                format!(
                    "{} {}",
                    q.factor,
                    self.gate.methodology().factor_name(&q.factor, lang.code())
                )
            },
            status: q.status,
            asked: moment(q.asked_at),
            due_on: q.due_on.to_string(),
            overdue: q.overdue(today),
        }
    }

    fn visit_item(v: &VisitRow, reach: &Reach, recommendations: usize) -> VisitItem {
        VisitItem {
            id: v.id,
            school: reach
                .school(v.school_id)
                .map(|s| s.name.clone())
                .unwrap_or_default(),
            day: v.day.to_string(),
            mode: v.mode,
            status: v.status,
            author: v.user_name.clone(),
            purpose: v.purpose.clone(),
            recommendations,
        }
    }

    fn recommendation_item(
        &self,
        viewer: &Viewer,
        r: &RecommendationRow,
        reach: &Reach,
        files: &HashMap<i64, Vec<FileLink>>,
    ) -> RecommendationItem {
        RecommendationItem {
            id: r.id,
            visit_id: r.visit_id,
            school: reach
                .school(r.school_id)
                .map(|s| s.name.clone())
                .unwrap_or_default(),
            body: r.body.clone(),
            due_on: r.due_on.to_string(),
            responsible: r.responsible,
            status: r.status,
            answer: r.answer.clone(),
            overdue: r.overdue((self.today)()),
            files: files.get(&r.id).cloned().unwrap_or_default(),
            answerable: viewer.role == Role::School && r.status.open(),
            decidable: authored(viewer, r.user_id)
                && matches!(
                    r.status,
                    RecommendationStatus::Done | RecommendationStatus::Disagreed
                ),
        }
    }

    async fn support_page(
        &self,
        viewer: &Viewer,
        filter: SupportFilter,
        list: ListQuery,
        lang: Lang,
    ) -> Result<SupportPage, ServerError> {
        let reach = self.reach(viewer).await?;
        let show = match filter.show.as_deref().filter(|s| !s.is_empty()) {
            None => SupportList::Questions,
            Some(key) => SupportList::parse(key)
                .ok_or_else(|| Refused::one(At::Field("show"), Kind::Invalid))?,
        };
        let school = filter.school.filter(|s| reach.schools.contains_key(s));
        // The filter: the viewer's scope, one school or a municipality, a part of the name.
        let keep = |id: i64| {
            reach.school(id).is_some_and(|s| {
                school.is_none_or(|x| x == id)
                    && filter.municipality.is_none_or(|m| m == s.municipality_id)
                    && listing::matches(&list, &s.name)
            })
        };
        // A few schools are read through the index by school; a region's, all at once.
        let ids: Vec<i64> = match school {
            Some(s) => vec![s],
            None => reach.schools.keys().copied().collect(),
        };
        let few = (ids.len() <= FEW_SCHOOLS).then_some(ids.as_slice());
        let mut questions: Vec<QuestionRow> = match few {
            Some(ids) => self.storage.questions_of(ids).await?,
            None => self.storage.questions().await?,
        }
        .into_iter()
        .filter(|q| keep(q.school_id))
        .collect();
        // What waits comes first: new questions (oldest due first), then the rest, newest first.
        questions.sort_by_key(|q| {
            (
                q.status != QuestionStatus::New,
                if q.status == QuestionStatus::New {
                    q.due_on.to_string()
                } else {
                    String::new()
                },
            )
        });
        let mut recs: Vec<RecommendationRow> = match few {
            Some(ids) => self.storage.recommendations_of_schools(ids).await?,
            None => self.storage.recommendations().await?,
        }
        .into_iter()
        .filter(|r| keep(r.school_id))
        .collect();
        // Open ones first, the earliest due first.
        recs.sort_by_key(|r| (!r.status.open(), r.due_on));
        let mut per_visit: HashMap<i64, usize> = HashMap::new();
        for r in &recs {
            if let Some(v) = r.visit_id {
                *per_visit.entry(v).or_default() += 1;
            }
        }
        let visits: Vec<VisitRow> = match few {
            Some(ids) => self.storage.visits_of_schools(ids).await?,
            None => self.storage.visits().await?,
        }
        .into_iter()
        .filter(|v| keep(v.school_id))
        .collect();
        let totals = [questions.len(), visits.len(), recs.len()];
        let name = |id: i64| reach.school(id).map_or("", |s| s.name.as_str());
        let state = filter.state.as_deref().filter(|s| !s.is_empty());
        // The shown list alone is worded, counted per status, filtered by one and cut to a page.
        let (mut shown_questions, mut shown_visits, mut shown_recs) =
            (Vec::new(), Vec::new(), Vec::new());
        let (states, paging) = match show {
            SupportList::Questions => {
                let states = counted(
                    QuestionStatus::ALL,
                    &questions,
                    |q| q.status,
                    |s| (s.key(), s.label(lang)),
                );
                let wanted = status_of(state, QuestionStatus::parse)?;
                questions.retain(|q| wanted.is_none_or(|w| q.status == w));
                let (rows, paging) =
                    listing::cut(questions, &list, |q: &QuestionRow, column| match column {
                        "school" => Some(listing::text_key(name(q.school_id))),
                        "status" => Some(SortKey::Text(q.status.key().to_owned())),
                        "due" => Some(SortKey::Text(q.due_on.to_string())),
                        _ => None,
                    });
                shown_questions = rows
                    .iter()
                    .map(|q| self.question_item(q, &reach, lang))
                    .collect();
                (states, paging)
            }
            SupportList::Visits => {
                let mut visits = visits;
                let states = counted(
                    VisitStatus::ALL,
                    &visits,
                    |v| v.status,
                    |s| (s.key(), s.label(lang)),
                );
                let wanted = status_of(state, VisitStatus::parse)?;
                visits.retain(|v| wanted.is_none_or(|w| v.status == w));
                let (rows, paging) =
                    listing::cut(visits, &list, |v: &VisitRow, column| match column {
                        "school" => Some(listing::text_key(name(v.school_id))),
                        "status" => Some(SortKey::Text(v.status.key().to_owned())),
                        "day" => Some(SortKey::Text(v.day.to_string())),
                        "recommendations" => Some(SortKey::Number(Some(
                            per_visit.get(&v.id).copied().unwrap_or(0) as f64,
                        ))),
                        _ => None,
                    });
                shown_visits = rows
                    .iter()
                    .map(|v| {
                        Support::visit_item(v, &reach, per_visit.get(&v.id).copied().unwrap_or(0))
                    })
                    .collect();
                (states, paging)
            }
            SupportList::Recommendations => {
                let states = counted(
                    RecommendationStatus::ALL,
                    &recs,
                    |r| r.status,
                    |s| (s.key(), s.label(lang)),
                );
                let wanted = status_of(state, RecommendationStatus::parse)?;
                recs.retain(|r| wanted.is_none_or(|w| r.status == w));
                let (rows, paging) =
                    listing::cut(recs, &list, |r: &RecommendationRow, column| match column {
                        "school" => Some(listing::text_key(name(r.school_id))),
                        "status" => Some(SortKey::Text(r.status.key().to_owned())),
                        "due" => Some(SortKey::Text(r.due_on.to_string())),
                        _ => None,
                    });
                let files = self.files("recommendation", lang).await?;
                shown_recs = rows
                    .iter()
                    .map(|r| self.recommendation_item(viewer, r, &reach, &files))
                    .collect();
                (states, paging)
            }
        };
        let mut municipalities: Vec<Choice> = reach
            .schools
            .values()
            .map(|s| Choice {
                id: s.municipality_id,
                name: s.municipality.clone(),
            })
            .collect();
        municipalities.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        municipalities.dedup();
        let own = reach.own_school(viewer);
        let (factors, measures) = match own {
            Some(s) => {
                let (chosen, measures) = self.storage.school_plan(s.id).await?;
                let all = factor_names(&self.gate, lang);
                let factors = if chosen.is_empty() {
                    all
                } else {
                    all.into_iter()
                        .filter(|(c, _)| chosen.contains(c))
                        .collect()
                };
                let measures = measures
                    .into_iter()
                    .map(|(id, f, a)| (id, format!("{f}: {a}")))
                    .collect();
                (factors, measures)
            }
            None => (Vec::new(), Vec::new()),
        };
        let region = own.map(|s| s.region_id).or_else(|| {
            (reach.regions.len() == 1)
                .then(|| reach.regions.iter().copied().next())
                .flatten()
        });
        let answer_days = match region {
            Some(r) => Some(self.storage.answer_days(r).await?),
            None => None,
        };
        let mut target_regions: Vec<Choice> = Vec::new();
        for s in reach.sorted() {
            if organises(viewer, s.region_id, None)
                && viewer.role != Role::Municipal
                && !target_regions.iter().any(|c| c.id == s.region_id)
            {
                target_regions.push(Choice {
                    id: s.region_id,
                    name: s.region.clone(),
                });
            }
        }
        Ok(SupportPage {
            school: school.map(|id| (id, name(id).to_owned())),
            show,
            municipalities,
            states,
            paging,
            questions: shown_questions,
            visits: shown_visits,
            recommendations: shown_recs,
            asks: own.is_some(),
            visits_planned: supports(viewer),
            factors,
            measures,
            answer_days,
            target_regions,
            totals,
        })
    }

    async fn question_page(
        &self,
        viewer: &Viewer,
        id: i64,
        lang: Lang,
    ) -> Result<Option<QuestionPage>, ServerError> {
        let Some((q, _)) = found(self.seen_question(viewer, id).await)? else {
            return Ok(None);
        };
        let reach = self.reach(viewer).await?;
        let files = self.files("message", lang).await?;
        let messages = self
            .storage
            .messages(id)
            .await?
            .into_iter()
            .map(|m| MessageView {
                at: moment(m.at),
                who: match Role::parse(&m.role) {
                    Some(role) => format!("{} ({})", m.user_name, role.label(lang)),
                    None => m.user_name,
                },
                body: m.body,
                files: files.get(&m.id).cloned().unwrap_or_default(),
            })
            .collect();
        let measure = match q.measure_id {
            Some(mid) => self
                .storage
                .school_plan(q.school_id)
                .await?
                .1
                .into_iter()
                .find(|(id, ..)| *id == mid)
                .map(|(_, f, a)| format!("{f}: {a}")),
            None => None,
        };
        let writes = viewer.role == Role::School || supports(viewer);
        Ok(Some(QuestionPage {
            item: self.question_item(&q, &reach, lang),
            measure,
            messages,
            writes,
            closes: viewer.role == Role::School && q.status != QuestionStatus::Closed,
            publishes: publishes(viewer) && q.answered_at.is_some(),
            published: q.published,
            kb_question: if q.published {
                q.kb_question.clone()
            } else {
                q.title.clone()
            },
            kb_answer: q.kb_answer.clone(),
            history: history(self.storage.support_history("question", id).await?, lang),
        }))
    }

    async fn knowledge_page(
        &self,
        viewer: &Viewer,
        factor: String,
        text: String,
        lang: Lang,
    ) -> Result<KnowledgePage, ServerError> {
        let reach = self.reach(viewer).await?;
        let regions: HashMap<i64, i64> = self
            .storage
            .schools_with_place()
            .await?
            .into_iter()
            .map(|s| (s.id, s.region_id))
            .collect();
        let needle = text.trim().to_lowercase();
        let items = self
            .storage
            .knowledge()
            .await?
            .into_iter()
            .filter(|q| {
                viewer.role == Role::Admin
                    || regions
                        .get(&q.school_id)
                        .is_some_and(|r| reach.regions.contains(r))
            })
            .filter(|q| factor.is_empty() || q.factor == factor)
            .filter(|q| {
                needle.is_empty()
                    || q.kb_question.to_lowercase().contains(&needle)
                    || q.kb_answer.to_lowercase().contains(&needle)
            })
            .take(200)
            .map(|q| KnowledgeItem {
                id: q.id,
                factor: if q.factor.is_empty() {
                    String::new()
                } else {
                    format!(
                        "{} {}",
                        q.factor,
                        self.gate.methodology().factor_name(&q.factor, lang.code())
                    )
                },
                question: q.kb_question,
                answer: q.kb_answer,
                published: q.published_at.map(moment).unwrap_or_default(),
            })
            .collect();
        Ok(KnowledgePage {
            factors: factor_names(&self.gate, lang),
            factor,
            text,
            items,
        })
    }

    async fn visit_page(
        &self,
        viewer: &Viewer,
        id: i64,
        lang: Lang,
    ) -> Result<Option<VisitPage>, ServerError> {
        let Some((v, school)) = found(self.seen_visit(viewer, id).await)? else {
            return Ok(None);
        };
        let reach = self.reach(viewer).await?;
        let files = self.files("recommendation", lang).await?;
        let recs: Vec<RecommendationItem> = self
            .storage
            .recommendations_of(school.id)
            .await?
            .iter()
            .filter(|r| r.visit_id == Some(id))
            .map(|r| self.recommendation_item(viewer, r, &reach, &files))
            .collect();
        Ok(Some(VisitPage {
            item: Support::visit_item(&v, &reach, recs.len()),
            school_id: school.id,
            participants: [v.principals, v.deputies, v.teachers, v.others],
            findings: v.findings.clone(),
            recommendations: recs,
            edits: authored(viewer, v.user_id),
            history: history(self.storage.support_history("visit", id).await?, lang),
        }))
    }

    fn organiser_name(reach: &Reach, e: &EventRow) -> String {
        let school = reach.schools.values().find(|s| match e.municipality_id {
            Some(m) => s.municipality_id == m,
            None => s.region_id == e.region_id,
        });
        match (school, e.municipality_id) {
            (Some(s), Some(_)) => s.municipality.clone(),
            (Some(s), None) => s.region.clone(),
            (None, _) => String::new(),
        }
    }

    fn event_item(reach: &Reach, e: &EventRow, schools: &[&EventSchoolRow]) -> EventItem {
        EventItem {
            id: e.id,
            title: e.title.clone(),
            format: e.format,
            starts_on: e.starts_on.to_string(),
            ends_on: e.ends_on.to_string(),
            organiser: Support::organiser_name(reach, e),
            invited: schools.len(),
            registered: schools.iter().map(|s| s.registered()).sum(),
        }
    }

    /// The places the viewer organises in, as form choices.
    fn places(viewer: &Viewer, reach: &Reach, regions_too: bool) -> Vec<(String, String)> {
        let mut places = Vec::new();
        let mut seen = HashSet::new();
        for s in reach.sorted() {
            if regions_too
                && viewer.role != Role::Municipal
                && organises(viewer, s.region_id, None)
                && seen.insert(("r", s.region_id))
            {
                places.push((format!("region:{}", s.region_id), s.region.clone()));
            }
            if organises(viewer, s.region_id, Some(s.municipality_id))
                && viewer.role != Role::Regional
                && seen.insert(("m", s.municipality_id))
            {
                places.push((
                    format!("municipality:{}", s.municipality_id),
                    s.municipality.clone(),
                ));
            }
        }
        places
    }

    /// The events the viewer sees, each with its schools.
    /// Every event with its schools.
    async fn all_events(&self) -> Result<Vec<(EventRow, Vec<EventSchoolRow>)>, ServerError> {
        let mut by_event: HashMap<i64, Vec<EventSchoolRow>> = HashMap::new();
        for s in self.storage.all_event_schools().await? {
            by_event.entry(s.event_id).or_default().push(s);
        }
        Ok(self
            .storage
            .events()
            .await?
            .into_iter()
            .map(|e| {
                let schools = by_event.remove(&e.id).unwrap_or_default();
                (e, schools)
            })
            .collect())
    }

    async fn seen_events(
        &self,
        viewer: &Viewer,
        reach: &Reach,
    ) -> Result<Vec<(EventRow, Vec<EventSchoolRow>)>, ServerError> {
        let mut all = self.all_events().await?;
        all.retain(|(e, schools)| events::sees(viewer, reach, e, schools));
        Ok(all)
    }

    async fn events_page(&self, viewer: &Viewer, lang: Lang) -> Result<EventsPage, ServerError> {
        let reach = self.reach(viewer).await?;
        let events = self
            .seen_events(viewer, &reach)
            .await?
            .iter()
            .map(|(e, schools)| {
                let visible: Vec<&EventSchoolRow> = schools
                    .iter()
                    .filter(|s| reach.schools.contains_key(&s.school_id))
                    .collect();
                Support::event_item(&reach, e, &visible)
            })
            .collect();
        Ok(EventsPage {
            events,
            organises: Support::places(viewer, &reach, true),
            cohorts: cohort_choices(lang),
        })
    }

    async fn event_page(
        &self,
        viewer: &Viewer,
        id: i64,
        lang: Lang,
    ) -> Result<Option<EventPage>, ServerError> {
        let Some((e, schools, reach)) = found(self.seen_event(viewer, id).await)? else {
            return Ok(None);
        };
        let organiser = organises(viewer, e.region_id, e.municipality_id);
        let visible: Vec<&EventSchoolRow> = schools
            .iter()
            .filter(|s| reach.schools.contains_key(&s.school_id))
            .collect();
        let invitation = |s: &EventSchoolRow| Invitation {
            school_id: s.school_id,
            school: reach
                .school(s.school_id)
                .map(|p| p.name.clone())
                .unwrap_or_default(),
            registered: s.registered_at.map(|_| {
                [
                    s.reg_principals,
                    s.reg_deputies,
                    s.reg_teachers,
                    s.reg_others,
                ]
            }),
            attended: s.attended,
        };
        let own = reach.own_school(viewer);
        let registers = own
            .and_then(|o| schools.iter().find(|s| s.school_id == o.id))
            .map(invitation);
        let codes = match (own, e.feedback_open && !e.feedback_closed) {
            (Some(o), true) => self.storage.event_codes(id, o.id).await?,
            _ => Vec::new(),
        };
        let m = self.gate.methodology();
        let minimum = m.rules.min_respondents;
        // The results: to the organising side only, once closed, from the minimum of answers.
        let reads_results = organiser || app::access::CAMPAIGNERS.contains(&viewer.role);
        let feedback = match (&m.feedback, reads_results && e.feedback_closed) {
            (Some(instrument), true) => {
                let sums = events::read_sums(&e.feedback_sums)?;
                sums.results(m, instrument, lang.code(), minimum)
                    .map(|lines| FeedbackResults {
                        answers: match lang {
                            Lang::Ru => format!("Ответили: {}", sums.count),
                            Lang::En => format!("Answers: {}", sums.count),
                        },
                        items: lines
                            .into_iter()
                            .map(|l| {
                                let share = l.agreeing.map_or_else(
                                    || "—".to_owned(),
                                    |a| format!("{:.0} %", a * 100.0),
                                );
                                let choices = l
                                    .choices
                                    .iter()
                                    .map(|(w, n)| format!("{w}: {n}"))
                                    .collect::<Vec<_>>()
                                    .join("; ");
                                (l.question, share, choices)
                            })
                            .collect(),
                    })
            }
            _ => None,
        };
        let names = factor_names(&self.gate, lang);
        let factors = e
            .factors
            .split(',')
            .filter(|f| !f.is_empty())
            .map(|f| {
                names
                    .iter()
                    .find(|(c, _)| c == f)
                    .map_or_else(|| f.to_owned(), |(c, n)| format!("{c} {n}"))
            })
            .collect::<Vec<_>>()
            .join("; ");
        Ok(Some(EventPage {
            item: Support::event_item(&reach, &e, &visible),
            description: e.description.clone(),
            cohort: Cohort::parse(&e.cohort)
                .map(|c| c.label(lang).to_owned())
                .unwrap_or_default(),
            factors,
            invitations: if viewer.role == Role::School {
                Vec::new()
            } else {
                visible.iter().map(|s| invitation(s)).collect()
            },
            materials: self
                .files("event", lang)
                .await?
                .remove(&id)
                .unwrap_or_default(),
            organises: organiser,
            registers,
            codes,
            feedback_open: e.feedback_open,
            feedback_closed: e.feedback_closed,
            feedback_minimum: minimum,
            feedback,
            history: if viewer.role == Role::School {
                Vec::new()
            } else {
                history(self.storage.support_history("event", id).await?, lang)
            },
        }))
    }

    /// The roadmaps the viewer reads, with their tracks and activities.
    /// Every roadmap with its tracks and their activities.
    async fn all_roadmaps(&self) -> Result<Vec<RoadmapTree>, ServerError> {
        let tracks = self.storage.tracks().await?;
        let activities = self.storage.activities().await?;
        Ok(self
            .storage
            .roadmaps()
            .await?
            .into_iter()
            .map(|r| {
                let t = tracks
                    .iter()
                    .filter(|t| t.roadmap_id == r.id)
                    .map(|t| {
                        (
                            t.clone(),
                            activities
                                .iter()
                                .filter(|a| a.track_id == t.id)
                                .cloned()
                                .collect(),
                        )
                    })
                    .collect();
                (r, t)
            })
            .collect())
    }

    async fn read_roadmaps(
        &self,
        viewer: &Viewer,
        reach: &Reach,
    ) -> Result<Vec<RoadmapTree>, ServerError> {
        let mut all = self.all_roadmaps().await?;
        all.retain(|(r, _)| roadmaps::reads(viewer, reach, r));
        Ok(all)
    }

    fn roadmap_item(
        reach: &Reach,
        r: &RoadmapRow,
        tracks: &[(TrackRow, Vec<ActivityRow>)],
        today: Day,
    ) -> RoadmapItem {
        let all: Vec<&ActivityRow> = tracks.iter().flat_map(|(_, a)| a.iter()).collect();
        let owner = reach
            .schools
            .values()
            .find(|s| match r.municipality_id {
                Some(m) => s.municipality_id == m,
                None => s.region_id == r.region_id,
            })
            .map(|s| {
                if r.municipality_id.is_some() {
                    s.municipality.clone()
                } else {
                    s.region.clone()
                }
            })
            .unwrap_or_default();
        RoadmapItem {
            id: r.id,
            title: r.title.clone(),
            year: r.year,
            owner,
            activities: all.len(),
            overdue: all.iter().filter(|a| a.overdue(today)).count(),
            progress: progress(&all),
        }
    }

    async fn roadmaps_page(&self, viewer: &Viewer) -> Result<RoadmapsPage, ServerError> {
        let reach = self.reach(viewer).await?;
        let today = (self.today)();
        let roadmaps = self
            .read_roadmaps(viewer, &reach)
            .await?
            .iter()
            .map(|(r, t)| Support::roadmap_item(&reach, r, t, today))
            .collect();
        Ok(RoadmapsPage {
            roadmaps,
            owns: Support::places(viewer, &reach, true),
        })
    }

    /// A roadmap as its page shows it (and its DOCX writes it).
    pub async fn roadmap_view(
        &self,
        viewer: &Viewer,
        id: i64,
        lang: Lang,
    ) -> Result<Option<RoadmapPage>, ServerError> {
        let Some((_, keeps)) = found(self.seen_roadmap(viewer, id).await)? else {
            return Ok(None);
        };
        let reach = self.reach(viewer).await?;
        let today = (self.today)();
        let Some((r, tracks)) = self
            .read_roadmaps(viewer, &reach)
            .await?
            .into_iter()
            .find(|(r, _)| r.id == id)
        else {
            return Ok(None);
        };
        let files = self.files("activity", lang).await?;
        let views = tracks
            .iter()
            .map(|(t, activities)| TrackView {
                id: t.id,
                title: t.title.clone(),
                progress: progress(&activities.iter().collect::<Vec<_>>()),
                activities: activities
                    .iter()
                    .map(|a| ActivityView {
                        id: a.id,
                        title: a.title.clone(),
                        starts_on: a.starts_on.to_string(),
                        due_on: a.due_on.to_string(),
                        responsible: a.responsible.clone(),
                        targets: [
                            Cohort::parse(&a.cohort)
                                .map(|c| c.label(lang).to_owned())
                                .unwrap_or_default(),
                            a.schools.clone(),
                        ]
                        .into_iter()
                        .filter(|t| !t.is_empty())
                        .collect::<Vec<_>>()
                        .join("; "),
                        cohort: a.cohort.clone(),
                        schools: a.schools.clone(),
                        expected: a.expected.clone(),
                        status: a.status,
                        overdue: a.overdue(today),
                        files: files.get(&a.id).cloned().unwrap_or_default(),
                    })
                    .collect(),
            })
            .collect();
        Ok(Some(RoadmapPage {
            item: Support::roadmap_item(&reach, &r, &tracks, today),
            cohorts: cohort_choices(lang),
            tracks: views,
            edits: keeps,
            history: history(self.storage.support_history("roadmap", id).await?, lang),
        }))
    }

    async fn inbox_page(&self, viewer: &Viewer) -> Result<InboxPage, ServerError> {
        let notices: Vec<NoticeView> = self
            .storage
            .inbox(viewer.user_id, 200)
            .await?
            .into_iter()
            .filter_map(|n| {
                NoticeKind::parse(&n.kind).map(|kind| NoticeView {
                    id: n.id,
                    kind,
                    subject: n.subject,
                    link: n.link,
                    at: moment(n.at),
                    read: n.read_at.is_some(),
                })
            })
            .collect();
        let settings = self.storage.mail_settings(viewer.user_id).await?;
        let muted = self.storage.muted(viewer.user_id).await?;
        Ok(InboxPage {
            unread: usize::try_from(self.storage.unread(viewer.user_id).await?).unwrap_or(0),
            notices,
            email: settings
                .as_ref()
                .and_then(|s| s.email.clone())
                .unwrap_or_default(),
            digest: settings.is_some_and(|s| s.mail_digest),
            muted: muted.iter().filter_map(|k| NoticeKind::parse(k)).collect(),
            mail: self.mail,
        })
    }

    /// The support figures of every school today, read again only after a support change.
    async fn tallies(&self, today: Day) -> Result<Arc<Tallies>, ServerError> {
        // The version first: whatever the reads below see is at least as new as it.
        let key = (self.storage.support_version().await?, today);
        if let Some(kept) = self.tallies.get(&key) {
            return Ok(kept);
        }
        let (month, next_month) = this_month(today);
        let tallies = Arc::new(Tallies {
            questions: self
                .storage
                .question_counts(today)
                .await?
                .into_iter()
                .map(|(s, waiting, overdue)| (s, (waiting, overdue)))
                .collect(),
            recommendations: self
                .storage
                .recommendation_counts(today, today.plus_days(7))
                .await?,
            visits: self.storage.visit_counts(month, next_month).await?,
            held: self
                .storage
                .visits_held(today.plus_days(-90), today)
                .await?,
            contacts: self.storage.last_contacts().await?,
            events: self.all_events().await?,
            roadmaps: self.all_roadmaps().await?,
        });
        self.tallies.put(key, tallies.clone(), 1);
        Ok(tallies)
    }

    async fn summary_page(
        &self,
        viewer: &Viewer,
        lang: Lang,
    ) -> Result<SupportSummary, ServerError> {
        let reach = self.reach(viewer).await?;
        let today = (self.today)();
        let tallies = self.tallies(today).await?;
        let (month, next_month) = this_month(today);
        let ours = |school: &i64| reach.schools.contains_key(school);
        // Counted by the database per school, summed over the viewer's schools.
        let questions: Vec<(i64, i64)> = tallies
            .questions
            .iter()
            .filter(|(s, _)| ours(s))
            .map(|(_, q)| *q)
            .collect();
        let recs: Vec<&(i64, i64, i64)> = tallies
            .recommendations
            .iter()
            .filter(|(s, ..)| ours(s))
            .collect();
        let visits: i64 = tallies
            .visits
            .iter()
            .filter(|(s, _)| ours(s))
            .map(|(_, n)| n)
            .sum();
        let events = tallies
            .events
            .iter()
            .filter(|(e, schools)| events::sees(viewer, &reach, e, schools))
            .filter(|(e, _)| e.starts_on >= month && e.starts_on < next_month)
            .count();
        let count = |n: i64| usize::try_from(n).unwrap_or(0);
        let mut summary = SupportSummary {
            questions_waiting: count(questions.iter().map(|q| q.0).sum()),
            questions_overdue: count(questions.iter().map(|q| q.1).sum()),
            recommendations_due: count(recs.iter().map(|r| r.1).sum()),
            recommendations_overdue: count(recs.iter().map(|r| r.2).sum()),
            visits_this_month: count(visits),
            events_this_month: events,
            activities_overdue: tallies
                .roadmaps
                .iter()
                .filter(|(r, _)| roadmaps::reads(viewer, &reach, r))
                .flat_map(|(_, t)| t.iter().flat_map(|(_, a)| a.iter()))
                .filter(|a| a.overdue(today))
                .count(),
            unread: count(self.storage.unread(viewer.user_id).await?),
            coverage: None,
            load: Vec::new(),
        };
        if app::access::CAMPAIGNERS.contains(&viewer.role) {
            let since = crate::clock::now() - NO_CONTACT_DAYS * 86_400;
            let contacted: HashSet<i64> = tallies
                .contacts
                .iter()
                .filter(|(_, at)| *at >= since)
                .map(|(s, _)| *s)
                .collect();
            let uncovered: Vec<String> = reach
                .sorted()
                .into_iter()
                .filter(|s| !contacted.contains(&s.id))
                .map(|s| s.name.clone())
                .collect();
            let total = uncovered.len();
            summary.coverage = Some((uncovered.into_iter().take(50).collect(), total));
            summary.load = self.load(&reach, &tallies, lang).await?;
        }
        Ok(summary)
    }

    /// Each curator's and municipal coordinator's load over the viewer's schools: schools,
    /// questions waiting, visits held per month over the last three months.
    async fn load(
        &self,
        reach: &Reach,
        tallies: &Tallies,
        lang: Lang,
    ) -> Result<Vec<LoadRow>, ServerError> {
        let links = self.storage.curator_links().await?;
        let mut held: HashMap<i64, i64> = HashMap::new();
        for (user, school, n) in &tallies.held {
            if reach.schools.contains_key(school) {
                *held.entry(*user).or_default() += n;
            }
        }
        let mut rows = Vec::new();
        for (user, role) in self.storage.users().await? {
            if !user.active {
                continue;
            }
            let schools: Vec<i64> = match role.role {
                Role::Curator => links
                    .iter()
                    .filter(|(u, s)| *u == user.id && reach.schools.contains_key(s))
                    .map(|(_, s)| *s)
                    .collect(),
                Role::Municipal => reach
                    .schools
                    .values()
                    .filter(|s| Some(s.municipality_id) == role.municipality_id)
                    .map(|s| s.id)
                    .collect(),
                _ => continue,
            };
            if schools.is_empty() {
                continue;
            }
            let open: i64 = schools
                .iter()
                .filter_map(|s| tallies.questions.get(s))
                .map(|q| q.0)
                .sum();
            let per_month = held.get(&user.id).copied().unwrap_or(0) as f64 / 3.0;
            let words = format!("{per_month:.1}");
            rows.push(LoadRow {
                who: user.display_name,
                role: role.role.label(lang).to_owned(),
                schools: schools.len(),
                open_questions: usize::try_from(open).unwrap_or(0),
                visits_per_month: if lang == Lang::Ru {
                    words.replace('.', ",")
                } else {
                    words
                },
            });
        }
        rows.sort_by(|a, b| b.schools.cmp(&a.schools).then(a.who.cmp(&b.who)));
        Ok(rows)
    }
}

/// Done of all but the cancelled, in percent.
fn progress(activities: &[&ActivityRow]) -> u32 {
    use app::support::ActivityStatus::{Cancelled, Done};
    let counted = activities.iter().filter(|a| a.status != Cancelled).count();
    let done = activities.iter().filter(|a| a.status == Done).count();
    (done * 100).checked_div(counted).unwrap_or(0) as u32
}

#[async_trait::async_trait]
impl SupportSource for Support {
    async fn support(
        &self,
        viewer: &Viewer,
        filter: SupportFilter,
        list: ListQuery,
        lang: Lang,
    ) -> Result<SupportPage, AppError> {
        self.support_page(viewer, filter, list, lang)
            .await
            .map_err(app_error)
    }
    async fn question(
        &self,
        viewer: &Viewer,
        id: i64,
        lang: Lang,
    ) -> Result<Option<QuestionPage>, AppError> {
        self.question_page(viewer, id, lang)
            .await
            .map_err(app_error)
    }
    async fn knowledge(
        &self,
        viewer: &Viewer,
        factor: String,
        text: String,
        lang: Lang,
    ) -> Result<KnowledgePage, AppError> {
        self.knowledge_page(viewer, factor, text, lang)
            .await
            .map_err(app_error)
    }
    async fn visit(
        &self,
        viewer: &Viewer,
        id: i64,
        lang: Lang,
    ) -> Result<Option<VisitPage>, AppError> {
        self.visit_page(viewer, id, lang).await.map_err(app_error)
    }
    async fn events(&self, viewer: &Viewer, lang: Lang) -> Result<EventsPage, AppError> {
        self.events_page(viewer, lang).await.map_err(app_error)
    }
    async fn event(
        &self,
        viewer: &Viewer,
        id: i64,
        lang: Lang,
    ) -> Result<Option<EventPage>, AppError> {
        self.event_page(viewer, id, lang).await.map_err(app_error)
    }
    async fn roadmaps(&self, viewer: &Viewer, _lang: Lang) -> Result<RoadmapsPage, AppError> {
        self.roadmaps_page(viewer).await.map_err(app_error)
    }
    async fn roadmap(
        &self,
        viewer: &Viewer,
        id: i64,
        lang: Lang,
    ) -> Result<Option<RoadmapPage>, AppError> {
        self.roadmap_view(viewer, id, lang).await.map_err(app_error)
    }
    async fn inbox(&self, viewer: &Viewer, _lang: Lang) -> Result<InboxPage, AppError> {
        self.inbox_page(viewer).await.map_err(app_error)
    }
    async fn summary(&self, viewer: &Viewer, lang: Lang) -> Result<SupportSummary, AppError> {
        self.summary_page(viewer, lang).await.map_err(app_error)
    }
}

/// Each status of a list with how many of `rows` stand in it: (key, words, count).
fn counted<T, S: Copy + PartialEq>(
    all: &[S],
    rows: &[T],
    status: impl Fn(&T) -> S,
    words: impl Fn(S) -> (&'static str, &'static str),
) -> Vec<(String, String, usize)> {
    all.iter()
        .map(|s| {
            let (key, label) = words(*s);
            let n = rows.iter().filter(|r| status(r) == *s).count();
            (key.to_owned(), label.to_owned(), n)
        })
        .collect()
}

/// The status a list is filtered by: none for every status, a refusal naming the field for a
/// key that is none of the list's.
fn status_of<S>(key: Option<&str>, parse: fn(&str) -> Option<S>) -> Result<Option<S>, ServerError> {
    match key {
        None => Ok(None),
        Some(k) => parse(k)
            .map(Some)
            .ok_or_else(|| Refused::one(At::Field("state"), Kind::Invalid).into()),
    }
}
