//! Stage reports of anti-risk programmes over HTTP: the region sets a campaign's stage dates;
//! the school files a report on its agreed programme — every measure marked, a short analysis —
//! and attaches documents as evidence (only whitelisted types, at most 10 MB); the curator
//! comments; the start page says which reports are due; nobody else writes.

use harness::{Backend, TestApp};
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE, LOCATION};
use reqwest::multipart::{Form, Part};
use reqwest::{Client, StatusCode};
use surveys::calendar::Day;

use super::programmes::{choose_suggested_risk, post, programme_json, text};

fn today() -> Day {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    Day::from_unix_seconds(now as i64)
}

/// Attaches a document to a measure; the status and the page it leads to.
async fn attach(
    client: &Client,
    app: &TestApp,
    path: &str,
    csrf: &str,
    name: &str,
    bytes: Vec<u8>,
) -> (StatusCode, String) {
    let form = Form::new().part("file", Part::bytes(bytes).file_name(name.to_owned()));
    let r = client
        .post(app.url(&format!("{path}?_csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .expect("upload");
    let location = r
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (r.status(), location)
}

async fn read(client: &Client, app: &TestApp, campaign: i64, school: i64) -> serde_json::Value {
    programme_json(client, app, campaign, school).await["report"].clone()
}

async fn a_school_files_stage_reports_with_evidence_and_its_curator_comments(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let closed = app.previous_demo_campaign().await;
    let (_, own) = app.demo_school("demo-01").await;
    let base = format!("/work/campaigns/{closed}/schools/{own}/programme");
    let today = today();
    let soon = today.plus_days(7).to_string();
    let later = today.plus_days(60).to_string();

    // The region sets the campaign's stage dates; a second stage on one date and a bad date are
    // refused by name; a school sets none.
    let (region, region_csrf) = app.sign_in("region").await;
    let stages = format!("/work/campaigns/{closed}/stages");
    for (title, date) in [("Этап 1", soon.as_str()), ("Этап 2", later.as_str())] {
        let (status, back) = post(
            &region,
            &app,
            &stages,
            &[("_csrf", &region_csrf), ("title", title), ("due_on", date)],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert!(back.ends_with("/monitor#stages"), "{back}");
    }
    let (_, back) = post(
        &region,
        &app,
        &stages,
        &[("_csrf", &region_csrf), ("title", "Ещё"), ("due_on", &soon)],
    )
    .await;
    assert!(text(&region, &app, &back)
        .await
        .contains("На эту дату этап уже есть"));
    let (_, back) = post(
        &region,
        &app,
        &stages,
        &[
            ("_csrf", &region_csrf),
            ("title", "Ещё"),
            ("due_on", "31.12.2026"),
        ],
    )
    .await;
    assert!(text(&region, &app, &back).await.contains("Срок:"), "{back}");
    let monitor = text(&region, &app, &format!("/work/campaigns/{closed}/monitor")).await;
    assert!(
        monitor.contains(&format!("{soon} — Этап 1")) && monitor.contains("class=\"new-stage\"")
    );
    let (school, csrf) = app.sign_in("school").await;
    let (status, _) = post(
        &school,
        &app,
        &stages,
        &[("_csrf", &csrf), ("title", "x"), ("due_on", &soon)],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The school writes a programme with two measures, one past its deadline.
    let factor = choose_suggested_risk(&school, &app, (closed, own), &csrf, "Видим").await;
    let past = today.plus_days(-10).to_string();
    for (action, due) in [("Семинар", past.as_str()), ("Клуб", later.as_str())] {
        post(
            &school,
            &app,
            &format!("{base}/measures"),
            &[
                ("_csrf", &csrf),
                ("factor", &factor),
                ("action", action),
                ("responsible_role", "Завуч"),
                ("due_on", due),
            ],
        )
        .await;
    }
    let programme = read(&school, &app, closed, own).await;
    let measures: Vec<i64> = programme["risks"][0]["measures"]
        .as_array()
        .expect("measures")
        .iter()
        .map(|m| m["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(measures.len(), 2);
    let stage = programme["stages"][0]["stage"]["id"]
        .as_i64()
        .expect("stage");
    assert_eq!(programme["stages"][0]["state"], "due");
    assert_eq!(programme["stages"][1]["state"], "later");
    assert_eq!(programme["can_report"], false, "not agreed yet");
    let report = format!("{base}/stages/{stage}");
    let (m1, m2) = (
        format!("status-{}", measures[0]),
        format!("status-{}", measures[1]),
    );
    let (_, back) = post(
        &school,
        &app,
        &report,
        &[("_csrf", &csrf), ("analysis", "Рано"), (&m1, "done")],
    )
    .await;
    assert!(text(&school, &app, &back)
        .await
        .contains("по согласованной программе"));

    // Submitted and agreed, it takes stage reports; the curator's start page says one is due.
    post(
        &school,
        &app,
        &format!("{base}/submit"),
        &[("_csrf", &csrf)],
    )
    .await;
    let (curator, curator_csrf) = app.sign_in("curator").await;
    post(
        &curator,
        &app,
        &format!("{base}/agree"),
        &[("_csrf", &curator_csrf)],
    )
    .await;
    let home = text(&curator, &app, "/work").await;
    assert!(
        home.contains("Отчёты по этапам")
            && home.contains(&format!("скоро отчёт: Этап 1 ({soon})")),
        "{home}"
    );

    // A measure not done needs its reason; the analysis is required; both named.
    let reason1 = format!("reason-{}", measures[0]);
    let evidence1 = format!("evidence-{}", measures[0]);
    let reason2 = format!("reason-{}", measures[1]);
    let (_, back) = post(
        &school,
        &app,
        &report,
        &[
            ("_csrf", &csrf),
            ("analysis", " "),
            (&m1, "not_done"),
            (&reason1, ""),
        ],
    )
    .await;
    let page = text(&school, &app, &back).await;
    assert!(
        page.contains("Анализ:") && page.contains("Причина: пусто"),
        "{back}"
    );
    let (_, back) = post(
        &school,
        &app,
        &report,
        &[("_csrf", &csrf), ("analysis", "x"), (&m1, "finished")],
    )
    .await;
    assert!(
        text(&school, &app, &back).await.contains("Состояние:"),
        "{back}"
    );
    assert_eq!(
        read(&school, &app, closed, own).await["stages"][0]["report"],
        serde_json::Value::Null
    );

    // Filed: the measures carry their marks, the report keeps a copy, the history has it.
    let (status, back) = post(
        &school,
        &app,
        &report,
        &[
            ("_csrf", &csrf),
            ("analysis", "Семинар проведён, клуб переносится"),
            (&m1, "done"),
            (&evidence1, "Приказ № 12"),
            (&m2, "not_done"),
            (&reason2, "Нет помещения"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(back.contains("filed="), "{back}");
    let programme = read(&school, &app, closed, own).await;
    let first = &programme["stages"][0];
    assert_eq!(first["state"], "filed");
    assert_eq!(
        first["report"]["analysis"],
        "Семинар проведён, клуб переносится"
    );
    assert_eq!(
        first["report"]["marks"][0],
        serde_json::json!(["Семинар", "выполнено", "", "Приказ № 12"])
    );
    assert_eq!(first["report"]["marks"][1][2], "Нет помещения");
    let measure = &programme["risks"][0]["measures"][0];
    assert_eq!(measure["status"], "выполнено");
    assert_eq!(measure["overdue"], false, "done is not overdue");
    assert!(programme["history"]
        .as_array()
        .expect("history")
        .iter()
        .any(|h| h["what"]
            .as_str()
            .is_some_and(|w| w.starts_with("отчёт по этапу"))));
    let page = text(&school, &app, &base).await;
    assert!(
        page.contains("Подать отчёт по этапу"),
        "the next stage's form"
    );
    assert!(page.contains("отчёт подан"));

    // The curator comments on the report; the school may not; nobody comments on a stage
    // without a report.
    let comment = format!("{report}/comment");
    let (status, _) = post(
        &curator,
        &app,
        &comment,
        &[("_csrf", &curator_csrf), ("comment", "Хороший анализ")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = post(
        &school,
        &app,
        &comment,
        &[("_csrf", &csrf), ("comment", "x")],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let second = programme["stages"][1]["stage"]["id"]
        .as_i64()
        .expect("stage 2");
    let (status, _) = post(
        &curator,
        &app,
        &format!("{base}/stages/{second}/comment"),
        &[("_csrf", &curator_csrf), ("comment", "x")],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let programme = read(&school, &app, closed, own).await;
    assert_eq!(
        programme["stages"][0]["comments"][0],
        "Куратор (демо): Хороший анализ"
    );
    // A stage with a report is not removed.
    let (_, back) = post(
        &region,
        &app,
        &format!("{stages}/{stage}/remove"),
        &[("_csrf", &region_csrf)],
    )
    .await;
    assert!(text(&region, &app, &back)
        .await
        .contains("по этапу уже поданы отчёты"));

    // Evidence: a PDF is attached and downloaded by whoever sees the school; anything else, or
    // anything larger than 10 MB, is refused by name.
    let files = format!("{base}/measures/{}/files", measures[0]);
    let pdf = b"%PDF-1.4\n% evidence\n".to_vec();
    let (status, back) = attach(&school, &app, &files, &csrf, "Приказ 12.pdf", pdf.clone()).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        back.ends_with(&format!("#measure-{}", measures[0])),
        "{back}"
    );
    let file =
        read(&school, &app, closed, own).await["risks"][0]["measures"][0]["files"][0].clone();
    assert_eq!(file["name"], "Приказ 12.pdf");
    let (north, _) = app.sign_in("north").await;
    let download = north
        .get(app.url(&format!("{base}/files/{}", file["id"])))
        .send()
        .await
        .expect("download");
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.headers()[CONTENT_TYPE], "application/pdf");
    let disposition = download.headers()[CONTENT_DISPOSITION]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert_eq!(download.bytes().await.expect("bytes").to_vec(), pdf);
    let (_, back) = attach(
        &school,
        &app,
        &files,
        &csrf,
        "page.pdf",
        b"<html><script>".to_vec(),
    )
    .await;
    assert!(
        text(&school, &app, &back)
            .await
            .contains("Файл: принимаются PDF"),
        "{back}"
    );
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize((10 << 20) + 1, b' ');
    let (_, back) = attach(&school, &app, &files, &csrf, "big.pdf", big).await;
    assert!(
        text(&school, &app, &back)
            .await
            .contains("Файл: файл больше 10 МБ"),
        "{back}"
    );
    assert_eq!(
        read(&school, &app, closed, own).await["risks"][0]["measures"][0]["files"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    // The school's account attaches nothing to another school's measures.
    let other = app.demo_school("demo-02").await.1;
    let (status, _) = attach(
        &school,
        &app,
        &format!(
            "/work/campaigns/{closed}/schools/{other}/programme/measures/{}/files",
            measures[0]
        ),
        &csrf,
        "x.pdf",
        b"%PDF-".to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not its school");
    // The school removes the document.
    let (status, _) = post(
        &school,
        &app,
        &format!("{base}/files/{}/remove", file["id"]),
        &[("_csrf", &csrf)],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let gone = north
        .get(app.url(&format!("{base}/files/{}", file["id"])))
        .send()
        .await
        .expect("download");
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    app.finish().await;
}

async fn stage_reports_keep_a_copy_and_documents_go_with_their_measure(backend: Backend) {
    use server::storage::{MeasureFields, MeasureMark, NewEvent, NewFile, RiskChoice};
    let app = TestApp::spawn(backend).await.with_demo().await;
    let (campaign, school) = app.demo_school("demo-01").await;
    let user = app
        .storage
        .user_by_login("school")
        .await
        .expect("query")
        .expect("the demo school")
        .id;
    let event = |action: &'static str| NewEvent {
        user_id: user,
        at: 1_800_000_000,
        action,
        subject: "",
        comment: "",
    };
    let today = today();
    app.storage
        .choose_risk(
            RiskChoice {
                campaign_id: campaign,
                school_id: school,
                factor: "RF01",
                reasoning: "видим",
                max: 3,
                today,
            },
            event("risk_chosen"),
        )
        .await
        .expect("chosen");
    let programme = app
        .storage
        .programme(campaign, school)
        .await
        .expect("query")
        .expect("programme")
        .id;
    let measure = MeasureFields {
        action: "Семинар".into(),
        status: "planned".into(),
        ..MeasureFields::default()
    };
    let id = app
        .storage
        .add_measure(programme, "RF01", &measure, event("measure_added"))
        .await
        .expect("added")
        .expect("a measure");
    // Stage dates: one per date; the earliest first.
    assert!(app
        .storage
        .add_stage(campaign, "Второй", today.plus_days(30))
        .await
        .expect("add"));
    assert!(app
        .storage
        .add_stage(campaign, "Первый", today)
        .await
        .expect("add"));
    assert!(!app
        .storage
        .add_stage(campaign, "Ещё", today)
        .await
        .expect("add"));
    let stages = app.storage.stages(campaign).await.expect("stages");
    assert_eq!(
        stages.iter().map(|s| s.title.as_str()).collect::<Vec<_>>(),
        ["Первый", "Второй"]
    );
    assert_eq!(stages[0].state(false, today.plus_days(1)), "overdue");
    assert_eq!(stages[1].state(false, today), "later");
    assert_eq!(stages[1].state(false, today.plus_days(20)), "due");
    assert_eq!(stages[1].state(true, today.plus_days(40)), "filed");
    // A report marks the measure and keeps a copy that later changes do not rewrite; marks of
    // another programme's measures are ignored.
    let mark = |measure_id, status: &str| MeasureMark {
        measure_id,
        action: String::new(),
        status: status.into(),
        status_reason: String::new(),
        evidence: "Приказ".into(),
    };
    app.storage
        .file_stage_report(
            programme,
            stages[0].id,
            "Начали",
            &[mark(id, "in_progress"), mark(id + 1000, "done")],
            event("stage_report"),
        )
        .await
        .expect("filed");
    let done = MeasureFields {
        status: "done".into(),
        ..measure.clone()
    };
    app.storage
        .update_measure(programme, id, &done, event("measure_changed"))
        .await
        .expect("changed");
    let reports = app.storage.stage_reports(programme).await.expect("reports");
    assert_eq!(reports.len(), 1);
    assert_eq!(
        (reports[0].analysis.as_str(), reports[0].user_name.as_str()),
        ("Начали", "Школа (демо)")
    );
    let marks = app
        .storage
        .stage_report_marks(reports[0].id)
        .await
        .expect("marks");
    assert_eq!(
        marks,
        vec![MeasureMark {
            action: "Семинар".into(),
            ..mark(id, "in_progress")
        }]
    );
    // Filed anew: one report per stage, the copy replaced.
    app.storage
        .file_stage_report(
            programme,
            stages[0].id,
            "Закончили",
            &[],
            event("stage_report"),
        )
        .await
        .expect("filed again");
    let reports = app.storage.stage_reports(programme).await.expect("reports");
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].analysis, "Закончили");
    assert_eq!(
        app.storage
            .stage_report_marks(reports[0].id)
            .await
            .expect("marks")[0]
            .status,
        "done"
    );
    assert_eq!(
        app.storage
            .campaign_stage_reports(campaign)
            .await
            .expect("pairs"),
        vec![(programme, stages[0].id)]
    );
    // A stage with a report stays; one without goes.
    assert!(!app
        .storage
        .remove_stage(campaign, stages[0].id)
        .await
        .expect("query"));
    assert!(app
        .storage
        .remove_stage(campaign, stages[1].id)
        .await
        .expect("query"));
    // A document goes with its measure: not to another programme's, and away with the measure.
    let file = NewFile {
        measure_id: id,
        name: "акт.pdf",
        content_type: "application/pdf",
        data: b"%PDF-1.4",
    };
    let stored = app
        .storage
        .add_file(programme, file, event("file_added"), u64::MAX)
        .await
        .expect("stored")
        .expect("an id");
    let (row, bytes) = app
        .storage
        .programme_file(programme, stored)
        .await
        .expect("query")
        .expect("the file");
    assert_eq!(
        (row.name.as_str(), row.size, bytes.as_slice()),
        ("акт.pdf", 8, b"%PDF-1.4".as_slice())
    );
    let elsewhere = NewFile {
        measure_id: id + 1000,
        ..file
    };
    assert_eq!(
        app.storage
            .add_file(programme, elsewhere, event("file_added"), u64::MAX)
            .await
            .expect("query"),
        None
    );
    assert!(app
        .storage
        .remove_measure(programme, id, event("measure_removed"))
        .await
        .expect("removed"));
    assert!(app
        .storage
        .programme_files(programme)
        .await
        .expect("files")
        .is_empty());
    // The report's copy outlives the measure.
    assert_eq!(
        app.storage
            .stage_report_marks(reports[0].id)
            .await
            .expect("marks")
            .len(),
        1
    );
    app.finish().await;
}

/// A school's documents fit in its quota (here 1 MB): past it an upload is refused by name and
/// nothing is stored.
async fn a_schools_documents_stay_within_its_quota(backend: Backend) {
    let app = TestApp::spawn_configured(backend, |config| {
        config.upload_quota = server::config::UploadQuota { bytes: 1 << 20 };
    })
    .await
    .with_demo()
    .await;
    let closed = app.previous_demo_campaign().await;
    let (_, own) = app.demo_school("demo-01").await;
    let base = format!("/work/campaigns/{closed}/schools/{own}/programme");
    let (school, csrf) = app.sign_in("school").await;
    let factor = choose_suggested_risk(&school, &app, (closed, own), &csrf, "Видим").await;
    post(
        &school,
        &app,
        &format!("{base}/measures"),
        &[
            ("_csrf", &csrf),
            ("factor", &factor),
            ("action", "Семинар"),
            ("responsible_role", "Завуч"),
        ],
    )
    .await;
    let measure = read(&school, &app, closed, own).await["risks"][0]["measures"][0]["id"]
        .as_i64()
        .expect("measure");
    let files = format!("{base}/measures/{measure}/files");
    let mut pdf = b"%PDF-1.4\n".to_vec();
    pdf.resize(400 << 10, b' ');
    for n in 1..=2 {
        let (status, back) = attach(
            &school,
            &app,
            &files,
            &csrf,
            &format!("{n}.pdf"),
            pdf.clone(),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert!(!back.contains("problem="), "{back}");
    }
    let (_, back) = attach(&school, &app, &files, &csrf, "3.pdf", pdf.clone()).await;
    assert!(
        text(&school, &app, &back)
            .await
            .contains("больше 1 МБ — её квоты"),
        "{back}"
    );
    let programme = app
        .storage
        .programme(closed, own)
        .await
        .expect("query")
        .expect("programme");
    let stored = app
        .storage
        .programme_files(programme.id)
        .await
        .expect("files");
    assert_eq!(stored.len(), 2, "the refused upload stored nothing");
    app.finish().await;
}

harness::on_both_backends!(
    a_school_files_stage_reports_with_evidence_and_its_curator_comments,
    stage_reports_keep_a_copy_and_documents_go_with_their_measure,
    a_schools_documents_stay_within_its_quota,
);
