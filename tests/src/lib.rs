//! The test harness shared by Orientir's integration tests.

pub mod axe;
pub mod browser;
pub mod db;
pub mod panics;

use std::path::PathBuf;

use server::config::{Config, DatabaseUrl};
use server::Storage;

pub use db::{Backend, TestDb};

/// The repository root (this crate lives in `tests/`).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The browser bundle every test serves: the optimized build users get (`scripts/test.sh` builds it
/// with `scripts/build.sh --release --site-only` into this folder), so the tests check what is
/// shipped, and a test browser downloads a few hundred kilobytes, precompressed, instead of a
/// 43 MB debug bundle compressed on the fly.
pub fn site() -> PathBuf {
    repo_root().join("target/site-release")
}

/// A configuration for a test server on a free port with the given database.
pub fn test_config(database: &str) -> Config {
    Config {
        database: DatabaseUrl::parse(database).expect("test database URL is valid"),
        addr: "127.0.0.1:0".parse().expect("valid address"),
        log: "warn".into(),
        db_max_connections: 4,
        site_root: site(),
        cookies: server::cookies::CookiePolicy::default(),
        public_url: None,
        trusted_proxies: Vec::new(),
        upload_quota: server::config::UploadQuota::default(),
        drafts_per_address_hour: 5_000,
        mail: None,
        metrics_token: None,
        audit_days: 730,
        head_timeout: server::http::HEAD_TIMEOUT,
    }
}

/// Orientir running inside the test process on a fresh database.
pub struct TestApp {
    pub base: String,
    pub storage: Storage,
    /// The support work the app serves: its notifier (for a mail sender) and the reminders.
    pub support: server::support::Support,
    pub db: TestDb,
    server: tokio::task::JoinHandle<()>,
}

impl TestApp {
    /// Starts the app on port 0 over a fresh database of the backend.
    pub async fn spawn(backend: Backend) -> TestApp {
        TestApp::spawn_configured(backend, |_| {}).await
    }

    /// Starts the app with a configuration changed by `adjust` (after the test defaults).
    pub async fn spawn_configured(backend: Backend, adjust: impl FnOnce(&mut Config)) -> TestApp {
        panics::watch();
        let db = TestDb::create(backend).await;
        TestApp::spawn_over(db, adjust).await
    }

    /// Starts the app over a database that exists already (a restored one, say).
    pub async fn spawn_on(db: TestDb) -> TestApp {
        TestApp::spawn_over(db, |_| {}).await
    }

    async fn spawn_over(db: TestDb, adjust: impl FnOnce(&mut Config)) -> TestApp {
        let mut config = test_config(db.url());
        adjust(&mut config);
        let site = config.site_root.clone();
        assert!(
            site.join("pkg/orientir.wasm").exists(),
            "no browser bundle in {}: scripts/test.sh builds it \
             (ORIENTIR_SITE_OUT=target/site-release scripts/build.sh --release --site-only)",
            site.display()
        );
        let storage = Storage::open(&config).await.expect("storage opens");
        let listener = server::http::bind(&config).await.expect("port 0 binds");
        let bound = listener.local_addr().expect("bound address");
        let base = format!("http://{bound}");
        // Served where it listens: links on code sheets lead back to it.
        config.addr = bound;
        let methodology = surveys::Methodology::default_set().expect("default methodology");
        let (app, support) = server::http::router_and_support(
            &config,
            storage.clone(),
            std::sync::Arc::new(methodology),
        );
        let head_timeout = config.head_timeout;
        let server = tokio::spawn(async move {
            let _ = server::http::serve(listener, app, head_timeout).await;
        });
        TestApp {
            base,
            storage,
            support,
            db,
            server,
        }
    }

    /// Fills the database with the demo region.
    pub async fn with_demo(self) -> TestApp {
        let methodology = surveys::Methodology::default_set().expect("default methodology");
        server::cli::demo::ensure_demo(&self.storage, &methodology, server::clock::today())
            .await
            .expect("demo data");
        self
    }

    /// The demo region with the rest of its yearly cycle: anti-risk programmes in every state.
    pub async fn with_demo_cycle(self) -> TestApp {
        let app = self.with_demo().await;
        let methodology = surveys::Methodology::default_set().expect("default methodology");
        server::cli::demo_cycle::ensure_demo_cycle(
            &app.storage,
            &methodology,
            server::clock::today(),
        )
        .await
        .expect("demo cycle");
        app
    }

    /// The demo region with its cycle and three years of educational results, cohorts and a
    /// results target in each state.
    pub async fn with_demo_results(self) -> TestApp {
        let app = self.with_demo_cycle().await;
        let methodology = surveys::Methodology::default_set().expect("default methodology");
        server::cli::demo_results::ensure_demo_results(&app.storage, &methodology)
            .await
            .expect("demo results");
        app
    }

    /// The demo region with its cycle, results and support work (questions, visits and
    /// recommendations, events, roadmaps and the reminders of today) and its teachers' plans:
    /// the whole demo.
    pub async fn with_demo_support(self) -> TestApp {
        let app = self.with_demo_results().await;
        let methodology = surveys::Methodology::default_set().expect("default methodology");
        server::cli::demo_support::ensure_demo_support(
            &app.storage,
            &methodology,
            &app.base,
            server::clock::today(),
        )
        .await
        .expect("demo support");
        app.plans().await
    }

    /// The demo region with its teachers' development plans (`demo_development::DEMO_PLAN_KEYS`).
    pub async fn with_demo_plans(self) -> TestApp {
        self.with_demo().await.plans().await
    }

