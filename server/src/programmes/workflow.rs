//! Agreeing a programme: the school (or its curator, an admin) submits it; whoever agrees in the
//! region — the curator, the municipal coordinator, or both in turn, set per region — comments on
//! its measures and targets, returns it with a comment or agrees it; an agreed programme changes
//! only after it is reopened, which needs a new submission. Every step is in the history.

use app::access::{Role, Viewer};
use app::programmes::ProgrammeStatus;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::{Extension, Form};
use validator::Validate;

use super::writes;
use crate::clock;
use app::support::NoticeKind;

use crate::error::ServerError;
use crate::notify::{Audience, Notifier};
use crate::problem::{At, Kind, Refused};
use crate::reply::{refusal_back, see_other};
use crate::scope::{Gate, InScope};
use crate::storage::{NewEvent, ProgrammeRow, Storage};

/// A step of the agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Submit,
    Comment,
    Return,
    Agree,
    Reopen,
}

/// Whether the viewer agrees this programme now, and whether its agreement is the last one.
pub fn agrees(viewer: &Viewer, agreement: &str, programme: &ProgrammeRow) -> Option<bool> {
    match (viewer.role, agreement, programme.curator_agreed) {
        (Role::Admin, ..) => Some(true),
        (Role::Curator, "curator", _) => Some(true),
        (Role::Curator, "both", false) => Some(false),
        (Role::Municipal, "municipal", _) | (Role::Municipal, "both", true) => Some(true),
        _ => None,
    }
}

/// The steps the viewer may take on the programme now.
pub fn steps(
    viewer: &Viewer,
    in_scope: &InScope,
    school: i64,
    agreement: &str,
    programme: &ProgrammeRow,
) -> Vec<Step> {
    let writer = writes(viewer, in_scope, school);
    let agreer = in_scope.schools.iter().any(|s| s.school_id == school)
        && agrees(viewer, agreement, programme).is_some();
    match programme.status {
        ProgrammeStatus::Draft | ProgrammeStatus::Returned if writer => vec![Step::Submit],
        ProgrammeStatus::Submitted if agreer => vec![Step::Comment, Step::Return, Step::Agree],
        ProgrammeStatus::Agreed if writer => vec![Step::Reopen],
        _ => Vec::new(),
    }
}

fn agreement(text: &str) -> Result<(), validator::ValidationError> {
    match text {
        "curator" | "municipal" | "both" => Ok(()),
        _ => Err(validator::ValidationError::new("agreement")),
    }
}

/// Who agrees a region's programmes.
#[derive(serde::Deserialize, Validate)]
pub struct AgreementForm {
    #[validate(range(min = 1))]
    region: i64,
    #[validate(custom(function = "agreement"))]
    agreement: String,
}

/// `POST /work/registry/agreement`: sets who agrees the region's programmes — its curator,
/// its municipal coordinator, or both in turn. Programmes waiting for agreement are judged by
/// the new rule from then on.
pub async fn set_agreement(
    State(storage): State<Storage>,
    Extension(viewer): Extension<Viewer>,
    headers: HeaderMap,
    Form(form): Form<AgreementForm>,
) -> Result<Response, ServerError> {
    let back = "/work/registry";
    let set = async {
        form.validate().map_err(Refused::from)?;
        if !viewer.sets_region(form.region) {
            return Err(ServerError::NotFound);
        }
        storage
            .set_region_agreement(form.region, &form.agreement)
            .await?;
        Ok(crate::reply::see_other_with(
            back,
            "agreement",
            &form.agreement,
        ))
    };
    refusal_back(back, &headers, 1, set.await)
}

/// A comment, or a step with a comment.
#[derive(serde::Deserialize, Validate)]
pub struct StepForm {
    /// What the comment is about: `measure:12`, `target:3`, `risk:RF07`; empty for all of it.
    #[serde(default)]
    #[validate(length(max = 40))]
    subject: String,
    #[serde(default)]
    #[validate(length(max = 2000))]
    comment: String,
}

