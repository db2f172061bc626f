//! The Excel matrix workbook read back as a coordinator's spreadsheet program would: its sheets,
//! numbers as numbers, frozen headers, level colours as conditional formatting, the chart, the
//! method, and only the schools of the viewer's scope.

use std::io::{Cursor, Read};

use calamine::{open_workbook_from_rs, Data, DataType, Reader, Xlsx};
use harness::{Backend, TestApp};
use reqwest::StatusCode;
use surveys::Methodology;

pub(super) fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("an xlsx is a zip");
    let mut text = String::new();
    zip.by_name(name)
        .unwrap_or_else(|_| panic!("no {name} in the workbook"))
        .read_to_string(&mut text)
        .expect("xml");
    text
}

async fn download(client: &reqwest::Client, url: String) -> Vec<u8> {
    let r = client.get(url).send().await.expect("request");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(r.headers()["content-disposition"]
        .to_str()
        .expect("header")
        .contains("matrix.xlsx"));
    r.bytes().await.expect("body").to_vec()
}

async fn the_matrix_workbook_reads_back_with_numbers_colours_and_a_chart(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let campaign = app.demo_campaign().await;
    let (region, _) = app.sign_in("region").await;
    let bytes = download(
        &region,
        app.url(&format!(
            "/export/campaigns/{campaign}/matrix.xlsx?compare={campaign}"
        )),
    )
    .await;
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.clone())).expect("xlsx");
    assert_eq!(
        book.sheet_names(),
        [
            "Матрица",
            "Показатели",
            "Изменения",
            "Качество инструментов",
            "Программы",
            "Распределение",
            "Методика"
        ]
    );
    let m = Methodology::default_set().expect("methodology");
    let matrix = book.worksheet_range("Матрица").expect("matrix");
    assert_eq!(matrix.get((0, 1)), Some(&Data::String("RF01".into())));
    assert_eq!(matrix.height(), 7, "a header and the region's six schools");
    // Scores are numbers in [0, 1]; blanks only where data is insufficient.
    let mut numbers = Vec::new();
    for row in 1..7 {
        for col in 1..=m.factors.len() {
            match matrix.get((row, col)) {
                Some(Data::Float(f)) => numbers.push(*f),
                Some(Data::Empty) | None => {}
                other => panic!("a score is not a number: {other:?}"),
            }
        }
    }
    assert!(numbers.len() > 40 && numbers.iter().all(|n| (0.0..=1.0).contains(n)));
    // Each level's colour is a conditional format over the scores, the header is frozen.
    let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
    let styles = part(&bytes, "xl/styles.xml").to_uppercase();
    assert!(
        sheet.contains("<pane") && sheet.contains("ySplit=\"1\""),
        "frozen header"
    );
    assert_eq!(sheet.matches("<cfRule").count(), m.rules.levels.len());
    for level in &m.rules.levels {
        let rgb = level.colour.trim_start_matches('#').to_uppercase();
        assert!(
            styles.contains(&rgb),
            "the colour of level {} is used",
            level.key
        );
        if let Some(below) = level.below {
            assert!(sheet.contains(&format!("B2&lt;{below}")), "{sheet}");
        }
    }
    // For every score, exactly one level's rule holds: the one the engine gave it.
    let cuts: Vec<f64> = m.rules.levels.iter().filter_map(|l| l.below).collect();
    for n in &numbers {
        let holding = (0..m.rules.levels.len())
            .filter(|i| {
                let low = if *i == 0 { f64::MIN } else { cuts[i - 1] };
                let high = cuts.get(*i).copied().unwrap_or(f64::MAX);
                *n >= low && *n < high
            })
            .count();
        assert_eq!(holding, 1);
    }
    // The chart of the level distribution, one series per level.
    let chart = part(&bytes, "xl/charts/chart1.xml");
    assert!(chart.contains("<c:barChart>"));
    assert_eq!(chart.matches("<c:ser>").count(), m.rules.levels.len());
    let distribution = book.worksheet_range("Распределение").expect("distribution");
    for row in 1..=m.factors.len() {
        let total: f64 = (1..=m.rules.levels.len() + 1)
            .filter_map(|c| match distribution.get((row, c)) {
                Some(Data::Float(f)) => Some(*f),
                _ => None,
            })
            .sum();
        assert_eq!(
            total, 6.0,
            "each factor's distribution covers the six schools"
        );
    }
    // Indicators: one row per school and indicator, thresholds as numbers.
    let long = book.worksheet_range("Показатели").expect("indicators");
    assert_eq!(long.height(), 1 + 6 * m.indicators.len());
    assert!(
        matches!(long.get((1, 8)), Some(Data::Float(_))),
        "ok threshold"
    );
    // Every value with its interval, every factor with its own.
    let header: Vec<String> = (0..long.width())
        .map(|c| long.get((0, c)).map(|d| d.to_string()).unwrap_or_default())
        .collect();
    for column in [
        "value_low",
        "value_high",
        "factor_low",
        "factor_high",
        "level_unstable",
    ] {
        assert!(header.iter().any(|h| h == column), "{column} in {header:?}");
    }
    let at = |name: &str| header.iter().position(|h| h == name).expect("column");
    let with_interval = (1..long.height())
        .filter(|r| {
            let cell = |c| long.get((*r, c)).and_then(|d| d.get_float());
            match (
                cell(at("value_low")),
                cell(at("value")),
                cell(at("value_high")),
            ) {
                (Some(low), Some(v), Some(high)) => low <= v && v <= high,
                _ => false,
            }
        })
        .count();
    assert!(with_interval > 10, "shares and means carry intervals");
    // The change sheet compares the campaign with itself: nothing moved, nothing significant.
    let change = book.worksheet_range("Изменения").expect("change");
    assert_eq!(change.get((1, 4)).and_then(|d| d.get_float()), Some(0.0));
    assert_eq!(
        change.get((0, 8)).map(|d| d.to_string()).as_deref(),
        Some("significance")
    );
    let method = book.worksheet_range("Методика").expect("method");
    let text: Vec<String> = method
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect();
    assert!(text.iter().any(|t| t == &m.version));
    assert!(text.iter().any(|t| t.contains("не меньше 5 человек")));
    app.finish().await;
}

