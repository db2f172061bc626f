//! Background upkeep while serving: drafts of closed campaigns and expired sessions are deleted
//! at start and then every hour, so that no half-filled questionnaire outlives its campaign by
//! more than that.

use std::time::Duration;

use surveys::calendar::Day;

use crate::clock;
use crate::storage::Storage;

const EVERY: Duration = Duration::from_secs(3600);

/// Starts the upkeep task; it ends with the process.
pub fn spawn(storage: Storage, today: fn() -> Day) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match storage.purge_closed_drafts(today()).await {
                Ok(0) => {}
                Ok(purged) => tracing::info!(purged, "deleted drafts of closed campaigns"),
                Err(e) => tracing::warn!(error = %e, "could not delete drafts of closed campaigns"),
            }
            if let Err(e) = storage.purge_sessions(clock::now()).await {
                tracing::warn!(error = %e, "could not delete expired sessions");
            }
            tokio::time::sleep(EVERY).await;
        }
    })
}
