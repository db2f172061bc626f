//! Anti-risk programmes over HTTP: a school, its curator or an admin chooses the school's actual
//! risks from its published profile, each with a reasoning, at most the methodology's number;
//! every change is in the programme's history; nobody else writes, and nothing of an unpublished
//! profile can be chosen.

use harness::{Backend, TestApp};
use reqwest::header::LOCATION;
use reqwest::{Client, StatusCode};

/// A school's profile as its page shows it: the reports' profile with the programmes' risk panel
/// (`work-risks`) in it.
pub(super) async fn profile(
    client: &Client,
    app: &TestApp,
    campaign: i64,
    school: i64,
) -> serde_json::Value {
    let read = |endpoint: &'static str| async move {
        client
            .post(app.url(endpoint))
            .form(&[("campaign", campaign), ("school", school)])
            .send()
            .await
            .expect("server function")
            .json::<serde_json::Value>()
            .await
            .expect("json")
    };
    let mut page = read("/api/work-profile").await;
    let risks = read("/api/work-risks").await;
    if !page["report"].is_null() && !risks["report"].is_null() {
        page["report"]["risks"] = risks["report"].clone();
    }
    page
}

/// Posts a form of the profile page; returns the status and where it leads.
/// A school's programme as its page reads it (the server function's whole answer).
pub(super) async fn programme_json(
    client: &Client,
    app: &TestApp,
    campaign: i64,
    school: i64,
) -> serde_json::Value {
    client
        .post(app.url("/api/work-programme"))
        .form(&[("campaign", campaign), ("school", school)])
        .send()
        .await
        .expect("programme")
        .json::<serde_json::Value>()
        .await
        .expect("json")
}

/// The «Программы» sheet of a campaign's matrix workbook as the client downloads it.
pub(super) async fn programmes_sheet(
    client: &Client,
    app: &TestApp,
    campaign: i64,
) -> calamine::Range<calamine::Data> {
    use calamine::Reader;
    let bytes = client
        .get(app.url(&format!("/export/campaigns/{campaign}/matrix.xlsx")))
        .send()
        .await
        .expect("workbook")
        .bytes()
        .await
        .expect("bytes");
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("xlsx");
    book.worksheet_range("Программы")
        .expect("the programmes sheet")
}

pub(super) async fn post(
    client: &Client,
    app: &TestApp,
    path: &str,
    form: &[(&str, &str)],
) -> (StatusCode, String) {
    let r = client
        .post(app.url(path))
        .form(form)
        .send()
        .await
        .expect("post");
    let location = r
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (r.status(), location)
}

