//! What an institute's IT department does with a running Orientir: a backup taken while
//! respondents keep writing, checked, and restored into an empty database with every write that
//! was acknowledged before it began (a backup never overwrites, a restore never lands on data);
//! `/metrics` scraped with its token.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use harness::db::TestDb;
use harness::{test_config, Backend, TestApp};
use server::cli::backup::{self, Checked};
use server::cli::purge;
use server::storage::NewSupportFile;
use surveys::Methodology;

use crate::respond::browser;

async fn a_backup_under_load_restores_every_acknowledged_write(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo_cycle().await;
    // A document among the data (the support work's files live in the database too).
    let school = app.demo_school("demo-01").await.1;
    let region = app.storage.schools_with_place().await.expect("schools")[0].region_id;
    let admin = app
        .storage
        .user_by_login("admin")
        .await
        .expect("read")
        .expect("admin")
        .id;
    app.storage
        .add_support_file(
            NewSupportFile {
                kind: "question",
                owner_id: 0,
                school_id: Some(school),
                region_id: region,
                name: "Приказ.pdf",
                content_type: "application/pdf",
                data: b"%PDF-1.4\n% evidence\n",
            },
            1 << 20,
            server::storage::Change {
                kind: "question",
                owner_id: 0,
                school_id: Some(school),
                user_id: admin,
                at: server::clock::now(),
                action: "file_added",
                detail: "",
            },
        )
        .await
        .expect("a file");
    // Respondents keep submitting questionnaires through the whole backup.
    let code = app.demo_code("demo-02", "student").await;
    let methodology = Methodology::default_set().expect("methodology");
    let instrument = methodology
        .instruments
        .iter()
        .find(|i| i.key == "student")
        .expect("student questionnaire")
        .clone();
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..2)
        .map(|_| {
            let (base, code, instrument) = (app.base.clone(), code.clone(), instrument.clone());
            let (acknowledged, stop) = (acknowledged.clone(), stop.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::SeqCst) {
                    let thanks = crate::respond::complete_across(
                        &[&base],
                        &browser(),
                        &code,
                        &instrument,
                        &[],
                    )
                    .await;
                    assert!(thanks.ends_with("/thanks"), "{thanks}");
                    acknowledged.fetch_add(1, Ordering::SeqCst);
                }
            })
        })
        .collect();
    while acknowledged.load(Ordering::SeqCst) < 4 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let before = app.storage.holdings().await.expect("holdings");
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("orientir.backup");
    let config = test_config(app.db.url());
    let checked = backup::backup(&config, &file).await.expect("a backup");
    let during = acknowledged.load(Ordering::SeqCst);
    stop.store(true, Ordering::SeqCst);
    for w in writers {
        w.await.expect("a writer");
    }
    let after = app.storage.holdings().await.expect("holdings");
    assert!(
        after.responses > before.responses,
        "respondents wrote on while the backup ran ({during} acknowledged by its end)"
    );
    match (&checked, backend) {
        (Checked::Sqlite(h), Backend::Sqlite) => {
            assert!(
                h.responses >= before.responses && h.responses <= after.responses,
                "{h}"
            );
        }
        (Checked::PgDump { entries }, Backend::Postgres) => assert!(*entries > 40, "{entries}"),
        other => panic!("a backup of the wrong kind: {other:?}"),
    }
    assert_eq!(backup::check(&file).await.expect("checked again"), checked);
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file)
            .expect("backup")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "a backup is its maker's alone");
    }
    // A backup never overwrites a file.
    let again = backup::backup(&config, &file).await.expect_err("refused");
    assert!(again.to_string().contains("never overwrites"), "{again}");

    // Restored into an empty database: every write acknowledged before the backup began, the
    // accounts, programmes and files as they were; and the restored database serves.
    let target = TestDb::create(backend).await;
    let restored = backup::restore(&test_config(target.url()), &file)
        .await
        .expect("restored");
    assert!(
        restored.responses >= before.responses && restored.responses <= after.responses,
        "{restored} (before {before}, after {after})"
    );
    assert_eq!(
        (
            restored.accounts,
            restored.programmes,
            restored.files,
            restored.schema
        ),
        (
            before.accounts,
            before.programmes,
            before.files,
            before.schema
        )
    );
    assert_eq!(restored.files, 1);
    // A restore never lands on data: the same database again is refused, and so is the other
    // backend's backup.
    let twice = backup::restore(&test_config(target.url()), &file)
        .await
        .expect_err("refused");
    assert!(twice.to_string().contains("restore goes into"), "{twice}");
    let garbage = dir.path().join("notes.txt");
    std::fs::write(&garbage, "not a backup").expect("write");
    let refused = backup::check(&garbage).await.expect_err("refused");
    assert!(refused
        .to_string()
        .contains("neither an SQLite database nor a pg_dump"));
    let served = TestApp::spawn_on(target).await;
    let (region_client, _) = served.sign_in("region").await;
    let home = harness::text(&region_client, &served.url("/work")).await;
    assert!(home.contains("демонстрационная кампания"), "{home}");
    served.finish().await;
    app.finish().await;
}

