//! Attacks the edge must hold: no redirect leaves the site, a raw export opens in a spreadsheet
//! program without running anything, and an uploaded workbook cannot take the server down.

use harness::{csrf_of, Backend, TestApp};

use crate::registry::upload;
use reqwest::header::LOCATION;
use reqwest::StatusCode;
use surveys::{Group, RawAnswers, RawValue};

async fn no_redirect_leaves_the_site(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let c = harness::client();
    let password = server::cli::demo::demo_password("north");
    for next in [
        "/\t/evil.example",
        "/\\evil.example",
        "//evil.example",
        "https://evil.example/",
    ] {
        let r = app
            .sign_in_request(
                &c,
                &[("login", "north"), ("password", &password), ("next", next)],
            )
            .await
            .send()
            .await
            .expect("sign in");
        assert_eq!(r.headers()[LOCATION], "/work", "next = {next:?}");
    }
    for back in ["/%5Cevil.example", "/%09/evil.example", "//evil.example"] {
        let r = c
            .get(app.url(&format!("/lang/en?back={back}")))
            .send()
            .await
            .expect("switch");
        assert_eq!(r.headers()[LOCATION], "/", "back = {back}");
    }
    app.finish().await;
}

async fn a_raw_csv_export_never_holds_a_formula(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let (campaign, school) = app.demo_school("demo-01").await;
    // A parent's comment written as a formula, as an attacker would.
    let mut stored = app
        .storage
        .campaign_responses(campaign)
        .await
        .expect("responses")
        .into_iter()
        .find(|r| r.school_id == school && r.group == Group::Parent)
        .expect("a parent's response");
    let mut raw: RawAnswers = stored.raw().expect("answers");
    raw.insert(
        "parent_comment".into(),
        RawValue::One("=HYPERLINK(\"http://evil.example\",\"x\")".into()),
    );
    stored.answers = serde_json::to_string(&raw).expect("json");
    let m = surveys::Methodology::default_set().expect("methodology");
    // Five of them, so that the next publication takes them in.
    for n in 0..5 {
        app.storage
            .insert_response(&server::storage::ResponseRow {
                campaign_id: campaign,
                school_id: school,
                group: Group::Parent,
                instrument_key: "parent".into(),
                instrument_version: 1,
                methodology_version: m.version.to_string(),
                answers: stored.answers.clone(),
                submitted_on: server::clock::today(),
                submission_key: format!("formula-comment-{n}"),
                surplus_limit: None,
                tally: None,
            })
            .await
            .expect("stored");
    }
    let (region, csrf) = app.sign_in("region").await;
    let published = region
        .post(app.url(&format!("/work/campaigns/{campaign}/publish")))
        .form(&[("_csrf", csrf.as_str())])
        .send()
        .await
        .expect("publish");
    assert!(published.headers()["location"]
        .to_str()
        .is_ok_and(|l| l.ends_with("?published=2")));
    let csv = harness::text(
        &region,
        &app.url(&format!(
            "/export/campaigns/{campaign}/responses.csv?group=parent"
        )),
    )
    .await;
    assert!(
        csv.contains("'=HYPERLINK("),
        "the comment is kept, neutralised"
    );
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    for record in reader.records() {
        for cell in record.expect("record").iter() {
            let formula = cell.starts_with(['=', '+', '@', '\t', '\r'])
                || (cell.starts_with('-') && cell.parse::<f64>().is_err());
            assert!(!formula, "a cell a spreadsheet would run: {cell}");
        }
    }
    app.finish().await;
}

async fn a_workbook_with_a_far_cell_is_refused_and_the_server_keeps_answering(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let (region, _) = app.sign_in("region").await;
    let csrf = csrf_of(&harness::text(&region, &app.url("/work/registry")).await);
    // A file of a few kilobytes whose sheet claims A1:XFD1048576.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "region_code").expect("cell");
    sheet.write_string(1_048_575, 16_383, "x").expect("cell");
    let bytes = book.save_to_buffer().expect("workbook");
    assert!(bytes.len() < 10_000, "{} bytes", bytes.len());
    let page = upload(&region, &app, &csrf, "bomb.xlsx", bytes).await;
    assert!(
        page.contains("Книга слишком велика: не больше 50000 строк и 26 столбцов, до 64 МБ"),
        "{page}"
    );
    let health = reqwest::get(app.url("/healthz")).await.expect("health");
    assert_eq!(health.status(), StatusCode::OK);
    app.finish().await;
}

