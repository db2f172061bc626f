//! Coordinator accounts (one role each, with its scope) and their server-side sessions.

use app::access::Role;
use surveys::calendar::Day;

use super::{with_pool, Storage};
use crate::error::ServerError;

/// An account as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub password_hash: String,
    pub active: bool,
}

/// An account's role and the scope column that matters for it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RoleRow {
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub region_id: Option<i64>,
    pub municipality_id: Option<i64>,
    pub school_id: Option<i64>,
}

/// An account with its role, as listed.
#[derive(sqlx::FromRow)]
struct Listed {
    id: i64,
    login: String,
    display_name: String,
    active: bool,
    #[sqlx(try_from = "String")]
    role: Role,
    region_id: Option<i64>,
    municipality_id: Option<i64>,
    school_id: Option<i64>,
}

/// A stored session.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SessionRow {
    pub user_id: i64,
    pub csrf: String,
    pub expires_at: i64,
}

impl Storage {
    /// Creates an account with its role (and a curator's schools) in one transaction. `None`
    /// when the login is taken.
    pub async fn create_user(
        &self,
        user: &UserRow,
        role: &RoleRow,
        curated: &[i64],
        today: Day,
    ) -> Result<Option<i64>, ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO users (login, display_name, password_hash, active, created_on)
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (login) DO NOTHING RETURNING id",
            )
            .bind(&user.login)
            .bind(&user.display_name)
            .bind(&user.password_hash)
            .bind(user.active)
            .bind(today.to_string())
            .fetch_optional(&mut *tx)
            .await?;
            let Some(id) = id else {
                return Ok(None);
            };
            sqlx::query(
                "INSERT INTO user_roles (user_id, role, region_id, municipality_id, school_id)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(role.role.key())
            .bind(role.region_id)
            .bind(role.municipality_id)
            .bind(role.school_id)
            .execute(&mut *tx)
            .await?;
            for school in curated {
                sqlx::query("INSERT INTO curator_schools (user_id, school_id) VALUES ($1, $2)")
                    .bind(id)
                    .bind(school)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(Some(id))
        })
    }

    pub async fn user_by_login(&self, login: &str) -> Result<Option<UserRow>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, login, display_name, password_hash, active FROM users WHERE login = $1",
            )
            .bind(login)
            .fetch_optional(pool)
            .await?
        }))
    }

    pub async fn user(&self, id: i64) -> Result<Option<UserRow>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, login, display_name, password_hash, active FROM users WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Every account with its role, by login.
    pub async fn users(&self) -> Result<Vec<(UserRow, RoleRow)>, ServerError> {
        let rows: Vec<Listed> = with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT u.id, u.login, u.display_name, u.active, r.role, r.region_id,
                        r.municipality_id, r.school_id
                 FROM users u JOIN user_roles r ON r.user_id = u.id ORDER BY u.login",
            )
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|l| {
                (
                    UserRow {
                        id: l.id,
                        login: l.login,
                        display_name: l.display_name,
                        password_hash: String::new(),
                        active: l.active,
                    },
                    RoleRow {
                        role: l.role,
                        region_id: l.region_id,
                        municipality_id: l.municipality_id,
                        school_id: l.school_id,
                    },
                )
            })
            .collect())
    }

    pub async fn user_role(&self, user: i64) -> Result<Option<RoleRow>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT role, region_id, municipality_id, school_id FROM user_roles
                 WHERE user_id = $1 ORDER BY role LIMIT 1",
            )
            .bind(user)
            .fetch_optional(pool)
            .await?
        }))
    }

    pub async fn curated_schools(&self, user: i64) -> Result<Vec<i64>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar("SELECT school_id FROM curator_schools WHERE user_id = $1 ORDER BY school_id")
                .bind(user)
                .fetch_all(pool)
                .await?
        }))
    }

    /// Activates or deactivates an account; a deactivated account loses its sessions at once.
    pub async fn set_user_active(&self, user: i64, active: bool) -> Result<bool, ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let changed = sqlx::query("UPDATE users SET active = $1 WHERE id = $2")
                .bind(active)
                .bind(user)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if !active {
                sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                    .bind(user)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(changed == 1)
        })
    }

    /// Sets a new password hash; every other session of the account ends.
    pub async fn set_password(
        &self,
        user: i64,
        hash: &str,
        keep_session: &str,
    ) -> Result<(), ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                .bind(hash)
                .bind(user)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
                .bind(user)
                .bind(keep_session)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn insert_session(
        &self,
        token_hash: &str,
        session: &SessionRow,
    ) -> Result<(), ServerError> {
        with_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO sessions (token_hash, user_id, csrf, expires_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(token_hash)
            .bind(session.user_id)
            .bind(&session.csrf)
            .bind(session.expires_at)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    pub async fn session(&self, token_hash: &str) -> Result<Option<SessionRow>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as("SELECT user_id, csrf, expires_at FROM sessions WHERE token_hash = $1")
                .bind(token_hash)
                .fetch_optional(pool)
                .await?
        }))
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), ServerError> {
        with_pool!(self, pool => {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(token_hash)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Deletes sessions that expired before `now` (unix seconds).
    pub async fn purge_sessions(&self, now: i64) -> Result<u64, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
                .bind(now)
                .execute(pool)
                .await?
                .rows_affected()
        }))
    }

    /// Runs `rule` over the stored sign-in failures under `keys` — (key, count, first, last),
    /// count 0 where none — with their rows locked, and stores the failures it gives back, in
    /// one transaction: attempts on any instance count against one limit.
    pub async fn sign_in_failures<R>(
        &self,
        keys: &[String],
        rule: impl FnOnce(Vec<FailureRow>) -> (Vec<FailureRow>, R),
    ) -> Result<R, ServerError> {
        let lock = match self {
            Storage::Postgres(_) => " ORDER BY key FOR UPDATE",
            Storage::Sqlite(_) => "",
        };
        let mut sorted = keys.to_vec();
        sorted.sort();
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let mut stored: Vec<FailureRow> = Vec::new();
            for key in &sorted {
                sqlx::query(
                    "INSERT INTO sign_in_failures (key, count, first_at, last_at) VALUES ($1, 0, 0, 0)
                     ON CONFLICT (key) DO NOTHING",
                )
                .bind(key)
                .execute(&mut *tx)
                .await?;
            }
            for key in &sorted {
                let row: FailureRow = sqlx::query_as(&format!(
                    "SELECT key, count, first_at, last_at FROM sign_in_failures WHERE key = $1{lock}"
                ))
                .bind(key)
                .fetch_one(&mut *tx)
                .await?;
                stored.push(row);
            }
            let (after, result) = rule(stored);
            for (key, count, first, last) in &after {
                sqlx::query(
                    "UPDATE sign_in_failures SET count = $2, first_at = $3, last_at = $4 WHERE key = $1",
                )
                .bind(key)
                .bind(count)
                .bind(first)
                .bind(last)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(result)
        })
    }

    /// Forgets the sign-in failures of every key starting with `prefix` (a login's, from any
    /// address).
    pub async fn clear_sign_in_failures(&self, prefix: &str) -> Result<(), ServerError> {
        with_pool!(self, pool => {
            sqlx::query("DELETE FROM sign_in_failures WHERE substr(key, 1, length($1)) = $1")
                .bind(prefix)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Deletes sign-in failures last seen before `before` (unix seconds).
    pub async fn purge_sign_in_failures(&self, before: i64) -> Result<u64, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query("DELETE FROM sign_in_failures WHERE last_at < $1")
                .bind(before)
                .execute(pool)
                .await?
                .rows_affected()
        }))
    }
}

/// Sign-in failures under one key as stored: (key, count, first, last), times in unix seconds.
pub type FailureRow = (String, i64, i64, i64);
