//! Anti-risk programmes: a school's programme for a published campaign, the risks it chose with
//! their reasoning, goal and tasks, the measures and targets of each risk, and the history of
//! every change.

use app::programmes::{MeasureStatus, ProgrammeStatus};
use surveys::calendar::Day;

use super::{with_pool, Storage};
use crate::error::ServerError;

/// A school's programme for a campaign.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ProgrammeRow {
    pub id: i64,
    pub campaign_id: i64,
    pub school_id: i64,
    #[sqlx(try_from = "String")]
    pub status: ProgrammeStatus,
    #[sqlx(try_from = "String")]
    pub created_on: Day,
    /// With agreement by both, the curator has agreed and the municipality has not yet.
    pub curator_agreed: bool,
}

/// A programme target on a results indicator, with its risk's factor.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ResultTargetRow {
    pub id: i64,
    pub factor: String,
    pub assessment: String,
    pub indicator: String,
    pub baseline: Option<f64>,
    pub baseline_year: Option<i64>,
    pub target: f64,
    pub judged_year: i64,
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
pub(super) use insert_event_query;

const PROGRAMME_COLUMNS: &str =
    "SELECT id, campaign_id, school_id, status, created_on, curator_agreed FROM programmes";

/// The id of a programme's chosen risk of `factor`, on a pool or in a transaction.
macro_rules! risk_id_query {
    ($programme:expr, $factor:expr) => {
        sqlx::query_scalar::<_, i64>(
            "SELECT id FROM chosen_risks WHERE programme_id = $1 AND factor = $2",
        )
        .bind($programme)
        .bind($factor)
    };
}

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

    /// The factors each programme of a campaign chose, in the order chosen: (programme, factor).
    pub async fn campaign_chosen_factors(
        &self,
        campaign_id: i64,
    ) -> Result<Vec<(i64, String)>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT r.programme_id, r.factor FROM chosen_risks r
                 JOIN programmes p ON p.id = r.programme_id WHERE p.campaign_id = $1 ORDER BY r.id",
            )
            .bind(campaign_id)
            .fetch_all(pool)
            .await?
        }))
    }

    /// The deadline and status of every measure of a campaign's programmes.
    pub async fn campaign_measure_states(
        &self,
        campaign_id: i64,
    ) -> Result<Vec<MeasureState>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT r.programme_id, m.due_on, m.status FROM programme_measures m
                 JOIN chosen_risks r ON r.id = m.risk_id
                 JOIN programmes p ON p.id = r.programme_id WHERE p.campaign_id = $1",
            )
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

    /// Removes a chosen risk from a programme, with its measures, their documents and its
    /// targets, and records the event; returns whether it was there.
    pub async fn drop_risk(
        &self,
        programme_id: i64,
        factor: &str,
        event: NewEvent<'_>,
    ) -> Result<bool, ServerError> {
        let risk: Option<i64> = with_pool!(self, pool => {
            risk_id_query!(programme_id, factor).fetch_optional(pool).await?
        });
        let Some(risk) = risk else {
            return Ok(false);
        };
        let deletes = [
            "DELETE FROM programme_files WHERE programme_id = $2
             AND measure_id IN (SELECT id FROM programme_measures WHERE risk_id = $1)",
            "DELETE FROM programme_measures
             WHERE risk_id = $1 AND risk_id IN (SELECT id FROM chosen_risks WHERE programme_id = $2)",
            "DELETE FROM programme_targets
             WHERE risk_id = $1 AND risk_id IN (SELECT id FROM chosen_risks WHERE programme_id = $2)",
            "DELETE FROM chosen_risks WHERE id = $1 AND programme_id = $2",
        ];
        self.remove_with_event(programme_id, risk, &deletes, event)
            .await
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

/// A measure of a chosen risk as it is written: what, who is responsible (a role and a name:
/// coordinator-side data), when, what it should bring, how it stands, and its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MeasureFields {
    pub action: String,
    pub responsible_role: String,
    pub responsible_name: String,
    pub starts_on: Option<Day>,
    pub due_on: Option<Day>,
    pub expected_result: String,
    /// `planned`, `in_progress`, `done` or `not_done`.
    pub status: String,
    /// Why a measure was not done.
    pub status_reason: String,
    pub evidence: String,
    /// The catalogue measure it started from (its position in `measures.toml`).
    pub catalogue: Option<i64>,
}

/// A stored measure: its fields as they were written, with its id and the factor of its risk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureRow {
    pub id: i64,
    pub factor: String,
    pub fields: MeasureFields,
}

