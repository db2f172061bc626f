//! Educational results in a real browser, with JavaScript off and on: the region imports a file
//! through the page's form, reads the candidate list and puts a school into a cohort, opens a
//! school's card with its charts; the school opens its own card. axe checks every page at 320,
//! 768 and 1280 px wide.

use fantoccini::Locator;
use harness::browser::{Browser, Js};
use harness::{Backend, TestApp};

use super::sign_in;

pub(super) async fn open(browser: &Browser, app: &TestApp, path: &str, js: Js, ready: &str) {
    browser.client.goto(&app.url(path)).await.expect("page");
    browser.wait_for(Locator::Css(ready)).await;
    if js == Js::On {
        browser
            .wait_for(Locator::Css("header.work-bar[data-hydrated='true']"))
            .await;
    }
}

pub(super) async fn text_of(browser: &Browser, css: &str) -> String {
    browser
        .wait_for(Locator::Css(css))
        .await
        .text()
        .await
        .expect("text")
}

/// axe at three widths: nothing serious or critical.
pub(super) async fn axe_at_every_width(browser: &Browser, page: &str) {
    for (width, height) in [(320, 800), (768, 1000), (1280, 900)] {
        browser
            .client
            .set_window_size(width, height)
            .await
            .expect("window size");
        let found = harness::axe::serious_violations(&browser.client).await;
        assert!(found.is_empty(), "{page} at {width} px: {found:?}");
    }
}

/// Waits (up to ten seconds) until the element's text holds `words`.
pub(super) async fn until_text(browser: &Browser, css: &str, words: &str) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let now = match browser.client.find(Locator::Css(css)).await {
            Ok(e) => e.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if now.contains(words) {
            return now;
        }
        if std::time::Instant::now() >= deadline {
            let body = browser.client.source().await.unwrap_or_default();
            panic!("{css} reads {now:?}, without {words:?}: {body}");
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

async fn results_and_cards(js: Js) {
    let app = TestApp::spawn(Backend::Sqlite)
        .await
        .with_demo_results()
        .await;
    let folder = tempfile::tempdir().expect("folder");
    let browser = Browser::start(js).await;
    sign_in(&browser, &app, "region").await;

    // The region's page: candidates with their reasons, the school that may leave the list.
    open(&browser, &app, "/work/results", js, "table.candidates").await;
    let candidates = text_of(&browser, "table.candidates").await;
    assert!(candidates.contains("МБОУ «Лесновская СОШ»"), "{candidates}");
    assert!(candidates.contains("доля «2»"), "{candidates}");
    assert!(text_of(&browser, "ul.leaving")
        .await
        .contains("Заречная СОШ"));
    if js == Js::On {
        axe_at_every_width(&browser, "results").await;
    }

    // An import through the page's form: a template file for 2027.
    let file = folder.path().join("vpr-2027.csv");
    std::fs::write(
        &file,
        "assessment,school_code,school_name,participants,mark2,mark3,mark4,mark5\nvpr-rus-5,demo-01,,18,1,8,6,3\n",
    )
    .expect("file");
    browser
        .client
        .set_window_size(1280, 900)
        .await
        .expect("size");
    browser
        .client
        .find(Locator::Id("r-year"))
        .await
        .expect("year")
        .clear()
        .await
        .expect("cleared");
    browser.type_into(Locator::Id("r-year"), "2027").await;
    browser
        .type_into(Locator::Id("r-file"), file.to_str().expect("path"))
        .await;
    browser
        .click(Locator::Css("form.results-import button[type=submit]"))
        .await;
    until_text(&browser, "p.notice", "Загружено строк: 1.").await;

    // A school that only carries flags is ticked into a cohort.
    let demo_02 = app
        .storage
        .schools_with_place()
        .await
        .expect("schools")
        .into_iter()
        .find(|s| s.code == "demo-02")
        .expect("demo-02")
        .id;
    open(
        &browser,
        &app,
        "/work/results?year=2026",
        js,
        "table.candidates",
    )
    .await;
    for checked in browser
        .client
        .find_all(Locator::Css(
            "table.candidates input[type=checkbox]:checked",
        ))
        .await
        .expect("ticks")
    {
        checked.click().await.expect("untick");
    }
    browser.click(Locator::Id(&format!("pick-{demo_02}"))).await;
    browser
        .client
        .find(Locator::Css(
            "#c-category option[value='difficult_conditions']",
        ))
        .await
        .expect("option")
        .click()
        .await
        .expect("choose");
    browser
        .click(Locator::Css("form.cohort-form button[type=submit]"))
        .await;
    until_text(&browser, "p.notice", "Изменено школ в категории: 1.").await;

    // The card, opened from the list: charts drawn on the server, the table beside them.
    open(
        &browser,
        &app,
        &format!("/work/schools/{demo_02}"),
        js,
        "section.card-results",
    )
    .await;
    let card = text_of(&browser, "main").await;
    assert!(card.contains("признак необъективности"), "{card}");
    assert!(
        card.contains("школы в сложных социальных условиях (2026)"),
        "{card}"
    );
    let points = browser
        .client
        .find_all(Locator::Css("svg.chart-svg circle.point"))
        .await
        .expect("points");
    assert!(points.len() >= 3, "a point per year");
    if js == Js::On {
        axe_at_every_width(&browser, "card").await;
    }

    // The school's own card.
    browser.client.delete_all_cookies().await.expect("cookies");
    sign_in(&browser, &app, "school").await;
    let own = app
        .storage
        .schools_with_place()
        .await
        .expect("schools")
        .into_iter()
        .find(|s| s.code == "demo-01")
        .expect("demo-01")
        .id;
    open(
        &browser,
        &app,
        &format!("/work/schools/{own}"),
        js,
        "section.card-results",
    )
    .await;
    assert!(text_of(&browser, "h1").await.contains("Берёзовская"));
    if js == Js::On {
        axe_at_every_width(&browser, "school's own card").await;
    }
    browser.close().await;
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_and_cards_without_javascript() {
    harness::within_time_limit(results_and_cards(Js::Off)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_and_cards_with_javascript() {
    harness::within_time_limit(results_and_cards(Js::On)).await;
}
