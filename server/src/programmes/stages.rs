//! Stage reports: a campaign's coordinators set the stage dates (from the monitor); at each
//! stage the school (or its curator) marks every measure of its agreed programme — status, the
//! reason when not done, evidence — and writes a short analysis; those who agree comment on it.
//! A report can be filed anew until the stage is over; each filing keeps a copy of the measures.

use app::access::Viewer;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::{Extension, Form};
use surveys::calendar::Day;
use validator::Validate;

use super::plan::{day_or_empty, status};
use super::{event, written};
use crate::error::ServerError;
use crate::problem::{At, Kind, Problem, Refused};
use crate::reply::{refusal_back, see_other, see_other_with};
use crate::scope::Gate;
use crate::storage::{MeasureMark, Storage};

fn monitor(campaign: i64) -> String {
    format!("/work/campaigns/{campaign}/monitor")
}

fn programme_page(campaign: i64, school: i64) -> String {
    format!("/work/campaigns/{campaign}/schools/{school}/programme")
}

/// A stage date.
#[derive(serde::Deserialize, Validate)]
pub struct StageForm {
    #[validate(length(min = 1, max = 200))]
    title: String,
    #[validate(length(min = 1), custom(function = "day_or_empty"))]
    due_on: String,
}

/// `POST /work/campaigns/{id}/stages`: adds a stage date to the campaign's programmes.
pub async fn add_stage(
    State(gate): State<Gate>,
    State(storage): State<Storage>,
    Extension(viewer): Extension<Viewer>,
    Path(campaign): Path<i64>,
    headers: HeaderMap,
    Form(form): Form<StageForm>,
) -> Result<Response, ServerError> {
    let back = monitor(campaign);
    let added = async {
        form.validate().map_err(Refused::from)?;
        if gate.campaign(&viewer, campaign, None).await?.is_none() {
            return Err(ServerError::NotFound);
        }
        let due_on: Day = form
            .due_on
            .trim()
            .parse()
            .map_err(|_| Refused::one(At::Field("due_on"), Kind::Date))?;
        if !storage
            .add_stage(campaign, form.title.trim(), due_on)
            .await?
        {
            return Err(Refused::one(At::Field("due_on"), Kind::StageTaken).into());
        }
        Ok(see_other(&format!("{back}#stages"), None))
    };
    refusal_back(&back, &headers, 2, added.await)
}

/// `POST /work/campaigns/{id}/stages/{stage}/remove`: removes a stage date no report was filed for.
pub async fn remove_stage(
    State(gate): State<Gate>,
    State(storage): State<Storage>,
    Extension(viewer): Extension<Viewer>,
    Path((campaign, stage)): Path<(i64, i64)>,
    headers: HeaderMap,
) -> Result<Response, ServerError> {
    let back = monitor(campaign);
    let removed = async {
        if gate.campaign(&viewer, campaign, None).await?.is_none() {
            return Err(ServerError::NotFound);
        }
        if !storage.remove_stage(campaign, stage).await? {
            return Err(Refused::one(At::Whole, Kind::StageTaken).into());
        }
        Ok(see_other(&format!("{back}#stages"), None))
    };
    refusal_back(&back, &headers, 1, removed.await)
}

/// The analysis of a stage report (the marks of the measures come as `status-<id>`,
/// `reason-<id>`, `evidence-<id>` beside it).
#[derive(Validate)]
struct ReportText {
    #[validate(length(min = 1, max = 4000))]
    analysis: String,
}

/// One measure's mark as the report form sends it.
#[derive(Validate)]
struct MarkForm {
    #[validate(custom(function = "status"))]
    status: String,
    #[validate(length(max = 1000))]
    status_reason: String,
    #[validate(length(max = 4000))]
    evidence: String,
}

