//! A teacher's development plan in a real browser, with JavaScript off and on: the key opens the
//! plan, an activity of one's own is added, marked and given evidence, the plan is shown to the
//! school's methodist — who reads it on their page — and withdrawn, after which the methodist
//! no longer does; a principal's management plan opens by its key too. The pages pass axe.

use fantoccini::Locator;
use harness::browser::{Browser, Js};
use harness::{Backend, TestApp};

use super::sign_in;

/// The page's text ("" while a new page replaces it).
async fn body_text(browser: &Browser) -> String {
    match browser.client.find(Locator::Css("body")).await {
        Ok(body) => body.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// Waits until the page's text holds `text`.
async fn wait_for_text(browser: &Browser, text: &str) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let body = body_text(browser).await;
        if body.contains(text) {
            return body;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no «{text}» in {body}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

async fn axe(browser: &Browser, js: Js, page: &str) {
    if js == Js::On {
        let found = harness::axe::serious_violations(&browser.client).await;
        assert!(found.is_empty(), "{page}: {found:?}");
    }
}

async fn plan_flow(js: Js) {
    let app = TestApp::spawn(Backend::Sqlite)
        .await
        .with_demo_plans()
        .await;
    let key = server::cli::demo_development::DEMO_PLAN_KEYS[0].0;
    let teacher = Browser::start(js).await;
    teacher.client.goto(&app.url("/plan")).await.expect("plan");
    teacher.type_into(Locator::Id("key-plan"), key).await;
    teacher.click(Locator::Css("form.code-form button")).await;
    let body = wait_for_text(&teacher, "Мой ИОМ").await;
    assert!(body.contains("Взаимопосещение уроков"), "{body}");
    axe(&teacher, js, "/plan").await;
    // An activity of one's own.
    teacher
        .type_into(Locator::Id("own-title"), "Наставничество молодого учителя")
        .await;
    teacher.click(Locator::Css("form.own-item button")).await;
    wait_for_text(&teacher, "Мероприятие добавлено в план").await;
    // Marked done with evidence (the last activity is the new one).
    let forms = teacher
        .client
        .find_all(Locator::Css("form.plan-item"))
        .await
        .expect("items");
    let last = forms.last().expect("an item").clone();
    last.find(Locator::Css("select"))
        .await
        .expect("status")
        .select_by_value("done")
        .await
        .expect("choose");
    last.find(Locator::Css("textarea"))
        .await
        .expect("evidence")
        .send_keys("Отчёт наставника")
        .await
        .expect("type");
    last.find(Locator::Css("button"))
        .await
        .expect("save")
        .click()
        .await
        .expect("click");
    let body = wait_for_text(&teacher, "Изменения сохранены").await;
    assert!(body.contains("Отчёт наставника"), "{body}");
    // Shown to the school's methodist, signed.
    teacher
        .type_into(Locator::Id("signed-school"), "Петрова А. В.")
        .await;
    teacher
        .click(Locator::XPath(
            "//form[input[@name='reader' and @value='school']]//button",
        ))
        .await;
    wait_for_text(&teacher, "Доступ к плану открыт").await;
    let methodist = Browser::start(js).await;
    sign_in(&methodist, &app, "methodist").await;
    methodist
        .client
        .goto(&app.url("/work/plans"))
        .await
        .expect("plans");
    let body = wait_for_text(&methodist, "Петрова А. В.").await;
    assert!(
        body.contains("Наставничество молодого учителя") && body.contains("Отчёт наставника"),
        "{body}"
    );
    assert!(
        !body.contains("выраженный дефицит"),
        "the diagnostic stays private"
    );
    if js == Js::On {
        methodist
            .wait_for(Locator::Css("header.work-bar[data-hydrated='true']"))
            .await;
    }
    axe(&methodist, js, "/work/plans").await;
    // Withdrawn: the methodist's page no longer holds it.
    teacher
        .click(Locator::XPath("//button[text()='Закрыть доступ']"))
        .await;
    wait_for_text(&teacher, "Доступ к плану закрыт").await;
    methodist
        .client
        .goto(&app.url("/work/plans"))
        .await
        .expect("plans");
    let body = wait_for_text(&methodist, "Индивидуальные образовательные маршруты").await;
    assert!(!body.contains("Петрова А. В."), "{body}");
    // A principal's management plan opens the same way, on the management areas.
    let principal = server::cli::demo_development::DEMO_PLAN_KEYS[4].0;
    methodist
        .client
        .goto(&app.url("/plan"))
        .await
        .expect("plan");
    methodist
        .type_into(Locator::Id("key-plan"), principal)
        .await;
    methodist.click(Locator::Css("form.code-form button")).await;
    let body = wait_for_text(&methodist, "Стажировка в школе-партнёре").await;
    assert!(
        body.contains("Решения на основе данных") && !body.contains("Функциональная грамотность"),
        "{body}"
    );
    axe(&methodist, js, "a principal's /plan").await;
    teacher.close().await;
    methodist.close().await;
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teacher_keeps_and_shares_a_plan_without_javascript() {
    plan_flow(Js::Off).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teacher_keeps_and_shares_a_plan_with_javascript() {
    plan_flow(Js::On).await;
}