async fn a_school_exports_only_itself(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let open = app.demo_campaign().await;
    // Last year's campaign has closed: its results are the school's to read.
    let campaign = app.previous_demo_campaign().await;
    let (school, _) = app.sign_in("school").await;
    // Of the open campaign, nothing: the school holds its group codes and could add answers.
    let r = school
        .get(app.url(&format!("/export/campaigns/{open}/matrix.xlsx")))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.expect("body").contains("не опубликованы"));
    let bytes = download(
        &school,
        app.url(&format!("/export/campaigns/{campaign}/matrix.xlsx")),
    )
    .await;
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("xlsx");
    let matrix = book.worksheet_range("Матрица").expect("matrix");
    assert_eq!(matrix.height(), 2);
    assert!(matrix
        .get((1, 0))
        .is_some_and(|d| d.to_string().contains("Берёзовская")));
    let anonymous = harness::client()
        .get(app.url(&format!("/export/campaigns/{campaign}/matrix.xlsx")))
        .send()
        .await
        .expect("request");
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    app.finish().await;
}

async fn raw_answers_leave_only_for_analysts_without_small_groups_or_identifiers(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let campaign = app.demo_campaign().await;
    let m = Methodology::default_set().expect("methodology");
    let (region, _) = app.sign_in("region").await;
    let r = region
        .get(app.url(&format!(
            "/export/campaigns/{campaign}/responses.csv?group=parent"
        )))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"]
        .to_str()
        .expect("type")
        .starts_with("text/csv"));
    let text = r.text().await.expect("csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    let instrument = m.instrument(surveys::Group::Parent).expect("parent");
    assert_eq!(header[..2], ["school", "municipality"]);
    assert_eq!(header.len(), 2 + instrument.slots.len());
    for forbidden in ["code", "submitted_on", "submission_key", "id", "ip"] {
        assert!(
            !header.iter().any(|h| h == forbidden),
            "no {forbidden} column"
        );
    }
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    // demo-03 has fewer parents than the minimum: none of its rows leave the server.
    assert!(!rows.iter().any(|r| &r[0] == "demo-03"));
    let expected: i64 = {
        let mut n = 0;
        for school in ["demo-01", "demo-02", "demo-04", "demo-05", "demo-06"] {
            n += app.demo_responses(school, "parent").await;
        }
        n
    };
    assert_eq!(rows.len() as i64, expected);
    // The same as a workbook, with a codebook; numbers as numbers.
    let bytes = region
        .get(app.url(&format!(
            "/export/campaigns/{campaign}/responses.xlsx?group=parent"
        )))
        .send()
        .await
        .expect("request")
        .bytes()
        .await
        .expect("body");
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("xlsx");
    assert_eq!(book.sheet_names(), ["parent", "Кодификатор"]);
    let sheet = book.worksheet_range("parent").expect("sheet");
    assert_eq!(sheet.height() as i64, 1 + expected);
    assert!((2..sheet.width()).any(|c| matches!(sheet.get((1, c)), Some(Data::Float(_)))));
    let codebook = book.worksheet_range("Кодификатор").expect("codebook");
    assert_eq!(codebook.height(), 1 + instrument.slots.len());
    assert!(codebook
        .rows()
        .any(|r| r[3].to_string().contains("Полностью согласен")));
    // Never the teachers' personal diagnostic; never for other roles.
    let diagnostic = region
        .get(app.url(&format!(
            "/export/campaigns/{campaign}/responses.csv?group=teacher_deficits"
        )))
        .send()
        .await
        .expect("request");
    assert_eq!(diagnostic.status(), StatusCode::BAD_REQUEST);
    let (north, _) = app.sign_in("north").await;
    let refused = north
        .get(app.url(&format!(
            "/export/campaigns/{campaign}/responses.csv?group=parent"
        )))
        .send()
        .await
        .expect("request");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    app.finish().await;
}

