//! Every stored text is text: a marker element written into each free text the app stores and
//! shows — names in the registry and of accounts, a campaign's name, a stage's title, a chosen
//! risk's reasoning, goals, tasks, measures, evidence, comments, a stage's analysis and the
//! reasons in it, a document's name — never comes back as an element: not on a page, a print
//! page, a DOCX or a workbook. Each marker is seen escaped somewhere, so the test fails if a text
//! is no longer shown rather than passing on its absence. And a crafted link's text is never a
//! notice.

use harness::{Backend, TestApp};
use reqwest::multipart::{Form, Part};
use reqwest::{Client, StatusCode};

use super::exports::part;
use super::programmes::{post, profile, programme_json};

/// A marker for one stored text: a `</textarea>` that would close a text box, then an element
/// with an id naming the text, and a character XML forbids.
fn marker(what: &str) -> String {
    format!("</textarea><b id=mk-{what}>x</b>\u{1}")
}

/// The marker as a page shows it: escaped (`<` as `&lt;`).
fn escaped(what: &str) -> String {
    format!("&lt;b id=mk-{what}&gt;")
}

/// Fails when a document carries a marker as an element; records which markers it shows.
fn check(name: &str, body: &str, seen: &mut std::collections::BTreeSet<String>, all: &[&str]) {
    assert!(
        !body.contains("<b id=mk-") && !body.contains("<b id=\"mk-"),
        "{name} carries a stored text as markup"
    );
    for what in all {
        if body.contains(&escaped(what)) {
            seen.insert((*what).to_owned());
        }
    }
}

