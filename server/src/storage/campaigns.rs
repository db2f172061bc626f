//! Campaigns: their schools with the respondents expected there, and the access codes that open
//! their questionnaires.

use surveys::calendar::Day;
use surveys::Group;

/// The schools of a campaign (`$1`) with their places and expected respondents: the list and one
/// school of it read the same columns.
macro_rules! campaign_schools_select {
    () => {
        "SELECT s.id AS school_id, s.code, s.name, m.name AS municipality,
                m.id AS municipality_id, m.region_id, cs.expected_teachers, cs.expected_students, cs.expected_parents
         FROM campaign_schools cs
         JOIN schools s ON s.id = cs.school_id
         JOIN municipalities m ON m.id = s.municipality_id
         WHERE cs.campaign_id = $1"
    };
}

use super::{with_pool, Storage};
use crate::error::ServerError;

const INSERT_CAMPAIGN: &str = "INSERT INTO campaigns (region_id, code, name, methodology_version, opens_on, closes_on, target_grades)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
const UPSERT_CAMPAIGN_SCHOOL: &str = "INSERT INTO campaign_schools (campaign_id, school_id, expected_teachers, expected_students, expected_parents)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (campaign_id, school_id) DO UPDATE SET expected_teachers = excluded.expected_teachers,
        expected_students = excluded.expected_students, expected_parents = excluded.expected_parents";
const INSERT_ACCESS_CODE: &str =
    "INSERT INTO access_codes (code, campaign_id, school_id, respondent_group, personal)
     VALUES ($1, $2, $3, $4, $5)";
const CAMPAIGN_COLUMNS: &str =
    "SELECT id, code, name, methodology_version, opens_on, closes_on FROM campaigns";

/// A campaign to create.
#[derive(Debug, Clone)]
pub struct NewCampaign<'a> {
    pub region_id: i64,
    pub code: &'a str,
    pub name: &'a str,
    pub methodology_version: &'a str,
    pub opens_on: Day,
    pub closes_on: Day,
    pub target_grades: &'a str,
}

/// Respondents a school expects in a campaign (its principal is always one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExpectedCounts {
    pub teachers: i64,
    pub students: i64,
    pub parents: i64,
}

/// An access code as issued: the code, the group it opens, and whether it is one person's.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AccessCode {
    pub code: String,
    #[sqlx(rename = "respondent_group", try_from = "String")]
    pub group: Group,
    pub personal: bool,
}

/// A school of a new campaign: expected respondents and its access codes.
#[derive(Debug, Clone)]
pub struct SchoolPlan {
    pub school_id: i64,
    pub expected: ExpectedCounts,
    pub codes: Vec<AccessCode>,
}

/// A stored campaign.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CampaignRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub methodology_version: String,
    #[sqlx(try_from = "String")]
    pub opens_on: Day,
    #[sqlx(try_from = "String")]
    pub closes_on: Day,
}

/// The respondents a campaign expects of a school, as the engine counts them: one principal (and
/// the principal's self-diagnostic), a diagnostic per teacher.
fn expected(teachers: i64, students: i64, parents: i64) -> surveys::Expected {
    let count = |n: i64| u32::try_from(n).unwrap_or(0);
    surveys::Expected::default()
        .with(Group::Principal, 1)
        .with(Group::Teacher, count(teachers))
        .with(Group::Student, count(students))
        .with(Group::Parent, count(parents))
        .with(Group::TeacherDeficits, count(teachers))
        .with(Group::PrincipalManagement, 1)
}

/// A school of a campaign with where it is and how many respondents are expected.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SchoolInCampaign {
    pub school_id: i64,
    pub code: String,
    pub name: String,
    pub municipality: String,
    pub municipality_id: i64,
    pub region_id: i64,
    pub expected_teachers: i64,
    pub expected_students: i64,
    pub expected_parents: i64,
}

