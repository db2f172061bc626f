//! Support work in a real browser, with JavaScript off and on: the school asks a question and
//! answers a recommendation, the curator answers, plans a visit and recommends, the region
//! announces an event, invites schools and keeps a roadmap; the inbox and the start page show
//! what waits. axe checks each page at 320, 768 and 1280 px wide.

use fantoccini::Locator;
use harness::browser::{Browser, Js};
use harness::{Backend, TestApp};

use super::results::{axe_at_every_width, open, text_of, until_text};
use super::sign_in;

/// Opens a `<details>` by its summary.
async fn unfold(browser: &Browser, css: &str) {
    browser
        .click(Locator::Css(&format!("{css} > summary")))
        .await;
}

async fn support_work(js: Js) {
    let app = TestApp::spawn(Backend::Sqlite)
        .await
        .with_demo_support()
        .await;
    let browser = Browser::start(js).await;
    browser
        .client
        .set_window_size(1280, 900)
        .await
        .expect("size");

    // The school asks.
    sign_in(&browser, &app, "school").await;
    open(&browser, &app, "/work/support", js, "form.ask-form").await;
    if js == Js::On {
        axe_at_every_width(&browser, "support (school)").await;
    }
    browser
        .type_into(Locator::Id("q-title"), "Как провести день открытых дверей?")
        .await;
    browser
        .type_into(
            Locator::Id("q-body"),
            "Хотим пригласить родителей будущих первоклассников.",
        )
        .await;
    browser
        .click(Locator::Css("form.ask-form button[type=submit]"))
        .await;
    until_text(&browser, "h1", "Как провести день открытых дверей?").await;
    assert!(text_of(&browser, "p.lead").await.contains("ждёт ответа"));
    let question = browser
        .client
        .current_url()
        .await
        .expect("url")
        .path()
        .to_owned();
    if js == Js::On {
        axe_at_every_width(&browser, "question (school)").await;
    }
    // The school's start page and inbox.
    open(&browser, &app, "/work", js, "section.support-summary").await;
    assert!(text_of(&browser, "section.support-summary")
        .await
        .contains("Рекомендаций"));
    open(&browser, &app, "/work/inbox", js, "form.settings").await;
    if js == Js::On {
        axe_at_every_width(&browser, "inbox").await;
    }

    // The curator answers, plans a visit and recommends.
    browser.client.delete_all_cookies().await.expect("cookies");
    sign_in(&browser, &app, "curator").await;
    open(&browser, &app, &question, js, "form.message-form").await;
    browser
        .type_into(
            Locator::Id("m-body"),
            "Предлагаем формат «открытых уроков» в субботу.",
        )
        .await;
    browser
        .click(Locator::Css("form.message-form button[type=submit]"))
        .await;
    until_text(&browser, "ol.thread", "открытых уроков").await;
    assert!(text_of(&browser, "p.lead").await.contains("есть ответ"));
    open(
        &browser,
        &app,
        "/work/support?show=visits",
        js,
        "details.new-visit",
    )
    .await;
    if js == Js::On {
        axe_at_every_width(&browser, "support (curator)").await;
    }
    unfold(&browser, "details.new-visit").await;
    // The school is typed: with JavaScript the field suggests the curator's schools as one
    // types, and a suggestion picked is what the field sends; without it, the code.
    if js == Js::On {
        browser.type_into(Locator::Id("v-school"), "Берёз").await;
        let suggestion = "МБОУ «Берёзовская СОШ» (demo-01)";
        browser
            .wait_for(Locator::Css(&format!(
                "#v-school-suggestions option[value='{suggestion}']"
            )))
            .await;
        let field = browser.wait_for(Locator::Id("v-school")).await;
        field.clear().await.expect("clear");
        field.send_keys(suggestion).await.expect("type");
    } else {
        browser.type_into(Locator::Id("v-school"), "demo-01").await;
    }
    browser
        .type_into(Locator::Css("form.visit-form input[name=day]"), "12012026")
        .await;
    browser
        .type_into(Locator::Id("v-purpose"), "Посещение уроков в 5-х классах")
        .await;
    browser
        .click(Locator::Css("form.visit-form button[type=submit]"))
        .await;
    until_text(&browser, "h1", "Визит 2026-12-01").await;
    browser
        .type_into(
            Locator::Id("r-body"),
            "Использовать листы самооценки на уроках",
        )
        .await;
    browser
        .type_into(
            Locator::Css("form.recommendation-form input[name=due_on]"),
            "12202026",
        )
        .await;
    browser
        .click(Locator::Css("form.recommendation-form button[type=submit]"))
        .await;
    until_text(&browser, "ul.recommendations", "листы самооценки").await;
    let visit = browser
        .client
        .current_url()
        .await
        .expect("url")
        .path()
        .to_owned();
    if js == Js::On {
        axe_at_every_width(&browser, "visit (curator)").await;
    }

    // The school disagrees, with its reason.
    browser.client.delete_all_cookies().await.expect("cookies");
    sign_in(&browser, &app, "school").await;
    open(&browser, &app, &visit, js, "form.answer-recommendation").await;
    browser
        .click(Locator::Css(
            "form.answer-recommendation input[value=disagreed]",
        ))
        .await;
    browser
        .type_into(
            Locator::Css("form.answer-recommendation textarea"),
            "Листы уже используются с сентября",
        )
        .await;
    browser
        .click(Locator::Css(
            "form.answer-recommendation button[type=submit]",
        ))
        .await;
    until_text(&browser, "ul.recommendations", "школа не согласна").await;

    // The region: an event with its invitations, and the roadmap.
    browser.client.delete_all_cookies().await.expect("cookies");
    sign_in(&browser, &app, "region").await;
    open(&browser, &app, "/work/events", js, "details.new-event").await;
    if js == Js::On {
        axe_at_every_width(&browser, "events").await;
    }
    unfold(&browser, "details.new-event").await;
    browser
        .type_into(
            Locator::Id("e-title"),
            "Вебинар для заместителей директоров",
        )
        .await;
    browser
        .type_into(
            Locator::Css("form.event-form input[name=starts_on]"),
            "01152027",
        )
        .await;
    browser
        .type_into(
            Locator::Css("form.event-form input[name=ends_on]"),
            "01152027",
        )
        .await;
    browser
        .click(Locator::Css("form.event-form button[type=submit]"))
        .await;
    until_text(&browser, "h1", "Вебинар для заместителей директоров").await;
    browser
        .type_into(Locator::Id("invite-codes"), "demo-01, demo-05")
        .await;
    browser
        .click(Locator::Css("form.invite-codes button[type=submit]"))
        .await;
    until_text(&browser, "table.invitations", "Заречная СОШ").await;
    if js == Js::On {
        axe_at_every_width(&browser, "event (organiser)").await;
    }
    open(&browser, &app, "/work/roadmaps", js, "table.roadmaps").await;
    browser.click(Locator::Css("table.roadmaps a")).await;
    browser.wait_for(Locator::Css("section.track")).await;
    assert!(text_of(&browser, "main")
        .await
        .contains("Повышение квалификации педагогов"));
    if js == Js::On {
        browser
            .wait_for(Locator::Css("header.work-bar[data-hydrated='true']"))
            .await;
        axe_at_every_width(&browser, "roadmap").await;
    }
    browser
        .type_into(Locator::Id("track-title"), "Работа с родителями")
        .await;
    browser
        .click(Locator::Css("form.new-track button[type=submit]"))
        .await;
    until_text(&browser, "main", "Работа с родителями").await;
    // The region's start page: coverage and load.
    open(&browser, &app, "/work", js, "section.support-summary").await;
    assert!(text_of(&browser, "section.support-summary")
        .await
        .contains("Нагрузка кураторов"));
    if js == Js::On {
        axe_at_every_width(&browser, "start page (region)").await;
    }
    open(&browser, &app, "/work/knowledge", js, "ul.knowledge").await;
    if js == Js::On {
        axe_at_every_width(&browser, "knowledge base").await;
    }
    browser.close().await;
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn support_work_without_javascript() {
    harness::within_time_limit(support_work(Js::Off)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn support_work_with_javascript() {
    harness::within_time_limit(support_work(Js::On)).await;
}
