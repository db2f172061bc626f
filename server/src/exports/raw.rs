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
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use std::collections::HashMap;

use surveys::{Group, Instrument, Methodology};
use tokio::sync::mpsc;

use crate::cookies;
use crate::error::ServerError;
use crate::problem::{At, Kind, Refused};
use crate::reply::{attachment, spreadsheet_safe, CSV, XLSX};
use crate::scope::{Exportable, Gate, InScope};
use crate::storage::{ResponsePages, Storage, StoredResponse};

/// Bytes per chunk sent to the client.
const CHUNK: usize = 64 * 1024;
/// Responses read from the database at a time.
const PAGE: i64 = 5_000;

#[derive(serde::Deserialize)]
pub struct RawQuery {
    group: String,
}

/// A response body fed, chunk by chunk, through a channel. Fused: the compression layer polls a
/// body once more after its end, and an unfused `unfold` panics then (the download arrived empty
/// or cut under gzip and br).
fn channel_body(rx: mpsc::Receiver<Result<Bytes, std::io::Error>>) -> Body {
    use futures_util::StreamExt;
    Body::from_stream(
        futures_util::stream::unfold(rx, |mut rx| async move {
            rx.recv().await.map(|chunk| (chunk, rx))
        })
        .fuse(),
    )
}

fn header(instrument: &Instrument) -> Vec<String> {
    let mut columns = vec!["school".to_owned(), "municipality".to_owned()];
    columns.extend(instrument.slots.iter().map(|s| s.key.clone()));
    columns
}

/// The rows of an export, read a page of responses at a time: each a school's code, its
/// municipality and the answers in slot order, only of the schools allowed. A row is filled in
/// place from the stored JSON, without building a map of it (the export's hot loop).
struct Rows<'a> {
    pages: ResponsePages<'a>,
    allowed: &'a Exportable,
    /// Each slot's column among the answers.
    columns: HashMap<&'a str, usize>,
}

impl<'a> Rows<'a> {
    async fn new(
        storage: &'a Storage,
        campaign: i64,
        group: Group,
        allowed: &'a Exportable,
        instrument: &'a Instrument,
    ) -> Result<Rows<'a>, ServerError> {
        Ok(Rows {
            pages: storage.response_pages(campaign, group, PAGE).await?,
            allowed,
            columns: instrument
                .slots
                .iter()
                .enumerate()
                .map(|(n, s)| (s.key.as_str(), n))
                .collect(),
        })
    }

    /// A row to fill: school, municipality and one cell per slot.
    fn blank(&self) -> Vec<String> {
        vec![String::new(); self.columns.len() + 2]
    }

    /// The next page of responses; `None` when every response has been read.
    async fn next(&mut self) -> Result<Option<Vec<StoredResponse>>, ServerError> {
        let page = self.pages.next().await?;
        Ok((!page.is_empty()).then_some(page))
    }

    /// Fills `row` with a response of a school allowed; `false` (the row untouched) for any other.
    fn fill(&self, response: &StoredResponse, row: &mut [String]) -> Result<bool, ServerError> {
        let Some((code, municipality)) = self.allowed.get(&response.school_id) else {
            return Ok(false);
        };
        for cell in row.iter_mut() {
            cell.clear();
        }
        row[0].push_str(code);
        row[1].push_str(municipality);
        answers_into(&response.answers, &self.columns, &mut row[2..])
            .map_err(|e| ServerError::Inconsistent(format!("stored answers are not JSON: {e}")))?;
        Ok(true)
    }
}

/// Writes a stored answers object into the cells of its slots' columns (cells of slots it does
/// not answer stay as they are).
fn answers_into(
    json: &str,
    columns: &HashMap<&str, usize>,
    cells: &mut [String],
) -> Result<(), serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    serde::de::DeserializeSeed::deserialize(AnswersInto { columns, cells }, &mut deserializer)?;
    deserializer.end()
}

