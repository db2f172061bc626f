//! The audit log: one row per sensitive read or change (`http::access` marks the routes), read
//! back filtered for the admin's page and its CSV, and forgotten after its retention.

use super::{with_pool, Storage};
use crate::error::ServerError;

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    /// Unix seconds.
    pub at: i64,
    pub user_id: Option<i64>,
    pub login: String,
    pub action: String,
    pub path: String,
    pub address: String,
}

/// What the admin narrows the log to.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// An account's login, exactly.
    pub login: Option<String>,
    /// An action, exactly.
    pub action: Option<String>,
    /// Unix seconds, from (inclusive) and until (exclusive).
    pub from: Option<i64>,
    pub until: Option<i64>,
}

/// Writes a line of the audit log (on a pool, or inside the transaction of the change it logs).
macro_rules! insert_audit_query {
    ($line:expr) => {
        sqlx::query(
            "INSERT INTO audit_log (at, user_id, login, action, path, address)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind($line.at)
        .bind($line.user_id)
        .bind(&$line.login)
        .bind(&$line.action)
        .bind(&$line.path)
        .bind(&$line.address)
    };
}
pub(crate) use insert_audit_query;

/// The most lines one reading returns (newest first); a page or a CSV says when there were more.
pub const AUDIT_READ_LIMIT: i64 = 50_000;

impl Storage {
    /// Writes a line of the audit log.
    pub async fn record_audit(&self, line: &AuditRow) -> Result<(), ServerError> {
        with_pool!(self, pool => {
            insert_audit_query!(line).execute(pool).await?;
        });
        Ok(())
    }

    /// The lines the filter leaves, newest first, at most `AUDIT_READ_LIMIT`.
    pub async fn audit_lines(&self, f: &AuditFilter) -> Result<Vec<AuditRow>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, at, user_id, login, action, path, address FROM audit_log
                 WHERE ($1 IS NULL OR login = $1) AND ($2 IS NULL OR action = $2)
                   AND ($3 IS NULL OR at >= $3) AND ($4 IS NULL OR at < $4)
                 ORDER BY at DESC, id DESC LIMIT $5",
            )
            .bind(f.login.as_deref())
            .bind(f.action.as_deref())
            .bind(f.from)
            .bind(f.until)
            .bind(AUDIT_READ_LIMIT)
            .fetch_all(pool)
            .await?
        }))
    }

    /// The actions the log holds, in order.
    pub async fn audit_actions(&self) -> Result<Vec<String>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar("SELECT DISTINCT action FROM audit_log ORDER BY action")
                .fetch_all(pool)
                .await?
        }))
    }

    /// Forgets the lines older than `before` (Unix seconds); how many went.
    pub async fn forget_audit_before(&self, before: i64) -> Result<u64, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query("DELETE FROM audit_log WHERE at < $1")
                .bind(before)
                .execute(pool)
                .await?
                .rows_affected()
        }))
    }
}
