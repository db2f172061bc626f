//! Bad input to coordinators' forms is refused with the field named, never a server error: dates a
//! campaign cannot have, a school ticked twice, a territory that does not exist, a password no one
//! types.

use harness::{csrf_of, Backend, TestApp};
use reqwest::header::LOCATION;
use reqwest::StatusCode;

async fn posted(client: &reqwest::Client, url: String, form: &[(String, String)]) -> String {
    let r = client.post(url).form(form).send().await.expect("request");
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "no server error");
    r.headers()[LOCATION].to_str().expect("location").to_owned()
}

fn field(k: &str, v: &str) -> (String, String) {
    (k.to_owned(), v.to_owned())
}

async fn a_campaign_with_odd_dates_or_a_school_twice_is_refused_field_by_field(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let (_, school) = app.demo_school("demo-01").await;
    let (region, _) = app.sign_in("region").await;
    let csrf = csrf_of(&harness::text(&region, &app.url("/work/campaigns/new")).await);
    let id = school.to_string();
    let location = posted(
        &region,
        app.url("/work/campaigns"),
        &[
            field("_csrf", &csrf),
            field("name", "Осень"),
            field("code", "osen-0202"),
            field("opens_on", "0202-09-01"),
            field("closes_on", "9999-10-01"),
            field("grades", "5-11"),
            field("school", &id),
            field("school", &id),
            field(&format!("teachers_{id}"), "10"),
            field(&format!("students_{id}"), "50"),
            field(&format!("parents_{id}"), "50"),
        ],
    )
    .await;
    assert!(
        location.starts_with("/work/campaigns/new?problem="),
        "{location}"
    );
    let page = harness::text(&region, &app.url(&location)).await;
    for text in [
        "Начало: год кампании — от 2000 до 2100",
        "Окончание: год кампании — от 2000 до 2100",
        "Школы: одна и та же школа отмечена дважды",
    ] {
        assert!(page.contains(text), "«{text}» in {page}");
    }
    assert!(app
        .storage
        .campaign_by_code("osen-0202")
        .await
        .expect("query")
        .is_none());
    app.finish().await;
}

async fn an_account_for_a_territory_that_does_not_exist_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let (admin, _) = app.sign_in("admin").await;
    let csrf = csrf_of(&harness::text(&admin, &app.url("/admin/users")).await);
    let location = posted(
        &admin,
        app.url("/admin/users/new"),
        &[
            field("_csrf", &csrf),
            field("login", "ghost"),
            field("name", "Никто"),
            field("password", "a long enough password"),
            field("role", "municipal"),
            field("municipality", "987654"),
        ],
    )
    .await;
    assert!(location.starts_with("/admin/users?problem="), "{location}");
    let page = harness::text(&admin, &app.url(&location)).await;
    assert!(
        page.contains("такой территории или школы нет в реестре"),
        "{page}"
    );
    assert!(app
        .storage
        .user_by_login("ghost")
        .await
        .expect("query")
        .is_none());
    app.finish().await;
}

async fn every_problem_of_an_account_or_a_campaign_form_is_named_at_once(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let (admin, _) = app.sign_in("admin").await;
    let csrf = csrf_of(&harness::text(&admin, &app.url("/admin/users")).await);
    let location = posted(
        &admin,
        app.url("/admin/users/new"),
        &[
            field("_csrf", &csrf),
            field("login", "two words"),
            field("name", &"Я".repeat(201)),
            field("password", "a long enough password"),
            field("role", "regional"),
        ],
    )
    .await;
    let page = harness::text(&admin, &app.url(&location)).await;
    for text in [
        "Логин: буквы, цифры и . - _ @, без пробелов",
        "Имя: не длиннее 200 символов",
        "Для этой роли укажите её территорию или школы",
    ] {
        assert!(page.contains(text), "«{text}» in {location}");
    }
    // Switching an account on or off takes only «true» or «false».
    let location = posted(
        &admin,
        app.url("/admin/users/1/active"),
        &[field("_csrf", &csrf), field("active", "maybe")],
    )
    .await;
    let page = harness::text(&admin, &app.url(&location)).await;
    assert!(page.contains("Учётная запись активна:"), "{location}");
    let (region, _) = app.sign_in("region").await;
    let csrf = csrf_of(&harness::text(&region, &app.url("/work/campaigns/new")).await);
    let location = posted(
        &region,
        app.url("/work/campaigns"),
        &[
            field("_csrf", &csrf),
            field("name", ""),
            field("code", "vesna-2027"),
            field("opens_on", "2027-04-01"),
            field("closes_on", "2027-05-10"),
            field("grades", ""),
        ],
    )
    .await;
    let page = harness::text(&region, &app.url(&location)).await;
    for text in [
        "Название: укажите название",
        "Классы: например 5-11",
        "Школы: отметьте хотя бы одну школу",
    ] {
        assert!(page.contains(text), "«{text}» in {location}");
    }
    app.finish().await;
}

async fn a_password_no_one_types_is_refused_before_it_is_hashed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let r = harness::client()
        .post(app.url("/session"))
        .form(&[("login", "north"), ("password", &"x".repeat(100_000))])
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let text = r.text().await.expect("body");
    assert!(text.contains("Пароль: не длиннее 1024 символов"), "{text}");
    let r = harness::client()
        .get(app.url(&format!("/lang/en?back=/{}", "a".repeat(5_000))))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    app.finish().await;
}

async fn a_server_function_with_bad_arguments_is_a_client_error(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let (region, _) = app.sign_in("region").await;
    for (function, body) in [
        ("work-monitor", "nothing=1"),
        ("work-profile", "campaign=abc&school=1"),
    ] {
        let r = region
            .post(app.url(&format!("/api/{function}")))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("request");
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{function}");
        let text = r.text().await.expect("body");
        assert!(text.contains("BadRequest"), "{function}: {text}");
    }
    app.finish().await;
}

/// A refusal names the field and the reason in the reader's language, whichever way it leaves:
/// a plain route's answer and a server function's.
async fn a_refusal_is_worded_in_the_readers_language(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let english = |request: reqwest::RequestBuilder| request.header("cookie", "orientir_lang=en");
    let r = english(harness::client().post(app.url("/session")))
        .form(&[("login", "north"), ("password", &"x".repeat(100_000))])
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let text = r.text().await.expect("body");
    assert!(text.contains("Password: "), "{text}");
    assert!(!text.contains("Пароль"), "{text}");
    let (region, _) = app.sign_in("region").await;
    let r = region
        .post(app.url("/api/work-support"))
        .form(&[("filter[show]", "visits"), ("filter[state]", "nothing")])
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(
        r.text().await.expect("body").contains("Состояние: "),
        "Russian by default"
    );
    // The reader switches to English (the language cookie joins the session's).
    region
        .get(app.url("/lang/en?back=/work"))
        .send()
        .await
        .expect("language");
    let r = region
        .post(app.url("/api/work-support"))
        .form(&[("filter[show]", "visits"), ("filter[state]", "nothing")])
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let text = r.text().await.expect("body");
    assert!(text.contains("Status: "), "{text}");
    app.finish().await;
}

harness::on_both_backends!(
    a_refusal_is_worded_in_the_readers_language,
    every_problem_of_an_account_or_a_campaign_form_is_named_at_once,
    a_server_function_with_bad_arguments_is_a_client_error,
    a_campaign_with_odd_dates_or_a_school_twice_is_refused_field_by_field,
    an_account_for_a_territory_that_does_not_exist_is_refused,
    a_password_no_one_types_is_refused_before_it_is_hashed,
);
