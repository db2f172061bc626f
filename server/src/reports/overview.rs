//! A region at a glance: for a campaign's schools in the viewer's scope, per municipality and
//! factor, how many schools stand at each level (and how many lack the data) — the counts a
//! picture and its table show. Schools' levels only, as the matrix shows them; nothing of a
//! respondent.

use std::collections::BTreeMap;

use app::access::Viewer;
use app::i18n::Lang;
use app::reports::{LevelCounts, OverviewArea, RegionOverview};

use crate::error::ServerError;
use crate::scope::{campaign_item, Gate, Narrow};
use crate::views::levels;

pub async fn overview(
    gate: &Gate,
    viewer: &Viewer,
    campaign: i64,
    narrow: Narrow,
    lang: Lang,
) -> Result<Option<RegionOverview>, ServerError> {
    let Some((in_scope, choices, count)) = gate.narrowed(viewer, campaign, narrow).await? else {
        return Ok(None);
    };
    let m = gate.methodology();
    let scored = gate.score(viewer, &in_scope).await?;
    let level_views = levels(m, lang);
    let factors: Vec<(String, String)> = m
        .factors
        .iter()
        .map(|f| (f.code.0.to_string(), f.name.get(lang.code()).to_owned()))
        .collect();
    let mut report = RegionOverview {
        campaign: campaign_item(
            &in_scope.campaign,
            count,
            scored.as_ref().map(|s| &s.publication),
        ),
        levels: level_views,
        factors,
        areas: Vec::new(),
    };
    let Some(scored) = scored else {
        return Ok(Some(report));
    };
    let empty = || OverviewArea {
        municipality: None,
        name: String::new(),
        schools: 0,
        cells: vec![
            LevelCounts {
                per_level: vec![0; m.rules.levels.len()],
                insufficient: 0,
            };
            m.factors.len()
        ],
    };
    let mut whole = OverviewArea {
        name: lang.tr("Все школы", "Every school").to_owned(),
        ..empty()
    };
    let mut by_municipality: BTreeMap<i64, OverviewArea> = BTreeMap::new();
    for (school, profile) in in_scope.schools.iter().zip(&scored.profiles) {
        let area = by_municipality
            .entry(school.municipality_id)
            .or_insert_with(|| OverviewArea {
                municipality: Some(school.municipality_id),
                name: school.municipality.clone(),
                ..empty()
            });
        for target in [&mut whole, area] {
            target.schools += 1;
            for (cell, f) in target.cells.iter_mut().zip(&profile.factors) {
                match f
                    .level
                    .as_ref()
                    .and_then(|l| m.rules.levels.iter().position(|x| &x.key == l))
                {
                    Some(n) => cell.per_level[n] += 1,
                    None => cell.insufficient += 1,
                }
            }
        }
    }
    report.areas.push(whole);
    // In the order of the municipality filter (by name).
    for choice in choices {
        if let Some(area) = by_municipality.remove(&choice.id) {
            report.areas.push(area);
        }
    }
    Ok(Some(report))
}
