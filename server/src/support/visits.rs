//! Visits and recommendations: a curator or municipal coordinator plans and records a visit
//! (the day, on site or online, how many of each role took part, its purpose and findings) and
//! leaves recommendations, each with a due date and the role responsible. The school answers each
//! (done with evidence, in progress, or disagreeing with a reason); the author accepts the answer
//! or returns it.

use app::access::{Role, Viewer};
use app::support::{
    NoticeKind, RecommendationAnswer, RecommendationStatus, Responsible, VisitMode, VisitStatus,
};
use axum::extract::{Multipart, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::{Extension, Form};
use validator::Validate;

use super::{count, day, optional_text, supports, text, Support};
use crate::error::ServerError;
use crate::problem::{At, Kind, Refused};
use crate::reply::{refusal_back, see_other};
use crate::storage::{PlacedSchool, RecommendationRow, VisitFields, VisitRow};
use crate::uploads;

pub fn visit_page(id: i64) -> String {
    format!("/work/support/visits/{id}")
}

fn one_of<T>(parse: fn(&str) -> Option<T>, value: &str, field: &'static str) -> Result<T, Refused> {
    parse(value).ok_or_else(|| Refused::one(At::Field(field), Kind::Invalid))
}

/// A visit as its form gives it.
#[derive(serde::Deserialize, Validate)]
pub struct VisitForm {
    /// The school as its search field gives it (`scope::school_named`).
    #[serde(default)]
    #[validate(length(max = 200))]
    school: String,
    #[validate(length(max = 10))]
    day: String,
    #[validate(length(max = 20))]
    mode: String,
    #[validate(length(max = 20))]
    status: String,
    #[serde(default)]
    #[validate(length(max = 4))]
    principals: String,
    #[serde(default)]
    #[validate(length(max = 4))]
    deputies: String,
    #[serde(default)]
    #[validate(length(max = 4))]
    teachers: String,
    #[serde(default)]
    #[validate(length(max = 4))]
    others: String,
    #[validate(length(max = 2000))]
    purpose: String,
    #[serde(default)]
    #[validate(length(max = 8000))]
    findings: String,
}

impl VisitForm {
    fn fields(&self) -> Result<VisitFields, Refused> {
        self.validate().map_err(Refused::from)?;
        Ok(VisitFields {
            day: day(&self.day, "day")?,
            mode: one_of(VisitMode::parse, &self.mode, "mode")?,
            status: one_of(VisitStatus::parse, &self.status, "status")?,
            participants: [
                count(&self.principals, "principals")?,
                count(&self.deputies, "deputies")?,
                count(&self.teachers, "teachers")?,
                count(&self.others, "others")?,
            ],
            purpose: text(&self.purpose, "purpose", 2000)?,
            findings: optional_text(&self.findings, "findings", 8000)?,
        })
    }
}

impl Support {
    /// A visit and its school, if the viewer sees the school.
    pub async fn seen_visit(
        &self,
        viewer: &Viewer,
        id: i64,
    ) -> Result<(VisitRow, PlacedSchool), ServerError> {
        let v = self.storage.visit(id).await?.ok_or(ServerError::NotFound)?;
        let reach = self.reach(viewer).await?;
        let school = reach
            .school(v.school_id)
            .cloned()
            .ok_or(ServerError::NotFound)?;
        Ok((v, school))
    }

    /// A recommendation and its school, if the viewer sees the school.
    pub async fn seen_recommendation(
        &self,
        viewer: &Viewer,
        id: i64,
    ) -> Result<(RecommendationRow, PlacedSchool), ServerError> {
        let r = self
            .storage
            .recommendation(id)
            .await?
            .ok_or(ServerError::NotFound)?;
        let reach = self.reach(viewer).await?;
        let school = reach
            .school(r.school_id)
            .cloned()
            .ok_or(ServerError::NotFound)?;
        Ok((r, school))
    }
}

/// Whether the viewer changes what `author` wrote: the author, or an admin.
pub fn authored(viewer: &Viewer, author: i64) -> bool {
    viewer.role == Role::Admin || (supports(viewer) && viewer.user_id == author)
}

/// Where a recommendation goes back to: its visit, or the support page.
fn recommendation_back(r: &RecommendationRow) -> String {
    r.visit_id
        .map_or_else(|| super::consultations::SUPPORT_PAGE.to_owned(), visit_page)
        + &format!("#recommendation-{}", r.id)
}

/// `POST /work/support/visits`: a curator or municipal coordinator plans or records a visit to
/// one of its schools.
pub async fn create(
    State(support): State<Support>,
    Extension(viewer): Extension<Viewer>,
    headers: HeaderMap,
    Form(form): Form<VisitForm>,
) -> Result<Response, ServerError> {
    let back = super::consultations::SUPPORT_PAGE;
    let created = async {
        if !supports(&viewer) {
            return Err(Refused::one(At::Whole, Kind::SupportStep).into());
        }
        let fields = form.fields()?;
        let reach = support.reach(&viewer).await?;
        let school = crate::scope::school_named(reach.schools.values(), "school", &form.school)?;
        let action = held_or_planned(fields.status);
        let change = Support::change(&viewer, "visit", 0, Some(school.id), action, "");
        let id = support
            .storage
            .save_visit(None, school.id, &fields, change)
            .await?;
        Ok(see_other(&visit_page(id), None))
    };
    refusal_back(back, &headers, 3, created.await)
}

fn held_or_planned(status: VisitStatus) -> &'static str {
    match status {
        VisitStatus::Held => "visit_held",
        VisitStatus::Planned => "visit_planned",
        VisitStatus::Cancelled => "visit_cancelled",
    }
}

