//! Configuration, parsed once from flags and environment variables into a typed `Config`.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

use crate::error::ServerError;

/// Where the database lives when `DATABASE_URL` is not set.
pub const DEFAULT_SQLITE_URL: &str = "sqlite://data/orientir.db";

/// Settings shared by every subcommand. Each flag has an environment variable twin.
#[derive(Debug, Clone, Args)]
pub struct ConfigArgs {
    /// `sqlite://PATH` (file created with its folder) or `postgres://USER@HOST:PORT/DB`.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// Address to listen on; port 0 picks a free port.
    #[arg(
        long,
        env = "ORIENTIR_ADDR",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    pub addr: String,
    /// Log filter in `tracing` syntax, e.g. `info` or `server=debug,sqlx=warn`.
    #[arg(
        long,
        env = "ORIENTIR_LOG",
        default_value = "info,sqlx=warn",
        global = true
    )]
    pub log: String,
    /// Maximum database connections in the pool (default: 8 for SQLite, 16 for PostgreSQL).
    #[arg(long, env = "ORIENTIR_DB_MAX_CONNECTIONS", global = true)]
    pub db_max_connections: Option<u32>,
    /// Folder with the built site (`pkg/` with the wasm, JS and CSS).
    #[arg(
        long,
        env = "ORIENTIR_SITE_ROOT",
        default_value = "target/site",
        global = true
    )]
    pub site_root: PathBuf,
    /// Mark cookies `Secure` (set when the site is served over HTTPS, e.g. behind a proxy).
    #[arg(
        long,
        env = "ORIENTIR_SECURE_COOKIES",
        global = true,
        action = clap::ArgAction::SetTrue,
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    pub secure_cookies: bool,
    /// The address respondents reach the site at, for printed links and QR codes, e.g.
    /// `https://orientir.example.ru` (default: `http://` and the address listened on).
    #[arg(long, env = "ORIENTIR_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
    /// The SMTP relay notifications are mailed through: `smtp://host:port` (plain, or
    /// STARTTLS with `?tls=required`), `smtps://host:port` (TLS), with `user:password@` when the
    /// relay needs it. Without it (or without `ORIENTIR_MAIL_FROM`) only the inbox is kept.
    #[arg(long, env = "ORIENTIR_SMTP_URL", global = true, hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// How many days the audit log keeps a line (who read or changed what is sensitive).
    #[arg(
        long,
        env = "ORIENTIR_AUDIT_DAYS",
        default_value_t = 730,
        global = true
    )]
    pub audit_days: u32,
    /// The token a monitoring system sends (`Authorization: Bearer …`) to scrape `/metrics`;
    /// without it `/metrics` is not served.
    #[arg(
        long,
        env = "ORIENTIR_METRICS_TOKEN",
        global = true,
        hide_env_values = true
    )]
    pub metrics_token: Option<String>,
    /// The sender address of notification mail, e.g. `Ориентир <orientir@example.ru>`.
    #[arg(long, env = "ORIENTIR_MAIL_FROM", global = true)]
    pub mail_from: Option<String>,
    /// How often (seconds) the mail queue is looked at when nothing woke the sender.
    #[arg(long, env = "ORIENTIR_MAIL_EVERY", default_value_t = 30, global = true)]
    pub mail_every: u64,
    /// The hour (UTC, 0–23) from which the daily digests are mailed (6 UTC is 9:00 in Moscow).
    #[arg(
        long,
        env = "ORIENTIR_MAIL_DIGEST_HOUR",
        default_value_t = 6,
        global = true
    )]
    pub mail_digest_hour: u32,
    /// Addresses of the proxies in front of Orientir (comma-separated), whose `X-Forwarded-For`
    /// names the client; from anyone else the header is ignored.
    #[arg(
        long,
        env = "ORIENTIR_TRUSTED_PROXIES",
        global = true,
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<String>,
    /// The most a school's documents (evidence of its programmes) may take together, in MB.
    #[arg(
        long,
        env = "ORIENTIR_UPLOAD_QUOTA_MB",
        default_value_t = 200,
        global = true
    )]
    pub upload_quota_mb: u64,
    /// Drafts one address may begin without a cookie per hour, over all codes (each code's own
    /// allowance is its group's size); 0 lifts both limits (load tests from one address).
    #[arg(
        long,
        env = "ORIENTIR_DRAFTS_PER_ADDRESS_HOUR",
        default_value_t = 5_000,
        global = true
    )]
    pub drafts_per_address_hour: u32,
    /// Seconds a client may take to send a request's head (and a kept-alive connection may
    /// wait for its next request) before the connection is closed (1–3600).
    #[arg(
        long,
        env = "ORIENTIR_HEAD_TIMEOUT_SECONDS",
        default_value_t = HEAD_TIMEOUT.as_secs(),
        global = true
    )]
    pub head_timeout_seconds: u64,
}

