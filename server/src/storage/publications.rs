//! Publications of a campaign's aggregates and the decisions on a group code's surplus: which
//! responses each publication took in, what is still unpublished, and a coordinator's decision
//! to admit or discard held submissions.

use surveys::calendar::Day;
use surveys::Group;

use super::responses::GroupCount;
use super::{with_pool, Storage};
use crate::error::ServerError;

/// A publication of a campaign.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PublicationRow {
    pub id: i64,
    /// 1 for the first publication of the campaign, and so on.
    pub number: i64,
    #[sqlx(try_from = "String")]
    pub published_on: Day,
    /// The account that published before the close; `None` for the publication at the close.
    pub published_by: Option<i64>,
    pub at_close: bool,
}

/// What a coordinator decided about a group's held submissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surplus {
    /// They belong: counted from now on (published with the group's next publication).
    Admit,
    /// They do not: kept, never counted or exported.
    Discard,
}

impl Storage {
    /// The campaign's publications, newest first.
    pub async fn publications(&self, campaign_id: i64) -> Result<Vec<PublicationRow>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, number, published_on, published_by, at_close FROM publications
                 WHERE campaign_id = $1 ORDER BY number DESC",
            )
            .bind(campaign_id)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Counted responses no publication has taken in yet, per school and group.
    pub async fn unpublished_counts(
        &self,
        campaign_id: i64,
    ) -> Result<Vec<GroupCount>, ServerError> {
        self.counts_where(campaign_id, "publication_id IS NULL AND status = 'counted'")
            .await
    }

    /// Makes the campaign's next publication, taking in the unpublished counted responses of
    /// the given (school, group) pairs, in one transaction. Returns the publication's number.
    pub async fn publish(
        &self,
        campaign_id: i64,
        today: Day,
        by: Option<i64>,
        groups: &[(i64, Group)],
    ) -> Result<i64, ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let (id, number): (i64, i64) = sqlx::query_as(
                "INSERT INTO publications (campaign_id, number, published_on, published_by, at_close)
                 VALUES ($1, (SELECT COALESCE(MAX(number), 0) + 1 FROM publications WHERE campaign_id = $1),
                         $2, $3, $4)
                 RETURNING id, number",
            )
            .bind(campaign_id)
            .bind(today.to_string())
            .bind(by)
            .bind(by.is_none())
            .fetch_one(&mut *tx)
            .await?;
            for (school, group) in groups {
                sqlx::query(
                    "UPDATE responses SET publication_id = $1
                     WHERE campaign_id = $2 AND school_id = $3 AND respondent_group = $4
                       AND publication_id IS NULL AND status = 'counted'",
                )
                .bind(id)
                .bind(campaign_id)
                .bind(school)
                .bind(group.key())
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(number)
        })
    }

    /// Applies a coordinator's decision to a school's group's held submissions; returns how
    /// many it changed.
    pub async fn decide_surplus(
        &self,
        campaign_id: i64,
        school_id: i64,
        group: Group,
        decision: Surplus,
    ) -> Result<u64, ServerError> {
        let status = match decision {
            Surplus::Admit => "counted",
            Surplus::Discard => "discarded",
        };
        Ok(with_pool!(self, pool => {
            sqlx::query(
                "UPDATE responses SET status = $1
                 WHERE campaign_id = $2 AND school_id = $3 AND respondent_group = $4 AND status = 'held'",
            )
            .bind(status)
            .bind(campaign_id)
            .bind(school_id)
            .bind(group.key())
            .execute(pool)
            .await?
            .rows_affected()
        }))
    }
}
