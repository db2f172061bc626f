//! The registry of regions, municipalities and schools: a bulk import from CSV or XLSX with the
//! documented columns, every row checked and every problem reported with its row and column,
//! stored in one transaction (nothing is half-imported); a template to download; and single
//! schools added by hand through the same checks.

use std::collections::HashSet;

use app::access::{Role, Scope, Viewer};
use app::i18n::Lang;
use axum::extract::{Multipart, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};

use crate::error::ServerError;
use crate::export::XLSX;
use crate::storage::{RegistryRow, Storage};
use crate::web::{failure, lang_of, see_other};

/// The columns of an import file, in order.
pub const COLUMNS: [&str; 6] = [
    "region_code",
    "region_name",
    "municipality_code",
    "municipality_name",
    "school_code",
    "school_name",
];

/// Most problems listed back to the user.
const MAX_PROBLEMS: usize = 50;

fn back(key: &str, text: &str) -> Response {
    let text: String = form_urlencoded::byte_serialize(text.as_bytes()).collect();
    see_other(&format!("/work/registry?{key}={text}"), None)
}

fn valid_code(code: &str) -> bool {
    (1..=40).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Checks the rows of a file (without its header): every problem as «row N, column: reason»,
/// rows numbered as the user sees them (the header is row 1).
pub fn check_rows(rows: &[Vec<String>], lang: Lang) -> Result<Vec<RegistryRow>, Vec<String>> {
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    let mut checked = Vec::new();
    for (n, row) in rows.iter().enumerate() {
        let line = n + 2;
        let mut say = |column: &str, ru: &str, en: &str| {
            problems.push(match lang {
                Lang::Ru => format!("Строка {line}, столбец {column}: {ru}"),
                Lang::En => format!("Row {line}, column {column}: {en}"),
            });
        };
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if row.len() < COLUMNS.len() {
            say(
                COLUMNS[row.len()],
                "нет значения (в строке меньше 6 столбцов)",
                "missing (the row has fewer than 6 columns)",
            );
            continue;
        }
        let cell = |i: usize| row[i].trim().to_owned();
        for (i, column) in COLUMNS.iter().enumerate() {
            let value = cell(i);
            if value.is_empty() {
                say(column, "пусто", "empty");
            } else if column.ends_with("_code") && !valid_code(&value) {
                say(
                    column,
                    "код: латинские буквы, цифры, - _ . (до 40 знаков)",
                    "a code: Latin letters, digits, - _ . (up to 40)",
                );
            } else if value.chars().count() > 200 {
                say(column, "не длиннее 200 символов", "at most 200 characters");
            }
        }
        if !seen.insert(cell(4)) {
            say(
                "school_code",
                "этот код школы уже встречался выше",
                "this school code appears above already",
            );
        }
        checked.push(RegistryRow {
            region_code: cell(0),
            region_name: cell(1),
            municipality_code: cell(2),
            municipality_name: cell(3),
            school_code: cell(4),
            school_name: cell(5),
        });
    }
    if checked.is_empty() && problems.is_empty() {
        problems.push(
            lang.tr(
                "Файл пуст: нет ни одной строки со школой",
                "The file is empty: no school rows",
            )
            .to_owned(),
        );
    }
    if problems.is_empty() {
        Ok(checked)
    } else {
        Err(problems)
    }
}

/// Reads an uploaded file into rows of text cells (CSV or XLSX by content).
fn read_file(name: &str, bytes: &[u8], lang: Lang) -> Result<Vec<Vec<String>>, String> {
    let is_xlsx = bytes.starts_with(b"PK") || name.to_lowercase().ends_with(".xlsx");
    if is_xlsx {
        use calamine::{open_workbook_from_rs, Reader, Xlsx};
        let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec()))
            .map_err(|_| {
                lang.tr(
                    "Не удалось прочитать файл XLSX",
                    "Cannot read the XLSX file",
                )
                .to_owned()
            })?;
        let range = book
            .worksheet_range_at(0)
            .ok_or_else(|| {
                lang.tr("В книге нет листов", "The workbook has no sheets")
                    .to_owned()
            })?
            .map_err(|_| {
                lang.tr(
                    "Не удалось прочитать первый лист",
                    "Cannot read the first sheet",
                )
                .to_owned()
            })?;
        return Ok(range
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect());
    }
    let text = String::from_utf8(
        bytes
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(bytes)
            .to_vec(),
    )
    .map_err(|_| {
        lang.tr(
            "Файл CSV должен быть в кодировке UTF-8",
            "A CSV file must be UTF-8",
        )
        .to_owned()
    })?;
    let delimiter = if text.lines().next().is_some_and(|l| l.contains(';')) {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    reader
        .records()
        .enumerate()
        .map(|(n, r)| {
            r.map(|r| r.iter().map(str::to_owned).collect())
                .map_err(|_| match lang {
                    Lang::Ru => format!("Строка {}: не читается как CSV", n + 1),
                    Lang::En => format!("Row {}: not readable as CSV", n + 1),
                })
        })
        .collect()
}

