//! The results room's plain routes: the import (multipart: `region`, `year`, `file`, optional
//! `valid_only`), the templates per assessment, and setting cohorts from the candidate list.

use app::access::Viewer;
use app::results::Cohort;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::{Extension, Form};
use serde::Deserialize;
use validator::{Validate, ValidationError};

use super::import::{self, Known};
use crate::error::ServerError;
use crate::problem::{At, Kind, Problem, Refused};
use crate::reply::{attachment, encode, see_other, spreadsheet_safe, CSV, XLSX};
use crate::scope::Writable;
use crate::sheets::{read_table, Bounds};
use crate::storage::{CohortChange, CohortEntry, NewImport};
use crate::yardstick::Yardstick;

/// Most problems listed back.
const MAX_PROBLEMS: usize = 50;

/// The results page of a region, with what happened.
fn back(region: i64, notices: &[(&str, String)]) -> Response {
    let mut to = format!("/work/results?region={region}");
    for (key, value) in notices {
        to.push_str(&format!("&{key}={}", encode(value)));
    }
    to.push_str("#import");
    see_other(&to, None)
}

/// The region a viewer writes results of: the one asked (or the viewer's), if writable.
async fn writable_region(
    yardstick: &Yardstick,
    viewer: &Viewer,
    asked: Option<i64>,
) -> Result<i64, ServerError> {
    let refused = || ServerError::from(Refused::one(At::Field("region"), Kind::RegionOutOfScope));
    let region = yardstick
        .region_of(viewer, asked)
        .await?
        .ok_or_else(refused)?;
    let code = yardstick
        .storage
        .region_code(region)
        .await?
        .ok_or_else(refused)?;
    match yardstick.gate.writable(viewer).await? {
        Writable::Everything => Ok(region),
        Writable::Region(c) if c == code => Ok(region),
        _ => Err(refused()),
    }
}

fn year_of(text: &str) -> Result<u16, Refused> {
    text.trim()
        .parse::<u16>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .ok_or_else(|| Refused::one(At::Field("year"), Kind::Year))
}

/// `POST /work/results/import`: reads the file in either layout and stores its year, or says
/// why not. Strict by default; with `valid_only` the valid rows are stored and the rest listed.
pub async fn import_results(
    State(yardstick): State<Yardstick>,
    Extension(viewer): Extension<Viewer>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<Response, ServerError> {
    let lang = crate::cookies::lang(&headers);
    let mut region = None;
    let mut year = String::new();
    let mut valid_only = false;
    let mut file = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        match field.name().unwrap_or_default() {
            "region" => region = field.text().await.ok().and_then(|t| t.trim().parse().ok()),
            "year" => year = field.text().await.unwrap_or_default(),
            "valid_only" => valid_only = true,
            "file" => file = Some(crate::sheets::uploaded(field).await),
            _ => {}
        }
    }
    let region = writable_region(&yardstick, &viewer, region).await?;
    let outcome = async {
        let year = year_of(&year)?;
        let (name, bytes) = file.ok_or_else(|| Refused::one(At::Whole, Kind::NoFile))??;
        if bytes.is_empty() {
            return Err(Refused::one(At::Whole, Kind::NoFile).into());
        }
        let mut schools = yardstick.storage.schools_with_place().await?;
        schools.retain(|s| s.region_id == region);
        let known: Vec<Known> = schools
            .iter()
            .map(|s| Known {
                id: s.id,
                code: s.code.clone(),
                name: s.name.clone(),
            })
            .collect();
        let methodology = yardstick.gate.methodology_arc();
        let file_name = name.clone();
        // Unzipping and checking tens of thousands of rows: off the threads that answer requests.
        let read = tokio::task::spawn_blocking(move || {
            let table = read_table(&name, &bytes, Bounds::RESULTS)?;
            Ok::<_, Refused>(import::read(&methodology.results, &known, &table, year))
        })
        .await
        .map_err(|e| ServerError::Inconsistent(format!("reading a results file stopped: {e}")))??;
        if !read.problems.is_empty() && (!valid_only || read.rows.is_empty()) {
            return Err(Refused(read.problems).into());
        }
        let layout = read.layout.unwrap_or(import::Layout::Template);
        yardstick
            .storage
            .import_results(
                &NewImport {
                    region_id: region,
                    year,
                    user_id: viewer.user_id,
                    at: crate::clock::now(),
                    file_name: &file_name,
                    layout: layout.key(),
                },
                &read.rows,
            )
            .await?;
        tracing::info!(
            region,
            year,
            rows = read.rows.len(),
            rejected = read.problems.len(),
            layout = layout.key(),
            "results imported"
        );
        let mut notices = vec![("imported", read.rows.len().to_string())];
        if !read.problems.is_empty() {
            notices.push(("problem", Refused(read.problems).words(lang, MAX_PROBLEMS)));
        }
        Ok::<_, ServerError>(notices)
    };
    match outcome.await {
        Ok(notices) => Ok(back(region, &notices)),
        Err(ServerError::Refused(refused)) => Ok(back(
            region,
            &[("problem", refused.words(lang, MAX_PROBLEMS))],
        )),
        Err(other) => Err(other),
    }
}

