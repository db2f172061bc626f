//! A campaign's programmes as a format-free table (`surveys::tables`): a school's chosen risks,
//! status, measures (overdue ones apart) and targets with how many were met — the programmes
//! sheet of the matrix workbook.

use app::access::Viewer;
use app::i18n::Lang;
use surveys::programme::Achievement;
use surveys::tables::{Cell, Table};
use surveys::Methodology;

use super::results::{self, Later};
use crate::error::ServerError;
use crate::scope::Gate;
use crate::storage::{Storage, TargetRow};

/// The programmes of the schools in scope: school, chosen risks, status, measures (overdue ones
/// apart) and targets.
pub async fn programmes_table(
    gate: &Gate,
    storage: &Storage,
    yardstick: &crate::yardstick::Yardstick,
    viewer: &Viewer,
    in_scope: &crate::scope::InScope,
    lang: Lang,
    today: surveys::calendar::Day,
) -> Result<Table, ServerError> {
    let later = results::later(gate, viewer, &in_scope.campaign).await?;
    let region = match in_scope.schools.first() {
        Some(s) => Some(yardstick.region(s.region_id).await?),
        None => None,
    };
    let mut rows = Vec::new();
    for p in storage.campaign_programmes(in_scope.campaign.id).await? {
        let Some(school) = in_scope.schools.iter().find(|s| s.school_id == p.school_id) else {
            continue;
        };
        let risks = storage.chosen_risks(p.id).await?;
        let measures = storage.programme_measures(p.id).await?;
        let targets = storage.programme_targets(p.id).await?;
        let result_targets = storage.result_targets(p.id).await?;
        let judged: Vec<crate::yardstick::Judged> = match &region {
            Some(region) => result_targets
                .iter()
                .map(|t| region.judge(gate.methodology(), &school.code, t))
                .collect(),
            None => Vec::new(),
        };
        let verdicts: Vec<_> = judged
            .iter()
            .filter_map(|j| match j {
                crate::yardstick::Judged::Verdict(v) => Some(v),
                crate::yardstick::Judged::Awaiting => None,
            })
            .collect();
        let overdue = measures.iter().filter(|m| m.overdue(today)).count();
        let status = p.status.label(lang);
        rows.push(vec![
            Cell::Text(format!("{} ({})", school.name, school.municipality)),
            Cell::Text(
                risks
                    .iter()
                    .map(|r| r.factor.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            Cell::Text(status.to_owned()),
            Cell::Number(measures.len() as f64),
            Cell::Number(overdue as f64),
            Cell::Number(targets.len() as f64),
            targets_met(gate.methodology(), later.as_ref(), &school.code, &targets),
            Cell::Number(result_targets.len() as f64),
            if verdicts.is_empty() {
                Cell::Text(String::new())
            } else {
                achieved_of(verdicts.into_iter())
            },
        ]);
    }
    Ok(Table {
        columns: [
            "school",
            "chosen_risks",
            "status",
            "measures",
            "overdue_measures",
            "targets",
            "targets_met",
            "result_targets",
            "result_targets_met",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    })
}

/// «achieved / judged» of a programme's targets against the later published campaign; empty
/// until there is one.
fn targets_met(m: &Methodology, later: Option<&Later>, code: &str, targets: &[TargetRow]) -> Cell {
    let Some(later) = later else {
        return Cell::Text(String::new());
    };
    let judged = results::verdicts(m, targets, later.profile(code));
    achieved_of(judged.iter())
}

/// «achieved / judged with data» of verdicts.
fn achieved_of<'a>(verdicts: impl Iterator<Item = &'a surveys::programme::Verdict>) -> Cell {
    let (mut achieved, mut with_data) = (0, 0);
    for v in verdicts {
        achieved += usize::from(v.achievement == Achievement::Achieved);
        with_data += usize::from(v.achievement != Achievement::InsufficientData);
    }
    Cell::Text(format!("{achieved} / {with_data}"))
}