/// A measure as the database holds it (its days as text), read into a `MeasureRow`.
#[derive(sqlx::FromRow)]
struct StoredMeasure {
    id: i64,
    factor: String,
    action: String,
    responsible_role: String,
    responsible_name: String,
    starts_on: Option<String>,
    due_on: Option<String>,
    expected_result: String,
    status: String,
    status_reason: String,
    evidence: String,
    catalogue: Option<i64>,
}

impl From<StoredMeasure> for MeasureRow {
    fn from(m: StoredMeasure) -> MeasureRow {
        let day = |d: Option<String>| d.and_then(|d| d.parse::<Day>().ok());
        MeasureRow {
            id: m.id,
            factor: m.factor,
            fields: MeasureFields {
                action: m.action,
                responsible_role: m.responsible_role,
                responsible_name: m.responsible_name,
                starts_on: day(m.starts_on),
                due_on: day(m.due_on),
                expected_result: m.expected_result,
                status: m.status,
                status_reason: m.status_reason,
                evidence: m.evidence,
                catalogue: m.catalogue,
            },
        }
    }
}

impl std::ops::Deref for MeasureRow {
    type Target = MeasureFields;

    fn deref(&self) -> &MeasureFields {
        &self.fields
    }
}

impl MeasureFields {
    /// Past its deadline and neither done nor given up: «просрочено», computed, never typed.
    pub fn overdue(&self, today: Day) -> bool {
        measure_overdue(self.due_on, &self.status, today)
    }
}

/// Whether a measure with this deadline and status is overdue on `today`.
pub fn measure_overdue(due_on: Option<Day>, status: &str, today: Day) -> bool {
    due_on.is_some_and(|d| d < today) && !MeasureStatus::of(status).closed()
}

/// A measure's deadline and status, with its programme: what a list of programmes counts.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MeasureState {
    pub programme_id: i64,
    pub due_on: Option<String>,
    pub status: String,
}

/// A target of a chosen risk: an indicator of its factor, its value in the published profile
/// and the value aimed at in the next campaign.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct TargetRow {
    pub id: i64,
    pub factor: String,
    pub indicator: String,
    pub baseline: Option<f64>,
    pub target: f64,
}

const MEASURE_COLUMNS: &str =
    "SELECT m.id, r.factor, m.action, m.responsible_role, m.responsible_name,
        m.starts_on, m.due_on, m.expected_result, m.status, m.status_reason, m.evidence, m.catalogue
     FROM programme_measures m JOIN chosen_risks r ON r.id = m.risk_id";

