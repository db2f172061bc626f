//! Educational results: a school's figures per assessment and year, each import of a region's year
//! with its history, a school's settlement type, cohorts with their history, and programme targets
//! on a results indicator.

use surveys::results::Figures;

use super::{with_pool, Storage};
use crate::error::ServerError;

/// One school's figures for an assessment and year.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultRow {
    pub school_id: i64,
    pub assessment: String,
    pub year: u16,
    pub figures: Figures,
}

#[derive(sqlx::FromRow)]
struct Stored {
    school_id: i64,
    assessment: String,
    year: i64,
    participants: i64,
    mark2: Option<i64>,
    mark3: Option<i64>,
    mark4: Option<i64>,
    mark5: Option<i64>,
    below_pass: Option<i64>,
    mean_score: Option<f64>,
    lowered: Option<i64>,
    confirmed: Option<i64>,
    raised: Option<i64>,
}

fn count(x: i64) -> u32 {
    u32::try_from(x).unwrap_or(0)
}

impl From<Stored> for ResultRow {
    fn from(s: Stored) -> ResultRow {
        let marks = match (s.mark2, s.mark3, s.mark4, s.mark5) {
            (Some(a), Some(b), Some(c), Some(d)) => Some([count(a), count(b), count(c), count(d)]),
            _ => None,
        };
        let objectivity = match (s.lowered, s.confirmed, s.raised) {
            (Some(a), Some(b), Some(c)) => Some([count(a), count(b), count(c)]),
            _ => None,
        };
        ResultRow {
            school_id: s.school_id,
            assessment: s.assessment,
            year: u16::try_from(s.year).unwrap_or(0),
            figures: Figures {
                participants: count(s.participants),
                marks,
                below_pass: s.below_pass.map(count),
                mean_score: s.mean_score,
                objectivity,
            },
        }
    }
}

/// One import of a region's year.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ResultImportRow {
    pub id: i64,
    pub year: i64,
    pub user_name: String,
    pub at: i64,
    pub file_name: String,
    pub layout: String,
    pub rows: i64,
    pub replaced: i64,
}

/// What an import is: whose, which year, which file.
pub struct NewImport<'a> {
    pub region_id: i64,
    pub year: u16,
    pub user_id: i64,
    pub at: i64,
    pub file_name: &'a str,
    pub layout: &'a str,
}

/// A cohort membership: school, category key, year.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CohortRow {
    pub school_id: i64,
    pub category: String,
    pub year: i64,
}

/// A school in a cohort of a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CohortEntry {
    pub school: i64,
    pub category: String,
    pub year: u16,
}

/// Schools put into cohorts, or taken out: by whom, when and how (`candidates`, `hand`, the
/// name of an imported file, `demo`).
#[derive(Debug, Clone, Copy)]
pub struct CohortChange<'a> {
    pub added: bool,
    pub user_id: i64,
    pub at: i64,
    pub how: &'a str,
}

/// One change of a school's cohorts.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CohortEventRow {
    pub category: String,
    pub year: i64,
    pub added: bool,
    pub user_name: String,
    pub at: i64,
    pub how: String,
}

/// Rows written by one statement: 14 values each, far under either backend's limit.
const BATCH: usize = 400;

