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
    // Who agrees, per region (read once each).
    let mut agreements: std::collections::HashMap<i64, String> = std::collections::HashMap::new();
    for (campaign, schools) in gate.campaigns(viewer).await? {
        if schools == 0 {
            continue;
        }
        let Some(in_scope) = gate.campaign(viewer, campaign.id, None).await? else {
            continue;
        };
        let programmes = storage.campaign_programmes(campaign.id).await?;
        let plans = super::campaign_plans(storage, campaign.id, today).await?;
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
            let agreement = match agreements.get(&s.region_id) {
                Some(a) => a.clone(),
                None => {
                    let a = storage.region_agreement(s.region_id).await?;
                    agreements.insert(s.region_id, a.clone());
                    a
                }
            };
            if steps(viewer, &in_scope, s.school_id, &agreement, p).contains(&Step::Agree) {
                a.awaiting.push(link(String::new()));
            }
            if p.status == ProgrammeStatus::Returned && writes(viewer, &in_scope, s.school_id) {
                a.returned.push(link(String::new()));
            }
            let overdue = plans.measures.get(&p.id).map_or(0, |(_, overdue)| *overdue);
            if overdue > 0 {
                a.overdue.push(link(match lang {
                    Lang::Ru => format!("просрочено мероприятий: {overdue}"),
                    Lang::En => format!("overdue measures: {overdue}"),
                }));
            }
            if let Some((st, overdue)) = super::stage_due(&stages, &filed, p, today) {
                let note = |ru: &str, en: &str| match lang {
                    Lang::Ru => format!("{ru}: {} ({})", st.title, st.due_on),
                    Lang::En => format!("{en}: {} ({})", st.title, st.due_on),
                };
                a.stages_due.push(link(if overdue {
                    note("отчёт просрочен", "report overdue")
                } else {
                    note("скоро отчёт", "report due")
                }));
            }
            *statuses.entry(ProgrammeState::Has(p.status)).or_default() += 1;
            for factor in plans.risks.get(&p.id).into_iter().flatten() {
                *chosen.entry(factor.clone()).or_default() += 1;
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
