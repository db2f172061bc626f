//! Real headless Chromium against the demo: the page is complete with JavaScript off, and with
//! JavaScript on it hydrates.

use std::time::Duration;

use fantoccini::Locator;
use harness::browser::{Browser, Js};
use harness::{Backend, TestApp};

mod audit;
mod development;
mod every_page;
mod exports;
mod programmes;
mod results;
mod screenshots;
mod support;

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

    let browser = Browser::start(js).await;
    open_with_code(&browser, &app, &code.to_lowercase()).await;
    browser
        .wait_for(Locator::LinkText("Начать"))
        .await
        .click()
        .await
        .expect("start");
    answer_every_page(&browser, &app, &code, js, None).await;
    assert_eq!(app.demo_responses("demo-01", "student").await, before + 1);
    browser.close().await;
    app.finish().await;
}

/// Answers every page of the student questionnaire from its first, checking each page's
/// progress line (and with JavaScript that the page checks answers live and that each next page
/// comes in the answer to the live form's post, without a page load), up to the thank-you
/// page. `meter`, when given, adds up the bytes each page transferred. Returns how many pages
/// there were.
async fn answer_every_page(
    browser: &Browser,
    app: &TestApp,
    code: &str,
    js: Js,
    mut meter: Option<&mut u64>,
) -> usize {
    let sections = surveys::Methodology::default_set()
        .expect("methodology")
        .instrument(surveys::Group::Student)
        .expect("student")
        .sections
        .len();
    for page in 1..=sections {
        if js == Js::On {
            // The island is live, with the questionnaire's rules.
            browser.wait_for(Locator::Css("[data-live='true']")).await;
            if page == 1 {
                set_reload_marker(browser).await;
            }
        }
        if let Some(meter) = meter.as_deref_mut() {
            *meter += transferred(browser).await;
        }
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
        answer_page(browser).await;
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
    if js == Js::On {
        assert!(
            reload_marker_survives(browser).await,
            "the pages came without a page load"
        );
    }
    if let Some(meter) = meter {
        *meter += transferred(browser).await;
    }
    sections
}

/// Marks the page's JavaScript world; a full page load would lose the mark.
async fn set_reload_marker(browser: &Browser) {
    browser
        .client
        .execute("window.orientirNoReload = 42;", vec![])
        .await
        .expect("script");
}

async fn reload_marker_survives(browser: &Browser) -> bool {
    browser
        .client
        .execute("return window.orientirNoReload === 42;", vec![])
        .await
        .expect("script")
        .as_bool()
        .unwrap_or(false)
}

/// Waits up to ten seconds for the element to be shown (or hidden).
async fn wait_displayed(browser: &Browser, css: &str, shown: bool) {
    for _ in 0..100 {
        let displayed = match browser.client.find(Locator::Css(css)).await {
            Ok(e) => e.is_displayed().await.unwrap_or(false),
            Err(_) => false,
        };
        if displayed == shown {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "{css} never became {}",
        if shown { "visible" } else { "hidden" }
    );
}

/// With the bundle users get (wasm-opt -Oz, as every test serves).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hydrated_page_checks_answers_and_reveals_follow_ups_as_they_are_given() {
    let app = TestApp::spawn(Backend::Sqlite).await.with_demo().await;
    let code = app.demo_code("demo-03", "principal").await;
    let browser = Browser::start(Js::On).await;
    let page1 = app.url(&format!("/s/{code}/p/1"));
    browser.client.goto(&page1).await.expect("page 1");
    browser.wait_for(Locator::Css("[data-live='true']")).await;
    set_reload_marker(&browser).await;

    // A follow-up appears as soon as its condition holds, and goes when it no longer does.
    wait_displayed(&browser, "[data-item='language_lessons']", false).await;
    browser
        .type_into(Locator::Id("input-students_non_russian"), "12")
        .await;
    wait_displayed(&browser, "[data-item='language_lessons']", true).await;
    let input = browser
        .client
        .find(Locator::Id("input-students_non_russian"))
        .await
        .expect("input");
    input.clear().await.expect("clear");
    input.send_keys("0").await.expect("type");
    wait_displayed(&browser, "[data-item='language_lessons']", false).await;

    // A wrong number is refused as soon as the field is left, in the server's own words.
    browser
        .type_into(Locator::Id("input-students"), "двести")
        .await;
    browser.click(Locator::Id("input-students_failing")).await;
    let error = browser
        .wait_for(Locator::Css("#field-students .field-error:not([hidden])"))
        .await;
    assert_eq!(error.text().await.expect("text"), "«двести» — не число");
    // Corrected, the message goes.
    let input = browser
        .client
        .find(Locator::Id("input-students"))
        .await
        .expect("input");
    input.clear().await.expect("clear");
    input.send_keys("200").await.expect("type");
    wait_displayed(&browser, "#field-students .field-error", false).await;

    // «Далее» with questions unanswered: the summary, without a trip to the server.
    browser.click(Locator::Css("button[value=next]")).await;
    let summary = browser
        .wait_for(Locator::Css(".error-summary:not([hidden])"))
        .await;
    assert!(summary
        .text()
        .await
        .expect("text")
        .contains("Ответьте на этот вопрос"));
    assert_eq!(
        browser.client.current_url().await.expect("url").as_str(),
        page1
    );
    assert!(reload_marker_survives(&browser).await, "no reload happened");
    browser.close().await;
    app.finish().await;
}

/// Bytes transferred since the last call in this document (all of them in a new document): the
/// page itself and everything it fetched (scripts, wasm, stylesheet, the rules, the pages a live
/// form posted for), compressed, with headers; nothing for what came from the browser's cache.
async fn transferred(browser: &Browser) -> u64 {
    browser
        .client
        .execute(
            "const total = performance.getEntriesByType('navigation')
                 .concat(performance.getEntriesByType('resource'))
                 .reduce((sum, e) => sum + e.transferSize, 0);
             const counted = window.orientirCounted || 0;
             window.orientirCounted = total;
             return total - counted;",
            vec![],
        )
        .await
        .expect("script")
        .as_u64()
        .expect("a number")
}

/// What a respondent's first visit may transfer in all (150 KB): the respondents' pages are
/// rendered by the server and load only their islands' bundle (the live form), which browsers keep.
const FIRST_VISIT_BUDGET: u64 = 150_000;

/// A respondent on a phone with a slow line: the first visit — the home page, the code typed,
/// a whole questionnaire with live checks — stays within `FIRST_VISIT_BUDGET` with the release
/// bundle, counting every page's document and what it fetched.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_respondents_first_visit_stays_within_its_byte_budget() {
    let app = TestApp::spawn(Backend::Sqlite).await.with_demo().await;
    let code = app.demo_code("demo-02", "student").await;
    let before = app.demo_responses("demo-02", "student").await;
    let browser = Browser::start(Js::On).await;
    browser.client.goto(&app.url("/")).await.expect("home");
    // The bundle has loaded: the page's one island has run.
    browser
        .wait_for(Locator::Css("#page-mode[data-hydrated='true']"))
        .await;
    let mut total = transferred(&browser).await;
    let bundle = total;
    browser.type_into(Locator::Id("code"), &code).await;
    browser.click(Locator::Css(".code-form button")).await;
    let start_page = browser.wait_for(Locator::LinkText("Начать")).await;
    total += transferred(&browser).await;
    start_page.click().await.expect("start");
    let sections = answer_every_page(&browser, &app, &code, Js::On, Some(&mut total)).await;
    eprintln!("a respondent's first visit: {total} bytes ({sections} sections; the home page with the bundle {bundle})");
    assert!(bundle > 20_000, "the bundle was counted: {bundle} bytes");
    assert!(total <= FIRST_VISIT_BUDGET, "{total} bytes transferred");
    assert_eq!(app.demo_responses("demo-02", "student").await, before + 1);
    browser.close().await;
    app.finish().await;
}

