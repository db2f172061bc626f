//! Development plans: a teacher's (or principal's) scored diagnostic kept for its owner, found
//! only by the hash of its result key; its activities; whom its owner shows it. Nothing here
//! links a plan to a response, a draft or a code.

use surveys::calendar::Day;
use surveys::deficits::Diagnostic;

use super::audit::{insert_audit_query, AuditRow};
use super::{with_pool, Storage};
use crate::error::ServerError;

/// A plan as stored. `result` is the scored areas (JSON of `surveys::deficits::AreaResult`).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct PlanRow {
    pub key_hash: String,
    /// What a reader of a shared plan calls it (random; never the key's hash).
    pub handle: String,
    #[sqlx(try_from = "String")]
    pub kind: Diagnostic,
    pub campaign_id: i64,
    pub school_id: i64,
    pub municipality_id: i64,
    pub methodology_version: String,
    pub result: String,
    pub created_on: String,
    pub updated_on: String,
}

/// A new plan, written with the diagnostic's response.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPlan {
    pub key_hash: String,
    pub handle: String,
    pub kind: Diagnostic,
    pub campaign_id: i64,
    pub school_id: i64,
    pub methodology_version: String,
    pub result: String,
    pub created_on: Day,
}

impl NewPlan {
    /// The plan of a diagnostic submitted now under result key `key`: its scored areas (`None`
    /// when the methodology scores none).
    pub fn scored(
        m: &surveys::Methodology,
        kind: Diagnostic,
        key: &str,
        answers: &surveys::Answers,
        campaign_id: i64,
        school_id: i64,
        today: Day,
    ) -> Result<Option<NewPlan>, ServerError> {
        let Some(result) = surveys::deficits::result(m, kind, answers, today) else {
            return Ok(None);
        };
        let areas = serde_json::to_string(&result.areas)
            .map_err(|e| ServerError::Inconsistent(e.to_string()))?;
        Ok(Some(NewPlan {
            key_hash: crate::secrets::hash(key),
            handle: crate::secrets::random_hex(8),
            kind,
            campaign_id,
            school_id,
            methodology_version: m.version.to_string(),
            result: areas,
            created_on: today,
        }))
    }
}

/// One activity of a plan.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PlanItemRow {
    pub id: i64,
    /// The catalogue entry's key; `None`: the owner's own activity (`title`).
    pub activity: Option<String>,
    pub title: String,
    pub starts_on: Option<String>,
    pub due_on: Option<String>,
    /// `app::development::ItemStatus`'s key.
    pub status: String,
    pub evidence: String,
    pub updated_on: String,
}

/// Whom a plan is shown: a reader kind (`app::development::Reader`'s key), since when, and the
/// name the owner chose to show with it (may be empty).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ShareRow {
    pub reader: String,
    pub since: String,
    pub signed: String,
}

/// A plan shown to a reader, with the reader's row.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct SharedPlanRow {
    pub key_hash: String,
    pub handle: String,
    #[sqlx(try_from = "String")]
    pub kind: Diagnostic,
    pub school_id: i64,
    pub municipality_id: i64,
    pub updated_on: String,
    pub since: String,
    pub signed: String,
}

/// The most activities a plan holds.
pub const MOST_ITEMS: i64 = 40;

/// Marks a plan changed on a day (with the change of an activity, in its transaction).
macro_rules! touch_plan {
    ($key_hash:expr, $day:expr) => {
        sqlx::query("UPDATE development_plans SET updated_on = $2 WHERE key_hash = $1")
            .bind($key_hash)
            .bind($day)
    };
}

/// Inserts a new plan inside the caller's transaction (the diagnostic's submit).
macro_rules! insert_plan_query {
    ($plan:expr) => {
        sqlx::query(
            "INSERT INTO development_plans (key_hash, handle, kind, campaign_id, school_id,
                 methodology_version, result, created_on, updated_on)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
        )
        .bind(&$plan.key_hash)
        .bind(&$plan.handle)
        .bind($plan.kind.key())
        .bind($plan.campaign_id)
        .bind($plan.school_id)
        .bind(&$plan.methodology_version)
        .bind(&$plan.result)
        .bind($plan.created_on.to_string())
    };
}
pub(crate) use insert_plan_query;

