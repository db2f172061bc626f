//! Support work: a school's questions and their threads, visits and recommendations, events with
//! their schools, feedback codes and feedback sums, roadmaps, the files attached to any of them,
//! and one history of every change (written in the transaction of the change).

use app::support::{
    ActivityStatus, EventFormat, QuestionStatus, RecommendationStatus, Responsible, VisitMode,
    VisitStatus,
};
use surveys::calendar::Day;

use super::{with_pool, Storage};
use crate::error::ServerError;
use crate::problem::{At, Kind, Refused};

/// A change of a support object, for its history.
#[derive(Debug, Clone, Copy)]
pub struct Change<'a> {
    /// `question`, `visit`, `recommendation`, `event`, `roadmap`.
    pub kind: &'a str,
    pub owner_id: i64,
    pub school_id: Option<i64>,
    pub user_id: i64,
    pub at: i64,
    pub action: &'a str,
    pub detail: &'a str,
}

macro_rules! record {
    ($tx:expr, $c:expr) => {
        sqlx::query(
            "INSERT INTO support_history (kind, owner_id, school_id, user_id, at, action, detail)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind($c.kind)
        .bind($c.owner_id)
        .bind($c.school_id)
        .bind($c.user_id)
        .bind($c.at)
        .bind($c.action)
        .bind($c.detail)
        .execute(&mut *$tx)
        .await?;
        sqlx::query("UPDATE support_version SET version = version + 1 WHERE id = 1")
            .execute(&mut *$tx)
            .await?
    };
}

/// A history line: who (by name), when, what.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct HistoryRow {
    pub at: i64,
    pub user_name: String,
    pub action: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct QuestionRow {
    pub id: i64,
    pub school_id: i64,
    pub user_id: i64,
    pub factor: String,
    pub measure_id: Option<i64>,
    pub title: String,
    #[sqlx(try_from = "String")]
    pub status: QuestionStatus,
    pub asked_at: i64,
    #[sqlx(try_from = "String")]
    pub due_on: Day,
    pub answered_at: Option<i64>,
    pub last_at: i64,
    pub published: bool,
    pub kb_question: String,
    pub kb_answer: String,
    pub published_at: Option<i64>,
}

impl QuestionRow {
    /// Waiting for its first answer past the region's target.
    pub fn overdue(&self, today: Day) -> bool {
        self.status == QuestionStatus::New && self.due_on < today
    }
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MessageRow {
    pub id: i64,
    pub question_id: i64,
    pub user_name: String,
    pub role: String,
    pub body: String,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct VisitRow {
    pub id: i64,
    pub school_id: i64,
    pub user_id: i64,
    pub user_name: String,
    #[sqlx(try_from = "String")]
    pub day: Day,
    #[sqlx(try_from = "String")]
    pub mode: VisitMode,
    #[sqlx(try_from = "String")]
    pub status: VisitStatus,
    pub principals: i64,
    pub deputies: i64,
    pub teachers: i64,
    pub others: i64,
    pub purpose: String,
    pub findings: String,
}

/// A visit's fields as a form gives them.
#[derive(Debug, Clone)]
pub struct VisitFields {
    pub day: Day,
    pub mode: VisitMode,
    pub status: VisitStatus,
    pub participants: [i64; 4],
    pub purpose: String,
    pub findings: String,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RecommendationRow {
    pub id: i64,
    pub visit_id: Option<i64>,
    pub school_id: i64,
    pub user_id: i64,
    pub body: String,
    #[sqlx(try_from = "String")]
    pub due_on: Day,
    #[sqlx(try_from = "String")]
    pub responsible: Responsible,
    #[sqlx(try_from = "String")]
    pub status: RecommendationStatus,
    pub answer: String,
}

impl RecommendationRow {
    pub fn overdue(&self, today: Day) -> bool {
        self.status.open() && self.due_on < today
    }
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EventRow {
    pub id: i64,
    pub region_id: i64,
    pub municipality_id: Option<i64>,
    pub user_id: i64,
    pub title: String,
    #[sqlx(try_from = "String")]
    pub format: EventFormat,
    #[sqlx(try_from = "String")]
    pub starts_on: Day,
    #[sqlx(try_from = "String")]
    pub ends_on: Day,
    pub description: String,
    pub cohort: String,
    pub factors: String,
    pub feedback_open: bool,
    pub feedback_closed: bool,
    pub feedback_count: i64,
    pub feedback_sums: String,
}

/// An event's fields as a form gives them.
#[derive(Debug, Clone)]
pub struct EventFields {
    pub region_id: i64,
    pub municipality_id: Option<i64>,
    pub title: String,
    pub format: EventFormat,
    pub starts_on: Day,
    pub ends_on: Day,
    pub description: String,
    pub cohort: String,
    pub factors: String,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EventSchoolRow {
    pub event_id: i64,
    pub school_id: i64,
    pub registered_at: Option<i64>,
    pub reg_principals: i64,
    pub reg_deputies: i64,
    pub reg_teachers: i64,
    pub reg_others: i64,
    pub attended: Option<i64>,
}

impl EventSchoolRow {
    pub fn registered(&self) -> i64 {
        self.reg_principals + self.reg_deputies + self.reg_teachers + self.reg_others
    }
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RoadmapRow {
    pub id: i64,
    pub region_id: i64,
    pub municipality_id: Option<i64>,
    pub year: i64,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TrackRow {
    pub id: i64,
    pub roadmap_id: i64,
    pub position: i64,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ActivityRow {
    pub id: i64,
    pub track_id: i64,
    pub title: String,
    #[sqlx(try_from = "String")]
    pub starts_on: Day,
    #[sqlx(try_from = "String")]
    pub due_on: Day,
    pub responsible: String,
    pub cohort: String,
    pub schools: String,
    pub expected: String,
    #[sqlx(try_from = "String")]
    pub status: ActivityStatus,
}

impl ActivityRow {
    pub fn overdue(&self, today: Day) -> bool {
        matches!(
            self.status,
            ActivityStatus::Planned | ActivityStatus::InProgress
        ) && self.due_on < today
    }
}

/// An activity's fields as a form gives them.
#[derive(Debug, Clone)]
pub struct ActivityFields {
    pub title: String,
    pub starts_on: Day,
    pub due_on: Day,
    pub responsible: String,
    pub cohort: String,
    pub schools: String,
    pub expected: String,
    pub status: ActivityStatus,
}

/// A stage of an agreed programme without its report.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct UnfiledStage {
    pub programme_id: i64,
    pub campaign_id: i64,
    pub school_id: i64,
    pub school: String,
    pub stage_id: i64,
    pub title: String,
    #[sqlx(try_from = "String")]
    pub due_on: Day,
}

/// A support file without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SupportFileRow {
    pub id: i64,
    pub kind: String,
    pub owner_id: i64,
    pub school_id: Option<i64>,
    pub region_id: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
}

/// A file to attach to a support object.
#[derive(Debug, Clone, Copy)]
pub struct NewSupportFile<'a> {
    pub kind: &'a str,
    pub owner_id: i64,
    pub school_id: Option<i64>,
    pub region_id: i64,
    pub name: &'a str,
    pub content_type: &'a str,
    pub data: &'a [u8],
}

const QUESTION: &str = "SELECT id, school_id, user_id, factor, measure_id, title, status, asked_at,
    due_on, answered_at, last_at, published, kb_question, kb_answer, published_at FROM questions";
const VISIT: &str = "SELECT v.id, v.school_id, v.user_id, u.display_name AS user_name, v.day,
    v.mode, v.status, v.principals, v.deputies, v.teachers, v.others, v.purpose, v.findings
    FROM visits v JOIN users u ON u.id = v.user_id";
const RECOMMENDATION: &str = "SELECT id, visit_id, school_id, user_id, body, due_on, responsible,
    status, answer FROM recommendations";
const EVENT: &str = "SELECT id, region_id, municipality_id, user_id, title, format, starts_on,
    ends_on, description, cohort, factors, feedback_open, feedback_closed, feedback_count,
    feedback_sums FROM events";
const EVENT_SCHOOL: &str = "SELECT event_id, school_id, registered_at, reg_principals,
    reg_deputies, reg_teachers, reg_others, attended FROM event_schools";
const ACTIVITY: &str = "SELECT a.id, a.track_id, a.title, a.starts_on, a.due_on, a.responsible,
    a.cohort, a.schools, a.expected, a.status FROM roadmap_activities a";

impl Storage {
    /// The history of a support object, oldest first.
    pub async fn support_history(
        &self,
        kind: &str,
        owner: i64,
    ) -> Result<Vec<HistoryRow>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT h.at, u.display_name AS user_name, h.action, h.detail
                 FROM support_history h JOIN users u ON u.id = h.user_id
                 WHERE h.kind = $1 AND h.owner_id = $2 ORDER BY h.at, h.id",
            )
            .bind(kind)
            .bind(owner)
            .fetch_all(pool)
            .await?
        }))
    }

    /// The last contact with each school (a held visit, an answer to its question, attendance
    /// at an event), unix seconds, by school.
    pub async fn last_contacts(&self) -> Result<Vec<(i64, i64)>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT school_id, CAST(MAX(at) AS BIGINT) FROM support_history
                 WHERE school_id IS NOT NULL AND action IN ('visit_held', 'answered', 'attended')
                 GROUP BY school_id",
            )
            .fetch_all(pool)
            .await?
        }))
    }

    /// The number every support change moves (in the transaction of the change).
    pub async fn support_version(&self) -> Result<i64, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar("SELECT version FROM support_version WHERE id = 1")
                .fetch_one(pool)
                .await?
        }))
    }

    /// The region's target for a first answer, in working days.
    pub async fn answer_days(&self, region: i64) -> Result<i64, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar("SELECT answer_days FROM regions WHERE id = $1")
                .bind(region)
                .fetch_optional(pool)
                .await?
                .unwrap_or(3)
        }))
    }

    pub async fn set_answer_days(&self, region: i64, days: i64) -> Result<bool, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query("UPDATE regions SET answer_days = $1 WHERE id = $2")
                .bind(days)
                .bind(region)
                .execute(pool)
                .await?
                .rows_affected()
                == 1
        }))
    }

    /// The stages of agreed programmes that have no report yet.
    pub async fn stages_unfiled(&self) -> Result<Vec<UnfiledStage>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT p.id AS programme_id, p.campaign_id, p.school_id, sc.name AS school,
                        s.id AS stage_id, s.title, s.due_on
                 FROM programmes p
                 JOIN programme_stages s ON s.campaign_id = p.campaign_id
                 JOIN schools sc ON sc.id = p.school_id
                 WHERE p.status = 'agreed' AND NOT EXISTS (
                    SELECT 1 FROM stage_reports r WHERE r.programme_id = p.id AND r.stage_id = s.id)
                 ORDER BY s.due_on",
            )
            .fetch_all(pool)
            .await?
        }))
    }

    /// Every curator's schools, (user, school).
    pub async fn curator_links(&self) -> Result<Vec<(i64, i64)>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as("SELECT user_id, school_id FROM curator_schools ORDER BY user_id, school_id")
                .fetch_all(pool)
                .await?
        }))
    }

    /// The factors a school's programmes chose, and their measures as (id, factor, action).
    pub async fn school_plan(
        &self,
        school: i64,
    ) -> Result<(Vec<String>, Vec<(i64, String, String)>), ServerError> {
        let factors: Vec<String> = with_pool!(self, pool => {
            sqlx::query_scalar(
                "SELECT DISTINCT r.factor FROM chosen_risks r JOIN programmes p ON p.id = r.programme_id
                 WHERE p.school_id = $1 ORDER BY r.factor",
            )
            .bind(school)
            .fetch_all(pool)
            .await?
        });
        let measures: Vec<(i64, String, String)> = with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT m.id, r.factor, m.action FROM programme_measures m
                 JOIN chosen_risks r ON r.id = m.risk_id JOIN programmes p ON p.id = r.programme_id
                 WHERE p.school_id = $1 ORDER BY r.factor, m.id",
            )
            .bind(school)
            .fetch_all(pool)
            .await?
        });
        Ok((factors, measures))
    }

    // Questions.

    /// Every question, newest first (the caller cuts them to the viewer's scope).
    pub async fn questions(&self) -> Result<Vec<QuestionRow>, ServerError> {
        let sql = format!("{QUESTION} ORDER BY last_at DESC, id DESC");
        Ok(with_pool!(self, pool => sqlx::query_as(&sql).fetch_all(pool).await?))
    }

    /// The questions of these schools (through the index by school), newest first.
    pub async fn questions_of(&self, schools: &[i64]) -> Result<Vec<QuestionRow>, ServerError> {
        let sql = format!("{QUESTION} WHERE school_id = $1 ORDER BY last_at DESC, id DESC");
        let mut all = Vec::new();
        for school in schools {
            let rows: Vec<QuestionRow> =
                with_pool!(self, pool => sqlx::query_as(&sql).bind(school).fetch_all(pool).await?);
            all.extend(rows);
        }
        all.sort_by_key(|q| std::cmp::Reverse((q.last_at, q.id)));
        Ok(all)
    }

    /// Per school: questions waiting for an answer, and of them past their due day.
    pub async fn question_counts(&self, today: Day) -> Result<Vec<(i64, i64, i64)>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT school_id,
                        CAST(SUM(CASE WHEN status = 'new' THEN 1 ELSE 0 END) AS BIGINT),
                        CAST(SUM(CASE WHEN status = 'new' AND due_on < $1 THEN 1 ELSE 0 END) AS BIGINT)
                 FROM questions GROUP BY school_id",
            )
            .bind(today.to_string())
            .fetch_all(pool)
            .await?
        }))
    }

    /// Per school: open recommendations due from `today` to `soon`, and overdue ones.
    pub async fn recommendation_counts(
        &self,
        today: Day,
        soon: Day,
    ) -> Result<Vec<(i64, i64, i64)>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT school_id,
                        CAST(SUM(CASE WHEN due_on >= $1 AND due_on <= $2 THEN 1 ELSE 0 END) AS BIGINT),
                        CAST(SUM(CASE WHEN due_on < $1 THEN 1 ELSE 0 END) AS BIGINT)
                 FROM recommendations WHERE status IN ('open', 'in_progress', 'returned')
                 GROUP BY school_id",
            )
            .bind(today.to_string())
            .bind(soon.to_string())
            .fetch_all(pool)
            .await?
        }))
    }

    /// Per school: visits on the days from `from` up to (not including) `to`.
    pub async fn visit_counts(&self, from: Day, to: Day) -> Result<Vec<(i64, i64)>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT school_id, COUNT(*) FROM visits WHERE day >= $1 AND day < $2 GROUP BY school_id",
            )
            .bind(from.to_string())
            .bind(to.to_string())
            .fetch_all(pool)
            .await?
        }))
    }

    /// Per author and school: visits held on the days from `from` to `to`.
    pub async fn visits_held(
        &self,
        from: Day,
        to: Day,
    ) -> Result<Vec<(i64, i64, i64)>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT user_id, school_id, COUNT(*) FROM visits
                 WHERE status = 'held' AND day >= $1 AND day <= $2 GROUP BY user_id, school_id",
            )
            .bind(from.to_string())
            .bind(to.to_string())
            .fetch_all(pool)
            .await?
        }))
    }

    pub async fn question(&self, id: i64) -> Result<Option<QuestionRow>, ServerError> {
        let sql = format!("{QUESTION} WHERE id = $1");
        Ok(with_pool!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?))
    }

    /// The published answers, newest first.
    pub async fn knowledge(&self) -> Result<Vec<QuestionRow>, ServerError> {
        let sql = format!("{QUESTION} WHERE published = TRUE ORDER BY published_at DESC");
        Ok(with_pool!(self, pool => sqlx::query_as(&sql).fetch_all(pool).await?))
    }

    /// Asks a question: the question, its first message and the history in one transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn ask(
        &self,
        school: i64,
        user: (i64, &str),
        factor: &str,
        measure: Option<i64>,
        title: &str,
        body: &str,
        at: i64,
        due_on: Day,
    ) -> Result<(i64, i64), ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO questions (school_id, user_id, factor, measure_id, title, status,
                    asked_at, due_on, last_at)
                 VALUES ($1, $2, $3, $4, $5, 'new', $6, $7, $6) RETURNING id",
            )
            .bind(school)
            .bind(user.0)
            .bind(factor)
            .bind(measure)
            .bind(title)
            .bind(at)
            .bind(due_on.to_string())
            .fetch_one(&mut *tx)
            .await?;
            let message: i64 = sqlx::query_scalar(
                "INSERT INTO question_messages (question_id, user_id, role, body, at)
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(id)
            .bind(user.0)
            .bind(user.1)
            .bind(body)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            let change = Change { kind: "question", owner_id: id, school_id: Some(school), user_id: user.0, at, action: "asked", detail: "" };
            record!(tx, change);
            tx.commit().await?;
            Ok((id, message))
        })
    }

    /// A message in a question's thread and the status it moves the question to (an answer
    /// makes it answered, the school's message opens it again as new, with a new due day).
    pub async fn add_message(
        &self,
        question: &QuestionRow,
        user: (i64, &str),
        body: &str,
        status: QuestionStatus,
        due_on: Day,
        change: Change<'_>,
    ) -> Result<i64, ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let message: i64 = sqlx::query_scalar(
                "INSERT INTO question_messages (question_id, user_id, role, body, at)
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(question.id)
            .bind(user.0)
            .bind(user.1)
            .bind(body)
            .bind(change.at)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE questions SET status = $1, last_at = $2, due_on = $3,
                    answered_at = CASE WHEN $1 = 'answered' THEN COALESCE(answered_at, $2) ELSE answered_at END
                 WHERE id = $4",
            )
            .bind(status.key())
            .bind(change.at)
            .bind(due_on.to_string())
            .bind(question.id)
            .execute(&mut *tx)
            .await?;
            record!(tx, change);
            tx.commit().await?;
            Ok(message)
        })
    }

    /// Sets a question's status alone (the school closes it).
    pub async fn set_question_status(
        &self,
        id: i64,
        status: QuestionStatus,
        change: Change<'_>,
    ) -> Result<(), ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE questions SET status = $1, last_at = $2 WHERE id = $3")
                .bind(status.key())
                .bind(change.at)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            record!(tx, change);
            tx.commit().await?;
            Ok(())
        })
    }

    /// Publishes a question to the knowledge base in the words given (or withdraws it).
    pub async fn publish_question(
        &self,
        id: i64,
        published: Option<(&str, &str)>,
        change: Change<'_>,
    ) -> Result<(), ServerError> {
        let (on, q, a) = match published {
            Some((q, a)) => (true, q, a),
            None => (false, "", ""),
        };
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "UPDATE questions SET published = $1, kb_question = $2, kb_answer = $3,
                    published_at = $4 WHERE id = $5",
            )
            .bind(on)
            .bind(q)
            .bind(a)
            .bind(on.then_some(change.at))
            .bind(id)
            .execute(&mut *tx)
            .await?;
            record!(tx, change);
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn messages(&self, question: i64) -> Result<Vec<MessageRow>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT m.id, m.question_id, u.display_name AS user_name, m.role, m.body, m.at
                 FROM question_messages m JOIN users u ON u.id = m.user_id
                 WHERE m.question_id = $1 ORDER BY m.at, m.id",
            )
            .bind(question)
            .fetch_all(pool)
            .await?
        }))
    }

    // Visits and recommendations.

    pub async fn visits(&self) -> Result<Vec<VisitRow>, ServerError> {
        let sql = format!("{VISIT} ORDER BY v.day DESC, v.id DESC");
        Ok(with_pool!(self, pool => sqlx::query_as(&sql).fetch_all(pool).await?))
    }

    /// The visits of these schools (through the index by school), latest first.
    pub async fn visits_of_schools(&self, schools: &[i64]) -> Result<Vec<VisitRow>, ServerError> {
        let mut all = Vec::new();
        for school in schools {
            all.extend(self.visits_of(*school).await?);
        }
        all.sort_by_key(|v| std::cmp::Reverse((v.day, v.id)));
        Ok(all)
    }

    pub async fn visits_of(&self, school: i64) -> Result<Vec<VisitRow>, ServerError> {
        let sql = format!("{VISIT} WHERE v.school_id = $1 ORDER BY v.day DESC, v.id DESC");
        Ok(with_pool!(self, pool => sqlx::query_as(&sql).bind(school).fetch_all(pool).await?))
    }

    pub async fn visit(&self, id: i64) -> Result<Option<VisitRow>, ServerError> {
        let sql = format!("{VISIT} WHERE v.id = $1");
        Ok(with_pool!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?))
    }

    /// Records a visit (or changes one, `id` given) with its history.
    pub async fn save_visit(
        &self,
        id: Option<i64>,
        school: i64,
        fields: &VisitFields,
        change: Change<'_>,
    ) -> Result<i64, ServerError> {
        let [p, d, t, o] = fields.participants;
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = match id {
                None => sqlx::query_scalar(
                    "INSERT INTO visits (school_id, user_id, day, mode, status, principals,
                        deputies, teachers, others, purpose, findings, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
                )
                .bind(school)
                .bind(change.user_id)
                .bind(fields.day.to_string())
                .bind(fields.mode.key())
                .bind(fields.status.key())
                .bind(p).bind(d).bind(t).bind(o)
                .bind(&fields.purpose)
                .bind(&fields.findings)
                .bind(change.at)
                .fetch_one(&mut *tx)
                .await?,
                Some(id) => {
                    sqlx::query(
                        "UPDATE visits SET day = $1, mode = $2, status = $3, principals = $4,
                            deputies = $5, teachers = $6, others = $7, purpose = $8, findings = $9
                         WHERE id = $10",
                    )
                    .bind(fields.day.to_string())
                    .bind(fields.mode.key())
                    .bind(fields.status.key())
                    .bind(p).bind(d).bind(t).bind(o)
                    .bind(&fields.purpose)
                    .bind(&fields.findings)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                    id
                }
            };
            let change = Change { owner_id: id, ..change };
            record!(tx, change);
            tx.commit().await?;
            Ok(id)
        })
    }

    pub async fn recommendations(&self) -> Result<Vec<RecommendationRow>, ServerError> {
        let sql = format!("{RECOMMENDATION} ORDER BY due_on, id");
        Ok(with_pool!(self, pool => sqlx::query_as(&sql).fetch_all(pool).await?))
    }

    /// The recommendations of these schools (through the index by school).
    pub async fn recommendations_of_schools(
        &self,
        schools: &[i64],
    ) -> Result<Vec<RecommendationRow>, ServerError> {
        let mut all = Vec::new();
        for school in schools {
            all.extend(self.recommendations_of(*school).await?);
        }
        Ok(all)
    }

    pub async fn recommendations_of(
        &self,
        school: i64,
    ) -> Result<Vec<RecommendationRow>, ServerError> {
        let sql = format!("{RECOMMENDATION} WHERE school_id = $1 ORDER BY due_on, id");
        Ok(with_pool!(self, pool => sqlx::query_as(&sql).bind(school).fetch_all(pool).await?))
    }

    pub async fn recommendation(&self, id: i64) -> Result<Option<RecommendationRow>, ServerError> {
        let sql = format!("{RECOMMENDATION} WHERE id = $1");
        Ok(with_pool!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?))
    }

    /// Leaves a recommendation after a visit.
    pub async fn add_recommendation(
        &self,
        visit: &VisitRow,
        body: &str,
        due_on: Day,
        responsible: Responsible,
        change: Change<'_>,
    ) -> Result<i64, ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO recommendations (visit_id, school_id, user_id, body, due_on,
                    responsible, status, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, 'open', $7) RETURNING id",
            )
            .bind(visit.id)
            .bind(visit.school_id)
            .bind(change.user_id)
            .bind(body)
            .bind(due_on.to_string())
            .bind(responsible.key())
            .bind(change.at)
            .fetch_one(&mut *tx)
            .await?;
            let change = Change { owner_id: id, ..change };
            record!(tx, change);
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Moves a recommendation to a status, with the school's answer when one is given; only
    /// from the status it was read in (`from`), so that two answers at once do not both count.
    pub async fn set_recommendation(
        &self,
        id: i64,
        from: RecommendationStatus,
        to: RecommendationStatus,
        answer: Option<&str>,
        change: Change<'_>,
    ) -> Result<bool, ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let moved = sqlx::query(
                "UPDATE recommendations SET status = $1, answer = COALESCE($2, answer),
                    answered_at = CASE WHEN $2 IS NULL THEN answered_at ELSE $3 END
                 WHERE id = $4 AND status = $5",
            )
            .bind(to.key())
            .bind(answer)
            .bind(change.at)
            .bind(id)
            .bind(from.key())
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if moved {
                record!(tx, change);
                tx.commit().await?;
            }
            Ok(moved)
        })
    }

    // Events.

    pub async fn events(&self) -> Result<Vec<EventRow>, ServerError> {
        let sql = format!("{EVENT} ORDER BY starts_on DESC, id DESC");
        Ok(with_pool!(self, pool => sqlx::query_as(&sql).fetch_all(pool).await?))
    }

    pub async fn event(&self, id: i64) -> Result<Option<EventRow>, ServerError> {
        let sql = format!("{EVENT} WHERE id = $1");
        Ok(with_pool!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?))
    }

    pub async fn create_event(
        &self,
        fields: &EventFields,
        change: Change<'_>,
    ) -> Result<i64, ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO events (region_id, municipality_id, user_id, title, format,
                    starts_on, ends_on, description, cohort, factors, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            )
            .bind(fields.region_id)
            .bind(fields.municipality_id)
            .bind(change.user_id)
            .bind(&fields.title)
            .bind(fields.format.key())
            .bind(fields.starts_on.to_string())
            .bind(fields.ends_on.to_string())
            .bind(&fields.description)
            .bind(&fields.cohort)
            .bind(&fields.factors)
            .bind(change.at)
            .fetch_one(&mut *tx)
            .await?;
            let change = Change { owner_id: id, ..change };
            record!(tx, change);
            tx.commit().await?;
            Ok(id)
        })
    }

    pub async fn event_schools(&self, event: i64) -> Result<Vec<EventSchoolRow>, ServerError> {
        let sql = format!("{EVENT_SCHOOL} WHERE event_id = $1 ORDER BY school_id");
        Ok(with_pool!(self, pool => sqlx::query_as(&sql).bind(event).fetch_all(pool).await?))
    }

    /// Every event's schools (for the start pages and lists).
    pub async fn all_event_schools(&self) -> Result<Vec<EventSchoolRow>, ServerError> {
        let sql = format!("{EVENT_SCHOOL} ORDER BY event_id, school_id");
        Ok(with_pool!(self, pool => sqlx::query_as(&sql).fetch_all(pool).await?))
    }

    /// Invites schools to an event; the ones newly invited.
    pub async fn invite(
        &self,
        event: i64,
        schools: &[i64],
        change: Change<'_>,
    ) -> Result<Vec<i64>, ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let mut added = Vec::new();
            for school in schools {
                let n = sqlx::query(
                    "INSERT INTO event_schools (event_id, school_id, invited_at) VALUES ($1, $2, $3)
                     ON CONFLICT (event_id, school_id) DO NOTHING",
                )
                .bind(event)
                .bind(school)
                .bind(change.at)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if n == 1 {
                    added.push(*school);
                }
            }
            let detail = added.len().to_string();
            let change = Change { detail: &detail, ..change };
            record!(tx, change);
            tx.commit().await?;
            Ok(added)
        })
    }

    /// A school's registration: how many of each role come.
    pub async fn register(
        &self,
        event: i64,
        school: i64,
        counts: [i64; 4],
        change: Change<'_>,
    ) -> Result<bool, ServerError> {
        let [p, d, t, o] = counts;
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let n = sqlx::query(
                "UPDATE event_schools SET registered_at = $1, reg_principals = $2,
                    reg_deputies = $3, reg_teachers = $4, reg_others = $5
                 WHERE event_id = $6 AND school_id = $7",
            )
            .bind(change.at)
            .bind(p).bind(d).bind(t).bind(o)
            .bind(event)
            .bind(school)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 1 {
                record!(tx, change);
                tx.commit().await?;
            }
            Ok(n == 1)
        })
    }

    /// Attendance after the event, per school; each school's change in the history.
    pub async fn record_attendance(
        &self,
        event: i64,
        attended: &[(i64, i64)],
        change: Change<'_>,
    ) -> Result<(), ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for (school, n) in attended {
                let changed = sqlx::query(
                    "UPDATE event_schools SET attended = $1 WHERE event_id = $2 AND school_id = $3",
                )
                .bind(n)
                .bind(event)
                .bind(school)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if changed == 1 && *n > 0 {
                    let detail = n.to_string();
                    let c = Change { school_id: Some(*school), action: "attended", detail: &detail, ..change };
                    record!(tx, c);
                }
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Opens the feedback and makes each attending school's single-use codes (as many as it
    /// registered participants), or closes it for good.
    pub async fn set_feedback(
        &self,
        event: i64,
        open: bool,
        codes: &[(i64, String, String)],
        change: Change<'_>,
    ) -> Result<(), ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            if open {
                sqlx::query("UPDATE events SET feedback_open = TRUE WHERE id = $1 AND NOT feedback_closed")
                    .bind(event)
                    .execute(&mut *tx)
                    .await?;
                for (school, code, hash) in codes {
                    sqlx::query(
                        "INSERT INTO event_codes (hash, event_id, school_id, code) VALUES ($1, $2, $3, $4)
                         ON CONFLICT (hash) DO NOTHING",
                    )
                    .bind(hash)
                    .bind(event)
                    .bind(school)
                    .bind(code)
                    .execute(&mut *tx)
                    .await?;
                }
            } else {
                sqlx::query("UPDATE events SET feedback_open = FALSE, feedback_closed = TRUE WHERE id = $1")
                    .bind(event)
                    .execute(&mut *tx)
                    .await?;
                // The codes' texts go: nobody needs them once the feedback is closed.
                sqlx::query("UPDATE event_codes SET code = '' WHERE event_id = $1")
                    .bind(event)
                    .execute(&mut *tx)
                    .await?;
            }
            record!(tx, change);
            tx.commit().await?;
            Ok(())
        })
    }

    /// The feedback codes of a school at an event, used or not: the school is not shown which
    /// were used, so that it cannot tell who of its people answered.
    pub async fn event_codes(&self, event: i64, school: i64) -> Result<Vec<String>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar(
                "SELECT code FROM event_codes WHERE event_id = $1 AND school_id = $2
                 AND code <> '' ORDER BY code",
            )
            .bind(event)
            .bind(school)
            .fetch_all(pool)
            .await?
        }))
    }

    /// The event whose unused, open feedback code has this hash.
    pub async fn feedback_event(&self, hash: &str) -> Result<Option<i64>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar(
                "SELECT c.event_id FROM event_codes c JOIN events e ON e.id = c.event_id
                 WHERE c.hash = $1 AND NOT c.used AND e.feedback_open AND NOT e.feedback_closed",
            )
            .bind(hash)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Adds one feedback answer to the event's sums and spends its code, in one transaction;
    /// `false` (nothing counted) when the code was spent meanwhile or the feedback closed.
    /// `add` turns the stored sums (JSON, empty at first) into the new ones.
    pub async fn add_feedback(
        &self,
        hash: &str,
        add: impl FnOnce(&str) -> Result<String, ServerError>,
    ) -> Result<bool, ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let event: Option<i64> = sqlx::query_scalar(
                "UPDATE event_codes SET used = TRUE WHERE hash = $1 AND NOT used
                 AND event_id IN (SELECT id FROM events WHERE feedback_open AND NOT feedback_closed)
                 RETURNING event_id",
            )
            .bind(hash)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(event) = event else {
                return Ok(false);
            };
            let sums: String = sqlx::query_scalar("SELECT feedback_sums FROM events WHERE id = $1")
                .bind(event)
                .fetch_one(&mut *tx)
                .await?;
            let sums = add(&sums)?;
            sqlx::query(
                "UPDATE events SET feedback_sums = $1, feedback_count = feedback_count + 1 WHERE id = $2",
            )
            .bind(sums)
            .bind(event)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Schools whose programmes (of any campaign) chose one of these factors.
    pub async fn schools_choosing(&self, factors: &[&str]) -> Result<Vec<i64>, ServerError> {
        let mut schools = Vec::new();
        for factor in factors {
            let found: Vec<i64> = with_pool!(self, pool => {
                sqlx::query_scalar(
                    "SELECT DISTINCT p.school_id FROM chosen_risks r
                     JOIN programmes p ON p.id = r.programme_id WHERE r.factor = $1",
                )
                .bind(factor)
                .fetch_all(pool)
                .await?
            });
            schools.extend(found);
        }
        schools.sort_unstable();
        schools.dedup();
        Ok(schools)
    }

    // Roadmaps.

    pub async fn roadmaps(&self) -> Result<Vec<RoadmapRow>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, region_id, municipality_id, year, title FROM roadmaps
                 ORDER BY year DESC, id",
            )
            .fetch_all(pool)
            .await?
        }))
    }

    pub async fn create_roadmap(
        &self,
        region: i64,
        municipality: Option<i64>,
        year: i64,
        title: &str,
        change: Change<'_>,
    ) -> Result<i64, ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO roadmaps (region_id, municipality_id, year, title, user_id, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(region)
            .bind(municipality)
            .bind(year)
            .bind(title)
            .bind(change.user_id)
            .bind(change.at)
            .fetch_one(&mut *tx)
            .await?;
            let change = Change { owner_id: id, ..change };
            record!(tx, change);
            tx.commit().await?;
            Ok(id)
        })
    }

    pub async fn tracks(&self) -> Result<Vec<TrackRow>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as("SELECT id, roadmap_id, position, title FROM roadmap_tracks ORDER BY roadmap_id, position, id")
                .fetch_all(pool)
                .await?
        }))
    }

    pub async fn add_track(
        &self,
        roadmap: i64,
        title: &str,
        change: Change<'_>,
    ) -> Result<i64, ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO roadmap_tracks (roadmap_id, position, title)
                 VALUES ($1, (SELECT COUNT(*) + 1 FROM roadmap_tracks WHERE roadmap_id = $1), $2)
                 RETURNING id",
            )
            .bind(roadmap)
            .bind(title)
            .fetch_one(&mut *tx)
            .await?;
            record!(tx, change);
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Every activity (with its track's roadmap known through `tracks`).
    pub async fn activities(&self) -> Result<Vec<ActivityRow>, ServerError> {
        let sql = format!("{ACTIVITY} ORDER BY a.track_id, a.starts_on, a.id");
        Ok(with_pool!(self, pool => sqlx::query_as(&sql).fetch_all(pool).await?))
    }

    pub async fn activity(&self, id: i64) -> Result<Option<ActivityRow>, ServerError> {
        let sql = format!("{ACTIVITY} WHERE a.id = $1");
        Ok(with_pool!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?))
    }

    /// Adds an activity to a track (`id` none) or changes one.
    pub async fn save_activity(
        &self,
        id: Option<i64>,
        track: i64,
        f: &ActivityFields,
        change: Change<'_>,
    ) -> Result<i64, ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = match id {
                None => sqlx::query_scalar(
                    "INSERT INTO roadmap_activities (track_id, title, starts_on, due_on,
                        responsible, cohort, schools, expected, status)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                )
                .bind(track)
                .bind(&f.title)
                .bind(f.starts_on.to_string())
                .bind(f.due_on.to_string())
                .bind(&f.responsible)
                .bind(&f.cohort)
                .bind(&f.schools)
                .bind(&f.expected)
                .bind(f.status.key())
                .fetch_one(&mut *tx)
                .await?,
                Some(id) => {
                    sqlx::query(
                        "UPDATE roadmap_activities SET title = $1, starts_on = $2, due_on = $3,
                            responsible = $4, cohort = $5, schools = $6, expected = $7, status = $8
                         WHERE id = $9 AND track_id = $10",
                    )
                    .bind(&f.title)
                    .bind(f.starts_on.to_string())
                    .bind(f.due_on.to_string())
                    .bind(&f.responsible)
                    .bind(&f.cohort)
                    .bind(&f.schools)
                    .bind(&f.expected)
                    .bind(f.status.key())
                    .bind(id)
                    .bind(track)
                    .execute(&mut *tx)
                    .await?;
                    id
                }
            };
            record!(tx, change);
            tx.commit().await?;
            Ok(id)
        })
    }

    // Files.

    /// The question a message belongs to.
    pub async fn message_question(&self, message: i64) -> Result<Option<i64>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar("SELECT question_id FROM question_messages WHERE id = $1")
                .bind(message)
                .fetch_optional(pool)
                .await?
        }))
    }

    /// The roadmap an activity belongs to.
    pub async fn activity_roadmap(&self, activity: i64) -> Result<Option<i64>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar(
                "SELECT t.roadmap_id FROM roadmap_activities a JOIN roadmap_tracks t ON t.id = a.track_id
                 WHERE a.id = $1",
            )
            .bind(activity)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Files of support objects of a kind (without bytes), by owner.
    pub async fn support_files(&self, kind: &str) -> Result<Vec<SupportFileRow>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, kind, owner_id, school_id, region_id, name, content_type, size
                 FROM support_files WHERE kind = $1 ORDER BY owner_id, id",
            )
            .bind(kind)
            .fetch_all(pool)
            .await?
        }))
    }

    pub async fn support_file(
        &self,
        id: i64,
    ) -> Result<Option<(SupportFileRow, Vec<u8>)>, ServerError> {
        let row: Option<SupportFileRow> = with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, kind, owner_id, school_id, region_id, name, content_type, size
                 FROM support_files WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?
        });
        let Some(row) = row else { return Ok(None) };
        let data: Vec<u8> = with_pool!(self, pool => {
            sqlx::query_scalar("SELECT data FROM support_files WHERE id = $1")
                .bind(id)
                .fetch_one(pool)
                .await?
        });
        Ok(Some((row, data)))
    }

    /// Attaches a file within the quota of its school (or of the region's own objects), with
    /// the history, in one transaction.
    pub async fn add_support_file(
        &self,
        file: NewSupportFile<'_>,
        quota: u64,
        change: Change<'_>,
    ) -> Result<i64, ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            // Two uploads of one school at once are counted one after the other.
            sqlx::query("UPDATE regions SET id = id WHERE id = $1")
                .bind(file.region_id)
                .execute(&mut *tx)
                .await?;
            let used: i64 = sqlx::query_scalar(
                "SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM support_files
                 WHERE region_id = $1 AND COALESCE(school_id, 0) = COALESCE($2, 0)",
            )
            .bind(file.region_id)
            .bind(file.school_id)
            .fetch_one(&mut *tx)
            .await?;
            let after = u64::try_from(used).unwrap_or(0).saturating_add(file.data.len() as u64);
            if after > quota {
                return Err(Refused::one(At::Field("file"), Kind::UploadQuota(quota >> 20)).into());
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO support_files (kind, owner_id, school_id, region_id, name,
                    content_type, size, data, user_id, at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(file.kind)
            .bind(file.owner_id)
            .bind(file.school_id)
            .bind(file.region_id)
            .bind(file.name)
            .bind(file.content_type)
            .bind(file.data.len() as i64)
            .bind(file.data)
            .bind(change.user_id)
            .bind(change.at)
            .fetch_one(&mut *tx)
            .await?;
            record!(tx, change);
            tx.commit().await?;
            Ok(id)
        })
    }
}