/// `/metrics` answers a monitoring system that brings the token, in Prometheus' text format, with
/// the requests, the questionnaires stored and the database's gauges; never a code or an answer.
async fn metrics_are_scraped_with_the_token_alone(backend: Backend) {
    const TOKEN: &str = "a-scraper-token-of-32-characters";
    let app = TestApp::spawn_configured(backend, |c| {
        c.metrics_token = Some(server::config::MetricsToken::new(TOKEN).expect("token"));
    })
    .await
    .with_demo()
    .await;
    let code = app.demo_code("demo-01", "student").await;
    let methodology = Methodology::default_set().expect("methodology");
    let instrument = methodology
        .instruments
        .iter()
        .find(|i| i.key == "student")
        .expect("student questionnaire");
    crate::respond::complete_across(&[&app.base], &browser(), &code, instrument, &[]).await;
    harness::text(&harness::client(), &app.url("/")).await;
    let scrape = |token: Option<&str>| {
        let mut request = harness::client().get(app.url("/metrics"));
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        request.send()
    };
    assert_eq!(scrape(None).await.expect("scrape").status(), 401);
    assert_eq!(
        scrape(Some("a-scraper-token-of-32-characterZ"))
            .await
            .expect("scrape")
            .status(),
        401
    );
    let r = scrape(Some(TOKEN)).await.expect("scrape");
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["content-type"],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    let text = r.text().await.expect("body");
    let value = |line: &str| -> f64 {
        text.lines()
            .find_map(|l| l.strip_prefix(line)?.trim().parse().ok())
            .unwrap_or_else(|| panic!("no {line} in\n{text}"))
    };
    let backend_label = match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    assert_eq!(
        value(&format!(
            "orientir_submissions_total{{backend=\"{backend_label}\"}}"
        )),
        1.0
    );
    // Every page of the questionnaire was posted and answered with a redirect.
    let pages = instrument.sections.len() as f64;
    assert!(value("orientir_http_requests_total{family=\"respond\",status=\"303\"}") >= pages);
    assert_eq!(
        value("orientir_http_request_duration_seconds_count{family=\"home\"}"),
        1.0
    );
    assert!(
        value(&format!(
            "orientir_db_pool_connections{{backend=\"{backend_label}\"}}"
        )) >= 1.0
    );
    assert_eq!(
        value(&format!(
            "orientir_responses_held{{backend=\"{backend_label}\"}}"
        )),
        0.0
    );
    assert!(!text.contains(&code), "no access code in the metrics");
    // Two scrapes apart: the unauthorised ones counted as well.
    assert!(value("orientir_http_requests_total{family=\"metrics\",status=\"401\"}") >= 2.0);
    app.finish().await;
    // Without a token configured there is no `/metrics`.
    let plain = TestApp::spawn(backend).await;
    let r = harness::client()
        .get(plain.url("/metrics"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 404);
    plain.finish().await;
}

/// Retention: the answers of a campaign closed long enough ago are deleted, and its published
/// figures — profile, matrix, monitor's counts — read the same after; a campaign whose pages
/// still need its answers keeps them, with the reason.
async fn old_answers_go_and_published_figures_stay(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let previous = app.previous_demo_campaign().await;
    let current = app.demo_campaign().await;
    let (region, _) = app.sign_in("region").await;
    let school = app.demo_school("demo-03").await.1;
    let read = |endpoint: &'static str, form: Vec<(&'static str, String)>| {
        let region = region.clone();
        let url = app.url(&format!("/api/{endpoint}"));
        async move {
            let v: serde_json::Value = region
                .post(url)
                .form(&form)
                .send()
                .await
                .expect("request")
                .json()
                .await
                .expect("json");
            v["report"].clone()
        }
    };
    let figures = || async {
        (
            read("work-matrix", vec![("campaign", previous.to_string())]).await,
            read(
                "work-profile",
                vec![
                    ("campaign", previous.to_string()),
                    ("school", school.to_string()),
                ],
            )
            .await,
            read("work-monitor", vec![("campaign", previous.to_string())]).await,
        )
    };
    // Read once: the closed campaign is published at its close by its first reader.
    let before = figures().await;
    assert!(!before.0["rows"].as_array().expect("rows").is_empty());
    let scored = before.1["factors"]
        .as_array()
        .expect("factors")
        .iter()
        .filter(|f| !f["score"].is_null())
        .count();
    assert!(scored > 0, "the profile has scores: {}", before.1);
    assert!(!before.2["rows"]
        .as_array()
        .expect("monitor rows")
        .is_empty());
    let methodology = Methodology::default_set().expect("methodology");
    let closed = app
        .storage
        .campaign(previous)
        .await
        .expect("read")
        .expect("campaign")
        .closes_on;
    let later = app
        .storage
        .campaign(current)
        .await
        .expect("read")
        .expect("campaign")
        .closes_on;
    // Two years and a month after the earlier campaign closed: it alone is old enough.
    let today = closed.plus_days(2 * 365 + 31);
    assert!(today < later.plus_days(2 * 365));
    let plan = purge::plan(&app.storage, &methodology, today, 2)
        .await
        .expect("plan");
    assert_eq!(plan.len(), 1, "{}", purge::describe(&plan, true));
    assert_eq!(plan[0].campaign.id, previous);
    assert!(plan[0].blocked.is_none(), "{:?}", plan[0].blocked);
    let stored = app.storage.stored_answers(previous).await.expect("count");
    assert_eq!(plan[0].answers, stored);
    assert!(purge::describe(&plan, true).contains("would be deleted"));
    let others = app.storage.stored_answers(current).await.expect("count");
    assert_eq!(
        purge::purge(&app.storage, &plan).await.expect("purge"),
        stored as u64
    );
    assert_eq!(
        app.storage.stored_answers(previous).await.expect("count"),
        0
    );
    let logged = app
        .storage
        .audit_lines(&server::storage::AuditFilter {
            action: Some("answers_purged".into()),
            ..Default::default()
        })
        .await
        .expect("audit");
    assert_eq!(logged.len(), 1);
    assert!(logged[0].path.ends_with(&plan[0].campaign.code));
    assert_eq!(
        app.storage.stored_answers(current).await.expect("count"),
        others
    );
    let after = figures().await;
    assert_eq!(after.0, before.0, "the matrix reads the same");
    assert_eq!(after.1, before.1, "the profile reads the same");
    assert_eq!(after.2, before.2, "the monitor counts the same");
    // Years on, the current campaign is old enough too, but it still holds answers no
    // publication took in: they stay, and the plan says why.
    let plan = purge::plan(&app.storage, &methodology, later.plus_days(3 * 365), 2)
        .await
        .expect("plan");
    let kept = plan
        .iter()
        .find(|p| p.campaign.id == current)
        .expect("the current campaign listed");
    assert!(kept.blocked.is_some(), "{}", purge::describe(&plan, true));
    assert!(purge::describe(&plan, true).contains("answers kept"));
    assert_eq!(purge::purge(&app.storage, &plan).await.expect("purge"), 0);
    assert_eq!(
        app.storage.stored_answers(current).await.expect("count"),
        others
    );
    app.finish().await;
}

