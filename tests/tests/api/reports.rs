//! Coordinators' reports over HTTP: the response-rate monitor, a school's profile and the
//! matrix, each cut to the viewer's scope and never showing what the minimum-respondent rules
//! hide.

use harness::{Backend, TestApp};
use reqwest::{Client, StatusCode};

async fn page(client: &Client, app: &TestApp, path: &str) -> String {
    let r = client.get(app.url(path)).send().await.expect("request");
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    r.text().await.expect("body")
}

fn count(html: &str, needle: &str) -> usize {
    html.matches(needle).count()
}

async fn the_monitor_shows_each_school_of_the_scope_with_its_response_rates(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let (campaign, school) = app.demo_school("demo-01").await;
    let (north, _) = app.sign_in("north").await;
    let html = page(&north, &app, &format!("/work/campaigns/{campaign}/monitor")).await;
    assert_eq!(
        count(&html, "<tr data-school="),
        3,
        "the north's three schools"
    );
    assert!(html.contains(&format!("data-school=\"{school}\"")));
    // demo-01 expects 90 students and 70 % of them… the generator answered 63 of 90.
    assert!(html.contains("63 / 90"), "{html}");
    assert!(html.contains("✓ достаточно"));
    // The teachers' diagnostic is listed by participants only: two of demo-01's teachers.
    let teachers = app
        .storage
        .campaign_schools(campaign)
        .await
        .expect("schools")
        .into_iter()
        .find(|s| s.school_id == school)
        .expect("demo-01")
        .expected_teachers;
    for n in 0..2 {
        app.storage
            .insert_response(&server::storage::ResponseRow {
                campaign_id: campaign,
                school_id: school,
                group: surveys::Group::TeacherDeficits,
                instrument_key: "teacher_deficits".into(),
                instrument_version: 1,
                methodology_version: "test".into(),
                answers: "{}".into(),
                submitted_on: server::clock::today(),
                submission_key: format!("monitor-diagnostic-{n}"),
                surplus_limit: None,
                tally: None,
            })
            .await
            .expect("stored");
    }
    let html = page(&north, &app, &format!("/work/campaigns/{campaign}/monitor")).await;
    assert!(
        html.contains(">Диагностика учителей<span aria-hidden=\"true\" class=\"sort-mark\">"),
        "{html}"
    );
    let row = html
        .split(&format!("<tr data-school=\"{school}\""))
        .nth(1)
        .and_then(|r| r.split("</tr>").next())
        .expect("demo-01's row");
    let cell = row
        .split("data-group=\"teacher_deficits\"")
        .nth(1)
        .and_then(|c| c.split("</td>").next())
        .unwrap_or_else(|| panic!("the diagnostic's cell in {row}"));
    // Two is under the minimum of five: never shown as a number.
    assert!(cell.contains(&format!("&lt; 5 / {teachers}")), "{cell}");
    assert!(!cell.contains(&format!("2 / {teachers}")), "{cell}");
    assert!(
        cell.contains("✗ мало"),
        "fewer than five: no school summary yet"
    );

    // The regional coordinator sees all six and can narrow to one municipality.
    let (region, _) = app.sign_in("region").await;
    let html = page(
        &region,
        &app,
        &format!("/work/campaigns/{campaign}/monitor"),
    )
    .await;
    assert_eq!(count(&html, "<tr data-school="), 6);
    let municipality = html
        .split("<option value=\"")
        .nth(2)
        .and_then(|v| v.split('"').next())
        .expect("a municipality option")
        .to_owned();
    let narrowed = page(
        &region,
        &app,
        &format!("/work/campaigns/{campaign}/monitor?municipality={municipality}"),
    )
    .await;
    let rows = count(&narrowed, "<tr data-school=");
    assert!(rows > 0 && rows < 6, "{rows} schools after the filter");
    app.finish().await;
}

