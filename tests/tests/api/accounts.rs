//! Coordinators' accounts over HTTP: signing in and out, one message for any wrong login or
//! password, limits on failed attempts, password change, an admin creating and deactivating
//! accounts, and each role seeing its own scope.

use harness::{client, csrf_of, Backend, TestApp};
use reqwest::header::{LOCATION, SET_COOKIE};
use reqwest::{Client, StatusCode};

async fn sign_in_as(app: &TestApp, client: &Client, login: &str, password: &str) -> String {
    let r = app
        .sign_in_request(
            client,
            &[
                ("login", login),
                ("password", password),
                ("next", "/admin/users"),
            ],
        )
        .await
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    r.headers()[LOCATION].to_str().expect("location").to_owned()
}

async fn body(client: &Client, url: &str) -> (StatusCode, String) {
    let r = client.get(url).send().await.expect("request");
    (r.status(), r.text().await.expect("body"))
}

async fn a_wrong_password_and_an_unknown_login_get_the_same_answer(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let c = client();
    let wrong = sign_in_as(&app, &c, "north", "not the password").await;
    let unknown = sign_in_as(&app, &c, "nobody-at-all", "not the password").await;
    assert_eq!(wrong, unknown);
    assert_eq!(wrong, "/login?error=refused&next=%2Fadmin%2Fusers");
    let (_, page) = body(&c, &app.url(&wrong)).await;
    assert!(page.contains("Неверный логин или пароль."));
    // The right password signs in and returns to where the user was going.
    let password = server::cli::demo::demo_password("north");
    let r = app
        .sign_in_request(
            &c,
            &[
                ("login", "north"),
                ("password", &password),
                ("next", "/work"),
            ],
        )
        .await
        .send()
        .await
        .expect("request");
    assert_eq!(r.headers()[LOCATION], "/work");
    let cookie = r.headers()[SET_COOKIE].to_str().expect("cookie").to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let (status, work) = body(&c, &app.url("/work")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(work.contains("Муниципальный координатор"), "{work}");
    // Never back to another site.
    let away = sign_in_as(&app, &client(), "north", "wrong").await;
    assert!(away.starts_with("/login"));
    let r = app
        .sign_in_request(
            &client(),
            &[
                ("login", "north"),
                ("password", &password),
                ("next", "//evil.example/"),
            ],
        )
        .await
        .send()
        .await
        .expect("request");
    assert_eq!(r.headers()[LOCATION], "/work");
    app.finish().await;
}

async fn failed_sign_ins_are_held_per_account(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let c = client();
    for _ in 0..5 {
        let at = sign_in_as(&app, &c, "curator", "guess").await;
        assert!(at.contains("error=refused"));
    }
    // Now even the right password waits, and the page says how long.
    let held = sign_in_as(
        &app,
        &c,
        "curator",
        &server::cli::demo::demo_password("curator"),
    )
    .await;
    // The first wait is short (30 seconds), and grows with each further failure.
    assert!(held.starts_with("/login?error=held&minutes=1"), "{held}");
    let (_, page) = body(&c, &app.url(&held)).await;
    assert!(page.contains("Слишком много неудачных попыток"));
    // An admin lifts the wait; the right password then signs in.
    let (admin, csrf) = app.sign_in("admin").await;
    let curator = app
        .storage
        .user_by_login("curator")
        .await
        .expect("query")
        .expect("the curator");
    let r = admin
        .post(app.url(&format!("/admin/users/{}/lift", curator.id)))
        .form(&[("_csrf", csrf.as_str())])
        .send()
        .await
        .expect("lift");
    assert_eq!(r.headers()[reqwest::header::LOCATION], "/admin/users");
    let again = sign_in_as(
        &app,
        &client(),
        "curator",
        &server::cli::demo::demo_password("curator"),
    )
    .await;
    assert_eq!(again, "/admin/users", "signed in after the lift");
    // Another account is not held.
    let other = sign_in_as(
        &app,
        &c,
        "school",
        &server::cli::demo::demo_password("school"),
    )
    .await;
    assert_eq!(other, "/admin/users");
    app.finish().await;
}

async fn signing_out_ends_the_session(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let (c, csrf) = app.sign_in("region").await;
    let r = c
        .post(app.url("/session/end"))
        .form(&[("_csrf", csrf.as_str())])
        .send()
        .await
        .expect("request");
    assert_eq!(r.headers()[LOCATION], "/login?error=ended");
    let r = c.get(app.url("/work")).send().await.expect("request");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()[LOCATION], "/login?next=%2Fwork");
    app.finish().await;
}