/// How long a client may take to send a request's head (and an idle kept-alive connection may
/// wait for its next one) before the connection is closed, unless configured otherwise: without
/// it, connections that never finish a request could hold the server's sockets forever.
pub const HEAD_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// How much a school may upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadQuota {
    /// Bytes of documents per school, over all its programmes.
    pub bytes: u64,
}

impl Default for UploadQuota {
    fn default() -> UploadQuota {
        UploadQuota { bytes: 200 << 20 }
    }
}

/// Which database engine a URL selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A database URL with its backend; `Debug` and `Display` hide the password.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    pub backend: Backend,
    url: String,
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<DatabaseUrl, ServerError> {
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(ServerError::Config(format!(
                "DATABASE_URL «{}» must start with sqlite: or postgres://",
                redact(url)
            )));
        };
        Ok(DatabaseUrl {
            backend,
            url: url.to_owned(),
        })
    }

    /// The URL with its secret, for the driver only.
    pub fn expose(&self) -> &str {
        &self.url
    }

    /// The URL as PostgreSQL's own tools take it (`pg_dump`, `pg_restore`): without its password,
    /// which goes to them through `PGPASSWORD` rather than a command line others can read.
    pub fn for_pg_tools(&self) -> (String, Option<String>) {
        let Some((scheme, rest)) = self.url.split_once("://") else {
            return (self.url.clone(), None);
        };
        match rest.split_once('@') {
            Some((userinfo, host)) => match userinfo.split_once(':') {
                Some((user, password)) => (
                    format!("{scheme}://{user}@{host}"),
                    Some(percent_decoded(password)),
                ),
                None => (self.url.clone(), None),
            },
            None => (self.url.clone(), None),
        }
    }
}

/// A URL part with its `%XX` escapes decoded.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({})", redact(&self.url))
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact(&self.url))
    }
}

/// Replaces the password of `scheme://user:password@host` with `***`.
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// The proxies whose `X-Forwarded-For` names the client, as handlers receive them.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(pub std::sync::Arc<Vec<std::net::IpAddr>>);

/// The parsed configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub database: DatabaseUrl,
    pub addr: SocketAddr,
    pub log: String,
    pub db_max_connections: u32,
    pub site_root: PathBuf,
    pub cookies: crate::cookies::CookiePolicy,
    /// Where respondents reach the site; `None`: the address listened on.
    pub public_url: Option<String>,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    pub upload_quota: UploadQuota,
    /// Drafts one address may begin per hour (`respond::starts`); 0: no limit.
    pub drafts_per_address_hour: u32,
    /// How notifications are mailed; `None`: the inbox alone.
    pub mail: Option<MailConfig>,
    /// The token `/metrics` is scraped with; `None`: no `/metrics`.
    pub metrics_token: Option<MetricsToken>,
    /// Days the audit log keeps a line.
    pub audit_days: u32,
    /// How long a client may take to send a request's head.
    pub head_timeout: std::time::Duration,
}

/// The scraping token: compared in constant time, never printed.
#[derive(Clone)]
pub struct MetricsToken(String);

impl MetricsToken {
    pub fn new(token: &str) -> Result<MetricsToken, ServerError> {
        if token.len() < 16 {
            return Err(ServerError::Config(
                "ORIENTIR_METRICS_TOKEN must be at least 16 characters".into(),
            ));
        }
        Ok(MetricsToken(token.to_owned()))
    }

    /// Whether `offered` is the token (in time that does not depend on where they differ).
    pub fn admits(&self, offered: &str) -> bool {
        let (a, b) = (self.0.as_bytes(), offered.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
    }
}

impl fmt::Debug for MetricsToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MetricsToken(***)")
    }
}

