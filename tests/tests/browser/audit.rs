//! The audit log as an admin meets it in a real browser, with JavaScript off and on: a raw
//! export another account downloaded is on the page, and the filter by action leaves it alone
//! (with JavaScript in place, the page not loaded again).

use fantoccini::Locator;
use harness::browser::{Browser, Js};
use harness::{Backend, TestApp};

use super::sign_in;

/// The table's rows as (login, action).
async fn rows(browser: &Browser) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Ok(rows) = browser
        .client
        .find_all(Locator::Css("table.audit tbody tr"))
        .await
    else {
        return out;
    };
    for row in rows {
        let cells = row.find_all(Locator::Css("td")).await.unwrap_or_default();
        let mut texts = Vec::new();
        for c in cells {
            texts.push(c.text().await.unwrap_or_default());
        }
        if texts.len() >= 3 {
            out.push((texts[1].clone(), texts[2].clone()));
        }
    }
    out
}

async fn audit_log(js: Js) {
    let app = TestApp::spawn(Backend::Sqlite).await.with_demo().await;
    let campaign = app.demo_campaign().await;
    let (region, _) = app.sign_in("region").await;
    let r = region
        .get(app.url(&format!(
            "/export/campaigns/{campaign}/responses.csv?group=teacher"
        )))
        .send()
        .await
        .expect("export");
    assert_eq!(r.status(), 200);
    let browser = Browser::start(js).await;
    sign_in(&browser, &app, "admin").await;
    browser
        .client
        .goto(&app.url("/work/audit"))
        .await
        .expect("page");
    browser.wait_for(Locator::Css("table.audit")).await;
    if js == Js::On {
        browser
            .wait_for(Locator::Css("header.work-bar[data-hydrated='true']"))
            .await;
        browser
            .client
            .execute("window.kept = 1", vec![])
            .await
            .expect("mark");
        let found = harness::axe::serious_violations(&browser.client).await;
        assert!(found.is_empty(), "audit log: {found:?}");
    }
    let all = rows(&browser).await;
    assert!(
        all.contains(&("region".to_owned(), "raw_export".to_owned())),
        "{all:?}"
    );
    browser
        .wait_for(Locator::Id("action"))
        .await
        .select_by_value("raw_export")
        .await
        .expect("choose an action");
    browser.click(Locator::Css("form.filter button")).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let now = rows(&browser).await;
        if now == [("region".to_owned(), "raw_export".to_owned())] {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "rows {now:?}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    if js == Js::On {
        let kept = browser
            .client
            .execute("return window.kept === 1", vec![])
            .await
            .expect("mark");
        assert_eq!(kept, serde_json::json!(true), "filtered in place");
    }
    browser.close().await;
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_log_filters_by_action_without_javascript() {
    audit_log(Js::Off).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_log_filters_by_action_with_javascript() {
    audit_log(Js::On).await;
}
