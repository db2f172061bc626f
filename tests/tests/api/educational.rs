//! Educational results over HTTP: imports in both layouts (every refusal named, nothing stored
//! while a row is wrong, or the valid rows with the rest listed), both encodings and workbooks,
//! a year re-imported with its history; the region's page with candidates, cohorts and schools
//! that may leave the list; a school's card for every role that sees the school; results targets
//! judged on the import of their year; exports read back; nothing under the minimum anywhere.

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use harness::{csrf_of, Backend, TestApp};
use reqwest::header::LOCATION;
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;

/// Uploads a results file and reads the page it is sent back to.
async fn upload(
    client: &reqwest::Client,
    app: &TestApp,
    csrf: &str,
    year: &str,
    valid_only: bool,
    name: &str,
    bytes: Vec<u8>,
) -> String {
    let mut form = Form::new()
        .text("year", year.to_owned())
        .part("file", Part::bytes(bytes).file_name(name.to_owned()));
    if valid_only {
        form = form.text("valid_only", "1");
    }
    let r = client
        .post(app.url(&format!("/work/results/import?_csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .expect("upload");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let location = r.headers()[LOCATION].to_str().expect("location").to_owned();
    harness::text(client, &app.url(&location)).await
}

async fn school_id(app: &TestApp, code: &str) -> i64 {
    app.storage
        .schools_with_place()
        .await
        .expect("schools")
        .into_iter()
        .find(|s| s.code == code)
        .expect("school")
        .id
}

async fn stored(app: &TestApp, year: u16) -> usize {
    let region = app.storage.schools_with_place().await.expect("schools")[0].region_id;
    let mut count = 0;
    app.storage
        .region_results(region, None, |r| count += usize::from(r.year == year))
        .await
        .expect("results");
    count
}

async fn either_layout_imports_all_or_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let (region, _) = app.sign_in("region").await;
    let page = harness::text(&region, &app.url("/work/results")).await;
    let csrf = csrf_of(&page);
    assert!(page.contains("Результатов пока не загружали"), "{page}");
    // Orientir's template, counts: stored whole.
    let template = "assessment,school_code,school_name,participants,mark2,mark3,mark4,mark5,lowered,confirmed,raised\n\
        vpr-math-5,demo-01,,20,2,8,6,4,3,15,2\n\
        vpr-math-5,demo-02,,8,3,3,1,1,,,\n";
    let html = upload(
        &region,
        &app,
        &csrf,
        "2026",
        false,
        "vpr.csv",
        template.into(),
    )
    .await;
    assert!(html.contains("Загружено строк: 2."), "{html}");
    assert_eq!(stored(&app, 2026).await, 2);
    // The federal layout in Windows-1251 with semicolons and percentages, one bad row: every
    // problem named with its row and column, nothing stored.
    let federal = "Наименование ОО;Процедура;Предмет;Класс;Кол-во участников;% 2;% 3;% 4;% 5\n\
        МБОУ «Озёрная ООШ»;ВПР;Русский язык;5;8;25;50;12,5;12,5\n\
        МБОУ «Несуществующая СОШ»;ВПР;Русский язык;5;10;10;40;40;10\n\
        МБОУ «Лесновская СОШ»;ВПР;Русский язык;5;10;10;40;40;30\n";
    let bytes = encoding_rs::WINDOWS_1251.encode(federal).0.into_owned();
    let html = upload(
        &region,
        &app,
        &csrf,
        "2026",
        false,
        "fis.csv",
        bytes.clone(),
    )
    .await;
    for text in [
        "Строка 3, столбец Наименование ОО: школы «МБОУ «Несуществующая СОШ»» нет в реестре региона",
        "Строка 4, столбец % 2: отметок в сумме 120, а участников 100",
    ] {
        assert!(html.contains(&text.replace('"', "&quot;")) || html.contains(text), "«{text}» in {html}");
    }
    assert_eq!(
        stored(&app, 2026).await,
        2,
        "nothing of the refused file was stored"
    );
    // The same file with «import the valid rows»: the good row stored, the rest listed.
    let html = upload(&region, &app, &csrf, "2026", true, "fis.csv", bytes).await;
    assert!(html.contains("Загружено строк: 1."), "{html}");
    assert!(html.contains("Несуществующая СОШ"), "{html}");
    assert_eq!(stored(&app, 2026).await, 3);
    // A year imported again replaces that assessment's year, with a history entry.
    let again = "assessment,school_code,school_name,participants,mark2,mark3,mark4,mark5\nvpr-math-5,demo-01,,21,1,8,8,4\n";
    let html = upload(
        &region,
        &app,
        &csrf,
        "2026",
        false,
        "vpr-2.csv",
        again.into(),
    )
    .await;
    assert!(html.contains("Загружено строк: 1."), "{html}");
    assert_eq!(
        stored(&app, 2026).await,
        2,
        "vpr-math-5 replaced, vpr-rus-5 kept"
    );
    let region_id = app.storage.schools_with_place().await.expect("schools")[0].region_id;
    let history = app
        .storage
        .result_imports(region_id)
        .await
        .expect("history");
    assert_eq!(history.len(), 3);
    assert_eq!(
        (
            history[0].file_name.as_str(),
            history[0].rows,
            history[0].replaced
        ),
        ("vpr-2.csv", 1, 2)
    );
    assert_eq!(history[0].user_name, "Региональный координатор (демо)");
    // Bad year, no file, another region's coordinator cannot import: refused, nothing stored.
    let html = upload(&region, &app, &csrf, "1999", false, "x.csv", "a".into()).await;
    assert!(html.contains("год — от 2000 до 2100"), "{html}");
    let (north, north_csrf) = app.sign_in("north").await;
    let r = north
        .post(app.url(&format!("/work/results/import?_csrf={north_csrf}")))
        .multipart(Form::new().text("year", "2026"))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    app.finish().await;
}

async fn the_template_workbook_goes_out_and_comes_back(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let (region, _) = app.sign_in("region").await;
    let csrf = csrf_of(&harness::text(&region, &app.url("/work/results")).await);
    let r = region
        .get(app.url("/work/results/template/ege-rus.xlsx"))
        .send()
        .await
        .expect("template");
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.expect("body").to_vec();
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("xlsx");
    let sheet = book.worksheet_range_at(0).expect("sheet").expect("range");
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(Data::to_string).collect())
        .collect();
    assert_eq!(
        rows[0][..6],
        [
            "assessment",
            "school_code",
            "school_name",
            "participants",
            "below_pass",
            "mean_score"
        ]
    );
    assert_eq!(rows.len(), 7, "a row per school of the region");
    assert!(rows.iter().any(|r| r[1] == "demo-06"));
    // Filled in and sent back as a workbook.
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (c, h) in rows[0].iter().enumerate() {
        sheet.write_string(0, c as u16, h).expect("cell");
    }
    for (r, row) in rows[1..].iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, &row[0]).expect("cell");
        sheet.write_string(r, 1, &row[1]).expect("cell");
        sheet.write_number(r, 3, 12.0).expect("cell");
        sheet.write_number(r, 4, 1.0).expect("cell");
        sheet.write_number(r, 5, 63.5).expect("cell");
    }
    let filled = workbook.save_to_buffer().expect("xlsx");
    let html = upload(&region, &app, &csrf, "2025", false, "ege.xlsx", filled).await;
    assert!(html.contains("Загружено строк: 6."), "{html}");
    // Unknown assessments are not found; a school account gets no template.
    let r = region
        .get(app.url("/work/results/template/nope.csv"))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let csv = harness::text(&region, &app.url("/work/results/template/vpr-rus-5.csv")).await;
    assert!(csv.starts_with("assessment,school_code,school_name,participants,mark2,mark3,mark4,mark5,lowered,confirmed,raised\nvpr-rus-5,demo-"), "{csv}");
    app.finish().await;
}