/// A registry workbook whose shared strings unzip to `real` bytes while the archive says they
/// take 200 (the sizes in both of the entry's headers are rewritten after zipping).
fn lying_workbook(real: usize) -> Vec<u8> {
    use std::io::Write;
    const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const RELS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
    const DOC: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#
                .to_owned(),
        ),
        (
            "_rels/.rels",
            format!(
                r#"<?xml version="1.0"?><Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/workbook.xml",
            format!(
                r#"<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="{DOC}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"<?xml version="1.0"?><Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{DOC}/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(
                r#"<?xml version="1.0"?><worksheet xmlns="{MAIN}"><dimension ref="A1"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>"#
            ),
        ),
        (
            "xl/sharedStrings.xml",
            format!(
                r#"<?xml version="1.0"?><sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>{}</t></si></sst>"#,
                "A".repeat(real)
            ),
        ),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    for (name, text) in &parts {
        zip.start_file(*name, deflated).expect("entry");
        zip.write_all(text.as_bytes()).expect("write");
    }
    let mut bytes = zip.finish().expect("archive").into_inner();
    // The uncompressed size sits 22 bytes into a local header and 24 into a central one.
    let name = b"xl/sharedStrings.xml";
    for (signature, at, name_at) in [(b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)] {
        let start = (0..bytes.len() - name_at - name.len())
            .find(|&i| {
                &bytes[i..i + 4] == signature
                    && &bytes[i + name_at..i + name_at + name.len()] == name
            })
            .expect("the entry's header");
        bytes[start + at..start + at + 4].copy_from_slice(&200u32.to_le_bytes());
    }
    bytes
}

async fn a_workbook_that_unzips_to_more_than_it_says_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let (region, _) = app.sign_in("region").await;
    let csrf = csrf_of(&harness::text(&region, &app.url("/work/registry")).await);
    // 80 MB of text in well under a megabyte, said to be 200 bytes.
    let bytes = lying_workbook(80 << 20);
    assert!(bytes.len() < 1 << 20, "{} bytes", bytes.len());
    let page = upload(&region, &app, &csrf, "bomb.xlsx", bytes).await;
    assert!(
        page.contains("Книга слишком велика: не больше 50000 строк и 26 столбцов, до 64 МБ"),
        "{page}"
    );
    // A small one, under the bound whatever it says, is read (and refused only for its columns).
    let page = upload(&region, &app, &csrf, "small.xlsx", lying_workbook(100)).await;
    assert!(page.contains("region_code"), "{page}");
    let health = reqwest::get(app.url("/healthz")).await.expect("health");
    assert_eq!(health.status(), StatusCode::OK);
    app.finish().await;
}

/// The draft token a response sets, if any.
fn draft_set(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("orientir_draft_"))
        .and_then(|v| v.split(';').next())
        .and_then(|pair| pair.split_once('='))
        .map(|(_, token)| token.to_owned())
}

async fn another_site_cannot_plant_a_draft(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let code = app.demo_code("demo-01", "student").await;
    let url = app.url(&format!("/respond/{code}/1"));
    // The attacker's own draft, with a token the server issued to the attacker.
    let attacker = harness::client();
    let r = attacker
        .post(&url)
        .form(&[("_go", "back")])
        .send()
        .await
        .expect("attacker's page");
    let planted = draft_set(&r).expect("a draft token for the attacker");
    // A page of another site posts it from the victim's browser (no cookie of ours comes with it).
    let victim = harness::client();
    let r = victim
        .post(&url)
        .form(&[("_draft", planted.as_str()), ("_go", "back")])
        .send()
        .await
        .expect("planted post");
    let own = draft_set(&r).expect("the victim gets a draft of their own");
    assert_ne!(own, planted, "the planted token was taken");
    // A token the server never issued is not taken either.
    let r = harness::client()
        .post(&url)
        .form(&[
            ("_draft", "0123456789abcdef0123456789abcdef"),
            ("_go", "back"),
        ])
        .send()
        .await
        .expect("chosen token");
    assert_ne!(
        draft_set(&r).as_deref(),
        Some("0123456789abcdef0123456789abcdef")
    );
    app.finish().await;
}