/// The analysis and the marks of a report form, checked; the marks of every measure sent.
fn read_report(pairs: &[(String, String)]) -> Result<(String, Vec<MeasureMark>), ServerError> {
    let value = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    let text = ReportText {
        analysis: value("analysis"),
    };
    let mut problems = match text.validate() {
        Ok(()) => Vec::new(),
        Err(e) => Refused::from(e).0,
    };
    let mut marks = Vec::new();
    for (key, _) in pairs {
        let Some(id) = key
            .strip_prefix("status-")
            .and_then(|n| n.parse::<i64>().ok())
        else {
            continue;
        };
        let mark = MarkForm {
            status: value(key),
            status_reason: value(&format!("reason-{id}")),
            evidence: value(&format!("evidence-{id}")),
        };
        if let Err(e) = mark.validate() {
            problems.extend(Refused::from(e).0);
            continue;
        }
        if app::programmes::MeasureStatus::of(&mark.status).needs_reason()
            && mark.status_reason.is_empty()
        {
            problems.push(Problem::new(At::Field("status_reason"), Kind::Empty));
            continue;
        }
        marks.push(MeasureMark {
            measure_id: id,
            action: String::new(),
            status: if mark.status.is_empty() {
                app::programmes::MeasureStatus::Planned.key().to_owned()
            } else {
                mark.status
            },
            status_reason: mark.status_reason,
            evidence: mark.evidence,
        });
    }
    if !problems.is_empty() {
        return Err(Refused(problems).into());
    }
    Ok((text.analysis, marks))
}

/// `POST …/programme/stages/{stage}`: files the programme's report of a stage.
pub async fn file_report(
    State(gate): State<Gate>,
    State(storage): State<Storage>,
    Extension(viewer): Extension<Viewer>,
    Path((campaign, school, stage)): Path<(i64, i64, i64)>,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, ServerError> {
    let back = programme_page(campaign, school);
    let filed = async {
        let (analysis, marks) = read_report(&pairs)?;
        let programme = written(&gate, &storage, &viewer, campaign, school).await?;
        if programme.status != app::programmes::ProgrammeStatus::Agreed {
            return Err(Refused::one(At::Whole, Kind::NotAgreed).into());
        }
        if !storage
            .stages(campaign)
            .await?
            .iter()
            .any(|s| s.id == stage)
        {
            return Err(ServerError::NotFound);
        }
        let subject = format!("stage:{stage}");
        let event = event(&viewer, "stage_report", &subject, "");
        storage
            .file_stage_report(programme.id, stage, &analysis, &marks, event)
            .await?;
        Ok(see_other_with(&back, "filed", &stage.to_string()))
    };
    refusal_back(&back, &headers, 5, filed.await)
}

/// Whether the viewer comments on stage reports (of schools in its scope): an admin, a curator,
/// a municipal coordinator.
pub fn comments_on_stages(viewer: &Viewer) -> bool {
    app::access::AGREERS.contains(&viewer.role)
}

/// A comment on a stage report.
#[derive(serde::Deserialize, Validate)]
pub struct StageComment {
    #[validate(length(min = 1, max = 2000))]
    comment: String,
}

/// `POST …/programme/stages/{stage}/comment`: the curator's (or another agreeing
/// coordinator's) comment on a filed stage report.
pub async fn comment(
    State(gate): State<Gate>,
    State(storage): State<Storage>,
    Extension(viewer): Extension<Viewer>,
    Path((campaign, school, stage)): Path<(i64, i64, i64)>,
    headers: HeaderMap,
    Form(form): Form<StageComment>,
) -> Result<Response, ServerError> {
    let back = programme_page(campaign, school);
    let commented = async {
        form.validate().map_err(Refused::from)?;
        let Some(_) = gate.school_alone(&viewer, campaign, school).await? else {
            return Err(ServerError::NotFound);
        };
        if !comments_on_stages(&viewer) {
            return Err(ServerError::NotFound);
        }
        let programme = storage
            .programme(campaign, school)
            .await?
            .ok_or(ServerError::NotFound)?;
        let filed = storage.stage_reports(programme.id).await?;
        if !filed.iter().any(|r| r.stage_id == stage) {
            return Err(ServerError::NotFound);
        }
        let subject = format!("stage:{stage}");
        let event = event(&viewer, "comment", &subject, form.comment.trim());
        storage.programme_comment(programme.id, event).await?;
        Ok(see_other(&format!("{back}#stage-{stage}"), None))
    };
    refusal_back(&back, &headers, 1, commented.await)
}
