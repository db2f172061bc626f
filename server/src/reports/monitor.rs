//! The response-rate monitor: per school and group, responses against the expected count, the
//! rate and whether the group's minimum and floor are met, submissions held beyond a group code's
//! surplus limit, and the publication the results are read from; counts only, never answers.

use std::collections::HashMap;

use app::access::Viewer;
use app::i18n::Lang;
use app::listing::{self, ListQuery, SortKey};
use app::reports::{Monitor, MonitorRow};
use surveys::profile::group_results;
use surveys::Group;

use crate::error::ServerError;
use crate::scope::campaign_item;
use crate::scope::Gate;
use crate::storage::Storage;
use crate::views::{group_cells, stage_items};

/// The monitor of a campaign's schools in scope, narrowed to a municipality when one is given.
pub async fn monitor(
    gate: &Gate,
    storage: &Storage,
    viewer: &Viewer,
    campaign: i64,
    narrow: crate::scope::Narrow,
    list: &ListQuery,
    lang: Lang,
) -> Result<Option<Monitor>, ServerError> {
    let Some((in_scope, choices, count)) = gate.narrowed(viewer, campaign, narrow).await? else {
        return Ok(None);
    };
    let m = gate.methodology();
    let mut counts: HashMap<i64, ([u32; Group::COUNT], [u32; Group::COUNT])> = HashMap::new();
    for c in gate.counts(&in_scope).await? {
        let (per_group, held) = counts.entry(c.school_id).or_default();
        per_group[c.group.index()] = u32::try_from(c.responses).unwrap_or(0);
        held[c.group.index()] = u32::try_from(c.held).unwrap_or(0);
    }
    let mut schools: Vec<_> = in_scope.schools.iter().collect();
    listing::search(&mut schools, list, |s| &s.name);
    let rows: Vec<MonitorRow> = schools
        .into_iter()
        .map(|s| {
            let (per_group, held) = counts.get(&s.school_id).copied().unwrap_or_default();
            let expected = s.expected();
            let mut results = group_results(m, &expected, &per_group);
            results.push(surveys::deficits::participation(
                m,
                expected.get(Group::TeacherDeficits),
                per_group[Group::TeacherDeficits.index()],
            ));
            let mut groups = group_cells(&results, lang);
            for (cell, result) in groups.iter_mut().zip(&results) {
                let n = held[result.group.index()];
                cell.held = (n > 0).then(|| surveys::text::respondents_band(n));
            }
            MonitorRow {
                school_id: s.school_id,
                school: s.name.clone(),
                municipality: s.municipality.clone(),
                groups,
            }
        })
        .collect();
    // Sorted by a group's rate (what the page shows: none under the minimum), a name, or kept
    // in the registry's order.
    let (rows, paging) = listing::cut(rows, list, |r: &MonitorRow, column| match column {
        "school" => Some(listing::text_key(&r.school)),
        "municipality" => Some(listing::text_key(&r.municipality)),
        group => r
            .groups
            .iter()
            .find(|g| g.group == group)
            .map(|g| SortKey::Number(g.rate)),
    });
    let publication = gate.publication(viewer, &in_scope.campaign).await?;
    Ok(Some(Monitor {
        campaign: campaign_item(&in_scope.campaign, count, publication.as_ref()),
        municipalities: choices,
        rows,
        paging,
        can_publish: app::access::CAMPAIGNERS.contains(&viewer.role)
            && gate.is_open(&in_scope.campaign),
        can_decide: app::access::DECIDERS.contains(&viewer.role),
        surplus_percent: m.rules.surplus_percent,
        stages: stage_items(&storage.stages(campaign).await?),
        can_set_stages: app::access::CAMPAIGNERS.contains(&viewer.role),
        can_print_codes: app::access::CODE_HOLDERS.contains(&viewer.role),
    }))
}
