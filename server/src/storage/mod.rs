//! Storage behind one interface with two backends: SQLite (embedded default) and PostgreSQL.
//! One file per kind of data: `places` (the registry), `campaigns` (with their schools and
//! access codes), `responses`, `tallies` (their sufficient statistics), `publications` (with decisions on a group code's surplus), `programmes` (anti-risk programmes), `results` (educational results, cohorts, results targets), `stages` (their stage dates, stage reports and evidence files), `drafts` (with the respondent side's writes, which `writer`
//! batches), `accounts` (with sessions).
//!
//! The SQL is kept portable (`$n` placeholders, `RETURNING`, `ON CONFLICT`, integers and text) so
//! each query is written once and run on whichever pool is configured; `with_pool!` expands a
//! body for both pool types. Each backend has its own migration folder.

mod accounts;
mod audit;
mod backup;
mod campaigns;
mod development;
mod drafts;
mod notices;
mod places;
mod programmes;
mod publications;
mod responses;
mod results;
mod stages;
mod support;
mod tallies;
mod writer;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::config::{Backend, Config};
use crate::error::ServerError;

pub use accounts::{FailureRow, RoleRow, SessionRow, UserRow};
pub use audit::{AuditFilter, AuditRow, AUDIT_READ_LIMIT};
pub use backup::Holdings;
pub use campaigns::{
    AccessCode, CampaignRow, CodeInfo, ExpectedCounts, NewCampaign, SchoolInCampaign, SchoolPlan,
};
pub use development::{NewPlan, PlanItemRow, PlanRow, ShareRow, SharedPlanRow, MOST_ITEMS};
pub use drafts::{DraftRow, DraftWrite, Written};
pub use notices::{MailRow, MailSettings, NewMail, NewNotice, NoticeRow, Sent};
pub use places::{Conflict, Named, PlacedSchool, Registry, RegistryRow};
pub use programmes::{
    measure_overdue, ChosenRiskRow, MeasureFields, MeasureRow, MeasureState, NewEvent,
    ProgrammeEvent, ProgrammeRow, ResultTargetRow, RiskChoice, TargetRow,
};
pub use publications::{PublicationRow, Surplus};
pub use responses::{GroupCount, PublishedAnswers, ResponsePages, ResponseRow, StoredResponse};
pub use results::{
    CohortChange, CohortEntry, CohortEventRow, CohortRow, NewImport, ResultImportRow, ResultRow,
};
pub use stages::{FileRow, MeasureMark, NewFile, StageReportRow, StageRow};
pub use support::{
    ActivityFields, ActivityRow, Change, EventFields, EventRow, EventSchoolRow, HistoryRow,
    MessageRow, NewSupportFile, QuestionRow, RecommendationRow, RoadmapRow, SupportFileRow,
    TrackRow, UnfiledStage, VisitFields, VisitRow,
};
pub use tallies::{CountedResponse, PublishedThrough, Rebuilt, Sums, TallyPiece, TallyRow};
pub use writer::DraftWriter;

/// Runs `$body` with `$pool` bound to the configured pool, whatever its backend.
macro_rules! with_pool {
    ($storage:expr, $pool:ident => $body:expr) => {
        match $storage {
            $crate::storage::Storage::Sqlite($pool) => $body,
            $crate::storage::Storage::Postgres($pool) => $body,
        }
    };
}
pub(crate) use with_pool;

/// The schema level this binary brings a database to: the version of its newest migration (the
/// same on both backends).
pub fn schema_level() -> i64 {
    sqlx::migrate!("../migrations/sqlite")
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap_or(0)
}

