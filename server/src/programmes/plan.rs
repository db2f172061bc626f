//! The programme of each chosen risk, from its page's plain forms: the goal and tasks, measures
//! (from the methodology's catalogue, then editable, or written anew) and targets (an indicator
//! of the factor with its baseline from the published profile and the value aimed at). Only
//! while the programme is a draft or returned; every change goes into its history. Missing
//! deadlines, responsible people or targets are warnings on the page, not refusals.

use app::access::Viewer;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::{Extension, Form};
use surveys::calendar::Day;
use validator::{Validate, ValidationError};

use super::{event, writable};
use crate::error::ServerError;
use crate::problem::{At, Kind, Refused};
use crate::reply::{refusal_back, see_other};
use crate::scope::Gate;
use crate::storage::{MeasureFields, ProgrammeRow, Storage};

fn page(campaign: i64, school: i64) -> String {
    format!("/work/campaigns/{campaign}/schools/{school}/programme")
}

/// The school's programme, if the viewer may change it now.
async fn open_programme(
    gate: &Gate,
    storage: &Storage,
    viewer: &Viewer,
    campaign: i64,
    school: i64,
) -> Result<(ProgrammeRow, surveys::SchoolProfile), ServerError> {
    let (_, profile) = writable(gate, storage, viewer, campaign, school).await?;
    let programme = storage
        .programme(campaign, school)
        .await?
        .ok_or(ServerError::NotFound)?;
    Ok((programme, profile))
}

/// The goal and tasks of a chosen risk.
#[derive(serde::Deserialize, Validate)]
pub struct PlanForm {
    #[validate(length(min = 1, max = 20))]
    factor: String,
    #[validate(length(max = 2000))]
    goal: String,
    #[validate(length(max = 4000))]
    tasks: String,
}

/// `POST …/programme/plan`: writes a chosen risk's goal and tasks.
pub async fn set_plan(
    State(gate): State<Gate>,
    State(storage): State<Storage>,
    Extension(viewer): Extension<Viewer>,
    Path((campaign, school)): Path<(i64, i64)>,
    headers: HeaderMap,
    Form(form): Form<PlanForm>,
) -> Result<Response, ServerError> {
    let back = page(campaign, school);
    let done = async {
        form.validate().map_err(Refused::from)?;
        let (programme, _) = open_programme(&gate, &storage, &viewer, campaign, school).await?;
        let subject = format!("risk:{}", form.factor);
        let set = storage
            .set_risk_plan(
                programme.id,
                &form.factor,
                form.goal.trim(),
                form.tasks.trim(),
                event(&viewer, "plan", &subject, ""),
            )
            .await?;
        if !set {
            return Err(ServerError::NotFound);
        }
        Ok(see_other(&format!("{back}#risk-{}", form.factor), None))
    };
    refusal_back(&back, &headers, 3, done.await)
}

pub(super) fn day_or_empty(text: &str) -> Result<(), ValidationError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(());
    }
    match text.parse::<Day>() {
        Ok(d) if (2000..=2100).contains(&d.ymd().0) => Ok(()),
        Ok(_) => Err(ValidationError::new("date_range")),
        Err(_) => Err(ValidationError::new("date")),
    }
}

pub(super) fn status(text: &str) -> Result<(), ValidationError> {
    if text.is_empty() || app::programmes::MeasureStatus::parse(text).is_some() {
        Ok(())
    } else {
        Err(ValidationError::new("status"))
    }
}

