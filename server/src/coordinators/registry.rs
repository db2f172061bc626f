//! The registry of regions, municipalities and schools: a bulk import from CSV or XLSX with the
//! documented columns, every row checked and every problem reported with its row and column,
//! stored in one transaction (nothing is half-imported); a template to download; and single
//! schools added by hand through the same checks.

use std::collections::HashSet;

use app::access::Viewer;
use axum::extract::{Multipart, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::{Extension, Form};

use crate::error::ServerError;
use crate::problem::{At, Kind, Problem, Refused};
use crate::reply::{attachment, refusal_back, see_other_with, spreadsheet_safe, CSV, XLSX};
use crate::scope::{Gate, Writable};
use crate::storage::{RegistryRow, Storage};
use validator::Validate;

/// The columns of an import file, in order.
pub const COLUMNS: [&str; 6] = [
    "region_code",
    "region_name",
    "municipality_code",
    "municipality_name",
    "school_code",
    "school_name",
];

/// An optional last column: the school's settlement type, a key of the methodology's peer
/// rules (`city`, `town`, `village`), for comparing like with like.
pub const SETTLEMENT: &str = "settlement";

/// The example row of the templates.
const EXAMPLE: [&str; 6] = [
    "demo",
    "Демонстрационная область",
    "north",
    "Северный район",
    "demo-07",
    "МБОУ «Новая СОШ»",
];

/// Most problems listed back to the user.
const MAX_PROBLEMS: usize = 50;

fn valid_code(code: &str) -> bool {
    (1..=40).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// The row number a user sees for the `index`-th row after the header (the header is row 1).
fn row_number(index: usize) -> u64 {
    index as u64 + 2
}

/// Checks the rows of a file (without its header): every problem with its row and column.
pub fn check_rows(rows: &[Vec<String>], settlements: &[&str]) -> Result<Vec<RegistryRow>, Refused> {
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    let mut checked = Vec::new();
    for (n, row) in rows.iter().enumerate() {
        let mut say = |column: &str, kind: Kind| {
            problems.push(Problem::new(
                At::Row(row_number(n), Some(column.to_owned())),
                kind,
            ));
        };
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if row.len() < COLUMNS.len() {
            say(COLUMNS[row.len()], Kind::ShortRow);
            continue;
        }
        let cell = |i: usize| row[i].trim().to_owned();
        for (i, column) in COLUMNS.iter().enumerate() {
            let value = cell(i);
            if value.is_empty() {
                say(column, Kind::Empty);
            } else if column.ends_with("_code") && !valid_code(&value) {
                say(column, Kind::RegistryCode);
            } else if value.chars().count() > 200 {
                say(column, Kind::TooLong);
            }
        }
        if !seen.insert(cell(4)) {
            say("school_code", Kind::RepeatedSchoolCode);
        }
        let settlement = row
            .get(COLUMNS.len())
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty());
        if settlement
            .as_deref()
            .is_some_and(|s| !settlements.contains(&s))
        {
            say(SETTLEMENT, Kind::OneOf(settlements.join(", ")));
        }
        checked.push(RegistryRow {
            settlement,
            region_code: cell(0),
            region_name: cell(1),
            municipality_code: cell(2),
            municipality_name: cell(3),
            school_code: cell(4),
            school_name: cell(5),
        });
    }
    if checked.is_empty() && problems.is_empty() {
        problems.push(Problem::new(At::Whole, Kind::EmptyFile));
    }
    if problems.is_empty() {
        Ok(checked)
    } else {
        Err(Refused(problems))
    }
}

/// The settlement types the methodology knows.
fn settlement_keys(gate: &Gate) -> Vec<&str> {
    gate.methodology()
        .results
        .peers
        .settlements
        .iter()
        .map(|s| s.key.as_str())
        .collect()
}

/// Stores checked rows in one transaction when the viewer may write them all and no school
/// code moves to another municipality; otherwise stores nothing and says why, row by row.
async fn store(
    storage: &Storage,
    gate: &Gate,
    viewer: &Viewer,
    rows: &[RegistryRow],
) -> Result<usize, ServerError> {
    let outside: Vec<Problem> = match gate.writable(viewer).await? {
        Writable::Everything => Vec::new(),
        writable => rows
            .iter()
            .enumerate()
            .filter(|(_, r)| writable != Writable::Region(r.region_code.clone()))
            .map(|(n, _)| {
                Problem::new(
                    At::Row(row_number(n), Some("region_code".into())),
                    Kind::RegionOutOfScope,
                )
            })
            .collect(),
    };
    if !outside.is_empty() {
        return Err(Refused(outside).into());
    }
    let conflicts = storage.import_registry(rows).await?;
    if conflicts.is_empty() {
        return Ok(rows.len());
    }
    Err(Refused(
        conflicts
            .into_iter()
            .map(|c| {
                Problem::new(
                    At::Row(row_number(c.index), Some("school_code".into())),
                    Kind::SchoolCodeElsewhere(c.school_code),
                )
            })
            .collect(),
    )
    .into())
}

/// The registry page with what happened: how many rows were stored, or why none were.
fn outcome(
    result: Result<usize, ServerError>,
    headers: &HeaderMap,
) -> Result<Response, ServerError> {
    let stored = result.map(|n| see_other_with("/work/registry", "imported", &n.to_string()));
    refusal_back("/work/registry", headers, MAX_PROBLEMS, stored)
}

/// `POST /work/registry/import` (multipart, field `file`): imports the file or says why not.
pub async fn import(
    State(storage): State<Storage>,
    State(gate): State<Gate>,
    Extension(viewer): Extension<Viewer>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<Response, ServerError> {
    let imported = async {
        let (name, bytes) = crate::sheets::file_field(&mut multipart).await?;
        let rows =
            crate::sheets::read_table_aside(name, bytes, crate::sheets::Bounds::REGISTRY).await?;
        let header: Vec<String> = rows
            .first()
            .map(|r| r.iter().map(|c| c.trim().to_lowercase()).collect())
            .unwrap_or_default();
        let named: Vec<&str> = header
            .iter()
            .map(String::as_str)
            .filter(|h| !h.is_empty())
            .collect();
        let fits = named == COLUMNS
            || named
                .split_last()
                .is_some_and(|(last, rest)| *last == SETTLEMENT && rest == COLUMNS);
        if !fits {
            return Err(Refused::one(
                At::Row(1, None),
                Kind::Columns(format!("{} [, {SETTLEMENT}]", COLUMNS.join(", "))),
            )
            .into());
        }
        let settlement = header.get(COLUMNS.len()).is_some_and(|h| h == SETTLEMENT);
        let checked = check_rows(&rows[1..], &settlement_keys(&gate))?;
        let checked: Vec<RegistryRow> = checked
            .into_iter()
            .map(|mut r| {
                if !settlement {
                    r.settlement = None;
                }
                r
            })
            .collect();
        store(&storage, &gate, &viewer, &checked).await
    };
    outcome(imported.await, &headers)
}

/// `GET /work/registry/template.csv`: the columns and one example row.
pub async fn template_csv() -> Response {
    let example: Vec<_> = EXAMPLE.iter().map(|cell| spreadsheet_safe(cell)).collect();
    let body = format!("{}\n{}\n", COLUMNS.join(","), example.join(","));
    attachment(CSV, "orientir-registry.csv", false, body)
}

/// `GET /work/registry/template.xlsx`: the same as a workbook.
pub async fn template_xlsx() -> Result<Response, ServerError> {
    let build = || -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        let bold = rust_xlsxwriter::Format::new().set_bold();
        for (c, name) in COLUMNS.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, *name, &bold)?;
            sheet.set_column_width(c as u16, 24)?;
        }
        for (c, value) in EXAMPLE.iter().enumerate() {
            sheet.write_string(1, c as u16, *value)?;
        }
        workbook.save_to_buffer()
    };
    let bytes = build().map_err(|e| ServerError::Write(e.to_string()))?;
    Ok(attachment(XLSX, "orientir-registry.xlsx", false, bytes))
}

