//! Questionnaires in progress and the access codes that open them.

use super::responses::insert_response_query;
use super::{with_pool, Storage};
use crate::error::ServerError;

/// What an access code opens.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CodeInfo {
    pub code: String,
    pub campaign_id: i64,
    pub school_id: i64,
    pub respondent_group: String,
    pub personal: bool,
    pub revoked: bool,
    pub school_name: String,
    pub campaign_name: String,
    pub methodology_version: String,
    pub opens_on: String,
    pub closes_on: String,
}

/// A stored draft.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DraftRow {
    pub token: String,
    pub code: String,
    pub answers: String,
    pub problems: String,
    pub page: i64,
    pub submission_key: String,
    pub submitted: bool,
}

impl Storage {
    pub async fn code_info(&self, code: &str) -> Result<Option<CodeInfo>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT a.code, a.campaign_id, a.school_id, a.respondent_group, a.personal, a.revoked,
                        s.name AS school_name, c.name AS campaign_name, c.methodology_version, c.opens_on, c.closes_on
                 FROM access_codes a
                 JOIN schools s ON s.id = a.school_id
                 JOIN campaigns c ON c.id = a.campaign_id
                 WHERE a.code = $1",
            )
            .bind(code)
            .fetch_optional(pool)
            .await?
        }))
    }

    pub async fn draft(&self, token: &str) -> Result<Option<DraftRow>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT token, code, answers, problems, page, submission_key, submitted FROM drafts WHERE token = $1",
            )
            .bind(token)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Creates or replaces the draft's answers, problems and page.
    pub async fn save_draft(&self, d: &DraftRow, today: &str) -> Result<(), ServerError> {
        with_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO drafts (token, code, answers, problems, page, submission_key, submitted, updated_on)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                 ON CONFLICT (token) DO UPDATE SET answers = excluded.answers, problems = excluded.problems,
                    page = excluded.page, updated_on = excluded.updated_on",
            )
            .bind(&d.token)
            .bind(&d.code)
            .bind(&d.answers)
            .bind(&d.problems)
            .bind(d.page)
            .bind(&d.submission_key)
            .bind(d.submitted)
            .bind(today)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Stores the response and marks its draft submitted in one transaction; a second call with
    /// the same draft stores nothing more. Returns whether the response was new.
    pub async fn submit_draft(
        &self,
        token: &str,
        response: &super::NewResponse<'_>,
    ) -> Result<bool, ServerError> {
        let answers = response.answers.to_string();
        let inserted = with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let inserted = insert_response_query!(response, answers)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            sqlx::query("UPDATE drafts SET submitted = TRUE WHERE token = $1")
                .bind(token)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            inserted
        });
        Ok(inserted == 1)
    }

    /// The stored response of a submitted draft, by its submission key.
    pub async fn response_by_key(
        &self,
        key: &str,
    ) -> Result<Option<(String, String)>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as("SELECT answers, submitted_on FROM responses WHERE submission_key = $1")
                .bind(key)
                .fetch_optional(pool)
                .await?
        }))
    }

    /// Deletes drafts of campaigns that closed before `today`; returns how many.
    pub async fn purge_closed_drafts(&self, today: &str) -> Result<u64, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query(
                "DELETE FROM drafts WHERE code IN (
                    SELECT a.code FROM access_codes a JOIN campaigns c ON c.id = a.campaign_id WHERE c.closes_on < $1)",
            )
            .bind(today)
            .execute(pool)
            .await?
            .rows_affected()
        }))
    }
}
