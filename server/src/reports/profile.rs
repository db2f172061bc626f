//! A school's profile: the ten factors with level, score and «why this level», each factor's
//! indicators, the groups' response counts, the teachers' deficit summary (withheld under the
//! diagnostic's minimum number of teachers), and the risks the school chose from it.

use app::access::Viewer;
use app::i18n::Lang;
use app::reports::{
    DeficitView, FactorHistory, FactorPoint, LevelView, Profile, ProfileHistory, RiskPanel,
};

use super::Reports;
use crate::error::ServerError;
use crate::scope::{campaign_item, published};
use crate::views::{factor_view, group_cells, level_of, levels};

/// The school's factors in every published campaign it took part in that the viewer may read,
/// oldest first, each scored by the running methodology (as the change page scores them); none
/// with fewer than two such campaigns.
async fn history(
    reports: &Reports,
    viewer: &Viewer,
    school: i64,
    lang: Lang,
) -> Result<Option<ProfileHistory>, ServerError> {
    let gate = &reports.gate;
    let m = gate.methodology();
    let mut campaigns = reports.storage.campaigns().await?;
    campaigns.reverse();
    let mut names = Vec::new();
    let mut columns: Vec<Vec<FactorPoint>> = Vec::new();
    for c in campaigns {
        let Some(in_scope) = gate.school_alone(viewer, c.id, school).await? else {
            continue;
        };
        let Some(scored) = gate.score(viewer, &in_scope).await? else {
            continue;
        };
        let Some(profile) = scored.profiles.first() else {
            continue;
        };
        names.push((c.id, c.name.clone()));
        columns.push(
            profile
                .factors
                .iter()
                .map(|f| {
                    f.score
                        .map(|s| (published(s), level_of(m, f.level.as_deref(), lang)))
                })
                .collect(),
        );
    }
    if names.len() < 2 {
        return Ok(None);
    }
    let factors = m
        .factors
        .iter()
        .enumerate()
        .map(|(n, f)| FactorHistory {
            code: f.code.0.to_string(),
            name: f.name.get(lang.code()).to_owned(),
            points: columns
                .iter()
                .map(|column| column.get(n).cloned().flatten())
                .collect(),
        })
        .collect();
    Ok(Some(ProfileHistory {
        campaigns: names,
        factors,
    }))
}

/// The profile of one school of a campaign, if the viewer may see it.
pub async fn profile(
    reports: &Reports,
    viewer: &Viewer,
    campaign: i64,
    school: i64,
    lang: Lang,
) -> Result<Option<Profile>, ServerError> {
    let gate = &reports.gate;
    let Some((in_scope, count)) = gate.school(viewer, campaign, school).await? else {
        return Ok(None);
    };
    let Some(s) = in_scope.schools.first() else {
        return Ok(None);
    };
    let m = gate.methodology();
    let scored = gate.score(viewer, &in_scope).await?;
    let campaign = campaign_item(
        &in_scope.campaign,
        count,
        scored.as_ref().map(|s| &s.publication),
    );
    let Some(scored) = scored else {
        return Ok(Some(Profile {
            campaign,
            school_id: s.school_id,
            school: s.name.clone(),
            municipality: s.municipality.clone(),
            methodology_version: in_scope.campaign.methodology_version.clone(),
            levels: levels(m, lang),
            groups: Vec::new(),
            factors: Vec::new(),
            deficits: DeficitView {
                bands: Vec::new(),
                areas: Vec::new(),
                suppressed: None,
            },
            risks: RiskPanel::default(),
            history: None,
        }));
    };
    let (Some(profile), Some(summary)) = (scored.profiles.first(), scored.deficits.first()) else {
        return Ok(None);
    };
    // The risks chosen from the profile are the programmes' to show (`work-risks`).
    let risks = RiskPanel::default();
    let bands: Vec<LevelView> = m
        .deficits
        .bands
        .iter()
        .map(|b| LevelView {
            key: b.key.clone(),
            name: b.name.get(lang.code()).to_owned(),
            colour: b.colour.clone(),
        })
        .collect();
    // The school holds its teachers' personal codes: a summary of the diagnostic over them could
    // give one teacher's answers away (the school could fill in the others'), so it reads none.
    // Its curator and coordinators, who hold no codes, read it; each teacher reads their own.
    if app::access::reads_with_noise(viewer.role) {
        let deficits = DeficitView {
            bands: Vec::new(),
            areas: Vec::new(),
            suppressed: Some(match lang {
                Lang::Ru => "Сводку диагностики учителей видят куратор и координаторы, но не школа: у школы есть личные коды учителей, и сводка по ним могла бы выдать ответы одного учителя. Каждый учитель видит свой отчёт по ключу результата.".to_owned(),
                Lang::En => "The summary of the teachers' diagnostic is read by the curator and coordinators, not by the school: the school holds the teachers' personal codes, and a summary over them could give one teacher's answers away. Each teacher reads their own report with their result key.".to_owned(),
            }),
        };
        let mut view = profile_of(&in_scope, campaign, profile, m, lang, deficits, risks);
        view.history = history(reports, viewer, school, lang).await?;
        return Ok(Some(view));
    }
    let deficits = DeficitView {
        bands,
        areas: summary
            .areas
            .iter()
            .map(|a| {
                (
                    m.area_name(&a.area, lang.code()).to_owned(),
                    a.bands.iter().map(|(_, n)| *n).collect(),
                )
            })
            .collect(),
        suppressed: summary.suppressed.then(|| match lang {
            Lang::Ru => format!(
                "Недостаточно данных: сводка показывается, когда диагностику прошли не меньше {} учителей.",
                m.min_teachers()
            ),
            Lang::En => format!(
                "Not enough data: the summary is shown once at least {} teachers have taken the diagnostic.",
                m.min_teachers()
            ),
        }),
    };
    let mut view = profile_of(&in_scope, campaign, profile, m, lang, deficits, risks);
    view.history = history(reports, viewer, school, lang).await?;
    Ok(Some(view))
}

/// The profile page's data from a scored profile.
fn profile_of(
    in_scope: &crate::scope::InScope,
    campaign: app::work::CampaignItem,
    profile: &surveys::SchoolProfile,
    m: &surveys::Methodology,
    lang: Lang,
    deficits: DeficitView,
    risks: RiskPanel,
) -> Profile {
    let (school_id, school, municipality) = in_scope
        .schools
        .first()
        .map(|s| (s.school_id, s.name.clone(), s.municipality.clone()))
        .unwrap_or_default();
    Profile {
        campaign,
        school_id,
        school,
        municipality,
        methodology_version: profile.methodology_version.to_string(),
        levels: levels(m, lang),
        groups: group_cells(&profile.groups, lang),
        factors: profile
            .factors
            .iter()
            .map(|f| factor_view(m, profile, f, lang))
            .collect(),
        deficits,
        risks,
        history: None,
    }
}
