//! Headless Chromium driven through chromedriver (Debian `chromium` + `chromium-driver`).
//!
//! Each `Browser` starts its own chromedriver in its own process group and kills the whole group
//! when dropped, so a failing test never leaves Chromium running.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

/// Whether the page may run JavaScript.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Js {
    On,
    Off,
}

/// A chromedriver process and one browser session.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Browser {
    pub async fn start(js: Js) -> Browser {
        Browser::start_with(js, None).await
    }

    /// A browser that saves what it downloads into `folder`, without asking.
    pub async fn start_downloading(js: Js, folder: &std::path::Path) -> Browser {
        Browser::start_with(js, Some(folder)).await
    }

    async fn start_with(js: Js, downloads: Option<&std::path::Path>) -> Browser {
        use std::os::unix::process::CommandExt;

        let port = free_port();
        let mut driver = Command::new("chromedriver");
        driver.arg(format!("--port={port}"));
        // For debugging a browser test: ORIENTIR_CHROMEDRIVER_LOG=/tmp/chromedriver.log
        if let Ok(path) = std::env::var("ORIENTIR_CHROMEDRIVER_LOG") {
            driver.arg("--verbose").arg(format!("--log-path={path}"));
        }
        let driver = driver
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("chromedriver runs (scripts/prereqs.sh installs chromium-driver)");
        let profile = tempfile::tempdir().expect("profile dir");
        let mut args = vec![
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            "--window-size=1024,768".into(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        if js == Js::Off {
            args.push("--blink-settings=scriptEnabled=false".into());
        }
        // For debugging a page's script: ORIENTIR_CHROME_LOG=/tmp/chrome.log keeps the browser's
        // own log, its console messages among them.
        if let Ok(path) = std::env::var("ORIENTIR_CHROME_LOG") {
            args.extend([
                "--enable-logging".into(),
                "--log-level=0".into(),
                format!("--log-file={path}.{port}"),
            ]);
        }
        let mut caps = Capabilities::new();
        let mut options = json!({ "binary": "/usr/bin/chromium", "args": args });
        if let Some(folder) = downloads {
            options["prefs"] = json!({
                "download.default_directory": folder.display().to_string(),
                "download.prompt_for_download": false,
                "download.directory_upgrade": true,
            });
        }
        caps.insert("goog:chromeOptions".into(), options);
        let url = format!("http://127.0.0.1:{port}");
        wait_until_ready(&url).await;
        // A request sent while chromedriver is still starting can stay unanswered, so the
        // session is asked for only once the driver reports ready, and with a deadline.
        let client = tokio::time::timeout(
            Duration::from_secs(60),
            ClientBuilder::new(HttpConnector::new())
                .capabilities(caps)
                .connect(&url),
        )
        .await
        .expect("the browser session starts within 60 s")
        .expect("a browser session");
        Browser {
            client,
            driver,
            _profile: profile,
        }
    }

    /// Clicks the element (it must be there).
    pub async fn click(&self, locator: Locator<'_>) {
        let element = self
            .client
            .find(locator)
            .await
            .unwrap_or_else(|e| panic!("no {locator:?}: {e}"));
        element
            .click()
            .await
            .unwrap_or_else(|e| panic!("cannot click {locator:?}: {e}"));
    }

    /// Types into the element (it must be there).
    pub async fn type_into(&self, locator: Locator<'_>, text: &str) {
        let element = self
            .client
            .find(locator)
            .await
            .unwrap_or_else(|e| panic!("no {locator:?}: {e}"));
        element
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("cannot type into {locator:?}: {e}"));
    }

    /// Waits up to ten seconds for the element.
    pub async fn wait_for(&self, locator: Locator<'_>) -> Element {
        let wait = self.client.wait().at_most(Duration::from_secs(10));
        wait.for_element(locator)
            .await
            .unwrap_or_else(|e| panic!("{locator:?} did not appear: {e}"))
    }

    /// Waits up to ten seconds until the browser is at the address.
    pub async fn wait_for_url(&self, address: &str) {
        let url = url::Url::parse(address).expect("a valid address");
        let wait = self.client.wait().at_most(Duration::from_secs(10));
        wait.for_url(&url)
            .await
            .unwrap_or_else(|e| panic!("never reached {address}: {e}"));
    }

    /// Ends the session; the driver's process group is killed on drop either way.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

/// Polls chromedriver's `/status` until it says it is ready.
async fn wait_until_ready(url: &str) {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(2))
        .build()
        .expect("http client");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(response) = http.get(format!("{url}/status")).send().await {
            if let Ok(status) = response.json::<serde_json::Value>().await {
                if status["value"]["ready"] == true {
                    return;
                }
            }
        }
        assert!(
            Instant::now() < deadline,
            "chromedriver did not become ready in 30 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // The driver leads its own process group: killing the group also ends any Chromium it
        // left behind, then the driver itself is reaped.
        let group = format!("-{}", self.driver.id());
        let _ = Command::new("kill")
            .args(["-s", "KILL", "--", &group])
            .status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
