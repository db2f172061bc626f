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
    let radios = c
        .find_all(Locator::Css("fieldset"))
        .await
        .expect("fieldsets");
    for fieldset in radios {
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
    c.find(Locator::Css("button[value=next]"))
        .await
        .expect("next")
        .click()
        .await
        .expect("submit");
}

async fn fill_student_questionnaire(js: Js) {
    let app = TestApp::spawn(Backend::Sqlite).await.with_demo().await;
    let code = app.demo_code("demo-01", "student").await;
    let before = app.demo_responses("demo-01", "student").await;

    let browser = Browser::start(js).await;
    let c = &browser.client;
    c.goto(&app.url("/")).await.expect("home");
    c.find(Locator::Id("code"))
        .await
        .expect("code field")
        .send_keys(&code.to_lowercase())
        .await
        .expect("type");
    c.find(Locator::Css(".code-form button"))
        .await
        .expect("open")
        .click()
        .await
        .expect("submit");
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::LinkText("Начать"))
        .await
        .expect("start page")
        .click()
        .await
        .expect("start");
    let instrument = surveys::Methodology::default_set()
        .expect("m")
        .instrument(surveys::Group::Student)
        .expect("student")
        .clone();
    for page in 1..=instrument.sections.len() {
        let progress = format!("Раздел {page} из {}", instrument.sections.len());
        let body = c
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(".progress"))
            .await
            .expect("progress");
        assert!(
            body.text().await.expect("text").contains(&progress),
            "page {page}"
        );
        answer_page(&browser).await;
        if page < instrument.sections.len() {
            c.wait()
                .at_most(Duration::from_secs(10))
                .for_url(
                    &url::Url::parse(&app.url(&format!("/s/{code}/p/{}", page + 1))).expect("url"),
                )
                .await
                .expect("next page");
        }
    }
    // Wait for the thank-you address first: the last question page also has an <h1>.
    let thanks_url = url::Url::parse(&app.url(&format!("/s/{code}/thanks"))).expect("url");
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_url(&thanks_url)
        .await
        .expect("thank-you page");
    let thanks = c
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("h1"))
        .await
        .expect("heading");
    assert_eq!(
        thanks.text().await.expect("text"),
        "Спасибо! Ответы отправлены"
    );
    let after = app.demo_responses("demo-01", "student").await;
    assert_eq!(after, before + 1);
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
    let c = &browser.client;
    let mut pages = vec![
        ("home", "/".to_owned()),
        ("start", format!("/s/{code}")),
        ("question page", format!("/s/{code}/p/1")),
    ];
    c.goto(&app.url(&pages[2].1)).await.expect("page 1");
    // A refused page, with its error summary and field errors.
    c.find(Locator::Css("button[value=next]"))
        .await
        .expect("next")
        .click()
        .await
        .expect("submit");
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(".error-summary"))
        .await
        .expect("errors");
    pages.push(("question page with errors", format!("/s/{code}/p/1")));
    pages.push(("thank-you page", format!("/s/{code}/thanks")));
    let mut found = Vec::new();
    for (name, path) in &pages {
        c.goto(&app.url(path)).await.expect("page opens");
        for v in harness::axe::serious_violations(c).await {
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
    let c = &browser.client;
    c.goto(&app.url(&format!("/s/{code}/p/1")))
        .await
        .expect("page 1");
    answer_page(&browser).await;
    let page2 = url::Url::parse(&app.url(&format!("/s/{code}/p/2"))).expect("url");
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_url(&page2)
        .await
        .expect("page 2");

    // Later, the same phone: the code again, and «Продолжить» leads to page 2.
    c.goto(&app.url("/")).await.expect("home");
    c.find(Locator::Id("code"))
        .await
        .expect("code")
        .send_keys(&code)
        .await
        .expect("type");
    c.find(Locator::Css(".code-form button"))
        .await
        .expect("open")
        .click()
        .await
        .expect("open");
    let resume = c
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::LinkText("Продолжить"))
        .await
        .expect("resume link");
    resume.click().await.expect("continue");
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_url(&page2)
        .await
        .expect("back on page 2");
    // Page 1 still holds the answers given before.
    c.goto(&app.url(&format!("/s/{code}/p/1")))
        .await
        .expect("page 1 again");
    let checked = c
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
