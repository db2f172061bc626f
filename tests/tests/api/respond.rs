//! The respondent side over HTTP, as a browser without JavaScript meets it: codes, pages, errors
//! next to fields, skip logic, resume, one stored response per questionnaire; and a page posted by
//! its live form.

use harness::{Backend, TestApp};
use reqwest::header::LOCATION;
use reqwest::{Client, StatusCode};
use server::storage::NewCampaign;
use surveys::{Group, Instrument, ItemKind, Methodology};

/// A browser without JavaScript: keeps cookies, does not follow redirects by itself.
pub(crate) fn browser() -> Client {
    harness::client()
}

pub(crate) async fn get(client: &Client, url: &str) -> (StatusCode, String) {
    let r = client.get(url).send().await.expect("request");
    (r.status(), r.text().await.expect("body"))
}

pub(crate) async fn post(client: &Client, url: &str, form: &[(String, String)]) -> String {
    let r = client.post(url).form(form).send().await.expect("request");
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "a form post answers with a redirect"
    );
    r.headers()[LOCATION].to_str().expect("location").to_owned()
}

/// Valid answers for one page: the first real choice, the smallest allowed number (at least 1).
pub(crate) fn fill(
    m: &Methodology,
    instrument: &Instrument,
    section: usize,
) -> Vec<(String, String)> {
    let mut form = Vec::new();
    for item in &instrument.sections[section].items {
        let keys: Vec<String> = if item.rows.is_empty() {
            vec![item.key.clone()]
        } else {
            item.rows
                .iter()
                .map(|r| format!("{}.{}", item.key, r.key))
                .collect()
        };
        let value = match item.kind {
            ItemKind::Integer | ItemKind::Decimal => {
                Some(format!("{}", item.min.unwrap_or(0.0).max(1.0)))
            }
            ItemKind::Text => None,
            _ => item
                .choices
                .as_deref()
                .and_then(|l| m.choice_list(l))
                .and_then(|l| l.choices.iter().find(|c| !c.missing && !c.exclusive))
                .map(|c| c.value.clone()),
        };
        if let Some(value) = value {
            form.extend(keys.into_iter().map(|k| (k, value.clone())));
        }
    }
    form
}

fn with(mut form: Vec<(String, String)>, key: &str, value: &str) -> Vec<(String, String)> {
    form.retain(|(k, _)| k != key);
    form.push((key.to_owned(), value.to_owned()));
    form
}

pub(crate) fn draft_of(html: &str) -> String {
    let at = html.find("name=\"_draft\" value=\"").expect("draft field") + 21;
    html[at..].split('"').next().expect("value").to_owned()
}

/// Fills every page of a questionnaire; returns the final redirect.
pub(crate) async fn complete(
    app: &TestApp,
    client: &Client,
    code: &str,
    instrument: &Instrument,
) -> String {
    complete_with(app, client, code, instrument, &[]).await
}

/// Fills every page, with some answers replaced.
pub(crate) async fn complete_with(
    app: &TestApp,
    client: &Client,
    code: &str,
    instrument: &Instrument,
    overrides: &[(&str, &str)],
) -> String {
    complete_across(&[app.base.as_str()], client, code, instrument, overrides).await
}

/// Fills every page, page by page on the servers at `bases` in turn (one region's instances).
pub(crate) async fn complete_across(
    bases: &[&str],
    client: &Client,
    code: &str,
    instrument: &Instrument,
    overrides: &[(&str, &str)],
) -> String {
    let m = Methodology::default_set().expect("methodology");
    let mut location = String::new();
    for section in 0..instrument.sections.len() {
        let page = section + 1;
        let base = bases[section % bases.len()];
        let (_, html) = get(client, &format!("{base}/s/{code}/p/{page}")).await;
        let mut form = fill(&m, instrument, section);
        for (key, value) in overrides {
            if form.iter().any(|(k, _)| k == key) {
                form = with(form, key, value);
            }
        }
        form.push(("_draft".into(), draft_of(&html)));
        form.push(("_go".into(), "next".into()));
        location = post(client, &format!("{base}/respond/{code}/{page}"), &form).await;
    }
    location
}

