//! A database of the oldest schema this repository shipped (its first four migrations, of
//! 2026-11-22), filled through that schema's shape with the demo region's rows, is migrated by
//! today's Orientir on both backends, its sums rebuilt as the README says (`orientir rescore`),
//! and then reads as the same region filled by today's code: the matrix, the monitor, a profile
//! and the raw answers export show the same figures.

use std::borrow::Cow;

use harness::db::TestDb;
use harness::{repo_root, test_config, Backend, TestApp};
use server::storage::Storage;
use sqlx::Executor;

/// The newest migration of the oldest schema shipped.
const OLDEST_SHIPPED: i64 = 20261122000004;

/// The tables of that schema, in the order their references allow.
const TABLES: [&str; 10] = [
    "regions",
    "municipalities",
    "schools",
    "campaigns",
    "campaign_schools",
    "access_codes",
    "users",
    "user_roles",
    "curator_schools",
    "responses",
];

/// The rows a table of the oldest schema can hold: its roles were the first five (the
/// methodists' came with the development plans).
fn held_by_the_old_shape(table: &str) -> &'static str {
    match table {
        "user_roles" => " WHERE role IN ('admin', 'regional', 'municipal', 'curator', 'school')",
        _ => "",
    }
}

/// Applies the oldest shipped schema's migrations alone to an empty database.
async fn oldest_schema(backend: Backend, url: &str) {
    let folder = match backend {
        Backend::Sqlite => "migrations/sqlite",
        Backend::Postgres => "migrations/postgres",
    };
    let mut migrator = sqlx::migrate::Migrator::new(repo_root().join(folder).as_path())
        .await
        .expect("migrations");
    migrator.migrations = Cow::Owned(
        migrator
            .migrations
            .iter()
            .filter(|m| m.version <= OLDEST_SHIPPED)
            .cloned()
            .collect(),
    );
    match backend {
        Backend::Sqlite => {
            let options: sqlx::sqlite::SqliteConnectOptions = url
                .parse::<sqlx::sqlite::SqliteConnectOptions>()
                .expect("url")
                .create_if_missing(true);
            if let Some(parent) = options.get_filename().parent() {
                std::fs::create_dir_all(parent).expect("folder");
            }
            let pool = sqlx::SqlitePool::connect_with(options).await.expect("open");
            migrator.run(&pool).await.expect("the oldest schema");
            pool.close().await;
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(url).await.expect("open");
            migrator.run(&pool).await.expect("the oldest schema");
            pool.close().await;
        }
    }
}