async fn a_profile_explains_each_level_and_hides_what_too_few_answered(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let (campaign, school) = app.demo_school("demo-03").await;
    let (region, _) = app.sign_in("region").await;
    let html = page(
        &region,
        &app,
        &format!("/work/campaigns/{campaign}/schools/{school}"),
    )
    .await;
    // Ten factors, a chart drawn on the server, every factor explained.
    assert_eq!(count(&html, "<details data-factor="), 10);
    let svg = html
        .split("<svg")
        .nth(1)
        .expect("a chart drawn on the server");
    assert_eq!(
        count(svg.split("</svg>").next().unwrap_or_default(), "<rect"),
        20,
        "two bars per factor"
    );
    assert_eq!(count(&html, "<p class=\"why\">"), 10);
    assert!(html.contains("Норма → критично"));
    // demo-03 has three or four parents' answers: under the minimum of five, so every parent
    // indicator says so, and no parent count is shown.
    assert!(
        html.contains("недостаточно данных: ответили меньше 5 человек"),
        "{html}"
    );
    let parent_rows: Vec<&str> = html
        .split("<tr data-indicator=\"")
        .skip(1)
        .filter(|row| row.contains("<td>Родители</td>"))
        .collect();
    assert!(!parent_rows.is_empty());
    for row in parent_rows {
        let row = row.split("</tr>").next().unwrap_or_default();
        assert!(row.contains("недостаточно данных"), "{row}");
        assert!(
            row.ends_with("<td class=\"num\">—</td>"),
            "no respondent count: {row}"
        );
    }
    // No teacher has taken the diagnostic in the demo: the summary is withheld.
    assert!(html.contains("сводка показывается, когда диагностику прошли не меньше 5 учителей"));
    app.finish().await;
}

async fn a_school_sees_only_itself(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let (open, own) = app.demo_school("demo-01").await;
    let (_, other) = app.demo_school("demo-02").await;
    // Last year's campaign has closed: its results are the school's to read.
    let campaign = app.previous_demo_campaign().await;
    let (school, _) = app.sign_in("school").await;
    // Of the open campaign only the response rates: the school holds its group codes, and
    // reading results, adding answers and reading again would tell it one respondent's.
    let withheld = page(
        &school,
        &app,
        &format!("/work/campaigns/{open}/schools/{own}"),
    )
    .await;
    assert!(withheld.contains("Результаты ещё не опубликованы"));
    assert_eq!(count(&withheld, "<details data-factor="), 0);
    let matrix = page(&school, &app, &format!("/work/campaigns/{open}/matrix")).await;
    assert_eq!(count(&matrix, "<tr data-school="), 0);
    let monitor = page(&school, &app, &format!("/work/campaigns/{open}/monitor")).await;
    assert_eq!(count(&monitor, "<tr data-school="), 1);
    let mine = page(
        &school,
        &app,
        &format!("/work/campaigns/{campaign}/schools/{own}"),
    )
    .await;
    assert!(mine.contains("МБОУ «Берёзовская СОШ»"));
    let theirs = page(
        &school,
        &app,
        &format!("/work/campaigns/{campaign}/schools/{other}"),
    )
    .await;
    assert!(theirs.contains("Такой кампании или школы нет среди доступных вам."));
    assert_eq!(count(&theirs, "<details data-factor="), 0);
    let matrix = page(&school, &app, &format!("/work/campaigns/{campaign}/matrix")).await;
    assert_eq!(count(&matrix, "<tr data-school="), 1);
    // Through the server function too, not only the page.
    let r = school
        .post(app.url("/api/work-profile"))
        .form(&[
            ("campaign", campaign.to_string()),
            ("school", other.to_string()),
        ])
        .send()
        .await
        .expect("request");
    let json: serde_json::Value = r.json().await.expect("json");
    assert!(json["report"].is_null(), "{json}");
    app.finish().await;
}

/// The schools the matrix's distribution counts in its first factor's column (every level and
/// «not enough data»).
fn distributed(html: &str) -> u32 {
    let foot = html.split("<tfoot>").nth(1).expect("distribution");
    foot.split("<tr>")
        .skip(1)
        .filter_map(|row| {
            row.split("<td class=\"num\">")
                .nth(1)?
                .split('<')
                .next()?
                .parse::<u32>()
                .ok()
        })
        .sum()
}

