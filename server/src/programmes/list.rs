//! A campaign's schools with their programmes: the state of each (none yet, draft, submitted,
//! returned, agreed), the risks chosen, the measures and how many are overdue, the next stage
//! report due — filtered by municipality, cohort and state, searched, sorted and paged like every
//! long school list (`app::listing`). Read with three queries whatever the number of schools.

use std::collections::HashMap;

use app::access::Viewer;
use app::i18n::Lang;
use app::listing::{self, ListQuery, SortKey};
use app::programmes::{ProgrammeList, ProgrammeListRow, ProgrammeState, ProgrammeStatus};
use app::reports::{Effectiveness, ProgrammeView, RiskPanel};
use app::work::Attention;
use surveys::calendar::Day;

use crate::error::ServerError;
use crate::scope::{Gate, Narrow};
use crate::storage::{ProgrammeRow, Storage};

/// The list of a campaign's programmes in the viewer's scope; `None` when the campaign is not
/// the viewer's.
#[allow(clippy::too_many_arguments)]
pub async fn programme_list(
    gate: &Gate,
    storage: &Storage,
    viewer: &Viewer,
    campaign: i64,
    narrow: Narrow,
    state: Option<ProgrammeState>,
    list: &ListQuery,
    today: Day,
) -> Result<Option<ProgrammeList>, ServerError> {
    let Some((in_scope, municipalities, count)) = gate.narrowed(viewer, campaign, narrow).await?
    else {
        return Ok(None);
    };
    let programmes = storage.campaign_programmes(campaign).await?;
    let by_school: HashMap<i64, &ProgrammeRow> =
        programmes.iter().map(|p| (p.school_id, p)).collect();
    let mut plans = super::campaign_plans(storage, campaign, today).await?;
    let stages = storage.stages(campaign).await?;
    let filed = storage.campaign_stage_reports(campaign).await?;
    let mut rows: Vec<ProgrammeListRow> = in_scope
        .schools
        .iter()
        .map(|s| {
            let programme = by_school.get(&s.school_id).copied();
            let id = programme.map(|p| p.id);
            let (all, overdue) = id
                .and_then(|id| plans.measures.get(&id).copied())
                .unwrap_or_default();
            let stage = programme
                .and_then(|p| super::stage_due(&stages, &filed, p, today))
                .map(|(st, overdue)| (st.title.clone(), st.due_on.to_string(), overdue));
            ProgrammeListRow {
                school_id: s.school_id,
                school: s.name.clone(),
                municipality: s.municipality.clone(),
                state: ProgrammeState::of(programme.map(|p| p.status)),
                risks: id
                    .and_then(|id| plans.risks.remove(&id))
                    .unwrap_or_default(),
                measures: all,
                overdue,
                stage,
            }
        })
        .collect();
    listing::search(&mut rows, list, |r| &r.school);
    // The counts per state describe the filter but the state, so each tells what choosing it
    // would show.
    let states = ProgrammeState::all()
        .map(|s| (s, rows.iter().filter(|r| r.state == s).count()))
        .collect();
    if let Some(state) = state {
        rows.retain(|r| r.state == state);
    }
    let (rows, paging) = listing::cut(rows, list, |r: &ProgrammeListRow, column| match column {
        "school" => Some(listing::text_key(&r.school)),
        "municipality" => Some(listing::text_key(&r.municipality)),
        "state" => Some(SortKey::Number(Some(state_rank(r.state)))),
        "risks" => Some(SortKey::Number(Some(r.risks.len() as f64))),
        "measures" => Some(SortKey::Number(Some(f64::from(r.measures)))),
        "overdue" => Some(SortKey::Number(Some(f64::from(r.overdue)))),
        _ => None,
    });
    let publication = gate.publication(viewer, &in_scope.campaign).await?;
    Ok(Some(ProgrammeList {
        campaign: crate::scope::campaign_item(&in_scope.campaign, count, publication.as_ref()),
        municipalities,
        rows,
        paging,
        states,
    }))
}

/// A state's place when sorting: none, draft, returned, submitted, agreed (the way to agreement).
fn state_rank(state: ProgrammeState) -> f64 {
    match state {
        ProgrammeState::Without => 0.0,
        ProgrammeState::Has(ProgrammeStatus::Draft) => 1.0,
        ProgrammeState::Has(ProgrammeStatus::Returned) => 2.0,
        ProgrammeState::Has(ProgrammeStatus::Submitted) => 3.0,
        ProgrammeState::Has(ProgrammeStatus::Agreed) => 4.0,
    }
}

/// The programmes' pages' data, behind `app::programmes::ProgrammeSource`.
#[derive(Clone)]
pub struct Programmes {
    pub gate: Gate,
    pub storage: Storage,
    /// Educational results (a programme's results targets, the start page's outcomes).
    pub results: crate::yardstick::Yardstick,
}

#[async_trait::async_trait]
impl app::programmes::ProgrammeSource for Programmes {
    async fn programme_list(
        &self,
        viewer: &Viewer,
        campaign: i64,
        municipality: Option<i64>,
        cohort: Option<app::results::Cohort>,
        state: Option<ProgrammeState>,
        list: ListQuery,
    ) -> Result<Option<ProgrammeList>, app::AppError> {
        let narrow = Narrow {
            municipality,
            cohort,
        };
        Ok(programme_list(
            &self.gate,
            &self.storage,
            viewer,
            campaign,
            narrow,
            state,
            &list,
            crate::clock::today(),
        )
        .await?)
    }

    async fn programme(
        &self,
        viewer: &Viewer,
        campaign: i64,
        school: i64,
        lang: Lang,
    ) -> Result<Option<ProgrammeView>, app::AppError> {
        Ok(super::page::programme(
            &self.gate,
            &self.storage,
            &self.results,
            viewer,
            campaign,
            school,
            lang,
            crate::clock::today(),
        )
        .await?)
    }

    async fn effectiveness(
        &self,
        viewer: &Viewer,
        lang: Lang,
    ) -> Result<Option<Effectiveness>, app::AppError> {
        Ok(
            super::effect::effectiveness(&self.gate, &self.storage, &self.results, viewer, lang)
                .await?,
        )
    }

    async fn risks(
        &self,
        viewer: &Viewer,
        campaign: i64,
        school: i64,
        lang: Lang,
    ) -> Result<Option<RiskPanel>, app::AppError> {
        let Some(in_scope) = self.gate.school_alone(viewer, campaign, school).await? else {
            return Ok(None);
        };
        let Some(scored) = self.gate.score(viewer, &in_scope).await? else {
            return Ok(None);
        };
        let Some(profile) = scored.profiles.first() else {
            return Ok(None);
        };
        Ok(Some(
            super::panel::panel(
                &self.gate,
                &self.storage,
                viewer,
                &in_scope,
                school,
                profile,
                lang,
            )
            .await?,
        ))
    }

    async fn attention(&self, viewer: &Viewer, lang: Lang) -> Result<Attention, app::AppError> {
        let mut a = super::attention::attention(
            &self.gate,
            &self.storage,
            viewer,
            lang,
            crate::clock::today(),
        )
        .await?;
        if a.overview {
            let (improved, leaving) = self.results.outcomes(viewer, lang).await?;
            a.results = Some((improved.len() as u32, leaving.len() as u32));
        }
        Ok(a)
    }
}