/// A measure as its form sends it.
#[derive(serde::Deserialize, Validate)]
pub struct MeasureForm {
    #[validate(length(min = 1, max = 20))]
    factor: String,
    #[validate(length(min = 1, max = 1000))]
    action: String,
    #[serde(default)]
    #[validate(length(max = 200))]
    responsible_role: String,
    #[serde(default)]
    #[validate(length(max = 200))]
    responsible_name: String,
    #[serde(default)]
    #[validate(custom(function = "day_or_empty"))]
    starts_on: String,
    #[serde(default)]
    #[validate(custom(function = "day_or_empty"))]
    due_on: String,
    #[serde(default)]
    #[validate(length(max = 1000))]
    expected_result: String,
    #[serde(default)]
    #[validate(custom(function = "status"))]
    status: String,
    #[serde(default)]
    #[validate(length(max = 1000))]
    status_reason: String,
    #[serde(default)]
    #[validate(length(max = 4000))]
    evidence: String,
    #[serde(default)]
    #[validate(range(min = 0, max = 10_000))]
    catalogue: Option<i64>,
}

impl MeasureForm {
    fn fields(&self) -> MeasureFields {
        let day = |t: &str| t.trim().parse::<Day>().ok();
        MeasureFields {
            action: self.action.trim().to_owned(),
            responsible_role: self.responsible_role.trim().to_owned(),
            responsible_name: self.responsible_name.trim().to_owned(),
            starts_on: day(&self.starts_on),
            due_on: day(&self.due_on),
            expected_result: self.expected_result.trim().to_owned(),
            status: if self.status.is_empty() {
                app::programmes::MeasureStatus::Planned.key().to_owned()
            } else {
                self.status.clone()
            },
            status_reason: self.status_reason.trim().to_owned(),
            evidence: self.evidence.trim().to_owned(),
            catalogue: self.catalogue,
        }
    }
}

/// `POST …/programme/measures`: adds a measure to a chosen risk.
pub async fn add_measure(
    State(gate): State<Gate>,
    State(storage): State<Storage>,
    Extension(viewer): Extension<Viewer>,
    Path((campaign, school)): Path<(i64, i64)>,
    headers: HeaderMap,
    Form(form): Form<MeasureForm>,
) -> Result<Response, ServerError> {
    let back = page(campaign, school);
    let done = async {
        form.validate().map_err(Refused::from)?;
        let (programme, _) = open_programme(&gate, &storage, &viewer, campaign, school).await?;
        let subject = format!("risk:{}", form.factor);
        storage
            .add_measure(
                programme.id,
                &form.factor,
                &form.fields(),
                event(&viewer, "measure_added", &subject, ""),
            )
            .await?
            .ok_or(ServerError::NotFound)?;
        Ok(see_other(&format!("{back}#risk-{}", form.factor), None))
    };
    refusal_back(&back, &headers, 5, done.await)
}

/// `POST …/programme/measures/{measure}`: rewrites a measure (its status and evidence too).
pub async fn update_measure(
    State(gate): State<Gate>,
    State(storage): State<Storage>,
    Extension(viewer): Extension<Viewer>,
    Path((campaign, school, measure)): Path<(i64, i64, i64)>,
    headers: HeaderMap,
    Form(form): Form<MeasureForm>,
) -> Result<Response, ServerError> {
    let back = page(campaign, school);
    let done = async {
        form.validate().map_err(Refused::from)?;
        if app::programmes::MeasureStatus::of(&form.status).needs_reason()
            && form.status_reason.trim().is_empty()
        {
            return Err(Refused::one(At::Field("status_reason"), Kind::Empty).into());
        }
        let (programme, _) = open_programme(&gate, &storage, &viewer, campaign, school).await?;
        let subject = format!("measure:{measure}");
        let changed = storage
            .update_measure(
                programme.id,
                measure,
                &form.fields(),
                event(&viewer, "measure_changed", &subject, ""),
            )
            .await?;
        if !changed {
            return Err(ServerError::NotFound);
        }
        Ok(see_other(&format!("{back}#risk-{}", form.factor), None))
    };
    refusal_back(&back, &headers, 5, done.await)
}

/// A measure or a target of a programme.
#[derive(Clone, Copy)]
enum Item {
    Measure,
    Target,
}

