//! The HTTP surface as a client meets it, on both backends.

use harness::{Backend, TestApp};

async fn health_says_only_that_the_database_answers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = reqwest::get(app.url("/healthz")).await.expect("request");
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.expect("json");
    // Public: it says that the database answers, and nothing about what runs behind.
    assert_eq!(body, serde_json::json!({ "status": "ok" }));
    assert!(app.storage.schema_version().await.expect("version") > 0);
    app.finish().await;
}

async fn the_home_page_is_rendered_on_the_server_with_the_demo_region(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let response = reqwest::get(app.url("/")).await.expect("request");
    assert_eq!(response.status(), 200);
    let html = response.text().await.expect("body");
    assert!(html.contains("<html lang=\"ru\""), "document language");
    assert!(html.contains("Демонстрационная область"), "region name");
    assert!(
        html.contains("МБОУ «Лесновская СОШ»"),
        "a school of the demo"
    );
    assert!(
        html.contains("Приречный округ"),
        "a municipality of the demo"
    );
    assert!(!html.contains("Загрузка…"), "page was sent before its data");
    app.finish().await;
}

async fn the_home_page_of_an_empty_database_says_how_to_get_a_demo(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let html = reqwest::get(app.url("/"))
        .await
        .expect("request")
        .text()
        .await
        .expect("body");
    assert!(html.contains("orientir demo"), "{html}");
    app.finish().await;
}

async fn an_unknown_address_is_a_russian_404_page(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = reqwest::get(app.url("/no-such-page"))
        .await
        .expect("request");
    assert_eq!(response.status(), 404);
    assert!(response
        .text()
        .await
        .expect("body")
        .contains("Страница не найдена"));
    app.finish().await;
}

harness::on_both_backends!(
    health_says_only_that_the_database_answers,
    the_home_page_is_rendered_on_the_server_with_the_demo_region,
    the_home_page_of_an_empty_database_says_how_to_get_a_demo,
    an_unknown_address_is_a_russian_404_page,
);

#[tokio::test]
async fn the_stylesheet_and_the_wasm_bundle_are_served() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    for (path, kind) in [
        ("/pkg/orientir.css", "text/css"),
        ("/pkg/orientir.js", "javascript"),
        ("/pkg/orientir.wasm", "application/wasm"),
    ] {
        let response = reqwest::get(app.url(path)).await.expect("request");
        assert_eq!(
            response.status(),
            200,
            "{path} (run scripts/build.sh first)"
        );
        let content_type = response.headers()["content-type"]
            .to_str()
            .expect("header")
            .to_owned();
        assert!(content_type.contains(kind), "{path}: {content_type}");
    }
    app.finish().await;
}

#[tokio::test]
async fn a_connection_that_never_finishes_its_request_head_is_closed() {
    use std::time::{Duration, Instant};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    // A short limit (the default is 30 s): the test waits it out.
    let limit = Duration::from_secs(3);
    let app = TestApp::spawn_configured(Backend::Sqlite, |c| c.head_timeout = limit).await;
    let address = app.base.trim_start_matches("http://").to_owned();
    let mut slow = tokio::net::TcpStream::connect(&address)
        .await
        .expect("connects");
    slow.write_all(b"GET / HTTP/1.1\r\nHost: orientir\r\n")
        .await
        .expect("half a request head");
    let started = Instant::now();
    // Meanwhile the server answers everyone else.
    let health = reqwest::get(app.url("/healthz")).await.expect("health");
    assert_eq!(health.status(), 200);
    let mut rest = Vec::new();
    let closed =
        tokio::time::timeout(limit + Duration::from_secs(15), slow.read_to_end(&mut rest)).await;
    assert!(
        closed.is_ok(),
        "still open {:?} after half a request head",
        started.elapsed()
    );
    assert!(
        started.elapsed() + Duration::from_millis(200) >= limit,
        "closed after {:?}, before the limit",
        started.elapsed()
    );
    app.finish().await;
}