/// A connection pool to the configured database.
#[derive(Clone, Debug)]
pub enum Storage {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// How long to wait for a connection before reporting the database unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

impl Storage {
    /// Opens the database (creating an SQLite file and its folder) and applies pending migrations.
    pub async fn open(config: &Config) -> Result<Storage, ServerError> {
        let url = config.database.expose();
        let open_err =
            |e: sqlx::Error| ServerError::DatabaseOpen(format!("{}: {e}", config.database));
        let storage = match config.database.backend {
            Backend::Sqlite => {
                let options = SqliteConnectOptions::from_str(url)
                    .map_err(open_err)?
                    .create_if_missing(true)
                    // WAL lets readers run beside the writer; FULL syncs the WAL on every commit,
                    // so an acknowledged submission survives a power cut, not only a crash.
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Full)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10));
                if let Some(parent) = options.get_filename().parent() {
                    if !parent.as_os_str().is_empty() {
                        std::fs::create_dir_all(parent).map_err(|e| {
                            ServerError::DatabaseOpen(format!(
                                "cannot create {}: {e}",
                                parent.display()
                            ))
                        })?;
                    }
                }
                let pool = SqlitePoolOptions::new()
                    .max_connections(config.db_max_connections)
                    .acquire_timeout(CONNECT_TIMEOUT)
                    .connect_with(options)
                    .await
                    .map_err(open_err)?;
                sqlx::migrate!("../migrations/sqlite").run(&pool).await?;
                Storage::Sqlite(pool)
            }
            Backend::Postgres => {
                let options = PgConnectOptions::from_str(url).map_err(open_err)?;
                let pool = PgPoolOptions::new()
                    .max_connections(config.db_max_connections)
                    .acquire_timeout(CONNECT_TIMEOUT)
                    .connect_with(options)
                    .await
                    .map_err(open_err)?;
                sqlx::migrate!("../migrations/postgres").run(&pool).await?;
                Storage::Postgres(pool)
            }
        };
        Ok(storage)
    }

    /// The storage a long-lived writer keeps: on SQLite one connection of its own to the same
    /// file, whose page cache stays warm from batch to batch (a connection that did not make the
    /// database's last write drops its cache and reads its pages again); on PostgreSQL the
    /// shared pool.
    pub fn for_writer(&self) -> Storage {
        match self {
            Storage::Sqlite(pool) => Storage::Sqlite(
                SqlitePoolOptions::new()
                    .max_connections(1)
                    .acquire_timeout(CONNECT_TIMEOUT)
                    .connect_lazy_with((*pool.connect_options()).clone()),
            ),
            Storage::Postgres(_) => self.clone(),
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Storage::Sqlite(_) => Backend::Sqlite,
            Storage::Postgres(_) => Backend::Postgres,
        }
    }

    /// The version of the newest applied migration.
    ///
    /// (`schema_level` is the newest this binary applies.)
    pub async fn schema_version(&self) -> Result<i64, ServerError> {
        let version: Option<i64> = with_pool!(self, pool => {
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
                .fetch_one(pool)
                .await?
        });
        version.ok_or_else(|| ServerError::Inconsistent("no migration has been applied".into()))
    }

    pub async fn close(&self) {
        with_pool!(self, pool => pool.close().await)
    }

    /// A secret of the server by name, made at random (`value`) the first time it is asked for:
    /// every instance on this database gets the same one.
    pub async fn server_secret(&self, name: &str, value: &str) -> Result<String, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
            )
            .bind(name)
            .bind(value)
            .execute(pool)
            .await?;
            sqlx::query_scalar("SELECT value FROM server_secrets WHERE name = $1")
                .bind(name)
                .fetch_one(pool)
                .await?
        }))
    }
}

#[cfg(test)]
mod schema_tests {
    #[test]
    fn both_backends_migrate_to_the_same_levels() {
        let versions = |m: sqlx::migrate::Migrator| -> Vec<i64> {
            m.iter().map(|x| x.version).collect::<Vec<_>>()
        };
        let sqlite = versions(sqlx::migrate!("../migrations/sqlite"));
        let postgres = versions(sqlx::migrate!("../migrations/postgres"));
        assert_eq!(sqlite, postgres);
        assert_eq!(
            super::schema_level(),
            *sqlite.iter().max().expect("migrations")
        );
    }
}