#[derive(Deserialize, Validate)]
pub struct TemplateQuery {
    #[validate(range(min = 1))]
    region: Option<i64>,
}

/// `GET /work/results/template/{file}` (`{assessment}.csv` or `.xlsx`): the template of an
/// assessment with every school of the region.
pub async fn template(
    State(yardstick): State<Yardstick>,
    Extension(viewer): Extension<Viewer>,
    Path(file): Path<String>,
    Query(query): Query<TemplateQuery>,
) -> Result<Response, ServerError> {
    query.validate().map_err(Refused::from)?;
    let (key, xlsx) = match (file.strip_suffix(".xlsx"), file.strip_suffix(".csv")) {
        (Some(k), _) => (k, true),
        (_, Some(k)) => (k, false),
        _ => return Err(ServerError::NotFound),
    };
    let methodology = yardstick.gate.methodology_arc();
    let Some(a) = methodology.results.assessment(key) else {
        return Err(ServerError::NotFound);
    };
    let region = writable_region(&yardstick, &viewer, query.region).await?;
    let mut schools = yardstick.storage.schools_with_place().await?;
    schools.retain(|s| s.region_id == region);
    let columns = import::template_columns(a);
    let rows: Vec<Vec<String>> = schools
        .iter()
        .map(|s| {
            let mut row = vec![a.key.clone(), s.code.clone(), s.name.clone()];
            row.resize(columns.len(), String::new());
            row
        })
        .collect();
    let filename = format!(
        "orientir-results-{}.{}",
        a.key,
        if xlsx { "xlsx" } else { "csv" }
    );
    if !xlsx {
        let mut body = columns.join(",");
        body.push('\n');
        for row in &rows {
            let cells: Vec<String> = row.iter().map(|c| csv_cell(&spreadsheet_safe(c))).collect();
            body.push_str(&cells.join(","));
            body.push('\n');
        }
        return Ok(attachment(CSV, &filename, false, body));
    }
    let build = || -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        let bold = rust_xlsxwriter::Format::new().set_bold();
        for (c, name) in columns.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, *name, &bold)?;
            sheet.set_column_width(c as u16, if c == 2 { 40 } else { 14 })?;
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, value) in row.iter().enumerate().take(3) {
                sheet.write_string(r as u32 + 1, c as u16, value)?;
            }
        }
        workbook.save_to_buffer()
    };
    let bytes = build().map_err(|e| ServerError::Write(e.to_string()))?;
    Ok(attachment(XLSX, &filename, false, bytes))
}

/// A CSV cell, quoted when it holds a separator, a quote or a line break.
fn csv_cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r', ';']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

fn cohort_key(key: &str) -> Result<(), ValidationError> {
    Cohort::parse(key)
        .map(|_| ())
        .ok_or_else(|| ValidationError::new("invalid"))
}