/// The school chooses the first risk its profile suggests, with `reasoning`; the factor.
pub(super) async fn choose_suggested_risk(
    client: &Client,
    app: &TestApp,
    (campaign, school): (i64, i64),
    csrf: &str,
    reasoning: &str,
) -> String {
    let factor = profile(client, app, campaign, school).await["report"]["risks"]["suggestions"][0]
        ["factor"]
        .as_str()
        .expect("a factor")
        .to_owned();
    let (status, _) = post(
        client,
        app,
        &format!("/work/campaigns/{campaign}/schools/{school}/risks"),
        &[
            ("_csrf", csrf),
            ("factor", &factor),
            ("reasoning", reasoning),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    factor
}

pub(super) async fn text(client: &Client, app: &TestApp, path: &str) -> String {
    harness::text(client, &app.url(path)).await
}

async fn a_school_chooses_its_risks_from_its_published_profile(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let (open, own) = app.demo_school("demo-01").await;
    // Last year's campaign has closed: its profile is published, the school's to read.
    let closed = app.previous_demo_campaign().await;
    let (school, csrf) = app.sign_in("school").await;
    let before = profile(&school, &app, closed, own).await;
    let panel = &before["report"]["risks"];
    assert_eq!(panel["can_choose"], true, "{panel}");
    assert_eq!(panel["max"], 3);
    let factors: Vec<String> = panel["suggestions"]
        .as_array()
        .expect("suggestions")
        .iter()
        .map(|s| s["factor"].as_str().expect("code").to_owned())
        .collect();
    assert!(factors.len() >= 4, "{factors:?}");
    let page = format!("/work/campaigns/{closed}/schools/{own}");
    let risks = format!("{page}/risks");
    let html = text(&school, &app, &page).await;
    assert!(html.contains("Выбранные риски") && html.contains("class=\"choose-risk\""));

    // A choice without its reasoning is refused by name.
    let (status, back) = post(
        &school,
        &app,
        &risks,
        &[
            ("_csrf", &csrf),
            ("factor", &factors[0]),
            ("reasoning", " "),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        text(&school, &app, &back)
            .await
            .contains("Обоснование: пусто"),
        "{back}"
    );
    // Three with reasoning; the fourth is one too many.
    for factor in &factors[..3] {
        let (_, back) = post(
            &school,
            &app,
            &risks,
            &[
                ("_csrf", &csrf),
                ("factor", factor),
                ("reasoning", "Видим это на уроках"),
            ],
        )
        .await;
        assert!(back.ends_with("#risks"), "{back}");
    }
    let (_, back) = post(
        &school,
        &app,
        &risks,
        &[
            ("_csrf", &csrf),
            ("factor", &factors[3]),
            ("reasoning", "и это"),
        ],
    )
    .await;
    assert!(
        text(&school, &app, &back).await.contains("выбрано уже 3"),
        "{back}"
    );
    let (_, back) = post(
        &school,
        &app,
        &risks,
        &[
            ("_csrf", &csrf),
            ("factor", "RF99"),
            ("reasoning", "нет такого"),
        ],
    )
    .await;
    assert!(text(&school, &app, &back)
        .await
        .contains("Фактор: у этого фактора в профиле нет данных"));
    let chosen = profile(&school, &app, closed, own).await["report"]["risks"]["chosen"].clone();
    let codes: Vec<&str> = chosen
        .as_array()
        .expect("chosen")
        .iter()
        .map(|c| c["factor"].as_str().expect("code"))
        .collect();
    assert_eq!(
        codes,
        factors[..3].iter().map(String::as_str).collect::<Vec<_>>()
    );
    assert_eq!(chosen[0]["reasoning"], "Видим это на уроках");
    // Dropped, it can be chosen anew; everything is in the programme's history.
    let (_, back) = post(
        &school,
        &app,
        &format!("{risks}/drop"),
        &[("_csrf", &csrf), ("factor", &factors[0])],
    )
    .await;
    assert!(back.ends_with("#risks"));
    let programme = app
        .storage
        .programme(closed, own)
        .await
        .expect("query")
        .expect("a programme");
    assert_eq!(programme.status, app::programmes::ProgrammeStatus::Draft);
    let history = app
        .storage
        .programme_events(programme.id)
        .await
        .expect("events");
    let actions: Vec<&str> = history.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["risk_chosen", "risk_chosen", "risk_chosen", "risk_dropped"]
    );
    assert!(history.iter().all(|e| e.user_name.contains("демо")));
    assert_eq!(history[0].subject, format!("risk:{}", factors[0]));
    // Of the open campaign the school sees nothing, so it chooses nothing.
    let (_, back) = post(
        &school,
        &app,
        &format!("/work/campaigns/{open}/schools/{own}/risks"),
        &[
            ("_csrf", &csrf),
            ("factor", &factors[0]),
            ("reasoning", "рано"),
        ],
    )
    .await;
    assert!(text(&school, &app, &back)
        .await
        .contains("ещё не опубликованы"));
    app.finish().await;
}

async fn only_the_school_its_curator_and_an_admin_choose_for_their_own_schools(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let (campaign, own) = app.demo_school("demo-01").await;
    let (_, other) = app.demo_school("demo-02").await;
    let factor = |panel: &serde_json::Value| {
        panel["report"]["risks"]["suggestions"][0]["factor"]
            .as_str()
            .expect("a factor")
            .to_owned()
    };
    // The curator of demo-01 and demo-04, with the school, on the early publication.
    let (curator, csrf) = app.sign_in("curator").await;
    let code = factor(&profile(&curator, &app, campaign, own).await);
    let form = [
        ("_csrf", csrf.as_str()),
        ("factor", code.as_str()),
        ("reasoning", "Обсудили со школой"),
    ];
    let (status, back) = post(
        &curator,
        &app,
        &format!("/work/campaigns/{campaign}/schools/{own}/risks"),
        &form,
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(back.ends_with("#risks"), "{back}");
    // Not for a school it does not curate.
    let (status, _) = post(
        &curator,
        &app,
        &format!("/work/campaigns/{campaign}/schools/{other}/risks"),
        &form,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Coordinators read the chosen risks and cannot change them.
    for login in ["north", "region"] {
        let (client, csrf) = app.sign_in(login).await;
        let panel = profile(&client, &app, campaign, own).await;
        assert_eq!(
            panel["report"]["risks"]["chosen"][0]["factor"],
            code.as_str()
        );
        assert_eq!(panel["report"]["risks"]["can_choose"], false);
        let html = text(
            &client,
            &app,
            &format!("/work/campaigns/{campaign}/schools/{own}"),
        )
        .await;
        assert!(html.contains("Обсудили со школой") && !html.contains("class=\"choose-risk\""));
        let (status, _) = post(
            &client,
            &app,
            &format!("/work/campaigns/{campaign}/schools/{own}/risks/drop"),
            &[("_csrf", csrf.as_str()), ("factor", code.as_str())],
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{login}");
    }
    // A school writes only its own programme.
    let (school, csrf) = app.sign_in("school").await;
    let closed = app.previous_demo_campaign().await;
    let (status, _) = post(
        &school,
        &app,
        &format!("/work/campaigns/{closed}/schools/{other}/risks"),
        &[
            ("_csrf", csrf.as_str()),
            ("factor", code.as_str()),
            ("reasoning", "чужая"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    app.finish().await;
}

async fn a_programme_keeps_its_measures_and_targets_per_chosen_risk(backend: Backend) {
    use server::storage::{MeasureFields, NewEvent, NewFile, RiskChoice};
    let app = TestApp::spawn(backend).await.with_demo().await;
    let (campaign, school) = app.demo_school("demo-01").await;
    let (_, other_school) = app.demo_school("demo-02").await;
    let user = app
        .storage
        .user_by_login("curator")
        .await
        .expect("query")
        .expect("the demo curator")
        .id;
    let event = |action: &'static str| NewEvent {
        user_id: user,
        at: 1_800_000_000,
        action,
        subject: "",
        comment: "",
    };
    let today = server::clock::today();
    for (school, factor) in [(school, "RF01"), (school, "RF02"), (other_school, "RF01")] {
        let added = app
            .storage
            .choose_risk(
                RiskChoice {
                    campaign_id: campaign,
                    school_id: school,
                    factor,
                    reasoning: "видим",
                    max: 3,
                    today,
                },
                event("risk_chosen"),
            )
            .await
            .expect("chosen");
        assert!(added);
    }
    let programme = app
        .storage
        .programme(campaign, school)
        .await
        .expect("query")
        .expect("programme")
        .id;
    let other = app
        .storage
        .programme(campaign, other_school)
        .await
        .expect("query")
        .expect("programme")
        .id;
    assert!(app
        .storage
        .set_risk_plan(
            programme,
            "RF01",
            "Оснастить кабинеты",
            "1. Заявка\n2. Поставка",
            event("plan")
        )
        .await
        .expect("plan"));
    assert!(!app
        .storage
        .set_risk_plan(programme, "RF05", "—", "—", event("plan"))
        .await
        .expect("plan"));
    let measure = MeasureFields {
        action: "Подать заявку учредителю".into(),
        responsible_role: "Директор".into(),
        responsible_name: "И. И. Иванова".into(),
        starts_on: Some("2027-01-10".parse().expect("day")),
        due_on: Some("2027-03-01".parse().expect("day")),
        expected_result: "Заявка подана".into(),
        status: "planned".into(),
        catalogue: Some(0),
        ..MeasureFields::default()
    };
    let first = app
        .storage
        .add_measure(programme, "RF01", &measure, event("measure_added"))
        .await
        .expect("added")
        .expect("a risk of the programme");
    let second = app
        .storage
        .add_measure(
            programme,
            "RF01",
            &MeasureFields {
                catalogue: None,
                ..measure.clone()
            },
            event("measure_added"),
        )
        .await
        .expect("added")
        .expect("a risk of the programme");
    assert_eq!(
        app.storage
            .add_measure(programme, "RF09", &measure, event("measure_added"))
            .await
            .expect("query"),
        None,
        "no measure for a risk the programme did not choose"
    );
    let done = MeasureFields {
        status: "done".into(),
        evidence: "Письмо № 12".into(),
        ..measure.clone()
    };
    assert!(app
        .storage
        .update_measure(programme, first, &done, event("measure_changed"))
        .await
        .expect("updated"));
    // Another programme's measure is not this one's to change or remove.
    assert!(!app
        .storage
        .update_measure(other, first, &done, event("measure_changed"))
        .await
        .expect("query"));
    assert!(!app
        .storage
        .remove_measure(other, second, event("measure_removed"))
        .await
        .expect("query"));
    assert!(app
        .storage
        .remove_measure(programme, second, event("measure_removed"))
        .await
        .expect("removed"));
    let measures = app
        .storage
        .programme_measures(programme)
        .await
        .expect("measures");
    assert_eq!(measures.len(), 1);
    assert_eq!(
        (measures[0].factor.as_str(), measures[0].status.as_str()),
        ("RF01", "done")
    );
    assert_eq!(measures[0].evidence, "Письмо № 12");
    assert_eq!(
        measures[0].due_on.map(|d| d.to_string()).as_deref(),
        Some("2027-03-01")
    );
    assert_eq!(measures[0].catalogue, Some(0));
    // Targets: set, replaced, removed.
    assert!(app
        .storage
        .set_target(
            programme,
            "RF01",
            "rf01_computers_per_student",
            Some(0.05),
            0.1,
            event("target_set")
        )
        .await
        .expect("set"));
    assert!(app
        .storage
        .set_target(
            programme,
            "RF01",
            "rf01_computers_per_student",
            Some(0.05),
            0.12,
            event("target_set")
        )
        .await
        .expect("set"));
    assert!(app
        .storage
        .set_target(
            programme,
            "RF02",
            "rf02_vacancies",
            None,
            0.0,
            event("target_set")
        )
        .await
        .expect("set"));
    assert!(!app
        .storage
        .set_target(programme, "RF09", "x", None, 0.0, event("target_set"))
        .await
        .expect("query"));
    let targets = app
        .storage
        .programme_targets(programme)
        .await
        .expect("targets");
    assert_eq!(targets.len(), 2);
    assert_eq!((targets[0].baseline, targets[0].target), (Some(0.05), 0.12));
    assert!(app
        .storage
        .remove_target(programme, targets[1].id, event("target_removed"))
        .await
        .expect("removed"));
    // Dropping a risk drops its measures, their documents and its targets, once.
    let file = NewFile {
        measure_id: measures[0].id,
        name: "акт.pdf",
        content_type: "application/pdf",
        data: b"%PDF-1.4",
    };
    app.storage
        .add_file(programme, file, event("file_added"), u64::MAX)
        .await
        .expect("stored")
        .expect("an id");
    assert!(app
        .storage
        .drop_risk(programme, "RF01", event("risk_dropped"))
        .await
        .expect("dropped"));
    assert!(!app
        .storage
        .drop_risk(programme, "RF01", event("risk_dropped"))
        .await
        .expect("query"));
    assert!(app
        .storage
        .programme_files(programme)
        .await
        .expect("files")
        .is_empty());
    assert!(app
        .storage
        .programme_measures(programme)
        .await
        .expect("measures")
        .is_empty());
    assert!(app
        .storage
        .programme_targets(programme)
        .await
        .expect("targets")
        .is_empty());
    let plans = app.storage.risk_plans(programme).await.expect("plans");
    assert_eq!(plans.len(), 1, "RF02 is left");
    let actions: Vec<String> = app
        .storage
        .programme_events(programme)
        .await
        .expect("events")
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        [
            "risk_chosen",
            "risk_chosen",
            "plan",
            "measure_added",
            "measure_added",
            "measure_changed",
            "measure_removed",
            "target_set",
            "target_set",
            "target_set",
            "target_removed",
            "file_added",
            "risk_dropped"
        ]
    );
    app.finish().await;
}

async fn a_programme_is_written_per_chosen_risk_with_warnings_for_what_is_missing(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    // demo-04 is riskier than demo-01: its profile suggests factors above «низкий».
    let (campaign, own) = app.demo_school("demo-04").await;
    let (curator, csrf) = app.sign_in("curator").await;
    let code = profile(&curator, &app, campaign, own).await["report"]["risks"]["suggestions"]
        .as_array()
        .expect("suggestions")
        .iter()
        .find(|s| s["weakest"].as_array().is_some_and(|w| !w.is_empty()))
        .and_then(|s| s["factor"].as_str())
        .expect("a suggested factor")
        .to_owned();
    let school_page = format!("/work/campaigns/{campaign}/schools/{own}");
    post(
        &curator,
        &app,
        &format!("{school_page}/risks"),
        &[
            ("_csrf", &csrf),
            ("factor", &code),
            ("reasoning", "Обсудили"),
        ],
    )
    .await;
    let base = format!("{school_page}/programme");
    let first = programme_json(&curator, &app, campaign, own).await;
    let risk = &first["report"]["risks"][0];
    assert_eq!(risk["factor"], code.as_str());
    assert_eq!(first["report"]["can_edit"], true);
    let html = text(&curator, &app, &base).await;
    assert!(
        html.contains("не задан ни один целевой показатель"),
        "{html}"
    );
    // Goal and tasks; a catalogue measure (no deadline: a warning); an overdue one of our own.
    post(
        &curator,
        &app,
        &format!("{base}/plan"),
        &[
            ("_csrf", &csrf),
            ("factor", &code),
            ("goal", "Снизить риск"),
            ("tasks", "1. Понять причины"),
        ],
    )
    .await;
    let catalogue = &risk["catalogue"][0];
    let (status, back) = post(
        &curator,
        &app,
        &format!("{base}/measures"),
        &[
            ("_csrf", &csrf),
            ("factor", &code),
            ("action", catalogue["action"].as_str().expect("action")),
            (
                "responsible_role",
                catalogue["responsible"].as_str().expect("role"),
            ),
            ("catalogue", &catalogue["index"].to_string()),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(back.contains("#risk-"), "{back}");
    post(
        &curator,
        &app,
        &format!("{base}/measures"),
        &[
            ("_csrf", &csrf),
            ("factor", &code),
            ("action", "Встреча с родителями"),
            ("responsible_role", "Классный руководитель"),
            ("starts_on", "2026-01-10"),
            ("due_on", "2026-02-01"),
        ],
    )
    .await;
    // Bad input is named, nothing stored.
    let (_, back) = post(
        &curator,
        &app,
        &format!("{base}/measures"),
        &[
            ("_csrf", &csrf),
            ("factor", &code),
            ("action", "x"),
            ("due_on", "2026-13-01"),
        ],
    )
    .await;
    assert!(
        text(&curator, &app, &back)
            .await
            .contains("Срок: дата в формате ГГГГ-ММ-ДД"),
        "{back}"
    );
    // A target at the suggested value; a target that is not a number is refused.
    let indicator = risk["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .find(|i| i["default_target"].is_string())
        .expect("an indicator with a suggested target")
        .clone();
    let key = indicator["key"].as_str().expect("key");
    let (_, back) = post(
        &curator,
        &app,
        &format!("{base}/targets"),
        &[
            ("_csrf", &csrf),
            ("factor", &code),
            ("indicator", key),
            ("target", "1e3"),
        ],
    )
    .await;
    assert!(
        text(&curator, &app, &back)
            .await
            .contains("Целевое значение: число"),
        "{back}"
    );
    post(
        &curator,
        &app,
        &format!("{base}/targets"),
        &[
            ("_csrf", &csrf),
            ("factor", &code),
            ("indicator", key),
            (
                "target",
                indicator["default_target"].as_str().expect("default"),
            ),
        ],
    )
    .await;
    let now = programme_json(&curator, &app, campaign, own).await;
    let risk = &now["report"]["risks"][0];
    assert_eq!(risk["goal"], "Снизить риск");
    let measures = risk["measures"].as_array().expect("measures");
    assert_eq!(measures.len(), 2);
    assert_eq!(measures[0]["from_catalogue"], true);
    assert_eq!(
        measures[1]["overdue"], true,
        "past its deadline and not done"
    );
    assert_eq!(risk["targets"][0]["indicator"], key);
    assert!(
        risk["targets"][0]["baseline"].is_string(),
        "the baseline from the profile"
    );
    let warnings: Vec<&str> = now["report"]["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter_map(|w| w.as_str())
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("нет срока или ответственного"));
    let html = text(&curator, &app, &base).await;
    assert!(html.contains("просрочено") && html.contains("из каталога"));
    // Removed, the measure is gone; every change is in the history.
    let measure = measures[1]["id"].as_i64().expect("id");
    post(
        &curator,
        &app,
        &format!("{base}/measures/{measure}/remove"),
        &[("_csrf", &csrf)],
    )
    .await;
    let last = programme_json(&curator, &app, campaign, own).await;
    assert_eq!(
        last["report"]["risks"][0]["measures"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    let history: Vec<&str> = last["report"]["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|h| h["what"].as_str())
        .collect();
    assert!(history.len() >= 6, "{history:?}");
    assert!(history.iter().any(|h| h.starts_with("удалено мероприятие")));
    // The region reads it and writes nothing.
    let (region, region_csrf) = app.sign_in("region").await;
    let html = text(&region, &app, &base).await;
    assert!(html.contains("Снизить риск") && !html.contains("class=\"new-measure\""));
    let (status, _) = post(
        &region,
        &app,
        &format!("{base}/plan"),
        &[
            ("_csrf", &region_csrf),
            ("factor", &code),
            ("goal", "чужое"),
            ("tasks", ""),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The matrix workbook lists the programme on its own sheet.
    let sheet = programmes_sheet(&region, &app, campaign).await;
    assert_eq!(sheet.height(), 2, "one programme");
    let cell = |c: usize| sheet.get((1, c)).map(|d| d.to_string()).unwrap_or_default();
    assert!(cell(0).contains("СОШ № 2"), "{}", cell(0));
    assert_eq!(cell(1), code);
    assert_eq!(cell(2), "черновик");
    assert_eq!(
        (cell(3), cell(4), cell(5)),
        ("1".to_owned(), "0".to_owned(), "1".to_owned())
    );
    app.finish().await;
}

async fn a_programme_is_submitted_returned_with_comments_mended_and_agreed(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let (campaign, own) = app.demo_school("demo-01").await;
    let closed = app.previous_demo_campaign().await;
    let _ = campaign;
    let (school, csrf) = app.sign_in("school").await;
    let base = format!("/work/campaigns/{closed}/schools/{own}/programme");
    let code = profile(&school, &app, closed, own).await["report"]["risks"]["suggestions"][0]
        ["factor"]
        .as_str()
        .expect("a factor")
        .to_owned();
    let message = |client: &Client, back: String| {
        let client = client.clone();
        let url = app.url(&back);
        async move { harness::text(&client, &url).await }
    };
    // Nothing to submit before a risk is chosen.
    let (status, _) = post(
        &school,
        &app,
        &format!("{base}/submit"),
        &[("_csrf", &csrf)],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no programme yet");
    post(
        &school,
        &app,
        &format!("/work/campaigns/{closed}/schools/{own}/risks"),
        &[("_csrf", &csrf), ("factor", &code), ("reasoning", "Видим")],
    )
    .await;
    post(
        &school,
        &app,
        &format!("{base}/measures"),
        &[
            ("_csrf", &csrf),
            ("factor", &code),
            ("action", "Семинар"),
            ("responsible_role", "Завуч"),
            ("due_on", "2027-03-01"),
        ],
    )
    .await;
    let programme = programme_json(&school, &app, closed, own).await;
    assert_eq!(programme["report"]["steps"], serde_json::json!(["submit"]));
    let measure = programme["report"]["risks"][0]["measures"][0]["id"]
        .as_i64()
        .expect("measure");
    // The school submits; now it cannot change it, nor agree it.
    post(
        &school,
        &app,
        &format!("{base}/submit"),
        &[("_csrf", &csrf)],
    )
    .await;
    assert_eq!(
        programme_json(&school, &app, closed, own).await["report"]["status"],
        "submitted"
    );
    let (_, back) = post(
        &school,
        &app,
        &format!("{base}/plan"),
        &[
            ("_csrf", &csrf),
            ("factor", &code),
            ("goal", "x"),
            ("tasks", ""),
        ],
    )
    .await;
    assert!(message(&school, back)
        .await
        .contains("менять её можно, когда её вернут"));
    let (status, _) = post(&school, &app, &format!("{base}/agree"), &[("_csrf", &csrf)]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a school agrees nothing");
    // The region lets its curators agree (the default): the municipality may not.
    let (north, north_csrf) = app.sign_in("north").await;
    let (_, back) = post(
        &north,
        &app,
        &format!("{base}/agree"),
        &[("_csrf", &north_csrf)],
    )
    .await;
    assert!(message(&north, back)
        .await
        .contains("Этот шаг согласования сейчас не ваш"));
    // The curator comments on the measure and returns it; a return needs its comment.
    let (curator, curator_csrf) = app.sign_in("curator").await;
    assert_eq!(
        programme_json(&curator, &app, closed, own).await["report"]["steps"],
        serde_json::json!(["comment", "return", "agree"])
    );
    let subject = format!("measure:{measure}");
    post(
        &curator,
        &app,
        &format!("{base}/comment"),
        &[
            ("_csrf", &curator_csrf),
            ("subject", &subject),
            ("comment", "Уточните результат"),
        ],
    )
    .await;
    let (_, back) = post(
        &curator,
        &app,
        &format!("{base}/return"),
        &[("_csrf", &curator_csrf), ("comment", " ")],
    )
    .await;
    assert!(message(&curator, back).await.contains("Комментарий: пусто"));
    post(
        &curator,
        &app,
        &format!("{base}/return"),
        &[
            ("_csrf", &curator_csrf),
            ("comment", "Доработайте мероприятие"),
        ],
    )
    .await;
    let returned = programme_json(&school, &app, closed, own).await;
    assert_eq!(returned["report"]["status"], "returned");
    let comments = &returned["report"]["risks"][0]["measures"][0]["comments"];
    assert!(
        comments[0]
            .as_str()
            .is_some_and(|c| c.contains("Уточните результат")),
        "{comments}"
    );
    assert!(returned["report"]["comments"][0]
        .as_str()
        .is_some_and(|c| c.contains("Доработайте")));
    let html = text(&school, &app, &base).await;
    assert!(html.contains("Уточните результат") && html.contains("Доработайте мероприятие"));
    // The school mends it and submits again; the curator agrees.
    post(
        &school,
        &app,
        &format!("{base}/measures/{measure}"),
        &[
            ("_csrf", &csrf),
            ("factor", &code),
            ("action", "Семинар"),
            ("responsible_role", "Завуч"),
            ("due_on", "2027-03-01"),
            ("expected_result", "Все учителя прошли семинар"),
        ],
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
    let agreed = programme_json(&school, &app, closed, own).await;
    assert_eq!(agreed["report"]["status"], "agreed");
    assert_eq!(agreed["report"]["steps"], serde_json::json!(["reopen"]));
    // Changes after agreement need a new submission: reopened, it is a draft again.
    post(
        &school,
        &app,
        &format!("{base}/reopen"),
        &[("_csrf", &csrf)],
    )
    .await;
    assert_eq!(
        programme_json(&school, &app, closed, own).await["report"]["status"],
        "draft"
    );
    post(
        &school,
        &app,
        &format!("{base}/submit"),
        &[("_csrf", &csrf)],
    )
    .await;
    // With both agreeing, the curator agrees first and the municipality last.
    // The regional coordinator sets it on the registry page; a value it does not take, another
    // region, or a municipal coordinator change nothing.
    let region = app.storage.schools_with_place().await.expect("registry")[0].region_id;
    let (regional, regional_csrf) = app.sign_in("region").await;
    let registry = text(&regional, &app, "/work/registry").await;
    assert!(registry.contains("Кто согласует антирисковые программы"));
    assert!(
        registry.contains("<option value=\"curator\" selected"),
        "the default"
    );
    let region_text = region.to_string();
    let (_, back) = post(
        &regional,
        &app,
        "/work/registry/agreement",
        &[
            ("_csrf", &regional_csrf),
            ("region", &region_text),
            ("agreement", "anyone"),
        ],
    )
    .await;
    assert!(message(&regional, back).await.contains("Кто согласует"));
    let (status, _) = post(
        &regional,
        &app,
        "/work/registry/agreement",
        &[
            ("_csrf", &regional_csrf),
            ("region", "999"),
            ("agreement", "both"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not its region");
    let (status, _) = post(
        &north,
        &app,
        "/work/registry/agreement",
        &[
            ("_csrf", &north_csrf),
            ("region", &region_text),
            ("agreement", "municipal"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.storage.region_agreement(region).await.expect("read"),
        "curator"
    );
    let (status, _) = post(
        &regional,
        &app,
        "/work/registry/agreement",
        &[
            ("_csrf", &regional_csrf),
            ("region", &region_text),
            ("agreement", "both"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.storage.region_agreement(region).await.expect("read"),
        "both"
    );
    let (_, back) = post(
        &north,
        &app,
        &format!("{base}/agree"),
        &[("_csrf", &north_csrf)],
    )
    .await;
    assert!(
        message(&north, back).await.contains("не ваш"),
        "the curator first"
    );
    post(
        &curator,
        &app,
        &format!("{base}/agree"),
        &[("_csrf", &curator_csrf)],
    )
    .await;
    assert_eq!(
        programme_json(&school, &app, closed, own).await["report"]["status"],
        "submitted"
    );
    post(
        &north,
        &app,
        &format!("{base}/agree"),
        &[("_csrf", &north_csrf)],
    )
    .await;
    assert_eq!(
        programme_json(&school, &app, closed, own).await["report"]["status"],
        "agreed"
    );
    let history: Vec<String> = programme_json(&school, &app, closed, own).await["report"]
        ["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|h| h["what"].as_str().map(str::to_owned))
        .collect();
    for step in [
        "отправлена на согласование",
        "комментарий",
        "возвращена на доработку",
        "согласована куратором",
        "открыта для изменений",
    ] {
        assert!(
            history.iter().any(|h| h.starts_with(step)),
            "{step} in {history:?}"
        );
    }
    app.finish().await;
}

async fn the_start_page_says_what_needs_attention(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let (_, own) = app.demo_school("demo-01").await;
    let closed = app.previous_demo_campaign().await;
    let (school, csrf) = app.sign_in("school").await;
    let code = profile(&school, &app, closed, own).await["report"]["risks"]["suggestions"][0]
        ["factor"]
        .as_str()
        .expect("a factor")
        .to_owned();
    let base = format!("/work/campaigns/{closed}/schools/{own}");
    post(
        &school,
        &app,
        &format!("{base}/risks"),
        &[("_csrf", &csrf), ("factor", &code), ("reasoning", "Видим")],
    )
    .await;
    post(
        &school,
        &app,
        &format!("{base}/programme/measures"),
        &[
            ("_csrf", &csrf),
            ("factor", &code),
            ("action", "Семинар"),
            ("responsible_role", "Завуч"),
            ("due_on", "2026-01-15"),
        ],
    )
    .await;
    post(
        &school,
        &app,
        &format!("{base}/programme/submit"),
        &[("_csrf", &csrf)],
    )
    .await;
    let link = format!("{base}/programme");
    let (curator, curator_csrf) = app.sign_in("curator").await;
    let home = text(&curator, &app, "/work").await;
    assert!(
        home.contains("Ждут вашего согласования") && home.contains(&link),
        "{home}"
    );
    let (region, _) = app.sign_in("region").await;
    let home = text(&region, &app, "/work").await;
    assert!(home.contains("Антирисковые программы школ"), "{home}");
    assert!(home.contains("отправлена на согласование: 1"), "{home}");
    assert!(home.contains(&format!("<tr data-factor=\"{code}\">")));
    assert!(home.contains("Школы без программы"));
    assert!(
        !home.contains("Ждут вашего согласования"),
        "the region does not agree"
    );
    post(
        &curator,
        &app,
        &format!("{base}/programme/return"),
        &[("_csrf", &curator_csrf), ("comment", "Уточните сроки")],
    )
    .await;
    let home = text(&school, &app, "/work").await;
    assert!(
        home.contains("Возвращены на доработку") && home.contains("Есть просроченные мероприятия"),
        "{home}"
    );
    assert!(home.contains("просрочено мероприятий: 1"));
    assert!(
        !home.contains("Антирисковые программы школ"),
        "no overview for a school"
    );
    app.finish().await;
}

harness::on_both_backends!(
    a_school_chooses_its_risks_from_its_published_profile,
    only_the_school_its_curator_and_an_admin_choose_for_their_own_schools,
    a_programme_keeps_its_measures_and_targets_per_chosen_risk,
    a_programme_is_written_per_chosen_risk_with_warnings_for_what_is_missing,
    a_programme_is_submitted_returned_with_comments_mended_and_agreed,
    the_start_page_says_what_needs_attention,
);
