//! The quality of a campaign's instruments for the region's methodologist: multi-item scales
//! with Cronbach's α, questions with their «затрудняюсь ответить» share, variance and item–rest
//! correlation, deficit areas with too few items; from the published answers in scope, with
//! counts as published.

use app::access::Viewer;
use app::i18n::Lang;
use app::reports::{AreaRow, ItemRow, QualityReport, ScaleRow};

use crate::error::ServerError;
use crate::groups;
use crate::scope::campaign_item;
use crate::scope::{published, respondents_band, Gate};

/// The quality report of a campaign, if the viewer may see it.
pub async fn quality(
    gate: &Gate,
    viewer: &Viewer,
    campaign: i64,
    lang: Lang,
) -> Result<Option<QualityReport>, ServerError> {
    let Some(in_scope) = gate.campaign(viewer, campaign, None).await? else {
        return Ok(None);
    };
    let m = gate.methodology();
    let l = lang.code();
    let publication = gate.publication(viewer, &in_scope.campaign).await?;
    let mut report = QualityReport {
        campaign: campaign_item(
            &in_scope.campaign,
            in_scope.schools.len(),
            publication.as_ref(),
        ),
        scales: Vec::new(),
        items: Vec::new(),
        areas: Vec::new(),
    };
    let Some(q) = gate.quality(viewer, &in_scope).await? else {
        return Ok(Some(report));
    };
    let factor = |code: &str| format!("{code} {}", m.factor_name(code, l));
    report.scales = q
        .scales
        .iter()
        .map(|s| ScaleRow {
            group: groups::label(s.group, lang).to_owned(),
            factor: factor(&s.factor),
            items: s.items.len(),
            respondents: respondents_band(s.complete),
            alpha: s.alpha.map(published),
        })
        .collect();
    report.items = q
        .items
        .iter()
        .map(|i| {
            let question = m
                .instrument(i.group)
                .and_then(|ins| ins.slot(&i.key).map(|slot| ins.slot_label(slot, l)))
                .unwrap_or_else(|| i.key.clone());
            ItemRow {
                group: groups::label(i.group, lang).to_owned(),
                key: i.key.clone(),
                question,
                factor: i.factor.as_deref().map(factor),
                respondents: respondents_band(i.answered),
                dont_know: i.dont_know.map(published),
                dont_know_flag: i.dont_know_flag,
                no_variance: i.no_variance,
                item_rest: i.item_rest.map(published),
            }
        })
        .collect();
    report.areas = q
        .areas
        .iter()
        .map(|a| AreaRow {
            area: m.area_name(&a.area, l).to_owned(),
            items: a.items as u32,
            too_few: a.too_few,
        })
        .collect();
    Ok(Some(report))
}
