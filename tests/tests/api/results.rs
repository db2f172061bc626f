//! What programmes achieved, over HTTP: once a later campaign of the same schools is published,
//! a programme's targets show baseline → target → actual with the verdict, its chosen factors
//! their level then and now; the matrix workbook counts targets met; «эффективность мер» shows a
//! catalogue measure only once five judged programmes have it.

use harness::{Backend, TestApp};
use reqwest::{Client, StatusCode};
use serde_json::Value;
use surveys::indicator::Display;
use surveys::Methodology;

use super::programmes::{post, programmes_sheet, text};

async fn json(client: &Client, app: &TestApp, endpoint: &str, form: &[(&str, i64)]) -> Value {
    client
        .post(app.url(endpoint))
        .form(form)
        .send()
        .await
        .expect("server function")
        .json::<Value>()
        .await
        .expect("json")["report"]
        .clone()
}

/// The share indicators of a factor that are not thresholds, with whether lower is better.
fn shares(m: &Methodology, factor: &str) -> Vec<(String, bool)> {
    m.indicators
        .iter()
        .filter(|i| i.factor.0 == factor && i.display == Display::Share && i.ok != i.critical)
        .map(|i| (i.key.to_string(), i.critical >= i.ok))
        .collect()
}

async fn targets_are_judged_against_the_next_published_campaign(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let m = Methodology::default_set().expect("methodology");
    let closed = app.previous_demo_campaign().await;
    let current = app.demo_campaign().await;
    let (admin, csrf) = app.sign_in("admin").await;
    let schools: Vec<i64> = json(&admin, &app, "/api/work-matrix", &[("campaign", closed)]).await
        ["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["school_id"].as_i64().expect("id"))
        .collect();
    assert!(schools.len() >= 5, "{schools:?}");
    // A factor with share indicators that every school has a score for, then and now.
    let mut scored: Option<Vec<String>> = None;
    for &s in &schools {
        for campaign in [closed, current] {
            let profile = json(
                &admin,
                &app,
                "/api/work-profile",
                &[("campaign", campaign), ("school", s)],
            )
            .await;
            let here: Vec<String> = profile["factors"]
                .as_array()
                .expect("factors")
                .iter()
                .filter(|f| !f["score"].is_null())
                .map(|f| f["code"].as_str().expect("code").to_owned())
                .collect();
            scored = Some(match scored {
                None => here,
                Some(before) => before.into_iter().filter(|f| here.contains(f)).collect(),
            });
        }
    }
    let factor = scored
        .expect("profiles")
        .into_iter()
        .find(|f| shares(&m, f).len() >= 2)
        .expect("a factor every school has, with two share indicators");
    let measure = m
        .measures
        .measures
        .iter()
        .position(|x| x.factor.0 == factor)
        .expect("a catalogue measure of the factor");
    let indicators = shares(&m, &factor);

    // Each school gets an agreed programme with the catalogue measure and two targets: the
    // indicator's worst end (always reached) and its best end (not reached unless the value is
    // exactly there). The fifth programme makes the effectiveness row appear.
    let (region, _) = app.sign_in("region").await;
    for (n, &school) in schools.iter().take(5).enumerate() {
        let base = format!("/work/campaigns/{closed}/schools/{school}");
        let programme = format!("{base}/programme");
        post(
            &admin,
            &app,
            &format!("{base}/risks"),
            &[
                ("_csrf", &csrf),
                ("factor", &factor),
                ("reasoning", "Видим по профилю"),
            ],
        )
        .await;
        let catalogue = measure.to_string();
        post(
            &admin,
            &app,
            &format!("{programme}/measures"),
            &[
                ("_csrf", &csrf),
                ("factor", &factor),
                ("action", "Из каталога"),
                ("catalogue", &catalogue),
                ("due_on", "2026-05-01"),
            ],
        )
        .await;
        for (key, lower_better) in indicators
            .iter()
            .take(2)
            .enumerate()
            .map(|(k, (i, l))| ((k, i), *l))
        {
            let (which, indicator) = key;
            // Worst end first, best end second.
            let worst = if lower_better { "100" } else { "0" };
            let best = if lower_better { "0" } else { "100" };
            let target = if which == 0 { worst } else { best };
            let (status, _) = post(
                &admin,
                &app,
                &format!("{programme}/targets"),
                &[
                    ("_csrf", &csrf),
                    ("factor", &factor),
                    ("indicator", indicator),
                    ("target", target),
                ],
            )
            .await;
            assert_eq!(status, StatusCode::SEE_OTHER);
        }
        post(
            &admin,
            &app,
            &format!("{programme}/submit"),
            &[("_csrf", &csrf)],
        )
        .await;
        post(
            &admin,
            &app,
            &format!("{programme}/agree"),
            &[("_csrf", &csrf)],
        )
        .await;
        let page = text(&region, &app, "/work/effectiveness").await;
        if n < 4 {
            assert!(
                page.contains("пока меньше 5: показывать нечего"),
                "{n}: {page}"
            );
            assert!(!page.contains("class=\"effectiveness\""));
        } else {
            assert!(
                page.contains("Программ с измеренным результатом: 5."),
                "{page}"
            );
        }
    }
    let effect = json(&region, &app, "/api/work-effectiveness", &[]).await;
    assert_eq!(effect["judged"], 5);
    let row = &effect["rows"][0];
    assert_eq!(row["factor"], factor.as_str());
    assert_eq!(row["action"], m.measures.measures[measure].action.get("ru"));
    // A programme's targets are met only when every judged one is: the best end is reached by
    // no school whose value is not exactly there.
    let met = row["met"].as_u64().expect("met");
    assert_eq!(met + row["not_met"].as_u64().expect("not met"), 5);

    // The programme page shows baseline → target → actual, the verdict and the factor's levels.
    let school = schools[0];
    let view = json(
        &admin,
        &app,
        "/api/work-programme",
        &[("campaign", closed), ("school", school)],
    )
    .await;
    let results = &view["results"];
    let later = json(
        &admin,
        &app,
        "/api/work-profile",
        &[("campaign", current), ("school", school)],
    )
    .await;
    let shown = |key: &str| -> Value {
        later["factors"]
            .as_array()
            .expect("factors")
            .iter()
            .flat_map(|f| f["indicators"].as_array().expect("indicators").iter())
            .find(|i| i["key"] == key)
            .map(|i| i["value"].clone())
            .expect("the indicator")
    };
    let worst = &results["targets"][0];
    assert_eq!(worst["achievement"], "achieved", "{results}");
    assert_eq!(worst["verdict"], "достигнут");
    assert_eq!(
        worst["actual"],
        shown(&indicators[0].0),
        "the later profile's value"
    );
    assert!(!worst["baseline"].is_null());
    let best = &results["targets"][1];
    let at_best = best["actual"] == if indicators[1].1 { "0 %" } else { "100 %" };
    if !at_best {
        assert_eq!(best["achievement"], "not_achieved", "{results}");
        assert_eq!(best["verdict"], "не достигнут");
        assert_eq!(results["met"], false);
    }
    assert_eq!(results["factors"][0]["code"], factor.as_str());
    assert!(!results["factors"][0]["after"].is_null(), "{results}");
    let page = text(
        &admin,
        &app,
        &format!("/work/campaigns/{closed}/schools/{school}/programme"),
    )
    .await;
    assert!(
        page.contains("Результаты по кампании") && page.contains("data-achievement=\"achieved\"")
    );

    // The workbook's programmes sheet counts the targets met.
    let sheet = programmes_sheet(&region, &app, closed).await;
    assert_eq!(sheet.height(), 6, "a header and five programmes");
    let met_cells: Vec<String> = (1..6)
        .map(|r| sheet.get((r, 6)).map(|d| d.to_string()).unwrap_or_default())
        .collect();
    assert!(
        met_cells.iter().all(|c| c == "1 / 2" || c == "2 / 2"),
        "{met_cells:?}"
    );
    assert_eq!(
        met_cells.iter().filter(|c| *c == "2 / 2").count() as u64,
        met
    );
    // Only those who oversee many schools read «эффективность мер».
    let (school_client, _) = app.sign_in("school").await;
    let r = school_client
        .get(app.url("/work/effectiveness"))
        .send()
        .await
        .expect("page");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    app.finish().await;
}

async fn the_demo_shows_the_whole_cycle(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo_cycle().await;
    let closed = app.previous_demo_campaign().await;
    let (admin, _) = app.sign_in("admin").await;
    let read = |code: &'static str| {
        let admin = admin.clone();
        let app = &app;
        async move {
            let school = app.demo_school(code).await.1;
            json(
                &admin,
                app,
                "/api/work-programme",
                &[("campaign", closed), ("school", school)],
            )
            .await
        }
    };
    let mut statuses = Vec::new();
    for code in [
        "demo-01", "demo-02", "demo-03", "demo-04", "demo-05", "demo-06",
    ] {
        statuses.push(read(code).await["status"].as_str().map(str::to_owned));
    }
    assert_eq!(
        statuses,
        [
            Some("agreed"),
            Some("draft"),
            Some("submitted"),
            Some("returned"),
            Some("agreed"),
            None
        ]
        .map(|s| s.map(str::to_owned))
    );
    // Agreed, with a stage report and an overdue measure, and results against this year.
    let agreed = read("demo-01").await;
    assert_eq!(agreed["stages"][0]["state"], "filed");
    assert!(agreed["risks"][0]["measures"]
        .as_array()
        .expect("measures")
        .iter()
        .any(|m| m["overdue"] == true));
    assert!(
        !agreed["results"]["targets"]
            .as_array()
            .expect("results")
            .is_empty(),
        "{agreed}"
    );
    assert!(!agreed["stages"][0]["comments"]
        .as_array()
        .expect("comments")
        .is_empty());
    // Returned with the curator's comment on a measure.
    let returned = read("demo-04").await;
    assert!(!returned["risks"][0]["measures"][0]["comments"]
        .as_array()
        .expect("comments")
        .is_empty());
    // Carried out: every stage filed, every measure done.
    let done = read("demo-05").await;
    assert!(done["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .all(|s| s["state"] == "filed"));
    assert!(done["risks"][0]["measures"]
        .as_array()
        .expect("measures")
        .iter()
        .all(|m| m["status"] == "выполнено"));
    // The curator's start page has something to do; the region's shows the overview.
    let (curator, _) = app.sign_in("curator").await;
    let home = text(&curator, &app, "/work").await;
    assert!(
        home.contains("Возвращены на доработку") && home.contains("Есть просроченные мероприятия"),
        "{home}"
    );
    let (region, _) = app.sign_in("region").await;
    let home = text(&region, &app, "/work").await;
    assert!(
        home.contains("Антирисковые программы школ") && home.contains("нет программы: 1"),
        "{home}"
    );
    // Once is enough: a second run changes nothing.
    let methodology = Methodology::default_set().expect("methodology");
    server::cli::demo_cycle::ensure_demo_cycle(&app.storage, &methodology, server::clock::today())
        .await
        .expect("again");
    assert_eq!(
        read("demo-01").await["risks"][0]["measures"],
        agreed["risks"][0]["measures"]
    );
    app.finish().await;
}

/// A campaign's list of programmes: every school of the viewer's scope with its programme's
/// state, counts per state over the whole filter, filtered by state, sorted and searched; a
/// school sees its own row only; a state that is none is refused naming the field.
async fn the_programme_list_shows_each_schools_state(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo_cycle().await;
    let closed = app.previous_demo_campaign().await;
    let rows = |html: &str| -> Vec<(String, String)> {
        html.split("<tr data-school=\"")
            .skip(1)
            .map(|r| {
                let state = r.split("data-state=\"").nth(1).unwrap_or("");
                let school = r.split("\"").next().unwrap_or("");
                (
                    school.to_owned(),
                    state.split('"').next().unwrap_or("").to_owned(),
                )
            })
            .collect()
    };
    let path = format!("/work/campaigns/{closed}/programmes");
    let (region, _) = app.sign_in("region").await;
    let html = text(&region, &app, &path).await;
    let all = rows(&html);
    let mut states: Vec<&str> = all.iter().map(|(_, s)| s.as_str()).collect();
    states.sort_unstable();
    assert_eq!(
        states,
        ["agreed", "agreed", "draft", "none", "returned", "submitted"],
        "{html}"
    );
    assert!(
        html.contains(">согласована (2)<"),
        "counts per state: {html}"
    );
    assert!(html.contains(">нет программы (1)<"), "{html}");
    // The overdue measure of demo-01's agreed programme shows in its row.
    let demo01 = app.demo_school("demo-01").await.1;
    let own = html
        .split(&format!("<tr data-school=\"{demo01}\""))
        .nth(1)
        .and_then(|r| r.split("</tr>").next())
        .expect("demo-01's row")
        .to_owned();
    assert!(
        own.contains("num flag"),
        "an overdue measure is flagged: {own}"
    );
    // Filtered by state: only those rows, the counts unchanged.
    let agreed = text(&region, &app, &format!("{path}?state=agreed")).await;
    assert_eq!(
        rows(&agreed)
            .iter()
            .map(|(_, s)| s.as_str())
            .collect::<Vec<_>>(),
        ["agreed", "agreed"]
    );
    assert!(agreed.contains("data-total=\"2\""));
    assert!(agreed.contains(">нет программы (1)<"), "{agreed}");
    let none = text(&region, &app, &format!("{path}?state=none")).await;
    assert_eq!(rows(&none).len(), 1);
    // Sorted by the state: the way to agreement, none first.
    let sorted = text(&region, &app, &format!("{path}?sort=state")).await;
    assert_eq!(
        rows(&sorted)
            .iter()
            .map(|(_, s)| s.as_str())
            .collect::<Vec<_>>(),
        ["none", "draft", "returned", "submitted", "agreed", "agreed"]
    );
    // The start page links each campaign's schools without a programme to this list.
    let home = text(&region, &app, "/work").await;
    assert!(home.contains(&format!("{path}?state=none")), "{home}");
    // A school reads its own row alone.
    let (school, _) = app.sign_in("school").await;
    let own_list = text(&school, &app, &path).await;
    assert_eq!(rows(&own_list).len(), 1);
    assert_eq!(rows(&own_list)[0].0, demo01.to_string());
    // A state that is none is refused, naming the field.
    let r = region
        .post(app.url("/api/work-programmes"))
        .form(&[("campaign", closed.to_string()), ("state", "<b>".into())])
        .send()
        .await
        .expect("list");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let body = r.text().await.expect("body");
    assert!(
        body.contains("Состояние программы: одно из значений none, draft"),
        "worded in the reader's language: {body}"
    );
    assert!(
        !body.contains("<b>"),
        "the value sent is not echoed: {body}"
    );
    // In English for an English reader, and a category that is none likewise.
    region
        .get(app.url("/lang/en?back=/work"))
        .send()
        .await
        .expect("language");
    let r = region
        .post(app.url("/api/work-programmes"))
        .form(&[("campaign", closed.to_string()), ("cohort", "x".into())])
        .send()
        .await
        .expect("list");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let body = r.text().await.expect("body");
    assert!(body.contains("Category of schools: one of "), "{body}");
    app.finish().await;
}

harness::on_both_backends!(
    targets_are_judged_against_the_next_published_campaign,
    the_demo_shows_the_whole_cycle,
    the_programme_list_shows_each_schools_state,
);
