//! Publications of a campaign's aggregates and the decisions on a group code's surplus: which
//! responses each publication took in, what is still unpublished, and a coordinator's decision
//! to admit or discard held submissions.

use std::collections::BTreeMap;

use surveys::calendar::Day;
use surveys::Group;

use super::responses::GroupCount;
use super::tallies::{add_to_live, lock_live, mark_tallied, push, Additions};
use super::TallyPiece;
use super::{with_pool, Storage};
use crate::error::ServerError;

/// Schools in one statement of a publication (a parameter each).
const SCHOOLS_PER_STATEMENT: usize = 900;

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
    /// The methodology fingerprint under which every group it holds is tallied; `None` when
    /// some are not (then its scores are read from the answers).
    pub tallied: Option<String>,
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
                "SELECT id, number, published_on, published_by, at_close, tallied FROM publications
                 WHERE campaign_id = $1 ORDER BY number DESC",
            )
            .bind(campaign_id)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Counted responses no publication has taken in yet, per school and group: what the live
    /// tallies count beyond the latest publication's.
    pub async fn unpublished_counts(
        &self,
        campaign_id: i64,
    ) -> Result<Vec<GroupCount>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT l.school_id, l.respondent_group, l.responses - COALESCE(t.responses, 0) AS responses,
                        CAST(0 AS BIGINT) AS held
                 FROM live_tallies l LEFT JOIN published_tallies t
                   ON t.publication_id = (SELECT MAX(id) FROM publications WHERE campaign_id = $1)
                  AND t.school_id = l.school_id AND t.respondent_group = l.respondent_group
                 WHERE l.campaign_id = $1 AND l.responses > COALESCE(t.responses, 0)
                 ORDER BY l.school_id, l.respondent_group",
            )
            .bind(campaign_id)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Makes the campaign's next publication in one transaction: the live tallies of the given
    /// (school, group) pairs — which count, through their `through_id`, the responses it takes
    /// in — and the other groups' carried from the last publication. No response row is
    /// written. The publication is marked tallied under `fingerprint` when every group's tally
    /// sums what it counts. Returns the publication's number.
    pub async fn publish(
        &self,
        campaign_id: i64,
        today: Day,
        by: Option<i64>,
        groups: &[(i64, Group)],
        fingerprint: &str,
    ) -> Result<i64, ServerError> {
        // Each group's schools, so that every statement picks rows by one group and a list of
        // schools (an index lookup on both backends).
        let mut schools: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
        for (school, group) in groups {
            schools.entry(group.key()).or_default().push(*school);
        }
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            // A write first: on SQLite the transaction then excludes every writer at once.
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
            if let Storage::Postgres(_) = self {
                // The campaign's live tallies locked, in the order writers lock them
                // (`lock_live!`: byte order of the group's key), so that a response is stored
                // either before the publication (counted by the tally it copies) or after it.
                sqlx::query(
                    "SELECT school_id FROM live_tallies WHERE campaign_id = $1
                     ORDER BY school_id, respondent_group COLLATE \"C\" FOR UPDATE",
                )
                .bind(campaign_id)
                .execute(&mut *tx)
                .await?;
            }
            let previous: Option<i64> = sqlx::query_scalar(
                "SELECT MAX(id) FROM publications WHERE campaign_id = $1 AND id < $2",
            )
            .bind(campaign_id)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            if let Some(previous) = previous {
                sqlx::query(
                    "INSERT INTO published_tallies (publication_id, school_id, respondent_group, fingerprint, responses, profile, quality, through_id)
                     SELECT $1, school_id, respondent_group, fingerprint, responses, profile, quality, through_id
                     FROM published_tallies WHERE publication_id = $2",
                )
                .bind(id)
                .bind(previous)
                .execute(&mut *tx)
                .await?;
            }
            for (group, schools) in &schools {
                for chunk in schools.chunks(SCHOOLS_PER_STATEMENT) {
                    // `school_id IN ($4, $5, …)`
                    let list = (0..chunk.len())
                        .map(|i| format!("${}", i + 4))
                        .collect::<Vec<_>>()
                        .join(", ");
                    let these = format!("respondent_group = $3 AND school_id IN ({list})");
                    let statements = [
                        format!("DELETE FROM published_tallies WHERE publication_id = $1 AND $2 = $2 AND {these}"),
                        format!(
                            "INSERT INTO published_tallies (publication_id, school_id, respondent_group, fingerprint, responses, profile, quality, through_id)
                             SELECT $1, school_id, respondent_group, fingerprint, responses, profile, quality, through_id
                             FROM live_tallies WHERE campaign_id = $2 AND {these}"
                        ),
                    ];
                    for sql in &statements {
                        let mut query = sqlx::query(sql).bind(id).bind(campaign_id).bind(group);
                        for school in chunk {
                            query = query.bind(school);
                        }
                        query.execute(&mut *tx).await?;
                    }
                }
            }
            mark_tallied!(tx, id, fingerprint);
            tx.commit().await?;
            Ok(number)
        })
    }

    /// Applies a coordinator's decision to a school's group's held submissions, in one
    /// transaction; admitted ones take new ids (the group's next, in the order its tally counts
    /// them) and join the live tally with the piece `tally` gives for each (from its stored
    /// answers and new id). Returns how many it changed.
    pub async fn decide_surplus(
        &self,
        campaign_id: i64,
        school_id: i64,
        group: Group,
        decision: Surplus,
        tally: &(dyn Fn(&str, i64) -> Option<TallyPiece> + Sync),
    ) -> Result<u64, ServerError> {
        let renumber = match self {
            Storage::Postgres(_) => "nextval(pg_get_serial_sequence('responses', 'id'))",
            Storage::Sqlite(_) => "(SELECT MAX(id) + 1 FROM responses)",
        };
        let admit = format!(
            "UPDATE responses SET status = 'counted', id = {renumber} WHERE id = $1 RETURNING id"
        );
        Ok(with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            lock_live!(self, tx, [(campaign_id, school_id, group.key())]);
            let held: Vec<(i64, String)> = sqlx::query_as(
                "SELECT id, answers FROM responses
                 WHERE campaign_id = $1 AND school_id = $2 AND respondent_group = $3 AND status = 'held'
                 ORDER BY id",
            )
            .bind(campaign_id)
            .bind(school_id)
            .bind(group.key())
            .fetch_all(&mut *tx)
            .await?;
            let mut additions = Additions::new();
            for (id, answers) in &held {
                if decision == Surplus::Discard {
                    sqlx::query("UPDATE responses SET status = 'discarded' WHERE id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    continue;
                }
                let id: i64 = sqlx::query_scalar(&admit).bind(id).fetch_one(&mut *tx).await?;
                let piece = tally(answers, id).unwrap_or_else(TallyPiece::unsummed);
                push(&mut additions, (campaign_id, school_id, group), id, piece);
            }
            add_to_live!(tx, &additions);
            tx.commit().await?;
            held.len() as u64
        }))
    }
}