impl SchoolInCampaign {
    /// The respondents expected, as the engine counts them: one principal, a diagnostic per
    /// teacher.
    pub fn expected(&self) -> surveys::Expected {
        expected(
            self.expected_teachers,
            self.expected_students,
            self.expected_parents,
        )
    }

    /// Where the school is, for scope checks.
    pub fn place(&self) -> app::access::Place {
        app::access::Place {
            school: self.school_id,
            municipality: self.municipality_id,
            region: self.region_id,
        }
    }
}

/// What an access code opens.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CodeInfo {
    pub code: String,
    pub campaign_id: i64,
    pub school_id: i64,
    #[sqlx(rename = "respondent_group", try_from = "String")]
    pub group: Group,
    pub personal: bool,
    pub revoked: bool,
    pub school_name: String,
    pub campaign_name: String,
    pub methodology_version: String,
    #[sqlx(try_from = "String")]
    pub opens_on: Day,
    #[sqlx(try_from = "String")]
    pub closes_on: Day,
    pub expected_teachers: i64,
    pub expected_students: i64,
    pub expected_parents: i64,
}

impl CodeInfo {
    /// How many respondents of the code's group the campaign expects of the school.
    pub fn expected(&self) -> u32 {
        expected(
            self.expected_teachers,
            self.expected_students,
            self.expected_parents,
        )
        .get(self.group)
        .unwrap_or(0)
    }
}

impl Storage {
    /// Creates a campaign without schools.
    pub async fn create_campaign(&self, c: &NewCampaign<'_>) -> Result<i64, ServerError> {
        self.create_campaign_with(c, &[]).await
    }