async fn a_typed_code_opens_the_start_page_that_explains_the_survey(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let code = app.demo_code("demo-01", "student").await;
    let typed = format!(" {} ", code.replace('-', "").to_lowercase());
    let client = browser();
    let r = client
        .get(app.url("/enter"))
        .query(&[("code", typed)])
        .send()
        .await
        .expect("enter");
    assert_eq!(r.headers()[LOCATION], format!("/s/{code}").as_str());
    let (status, html) = get(&client, &app.url(&format!("/s/{code}"))).await;
    assert_eq!(status, StatusCode::OK);
    for text in [
        "МБОУ «Берёзовская СОШ»",
        "Для обучающихся 5–11 классов",
        "Займёт около 10 минут",
        "Анкета анонимная",
        "Начать",
    ] {
        assert!(html.contains(text), "start page lacks «{text}»");
    }
    app.finish().await;
}

async fn wrong_codes_say_which_problem_it_is(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let client = browser();
    let r = client
        .get(app.url("/enter?code=12-AB"))
        .send()
        .await
        .expect("enter");
    let back = r.headers()[LOCATION].to_str().expect("loc").to_owned();
    assert!(back.starts_with("/?error=malformed"), "{back}");
    assert!(get(&client, &app.url(&back))
        .await
        .1
        .contains("Код введён не полностью или с ошибкой"));
    assert!(get(&client, &app.url("/s/ZZZ-ZZZ-ZZ"))
        .await
        .1
        .contains("Такого кода нет"));

    // Campaigns that have not opened yet and that closed yesterday.
    let today = server::clock::today();
    let region = app
        .storage
        .upsert_region("demo", "Демонстрационная область")
        .await
        .expect("region");
    let school = app.storage.campaign_schools(1).await.expect("schools")[0].school_id;
    for (code, name, opens, closes, expected) in [
        (
            "222-222-22",
            "later",
            today.plus_days(3),
            today.plus_days(30),
            "Анкетирование ещё не началось",
        ),
        (
            "333-333-33",
            "earlier",
            today.plus_days(-30),
            today.plus_days(-1),
            "Анкетирование завершено",
        ),
    ] {
        let campaign = app
            .storage
            .create_campaign(&NewCampaign {
                region_id: region,
                code: name,
                name,
                methodology_version: "orientir-2026",
                opens_on: opens,
                closes_on: closes,
                target_grades: "5-11",
            })
            .await
            .expect("campaign");
        app.storage
            .insert_access_code(code, campaign, school, Group::Student, false)
            .await
            .expect("code");
        let (_, html) = get(&client, &app.url(&format!("/s/{code}"))).await;
        assert!(html.contains(expected), "{code}: no «{expected}»");
    }
    app.finish().await;
}

async fn a_whole_student_questionnaire_is_stored_once_and_the_device_starts_afresh(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let m = Methodology::default_set().expect("methodology");
    let instrument = m.instrument(Group::Student).expect("student");
    let code = app.demo_code("demo-01", "student").await;
    let before = app.demo_responses("demo-01", "student").await;
    let client = browser();
    let (_, first) = get(&client, &app.url(&format!("/s/{code}/p/1"))).await;
    assert!(first.contains(&format!("Раздел 1 из {}", instrument.sections.len())));
    let location = complete(&app, &client, &code, instrument).await;
    assert_eq!(location, format!("/s/{code}/thanks"));
    assert!(get(&client, &app.url(&location))
        .await
        .1
        .contains("Спасибо! Ответы отправлены"));
    assert_eq!(app.demo_responses("demo-01", "student").await, before + 1);
    // The cookie was cleared: the next student on this computer gets an empty form.
    let (_, start) = get(&client, &app.url(&format!("/s/{code}"))).await;
    assert!(start.contains("Начать") && !start.contains("Продолжить"));
    app.finish().await;
}

