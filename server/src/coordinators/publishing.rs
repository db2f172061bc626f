//! Publishing a campaign's results and deciding on a group code's surplus, from the monitor's
//! plain forms: an admin or regional coordinator publishes before the close (the gate decides
//! what each school's groups take in), and a coordinator admits or discards the submissions held
//! beyond a group code's surplus limit.

use app::access::Viewer;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::{Extension, Form};
use surveys::Group;
use validator::Validate;

use crate::error::ServerError;
use crate::problem::{At, Kind, Refused};
use crate::reply::{refusal_back, see_other_with};
use crate::scope::Gate;
use crate::storage::Surplus;

fn monitor(campaign: i64) -> String {
    format!("/work/campaigns/{campaign}/monitor")
}

/// `POST /work/campaigns/{id}/publish`: publishes the campaign's results now.
pub async fn publish(
    State(gate): State<Gate>,
    State(notifier): State<crate::notify::Notifier>,
    Extension(viewer): Extension<Viewer>,
    Path(campaign): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, ServerError> {
    let Some(in_scope) = gate.campaign(&viewer, campaign, None).await? else {
        return Err(ServerError::NotFound);
    };
    let published = gate
        .publish(&in_scope.campaign, Some(viewer.user_id))
        .await
        .map(|p| see_other_with(&monitor(campaign), "published", &p.number.to_string()));
    if published.is_ok() {
        // The schools hear of it in the background: a region's thousand schools take a while.
        tokio::spawn(async move {
            if let Err(e) = notifier.publications(crate::clock::today()).await {
                tracing::warn!(error = %e, "could not tell of a publication");
            }
        });
    }
    refusal_back(&monitor(campaign), &headers, 1, published)
}

/// The decision on a school's group's held submissions.
#[derive(serde::Deserialize, Validate)]
pub struct SurplusForm {
    #[validate(custom(function = "group_with_a_code"))]
    group: String,
    #[validate(custom(function = "decision"))]
    decision: String,
}

/// Only the groups answering through a shared group code can have a surplus.
fn group_with_a_code(key: &str) -> Result<(), validator::ValidationError> {
    match Group::parse(key) {
        Some(g) if g.is_anonymous() => Ok(()),
        _ => Err(validator::ValidationError::new("group")),
    }
}

fn decision(key: &str) -> Result<(), validator::ValidationError> {
    match key {
        "admit" | "discard" => Ok(()),
        _ => Err(validator::ValidationError::new("decision")),
    }
}

/// `POST /work/campaigns/{id}/schools/{school}/surplus`: admits or discards a group's held
/// submissions.
pub async fn decide_surplus(
    State(gate): State<Gate>,
    Extension(viewer): Extension<Viewer>,
    Path((campaign, school)): Path<(i64, i64)>,
    headers: HeaderMap,
    Form(form): Form<SurplusForm>,
) -> Result<Response, ServerError> {
    let decided = async {
        form.validate().map_err(Refused::from)?;
        let Some(in_scope) = gate.campaign(&viewer, campaign, None).await? else {
            return Err(ServerError::NotFound);
        };
        if !in_scope.schools.iter().any(|s| s.school_id == school) {
            return Err(ServerError::NotFound);
        }
        let group = Group::parse(&form.group)
            .ok_or_else(|| Refused::one(At::Field("group"), Kind::Invalid))?;
        let choice = if form.decision == "admit" {
            Surplus::Admit
        } else {
            Surplus::Discard
        };
        let changed = gate
            .decide_surplus(&in_scope, school, group, choice)
            .await?;
        Ok(see_other_with(
            &monitor(campaign),
            "decided",
            &format!("{}:{changed}", form.decision),
        ))
    };
    refusal_back(&monitor(campaign), &headers, 1, decided.await)
}