async fn a_page_stores_and_echoes_no_more_than_its_fields_allow(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let code = app.demo_code("demo-05", "parent").await;
    let m = surveys::Methodology::default_set().expect("methodology");
    let parent = m.instrument(Group::Parent).expect("parent");
    let slot = parent.slot("parent_comment").expect("the comment");
    let section = parent.slots[slot].section;
    // Every field of the comment's page far over any limit.
    let mut form: Vec<(String, String)> = parent
        .slots
        .iter()
        .filter(|s| s.section == section)
        .map(|s| (s.key.clone(), "9".repeat(50_000)))
        .collect();
    form.retain(|(k, _)| k != "parent_comment");
    form.push(("parent_comment".into(), "x".repeat(300_000)));
    let c = harness::client();
    let r = c
        .post(app.url(&format!("/respond/{code}/{}", section + 1)))
        .form(&form)
        .send()
        .await
        .expect("post");
    let token = draft_set(&r).expect("a draft");
    let location = r.headers()[LOCATION].to_str().expect("location").to_owned();
    assert!(location.ends_with("#errors"), "{location}");
    let draft = app
        .storage
        .draft(&token)
        .await
        .expect("read")
        .expect("the draft");
    let size = draft.answers.len() + draft.problems.len();
    assert!(size < 20_000, "the draft holds {size} bytes");
    let page = harness::text(&c, &app.url(location.trim_end_matches("#errors"))).await;
    assert!(
        page.contains("Не длиннее 500 символов"),
        "the comment is refused as too long"
    );
    assert!(!page.contains(&"x".repeat(501)) && !page.contains(&"9".repeat(100)));
    app.finish().await;
}