/// The whole app's router does not run question pages (only the respondents' bundle makes them
/// live): a link to one from a coordinator's page loads it from the server, live.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_from_a_coordinators_page_to_a_question_page_loads_it_from_the_server() {
    let app = TestApp::spawn(Backend::Sqlite).await.with_demo().await;
    let code = app.demo_code("demo-01", "student").await;
    let browser = Browser::start(Js::On).await;
    sign_in(&browser, &app, "north").await;
    browser
        .wait_for(Locator::Css("header.work-bar[data-hydrated='true']"))
        .await;
    set_reload_marker(&browser).await;
    browser
        .client
        .execute(
            &format!(
                "const a = document.createElement('a'); a.href = '/s/{code}/p/1'; a.textContent = 'x';
                 document.body.appendChild(a); a.click();"
            ),
            vec![],
        )
        .await
        .expect("script");
    browser
        .wait_for_url(&app.url(&format!("/s/{code}/p/1")))
        .await;
    browser.wait_for(Locator::Css("[data-live='true']")).await;
    assert!(
        !reload_marker_survives(&browser).await,
        "loaded from the server"
    );
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
    // A personal code's thank-you page opens only once it was sent: a group code's is checked.
    let group = app.demo_code("demo-01", "student").await;
    let browser = Browser::start(Js::On).await;
    // A refused page first, so that the error summary and field errors are checked too.
    browser
        .client
        .goto(&app.url(&format!("/s/{code}/p/1")))
        .await
        .expect("page 1");
    browser.click(Locator::Css("button[value=next]")).await;
    browser
        .wait_for(Locator::Css(".error-summary:not([hidden])"))
        .await;
    let pages = [
        ("home", "/".to_owned()),
        ("start", format!("/s/{code}")),
        ("question page with errors", format!("/s/{code}/p/1")),
        ("question page", format!("/s/{code}/p/2")),
        ("thank-you page", format!("/s/{group}/thanks")),
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn respondent_pages_fit_a_320_pixel_phone_without_sideways_scrolling() {
    let app = TestApp::spawn(Backend::Sqlite).await.with_demo().await;
    let code = app.demo_code("demo-01", "principal").await;
    let browser = Browser::start(Js::Off).await;
    browser
        .client
        .set_window_size(320, 640)
        .await
        .expect("window size");
    let width = browser
        .client
        .execute("return window.innerWidth;", vec![])
        .await
        .expect("script");
    assert!(
        width.as_i64().is_some_and(|w| w <= 320),
        "the window is a phone's: {width}"
    );
    for path in [
        "/".to_owned(),
        format!("/s/{code}"),
        format!("/s/{code}/p/1"),
        format!("/s/{code}/p/2"),
    ] {
        browser
            .client
            .goto(&app.url(&path))
            .await
            .expect("page opens");
        let overflow = browser
            .client
            .execute(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
                vec![],
            )
            .await
            .expect("script");
        assert_eq!(
            overflow.as_i64(),
            Some(0),
            "{path} scrolls sideways at 320 px"
        );
    }
    browser.close().await;
    app.finish().await;
}

/// Signs in with a demo account through the sign-in page, as a coordinator does.
pub(crate) async fn sign_in(browser: &Browser, app: &TestApp, login: &str) {
    browser.client.goto(&app.url("/work")).await.expect("work");
    // Not signed in: the sign-in page, which returns to /work afterwards.
    browser.wait_for(Locator::Id("login")).await;
    browser.type_into(Locator::Id("login"), login).await;
    browser
        .type_into(
            Locator::Id("password"),
            &server::cli::demo::demo_password(login),
        )
        .await;
    browser.click(Locator::Css(".login-form button")).await;
    browser.wait_for_url(&app.url("/work")).await;
}

/// A municipal coordinator signs in, opens the matrix, a school's profile and downloads the
/// workbook — with JavaScript, and the same pages with their data without it.
async fn coordinator_walkthrough(js: Js) {
    let app = TestApp::spawn(Backend::Sqlite).await.with_demo().await;
    let browser = Browser::start(js).await;
    sign_in(&browser, &app, "north").await;
    browser
        .wait_for(Locator::LinkText("Матрица рисков"))
        .await
        .click()
        .await
        .expect("matrix");
    let table = browser.wait_for(Locator::Css(".matrix-table")).await;
    if js == Js::On {
        browser
            .wait_for(Locator::Css("header.work-bar[data-hydrated='true']"))
            .await;
    }
    let rows = table
        .find_all(Locator::Css("tbody tr"))
        .await
        .expect("rows");
    assert_eq!(rows.len(), 3, "the north's three schools");
    let school = rows[0]
        .find(Locator::Css("th a"))
        .await
        .expect("school link");
    let name = school.text().await.expect("name");
    school.click().await.expect("open profile");
    let heading = browser.wait_for(Locator::Css("h1")).await;
    browser.wait_for(Locator::Css("details.factor")).await;
    if js == Js::On {
        browser
            .wait_for(Locator::Css("header.work-bar[data-hydrated='true']"))
            .await;
    }
    assert_eq!(heading.text().await.expect("text"), name);
    let bars = browser
        .client
        .find_all(Locator::Css("svg.chart rect"))
        .await
        .expect("chart");
    assert_eq!(bars.len(), 20, "the chart is drawn on the server");
    // A factor opens to its indicators (a plain <details>, with or without JavaScript).
    browser.click(Locator::Css("details.factor summary")).await;
    let why = browser
        .wait_for(Locator::Css("details.factor[open] .why"))
        .await;
    assert!(!why.text().await.expect("text").is_empty());
    if js == Js::On {
        for (page, url) in [
            (
                "profile",
                browser.client.current_url().await.expect("url").to_string(),
            ),
            (
                "matrix",
                app.url(&format!(
                    "/work/campaigns/{}/matrix",
                    app.demo_campaign().await
                )),
            ),
            (
                "monitor",
                app.url(&format!(
                    "/work/campaigns/{}/monitor",
                    app.demo_campaign().await
                )),
            ),
        ] {
            browser.client.goto(&url).await.expect("page");
            let found = harness::axe::serious_violations(&browser.client).await;
            assert!(found.is_empty(), "{page}: {found:?}");
        }
        // The workbook link downloads with the session.
        let size = browser
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 const link = [...document.querySelectorAll('a')].find(a => a.href.endsWith('/monitor'));
                 const id = link.href.split('/campaigns/')[1].split('/')[0];
                 fetch('/export/campaigns/' + id + '/matrix.xlsx').then(r => r.ok ? r.arrayBuffer() : null)
                   .then(b => done(b ? b.byteLength : 0), () => done(-1));",
                vec![],
            )
            .await
            .expect("download");
        assert!(
            size.as_i64().is_some_and(|n| n > 4000),
            "the workbook: {size}"
        );
    }
    sorts_and_searches_the_matrix(&browser, &app, js).await;
    browser.close().await;
    app.finish().await;
}