impl Storage {
    /// Stores a region's year of results in one transaction: the rows of every assessment the
    /// file holds replace that assessment's year in the region; the import is kept in the history.
    /// Returns how many rows were replaced.
    pub async fn import_results(
        &self,
        import: &NewImport<'_>,
        rows: &[ResultRow],
    ) -> Result<u64, ServerError> {
        let mut assessments: Vec<&str> = rows.iter().map(|r| r.assessment.as_str()).collect();
        assessments.sort_unstable();
        assessments.dedup();
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let mut replaced = 0;
            for assessment in &assessments {
                replaced += sqlx::query(
                    "DELETE FROM results WHERE year = $1 AND assessment = $2 AND school_id IN
                       (SELECT s.id FROM schools s JOIN municipalities m ON m.id = s.municipality_id
                        WHERE m.region_id = $3)",
                )
                .bind(i64::from(import.year))
                .bind(*assessment)
                .bind(import.region_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO result_imports (region_id, year, user_id, at, file_name, layout, rows, replaced)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(import.region_id)
            .bind(i64::from(import.year))
            .bind(import.user_id)
            .bind(import.at)
            .bind(import.file_name)
            .bind(import.layout)
            .bind(rows.len() as i64)
            .bind(replaced as i64)
            .fetch_one(&mut *tx)
            .await?;
            for chunk in rows.chunks(BATCH) {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO results (school_id, assessment, year, participants, mark2, mark3,
                     mark4, mark5, below_pass, mean_score, lowered, confirmed, raised, import_id) ",
                );
                insert.push_values(chunk, |mut b, r| {
                    let f = &r.figures;
                    let mark = |i: usize| f.marks.map(|m| i64::from(m[i]));
                    let judged = |i: usize| f.objectivity.map(|o| i64::from(o[i]));
                    b.push_bind(r.school_id)
                        .push_bind(r.assessment.clone())
                        .push_bind(i64::from(r.year))
                        .push_bind(i64::from(f.participants))
                        .push_bind(mark(0))
                        .push_bind(mark(1))
                        .push_bind(mark(2))
                        .push_bind(mark(3))
                        .push_bind(f.below_pass.map(i64::from))
                        .push_bind(f.mean_score)
                        .push_bind(judged(0))
                        .push_bind(judged(1))
                        .push_bind(judged(2))
                        .push_bind(id);
                });
                insert.build().execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(replaced)
        })
    }