async fn the_region_sees_candidates_cohorts_and_schools_that_may_leave(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo_results().await;
    let (region, csrf) = app.sign_in("region").await;
    let page = harness::text(&region, &app.url("/work/results")).await;
    let row = |code_name: &str| {
        let at = page
            .find(code_name)
            .unwrap_or_else(|| panic!("{code_name} in {page}"));
        let start = page[..at].rfind("<tr").unwrap_or(at);
        let end = page[at..].find("</tr>").map_or(page.len(), |e| at + e);
        &page[start..end]
    };
    // The criteria put the two riskiest schools on the candidate list, with their reasons.
    for school in ["Лесновская СОШ", "Сосновская НОШ"] {
        assert!(
            row(school).contains(r#"data-enters="true""#),
            "{school}: {}",
            row(school)
        );
    }
    assert!(page.contains("доля «2»"), "reasons in words");
    assert!(
        page.contains("признак необъективности"),
        "demo-02's flag is a reason"
    );
    // The candidates sort, search and page on the server like every long list.
    let names = |html: &str| -> Vec<String> {
        html.split("<tr data-school=")
            .skip(1)
            .filter_map(|r| r.split("<th scope=\"row\">").nth(1))
            .filter_map(|r| r.split("</a>").next())
            .map(|r| r.rsplit('>').next().unwrap_or("").to_owned())
            .collect()
    };
    let up = names(&harness::text(&region, &app.url("/work/results?sort=school")).await);
    let mut down =
        names(&harness::text(&region, &app.url("/work/results?sort=school&dir=desc")).await);
    down.reverse();
    assert!(up.len() >= 2, "{up:?}");
    assert_eq!(up, down);
    let found = harness::text(
        &region,
        &app.url("/work/results?q=%D0%9B%D0%B5%D1%81%D0%BD%D0%BE%D0%B2%D1%81%D0%BA%D0%B0%D1%8F"),
    )
    .await;
    assert_eq!(names(&found).len(), 1, "{found}");
    assert!(names(&found)[0].contains("Лесновская"));
    // The cohorts' schools, the other list of the page, a page at a time.
    let members = harness::text(
        &region,
        &app.url("/work/results?show=cohorts&sort=school&dir=desc"),
    )
    .await;
    let listed = names(&members);
    assert!(!listed.is_empty(), "{members}");
    let total: usize = members
        .split("data-total=\"")
        .nth(1)
        .and_then(|t| t.split('"').next())
        .and_then(|t| t.parse().ok())
        .expect("a total");
    assert_eq!(listed.len(), total.min(50));
    assert!(
        members.contains(&format!("Школы по категориям ({total})")),
        "{members}"
    );
    let mut sorted = listed.clone();
    sorted.sort_by_key(|n| std::cmp::Reverse(n.to_lowercase()));
    assert_eq!(
        listed.iter().map(|n| n.to_lowercase()).collect::<Vec<_>>(),
        sorted.iter().map(|n| n.to_lowercase()).collect::<Vec<_>>()
    );
    // The school that left the list meets the criteria for leaving it.
    let leaving = &page[page.find(r#"id="leaving""#).expect("leaving")..];
    assert!(
        leaving[..leaving.find("</ul>").unwrap_or(leaving.len())].contains("Заречная СОШ"),
        "{leaving}"
    );
    // Ticking a candidate puts it into a cohort, with a history entry on its card.
    let demo_03 = school_id(&app, "demo-03").await;
    let r = region
        .post(app.url("/work/results/cohorts"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "_csrf={csrf}&school={demo_03}&category=regional_twin&year=2026&action=add"
        ))
        .send()
        .await
        .expect("cohort");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(r.headers()[LOCATION]
        .to_str()
        .expect("location")
        .contains("cohorts=1"));
    let card = harness::text(&region, &app.url(&format!("/work/schools/{demo_03}"))).await;
    assert!(
        card.contains("региональная программа поддержки (2026)"),
        "{card}"
    );
    assert!(
        card.contains("включена в «региональная программа поддержки (2026)»"),
        "{card}"
    );
    // An unknown category is a refusal that names the field.
    let r = region
        .post(app.url("/work/results/cohorts"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "_csrf={csrf}&school={demo_03}&category=nope&year=2026&action=add"
        ))
        .send()
        .await
        .expect("cohort");
    let to = r.headers()[LOCATION].to_str().expect("location").to_owned();
    assert!(
        harness::text(&region, &app.url(&to))
            .await
            .contains("category"),
        "{to}"
    );
    // The municipal coordinator sees its municipality's schools only and imports nothing.
    let (north, _) = app.sign_in("north").await;
    let page = harness::text(&north, &app.url("/work/results")).await;
    assert!(page.contains("Лесновская СОШ"));
    assert!(
        !page.contains("Сосновская"),
        "another municipality's school"
    );
    assert!(!page.contains(r#"id="import""#));
    app.finish().await;
}

async fn a_card_shows_profile_and_results_to_whoever_sees_the_school(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo_results().await;
    let demo_01 = school_id(&app, "demo-01").await;
    let demo_02 = school_id(&app, "demo-02").await;
    let demo_03 = school_id(&app, "demo-03").await;
    for login in ["admin", "region", "north", "curator", "school"] {
        let (client, _) = app.sign_in(login).await;
        let card = harness::text(&client, &app.url(&format!("/work/schools/{demo_01}"))).await;
        assert!(card.contains("МБОУ «Берёзовская СОШ»"), "{login}");
        assert!(card.contains("<svg"), "{login}: a chart");
        assert!(card.contains("ВПР, Математика, 5 класс"), "{login}");
        assert!(card.contains("Профиль рисков"), "{login}");
    }
    // A school sees its own card only; the curator only its schools.
    let (school, _) = app.sign_in("school").await;
    let other = harness::text(&school, &app.url(&format!("/work/schools/{demo_02}"))).await;
    assert!(
        other.contains("Не найдено") && !other.contains("Озёрная"),
        "{other}"
    );
    let (curator, _) = app.sign_in("curator").await;
    let other = harness::text(&curator, &app.url(&format!("/work/schools/{demo_02}"))).await;
    assert!(other.contains("Не найдено"));
    // demo-02: an objectivity flag in 2026; year-on-year change marked.
    let (region, _) = app.sign_in("region").await;
    let card = harness::text(&region, &app.url(&format!("/work/schools/{demo_02}"))).await;
    assert!(card.contains("2026: признак необъективности"), "{card}");
    assert!(
        card.contains("в пределах погрешности") || card.contains("значимо"),
        "{card}"
    );
    assert!(card.contains("сопоставимых школ"), "peers: {card}");
    // One kind of assessment at a time, a tab each: ВПР first, ОГЭ on its own tab.
    let card = harness::text(&region, &app.url(&format!("/work/schools/{demo_01}"))).await;
    assert!(
        card.contains(">ВПР (4)</a>")
            && card.contains(">ОГЭ (2)</a>")
            && card.contains(">ЕГЭ (1)</a>"),
        "{card}"
    );
    assert!(
        card.contains("data-assessment=\"vpr-math-5\"")
            && !card.contains("data-assessment=\"oge-math\""),
        "{card}"
    );
    let oge = harness::text(
        &region,
        &app.url(&format!("/work/schools/{demo_01}?results=oge")),
    )
    .await;
    assert!(
        oge.contains("data-assessment=\"oge-math\"")
            && !oge.contains("data-assessment=\"vpr-math-5\""),
        "{oge}"
    );
    // demo-03's ЕГЭ of 2026 had three candidates: stored, never shown.
    let card = harness::text(&region, &app.url(&format!("/work/schools/{demo_03}"))).await;
    assert!(card.contains("меньше 5"), "{card}");
    app.finish().await;
}

async fn results_targets_are_judged_on_their_years_import(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo_results().await;
    let campaign = app.previous_demo_campaign().await;
    let (admin, csrf) = app.sign_in("admin").await;
    let state = |html: &str| -> Vec<String> {
        html.match_indices("data-achievement=\"")
            .map(|(i, m)| {
                html[i + m.len()..]
                    .split('"')
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect()
    };
    for (code, expected) in [
        ("demo-05", "achieved"),
        ("demo-01", "not_achieved"),
        ("demo-03", "insufficient_data"),
        ("demo-04", "awaiting"),
    ] {
        let school = school_id(&app, code).await;
        let page = harness::text(
            &admin,
            &app.url(&format!(
                "/work/campaigns/{campaign}/schools/{school}/programme"
            )),
        )
        .await;
        let section = &page[page
            .find(r#"id="result-targets""#)
            .unwrap_or_else(|| panic!("{code}: {page}"))..];
        assert!(
            state(section).contains(&expected.to_owned()),
            "{code}: {:?}",
            state(section)
        );
    }
    // demo-04's target waits for 2027: importing that year judges it.
    let demo_04 = school_id(&app, "demo-04").await;
    let results_csrf = csrf_of(&harness::text(&admin, &app.url("/work/results")).await);
    let file = "assessment,school_code,school_name,participants,mark2,mark3,mark4,mark5\noge-math,demo-04,,40,1,19,12,8\n";
    let html = upload(
        &admin,
        &app,
        &results_csrf,
        "2027",
        false,
        "oge.csv",
        file.into(),
    )
    .await;
    assert!(html.contains("Загружено строк: 1."), "{html}");
    let page = harness::text(
        &admin,
        &app.url(&format!(
            "/work/campaigns/{campaign}/schools/{demo_04}/programme"
        )),
    )
    .await;
    let section = &page[page.find(r#"id="result-targets""#).expect("section")..];
    assert!(
        state(section).contains(&"achieved".to_owned()),
        "{:?}",
        state(section)
    );
    // The document and the matrix workbook carry them.
    let docx = admin
        .get(app.url(&format!(
            "/export/campaigns/{campaign}/schools/{demo_04}/programme.docx"
        )))
        .send()
        .await
        .expect("docx")
        .bytes()
        .await
        .expect("body");
    let mut archive = zip::ZipArchive::new(Cursor::new(docx.to_vec())).expect("zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("word/document.xml").expect("document"),
        &mut xml,
    )
    .expect("read");
    assert!(xml.contains("Целевые показатели по образовательным результатам"));
    assert!(xml.contains("ОГЭ, Математика"));
    let book = admin
        .get(app.url(&format!("/export/campaigns/{campaign}/matrix.xlsx")))
        .send()
        .await
        .expect("xlsx")
        .bytes()
        .await
        .expect("body");
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(book.to_vec())).expect("xlsx");
    assert!(
        book.sheet_names().iter().any(|s| s == "Результаты"),
        "{:?}",
        book.sheet_names()
    );
    let programmes = book.worksheet_range("Программы").expect("sheet");
    let header: Vec<String> = programmes
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(Data::to_string)
        .collect();
    assert!(
        header.contains(&"result_targets_met".to_owned()),
        "{header:?}"
    );
    // A writer sets a target from the school's own figures; a wrong value names its field.
    let demo_02 = school_id(&app, "demo-02").await;
    let post = |body: String| {
        admin
            .post(app.url(&format!(
                "/work/campaigns/{campaign}/schools/{demo_02}/programme/result-targets"
            )))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    let risk = app
        .storage
        .chosen_risks(
            app.storage
                .programme(campaign, demo_02)
                .await
                .expect("q")
                .expect("programme")
                .id,
        )
        .await
        .expect("risks")[0]
        .factor
        .clone();
    let r = post(format!(
        "_csrf={csrf}&factor={risk}&choice=vpr-math-5:fail&target=150&year=2027"
    ))
    .await
    .expect("post");
    let to = r.headers()[LOCATION].to_str().expect("location").to_owned();
    assert!(
        harness::text(&admin, &app.url(&to))
            .await
            .contains("target"),
        "{to}"
    );
    let r = post(format!(
        "_csrf={csrf}&factor={risk}&choice=vpr-math-5:fail&target=10&year=2027"
    ))
    .await
    .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let programme = app
        .storage
        .programme(campaign, demo_02)
        .await
        .expect("q")
        .expect("programme");
    let targets = app
        .storage
        .result_targets(programme.id)
        .await
        .expect("targets");
    let set = targets
        .iter()
        .find(|t| t.assessment == "vpr-math-5")
        .expect("set");
    assert_eq!(
        (set.target, set.judged_year, set.baseline_year),
        (0.1, 2027, Some(2026))
    );
    app.finish().await;
}

async fn the_results_table_downloads_with_nothing_under_the_minimum(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo_results().await;
    let (region, _) = app.sign_in("region").await;
    let csv = region
        .get(app.url("/work/results/export.csv"))
        .send()
        .await
        .expect("csv")
        .bytes()
        .await
        .expect("body");
    let mut reader = csv::Reader::from_reader(&csv[3..]);
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    let at = |name: &str| header.iter().position(|h| h == name).expect(name);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 6 * 7 * 3, "every school × assessment × year");
    let hidden = rows
        .iter()
        .find(|r| {
            &r[at("school_code")] == "demo-03"
                && &r[at("assessment")] == "ege-rus"
                && &r[at("year")] == "2026"
        })
        .expect("demo-03 ЕГЭ 2026");
    assert_eq!(&hidden[at("participants")], "< 5");
    assert_eq!(&hidden[at("fail")], "", "no figure under the minimum");
    let shown = rows
        .iter()
        .find(|r| {
            &r[at("school_code")] == "demo-04"
                && &r[at("assessment")] == "vpr-rus-5"
                && &r[at("year")] == "2026"
        })
        .expect("demo-04");
    assert_eq!(&shown[at("participants")], "24");
    let fail: f64 = shown[at("fail")].parse().expect("a number");
    assert!((0.0..=1.0).contains(&fail));
    // The workbook has the table and its codebook; the municipal coordinator gets its schools.
    let book = region
        .get(app.url("/work/results/export.xlsx"))
        .send()
        .await
        .expect("xlsx")
        .bytes()
        .await
        .expect("body");
    let book: Xlsx<_> = open_workbook_from_rs(Cursor::new(book.to_vec())).expect("xlsx");
    assert_eq!(book.sheet_names(), ["Результаты", "Описание полей"]);
    let (north, _) = app.sign_in("north").await;
    let csv = harness::text(&north, &app.url("/work/results/export.csv")).await;
    assert!(csv.contains("demo-01") && !csv.contains("demo-06"));
    let codebook = harness::text(&north, &app.url("/work/results/codebook.csv")).await;
    assert!(codebook.contains("objectivity_flag"));
    app.finish().await;
}

async fn cohorts_by_hand_by_import_and_as_a_filter(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo_results().await;
    let (region, csrf) = app.sign_in("region").await;
    let demo_01 = school_id(&app, "demo-01").await;
    // By hand: one school, with its history.
    let r = region
        .post(app.url("/work/results/cohorts"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "_csrf={csrf}&how=hand&school=demo-01&category=project_500&year=2027&action=add"
        ))
        .send()
        .await
        .expect("cohort");
    assert!(r.headers()[LOCATION]
        .to_str()
        .expect("location")
        .contains("cohorts=1"));
    let card = harness::text(&region, &app.url(&format!("/work/schools/{demo_01}"))).await;
    assert!(
        card.contains("проект «500+» (2027)") && card.contains("hand"),
        "{card}"
    );
    // By import: a bad file names every problem and changes nothing; a good one is stored.
    let upload = |body: &'static str| {
        let form = Form::new().part(
            "file",
            Part::bytes(body.as_bytes().to_vec()).file_name("cohorts.csv"),
        );
        region
            .post(app.url(&format!("/work/results/cohorts/import?_csrf={csrf}")))
            .multipart(form)
            .send()
    };
    let r = upload("school_code,category,year\ndemo-02,low_results,2027\nnope,low_results,2027\ndemo-03,golden,20x\n").await.expect("post");
    let to = r.headers()[LOCATION].to_str().expect("location").to_owned();
    let page = harness::text(&region, &app.url(&to)).await;
    for text in [
        "Строка 3, столбец school_code: школы «nope» нет в реестре региона",
        "Строка 4, столбец category: одно из значений: low_results, project_500, regional_twin, difficult_conditions",
        "Строка 4, столбец year: год — от 2000 до 2100",
    ] {
        assert!(page.contains(text), "«{text}» in {page}");
    }
    let members = app
        .storage
        .cohort_members("low_results")
        .await
        .expect("members");
    assert!(
        !members.contains(&school_id(&app, "demo-02").await),
        "nothing of a refused file"
    );
    let r =
        upload("school_code,category,year\ndemo-02,low_results,2027\ndemo-04,low_results,2027\n")
            .await
            .expect("post");
    assert!(r.headers()[LOCATION]
        .to_str()
        .expect("location")
        .contains("cohorts=2"));
    // Lists narrow to a cohort: the matrix and the results page.
    let campaign = app.demo_campaign().await;
    let all = harness::text(
        &region,
        &app.url(&format!("/work/campaigns/{campaign}/matrix")),
    )
    .await;
    let project = harness::text(
        &region,
        &app.url(&format!(
            "/work/campaigns/{campaign}/matrix?cohort=project_500"
        )),
    )
    .await;
    assert!(all.contains("Берёзовская") && all.contains("Заречная"));
    assert!(
        project.contains("Берёзовская")
            && project.contains("Лесновская")
            && !project.contains("Заречная СОШ</a>"),
        "{project}"
    );
    let monitor = harness::text(
        &region,
        &app.url(&format!(
            "/work/campaigns/{campaign}/monitor?cohort=difficult_conditions"
        )),
    )
    .await;
    assert!(
        monitor.contains("Сосновская") && !monitor.contains("Берёзовская СОШ</a>"),
        "{monitor}"
    );
    let bad = region
        .post(app.url("/api/work-matrix"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("campaign={campaign}&cohort=nope"))
        .send()
        .await
        .expect("post");
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let body = bad.text().await.expect("body");
    assert!(
        body.contains("Категория школ: одно из значений low_results"),
        "{body}"
    );
    app.finish().await;
}

harness::on_both_backends!(
    cohorts_by_hand_by_import_and_as_a_filter,
    either_layout_imports_all_or_nothing,
    the_template_workbook_goes_out_and_comes_back,
    the_region_sees_candidates_cohorts_and_schools_that_may_leave,
    a_card_shows_profile_and_results_to_whoever_sees_the_school,
    results_targets_are_judged_on_their_years_import,
    the_results_table_downloads_with_nothing_under_the_minimum,
);