/// Whether the viewer may write these rows: admins anything, a regional coordinator only its
/// own region.
async fn check_scope(
    storage: &Storage,
    viewer: &Viewer,
    rows: &[RegistryRow],
    lang: Lang,
) -> Result<Vec<String>, ServerError> {
    let own = match (&viewer.role, &viewer.scope) {
        (Role::Admin, _) => return Ok(Vec::new()),
        (_, Scope::Region(id)) => storage.region_code(*id).await?,
        _ => None,
    };
    Ok(rows
        .iter()
        .enumerate()
        .filter(|(_, r)| own.as_deref() != Some(r.region_code.as_str()))
        .map(|(n, _)| match lang {
            Lang::Ru => format!(
                "Строка {}, столбец region_code: регион вне вашей области видимости",
                n + 2
            ),
            Lang::En => format!(
                "Row {}, column region_code: a region outside your scope",
                n + 2
            ),
        })
        .collect())
}

/// `POST /work/registry/import` (multipart, field `file`): imports the file or says why not.
pub async fn import(
    State(storage): State<Storage>,
    Extension(viewer): Extension<Viewer>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let lang = lang_of(&headers);
    let mut file = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or_default().to_owned();
            match field.bytes().await {
                Ok(bytes) => file = Some((name, bytes)),
                Err(_) => {
                    return back(
                        "problem",
                        lang.tr(
                            "Файл не загрузился целиком",
                            "The file did not arrive whole",
                        ),
                    )
                }
            }
        }
    }
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return back(
            "problem",
            lang.tr("Выберите файл CSV или XLSX", "Choose a CSV or XLSX file"),
        );
    };
    let rows = match read_file(&name, &bytes, lang) {
        Ok(rows) => rows,
        Err(problem) => return back("problem", &problem),
    };
    let header: Vec<String> = rows
        .first()
        .map(|r| r.iter().map(|c| c.trim().to_lowercase()).collect())
        .unwrap_or_default();
    if header
        .iter()
        .map(String::as_str)
        .ne(COLUMNS.iter().copied())
    {
        return back(
            "problem",
            &match lang {
                Lang::Ru => format!("Строка 1: столбцы должны быть {}", COLUMNS.join(", ")),
                Lang::En => format!("Row 1: the columns must be {}", COLUMNS.join(", ")),
            },
        );
    }
    let checked = match check_rows(&rows[1..], lang) {
        Ok(rows) => rows,
        Err(problems) => return back("problem", &limit(problems, lang)),
    };
    match store(&storage, &viewer, &checked, lang).await {
        Ok(Ok(n)) => back("imported", &n.to_string()),
        Ok(Err(problems)) => back("problem", &limit(problems, lang)),
        Err(e) => failure(&e),
    }
}

/// Stores checked rows in one transaction when the viewer may write them all and no school
/// code moves to another municipality; otherwise stores nothing and says why, row by row.
async fn store(
    storage: &Storage,
    viewer: &Viewer,
    rows: &[RegistryRow],
    lang: Lang,
) -> Result<Result<usize, Vec<String>>, ServerError> {
    let problems = check_scope(storage, viewer, rows, lang).await?;
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let conflicts = storage.import_registry(rows).await?;
    if conflicts.is_empty() {
        return Ok(Ok(rows.len()));
    }
    Ok(Err(conflicts
        .into_iter()
        .map(|(n, code)| match lang {
            Lang::Ru => format!("Строка {}, столбец school_code: код {code} уже занят школой другого муниципалитета", n + 2),
            Lang::En => format!("Row {}, column school_code: code {code} belongs to a school of another municipality", n + 2),
        })
        .collect()))
}

