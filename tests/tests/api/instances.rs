//! Two instances of Orientir on one PostgreSQL database serve one region consistently: this
//! process's server and an `orientir serve` process beside it. A respondent's questionnaire
//! started on one continues on the other (each keeping the draft it wrote, and reading it again
//! when the other wrote it since), a code replaced on one is refused by the other within
//! moments, a session begun on one is known — and ended — on both, and failed sign-ins on both
//! count against one limit.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use harness::{client, csrf_of, repo_root, within_time_limit, Backend, TestApp};
use reqwest::header::LOCATION;
use reqwest::{Client, StatusCode};
use surveys::{Group, Methodology};

use crate::respond::{browser, complete_across, get};

/// `orientir serve` over a database, on a free port; stopped when dropped.
pub(crate) struct Instance {
    pub(crate) base: String,
    child: Child,
}

impl Instance {
    fn start(database: &str) -> Instance {
        Instance::start_with(database, &[])
    }

    /// With more of the environment (`ORIENTIR_*` settings).
    pub(crate) fn start_with(database: &str, settings: &[(&str, &str)]) -> Instance {
        let binary = repo_root().join("target/debug/orientir");
        assert!(
            binary.exists(),
            "{} is built by scripts/build.sh",
            binary.display()
        );
        let mut child = Command::new(binary)
            .arg("serve")
            .env("DATABASE_URL", database)
            .env("ORIENTIR_ADDR", "127.0.0.1:0")
            .env("ORIENTIR_LOG", "warn")
            .env("ORIENTIR_SITE_ROOT", harness::site())
            .envs(settings.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("orientir starts");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let base = stdout
            .by_ref()
            .map_while(Result::ok)
            .find_map(|line| line.strip_prefix("listening on ").map(str::to_owned));
        let Some(base) = base else {
            let mut why = String::new();
            if let Some(mut stderr) = child.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut stderr, &mut why);
            }
            panic!("the instance did not start: {why}");
        };
        // Read what it writes from now on, so that it never blocks on a full pipe.
        std::thread::spawn(move || stdout.for_each(drop));
        if let Some(stderr) = child.stderr.take() {
            std::thread::spawn(move || BufReader::new(stderr).lines().for_each(drop));
        }
        Instance { base, child }
    }
}

impl Instance {
    /// Stops the process at once (SIGKILL), as a crash or a pulled plug would: nothing in flight
    /// is finished.
    pub(crate) fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Signs in at `base` (the sign-in page, then its form); the form's answer, a redirect.
pub(crate) async fn sign_in_answer(
    base: &str,
    client: &Client,
    login: &str,
    password: &str,
) -> reqwest::Response {
    let (_, page) = get(client, &format!("{base}/login")).await;
    let r = client
        .post(format!("{base}/session"))
        .form(&[
            ("login", login),
            ("password", password),
            ("_csrf", &csrf_of(&page)),
        ])
        .send()
        .await
        .expect("sign in");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    r
}

/// Signs in at `base`; returns where the form leads.
async fn sign_in_at(base: &str, client: &Client, login: &str, password: &str) -> String {
    let r = sign_in_answer(base, client, login, password).await;
    r.headers()[LOCATION].to_str().expect("location").to_owned()
}

async fn both_instances_serve_one_region() {
    let app = TestApp::spawn(Backend::Postgres).await.with_demo().await;
    let other = Instance::start(app.db.url());
    let (one, two) = (app.base.as_str(), other.base.as_str());
    let m = Methodology::default_set().expect("methodology");

    // A student's questionnaire, its pages on one instance and the other in turn.
    let student = m.instrument(Group::Student).expect("student");
    let code = app.demo_code("demo-02", "student").await;
    let before = app.demo_responses("demo-02", "student").await;
    let walked = complete_across(&[one, two], &browser(), &code, student, &[]).await;
    assert!(walked.ends_with("/thanks"), "{walked}");
    assert_eq!(app.demo_responses("demo-02", "student").await, before + 1);

    // A coordinator signed in on one is signed in on the other.
    let (region, csrf) = app.sign_in("admin").await;
    let (campaign, school) = app.demo_school("demo-02").await;
    let sheet = format!("/work/campaigns/{campaign}/schools/{school}/codes");
    let (status, page) = get(&region, &format!("{two}{sheet}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(&code),
        "the sheet on the other instance shows the code"
    );

    // The code, replaced on the other instance, stops working on this one at once.
    let r = region
        .post(format!("{two}{sheet}/replace"))
        .form(&[("_csrf", csrf.as_str()), ("access_code", code.as_str())])
        .send()
        .await
        .expect("replace");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // The other instance keeps codes in memory until PostgreSQL tells it of the change, at the
    // change's commit: within moments.
    let mut start = String::new();
    for _ in 0..100 {
        start = get(&browser(), &format!("{one}/s/{code}")).await.1;
        if start.contains("Этот код больше не действует") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(start.contains("Этот код больше не действует"), "{start}");
    let (_, page) = get(&region, &format!("{one}{sheet}")).await;
    assert!(
        !page.contains(&code),
        "the sheet shows the new code instead"
    );
    let new = app.demo_code("demo-02", "student").await;
    assert_ne!(new, code);
    let (status, start) = get(&browser(), &format!("{two}/s/{new}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(start.contains("Начать"), "the new code opens the survey");

    // Signed out on one, the session is over on the other.
    let r = region
        .post(format!("{one}/session/end"))
        .form(&[("_csrf", csrf.as_str())])
        .send()
        .await
        .expect("sign out");
    assert!(r.status().is_redirection());
    let r = region
        .get(format!("{two}/work"))
        .send()
        .await
        .expect("work");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(r.headers()[LOCATION]
        .to_str()
        .expect("location")
        .starts_with("/login"));

    // Failures on both instances count against one limit.
    let guesser = client();
    for n in 0..5 {
        let at = sign_in_at([one, two][n % 2], &guesser, "curator", "guess").await;
        assert!(at.contains("error=refused"), "{at}");
    }
    let password = server::cli::demo::demo_password("curator");
    for base in [one, two] {
        let held = sign_in_at(base, &guesser, "curator", &password).await;
        assert!(held.starts_with("/login?error=held"), "{base}: {held}");
    }
    drop(other);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgresql() {
    within_time_limit(both_instances_serve_one_region()).await
}