fn action(key: &str) -> Result<(), ValidationError> {
    matches!(key, "add" | "remove")
        .then_some(())
        .ok_or_else(|| ValidationError::new("invalid"))
}

/// The cohort form of the candidate list (or of one school chosen by hand).
#[derive(Debug, Validate)]
pub struct CohortForm {
    #[validate(length(min = 1, max = 5000))]
    school: Vec<i64>,
    /// The one school of the hand form, as its search field gives it (`scope::school_named`).
    #[validate(length(max = 200))]
    named: String,
    #[validate(custom(function = "cohort_key"))]
    category: String,
    #[validate(range(min = 2000, max = 2100))]
    year: u32,
    #[validate(custom(function = "action"))]
    action: String,
    /// `candidates` (ticked on the list) or `hand` (one school chosen).
    #[validate(custom(function = "how"))]
    how: String,
}

fn how(key: &str) -> Result<(), ValidationError> {
    matches!(key, "candidates" | "hand")
        .then_some(())
        .ok_or_else(|| ValidationError::new("invalid"))
}

impl CohortForm {
    fn from_fields(fields: &[(String, String)]) -> CohortForm {
        let one = |name: &str| {
            fields
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.trim().to_owned())
                .unwrap_or_default()
        };
        let how = one("how");
        let hand = how == "hand";
        CohortForm {
            school: fields
                .iter()
                .filter(|(k, _)| k == "school" && !hand)
                .filter_map(|(_, v)| v.trim().parse().ok())
                .collect(),
            named: if hand { one("school") } else { String::new() },
            category: one("category"),
            year: one("year").parse().unwrap_or(0),
            action: one("action"),
            how: if how.is_empty() {
                "candidates".into()
            } else {
                how
            },
        }
    }
}

/// The region's schools the viewer may write, by id; refuses the first one it may not.
async fn writable_schools(
    yardstick: &Yardstick,
    viewer: &Viewer,
) -> Result<Vec<crate::storage::PlacedSchool>, ServerError> {
    let writable = yardstick.gate.writable(viewer).await?;
    let mut schools = yardstick.storage.schools_with_place().await?;
    schools.retain(|s| match &writable {
        Writable::Everything => true,
        Writable::Region(code) => s.region_code == *code,
        Writable::Nothing => false,
    });
    Ok(schools)
}

