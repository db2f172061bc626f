//! Completed questionnaires, stored raw with the instrument and methodology versions: one insert
//! (idempotent by the submission key, holding a group code's surplus) for every way a response
//! arrives, counts per school and group, and reads by key, by campaign, and — of the published
//! ones — for scoring and page by page for exports.

use std::collections::HashMap;

use surveys::calendar::Day;
use surveys::{Group, RawAnswers};

use super::{with_pool, DraftWrite, Storage, TallyPiece, Written};
use crate::error::ServerError;

/// A completed questionnaire to store.
#[derive(Debug, Clone)]
pub struct ResponseRow {
    pub campaign_id: i64,
    pub school_id: i64,
    pub group: Group,
    pub instrument_key: String,
    pub instrument_version: u32,
    pub methodology_version: String,
    /// The answers as JSON text.
    pub answers: String,
    /// Only the day is kept (privacy).
    pub submitted_on: Day,
    /// Chosen by the submitting form; a repeated submit with the same key is stored once.
    pub submission_key: String,
    /// For a group code: how many of the school's group may be counted before a further
    /// submission is held for a coordinator's decision (`Rules::surplus_limit`). `None` for a
    /// personal code, which is sent once.
    pub surplus_limit: Option<u64>,
    /// What the response adds to its group's sums, when the caller scored it (the writer adds
    /// it to the live tally if the response is counted).
    pub tally: Option<TallyPiece>,
}

/// How many responses a school has from a group (held ones included), and how many of them
/// are held as surplus.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct GroupCount {
    pub school_id: i64,
    #[sqlx(rename = "respondent_group", try_from = "String")]
    pub group: Group,
    pub responses: i64,
    pub held: i64,
}

/// A stored response as the scoring and the exports read it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredResponse {
    pub id: i64,
    pub school_id: i64,
    #[sqlx(rename = "respondent_group", try_from = "String")]
    pub group: Group,
    /// The answers as JSON text.
    pub answers: String,
    #[sqlx(try_from = "String")]
    pub submitted_on: Day,
}

/// The published answers of one school's group (`Storage::published_answers`).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PublishedAnswers {
    pub school_id: i64,
    #[sqlx(rename = "respondent_group", try_from = "String")]
    pub group: Group,
    /// The answers' JSON objects, joined with commas.
    answers: String,
}

impl PublishedAnswers {
    /// Each response's answers as keyed raw values, in submission order.
    pub fn raw(&self) -> Result<Vec<RawAnswers>, ServerError> {
        serde_json::from_str(&format!("[{}]", self.answers))
            .map_err(|e| ServerError::Inconsistent(format!("stored answers are not JSON: {e}")))
    }
}

impl StoredResponse {
    /// The answers as keyed raw values.
    pub fn raw(&self) -> Result<RawAnswers, ServerError> {
        serde_json::from_str(&self.answers)
            .map_err(|e| ServerError::Inconsistent(format!("stored answers are not JSON: {e}")))
    }
}

const RESPONSE_COLUMNS: &str =
    "SELECT id, school_id, respondent_group, answers, submitted_on FROM responses";

/// The insert of a response, idempotent by submission key; one text for both backends, run
/// inside the caller's transaction. A submission beyond the group's surplus limit is stored
/// `held`; the count stops at the limit, so a submission costs the same whatever the group's
/// size. Gives the new row's id and status, nothing for a repeated submission.
macro_rules! insert_response_query {
    ($r:expr) => {
        sqlx::query_as::<_, (i64, String)>(
            "INSERT INTO responses (campaign_id, school_id, respondent_group, instrument_key,
                instrument_version, methodology_version, answers, submitted_on, submission_key, status)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,
                CASE WHEN (SELECT COUNT(*) FROM (SELECT 1 FROM responses
                           WHERE campaign_id = $1 AND school_id = $2 AND respondent_group = $3
                             AND status <> 'discarded' LIMIT $10) AS received) >= $10
                     THEN 'held' ELSE 'counted' END)
             ON CONFLICT (submission_key) DO NOTHING
             RETURNING id, status",
        )
        .bind($r.campaign_id)
        .bind($r.school_id)
        .bind($r.group.key())
        .bind(&$r.instrument_key)
        .bind(i64::from($r.instrument_version))
        .bind(&$r.methodology_version)
        .bind(&$r.answers)
        .bind($r.submitted_on.to_string())
        .bind(&$r.submission_key)
        .bind(
            $r.surplus_limit
                .map_or(i64::MAX, |n| i64::try_from(n).unwrap_or(i64::MAX)),
        )
    };
}
pub(crate) use insert_response_query;

