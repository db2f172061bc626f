//! The stages of a campaign's anti-risk programmes: the dates its coordinators set, the report a
//! school files at each (a copy of its measures' state and a short analysis), and the documents
//! attached to measures as evidence.

use surveys::calendar::Day;

use super::programmes::insert_event_query;
use super::{with_pool, NewEvent, Storage};
use crate::error::ServerError;

/// A stage date of a campaign's programmes.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StageRow {
    pub id: i64,
    pub campaign_id: i64,
    pub title: String,
    #[sqlx(try_from = "String")]
    pub due_on: Day,
}

impl StageRow {
    /// How the stage stands for a programme: `filed`, `overdue` (its date passed without a
    /// report), `due` (within two weeks) or `later`.
    pub fn state(&self, filed: bool, today: Day) -> &'static str {
        if filed {
            "filed"
        } else if self.due_on < today {
            "overdue"
        } else if self.due_on <= today.plus_days(14) {
            "due"
        } else {
            "later"
        }
    }
}

/// A stage report of a programme: who filed it, when (unix seconds), and its analysis.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StageReportRow {
    pub id: i64,
    pub programme_id: i64,
    pub stage_id: i64,
    pub analysis: String,
    pub user_name: String,
    pub filed_at: i64,
}

/// The state of one measure as a stage report marks it (and as the report keeps it).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MeasureMark {
    pub measure_id: i64,
    /// The measure's wording at the time of the report.
    pub action: String,
    pub status: String,
    pub status_reason: String,
    pub evidence: String,
}

/// A document attached to a measure (without its bytes).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FileRow {
    pub id: i64,
    pub measure_id: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
}

/// A document to attach.
#[derive(Debug, Clone, Copy)]
pub struct NewFile<'a> {
    pub measure_id: i64,
    pub name: &'a str,
    pub content_type: &'a str,
    pub data: &'a [u8],
}

