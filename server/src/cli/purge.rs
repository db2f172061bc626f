//! `orientir purge --older-than-years N [--dry-run]`: the answers of campaigns that closed more
//! than N years ago are deleted, while what was published from them stays: a publication keeps
//! its sums (its published tallies), from which profiles, the matrix, change and the monitor's
//! counts are read without the answers. A campaign is purged only when nothing would be lost
//! to its pages: published, every publication tallied under the methodology in use, and no
//! counted answer beyond its last publication; otherwise it is listed with what to do first.

use surveys::calendar::Day;
use surveys::Methodology;

use crate::error::ServerError;
use crate::storage::{CampaignRow, Storage};

/// A campaign old enough to purge, and whether it may be.
#[derive(Debug, Clone)]
pub struct Purgeable {
    pub campaign: CampaignRow,
    /// Answers stored.
    pub answers: i64,
    /// Why its answers must stay for now (and what to do), if they must.
    pub blocked: Option<String>,
}

/// The day `years` years before `today` (the 29th of February falls back to the 28th).
fn years_before(today: Day, years: u32) -> Day {
    let (y, m, d) = today.ymd();
    let y = y - i64::from(years);
    Day::from_ymd(y, m, d)
        .or_else(|| Day::from_ymd(y, m, d - 1))
        .unwrap_or(today)
}

/// The campaigns that closed before `years` years ago and still store answers, each with what
/// stands in the way of purging it.
pub async fn plan(
    storage: &Storage,
    m: &Methodology,
    today: Day,
    years: u32,
) -> Result<Vec<Purgeable>, ServerError> {
    if years == 0 {
        return Err(ServerError::Operation(
            "--older-than-years must be at least 1".into(),
        ));
    }
    let cutoff = years_before(today, years);
    let mut plan = Vec::new();
    for campaign in storage.campaigns().await? {
        if campaign.closes_on >= cutoff {
            continue;
        }
        let answers = storage.stored_answers(campaign.id).await?;
        if answers == 0 {
            continue;
        }
        let publications = storage.publications(campaign.id).await?;
        let untallied = publications
            .iter()
            .find(|p| p.tallied.as_deref() != Some(m.fingerprint.as_str()));
        let blocked = if publications.is_empty() {
            Some(
                "never published: open one of its pages once, which publishes it at its close, then purge"
                    .to_owned(),
            )
        } else if let Some(p) = untallied {
            Some(format!(
                "publication {} is not summed under the methodology in use: run `orientir rescore {}` first",
                p.number, campaign.code
            ))
        } else if !storage.unpublished_counts(campaign.id).await?.is_empty() {
            Some(
                "it holds counted answers no publication took in: they would be lost to its pages"
                    .to_owned(),
            )
        } else {
            None
        };
        plan.push(Purgeable {
            campaign,
            answers,
            blocked,
        });
    }
    Ok(plan)
}

/// Deletes the answers of every campaign of the plan that may be purged; how many went.
pub async fn purge(storage: &Storage, plan: &[Purgeable]) -> Result<u64, ServerError> {
    let mut gone = 0;
    for p in plan.iter().filter(|p| p.blocked.is_none()) {
        gone += storage.purge_answers(p.campaign.id).await?;
        tracing::info!(campaign = %p.campaign.code, "answers purged");
        // A deletion, in the audit log like those made through the site.
        storage
            .record_audit(&crate::storage::AuditRow {
                id: 0,
                at: crate::clock::now(),
                user_id: None,
                login: "orientir purge".into(),
                action: "answers_purged".into(),
                path: format!("campaign {}", p.campaign.code),
                address: "local".into(),
            })
            .await?;
    }
    Ok(gone)
}

/// The plan as the command prints it.
pub fn describe(plan: &[Purgeable], dry_run: bool) -> String {
    if plan.is_empty() {
        return "no campaign old enough stores answers".into();
    }
    plan.iter()
        .map(|p| {
            let c = &p.campaign;
            match &p.blocked {
                None if dry_run => format!(
                    "{} «{}» (closed {}): {} answers would be deleted; its published figures stay",
                    c.code, c.name, c.closes_on, p.answers
                ),
                None => format!(
                    "{} «{}» (closed {}): {} answers deleted; its published figures stay",
                    c.code, c.name, c.closes_on, p.answers
                ),
                Some(why) => format!(
                    "{} «{}» (closed {}): {} answers kept — {why}",
                    c.code, c.name, c.closes_on, p.answers
                ),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_counted_back_by_the_calendar() {
        let day = |y, m, d| Day::from_ymd(y, m, d).expect("a day");
        assert_eq!(years_before(day(2026, 12, 7), 3), day(2023, 12, 7));
        assert_eq!(years_before(day(2028, 2, 29), 1), day(2027, 2, 28));
    }
}