/// The one-school form; the import's checks name what is wrong with a value, these only keep
/// out what no registry holds.
#[derive(serde::Deserialize, Validate)]
pub struct SchoolForm {
    #[validate(length(max = 1000))]
    region_code: String,
    #[validate(length(max = 1000))]
    region_name: String,
    #[validate(length(max = 1000))]
    municipality_code: String,
    #[validate(length(max = 1000))]
    municipality_name: String,
    #[validate(length(max = 1000))]
    school_code: String,
    #[validate(length(max = 1000))]
    school_name: String,
    /// Optional: a settlement type key; empty keeps the school's own.
    #[serde(default)]
    #[validate(length(max = 40))]
    settlement: String,
}

/// `POST /work/registry/schools`: adds (or renames) one school through the import's checks.
pub async fn add_school(
    State(storage): State<Storage>,
    State(gate): State<Gate>,
    Extension(viewer): Extension<Viewer>,
    headers: HeaderMap,
    Form(form): Form<SchoolForm>,
) -> Result<Response, ServerError> {
    form.validate().map_err(Refused::from)?;
    let row = vec![
        form.region_code,
        form.region_name,
        form.municipality_code,
        form.municipality_name,
        form.school_code,
        form.school_name,
        form.settlement,
    ];
    let added = async {
        let checked = check_rows(&[row], &settlement_keys(&gate))?;
        store(&storage, &gate, &viewer, &checked).await
    };
    // The one row of a form is «row 2» of an import: name the field alone.
    let added = added.await.map_err(|e| match e {
        ServerError::Refused(Refused(problems)) => ServerError::Refused(Refused(
            problems.into_iter().map(Problem::on_form).collect(),
        )),
        other => other,
    });
    outcome(added, &headers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::i18n::Lang;

    fn row(cells: [&str; 6]) -> Vec<String> {
        cells.iter().map(|c| (*c).to_owned()).collect()
    }

    #[test]
    fn every_bad_cell_is_named_by_row_and_column() {
        let mut with_settlement = row(["r", "Регион", "m", "Район", "s-4", "Школа 4"]);
        with_settlement.push("hamlet".into());
        let problems = check_rows(
            &[
                row(["r", "Регион", "m", "Район", "s-1", "Школа 1"]),
                row(["r", "", "m", "Район", "s 2", "Школа 2"]),
                row(["r", "Регион", "m", "Район", "s-1", "Школа 3"]),
                with_settlement,
            ],
            &["city", "town", "village"],
        )
        .expect_err("refused")
        .0
        .iter()
        .map(|p| p.words(Lang::Ru))
        .collect::<Vec<_>>();
        assert_eq!(
            problems,
            [
                "Строка 3, столбец region_name: пусто",
                "Строка 3, столбец school_code: код: латинские буквы, цифры, - _ . (до 40 знаков)",
                "Строка 4, столбец school_code: этот код школы уже встречался выше",
                "Строка 5, столбец settlement: одно из значений: city, town, village",
            ]
        );
    }
}
