//! Notifications: each account's inbox, its mail settings (address, a daily digest, kinds turned
//! off), who gets a school's notices, and the mail queue — leased by one sender at a time, sent
//! at most once, retried with backoff after a refusal the server reported.

use super::{with_pool, Storage};
use crate::error::ServerError;

/// A notification in an inbox.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct NoticeRow {
    pub id: i64,
    pub user_id: i64,
    pub kind: String,
    pub subject: String,
    pub link: String,
    pub at: i64,
    pub read_at: Option<i64>,
}

/// A notification to write for some accounts.
#[derive(Debug, Clone, Copy)]
pub struct NewNotice<'a> {
    pub kind: &'a str,
    /// Unique per account: the same key is written once.
    pub key: &'a str,
    pub subject: &'a str,
    pub link: &'a str,
    pub at: i64,
}

/// An account's mail settings.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MailSettings {
    pub id: i64,
    pub email: Option<String>,
    pub mail_digest: bool,
    pub digest_on: Option<String>,
}

/// A mail leased for sending.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MailRow {
    pub id: i64,
    pub to_addr: String,
    pub subject: String,
    pub body: String,
    pub attempts: i64,
}

/// A mail to queue.
#[derive(Debug, Clone)]
pub struct NewMail {
    pub key: String,
    pub user_id: i64,
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// How a sent mail ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent {
    Sent,
    /// Try again at this moment.
    Retry(i64, String),
    /// Never again.
    Failed(String),
}