/// `POST /work/support/visits/{id}/save`: its author records how it went (or changes the plan).
pub async fn update(
    State(support): State<Support>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(form): Form<VisitForm>,
) -> Result<Response, ServerError> {
    let back = visit_page(id);
    let saved = async {
        let (visit, school) = support.seen_visit(&viewer, id).await?;
        if !authored(&viewer, visit.user_id) {
            return Err(Refused::one(At::Whole, Kind::SupportStep).into());
        }
        let fields = form.fields()?;
        let action = if fields.status == visit.status {
            "visit_changed"
        } else {
            held_or_planned(fields.status)
        };
        let change = Support::change(&viewer, "visit", id, Some(school.id), action, "");
        support
            .storage
            .save_visit(Some(id), school.id, &fields, change)
            .await?;
        Ok(see_other(&back, None))
    };
    refusal_back(&back, &headers, 3, saved.await)
}

/// A recommendation as its form gives it.
#[derive(serde::Deserialize, Validate)]
pub struct RecommendationForm {
    #[validate(length(max = 4000))]
    body: String,
    #[validate(length(max = 10))]
    due_on: String,
    #[validate(length(max = 20))]
    responsible: String,
}

/// `POST /work/support/visits/{id}/recommendations`: the visit's author leaves a recommendation.
pub async fn recommend(
    State(support): State<Support>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(form): Form<RecommendationForm>,
) -> Result<Response, ServerError> {
    let back = visit_page(id);
    let added = async {
        form.validate().map_err(Refused::from)?;
        let (visit, school) = support.seen_visit(&viewer, id).await?;
        if !authored(&viewer, visit.user_id) {
            return Err(Refused::one(At::Whole, Kind::SupportStep).into());
        }
        let body = text(&form.body, "body", 4000)?;
        let due = day(&form.due_on, "due_on")?;
        let responsible = one_of(Responsible::parse, &form.responsible, "responsible")?;
        let change = Support::change(
            &viewer,
            "recommendation",
            0,
            Some(school.id),
            "recommended",
            "",
        );
        let rec = support
            .storage
            .add_recommendation(&visit, &body, due, responsible, change)
            .await?;
        Ok(see_other(&format!("{back}#recommendation-{rec}"), None))
    };
    refusal_back(&back, &headers, 3, added.await)
}