/// Reads a stored answers object (`{"slot": "value" | ["a", "b"]}`) straight into the cells
/// of its slots' columns; several values are joined with `;`, unknown slots are skipped.
struct AnswersInto<'r> {
    columns: &'r HashMap<&'r str, usize>,
    cells: &'r mut [String],
}

impl<'de> serde::de::DeserializeSeed<'de> for AnswersInto<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for AnswersInto<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an object of answers")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match self.columns.get(key.as_ref()) {
                Some(&n) => map.next_value_seed(CellValue(&mut self.cells[n]))?,
                None => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// One answer written into its cell: a string as it is, a list joined with `;`.
struct CellValue<'c>(&'c mut String);

impl<'de> serde::de::DeserializeSeed<'de> for CellValue<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for CellValue<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a string or a list of strings")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<(), E> {
        self.0.push_str(v);
        Ok(())
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut first = true;
        while let Some(v) = seq.next_element::<std::borrow::Cow<'de, str>>()? {
            if !first {
                self.0.push(';');
            }
            self.0.push_str(&v);
            first = false;
        }
        Ok(())
    }
}

/// What an export of a group's raw responses reads.
struct Export {
    in_scope: InScope,
    allowed: Exportable,
    group: Group,
    instrument: Instrument,
}

impl Export {
    /// The export asked for: a group that may be exported (never a personal diagnostic, the
    /// teachers' or the principals') of a campaign in the viewer's scope.
    async fn of(
        gate: &Gate,
        viewer: &Viewer,
        campaign: i64,
        group: &str,
    ) -> Result<Export, ServerError> {
        let group = Group::parse(group)
            .filter(|g| surveys::deficits::Diagnostic::of(*g).is_none())
            .ok_or_else(|| Refused::one(At::Column("group".into()), Kind::ExportGroup))?;
        let (in_scope, allowed) = gate
            .exportable(viewer, campaign, group)
            .await?
            .ok_or(ServerError::NotFound)?;
        let instrument = gate
            .methodology()
            .instrument(group)
            .cloned()
            .ok_or(ServerError::NotFound)?;
        Ok(Export {
            in_scope,
            allowed,
            group,
            instrument,
        })
    }

    fn filename(&self, extension: &str) -> String {
        format!(
            "orientir-{}-{}.{extension}",
            self.in_scope.campaign.code,
            self.group.key()
        )
    }
}