/// Published responses of a campaign's group read a page at a time, in an order that carries no
/// time: by a keyed hash of each response's id (the key is the server's and never leaves it), so
/// that nobody who watched the counts grow can tell which row arrived when. Only the ids (eight
/// bytes a response) are held in memory; the rows come a page at a time.
pub struct ResponsePages<'a> {
    storage: &'a Storage,
    /// The published responses' ids in the order they go out, and how many have gone.
    ids: Vec<i64>,
    done: usize,
    size: usize,
}

impl ResponsePages<'_> {
    /// The next page; empty when every response has been read.
    pub async fn next(&mut self) -> Result<Vec<StoredResponse>, ServerError> {
        let chunk: Vec<i64> = self
            .ids
            .iter()
            .skip(self.done)
            .take(self.size)
            .copied()
            .collect();
        if chunk.is_empty() {
            return Ok(Vec::new());
        }
        self.done += chunk.len();
        let list = chunk
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        // Ids of this server's own rows, as numbers: no text of anyone's reaches the query. Not
        // kept as a prepared statement: each page's list is another statement, and a connection
        // keeping a hundred of them held 150 MB more for a million-row export.
        let mut page: Vec<StoredResponse> = with_pool!(self.storage, pool => {
            sqlx::query_as(&format!("{RESPONSE_COLUMNS} WHERE id IN ({list})"))
                .persistent(false)
                .fetch_all(pool)
                .await?
        });
        let place: HashMap<i64, usize> = chunk.iter().enumerate().map(|(n, id)| (*id, n)).collect();
        page.sort_by_key(|r| place.get(&r.id).copied().unwrap_or(usize::MAX));
        Ok(page)
    }
}

impl Storage {
    /// Stores a response unless one with the same submission key exists (through the writes of
    /// the respondent side). Returns whether it was new; when this returns, it is committed.
    pub async fn insert_response(&self, r: &ResponseRow) -> Result<bool, ServerError> {
        let stored = self
            .write_drafts(std::slice::from_ref(&DraftWrite::Response(r.clone())))
            .await?;
        Ok(stored.first() == Some(&Written::Done { stored: true }))
    }

    /// Responses of a campaign as they arrive (discarded ones not), counted per school and group:
    /// the counted ones as their live tallies count them (a row per group, not a count over
    /// every response), and the held ones through their own index.
    pub async fn response_counts(&self, campaign_id: i64) -> Result<Vec<GroupCount>, ServerError> {
        let (counted, held): (Vec<GroupCount>, Vec<GroupCount>) = with_pool!(self, pool => {
            let counted = sqlx::query_as(
                "SELECT school_id, respondent_group, responses, CAST(0 AS BIGINT) AS held
                 FROM live_tallies WHERE campaign_id = $1 AND responses > 0",
            )
            .bind(campaign_id)
            .fetch_all(pool)
            .await?;
            let held = sqlx::query_as(
                "SELECT school_id, respondent_group, COUNT(*) AS responses, COUNT(*) AS held
                 FROM responses WHERE campaign_id = $1 AND status = 'held'
                 GROUP BY school_id, respondent_group",
            )
            .bind(campaign_id)
            .fetch_all(pool)
            .await?;
            (counted, held)
        });
        let mut counts: std::collections::BTreeMap<(i64, Group), GroupCount> = counted
            .into_iter()
            .map(|c| ((c.school_id, c.group), c))
            .collect();
        for h in held {
            counts
                .entry((h.school_id, h.group))
                .and_modify(|c| {
                    c.responses += h.held;
                    c.held = h.held;
                })
                .or_insert(h);
        }
        Ok(counts.into_values().collect())
    }

