//! Completed questionnaires, stored raw with the instrument and methodology versions.

use surveys::calendar::Day;
use surveys::Group;

use super::{with_pool, Storage};
use crate::error::ServerError;

/// A completed questionnaire to store.
#[derive(Debug, Clone)]
pub struct NewResponse<'a> {
    pub campaign_id: i64,
    pub school_id: i64,
    pub group: Group,
    pub instrument_key: &'a str,
    pub instrument_version: u32,
    pub methodology_version: &'a str,
    /// The answers as a JSON object keyed by item key.
    pub answers: &'a serde_json::Value,
    /// Only the day is kept (privacy).
    pub submitted_on: Day,
    /// Chosen by the submitting form; a repeated submit with the same key is stored once.
    pub submission_key: &'a str,
}

/// The insert of a response, idempotent by submission key; one text for both backends and for
/// both the plain insert and the draft's submit transaction.
macro_rules! insert_response_query {
    ($r:expr, $answers:expr) => {
        sqlx::query(
            "INSERT INTO responses (campaign_id, school_id, respondent_group, instrument_key,
                instrument_version, methodology_version, answers, submitted_on, submission_key)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT (submission_key) DO NOTHING",
        )
        .bind($r.campaign_id)
        .bind($r.school_id)
        .bind($r.group.key())
        .bind(&*$r.instrument_key)
        .bind(i64::from($r.instrument_version))
        .bind(&*$r.methodology_version)
        .bind(&*$answers)
        .bind($r.submitted_on.to_string())
        .bind(&*$r.submission_key)
    };
}
pub(crate) use insert_response_query;

impl Storage {
    /// Stores a response unless one with the same submission key exists. Returns whether it was
    /// new. When this returns, the row is committed (and on SQLite synced to disk).
    pub async fn insert_response(&self, r: &NewResponse<'_>) -> Result<bool, ServerError> {
        let answers = r.answers.to_string();
        let result = with_pool!(self, pool => {
            insert_response_query!(r, answers)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(result == 1)
    }

    /// Responses of a campaign, counted per school and group: (school id, group, count).
    pub async fn response_counts(
        &self,
        campaign_id: i64,
    ) -> Result<Vec<(i64, String, i64)>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT school_id, respondent_group, COUNT(*) FROM responses WHERE campaign_id = $1
                 GROUP BY school_id, respondent_group ORDER BY school_id, respondent_group",
            )
            .bind(campaign_id)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Every response of a campaign as (school id, group, answers JSON), in submission order.
    pub async fn campaign_responses(
        &self,
        campaign_id: i64,
    ) -> Result<Vec<(i64, String, String)>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT school_id, respondent_group, answers FROM responses WHERE campaign_id = $1
                 ORDER BY id",
            )
            .bind(campaign_id)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Up to `limit` responses of a group of a campaign after response id `after`, as (id,
    /// school id, answers JSON) in id order: a caller pages through any number of responses
    /// with constant memory.
    pub async fn responses_after(
        &self,
        campaign_id: i64,
        group: &str,
        after: i64,
        limit: i64,
    ) -> Result<Vec<(i64, i64, String)>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, school_id, answers FROM responses
                 WHERE campaign_id = $1 AND respondent_group = $2 AND id > $3
                 ORDER BY id LIMIT $4",
            )
            .bind(campaign_id)
            .bind(group)
            .bind(after)
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }

    /// The stored answers of one response, by submission key.
    pub async fn response_answers(
        &self,
        submission_key: &str,
    ) -> Result<Option<serde_json::Value>, ServerError> {
        let text: Option<String> = with_pool!(self, pool => {
            sqlx::query_scalar("SELECT answers FROM responses WHERE submission_key = $1")
                .bind(submission_key)
                .fetch_optional(pool)
                .await?
        });
        text.map(|t| {
            serde_json::from_str(&t)
                .map_err(|e| ServerError::Inconsistent(format!("stored answers are not JSON: {e}")))
        })
        .transpose()
    }
}