/// `POST /work/support/recommendations/{id}/answer` (multipart: `answer`, `text`, `file`): the
/// school answers — done (with evidence: a text or a file), in progress, or disagreeing (with
/// the reason).
pub async fn answer(
    State(support): State<Support>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<Response, ServerError> {
    let (rec, school) = support.seen_recommendation(&viewer, id).await?;
    let back = recommendation_back(&rec);
    let answered = async {
        if viewer.role != Role::School || !rec.status.open() {
            return Err(Refused::one(At::Whole, Kind::SupportStep).into());
        }
        let form = uploads::read(&mut multipart, false).await?;
        let answer = one_of(RecommendationAnswer::parse, &form.text("answer"), "answer")?;
        let words = optional_text(&form.text("text"), "text", 4000)?;
        let needs_words = match answer {
            RecommendationAnswer::Disagreed => true,
            RecommendationAnswer::Done => form.file.is_none(),
            RecommendationAnswer::InProgress => false,
        };
        if needs_words && words.is_empty() {
            return Err(Refused::one(At::Field("text"), Kind::Empty).into());
        }
        let to = match answer {
            RecommendationAnswer::Done => RecommendationStatus::Done,
            RecommendationAnswer::InProgress => RecommendationStatus::InProgress,
            RecommendationAnswer::Disagreed => RecommendationStatus::Disagreed,
        };
        let change = Support::change(
            &viewer,
            "recommendation",
            id,
            Some(school.id),
            to.key(),
            &words,
        );
        if !support
            .storage
            .set_recommendation(id, rec.status, to, Some(&words), change)
            .await?
        {
            return Err(Refused::one(At::Whole, Kind::SupportStep).into());
        }
        support
            .attach(
                &viewer,
                form.file,
                ("recommendation", id),
                ("recommendation", id),
                Some(school.id),
                school.region_id,
            )
            .await?;
        if to != RecommendationStatus::InProgress {
            let key = format!("recommendation:{id}:{}", crate::clock::now());
            let notice = support
                .notifier
                .send(
                    &[rec.user_id],
                    NoticeKind::RecommendationAnswered,
                    &key,
                    &school.name,
                    &back,
                )
                .await;
            if let Err(e) = notice {
                tracing::warn!(error = %e, "could not write a notice");
            }
        }
        Ok(see_other(&back, None))
    };
    refusal_back(&back, &headers, 2, answered.await)
}

/// The author's decision on the school's answer.
#[derive(serde::Deserialize, Validate)]
pub struct DecideForm {
    #[validate(length(max = 10))]
    decision: String,
    #[serde(default)]
    #[validate(length(max = 2000))]
    comment: String,
}

/// `POST /work/support/recommendations/{id}/decide`: the author accepts the school's answer
/// (done or disagreeing) or returns it with a comment.
pub async fn decide(
    State(support): State<Support>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(form): Form<DecideForm>,
) -> Result<Response, ServerError> {
    let (rec, school) = support.seen_recommendation(&viewer, id).await?;
    let back = recommendation_back(&rec);
    let decided = async {
        form.validate().map_err(Refused::from)?;
        let waiting = matches!(
            rec.status,
            RecommendationStatus::Done | RecommendationStatus::Disagreed
        );
        if !authored(&viewer, rec.user_id) || !waiting {
            return Err(Refused::one(At::Whole, Kind::SupportStep).into());
        }
        let to = match form.decision.as_str() {
            "accept" => RecommendationStatus::Accepted,
            "return" => RecommendationStatus::Returned,
            _ => return Err(Refused::one(At::Field("decision"), Kind::Invalid).into()),
        };
        let comment = if to == RecommendationStatus::Returned {
            text(&form.comment, "comment", 2000)?
        } else {
            optional_text(&form.comment, "comment", 2000)?
        };
        let change = Support::change(
            &viewer,
            "recommendation",
            id,
            Some(school.id),
            to.key(),
            &comment,
        );
        if !support
            .storage
            .set_recommendation(id, rec.status, to, None, change)
            .await?
        {
            return Err(Refused::one(At::Whole, Kind::SupportStep).into());
        }
        Ok(see_other(&back, None))
    };
    refusal_back(&back, &headers, 2, decided.await)
}
