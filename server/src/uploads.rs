//! The rules of every uploaded document (a programme's evidence, a question's or a
//! recommendation's files, an event's materials, a roadmap's proofs): at most 10 MB, of a
//! whitelisted type recognised by its first bytes as well as its name (PDF, DOCX, XLSX, ODT,
//! ODS, JPEG, PNG), its name cleaned; reading a multipart form with its text fields; and a
//! document's download, always as an attachment, never stored by a cache.

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::Multipart;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::error::ServerError;
use crate::problem::{At, Kind, Refused};
use crate::reply::encode;

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
pub fn clean_name(name: &str) -> String {
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

/// A multipart form: its text fields and, when one was chosen, its document (cleaned name,
/// bytes, content type).
#[derive(Debug, Default)]
pub struct Upload {
    pub fields: HashMap<String, String>,
    pub file: Option<(String, Vec<u8>, &'static str)>,
}

impl Upload {
    /// A text field, empty when absent.
    pub fn text(&self, name: &str) -> String {
        self.fields.get(name).cloned().unwrap_or_default()
    }
}

/// The largest text field of a multipart form.
const MAX_FIELD: usize = 64 << 10;

/// Reads a multipart form: text fields, and the field `file` checked by the rules above (an
/// empty file field is no file; `required` refuses a form without one).
pub async fn read(multipart: &mut Multipart, required: bool) -> Result<Upload, ServerError> {
    let too_large = || {
        Refused::one(
            At::Field("file"),
            Kind::FileTooLarge((MAX_FILE >> 20) as u64),
        )
    };
    let mut upload = Upload::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large().into()),
            Err(_) => return Err(Refused::one(At::Field("file"), Kind::Incomplete).into()),
        };
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let file_name = clean_name(field.file_name().unwrap_or_default());
            let bytes = field.bytes().await.map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    too_large()
                } else {
                    Refused::one(At::Field("file"), Kind::Incomplete)
                }
            })?;
            if bytes.is_empty() {
                continue;
            }
            if bytes.len() > MAX_FILE {
                return Err(too_large().into());
            }
            let content_type = accepted_type(&file_name, &bytes)
                .ok_or_else(|| Refused::one(At::Field("file"), Kind::FileType))?;
            upload.file = Some((file_name, bytes.to_vec(), content_type));
        } else {
            let text = field
                .text()
                .await
                .map_err(|_| Refused::one(At::Whole, Kind::Incomplete))?;
            if text.len() > MAX_FIELD {
                return Err(Refused::one(At::Whole, Kind::Incomplete).into());
            }
            upload.fields.insert(name, text);
        }
    }
    if required && upload.file.is_none() {
        return Err(Refused::one(At::Field("file"), Kind::NoFile).into());
    }
    Ok(upload)
}

/// A stored document as a download: its own content type, an attachment under its name (in
/// ASCII and, for browsers that read it, in UTF-8), never kept by a cache.
pub fn download(name: &str, content_type: &str, data: Vec<u8>) -> Response {
    let ascii: String = name
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
        encode(name).replace('+', "%20")
    );
    let mut response = Body::from(data).into_response();
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        headers.insert(CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(CONTENT_DISPOSITION, v);
    }
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A file's size in words.
pub fn size_words(bytes: i64, lang: app::i18n::Lang) -> String {
    let (value, unit) = if bytes >= 1 << 20 {
        (bytes as f64 / f64::from(1 << 20), lang.tr("МБ", "MB"))
    } else {
        ((bytes as f64 / 1024.0).max(0.1), lang.tr("КБ", "KB"))
    };
    let text = format!("{value:.1}");
    match lang {
        app::i18n::Lang::Ru => format!("{} {unit}", text.replace('.', ",")),
        app::i18n::Lang::En => format!("{text} {unit}"),
    }
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
