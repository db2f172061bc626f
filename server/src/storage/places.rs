//! The registry of places: regions, municipalities and schools, created or renamed by code, and
//! a whole import in one transaction.

use super::{with_pool, Storage};
use crate::error::ServerError;

/// Schools with their municipality and region: the list and one school read the same columns.
macro_rules! placed_schools_select {
    () => {
        "SELECT s.id, s.code, s.name, m.id AS municipality_id, m.code AS municipality_code,
                m.name AS municipality, r.id AS region_id, r.code AS region_code, r.name AS region
         FROM schools s
         JOIN municipalities m ON m.id = s.municipality_id
         JOIN regions r ON r.id = m.region_id"
    };
}

const UPSERT_REGION: &str = "INSERT INTO regions (code, name) VALUES ($1, $2)
     ON CONFLICT (code) DO UPDATE SET name = excluded.name RETURNING id";
const UPSERT_SCHOOL: &str = "INSERT INTO schools (municipality_id, code, name) VALUES ($1, $2, $3)
     ON CONFLICT (code) DO UPDATE SET name = excluded.name, municipality_id = excluded.municipality_id
     RETURNING id";
const UPSERT_MUNICIPALITY: &str =
    "INSERT INTO municipalities (region_id, code, name) VALUES ($1, $2, $3)
     ON CONFLICT (region_id, code) DO UPDATE SET name = excluded.name RETURNING id";

/// A place chosen from a list: id and the name shown.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Named {
    pub id: i64,
    pub name: String,
}

/// The registry as lists to choose from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Registry {
    pub regions: Vec<Named>,
    /// Named «municipality (region)».
    pub municipalities: Vec<Named>,
    /// Named «school, municipality».
    pub schools: Vec<Named>,
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

/// One row of a registry import, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryRow {
    pub region_code: String,
    pub region_name: String,
    pub municipality_code: String,
    pub municipality_name: String,
    pub school_code: String,
    pub school_name: String,
    /// The settlement type, when the file gives one.
    pub settlement: Option<String>,
}

/// A school code of an import row (by its index) already used in another municipality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub index: usize,
    pub school_code: String,
}

impl Storage {
    /// Creates the region or renames it; returns its id.
    pub async fn upsert_region(&self, code: &str, name: &str) -> Result<i64, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar(UPSERT_REGION)
                .bind(code)
                .bind(name)
                .fetch_one(pool)
                .await?
        }))
    }

    /// Creates the municipality of a region or renames it; returns its id.
    pub async fn upsert_municipality(
        &self,
        region_id: i64,
        code: &str,
        name: &str,
    ) -> Result<i64, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar(UPSERT_MUNICIPALITY)
                .bind(region_id)
                .bind(code)
                .bind(name)
                .fetch_one(pool)
                .await?
        }))
    }

    /// Creates the school in a municipality, or renames and moves it there; returns its id.
    pub async fn upsert_school(
        &self,
        municipality_id: i64,
        code: &str,
        name: &str,
    ) -> Result<i64, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar(UPSERT_SCHOOL)
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

    pub async fn region_code(&self, id: i64) -> Result<Option<String>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar("SELECT code FROM regions WHERE id = $1")
                .bind(id)
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

    /// Every school with its municipality and region, by region, municipality and name.
    pub async fn schools_with_place(&self) -> Result<Vec<PlacedSchool>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                concat!(placed_schools_select!(), " ORDER BY r.name, m.name, s.name"),
            )
            .fetch_all(pool)
            .await?
        }))
    }

    /// One school with its place (`None` when there is no such school).
    pub async fn placed_school(&self, id: i64) -> Result<Option<PlacedSchool>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                concat!(placed_schools_select!(), " WHERE s.id = $1"),
            )
            .bind(id)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Creates or renames every region, municipality and school of the rows in one transaction.
    /// A school code already used in another municipality is a conflict: then nothing is
    /// stored, and the conflicts are returned.
    pub async fn import_registry(
        &self,
        rows: &[RegistryRow],
    ) -> Result<Vec<Conflict>, ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let mut conflicts = Vec::new();
            for (index, row) in rows.iter().enumerate() {
                let region: i64 = sqlx::query_scalar(UPSERT_REGION)
                    .bind(&row.region_code)
                    .bind(&row.region_name)
                    .fetch_one(&mut *tx)
                    .await?;
                let municipality: i64 = sqlx::query_scalar(UPSERT_MUNICIPALITY)
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
                    conflicts.push(Conflict { index, school_code: row.school_code.clone() });
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
                if let Some(settlement) = &row.settlement {
                    sqlx::query("UPDATE schools SET settlement = $1 WHERE code = $2")
                        .bind(settlement)
                        .bind(&row.school_code)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            if conflicts.is_empty() {
                tx.commit().await?;
            } else {
                tx.rollback().await?;
            }
            Ok(conflicts)
        })
    }
}