/// A page posted by its live form (the island's script) is answered with the page it leads to,
/// under its address: one request per page. The start and thank-you pages come as redirects.
async fn a_live_form_gets_the_next_page_in_the_answer_to_its_post(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let m = Methodology::default_set().expect("methodology");
    let instrument = m.instrument(Group::Parent).expect("parent");
    let code = app.demo_code("demo-03", "parent").await;
    let before = app.demo_responses("demo-03", "parent").await;
    let client = browser();
    let live = |page: usize, form: Vec<(String, String)>| {
        client
            .post(app.url(&format!("/respond/{code}/{page}")))
            .header("x-orientir-live", "1")
            .form(&form)
            .send()
    };
    let r = live(1, fill(&m, instrument, 0)).await.expect("post");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()["x-orientir-page"],
        format!("/s/{code}/p/2").as_str()
    );
    assert!(r.headers()["content-security-policy"]
        .to_str()
        .expect("policy")
        .contains("script-src 'self' 'wasm-unsafe-eval'"));
    assert!(r.headers().contains_key("set-cookie"), "the draft's cookie");
    let page = r.text().await.expect("page");
    assert!(
        page.contains(&format!("action=\"/respond/{code}/2\"")) && page.contains("Раздел 2 из"),
        "{page}"
    );
    // A page with a problem comes back with it, marked.
    let mut form = fill(&m, instrument, 1);
    form.truncate(form.len().saturating_sub(1));
    let r = live(2, form).await.expect("post");
    assert_eq!(
        r.headers()["x-orientir-page"],
        format!("/s/{code}/p/2#errors").as_str()
    );
    assert!(r
        .text()
        .await
        .expect("page")
        .contains("Ответьте на этот вопрос"));
    // «Back» and then forward again, every page saved; the last goes to the thank-you page.
    let r = live(2, vec![("_go".into(), "back".into())])
        .await
        .expect("back");
    assert_eq!(
        r.headers()["x-orientir-page"],
        format!("/s/{code}/p/1").as_str()
    );
    assert!(
        r.text().await.expect("page").contains("checked"),
        "page 1 kept its answers"
    );
    let pages = instrument.sections.len();
    for section in 0..pages {
        let r = live(section + 1, fill(&m, instrument, section))
            .await
            .expect("post");
        if section + 1 < pages {
            assert_eq!(
                r.headers()["x-orientir-page"],
                format!("/s/{code}/p/{}", section + 2).as_str()
            );
        } else {
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            assert_eq!(r.headers()[LOCATION], format!("/s/{code}/thanks").as_str());
        }
    }
    assert_eq!(app.demo_responses("demo-03", "parent").await, before + 1);
    app.finish().await;
}

async fn a_refused_page_shows_errors_next_to_fields_and_keeps_the_input(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let code = app.demo_code("demo-02", "principal").await;
    let m = Methodology::default_set().expect("methodology");
    let instrument = m.instrument(Group::Principal).expect("principal");
    let client = browser();
    let mut form = fill(&m, instrument, 0);
    form = with(form, "students", "двести");
    form = with(form, "students_failing", "99999");
    form.retain(|(k, _)| k != "students_registered");
    form.push(("_go".into(), "next".into()));
    let location = post(&client, &app.url(&format!("/respond/{code}/1")), &form).await;
    assert_eq!(location, format!("/s/{code}/p/1#errors"));
    let (_, html) = get(&client, &app.url(&format!("/s/{code}/p/1"))).await;
    assert!(
        html.contains("id=\"errors\" class=\"error-summary\">")
            && html.contains("Проверьте ответы"),
        "the error summary is shown"
    );
    assert!(html.contains("«двести» — не число"));
    assert!(html.contains("Введите число от 0 до 5000"));
    assert!(html.contains("Ответьте на этот вопрос"));
    assert!(
        html.contains("value=\"двести\""),
        "the refused input is kept"
    );
    assert!(
        html.contains("href=\"#field-students\""),
        "the summary links to the field"
    );
    // A count is typed on a phone's keyboard of digits (as text, so the server names the problem).
    let students = html
        .split("<input")
        .find(|input| input.contains("name=\"students\""))
        .expect("the students field");
    assert!(students.contains("inputmode=\"numeric\""), "{students}");
    app.finish().await;
}

