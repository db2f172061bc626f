//! How Orientir sets its cookies: always `Path=/` and `SameSite=Lax`, `HttpOnly` where scripts
//! need not read them, and `Secure` when the site is served over HTTPS
//! (`ORIENTIR_SECURE_COOKIES`), so that a session or a draft never travels in clear text there.

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

#[cfg(test)]
mod tests {
    use super::CookiePolicy;

    #[test]
    fn cookies_are_secure_only_where_asked() {
        let plain = CookiePolicy::default().set("s", "t", 60, true);
        assert_eq!(plain, "s=t; Path=/; Max-Age=60; SameSite=Lax; HttpOnly");
        let secure = CookiePolicy { secure: true }.set("lang", "en", 10, false);
        assert_eq!(secure, "lang=en; Path=/; Max-Age=10; SameSite=Lax; Secure");
        assert!(CookiePolicy::default().clear("s").contains("Max-Age=0"));
    }
}
