//! Real headless Chromium against the demo: the page is complete with JavaScript off, and with
//! JavaScript on it hydrates.

use std::time::Duration;

use fantoccini::Locator;
use harness::browser::{Browser, Js};
use harness::{Backend, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_home_page_renders_without_javascript_and_hydrates_with_it() {
    let app = TestApp::spawn(Backend::Sqlite).await.with_demo().await;

    let browser = Browser::start(Js::Off).await;
    browser
        .client
        .goto(&app.url("/"))
        .await
        .expect("page opens");
    let mode = browser
        .client
        .find(Locator::Id("page-mode"))
        .await
        .expect("mode mark");
    assert_eq!(
        mode.attr("data-hydrated").await.expect("attr").as_deref(),
        Some("false")
    );
    let body = browser
        .client
        .find(Locator::Css("body"))
        .await
        .expect("body")
        .text()
        .await
        .expect("text");
    assert!(body.contains("МБОУ «Берёзовская СОШ»"), "{body}");
    assert!(body.contains("Базовый режим"), "{body}");
    browser.close().await;

    let browser = Browser::start(Js::On).await;
    browser
        .client
        .goto(&app.url("/"))
        .await
        .expect("page opens");
    let hydrated = browser
        .client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("#page-mode[data-hydrated='true']"))
        .await
        .expect("the page hydrates");
    assert_eq!(hydrated.text().await.expect("text"), "Интерактивный режим");
    let body = browser
        .client
        .find(Locator::Css("body"))
        .await
        .expect("body")
        .text()
        .await
        .expect("text");
    assert!(
        body.contains("Приречный округ"),
        "hydration kept the server's content: {body}"
    );
    browser.close().await;

    app.finish().await;
}

/// Answers every question of the current page with its first option (numbers: 1) and goes on.
async fn answer_page(browser: &Browser) {
    let c = &browser.client;
    for fieldset in c
        .find_all(Locator::Css("fieldset"))
        .await
        .expect("fieldsets")
    {
        if let Ok(first) = fieldset
            .find(Locator::Css("input[type=radio], input[type=checkbox]"))
            .await
        {
            first.click().await.expect("choose");
        }
    }
    for input in c
        .find_all(Locator::Css("input.number"))
        .await
        .expect("numbers")
    {
        input.send_keys("1").await.expect("type");
    }
    browser.click(Locator::Css("button[value=next]")).await;
}

/// Types the code on the home page and opens its start page.
async fn open_with_code(browser: &Browser, app: &TestApp, code: &str) {
    browser.client.goto(&app.url("/")).await.expect("home");
    browser.type_into(Locator::Id("code"), code).await;
    browser.click(Locator::Css(".code-form button")).await;
}

async fn fill_student_questionnaire(js: Js) {
    let app = TestApp::spawn(Backend::Sqlite).await.with_demo().await;
    let code = app.demo_code("demo-01", "student").await;
    let before = app.demo_responses("demo-01", "student").await;
    let sections = surveys::Methodology::default_set()
        .expect("methodology")
        .instrument(surveys::Group::Student)
        .expect("student")
        .sections
        .len();

    let browser = Browser::start(js).await;
    open_with_code(&browser, &app, &code.to_lowercase()).await;
    browser
        .wait_for(Locator::LinkText("Начать"))
        .await
        .click()
        .await
        .expect("start");
    for page in 1..=sections {
        let progress = browser
            .wait_for(Locator::Css(".progress"))
            .await
            .text()
            .await
            .expect("text");
        assert!(
            progress.contains(&format!("Раздел {page} из {sections}")),
            "page {page}: {progress}"
        );
        answer_page(&browser).await;
        if page < sections {
            browser
                .wait_for_url(&app.url(&format!("/s/{code}/p/{}", page + 1)))
                .await;
        }
    }
    // Wait for the thank-you address first: the last question page also has an <h1>.
    browser
        .wait_for_url(&app.url(&format!("/s/{code}/thanks")))
        .await;
    let heading = browser
        .wait_for(Locator::Css("h1"))
        .await
        .text()
        .await
        .expect("text");
    assert_eq!(heading, "Спасибо! Ответы отправлены");
    assert_eq!(app.demo_responses("demo-01", "student").await, before + 1);
    browser.close().await;
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_student_fills_the_whole_questionnaire_without_javascript() {
    fill_student_questionnaire(Js::Off).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_student_fills_the_whole_questionnaire_with_javascript() {
    fill_student_questionnaire(Js::On).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn respondent_pages_have_no_serious_accessibility_violations() {
    let app = TestApp::spawn(Backend::Sqlite).await.with_demo().await;
    let code = app.demo_code("demo-01", "principal").await;
    let browser = Browser::start(Js::On).await;
    // A refused page first, so that the error summary and field errors are checked too.
    browser
        .client
        .goto(&app.url(&format!("/s/{code}/p/1")))
        .await
        .expect("page 1");
    browser.click(Locator::Css("button[value=next]")).await;
    browser.wait_for(Locator::Css(".error-summary")).await;
    let pages = [
        ("home", "/".to_owned()),
        ("start", format!("/s/{code}")),
        ("question page with errors", format!("/s/{code}/p/1")),
        ("question page", format!("/s/{code}/p/2")),
        ("thank-you page", format!("/s/{code}/thanks")),
    ];
    let mut found = Vec::new();
    for (name, path) in &pages {
        browser
            .client
            .goto(&app.url(path))
            .await
            .expect("page opens");
        for v in harness::axe::serious_violations(&browser.client).await {
            found.push(format!(
                "{name}: {} ({}) at {:?}",
                v.rule, v.impact, v.targets
            ));
        }
    }
    browser.close().await;
    app.finish().await;
    assert!(
        found.is_empty(),
        "accessibility violations:\n{}",
        found.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_half_filled_questionnaire_resumes_where_it_was_left() {
    let app = TestApp::spawn(Backend::Sqlite).await.with_demo().await;
    let code = app.demo_code("demo-02", "parent").await;
    let browser = Browser::start(Js::Off).await;
    browser
        .client
        .goto(&app.url(&format!("/s/{code}/p/1")))
        .await
        .expect("page 1");
    answer_page(&browser).await;
    let page2 = app.url(&format!("/s/{code}/p/2"));
    browser.wait_for_url(&page2).await;

    // Later, the same phone: the code again, and «Продолжить» leads to page 2.
    open_with_code(&browser, &app, &code).await;
    browser
        .wait_for(Locator::LinkText("Продолжить"))
        .await
        .click()
        .await
        .expect("continue");
    browser.wait_for_url(&page2).await;
    // Page 1 still holds the answers given before.
    browser
        .client
        .goto(&app.url(&format!("/s/{code}/p/1")))
        .await
        .expect("page 1 again");
    let checked = browser
        .client
        .find_all(Locator::Css("input[type=radio]:checked"))
        .await
        .expect("checked");
    assert!(
        checked.len() >= 4,
        "page 1 answers were kept ({} checked)",
        checked.len()
    );
    browser.close().await;
    app.finish().await;
}