/// `POST /work/results/cohorts`: adds the ticked schools (or one chosen by hand) to a cohort of a
/// year, or takes them out, each change in the school's history.
pub async fn set_cohort(
    State(yardstick): State<Yardstick>,
    Extension(viewer): Extension<Viewer>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, ServerError> {
    let lang = crate::cookies::lang(&headers);
    let mut form = CohortForm::from_fields(&fields);
    let home = writable_region(&yardstick, &viewer, None).await?;
    let outcome = async {
        let schools = writable_schools(&yardstick, &viewer).await?;
        if form.how == "hand" {
            let named = crate::scope::school_named(&schools, "school", &form.named)?;
            form.school = vec![named.id];
        }
        form.validate().map_err(Refused::from)?;
        let mut region = home;
        let mut entries = Vec::new();
        for id in &form.school {
            let Some(s) = schools.iter().find(|s| s.id == *id) else {
                return Err(Refused::one(At::Field("school"), Kind::SchoolOutOfScope).into());
            };
            region = s.region_id;
            entries.push(CohortEntry {
                school: s.id,
                category: form.category.clone(),
                year: u16::try_from(form.year).unwrap_or(0),
            });
        }
        let change = CohortChange {
            added: form.action == "add",
            user_id: viewer.user_id,
            at: crate::clock::now(),
            how: &form.how,
        };
        let changed = yardstick.storage.set_cohort(&entries, &change).await?;
        Ok::<_, ServerError>((region, changed))
    };
    match outcome.await {
        Ok((region, changed)) => Ok(see_other(
            &format!("/work/results?region={region}&cohorts={changed}#cohorts"),
            None,
        )),
        Err(ServerError::Refused(refused)) => Ok(back(
            home,
            &[("problem", refused.words(lang, MAX_PROBLEMS))],
        )),
        Err(other) => Err(other),
    }
}

/// The columns of a cohort import.
pub const COHORT_COLUMNS: [&str; 3] = ["school_code", "category", "year"];

/// Checks the rows of a cohort import: every problem with its row and column.
fn cohort_rows(
    table: &[Vec<String>],
    schools: &[crate::storage::PlacedSchool],
) -> Result<Vec<CohortEntry>, Refused> {
    let header: Vec<String> = table
        .first()
        .map(|r| r.iter().map(|c| c.trim().to_lowercase()).collect())
        .unwrap_or_default();
    if header
        .iter()
        .map(String::as_str)
        .ne(COHORT_COLUMNS.iter().copied())
    {
        return Err(Refused::one(
            At::Row(1, None),
            Kind::Columns(COHORT_COLUMNS.join(", ")),
        ));
    }
    let mut problems = Vec::new();
    let mut entries = Vec::new();
    for (n, row) in table[1..].iter().enumerate() {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = n as u64 + 2;
        let cell = |i: usize| row.get(i).map(|c| c.trim()).unwrap_or("");
        let mut say = |column: &str, kind: Kind| {
            problems.push(Problem::new(At::Row(line, Some(column.to_owned())), kind));
        };
        let school = schools.iter().find(|s| s.code == cell(0));
        if school.is_none() {
            say("school_code", Kind::UnknownSchool(cell(0).to_owned()));
        }
        let category = app::results::Cohort::parse(cell(1));
        if category.is_none() {
            let keys: Vec<&str> = app::results::Cohort::ALL.iter().map(|c| c.key()).collect();
            say("category", Kind::OneOf(keys.join(", ")));
        }
        let year = year_of(cell(2)).ok();
        if year.is_none() {
            say("year", Kind::Year);
        }
        if let (Some(s), Some(c), Some(y)) = (school, category, year) {
            entries.push(CohortEntry {
                school: s.id,
                category: c.key().to_owned(),
                year: y,
            });
        }
    }
    if entries.is_empty() && problems.is_empty() {
        problems.push(Problem::new(At::Whole, Kind::EmptyFile));
    }
    if problems.is_empty() {
        Ok(entries)
    } else {
        Err(Refused(problems))
    }
}

/// `POST /work/results/cohorts/import` (multipart, `file`): puts the schools of a CSV or XLSX
/// (`school_code, category, year`) into their cohorts — all of them, or none while a row is wrong.
pub async fn import_cohorts(
    State(yardstick): State<Yardstick>,
    Extension(viewer): Extension<Viewer>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<Response, ServerError> {
    let lang = crate::cookies::lang(&headers);
    let home = writable_region(&yardstick, &viewer, None).await?;
    let outcome = async {
        let (name, bytes) = crate::sheets::file_field(&mut multipart).await?;
        let table = crate::sheets::read_table_aside(name.clone(), bytes, Bounds::REGISTRY).await?;
        let schools = writable_schools(&yardstick, &viewer).await?;
        let entries = cohort_rows(&table, &schools)?;
        let how = format!("import: {name}");
        let change = CohortChange {
            added: true,
            user_id: viewer.user_id,
            at: crate::clock::now(),
            how: &how,
        };
        let changed = yardstick.storage.set_cohort(&entries, &change).await?;
        Ok::<_, ServerError>(changed)
    };
    match outcome.await {
        Ok(changed) => Ok(see_other(
            &format!("/work/results?region={home}&cohorts={changed}#cohorts"),
            None,
        )),
        Err(ServerError::Refused(refused)) => Ok(back(
            home,
            &[("problem", refused.words(lang, MAX_PROBLEMS))],
        )),
        Err(other) => Err(other),
    }
}
