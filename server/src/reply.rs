//! How a handler answers: a redirect after a post (post → act → redirect, so plain forms work
//! without JavaScript), a redirect carrying a message for the page, a page rendered outside the
//! app's router, and a file download.

use axum::http::header::{
    CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_SECURITY_POLICY, CONTENT_TYPE, LOCATION, SET_COOKIE,
};
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

/// An HTML document the handler rendered itself, with the pages' security policy (it has no
/// inline script), optionally setting a cookie.
pub fn page(html: String, set_cookie: Option<String>) -> Response {
    let mut response = (
        [
            (CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
            (CONTENT_SECURITY_POLICY, app::content_security_policy(None)),
        ],
        html,
    )
        .into_response();
    if let Some(v) = set_cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response.headers_mut().append(SET_COOKIE, v);
    }
    response
}

/// A 303 to `path` with one query parameter (a message for the page), URL-encoded.
pub fn see_other_with(path: &str, key: &str, value: &str) -> Response {
    see_other(&format!("{path}?{key}={}", encode(value)), None)
}

/// A refusal of a form's input sent back to the form's page as `?problem=` in the reader's
/// language (at most `max` problems); any other outcome goes on as it is.
pub fn refusal_back(
    path: &str,
    headers: &axum::http::HeaderMap,
    max: usize,
    result: Result<Response, crate::error::ServerError>,
) -> Result<Response, crate::error::ServerError> {
    match result {
        Err(crate::error::ServerError::Refused(refused)) => Ok(see_other_with(
            path,
            "problem",
            &refused.words(crate::cookies::lang(headers), max),
        )),
        other => other,
    }
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

/// A text cell as it may go into a CSV file that a spreadsheet program opens: a text starting
/// with `=`, `+`, `-`, `@`, a tab or a carriage return would be read as a formula, so it gets an
/// apostrophe in front (OWASP's advice). Numbers, negative ones included, stay as they are.
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if formula && cell.trim().parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// The client's address: the peer's, or — when the peer is a trusted proxy — the last address
/// of `X-Forwarded-For` that is not one of the trusted proxies.
pub fn client_address(
    peer: std::net::IpAddr,
    headers: &axum::http::HeaderMap,
    trusted: &[std::net::IpAddr],
) -> std::net::IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let forwarded: Vec<std::net::IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    forwarded
        .into_iter()
        .rev()
        .find(|a| !trusted.contains(a))
        .unwrap_or(peer)
}

/// A path of this site to return to, never another site: it starts with one `/` and holds no
/// backslash, white space or control character (browsers drop a tab and read `\\` as `/`, which
/// would turn `/\t/evil.example` or `/\\evil.example` into another site).
pub fn local(next: &str) -> Option<&str> {
    let clean = !next
        .chars()
        .any(|c| c == '\\' || c.is_whitespace() || c.is_control());
    (clean && next.starts_with('/') && !next.starts_with("//")).then_some(next)
}

#[cfg(test)]
mod tests {
    use super::{local, spreadsheet_safe};

    #[test]
    fn only_a_trusted_proxy_names_the_client() {
        use super::client_address;
        let proxy: std::net::IpAddr = "10.0.0.1".parse().expect("ip");
        let mut headers = axum::http::HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "1.2.3.4, 5.6.7.8, 10.0.0.1".parse().expect("header"),
        );
        assert_eq!(
            client_address(proxy, &headers, &[proxy]).to_string(),
            "5.6.7.8"
        );
        assert_eq!(client_address(proxy, &headers, &[]), proxy);
        let other: std::net::IpAddr = "9.9.9.9".parse().expect("ip");
        assert_eq!(client_address(other, &headers, &[proxy]), other);
    }

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(
            spreadsheet_safe("+cmd|' /C calc'!A0"),
            "'+cmd|' /C calc'!A0"
        );
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("\tx"), "'\tx");
        assert_eq!(spreadsheet_safe("-3"), "-3");
        assert_eq!(spreadsheet_safe("Школа № 1"), "Школа № 1");
    }

    #[test]
    fn only_paths_of_this_site_are_local() {
        assert_eq!(local("/work?x=1"), Some("/work?x=1"));
        for other in [
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "https://evil.example",
            "evil.example",
            "",
        ] {
            assert_eq!(local(other), None, "{other:?}");
        }
    }
}
