//! Regions, municipalities, schools, campaigns and access codes.

use surveys::calendar::Day;
use surveys::Group;

use super::{with_pool, Storage};
use crate::error::ServerError;

/// A campaign to create.
#[derive(Debug, Clone)]
pub struct NewCampaign<'a> {
    pub region_id: i64,
    pub code: &'a str,
    pub name: &'a str,
    pub methodology_version: &'a str,
    pub opens_on: Day,
    pub closes_on: Day,
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
    pub expected_teachers: i64,
    pub expected_students: i64,
    pub expected_parents: i64,
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
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar(
                "INSERT INTO campaigns (region_id, code, name, methodology_version, opens_on, closes_on)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(c.region_id)
            .bind(c.code)
            .bind(c.name)
            .bind(c.methodology_version)
            .bind(c.opens_on.to_string())
            .bind(c.closes_on.to_string())
            .fetch_one(pool)
            .await?
        }))
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
                        cs.expected_teachers, cs.expected_students, cs.expected_parents
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
                "INSERT INTO access_codes (code, campaign_id, school_id, respondent_group, personal)
                 VALUES ($1, $2, $3, $4, $5)",
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
