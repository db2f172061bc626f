//! Support work over HTTP, on both backends: a school's question and its thread (statuses, the
//! response-time target, files, the knowledge base without the school's name), visits and
//! recommendations with the school's answers and the author's decisions (and the programme DOCX
//! appendix), events with registration, attendance and the anonymous feedback under the minimum
//! rule, roadmaps with their DOCX and print page, the inbox, the reminders and the start pages.
//! Who sees what is checked with each role.

use harness::{Backend, TestApp};
use reqwest::header::LOCATION;
use reqwest::multipart::{Form, Part};
use reqwest::{Client, StatusCode};
use serde_json::Value;

use super::exports::part;
use super::programmes::{post, text};

/// A server function's report.
async fn api(client: &Client, app: &TestApp, name: &str, form: &[(&str, String)]) -> Value {
    let v: Value = client
        .post(app.url(&format!("/api/{name}")))
        .form(form)
        .send()
        .await
        .expect("server function")
        .json()
        .await
        .expect("json");
    v["report"].clone()
}

/// Posts a multipart form (fields and an optional PDF) with the CSRF token in the query.
async fn multipart(
    client: &Client,
    app: &TestApp,
    path: &str,
    csrf: &str,
    fields: &[(&str, &str)],
    file: Option<&str>,
) -> (StatusCode, String) {
    let mut form = Form::new();
    for (k, v) in fields {
        form = form.text((*k).to_owned(), (*v).to_owned());
    }
    if let Some(name) = file {
        form = form.part(
            "file",
            Part::bytes(b"%PDF-1.4\n% support\n".to_vec()).file_name(name.to_owned()),
        );
    }
    let r = client
        .post(app.url(&format!("{path}?_csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .expect("multipart");
    let location = r
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (r.status(), location)
}

/// The id at the end of a redirect's path (before any `#`).
fn id_in(location: &str) -> i64 {
    location
        .split('#')
        .next()
        .and_then(|p| p.rsplit('/').next())
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("no id in {location}"))
}

/// The refusal a redirect carries, decoded.
fn problem(location: &str) -> String {
    let query = location.split_once('?').map(|x| x.1).unwrap_or_default();
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "problem")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

async fn user_id(app: &TestApp, login: &str) -> i64 {
    app.storage
        .user_by_login(login)
        .await
        .expect("user")
        .expect("demo account")
        .id
}

async fn a_question_goes_from_the_school_to_its_supporters_and_into_the_knowledge_base(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await.with_demo_cycle().await;
    let (_, demo01) = app.demo_school("demo-01").await;
    let (school, s_csrf) = app.sign_in("school").await;
    // A question without a subject is refused, naming the field; nothing is stored.
    let (status, location) = multipart(
        &school,
        &app,
        "/work/support/questions",
        &s_csrf,
        &[("title", ""), ("body", "x")],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(problem(&location).contains("Название"), "{location}");
    assert!(app.storage.questions().await.expect("questions").is_empty());
    // Asked with a file, about a risk; a marker in its title stays text.
    let title = "Как вовлечь родителей? <b id=mk-q>x</b>";
    let (status, location) = multipart(
        &school,
        &app,
        "/work/support/questions",
        &s_csrf,
        &[
            ("title", title),
            ("body", "Родители не приходят на собрания."),
            ("factor", "RF07"),
        ],
        Some("протокол.pdf"),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{location}");
    let id = id_in(&location);
    let q = app
        .storage
        .question(id)
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(q.school_id, demo01);
    assert_eq!(q.status, app::support::QuestionStatus::New);
    let due = server::clock::today().plus_working_days(3);
    assert_eq!(q.due_on, due, "three working days by default");
    // The curator of demo-01 and the north's coordinator were told; the region sees it too.
    let curator_id = user_id(&app, "curator").await;
    let north_id = user_id(&app, "north").await;
    for user in [curator_id, north_id] {
        let inbox = app.storage.inbox(user, 10).await.expect("inbox");
        assert!(
            inbox.iter().any(|n| n.kind == "question_asked"),
            "{inbox:?}"
        );
    }
    let (region, r_csrf) = app.sign_in("region").await;
    let page = text(&region, &app, &format!("/work/support/questions/{id}")).await;
    assert!(
        page.contains("&lt;b id=mk-q&gt;") && !page.contains("<b id=mk-q>"),
        "the title is text"
    );
    // The curator answers with a file; the school is told, the status is answered.
    let (curator, c_csrf) = app.sign_in("curator").await;
    let (status, _) = multipart(
        &curator,
        &app,
        &format!("/work/support/questions/{id}/messages"),
        &c_csrf,
        &[("body", "Попробуйте субботние встречи.")],
        Some("памятка.pdf"),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let page = api(&school, &app, "work-question", &[("id", id.to_string())]).await;
    assert_eq!(page["item"]["status"], "Answered");
    assert_eq!(page["messages"].as_array().expect("thread").len(), 2);
    assert_eq!(page["messages"][0]["files"][0]["name"], "протокол.pdf");
    assert_eq!(page["messages"][1]["files"][0]["name"], "памятка.pdf");
    let school_id = user_id(&app, "school").await;
    assert!(app
        .storage
        .inbox(school_id, 10)
        .await
        .expect("inbox")
        .iter()
        .any(|n| n.kind == "question_answered"));
    // The file downloads for those who see the school; the region may not write into the thread.
    let file = page["messages"][1]["files"][0]["id"]
        .as_i64()
        .expect("file id");
    let r = school
        .get(app.url(&format!("/work/support/files/{file}")))
        .send()
        .await
        .expect("download");
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-disposition"]
        .to_str()
        .expect("header")
        .starts_with("attachment"));
    let (status, _) = multipart(
        &region,
        &app,
        &format!("/work/support/questions/{id}/messages"),
        &r_csrf,
        &[("body", "x")],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The school closes it, then opens it again with a new message.
    let (status, _) = post(
        &school,
        &app,
        &format!("/work/support/questions/{id}/close"),
        &[("_csrf", &s_csrf)],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.storage
            .question(id)
            .await
            .expect("read")
            .expect("q")
            .status,
        app::support::QuestionStatus::Closed
    );
    let (status, _) = multipart(
        &school,
        &app,
        &format!("/work/support/questions/{id}/messages"),
        &s_csrf,
        &[("body", "А если родители работают вахтой?")],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.storage
            .question(id)
            .await
            .expect("read")
            .expect("q")
            .status,
        app::support::QuestionStatus::New
    );
    // Publishing is the region's; the knowledge base shows the published words only.
    let (status, location) = post(
        &curator,
        &app,
        &format!("/work/support/questions/{id}/publish"),
        &[("_csrf", &c_csrf), ("kb_question", "q"), ("kb_answer", "a")],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{location}");
    let (status, _) = post(
        &region,
        &app,
        &format!("/work/support/questions/{id}/publish"),
        &[
            ("_csrf", &r_csrf),
            ("kb_question", "Как вовлечь родителей сельской школы?"),
            ("kb_answer", "Субботние встречи и родительский клуб."),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let kb = text(
        &school,
        &app,
        "/work/knowledge?factor=RF07&text=%D1%81%D1%83%D0%B1%D0%B1%D0%BE%D1%82",
    )
    .await;
    assert!(
        kb.contains("Субботние встречи и родительский клуб."),
        "found by factor and text"
    );
    assert!(
        !kb.contains("Берёзовская"),
        "the school's name is not published"
    );
    let none = api(
        &school,
        &app,
        "work-knowledge",
        &[("factor", "RF01".into())],
    )
    .await;
    assert_eq!(none["items"].as_array().expect("items").len(), 0);
    app.finish().await;
}

async fn each_role_sees_only_its_schools_questions(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let (_, demo04) = app.demo_school("demo-04").await;
    let school_user = user_id(&app, "school").await;
    // A question of demo-04 (river): its curator and the region see it; the north and demo-01 do not.
    let (id, _) = app
        .storage
        .ask(
            demo04,
            (school_user, "school"),
            "",
            None,
            "Вопрос школы № 2",
            "текст",
            server::clock::now(),
            server::clock::today(),
        )
        .await
        .expect("asked");
    for (login, sees) in [
        ("admin", true),
        ("region", true),
        ("curator", true),
        ("north", false),
        ("school", false),
    ] {
        let (client, _) = app.sign_in(login).await;
        let page = api(&client, &app, "work-question", &[("id", id.to_string())]).await;
        assert_eq!(!page.is_null(), sees, "{login}");
        let list = api(&client, &app, "work-support", &[]).await;
        let listed = list["questions"]
            .as_array()
            .expect("list")
            .iter()
            .any(|q| q["id"] == id);
        assert_eq!(listed, sees, "{login}'s list");
    }
    app.finish().await;
}

async fn recommendations_are_answered_by_the_school_and_judged_by_their_author(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo_cycle().await;
    let (_, demo01) = app.demo_school("demo-01").await;
    let (curator, c_csrf) = app.sign_in("curator").await;
    // The school field suggests the curator's own schools only, each as the field takes it back.
    let found: Value = curator
        .post(app.url("/api/work-schools"))
        .form(&[("text", "СОШ")])
        .send()
        .await
        .expect("server function")
        .json()
        .await
        .expect("json");
    let found: Vec<&str> = found
        .as_array()
        .expect("suggestions")
        .iter()
        .filter_map(|s| s.as_str())
        .collect();
    assert_eq!(
        found,
        [
            "МБОУ «Берёзовская СОШ» (demo-01)",
            "МБОУ «СОШ № 2 г. Приреченска» (demo-04)"
        ],
        "the curator's schools with «СОШ» in the name"
    );
    // Not the curator's school: refused with the field named.
    let visit = |school: &str| {
        vec![
            ("_csrf", c_csrf.clone()),
            ("school", school.to_owned()),
            ("day", "2026-11-20".into()),
            ("mode", "on_site".into()),
            ("status", "held".into()),
            ("teachers", "7".into()),
            ("purpose", "Посещение уроков".into()),
            ("findings", "Мало групповой работы".into()),
        ]
    };
    let r = curator
        .post(app.url("/work/support/visits"))
        .form(&visit("demo-02"))
        .send()
        .await
        .expect("post");
    let location = r.headers()[LOCATION].to_str().expect("loc").to_owned();
    assert!(
        problem(&location).contains("Школы: среди ваших школ нет «demo-02»"),
        "{location}"
    );
    // A part of a name that fits two of the curator's schools: refused, counted.
    let r = curator
        .post(app.url("/work/support/visits"))
        .form(&visit("сош"))
        .send()
        .await
        .expect("post");
    let location = r.headers()[LOCATION].to_str().expect("loc").to_owned();
    assert!(
        problem(&location).contains("подходят несколько школ (2)"),
        "{location}"
    );

    let r = curator
        .post(app.url("/work/support/visits"))
        .form(&visit(found[0]))
        .send()
        .await
        .expect("post");
    let location = r.headers()[LOCATION].to_str().expect("loc").to_owned();
    let v = id_in(&location);
    // A wrong date is named.
    let (_, location) = post(
        &curator,
        &app,
        &format!("/work/support/visits/{v}/recommendations"),
        &[
            ("_csrf", &c_csrf),
            ("body", "x"),
            ("due_on", "2026-02-30"),
            ("responsible", "teachers"),
        ],
    )
    .await;
    assert!(problem(&location).contains("Срок"), "{location}");
    let (status, location) = post(
        &curator,
        &app,
        &format!("/work/support/visits/{v}/recommendations"),
        &[
            ("_csrf", &c_csrf),
            ("body", "Ввести листы самооценки"),
            ("due_on", "2020-01-10"),
            ("responsible", "teachers"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let rec = location
        .rsplit("recommendation-")
        .next()
        .and_then(|t| t.parse::<i64>().ok())
        .expect("recommendation id");
    let (school, s_csrf) = app.sign_in("school").await;
    let page = api(&school, &app, "work-visit", &[("id", v.to_string())]).await;
    assert_eq!(
        page["recommendations"][0]["overdue"], true,
        "past its due date"
    );
    assert_eq!(page["recommendations"][0]["answerable"], true);
    assert_eq!(page["participants"][2], 7);
    let answer = |fields: Vec<(&'static str, &'static str)>, file: Option<&'static str>| {
        let (school, app, s_csrf) = (&school, &app, s_csrf.clone());
        async move {
            multipart(
                school,
                app,
                &format!("/work/support/recommendations/{rec}/answer"),
                &s_csrf,
                &fields,
                file,
            )
            .await
        }
    };
    // «Done» needs evidence; «disagree» a reason.
    let (_, location) = answer(vec![("answer", "done")], None).await;
    assert!(problem(&location).contains("Текст ответа"), "{location}");
    let (_, location) = answer(vec![("answer", "disagreed")], None).await;
    assert!(problem(&location).contains("Текст ответа"), "{location}");
    let (status, _) = answer(vec![("answer", "disagreed"), ("text", "Нет бланков")], None).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // Another coordinator may not decide; the author returns it with a comment.
    let (north, n_csrf) = app.sign_in("north").await;
    let (_, location) = post(
        &north,
        &app,
        &format!("/work/support/recommendations/{rec}/decide"),
        &[("_csrf", &n_csrf), ("decision", "accept")],
    )
    .await;
    assert!(!problem(&location).is_empty(), "not the author: {location}");
    let (_, location) = post(
        &curator,
        &app,
        &format!("/work/support/recommendations/{rec}/decide"),
        &[("_csrf", &c_csrf), ("decision", "return")],
    )
    .await;
    assert!(problem(&location).contains("Комментарий"), "{location}");
    let (status, _) = post(
        &curator,
        &app,
        &format!("/work/support/recommendations/{rec}/decide"),
        &[
            ("_csrf", &c_csrf),
            ("decision", "return"),
            ("comment", "Бланки есть в методичке"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = answer(vec![("answer", "done")], Some("листы.pdf")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let curator_id = user_id(&app, "curator").await;
    assert!(app
        .storage
        .inbox(curator_id, 20)
        .await
        .expect("inbox")
        .iter()
        .any(|n| n.kind == "recommendation_answered"));
    let (status, _) = post(
        &curator,
        &app,
        &format!("/work/support/recommendations/{rec}/decide"),
        &[("_csrf", &c_csrf), ("decision", "accept")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let page = api(&curator, &app, "work-visit", &[("id", v.to_string())]).await;
    let r = &page["recommendations"][0];
    assert_eq!(r["status"], "Accepted");
    assert_eq!(r["overdue"], false, "an accepted one is not overdue");
    assert_eq!(r["files"][0]["name"], "листы.pdf");
    let history = page["history"].as_array().expect("history");
    assert!(!history.is_empty());
    let rec_history = app
        .storage
        .support_history("recommendation", rec)
        .await
        .expect("history");
    let actions: Vec<&str> = rec_history.iter().map(|h| h.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "recommended",
            "disagreed",
            "returned",
            "done",
            "file_added",
            "accepted"
        ]
    );
    // The programme's DOCX carries the visit and the recommendation as an appendix.
    let previous = app.previous_demo_campaign().await;
    let r = curator
        .get(app.url(&format!(
            "/export/campaigns/{previous}/schools/{demo01}/programme.docx"
        )))
        .send()
        .await
        .expect("docx");
    assert_eq!(r.status(), StatusCode::OK);
    let xml = part(&r.bytes().await.expect("bytes"), "word/document.xml");
    assert!(
        xml.contains("Визиты и адресные рекомендации")
            && xml.contains("Ввести листы самооценки")
            && xml.contains("Мало групповой работы")
    );
    // The school's card shows them too (its support list, narrowed to the school).
    let list = api(
        &curator,
        &app,
        "work-support",
        &[
            ("filter[school]", demo01.to_string()),
            ("filter[show]", "visits".to_owned()),
        ],
    )
    .await;
    assert_eq!(list["visits"].as_array().expect("visits").len(), 1);
    app.finish().await;
}

/// Sends one participant's feedback with a code; whether it was counted.
async fn give_feedback(app: &TestApp, code: &str, value: &str) -> String {
    let form: Vec<(&str, &str)> = ["useful", "apply", "clear", "time", "more"]
        .iter()
        .map(|k| (*k, value))
        .collect();
    harness::client()
        .post(app.url(&format!("/feedback/{code}")))
        .form(&form)
        .send()
        .await
        .expect("feedback")
        .text()
        .await
        .expect("page")
}

async fn an_event_takes_registrations_attendance_and_anonymous_feedback(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let (region_client, r_csrf) = app.sign_in("region").await;
    let (north, n_csrf) = app.sign_in("north").await;
    let region_id = app.storage.schools_with_place().await.expect("schools")[0].region_id;
    let form = |csrf: &str, organiser: String| {
        vec![
            ("_csrf", csrf.to_owned()),
            ("organiser", organiser),
            ("title", "Семинар по формирующему оцениванию".to_owned()),
            ("format", "seminar".to_owned()),
            ("starts_on", "2026-12-10".to_owned()),
            ("ends_on", "2026-12-10".to_owned()),
            ("factors", "rf03".to_owned()),
        ]
    };
    // A municipality does not organise the region's events.
    let r = north
        .post(app.url("/work/events/create"))
        .form(&form(&n_csrf, format!("region:{region_id}")))
        .send()
        .await
        .expect("post");
    assert!(problem(r.headers()[LOCATION].to_str().expect("loc")).contains("Организатор"));
    let mut bad = form(&r_csrf, format!("region:{region_id}"));
    bad[6].1 = "RF99".into();
    let r = region_client
        .post(app.url("/work/events/create"))
        .form(&bad)
        .send()
        .await
        .expect("post");
    assert!(
        problem(r.headers()[LOCATION].to_str().expect("loc")).contains("Риски: RF99")
            || problem(r.headers()[LOCATION].to_str().expect("loc")).contains("RF99")
    );
    let r = region_client
        .post(app.url("/work/events/create"))
        .form(&form(&r_csrf, format!("region:{region_id}")))
        .send()
        .await
        .expect("post");
    let event = id_in(r.headers()[LOCATION].to_str().expect("loc"));
    let (status, _) = post(
        &region_client,
        &app,
        &format!("/work/events/{event}/invite"),
        &[
            ("_csrf", &r_csrf),
            ("by", "codes"),
            ("codes", "demo-01, DEMO-04"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, location) = post(
        &region_client,
        &app,
        &format!("/work/events/{event}/invite"),
        &[("_csrf", &r_csrf), ("by", "codes"), ("codes", "nowhere-99")],
    )
    .await;
    assert!(
        problem(&location).contains("nowhere-99"),
        "{status} {location}"
    );
    let school_id = user_id(&app, "school").await;
    assert!(app
        .storage
        .inbox(school_id, 10)
        .await
        .expect("inbox")
        .iter()
        .any(|n| n.kind == "event_invitation"));
    // The school registers how many come; its page has no other school.
    let (school, s_csrf) = app.sign_in("school").await;
    let (status, _) = post(
        &school,
        &app,
        &format!("/work/events/{event}/register"),
        &[("_csrf", &s_csrf), ("principals", "1"), ("teachers", "5")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, location) = post(
        &school,
        &app,
        &format!("/work/events/{event}/register"),
        &[("_csrf", &s_csrf), ("teachers", "-2")],
    )
    .await;
    assert!(problem(&location).contains("Учителей"));
    let page = api(&school, &app, "work-event", &[("id", event.to_string())]).await;
    assert_eq!(
        page["registers"]["registered"],
        serde_json::json!([1, 0, 5, 0])
    );
    assert_eq!(
        page["invitations"].as_array().expect("list").len(),
        0,
        "a school sees no other school"
    );
    // The curator (demo-01, demo-04) sees it; the north sees it as the region's event, but not demo-04.
    let (curator, _) = app.sign_in("curator").await;
    assert!(
        !api(&curator, &app, "work-event", &[("id", event.to_string())])
            .await
            .is_null()
    );
    let north_view = api(&north, &app, "work-event", &[("id", event.to_string())]).await;
    assert_eq!(north_view["invitations"].as_array().expect("list").len(), 1);
    // Attendance, then the feedback: four answers stay under the minimum of five.
    let (_, demo01) = app.demo_school("demo-01").await;
    let (status, _) = post(
        &region_client,
        &app,
        &format!("/work/events/{event}/attendance"),
        &[("_csrf", &r_csrf), (&format!("school-{demo01}"), "6")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = post(
        &region_client,
        &app,
        &format!("/work/events/{event}/feedback"),
        &[("_csrf", &r_csrf), ("step", "open")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let page = api(&school, &app, "work-event", &[("id", event.to_string())]).await;
    let codes: Vec<String> = page["codes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|c| c.as_str().expect("code").to_owned())
        .collect();
    assert_eq!(codes.len(), 6, "one code per participant who came");
    for code in &codes[..4] {
        assert!(give_feedback(&app, code, "4").await.contains("Спасибо"));
    }
    // A code counts once; a wrong one is refused; an unanswered question is named.
    assert!(give_feedback(&app, &codes[0], "1")
        .await
        .contains("не подходит"));
    assert!(give_feedback(&app, "ZZZ-ZZZ-ZZ", "1")
        .await
        .contains("не подходит"));
    let partial = harness::client()
        .post(app.url(&format!("/feedback/{}", codes[4])))
        .form(&[("useful", "4")])
        .send()
        .await
        .expect("post")
        .text()
        .await
        .expect("page");
    assert!(
        partial.contains("выберите ответ") && partial.contains("role=\"alert\""),
        "the form again with its problems"
    );
    assert_eq!(
        app.storage
            .event(event)
            .await
            .expect("event")
            .expect("stored")
            .feedback_count,
        4
    );
    // Open: no results yet for anyone.
    assert!(api(
        &region_client,
        &app,
        "work-event",
        &[("id", event.to_string())]
    )
    .await["feedback"]
        .is_null());
    let (status, _) = post(
        &region_client,
        &app,
        &format!("/work/events/{event}/feedback"),
        &[("_csrf", &r_csrf), ("step", "close")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let closed = api(
        &region_client,
        &app,
        "work-event",
        &[("id", event.to_string())],
    )
    .await;
    assert!(
        closed["feedback"].is_null(),
        "four answers are under the minimum: {}",
        closed["feedback"]
    );
    assert!(
        give_feedback(&app, &codes[5], "4")
            .await
            .contains("не подходит"),
        "closed: no more answers"
    );
    // The sums hold no single answer: only counts per choice.
    let stored = app
        .storage
        .event(event)
        .await
        .expect("event")
        .expect("stored")
        .feedback_sums;
    assert!(stored.contains("\"count\":4"), "{stored}");
    app.finish().await;
}

async fn feedback_results_show_from_the_minimum_to_the_organisers_only(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo_support().await;
    let (region, _) = app.sign_in("region").await;
    let events = api(&region, &app, "work-events", &[]).await;
    let seminar = events["events"]
        .as_array()
        .expect("events")
        .iter()
        .find(|e| {
            e["title"]
                .as_str()
                .is_some_and(|t| t.contains("Формирующее"))
        })
        .expect("the demo seminar")["id"]
        .as_i64()
        .expect("id");
    let page = api(&region, &app, "work-event", &[("id", seminar.to_string())]).await;
    assert_eq!(page["feedback"]["answers"], "Ответили: 7");
    assert_eq!(
        page["feedback"]["items"].as_array().expect("items").len(),
        5
    );
    let (school, _) = app.sign_in("school").await;
    let page = api(&school, &app, "work-event", &[("id", seminar.to_string())]).await;
    assert!(
        page["feedback"].is_null(),
        "the code holders never read the results"
    );
    assert!(
        page["codes"].as_array().expect("codes").is_empty(),
        "closed: no codes"
    );
    app.finish().await;
}

async fn a_roadmap_has_tracks_activities_progress_and_documents(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let (region, r_csrf) = app.sign_in("region").await;
    let region_id = app.storage.schools_with_place().await.expect("schools")[0].region_id;
    let (status, location) = post(
        &region,
        &app,
        "/work/roadmaps/create",
        &[
            ("_csrf", &r_csrf),
            ("owner", &format!("region:{region_id}")),
            ("year", "2026"),
            ("title", "Дорожная карта <b id=mk-rm>x</b>"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{location}");
    let rm = id_in(&location);
    let (_, location) = post(
        &region,
        &app,
        &format!("/work/roadmaps/{rm}/tracks"),
        &[("_csrf", &r_csrf), ("title", "Повышение квалификации")],
    )
    .await;
    let track = location
        .rsplit("track-")
        .next()
        .and_then(|t| t.parse::<i64>().ok())
        .expect("track");
    let activity =
        |title: &'static str, due: &'static str, status: &'static str, schools: &'static str| {
            vec![
                ("_csrf", r_csrf.clone()),
                ("track", track.to_string()),
                ("title", title.into()),
                ("starts_on", "2019-01-10".into()),
                ("due_on", due.into()),
                ("responsible", "Иванова И. И.".into()),
                ("schools", schools.into()),
                ("status", status.into()),
                ("expected", "Удостоверения".into()),
            ]
        };
    let r = region
        .post(app.url(&format!("/work/roadmaps/{rm}/activities")))
        .form(&activity("Курсы", "2026-02-01", "done", "demo-01"))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = region
        .post(app.url(&format!("/work/roadmaps/{rm}/activities")))
        .form(&activity("Стажировки", "2020-03-01", "planned", ""))
        .send()
        .await
        .expect("post");
    let second = r.headers()[LOCATION]
        .to_str()
        .expect("loc")
        .rsplit("activity-")
        .next()
        .and_then(|t| t.parse::<i64>().ok())
        .expect("activity");
    let r = region
        .post(app.url(&format!("/work/roadmaps/{rm}/activities")))
        .form(&activity("x", "2026-01-01", "planned", "nowhere"))
        .send()
        .await
        .expect("post");
    assert!(problem(r.headers()[LOCATION].to_str().expect("loc")).contains("nowhere"));
    let page = api(&region, &app, "work-roadmap", &[("id", rm.to_string())]).await;
    assert_eq!(page["tracks"][0]["progress"], 50);
    assert_eq!(page["item"]["overdue"], 1);
    assert_eq!(page["tracks"][0]["activities"][0]["schools"], "DEMO-01");
    // The proof of an activity; the north may read but not change the region's roadmap.
    let (status, _) = multipart(
        &region,
        &app,
        &format!("/work/roadmaps/{rm}/activities/{second}/files"),
        &r_csrf,
        &[],
        Some("приказ.pdf"),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (north, n_csrf) = app.sign_in("north").await;
    assert!(
        !api(&north, &app, "work-roadmap", &[("id", rm.to_string())])
            .await
            .is_null()
    );
    let (_, location) = post(
        &north,
        &app,
        &format!("/work/roadmaps/{rm}/tracks"),
        &[("_csrf", &n_csrf), ("title", "x")],
    )
    .await;
    assert!(!problem(&location).is_empty(), "{location}");
    let mut done = activity("Стажировки", "2020-03-01", "done", "");
    done.push(("_csrf", r_csrf.clone()));
    let r = region
        .post(app.url(&format!("/work/roadmaps/{rm}/activities/{second}")))
        .form(&done)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        api(&region, &app, "work-roadmap", &[("id", rm.to_string())]).await["item"]["progress"],
        100
    );
    // Print page and DOCX: the title as text.
    let print = text(&region, &app, &format!("/work/roadmaps/{rm}/print")).await;
    assert!(print.contains("&lt;b id=mk-rm&gt;") && !print.contains("<b id=mk-rm>"));
    let r = region
        .get(app.url(&format!("/export/roadmaps/{rm}/roadmap.docx")))
        .send()
        .await
        .expect("docx");
    assert_eq!(r.status(), StatusCode::OK);
    let xml = part(&r.bytes().await.expect("bytes"), "word/document.xml");
    assert!(
        xml.contains("Повышение квалификации")
            && xml.contains("приказ.pdf")
            && !xml.contains("<b id=mk-rm>")
    );
    app.finish().await;
}

async fn reminders_fill_the_inboxes_once_and_start_pages_show_the_work(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo_support().await;
    let school_id = user_id(&app, "school").await;
    let before = app.storage.inbox(school_id, 500).await.expect("inbox");
    let kinds: std::collections::BTreeSet<&str> = before.iter().map(|n| n.kind.as_str()).collect();
    assert!(
        kinds.contains("recommendation_overdue") || kinds.contains("recommendation_due"),
        "{kinds:?}"
    );
    // A second sweep (another hour, another instance) tells nobody twice.
    server::support::reminders::sweep(&app.support, server::clock::today())
        .await
        .expect("sweep");
    let after = app.storage.inbox(school_id, 500).await.expect("inbox");
    assert_eq!(before.len(), after.len());
    // Start pages: the region's coverage and load; the school's own work.
    let (region, _) = app.sign_in("region").await;
    let summary = api(&region, &app, "work-support-summary", &[]).await;
    assert!(
        summary["coverage"][1].as_u64().expect("uncovered") >= 1,
        "{summary}"
    );
    let load = summary["load"].as_array().expect("load");
    assert!(
        load.iter()
            .any(|l| l["role"] == "Куратор" && l["schools"] == 2),
        "{load:?}"
    );
    let waiting = summary["questions_waiting"].as_u64().expect("n");
    assert!(waiting >= 2);
    // The figures are kept until the next support change, which counts at once.
    let again = api(&region, &app, "work-support-summary", &[]).await;
    assert_eq!(again, summary);
    let (school, s_csrf) = app.sign_in("school").await;
    let (status, location) = multipart(
        &school,
        &app,
        "/work/support/questions",
        &s_csrf,
        &[("title", "Ещё вопрос"), ("body", "Как составить график?")],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{location}");
    let changed = api(&region, &app, "work-support-summary", &[]).await;
    assert_eq!(changed["questions_waiting"].as_u64(), Some(waiting + 1));
    let own = api(&school, &app, "work-support-summary", &[]).await;
    assert!(own["coverage"].is_null(), "coverage is the region's");
    let html = text(&school, &app, "/work").await;
    assert!(
        html.contains("Поддержка школ"),
        "the start page shows the support work"
    );
    // The inbox: marking read.
    let unread = own["unread"].as_u64().expect("unread");
    assert!(unread > 0);
    let (status, _) = post(&school, &app, "/work/inbox/read", &[("_csrf", &s_csrf)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(app.storage.unread(school_id).await.expect("unread"), 0);
    // Settings: an address is checked.
    let (_, location) = post(
        &school,
        &app,
        "/work/inbox/settings",
        &[("_csrf", &s_csrf), ("email", "not an address")],
    )
    .await;
    assert!(
        problem(&location).contains("Адрес электронной почты"),
        "{location}"
    );
    app.finish().await;
}

/// A marker for one stored text: a `</textarea>`, an element naming the text, a character XML
/// forbids.
fn marker(what: &str) -> String {
    format!("</textarea><b id=mk-{what}>x</b>\u{1}")
}

/// Fails when a document carries a marker as an element; records the markers it shows escaped.
fn check(name: &str, body: &str, seen: &mut std::collections::BTreeSet<String>) {
    assert!(
        !body.contains("<b id=mk-") && !body.contains("<b id=\"mk-"),
        "{name} carries a stored text as markup"
    );
    let mut rest = body;
    while let Some(i) = rest.find("&lt;b id=mk-") {
        let tail = &rest[i + "&lt;b id=mk-".len()..];
        let end = tail.find("&gt;").unwrap_or(0);
        seen.insert(tail[..end].to_owned());
        rest = &tail[end..];
    }
}

async fn every_stored_support_text_is_text(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo_cycle().await;
    let (_, demo01) = app.demo_school("demo-01").await;
    let region_id = app.storage.schools_with_place().await.expect("schools")[0].region_id;
    let (school, s_csrf) = app.sign_in("school").await;
    let (curator, c_csrf) = app.sign_in("curator").await;
    let (region, r_csrf) = app.sign_in("region").await;
    let m = marker;
    // A question with a file, its answer, its publication.
    let (_, location) = multipart(
        &school,
        &app,
        "/work/support/questions",
        &s_csrf,
        &[("title", &m("title")), ("body", &m("body"))],
        Some("<b id=mk-file>x.pdf"),
    )
    .await;
    let q = id_in(&location);
    multipart(
        &curator,
        &app,
        &format!("/work/support/questions/{q}/messages"),
        &c_csrf,
        &[("body", &m("answer"))],
        None,
    )
    .await;
    post(
        &region,
        &app,
        &format!("/work/support/questions/{q}/publish"),
        &[
            ("_csrf", &r_csrf),
            ("kb_question", &m("kbq")),
            ("kb_answer", &m("kba")),
        ],
    )
    .await;
    // A visit, its recommendation and the school's reason.
    let r = curator
        .post(app.url("/work/support/visits"))
        .form(&[
            ("_csrf", c_csrf.as_str()),
            ("school", "demo-01"),
            ("day", "2026-11-20"),
            ("mode", "online"),
            ("status", "held"),
            ("purpose", &m("purpose")),
            ("findings", &m("findings")),
        ])
        .send()
        .await
        .expect("visit");
    let v = id_in(r.headers()[LOCATION].to_str().expect("loc"));
    post(
        &curator,
        &app,
        &format!("/work/support/visits/{v}/recommendations"),
        &[
            ("_csrf", &c_csrf),
            ("body", &m("rec")),
            ("due_on", "2027-01-10"),
            ("responsible", "teachers"),
        ],
    )
    .await;
    let rec = app.storage.recommendations_of(demo01).await.expect("recs")[0].id;
    multipart(
        &school,
        &app,
        &format!("/work/support/recommendations/{rec}/answer"),
        &s_csrf,
        &[("answer", "disagreed"), ("text", &m("reason"))],
        None,
    )
    .await;
    // An event and a roadmap.
    let r = region
        .post(app.url("/work/events/create"))
        .form(&[
            ("_csrf", r_csrf.as_str()),
            ("organiser", &format!("region:{region_id}")),
            ("title", &m("event")),
            ("format", "webinar"),
            ("starts_on", "2027-01-15"),
            ("ends_on", "2027-01-15"),
            ("description", &m("description")),
        ])
        .send()
        .await
        .expect("event");
    let event = id_in(r.headers()[LOCATION].to_str().expect("loc"));
    let (_, location) = post(
        &region,
        &app,
        "/work/roadmaps/create",
        &[
            ("_csrf", &r_csrf),
            ("owner", &format!("region:{region_id}")),
            ("year", "2026"),
            ("title", &m("roadmap")),
        ],
    )
    .await;
    let rm = id_in(&location);
    let (_, location) = post(
        &region,
        &app,
        &format!("/work/roadmaps/{rm}/tracks"),
        &[("_csrf", &r_csrf), ("title", &m("track"))],
    )
    .await;
    let track = location.rsplit("track-").next().expect("track").to_owned();
    post(
        &region,
        &app,
        &format!("/work/roadmaps/{rm}/activities"),
        &[
            ("_csrf", &r_csrf),
            ("track", &track),
            ("title", &m("activity")),
            ("starts_on", "2026-01-01"),
            ("due_on", "2026-06-01"),
            ("responsible", &m("responsible")),
            ("expected", &m("expected")),
        ],
    )
    .await;
    // Every page, print page and document that shows them.
    let mut seen = std::collections::BTreeSet::new();
    let previous = app.previous_demo_campaign().await;
    for (client, path) in [
        (&region, format!("/work/support/questions/{q}")),
        (&school, format!("/work/support/questions/{q}")),
        (&school, "/work/knowledge".to_owned()),
        (&curator, "/work/support".to_owned()),
        (&curator, "/work/support?show=visits".to_owned()),
        (&curator, "/work/support?show=recommendations".to_owned()),
        (&school, "/work/support?show=recommendations".to_owned()),
        (&school, format!("/work/support/visits/{v}")),
        (&curator, format!("/work/support/visits/{v}")),
        (&curator, format!("/work/schools/{demo01}")),
        (&region, format!("/work/events/{event}")),
        (&region, "/work/events".to_owned()),
        (&region, format!("/work/roadmaps/{rm}")),
        (&region, format!("/work/roadmaps/{rm}/print")),
        (&curator, "/work/inbox".to_owned()),
    ] {
        check(&path, &text(client, &app, &path).await, &mut seen);
    }
    for (client, path) in [
        (&region, format!("/export/roadmaps/{rm}/roadmap.docx")),
        (
            &curator,
            format!("/export/campaigns/{previous}/schools/{demo01}/programme.docx"),
        ),
    ] {
        let bytes = client
            .get(app.url(&path))
            .send()
            .await
            .expect("docx")
            .bytes()
            .await
            .expect("bytes");
        let xml = part(&bytes, "word/document.xml");
        assert!(!xml.contains('\u{1}'), "{path}: a character XML forbids");
        check(&path, &xml, &mut seen);
    }
    let all = [
        "title",
        "body",
        "file",
        "answer",
        "kbq",
        "kba",
        "purpose",
        "findings",
        "rec",
        "reason",
        "event",
        "description",
        "roadmap",
        "track",
        "activity",
        "responsible",
        "expected",
    ];
    let missing: Vec<&str> = all.iter().copied().filter(|w| !seen.contains(*w)).collect();
    assert!(
        missing.is_empty(),
        "never shown (so never checked): {missing:?}"
    );
    app.finish().await;
}

/// The support page's lists at a region's size: one list at a time with the counts of all
/// three, filtered by status (with how many each would show) and municipality, searched by the
/// school's name, sorted and cut into pages; a status that is none of the list's is refused
/// naming the field.
async fn support_lists_filter_sort_search_and_page(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo_cycle().await;
    let (admin, csrf) = app.sign_in("admin").await;
    // 30 visits over six schools: every third one planned, the rest held.
    for n in 0..30 {
        let status = if n % 3 == 0 { "planned" } else { "held" };
        let r = admin
            .post(app.url("/work/support/visits"))
            .form(&[
                ("_csrf", csrf.clone()),
                ("school", format!("demo-0{}", n % 6 + 1)),
                ("day", format!("2026-11-{:02}", n % 28 + 1)),
                ("mode", "online".into()),
                ("status", status.into()),
                ("purpose", format!("Визит {n}")),
                ("findings", String::new()),
            ])
            .send()
            .await
            .expect("visit");
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    let list = |form: Vec<(&'static str, String)>| {
        let admin = admin.clone();
        let app = &app;
        async move {
            let mut form = form;
            form.push(("filter[show]", "visits".into()));
            api(&admin, app, "work-support", &form).await
        }
    };
    let all = list(vec![]).await;
    assert_eq!(all["show"], "Visits");
    assert_eq!(all["paging"]["total"], 30, "{}", all["paging"]);
    assert_eq!(all["visits"].as_array().map(Vec::len), Some(30));
    assert!(
        all["questions"].as_array().expect("questions").is_empty(),
        "one list at a time"
    );
    assert_eq!(all["totals"][1], 30);
    // Pages of 25.
    let second = list(vec![("list[per]", "25".into()), ("list[page]", "2".into())]).await;
    assert_eq!(second["visits"].as_array().map(Vec::len), Some(5));
    // By status, with the counts of each over the rest of the filter.
    let planned = list(vec![("filter[state]", "planned".into())]).await;
    assert_eq!(planned["paging"]["total"], 10);
    let states = planned["states"].as_array().expect("states");
    assert!(
        states.iter().any(|s| s[0] == "held" && s[2] == 20),
        "{states:?}"
    );
    // Sorted by school, descending.
    let sorted = list(vec![
        ("list[sort]", "school".into()),
        ("list[desc]", "true".into()),
    ])
    .await;
    let names: Vec<String> = sorted["visits"]
        .as_array()
        .expect("visits")
        .iter()
        .map(|v| v["school"].as_str().expect("name").to_lowercase())
        .collect();
    let mut expected = names.clone();
    expected.sort();
    expected.reverse();
    assert_eq!(names, expected);
    // Searched by a school's name.
    let one = sorted["visits"][0]["school"]
        .as_str()
        .expect("name")
        .to_owned();
    let found = list(vec![("list[q]", one.clone())]).await;
    assert_eq!(found["paging"]["total"], 5, "{one}");
    // The page at an address: the tabs, the status filter with its counts, the rows.
    let html = harness::text(
        &admin,
        &app.url("/work/support?show=visits&state=held&per=25"),
    )
    .await;
    assert!(html.contains("Визиты (30)"), "the tab counts the list");
    assert!(html.contains(">проведён (20)<"), "{html}");
    assert_eq!(html.matches("<tr data-visit=").count(), 20);
    assert!(!html.contains("rel=\"next\""), "one page of 20");
    // A status that is none of the list's is refused, naming the field.
    let r = admin
        .post(app.url("/api/work-support"))
        .form(&[("filter[show]", "visits"), ("filter[state]", "<b>")])
        .send()
        .await
        .expect("list");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.expect("body").contains("Состояние"));
    app.finish().await;
}

harness::on_both_backends!(
    support_lists_filter_sort_search_and_page,
    a_question_goes_from_the_school_to_its_supporters_and_into_the_knowledge_base,
    each_role_sees_only_its_schools_questions,
    recommendations_are_answered_by_the_school_and_judged_by_their_author,
    an_event_takes_registrations_attendance_and_anonymous_feedback,
    feedback_results_show_from_the_minimum_to_the_organisers_only,
    a_roadmap_has_tracks_activities_progress_and_documents,
    reminders_fill_the_inboxes_once_and_start_pages_show_the_work,
    every_stored_support_text_is_text,
);