async fn upload(client: &Client, app: &TestApp, path: &str, csrf: &str, name: &str) -> StatusCode {
    let form = Form::new().part(
        "file",
        Part::bytes(b"%PDF-1.4\n% evidence\n".to_vec()).file_name(name.to_owned()),
    );
    client
        .post(app.url(&format!("{path}?_csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .expect("upload")
        .status()
}

async fn bytes(client: &Client, app: &TestApp, path: &str) -> Vec<u8> {
    let r = client.get(app.url(path)).send().await.expect("download");
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    r.bytes().await.expect("bytes").to_vec()
}

async fn no_stored_text_is_ever_markup(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let closed = app.previous_demo_campaign().await;
    let (_, own) = app.demo_school("demo-01").await;
    let base = format!("/work/campaigns/{closed}/schools/{own}/programme");
    let all = [
        "school",
        "municipality",
        "account",
        "campaign",
        "stage",
        "reasoning",
        "goal",
        "tasks",
        "action",
        "role",
        "person",
        "result",
        "comment",
        "return",
        "analysis",
        "evidence",
        "reason",
        "stagecomment",
        "file",
        "resultsfile",
        "cohortfile",
    ];

    // The registry: the demo school renamed, a new municipality; an account; a campaign; a stage.
    let (admin, admin_csrf) = app.sign_in("admin").await;
    let places = app.storage.schools_with_place().await.expect("registry");
    let demo = places
        .iter()
        .find(|s| s.code == "demo-01")
        .expect("demo-01");
    let school_name = marker("school");
    let municipality_name = marker("municipality");
    for fields in [
        // demo-01 renamed (by its code); a new school in a new municipality.
        [
            ("municipality_code", demo.municipality_code.as_str()),
            ("municipality_name", demo.municipality.as_str()),
            ("school_code", "demo-01"),
            ("school_name", school_name.as_str()),
        ],
        [
            ("municipality_code", "mk-town"),
            ("municipality_name", municipality_name.as_str()),
            ("school_code", "mk-school"),
            ("school_name", "Школа"),
        ],
    ] {
        let mut form = vec![
            ("_csrf", admin_csrf.as_str()),
            ("region_code", demo.region_code.as_str()),
            ("region_name", demo.region.as_str()),
        ];
        form.extend(fields);
        let (status, back) = post(&admin, &app, "/work/registry/schools", &form).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert!(!back.contains("problem="), "the registry takes it: {back}");
    }
    let (status, _) = post(
        &admin,
        &app,
        "/admin/users/new",
        &[
            ("_csrf", &admin_csrf),
            ("login", "mk-account"),
            ("name", &marker("account")),
            ("password", "a-long-password-1"),
            ("role", "admin"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (region, region_csrf) = app.sign_in("region").await;
    let (status, created) = post(
        &region,
        &app,
        "/work/campaigns",
        &[
            ("_csrf", &region_csrf),
            ("name", &marker("campaign")),
            ("code", "mk-campaign"),
            ("opens_on", "2027-04-01"),
            ("closes_on", "2027-05-10"),
            ("grades", "5-9"),
            ("school", &own.to_string()),
            (&format!("teachers_{own}"), "5"),
            (&format!("students_{own}"), "40"),
            (&format!("parents_{own}"), "40"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        created.ends_with("/monitor"),
        "the campaign is made: {created}"
    );
    let soon = server::clock::today().plus_days(7).to_string();
    post(
        &region,
        &app,
        &format!("/work/campaigns/{closed}/stages"),
        &[
            ("_csrf", &region_csrf),
            ("title", &marker("stage")),
            ("due_on", &soon),
        ],
    )
    .await;

    // The school's programme, every free text of it marked.
    let (school, csrf) = app.sign_in("school").await;
    let factor = profile(&school, &app, closed, own).await["report"]["risks"]["suggestions"][0]
        ["factor"]
        .as_str()
        .expect("a factor")
        .to_owned();
    let steps: [(&str, Vec<(&str, String)>); 3] = [
        (
            "/work/campaigns/{closed}/schools/{own}/risks",
            vec![
                ("factor", factor.clone()),
                ("reasoning", marker("reasoning")),
            ],
        ),
        (
            "{base}/plan",
            vec![
                ("factor", factor.clone()),
                ("goal", marker("goal")),
                ("tasks", marker("tasks")),
            ],
        ),
        (
            "{base}/measures",
            vec![
                ("factor", factor.clone()),
                ("action", marker("action")),
                ("responsible_role", marker("role")),
                ("responsible_name", marker("person")),
                ("expected_result", marker("result")),
                ("due_on", soon.clone()),
            ],
        ),
    ];
    for (path, fields) in steps {
        let path = path
            .replace("{closed}", &closed.to_string())
            .replace("{own}", &own.to_string())
            .replace("{base}", &base);
        let mut form: Vec<(&str, &str)> = vec![("_csrf", &csrf)];
        form.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
        let (status, back) = post(&school, &app, &path, &form).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{path}");
        assert!(!back.contains("problem="), "{path} is refused: {back}");
    }
    let programme = programme_json(&school, &app, closed, own).await["report"].clone();
    let measure = programme["risks"][0]["measures"][0]["id"]
        .as_i64()
        .expect("the measure");
    // A name loses everything up to its last slash (a path), so this marker has none.
    let name = "<b id=mk-file>x\u{202e}fdp.exe.pdf".to_owned();
    assert_eq!(
        upload(
            &school,
            &app,
            &format!("{base}/measures/{measure}/files"),
            &csrf,
            &name
        )
        .await,
        StatusCode::SEE_OTHER
    );
    post(
        &school,
        &app,
        &format!("{base}/submit"),
        &[("_csrf", &csrf)],
    )
    .await;
    let (curator, curator_csrf) = app.sign_in("curator").await;
    let (status, back) = post(
        &curator,
        &app,
        &format!("{base}/comment"),
        &[
            ("_csrf", &curator_csrf),
            ("subject", ""),
            ("comment", &marker("comment")),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(!back.contains("problem="), "the comment is taken: {back}");
    let return_comment = marker("return");
    post(
        &curator,
        &app,
        &format!("{base}/return"),
        &[("_csrf", &curator_csrf), ("comment", &return_comment)],
    )
    .await;
    post(
        &school,
        &app,
        &format!("{base}/submit"),
        &[("_csrf", &csrf)],
    )
    .await;
    post(
        &curator,
        &app,
        &format!("{base}/agree"),
        &[("_csrf", &curator_csrf)],
    )
    .await;
    let programme = programme_json(&school, &app, closed, own).await["report"].clone();
    let stage = programme["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .find(|s| {
            s["stage"]["title"]
                .as_str()
                .is_some_and(|t| t.contains("mk-stage"))
        })
        .and_then(|s| s["stage"]["id"].as_i64())
        .expect("the marked stage");
    let (analysis, evidence, reason) = (marker("analysis"), marker("evidence"), marker("reason"));
    let (status, back) = post(
        &school,
        &app,
        &format!("{base}/stages/{stage}"),
        &[
            ("_csrf", &csrf),
            ("analysis", &analysis),
            (&format!("status-{measure}"), "not_done"),
            (&format!("reason-{measure}"), &reason),
            (&format!("evidence-{measure}"), &evidence),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(back.contains("filed="), "the stage report is filed: {back}");
    post(
        &curator,
        &app,
        &format!("{base}/stages/{stage}/comment"),
        &[
            ("_csrf", &curator_csrf),
            ("comment", &marker("stagecomment")),
        ],
    )
    .await;

    // The name of a results file and of a cohorts file (the import history, a card's history).
    for (path, name, body, fields) in [
        (
            "/work/results/import",
            "<b id=mk-resultsfile>x.csv",
            "assessment,school_code,school_name,participants,mark2,mark3,mark4,mark5\nvpr-rus-5,demo-01,,10,1,4,3,2\n",
            true,
        ),
        (
            "/work/results/cohorts/import",
            "<b id=mk-cohortfile>x.csv",
            "school_code,category,year\ndemo-01,low_results,2026\n",
            false,
        ),
    ] {
        let mut form = Form::new().part("file", Part::bytes(body.as_bytes().to_vec()).file_name(name));
        if fields {
            form = form.text("year", "2026");
        }
        let r = region
            .post(app.url(&format!("{path}?_csrf={region_csrf}")))
            .multipart(form)
            .send()
            .await
            .expect("upload");
        let to = r.headers()["location"].to_str().expect("location").to_owned();
        assert!(!to.contains("problem="), "{path} is refused: {to}");
    }

    // Every page, print page, document and workbook that shows them, to each reader.
    let mut seen = std::collections::BTreeSet::new();
    let pages = [
        "/work".to_owned(),
        "/work/registry".to_owned(),
        "/admin/users".to_owned(),
        format!("/work/campaigns/{closed}/monitor"),
        format!("/work/campaigns/{closed}/matrix"),
        format!("/work/campaigns/{closed}/schools/{own}"),
        base.clone(),
        format!("{base}/print"),
        // The school's name on its code sheet, beside the QR codes put in as markup.
        format!("/work/campaigns/{closed}/schools/{own}/codes"),
        created.clone(),
        "/work/results".to_owned(),
        format!("/work/schools/{own}"),
    ];
    for (who, client) in [
        ("admin", &admin),
        ("region", &region),
        ("curator", &curator),
        ("school", &school),
    ] {
        for page in &pages {
            let r = client.get(app.url(page)).send().await.expect("page");
            if r.status() != StatusCode::OK {
                continue;
            }
            let body = r.text().await.expect("html");
            check(&format!("{page} for {who}"), &body, &mut seen, &all);
        }
    }
    let docx = bytes(
        &admin,
        &app,
        &format!("/export/campaigns/{closed}/schools/{own}/programme.docx"),
    )
    .await;
    let document = part(&docx, "word/document.xml");
    assert!(
        !document.contains('\u{1}'),
        "a character XML forbids in the DOCX"
    );
    check("the DOCX", &document, &mut seen, &all);
    let workbook = bytes(
        &admin,
        &app,
        &format!("/export/campaigns/{closed}/matrix.xlsx"),
    )
    .await;
    let strings = part(&workbook, "xl/sharedStrings.xml");
    check("the workbook", &strings, &mut seen, &all);
    let missing: Vec<&&str> = all.iter().filter(|w| !seen.contains(**w)).collect();
    assert!(
        missing.is_empty(),
        "texts shown nowhere (escaped): {missing:?}"
    );
    app.finish().await;
}

/// A notice is the server's: text put in a page's address by a link is not shown, a count is
/// shown only as a number, and the refusal the server itself sends back is shown.
async fn a_crafted_link_cannot_put_words_on_a_page(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let (region, csrf) = app.sign_in("region").await;
    let campaign = app.demo_campaign().await;
    let lie = "Ваш аккаунт заблокирован, позвоните 8-800";
    let encoded = harness::encode(lie);
    for path in [
        format!("/work/registry?problem={encoded}"),
        format!("/work/registry?imported={encoded}"),
        format!("/work/campaigns/new?problem={encoded}"),
        format!("/work/campaigns/{campaign}/monitor?problem={encoded}"),
        format!("/work/campaigns/{campaign}/monitor?published={encoded}"),
        format!("/work/campaigns/{campaign}/monitor?decided=admit:{encoded}"),
        format!("/work/registry?problem={encoded}&seal=00000000000000000000000000000000"),
        format!("/account?problem={encoded}"),
    ] {
        let page = harness::text(&region, &app.url(&path)).await;
        assert!(
            !page.contains("заблокирован"),
            "{path} shows the link's text"
        );
    }
    let login = harness::text(
        &harness::client(),
        &app.url(&format!("/login?error=held&minutes={encoded}")),
    )
    .await;
    assert!(
        !login.contains("заблокирован") && login.contains("через 10 мин"),
        "{login}"
    );
    // The server's own refusal, sealed for this session, is shown; the same link in another
    // session is not.
    let (status, back) = post(
        &region,
        &app,
        "/work/campaigns",
        &[("_csrf", &csrf), ("name", ""), ("code", "x")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        back.contains("problem=") && back.contains("&seal="),
        "{back}"
    );
    assert!(harness::text(&region, &app.url(&back))
        .await
        .contains("Название: укажите название"));
    let (other, _) = app.sign_in("region").await;
    assert!(!harness::text(&other, &app.url(&back))
        .await
        .contains("Название: укажите название"));
    app.finish().await;
}

harness::on_both_backends!(
    no_stored_text_is_ever_markup,
    a_crafted_link_cannot_put_words_on_a_page,
);
