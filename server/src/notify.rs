//! Telling people that something waits for them: a notice in the inbox of each account concerned
//! and, by the account's settings, a mail of its own or a line in its daily digest (queued in the
//! database; `mail.rs` sends the queue). A notice names its kind, a school or title and a link:
//! never a respondent's answer, never a count under the minimum. Links are absolute, on
//! `ORIENTIR_PUBLIC_URL`.

use std::sync::Arc;

use app::access::Role;
use app::i18n::Lang;
use app::support::NoticeKind;
use tokio::sync::Notify;

use crate::clock;
use crate::error::ServerError;
use crate::storage::{NewMail, NewNotice, Storage};

/// Writes notices and wakes the mail sender.
#[derive(Clone)]
pub struct Notifier {
    storage: Storage,
    public_url: Arc<str>,
    /// Woken when a mail was queued.
    pub queued: Arc<Notify>,
}

/// Who of a school's people a notice goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The school's own accounts.
    School,
    /// Its curators and its municipality's coordinators.
    Supporters,
    /// Its curators alone.
    Curators,
    /// Its municipality's coordinators alone.
    Municipal,
}

impl Audience {
    fn takes(self, role: Role) -> bool {
        match self {
            Audience::School => role == Role::School,
            Audience::Supporters => matches!(role, Role::Curator | Role::Municipal),
            Audience::Curators => role == Role::Curator,
            Audience::Municipal => role == Role::Municipal,
        }
    }
}

impl Notifier {
    /// Tells each school of a campaign, and its supporters, of a publication of its results made in
    /// the last week (before the close by a coordinator, or at the close); once per publication.
    pub async fn publications(&self, today: surveys::calendar::Day) -> Result<usize, ServerError> {
        let mut told = 0;
        for campaign in self.storage.campaigns().await? {
            let Some(latest) = self
                .storage
                .publications(campaign.id)
                .await?
                .into_iter()
                .max_by_key(|p| p.number)
            else {
                continue;
            };
            if latest.published_on < today.plus_days(-7) {
                continue;
            }
            let key = format!("published:{}:{}", campaign.id, latest.number);
            for school in self.storage.campaign_schools(campaign.id).await? {
                let link = format!(
                    "/work/campaigns/{}/schools/{}",
                    campaign.id, school.school_id
                );
                let subject = format!("{} — {}", school.name, campaign.name);
                for audience in [Audience::School, Audience::Supporters] {
                    self.school(
                        school.school_id,
                        audience,
                        NoticeKind::ResultsPublished,
                        &key,
                        &subject,
                        &link,
                    )
                    .await?;
                }
                told += 1;
            }
        }
        Ok(told)
    }

    pub fn new(storage: Storage, public_url: &str) -> Notifier {
        Notifier {
            storage,
            public_url: public_url.trim_end_matches('/').into(),
            queued: Arc::new(Notify::new()),
        }
    }

    /// A link on the public address.
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.public_url)
    }

    /// The mail of one notice: its kind in both languages, its subject and link.
    fn mail(
        &self,
        user: i64,
        notice: &NewNotice<'_>,
        kind: NoticeKind,
    ) -> impl Fn(i64, &str) -> Option<NewMail> {
        let subject = format!("Ориентир: {}", kind.label(Lang::Ru));
        let body = format!(
            "{}: {}\n{}\n\n{}: {}\n\n—\nЭто письмо отправлено автоматически. Уведомления и их рассылка настраиваются в разделе «Уведомления».\nNotifications and their mail are set on the «Notifications» page.\n",
            kind.label(Lang::Ru),
            notice.subject,
            self.link(notice.link),
            kind.label(Lang::En),
            notice.subject,
        );
        move |id, to| {
            Some(NewMail {
                key: format!("n:{id}"),
                user_id: user,
                to: to.to_owned(),
                subject: subject.clone(),
                body: body.clone(),
            })
        }
    }

    /// Notifies these accounts once per `key` each.
    pub async fn send(
        &self,
        users: &[i64],
        kind: NoticeKind,
        key: &str,
        subject: &str,
        link: &str,
    ) -> Result<(), ServerError> {
        let mut queued = 0;
        for &user in users {
            let notice = NewNotice {
                kind: kind.key(),
                key,
                subject,
                link,
                at: clock::now(),
            };
            let mail = self.mail(user, &notice, kind);
            queued += self.storage.notify(&[user], notice, mail).await?;
        }
        if queued > 0 {
            self.queued.notify_waiters();
        }
        Ok(())
    }

    /// Notifies a school's people of one audience.
    pub async fn school(
        &self,
        school: i64,
        audience: Audience,
        kind: NoticeKind,
        key: &str,
        subject: &str,
        link: &str,
    ) -> Result<(), ServerError> {
        let users: Vec<i64> = self
            .storage
            .school_people(school)
            .await?
            .into_iter()
            .filter(|(_, role)| Role::parse(role).is_some_and(|r| audience.takes(r)))
            .map(|(u, _)| u)
            .collect();
        self.send(&users, kind, key, subject, link).await
    }

    /// Like `school`, but a failure only goes to the log: the change it tells of is stored
    /// already, and a notice must not turn it into an error.
    pub async fn school_quietly(
        &self,
        school: i64,
        audience: Audience,
        kind: NoticeKind,
        key: &str,
        subject: &str,
        link: &str,
    ) {
        if let Err(e) = self
            .school(school, audience, kind, key, subject, link)
            .await
        {
            tracing::warn!(error = %e, kind = kind.key(), "could not write a notice");
        }
    }
}