async fn the_matrix_sorts_by_a_factor_and_counts_levels_per_factor(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let campaign = app.demo_campaign().await;
    let (admin, _) = app.sign_in("admin").await;
    let html = page(
        &admin,
        &app,
        &format!("/work/campaigns/{campaign}/matrix?sort=RF03&dir=desc"),
    )
    .await;
    assert_eq!(count(&html, "<tr data-school="), 6);
    assert_eq!(count(&html, "data-factor=\"RF03\""), 6);
    let scores = |html: &str| -> Vec<f64> {
        html.split("data-factor=\"RF03\"")
            .skip(1)
            .filter_map(|cell| cell.split('>').nth(1)?.split('<').next()?.parse().ok())
            .collect()
    };
    // Rows in descending RF03 score, the header saying so; then ascending.
    let down = scores(&html);
    assert!(down.len() >= 2, "{down:?}");
    assert!(down.windows(2).all(|w| w[0] >= w[1]), "{down:?}");
    assert!(
        html.contains("aria-sort=\"descending\""),
        "the sorted column is marked"
    );
    let html = page(
        &admin,
        &app,
        &format!("/work/campaigns/{campaign}/matrix?sort=RF03"),
    )
    .await;
    let up = scores(&html);
    assert!(up.windows(2).all(|w| w[0] <= w[1]), "{up:?}");
    // Each factor's distribution covers the six schools.
    let first_column = distributed(&html);
    assert_eq!(first_column, 6);
    app.finish().await;
}

async fn the_change_page_compares_last_year_with_this_year(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let (north, _) = app.sign_in("north").await;
    let html = page(&north, &app, "/work/change").await;
    // By default the newest campaign against the one before.
    assert!(html.contains("прошлый год (демо)"), "{html}");
    assert_eq!(
        count(&html, "<tr data-school="),
        3,
        "the north's schools in both campaigns"
    );
    assert_eq!(count(&html, " class=\"change "), 30);
    // Per school: «significant (all changes of level)».
    let counted = |class: &str| -> (u32, u32) {
        html.split(&format!("{class}\""))
            .skip(1)
            .filter_map(|c| {
                let text = c.split_once('>')?.1.split('<').next()?;
                let (significant, all) = text.split_once(" (")?;
                Some((
                    significant.parse::<u32>().ok()?,
                    all.trim_end_matches(')').parse::<u32>().ok()?,
                ))
            })
            .fold((0, 0), |(a, b), (x, y)| (a + x, b + y))
    };
    let (better, better_all) = counted("improved-count");
    let (worse, worse_all) = counted("worsened-count");
    // Last year's answers were riskier: more factors improved than worsened.
    assert!(
        better_all > worse_all,
        "better {better_all}, worse {worse_all}"
    );
    assert!(better_all >= 3);
    assert!(better <= better_all && worse <= worse_all);
    // Per factor totals add up to the per-school counts.
    let totals: u32 = html
        .split("totals\">")
        .skip(1)
        .filter_map(|c| c.split(" / ").next()?.parse::<u32>().ok())
        .sum();
    assert_eq!(totals, better);
    app.finish().await;
}

async fn a_school_prints_its_access_codes_with_links_and_qr_codes(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let (campaign, own) = app.demo_school("demo-01").await;
    let (_, other) = app.demo_school("demo-02").await;
    let student = app.demo_code("demo-01", "student").await;
    let principal = app.demo_code("demo-01", "principal").await;
    let (school, _) = app.sign_in("school").await;
    let html = page(
        &school,
        &app,
        &format!("/work/campaigns/{campaign}/schools/{own}/codes"),
    )
    .await;
    assert!(html.contains(&student) && html.contains(&principal));
    assert!(
        html.contains(&app.url(&format!("/s/{student}"))),
        "the link leads to this server"
    );
    // Students, parents, teachers, the principal's questionnaire and self-diagnostic, and one
    // diagnostic code per expected teacher (18 at demo-01), each with its QR code.
    let cards = count(&html, "class=\"code-card\"");
    assert_eq!(cards, 5 + 18, "{cards} cards");
    assert_eq!(count(&html, "<svg"), cards);
    assert!(html.contains("Личный код одного учителя"));
    assert!(html.contains("Личный код руководителя для самодиагностики"));
    let theirs = page(
        &school,
        &app,
        &format!("/work/campaigns/{campaign}/schools/{other}/codes"),
    )
    .await;
    assert!(!theirs.contains("code-card"));
    app.finish().await;
}

