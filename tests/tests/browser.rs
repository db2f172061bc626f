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