    /// Creates a campaign with its schools and their access codes in one transaction.
    pub async fn create_campaign_with(
        &self,
        c: &NewCampaign<'_>,
        schools: &[SchoolPlan],
    ) -> Result<i64, ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(INSERT_CAMPAIGN)
                .bind(c.region_id)
                .bind(c.code)
                .bind(c.name)
                .bind(c.methodology_version)
                .bind(c.opens_on.to_string())
                .bind(c.closes_on.to_string())
                .bind(c.target_grades)
                .fetch_one(&mut *tx)
                .await?;
            for s in schools {
                sqlx::query(UPSERT_CAMPAIGN_SCHOOL)
                    .bind(id)
                    .bind(s.school_id)
                    .bind(s.expected.teachers)
                    .bind(s.expected.students)
                    .bind(s.expected.parents)
                    .execute(&mut *tx)
                    .await?;
                for a in &s.codes {
                    sqlx::query(INSERT_ACCESS_CODE)
                        .bind(&a.code)
                        .bind(id)
                        .bind(s.school_id)
                        .bind(a.group.key())
                        .bind(a.personal)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Adds a school to a campaign with its expected respondent counts (or updates them).
    pub async fn set_expected_counts(
        &self,
        campaign_id: i64,
        school_id: i64,
        teachers: i64,
        students: i64,
        parents: i64,
    ) -> Result<(), ServerError> {
        with_pool!(self, pool => {
            sqlx::query(UPSERT_CAMPAIGN_SCHOOL)
                .bind(campaign_id)
                .bind(school_id)
                .bind(teachers)
                .bind(students)
                .bind(parents)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    pub async fn campaign(&self, id: i64) -> Result<Option<CampaignRow>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(&format!("{CAMPAIGN_COLUMNS} WHERE id = $1"))
                .bind(id)
                .fetch_optional(pool)
                .await?
        }))
    }

    pub async fn campaign_by_code(&self, code: &str) -> Result<Option<CampaignRow>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(&format!("{CAMPAIGN_COLUMNS} WHERE code = $1"))
                .bind(code)
                .fetch_optional(pool)
                .await?
        }))
    }

    /// Campaigns, newest opening first.
    pub async fn campaigns(&self) -> Result<Vec<CampaignRow>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(&format!("{CAMPAIGN_COLUMNS} ORDER BY opens_on DESC, id DESC"))
                .fetch_all(pool)
                .await?
        }))
    }

    /// The schools of a campaign, by municipality and name.
    pub async fn campaign_schools(
        &self,
        campaign_id: i64,
    ) -> Result<Vec<SchoolInCampaign>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                concat!(campaign_schools_select!(), " ORDER BY m.name, s.name"),
            )
            .bind(campaign_id)
            .fetch_all(pool)
            .await?
        }))
    }

    /// One school of a campaign (`None` when the campaign does not hold it).
    pub async fn campaign_school(
        &self,
        campaign_id: i64,
        school_id: i64,
    ) -> Result<Option<SchoolInCampaign>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                concat!(campaign_schools_select!(), " AND cs.school_id = $2"),
            )
            .bind(campaign_id)
            .bind(school_id)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Stores an access code; `personal` codes belong to one principal or teacher.
    pub async fn insert_access_code(
        &self,
        code: &str,
        campaign_id: i64,
        school_id: i64,
        group: Group,
        personal: bool,
    ) -> Result<(), ServerError> {
        with_pool!(self, pool => {
            sqlx::query(INSERT_ACCESS_CODE)
                .bind(code)
                .bind(campaign_id)
                .bind(school_id)
                .bind(group.key())
                .bind(personal)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// The live codes of a school in a campaign, by group and code.
    pub async fn access_codes(
        &self,
        campaign_id: i64,
        school_id: i64,
    ) -> Result<Vec<AccessCode>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT code, respondent_group, personal FROM access_codes
                 WHERE campaign_id = $1 AND school_id = $2 AND NOT revoked
                 ORDER BY respondent_group, code",
            )
            .bind(campaign_id)
            .bind(school_id)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Whether a personal code's questionnaire was sent.
    pub async fn personal_code_sent(&self, code: &str) -> Result<bool, ServerError> {
        let sent: i64 = with_pool!(self, pool => {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM drafts d JOIN access_codes a ON a.code = d.code
                 WHERE d.code = $1 AND a.personal AND d.submitted",
            )
            .bind(code)
            .fetch_one(pool)
            .await?
        });
        Ok(sent > 0)
    }

    /// Revokes a live code of a school in a campaign and issues `new` for the same group in one
    /// transaction; `false` when the school has no such live code.
    pub async fn replace_code(
        &self,
        campaign_id: i64,
        school_id: i64,
        old: &str,
        new: &str,
    ) -> Result<bool, ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let revoked: Option<(String, bool)> = sqlx::query_as(
                "UPDATE access_codes SET revoked = TRUE
                 WHERE code = $1 AND campaign_id = $2 AND school_id = $3 AND NOT revoked
                 RETURNING respondent_group, personal",
            )
            .bind(old)
            .bind(campaign_id)
            .bind(school_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((group, personal)) = revoked else {
                return Ok(false);
            };
            sqlx::query(INSERT_ACCESS_CODE)
                .bind(new)
                .bind(campaign_id)
                .bind(school_id)
                .bind(group)
                .bind(personal)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// What a code opens, revoked or not; `None` for a code never issued.
    pub async fn code_info(&self, code: &str) -> Result<Option<CodeInfo>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT a.code, a.campaign_id, a.school_id, a.respondent_group, a.personal, a.revoked,
                        s.name AS school_name, c.name AS campaign_name, c.methodology_version, c.opens_on, c.closes_on,
                        COALESCE(cs.expected_teachers, 0) AS expected_teachers,
                        COALESCE(cs.expected_students, 0) AS expected_students,
                        COALESCE(cs.expected_parents, 0) AS expected_parents
                 FROM access_codes a
                 JOIN schools s ON s.id = a.school_id
                 JOIN campaigns c ON c.id = a.campaign_id
                 LEFT JOIN campaign_schools cs ON cs.campaign_id = a.campaign_id AND cs.school_id = a.school_id
                 WHERE a.code = $1",
            )
            .bind(code)
            .fetch_optional(pool)
            .await?
        }))
    }
}