    async fn plans(self) -> TestApp {
        let methodology = surveys::Methodology::default_set().expect("default methodology");
        server::cli::demo_development::ensure_demo_plans(
            &self.storage,
            &methodology,
            server::clock::today(),
        )
        .await
        .expect("demo plans");
        self
    }

    /// An access code of a demo school (`demo-01` …) for a respondent group.
    pub async fn demo_code(&self, school: &str, group: &str) -> String {
        let (campaign, school) = self.demo_school(school).await;
        let codes = self
            .storage
            .access_codes(campaign, school)
            .await
            .expect("codes");
        codes
            .into_iter()
            .find(|a| a.group.key() == group)
            .expect("code of the group")
            .code
    }

    /// Stored responses of the demo campaign per (school code, group).
    pub async fn demo_responses(&self, school: &str, group: &str) -> i64 {
        let (campaign, school) = self.demo_school(school).await;
        let counts = self
            .storage
            .response_counts(campaign)
            .await
            .expect("counts");
        counts
            .iter()
            .find(|c| c.school_id == school && c.group.key() == group)
            .map_or(0, |c| c.responses)
    }

    /// The demo campaign's id and the id of one of its schools.
    pub async fn demo_school(&self, code: &str) -> (i64, i64) {
        let campaign = self.demo_campaign().await;
        let schools = self
            .storage
            .campaign_schools(campaign)
            .await
            .expect("schools");
        let school = schools
            .iter()
            .find(|s| s.code == code)
            .expect("demo school");
        (campaign, school.school_id)
    }

    pub async fn demo_campaign(&self) -> i64 {
        self.demo_campaign_of(server::cli::demo::CAMPAIGN_CODE)
            .await
    }

    /// Last year's demo campaign, closed.
    pub async fn previous_demo_campaign(&self) -> i64 {
        self.demo_campaign_of(server::cli::demo::PREVIOUS_CAMPAIGN_CODE)
            .await
    }

    async fn demo_campaign_of(&self, code: &str) -> i64 {
        let campaign = self.storage.campaign_by_code(code).await.expect("query");
        campaign.expect("the demo campaign (call with_demo)").id
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Opens the sign-in page with the client, as a browser does before it signs in: the client
    /// then holds the login cookie, and the page's token is returned for the form.
    pub async fn login_token(&self, client: &reqwest::Client) -> String {
        csrf_of(&text(client, &self.url("/login")).await)
    }

    /// The sign-in form's post as the client's browser sends it: the page opened first, its token
    /// sent with `fields`; the caller may add headers before sending.
    pub async fn sign_in_request(
        &self,
        client: &reqwest::Client,
        fields: &[(&str, &str)],
    ) -> reqwest::RequestBuilder {
        let token = self.login_token(client).await;
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("_csrf", &token));
        let body: String = form_urlencoded(&form);
        client
            .post(self.url("/session"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
    }

    /// Signs in with a demo account (see `server::cli::demo::DEMO_ACCOUNTS`); returns a client
    /// holding the session and the session's CSRF token.
    pub async fn sign_in(&self, login: &str) -> (reqwest::Client, String) {
        let client = client();
        let password = server::cli::demo::demo_password(login);
        let r = self
            .sign_in_request(&client, &[("login", login), ("password", &password)])
            .await
            .send()
            .await
            .expect("sign in");
        assert_eq!(
            r.headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok()),
            Some("/work"),
            "{login} signs in"
        );
        let page = client
            .get(self.url("/account"))
            .send()
            .await
            .expect("account page")
            .text()
            .await
            .expect("body");
        (client, csrf_of(&page))
    }

    /// Stops the server and removes the database.
    pub async fn finish(self) {
        self.server.abort();
        self.storage.close().await;
        self.db.drop_database().await;
    }
}

/// A panic anywhere in the process while the app served the test (a handler, a body being
/// streamed, a background task) fails the test, even when the client saw an answer.
impl Drop for TestApp {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            panics::assert_none();
        }
    }
}

/// Text as it goes into a query string.
pub fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// Fields as an `application/x-www-form-urlencoded` body.
fn form_urlencoded(fields: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

/// A browser-like HTTP client: keeps cookies, does not follow redirects by itself.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        // A request that hangs fails its test with the address instead of stalling the run.
        .timeout(std::time::Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// The body of `GET url` as text, whatever the status.
pub async fn text(client: &reqwest::Client, url: &str) -> String {
    client
        .get(url)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {url}: {e}"))
        .text()
        .await
        .expect("body")
}

/// The CSRF token in a page's forms.
pub fn csrf_of(html: &str) -> String {
    let at = html
        .find(r#"name="_csrf" value=""#)
        .unwrap_or_else(|| panic!("no CSRF field in {html}"))
        + 20;
    html[at..].split('"').next().unwrap_or_default().to_owned()
}

/// Runs a test body, failing it after two minutes rather than letting a hang stall the run.
pub async fn within_time_limit(test: impl std::future::Future<Output = ()>) {
    if tokio::time::timeout(std::time::Duration::from_secs(120), test)
        .await
        .is_err()
    {
        panic!("the test did not finish within two minutes");
    }
}

/// Defines each listed `async fn case(backend: Backend)` as two tests, `sqlite::case` and
/// `postgres::case`, so that one suite runs against both backends.
#[macro_export]
macro_rules! on_both_backends {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                $crate::within_time_limit(super::$case($crate::Backend::Sqlite)).await
            })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                $crate::within_time_limit(super::$case($crate::Backend::Postgres)).await
            })*
        }
    };
}
