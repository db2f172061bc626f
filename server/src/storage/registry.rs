//! Regions, municipalities, schools, campaigns and access codes.

use surveys::calendar::Day;
use surveys::Group;

use super::{with_pool, Storage};
use crate::error::ServerError;

const INSERT_CAMPAIGN: &str = "INSERT INTO campaigns (region_id, code, name, methodology_version, opens_on, closes_on, target_grades)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
const INSERT_ACCESS_CODE: &str =
    "INSERT INTO access_codes (code, campaign_id, school_id, respondent_group, personal)
     VALUES ($1, $2, $3, $4, $5)";

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

/// A school of a new campaign: expected respondents and its access codes (code, group, personal).
#[derive(Debug, Clone)]
pub struct SchoolPlan {
    pub school_id: i64,
    pub teachers: i64,
    pub students: i64,
    pub parents: i64,
    pub codes: Vec<(String, Group, bool)>,
}

/// The registry as lists of (id, name) for choosing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Registry {
    pub regions: Vec<(i64, String)>,
    pub municipalities: Vec<(i64, String)>,
    pub schools: Vec<(i64, String)>,
}

/// A stored campaign.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CampaignRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub methodology_version: String,
    pub opens_on: String,
    pub closes_on: String,
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

/// A school of the registry with the codes and names of its municipality and region.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PlacedSchool {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub municipality_id: i64,
    pub municipality_code: String,
    pub municipality: String,
    pub region_id: i64,
    pub region_code: String,
    pub region: String,
}

impl SchoolInCampaign {
    /// Where the school is, for scope checks.
    pub fn place(&self) -> app::access::Place {
        app::access::Place {
            school: self.school_id,
            municipality: self.municipality_id,
            region: self.region_id,
        }
    }
}

impl PlacedSchool {
    /// Where the school is, for scope checks.
    pub fn place(&self) -> app::access::Place {
        app::access::Place {
            school: self.id,
            municipality: self.municipality_id,
            region: self.region_id,
        }
    }
}

impl Storage {
    /// Creates the region or renames it; returns its id.
    pub async fn upsert_region(&self, code: &str, name: &str) -> Result<i64, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar(
                "INSERT INTO regions (code, name) VALUES ($1, $2)
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name RETURNING id",
            )
            .bind(code)
            .bind(name)
            .fetch_one(pool)
            .await?
        }))
    }

    pub async fn upsert_municipality(
        &self,
        region_id: i64,
        code: &str,
        name: &str,
    ) -> Result<i64, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar(
                "INSERT INTO municipalities (region_id, code, name) VALUES ($1, $2, $3)
                 ON CONFLICT (region_id, code) DO UPDATE SET name = excluded.name RETURNING id",
            )
            .bind(region_id)
            .bind(code)
            .bind(name)
            .fetch_one(pool)
            .await?
        }))
    }

    pub async fn upsert_school(
        &self,
        municipality_id: i64,
        code: &str,
        name: &str,
    ) -> Result<i64, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar(
                "INSERT INTO schools (municipality_id, code, name) VALUES ($1, $2, $3)
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name, municipality_id = excluded.municipality_id
                 RETURNING id",
            )
            .bind(municipality_id)
            .bind(code)
            .bind(name)
            .fetch_one(pool)
            .await?
        }))
    }

    pub async fn region_names(&self) -> Result<Vec<String>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar("SELECT name FROM regions ORDER BY name").fetch_all(pool).await?
        }))
    }

    pub async fn create_campaign(&self, c: &NewCampaign<'_>) -> Result<i64, ServerError> {
        self.create_campaign_with(c, &[]).await
    }

    pub async fn campaign_by_code(&self, code: &str) -> Result<Option<CampaignRow>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, code, name, methodology_version, opens_on, closes_on FROM campaigns WHERE code = $1",
            )
            .bind(code)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Regions, municipalities (with their region) and schools (with their municipality), by name.
    pub async fn registry(&self) -> Result<Registry, ServerError> {
        Ok(with_pool!(self, pool => {
            Registry {
                regions: sqlx::query_as("SELECT id, name FROM regions ORDER BY name")
                    .fetch_all(pool)
                    .await?,
                municipalities: sqlx::query_as(
                    "SELECT m.id, m.name || ' (' || r.name || ')' AS name FROM municipalities m
                     JOIN regions r ON r.id = m.region_id ORDER BY m.name",
                )
                .fetch_all(pool)
                .await?,
                schools: sqlx::query_as(
                    "SELECT s.id, s.name || ', ' || m.name AS name FROM schools s
                     JOIN municipalities m ON m.id = s.municipality_id ORDER BY s.name",
                )
                .fetch_all(pool)
                .await?,
            }
        }))
    }

    pub async fn campaign(&self, id: i64) -> Result<Option<CampaignRow>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, code, name, methodology_version, opens_on, closes_on FROM campaigns WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Creates a campaign with its schools and their access codes in one transaction.
    pub async fn create_campaign_with(
        &self,
        c: &NewCampaign<'_>,
        schools: &[SchoolPlan],
    ) -> Result<i64, ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                INSERT_CAMPAIGN,
            )
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
                sqlx::query(
                    "INSERT INTO campaign_schools (campaign_id, school_id, expected_teachers, expected_students, expected_parents)
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(id)
                .bind(s.school_id)
                .bind(s.teachers)
                .bind(s.students)
                .bind(s.parents)
                .execute(&mut *tx)
                .await?;
                for (code, group, personal) in &s.codes {
                    sqlx::query(
                        INSERT_ACCESS_CODE,
                    )
                    .bind(code)
                    .bind(id)
                    .bind(s.school_id)
                    .bind(group.key())
                    .bind(*personal)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Every school with its municipality and region, by region, municipality and name.
    pub async fn schools_with_place(&self) -> Result<Vec<PlacedSchool>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT s.id, s.code, s.name, m.id AS municipality_id, m.code AS municipality_code,
                        m.name AS municipality, r.id AS region_id, r.code AS region_code, r.name AS region
                 FROM schools s
                 JOIN municipalities m ON m.id = s.municipality_id
                 JOIN regions r ON r.id = m.region_id
                 ORDER BY r.name, m.name, s.name",
            )
            .fetch_all(pool)
            .await?
        }))
    }

    /// Campaigns, newest opening first.
    pub async fn campaigns(&self) -> Result<Vec<CampaignRow>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, code, name, methodology_version, opens_on, closes_on FROM campaigns
                 ORDER BY opens_on DESC, id DESC",
            )
            .fetch_all(pool)
            .await?
        }))
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
            sqlx::query(
                "INSERT INTO campaign_schools (campaign_id, school_id, expected_teachers, expected_students, expected_parents)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (campaign_id, school_id) DO UPDATE SET expected_teachers = excluded.expected_teachers,
                    expected_students = excluded.expected_students, expected_parents = excluded.expected_parents",
            )
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

    pub async fn campaign_schools(
        &self,
        campaign_id: i64,
    ) -> Result<Vec<SchoolInCampaign>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT s.id AS school_id, s.code, s.name, m.name AS municipality,
                        m.id AS municipality_id, m.region_id, cs.expected_teachers, cs.expected_students, cs.expected_parents
                 FROM campaign_schools cs
                 JOIN schools s ON s.id = cs.school_id
                 JOIN municipalities m ON m.id = s.municipality_id
                 WHERE cs.campaign_id = $1
                 ORDER BY m.name, s.name",
            )
            .bind(campaign_id)
            .fetch_all(pool)
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
            sqlx::query(
                INSERT_ACCESS_CODE,
            )
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

    /// The codes of a school in a campaign as (code, group, personal), in a stable order.
    pub async fn access_codes(
        &self,
        campaign_id: i64,
        school_id: i64,
    ) -> Result<Vec<(String, String, bool)>, ServerError> {
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
}

