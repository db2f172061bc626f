//! Anti-risk programmes (АРП), the yearly cycle after the risk profile: the actual risks a school
//! chooses from its published profile (`risks.rs`), each risk's plan (`plan.rs`), the agreement
//! (`workflow.rs`), stage reports (`stages.rs`), results against a later campaign (`results.rs`) and the documents attached as evidence
//! (`evidence.rs`). Who may write a school's programme: the
//! school itself, its curator, an admin; municipal and regional coordinators read their scope.

pub mod attention;
pub mod document;
pub mod effect;
pub mod evidence;
pub mod list;
pub mod page;
pub mod panel;
pub mod plan;
pub mod results;
pub mod risks;
pub mod sheet;
pub mod stages;
pub mod workflow;

use app::access::Viewer;
use surveys::SchoolProfile;

use crate::clock;
use crate::error::ServerError;
use crate::problem::{At, Kind, Refused};
use crate::scope::{Gate, InScope};
use crate::storage::{NewEvent, ProgrammeRow, Storage};

/// Whether the viewer may write the programme of `school` of a campaign in its scope.
pub fn writes(viewer: &Viewer, in_scope: &InScope, school: i64) -> bool {
    app::access::PROGRAMME_WRITERS.contains(&viewer.role)
        && in_scope.schools.iter().any(|s| s.school_id == school)
}

/// The campaign in scope and the school's published profile, if the viewer may write the
/// school's programme now.
pub(crate) async fn writable(
    gate: &Gate,
    storage: &Storage,
    viewer: &Viewer,
    campaign: i64,
    school: i64,
) -> Result<(InScope, SchoolProfile), ServerError> {
    let Some(in_scope) = gate.school_alone(viewer, campaign, school).await? else {
        return Err(ServerError::NotFound);
    };
    if !writes(viewer, &in_scope, school) {
        return Err(ServerError::NotFound);
    }
    let scored = gate
        .score(viewer, &in_scope)
        .await?
        .ok_or_else(|| Refused::one(At::Whole, Kind::NotPublished))?;
    let profile = scored
        .profiles
        .first()
        .cloned()
        .ok_or(ServerError::NotFound)?;
    if let Some(p) = storage.programme(campaign, school).await? {
        if !p.status.editable() {
            return Err(Refused::one(At::Whole, Kind::ProgrammeLocked).into());
        }
    }
    Ok((in_scope, profile))
}

/// A change to a programme by the viewer, now.
pub(crate) fn event<'a>(
    viewer: &Viewer,
    action: &'a str,
    subject: &'a str,
    comment: &'a str,
) -> NewEvent<'a> {
    NewEvent {
        user_id: viewer.user_id,
        at: clock::now(),
        action,
        subject,
        comment,
    }
}

/// The school's programme, whatever its status, if the viewer may write it.
pub(crate) async fn written(
    gate: &Gate,
    storage: &Storage,
    viewer: &Viewer,
    campaign: i64,
    school: i64,
) -> Result<ProgrammeRow, ServerError> {
    let Some(in_scope) = gate.school_alone(viewer, campaign, school).await? else {
        return Err(ServerError::NotFound);
    };
    if !writes(viewer, &in_scope, school) {
        return Err(ServerError::NotFound);
    }
    storage
        .programme(campaign, school)
        .await?
        .ok_or(ServerError::NotFound)
}

/// What a campaign's programmes hold, read with two queries whatever their number: per
/// programme its measures and how many are overdue on the day, and the factors it chose in the
/// order chosen.
pub(crate) struct CampaignPlans {
    pub measures: std::collections::HashMap<i64, (u32, u32)>,
    pub risks: std::collections::HashMap<i64, Vec<String>>,
}

pub(crate) async fn campaign_plans(
    storage: &Storage,
    campaign: i64,
    today: surveys::calendar::Day,
) -> Result<CampaignPlans, ServerError> {
    let mut plans = CampaignPlans {
        measures: std::collections::HashMap::new(),
        risks: std::collections::HashMap::new(),
    };
    for (programme, factor) in storage.campaign_chosen_factors(campaign).await? {
        plans.risks.entry(programme).or_default().push(factor);
    }
    for m in storage.campaign_measure_states(campaign).await? {
        let (all, overdue) = plans.measures.entry(m.programme_id).or_default();
        *all += 1;
        let due = m.due_on.as_deref().and_then(|d| d.parse().ok());
        *overdue += u32::from(crate::storage::measure_overdue(due, &m.status, today));
    }
    Ok(plans)
}

/// The first stage an agreed programme has not reported on, when it is due or overdue on the
/// day: (the stage, overdue).
pub(crate) fn stage_due<'a>(
    stages: &'a [crate::storage::StageRow],
    filed: &[(i64, i64)],
    programme: &ProgrammeRow,
    today: surveys::calendar::Day,
) -> Option<(&'a crate::storage::StageRow, bool)> {
    if programme.status != app::programmes::ProgrammeStatus::Agreed {
        return None;
    }
    let stage = stages
        .iter()
        .find(|st| !filed.contains(&(programme.id, st.id)))?;
    match stage.state(false, today) {
        "overdue" => Some((stage, true)),
        "due" => Some((stage, false)),
        _ => None,
    }
}