harness::on_both_backends!(
    the_matrix_workbook_reads_back_with_numbers_colours_and_a_chart,
    a_school_exports_only_itself,
    raw_answers_leave_only_for_analysts_without_small_groups_or_identifiers,
    raw_exports_arrive_whole_under_every_encoding_a_browser_asks_for,
    raw_rows_leave_in_an_order_that_carries_no_time,
);

/// A body as the client sent it, decoded by its `Content-Encoding` as a browser would.
pub(super) fn decoded(encoding: &str, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    match encoding {
        "" | "identity" => out.extend_from_slice(body),
        "gzip" => {
            flate2::read::GzDecoder::new(body)
                .read_to_end(&mut out)
                .expect("a whole gzip stream");
        }
        "deflate" => {
            flate2::read::ZlibDecoder::new(body)
                .read_to_end(&mut out)
                .expect("a whole deflate stream");
        }
        "br" => {
            brotli_decompressor::Decompressor::new(body, 4096)
                .read_to_end(&mut out)
                .expect("a whole brotli stream");
        }
        other => panic!("an encoding nobody asked for: {other}"),
    }
    out
}

/// `GET url` asking for one encoding; the body decoded, and the encoding the server chose.
pub(super) async fn get_encoded(
    client: &reqwest::Client,
    url: &str,
    encoding: &str,
) -> (Vec<u8>, String) {
    let r = client
        .get(url)
        .header("accept-encoding", encoding)
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::OK, "{url} under {encoding}");
    let chosen = r
        .headers()
        .get("content-encoding")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("identity")
        .to_owned();
    let body = r.bytes().await.expect("the whole body");
    (decoded(&chosen, &body), chosen)
}

async fn raw_exports_arrive_whole_under_every_encoding_a_browser_asks_for(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let campaign = app.demo_campaign().await;
    let (region, _) = app.sign_in("region").await;
    let csv_url = app.url(&format!(
        "/export/campaigns/{campaign}/responses.csv?group=student"
    ));
    let xlsx_url = app.url(&format!(
        "/export/campaigns/{campaign}/responses.xlsx?group=student"
    ));
    let (plain_csv, _) = get_encoded(&region, &csv_url, "identity").await;
    let (plain_xlsx, _) = get_encoded(&region, &xlsx_url, "identity").await;
    assert!(plain_xlsx.starts_with(b"PK"), "a workbook");
    let rows = csv::Reader::from_reader(plain_csv.as_slice())
        .records()
        .count();
    assert!(rows > 10, "the students' rows: {rows}");
    for encoding in ["gzip", "br", "deflate", "gzip, deflate, br, zstd"] {
        let (csv, chosen) = get_encoded(&region, &csv_url, encoding).await;
        if encoding != "identity" {
            assert_ne!(chosen, "identity", "{encoding}: compressed");
        }
        assert_eq!(csv, plain_csv, "the CSV under {encoding}");
        let read = csv::Reader::from_reader(csv.as_slice()).records().count();
        assert_eq!(read, rows, "the CSV's rows under {encoding}");
        // A workbook carries the time it was made: read back whole, not compared byte for byte.
        let (xlsx, _) = get_encoded(&region, &xlsx_url, encoding).await;
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(xlsx)).expect("xlsx");
        let sheet = book.worksheet_range("student").expect("sheet");
        assert_eq!(
            sheet.height(),
            rows + 1,
            "the workbook's rows under {encoding}"
        );
    }
    app.finish().await;
}

/// The raw rows leave in an order that carries no time: not the order they were stored in (a
/// keyed hash of each row's id), every published row once.
async fn raw_rows_leave_in_an_order_that_carries_no_time(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let campaign = app.previous_demo_campaign().await;
    let (region, _) = app.sign_in("region").await;
    // Reading the closed campaign makes its publication at the close.
    let csv = region
        .get(app.url(&format!(
            "/export/campaigns/{campaign}/responses.csv?group=student"
        )))
        .send()
        .await
        .expect("export")
        .text()
        .await
        .expect("csv");
    let rows = csv::Reader::from_reader(csv.as_bytes()).records().count();
    let mut pages = app
        .storage
        .response_pages(campaign, surveys::Group::Student, 7)
        .await
        .expect("pages");
    let mut ids = Vec::new();
    loop {
        let page = pages.next().await.expect("page");
        if page.is_empty() {
            break;
        }
        ids.extend(page.iter().map(|r| r.id));
    }
    assert_eq!(ids.len(), rows, "every published row once");
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len(), "no row twice");
    assert!(ids.len() >= 20, "{} rows", ids.len());
    let pairs = ids.len() * (ids.len() - 1) / 2;
    let inversions = (0..ids.len())
        .flat_map(|a| (a + 1..ids.len()).map(move |b| (a, b)))
        .filter(|(a, b)| ids[*a] > ids[*b])
        .count();
    let share = inversions as f64 / pairs as f64;
    assert!(
        (0.2..=0.8).contains(&share),
        "the rows' order follows their storage: {share:.2} of pairs inverted"
    );
    app.finish().await;
}