/// One row of a registry import, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryRow {
    pub region_code: String,
    pub region_name: String,
    pub municipality_code: String,
    pub municipality_name: String,
    pub school_code: String,
    pub school_name: String,
}

impl Storage {
    /// Creates or renames every region, municipality and school of the rows in one transaction.
    /// A school code already used in another municipality is a conflict: then nothing is
    /// stored, and the conflicts are returned as (row index, school code).
    pub async fn import_registry(
        &self,
        rows: &[RegistryRow],
    ) -> Result<Vec<(usize, String)>, ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let mut conflicts = Vec::new();
            for (n, row) in rows.iter().enumerate() {
                let region: i64 = sqlx::query_scalar(
                    "INSERT INTO regions (code, name) VALUES ($1, $2)
                     ON CONFLICT (code) DO UPDATE SET name = excluded.name RETURNING id",
                )
                .bind(&row.region_code)
                .bind(&row.region_name)
                .fetch_one(&mut *tx)
                .await?;
                let municipality: i64 = sqlx::query_scalar(
                    "INSERT INTO municipalities (region_id, code, name) VALUES ($1, $2, $3)
                     ON CONFLICT (region_id, code) DO UPDATE SET name = excluded.name RETURNING id",
                )
                .bind(region)
                .bind(&row.municipality_code)
                .bind(&row.municipality_name)
                .fetch_one(&mut *tx)
                .await?;
                let existing: Option<i64> =
                    sqlx::query_scalar("SELECT municipality_id FROM schools WHERE code = $1")
                        .bind(&row.school_code)
                        .fetch_optional(&mut *tx)
                        .await?;
                if existing.is_some_and(|m| m != municipality) {
                    conflicts.push((n, row.school_code.clone()));
                    continue;
                }
                sqlx::query(
                    "INSERT INTO schools (municipality_id, code, name) VALUES ($1, $2, $3)
                     ON CONFLICT (code) DO UPDATE SET name = excluded.name",
                )
                .bind(municipality)
                .bind(&row.school_code)
                .bind(&row.school_name)
                .execute(&mut *tx)
                .await?;
            }
            if conflicts.is_empty() {
                tx.commit().await?;
            } else {
                tx.rollback().await?;
            }
            Ok(conflicts)
        })
    }

    pub async fn region_code(&self, id: i64) -> Result<Option<String>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar("SELECT code FROM regions WHERE id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await?
        }))
    }
}
