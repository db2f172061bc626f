//! A school's questions: the school asks (about one of its chosen risks or measures, with a
//! file), its curator and municipal coordinator answer in the thread, the school closes the
//! question or opens it again with a new message. A first answer is due within the region's
//! target in working days. A regional coordinator publishes an answered question, in words
//! without the school's name, to the knowledge base every school searches.

use app::access::{Role, Viewer};
use app::support::{NoticeKind, QuestionStatus};
use axum::extract::{Multipart, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::{Extension, Form};
use validator::Validate;

use super::{optional_text, supports, text, Support};
use crate::error::ServerError;
use crate::notify::Audience;
use crate::problem::{At, Kind, Refused};
use crate::reply::{refusal_back, see_other};
use crate::storage::{NewSupportFile, PlacedSchool, QuestionRow};
use crate::uploads;

pub const SUPPORT_PAGE: &str = "/work/support";

pub fn question_page(id: i64) -> String {
    format!("/work/support/questions/{id}")
}

impl Support {
    /// The question and its school, if the viewer sees the school.
    pub async fn seen_question(
        &self,
        viewer: &Viewer,
        id: i64,
    ) -> Result<(QuestionRow, PlacedSchool), ServerError> {
        let q = self
            .storage
            .question(id)
            .await?
            .ok_or(ServerError::NotFound)?;
        let reach = self.reach(viewer).await?;
        let school = reach
            .school(q.school_id)
            .cloned()
            .ok_or(ServerError::NotFound)?;
        Ok((q, school))
    }

    /// Attaches the upload's file, if any, to a support object (`kind`, `owner`) of a school
    /// (or of the region's own), the change written into the history of `history`.
    pub async fn attach(
        &self,
        viewer: &Viewer,
        file: Option<(String, Vec<u8>, &'static str)>,
        (kind, owner): (&str, i64),
        history: (&str, i64),
        school: Option<i64>,
        region: i64,
    ) -> Result<(), ServerError> {
        let Some((name, data, content_type)) = file else {
            return Ok(());
        };
        let change = Support::change(viewer, history.0, history.1, school, "file_added", &name);
        let new = NewSupportFile {
            kind,
            owner_id: owner,
            school_id: school,
            region_id: region,
            name: &name,
            content_type,
            data: &data,
        };
        self.storage
            .add_support_file(new, self.quota.bytes, change)
            .await?;
        Ok(())
    }
}

/// `POST /work/support/questions` (multipart: `title`, `body`, `factor`, `measure`, `file`; the
/// CSRF token in the query): a school's account asks.
pub async fn ask(
    State(support): State<Support>,
    Extension(viewer): Extension<Viewer>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<Response, ServerError> {
    let asked = async {
        let reach = support.reach(&viewer).await?;
        let school = reach
            .own_school(&viewer)
            .cloned()
            .ok_or_else(|| Refused::one(At::Whole, Kind::SupportStep))?;
        let form = uploads::read(&mut multipart, false).await?;
        let title = text(&form.text("title"), "title", 200)?;
        let body = text(&form.text("body"), "body", 4000)?;
        let factor = optional_text(&form.text("factor"), "factor", 10)?;
        if !factor.is_empty()
            && !support
                .gate
                .methodology()
                .factors
                .iter()
                .any(|f| f.code.0 == factor)
        {
            return Err(Refused::one(At::Field("factor"), Kind::Invalid).into());
        }
        let measure = match form.text("measure").trim() {
            "" => None,
            t => Some(
                t.parse::<i64>()
                    .map_err(|_| Refused::one(At::Field("measure"), Kind::Invalid))?,
            ),
        };
        let days = support.storage.answer_days(school.region_id).await?;
        let due = (support.today)().plus_working_days(days.clamp(0, 60) as u32);
        let (id, message) = support
            .storage
            .ask(
                school.id,
                (viewer.user_id, Role::School.key()),
                &factor,
                measure,
                &title,
                &body,
                crate::clock::now(),
                due,
            )
            .await?;
        support
            .attach(
                &viewer,
                form.file,
                ("message", message),
                ("question", id),
                Some(school.id),
                school.region_id,
            )
            .await?;
        support
            .notifier
            .school_quietly(
                school.id,
                Audience::Supporters,
                NoticeKind::QuestionAsked,
                &format!("question:{id}:{message}"),
                &format!("{} — {title}", school.name),
                &question_page(id),
            )
            .await;
        Ok(see_other(&question_page(id), None))
    };
    refusal_back(SUPPORT_PAGE, &headers, 3, asked.await)
}

/// `POST /work/support/questions/{id}/messages` (multipart: `body`, `file`): an answer by a
/// curator or municipal coordinator, or the school's new message (which opens the question
/// again).
pub async fn message(
    State(support): State<Support>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<Response, ServerError> {
    let back = question_page(id);
    let written = async {
        let (q, school) = support.seen_question(&viewer, id).await?;
        let form = uploads::read(&mut multipart, false).await?;
        let body = text(&form.text("body"), "body", 4000)?;
        let from_school = viewer.role == Role::School;
        if !from_school && !supports(&viewer) {
            return Err(Refused::one(At::Whole, Kind::SupportStep).into());
        }
        let (status, due, action) = if from_school {
            let days = support.storage.answer_days(school.region_id).await?;
            let due = if q.status == QuestionStatus::New {
                q.due_on
            } else {
                (support.today)().plus_working_days(days.clamp(0, 60) as u32)
            };
            let action = if q.status == QuestionStatus::New {
                "message"
            } else {
                "reopened"
            };
            (QuestionStatus::New, due, action)
        } else {
            (QuestionStatus::Answered, q.due_on, "answered")
        };
        let change = Support::change(&viewer, "question", id, Some(school.id), action, "");
        let message = support
            .storage
            .add_message(
                &q,
                (viewer.user_id, viewer.role.key()),
                &body,
                status,
                due,
                change,
            )
            .await?;
        support
            .attach(
                &viewer,
                form.file,
                ("message", message),
                ("question", id),
                Some(school.id),
                school.region_id,
            )
            .await?;
        let (audience, kind) = if from_school {
            (Audience::Supporters, NoticeKind::QuestionAsked)
        } else {
            (Audience::School, NoticeKind::QuestionAnswered)
        };
        support
            .notifier
            .school_quietly(
                school.id,
                audience,
                kind,
                &format!("question:{id}:{message}"),
                &format!("{} — {}", school.name, q.title),
                &back,
            )
            .await;
        Ok(see_other(&format!("{back}#message-{message}"), None))
    };
    refusal_back(&back, &headers, 3, written.await)
}

/// `POST /work/support/questions/{id}/close`: the school closes its question.
pub async fn close(
    State(support): State<Support>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, ServerError> {
    let back = question_page(id);
    let closed = async {
        let (q, school) = support.seen_question(&viewer, id).await?;
        if viewer.role != Role::School || q.status == QuestionStatus::Closed {
            return Err(Refused::one(At::Whole, Kind::SupportStep).into());
        }
        let change = Support::change(&viewer, "question", id, Some(school.id), "closed", "");
        support
            .storage
            .set_question_status(id, QuestionStatus::Closed, change)
            .await?;
        Ok(see_other(&back, None))
    };
    refusal_back(&back, &headers, 1, closed.await)
}

/// A question as the knowledge base shows it.
#[derive(serde::Deserialize, Validate)]
pub struct PublishForm {
    #[validate(length(min = 1, max = 1000))]
    kb_question: String,
    #[validate(length(min = 1, max = 6000))]
    kb_answer: String,
}

/// Whether the viewer publishes to the knowledge base: a regional coordinator, an admin.
pub fn publishes(viewer: &Viewer) -> bool {
    app::access::CAMPAIGNERS.contains(&viewer.role)
}

/// `POST /work/support/questions/{id}/publish`: a regional coordinator publishes an answered
/// question in the words given (the school's name is not part of it).
pub async fn publish(
    State(support): State<Support>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(form): Form<PublishForm>,
) -> Result<Response, ServerError> {
    let back = question_page(id);
    let published = async {
        form.validate().map_err(Refused::from)?;
        let (q, school) = support.seen_question(&viewer, id).await?;
        if !publishes(&viewer) || q.answered_at.is_none() {
            return Err(Refused::one(At::Whole, Kind::SupportStep).into());
        }
        let change = Support::change(&viewer, "question", id, Some(school.id), "published", "");
        let words = (form.kb_question.trim(), form.kb_answer.trim());
        support
            .storage
            .publish_question(id, Some(words), change)
            .await?;
        Ok(see_other(&back, None))
    };
    refusal_back(&back, &headers, 2, published.await)
}

/// `POST /work/support/questions/{id}/unpublish`: takes a question out of the knowledge base.
pub async fn unpublish(
    State(support): State<Support>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, ServerError> {
    let back = question_page(id);
    let withdrawn = async {
        let (q, school) = support.seen_question(&viewer, id).await?;
        if !publishes(&viewer) || !q.published {
            return Err(Refused::one(At::Whole, Kind::SupportStep).into());
        }
        let change = Support::change(&viewer, "question", id, Some(school.id), "unpublished", "");
        support.storage.publish_question(id, None, change).await?;
        Ok(see_other(&back, None))
    };
    refusal_back(&back, &headers, 1, withdrawn.await)
}

/// The region's response-time target.
#[derive(serde::Deserialize, Validate)]
pub struct TargetForm {
    #[validate(range(min = 1))]
    region: i64,
    #[validate(range(min = 1, max = 30))]
    days: i64,
}

/// `POST /work/support/target`: a regional coordinator sets how many working days a question
/// may wait for its first answer.
pub async fn set_target(
    State(support): State<Support>,
    Extension(viewer): Extension<Viewer>,
    headers: HeaderMap,
    Form(form): Form<TargetForm>,
) -> Result<Response, ServerError> {
    let set = async {
        form.validate().map_err(Refused::from)?;
        if !super::organises(&viewer, form.region, None) {
            return Err(ServerError::NotFound);
        }
        if !support
            .storage
            .set_answer_days(form.region, form.days)
            .await?
        {
            return Err(ServerError::NotFound);
        }
        Ok(see_other(SUPPORT_PAGE, None))
    };
    refusal_back(SUPPORT_PAGE, &headers, 1, set.await)
}