/// The audit log: a raw export, a code sheet and an account created are written with who, what
/// and from where (a forged `X-Forwarded-For` from an untrusted peer is ignored); a refused
/// download is not; the admin filters the log, downloads it as CSV and reads its own reading
/// there too; nobody else reads it; lines past their retention go.
async fn sensitive_reads_and_changes_are_audited(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let campaign = app.demo_campaign().await;
    let (_, school) = app.demo_school("demo-01").await;
    let (region, _) = app.sign_in("region").await;
    let export = format!("/export/campaigns/{campaign}/responses.csv");
    let r = region
        .get(app.url(&format!("{export}?group=teacher")))
        .header("x-forwarded-for", "203.0.113.9")
        .send()
        .await
        .expect("export");
    assert_eq!(r.status(), 200);
    let (north, _) = app.sign_in("north").await;
    let refused = north.get(app.url(&export)).send().await.expect("export");
    assert_eq!(refused.status(), 403);
    let (school_client, _) = app.sign_in("school").await;
    let sheet = format!("/work/campaigns/{campaign}/schools/{school}/codes");
    assert_eq!(
        school_client
            .get(app.url(&sheet))
            .send()
            .await
            .expect("sheet")
            .status(),
        200
    );
    let (admin, csrf) = app.sign_in("admin").await;
    let created = admin
        .post(app.url("/admin/users/new"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("login", "auditor-test"),
            ("name", "Проверяющий"),
            ("password", "a-long-password-2026"),
            ("role", "admin"),
        ])
        .send()
        .await
        .expect("account");
    assert_eq!(created.status(), 303);
    let page = |form: Vec<(&'static str, String)>| {
        let admin = admin.clone();
        let url = app.url("/api/work-audit");
        async move {
            let v: serde_json::Value = admin
                .post(url)
                .form(&form)
                .send()
                .await
                .expect("audit")
                .json()
                .await
                .expect("json");
            v["report"].clone()
        }
    };
    let all = page(vec![]).await;
    let lines = all["lines"].as_array().expect("lines").clone();
    let find = |action: &str| -> Vec<serde_json::Value> {
        lines
            .iter()
            .filter(|l| l["action"] == action)
            .cloned()
            .collect()
    };
    let exports = find("raw_export");
    assert_eq!(
        exports.len(),
        1,
        "the refused download is not written: {lines:?}"
    );
    assert_eq!(exports[0]["login"], "region");
    assert_eq!(
        exports[0]["path"],
        export.as_str(),
        "the path, never the query"
    );
    assert_eq!(
        exports[0]["address"], "127.0.0.1",
        "the forged header is ignored"
    );
    assert_eq!(find("code_sheet")[0]["login"], "school");
    assert_eq!(find("code_sheet")[0]["path"], sheet.as_str());
    assert_eq!(find("account_created")[0]["login"], "admin");
    // Filtered by action and by days.
    let only = page(vec![("filter[action]", "raw_export".into())]).await;
    assert_eq!(only["lines"].as_array().map(Vec::len), Some(1));
    let today = server::clock::today();
    let yesterday = today.plus_days(-1).to_string();
    let none = page(vec![("filter[to]", yesterday)]).await;
    assert_eq!(none["lines"].as_array().map(Vec::len), Some(0));
    let searched = page(vec![("list[q]", "region".into())]).await;
    assert!(searched["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .all(|l| l["login"] == "region"));
    // A bad day is refused, naming the field.
    let bad = admin
        .post(app.url("/api/work-audit"))
        .form(&[("filter[from]", "yesterday")])
        .send()
        .await
        .expect("audit");
    assert_eq!(bad.status(), 400);
    let body = bad.text().await.expect("body");
    assert!(body.contains("С даты: дата в формате ГГГГ-ММ-ДД"), "{body}");
    // The CSV holds the same lines; the admin's readings of the log are written too.
    let csv = admin
        .get(app.url("/export/audit.csv?action=raw_export"))
        .send()
        .await
        .expect("csv");
    assert_eq!(csv.status(), 200);
    let text = csv.text().await.expect("body");
    let mut rows = text.lines();
    assert_eq!(
        rows.next(),
        Some("at_utc,login,user_id,action,path,address")
    );
    let row = rows.next().expect("a line");
    assert!(row.contains(",region,") && row.contains(&export), "{row}");
    assert_eq!(rows.next(), None);
    let again = page(vec![("filter[action]", "audit_read".into())]).await;
    assert!(again["lines"].as_array().map_or(0, Vec::len) >= 2);
    // Nobody else reads it.
    let r = region
        .get(app.url("/export/audit.csv"))
        .send()
        .await
        .expect("csv");
    assert_eq!(r.status(), 403);
    // Lines past their retention go.
    let gone = app
        .storage
        .forget_audit_before(server::clock::now() + 1)
        .await
        .expect("forget");
    assert!(gone >= 5, "{gone}");
    assert!(app
        .storage
        .audit_lines(&server::storage::AuditFilter::default())
        .await
        .expect("read")
        .is_empty());
    app.finish().await;
}

harness::on_both_backends!(
    a_backup_under_load_restores_every_acknowledged_write,
    old_answers_go_and_published_figures_stay,
    metrics_are_scraped_with_the_token_alone,
    sensitive_reads_and_changes_are_audited,
);
