//! Short-lived memory of the respondent side: access codes looked up in the last seconds (every
//! page of every respondent looks its code up) and drafts this process has just written.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::error::ServerError;
use crate::storage::{CodeInfo, DraftRow, Storage};

/// Drafts this process has written, kept after their commit so that the page shown next and the
/// next save need not read them back. With PostgreSQL another instance may write a draft too:
/// a save is written only over the revision it was based on (`storage::Written::Stale`
/// otherwise), and then the draft is forgotten here and read again.
#[derive(Clone, Default)]
pub struct DraftCache(Arc<Mutex<HashMap<String, DraftRow>>>);

const DRAFT_CACHE_MAX: usize = 20_000;

impl DraftCache {
    pub(super) fn get(&self, token: &str) -> Option<DraftRow> {
        let map = self.0.lock().ok()?;
        map.get(token).cloned()
    }

    /// Called once the draft is committed; an older revision never replaces a newer one.
    pub(super) fn put(&self, draft: DraftRow) {
        if let Ok(mut map) = self.0.lock() {
            if map
                .get(&draft.token)
                .is_some_and(|kept| kept.revision > draft.revision)
            {
                return;
            }
            if map.len() >= DRAFT_CACHE_MAX {
                map.clear();
            }
            map.insert(draft.token.clone(), draft);
        }
    }

    /// Called when the draft turned out to be written elsewhere.
    pub(super) fn forget(&self, token: &str) {
        if let Ok(mut map) = self.0.lock() {
            map.remove(token);
        }
    }
}

/// Known access codes for a short while; unknown codes are not kept (guessing fills nothing).
/// On SQLite this process is the database's one server, and a revoked code stops working within
/// `CODE_TTL`. On PostgreSQL a change to codes, schools, campaigns or their expected counts, made
/// by any instance, tells every instance to forget what it keeps (a trigger's `NOTIFY` at the
/// change's commit, `listen`); while that channel is down nothing is kept.
#[derive(Clone)]
pub struct CodeCache(Arc<Codes>);

struct Codes {
    known: Mutex<KnownCodes>,
    /// Whether codes may be kept now: always on SQLite; on PostgreSQL while listening.
    keeping: AtomicBool,
    /// Raised each time everything is forgotten: a lookup that began before keeps nothing.
    generation: AtomicU64,
}

/// Codes by their text, with when they were looked up.
type KnownCodes = HashMap<String, (Instant, CodeInfo)>;

const CODE_TTL: Duration = Duration::from_secs(30);
const CODE_CACHE_MAX: usize = 100_000;
/// The channel the migration's trigger notifies on.
const CODES_CHANNEL: &str = "orientir_codes";

impl Codes {
    fn forget_all(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut map) = self.known.lock() {
            map.clear();
        }
    }
}

impl CodeCache {
    /// The cache for a storage; on PostgreSQL starts listening on the current runtime.
    pub fn for_storage(storage: &Storage) -> CodeCache {
        let codes = Arc::new(Codes {
            known: Mutex::default(),
            keeping: AtomicBool::new(matches!(storage, Storage::Sqlite(_))),
            generation: AtomicU64::new(0),
        });
        if let Storage::Postgres(pool) = storage {
            // A connection of its own, outside the pool the requests share.
            let own = sqlx::postgres::PgPoolOptions::new()
                .max_connections(1)
                .idle_timeout(None)
                .max_lifetime(None)
                .connect_lazy_with((*pool.connect_options()).clone());
            tokio::spawn(listen(own, pool.clone(), codes.clone()));
        }
        CodeCache(codes)
    }

    pub(super) async fn get(
        &self,
        storage: &Storage,
        code: &str,
    ) -> Result<Option<CodeInfo>, ServerError> {
        let codes = &self.0;
        let now = Instant::now();
        if !codes.keeping.load(Ordering::SeqCst) {
            return storage.code_info(code).await;
        }
        if let Ok(map) = codes.known.lock() {
            if let Some((at, info)) = map.get(code) {
                if now.duration_since(*at) < CODE_TTL {
                    return Ok(Some(info.clone()));
                }
            }
        }
        let generation = codes.generation.load(Ordering::SeqCst);
        let info = storage.code_info(code).await?;
        if let (Some(info), Ok(mut map)) = (&info, codes.known.lock()) {
            // Kept only when nothing changed while it was read.
            if codes.generation.load(Ordering::SeqCst) == generation
                && codes.keeping.load(Ordering::SeqCst)
            {
                if map.len() >= CODE_CACHE_MAX {
                    map.clear();
                }
                map.insert(code.to_owned(), (now, info.clone()));
            }
        }
        Ok(info)
    }
}

/// Listens for changes to what opening a code reads (on a connection of `own`), forgetting every
/// kept code at each; when the connection drops, keeps nothing until it listens again. Ends when
/// the server's pool `main` closes.
async fn listen(own: sqlx::PgPool, main: sqlx::PgPool, codes: Arc<Codes>) {
    loop {
        let listening = async {
            let mut listener = sqlx::postgres::PgListener::connect_with(&own).await?;
            listener.listen(CODES_CHANNEL).await?;
            codes.forget_all();
            codes.keeping.store(true, Ordering::SeqCst);
            // `None`: the connection was lost, and notifications with it.
            while listener.try_recv().await?.is_some() {
                codes.forget_all();
            }
            Ok::<(), sqlx::Error>(())
        };
        let ended = tokio::select! {
            ended = listening => ended,
            () = main.close_event() => Err(sqlx::Error::PoolClosed),
        };
        codes.keeping.store(false, Ordering::SeqCst);
        codes.forget_all();
        match ended {
            Err(sqlx::Error::PoolClosed) => break,
            Err(e) => tracing::warn!("not listening for changes to access codes: {e}"),
            Ok(()) => {
                tracing::warn!("the connection listening for changes to access codes was lost")
            }
        }
        if main.is_closed() {
            break;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    own.close().await;
}