/// Copies the reference database's rows into the old one, each table through the old table's
/// own columns (what that schema's code wrote).
async fn fill_through_the_old_shape(backend: Backend, reference: &str, old: &str) {
    match backend {
        Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(old).await.expect("open");
            let mut conn = pool.acquire().await.expect("connection");
            let file = reference.trim_start_matches("sqlite://");
            conn.execute(format!("ATTACH DATABASE '{file}' AS reference").as_str())
                .await
                .expect("attach");
            for table in TABLES {
                let columns: Vec<String> =
                    sqlx::query_scalar(&format!("SELECT name FROM pragma_table_info('{table}')"))
                        .fetch_all(&mut *conn)
                        .await
                        .expect("columns");
                let list = columns.join(", ");
                conn.execute(
                    format!(
                        "INSERT INTO main.{table} ({list}) SELECT {list} FROM reference.{table}{}",
                        held_by_the_old_shape(table)
                    )
                    .as_str(),
                )
                .await
                .unwrap_or_else(|e| panic!("{table}: {e}"));
            }
            drop(conn);
            pool.close().await;
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(old).await.expect("open");
            let dir = tempfile::tempdir().expect("dir");
            for table in TABLES {
                let columns: Vec<String> = sqlx::query_scalar(
                    "SELECT column_name::text FROM information_schema.columns
                     WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
                )
                .bind(table)
                .fetch_all(&pool)
                .await
                .expect("columns");
                let list = columns.join(", ");
                let file = dir.path().join(format!("{table}.copy"));
                let copy = |url: &str, command: String| {
                    let status = std::process::Command::new("psql")
                        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", &command])
                        .status()
                        .expect("psql runs");
                    assert!(status.success(), "{command}");
                };
                copy(
                    reference,
                    format!(
                        "\\copy (SELECT {list} FROM {table}{}) TO '{}'",
                        held_by_the_old_shape(table),
                        file.display()
                    ),
                );
                copy(
                    old,
                    format!("\\copy {table} ({list}) FROM '{}'", file.display()),
                );
                // Identity columns continue after the copied ids.
                if columns.iter().any(|c| c == "id") {
                    sqlx::query(&format!(
                        "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                    ))
                    .execute(&pool)
                    .await
                    .ok();
                }
            }
            pool.close().await;
        }
    }
}

/// What the pages and the export say of a campaign, as its reader gets them.
async fn figures(app: &TestApp, campaign: i64, school: i64) -> Vec<String> {
    let (region, _) = app.sign_in("region").await;
    let mut out = Vec::new();
    for (endpoint, form) in [
        ("work-matrix", vec![("campaign", campaign.to_string())]),
        ("work-monitor", vec![("campaign", campaign.to_string())]),
        (
            "work-profile",
            vec![
                ("campaign", campaign.to_string()),
                ("school", school.to_string()),
            ],
        ),
    ] {
        let v: serde_json::Value = region
            .post(app.url(&format!("/api/{endpoint}")))
            .form(&form)
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("json");
        let mut report = v["report"].clone();
        // The day of the publication at the close is the day it was read.
        report["campaign"]["published"] = serde_json::Value::Null;
        assert!(!report.is_null(), "{endpoint}: {v}");
        out.push(report.to_string());
    }
    let csv = region
        .get(app.url(&format!(
            "/export/campaigns/{campaign}/responses.csv?group=teacher"
        )))
        .send()
        .await
        .expect("export")
        .text()
        .await
        .expect("csv");
    assert!(csv.lines().count() > 1, "{csv}");
    // The export's rows come in an order of no meaning (never the order of answering): compared
    // as a set.
    let mut lines: Vec<&str> = csv.lines().collect();
    lines[1..].sort_unstable();
    out.push(lines.join("\n"));
    out
}

async fn an_old_database_migrates_and_reads_the_same(backend: Backend) {
    let reference = TestApp::spawn(backend).await.with_demo().await;
    let previous = reference.previous_demo_campaign().await;
    let school = reference.demo_school("demo-03").await.1;
    let old = TestDb::create(backend).await;
    oldest_schema(backend, old.url()).await;
    fill_through_the_old_shape(backend, reference.db.url(), old.url()).await;
    // Today's Orientir opens it (every later migration applied) and rebuilds its sums.
    let storage = Storage::open(&test_config(old.url()))
        .await
        .expect("migrated");
    assert_eq!(
        storage.schema_version().await.expect("version"),
        server::storage::schema_level()
    );
    let methodology = surveys::Methodology::default_set().expect("methodology");
    for campaign in storage.campaigns().await.expect("campaigns") {
        let rebuilt = server::tallying::rebuild(&storage, &methodology, &campaign)
            .await
            .expect("rebuilt");
        storage
            .replace_tallies(campaign.id, &rebuilt)
            .await
            .expect("stored");
    }
    storage.close().await;
    let upgraded = TestApp::spawn_on(old).await;
    // The old schema had no publications: the open campaign, published in the reference, is
    // published here through its page as its coordinator would.
    let current = reference.demo_campaign().await;
    if !reference
        .storage
        .publications(current)
        .await
        .expect("publications")
        .is_empty()
    {
        let (admin, csrf) = upgraded.sign_in("admin").await;
        let r = admin
            .post(upgraded.url(&format!("/work/campaigns/{current}/publish")))
            .form(&[("_csrf", csrf.as_str())])
            .send()
            .await
            .expect("publish");
        assert_eq!(r.status(), 303);
    }
    let expected = figures(&reference, previous, school).await;
    let found = figures(&upgraded, previous, school).await;
    for (n, (a, b)) in expected.iter().zip(&found).enumerate() {
        assert_eq!(a, b, "figure {n} differs after the upgrade");
    }
    upgraded.finish().await;
    reference.finish().await;
}

harness::on_both_backends!(an_old_database_migrates_and_reads_the_same);
