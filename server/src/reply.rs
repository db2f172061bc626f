//! How a handler answers: a redirect after a post (post → act → redirect, so plain forms work
//! without JavaScript), a redirect carrying a message for the page, and a file download.

use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, LOCATION, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// The MIME type of an .xlsx workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// The MIME type of the CSV files Orientir writes.
pub const CSV: &str = "text/csv; charset=utf-8";

/// A 303 to a path of this site, optionally setting a cookie.
pub fn see_other(to: &str, set_cookie: Option<String>) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        response.headers_mut().insert(LOCATION, v);
    }
    if let Some(v) = set_cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response.headers_mut().append(SET_COOKIE, v);
    }
    response
}

/// A 303 to `path` with one query parameter (a message for the page), URL-encoded.
pub fn see_other_with(path: &str, key: &str, value: &str) -> Response {
    see_other(&format!("{path}?{key}={}", encode(value)), None)
}

/// Text as it goes into a query string.
pub fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// A file to download under `filename`; `private` files (anything with respondents' data) are
/// never stored by a cache.
pub fn attachment(
    content_type: &'static str,
    filename: &str,
    private: bool,
    body: impl IntoResponse,
) -> Response {
    let mut response = (
        [
            (CONTENT_TYPE, content_type.to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response();
    if private {
        response
            .headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// A path of this site to return to, never another site.
pub fn local(next: &str) -> Option<&str> {
    (next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\")).then_some(next)
}
