//! Downloads that bring several rooms' work together, composed here at the edge so that no
//! feature imports another: the matrix workbook (`exports::workbook`) with the programmes'
//! sheet (`programmes::sheet`) and the results' (`yardstick::table`).

use app::access::Viewer;
use app::i18n::Lang;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;

use crate::cookies;
use crate::error::ServerError;
use crate::exports::workbook::{matrix_workbook, xlsx_error, OtherSheets};
use crate::problem::{At, Kind, Refused};
use crate::programmes::sheet::programmes_table;
use crate::reply::{attachment, XLSX};
use crate::scope::Gate;
use crate::storage::Storage;

#[derive(serde::Deserialize)]
pub struct MatrixQuery {
    municipality: Option<i64>,
    /// Another campaign to compare with (adds the change sheet).
    compare: Option<i64>,
}

/// `GET /export/campaigns/{id}/matrix.xlsx[?municipality=…&compare=…]`.
pub async fn matrix_xlsx(
    State(gate): State<Gate>,
    State(storage): State<Storage>,
    State(yardstick): State<crate::yardstick::Yardstick>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Query(q): Query<MatrixQuery>,
    headers: HeaderMap,
) -> Result<Response, ServerError> {
    let in_scope = gate
        .campaign(&viewer, id, q.municipality)
        .await?
        .ok_or(ServerError::NotFound)?;
    let unpublished = || Refused::one(At::Whole, Kind::NotPublished);
    let (scored, quality) = gate
        .score_with_quality(&viewer, &in_scope)
        .await?
        .ok_or_else(unpublished)?;
    let mut changes = match q.compare {
        Some(other) => match gate.campaign(&viewer, other, q.municipality).await? {
            Some(before) => {
                let before = gate
                    .score(&viewer, &before)
                    .await?
                    .ok_or_else(unpublished)?;
                Some(
                    gate.compare(&before.profiles, &scored.profiles)
                        .into_iter()
                        .map(|paired| paired.change)
                        .collect::<Vec<_>>(),
                )
            }
            None => None,
        },
        None => None,
    };
    // Names, not registry codes, on every sheet.
    let named = |s: &crate::storage::SchoolInCampaign| format!("{} ({})", s.name, s.municipality);
    for c in changes.iter_mut().flatten() {
        if let Some(s) = in_scope.schools.iter().find(|s| s.code == c.school) {
            c.school = named(s);
        }
    }
    let mut profiles = scored.profiles.clone();
    for (p, s) in profiles.iter_mut().zip(&in_scope.schools) {
        p.school = named(s);
    }
    let programmes = programmes_table(
        &gate,
        &storage,
        &yardstick,
        &viewer,
        &in_scope,
        cookies::lang(&headers),
        crate::clock::today(),
    )
    .await?;
    let lang = cookies::lang(&headers);
    let results = match in_scope.schools.first() {
        Some(first) => {
            let region = yardstick.region(first.region_id).await?;
            let rows: Vec<crate::yardstick::table::Row<'_>> = in_scope
                .schools
                .iter()
                .map(|s| crate::yardstick::table::Row {
                    code: &s.code,
                    name: &s.name,
                    municipality: &s.municipality,
                })
                .collect();
            region.years.last().map(|year| {
                let table =
                    crate::yardstick::table::wide(gate.methodology(), &region, &rows, *year, lang);
                (*year, table)
            })
        }
        None => None,
    };
    let title = format!(
        "{} — {}",
        in_scope.campaign.name,
        match lang {
            Lang::Ru => format!(
                "публикация № {} от {}",
                scored.publication.number, scored.publication.published_on
            ),
            Lang::En => format!(
                "publication no. {} of {}",
                scored.publication.number, scored.publication.published_on
            ),
        }
    );
    let bytes = matrix_workbook(
        gate.methodology(),
        &title,
        &profiles,
        changes.as_deref(),
        &quality,
        &OtherSheets {
            programmes,
            results,
        },
        lang,
    )
    .map_err(xlsx_error)?;
    Ok(attachment(
        XLSX,
        &format!("orientir-{}-matrix.xlsx", in_scope.campaign.code),
        true,
        bytes,
    ))
}
