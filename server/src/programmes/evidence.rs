//! Documents attached to a programme's measures as evidence: at most 10 MB, of a whitelisted
//! type recognised by its first bytes as well as its name (PDF, DOCX, XLSX, ODT, ODS, JPEG,
//! PNG), kept in the database, downloaded by whoever sees the school, never shown inline.

use app::access::Viewer;
use axum::body::Body;
use axum::extract::{Multipart, Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;

use super::{event, written};
use crate::error::ServerError;
use crate::problem::{At, Kind, Refused};
use crate::reply::{encode, refusal_back, see_other};
use crate::scope::Gate;
use crate::storage::{NewFile, Storage};

/// The largest document accepted.
pub const MAX_FILE: usize = 10 << 20;

/// The types accepted: the name's ending, the first bytes, the content type.
const TYPES: &[(&str, &[u8], &str)] = &[
    ("pdf", b"%PDF-", "application/pdf"),
    ("png", b"\x89PNG\r\n\x1a\n", "image/png"),
    ("jpg", b"\xff\xd8\xff", "image/jpeg"),
    ("jpeg", b"\xff\xd8\xff", "image/jpeg"),
    (
        "docx",
        b"PK\x03\x04",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "xlsx",
        b"PK\x03\x04",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "odt",
        b"PK\x03\x04",
        "application/vnd.oasis.opendocument.text",
    ),
    (
        "ods",
        b"PK\x03\x04",
        "application/vnd.oasis.opendocument.spreadsheet",
    ),
];

/// The content type of a document, if its name and first bytes agree on an accepted type.
pub fn accepted_type(name: &str, bytes: &[u8]) -> Option<&'static str> {
    let ending = name.rsplit_once('.')?.1.to_lowercase();
    TYPES
        .iter()
        .find(|(e, magic, _)| *e == ending && bytes.starts_with(magic))
        .map(|(.., t)| *t)
}

/// A file's name as it is kept: the last part of the path, without control characters, quotes
/// or the marks that turn text around (a right-to-left override shows `exe.pdf` as `fdp.exe`:
/// a false extension), at most 120 characters.
fn clean_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    last.chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '\\') && !is_bidi_control(*c))
        .take(120)
        .collect::<String>()
        .trim()
        .to_owned()
}

/// The characters that change the direction text is shown in (Unicode's bidirectional
/// formatting characters).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn programme_page(campaign: i64, school: i64) -> String {
    format!("/work/campaigns/{campaign}/schools/{school}/programme")
}

/// `POST …/programme/measures/{measure}/files` (multipart, field `file`; the CSRF token in the
/// query): attaches a document to a measure.
pub async fn upload(
    State(gate): State<Gate>,
    State(storage): State<Storage>,
    State(quota): State<crate::config::UploadQuota>,
    Extension(viewer): Extension<Viewer>,
    Path((campaign, school, measure)): Path<(i64, i64, i64)>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<Response, ServerError> {
    let back = programme_page(campaign, school);
    let stored = async {
        let programme = written(&gate, &storage, &viewer, campaign, school).await?;
        let mut file = None;
        loop {
            match multipart.next_field().await {
                Ok(Some(field)) if field.name() == Some("file") => {
                    let name = clean_name(field.file_name().unwrap_or_default());
                    let bytes = field.bytes().await.map_err(|e| {
                        let kind = if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                            Kind::FileTooLarge((MAX_FILE >> 20) as u64)
                        } else {
                            Kind::Incomplete
                        };
                        Refused::one(At::Field("file"), kind)
                    })?;
                    file = Some((name, bytes));
                }
                Ok(Some(_)) => {}
                Ok(None) => break,
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    let kind = Kind::FileTooLarge((MAX_FILE >> 20) as u64);
                    return Err(Refused::one(At::Field("file"), kind).into());
                }
                Err(_) => return Err(Refused::one(At::Field("file"), Kind::Incomplete).into()),
            }
        }
        let (name, bytes) = file
            .filter(|(_, b)| !b.is_empty())
            .ok_or_else(|| Refused::one(At::Field("file"), Kind::NoFile))?;
        if bytes.len() > MAX_FILE {
            let kind = Kind::FileTooLarge((MAX_FILE >> 20) as u64);
            return Err(Refused::one(At::Field("file"), kind).into());
        }
        let content_type = accepted_type(&name, &bytes)
            .ok_or_else(|| Refused::one(At::Field("file"), Kind::FileType))?;
        let subject = format!("measure:{measure}");
        let event = event(&viewer, "file_added", &subject, &name);
        let new = NewFile {
            measure_id: measure,
            name: &name,
            content_type,
            data: &bytes,
        };
        storage
            .add_file(programme.id, new, event, quota.bytes)
            .await?
            .ok_or(ServerError::NotFound)?;
        Ok(see_other(&format!("{back}#measure-{measure}"), None))
    };
    refusal_back(&back, &headers, 1, stored.await)
}

