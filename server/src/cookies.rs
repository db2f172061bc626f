//! Cookies, written and read in one place. Orientir sets them always with `Path=/` and
//! `SameSite=Lax`, `HttpOnly` where scripts need not read them, and `Secure` when the site is
//! served over HTTPS (`ORIENTIR_SECURE_COOKIES`), so that a session or a draft never travels in
//! clear text there; `read` is the one reader of a request's cookies.

use axum::http::header::COOKIE;
use axum::http::HeaderMap;

/// The cookie attributes of this deployment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CookiePolicy {
    pub secure: bool,
}

impl CookiePolicy {
    /// A `Set-Cookie` value keeping `name=value` for `max_age` seconds.
    pub fn set(&self, name: &str, value: &str, max_age: i64, http_only: bool) -> String {
        let mut cookie = format!("{name}={value}; Path=/; Max-Age={max_age}; SameSite=Lax");
        if http_only {
            cookie.push_str("; HttpOnly");
        }
        if self.secure {
            cookie.push_str("; Secure");
        }
        cookie
    }

    /// A `Set-Cookie` value removing the cookie.
    pub fn clear(&self, name: &str) -> String {
        self.set(name, "", 0, true)
    }
}

/// The value of the request's cookie `name`, from any of its `Cookie` headers.
pub fn read(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| app::i18n::cookie(v, name))
}

/// The reader's language, from the language cookie (Russian when there is none).
pub fn lang(headers: &HeaderMap) -> app::i18n::Lang {
    read(headers, app::i18n::LANG_COOKIE)
        .and_then(|v| app::i18n::Lang::parse(&v))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_secure_only_where_asked() {
        let plain = CookiePolicy::default().set("s", "t", 60, true);
        assert_eq!(plain, "s=t; Path=/; Max-Age=60; SameSite=Lax; HttpOnly");
        let secure = CookiePolicy { secure: true }.set("lang", "en", 10, false);
        assert_eq!(secure, "lang=en; Path=/; Max-Age=10; SameSite=Lax; Secure");
        assert!(CookiePolicy::default().clear("s").contains("Max-Age=0"));
    }

    #[test]
    fn a_cookie_is_read_from_any_cookie_header() {
        let mut headers = HeaderMap::new();
        headers.append(COOKIE, "a=1; orientir_lang=en".parse().expect("header"));
        headers.append(COOKIE, "b=2".parse().expect("header"));
        assert_eq!(read(&headers, "b").as_deref(), Some("2"));
        assert_eq!(lang(&headers), app::i18n::Lang::En);
        assert_eq!(read(&headers, "c"), None);
    }
}