/// Removes a measure or a target of the school's programme and goes back to its page.
async fn remove(
    gate: &Gate,
    storage: &Storage,
    viewer: &Viewer,
    (campaign, school, id): (i64, i64, i64),
    headers: &HeaderMap,
    item: Item,
) -> Result<Response, ServerError> {
    let back = page(campaign, school);
    let done = async {
        let (programme, _) = open_programme(gate, storage, viewer, campaign, school).await?;
        let removed = match item {
            Item::Measure => {
                let subject = format!("measure:{id}");
                let event = event(viewer, "measure_removed", &subject, "");
                storage.remove_measure(programme.id, id, event).await?
            }
            Item::Target => {
                let subject = format!("target:{id}");
                let event = event(viewer, "target_removed", &subject, "");
                storage.remove_target(programme.id, id, event).await?
            }
        };
        if !removed {
            return Err(ServerError::NotFound);
        }
        Ok(see_other(&back, None))
    };
    refusal_back(&back, headers, 3, done.await)
}

/// `POST …/programme/measures/{measure}/remove`.
pub async fn remove_measure(
    State(gate): State<Gate>,
    State(storage): State<Storage>,
    Extension(viewer): Extension<Viewer>,
    Path(ids): Path<(i64, i64, i64)>,
    headers: HeaderMap,
) -> Result<Response, ServerError> {
    remove(&gate, &storage, &viewer, ids, &headers, Item::Measure).await
}

/// `POST …/programme/targets/{target}/remove`.
pub async fn remove_target(
    State(gate): State<Gate>,
    State(storage): State<Storage>,
    Extension(viewer): Extension<Viewer>,
    Path(ids): Path<(i64, i64, i64)>,
    headers: HeaderMap,
) -> Result<Response, ServerError> {
    remove(&gate, &storage, &viewer, ids, &headers, Item::Target).await
}

fn decimal(text: &str) -> Result<(), ValidationError> {
    surveys::answers::decimal(text)
        .map(|_| ())
        .ok_or_else(|| ValidationError::new("number"))
}

/// A target: an indicator of the chosen risk's factor and the value aimed at, typed in the
/// indicator's units (a share in percent).
#[derive(serde::Deserialize, Validate)]
pub struct TargetForm {
    #[validate(length(min = 1, max = 20))]
    factor: String,
    #[validate(length(min = 1, max = 100))]
    indicator: String,
    #[validate(custom(function = "decimal"))]
    target: String,
}

/// `POST …/programme/targets`: sets the target of an indicator of a chosen risk, with its
/// baseline from the published profile.
pub async fn set_target(
    State(gate): State<Gate>,
    State(storage): State<Storage>,
    Extension(viewer): Extension<Viewer>,
    Path((campaign, school)): Path<(i64, i64)>,
    headers: HeaderMap,
    Form(form): Form<TargetForm>,
) -> Result<Response, ServerError> {
    let back = page(campaign, school);
    let done = async {
        form.validate().map_err(Refused::from)?;
        let (programme, profile) =
            open_programme(&gate, &storage, &viewer, campaign, school).await?;
        let indicator = gate
            .methodology()
            .indicator(&form.indicator)
            .filter(|i| i.factor.0 == form.factor)
            .ok_or_else(|| Refused::one(At::Field("indicator"), Kind::Invalid))?;
        let typed = surveys::answers::decimal(&form.target).unwrap_or_default();
        let baseline = profile.indicator(&indicator.key).and_then(|r| r.value);
        let subject = format!("risk:{}", form.factor);
        let set = storage
            .set_target(
                programme.id,
                &form.factor,
                &indicator.key,
                baseline,
                indicator.from_typed(typed),
                event(&viewer, "target_set", &subject, ""),
            )
            .await?;
        if !set {
            return Err(ServerError::NotFound);
        }
        Ok(see_other(&format!("{back}#risk-{}", form.factor), None))
    };
    refusal_back(&back, &headers, 3, done.await)
}