impl Storage {
    /// The stage dates of a campaign, earliest first.
    pub async fn stages(&self, campaign_id: i64) -> Result<Vec<StageRow>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, campaign_id, title, due_on FROM programme_stages
                 WHERE campaign_id = $1 ORDER BY due_on",
            )
            .bind(campaign_id)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Adds a stage date to a campaign; `false` when the campaign has a stage on that date.
    pub async fn add_stage(
        &self,
        campaign_id: i64,
        title: &str,
        due_on: Day,
    ) -> Result<bool, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO programme_stages (campaign_id, title, due_on) VALUES ($1, $2, $3)
                 ON CONFLICT (campaign_id, due_on) DO NOTHING",
            )
            .bind(campaign_id)
            .bind(title)
            .bind(due_on.to_string())
            .execute(pool)
            .await?
            .rows_affected()
                == 1
        }))
    }

    /// Removes a stage date of a campaign unless a report was filed for it; whether it was removed.
    pub async fn remove_stage(&self, campaign_id: i64, stage_id: i64) -> Result<bool, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query(
                "DELETE FROM programme_stages WHERE id = $1 AND campaign_id = $2
                 AND NOT EXISTS (SELECT 1 FROM stage_reports WHERE stage_id = $1)",
            )
            .bind(stage_id)
            .bind(campaign_id)
            .execute(pool)
            .await?
            .rows_affected()
                == 1
        }))
    }

    /// Files (or files anew) a programme's report of a stage: the marks go onto the programme's
    /// measures and are copied into the report, with the analysis and the event, in one
    /// transaction. Marks of measures the programme does not have are ignored.
    pub async fn file_stage_report(
        &self,
        programme_id: i64,
        stage_id: i64,
        analysis: &str,
        marks: &[MeasureMark],
        event: NewEvent<'_>,
    ) -> Result<(), ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for m in marks {
                sqlx::query(
                    "UPDATE programme_measures SET status = $1, status_reason = $2, evidence = $3
                     WHERE id = $4 AND risk_id IN (SELECT id FROM chosen_risks WHERE programme_id = $5)",
                )
                .bind(&m.status)
                .bind(&m.status_reason)
                .bind(&m.evidence)
                .bind(m.measure_id)
                .bind(programme_id)
                .execute(&mut *tx)
                .await?;
            }
            let report: i64 = sqlx::query_scalar(
                "INSERT INTO stage_reports (programme_id, stage_id, analysis, user_id, filed_at)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (programme_id, stage_id) DO UPDATE
                    SET analysis = excluded.analysis, user_id = excluded.user_id, filed_at = excluded.filed_at
                 RETURNING id",
            )
            .bind(programme_id)
            .bind(stage_id)
            .bind(analysis)
            .bind(event.user_id)
            .bind(event.at)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM stage_report_measures WHERE report_id = $1")
                .bind(report)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO stage_report_measures (report_id, measure_id, action, status, status_reason, evidence)
                 SELECT $1, m.id, m.action, m.status, m.status_reason, m.evidence
                 FROM programme_measures m JOIN chosen_risks r ON r.id = m.risk_id
                 WHERE r.programme_id = $2",
            )
            .bind(report)
            .bind(programme_id)
            .execute(&mut *tx)
            .await?;
            insert_event_query!(programme_id, event).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The stage reports of a programme, by stage date.
    pub async fn stage_reports(
        &self,
        programme_id: i64,
    ) -> Result<Vec<StageReportRow>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT s.id, s.programme_id, s.stage_id, s.analysis, u.display_name AS user_name, s.filed_at
                 FROM stage_reports s JOIN users u ON u.id = s.user_id
                 JOIN programme_stages p ON p.id = s.stage_id
                 WHERE s.programme_id = $1 ORDER BY p.due_on",
            )
            .bind(programme_id)
            .fetch_all(pool)
            .await?
        }))
    }

    /// The measures as a stage report keeps them.
    pub async fn stage_report_marks(
        &self,
        report_id: i64,
    ) -> Result<Vec<MeasureMark>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT measure_id, action, status, status_reason, evidence FROM stage_report_measures
                 WHERE report_id = $1 ORDER BY measure_id",
            )
            .bind(report_id)
            .fetch_all(pool)
            .await?
        }))
    }

    /// The stage reports filed for the programmes of a campaign: (programme, stage) pairs.
    pub async fn campaign_stage_reports(
        &self,
        campaign_id: i64,
    ) -> Result<Vec<(i64, i64)>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT s.programme_id, s.stage_id FROM stage_reports s
                 JOIN programmes p ON p.id = s.programme_id WHERE p.campaign_id = $1",
            )
            .bind(campaign_id)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Attaches a document to a measure of a programme and records the event; its id, or `None`
    /// when the programme has no such measure. Refused when the school's documents, over all its
    /// programmes, would take more than `quota` bytes; uploads of one school are counted one at
    /// a time (the school's row is written first, which locks it).
    pub async fn add_file(
        &self,
        programme_id: i64,
        file: NewFile<'_>,
        event: NewEvent<'_>,
        quota: u64,
    ) -> Result<Option<i64>, ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "UPDATE schools SET id = id WHERE id = (SELECT school_id FROM programmes WHERE id = $1)",
            )
            .bind(programme_id)
            .execute(&mut *tx)
            .await?;
            let used: i64 = sqlx::query_scalar(
                "SELECT CAST(COALESCE(SUM(f.size), 0) AS BIGINT) FROM programme_files f
                 JOIN programmes p ON p.id = f.programme_id
                 WHERE p.school_id = (SELECT school_id FROM programmes WHERE id = $1)",
            )
            .bind(programme_id)
            .fetch_one(&mut *tx)
            .await?;
            let after = u64::try_from(used).unwrap_or(0).saturating_add(file.data.len() as u64);
            if after > quota {
                return Err(crate::problem::Refused::one(
                    crate::problem::At::Field("file"),
                    crate::problem::Kind::UploadQuota(quota >> 20),
                )
                .into());
            }
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO programme_files
                    (programme_id, measure_id, name, content_type, size, data, user_id, uploaded_at)
                 SELECT $1, m.id, $2, $3, $4, $5, $6, $7
                 FROM programme_measures m JOIN chosen_risks r ON r.id = m.risk_id
                 WHERE m.id = $8 AND r.programme_id = $1
                 RETURNING id",
            )
            .bind(programme_id)
            .bind(file.name)
            .bind(file.content_type)
            .bind(file.data.len() as i64)
            .bind(file.data)
            .bind(event.user_id)
            .bind(event.at)
            .bind(file.measure_id)
            .fetch_optional(&mut *tx)
            .await?;
            if id.is_some() {
                insert_event_query!(programme_id, event).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(id)
        })
    }

    /// The documents attached to a programme's measures (without their bytes).
    pub async fn programme_files(&self, programme_id: i64) -> Result<Vec<FileRow>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, measure_id, name, content_type, size FROM programme_files
                 WHERE programme_id = $1 ORDER BY id",
            )
            .bind(programme_id)
            .fetch_all(pool)
            .await?
        }))
    }

    /// A document of a programme with its bytes.
    pub async fn programme_file(
        &self,
        programme_id: i64,
        file_id: i64,
    ) -> Result<Option<(FileRow, Vec<u8>)>, ServerError> {
        let row: Option<(i64, i64, String, String, i64, Vec<u8>)> = with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, measure_id, name, content_type, size, data FROM programme_files
                 WHERE programme_id = $1 AND id = $2",
            )
            .bind(programme_id)
            .bind(file_id)
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(|(id, measure_id, name, content_type, size, data)| {
            (
                FileRow {
                    id,
                    measure_id,
                    name,
                    content_type,
                    size,
                },
                data,
            )
        }))
    }

    /// Removes a document of a programme and records the event; whether it was there.
    pub async fn remove_file(
        &self,
        programme_id: i64,
        file_id: i64,
        event: NewEvent<'_>,
    ) -> Result<bool, ServerError> {
        let delete = "DELETE FROM programme_files WHERE id = $1 AND programme_id = $2";
        self.remove_with_event(programme_id, file_id, &[delete], event)
            .await
    }
}