impl Storage {
    /// The accounts that hear of a school: its own accounts, its curators, its municipality's
    /// coordinators, by role key.
    pub async fn school_people(&self, school: i64) -> Result<Vec<(i64, String)>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT r.user_id, r.role FROM user_roles r JOIN users u ON u.id = r.user_id
                 WHERE u.active AND (
                    (r.role = 'school' AND r.school_id = $1)
                    OR (r.role = 'curator' AND r.user_id IN (SELECT user_id FROM curator_schools WHERE school_id = $1))
                    OR (r.role = 'municipal' AND r.municipality_id = (SELECT municipality_id FROM schools WHERE id = $1))
                 )",
            )
            .bind(school)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Writes a notification for each account once (by its key) and queues its mail (a mail of
    /// its own, or a place in the daily digest) by each account's settings; the ids of the
    /// mails queued now.
    pub async fn notify(
        &self,
        users: &[i64],
        notice: NewNotice<'_>,
        mail: impl Fn(i64, &str) -> Option<NewMail>,
    ) -> Result<usize, ServerError> {
        let mut queued = 0;
        for &user in users {
            let settings = self.mail_settings(user).await?;
            let muted = self.muted(user).await?.iter().any(|k| k == notice.kind);
            let how = match (&settings.as_ref().and_then(|s| s.email.clone()), muted) {
                (Some(_), false) if settings.as_ref().is_some_and(|s| s.mail_digest) => "digest",
                (Some(_), false) => "queued",
                _ => "none",
            };
            let id: Option<i64> = with_pool!(self, pool => {
                sqlx::query_scalar(
                    "INSERT INTO notifications (user_id, kind, key, subject, link, at, mail)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)
                     ON CONFLICT (user_id, key) DO NOTHING RETURNING id",
                )
                .bind(user)
                .bind(notice.kind)
                .bind(notice.key)
                .bind(notice.subject)
                .bind(notice.link)
                .bind(notice.at)
                .bind(how)
                .fetch_optional(pool)
                .await?
            });
            if let (Some(id), "queued", Some(email)) = (id, how, settings.and_then(|s| s.email)) {
                if let Some(m) = mail(id, &email) {
                    queued += usize::from(self.queue_mail(&m, notice.at).await?);
                }
            }
        }
        Ok(queued)
    }

    /// Queues a mail once by its key; whether it is new.
    pub async fn queue_mail(&self, m: &NewMail, now: i64) -> Result<bool, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO mail_queue (key, user_id, to_addr, subject, body, state, next_at, created_at)
                 VALUES ($1, $2, $3, $4, $5, 'waiting', $6, $6) ON CONFLICT (key) DO NOTHING",
            )
            .bind(&m.key)
            .bind(m.user_id)
            .bind(&m.to)
            .bind(&m.subject)
            .bind(&m.body)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected()
                == 1
        }))
    }

    pub async fn inbox(&self, user: i64, limit: i64) -> Result<Vec<NoticeRow>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, user_id, kind, subject, link, at, read_at FROM notifications
                 WHERE user_id = $1 ORDER BY at DESC, id DESC LIMIT $2",
            )
            .bind(user)
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }

    pub async fn unread(&self, user: i64) -> Result<i64, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL",
            )
            .bind(user)
            .fetch_one(pool)
            .await?
        }))
    }

    /// Marks one notice (or, `None`, all) of the account read.
    pub async fn mark_read(&self, user: i64, id: Option<i64>, at: i64) -> Result<u64, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query(
                "UPDATE notifications SET read_at = $1
                 WHERE user_id = $2 AND read_at IS NULL AND ($3 IS NULL OR id = $3)",
            )
            .bind(at)
            .bind(user)
            .bind(id)
            .execute(pool)
            .await?
            .rows_affected()
        }))
    }

    pub async fn mail_settings(&self, user: i64) -> Result<Option<MailSettings>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as("SELECT id, email, mail_digest, digest_on FROM users WHERE id = $1")
                .bind(user)
                .fetch_optional(pool)
                .await?
        }))
    }

    pub async fn muted(&self, user: i64) -> Result<Vec<String>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar("SELECT kind FROM notification_mutes WHERE user_id = $1 ORDER BY kind")
                .bind(user)
                .fetch_all(pool)
                .await?
        }))
    }

    /// Sets an account's address, digest and the kinds whose mail it turned off.
    pub async fn set_mail_settings(
        &self,
        user: i64,
        email: Option<&str>,
        digest: bool,
        muted: &[&str],
    ) -> Result<(), ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE users SET email = $1, mail_digest = $2 WHERE id = $3")
                .bind(email)
                .bind(digest)
                .bind(user)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM notification_mutes WHERE user_id = $1")
                .bind(user)
                .execute(&mut *tx)
                .await?;
            for kind in muted {
                sqlx::query("INSERT INTO notification_mutes (user_id, kind) VALUES ($1, $2)")
                    .bind(user)
                    .bind(kind)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Accounts whose digest is due (a notice waits for it and none was sent `today`), with
    /// their address and what waits, oldest first.
    pub async fn digests_due(
        &self,
        today: &str,
    ) -> Result<Vec<(MailSettings, Vec<NoticeRow>)>, ServerError> {
        let users: Vec<MailSettings> = with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, email, mail_digest, digest_on FROM users
                 WHERE email IS NOT NULL AND mail_digest AND COALESCE(digest_on, '') <> $1
                 AND id IN (SELECT user_id FROM notifications WHERE mail = 'digest')",
            )
            .bind(today)
            .fetch_all(pool)
            .await?
        });
        let mut due = Vec::new();
        for u in users {
            let notices: Vec<NoticeRow> = with_pool!(self, pool => {
                sqlx::query_as(
                    "SELECT id, user_id, kind, subject, link, at, read_at FROM notifications
                     WHERE user_id = $1 AND mail = 'digest' ORDER BY at, id",
                )
                .bind(u.id)
                .fetch_all(pool)
                .await?
            });
            due.push((u, notices));
        }
        Ok(due)
    }

    /// Queues a digest once per account and day (its key), and marks its notices digested,
    /// in one transaction: two instances make one digest.
    pub async fn queue_digest(
        &self,
        m: &NewMail,
        today: &str,
        notices: &[i64],
        now: i64,
    ) -> Result<bool, ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let new = sqlx::query(
                "INSERT INTO mail_queue (key, user_id, to_addr, subject, body, state, next_at, created_at)
                 VALUES ($1, $2, $3, $4, $5, 'waiting', $6, $6) ON CONFLICT (key) DO NOTHING",
            )
            .bind(&m.key)
            .bind(m.user_id)
            .bind(&m.to)
            .bind(&m.subject)
            .bind(&m.body)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            sqlx::query("UPDATE users SET digest_on = $1 WHERE id = $2")
                .bind(today)
                .bind(m.user_id)
                .execute(&mut *tx)
                .await?;
            for id in notices {
                sqlx::query("UPDATE notifications SET mail = 'digested' WHERE id = $1 AND mail = 'digest'")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(new)
        })
    }

    /// Leases up to `limit` waiting mails for `sender` until `until`: a mail leased by one
    /// sender is not leased by another (PostgreSQL skips rows another sender holds; SQLite
    /// writes one transaction at a time). Mails whose lease ran out while sending are marked
    /// `unknown` and never sent again.
    pub async fn lease_mail(
        &self,
        sender: &str,
        now: i64,
        until: i64,
        limit: i64,
    ) -> Result<Vec<MailRow>, ServerError> {
        with_pool!(self, pool => {
            sqlx::query(
                "UPDATE mail_queue SET state = 'unknown', lease_by = NULL
                 WHERE state = 'sending' AND lease_until < $1",
            )
            .bind(now)
            .execute(pool)
            .await?;
        });
        let pick = match self {
            Storage::Postgres(_) => {
                "SELECT id FROM mail_queue WHERE state = 'waiting' AND next_at <= $2
                 ORDER BY next_at, id LIMIT $4 FOR UPDATE SKIP LOCKED"
            }
            Storage::Sqlite(_) => {
                "SELECT id FROM mail_queue WHERE state = 'waiting' AND next_at <= $2
                 ORDER BY next_at, id LIMIT $4"
            }
        };
        let sql = format!(
            "UPDATE mail_queue SET state = 'sending', lease_by = $1, lease_until = $3
             WHERE id IN ({pick}) AND state = 'waiting'
             RETURNING id, to_addr, subject, body, attempts"
        );
        Ok(with_pool!(self, pool => {
            sqlx::query_as(&sql)
                .bind(sender)
                .bind(now)
                .bind(until)
                .bind(limit)
                .fetch_all(pool)
                .await?
        }))
    }

    /// Records how leased mails ended, in one transaction.
    pub async fn mails_done(
        &self,
        sender: &str,
        done: &[(i64, Sent)],
        now: i64,
    ) -> Result<(), ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for (id, sent) in done {
                let (state, next, error) = match sent {
                    Sent::Sent => ("sent", now, String::new()),
                    Sent::Retry(at, e) => ("waiting", *at, e.clone()),
                    Sent::Failed(e) => ("failed", now, e.clone()),
                };
                sqlx::query(
                    "UPDATE mail_queue SET state = $1, next_at = $2, error = $3,
                        attempts = attempts + 1, lease_by = NULL, lease_until = NULL,
                        sent_at = CASE WHEN $1 = 'sent' THEN $4 ELSE sent_at END
                     WHERE id = $5 AND lease_by = $6",
                )
                .bind(state)
                .bind(next)
                .bind(error)
                .bind(now)
                .bind(id)
                .bind(sender)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Mails by state, for the metrics and the tests.
    pub async fn mail_counts(&self) -> Result<Vec<(String, i64)>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as("SELECT state, COUNT(*) FROM mail_queue GROUP BY state ORDER BY state")
                .fetch_all(pool)
                .await?
        }))
    }
}
