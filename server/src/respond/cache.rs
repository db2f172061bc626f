//! Short-lived memory of the respondent side: access codes looked up in the last seconds (every
//! page of every respondent looks its code up) and drafts this process has just written.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::error::ServerError;
use crate::storage::{CodeInfo, DraftRow, Storage};

/// Drafts this process has written, kept after their commit so that the page shown next and the
/// next save need not read them back. Only where this process is the database's one writer
/// (SQLite, embedded); with PostgreSQL several servers may share the drafts, so every read goes
/// to the database.
#[derive(Clone, Default)]
pub struct DraftCache(Option<Arc<Mutex<HashMap<String, DraftRow>>>>);

const DRAFT_CACHE_MAX: usize = 20_000;

impl DraftCache {
    pub fn for_storage(storage: &Storage) -> DraftCache {
        match storage.backend() {
            crate::config::Backend::Sqlite => DraftCache(Some(Arc::default())),
            crate::config::Backend::Postgres => DraftCache(None),
        }
    }

    pub(super) fn get(&self, token: &str) -> Option<DraftRow> {
        let map = self.0.as_ref()?.lock().ok()?;
        map.get(token).cloned()
    }

    /// Called once the draft is committed.
    pub(super) fn put(&self, draft: DraftRow) {
        if let Some(mut map) = self.0.as_ref().and_then(|m| m.lock().ok()) {
            if map.len() >= DRAFT_CACHE_MAX {
                map.clear();
            }
            map.insert(draft.token.clone(), draft);
        }
    }
}

/// Known access codes for a short while; unknown codes are not kept (guessing fills nothing),
/// and a revoked code stops working within `CODE_TTL`. Only where this process is the
/// database's one server (SQLite); with PostgreSQL another instance may revoke a code, which
/// must stop working at once everywhere, so every lookup goes to the database.
#[derive(Clone, Default)]
pub struct CodeCache(Option<Arc<Mutex<KnownCodes>>>);

/// Codes by their text, with when they were looked up.
type KnownCodes = HashMap<String, (Instant, CodeInfo)>;

const CODE_TTL: Duration = Duration::from_secs(30);
const CODE_CACHE_MAX: usize = 100_000;

impl CodeCache {
    pub fn for_storage(storage: &Storage) -> CodeCache {
        match storage.backend() {
            crate::config::Backend::Sqlite => CodeCache(Some(Arc::default())),
            crate::config::Backend::Postgres => CodeCache(None),
        }
    }

    pub(super) async fn get(
        &self,
        storage: &Storage,
        code: &str,
    ) -> Result<Option<CodeInfo>, ServerError> {
        let Some(cache) = &self.0 else {
            return storage.code_info(code).await;
        };
        let now = Instant::now();
        if let Ok(map) = cache.lock() {
            if let Some((at, info)) = map.get(code) {
                if now.duration_since(*at) < CODE_TTL {
                    return Ok(Some(info.clone()));
                }
            }
        }
        let info = storage.code_info(code).await?;
        if let (Some(info), Ok(mut map)) = (&info, cache.lock()) {
            if map.len() >= CODE_CACHE_MAX {
                map.clear();
            }
            map.insert(code.to_owned(), (now, info.clone()));
        }
        Ok(info)
    }
}
