//! Sign-in that a flood cannot block: a login guessed from many addresses is held for addresses
//! new to it but not for the one its owner signed in from; a held attempt never takes a password
//! check; the current password on the account page is under the same limits.

use harness::{Backend, TestApp};
use reqwest::header::LOCATION;
use reqwest::StatusCode;

/// A sign-in attempt from `from` (behind the trusted proxy); where it leads.
async fn attempt(app: &TestApp, from: &str, login: &str, password: &str) -> String {
    let r = app
        .sign_in_request(
            &harness::client(),
            &[("login", login), ("password", password)],
        )
        .await
        .header("x-forwarded-for", from)
        .send()
        .await
        .expect("attempt");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    r.headers()[LOCATION].to_str().expect("location").to_owned()
}

async fn behind_a_proxy(backend: Backend) -> TestApp {
    TestApp::spawn_configured(backend, |config| {
        config.trusted_proxies = vec!["127.0.0.1".parse().expect("ip")];
    })
    .await
    .with_demo()
    .await
}

async fn a_flood_from_many_addresses_holds_the_login_but_not_its_owner(backend: Backend) {
    let app = behind_a_proxy(backend).await;
    let password = server::cli::demo::demo_password("admin");
    // The owner has signed in from their office before.
    assert_eq!(attempt(&app, "10.9.0.1", "admin", &password).await, "/work");
    // Forty addresses guess the admin's password, three times each, all at once.
    let mut flood = tokio::task::JoinSet::new();
    for n in 0..40 {
        for _ in 0..3 {
            let (from, base) = (format!("10.2.0.{n}"), app.url("/login"));
            let app_url = app.url("/session");
            flood.spawn(async move {
                let client = harness::client();
                let page = harness::text(&client, &base).await;
                let token = harness::csrf_of(&page);
                let r = client
                    .post(app_url)
                    .header("x-forwarded-for", from)
                    .form(&[("login", "admin"), ("password", "guess"), ("_csrf", &token)])
                    .send()
                    .await
                    .expect("attempt");
                r.headers()[LOCATION].to_str().expect("location").to_owned()
            });
        }
    }
    let outcomes = flood.join_all().await;
    let checked = outcomes
        .iter()
        .filter(|l| l.starts_with("/login?error=refused"))
        .count();
    assert!(
        checked <= 10,
        "{checked} of the flood's passwords were checked"
    );
    assert!(outcomes
        .iter()
        .all(|l| l.starts_with("/login?error=refused") || l.starts_with("/login?error=held")));
    // The owner still gets in from the known address; the right password from a new one waits.
    assert_eq!(attempt(&app, "10.9.0.1", "admin", &password).await, "/work");
    assert!(attempt(&app, "10.8.0.1", "admin", &password)
        .await
        .starts_with("/login?error=held"));
    // A held address takes no check: its attempts are answered without one (fast).
    for _ in 0..20 {
        attempt(&app, "10.7.0.1", "north", "wrong").await;
    }
    let started = std::time::Instant::now();
    for _ in 0..20 {
        let l = attempt(&app, "10.7.0.1", "north", "wrong").await;
        assert!(l.starts_with("/login?error=held"), "{l}");
    }
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "held attempts waited for checks: {:?}",
        started.elapsed()
    );
    app.finish().await;
}

async fn the_current_password_is_guessed_no_faster_than_a_sign_in(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let (north, csrf) = app.sign_in("north").await;
    let change = |current: &'static str| {
        let (client, url, csrf) = (north.clone(), app.url("/account/password"), csrf.clone());
        async move {
            let r = client
                .post(url)
                .form(&[
                    ("_csrf", csrf.as_str()),
                    ("current", current),
                    ("new", "a-new-password-2027"),
                ])
                .send()
                .await
                .expect("change");
            r.headers()[LOCATION].to_str().expect("location").to_owned()
        }
    };
    // Thirty wrong passwords at once: five are checked, the rest held.
    let mut guesses = tokio::task::JoinSet::new();
    for _ in 0..30 {
        guesses.spawn(change("not-the-password"));
    }
    let pages: Vec<String> = guesses.join_all().await;
    let mut wrong = 0;
    let mut held = 0;
    for location in &pages {
        let page = harness::text(&north, &app.url(location)).await;
        if page.contains("Текущий пароль введён неверно") {
            wrong += 1;
        } else if page.contains("Слишком много неверных паролей") {
            held += 1;
        }
    }
    assert!(wrong <= 5, "{wrong} wrong passwords were checked");
    assert_eq!(wrong + held, 30, "every guess is told why it failed");
    // The right password now waits as well, and the password is unchanged.
    let location = change("north-demo-2026").await;
    assert!(harness::text(&north, &app.url(&location))
        .await
        .contains("Слишком много неверных паролей"));
    let password = server::cli::demo::demo_password("north");
    assert_eq!(password, "north-demo-2026");
    app.finish().await;
}

harness::on_both_backends!(
    a_flood_from_many_addresses_holds_the_login_but_not_its_owner,
    the_current_password_is_guessed_no_faster_than_a_sign_in,
);
