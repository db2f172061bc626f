//! Questionnaires in progress (one draft per respondent, page by page) and the writes of the
//! respondent side: a page saved, a questionnaire submitted, a response stored.

use surveys::calendar::Day;

use super::responses::{insert_response_query, ResponseRow};
use super::tallies::{add_to_live, lock_live, push, Additions, TallyPiece};
use super::{with_pool, Storage};
use crate::error::ServerError;

/// A write of the respondent side: a page saved, the final submit (the response stored and the
/// draft marked submitted), or a response stored without a draft (the demo's generated ones).
/// Responses are idempotent by their submission key.
#[derive(Debug, Clone)]
pub enum DraftWrite {
    Save {
        draft: DraftRow,
        today: Day,
    },
    Submit {
        draft: DraftRow,
        today: Day,
        response: ResponseRow,
    },
    Response(ResponseRow),
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
    /// For a personal code: the SHA-256 of the draft cookie of the device that keeps it.
    pub device_hash: Option<String>,
    /// For a submitted diagnostic: the SHA-256 of the result key given to the teacher.
    pub result_key_hash: Option<String>,
}

impl Storage {
    pub async fn draft(&self, token: &str) -> Result<Option<DraftRow>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT token, code, answers, problems, page, submission_key, submitted, device_hash, result_key_hash
                 FROM drafts WHERE token = $1",
            )
            .bind(token)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Creates or replaces the draft's answers, problems and page.
    pub async fn save_draft(&self, d: &DraftRow, today: Day) -> Result<(), ServerError> {
        let op = DraftWrite::Save {
            draft: d.clone(),
            today,
        };
        self.write_drafts(std::slice::from_ref(&op))
            .await
            .map(|_| ())
    }

    /// Applies draft writes in one transaction, so that a batch of concurrent page saves costs
    /// one commit (and on SQLite one sync). For each write: whether it stored a new response.
    /// When this returns, every write is committed.
    pub async fn write_drafts(&self, ops: &[DraftWrite]) -> Result<Vec<bool>, ServerError> {
        Ok(with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let groups: std::collections::BTreeSet<_> = ops
                .iter()
                .filter_map(|op| match op {
                    DraftWrite::Submit { response, .. } | DraftWrite::Response(response) => Some((
                        response.campaign_id,
                        response.school_id,
                        response.group.key(),
                    )),
                    DraftWrite::Save { .. } => None,
                })
                .collect();
            lock_live!(self, tx, &groups);
            let mut results = Vec::with_capacity(ops.len());
            let mut additions = Additions::new();
            for op in ops {
                let (draft, today) = match op {
                    DraftWrite::Save { draft, today } | DraftWrite::Submit { draft, today, .. } => (draft, today),
                    DraftWrite::Response(response) => {
                        let inserted = insert_response_query!(response)
                            .fetch_optional(&mut *tx)
                            .await?;
                        results.push(counted(response, inserted, &mut additions));
                        continue;
                    }
                };
                sqlx::query(
                    "INSERT INTO drafts (token, code, answers, problems, page, submission_key, submitted, updated_on,
                        device_hash, result_key_hash)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                     ON CONFLICT (token) DO UPDATE SET answers = excluded.answers, problems = excluded.problems,
                        page = excluded.page, updated_on = excluded.updated_on, submission_key = excluded.submission_key,
                        device_hash = excluded.device_hash, result_key_hash = excluded.result_key_hash",
                )
                .bind(&draft.token)
                .bind(&draft.code)
                .bind(&draft.answers)
                .bind(&draft.problems)
                .bind(draft.page)
                .bind(&draft.submission_key)
                .bind(draft.submitted)
                .bind(today.to_string())
                .bind(&draft.device_hash)
                .bind(&draft.result_key_hash)
                .execute(&mut *tx)
                .await?;
                let DraftWrite::Submit { response, .. } = op else {
                    results.push(false);
                    continue;
                };
                let inserted = insert_response_query!(response)
                    .fetch_optional(&mut *tx)
                    .await?;
                sqlx::query("UPDATE drafts SET submitted = TRUE WHERE token = $1")
                    .bind(&draft.token)
                    .execute(&mut *tx)
                    .await?;
                results.push(counted(response, inserted, &mut additions));
            }
            add_to_live!(tx, &additions);
            tx.commit().await?;
            results
        }))
    }

    /// Deletes drafts of closed campaigns: those that closed before `today`; returns how many.
    pub async fn purge_closed_drafts(&self, today: Day) -> Result<u64, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query(
                "DELETE FROM drafts WHERE code IN (
                    SELECT a.code FROM access_codes a JOIN campaigns c ON c.id = a.campaign_id WHERE c.closes_on < $1)",
            )
            .bind(today.to_string())
            .execute(pool)
            .await?
            .rows_affected()
        }))
    }
}

/// Whether an insert stored a new response; a new counted one joins the batch's additions to
/// the live tallies (counted, and summed when the caller scored it), ordered by its id.
fn counted(
    response: &ResponseRow,
    inserted: Option<(i64, String)>,
    additions: &mut Additions,
) -> bool {
    let Some((id, status)) = inserted else {
        return false;
    };
    if status == "counted" {
        let mut piece = response.tally.clone().unwrap_or_else(TallyPiece::unsummed);
        piece.profile.set_order(id);
        push(
            additions,
            (response.campaign_id, response.school_id, response.group),
            id,
            piece,
        );
    }
    true
}