    /// What a region's reading of its results depends on: its newest import, the newest
    /// publication and the newest change of a cohort.
    pub async fn results_version(&self, region_id: i64) -> Result<(i64, i64, i64), ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT (SELECT COALESCE(MAX(id), 0) FROM result_imports WHERE region_id = $1),
                        (SELECT COALESCE(MAX(id), 0) FROM publications),
                        (SELECT COALESCE(MAX(id), 0) FROM cohort_events)",
            )
            .bind(region_id)
            .fetch_one(pool)
            .await?
        }))
    }

    /// Every result of a region's schools, every year, handed to `each` as it is read: a region
    /// of 10,000 schools holds a million and a half rows, which are never all in a list.
    /// `part` = (k, n) reads only the schools whose id is k modulo n, so that n readers may share
    /// the work (`None`: every school).
    pub async fn region_results(
        &self,
        region_id: i64,
        part: Option<(i64, i64)>,
        mut each: impl FnMut(ResultRow) + Send,
    ) -> Result<(), ServerError> {
        let (k, n) = part.unwrap_or((0, 1));
        use futures_util::TryStreamExt;
        match self {
            // PostgreSQL sends the rows as `COPY` text: a line per row, without the driver's
            // work per value (half the time of a query at a region's size).
            Storage::Postgres(pool) => {
                use sqlx::postgres::PgPoolCopyExt;
                let statement = format!(
                    "COPY (SELECT r.school_id, r.assessment, r.year, r.participants, r.mark2, r.mark3,
                                  r.mark4, r.mark5, r.below_pass, r.mean_score, r.lowered, r.confirmed, r.raised
                           FROM results r JOIN schools s ON s.id = r.school_id
                           JOIN municipalities m ON m.id = s.municipality_id
                           WHERE m.region_id = {region_id} AND r.school_id % {n} = {k}) TO STDOUT"
                );
                let mut chunks = pool.copy_out_raw(&statement).await?;
                let mut pending: Vec<u8> = Vec::new();
                while let Some(chunk) = chunks.try_next().await? {
                    pending.extend_from_slice(&chunk);
                    let Some(last) = pending.iter().rposition(|b| *b == b'\n') else {
                        continue;
                    };
                    for line in pending[..last].split(|b| *b == b'\n') {
                        each(copied_row(line)?);
                    }
                    pending.drain(..=last);
                }
                if !pending.is_empty() {
                    each(copied_row(&pending)?);
                }
            }
            // SQLite answers in-process: the figures travel as one text per row (the driver's
            // cost is per value: 13 integers a row took four times as long).
            Storage::Sqlite(pool) => {
                let mut rows = sqlx::query_as::<_, (i64, String, i64, String)>(
                    "SELECT r.school_id, r.assessment, r.year,
                            CAST(r.participants AS TEXT) || ',' || COALESCE(CAST(r.mark2 AS TEXT), '') || ','
                            || COALESCE(CAST(r.mark3 AS TEXT), '') || ',' || COALESCE(CAST(r.mark4 AS TEXT), '') || ','
                            || COALESCE(CAST(r.mark5 AS TEXT), '') || ',' || COALESCE(CAST(r.below_pass AS TEXT), '') || ','
                            || COALESCE(CAST(r.mean_score AS TEXT), '') || ',' || COALESCE(CAST(r.lowered AS TEXT), '') || ','
                            || COALESCE(CAST(r.confirmed AS TEXT), '') || ',' || COALESCE(CAST(r.raised AS TEXT), '')
                     FROM results r JOIN schools s ON s.id = r.school_id
                     JOIN municipalities m ON m.id = s.municipality_id
                     WHERE m.region_id = $1 AND r.school_id % $2 = $3",
                )
                .bind(region_id)
                .bind(n)
                .bind(k)
                .fetch(pool);
                while let Some(row) = rows.try_next().await? {
                    each(unpacked(row));
                }
            }
        }
        Ok(())
    }

    /// The imports of a region, newest first.
    pub async fn result_imports(
        &self,
        region_id: i64,
    ) -> Result<Vec<ResultImportRow>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT i.id, i.year, u.display_name AS user_name, i.at, i.file_name, i.layout, i.rows, i.replaced
                 FROM result_imports i JOIN users u ON u.id = i.user_id
                 WHERE i.region_id = $1 ORDER BY i.id DESC",
            )
            .bind(region_id)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Sets (or clears) a school's settlement type.
    pub async fn set_settlement(
        &self,
        school_id: i64,
        settlement: Option<&str>,
    ) -> Result<(), ServerError> {
        with_pool!(self, pool => {
            sqlx::query("UPDATE schools SET settlement = $1 WHERE id = $2")
                .bind(settlement)
                .bind(school_id)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Every school's settlement type, by school id.
    pub async fn settlements(&self) -> Result<Vec<(i64, Option<String>)>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as("SELECT id, settlement FROM schools").fetch_all(pool).await?
        }))
    }

    /// The cohorts of every school of a region.
    pub async fn region_cohorts(&self, region_id: i64) -> Result<Vec<CohortRow>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT c.school_id, c.category, c.year FROM cohorts c
                 JOIN schools s ON s.id = c.school_id
                 JOIN municipalities m ON m.id = s.municipality_id
                 WHERE m.region_id = $1 ORDER BY c.year DESC, c.category, c.school_id",
            )
            .bind(region_id)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Adds schools to a cohort of a year, or takes them out, with a history entry for each school
    /// whose membership changes; in one transaction. Returns how many changed.
    pub async fn set_cohort(
        &self,
        entries: &[CohortEntry],
        change: &CohortChange<'_>,
    ) -> Result<u64, ServerError> {
        let CohortChange {
            added,
            user_id,
            at,
            how,
        } = *change;
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let mut changed = 0;
            for CohortEntry { school, category, year } in entries {
                let done = if added {
                    sqlx::query(
                        "INSERT INTO cohorts (school_id, category, year) VALUES ($1, $2, $3)
                         ON CONFLICT DO NOTHING",
                    )
                } else {
                    sqlx::query(
                        "DELETE FROM cohorts WHERE school_id = $1 AND category = $2 AND year = $3",
                    )
                }
                .bind(*school)
                .bind(category)
                .bind(i64::from(*year))
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if done > 0 {
                    changed += 1;
                    sqlx::query(
                        "INSERT INTO cohort_events (school_id, category, year, added, user_id, at, how)
                         VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(*school)
                    .bind(category)
                    .bind(i64::from(*year))
                    .bind(added)
                    .bind(user_id)
                    .bind(at)
                    .bind(how)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            tx.commit().await?;
            Ok(changed)
        })
    }

    /// The schools in a cohort, of any year.
    pub async fn cohort_members(&self, category: &str) -> Result<Vec<i64>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar("SELECT DISTINCT school_id FROM cohorts WHERE category = $1")
                .bind(category)
                .fetch_all(pool)
                .await?
        }))
    }

    /// The history of a school's cohorts, newest first.
    pub async fn cohort_events(&self, school_id: i64) -> Result<Vec<CohortEventRow>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT e.category, e.year, e.added, u.display_name AS user_name, e.at, e.how
                 FROM cohort_events e JOIN users u ON u.id = e.user_id
                 WHERE e.school_id = $1 ORDER BY e.id DESC",
            )
            .bind(school_id)
            .fetch_all(pool)
            .await?
        }))
    }
}