impl Config {
    /// The address people reach the site at, for links in printouts and mail: the public URL,
    /// or `http://` and the address listened on.
    pub fn public_base(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.addr))
    }

    pub fn from_args(args: &ConfigArgs) -> Result<Config, ServerError> {
        let database =
            DatabaseUrl::parse(args.database_url.as_deref().unwrap_or(DEFAULT_SQLITE_URL))?;
        let addr = args.addr.parse().map_err(|_| {
            ServerError::Config(format!(
                "ORIENTIR_ADDR «{}» is not an address like 127.0.0.1:3000",
                args.addr
            ))
        })?;
        let db_max_connections = match (args.db_max_connections, database.backend) {
            (Some(0), _) => {
                return Err(ServerError::Config(
                    "ORIENTIR_DB_MAX_CONNECTIONS must be at least 1".into(),
                ))
            }
            (Some(n), _) => n,
            (None, Backend::Sqlite) => 8,
            (None, Backend::Postgres) => 16,
        };
        Ok(Config {
            database,
            addr,
            log: args.log.clone(),
            db_max_connections,
            site_root: args.site_root.clone(),
            cookies: crate::cookies::CookiePolicy {
                secure: args.secure_cookies,
            },
            public_url: args.public_url.as_deref().map(public_url).transpose()?,
            trusted_proxies: args
                .trusted_proxies
                .iter()
                .filter(|a| !a.trim().is_empty())
                .map(|a| {
                    a.trim().parse().map_err(|_| {
                        ServerError::Config(format!(
                            "ORIENTIR_TRUSTED_PROXIES: «{a}» is not an IP address"
                        ))
                    })
                })
                .collect::<Result<_, _>>()?,
            upload_quota: UploadQuota {
                bytes: args.upload_quota_mb.saturating_mul(1 << 20),
            },
            drafts_per_address_hour: args.drafts_per_address_hour,
            audit_days: args.audit_days.max(1),
            head_timeout: match args.head_timeout_seconds {
                seconds @ 1..=3600 => std::time::Duration::from_secs(seconds),
                other => {
                    return Err(ServerError::Config(format!(
                        "ORIENTIR_HEAD_TIMEOUT_SECONDS: {other} is not between 1 and 3600"
                    )))
                }
            },
            metrics_token: args
                .metrics_token
                .as_deref()
                .filter(|t| !t.is_empty())
                .map(MetricsToken::new)
                .transpose()?,
            mail: match (&args.smtp_url, &args.mail_from) {
                (Some(url), Some(from)) if !url.trim().is_empty() && !from.trim().is_empty() => {
                    Some(MailConfig {
                        smtp_url: url.trim().to_owned(),
                        from: from.trim().to_owned(),
                        every: std::time::Duration::from_secs(args.mail_every.max(1)),
                        digest_hour: args.mail_digest_hour.min(23),
                    })
                }
                _ => None,
            },
        })
    }
}

/// A public address: `http(s)://host[:port][/path]`, kept without a trailing slash.
fn public_url(url: &str) -> Result<String, ServerError> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(host)
            if !host.is_empty() && !host.starts_with('/') && !url.contains(char::is_whitespace) =>
        {
            Ok(url.trim_end_matches('/').to_owned())
        }
        _ => Err(ServerError::Config(format!(
            "ORIENTIR_PUBLIC_URL «{url}» is not an address like https://orientir.example.ru"
        ))),
    }
}

/// How the server sends mail.
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// `smtp://host:port` (plain; STARTTLS when the server offers it with `?tls=required`),
    /// `smtps://host:port` (TLS), with `user:password@` when the relay needs it.
    pub smtp_url: String,
    pub from: String,
    /// How often the queue is looked at when nothing woke the sender.
    pub every: std::time::Duration,
    /// The hour (UTC) from which the day's digests go out; 24: never by themselves.
    pub digest_hour: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_debug_or_display() {
        let url = DatabaseUrl::parse("postgres://orientir:s3cret@db:5432/orientir").expect("valid");
        assert!(!format!("{url:?} {url}").contains("s3cret"));
        assert_eq!(url.expose(), "postgres://orientir:s3cret@db:5432/orientir");
    }

    #[test]
    fn postgres_tools_get_the_password_apart_from_the_url() {
        let url =
            DatabaseUrl::parse("postgres://orientir:p%40ss%3Aw@db:5432/orientir").expect("valid");
        assert_eq!(
            url.for_pg_tools(),
            (
                "postgres://orientir@db:5432/orientir".to_owned(),
                Some("p@ss:w".to_owned())
            )
        );
        let plain = DatabaseUrl::parse("postgres://postgres@127.0.0.1/x").expect("valid");
        assert_eq!(
            plain.for_pg_tools(),
            ("postgres://postgres@127.0.0.1/x".to_owned(), None)
        );
    }

    #[test]
    fn unknown_schemes_are_refused_with_the_variable_named() {
        let err = DatabaseUrl::parse("mysql://root:pw@x/db").expect_err("refused");
        let text = err.to_string();
        assert!(
            text.contains("DATABASE_URL") && !text.contains("pw@"),
            "{text}"
        );
    }
}
