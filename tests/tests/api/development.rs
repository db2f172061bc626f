//! The teacher's development loop over HTTP, as a browser without JavaScript meets it: the plan
//! opened with the result key, activities from the suggestions and one's own, marks and
//! evidence, refusals naming the field; sharing with a methodist and withdrawing it (logged);
//! that no account reads a plan not shared with it; the change since an earlier diagnostic,
//! linked only with both keys; wrong keys throttled.

use harness::{Backend, TestApp};
use reqwest::header::LOCATION;
use reqwest::{Client, StatusCode};
use surveys::{Group, Methodology};

use crate::respond::{browser, complete_with, get, post};

fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// A form post that is refused: its status and page.
async fn refused(client: &Client, url: &str, pairs: &[(&str, &str)]) -> (StatusCode, String) {
    let r = client
        .post(url)
        .form(&form(pairs))
        .send()
        .await
        .expect("request");
    (r.status(), r.text().await.expect("body"))
}

/// The value of the first `name="…" value="…"` input after `after` in a page.
fn input_value(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let at = page.find(&marker).expect("the input") + marker.len();
    page[at..].split('"').next().expect("value").to_owned()
}

/// The plans the account `login` reads on its page of shared plans (its server function's JSON).
async fn shared_with(app: &TestApp, login: &str) -> (StatusCode, String) {
    let (client, csrf) = app.sign_in(login).await;
    let r = client
        .post(app.url("/api/work-plans"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("_csrf={csrf}"))
        .send()
        .await
        .expect("request");
    (r.status(), r.text().await.expect("body"))
}

const READERS: [&str; 7] = [
    "admin",
    "region",
    "north",
    "curator",
    "school",
    "methodist",
    "north-methodist",
];

async fn a_teacher_keeps_a_plan_that_only_readers_it_was_shown_to_see(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let m = Methodology::default_set().expect("methodology");
    let instrument = m.instrument(Group::TeacherDeficits).expect("diagnostic");
    // A teacher of demo-02 (north), weak in work with parents.
    let code = app.demo_code("demo-02", "teacher_deficits").await;
    let client = browser();
    let weak = [
        ("parents.meetings", "0"),
        ("parents.hard_talks", "0"),
        ("parents.involve", "0"),
    ];
    let thanks = complete_with(&app, &client, &code, instrument, &weak).await;
    let (_, report) = get(&client, &app.url(&thanks)).await;
    assert!(report.contains("Вести свой ИОМ"), "{report}");
    let key = input_value(&report, "key");
    // The report's button opens the plan on this device: the key in an HttpOnly cookie.
    let r = client
        .post(app.url("/plan"))
        .form(&form(&[("key", &key)]))
        .send()
        .await
        .expect("open");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()[LOCATION], "/plan");
    let cookie = r.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("orientir_plan="));
    let r = client.get(app.url("/plan")).send().await.expect("plan");
    assert_eq!(r.headers()["cache-control"], "no-store");
    let plan = r.text().await.expect("page");
    for text in [
        "Мой ИОМ",
        "Взаимодействие с родителями",
        "выраженный дефицит",
        "Предложения по вашим дефицитам",
        "Участие в собраниях опытного классного руководителя",
        "В плане пока нет мероприятий",
        "План видите только вы",
    ] {
        assert!(plan.contains(text), "the plan lacks «{text}»");
    }
    // The first suggestion (the most severe deficit's) joins the plan, once.
    let activity = input_value(&plan, "activity");
    let added = post(
        &client,
        &app.url("/plan/items"),
        &form(&[("activity", &activity)]),
    )
    .await;
    assert_eq!(added, "/plan?done=added");
    let (_, plan) = get(&client, &app.url(&added)).await;
    assert!(plan.contains("Мероприятие добавлено в план"));
    assert!(plan.contains("action=\"/plan/items/"), "{plan}");
    let (status, again) =
        refused(&client, &app.url("/plan/items"), &[("activity", &activity)]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        again.contains("Мероприятие из каталога: это мероприятие уже есть в плане"),
        "{again}"
    );
    let (status, unknown) =
        refused(&client, &app.url("/plan/items"), &[("activity", "no-such")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.contains("Мероприятие из каталога"));
    // One's own activity: its title is text; a due date before the start is refused by name.
    let (status, dates) = refused(
        &client,
        &app.url("/plan/items"),
        &[
            ("title", "Курс"),
            ("starts_on", "2026-05-10"),
            ("due_on", "2026-05-01"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(dates.contains("Срок:"), "{dates}");
    let (status, bad_day) = refused(
        &client,
        &app.url("/plan/items"),
        &[("title", "Курс"), ("starts_on", "10.05.2026")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_day.contains("Начало:"), "{bad_day}");
    let (status, empty) = refused(&client, &app.url("/plan/items"), &[("title", "  ")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.contains("Название:"), "{empty}");
    let title = "<b>Книга</b> «Трудный разговор»";
    let own = post(
        &client,
        &app.url("/plan/items"),
        &form(&[
            ("title", title),
            ("starts_on", "2026-05-01"),
            ("due_on", "2026-06-01"),
        ]),
    )
    .await;
    assert_eq!(own, "/plan?done=added");
    let (_, plan) = get(&client, &app.url("/plan")).await;
    assert!(plan.contains("&lt;b&gt;Книга&lt;/b&gt;") && !plan.contains("<b>Книга"));
    // Marks and evidence; a status that is none is refused by name.
    let item_action = |page: &str, nth: usize| -> String {
        page.match_indices("action=\"/plan/items/")
            .filter(|(at, _)| !page[*at..].starts_with("action=\"/plan/items/\""))
            .map(|(at, _)| page[at + 8..].split('"').next().expect("action").to_owned())
            .filter(|a| !a.ends_with("/remove"))
            .nth(nth)
            .expect("an item's form")
    };
    let first = item_action(&plan, 0);
    let saved = post(
        &client,
        &app.url(&first),
        &form(&[
            ("starts_on", "2026-05-01"),
            ("due_on", "2026-09-01"),
            ("status", "done"),
            ("evidence", "Сертификат </textarea><script>x</script>"),
        ]),
    )
    .await;
    assert_eq!(saved, "/plan?done=saved");
    let (_, plan) = get(&client, &app.url("/plan")).await;
    assert!(plan.contains("value=\"done\" selected"), "{plan}");
    assert!(plan.contains("Сертификат &lt;/textarea&gt;&lt;script&gt;"));
    let (status, bad) = refused(&client, &app.url(&first), &[("status", "finished")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.contains("Состояние:"), "{bad}");
    // Another plan's activity is no one's to change: not found.
    let r = client
        .post(app.url("/plan/items/999999"))
        .form(&form(&[("status", "done")]))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // Nobody reads a plan it was not shown: no account's page of shared plans holds it.
    for login in READERS {
        let (status, body) = shared_with(&app, login).await;
        if login.ends_with("methodist") {
            assert_eq!(status, StatusCode::OK, "{login}");
            assert!(
                !body.contains("Сертификат"),
                "{login} reads an unshared plan"
            );
        } else {
            assert_eq!(status, StatusCode::FORBIDDEN, "{login}");
        }
    }
    // Shown to the municipality's methodist: that one reads it (not the answers or areas); the
    // methodist of another school does not.
    let shared = post(
        &client,
        &app.url("/plan/share"),
        &form(&[
            ("reader", "municipality"),
            ("share", "on"),
            ("signed", "Иванова Н. П."),
        ]),
    )
    .await;
    assert_eq!(shared, "/plan?done=shared");
    let (_, plan) = get(&client, &app.url(&shared)).await;
    assert!(plan.contains("Доступ к плану открыт") && plan.contains("Закрыть доступ"));
    let (_, body) = shared_with(&app, "north-methodist").await;
    assert!(
        body.contains("Сертификат") && body.contains("Иванова Н. П."),
        "{body}"
    );
    assert!(!body.contains("выраженный дефицит") && !body.contains("percent"));
    let (_, body) = shared_with(&app, "methodist").await;
    assert!(
        !body.contains("Сертификат"),
        "the methodist of demo-01 reads demo-02's plan"
    );
    // Shown to the school's methodist: demo-01's methodist is of another school.
    post(
        &client,
        &app.url("/plan/share"),
        &form(&[("reader", "school"), ("share", "on")]),
    )
    .await;
    let (_, body) = shared_with(&app, "methodist").await;
    assert!(!body.contains("Сертификат"));
    // Withdrawn: the reader no longer sees it; both steps are in the audit log.
    let withdrawn = post(
        &client,
        &app.url("/plan/share"),
        &form(&[("reader", "municipality"), ("share", "off")]),
    )
    .await;
    assert_eq!(withdrawn, "/plan?done=withdrawn");
    let (_, body) = shared_with(&app, "north-methodist").await;
    assert!(
        !body.contains("Сертификат"),
        "a withdrawn plan is still read"
    );
    let log = app
        .storage
        .audit_lines(&server::storage::AuditFilter::default())
        .await
        .expect("audit");
    let actions: Vec<&str> = log.iter().map(|l| l.action.as_str()).collect();
    assert!(actions.contains(&"plan_shared") && actions.contains(&"plan_withdrawn"));
    assert!(log.iter().all(|l| !l.path.contains(&key)));
    let (status, bad) = refused(
        &client,
        &app.url("/plan/share"),
        &[("reader", "everyone"), ("share", "on")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.contains("Кому открыть план:"), "{bad}");

    // Removing an activity.
    let (_, plan) = get(&client, &app.url("/plan")).await;
    let removed = post(
        &client,
        &app.url(&format!("{}/remove", item_action(&plan, 1))),
        &[],
    )
    .await;
    assert_eq!(removed, "/plan?done=removed");
    let (_, plan) = get(&client, &app.url("/plan")).await;
    assert!(!plan.contains("Книга"));
    // Another device: only the key form; a change without the key changes nothing.
    let other = browser();
    let (_, page) = get(&other, &app.url("/plan")).await;
    assert!(page.contains("Введите ключ результата") && !page.contains("Сертификат"));
    let to = post(
        &other,
        &app.url("/plan/items"),
        &form(&[("title", "Чужое")]),
    )
    .await;
    assert_eq!(to, "/plan");
    let wrong = post(
        &other,
        &app.url("/plan"),
        &form(&[("key", "2222-2222-2222")]),
    )
    .await;
    assert_eq!(wrong, "/plan?key=wrong");
    let (_, page) = get(&other, &app.url(&wrong)).await;
    assert!(page.contains("Ключ не подходит"));
    // Closing the plan on the device forgets the key.
    post(&client, &app.url("/plan/leave"), &[]).await;
    let (_, page) = get(&client, &app.url("/plan")).await;
    assert!(page.contains("Введите ключ результата"));
    app.finish().await;
}

async fn a_second_diagnostic_shows_its_change_only_with_the_earlier_key(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo_plans().await;
    let keys = server::cli::demo_development::DEMO_PLAN_KEYS;
    let client = browser();
    post(&client, &app.url("/plan"), &form(&[("key", keys[2].0)])).await;
    let (_, plan) = get(&client, &app.url("/plan")).await;
    assert!(plan.contains("Взаимопосещение уроков") && plan.contains("Ключ прошлого результата"));
    assert!(
        !plan.contains("Было"),
        "no comparison before a key is given"
    );
    // Its own key, or a key that opens nothing, is no earlier diagnostic.
    for key in [keys[2].0, "2222-2222-2222"] {
        let to = post(&client, &app.url("/plan/compare"), &form(&[("key", key)])).await;
        assert_eq!(to, "/plan?key=wrong");
        let (_, page) = get(&client, &app.url(&to)).await;
        assert!(
            page.contains("Ключ прошлого результата не подходит"),
            "{page}"
        );
    }
    let to = post(
        &client,
        &app.url("/plan/compare"),
        &form(&[("key", &keys[3].0.to_lowercase())]),
    )
    .await;
    assert_eq!(to, "/plan");
    let (_, plan) = get(&client, &app.url("/plan")).await;
    for text in ["Было", "Стало", "Разница", "в пределах погрешности"]
    {
        assert!(plan.contains(text), "the comparison lacks «{text}»");
    }
    // 15 % → 95 % is beyond the uncertainty of a few statements; 52 % → 71 % is not.
    assert!(plan.contains("+80") && plan.contains("лучше"), "{plan}");
    assert!(plan.contains("+19"), "{plan}");
    // The link lives in the owner's cookie only: another device with the later key alone sees
    // no comparison, and hiding it forgets the earlier key.
    let other = browser();
    post(&other, &app.url("/plan"), &form(&[("key", keys[2].0)])).await;
    assert!(!get(&other, &app.url("/plan")).await.1.contains("Было"));
    post(&client, &app.url("/plan/compare"), &form(&[("clear", "1")])).await;
    assert!(!get(&client, &app.url("/plan")).await.1.contains("Было"));
    // The demo's shared plan is on its methodist's page, with its progress.
    let (_, body) = shared_with(&app, "methodist").await;
    assert!(
        body.contains("Учитель математики (демо)") && body.contains("Взаимопосещение"),
        "{body}"
    );
    app.finish().await;
}

async fn wrong_result_keys_are_throttled(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo_plans().await;
    let client = browser();
    let mut held = None;
    for n in 0..120 {
        let r = client
            .post(app.url("/plan"))
            .form(&form(&[("key", "2222-2222-2222")]))
            .send()
            .await
            .expect("request");
        if r.status() == StatusCode::TOO_MANY_REQUESTS {
            held = Some(n);
            break;
        }
    }
    assert_eq!(held, Some(100), "the 101st wrong key waits");
    // Held, even the right key waits: guessing gains nothing.
    let key = server::cli::demo_development::DEMO_PLAN_KEYS[0].0;
    let r = client
        .post(app.url("/plan"))
        .form(&form(&[("key", key)]))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    app.finish().await;
}

/// The demand page's data of `login` (its server function's JSON, and its status).
async fn demand_of(app: &TestApp, login: &str) -> (StatusCode, serde_json::Value) {
    let (client, csrf) = app.sign_in(login).await;
    let r = client
        .post(app.url("/api/work-development"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("_csrf={csrf}"))
        .send()
        .await
        .expect("request");
    let status = r.status();
    let body = r.text().await.expect("body");
    (
        status,
        serde_json::from_str(&body).unwrap_or(serde_json::Value::Null),
    )
}

async fn the_demand_is_counted_only_over_municipalities_of_enough_teachers_and_schools(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await.with_demo_plans().await;
    let m = Methodology::default_set().expect("methodology");
    for login in READERS {
        let (status, body) = demand_of(&app, login).await;
        let planner = matches!(login, "admin" | "region" | "north" | "north-methodist");
        if planner {
            assert_eq!(status, StatusCode::OK, "{login}");
        } else {
            assert_eq!(status, StatusCode::FORBIDDEN, "{login}: {body}");
            continue;
        }
        let d = &body["report"];
        // The north (11 teachers of demo-01…03) is shown; demo-04's two teachers are not, and
        // the total is the north's alone.
        assert_eq!(
            d["municipalities"],
            serde_json::json!(["Северный район"]),
            "{login}"
        );
        assert_eq!(d["teachers"], serde_json::json!([11]), "{login}");
        assert_eq!(d["teachers_total"], 11, "{login}");
        let hidden = if login == "region" || login == "admin" {
            1
        } else {
            0
        };
        assert_eq!(d["hidden"], hidden, "{login}");
        let totals: u64 = d["areas"]
            .as_array()
            .expect("areas")
            .iter()
            .map(|a| a["total"].as_u64().expect("total"))
            .sum();
        assert!(totals > 0, "{login}: some deficits are counted");
        for line in d["areas"].as_array().expect("areas") {
            assert_eq!(
                line["counts"][0], line["total"],
                "{login}: the total is the shown column"
            );
        }
    }
    // A teacher who chooses an activity is counted in its line at once.
    let key = server::cli::demo_development::DEMO_PLAN_KEYS[0].0;
    let client = browser();
    post(&client, &app.url("/plan"), &form(&[("key", key)])).await;
    let (_, plan) = get(&client, &app.url("/plan")).await;
    let activity = input_value(&plan, "activity");
    let title = m
        .iom
        .entries
        .iter()
        .find(|e| e.key == activity)
        .expect("a catalogue entry")
        .title
        .get("ru")
        .to_owned();
    let count = |d: &serde_json::Value| {
        d["report"]["activities"]
            .as_array()
            .expect("activities")
            .iter()
            .find(|l| l["name"] == title.as_str())
            .and_then(|l| l["total"].as_u64())
            .expect("the activity's line")
    };
    let before = count(&demand_of(&app, "north").await.1);
    post(
        &client,
        &app.url("/plan/items"),
        &form(&[("activity", &activity)]),
    )
    .await;
    assert_eq!(count(&demand_of(&app, "north").await.1), before + 1);
    // The same table as a workbook, for the planners only.
    let (region, _) = app.sign_in("region").await;
    let r = region
        .get(app.url("/export/development.xlsx"))
        .send()
        .await
        .expect("xlsx");
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.expect("bytes");
    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("xlsx");
    let sheet = book.worksheet_range("Дефициты").expect("sheet");
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(Data::to_string).collect())
        .collect();
    assert_eq!(rows[0], ["Область", "Северный район", "Всего"]);
    assert_eq!(rows[1], ["Педагогов прошли диагностику", "11", "11"]);
    assert!(
        rows.iter().any(|r| r[0].contains("не показано: 1")),
        "{rows:?}"
    );
    let (school, _) = app.sign_in("school").await;
    let r = school
        .get(app.url("/export/development.xlsx"))
        .send()
        .await
        .expect("xlsx");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    app.finish().await;
}

/// The principals' management self-diagnostic, kept exactly like a teacher's: a personal code, a
/// result key at the submit, a report on the management areas, a plan from the management
/// catalogue; nobody else reads anything of it — no export, no summary, no demand.
async fn a_principal_keeps_a_management_plan_that_nobody_else_reads(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo_plans().await;
    let m = Methodology::default_set().expect("methodology");
    let instrument = m
        .instrument(Group::PrincipalManagement)
        .expect("the principals' self-diagnostic");
    let demand_before = demand_of(&app, "region").await.1;
    // demo-01's code sheet has the principal's second personal code, with its promise.
    let code = app.demo_code("demo-01", "principal_management").await;
    let client = browser();
    let (_, start) = get(&client, &app.url(&format!("/s/{code}"))).await;
    assert!(
        start.contains("Самодиагностика управленческих компетенций руководителя")
            && start.contains("сводок по этой самодиагностике нет"),
        "{start}"
    );
    let weak = [
        ("strategy.goals", "0"),
        ("strategy.programme", "0"),
        ("strategy.priorities", "1"),
        ("school_climate.bullying", "1"),
        ("school_climate.burnout", "1"),
    ];
    let thanks = complete_with(&app, &client, &code, instrument, &weak).await;
    let (_, report) = get(&client, &app.url(&thanks)).await;
    for text in [
        "Ваш ключ результата",
        "Области управленческих компетенций",
        "Стратегическое планирование и программа развития",
        "выраженный дефицит",
        "Курс «Управление школой с низкими результатами",
        "Вести свой ИОМ",
    ] {
        assert!(report.contains(text), "the report lacks «{text}»");
    }
    assert!(
        !report.contains("Функциональная грамотность"),
        "no teacher's area in a principal's report"
    );
    let key = input_value(&report, "key");
    assert_eq!(
        post(&client, &app.url("/plan"), &form(&[("key", &key)])).await,
        "/plan"
    );
    let (_, plan) = get(&client, &app.url("/plan")).await;
    assert!(plan.contains("Стратегическое планирование"), "{plan}");
    let activity = input_value(&plan, "activity");
    assert!(activity.starts_with("mgmt-"), "{activity}");
    // A teacher's activity is no part of a principal's catalogue.
    let (status, page) = refused(
        &client,
        &app.url("/plan/items"),
        &[("activity", "normative-course")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("activity") || page.contains("Мероприятие"),
        "{page}"
    );
    assert_eq!(
        post(
            &client,
            &app.url("/plan/items"),
            &form(&[("activity", &activity)])
        )
        .await,
        "/plan?done=added"
    );
    // A teacher's earlier key is no earlier diagnostic of a principal.
    let teacher = server::cli::demo_development::DEMO_PLAN_KEYS[0].0;
    assert_eq!(
        post(
            &client,
            &app.url("/plan/compare"),
            &form(&[("key", teacher)])
        )
        .await,
        "/plan?key=wrong"
    );
    // Nobody else reads it: the raw answers are no export for anyone, no account reads the
    // plan, and the demand for professional development is the teachers' alone, unchanged.
    for login in READERS {
        let (reader, _) = app.sign_in(login).await;
        let campaign = app.demo_campaign().await;
        let r = reader
            .get(app.url(&format!(
                "/export/campaigns/{campaign}/responses.csv?group=principal_management"
            )))
            .send()
            .await
            .expect("export");
        assert!(r.status().is_client_error(), "{login}: {}", r.status());
        let body = r.text().await.expect("body");
        assert!(!body.contains("strategy"), "{login}: {body}");
        let (_, shared) = shared_with(&app, login).await;
        assert!(!shared.contains("Стратегическое"), "{login}: {shared}");
    }
    assert_eq!(
        demand_of(&app, "region").await.1["report"],
        demand_before["report"]
    );
    app.finish().await;
}

harness::on_both_backends!(
    a_principal_keeps_a_management_plan_that_nobody_else_reads,
    the_demand_is_counted_only_over_municipalities_of_enough_teachers_and_schools,
    a_teacher_keeps_a_plan_that_only_readers_it_was_shown_to_see,
    a_second_diagnostic_shows_its_change_only_with_the_earlier_key,
);

#[tokio::test]
async fn wrong_result_keys_are_throttled_on_sqlite() {
    wrong_result_keys_are_throttled(Backend::Sqlite).await;
}