async fn every_response_carries_the_edge_headers_and_compresses(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let c = harness::client();
    let r = c
        .get(app.url("/"))
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .expect("home");
    let header = |name: &str| {
        r.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(header("content-encoding"), "br");
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(header("referrer-policy"), "no-referrer");
    assert_eq!(header("cache-control"), "no-store");
    assert_eq!(header("x-request-id").len(), 16, "a request id");
    let csp = header("content-security-policy");
    for part in [
        "script-src 'self' 'nonce-",
        "'wasm-unsafe-eval'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        // A form injected into a page (or a page's own, pointed elsewhere) posts nowhere else.
        "form-action 'self'",
    ] {
        assert!(csp.contains(part), "{csp}");
    }
    assert!(!csp.contains("script-src 'self' 'unsafe-inline'"), "{csp}");
    // The page's own scripts carry the nonce its policy names, a fresh one per page (a
    // coordinator's page: a respondent's has no inline script of its own).
    let plain = c.get(app.url("/login")).send().await.expect("sign-in page");
    let policy = plain.headers()["content-security-policy"]
        .to_str()
        .expect("policy")
        .to_owned();
    let nonce_of = |policy: &str| {
        policy
            .split("'nonce-")
            .nth(1)
            .and_then(|n| n.split('\'').next())
            .expect("nonce")
            .to_owned()
    };
    let nonce = nonce_of(&policy);
    assert_ne!(nonce, nonce_of(&csp), "a fresh nonce per page");
    let html = plain.text().await.expect("body");
    assert!(
        html.contains(&format!("<script type=\"module\" nonce=\"{nonce}\"")),
        "{html}"
    );
    // The browser bundle goes out compressed too.
    let wasm = c
        .get(app.url("/pkg/orientir.wasm"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("wasm");
    assert_eq!(wasm.headers()["content-encoding"], "gzip");
    // No secure transport here, so no HSTS.
    assert!(r.headers().get("strict-transport-security").is_none());
    app.finish().await;
}

async fn code_sheet_links_use_the_configured_address_not_the_request(backend: Backend) {
    let app = TestApp::spawn_configured(backend, |config| {
        config.public_url = Some("https://orientir.example.ru".into());
    })
    .await
    .with_demo()
    .await;
    let (campaign, school) = app.demo_school("demo-01").await;
    let code = app.demo_code("demo-01", "student").await;
    let (client, _) = app.sign_in("school").await;
    let html = client
        .get(app.url(&format!(
            "/work/campaigns/{campaign}/schools/{school}/codes"
        )))
        .header("x-forwarded-proto", "javascript")
        .header("host", "evil.example")
        .send()
        .await
        .expect("code sheet")
        .text()
        .await
        .expect("body");
    assert!(
        html.contains(&format!("https://orientir.example.ru/s/{code}")),
        "{html}"
    );
    assert!(!html.contains("evil.example"));
    app.finish().await;
}

async fn parallel_wrong_passwords_are_counted_before_they_are_checked(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let mut attempts = tokio::task::JoinSet::new();
    for _ in 0..40 {
        let url = app.url("/session");
        let client = harness::client();
        let token = app.login_token(&client).await;
        attempts.spawn(async move {
            let r = client
                .post(url)
                .form(&[
                    ("login", "north"),
                    ("password", "not the password"),
                    ("_csrf", &token),
                ])
                .send()
                .await
                .expect("attempt");
            let location = r
                .headers()
                .get(LOCATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            (r.status(), location)
        });
    }
    let outcomes = attempts.join_all().await;
    let checked = outcomes
        .iter()
        .filter(|(_, l)| l.starts_with("/login?error=refused"))
        .count();
    assert!(checked <= 5, "{checked} passwords were checked");
    for (status, location) in &outcomes {
        assert!(
            location.starts_with("/login?error=") || *status == StatusCode::SERVICE_UNAVAILABLE,
            "{status} {location}"
        );
    }
    // The attempts that were checked count: the hold comes after the rest of five.
    for n in checked..5 {
        let r = app
            .sign_in_request(
                &harness::client(),
                &[("login", "north"), ("password", "still not it")],
            )
            .await
            .send()
            .await
            .expect("attempt");
        let location = r.headers()[LOCATION].to_str().expect("location").to_owned();
        assert!(
            location.starts_with("/login?error=refused"),
            "attempt {n}: {location}"
        );
    }
    let password = server::cli::demo::demo_password("north");
    let r = app
        .sign_in_request(
            &harness::client(),
            &[("login", "north"), ("password", &password)],
        )
        .await
        .send()
        .await
        .expect("right password");
    assert!(r.headers()[LOCATION]
        .to_str()
        .expect("location")
        .starts_with("/login?error=held"));
    app.finish().await;
}

/// Twenty failed sign-ins (on any logins) from one client address, then the right password of
/// `north` from another: whether that one is held.
async fn held_after_twenty_from_one_client(app: &TestApp) -> bool {
    let attempt = |from: &'static str, login: String, password: String| async move {
        let r = app
            .sign_in_request(
                &harness::client(),
                &[("login", &login), ("password", &password)],
            )
            .await
            .header("x-forwarded-for", from)
            .send()
            .await
            .expect("attempt");
        r.headers()[LOCATION].to_str().expect("location").to_owned()
    };
    for n in 0..20 {
        attempt("10.0.0.1", format!("user{n}"), "wrong".into()).await;
    }
    let other = attempt(
        "10.0.0.2",
        "north".into(),
        server::cli::demo::demo_password("north"),
    )
    .await;
    other.starts_with("/login?error=held")
}

async fn behind_a_trusted_proxy_each_client_has_its_own_limit(backend: Backend) {
    let app = TestApp::spawn_configured(backend, |config| {
        config.trusted_proxies = vec!["127.0.0.1".parse().expect("ip")];
    })
    .await
    .with_demo()
    .await;
    assert!(!held_after_twenty_from_one_client(&app).await);
    app.finish().await;
    // Without it, a forged header changes nothing: all come from the one peer.
    let app = TestApp::spawn(backend).await.with_demo().await;
    assert!(held_after_twenty_from_one_client(&app).await);
    app.finish().await;
}

async fn the_release_bundle_goes_out_precompressed_under_names_of_its_content(backend: Backend) {
    let site = harness::site();
    let app = TestApp::spawn(backend).await;
    // Pages link to the bundle in a folder named after its content.
    let home = harness::text(&harness::client(), &app.url("/")).await;
    let at = home.find("/pkg/").expect("a link to the bundle") + 5;
    let folder = home[at..].split('/').next().expect("folder").to_owned();
    assert_eq!(folder.len(), 16, "a content hash: {folder}");
    assert!(folder.bytes().all(|b| b.is_ascii_hexdigit()), "{folder}");
    // Pages a respondent meets load the islands' loader (which loads the respondents' bundle
    // beside it); the others the whole app.
    let login = harness::text(&harness::client(), &app.url("/login")).await;
    for (page, files, other) in [
        (&home, ["islands.js", "orientir.css"], "orientir.wasm"),
        (&login, ["orientir.wasm", "work.css"], "islands.js"),
    ] {
        for file in files {
            assert!(
                page.contains(&format!("/pkg/{folder}/{file}")),
                "{file} is linked in its folder"
            );
        }
        assert!(!page.contains(other), "{page}");
    }
    assert!(
        !home.contains("work.css"),
        "a respondent loads no coordinator's styles"
    );
    for (file, encoding) in [
        ("orientir.wasm", "br"),
        ("respondent.wasm", "br"),
        ("respondent.js", "br"),
        ("islands.js", "gzip"),
        ("orientir.js", "gzip"),
        ("orientir.css", "br"),
        ("work.css", "br"),
    ] {
        let r = harness::client()
            .get(app.url(&format!("/pkg/{folder}/{file}")))
            .header("accept-encoding", encoding)
            .send()
            .await
            .expect("bundle file");
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-encoding"], encoding, "{file}");
        assert_eq!(
            r.headers()["cache-control"],
            "public, max-age=31536000, immutable",
            "{file}"
        );
        let suffix = if encoding == "br" { "br" } else { "gz" };
        let stored = std::fs::metadata(site.join(format!("pkg/{folder}/{file}.{suffix}")))
            .expect("the precompressed file")
            .len();
        let sent = r.bytes().await.expect("body").len() as u64;
        assert_eq!(sent, stored, "{file} is served as compressed at build");
    }
    // Outside a content-named folder (and for a file that is not there) browsers ask again.
    for (path, status) in [
        ("/pkg/orientir.css".to_owned(), StatusCode::OK),
        (format!("/pkg/{folder}/missing.js"), StatusCode::NOT_FOUND),
    ] {
        let r = harness::client()
            .get(app.url(&path))
            .send()
            .await
            .expect("file");
        assert_eq!(r.status(), status, "{path}");
        assert_eq!(r.headers()["cache-control"], "no-cache", "{path}");
    }
    app.finish().await;
}

/// Whether a number has at most two decimals.
fn two_decimals(n: f64) -> bool {
    ((n * 100.0).round() - n * 100.0).abs() < 1e-6
}

async fn published_values_have_two_decimals_and_small_counts_a_band(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let campaign = app.demo_campaign().await;
    let (region, _) = app.sign_in("region").await;
    let matrix: serde_json::Value = region
        .post(app.url("/api/work-matrix"))
        .form(&[("campaign", campaign.to_string())])
        .send()
        .await
        .expect("matrix")
        .json()
        .await
        .expect("json");
    let scores: Vec<f64> = matrix["report"]["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .flat_map(|r| r["cells"].as_array().expect("cells").iter())
        .filter_map(|c| c["score"].as_f64())
        .collect();
    assert!(!scores.is_empty());
    assert!(scores.iter().all(|s| two_decimals(*s)), "{scores:?}");
    let bytes = region
        .get(app.url(&format!("/export/campaigns/{campaign}/matrix.xlsx")))
        .send()
        .await
        .expect("workbook")
        .bytes()
        .await
        .expect("body");
    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
    let mut book: Xlsx<_> =
        open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("xlsx");
    for sheet in ["Матрица", "Показатели"] {
        let range = book.worksheet_range(sheet).expect("sheet");
        for cell in range.used_cells() {
            if let Data::Float(n) = cell.2 {
                assert!(two_decimals(*n), "{sheet} {:?}: {n}", (cell.0, cell.1));
            }
        }
    }
    // Respondents behind an indicator: a number from ten on, a band under it.
    let indicators = book.worksheet_range("Показатели").expect("sheet");
    let column = (0..indicators.width())
        .find(|c| {
            indicators
                .get((0, *c))
                .is_some_and(|d| matches!(d, Data::String(s) if s == "respondents"))
        })
        .expect("respondents column");
    let counts: Vec<String> = (1..indicators.height())
        .filter_map(|r| indicators.get((r, column)))
        .map(|d| d.to_string())
        .filter(|s| !s.is_empty())
        .collect();
    assert!(
        counts.iter().any(|c| c == "5–9" || c == "< 5"),
        "{counts:?}"
    );
    for count in &counts {
        if let Ok(n) = count.parse::<f64>() {
            assert!(n >= 10.0, "a count under ten as a number: {n}");
        }
    }
    app.finish().await;
}

async fn an_address_guessing_codes_is_made_to_wait(backend: Backend) {
    let app = TestApp::spawn_configured(backend, |config| {
        config.trusted_proxies = vec!["127.0.0.1".parse().expect("ip")];
    })
    .await
    .with_demo()
    .await;
    let code = app.demo_code("demo-01", "student").await;
    let c = harness::client();
    let from = |address: &'static str, path: String| {
        c.get(app.url(&path)).header("x-forwarded-for", address)
    };
    for n in 0..100 {
        let guess = format!("ZZZ-ZZZ-{}", ["22", "33", "44", "55"][n % 4]);
        let r = from("10.0.0.7", format!("/s/{guess}"))
            .send()
            .await
            .expect("guess");
        assert_eq!(r.status(), StatusCode::OK, "guess {n} is answered");
    }
    // Now even a real code waits, by page and by form post, from that address only.
    let r = from("10.0.0.7", format!("/s/{code}"))
        .send()
        .await
        .expect("page");
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .expect("text")
        .parse()
        .expect("seconds");
    assert!((1..=601).contains(&wait), "waits {wait} s");
    assert!(r.text().await.expect("body").contains("через 10 мин."));
    // In the reader's language.
    let r = from("10.0.0.7", format!("/s/{code}"))
        .header("cookie", "orientir_lang=en")
        .send()
        .await
        .expect("page");
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r
        .text()
        .await
        .expect("body")
        .contains("try again in 10 min."));
    let r = c
        .post(app.url(&format!("/respond/{code}/1")))
        .header("x-forwarded-for", "10.0.0.7")
        .form(&[("_go", "back")])
        .send()
        .await
        .expect("form post");
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let r = from("10.0.0.8", format!("/s/{code}"))
        .send()
        .await
        .expect("page");
    assert_eq!(r.status(), StatusCode::OK);
    app.finish().await;
}

async fn another_site_cannot_sign_a_browser_in(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    // A form on another site posts the attacker's credentials: no login cookie comes with it.
    let r = harness::client()
        .post(app.url("/session"))
        .form(&[
            ("login", "north"),
            ("password", &server::cli::demo::demo_password("north")),
            ("_csrf", "0123456789abcdef0123456789abcdef"),
        ])
        .send()
        .await
        .expect("post");
    assert!(r.headers()[LOCATION]
        .to_str()
        .expect("location")
        .starts_with("/login?error=expired"));
    assert!(
        r.headers().get(reqwest::header::SET_COOKIE).is_none(),
        "no session"
    );
    app.finish().await;
}

/// A server function's body over its limit is the caller's mistake: 413, not 500, and the
/// server goes on answering.
async fn an_oversized_server_function_call_is_refused_as_too_large(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let (region, _) = app.sign_in("region").await;
    let huge = format!("campaign=1&school=1&padding={}", "x".repeat(3 << 20));
    let r = region
        .post(app.url("/api/work-profile"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(huge)
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let campaign = app.demo_campaign().await;
    let (_, school) = app.demo_school("demo-01").await;
    let r = region
        .post(app.url("/api/work-profile"))
        .form(&[("campaign", campaign), ("school", school)])
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::OK);
    app.finish().await;
}

harness::on_both_backends!(
    an_oversized_server_function_call_is_refused_as_too_large,
    another_site_cannot_sign_a_browser_in,
    an_address_guessing_codes_is_made_to_wait,
    published_values_have_two_decimals_and_small_counts_a_band,
    the_release_bundle_goes_out_precompressed_under_names_of_its_content,
    behind_a_trusted_proxy_each_client_has_its_own_limit,
    parallel_wrong_passwords_are_counted_before_they_are_checked,
    every_response_carries_the_edge_headers_and_compresses,
    code_sheet_links_use_the_configured_address_not_the_request,
    a_page_stores_and_echoes_no_more_than_its_fields_allow,
    another_site_cannot_plant_a_draft,
    no_redirect_leaves_the_site,
    a_raw_csv_export_never_holds_a_formula,
    a_workbook_with_a_far_cell_is_refused_and_the_server_keeps_answering,
    a_workbook_that_unzips_to_more_than_it_says_is_refused,
);
