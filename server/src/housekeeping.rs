//! Background upkeep while serving, at start and then every hour: campaigns that have closed get
//! their publication at the close (a reader who comes first makes it too), drafts of closed
//! campaigns, expired sessions, sign-in failures past their window and audit lines past their
//! retention are deleted, so that no half-filled questionnaire outlives its campaign by more
//! than that.

use std::time::Duration;

use surveys::calendar::Day;

use crate::clock;
use crate::scope::Gate;
use crate::storage::Storage;

const EVERY: Duration = Duration::from_secs(3600);

/// Starts the upkeep task; it ends with the process.
pub fn spawn(
    storage: Storage,
    gate: Gate,
    today: fn() -> Day,
    audit_days: u32,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match gate.publish_closed().await {
                Ok(0) => {}
                Ok(published) => tracing::info!(published, "published closed campaigns"),
                Err(e) => tracing::warn!(error = %e, "could not publish closed campaigns"),
            }
            match storage.purge_closed_drafts(today()).await {
                Ok(0) => {}
                Ok(purged) => tracing::info!(purged, "deleted drafts of closed campaigns"),
                Err(e) => tracing::warn!(error = %e, "could not delete drafts of closed campaigns"),
            }
            if let Err(e) = storage.purge_sessions(clock::now()).await {
                tracing::warn!(error = %e, "could not delete expired sessions");
            }
            let forgotten = clock::now() - crate::auth::FAILURES_KEPT.as_secs() as i64;
            if let Err(e) = storage.purge_sign_in_failures(forgotten).await {
                tracing::warn!(error = %e, "could not delete old sign-in failures");
            }
            let kept_from = clock::now() - i64::from(audit_days) * 86_400;
            if let Err(e) = storage.forget_audit_before(kept_from).await {
                tracing::warn!(error = %e, "could not delete old audit lines");
            }
            tokio::time::sleep(EVERY).await;
        }
    })
}
