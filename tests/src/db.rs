//! Fresh databases for tests: a temporary SQLite file, or a new PostgreSQL database on the
//! server named by `ORIENTIR_TEST_POSTGRES_URL` (scripts/test.sh sets it, starting a private
//! cluster when the machine has no server).

use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::{Connection, Executor, PgConnection};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database that exists for one test.
pub struct TestDb {
    url: String,
    // Keeps the SQLite file's folder alive until the test ends.
    _dir: Option<tempfile::TempDir>,
    pg_name: Option<String>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// The PostgreSQL server for tests; a missing variable fails the test rather than skipping it.
pub fn postgres_admin_url() -> String {
    std::env::var("ORIENTIR_TEST_POSTGRES_URL").expect(
        "ORIENTIR_TEST_POSTGRES_URL is not set: run the tests through scripts/test.sh, \
         which provides a PostgreSQL server",
    )
}

impl TestDb {
    pub async fn create(backend: Backend) -> TestDb {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("data/orientir.db").display());
                TestDb {
                    url,
                    _dir: Some(dir),
                    pg_name: None,
                }
            }
            Backend::Postgres => {
                let admin = postgres_admin_url();
                let name = format!(
                    "orientir_test_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::Relaxed)
                );
                let mut conn = PgConnection::connect(&admin)
                    .await
                    .expect("PostgreSQL reachable");
                drop_stale(&mut conn).await;
                conn.execute(format!("DROP DATABASE IF EXISTS {name}").as_str())
                    .await
                    .expect("drop old test database");
                conn.execute(format!("CREATE DATABASE {name}").as_str())
                    .await
                    .expect("create test database");
                let url = replace_database(&admin, &name);
                TestDb {
                    url,
                    _dir: None,
                    pg_name: Some(name),
                }
            }
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// Removes a PostgreSQL test database (SQLite files go with their temp dir).
    pub async fn drop_database(&self) {
        if let Some(name) = &self.pg_name {
            if let Ok(mut conn) = PgConnection::connect(&postgres_admin_url()).await {
                let _ = conn
                    .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                    .await;
            }
        }
    }
}

/// Drops test databases left by test processes that no longer run (a panicking test skips
/// its cleanup).
async fn drop_stale(conn: &mut PgConnection) {
    let names: Vec<String> =
        sqlx::query_scalar("SELECT datname FROM pg_database WHERE datname LIKE 'orientir_test_%'")
            .fetch_all(&mut *conn)
            .await
            .unwrap_or_default();
    for name in names {
        let pid = name.split('_').nth(2).unwrap_or_default();
        if pid != std::process::id().to_string()
            && !std::path::Path::new(&format!("/proc/{pid}")).exists()
        {
            let _ = conn
                .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                .await;
        }
    }
}

/// The admin URL with its database name replaced.
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[scheme_end..].find('/').map(|i| scheme_end + i);
    let host = path_start.map_or(base, |i| &base[..i]);
    match query {
        Some(q) => format!("{host}/{name}?{q}"),
        None => format!("{host}/{name}"),
    }
}
