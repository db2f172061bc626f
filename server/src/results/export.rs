//! The results table of the viewer's schools (every school × assessment × year with its
//! indicators) as CSV and as a workbook with its codebook; the codebook alone as CSV.

use app::access::Viewer;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use serde::Deserialize;
use surveys::tables::{Cell, Table};
use validator::Validate;

use crate::cookies;
use crate::error::ServerError;
use crate::problem::Refused;
use crate::reply::{attachment, spreadsheet_safe, CSV, XLSX};
use crate::yardstick::table::{codebook, long, Row};
use crate::yardstick::Yardstick;

#[derive(Deserialize, Validate)]
pub struct ExportQuery {
    #[validate(range(min = 1))]
    region: Option<i64>,
}

/// The results table of the viewer's schools of a region.
async fn table(
    yardstick: &Yardstick,
    viewer: &Viewer,
    query: &ExportQuery,
    lang: app::i18n::Lang,
) -> Result<Table, ServerError> {
    query.validate().map_err(Refused::from)?;
    let region = yardstick
        .region_of(viewer, query.region)
        .await?
        .ok_or(ServerError::NotFound)?;
    let region = yardstick.region(region).await?;
    let rows: Vec<Row<'_>> = region
        .schools
        .iter()
        .filter(|s| viewer.scope.allows(s.place()))
        .map(|s| Row {
            code: &s.code,
            name: &s.name,
            municipality: &s.municipality,
        })
        .collect();
    Ok(long(yardstick.gate.methodology(), &region, &rows, lang))
}

/// A table as CSV (UTF-8 with a byte-order mark, for Excel), cells safe from formulas.
fn csv_of(table: &Table) -> Result<Vec<u8>, ServerError> {
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let write = |e: csv::Error| ServerError::Write(e.to_string());
    out.write_record(&table.columns).map_err(write)?;
    for row in &table.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| match c {
                Cell::Text(t) => spreadsheet_safe(t).into_owned(),
                other => other.to_csv(),
            })
            .collect();
        out.write_record(&cells).map_err(write)?;
    }
    out.into_inner()
        .map_err(|e| ServerError::Write(e.to_string()))
}

/// `GET /work/results/export.csv`.
pub async fn results_csv(
    State(yardstick): State<Yardstick>,
    Extension(viewer): Extension<Viewer>,
    Query(query): Query<ExportQuery>,
    headers: HeaderMap,
) -> Result<Response, ServerError> {
    let table = table(&yardstick, &viewer, &query, cookies::lang(&headers)).await?;
    Ok(attachment(
        CSV,
        "orientir-results.csv",
        true,
        csv_of(&table)?,
    ))
}

/// `GET /work/results/codebook.csv`.
pub async fn codebook_csv(
    State(yardstick): State<Yardstick>,
    headers: HeaderMap,
) -> Result<Response, ServerError> {
    let table = codebook(yardstick.gate.methodology(), cookies::lang(&headers));
    Ok(attachment(
        CSV,
        "orientir-results-codebook.csv",
        false,
        csv_of(&table)?,
    ))
}

/// `GET /work/results/export.xlsx`: the table and its codebook.
pub async fn results_xlsx(
    State(yardstick): State<Yardstick>,
    Extension(viewer): Extension<Viewer>,
    Query(query): Query<ExportQuery>,
    headers: HeaderMap,
) -> Result<Response, ServerError> {
    let lang = cookies::lang(&headers);
    let table = table(&yardstick, &viewer, &query, lang).await?;
    let book = codebook(yardstick.gate.methodology(), lang);
    let build = || -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.set_name(lang.tr("Результаты", "Results"))?;
        crate::documents::write_table(sheet, &table, 0)?;
        sheet.set_freeze_panes(1, 3)?;
        sheet.set_column_width(2, 36)?;
        sheet.set_column_width(6, 36)?;
        let sheet = workbook.add_worksheet();
        sheet.set_name(lang.tr("Описание полей", "Codebook"))?;
        crate::documents::write_table(sheet, &book, 0)?;
        sheet.set_column_width(0, 28)?;
        sheet.set_column_width(1, 100)?;
        workbook.save_to_buffer()
    };
    let bytes = build().map_err(|e| ServerError::Write(e.to_string()))?;
    Ok(attachment(XLSX, "orientir-results.xlsx", true, bytes))
}