async fn take(
    gate: &Gate,
    storage: &Storage,
    viewer: &Viewer,
    (campaign, school): (i64, i64),
    form: &StepForm,
    step: Step,
) -> Result<Option<Told>, ServerError> {
    form.validate().map_err(Refused::from)?;
    let Some(in_scope) = gate.school_alone(viewer, campaign, school).await? else {
        return Err(ServerError::NotFound);
    };
    let programme = storage
        .programme(campaign, school)
        .await?
        .ok_or(ServerError::NotFound)?;
    let region = in_scope
        .schools
        .first()
        .map(|s| s.region_id)
        .ok_or(ServerError::NotFound)?;
    let agreement = storage.region_agreement(region).await?;
    if !steps(viewer, &in_scope, school, &agreement, &programme).contains(&step) {
        return Err(Refused::one(At::Whole, Kind::NotYourStep).into());
    }
    let comment = form.comment.trim();
    if matches!(step, Step::Comment | Step::Return) && comment.is_empty() {
        return Err(Refused::one(At::Field("comment"), Kind::Empty).into());
    }
    if step == Step::Submit && storage.chosen_risks(programme.id).await?.is_empty() {
        return Err(Refused::one(At::Whole, Kind::NothingToSubmit).into());
    }
    let event = |action| NewEvent {
        user_id: viewer.user_id,
        at: clock::now(),
        action,
        subject: form.subject.trim(),
        comment,
    };
    let id = programme.id;
    let moved = match step {
        Step::Comment => {
            storage.programme_comment(id, event("comment")).await?;
            true
        }
        Step::Submit => {
            let from = [ProgrammeStatus::Draft, ProgrammeStatus::Returned];
            storage
                .move_programme(
                    id,
                    &from,
                    ProgrammeStatus::Submitted,
                    false,
                    event("submitted"),
                )
                .await?
        }
        Step::Return => {
            storage
                .move_programme(
                    id,
                    &[ProgrammeStatus::Submitted],
                    ProgrammeStatus::Returned,
                    false,
                    event("returned"),
                )
                .await?
        }
        Step::Agree => {
            let last = agrees(viewer, &agreement, &programme).unwrap_or(false);
            let (to, action) = if last {
                (ProgrammeStatus::Agreed, "agreed")
            } else {
                (ProgrammeStatus::Submitted, "agreed_by_curator")
            };
            storage
                .move_programme(id, &[ProgrammeStatus::Submitted], to, !last, event(action))
                .await?
        }
        Step::Reopen => {
            storage
                .move_programme(
                    id,
                    &[ProgrammeStatus::Agreed],
                    ProgrammeStatus::Draft,
                    false,
                    event("reopened"),
                )
                .await?
        }
    };
    if !moved {
        return Err(Refused::one(At::Whole, Kind::NotYourStep).into());
    }
    // Who hears of the step: the next to agree, or the school.
    let next = match agreement.as_str() {
        "municipal" => Audience::Municipal,
        _ => Audience::Curators,
    };
    let told = match step {
        Step::Submit => Some((NoticeKind::ProgrammeSubmitted, next)),
        Step::Agree if agrees(viewer, &agreement, &programme) == Some(false) => {
            Some((NoticeKind::ProgrammeSubmitted, Audience::Municipal))
        }
        Step::Agree => Some((NoticeKind::ProgrammeAgreed, Audience::School)),
        Step::Return => Some((NoticeKind::ProgrammeReturned, Audience::School)),
        Step::Comment | Step::Reopen => None,
    };
    let name = in_scope
        .schools
        .iter()
        .find(|s| s.school_id == school)
        .map(|s| s.name.clone())
        .unwrap_or_default();
    Ok(told.map(|(kind, audience)| Told {
        kind,
        audience,
        subject: format!("{name} — {}", in_scope.campaign.name),
    }))
}

/// The notice a step of the agreement sends.
struct Told {
    kind: NoticeKind,
    audience: Audience,
    subject: String,
}

macro_rules! step_handler {
    ($name:ident, $step:expr, $doc:literal) => {
        #[doc = $doc]
        pub async fn $name(
            State(gate): State<Gate>,
            State(storage): State<Storage>,
            State(notifier): State<Notifier>,
            Extension(viewer): Extension<Viewer>,
            Path(ids): Path<(i64, i64)>,
            headers: HeaderMap,
            Form(form): Form<StepForm>,
        ) -> Result<Response, ServerError> {
            let back = format!("/work/campaigns/{}/schools/{}/programme", ids.0, ids.1);
            let taken = take(&gate, &storage, &viewer, ids, &form, $step).await;
            if let Ok(Some(told)) = &taken {
                // Once per step: a programme submitted twice is told twice.
                let key = format!("programme:{}:{}:{}", ids.0, ids.1, crate::clock::now());
                notifier
                    .school_quietly(ids.1, told.audience, told.kind, &key, &told.subject, &back)
                    .await;
            }
            refusal_back(&back, &headers, 3, taken.map(|_| see_other(&back, None)))
        }
    };
}

step_handler!(
    submit,
    Step::Submit,
    "`POST …/programme/submit`: submits it for agreement."
);
step_handler!(
    comment,
    Step::Comment,
    "`POST …/programme/comment`: comments on it, or on one of its measures or targets."
);
step_handler!(
    return_it,
    Step::Return,
    "`POST …/programme/return`: returns it for changes with a comment."
);
step_handler!(
    agree,
    Step::Agree,
    "`POST …/programme/agree`: agrees it (with both agreeing, the curator first)."
);
step_handler!(
    reopen,
    Step::Reopen,
    "`POST …/programme/reopen`: reopens an agreed programme for changes (then a new submission)."
);