/// `GET …/programme/files/{file}`: a document, to whoever sees the school; always a download.
pub async fn download(
    State(gate): State<Gate>,
    State(storage): State<Storage>,
    Extension(viewer): Extension<Viewer>,
    Path((campaign, school, file)): Path<(i64, i64, i64)>,
) -> Result<Response, ServerError> {
    if gate.school(&viewer, campaign, school).await?.is_none() {
        return Err(ServerError::NotFound);
    }
    let programme = storage
        .programme(campaign, school)
        .await?
        .ok_or(ServerError::NotFound)?;
    let (row, data) = storage
        .programme_file(programme.id, file)
        .await?
        .ok_or(ServerError::NotFound)?;
    let ascii: String = row
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        encode(&row.name).replace('+', "%20")
    );
    let mut response = Body::from(data).into_response();
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&row.content_type) {
        headers.insert(CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(CONTENT_DISPOSITION, v);
    }
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// `POST …/programme/files/{file}/remove`.
pub async fn remove(
    State(gate): State<Gate>,
    State(storage): State<Storage>,
    Extension(viewer): Extension<Viewer>,
    Path((campaign, school, file)): Path<(i64, i64, i64)>,
    headers: HeaderMap,
) -> Result<Response, ServerError> {
    let back = programme_page(campaign, school);
    let removed = async {
        let programme = written(&gate, &storage, &viewer, campaign, school).await?;
        let subject = format!("file:{file}");
        let event = event(&viewer, "file_removed", &subject, "");
        if !storage.remove_file(programme.id, file, event).await? {
            return Err(ServerError::NotFound);
        }
        Ok(see_other(&back, None))
    };
    refusal_back(&back, &headers, 1, removed.await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_type_needs_its_name_and_its_first_bytes() {
        assert_eq!(
            accepted_type("отчёт.PDF", b"%PDF-1.7 ..."),
            Some("application/pdf")
        );
        assert_eq!(
            accepted_type("photo.jpeg", b"\xff\xd8\xff\xe0"),
            Some("image/jpeg")
        );
        assert!(accepted_type("plan.docx", b"PK\x03\x04rest").is_some());
        // A script renamed, an HTML page, a name without an ending, a PDF named .png.
        assert_eq!(
            accepted_type("evil.pdf", b"<script>alert(1)</script>"),
            None
        );
        assert_eq!(accepted_type("page.html", b"<html>"), None);
        assert_eq!(accepted_type("pdf", b"%PDF-"), None);
        assert_eq!(accepted_type("x.png", b"%PDF-"), None);
    }

    #[test]
    fn names_lose_paths_quotes_and_control_characters() {
        assert_eq!(clean_name("C:\\Users\\a\\Акт \"1\".pdf"), "Акт 1.pdf");
        assert_eq!(clean_name("../../etc/passwd\n.pdf"), "passwd.pdf");
        assert_eq!(clean_name(&"я".repeat(300)).chars().count(), 120);
        assert_eq!(clean_name("отчёт\u{202e}fdp.exe"), "отчётfdp.exe");
        assert_eq!(clean_name("\u{2067}a\u{200f}b\u{2069}.pdf"), "ab.pdf");
    }
}
