//! Reminders swept every hour: a stage report due in 7 days or overdue, a question waiting past
//! the region's target, a recommendation due in 7 days or overdue, an event in two days. Each
//! notice has a key, so a sweep repeated every hour (or by two instances) tells each person once.

use std::time::Duration;

use app::support::{NoticeKind, QuestionStatus};
use surveys::calendar::Day;

use super::Support;
use crate::error::ServerError;
use crate::notify::Audience;

const EVERY: Duration = Duration::from_secs(3600);

/// Starts the hourly sweep; it ends with the process.
pub fn spawn(support: Support) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match sweep(&support, (support.today)()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(reminders = n, "reminders swept"),
                Err(e) => tracing::warn!(error = %e, "could not sweep reminders"),
            }
            tokio::time::sleep(EVERY).await;
        }
    })
}

/// Writes the reminders due on `today`; how many objects were reminded of.
pub async fn sweep(support: &Support, today: Day) -> Result<usize, ServerError> {
    let n = &support.notifier;
    let soon = today.plus_days(7);
    let mut reminded = 0;
    for s in support.storage.stages_unfiled().await? {
        let link = format!(
            "/work/campaigns/{}/schools/{}/programme",
            s.campaign_id, s.school_id
        );
        let subject = format!("{} — {} ({})", s.school, s.title, s.due_on);
        if s.due_on < today {
            let key = format!("stage_overdue:{}:{}", s.programme_id, s.stage_id);
            n.school(
                s.school_id,
                Audience::School,
                NoticeKind::StageOverdue,
                &key,
                &subject,
                &link,
            )
            .await?;
            n.school(
                s.school_id,
                Audience::Supporters,
                NoticeKind::StageOverdue,
                &key,
                &subject,
                &link,
            )
            .await?;
            reminded += 1;
        } else if s.due_on <= soon {
            let key = format!("stage_due:{}:{}", s.programme_id, s.stage_id);
            n.school(
                s.school_id,
                Audience::School,
                NoticeKind::StageDue,
                &key,
                &subject,
                &link,
            )
            .await?;
            reminded += 1;
        }
    }
    let schools = support.storage.schools_with_place().await?;
    let name = |id: i64| {
        schools
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.name.clone())
            .unwrap_or_default()
    };
    for q in support.storage.questions().await? {
        if q.status == QuestionStatus::New && q.overdue(today) {
            let key = format!("question_overdue:{}:{}", q.id, q.due_on);
            let subject = format!("{} — {}", name(q.school_id), q.title);
            n.school(
                q.school_id,
                Audience::Supporters,
                NoticeKind::QuestionOverdue,
                &key,
                &subject,
                &super::consultations::question_page(q.id),
            )
            .await?;
            reminded += 1;
        }
    }
    for r in support.storage.recommendations().await? {
        if !r.status.open() {
            continue;
        }
        let link = r
            .visit_id
            .map_or_else(|| "/work/support".to_owned(), super::visits::visit_page);
        let subject = format!("{} — {} ({})", name(r.school_id), short(&r.body), r.due_on);
        if r.overdue(today) {
            let key = format!("recommendation_overdue:{}:{}", r.id, r.due_on);
            n.school(
                r.school_id,
                Audience::School,
                NoticeKind::RecommendationOverdue,
                &key,
                &subject,
                &link,
            )
            .await?;
            n.send(
                &[r.user_id],
                NoticeKind::RecommendationOverdue,
                &key,
                &subject,
                &link,
            )
            .await?;
            reminded += 1;
        } else if r.due_on <= soon {
            let key = format!("recommendation_due:{}:{}", r.id, r.due_on);
            n.school(
                r.school_id,
                Audience::School,
                NoticeKind::RecommendationDue,
                &key,
                &subject,
                &link,
            )
            .await?;
            reminded += 1;
        }
    }
    let registrations = support.storage.all_event_schools().await?;
    for e in support.storage.events().await? {
        if e.starts_on < today || e.starts_on > today.plus_days(2) {
            continue;
        }
        let subject = format!("{} ({})", e.title, e.starts_on);
        for r in registrations
            .iter()
            .filter(|r| r.event_id == e.id && r.registered() > 0)
        {
            let key = format!("event:{}:reminder", e.id);
            n.school(
                r.school_id,
                Audience::School,
                NoticeKind::EventReminder,
                &key,
                &subject,
                &super::events::event_page(e.id),
            )
            .await?;
            reminded += 1;
        }
    }
    reminded += support.notifier.publications(today).await?;
    Ok(reminded)
}

/// The start of a long text, for a notice's subject.
fn short(text: &str) -> String {
    let mut s: String = text.chars().take(80).collect();
    if text.chars().count() > 80 {
        s.push('…');
    }
    s
}