async fn every_share_mean_and_factor_carries_its_uncertainty(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let (campaign, school) = app.demo_school("demo-01").await;
    let (region, _) = app.sign_in("region").await;
    let profile: serde_json::Value = region
        .post(app.url("/api/work-profile"))
        .form(&[("campaign", campaign), ("school", school)])
        .send()
        .await
        .expect("profile")
        .json()
        .await
        .expect("json");
    let factors = profile["report"]["factors"].as_array().expect("factors");
    let mut intervals = 0;
    for f in factors {
        if let Some(score) = f["score"].as_f64() {
            let i = f["interval"]
                .as_array()
                .expect("every scored factor has an interval");
            let (low, high) = (i[0].as_f64().expect("low"), i[1].as_f64().expect("high"));
            assert!(low <= score && score <= high, "{f}");
            assert!(
                f["why"]
                    .as_str()
                    .is_some_and(|w| w.contains("90 % интервал")),
                "{f}"
            );
        }
        for i in f["indicators"].as_array().expect("indicators") {
            if i["interval"].is_string() {
                intervals += 1;
            }
        }
    }
    assert!(
        intervals > 10,
        "the students', parents' and teachers' figures have intervals"
    );
    let html = page(
        &region,
        &app,
        &format!("/work/campaigns/{campaign}/schools/{school}"),
    )
    .await;
    assert!(html.contains("<th scope=\"col\" class=\"num\">Интервал</th>"));
    // The change page tells a significant change from one within the uncertainty.
    let change = page(&region, &app, "/work/change").await;
    assert!(
        change.contains(" sig\">") || change.contains(" within\">"),
        "{change}"
    );
    assert_eq!(
        count(&change, " sig\">"),
        count(&change, "<strong>значимо</strong>"),
        "a significant change is said"
    );
    assert!(change.contains("без этой отметки она в пределах погрешности"));
    assert!(change.contains("«Лучше» и «Хуже» считают только значимые изменения"));
    app.finish().await;
}

async fn the_region_sees_how_well_its_instruments_work(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let campaign = app.demo_campaign().await;
    let (region, _) = app.sign_in("region").await;
    let html = page(
        &region,
        &app,
        &format!("/work/campaigns/{campaign}/quality"),
    )
    .await;
    assert!(html.contains("Шкалы факторов"), "{html}");
    let alphas: Vec<f64> = html
        .split("class=\"num alpha\">")
        .skip(1)
        .filter_map(|c| c.split('<').next()?.parse().ok())
        .collect();
    assert!(!alphas.is_empty(), "scales of the demo's answers have α");
    assert!(alphas.iter().all(|a| *a <= 1.0));
    assert!(html.contains("data-item=\"safe\"") || html.contains("data-item="));
    assert!(html.contains("Области диагностики учителей"));
    let quality: serde_json::Value = region
        .post(app.url("/api/work-quality"))
        .form(&[("campaign", campaign)])
        .send()
        .await
        .expect("quality")
        .json()
        .await
        .expect("json");
    let items = quality["report"]["items"].as_array().expect("items");
    assert!(items.iter().any(|i| i["item_rest"].is_number()));
    // Not a school's page.
    let (school, _) = app.sign_in("school").await;
    let r = school
        .get(app.url(&format!("/work/campaigns/{campaign}/quality")))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // The workbook carries it as a sheet.
    let bytes = region
        .get(app.url(&format!("/export/campaigns/{campaign}/matrix.xlsx")))
        .send()
        .await
        .expect("workbook")
        .bytes()
        .await
        .expect("bytes");
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("xlsx");
    use calamine::Reader;
    let sheet = book
        .worksheet_range("Качество инструментов")
        .expect("the quality sheet");
    assert_eq!(
        sheet.get((0, 4)).map(|d| d.to_string()).as_deref(),
        Some("alpha")
    );
    app.finish().await;
}