impl Storage {
    /// Writes the goal and tasks of a programme's chosen risk; whether the risk is there.
    pub async fn set_risk_plan(
        &self,
        programme_id: i64,
        factor: &str,
        goal: &str,
        tasks: &str,
        event: NewEvent<'_>,
    ) -> Result<bool, ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let changed = sqlx::query(
                "UPDATE chosen_risks SET goal = $1, tasks = $2 WHERE programme_id = $3 AND factor = $4",
            )
            .bind(goal)
            .bind(tasks)
            .bind(programme_id)
            .bind(factor)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if changed {
                insert_event_query!(programme_id, event).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(changed)
        })
    }

    /// The goal and tasks of each of a programme's chosen risks, by factor.
    pub async fn risk_plans(
        &self,
        programme_id: i64,
    ) -> Result<Vec<(String, String, String)>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT factor, goal, tasks FROM chosen_risks WHERE programme_id = $1 ORDER BY id",
            )
            .bind(programme_id)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Adds a measure to a programme's chosen risk of `factor`; its id, or `None` when the
    /// programme has no such risk.
    pub async fn add_measure(
        &self,
        programme_id: i64,
        factor: &str,
        m: &MeasureFields,
        event: NewEvent<'_>,
    ) -> Result<Option<i64>, ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let Some(risk) = risk_id_query!(programme_id, factor).fetch_optional(&mut *tx).await? else {
                return Ok(None);
            };
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO programme_measures (risk_id, action, responsible_role, responsible_name,
                    starts_on, due_on, expected_result, status, status_reason, evidence, catalogue)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            )
            .bind(risk)
            .bind(&m.action)
            .bind(&m.responsible_role)
            .bind(&m.responsible_name)
            .bind(m.starts_on.map(|d| d.to_string()))
            .bind(m.due_on.map(|d| d.to_string()))
            .bind(&m.expected_result)
            .bind(&m.status)
            .bind(&m.status_reason)
            .bind(&m.evidence)
            .bind(m.catalogue)
            .fetch_one(&mut *tx)
            .await?;
            insert_event_query!(programme_id, event).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(Some(id))
        })
    }

    /// Rewrites a measure of a programme; whether the programme has it.
    pub async fn update_measure(
        &self,
        programme_id: i64,
        measure_id: i64,
        m: &MeasureFields,
        event: NewEvent<'_>,
    ) -> Result<bool, ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let changed = sqlx::query(
                "UPDATE programme_measures SET action = $1, responsible_role = $2, responsible_name = $3,
                    starts_on = $4, due_on = $5, expected_result = $6, status = $7, status_reason = $8,
                    evidence = $9
                 WHERE id = $10 AND risk_id IN (SELECT id FROM chosen_risks WHERE programme_id = $11)",
            )
            .bind(&m.action)
            .bind(&m.responsible_role)
            .bind(&m.responsible_name)
            .bind(m.starts_on.map(|d| d.to_string()))
            .bind(m.due_on.map(|d| d.to_string()))
            .bind(&m.expected_result)
            .bind(&m.status)
            .bind(&m.status_reason)
            .bind(&m.evidence)
            .bind(measure_id)
            .bind(programme_id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if changed {
                insert_event_query!(programme_id, event).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(changed)
        })
    }

    /// Removes a measure of a programme; whether the programme had it.
    pub async fn remove_measure(
        &self,
        programme_id: i64,
        measure_id: i64,
        event: NewEvent<'_>,
    ) -> Result<bool, ServerError> {
        let deletes = [
            "DELETE FROM programme_files WHERE measure_id = $1 AND programme_id = $2",
            "DELETE FROM programme_measures
             WHERE id = $1 AND risk_id IN (SELECT id FROM chosen_risks WHERE programme_id = $2)",
        ];
        self.remove_with_event(programme_id, measure_id, &deletes, event)
            .await
    }

    /// Runs `deletes` (each binding `$1` to `id` and `$2` to the programme) in one transaction
    /// and records the event when the last removed a row; whether it did.
    pub(super) async fn remove_with_event(
        &self,
        programme_id: i64,
        id: i64,
        deletes: &[&str],
        event: NewEvent<'_>,
    ) -> Result<bool, ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let mut removed = false;
            for delete in deletes {
                removed = sqlx::query(delete)
                    .bind(id)
                    .bind(programme_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                    == 1;
            }
            if removed {
                insert_event_query!(programme_id, event).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(removed)
        })
    }

    /// The measures of a programme, by risk and in the order they were added.
    pub async fn programme_measures(
        &self,
        programme_id: i64,
    ) -> Result<Vec<MeasureRow>, ServerError> {
        let stored: Vec<StoredMeasure> = with_pool!(self, pool => {
            sqlx::query_as(&format!("{MEASURE_COLUMNS} WHERE r.programme_id = $1 ORDER BY r.id, m.id"))
                .bind(programme_id)
                .fetch_all(pool)
                .await?
        });
        Ok(stored.into_iter().map(MeasureRow::from).collect())
    }

    /// Sets (or replaces) the target of an indicator for a programme's chosen risk of `factor`;
    /// whether the programme has that risk.
    pub async fn set_target(
        &self,
        programme_id: i64,
        factor: &str,
        indicator: &str,
        baseline: Option<f64>,
        target: f64,
        event: NewEvent<'_>,
    ) -> Result<bool, ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let Some(risk) = risk_id_query!(programme_id, factor).fetch_optional(&mut *tx).await? else {
                return Ok(false);
            };
            sqlx::query(
                "INSERT INTO programme_targets (risk_id, indicator, baseline, target) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (risk_id, indicator) DO UPDATE SET baseline = excluded.baseline, target = excluded.target",
            )
            .bind(risk)
            .bind(indicator)
            .bind(baseline)
            .bind(target)
            .execute(&mut *tx)
            .await?;
            insert_event_query!(programme_id, event).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Sets a chosen risk's target on a results indicator (replacing one on the same assessment
    /// and indicator), with its event; `false` when the programme has no such risk.
    #[allow(clippy::too_many_arguments)]
    pub async fn set_result_target(
        &self,
        programme_id: i64,
        factor: &str,
        assessment: &str,
        indicator: &str,
        baseline: Option<(f64, u16)>,
        target: f64,
        judged_year: u16,
        event: NewEvent<'_>,
    ) -> Result<bool, ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let Some(risk) = risk_id_query!(programme_id, factor).fetch_optional(&mut *tx).await? else {
                return Ok(false);
            };
            sqlx::query(
                "INSERT INTO result_targets (risk_id, assessment, indicator, baseline, baseline_year, target, judged_year)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (risk_id, assessment, indicator) DO UPDATE SET baseline = excluded.baseline,
                   baseline_year = excluded.baseline_year, target = excluded.target,
                   judged_year = excluded.judged_year",
            )
            .bind(risk)
            .bind(assessment)
            .bind(indicator)
            .bind(baseline.map(|b| b.0))
            .bind(baseline.map(|b| i64::from(b.1)))
            .bind(target)
            .bind(i64::from(judged_year))
            .execute(&mut *tx)
            .await?;
            insert_event_query!(programme_id, event).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Removes a results target of a programme, with its event; whether the programme had it.
    pub async fn remove_result_target(
        &self,
        programme_id: i64,
        target_id: i64,
        event: NewEvent<'_>,
    ) -> Result<bool, ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let removed = sqlx::query(
                "DELETE FROM result_targets WHERE id = $1 AND risk_id IN
                   (SELECT id FROM chosen_risks WHERE programme_id = $2)",
            )
            .bind(target_id)
            .bind(programme_id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                > 0;
            if removed {
                insert_event_query!(programme_id, event).execute(&mut *tx).await?;
                tx.commit().await?;
            }
            Ok(removed)
        })
    }

    /// The results targets of a programme's risks, with each one's factor.
    pub async fn result_targets(
        &self,
        programme_id: i64,
    ) -> Result<Vec<ResultTargetRow>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT t.id, r.factor, t.assessment, t.indicator, t.baseline, t.baseline_year,
                        t.target, t.judged_year
                 FROM result_targets t JOIN chosen_risks r ON r.id = t.risk_id
                 WHERE r.programme_id = $1 ORDER BY t.id",
            )
            .bind(programme_id)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Removes a target of a programme; whether the programme had it.
    pub async fn remove_target(
        &self,
        programme_id: i64,
        target_id: i64,
        event: NewEvent<'_>,
    ) -> Result<bool, ServerError> {
        let delete = "DELETE FROM programme_targets
             WHERE id = $1 AND risk_id IN (SELECT id FROM chosen_risks WHERE programme_id = $2)";
        self.remove_with_event(programme_id, target_id, &[delete], event)
            .await
    }

    /// The targets of a programme, by risk.
    pub async fn programme_targets(
        &self,
        programme_id: i64,
    ) -> Result<Vec<TargetRow>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT t.id, r.factor, t.indicator, t.baseline, t.target
                 FROM programme_targets t JOIN chosen_risks r ON r.id = t.risk_id
                 WHERE r.programme_id = $1 ORDER BY r.id, t.id",
            )
            .bind(programme_id)
            .fetch_all(pool)
            .await?
        }))
    }
}