async fn a_changed_password_works_and_ends_other_sessions(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let (laptop, csrf) = app.sign_in("school").await;
    let (phone, _) = app.sign_in("school").await;
    let change = |current: String, new: &'static str| {
        let (laptop, csrf, url) = (laptop.clone(), csrf.clone(), app.url("/account/password"));
        async move {
            let r = laptop
                .post(url)
                .form(&[
                    ("_csrf", csrf.as_str()),
                    ("current", current.as_str()),
                    ("new", new),
                ])
                .send()
                .await
                .expect("request");
            r.headers()[LOCATION].to_str().expect("location").to_owned()
        }
    };
    let wrong = change("not mine".into(), "a brand new password").await;
    assert!(wrong.starts_with("/account?problem="));
    let (_, page) = body(&laptop, &app.url(&wrong)).await;
    assert!(page.contains("Текущий пароль введён неверно"));
    let short = change(server::cli::demo::demo_password("school"), "short").await;
    let (_, page) = body(&laptop, &app.url(&short)).await;
    assert!(page.contains("не короче 10 символов"));
    let done = change(
        server::cli::demo::demo_password("school"),
        "a brand new password",
    )
    .await;
    assert_eq!(done, "/account?changed=1");
    // This session goes on; the other device is signed out.
    assert_eq!(body(&laptop, &app.url("/work")).await.0, StatusCode::OK);
    assert_eq!(
        body(&phone, &app.url("/work")).await.0,
        StatusCode::SEE_OTHER
    );
    let again = sign_in_as(&app, &client(), "school", "a brand new password").await;
    assert_eq!(again, "/admin/users");
    app.finish().await;
}

async fn an_admin_creates_and_deactivates_an_account(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let (admin, csrf) = app.sign_in("admin").await;
    let (_, page) = body(&admin, &app.url("/admin/users")).await;
    let municipality = page
        .split("name=\"municipality\"")
        .nth(1)
        .and_then(|rest| rest.split("<option value=\"").nth(2))
        .and_then(|v| v.split('"').next())
        .expect("a municipality to choose")
        .to_owned();
    let create = |login: &'static str, password: &'static str| {
        let (admin, csrf, url, municipality) = (
            admin.clone(),
            csrf.clone(),
            app.url("/admin/users/new"),
            municipality.clone(),
        );
        async move {
            let r = admin
                .post(url)
                .form(&[
                    ("_csrf", csrf.as_str()),
                    ("login", login),
                    ("name", "Петрова А. В., методист"),
                    ("password", password),
                    ("role", "municipal"),
                    ("municipality", municipality.as_str()),
                ])
                .send()
                .await
                .expect("request");
            r.headers()[LOCATION].to_str().expect("location").to_owned()
        }
    };
    assert_eq!(create("petrova", "methodist-2026").await, "/admin/users");
    let taken = create("petrova", "methodist-2026").await;
    let (_, page) = body(&admin, &app.url(&taken)).await;
    assert!(page.contains("Такой логин уже есть"), "{page}");
    let (_, page) = body(&admin, &app.url("/admin/users")).await;
    assert!(page.contains("data-login=\"petrova\""));

    let petrova = client();
    assert_eq!(
        sign_in_as(&app, &petrova, "petrova", "methodist-2026").await,
        "/admin/users"
    );
    let (status, _) = body(&petrova, &app.url("/admin/users")).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a municipal coordinator is not an admin"
    );
    assert_eq!(body(&petrova, &app.url("/work")).await.0, StatusCode::OK);

    // Deactivated: the open session stops at once and signing in is refused.
    let id = page
        .split("data-login=\"petrova\"")
        .nth(1)
        .and_then(|rest| rest.split("/admin/users/").nth(1))
        .and_then(|v| v.split('/').next())
        .expect("petrova's id")
        .to_owned();
    let r = admin
        .post(app.url(&format!("/admin/users/{id}/active")))
        .form(&[("_csrf", csrf.as_str()), ("active", "false")])
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        body(&petrova, &app.url("/work")).await.0,
        StatusCode::SEE_OTHER
    );
    assert!(sign_in_as(&app, &client(), "petrova", "methodist-2026")
        .await
        .contains("refused"));
    app.finish().await;
}

async fn each_role_sees_the_campaign_with_its_schools_only(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    for (login, schools) in [
        ("admin", 6),
        ("region", 6),
        ("north", 3),
        ("curator", 2),
        ("school", 1),
    ] {
        let (c, _) = app.sign_in(login).await;
        let (_, page) = body(&c, &app.url("/work")).await;
        // The campaigns' table (the start page has other tables above it).
        let campaigns = page.split("class=\"campaigns\"").nth(1).unwrap_or_default();
        let cell = campaigns
            .split("class=\"num\">")
            .nth(1)
            .and_then(|r| r.split('<').next())
            .unwrap_or_else(|| panic!("{login}: no campaign row in {page}"));
        assert_eq!(cell, schools.to_string(), "{login}");
        assert_eq!(csrf_of(&page).len(), 32);
    }
    app.finish().await;
}

harness::on_both_backends!(
    a_wrong_password_and_an_unknown_login_get_the_same_answer,
    failed_sign_ins_are_held_per_account,
    signing_out_ends_the_session,
    a_changed_password_works_and_ends_other_sessions,
    an_admin_creates_and_deactivates_an_account,
    each_role_sees_the_campaign_with_its_schools_only,
);
