//! Two instances of Orientir on one PostgreSQL database behind Debian's nginx with TLS, configured
//! by `docs/nginx.conf` itself (only its ports and certificate paths replaced): a coordinator
//! signs in over HTTPS and keeps a `Secure` session on both instances; the sign-in limits and the
//! audit log see the client's own address, not the proxy's; and respondents go on submitting while
//! one instance is killed: every questionnaire the proxy acknowledged is stored, once.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use harness::{repo_root, within_time_limit, Backend, TestApp};
use reqwest::header::{LOCATION, SET_COOKIE};
use reqwest::{Client, StatusCode};
use server::storage::AuditFilter;
use surveys::{Group, Instrument, Methodology};

use crate::instances::{sign_in_answer, Instance};
use crate::respond::{draft_of, fill};

/// The host name `docs/nginx.conf` serves; the test's certificate is made for it.
const HOST: &str = "survey.example.ru";

/// nginx started in the foreground with `docs/nginx.conf`; stopped when dropped.
struct Nginx {
    child: Child,
    https: u16,
    http: u16,
    /// The certificate the clients trust.
    certificate: Vec<u8>,
    dir: tempfile::TempDir,
}

/// A port free on the loopback now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

fn nginx_binary() -> PathBuf {
    ["/usr/sbin/nginx", "/usr/local/sbin/nginx"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .unwrap_or_else(|| "nginx".into())
}

/// Replaces `from`, which must occur exactly once: the documented file and the test stay in step.
fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "docs/nginx.conf has «{from}» once"
    );
    text.replacen(from, to, 1)
}