/// The names in a list's rows, in order. Hydrated, the list may be drawn once more just after a
/// navigation: rows that went stale while being read are read again.
async fn row_names(browser: &Browser) -> Vec<String> {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    'read: loop {
        let mut names = Vec::new();
        for cell in browser
            .client
            .find_all(Locator::Css("tbody th[scope='row'] > a"))
            .await
            .expect("rows")
        {
            match cell.text().await {
                Ok(name) => names.push(name),
                Err(e) => {
                    assert!(std::time::Instant::now() < deadline, "rows: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue 'read;
                }
            }
        }
        return names;
    }
}

/// Sorts the matrix by its school column with a click and waits for the order (`ascending`,
/// `descending`) the header then reports.
async fn sort_by_school(browser: &Browser, order: &str) {
    browser
        .click(Locator::Css(".matrix-table thead th:first-child a"))
        .await;
    browser
        .wait_for(Locator::Css(&format!(
            ".matrix-table th[aria-sort='{order}']"
        )))
        .await;
}

/// The matrix sorts by its school column (with JavaScript in place: the page is not loaded
/// again) and searches by name through its filter form.
async fn sorts_and_searches_the_matrix(browser: &Browser, app: &TestApp, js: Js) {
    let matrix = app.url(&format!(
        "/work/campaigns/{}/matrix",
        app.demo_campaign().await
    ));
    browser.client.goto(&matrix).await.expect("matrix");
    browser.wait_for(Locator::Css(".matrix-table")).await;
    if js == Js::On {
        browser
            .wait_for(Locator::Css("header.work-bar[data-hydrated='true']"))
            .await;
        browser
            .client
            .execute("window.kept = 1", vec![])
            .await
            .expect("mark");
    }
    let before = row_names(browser).await;
    sort_by_school(browser, "ascending").await;
    let mut names = row_names(browser).await;
    let mut sorted = before.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names, sorted, "sorted by name");
    if js == Js::On {
        let kept = browser
            .client
            .execute("return window.kept === 1", vec![])
            .await
            .expect("mark");
        assert_eq!(kept, serde_json::json!(true), "sorted in place");
    }
    // Down the other way with the next click.
    sort_by_school(browser, "descending").await;
    names.reverse();
    assert_eq!(row_names(browser).await, names);
    // A search by a school's name leaves that school.
    let wanted = names[1].clone();
    browser.type_into(Locator::Id("q"), &wanted).await;
    browser.click(Locator::Css("form.filter button")).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let now = row_names(browser).await;
        if now == [wanted.clone()] {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the search left {now:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    if js == Js::On {
        let kept = browser
            .client
            .execute("return window.kept === 1", vec![])
            .await
            .expect("mark");
        assert_eq!(kept, serde_json::json!(true), "searched in place");
        let found = harness::axe::serious_violations(&browser.client).await;
        assert!(found.is_empty(), "searched matrix: {found:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_municipal_coordinator_reads_the_matrix_and_a_profile_with_javascript() {
    coordinator_walkthrough(Js::On).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_municipal_coordinator_reads_the_matrix_and_a_profile_without_javascript() {
    coordinator_walkthrough(Js::Off).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hydrated_monitor_refreshes_itself_when_answers_arrive() {
    let app = TestApp::spawn(Backend::Sqlite).await.with_demo().await;
    let (campaign, school) = app.demo_school("demo-01").await;
    let browser = Browser::start(Js::On).await;
    browser
        .client
        .goto(&app.url("/login"))
        .await
        .expect("login");
    browser.type_into(Locator::Id("login"), "school").await;
    browser
        .type_into(
            Locator::Id("password"),
            &server::cli::demo::demo_password("school"),
        )
        .await;
    browser.click(Locator::Css(".login-form button")).await;
    browser.wait_for_url(&app.url("/work")).await;
    let monitor = app.url(&format!("/work/campaigns/{campaign}/monitor"));
    browser.client.goto(&monitor).await.expect("monitor");
    browser
        .wait_for(Locator::Css("header.work-bar[data-hydrated='true']"))
        .await;
    set_reload_marker(&browser).await;
    let cell = format!("tr[data-school='{school}'] td[data-group='student']");
    let before = browser
        .wait_for(Locator::Css(&cell))
        .await
        .text()
        .await
        .expect("text");
    assert!(before.starts_with("63 / 90"), "{before}");
    // A student submits meanwhile (stored as the respondent side stores it).
    let m = surveys::Methodology::default_set().expect("methodology");
    let instrument = m.instrument(surveys::Group::Student).expect("student");
    let answers = app
        .storage
        .campaign_responses(campaign)
        .await
        .expect("responses")
        .into_iter()
        .find(|r| r.school_id == school && r.group == surveys::Group::Student)
        .expect("a student's answers")
        .answers;
    app.storage
        .insert_response(&server::storage::ResponseRow {
            campaign_id: campaign,
            school_id: school,
            group: surveys::Group::Student,
            instrument_key: instrument.key.clone(),
            instrument_version: instrument.version,
            methodology_version: m.version.to_string(),
            answers,
            submitted_on: server::clock::today(),
            submission_key: "refresh-test".into(),
            surplus_limit: None,
            tally: None,
        })
        .await
        .expect("stored");
    // Within the refresh interval the count moves, without reloading the page.
    let mut seen = String::new();
    for _ in 0..45 {
        tokio::time::sleep(Duration::from_secs(1)).await;
        // The table may be between two renderings: look again a second later.
        let Ok(found) = browser.client.find(Locator::Css(&cell)).await else {
            continue;
        };
        seen = found.text().await.unwrap_or_default();
        if seen.starts_with("64 / 90") {
            break;
        }
    }
    assert!(
        seen.starts_with("64 / 90"),
        "the monitor did not refresh: {seen}"
    );
    assert!(reload_marker_survives(&browser).await, "refreshed in place");
    browser.close().await;
    app.finish().await;
}

/// A regional coordinator opens the registry, picks a school to edit, renames it and sees the
/// new name in the list.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_regional_coordinator_renames_a_school_in_the_registry() {
    let app = TestApp::spawn(Backend::Sqlite).await.with_demo().await;
    let browser = Browser::start(Js::On).await;
    sign_in(&browser, &app, "region").await;
    browser
        .wait_for(Locator::LinkText("Реестр школ"))
        .await
        .click()
        .await
        .expect("registry");
    browser
        .wait_for(Locator::Css("header.work-bar[data-hydrated='true']"))
        .await;
    let rows = browser
        .client
        .find_all(Locator::Css("table.registry tbody tr"))
        .await
        .expect("rows");
    assert_eq!(rows.len(), 6, "the region's six schools");
    browser
        .click(Locator::Css("a[href^='/work/registry?edit=demo-02']"))
        .await;
    let name = browser.wait_for(Locator::Id("r-school_name")).await;
    assert_eq!(
        browser
            .client
            .find(Locator::Id("r-school_code"))
            .await
            .expect("code")
            .prop("value")
            .await
            .expect("value")
            .as_deref(),
        Some("demo-02")
    );
    assert!(name
        .prop("value")
        .await
        .expect("value")
        .is_some_and(|v| !v.is_empty()));
    name.clear().await.expect("clear");
    browser
        .type_into(Locator::Id("r-school_name"), "МБОУ «Обновлённая СОШ»")
        .await;
    browser
        .click(Locator::Css(
            "#school-form + p + form button[type='submit']",
        ))
        .await;
    let notice = browser.wait_for(Locator::Css("p.notice")).await;
    assert_eq!(notice.text().await.expect("text"), "Сохранено школ: 1.");
    let list = browser
        .wait_for(Locator::Css("table.registry"))
        .await
        .text()
        .await
        .expect("text");
    assert!(list.contains("МБОУ «Обновлённая СОШ»"), "{list}");
    browser.close().await;
    app.finish().await;
}

/// Another site's page auto-posts a draft token of the attacker's to a questionnaire: the browser
/// must not end up keeping the attacker's draft (whose answers the attacker could then read).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_foreign_page_cannot_plant_a_draft_in_the_browser() {
    let app = TestApp::spawn(Backend::Sqlite).await.with_demo().await;
    let code = app.demo_code("demo-02", "student").await;
    let action = app.url(&format!("/respond/{code}/1"));
    let cookie = format!("orientir_draft_{}", code.replace('-', ""));
    // The attacker's own draft token, issued by the server to the attacker.
    let attacker = harness::client();
    let r = attacker
        .post(&action)
        .form(&[("_go", "back")])
        .send()
        .await
        .expect("attacker's draft");
    let planted = r
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix(&format!("{cookie}=")))
        .and_then(|v| v.split(';').next())
        .expect("a token")
        .to_owned();
    let browser = Browser::start(Js::On).await;
    let page = format!(
        "<form method='post' action='{action}'><input name='_draft' value='{planted}'><input name='_go' value='back'></form><script>document.forms[0].submit()</script>"
    );
    browser
        .client
        .goto(&format!(
            "data:text/html,{}",
            url::form_urlencoded::byte_serialize(page.as_bytes())
                .collect::<String>()
                .replace('+', "%20")
        ))
        .await
        .expect("the foreign page opens");
    browser
        .wait_for_url(&app.url(&format!("/s/{code}/p/1")))
        .await;
    let cookies = browser.client.get_all_cookies().await.expect("cookies");
    let kept: Vec<String> = cookies
        .iter()
        .filter(|c| c.name() == cookie)
        .map(|c| c.value().to_owned())
        .collect();
    // The browser does keep the draft cookie that answer set (so a planted one would stick)…
    assert_eq!(kept.len(), 1, "{kept:?}");
    // …but it is a token of its own.
    assert!(
        !kept.contains(&planted),
        "the browser keeps the attacker's draft token"
    );
    browser.close().await;
    app.finish().await;
}

/// The CSP violations the page has had so far (the Reporting API keeps them for the page).
async fn csp_violations(browser: &Browser) -> Vec<String> {
    let reports = browser
        .client
        .execute(
            "const o = new ReportingObserver(() => {}, { types: ['csp-violation'], buffered: true });
             o.observe();
             const r = o.takeRecords();
             o.disconnect();
             return r.map(x => (x.body.effectiveDirective || '') + ' ' + (x.body.blockedURL || ''));",
            vec![],
        )
        .await
        .expect("reports");
    reports
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Every kind of page, hydrated, under its Content-Security-Policy: nothing is blocked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_hydrates_under_its_content_security_policy_without_a_violation() {
    let app = TestApp::spawn(Backend::Sqlite).await.with_demo().await;
    let (campaign, school) = app.demo_school("demo-01").await;
    let code = app.demo_code("demo-01", "student").await;
    let browser = Browser::start(Js::On).await;
    let respondent = [
        ("/".to_owned(), "#page-mode[data-hydrated='true']"),
        (format!("/s/{code}/p/1"), "[data-live='true']"),
    ];
    for (path, hydrated) in &respondent {
        browser.client.goto(&app.url(path)).await.expect("page");
        browser.wait_for(Locator::Css(hydrated)).await;
        assert_eq!(
            csp_violations(&browser).await,
            Vec::<String>::new(),
            "{path}"
        );
    }
    sign_in(&browser, &app, "admin").await;
    for path in [
        "/work".to_owned(),
        format!("/work/campaigns/{campaign}/monitor"),
        format!("/work/campaigns/{campaign}/matrix"),
        format!("/work/campaigns/{campaign}/schools/{school}"),
        "/work/change".to_owned(),
        "/account".to_owned(),
        // The school's own code sheet (only the school and an admin hold codes).
        format!("/work/campaigns/{campaign}/schools/{school}/codes"),
    ] {
        browser.client.goto(&app.url(&path)).await.expect("page");
        browser
            .wait_for(Locator::Css("header.work-bar[data-hydrated='true']"))
            .await;
        assert_eq!(
            csp_violations(&browser).await,
            Vec::<String>::new(),
            "{path}"
        );
    }
    // The check itself sees a violation: an inline script without the nonce is blocked.
    browser
        .client
        .execute(
            "const s = document.createElement('script'); s.textContent = 'window.ran = 1'; document.body.appendChild(s);",
            vec![],
        )
        .await
        .expect("inject");
    let mut seen = Vec::new();
    for _ in 0..20 {
        seen = csp_violations(&browser).await;
        if !seen.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(seen.iter().any(|v| v.starts_with("script-src")), "{seen:?}");
    browser.close().await;
    app.finish().await;
}

/// A school whose student code got out replaces it from its code sheet: the sheet shows the new
/// code, and the old one opens nothing but the page saying it was replaced.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_school_replaces_a_code_that_got_out_from_its_sheet() {
    let app = TestApp::spawn(Backend::Sqlite).await.with_demo().await;
    let (campaign, school) = app.demo_school("demo-01").await;
    let old = app.demo_code("demo-01", "student").await;
    let browser = Browser::start(Js::On).await;
    sign_in(&browser, &app, "school").await;
    let sheet = format!("/work/campaigns/{campaign}/schools/{school}/codes");
    browser.client.goto(&app.url(&sheet)).await.expect("sheet");
    let card = "article.code-card[data-group='student']";
    browser
        .wait_for(Locator::Css(&format!("{card} p.code")))
        .await;
    browser
        .click(Locator::Css(&format!("{card} form.replace-code button")))
        .await;
    // The click returns before the form's post is answered: wait up to ten seconds for it.
    let mut new = app.demo_code("demo-01", "student").await;
    for _ in 0..100 {
        if new != old {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        new = app.demo_code("demo-01", "student").await;
    }
    assert_ne!(new, old, "a new code is issued");
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let shown = match browser
            .client
            .find(Locator::Css(&format!("{card} p.code")))
            .await
        {
            Ok(e) => e.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if shown == new {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the sheet shows {shown:?}, not {new}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let notice = browser
        .wait_for(Locator::Css("p.notice[role='status']"))
        .await
        .text()
        .await
        .expect("notice");
    assert!(
        notice.contains(&new),
        "the sheet says which code is new: {notice}"
    );
    browser
        .client
        .goto(&app.url(&format!("/s/{old}")))
        .await
        .expect("old code");
    let page = browser.client.source().await.expect("source");
    assert!(
        page.contains("Этот код больше не действует"),
        "the old code is refused"
    );
    browser.close().await;
    app.finish().await;
}
