//! Anti-risk programmes: a school's programme for a published campaign, the risks it chose with
//! their reasoning, and the history of every change.

use surveys::calendar::Day;

use super::{with_pool, Storage};
use crate::error::ServerError;

/// A school's programme for a campaign.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ProgrammeRow {
    pub id: i64,
    pub campaign_id: i64,
    pub school_id: i64,
    /// `draft`, `submitted`, `returned` or `agreed`.
    pub status: String,
    #[sqlx(try_from = "String")]
    pub created_on: Day,
}

/// A risk a school chose.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ChosenRiskRow {
    pub id: i64,
    pub factor: String,
    pub reasoning: String,
}

/// One change to a programme: who, when (unix seconds), what, about what, and a comment.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ProgrammeEvent {
    pub user_id: i64,
    pub user_name: String,
    pub at: i64,
    pub action: String,
    pub subject: String,
    pub comment: String,
}

/// A risk to choose for a school's programme of a campaign.
#[derive(Debug, Clone, Copy)]
pub struct RiskChoice<'a> {
    pub campaign_id: i64,
    pub school_id: i64,
    pub factor: &'a str,
    pub reasoning: &'a str,
    /// The most risks a programme may have.
    pub max: i64,
    pub today: Day,
}

/// An event to record.
#[derive(Debug, Clone, Copy)]
pub struct NewEvent<'a> {
    pub user_id: i64,
    pub at: i64,
    pub action: &'a str,
    pub subject: &'a str,
    pub comment: &'a str,
}

/// Records an event inside the caller's transaction (one text for both backends).
macro_rules! insert_event_query {
    ($programme:expr, $e:expr) => {
        sqlx::query(
            "INSERT INTO programme_events (programme_id, user_id, at, action, subject, comment)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind($programme)
        .bind($e.user_id)
        .bind($e.at)
        .bind($e.action)
        .bind($e.subject)
        .bind($e.comment)
    };
}

const PROGRAMME_COLUMNS: &str =
    "SELECT id, campaign_id, school_id, status, created_on FROM programmes";

impl Storage {
    /// The school's programme for the campaign, if it has one.
    pub async fn programme(
        &self,
        campaign_id: i64,
        school_id: i64,
    ) -> Result<Option<ProgrammeRow>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(&format!("{PROGRAMME_COLUMNS} WHERE campaign_id = $1 AND school_id = $2"))
                .bind(campaign_id)
                .bind(school_id)
                .fetch_optional(pool)
                .await?
        }))
    }

    /// The programmes of a campaign's schools.
    pub async fn campaign_programmes(
        &self,
        campaign_id: i64,
    ) -> Result<Vec<ProgrammeRow>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(&format!("{PROGRAMME_COLUMNS} WHERE campaign_id = $1 ORDER BY school_id"))
                .bind(campaign_id)
                .fetch_all(pool)
                .await?
        }))
    }

    /// The risks a programme chose, in the order they were chosen.
    pub async fn chosen_risks(&self, programme_id: i64) -> Result<Vec<ChosenRiskRow>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, factor, reasoning FROM chosen_risks WHERE programme_id = $1 ORDER BY id",
            )
            .bind(programme_id)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Chooses a risk for the school's programme of the campaign (creating the programme as a
    /// draft when it has none), unless the programme has `max` risks already or this one; records
    /// the event. Returns whether it was added. One transaction.
    pub async fn choose_risk(
        &self,
        choice: RiskChoice<'_>,
        event: NewEvent<'_>,
    ) -> Result<bool, ServerError> {
        let RiskChoice {
            campaign_id,
            school_id,
            factor,
            reasoning,
            max,
            today,
        } = choice;
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO programmes (campaign_id, school_id, status, created_on)
                 VALUES ($1, $2, 'draft', $3) ON CONFLICT (campaign_id, school_id) DO NOTHING",
            )
            .bind(campaign_id)
            .bind(school_id)
            .bind(today.to_string())
            .execute(&mut *tx)
            .await?;
            let programme: i64 = sqlx::query_scalar(
                "SELECT id FROM programmes WHERE campaign_id = $1 AND school_id = $2",
            )
            .bind(campaign_id)
            .bind(school_id)
            .fetch_one(&mut *tx)
            .await?;
            let added = sqlx::query(
                "INSERT INTO chosen_risks (programme_id, factor, reasoning)
                 SELECT $1, $2, $3
                 WHERE (SELECT COUNT(*) FROM chosen_risks WHERE programme_id = $1) < $4
                 ON CONFLICT (programme_id, factor) DO NOTHING",
            )
            .bind(programme)
            .bind(factor)
            .bind(reasoning)
            .bind(max)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if added {
                insert_event_query!(programme, event).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(added)
        })
    }

    /// Removes a chosen risk from a programme and records the event; returns whether it was there.
    pub async fn drop_risk(
        &self,
        programme_id: i64,
        factor: &str,
        event: NewEvent<'_>,
    ) -> Result<bool, ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let removed = sqlx::query("DELETE FROM chosen_risks WHERE programme_id = $1 AND factor = $2")
                .bind(programme_id)
                .bind(factor)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                == 1;
            if removed {
                insert_event_query!(programme_id, event).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(removed)
        })
    }

    /// The history of a programme, oldest first, with the names of those who made each change.
    pub async fn programme_events(
        &self,
        programme_id: i64,
    ) -> Result<Vec<ProgrammeEvent>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT e.user_id, u.display_name AS user_name, e.at, e.action, e.subject, e.comment
                 FROM programme_events e JOIN users u ON u.id = e.user_id
                 WHERE e.programme_id = $1 ORDER BY e.id",
            )
            .bind(programme_id)
            .fetch_all(pool)
            .await?
        }))
    }
}