impl Storage {
    /// Moves a programme from one of the statuses `from` to `to` (setting whether its curator
    /// has agreed) and records the event, in one transaction; whether it was in one of `from`.
    pub async fn move_programme(
        &self,
        programme_id: i64,
        from: &[ProgrammeStatus],
        to: ProgrammeStatus,
        curator_agreed: bool,
        event: NewEvent<'_>,
    ) -> Result<bool, ServerError> {
        // The statuses are the program's own keys, never a user's words.
        let list = from
            .iter()
            .map(|s| format!("'{}'", s.key()))
            .collect::<Vec<_>>()
            .join(", ");
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let moved = sqlx::query(&format!(
                "UPDATE programmes SET status = $1, curator_agreed = $2 WHERE id = $3 AND status IN ({list})"
            ))
            .bind(to.key())
            .bind(curator_agreed)
            .bind(programme_id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if moved {
                insert_event_query!(programme_id, event).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(moved)
        })
    }

    /// Records an event only (a comment on a submitted programme).
    pub async fn programme_comment(
        &self,
        programme_id: i64,
        event: NewEvent<'_>,
    ) -> Result<(), ServerError> {
        with_pool!(self, pool => {
            insert_event_query!(programme_id, event).execute(pool).await?;
        });
        Ok(())
    }

    /// Who agrees the programmes of a region: `curator`, `municipal` or `both`.
    pub async fn region_agreement(&self, region_id: i64) -> Result<String, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar("SELECT agreement FROM regions WHERE id = $1")
                .bind(region_id)
                .fetch_optional(pool)
                .await?
                .unwrap_or_else(|| "curator".to_owned())
        }))
    }

    /// Sets who agrees the programmes of a region.
    pub async fn set_region_agreement(
        &self,
        region_id: i64,
        agreement: &str,
    ) -> Result<(), ServerError> {
        with_pool!(self, pool => {
            sqlx::query("UPDATE regions SET agreement = $1 WHERE id = $2")
                .bind(agreement)
                .bind(region_id)
                .execute(pool)
                .await?;
        });
        Ok(())
    }
}