async fn follow_ups_appear_only_when_their_condition_holds(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let code = app.demo_code("demo-03", "principal").await;
    let m = Methodology::default_set().expect("methodology");
    let instrument = m.instrument(Group::Principal).expect("principal");
    let client = browser();
    // No students with another home language: the follow-ups are skipped.
    let mut form = with(fill(&m, instrument, 0), "students_non_russian", "0");
    form.retain(|(k, _)| k != "language_lessons" && k != "tutor_support");
    let location = post(&client, &app.url(&format!("/respond/{code}/1")), &form).await;
    assert_eq!(location, format!("/s/{code}/p/2"));
    // Rendered hidden, so that the hydrated page can reveal it as soon as the number changes.
    let (_, html) = get(&client, &app.url(&format!("/s/{code}/p/1"))).await;
    assert!(
        html.contains(r#"data-item="language_lessons" hidden"#),
        "the follow-up is hidden"
    );
    // Twelve such students: the follow-ups must be answered.
    let form = with(form, "students_non_russian", "12");
    let location = post(&client, &app.url(&format!("/respond/{code}/1")), &form).await;
    assert_eq!(location, format!("/s/{code}/p/1#errors"));
    let (_, html) = get(&client, &app.url(&format!("/s/{code}/p/1"))).await;
    let tag = html
        .split("<div ")
        .find(|t| t.contains(r#"data-item="language_lessons""#))
        .and_then(|t| t.split('>').next())
        .expect("the follow-up is rendered");
    assert!(!tag.contains("hidden"), "the follow-up is shown: {tag}");
    // Without JavaScript the respondent sees it now for the first time: said so, not «missed».
    assert!(html.contains("Уточняющий вопрос к вашему ответу: ответьте на него"));
    assert!(!html.contains("Ответьте на этот вопрос"));
    app.finish().await;
}

async fn a_personal_code_resumes_only_on_its_own_device(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let code = app.demo_code("demo-04", "principal").await;
    let m = Methodology::default_set().expect("methodology");
    let instrument = m.instrument(Group::Principal).expect("principal");
    let phone = browser();
    let form = fill(&m, instrument, 0);
    assert_eq!(
        post(&phone, &app.url(&format!("/respond/{code}/1")), &form).await,
        format!("/s/{code}/p/2")
    );
    // The device that started continues from page 2 with the answers kept.
    let (_, start) = get(&phone, &app.url(&format!("/s/{code}"))).await;
    assert!(
        start.contains("Продолжить") && start.contains(&format!("/s/{code}/p/2")),
        "{start}"
    );
    let section = |client: &Client| {
        let request = client.get(app.url(&format!("/s/{code}/p/1")));
        async move {
            request
                .send()
                .await
                .expect("page")
                .text()
                .await
                .expect("body")
        }
    };
    assert!(
        section(&phone).await.contains("checked"),
        "page 1 answers are kept"
    );
    // Whoever holds only the printed code sees none of them.
    let laptop = browser();
    let (_, start) = get(&laptop, &app.url(&format!("/s/{code}"))).await;
    assert!(
        start.contains("Начать") && !start.contains(&format!("/s/{code}/p/2")),
        "{start}"
    );
    let page = section(&laptop).await;
    assert!(
        page.contains("<form") && !page.contains("checked"),
        "{page}"
    );
    // A second device does not erase the first one's answers: it is told where they are...
    assert!(start.contains("начата на другом устройстве"), "{start}");
    assert_eq!(
        post(&laptop, &app.url(&format!("/respond/{code}/1")), &form).await,
        format!("/s/{code}"),
        "a page posted on the second device is not stored over the first one's"
    );
    assert!(
        section(&phone).await.contains("checked"),
        "the first device keeps its answers"
    );
    let (_, start) = get(&phone, &app.url(&format!("/s/{code}"))).await;
    assert!(
        start.contains(&format!("/s/{code}/p/2")),
        "and goes on where it was"
    );
    // ...and starts over only when asked to, after which the first device is the other one.
    let over = vec![
        ("_start_over".to_owned(), "1".to_owned()),
        ("_go".to_owned(), "back".to_owned()),
    ];
    assert_eq!(
        post(&laptop, &app.url(&format!("/respond/{code}/1")), &over).await,
        format!("/s/{code}/p/1")
    );
    let (_, start) = get(&phone, &app.url(&format!("/s/{code}"))).await;
    assert!(start.contains("начата на другом устройстве"), "{start}");
    assert!(!section(&phone).await.contains("checked"));
    app.finish().await;
}

/// Drafts begun without a cookie are bounded per address and hour: past the limit a clear 429.
async fn an_address_begins_no_more_drafts_than_its_limit(backend: Backend) {
    let app = TestApp::spawn_configured(backend, |config| config.drafts_per_address_hour = 3)
        .await
        .with_demo()
        .await;
    let code = app.demo_code("demo-01", "student").await;
    let m = Methodology::default_set().expect("methodology");
    let student = m.instrument(Group::Student).expect("student");
    let form = fill(&m, student, 0);
    let kept = browser();
    for n in 0..3 {
        let client = if n == 0 { kept.clone() } else { browser() };
        let location = post(&client, &app.url(&format!("/respond/{code}/1")), &form).await;
        assert_eq!(location, format!("/s/{code}/p/2"));
    }
    let r = browser()
        .post(app.url(&format!("/respond/{code}/1")))
        .form(&form)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .expect("header")
        .parse()
        .expect("seconds");
    assert!((3_000..=3_600).contains(&wait), "{wait}");
    assert!(r.text().await.expect("body").contains("Попробуйте через"));
    // A browser that holds its draft goes on.
    let location = post(
        &kept,
        &app.url(&format!("/respond/{code}/2")),
        &fill(&m, student, 1),
    )
    .await;
    assert!(location.starts_with(&format!("/s/{code}/")), "{location}");
    app.finish().await;
}

async fn an_anonymous_draft_resumes_on_the_same_device(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let code = app.demo_code("demo-05", "parent").await;
    let m = Methodology::default_set().expect("methodology");
    let instrument = m.instrument(Group::Parent).expect("parent");
    let phone = browser();
    post(
        &phone,
        &app.url(&format!("/respond/{code}/1")),
        &fill(&m, instrument, 0),
    )
    .await;
    let (_, start) = get(&phone, &app.url(&format!("/s/{code}"))).await;
    assert!(start.contains("Продолжить"), "same device continues");
    let (_, other) = get(&browser(), &app.url(&format!("/s/{code}"))).await;
    assert!(
        other.contains("Начать") && !other.contains("Продолжить"),
        "another device starts afresh"
    );
    app.finish().await;
}

async fn a_repeated_final_submit_is_counted_once_and_is_durable(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let m = Methodology::default_set().expect("methodology");
    let instrument = m.instrument(Group::Student).expect("student");
    let code = app.demo_code("demo-01", "student").await;
    let before = app.demo_responses("demo-01", "student").await;
    let client = browser();
    let pages = instrument.sections.len();
    let mut draft = String::new();
    for section in 0..pages - 1 {
        let (_, html) = get(&client, &app.url(&format!("/s/{code}/p/{}", section + 1))).await;
        draft = draft_of(&html);
        post(
            &client,
            &app.url(&format!("/respond/{code}/{}", section + 1)),
            &fill(&m, instrument, pages - 1 - (pages - 1 - section)),
        )
        .await;
    }
    let mut last = fill(&m, instrument, pages - 1);
    last.push(("_draft".into(), draft));
    // Double click: the same last page twice, the second time after the cookie is gone.
    let first = post(
        &client,
        &app.url(&format!("/respond/{code}/{pages}")),
        &last,
    )
    .await;
    let again = post(
        &browser(),
        &app.url(&format!("/respond/{code}/{pages}")),
        &last,
    )
    .await;
    assert_eq!(first, format!("/s/{code}/thanks"));
    assert_eq!(again, first);
    assert_eq!(app.demo_responses("demo-01", "student").await, before + 1);
    // Acknowledged means stored: a fresh connection to the database sees it.
    let reopened = server::Storage::open(&harness::test_config(app.db.url()))
        .await
        .expect("reopen");
    let campaign = reopened
        .campaign_by_code(server::cli::demo::CAMPAIGN_CODE)
        .await
        .expect("q")
        .expect("c");
    let total: i64 = reopened
        .response_counts(campaign.id)
        .await
        .expect("counts")
        .iter()
        .map(|c| c.responses)
        .sum();
    let seen: i64 = app
        .storage
        .response_counts(campaign.id)
        .await
        .expect("counts")
        .iter()
        .map(|c| c.responses)
        .sum();
    assert_eq!(total, seen);
    reopened.close().await;
    app.finish().await;
}

async fn a_teacher_gets_a_report_with_a_development_plan_again_and_again(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let m = Methodology::default_set().expect("methodology");
    let instrument = m.instrument(Group::TeacherDeficits).expect("diagnostic");
    let code = app.demo_code("demo-06", "teacher_deficits").await;
    let client = browser();
    // «Умею уверенно» everywhere but in work with parents («не умею»).
    let weak = [
        ("parents.meetings", "0"),
        ("parents.hard_talks", "0"),
        ("parents.involve", "0"),
    ];
    // Before it is sent, its thank-you page says nothing was sent: it leads to the questionnaire.
    let r = client
        .get(app.url(&format!("/s/{code}/thanks")))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()[LOCATION], format!("/s/{code}").as_str());
    let location = complete_with(&app, &client, &code, instrument, &weak).await;
    assert_eq!(location, format!("/s/{code}/thanks"));
    // Right after sending: the report with its result key, shown once.
    let (_, report) = get(&client, &app.url(&location)).await;
    for text in [
        "Ваш ключ результата",
        "Ваши результаты",
        "Взаимодействие с родителями",
        "выраженный дефицит",
        "дефицита нет",
        "Проект индивидуального образовательного маршрута",
        "Участие в собраниях опытного классного руководителя",
        "Вести трудный разговор с родителем",
        // Who offers each suggested activity (the catalogue's provider).
        "Кто проводит: ",
        "Школа: коллеги и методист",
    ] {
        assert!(report.contains(text), "report lacks «{text}»");
    }
    let at = report.find("class=\"key\">").expect("the key") + 12;
    let key = report[at..].split('<').next().expect("key text").to_owned();
    // Shown once: reloading the page no longer shows the key or the report.
    let (_, again) = get(&client, &app.url(&location)).await;
    assert!(!again.contains(&key) && !again.contains("Ваши результаты"));
    // The printed code alone, on any device: «sent», nothing else.
    let other = browser();
    let (_, locked) = get(&other, &app.url(&location)).await;
    assert!(
        locked.contains("Анкета по этому коду отправлена"),
        "{locked}"
    );
    assert!(!locked.contains("Ваши результаты") && !locked.contains("Взаимодействие с родителями"));
    let (_, page) = get(&other, &app.url(&format!("/s/{code}/p/1"))).await;
    assert!(!page.contains("checked"), "{page}");
    // A wrong key is refused; the right one, typed on another device, opens the report.
    let wrong = post(
        &other,
        &app.url(&format!("/respond/{code}/result")),
        &[("key".to_owned(), "2222-2222-2222".to_owned())],
    )
    .await;
    assert_eq!(wrong, format!("/s/{code}/thanks?key=wrong"));
    assert!(get(&other, &app.url(&wrong))
        .await
        .1
        .contains("Этот ключ не подходит"));
    let right = post(
        &other,
        &app.url(&format!("/respond/{code}/result")),
        &[("key".to_owned(), key.to_lowercase())],
    )
    .await;
    assert_eq!(right, location);
    let (_, reopened) = get(&other, &app.url(&right)).await;
    assert!(
        reopened.contains("Взаимодействие с родителями"),
        "{reopened}"
    );
    // The draft kept nothing of the answers after the submit.
    let stored = app
        .storage
        .draft(&format!("code:{code}"))
        .await
        .expect("draft")
        .expect("the sent draft");
    assert!(stored.submitted && stored.answers == "{}");
    app.finish().await;
}

/// The address of the rules file a question page names (in its island's props).
fn rules_url(html: &str) -> String {
    let at = html
        .find("/respond/rules/")
        .expect("the page names its rules");
    html[at..].split(['&', '"']).next().expect("url").to_owned()
}

async fn a_question_page_checks_answers_with_its_questionnaires_rules_which_browsers_keep(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let m = Methodology::default_set().expect("methodology");
    let client = browser();
    let mut urls = Vec::new();
    for group in [Group::Student, Group::Principal] {
        let instrument = m.instrument(group).expect("instrument");
        let code = app.demo_code("demo-02", group.key()).await;
        let (_, page) = get(&client, &app.url(&format!("/s/{code}/p/1"))).await;
        let url = rules_url(&page);
        let r = client.get(app.url(&url)).send().await.expect("rules");
        assert_eq!(r.status(), StatusCode::OK);
        let cache = r.headers()[reqwest::header::CACHE_CONTROL]
            .to_str()
            .expect("header")
            .to_owned();
        assert!(cache.contains("immutable"), "{cache}");
        let rules: serde_json::Value = r.json().await.expect("json");
        // The instrument's own rules, with the choice lists its items use.
        assert_eq!(rules["instrument"]["key"], instrument.key.as_str());
        assert!(rules["choice_lists"]
            .as_object()
            .is_some_and(|l| !l.is_empty()));
        let rules: surveys::FormRules =
            serde_json::from_value(rules).expect("the browser reads them");
        assert_eq!(rules.instrument().sections.len(), instrument.sections.len());
        // Another page of the same questionnaire names the same file.
        let (_, page2) = get(&client, &app.url(&format!("/s/{code}/p/2"))).await;
        assert_eq!(rules_url(&page2), url);
        urls.push(url);
    }
    assert_ne!(urls[0], urls[1], "a file per questionnaire");
    let (status, _) = get(&client, &app.url("/respond/rules/0123456789abcdef.json")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    app.finish().await;
}

harness::on_both_backends!(
    a_question_page_checks_answers_with_its_questionnaires_rules_which_browsers_keep,
    a_typed_code_opens_the_start_page_that_explains_the_survey,
    wrong_codes_say_which_problem_it_is,
    a_whole_student_questionnaire_is_stored_once_and_the_device_starts_afresh,
    a_refused_page_shows_errors_next_to_fields_and_keeps_the_input,
    a_live_form_gets_the_next_page_in_the_answer_to_its_post,
    follow_ups_appear_only_when_their_condition_holds,
    a_personal_code_resumes_only_on_its_own_device,
    an_address_begins_no_more_drafts_than_its_limit,
    an_anonymous_draft_resumes_on_the_same_device,
    a_repeated_final_submit_is_counted_once_and_is_durable,
    a_teacher_gets_a_report_with_a_development_plan_again_and_again,
);

#[tokio::test]
async fn english_is_one_click_away_and_stays_chosen() {
    let app = TestApp::spawn(Backend::Sqlite).await.with_demo().await;
    let code = app.demo_code("demo-02", "teacher").await;
    let client = browser();
    let (_, russian) = get(&client, &app.url(&format!("/s/{code}"))).await;
    assert!(
        russian.contains("Анкета для учителей")
            && russian.contains(&format!("/lang/en?back=/s/{code}"))
    );
    let r = client
        .get(app.url(&format!("/lang/en?back=/s/{code}")))
        .send()
        .await
        .expect("switch");
    assert_eq!(r.headers()[LOCATION], format!("/s/{code}").as_str());
    let (_, english) = get(&client, &app.url(&format!("/s/{code}"))).await;
    for text in [
        "Teacher questionnaire",
        "Takes about 10 minutes",
        "For all teachers of the school.",
        "Start",
    ] {
        assert!(english.contains(text), "English start page lacks «{text}»");
    }
    // Field errors come in English too.
    let location = post(
        &client,
        &app.url(&format!("/respond/{code}/1")),
        &[("overload".into(), "7".into())],
    )
    .await;
    assert!(location.ends_with("#errors"));
    let (_, page) = get(&client, &app.url(&format!("/s/{code}/p/1"))).await;
    assert!(
        page.contains("Please answer this question")
            && page.contains("“7” is not one of the options"),
        "{page}"
    );
    // The switch never sends anyone off the site.
    let r = client
        .get(app.url("/lang/ru?back=//evil.example/"))
        .send()
        .await
        .expect("switch");
    assert_eq!(r.headers()[LOCATION], "/");
    app.finish().await;
}