/// A target on an educational results indicator: `choice` is `assessment:indicator`, the value
/// typed in the indicator's units (a share in percent, a mean mark as it is), judged on the
/// import of `year`.
#[derive(serde::Deserialize, Validate)]
pub struct ResultTargetForm {
    #[validate(length(min = 1, max = 20))]
    factor: String,
    #[validate(length(min = 3, max = 100))]
    choice: String,
    #[validate(custom(function = "decimal"))]
    target: String,
    #[validate(range(min = 2000, max = 2100))]
    year: u32,
}

/// `POST …/programme/result-targets`: sets a chosen risk's target on a results indicator, with
/// the school's newest shown figure as its baseline.
pub async fn set_result_target(
    State(gate): State<Gate>,
    State(storage): State<Storage>,
    State(yardstick): State<crate::yardstick::Yardstick>,
    Extension(viewer): Extension<Viewer>,
    Path((campaign, school)): Path<(i64, i64)>,
    headers: HeaderMap,
    Form(form): Form<ResultTargetForm>,
) -> Result<Response, ServerError> {
    let back = page(campaign, school);
    let done = async {
        form.validate().map_err(Refused::from)?;
        let (programme, _) = open_programme(&gate, &storage, &viewer, campaign, school).await?;
        let m = gate.methodology();
        let invalid = || Refused::one(At::Field("choice"), Kind::Invalid);
        let (key, indicator) = form.choice.split_once(':').ok_or_else(invalid)?;
        let a = m.results.assessment(key).ok_or_else(invalid)?;
        let indicator = surveys::results::ResultIndicator::parse(indicator)
            .filter(|i| crate::yardstick::TARGET_INDICATORS.contains(i))
            .ok_or_else(invalid)?;
        let typed = surveys::answers::decimal(&form.target).unwrap_or_default();
        let target = if indicator.is_share(a) {
            typed / 100.0
        } else {
            typed
        };
        let in_range = if indicator.is_share(a) {
            (0.0..=1.0).contains(&target)
        } else {
            (2.0..=5.0).contains(&target)
        };
        if !in_range {
            return Err(Refused::one(At::Field("target"), Kind::Invalid).into());
        }
        let placed = gate
            .schools(&viewer)
            .await?
            .into_iter()
            .find(|s| s.id == school)
            .ok_or(ServerError::NotFound)?;
        let region = yardstick.region(placed.region_id).await?;
        let baseline = region
            .latest(m, &placed.code, &a.key, indicator)
            .map(|(e, year)| (e.value, year));
        let subject = format!("risk:{}", form.factor);
        let set = storage
            .set_result_target(
                programme.id,
                &form.factor,
                &a.key,
                &indicator.key(),
                baseline,
                target,
                u16::try_from(form.year).unwrap_or(0),
                event(&viewer, "target_set", &subject, ""),
            )
            .await?;
        if !set {
            return Err(ServerError::NotFound);
        }
        Ok(see_other(&format!("{back}#result-targets"), None))
    };
    refusal_back(&back, &headers, 3, done.await)
}

/// `POST …/programme/result-targets/{target}/remove`.
pub async fn remove_result_target(
    State(gate): State<Gate>,
    State(storage): State<Storage>,
    Extension(viewer): Extension<Viewer>,
    Path((campaign, school, id)): Path<(i64, i64, i64)>,
    headers: HeaderMap,
) -> Result<Response, ServerError> {
    let back = page(campaign, school);
    let done = async {
        let (programme, _) = open_programme(&gate, &storage, &viewer, campaign, school).await?;
        let subject = format!("result_target:{id}");
        let removed = storage
            .remove_result_target(
                programme.id,
                id,
                event(&viewer, "target_removed", &subject, ""),
            )
            .await?;
        if !removed {
            return Err(ServerError::NotFound);
        }
        Ok(see_other(&format!("{back}#result-targets"), None))
    };
    refusal_back(&back, &headers, 3, done.await)
}
