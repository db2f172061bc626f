//! Questionnaires in progress (one draft per respondent, page by page) and the writes of the
//! respondent side: a page saved, a questionnaire submitted, a response stored.

use surveys::calendar::Day;

use super::development::{insert_plan_query, NewPlan};
use super::responses::{insert_response_query, ResponseRow};
use super::tallies::{add_to_live, lock_live, push, Additions, TallyPiece};
use super::{with_pool, Storage};
use crate::error::ServerError;

/// A write of the respondent side: a page saved, the final submit (the response stored and the
/// draft marked submitted), or a response stored without a draft (the demo's generated ones).
/// Responses are idempotent by their submission key. A draft is written with the revision it
/// will have (`DraftRow::revision`): only over the revision before it, so that a server that
/// kept an older draft in memory (another instance wrote it since) writes nothing and reads it
/// again.
#[derive(Debug, Clone)]
pub enum DraftWrite {
    Save {
        draft: DraftRow,
        today: Day,
    },
    Submit {
        /// Boxed: a submit carries a response (and a plan) besides its draft.
        draft: Box<DraftRow>,
        today: Day,
        response: ResponseRow,
        /// A diagnostic's development plan, kept by its result key, written with the response.
        plan: Option<Box<NewPlan>>,
    },
    Response(ResponseRow),
}

/// What a draft write did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// Written; for a submit (or a response alone), whether it stored a new response.
    Done { stored: bool },
    /// The draft has been written since the revision this write was based on: nothing was
    /// written.
    Stale,
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
    /// Raised by every write (a new draft's first write makes it 1).
    pub revision: i64,
}

/// Writes each draft over the revision before its own (or as a new draft); for each, whether
/// it was written. Inside the caller's transaction.
trait WriteDrafts {
    async fn write_each(
        &mut self,
        drafts: &[(&DraftRow, Day, bool)],
    ) -> Result<Vec<bool>, sqlx::Error>;
}

/// The upsert of one draft, on both backends.
const UPSERT_ONE: &str = "INSERT INTO drafts (token, code, answers, problems, page, submission_key, submitted,
        updated_on, device_hash, result_key_hash, revision)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (token) DO UPDATE SET answers = excluded.answers, problems = excluded.problems,
        page = excluded.page, updated_on = excluded.updated_on, submission_key = excluded.submission_key,
        submitted = excluded.submitted, device_hash = excluded.device_hash,
        result_key_hash = excluded.result_key_hash, revision = excluded.revision
     WHERE drafts.revision = excluded.revision - 1
     RETURNING token";

/// Writes one draft with `UPSERT_ONE` on the connection `$conn`; whether it was written.
macro_rules! upsert_one {
    ($conn:expr, $draft:expr, $today:expr, $submitted:expr) => {{
        let draft: &DraftRow = $draft;
        let row: Option<(String,)> = sqlx::query_as(UPSERT_ONE)
            .bind(&draft.token)
            .bind(&draft.code)
            .bind(&draft.answers)
            .bind(&draft.problems)
            .bind(draft.page)
            .bind(&draft.submission_key)
            .bind($submitted)
            .bind($today.to_string())
            .bind(&draft.device_hash)
            .bind(&draft.result_key_hash)
            .bind(draft.revision)
            .fetch_optional(&mut *$conn)
            .await?;
        row.is_some()
    }};
}

impl WriteDrafts for sqlx::SqliteConnection {
    /// A statement each: in-process, a statement costs little.
    async fn write_each(
        &mut self,
        drafts: &[(&DraftRow, Day, bool)],
    ) -> Result<Vec<bool>, sqlx::Error> {
        let mut written = Vec::with_capacity(drafts.len());
        for (draft, today, submitted) in drafts {
            written.push(upsert_one!(self, draft, today, *submitted));
        }
        Ok(written)
    }
}