/// A personal code whose questionnaire was sent is not replaced: its author needs it to reopen
/// the report, and it opens nothing else; the sheet says why.
async fn a_sent_personal_code_is_not_replaced(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let m = surveys::Methodology::default_set().expect("methodology");
    let diagnostic = m
        .instrument(surveys::Group::TeacherDeficits)
        .expect("diagnostic");
    let code = app.demo_code("demo-01", "teacher_deficits").await;
    let sent = crate::respond::complete(&app, &crate::respond::browser(), &code, diagnostic).await;
    assert!(sent.ends_with("/thanks"), "{sent}");
    let (school_account, csrf) = app.sign_in("school").await;
    let (campaign, school) = app.demo_school("demo-01").await;
    let sheet = format!("/work/campaigns/{campaign}/schools/{school}/codes");
    let r = school_account
        .post(app.url(&format!("{sheet}/replace")))
        .form(&[("_csrf", csrf.as_str()), ("access_code", code.as_str())])
        .send()
        .await
        .expect("replace");
    let back = r.headers()[reqwest::header::LOCATION]
        .to_str()
        .expect("location")
        .to_owned();
    assert!(back.contains("problem="), "{back}");
    let codes = app
        .storage
        .access_codes(campaign, school)
        .await
        .expect("codes");
    assert!(
        codes.iter().any(|a| a.code == code),
        "the sent code stays live"
    );
    let (_, page) = crate::respond::get(&school_account, &app.url(&back)).await;
    assert!(page.contains("анкета уже отправлена"), "{page}");
    app.finish().await;
}

/// The school names of a page's rows, in order.
fn row_names(html: &str) -> Vec<String> {
    html.split("<tr data-school=")
        .skip(1)
        .filter_map(|row| {
            let link = row.split("<th scope=\"row\"><a href=").nth(1)?;
            Some(link.split('>').nth(1)?.split('<').next()?.to_owned())
        })
        .collect()
}

async fn long_lists_sort_search_and_page_on_the_server(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let (campaign, demo01) = app.demo_school("demo-01").await;
    let places = app.storage.schools_with_place().await.expect("schools");
    let municipality = places
        .iter()
        .find(|s| s.id == demo01)
        .expect("demo-01")
        .municipality_id;
    // 60 more schools in the campaign: 66 in the region's lists.
    for n in 1..=60 {
        let id = app
            .storage
            .upsert_school(
                municipality,
                &format!("bulk-{n:02}"),
                &format!("Массовая школа № {n:02}"),
            )
            .await
            .expect("school");
        app.storage
            .set_expected_counts(campaign, id, 10, 20, 20)
            .await
            .expect("expected");
    }
    let (region, _) = app.sign_in("region").await;
    let monitor = format!("/work/campaigns/{campaign}/monitor");
    // A page of 50, the status counting all 66, a link to the next page.
    let first_page = page(&region, &app, &monitor).await;
    assert_eq!(count(&first_page, "<tr data-school="), 50);
    assert!(
        first_page.contains("data-total=\"66\""),
        "the status counts the whole list"
    );
    assert!(first_page.contains("rel=\"next\""));
    let second = page(&region, &app, &format!("{monitor}?page=2")).await;
    assert_eq!(count(&second, "<tr data-school="), 16);
    let first: std::collections::BTreeSet<String> = row_names(&first_page).into_iter().collect();
    assert!(
        row_names(&second).iter().all(|n| !first.contains(n)),
        "no school on two pages"
    );
    let small = page(&region, &app, &format!("{monitor}?per=25&page=3")).await;
    assert_eq!(count(&small, "<tr data-school="), 16);
    assert!(small.contains("aria-current=\"page\">3<"), "{small}");
    // Sorted by name, both ways; the sorted column says so.
    let up = row_names(&page(&region, &app, &format!("{monitor}?sort=school&per=100")).await);
    assert_eq!(up.len(), 66);
    let folded = |v: &[String]| -> Vec<String> { v.iter().map(|n| n.to_lowercase()).collect() };
    let mut sorted = folded(&up);
    sorted.sort();
    assert_eq!(folded(&up), sorted);
    let html = page(
        &region,
        &app,
        &format!("{monitor}?sort=school&dir=desc&per=100"),
    )
    .await;
    assert!(html.contains("aria-sort=\"descending\""));
    let mut down = row_names(&html);
    down.reverse();
    assert_eq!(down, up);
    // Searched by words of the name, in any order and case; the filter form keeps the words.
    let html = page(
        &region,
        &app,
        &format!("{monitor}?q=%E2%84%96+07+%D0%BC%D0%B0%D1%81%D1%81%D0%BE%D0%B2%D0%B0%D1%8F"),
    )
    .await;
    assert_eq!(row_names(&html), ["Массовая школа № 07"]);
    assert!(html.contains("data-total=\"1\""));
    assert!(
        html.contains("value=\"№ 07 массовая\""),
        "the search stays in its field"
    );
    // A page past the end reads as the last; an unknown column keeps the order.
    let last = page(&region, &app, &format!("{monitor}?page=99")).await;
    assert_eq!(row_names(&last), row_names(&second));
    let odd = page(&region, &app, &format!("{monitor}?sort=%3Cb%3E")).await;
    assert_eq!(row_names(&odd), row_names(&first_page));
    // The matrix: a page of rows, its distribution over every school of the filter.
    let html = page(&region, &app, &format!("/work/campaigns/{campaign}/matrix")).await;
    assert_eq!(count(&html, "<tr data-school="), 50);
    let first_column = distributed(&html);
    assert_eq!(first_column, 66, "the distribution counts every school");
    // Over the server function too: the page and its paging.
    let r = region
        .post(app.url("/api/work-matrix"))
        .form(&[
            ("campaign", campaign.to_string()),
            ("list[sort]", "school".into()),
            ("list[page]", "2".into()),
        ])
        .send()
        .await
        .expect("request");
    let json: serde_json::Value = r.json().await.expect("json");
    assert_eq!(json["report"]["paging"]["total"], 66, "{json}");
    assert_eq!(json["report"]["rows"].as_array().map(Vec::len), Some(16));
    app.finish().await;
}

