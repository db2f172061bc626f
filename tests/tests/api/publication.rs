//! Aggregates are published, not live: what a reader sees of a campaign comes from a publication,
//! a group enters the next publication only with at least its minimum of new respondents, the
//! school's own account sees nothing of an open campaign, a closed campaign is published at its
//! close, and a group code's surplus is held until a coordinator decides.

use harness::{Backend, TestApp};
use reqwest::header::LOCATION;
use reqwest::{Client, StatusCode};
use server::storage::NewCampaign;
use surveys::{Group, Methodology};

use crate::respond::{browser, complete, get};

/// A server function's answer, as text.
async fn call(client: &Client, app: &TestApp, function: &str, args: &str) -> String {
    let r = client
        .post(app.url(&format!("/api/{function}")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(args.to_owned())
        .send()
        .await
        .expect("server function");
    assert_eq!(r.status(), StatusCode::OK, "{function}({args})");
    r.text().await.expect("body")
}

/// Everything a reader can get of a campaign's results: the profile and matrix as their server
/// functions send them, and the raw student answers.
async fn readings(client: &Client, app: &TestApp, campaign: i64, school: i64) -> Vec<String> {
    let raw = client
        .get(app.url(&format!(
            "/export/campaigns/{campaign}/responses.csv?group=student"
        )))
        .send()
        .await
        .expect("raw export");
    assert_eq!(raw.status(), StatusCode::OK);
    vec![
        call(
            client,
            app,
            "work-profile",
            &format!("campaign={campaign}&school={school}"),
        )
        .await,
        call(client, app, "work-matrix", &format!("campaign={campaign}")).await,
        raw.text().await.expect("csv"),
    ]
}

/// Posts a plain form; returns where it redirects.
async fn post(client: &Client, app: &TestApp, path: &str, form: &[(&str, &str)]) -> String {
    let r = client
        .post(app.url(path))
        .form(form)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path}");
    r.headers()[LOCATION].to_str().expect("location").to_owned()
}

async fn one_more_answer_reveals_nothing_until_enough_come_for_a_publication(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let m = Methodology::default_set().expect("methodology");
    let student = m.instrument(Group::Student).expect("student");
    let (campaign, school) = app.demo_school("demo-01").await;
    let code = app.demo_code("demo-01", "student").await;
    let (region, csrf) = app.sign_in("region").await;
    let first = readings(&region, &app, campaign, school).await;
    assert!(
        first[0].contains("\"published\":{\"number\":1"),
        "{}",
        first[0]
    );

    // One student answers: every reading stays exactly as it was.
    complete(&app, &browser(), &code, student).await;
    assert_eq!(readings(&region, &app, campaign, school).await, first);
    // And a publication now is refused: it would take in one person's answers.
    let publish = format!("/work/campaigns/{campaign}/publish");
    let back = post(&region, &app, &publish, &[("_csrf", &csrf)]).await;
    let (_, page) = get(&region, &app.url(&back)).await;
    assert!(page.contains("Публиковать нечего"), "{back}");
    assert!(
        page.contains("публикация № 1"),
        "still the first publication"
    );
    assert_eq!(readings(&region, &app, campaign, school).await, first);

    // Four more: five new students are a group's minimum, and the next publication takes them.
    for _ in 0..4 {
        complete(&app, &browser(), &code, student).await;
    }
    assert_eq!(readings(&region, &app, campaign, school).await, first);
    let back = post(&region, &app, &publish, &[("_csrf", &csrf)]).await;
    assert!(back.ends_with("?published=2"), "{back}");
    let second = readings(&region, &app, campaign, school).await;
    assert!(second[0].contains("\"published\":{\"number\":2"));
    let rows = |csv: &str| csv.lines().count();
    assert_eq!(
        rows(&second[2]),
        rows(&first[2]) + 5,
        "the five new answers"
    );
    let publications = app.storage.publications(campaign).await.expect("list");
    assert_eq!(publications.len(), 2);
    assert!(publications.iter().all(|p| !p.at_close));
    app.finish().await;
}

async fn nothing_is_shown_before_a_publication_and_the_school_sees_nothing_while_open(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let (demo, school) = app.demo_school("demo-01").await;
    // A new campaign of the same schools with a few answers, nothing published.
    let today = server::clock::today();
    let campaign = app
        .storage
        .create_campaign(&NewCampaign {
            region_id: app.storage.schools_with_place().await.expect("registry")[0].region_id,
            code: "spring",
            name: "Весна",
            methodology_version: "orientir-2026",
            opens_on: today.plus_days(-3),
            closes_on: today.plus_days(10),
            target_grades: "5-11",
        })
        .await
        .expect("campaign");
    app.storage
        .set_expected_counts(campaign, school, 10, 20, 20)
        .await
        .expect("expected");
    for n in 0..6 {
        app.storage
            .insert_response(&server::storage::ResponseRow {
                campaign_id: campaign,
                school_id: school,
                group: Group::Student,
                instrument_key: "student".into(),
                instrument_version: 1,
                methodology_version: "orientir-2026".into(),
                answers: "{}".into(),
                submitted_on: today,
                submission_key: format!("spring-{n}"),
                surplus_limit: None,
                tally: None,
            })
            .await
            .expect("stored");
    }
    let (region, csrf) = app.sign_in("region").await;
    let (_, matrix) = get(
        &region,
        &app.url(&format!("/work/campaigns/{campaign}/matrix")),
    )
    .await;
    assert!(
        matrix.contains("Результаты ещё не опубликованы"),
        "{matrix}"
    );
    assert!(!matrix.contains("matrix-table"));
    let profile = call(
        &region,
        &app,
        "work-profile",
        &format!("campaign={campaign}&school={school}"),
    )
    .await;
    assert!(profile.contains("\"published\":null"), "{profile}");
    assert!(profile.contains("\"factors\":[]"), "{profile}");
    for export in [
        format!("/export/campaigns/{campaign}/matrix.xlsx"),
        format!("/export/campaigns/{campaign}/responses.csv?group=student"),
    ] {
        let r = region.get(app.url(&export)).send().await.expect("export");
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{export}");
        assert!(r
            .text()
            .await
            .expect("body")
            .contains("ещё не опубликованы"));
    }
    // The monitor counts answers as they come.
    let (_, monitor) = get(
        &region,
        &app.url(&format!("/work/campaigns/{campaign}/monitor")),
    )
    .await;
    assert!(monitor.contains("6 / 20"), "{monitor}");
    let back = post(
        &region,
        &app,
        &format!("/work/campaigns/{campaign}/publish"),
        &[("_csrf", &csrf)],
    )
    .await;
    assert!(back.ends_with("?published=1"), "{back}");
    let (_, matrix) = get(
        &region,
        &app.url(&format!("/work/campaigns/{campaign}/matrix")),
    )
    .await;
    assert!(matrix.contains("matrix-table"), "{matrix}");

    // The school's own account: response rates only, of either open campaign.
    let (own, _) = app.sign_in("school").await;
    for open in [demo, campaign] {
        let profile = call(
            &own,
            &app,
            "work-profile",
            &format!("campaign={open}&school={school}"),
        )
        .await;
        assert!(profile.contains("\"published\":null"), "{profile}");
        assert!(profile.contains("\"factors\":[]"));
        let (_, page) = get(
            &own,
            &app.url(&format!("/work/campaigns/{open}/schools/{school}")),
        )
        .await;
        assert!(page.contains("Результаты ещё не опубликованы"));
        let r = own
            .get(app.url(&format!("/export/campaigns/{open}/matrix.xlsx")))
            .send()
            .await
            .expect("export");
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        let (status, _) = get(&own, &app.url(&format!("/work/campaigns/{open}/monitor"))).await;
        assert_eq!(status, StatusCode::OK);
    }
    app.finish().await;
}

async fn a_closed_campaign_is_published_once_at_its_close(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let campaign = app.previous_demo_campaign().await;
    assert!(app
        .storage
        .publications(campaign)
        .await
        .expect("list")
        .is_empty());
    // The hourly upkeep publishes it (as the first reader would), once.
    let gate = server::scope::Gate::new(
        app.storage.clone(),
        std::sync::Arc::new(Methodology::default_set().expect("methodology")),
        server::clock::today,
    );
    assert_eq!(gate.publish_closed().await.expect("upkeep"), 1);
    assert_eq!(gate.publish_closed().await.expect("upkeep"), 0);
    let (region, csrf) = app.sign_in("region").await;
    let (_, matrix) = get(
        &region,
        &app.url(&format!("/work/campaigns/{campaign}/matrix")),
    )
    .await;
    assert!(
        matrix.contains("опубликованы при закрытии кампании"),
        "{matrix}"
    );
    assert!(matrix.contains("matrix-table"));
    let (_, _) = get(
        &region,
        &app.url(&format!("/work/campaigns/{campaign}/matrix")),
    )
    .await;
    let publications = app.storage.publications(campaign).await.expect("list");
    assert_eq!(publications.len(), 1, "one publication, made once");
    assert!(publications[0].at_close);
    assert_eq!(publications[0].published_by, None);
    // Nobody publishes a closed campaign again.
    let back = post(
        &region,
        &app,
        &format!("/work/campaigns/{campaign}/publish"),
        &[("_csrf", &csrf)],
    )
    .await;
    let (_, page) = get(&region, &app.url(&back)).await;
    assert!(page.contains("Кампания закрыта"), "{back}");
    app.finish().await;
}

async fn a_group_codes_surplus_is_held_until_a_coordinator_decides(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let m = Methodology::default_set().expect("methodology");
    let student = m.instrument(Group::Student).expect("student");
    // demo-06 has 21 student answers; with 15 expected, 120 % is 18: the next one is surplus.
    let (campaign, school) = app.demo_school("demo-06").await;
    app.storage
        .set_expected_counts(campaign, school, 8, 15, 30)
        .await
        .expect("expected");
    let code = app.demo_code("demo-06", "student").await;
    let held = |app: &TestApp| {
        let storage = app.storage.clone();
        async move {
            storage
                .response_counts(campaign)
                .await
                .expect("counts")
                .into_iter()
                .find(|c| c.school_id == school && c.group == Group::Student)
                .map_or(0, |c| c.held)
        }
    };
    let location = complete(&app, &browser(), &code, student).await;
    assert!(
        location.ends_with("/thanks"),
        "the respondent is thanked: {location}"
    );
    assert_eq!(held(&app).await, 1);
    let before = app
        .storage
        .unpublished_counts(campaign)
        .await
        .expect("unpublished");
    assert!(
        !before
            .iter()
            .any(|c| c.school_id == school && c.group == Group::Student),
        "a held answer waits for no publication"
    );

    let (region, csrf) = app.sign_in("region").await;
    let monitor = format!("/work/campaigns/{campaign}/monitor");
    let (_, page) = get(&region, &app.url(&monitor)).await;
    // A band, not the exact count: nobody follows one submission arriving.
    assert!(page.contains("⚑ +&lt; 5"), "the flag in the school's row");
    assert!(!page.contains("⚑ +1"), "the exact count of held answers");
    assert!(page.contains("сверх 120 % ожидаемого"), "{page}");
    assert!(page.contains(&format!(
        "/work/campaigns/{campaign}/schools/{school}/surplus"
    )));
    let decide = format!("/work/campaigns/{campaign}/schools/{school}/surplus");

    // A municipal coordinator of another municipality cannot decide for the school.
    let (north, north_csrf) = app.sign_in("north").await;
    let r = north
        .post(app.url(&decide))
        .form(&[
            ("_csrf", north_csrf.as_str()),
            ("group", "student"),
            ("decision", "admit"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(held(&app).await, 1);
    // A group without a group code, or a decision that is not one, is refused by name.
    let back = post(
        &region,
        &app,
        &decide,
        &[
            ("_csrf", &csrf),
            ("group", "principal"),
            ("decision", "admit"),
        ],
    )
    .await;
    assert!(back.contains("problem="), "{back}");
    let (_, page) = get(&region, &app.url(&back)).await;
    assert!(page.contains("Группа"), "the field is named");

    // Discarded: kept, never counted.
    let back = post(
        &region,
        &app,
        &decide,
        &[
            ("_csrf", &csrf),
            ("group", "student"),
            ("decision", "discard"),
        ],
    )
    .await;
    assert!(back.contains("decided=discard"), "{back}");
    assert_eq!(held(&app).await, 0);
    let (_, page) = get(&region, &app.url(&monitor)).await;
    assert!(!page.contains("⚑ +"), "no flag once decided");
    let again = post(
        &region,
        &app,
        &decide,
        &[
            ("_csrf", &csrf),
            ("group", "student"),
            ("decision", "discard"),
        ],
    )
    .await;
    let (_, page) = get(&region, &app.url(&again)).await;
    assert!(page.contains("нет ответов, ожидающих решения"), "{again}");

    // The next one is held again (discarded ones do not count); admitted, it is counted.
    complete(&app, &browser(), &code, student).await;
    assert_eq!(held(&app).await, 1);
    let back = post(
        &region,
        &app,
        &decide,
        &[
            ("_csrf", &csrf),
            ("group", "student"),
            ("decision", "admit"),
        ],
    )
    .await;
    assert!(back.contains("decided=admit%3A1"), "{back}");
    assert_eq!(held(&app).await, 0);
    let after = app
        .storage
        .unpublished_counts(campaign)
        .await
        .expect("unpublished");
    assert!(after
        .iter()
        .any(|c| c.school_id == school && c.group == Group::Student && c.responses == 1));
    app.finish().await;
}

harness::on_both_backends!(
    one_more_answer_reveals_nothing_until_enough_come_for_a_publication,
    nothing_is_shown_before_a_publication_and_the_school_sees_nothing_while_open,
    a_closed_campaign_is_published_once_at_its_close,
    a_group_codes_surplus_is_held_until_a_coordinator_decides,
);
