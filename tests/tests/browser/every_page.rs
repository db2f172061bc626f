//! axe on every page a role reaches — the admin, who reaches every coordinator's page and form,
//! and a school's account, which meets the forms of its own — at 320, 768 and 1280 px: nothing
//! serious or critical. The demo region with its whole cycle and support work fills them.

use fantoccini::Locator;
use harness::browser::{Browser, Js};
use harness::{Backend, TestApp};

use super::results::axe_at_every_width;
use super::sign_in;

/// Opens a page, waits for it to be hydrated and runs axe at the three widths.
async fn check(browser: &Browser, app: &TestApp, path: &str) {
    browser
        .client
        .set_window_size(1280, 900)
        .await
        .expect("window size");
    browser.client.goto(&app.url(path)).await.expect("page");
    browser.wait_for(Locator::Css("h1")).await;
    browser
        .wait_for(Locator::Css("header.work-bar[data-hydrated='true']"))
        .await;
    axe_at_every_width(browser, path).await;
}

/// The address of the first link on the current page whose address starts with `prefix`
/// followed by a number.
async fn first_link(browser: &Browser, prefix: &str) -> String {
    let found = browser
        .client
        .execute(
            "const prefix = arguments[0];
             const a = [...document.querySelectorAll('a')].map(a => a.getAttribute('href'))
               .find(h => h && h.startsWith(prefix) && /^\\d+$/.test(h.slice(prefix.length).split(/[?#/]/)[0]));
             return a || '';",
            vec![serde_json::json!(prefix)],
        )
        .await
        .expect("links");
    let href = found.as_str().unwrap_or_default().to_owned();
    assert!(!href.is_empty(), "a link to {prefix}…");
    href
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_a_role_reaches_passes_axe_at_three_widths() {
    let app = TestApp::spawn(Backend::Sqlite)
        .await
        .with_demo_support()
        .await;
    let (campaign, school) = app.demo_school("demo-01").await;
    let closed = app.previous_demo_campaign().await;
    let browser = Browser::start(Js::On).await;
    sign_in(&browser, &app, "admin").await;
    let c = format!("/work/campaigns/{campaign}");
    let mut pages = vec![
        "/work".to_owned(),
        format!("{c}/monitor"),
        format!("{c}/matrix"),
        format!("{c}/overview"),
        format!("/work/campaigns/{closed}/programmes"),
        format!("{c}/quality"),
        format!("{c}/schools/{school}"),
        format!("{c}/schools/{school}/codes"),
        format!("/work/campaigns/{closed}/schools/{school}/programme"),
        "/work/change".to_owned(),
        "/work/change?view=chart".to_owned(),
        "/work/effectiveness".to_owned(),
        "/work/results".to_owned(),
        format!("/work/schools/{school}"),
        "/work/support".to_owned(),
        "/work/support?show=visits".to_owned(),
        "/work/support?show=recommendations".to_owned(),
        "/work/knowledge".to_owned(),
        "/work/events".to_owned(),
        "/work/roadmaps".to_owned(),
        "/work/inbox".to_owned(),
        "/work/registry".to_owned(),
        "/work/campaigns/new".to_owned(),
        "/admin/users".to_owned(),
        "/work/audit".to_owned(),
        "/work/development".to_owned(),
        "/account".to_owned(),
    ];
    // The detail pages, found by their lists' links.
    for (list, prefix) in [
        ("/work/support", "/work/support/questions/"),
        ("/work/support?show=visits", "/work/support/visits/"),
        ("/work/events", "/work/events/"),
        ("/work/roadmaps", "/work/roadmaps/"),
    ] {
        browser.client.goto(&app.url(list)).await.expect("list");
        browser.wait_for(Locator::Css("h1")).await;
        pages.push(first_link(&browser, prefix).await);
    }
    for page in &pages {
        check(&browser, &app, page).await;
    }
    // A school's account meets forms of its own: asking, registering, answering.
    browser.client.delete_all_cookies().await.expect("cookies");
    sign_in(&browser, &app, "school").await;
    let own = [
        "/work".to_owned(),
        format!("{c}/schools/{school}"),
        format!("/work/campaigns/{closed}/schools/{school}/programme"),
        "/work/support".to_owned(),
        "/work/events".to_owned(),
        format!("/work/schools/{school}"),
    ];
    for page in &own {
        check(&browser, &app, page).await;
    }
    browser.close().await;
    app.finish().await;
}
