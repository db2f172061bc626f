//! Change between two campaigns: for each school in both, the level transition of every factor,
//! improved and worsened counts per school and per factor, and a note when the campaigns used
//! different methodology versions.

use app::access::Viewer;
use app::i18n::Lang;
use app::listing::{self, ListQuery, Paging, SortKey};
use app::reports::{Change, ChangeCell, ChangeRow};
use app::work::Choice;
use surveys::change::Transition;

use crate::error::ServerError;
use crate::scope::municipalities;
use crate::scope::published;
use crate::scope::Gate;

/// The change between two campaigns (by default the two newest with schools in scope).
pub async fn change(
    gate: &Gate,
    viewer: &Viewer,
    before: Option<i64>,
    after: Option<i64>,
    narrow: crate::scope::Narrow,
    list: &ListQuery,
    lang: Lang,
) -> Result<Option<Change>, ServerError> {
    let m = gate.methodology();
    // Campaigns with schools in scope, newest first.
    let campaigns: Vec<_> = gate
        .campaigns(viewer)
        .await?
        .into_iter()
        .filter(|(_, schools)| *schools > 0)
        .map(|(c, _)| c)
        .collect();
    if campaigns.is_empty() {
        return Ok(None);
    }
    let choices: Vec<Choice> = campaigns
        .iter()
        .map(|c| Choice {
            id: c.id,
            name: format!("{} ({} — {})", c.name, c.opens_on, c.closes_on),
        })
        .collect();
    let after = after.or(campaigns.first().map(|c| c.id));
    let before = before.or(campaigns.get(1).map(|c| c.id));
    let factors: Vec<(String, String)> = m
        .factors
        .iter()
        .map(|f| (f.code.0.to_string(), f.name.get(lang.code()).to_owned()))
        .collect();
    let mut report = Change {
        campaigns: choices,
        municipalities: Vec::new(),
        before,
        after,
        versions: None,
        factors,
        levels: crate::views::levels(m, lang),
        rows: Vec::new(),
        paging: Paging::default(),
        unpublished: false,
        totals: vec![(0, 0); m.factors.len()],
        totals_all: vec![(0, 0); m.factors.len()],
    };
    let (Some(before), Some(after)) = (before, after) else {
        return Ok(Some(report));
    };
    let (Some(all), Some(mut earlier), Some(mut later)) = (
        gate.campaign(viewer, after, None).await?,
        gate.campaign(viewer, before, narrow.municipality).await?,
        gate.campaign(viewer, after, narrow.municipality).await?,
    ) else {
        return Ok(Some(report));
    };
    gate.keep_cohort(&mut earlier, narrow.cohort).await?;
    gate.keep_cohort(&mut later, narrow.cohort).await?;
    report.municipalities = municipalities(&all.schools);
    let (was, is) = (
        &earlier.campaign.methodology_version,
        &later.campaign.methodology_version,
    );
    if was != is {
        report.versions = Some(match lang {
            Lang::Ru => format!(
                "Кампании проведены по разным версиям методики ({was} и {is}): оба профиля пересчитаны по текущей версии {}.",
                m.version
            ),
            Lang::En => format!(
                "The campaigns used different methodology versions ({was} and {is}): both profiles are recomputed with the current version {}.",
                m.version
            ),
        });
    }
    let (Some(first), Some(second)) = (
        gate.score(viewer, &earlier).await?,
        gate.score(viewer, &later).await?,
    ) else {
        report.unpublished = true;
        return Ok(Some(report));
    };
    for paired in gate.compare(&first.profiles, &second.profiles) {
        let s = &later.schools[paired.after];
        if !listing::matches(list, &s.name) {
            continue;
        }
        let change = paired.change;
        let cells: Vec<ChangeCell> = change
            .factors
            .iter()
            .enumerate()
            .map(|(n, f)| {
                let significant = u32::from(f.significant == Some(true));
                match f.transition {
                    Transition::Improved => {
                        report.totals[n].0 += significant;
                        report.totals_all[n].0 += 1;
                    }
                    Transition::Worsened => {
                        report.totals[n].1 += significant;
                        report.totals_all[n].1 += 1;
                    }
                    Transition::Unchanged | Transition::Unknown => {}
                }
                ChangeCell {
                    code: f.code.0.to_string(),
                    before: f.before_level.as_deref().map(str::to_owned),
                    after: f.after_level.as_deref().map(str::to_owned),
                    delta: f.delta.map(published),
                    before_score: f.before_score.map(published),
                    after_score: f.after_score.map(published),
                    transition: f.transition,
                    significant: f.significant,
                }
            })
            .collect();
        report.rows.push(ChangeRow {
            school_id: s.school_id,
            school: s.name.clone(),
            municipality: s.municipality.clone(),
            cells,
            improved: change.improved_significant,
            worsened: change.worsened_significant,
            improved_all: change.improved,
            worsened_all: change.worsened,
        });
    }
    // The totals above count every school the filter leaves; the page is cut after them.
    let rows = std::mem::take(&mut report.rows);
    (report.rows, report.paging) = listing::cut(rows, list, |r: &ChangeRow, column| match column {
        "school" => Some(listing::text_key(&r.school)),
        "improved" => Some(SortKey::Number(Some(f64::from(r.improved)))),
        "worsened" => Some(SortKey::Number(Some(f64::from(r.worsened)))),
        code => r
            .cells
            .iter()
            .find(|c| c.code == code)
            .map(|c| SortKey::Number(c.delta)),
    });
    Ok(Some(report))
}
