//! A school's actual risks, chosen from its published profile with a reasoning each: the plain
//! forms that choose and drop a risk (the profile shows them, `reports/risks.rs`). At most `max_chosen_risks` (methodology), only factors with
//! a score, only while the programme is a draft or returned; every change goes into its history.

use app::access::Viewer;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::{Extension, Form};
use validator::Validate;

use super::{event, writable};
use crate::clock;
use crate::error::ServerError;
use crate::problem::{At, Kind, Refused};
use crate::reply::{refusal_back, see_other};
use crate::scope::Gate;
use crate::storage::{RiskChoice, Storage};

/// A risk chosen on the profile.
#[derive(serde::Deserialize, Validate)]
pub struct ChooseForm {
    #[validate(length(min = 1, max = 20))]
    factor: String,
    #[validate(custom(function = "reasoning"))]
    reasoning: String,
}

fn reasoning(text: &str) -> Result<(), validator::ValidationError> {
    match text.trim().chars().count() {
        0 => Err(validator::ValidationError::new("reasoning")),
        1..=1000 => Ok(()),
        _ => {
            let mut e = validator::ValidationError::new("length");
            e.add_param("max".into(), &1000);
            Err(e)
        }
    }
}

/// A risk dropped from the profile.
#[derive(serde::Deserialize, Validate)]
pub struct DropForm {
    #[validate(length(min = 1, max = 20))]
    factor: String,
}

fn profile_page(campaign: i64, school: i64) -> String {
    format!("/work/campaigns/{campaign}/schools/{school}")
}

/// `POST /work/campaigns/{id}/schools/{school}/risks`: chooses an actual risk.
pub async fn choose(
    State(gate): State<Gate>,
    State(storage): State<Storage>,
    Extension(viewer): Extension<Viewer>,
    Path((campaign, school)): Path<(i64, i64)>,
    headers: HeaderMap,
    Form(form): Form<ChooseForm>,
) -> Result<Response, ServerError> {
    let back = profile_page(campaign, school);
    let chosen = async {
        form.validate().map_err(Refused::from)?;
        let (_, profile) = writable(&gate, &storage, &viewer, campaign, school).await?;
        let factor = form.factor.trim();
        if profile.factor(factor).and_then(|f| f.score).is_none() {
            return Err(Refused::one(At::Field("factor"), Kind::FactorWithoutData).into());
        }
        let max = gate.methodology().rules.max_chosen_risks;
        let subject = format!("risk:{factor}");
        let added = storage
            .choose_risk(
                RiskChoice {
                    campaign_id: campaign,
                    school_id: school,
                    factor,
                    reasoning: form.reasoning.trim(),
                    max: i64::from(max),
                    today: clock::today(),
                },
                event(&viewer, "risk_chosen", &subject, form.reasoning.trim()),
            )
            .await?;
        if !added {
            return Err(Refused::one(At::Field("factor"), Kind::TooManyRisks(max)).into());
        }
        Ok(see_other(&format!("{back}#risks"), None))
    };
    refusal_back(&back, &headers, 3, chosen.await)
}

/// `POST /work/campaigns/{id}/schools/{school}/risks/drop`: drops a chosen risk.
pub async fn drop(
    State(gate): State<Gate>,
    State(storage): State<Storage>,
    Extension(viewer): Extension<Viewer>,
    Path((campaign, school)): Path<(i64, i64)>,
    headers: HeaderMap,
    Form(form): Form<DropForm>,
) -> Result<Response, ServerError> {
    let back = profile_page(campaign, school);
    let dropped = async {
        form.validate().map_err(Refused::from)?;
        writable(&gate, &storage, &viewer, campaign, school).await?;
        let programme = storage
            .programme(campaign, school)
            .await?
            .ok_or(ServerError::NotFound)?;
        let factor = form.factor.trim();
        let subject = format!("risk:{factor}");
        storage
            .drop_risk(
                programme.id,
                factor,
                event(&viewer, "risk_dropped", &subject, ""),
            )
            .await?;
        Ok(see_other(&format!("{back}#risks"), None))
    };
    refusal_back(&back, &headers, 3, dropped.await)
}
