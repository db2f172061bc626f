//! The matrix: schools × factors with level colours, the number of high-risk factors per school,
//! and the distribution of levels per factor.

use app::access::Viewer;
use app::i18n::Lang;
use app::listing::{self, ListQuery, Paging, SortKey};
use app::reports::{FactorCell, FactorColumn, Matrix, MatrixRow};

use crate::error::ServerError;
use crate::scope::campaign_item;
use crate::scope::published;
use crate::scope::Gate;
use crate::views::{level_of, levels};

/// The matrix of a campaign's schools in scope, narrowed to a municipality when one is given.
pub async fn matrix(
    gate: &Gate,
    viewer: &Viewer,
    campaign: i64,
    narrow: crate::scope::Narrow,
    list: &ListQuery,
    lang: Lang,
) -> Result<Option<Matrix>, ServerError> {
    let Some((in_scope, choices, count)) = gate.narrowed(viewer, campaign, narrow).await? else {
        return Ok(None);
    };
    let scored = gate.score(viewer, &in_scope).await?;
    let campaign = campaign_item(
        &in_scope.campaign,
        count,
        scored.as_ref().map(|s| &s.publication),
    );
    let m = gate.methodology();
    let levels = levels(m, lang);
    let Some(scored) = scored else {
        return Ok(Some(Matrix {
            campaign,
            municipalities: choices,
            levels,
            factors: Vec::new(),
            rows: Vec::new(),
            paging: Paging::default(),
            raw_exports: Vec::new(),
        }));
    };
    let mut rows: Vec<MatrixRow> = in_scope
        .schools
        .iter()
        .zip(&scored.profiles)
        .map(|(s, p)| MatrixRow {
            school_id: s.school_id,
            school: s.name.clone(),
            municipality: s.municipality.clone(),
            high: surveys::tables::high_risk_factors(m, p) as u32,
            cells: p
                .factors
                .iter()
                .map(|f| FactorCell {
                    code: f.code.0.to_string(),
                    score: f.score.map(published),
                    level: level_of(m, f.level.as_deref(), lang),
                    unstable: f.unstable(),
                })
                .collect(),
        })
        .collect();
    listing::search(&mut rows, list, |r| &r.school);
    if let Some(level) = &list.level {
        rows.retain(|r| {
            r.cells
                .iter()
                .any(|c| c.level.as_ref().is_some_and(|l| &l.key == level))
        });
    }
    // The list's own order: the most factors at the highest level first.
    rows.sort_by_key(|r| std::cmp::Reverse(r.high));
    let factors = m
        .factors
        .iter()
        .map(|f| {
            let cells: Vec<&FactorCell> = rows
                .iter()
                .filter_map(|r| r.cells.iter().find(|c| c.code == f.code.0))
                .collect();
            FactorColumn {
                code: f.code.0.to_string(),
                name: f.name.get(lang.code()).to_owned(),
                per_level: levels
                    .iter()
                    .map(|l| {
                        cells
                            .iter()
                            .filter(|c| c.level.as_ref().is_some_and(|x| x.key == l.key))
                            .count() as u32
                    })
                    .collect(),
                insufficient: cells.iter().filter(|c| c.level.is_none()).count() as u32,
            }
        })
        .collect();
    let raw_exports = if app::access::RAW_READERS.contains(&viewer.role) {
        [
            surveys::Group::Student,
            surveys::Group::Parent,
            surveys::Group::Teacher,
            surveys::Group::Principal,
        ]
        .into_iter()
        .map(|g| (g.key().to_owned(), crate::groups::label(g, lang).to_owned()))
        .collect()
    } else {
        Vec::new()
    };
    // The distribution above counts every school the filter leaves; the page is cut after it.
    let (rows, paging) = listing::cut(rows, list, |r: &MatrixRow, column| match column {
        "school" => Some(listing::text_key(&r.school)),
        "high" => Some(SortKey::Number(Some(f64::from(r.high)))),
        code => r
            .cells
            .iter()
            .find(|c| c.code == code)
            .map(|c| SortKey::Number(c.score)),
    });
    Ok(Some(Matrix {
        campaign,
        municipalities: choices,
        levels,
        factors,
        rows,
        paging,
        raw_exports,
    }))
}