impl Nginx {
    fn start(upstreams: [&str; 2]) -> Nginx {
        let dir = tempfile::tempdir().expect("a folder");
        // nginx's workers run as an unprivileged user when the tests run as root.
        std::fs::set_permissions(
            dir.path(),
            std::os::unix::fs::PermissionsExt::from_mode(0o755),
        )
        .expect("chmod");
        let path = |name: &str| dir.path().join(name).display().to_string();
        // A server's certificate (not a CA's, which TLS clients refuse to meet as a server's).
        std::fs::write(
            path("openssl.cnf"),
            format!(
                "[req]\ndistinguished_name = dn\nx509_extensions = server\nprompt = no\n\
                 [dn]\nCN = {HOST}\n\
                 [server]\nbasicConstraints = critical, CA:FALSE\nsubjectAltName = DNS:{HOST}\n\
                 keyUsage = critical, digitalSignature, keyEncipherment\nextendedKeyUsage = serverAuth\n"
            ),
        )
        .expect("write");
        let made = Command::new("openssl")
            .args([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            ])
            .args(["-config", &path("openssl.cnf")])
            .args(["-keyout", &path("key.pem"), "-out", &path("cert.pem")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("openssl runs (installed by scripts/prereqs.sh)");
        assert!(made.success(), "a self-signed certificate");
        let (https, http) = (free_port(), free_port());
        let documented =
            std::fs::read_to_string(repo_root().join("docs/nginx.conf")).expect("docs/nginx.conf");
        let mut site = documented;
        for (from, to) in [
            ("127.0.0.1:3001", upstreams[0].to_owned()),
            ("127.0.0.1:3002", upstreams[1].to_owned()),
            ("listen 443 ssl", format!("listen 127.0.0.1:{https} ssl")),
            ("listen 80;", format!("listen 127.0.0.1:{http};")),
            ("/etc/ssl/survey.example.ru.crt", path("cert.pem")),
            ("/etc/ssl/survey.example.ru.key", path("key.pem")),
        ] {
            site = replace_once(&site, from, &to);
        }
        std::fs::write(path("orientir.conf"), site).expect("write");
        let main = format!(
            "daemon off;\nworker_processes 1;\npid {pid};\nerror_log {log} warn;\n\
             events {{ worker_connections 512; }}\n\
             http {{\n  access_log off;\n  client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n\
             \x20 fastcgi_temp_path {d}/fastcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n\
             \x20 include {site};\n}}\n",
            pid = path("nginx.pid"),
            log = path("error.log"),
            d = dir.path().display(),
            site = path("orientir.conf"),
        );
        std::fs::write(path("nginx.conf"), main).expect("write");
        let child = Command::new(nginx_binary())
            .args(["-p", &dir.path().display().to_string()])
            .args(["-c", &path("nginx.conf")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nginx starts (installed by scripts/prereqs.sh)");
        let certificate = std::fs::read(path("cert.pem")).expect("certificate");
        let nginx = Nginx {
            child,
            https,
            http,
            certificate,
            dir,
        };
        nginx.wait_until_listening();
        nginx
    }

    fn wait_until_listening(&self) {
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", self.https)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let log = std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default();
        panic!("nginx did not start: {log}");
    }

    /// `https://survey.example.ru:port` and the path.
    fn url(&self, path: &str) -> String {
        format!("https://{HOST}:{}{path}", self.https)
    }

    /// A browser at the client address `from` (a loopback address of its own): keeps cookies,
    /// trusts the test's certificate, reaches the host name at nginx.
    fn browser(&self, from: Ipv4Addr) -> Client {
        Client::builder()
            .cookie_store(true)
            .timeout(Duration::from_secs(30))
            .redirect(reqwest::redirect::Policy::none())
            .add_root_certificate(
                reqwest::Certificate::from_pem(&self.certificate).expect("certificate"),
            )
            .resolve(HOST, SocketAddr::from(([127, 0, 0, 1], self.https)))
            .local_address(IpAddr::V4(from))
            .build()
            .expect("client")
    }

    fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGTERM: the master stops its workers too (SIGKILL would leave them listening).
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
    }
}

fn at(address: [u8; 4]) -> Ipv4Addr {
    Ipv4Addr::from(address)
}

/// Signs `login` in through the proxy; returns where the form leads and the cookies it sets.
async fn sign_in(nginx: &Nginx, client: &Client, login: &str, password: &str) -> (String, String) {
    let r = sign_in_answer(&nginx.url(""), client, login, password).await;
    let cookies = r
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join("\n");
    let location = r.headers()[LOCATION].to_str().expect("location").to_owned();
    (location, cookies)
}

/// Sends a request again while the proxy answers that no instance could (502, 503, 504), as a
/// person presses the button again; returns the first other answer.
async fn patiently(
    request: impl Fn() -> reqwest::RequestBuilder,
    retried: &AtomicUsize,
) -> reqwest::Response {
    for _ in 0..50 {
        match request().send().await {
            Ok(r) if ![502, 503, 504].contains(&r.status().as_u16()) => return r,
            _ => {
                retried.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
    panic!("the proxy kept failing");
}

/// One whole questionnaire through the proxy, each page fetched and sent; true when the last
/// page was acknowledged (a redirect to the thank-you page).
async fn questionnaire(
    nginx: &Nginx,
    client: &Client,
    code: &str,
    instrument: &Instrument,
    retried: &AtomicUsize,
) -> bool {
    let m = Methodology::default_set().expect("methodology");
    let mut location = String::new();
    for section in 0..instrument.sections.len() {
        let page = section + 1;
        let shown = patiently(
            || client.get(nginx.url(&format!("/s/{code}/p/{page}"))),
            retried,
        )
        .await;
        assert_eq!(shown.status(), StatusCode::OK);
        let html = shown.text().await.expect("page");
        let mut form = fill(&m, instrument, section);
        form.push(("_draft".into(), draft_of(&html)));
        form.push(("_go".into(), "next".into()));
        let sent = patiently(
            || {
                client
                    .post(nginx.url(&format!("/respond/{code}/{page}")))
                    .form(&form)
            },
            retried,
        )
        .await;
        assert_eq!(sent.status(), StatusCode::SEE_OTHER);
        location = sent.headers()[LOCATION]
            .to_str()
            .expect("location")
            .to_owned();
    }
    location.ends_with("/thanks")
}

async fn behind_nginx_with_tls() {
    let app = TestApp::spawn(Backend::Postgres).await.with_demo().await;
    let settings = [
        ("ORIENTIR_TRUSTED_PROXIES", "127.0.0.1"),
        ("ORIENTIR_SECURE_COOKIES", "1"),
        ("ORIENTIR_PUBLIC_URL", "https://survey.example.ru"),
    ];
    let mut one = Instance::start_with(app.db.url(), &settings);
    let two = Instance::start_with(app.db.url(), &settings);
    let upstream = |base: &str| base.trim_start_matches("http://").to_owned();
    let nginx = Nginx::start([&upstream(&one.base), &upstream(&two.base)]);

    // Plain HTTP is sent to HTTPS; the site answers over TLS with HSTS; /metrics is closed to
    // addresses outside the institute's network.
    let plain = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let r = plain
        .get(format!("http://127.0.0.1:{}/work", nginx.http))
        .header("Host", HOST)
        .send()
        .await
        .expect("http");
    assert_eq!(r.status(), StatusCode::MOVED_PERMANENTLY);
    assert_eq!(r.headers()[LOCATION], "https://survey.example.ru/work");
    let visitor = nginx.browser(at([127, 0, 0, 2]));
    let home = visitor.get(nginx.url("/")).send().await.expect("home");
    assert_eq!(home.status(), StatusCode::OK, "{}", nginx.error_log());
    assert!(home.headers().contains_key("strict-transport-security"));
    let metrics = visitor
        .get(nginx.url("/metrics"))
        .send()
        .await
        .expect("metrics");
    assert_eq!(metrics.status(), StatusCode::FORBIDDEN);

    // A coordinator signs in over HTTPS: the session cookie is Secure, and every page on either
    // instance (the proxy takes turns) knows the session.
    let admin = nginx.browser(at([127, 0, 0, 2]));
    let password = server::cli::demo::demo_password("admin");
    let (to, cookies) = sign_in(&nginx, &admin, "admin", &password).await;
    assert!(!to.contains("error"), "{to}");
    let session = cookies
        .lines()
        .find(|c| c.starts_with("orientir_session="))
        .unwrap_or_else(|| panic!("a session cookie in {cookies}"));
    assert!(session.contains("; Secure"), "{session}");
    assert!(session.contains("HttpOnly"), "{session}");
    for _ in 0..4 {
        let r = admin.get(nginx.url("/work")).send().await.expect("work");
        assert_eq!(r.status(), StatusCode::OK);
    }
    // The audit log keeps the client's address, not the proxy's.
    let r = admin
        .get(nginx.url("/work/audit"))
        .send()
        .await
        .expect("audit");
    assert_eq!(r.status(), StatusCode::OK);
    let lines = app
        .storage
        .audit_lines(&AuditFilter {
            action: Some("audit_read".into()),
            ..AuditFilter::default()
        })
        .await
        .expect("audit");
    assert_eq!(lines[0].login, "admin");
    assert_eq!(lines[0].address, "127.0.0.2");

    // The sign-in limit holds the address that guessed, not every client of the proxy.
    let guesser = nginx.browser(at([127, 0, 0, 3]));
    for _ in 0..5 {
        let (to, _) = sign_in(&nginx, &guesser, "curator", "guess").await;
        assert!(to.contains("error=refused"), "{to}");
    }
    let curator = server::cli::demo::demo_password("curator");
    let (to, _) = sign_in(&nginx, &guesser, "curator", &curator).await;
    assert!(to.starts_with("/login?error=held"), "{to}");
    let owner = nginx.browser(at([127, 0, 0, 4]));
    let (to, _) = sign_in(&nginx, &owner, "curator", &curator).await;
    assert!(!to.contains("error"), "another address signs in: {to}");

    // Respondents, each at an address of their own, keep submitting while one instance is
    // killed: every questionnaire acknowledged through the proxy is stored, and only once.
    let m = Methodology::default_set().expect("methodology");
    let student = m.instrument(Group::Student).expect("student").clone();
    let code = app.demo_code("demo-02", "student").await;
    let before = app.demo_responses("demo-02", "student").await;
    let nginx = Arc::new(nginx);
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let retried = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let respondents: Vec<_> = (0..4u8)
        .map(|n| {
            let (nginx, code, student) = (nginx.clone(), code.clone(), student.clone());
            let (acknowledged, retried, stop) =
                (acknowledged.clone(), retried.clone(), stop.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::SeqCst) {
                    // A new browser for each questionnaire, as on a school's shared computers.
                    let client = nginx.browser(at([127, 0, 1, 10 + n]));
                    if questionnaire(&nginx, &client, &code, &student, &retried).await {
                        acknowledged.fetch_add(1, Ordering::SeqCst);
                    }
                }
            })
        })
        .collect();
    let reach = |n: usize| {
        let acknowledged = acknowledged.clone();
        async move {
            while acknowledged.load(Ordering::SeqCst) < n {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    };
    reach(8).await;
    one.kill();
    let at_kill = acknowledged.load(Ordering::SeqCst);
    reach(at_kill + 8).await;
    stop.store(true, Ordering::SeqCst);
    for r in respondents {
        r.await.expect("respondent");
    }
    let acknowledged = acknowledged.load(Ordering::SeqCst);
    let stored = app.demo_responses("demo-02", "student").await - before;
    assert_eq!(
        stored,
        i64::try_from(acknowledged).expect("count"),
        "stored = acknowledged (retried {} requests)",
        retried.load(Ordering::SeqCst)
    );
    drop(two);
    drop(nginx);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_behind_nginx_with_tls() {
    within_time_limit(behind_nginx_with_tls()).await
}