/// A report server function's JSON.
async fn report(
    client: &Client,
    app: &TestApp,
    endpoint: &str,
    form: &[(&str, String)],
) -> serde_json::Value {
    let r = client
        .post(app.url(endpoint))
        .form(form)
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::OK, "{endpoint}");
    r.json().await.expect("json")
}

/// How many cells of the north's change page have a score after.
async fn data_cells_with_scores(client: &Client, app: &TestApp) -> usize {
    let data = report(client, app, "/api/work-change", &[]).await;
    data["report"]["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .flat_map(|r| r["cells"].as_array().expect("cells").clone())
        .filter(|c| !c["after_score"].is_null())
        .count()
}

/// The pictures: the region's overview counts what the matrix counts, per municipality and in
/// all, with the table beside it; a municipal coordinator's holds its own municipality alone;
/// the change page draws every school's factors with the significant changes marked; a profile
/// shows the school's factors over both published campaigns.
async fn pictures_show_the_region_the_change_and_a_school_over_time(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let (campaign, school) = app.demo_school("demo-03").await;
    let (region, _) = app.sign_in("region").await;
    let html = page(
        &region,
        &app,
        &format!("/work/campaigns/{campaign}/overview"),
    )
    .await;
    assert!(html.contains("<figure class=\"overview-chart\">"), "{html}");
    assert!(html.contains("<pattern id=\"ov-2\""), "a pattern per level");
    let form = [("campaign", campaign.to_string())];
    let overview = report(&region, &app, "/api/work-overview", &form).await;
    let areas = overview["report"]["areas"]
        .as_array()
        .expect("areas")
        .clone();
    assert!(
        areas.len() >= 3,
        "every school, then each municipality: {overview}"
    );
    assert_eq!(count(&html, "<g data-area="), areas.len());
    assert_eq!(
        count(
            html.split("overview-table").nth(1).expect("the table"),
            "<tr><th scope=\"row\">"
        ),
        areas.len(),
        "the table beside holds every area"
    );
    // The whole scope counts what the matrix counts; the municipalities add up to it.
    let matrix = report(
        &region,
        &app,
        "/api/work-matrix",
        &[
            ("campaign", campaign.to_string()),
            ("list[per]", "100".into()),
        ],
    )
    .await;
    let factors = matrix["report"]["factors"].as_array().expect("factors");
    for (n, factor) in factors.iter().enumerate() {
        assert_eq!(
            areas[0]["cells"][n]["per_level"], factor["per_level"],
            "{n}"
        );
        assert_eq!(areas[0]["cells"][n]["insufficient"], factor["insufficient"]);
        let levels = factor["per_level"].as_array().expect("levels").len();
        for level in 0..levels {
            let sum: u64 = areas[1..]
                .iter()
                .map(|a| a["cells"][n]["per_level"][level].as_u64().expect("count"))
                .sum();
            assert_eq!(Some(sum), areas[0]["cells"][n]["per_level"][level].as_u64());
        }
    }
    let schools: u64 = areas[1..]
        .iter()
        .map(|a| a["schools"].as_u64().expect("schools"))
        .sum();
    assert_eq!(Some(schools), areas[0]["schools"].as_u64());
    // A municipal coordinator's overview: its municipality alone beside its whole.
    let (north, _) = app.sign_in("north").await;
    let own = report(&north, &app, "/api/work-overview", &form).await;
    let own_areas = own["report"]["areas"].as_array().expect("areas");
    assert_eq!(own_areas.len(), 2, "{own}");
    assert_eq!(own_areas[0]["schools"], own_areas[1]["schools"]);
    // The change page's chart: a row per school of the page, a mark per factor, the significant
    // changes as the table counts them.
    let table = page(&north, &app, "/work/change").await;
    assert!(
        !table.contains("<figure class=\"change-chart\">"),
        "a page carries the table or the chart"
    );
    let change = page(&north, &app, "/work/change?view=chart").await;
    assert!(!change.contains("<table class=\"change-table\">"));
    assert!(
        change.contains("<h1>") && change.contains("class=\"filter\""),
        "the chart's page is the whole page: {change}"
    );
    let chart = change
        .split("<figure class=\"change-chart\">")
        .nth(1)
        .and_then(|c| c.split("</figure>").next())
        .expect("the change chart")
        .to_owned();
    assert_eq!(count(&chart, "<g data-school="), 3);
    assert_eq!(
        count(&chart, "class=\"after\""),
        data_cells_with_scores(&north, &app).await,
        "a dot per cell with a score"
    );
    let data = report(&north, &app, "/api/work-change", &[]).await;
    let significant = data["report"]["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .flat_map(|r| r["cells"].as_array().expect("cells").clone())
        .filter(|c| c["significant"] == true)
        .count();
    assert_eq!(count(&chart, "class=\"sig\""), significant);
    // A school's factors over both published campaigns, the newest as its profile shows them.
    let path = format!("/work/campaigns/{campaign}/schools/{school}");
    let profile_html = page(&region, &app, &path).await;
    assert!(
        profile_html.contains("<section class=\"history\">"),
        "{profile_html}"
    );
    let profile = report(
        &region,
        &app,
        "/api/work-profile",
        &[
            ("campaign", campaign.to_string()),
            ("school", school.to_string()),
        ],
    )
    .await;
    let history = &profile["report"]["history"];
    assert_eq!(
        history["campaigns"].as_array().map(Vec::len),
        Some(2),
        "{history}"
    );
    assert_eq!(history["campaigns"][1][0], campaign);
    for (n, f) in profile["report"]["factors"]
        .as_array()
        .expect("factors")
        .iter()
        .enumerate()
    {
        let newest = &history["factors"][n]["points"][1];
        match f["score"].as_f64() {
            Some(score) => assert_eq!(newest[0].as_f64(), Some(score), "{n}"),
            None => assert!(newest.is_null(), "{n}"),
        }
    }
    app.finish().await;
}

harness::on_both_backends!(
    pictures_show_the_region_the_change_and_a_school_over_time,
    a_school_prints_its_access_codes_with_links_and_qr_codes,
    a_sent_personal_code_is_not_replaced,
    the_change_page_compares_last_year_with_this_year,
    the_monitor_shows_each_school_of_the_scope_with_its_response_rates,
    a_profile_explains_each_level_and_hides_what_too_few_answered,
    a_school_sees_only_itself,
    the_matrix_sorts_by_a_factor_and_counts_levels_per_factor,
    long_lists_sort_search_and_page_on_the_server,
    every_share_mean_and_factor_carries_its_uncertainty,
    the_region_sees_how_well_its_instruments_work,
);
