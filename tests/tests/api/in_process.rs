//! Several Orientir servers in one process — as this test binary runs them when cases share a
//! process — do not disturb each other: building one server's router never holds up the pages of
//! another. (Leptos suspends every resource of the process while it lists an app's routes; see
//! `server::http::app_routes`.)

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use harness::{Backend, TestApp};

/// Coordinator pages load their data through resources; while another server is being built in
/// the same process, every one of them is still answered in time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_are_answered_while_another_server_is_built() {
    let app = TestApp::spawn(Backend::Sqlite).await.with_demo().await;
    let (client, _) = app.sign_in("admin").await;
    let campaign = app.demo_campaign().await;
    let building = Arc::new(AtomicBool::new(true));
    // Another server's router, built again and again beside the pages.
    let builder = {
        let building = building.clone();
        let config = harness::test_config(app.db.url());
        let storage = app.storage.clone();
        let methodology = Arc::new(surveys::Methodology::default_set().expect("methodology"));
        let runtime = tokio::runtime::Handle::current();
        std::thread::spawn(move || {
            let _runtime = runtime.enter();
            let mut built = 0;
            while building.load(Ordering::Relaxed) {
                drop(server::http::router(
                    &config,
                    storage.clone(),
                    methodology.clone(),
                ));
                built += 1;
            }
            built
        })
    };
    let pages = [
        format!("/work/campaigns/{campaign}/matrix"),
        format!("/work/campaigns/{campaign}/monitor"),
        "/work".to_owned(),
    ];
    let mut unanswered = Vec::new();
    for round in 0..60 {
        let path = &pages[round % pages.len()];
        let answer = tokio::time::timeout(Duration::from_secs(10), async {
            client
                .get(app.url(path))
                .send()
                .await?
                .error_for_status()?
                .text()
                .await
        })
        .await;
        match answer {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => unanswered.push(format!("{path}: {e:?}")),
            Err(_) => unanswered.push(format!("{path}: no answer in 10 s")),
        }
    }
    building.store(false, Ordering::Relaxed);
    let built = builder.join().expect("the builder thread ends");
    assert!(built > 0, "routers were built meanwhile");
    assert!(
        unanswered.is_empty(),
        "{} of 60 pages were never answered while {built} routers were built: {unanswered:?}",
        unanswered.len()
    );
    app.finish().await;
}