    /// The responses of a campaign its latest publication holds, counted per school and group
    /// (as that publication's tallies count them).
    pub async fn published_counts(&self, campaign_id: i64) -> Result<Vec<GroupCount>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT school_id, respondent_group, responses, CAST(0 AS BIGINT) AS held
                 FROM published_tallies
                 WHERE publication_id = (SELECT MAX(id) FROM publications WHERE campaign_id = $1)
                   AND responses > 0
                 ORDER BY school_id, respondent_group",
            )
            .bind(campaign_id)
            .fetch_all(pool)
            .await?
        }))
    }

    /// How many responses a campaign has in all.
    pub async fn response_total(&self, campaign_id: i64) -> Result<i64, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM responses WHERE campaign_id = $1")
                .bind(campaign_id)
                .fetch_one(pool)
                .await?
        }))
    }

    /// The published answers of a campaign (or of one school of it), one row per school and
    /// group: the answers' JSON objects joined with commas in submission order — what profiles
    /// are scored from. A row per group, not per response: a million responses cross from the
    /// database in a few thousand rows.
    pub async fn published_answers(
        &self,
        campaign_id: i64,
        school_id: Option<i64>,
    ) -> Result<Vec<PublishedAnswers>, ServerError> {
        let join = match self {
            Storage::Sqlite(_) => "group_concat(r.answers, ',' ORDER BY r.id)",
            Storage::Postgres(_) => "string_agg(r.answers, ',' ORDER BY r.id)",
        };
        let school = if school_id.is_some() {
            "AND r.school_id = $2"
        } else {
            ""
        };
        // What the latest publication holds: the counted responses of each group up to its
        // tally's last.
        let sql = format!(
            "SELECT r.school_id, r.respondent_group, {join} AS answers FROM responses r
             JOIN published_tallies t
               ON t.publication_id = (SELECT MAX(id) FROM publications WHERE campaign_id = $1)
              AND t.school_id = r.school_id AND t.respondent_group = r.respondent_group
              AND r.id <= t.through_id AND r.status = 'counted'
             WHERE r.campaign_id = $1 {school}
             GROUP BY r.school_id, r.respondent_group ORDER BY r.school_id, r.respondent_group"
        );
        Ok(with_pool!(self, pool => {
            let mut query = sqlx::query_as(&sql).bind(campaign_id);
            if let Some(school) = school_id {
                query = query.bind(school);
            }
            query.fetch_all(pool).await?
        }))
    }

    /// Every response of a campaign as stored (held and discarded ones too), in submission order.
    pub async fn campaign_responses(
        &self,
        campaign_id: i64,
    ) -> Result<Vec<StoredResponse>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(&format!("{RESPONSE_COLUMNS} WHERE campaign_id = $1 ORDER BY id"))
                .bind(campaign_id)
                .fetch_all(pool)
                .await?
        }))
    }

    /// The published responses of a group of a campaign, page by page, in the order of a keyed
    /// hash (`ResponsePages`).
    pub async fn response_pages(
        &self,
        campaign_id: i64,
        group: Group,
        size: i64,
    ) -> Result<ResponsePages<'_>, ServerError> {
        let through: Vec<(i64, i64)> = with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT school_id, through_id FROM published_tallies
                 WHERE publication_id = (SELECT MAX(id) FROM publications WHERE campaign_id = $1)
                   AND respondent_group = $2",
            )
            .bind(campaign_id)
            .bind(group.key())
            .fetch_all(pool)
            .await?
        });
        let through: HashMap<i64, i64> = through.into_iter().collect();
        let last = through.values().max().copied().unwrap_or(0);
        let key = self
            .server_secret("export-order", &crate::secrets::random_hex(32))
            .await?;
        // Streamed: a million responses cross as ids and places (16 bytes each), not as rows.
        let mut ids: Vec<(u64, i64)> = Vec::new();
        with_pool!(self, pool => {
            use futures_util::TryStreamExt;
            let mut rows = sqlx::query_as::<_, (i64, i64)>(
                "SELECT id, school_id FROM responses
                 WHERE campaign_id = $1 AND respondent_group = $2 AND id <= $3 AND status = 'counted'",
            )
            .bind(campaign_id)
            .bind(group.key())
            .bind(last)
            .fetch(pool);
            while let Some((id, school)) = rows.try_next().await? {
                if through.get(&school).is_some_and(|t| id <= *t) {
                    ids.push((crate::secrets::keyed_number(key.as_bytes(), &[&id.to_le_bytes()]), id));
                }
            }
        });
        ids.sort_unstable();
        Ok(ResponsePages {
            storage: self,
            ids: ids.into_iter().map(|(_, id)| id).collect(),
            done: 0,
            size: usize::try_from(size).unwrap_or(1).max(1),
        })
    }

    /// One response, by its submission key.
    pub async fn response(
        &self,
        submission_key: &str,
    ) -> Result<Option<StoredResponse>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(&format!("{RESPONSE_COLUMNS} WHERE submission_key = $1"))
                .bind(submission_key)
                .fetch_optional(pool)
                .await?
        }))
    }
}