impl Storage {
    /// A plan by the hash of its result key.
    pub async fn plan(&self, key_hash: &str) -> Result<Option<PlanRow>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT p.key_hash, p.handle, p.kind, p.campaign_id, p.school_id, s.municipality_id,
                        p.methodology_version, p.result, p.created_on, p.updated_on
                 FROM development_plans p JOIN schools s ON s.id = p.school_id
                 WHERE p.key_hash = $1",
            )
                .bind(key_hash)
                .fetch_optional(pool)
                .await?
        }))
    }

    /// A plan written outside a diagnostic's submit (the demo's).
    pub async fn insert_plan(&self, plan: &NewPlan) -> Result<(), ServerError> {
        with_pool!(self, pool => {
            insert_plan_query!(plan).execute(pool).await?;
        });
        Ok(())
    }

    /// A plan's activities, in the order they were added.
    pub async fn plan_items(&self, key_hash: &str) -> Result<Vec<PlanItemRow>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, activity, title, starts_on, due_on, status, evidence, updated_on
                 FROM plan_items WHERE key_hash = $1 ORDER BY id",
            )
            .bind(key_hash)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Adds an activity (`item.id` is ignored); `false` when the plan holds `MOST_ITEMS` already.
    pub async fn add_plan_item(
        &self,
        key_hash: &str,
        item: &PlanItemRow,
    ) -> Result<bool, ServerError> {
        Ok(with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let held: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM plan_items WHERE key_hash = $1")
                .bind(key_hash)
                .fetch_one(&mut *tx)
                .await?;
            if held >= MOST_ITEMS {
                false
            } else {
                sqlx::query(
                    "INSERT INTO plan_items (key_hash, activity, title, starts_on, due_on, status, evidence, updated_on)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(key_hash)
                .bind(&item.activity)
                .bind(&item.title)
                .bind(&item.starts_on)
                .bind(&item.due_on)
                .bind(&item.status)
                .bind(&item.evidence)
                .bind(&item.updated_on)
                .execute(&mut *tx)
                .await?;
                touch_plan!(key_hash, &item.updated_on).execute(&mut *tx).await?;
                tx.commit().await?;
                true
            }
        }))
    }

    /// Changes an activity's dates, status and evidence; `false` when the plan has no such one.
    pub async fn update_plan_item(
        &self,
        key_hash: &str,
        item: &PlanItemRow,
    ) -> Result<bool, ServerError> {
        Ok(with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let changed = sqlx::query(
                "UPDATE plan_items SET starts_on = $3, due_on = $4, status = $5, evidence = $6, updated_on = $7
                 WHERE id = $1 AND key_hash = $2",
            )
            .bind(item.id)
            .bind(key_hash)
            .bind(&item.starts_on)
            .bind(&item.due_on)
            .bind(&item.status)
            .bind(&item.evidence)
            .bind(&item.updated_on)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            touch_plan!(key_hash, &item.updated_on).execute(&mut *tx).await?;
            tx.commit().await?;
            changed == 1
        }))
    }

    /// Removes an activity; `false` when the plan has no such one.
    pub async fn remove_plan_item(&self, key_hash: &str, id: i64) -> Result<bool, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query("DELETE FROM plan_items WHERE id = $1 AND key_hash = $2")
                .bind(id)
                .bind(key_hash)
                .execute(pool)
                .await?
                .rows_affected()
                == 1
        }))
    }

    /// Whom a plan is shown.
    pub async fn plan_shares(&self, key_hash: &str) -> Result<Vec<ShareRow>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT reader, since, signed FROM plan_shares WHERE key_hash = $1 ORDER BY reader",
            )
            .bind(key_hash)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Shows a plan to a reader (`Some(signed)`, replacing an earlier share's name) or withdraws
    /// it (`None`), with the audit log's line in the same transaction.
    pub async fn set_plan_share(
        &self,
        key_hash: &str,
        reader: &str,
        shared: Option<(&str, Day)>,
        line: &AuditRow,
    ) -> Result<(), ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            match shared {
                Some((signed, today)) => {
                    sqlx::query(
                        "INSERT INTO plan_shares (key_hash, reader, since, signed) VALUES ($1, $2, $3, $4)
                         ON CONFLICT (key_hash, reader) DO UPDATE SET signed = excluded.signed",
                    )
                    .bind(key_hash)
                    .bind(reader)
                    .bind(today.to_string())
                    .bind(signed)
                    .execute(&mut *tx)
                    .await?;
                }
                None => {
                    sqlx::query("DELETE FROM plan_shares WHERE key_hash = $1 AND reader = $2")
                        .bind(key_hash)
                        .bind(reader)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            insert_audit_query!(line).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The plans shown to `reader` at a school or in a municipality, newest change first.
    pub async fn shared_plans(
        &self,
        reader: &str,
        school: Option<i64>,
        municipality: Option<i64>,
    ) -> Result<Vec<SharedPlanRow>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT p.key_hash, p.handle, p.kind, p.school_id, s.municipality_id, p.updated_on,
                        h.since, h.signed
                 FROM plan_shares h JOIN development_plans p ON p.key_hash = h.key_hash
                 JOIN schools s ON s.id = p.school_id
                 WHERE h.reader = $1 AND (p.school_id = $2 OR s.municipality_id = $3)
                 ORDER BY p.updated_on DESC, p.handle",
            )
            .bind(reader)
            .bind(school.unwrap_or(-1))
            .bind(municipality.unwrap_or(-1))
            .fetch_all(pool)
            .await?
        }))
    }

    /// Every plan of one diagnostic in a campaign (its school and scored areas) and the
    /// catalogue activities each holds: what the demand for professional development counts.
    /// `(key_hash, school, result)` and `(key_hash, activity)`.
    pub async fn campaign_plans(
        &self,
        campaign_id: i64,
        kind: Diagnostic,
    ) -> Result<(Vec<(String, i64, String)>, Vec<(String, String)>), ServerError> {
        Ok(with_pool!(self, pool => {
            let plans = sqlx::query_as(
                "SELECT key_hash, school_id, result FROM development_plans
                 WHERE campaign_id = $1 AND kind = $2",
            )
            .bind(campaign_id)
            .bind(kind.key())
            .fetch_all(pool)
            .await?;
            let chosen = sqlx::query_as(
                "SELECT i.key_hash, i.activity FROM plan_items i
                 JOIN development_plans p ON p.key_hash = i.key_hash
                 WHERE p.campaign_id = $1 AND p.kind = $2 AND i.activity IS NOT NULL",
            )
            .bind(campaign_id)
            .bind(kind.key())
            .fetch_all(pool)
            .await?;
            (plans, chosen)
        }))
    }

    /// The campaigns with any development plan of one diagnostic, newest first: (id, name).
    pub async fn campaigns_with_plans(
        &self,
        kind: Diagnostic,
    ) -> Result<Vec<(i64, String)>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT c.id, c.name FROM campaigns c
                 WHERE EXISTS (SELECT 1 FROM development_plans p
                               WHERE p.campaign_id = c.id AND p.kind = $1)
                 ORDER BY c.opens_on DESC, c.id DESC",
            )
            .bind(kind.key())
            .fetch_all(pool)
            .await?
        }))
    }
}