/// `GET /export/campaigns/{id}/responses.csv?group=…`
pub async fn responses_csv(
    State(gate): State<Gate>,
    State(storage): State<Storage>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Query(q): Query<RawQuery>,
) -> Result<Response, ServerError> {
    let export = Export::of(&gate, &viewer, id, &q.group).await?;
    let filename = export.filename("csv");
    let Export {
        in_scope,
        allowed,
        group,
        instrument,
    } = export;
    let (tx, rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let campaign = in_scope.campaign.id;
    tokio::spawn(async move {
        let run = async {
            let fresh = || csv::Writer::from_writer(Vec::with_capacity(CHUNK * 2));
            let mut out = fresh();
            out.write_record(header(&instrument))
                .map_err(|e| ServerError::Write(e.to_string()))?;
            let rows = &mut Rows::new(&storage, campaign, group, &allowed, &instrument).await?;
            let mut row = rows.blank();
            while let Some(page) = rows.next().await? {
                for response in &page {
                    if !rows.fill(response, &mut row)? {
                        continue;
                    }
                    for cell in &row {
                        out.write_field(spreadsheet_safe(cell).as_bytes())
                            .map_err(|e| ServerError::Write(e.to_string()))?;
                    }
                    out.write_record(None::<&[u8]>)
                        .map_err(|e| ServerError::Write(e.to_string()))?;
                    if out.get_ref().len() >= CHUNK {
                        let chunk = std::mem::replace(&mut out, fresh())
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
    Ok(attachment(CSV, &filename, true, channel_body(rx)))
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
    sheet.write_string(
        0,
        5,
        lang.tr(
            "В файле CSV текст, который начинается с = + - @, табуляции или возврата каретки, записан с апострофом впереди, чтобы программа таблиц не приняла его за формулу.",
            "In the CSV file, text starting with = + - @, a tab or a carriage return has an apostrophe in front, so that a spreadsheet program does not take it for a formula.",
        ),
    )?;
    for (r, slot) in instrument.slots.iter().enumerate() {
        let r = r as u32 + 1;
        let item = instrument.slot_item(r as usize - 1);
        let label = instrument.slot_label(r as usize - 1, l);
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
    State(gate): State<Gate>,
    State(storage): State<Storage>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Query(q): Query<RawQuery>,
    headers: HeaderMap,
) -> Result<Response, ServerError> {
    let lang = cookies::lang(&headers);
    let export = Export::of(&gate, &viewer, id, &q.group).await?;
    let (group, instrument) = (export.group, &export.instrument);
    let m: &Methodology = gate.methodology();
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
    let mut rows = Rows::new(
        &storage,
        export.in_scope.campaign.id,
        group,
        &export.allowed,
        instrument,
    )
    .await?;
    let mut record = rows.blank();
    while let Some(page) = rows.next().await? {
        for response in &page {
            if !rows.fill(response, &mut record)? {
                continue;
            }
            for (c, value) in record.iter().enumerate() {
                let c = c as u16;
                // School and municipality as text; numbers (and numeric choice codes) as
                // numbers, the rest as text.
                if c < 2 {
                    sheet.write_string(row, c, value).map_err(xlsx)?;
                } else if value.is_empty() {
                    continue;
                } else if let Ok(n) = value.parse::<f64>() {
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
    let mut file = writer
        .into_inner()
        .map_err(|e| ServerError::Io(e.into_error()))?;
    {
        use std::io::Seek;
        file.rewind()?;
    }
    let (tx, rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    tokio::task::spawn_blocking(move || {
        use std::io::Read;
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
    Ok(attachment(
        XLSX,
        &export.filename("xlsx"),
        true,
        channel_body(rx),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use surveys::{RawAnswers, RawValue};

    /// The cells as the export wrote them before reading in place: through the answers' map.
    fn through_a_map(json: &str, keys: &[&str]) -> Vec<String> {
        let raw: RawAnswers = serde_json::from_str(json).expect("json");
        keys.iter()
            .map(|k| match raw.get(*k) {
                Some(RawValue::One(v)) => v.clone(),
                Some(RawValue::Many(vs)) => vs.join(";"),
                None => String::new(),
            })
            .collect()
    }

    #[test]
    fn answers_read_in_place_are_the_answers_of_the_map() {
        let keys = ["q1", "q2", "m.r1", "m.r2", "text", "absent"];
        let columns: HashMap<&str, usize> = keys.iter().enumerate().map(|(n, k)| (*k, n)).collect();
        for json in [
            r#"{"q1":"3","q2":["a","c"],"m.r1":"1","m.r2":"4","text":"да, \"так\" \u0436\n","other":"x"}"#,
            r#"{}"#,
            r#"{"q2":[],"text":"Ёжик; ещё"}"#,
            r#"{"other":["x","y"],"q1":"0"}"#,
        ] {
            let mut cells = vec!["stale".to_owned(); keys.len()];
            for c in cells.iter_mut() {
                c.clear();
            }
            answers_into(json, &columns, &mut cells).expect("read");
            assert_eq!(cells, through_a_map(json, &keys), "{json}");
        }
        let mut cells = vec![String::new(); keys.len()];
        assert!(
            answers_into(r#"{"q1":3}"#, &columns, &mut cells).is_err(),
            "answers are text"
        );
        assert!(
            answers_into(r#"{"q1":"3"} x"#, &columns, &mut cells).is_err(),
            "one object"
        );
    }
}
