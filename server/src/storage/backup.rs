//! The operator's view of the database. What a backup needs of it: a consistent copy of a running SQLite file (`VACUUM
//! INTO`, one read transaction: in WAL mode the writers keep going), a backup file opened read
//! only and checked, whether a database is empty (a restore goes into an empty one only), and
//! what a database holds, to compare a backup with its source; a campaign's answers counted and
//! purged (retention); and the gauges `/metrics` reads.

use std::path::Path;
use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::ConnectOptions;

use super::{with_pool, Storage};
use crate::error::ServerError;

/// What a database holds, as a backup's check reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holdings {
    /// The newest applied migration.
    pub schema: i64,
    pub responses: i64,
    pub accounts: i64,
    pub programmes: i64,
    /// Documents uploaded (a programme's evidence, the support work's files).
    pub files: i64,
}

impl std::fmt::Display for Holdings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "schema {}: {} responses, {} accounts, {} programmes, {} files",
            self.schema, self.responses, self.accounts, self.programmes, self.files
        )
    }
}

impl Storage {
    /// Writes a consistent copy of an SQLite database to `out` (which must not exist).
    pub async fn copy_sqlite_into(&self, out: &Path) -> Result<(), ServerError> {
        let Storage::Sqlite(pool) = self else {
            return Err(ServerError::Operation(
                "a consistent file copy is for SQLite; PostgreSQL is dumped by pg_dump".into(),
            ));
        };
        let target = out.to_str().ok_or_else(|| {
            ServerError::Operation(format!("{}: not a UTF-8 path", out.display()))
        })?;
        sqlx::query("VACUUM INTO ?")
            .bind(target)
            .execute(pool)
            .await?;
        Ok(())
    }

    /// A connection to the configured PostgreSQL database, without migrating it (a restore looks
    /// whether it is empty first).
    pub async fn connect_only(config: &crate::config::Config) -> Result<Storage, ServerError> {
        let url = config.database.expose();
        let failed =
            |e: sqlx::Error| ServerError::DatabaseOpen(format!("{}: {e}", config.database));
        Ok(match config.database.backend {
            crate::config::Backend::Sqlite => Storage::Sqlite(
                SqlitePoolOptions::new()
                    .max_connections(1)
                    .connect(url)
                    .await
                    .map_err(failed)?,
            ),
            crate::config::Backend::Postgres => Storage::Postgres(
                sqlx::postgres::PgPoolOptions::new()
                    .max_connections(1)
                    .connect(url)
                    .await
                    .map_err(failed)?,
            ),
        })
    }

    /// An SQLite backup file, opened read only (nothing is migrated or written).
    pub async fn open_sqlite_read_only(path: &Path) -> Result<Storage, ServerError> {
        let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))
            .map_err(|e| ServerError::Operation(format!("{}: {e}", path.display())))?
            .read_only(true)
            // Checking every page of a large copy takes seconds, as it should: not a warning.
            .disable_statement_logging();
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .map_err(|e| ServerError::Operation(format!("{}: {e}", path.display())))?;
        Ok(Storage::Sqlite(pool))
    }

    /// SQLite's own check of every page and index; PostgreSQL has none to run here.
    pub async fn integrity(&self) -> Result<(), ServerError> {
        if let Storage::Sqlite(pool) = self {
            let found: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
                .fetch_all(pool)
                .await?;
            if found != ["ok"] {
                return Err(ServerError::Operation(format!(
                    "the database is damaged: {}",
                    found.join("; ")
                )));
            }
        }
        Ok(())
    }

    /// Whether the database has no tables yet (nothing was ever migrated into it).
    pub async fn is_empty(&self) -> Result<bool, ServerError> {
        let tables: i64 =
            match self {
                Storage::Sqlite(pool) => {
                    sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'")
                        .fetch_one(pool)
                        .await?
                }
                Storage::Postgres(pool) => sqlx::query_scalar(
                    "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'",
                )
                .fetch_one(pool)
                .await?,
            };
        Ok(tables == 0)
    }

    /// What a scrape of `/metrics` reads at its moment: the pool, the mail waiting, the
    /// responses held (both counted through their indexes).
    pub async fn gauges(&self) -> Result<crate::metrics::Gauges, ServerError> {
        let (mail_waiting, held): (i64, i64) = with_pool!(self, pool => {
            (
                sqlx::query_scalar("SELECT COUNT(*) FROM mail_queue WHERE state IN ('waiting', 'sending')")
                    .fetch_one(pool)
                    .await?,
                sqlx::query_scalar("SELECT COUNT(*) FROM responses WHERE status = 'held'")
                    .fetch_one(pool)
                    .await?,
            )
        });
        let (backend, pool_size, pool_idle) = match self {
            Storage::Sqlite(p) => ("sqlite", p.size(), p.num_idle()),
            Storage::Postgres(p) => ("postgres", p.size(), p.num_idle()),
        };
        Ok(crate::metrics::Gauges {
            backend,
            pool_size,
            pool_idle,
            mail_waiting,
            held,
        })
    }

    /// How many answers a campaign stores (counted, held and discarded).
    pub async fn stored_answers(&self, campaign_id: i64) -> Result<i64, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM responses WHERE campaign_id = $1")
                .bind(campaign_id)
                .fetch_one(pool)
                .await?
        }))
    }

    /// Deletes a campaign's stored answers in one transaction (its sums, publications and
    /// published tallies stay); how many went.
    pub async fn purge_answers(&self, campaign_id: i64) -> Result<u64, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query("DELETE FROM responses WHERE campaign_id = $1")
                .bind(campaign_id)
                .execute(pool)
                .await?
                .rows_affected()
        }))
    }

    /// What the database holds.
    pub async fn holdings(&self) -> Result<Holdings, ServerError> {
        Ok(Holdings {
            schema: self.schema_version().await?,
            responses: self.rows_of("responses").await?,
            accounts: self.rows_of("users").await?,
            programmes: self.rows_of("programmes").await?,
            files: self.rows_of("programme_files").await? + self.rows_of("support_files").await?,
        })
    }

    /// How many rows a table of ours has.
    async fn rows_of(&self, table: &'static str) -> Result<i64, ServerError> {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar(&sql).fetch_one(pool).await?
        }))
    }
}
