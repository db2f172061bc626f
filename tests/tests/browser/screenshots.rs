//! The pictures README shows, made from the demo by the browser: the region's overview, the
//! change chart and a school's factors over campaigns, each the page's own figure at 1280 px
//! (`docs/screenshots/*.png`, written again by every run).

use fantoccini::Locator;
use harness::browser::{Browser, Js};
use harness::{Backend, TestApp};

use super::sign_in;

/// A PNG's width and height from its header.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
    let number = |at: usize| u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]);
    (number(16), number(20))
}

/// Saves the figure `css` of the page at `path` as `docs/screenshots/{name}.png`.
async fn shoot(browser: &Browser, app: &TestApp, path: &str, css: &str, name: &str) {
    browser.client.goto(&app.url(path)).await.expect("page");
    let figure = browser.wait_for(Locator::Css(css)).await;
    let png = figure.screenshot().await.expect("screenshot");
    let (width, height) = png_size(&png);
    assert!(width >= 600 && height >= 100, "{name}: {width} × {height}");
    let folder = harness::repo_root().join("docs/screenshots");
    std::fs::create_dir_all(&folder).expect("folder");
    std::fs::write(folder.join(format!("{name}.png")), png).expect("write");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readme_pictures_are_made_from_the_demo() {
    let app = TestApp::spawn(Backend::Sqlite).await.with_demo().await;
    let (campaign, school) = app.demo_school("demo-03").await;
    let browser = Browser::start(Js::Off).await;
    browser
        .client
        .set_window_size(1280, 1000)
        .await
        .expect("window size");
    sign_in(&browser, &app, "region").await;
    shoot(
        &browser,
        &app,
        &format!("/work/campaigns/{campaign}/overview"),
        "figure.overview-chart",
        "overview",
    )
    .await;
    shoot(
        &browser,
        &app,
        "/work/change?view=chart",
        "figure.change-chart",
        "change",
    )
    .await;
    shoot(
        &browser,
        &app,
        &format!("/work/campaigns/{campaign}/schools/{school}"),
        "figure.history-chart",
        "history",
    )
    .await;
    browser.close().await;
    app.finish().await;
}
