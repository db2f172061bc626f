//! What needs a coordinator's attention on the start page: programmes waiting for the viewer's
//! agreement, returned ones to mend, ones with overdue measures, stage reports due or overdue; and for municipal and regional
//! coordinators the overview a regional roadmap starts from — how many schools chose each
//! factor, programmes by status, schools of closed, published campaigns without a programme.

use std::collections::BTreeMap;

use app::access::Viewer;
use app::i18n::Lang;
use app::programmes::{ProgrammeState, ProgrammeStatus};
use app::work::{Attention, ProgrammeLink, WithoutProgramme};

use super::workflow::{steps, Step};
use super::writes;
use crate::error::ServerError;
use crate::scope::Gate;
use crate::storage::Storage;

/// The attention lists and overview of the viewer's scope.
pub async fn attention(
    gate: &Gate,
    storage: &Storage,
    viewer: &Viewer,
    lang: Lang,
    today: surveys::calendar::Day,
) -> Result<Attention, ServerError> {
    let mut a = Attention {
        overview: app::access::OVERSEERS.contains(&viewer.role),
        ..Attention::default()
    };
    let mut statuses: BTreeMap<ProgrammeState, u32> = BTreeMap::new();
    let mut chosen: BTreeMap<String, u32> = BTreeMap::new();
    for (campaign, schools) in gate.campaigns(viewer).await? {
        if schools == 0 {
            continue;
        }
        let Some(in_scope) = gate.campaign(viewer, campaign.id, None).await? else {
            continue;
        };
        let programmes = storage.campaign_programmes(campaign.id).await?;
        let stages = storage.stages(campaign.id).await?;
        let filed = storage.campaign_stage_reports(campaign.id).await?;
        for p in &programmes {
            let Some(s) = in_scope.schools.iter().find(|s| s.school_id == p.school_id) else {
                continue;
            };
            let link = |note: String| ProgrammeLink {
                campaign_id: campaign.id,
                school_id: s.school_id,
                school: s.name.clone(),
                campaign: campaign.name.clone(),
                note,
            };
            let agreement = storage.region_agreement(s.region_id).await?;
            if steps(viewer, &in_scope, s.school_id, &agreement, p).contains(&Step::Agree) {
                a.awaiting.push(link(String::new()));
            }
            if p.status == ProgrammeStatus::Returned && writes(viewer, &in_scope, s.school_id) {
                a.returned.push(link(String::new()));
            }
            let overdue = storage
                .programme_measures(p.id)
                .await?
                .iter()
                .filter(|m| m.overdue(today))
                .count();
            if overdue > 0 {
                a.overdue.push(link(match lang {
                    Lang::Ru => format!("просрочено мероприятий: {overdue}"),
                    Lang::En => format!("overdue measures: {overdue}"),
                }));
            }
            // The first stage without this programme's report, when it is due or overdue.
            let next = stages
                .iter()
                .find(|st| !filed.contains(&(p.id, st.id)))
                .filter(|_| p.status == ProgrammeStatus::Agreed);
            if let Some(st) = next {
                let note = |ru: &str, en: &str| match lang {
                    Lang::Ru => format!("{ru}: {} ({})", st.title, st.due_on),
                    Lang::En => format!("{en}: {} ({})", st.title, st.due_on),
                };
                match st.state(false, today) {
                    "overdue" => a
                        .stages_due
                        .push(link(note("отчёт просрочен", "report overdue"))),
                    "due" => a.stages_due.push(link(note("скоро отчёт", "report due"))),
                    _ => {}
                }
            }
            *statuses.entry(ProgrammeState::Has(p.status)).or_default() += 1;
            for r in storage.chosen_risks(p.id).await? {
                *chosen.entry(r.factor).or_default() += 1;
            }
        }
        // Programmes are written once a campaign has closed: an open one's schools are not
        // «without a programme» yet.
        if a.overview
            && !gate.is_open(&campaign)
            && gate.publication(viewer, &campaign).await?.is_some()
        {
            let schools = in_scope
                .schools
                .iter()
                .filter(|s| !programmes.iter().any(|p| p.school_id == s.school_id))
                .count();
            if schools > 0 {
                *statuses.entry(ProgrammeState::Without).or_default() += schools as u32;
                a.without.push(WithoutProgramme {
                    campaign_id: campaign.id,
                    campaign: campaign.name.clone(),
                    schools,
                });
            }
        }
    }
    if a.overview {
        let m = gate.methodology();
        a.statuses = statuses.into_iter().collect();
        let mut list: Vec<(String, String, u32)> = chosen
            .into_iter()
            .map(|(code, n)| {
                let name = m.factor_name(&code, lang.code()).to_owned();
                (code, name, n)
            })
            .collect();
        list.sort_by(|x, y| y.2.cmp(&x.2).then(x.0.cmp(&y.0)));
        a.chosen = list;
    }
    Ok(a)
}
