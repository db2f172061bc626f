//! Raw responses export, one row per response and one column per answer slot, as CSV or XLSX
//! (with a codebook sheet: key, label, choices with their scores). Streamed: rows go from the
//! database cursor to the client in chunks (CSV) or through rust_xlsxwriter's constant-memory
//! mode and a temporary file (XLSX), so a million responses never sit in memory. Only the roles
//! allowed, only schools in scope, never a school whose group is under the minimum number of
//! respondents, never the teachers' personal diagnostic, and no identifying field (no code, no
//! date, no id).

use app::access::Viewer;
use app::i18n::Lang;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use surveys::{Group, Instrument, Methodology, RawAnswers, RawValue};
use tokio::sync::mpsc;

use crate::error::ServerError;
use crate::export::XLSX;
use crate::reports::Reports;
use crate::web::{failure, lang_of};

/// Bytes per chunk sent to the client.
const CHUNK: usize = 64 * 1024;
/// Responses read from the database at a time.
const PAGE: i64 = 2_000;

#[derive(serde::Deserialize)]
pub struct RawQuery {
    group: String,
}

/// Which schools' responses of a group may leave the server, with (code, municipality).
async fn exportable(
    reports: &Reports,
    viewer: &Viewer,
    campaign: i64,
    group: Group,
) -> Result<
    Option<(
        crate::reports::Scoped,
        std::collections::HashMap<i64, (String, String)>,
    )>,
    ServerError,
> {
    let Some(scoped) = reports.scoped(viewer, campaign, None).await? else {
        return Ok(None);
    };
    let min = reports.methodology.rules.min_respondents(group);
    let counts = reports.storage.response_counts(scoped.campaign.id).await?;
    let allowed = scoped
        .schools
        .iter()
        .filter(|s| {
            counts.iter().any(|(school, g, n)| {
                *school == s.school_id && g == group.key() && *n >= i64::from(min)
            })
        })
        .map(|s| (s.school_id, (s.code.clone(), s.municipality.clone())))
        .collect();
    Ok(Some((scoped, allowed)))
}

/// A response body fed, chunk by chunk, through a channel.
fn channel_body(rx: mpsc::Receiver<Result<Bytes, std::io::Error>>) -> Body {
    Body::from_stream(futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (chunk, rx))
    }))
}

fn header(instrument: &Instrument) -> Vec<String> {
    let mut columns = vec!["school".to_owned(), "municipality".to_owned()];
    columns.extend(instrument.slots.iter().map(|s| s.key.clone()));
    columns
}

/// One response's cells, in slot order.
fn cells(instrument: &Instrument, answers: &str) -> Result<Vec<String>, ServerError> {
    let raw: RawAnswers = serde_json::from_str(answers)
        .map_err(|e| ServerError::Inconsistent(format!("stored answers: {e}")))?;
    Ok(instrument
        .slots
        .iter()
        .map(|s| match raw.get(&s.key) {
            Some(RawValue::One(v)) => v.clone(),
            Some(RawValue::Many(vs)) => vs.join(";"),
            None => String::new(),
        })
        .collect())
}

fn parse_group(key: &str) -> Option<Group> {
    Group::parse(key).filter(|g| *g != Group::TeacherDeficits)
}