fn limit(mut problems: Vec<String>, lang: Lang) -> String {
    let more = problems.len().saturating_sub(MAX_PROBLEMS);
    problems.truncate(MAX_PROBLEMS);
    if more > 0 {
        problems.push(match lang {
            Lang::Ru => format!("…и ещё {more}"),
            Lang::En => format!("…and {more} more"),
        });
    }
    problems.join("\n")
}

/// `GET /work/registry/template.csv`: the columns and one example row.
pub async fn template_csv() -> Response {
    let body = format!(
        "{}\ndemo,Демонстрационная область,north,Северный район,demo-07,МБОУ «Новая СОШ»\n",
        COLUMNS.join(",")
    );
    (
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                CONTENT_DISPOSITION,
                "attachment; filename=\"orientir-registry.csv\"",
            ),
        ],
        body,
    )
        .into_response()
}

/// `GET /work/registry/template.xlsx`: the same as a workbook.
pub async fn template_xlsx() -> Response {
    let build = || -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        let bold = rust_xlsxwriter::Format::new().set_bold();
        for (c, name) in COLUMNS.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, *name, &bold)?;
            sheet.set_column_width(c as u16, 24)?;
        }
        for (c, value) in [
            "demo",
            "Демонстрационная область",
            "north",
            "Северный район",
            "demo-07",
            "МБОУ «Новая СОШ»",
        ]
        .iter()
        .enumerate()
        {
            sheet.write_string(1, c as u16, *value)?;
        }
        workbook.save_to_buffer()
    };
    match build() {
        Ok(bytes) => (
            [
                (CONTENT_TYPE, XLSX),
                (
                    CONTENT_DISPOSITION,
                    "attachment; filename=\"orientir-registry.xlsx\"",
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => failure(&ServerError::Write(e.to_string())),
    }
}

#[derive(serde::Deserialize)]
pub struct SchoolForm {
    region_code: String,
    region_name: String,
    municipality_code: String,
    municipality_name: String,
    school_code: String,
    school_name: String,
}

/// `POST /work/registry/schools`: adds (or renames) one school through the import's checks.
pub async fn add_school(
    State(storage): State<Storage>,
    Extension(viewer): Extension<Viewer>,
    headers: HeaderMap,
    Form(form): Form<SchoolForm>,
) -> Response {
    let lang = lang_of(&headers);
    let row = vec![
        form.region_code,
        form.region_name,
        form.municipality_code,
        form.municipality_name,
        form.school_code,
        form.school_name,
    ];
    // The one row of a form is «row 2» of an import: name the field alone.
    let field_problems = |problems: Vec<String>| {
        problems
            .join("\n")
            .replace("Строка 2, столбец ", "")
            .replace("Row 2, column ", "")
    };
    let checked = match check_rows(&[row], lang) {
        Ok(rows) => rows,
        Err(problems) => return back("problem", &field_problems(problems)),
    };
    match store(&storage, &viewer, &checked, lang).await {
        Ok(Ok(n)) => back("imported", &n.to_string()),
        Ok(Err(problems)) => back("problem", &field_problems(problems)),
        Err(e) => failure(&e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: [&str; 6]) -> Vec<String> {
        cells.iter().map(|c| (*c).to_owned()).collect()
    }

    #[test]
    fn every_bad_cell_is_named_by_row_and_column() {
        let problems = check_rows(
            &[
                row(["r", "Регион", "m", "Район", "s-1", "Школа 1"]),
                row(["r", "", "m", "Район", "s 2", "Школа 2"]),
                row(["r", "Регион", "m", "Район", "s-1", "Школа 3"]),
            ],
            Lang::Ru,
        )
        .expect_err("refused");
        assert_eq!(
            problems,
            [
                "Строка 3, столбец region_name: пусто",
                "Строка 3, столбец school_code: код: латинские буквы, цифры, - _ . (до 40 знаков)",
                "Строка 4, столбец school_code: этот код школы уже встречался выше",
            ]
        );
    }
}