/// A row of `region_results` as read: the figures packed in one text.
fn unpacked((school_id, assessment, year, packed): (i64, String, i64, String)) -> ResultRow {
    let mut parts = packed.split(',');
    let mut whole = || parts.next().and_then(|p| p.parse::<i64>().ok());
    let participants = whole().unwrap_or(0);
    let (mark2, mark3, mark4, mark5, below_pass) = (whole(), whole(), whole(), whole(), whole());
    let mean_score = parts.next().and_then(|p| p.parse::<f64>().ok());
    let mut whole = || parts.next().and_then(|p| p.parse::<i64>().ok());
    let (lowered, confirmed, raised) = (whole(), whole(), whole());
    ResultRow::from(Stored {
        school_id,
        assessment,
        year,
        participants,
        mark2,
        mark3,
        mark4,
        mark5,
        below_pass,
        mean_score,
        lowered,
        confirmed,
        raised,
    })
}

/// A line of `COPY … TO STDOUT` in text format: the 13 columns of `region_results`, tab-separated,
/// `\N` for none (the assessment keys are the catalogue's, which need no escapes).
fn copied_row(line: &[u8]) -> Result<ResultRow, ServerError> {
    let bad = || ServerError::Inconsistent("a results row that does not read".into());
    let line = std::str::from_utf8(line).map_err(|_| bad())?;
    let fields: Vec<&str> = line.split('\t').collect();
    if fields.len() != 13 || fields[1].contains('\\') {
        return Err(bad());
    }
    let whole = |i: usize| -> Result<Option<i64>, ServerError> {
        match fields[i] {
            "\\N" => Ok(None),
            v => v.parse().map(Some).map_err(|_| bad()),
        }
    };
    Ok(ResultRow::from(Stored {
        school_id: whole(0)?.ok_or_else(bad)?,
        assessment: fields[1].to_owned(),
        year: whole(2)?.ok_or_else(bad)?,
        participants: whole(3)?.unwrap_or(0),
        mark2: whole(4)?,
        mark3: whole(5)?,
        mark4: whole(6)?,
        mark5: whole(7)?,
        below_pass: whole(8)?,
        mean_score: match fields[9] {
            "\\N" => None,
            v => Some(v.parse().map_err(|_| bad())?),
        },
        lowered: whole(10)?,
        confirmed: whole(11)?,
        raised: whole(12)?,
    }))
}

#[cfg(test)]
mod tests {
    use super::copied_row;

    #[test]
    fn a_copied_line_reads_as_the_query_reads_it() {
        let row =
            copied_row(b"7\tvpr-math-5\t2026\t20\t2\t8\t6\t4\t\\N\t\\N\t3\t15\t2").expect("reads");
        assert_eq!(
            (row.school_id, row.assessment.as_str(), row.year),
            (7, "vpr-math-5", 2026)
        );
        assert_eq!(row.figures.participants, 20);
        assert_eq!(row.figures.marks, Some([2, 8, 6, 4]));
        assert_eq!(
            (row.figures.below_pass, row.figures.mean_score),
            (None, None)
        );
        assert_eq!(row.figures.objectivity, Some([3, 15, 2]));
        let scored =
            copied_row(b"8\tege-math\t2025\t12\t\\N\t\\N\t\\N\t\\N\t1\t57.25\t\\N\t\\N\t\\N")
                .expect("reads");
        assert_eq!(scored.figures.marks, None);
        assert_eq!(scored.figures.below_pass, Some(1));
        assert_eq!(scored.figures.mean_score, Some(57.25));
        // A line that is not a row of this shape is an error, not a row of zeros.
        for bad in [
            &b"7\tvpr-math-5\t2026"[..],
            b"x\tk\t2026\t1\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N",
            b"7\tk\\\\t\t2026\t1\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N",
        ] {
            assert!(copied_row(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
    }
}
