//! Every export link each role sees, downloaded by the browser (which asks for gzip, deflate, br
//! and zstd) and read back whole: CSV rows, workbooks through calamine, Word documents through
//! docx-rs.

use std::collections::BTreeSet;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use calamine::Reader;
use fantoccini::Locator;
use harness::browser::{Browser, Js};
use harness::{Backend, TestApp};

use super::sign_in;

/// The files in the folder, without downloads in progress (Chromium writes them under hidden
/// or `.crdownload` names first).
fn finished(folder: &Path) -> BTreeSet<PathBuf> {
    std::fs::read_dir(folder)
        .expect("downloads")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "csv" || e == "xlsx" || e == "docx")
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect()
}

/// Waits (up to 30 s) for one more finished file than `before`, and no download in progress.
async fn next_download(folder: &Path, before: &BTreeSet<PathBuf>) -> PathBuf {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let now = finished(folder);
        let busy = std::fs::read_dir(folder)
            .expect("downloads")
            .filter_map(|e| e.ok())
            .any(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.ends_with(".crdownload") || name.starts_with('.')
            });
        if let Some(new) = now.difference(before).next() {
            if !busy {
                return new.clone();
            }
        }
        assert!(Instant::now() < deadline, "no download arrived");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Reads a downloaded file back as its program would; what it holds, in words.
fn read_back(path: &Path) -> String {
    let bytes = std::fs::read(path).expect("file");
    assert!(!bytes.is_empty(), "{} arrived empty", path.display());
    match path.extension().and_then(|e| e.to_str()) {
        Some("csv") => {
            let mut reader = csv::Reader::from_reader(bytes.as_slice());
            let header = reader.headers().expect("a header").len();
            let mut rows = 0;
            for record in reader.records() {
                record.expect("a whole row");
                rows += 1;
            }
            assert!(header >= 2, "{}: {header} columns", path.display());
            format!("{rows} rows")
        }
        Some("xlsx") => {
            let mut book: calamine::Xlsx<_> =
                calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("a workbook");
            let sheets = book.sheet_names();
            let first = book.worksheet_range(&sheets[0]).expect("a sheet");
            assert!(first.height() >= 1, "{}: an empty sheet", path.display());
            format!("{} sheets", sheets.len())
        }
        Some("docx") => {
            let doc = docx_rs::read_docx(&bytes).expect("a Word document");
            format!("{} parts", doc.document.children.len())
        }
        other => panic!("an export of an unexpected type: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_export_link_each_role_sees_downloads_whole() {
    let app = TestApp::spawn(Backend::Sqlite)
        .await
        .with_demo_cycle()
        .await;
    let closed = app.previous_demo_campaign().await;
    let (_, own) = app.demo_school("demo-01").await;
    let mut downloaded = 0;
    for login in ["admin", "region", "north", "curator", "school"] {
        let folder = tempfile::tempdir().expect("downloads");
        let browser = Browser::start_downloading(Js::Off, folder.path()).await;
        sign_in(&browser, &app, login).await;
        let mut links = BTreeSet::new();
        for page in [
            format!("/work/campaigns/{closed}/matrix"),
            format!("/work/campaigns/{closed}/schools/{own}/programme"),
        ] {
            browser.client.goto(&app.url(&page)).await.expect("page");
            browser.wait_for(Locator::Css("h1")).await;
            for a in browser
                .client
                .find_all(Locator::Css("a[href^='/export/']"))
                .await
                .expect("links")
            {
                if let Some(href) = a.attr("href").await.expect("href") {
                    links.insert((page.clone(), href));
                }
            }
        }
        assert!(!links.is_empty(), "{login} sees no export link");
        for (page, href) in &links {
            browser.client.goto(&app.url(page)).await.expect("page");
            let before = finished(folder.path());
            browser
                .click(Locator::Css(&format!("a[href='{href}']")))
                .await;
            let file = next_download(folder.path(), &before).await;
            let read = read_back(&file);
            println!("{login}: {href} → {} ({read})", file.display());
            downloaded += 1;
        }
        browser.close().await;
    }
    // The raw answers (admin and region, four groups, two formats) are among them.
    assert!(downloaded >= 5 + 2 * 8, "{downloaded} downloads");
    app.finish().await;
}