/// `GET /export/campaigns/{id}/responses.csv?group=…`
pub async fn responses_csv(
    State(reports): State<Reports>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Query(q): Query<RawQuery>,
) -> Response {
    let Some(group) = parse_group(&q.group) else {
        return (
            StatusCode::BAD_REQUEST,
            "group: principal, teacher, student or parent",
        )
            .into_response();
    };
    let (scoped, allowed) = match exportable(&reports, &viewer, id, group).await {
        Ok(Some(found)) => found,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => return failure(&e),
    };
    let Some(instrument) = reports.methodology.instrument(group).cloned() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (tx, rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let storage = reports.storage.clone();
    let campaign = scoped.campaign.id;
    tokio::spawn(async move {
        let run = async {
            let mut out = csv::Writer::from_writer(Vec::with_capacity(CHUNK * 2));
            out.write_record(header(&instrument))
                .map_err(|e| ServerError::Write(e.to_string()))?;
            let mut after = 0;
            loop {
                let page = storage
                    .responses_after(campaign, group.key(), after, PAGE)
                    .await?;
                let Some(last) = page.last() else { break };
                after = last.0;
                for (_, school, answers) in page {
                    let Some((code, municipality)) = allowed.get(&school) else {
                        continue;
                    };
                    let mut record = vec![code.clone(), municipality.clone()];
                    record.extend(cells(&instrument, &answers)?);
                    out.write_record(&record)
                        .map_err(|e| ServerError::Write(e.to_string()))?;
                    if out.get_ref().len() >= CHUNK {
                        let full = std::mem::replace(
                            &mut out,
                            csv::Writer::from_writer(Vec::with_capacity(CHUNK * 2)),
                        );
                        let chunk = full
                            .into_inner()
                            .map_err(|e| ServerError::Write(e.to_string()))?;
                        if tx.send(Ok(Bytes::from(chunk))).await.is_err() {
                            return Err(ServerError::Write("the client went away".into()));
                        }
                    }
                }
            }
            let rest = out
                .into_inner()
                .map_err(|e| ServerError::Write(e.to_string()))?;
            let _ = tx.send(Ok(Bytes::from(rest))).await;
            Ok::<_, ServerError>(())
        };
        if let Err(e) = run.await {
            tracing::warn!(error = %e, "raw export stopped");
            let _ = tx
                .send(Err(std::io::Error::other("the export stopped")))
                .await;
        }
    });
    let body = channel_body(rx);
    (
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"orientir-{}-{}.csv\"",
                    scoped.campaign.code,
                    group.key()
                ),
            ),
            (CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// The codebook: every slot with its label and choices (value = label, score).
fn codebook(
    m: &Methodology,
    instrument: &Instrument,
    sheet: &mut rust_xlsxwriter::Worksheet,
    lang: Lang,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let l = lang.code();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (c, name) in ["key", "label", "type", "choices (value = label, score)"]
        .iter()
        .enumerate()
    {
        sheet.write_string_with_format(0, c as u16, *name, &bold)?;
    }
    for (r, slot) in instrument.slots.iter().enumerate() {
        let r = r as u32 + 1;
        let item = instrument.slot_item(r as usize - 1);
        let label = match slot.row {
            Some(row) => format!(
                "{} — {}",
                item.label().get(l),
                if l == "en" {
                    &item.rows[row].en
                } else {
                    &item.rows[row].ru
                }
            ),
            None => item.label().get(l).to_owned(),
        };
        let choices = item
            .choices
            .as_deref()
            .and_then(|k| m.choice_list(k))
            .map(|list| {
                list.choices
                    .iter()
                    .map(|c| match c.score {
                        Some(s) => format!("{} = {} ({s})", c.value, c.label().get(l)),
                        None => format!("{} = {}", c.value, c.label().get(l)),
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default();
        sheet.write_string(r, 0, &slot.key)?;
        sheet.write_string(r, 1, &label)?;
        sheet.write_string(r, 2, format!("{:?}", item.kind).to_lowercase())?;
        sheet.write_string(r, 3, &choices)?;
    }
    Ok(())
}

/// `GET /export/campaigns/{id}/responses.xlsx?group=…`
pub async fn responses_xlsx(
    State(reports): State<Reports>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Query(q): Query<RawQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = lang_of(&headers);
    let Some(group) = parse_group(&q.group) else {
        return (
            StatusCode::BAD_REQUEST,
            "group: principal, teacher, student or parent",
        )
            .into_response();
    };
    let build = async {
        let Some((scoped, allowed)) = exportable(&reports, &viewer, id, group).await? else {
            return Ok(None);
        };
        let m: &Methodology = &reports.methodology;
        let Some(instrument) = m.instrument(group) else {
            return Ok(None);
        };
        let xlsx = |e: rust_xlsxwriter::XlsxError| ServerError::Write(e.to_string());
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet_with_constant_memory();
        sheet.set_name(group.key()).map_err(xlsx)?;
        let bold = rust_xlsxwriter::Format::new().set_bold();
        for (c, name) in header(instrument).iter().enumerate() {
            sheet
                .write_string_with_format(0, c as u16, name, &bold)
                .map_err(xlsx)?;
        }
        let mut row = 1u32;
        let mut after = 0;
        loop {
            let page = reports
                .storage
                .responses_after(scoped.campaign.id, group.key(), after, PAGE)
                .await?;
            let Some(last) = page.last() else { break };
            after = last.0;
            for (_, school, answers) in page {
                let Some((code, municipality)) = allowed.get(&school) else {
                    continue;
                };
                sheet.write_string(row, 0, code).map_err(xlsx)?;
                sheet.write_string(row, 1, municipality).map_err(xlsx)?;
                for (c, value) in cells(instrument, &answers)?.iter().enumerate() {
                    let c = c as u16 + 2;
                    // Numbers (and numeric choice codes) as numbers, the rest as text.
                    if value.is_empty() {
                        continue;
                    }
                    if let Ok(n) = value.parse::<f64>() {
                        sheet.write_number(row, c, n).map_err(xlsx)?;
                    } else {
                        sheet.write_string(row, c, value).map_err(xlsx)?;
                    }
                }
                row += 1;
            }
        }
        let sheet = workbook.add_worksheet();
        sheet
            .set_name(lang.tr("Кодификатор", "Codebook"))
            .map_err(xlsx)?;
        codebook(m, instrument, sheet, lang).map_err(xlsx)?;
        // The finished file goes to a temporary file and is streamed from there.
        let file = tempfile::tempfile().map_err(ServerError::Io)?;
        let mut writer = std::io::BufWriter::new(file);
        workbook.save_to_writer(&mut writer).map_err(xlsx)?;
        let file = writer
            .into_inner()
            .map_err(|e| ServerError::Io(e.into_error()))?;
        Ok::<_, ServerError>(Some((file, scoped.campaign.code)))
    };
    match build.await {
        Ok(Some((mut file, code))) => {
            use std::io::{Read, Seek};
            if let Err(e) = file.rewind() {
                return failure(&ServerError::Io(e));
            }
            let (tx, rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(4);
            tokio::task::spawn_blocking(move || {
                let mut buf = vec![0u8; CHUNK];
                loop {
                    match file.read(&mut buf) {
                        Ok(0) => break,
                        Ok(n) => {
                            if tx
                                .blocking_send(Ok(Bytes::copy_from_slice(&buf[..n])))
                                .is_err()
                            {
                                break;
                            }
                        }
                        Err(e) => {
                            let _ = tx.blocking_send(Err(e));
                            break;
                        }
                    }
                }
            });
            let body = channel_body(rx);
            (
                [
                    (CONTENT_TYPE, XLSX.to_owned()),
                    (
                        CONTENT_DISPOSITION,
                        format!(
                            "attachment; filename=\"orientir-{code}-{}.xlsx\"",
                            group.key()
                        ),
                    ),
                    (CACHE_CONTROL, "no-store".to_owned()),
                ],
                body,
            )
                .into_response()
        }
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => failure(&e),
    }
}