impl WriteDrafts for sqlx::PgConnection {
    /// One statement for the whole batch (a round trip to the server per draft was where the
    /// respondent side's time went); a token that comes twice is written on its own after.
    async fn write_each(
        &mut self,
        drafts: &[(&DraftRow, Day, bool)],
    ) -> Result<Vec<bool>, sqlx::Error> {
        let mut seen = std::collections::HashSet::new();
        let (first, again): (Vec<usize>, Vec<usize>) =
            (0..drafts.len()).partition(|&i| seen.insert(drafts[i].0.token.as_str()));
        let column = |f: &dyn Fn(&DraftRow, Day, bool) -> String| -> Vec<String> {
            first
                .iter()
                .map(|&i| f(drafts[i].0, drafts[i].1, drafts[i].2))
                .collect()
        };
        let optional = |f: &dyn Fn(&DraftRow) -> Option<String>| -> Vec<Option<String>> {
            first.iter().map(|&i| f(drafts[i].0)).collect()
        };
        let numbers = |f: &dyn Fn(&DraftRow) -> i64| -> Vec<i64> {
            first.iter().map(|&i| f(drafts[i].0)).collect()
        };
        let tokens: Vec<String> = sqlx::query_scalar(
            "INSERT INTO drafts (token, code, answers, problems, page, submission_key, submitted,
                updated_on, device_hash, result_key_hash, revision)
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::int8[], $6::text[],
                $7::bool[], $8::text[], $9::text[], $10::text[], $11::int8[])
             ON CONFLICT (token) DO UPDATE SET answers = excluded.answers, problems = excluded.problems,
                page = excluded.page, updated_on = excluded.updated_on, submission_key = excluded.submission_key,
                submitted = excluded.submitted, device_hash = excluded.device_hash,
                result_key_hash = excluded.result_key_hash, revision = excluded.revision
             WHERE drafts.revision = excluded.revision - 1
             RETURNING token",
        )
        .bind(column(&|d, _, _| d.token.clone()))
        .bind(column(&|d, _, _| d.code.clone()))
        .bind(column(&|d, _, _| d.answers.clone()))
        .bind(column(&|d, _, _| d.problems.clone()))
        .bind(numbers(&|d| d.page))
        .bind(column(&|d, _, _| d.submission_key.clone()))
        .bind(first.iter().map(|&i| drafts[i].2).collect::<Vec<bool>>())
        .bind(column(&|_, today, _| today.to_string()))
        .bind(optional(&|d| d.device_hash.clone()))
        .bind(optional(&|d| d.result_key_hash.clone()))
        .bind(numbers(&|d| d.revision))
        .fetch_all(&mut *self)
        .await?;
        let tokens: std::collections::HashSet<String> = tokens.into_iter().collect();
        let mut written: Vec<bool> = (0..drafts.len()).map(|_| false).collect();
        for &i in &first {
            written[i] = tokens.contains(&drafts[i].0.token);
        }
        for &i in &again {
            let (draft, today, submitted) = drafts[i];
            written[i] = upsert_one!(self, draft, today, submitted);
        }
        Ok(written)
    }
}

impl Storage {
    pub async fn draft(&self, token: &str) -> Result<Option<DraftRow>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT token, code, answers, problems, page, submission_key, submitted, device_hash, result_key_hash,
                    revision
                 FROM drafts WHERE token = $1",
            )
            .bind(token)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Creates or replaces the draft's answers, problems and page (over the revision before
    /// `d.revision`); whether it was written.
    pub async fn save_draft(&self, d: &DraftRow, today: Day) -> Result<bool, ServerError> {
        let op = DraftWrite::Save {
            draft: d.clone(),
            today,
        };
        let written = self.write_drafts(std::slice::from_ref(&op)).await?;
        Ok(written[0] != Written::Stale)
    }

    /// Applies draft writes in one transaction, so that a batch of concurrent page saves costs
    /// one commit (and on SQLite one sync): the drafts first (on PostgreSQL in one statement),
    /// then the responses of the submits whose draft was written. When this returns, every
    /// write is committed.
    pub async fn write_drafts(&self, ops: &[DraftWrite]) -> Result<Vec<Written>, ServerError> {
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
            let drafts: Vec<(&DraftRow, Day, bool)> = ops
                .iter()
                .filter_map(|op| match op {
                    DraftWrite::Save { draft, today } => Some((draft, *today, draft.submitted)),
                    // A submitted draft keeps only that it was sent (its answers live on in the
                    // response).
                    DraftWrite::Submit { draft, today, .. } => Some((&**draft, *today, true)),
                    DraftWrite::Response(_) => None,
                })
                .collect();
            let mut written = tx.write_each(&drafts).await?.into_iter();
            let mut results = Vec::with_capacity(ops.len());
            let mut additions = Additions::new();
            for op in ops {
                let (response, plan) = match op {
                    DraftWrite::Save { .. } => {
                        let done = written.next().unwrap_or(false);
                        results.push(if done { Written::Done { stored: false } } else { Written::Stale });
                        continue;
                    }
                    DraftWrite::Submit { response, plan, .. } => {
                        if !written.next().unwrap_or(false) {
                            results.push(Written::Stale);
                            continue;
                        }
                        (response, plan.as_deref())
                    }
                    DraftWrite::Response(response) => (response, None),
                };
                let inserted = insert_response_query!(response)
                    .fetch_optional(&mut *tx)
                    .await?;
                let stored = counted(response, inserted, &mut additions);
                // Only with a response stored now: a second submit of the same brings no plan.
                if let (true, Some(plan)) = (stored, plan) {
                    insert_plan_query!(plan).execute(&mut *tx).await?;
                }
                results.push(Written::Done { stored });
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
