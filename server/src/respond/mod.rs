//! The respondent side on the server: an access code opened against its campaign's dates and the
//! draft it belongs to (here), the short-lived caches (`cache`), what the pages show (`views`)
//! and the pages themselves (`pages`), saving a page and the final submit (`save`), the plain
//! routes that work without JavaScript (`routes`), and the rules files the live pages check
//! answers with (`rules`).

use std::sync::Arc;

use app::i18n::Lang;
use app::respond::{CodeProblem, Outcome, SectionView, StartView, ThanksView};
use surveys::calendar::Day;
use surveys::{Group, Instrument, Methodology};

use crate::access_code;
use crate::cookies::CookiePolicy;
use crate::error::ServerError;
use crate::groups;
use crate::secrets;
use crate::storage::{CodeInfo, DraftRow, DraftWriter, Storage};
use cache::{CodeCache, DraftCache};

mod cache;
mod pages;
mod routes;
mod rules;
mod save;
mod starts;
mod views;

pub use pages::{section_page, start_page, thanks_page, PATHS as PAGES};
pub use routes::{enter, open_result, save_page, set_lang};
pub use rules::rules_file;
use rules::RulesFiles;

/// The respondent service: storage, the batching writer, the methodology and its rules files,
/// the clock, the cookie policy and the short-lived caches of codes and drafts.
#[derive(Clone)]
pub struct Respondents {
    storage: Storage,
    writer: DraftWriter,
    methodology: Arc<Methodology>,
    rules: Arc<RulesFiles>,
    today: fn() -> Day,
    codes: CodeCache,
    cookies: CookiePolicy,
    drafts: DraftCache,
    starts: starts::DraftStarts,
    /// Where questionnaires stored are counted for `/metrics`.
    metrics: Arc<crate::metrics::Metrics>,
}

impl Respondents {
    /// The service over a storage; starts the batching writer on the current runtime.
    pub fn new(
        storage: Storage,
        methodology: Arc<Methodology>,
        cookies: CookiePolicy,
        today: fn() -> Day,
    ) -> Respondents {
        Respondents {
            writer: DraftWriter::spawn(storage.clone()),
            codes: CodeCache::for_storage(&storage),
            drafts: DraftCache::default(),
            storage,
            rules: Arc::new(RulesFiles::new(&methodology)),
            methodology,
            today,
            cookies,
            starts: starts::DraftStarts::default(),
            metrics: Arc::default(),
        }
    }

    /// Counts the questionnaires stored in `metrics`.
    pub fn with_metrics(mut self, metrics: Arc<crate::metrics::Metrics>) -> Respondents {
        self.metrics = metrics;
        self
    }

    /// At most `per_address` drafts begun per address and hour; 0 lifts the limits.
    pub fn with_draft_starts(mut self, per_address: u32) -> Respondents {
        self.starts = starts::DraftStarts::new(per_address);
        self
    }

    /// Counts a draft begun without a cookie from `address`; `Err` with the time left when the
    /// address has begun as many as the code's group could need this hour (`starts`).
    pub(crate) async fn may_begin_draft(
        &self,
        code: &str,
        address: std::net::IpAddr,
    ) -> Result<Result<(), std::time::Duration>, ServerError> {
        let Ok(opened) = self.open(code).await? else {
            // Not a code that opens: nothing is begun.
            return Ok(Ok(()));
        };
        let expected = opened.info.expected();
        let allowance = starts::DraftStarts::allowance(
            opened.info.personal,
            expected,
            u32::try_from(self.methodology.rules.surplus_limit(expected)).unwrap_or(u32::MAX),
        );
        Ok(self.starts.begin(
            address,
            &opened.info.code,
            allowance,
            std::time::Instant::now(),
        ))
    }
}

/// A code that opens a questionnaire now.
pub(crate) struct Opened<'a> {
    info: CodeInfo,
    group: Group,
    instrument: &'a Instrument,
}

impl Respondents {
    pub(crate) async fn open(
        &self,
        typed: &str,
    ) -> Result<Result<Opened<'_>, CodeProblem>, ServerError> {
        let Some(code) = access_code::normalize(typed) else {
            return Ok(Err(CodeProblem::Malformed));
        };
        let Some(info) = self.codes.get(&self.storage, &code).await? else {
            return Ok(Err(CodeProblem::Unknown));
        };
        if info.revoked {
            return Ok(Err(CodeProblem::Revoked));
        }
        let today = (self.today)();
        if today < info.opens_on {
            return Ok(Err(CodeProblem::NotYetOpen {
                opens_on: info.opens_on.to_string(),
            }));
        }
        if today > info.closes_on {
            return Ok(Err(CodeProblem::Closed {
                closed_on: info.closes_on.to_string(),
            }));
        }
        let group = info.group;
        if info.methodology_version != self.methodology.version {
            return Err(ServerError::Inconsistent(format!(
                "campaign uses methodology {}, the server has {}",
                info.methodology_version, self.methodology.version
            )));
        }
        let instrument = self
            .methodology
            .instrument(group)
            .ok_or_else(|| ServerError::Inconsistent(format!("no instrument for group {group}")))?;
        Ok(Ok(Opened {
            info,
            group,
            instrument,
        }))
    }

    /// The draft a respondent's handle (the draft cookie, or a token from the form) opens. An
    /// anonymous draft is stored under the handle itself. A personal code has one draft, stored
    /// under the code: its answers open only with the handle of the device that keeps them, and
    /// once sent it is known (without answers) to any device, so that it is sent only once.
    pub(crate) async fn draft(
        &self,
        opened: &Opened<'_>,
        handle: Option<String>,
    ) -> Result<Option<DraftRow>, ServerError> {
        Ok(self.draft_seen(opened, handle).await?.draft)
    }

    /// The draft the handle opens, and whether a personal code's questionnaire is under way on
    /// another device than the handle's — its answers stay there, and this device does not write
    /// over them unless the respondent asks to start over here. One lookup for both.
    pub(crate) async fn draft_seen(
        &self,
        opened: &Opened<'_>,
        handle: Option<String>,
    ) -> Result<Seen, ServerError> {
        let handle = handle.filter(|t| !t.is_empty());
        let token = if opened.info.personal {
            personal_token(&opened.info.code)
        } else {
            match &handle {
                Some(handle) => handle.clone(),
                None => return Ok(Seen::default()),
            }
        };
        let stored = match self.drafts.get(&token) {
            Some(draft) => Some(draft),
            None => self.storage.draft(&token).await?,
        };
        let revision = stored.as_ref().map_or(0, |d| d.revision);
        let stored = stored.filter(|d| d.code == opened.info.code);
        if !opened.info.personal {
            return Ok(Seen {
                draft: stored,
                elsewhere: false,
                revision,
            });
        }
        let device = handle.map(|h| secrets::hash(&h));
        let mine = |d: &DraftRow| d.device_hash.is_some() && d.device_hash == device;
        let elsewhere = stored
            .as_ref()
            .is_some_and(|d| !d.submitted && d.device_hash.is_some() && !mine(d));
        Ok(Seen {
            draft: stored.filter(|d| d.submitted || mine(d)),
            elsewhere,
            revision,
        })
    }
}

/// What a handle sees of a code's draft.
#[derive(Default)]
pub(crate) struct Seen {
    /// The draft it opens.
    pub draft: Option<DraftRow>,
    /// A personal code's questionnaire is under way on another device.
    pub elsewhere: bool,
    /// The revision of the draft stored under the handle's token (0: none), whoever's it is: a
    /// save writes over it.
    pub revision: i64,
}

impl Respondents {
    /// Whether a typed text is an access code that was issued (revoked ones included).
    pub async fn is_issued_code(&self, typed: &str) -> Result<bool, ServerError> {
        let Some(code) = access_code::normalize(typed) else {
            return Ok(false);
        };
        Ok(self.codes.get(&self.storage, &code).await?.is_some())
    }
}

/// Whether a typed result key opens a sent draft's report.
fn opens(draft: &DraftRow, typed: &str) -> bool {
    access_code::normalize_key(typed)
        .is_some_and(|k| draft.result_key_hash.as_deref() == Some(secrets::hash(&k).as_str()))
}

impl Respondents {
    /// The cookie that carries a typed result key to the report when the key opens it; `None`
    /// when the code does not open, nothing was sent, or the key is not this report's.
    pub async fn unlock(&self, code: &str, typed: &str) -> Result<Option<String>, ServerError> {
        let Ok(opened) = self.open(code).await? else {
            return Ok(None);
        };
        let sent = self.draft(&opened, None).await?.filter(|d| d.submitted);
        let key = access_code::normalize_key(typed);
        Ok(match (sent, key) {
            (Some(d), Some(key)) if opens(&d, &key) => Some(self.cookies.set(
                &app::respond::result_cookie(&opened.info.code),
                &key,
                save::RESULT_COOKIE_SECONDS,
                true,
            )),
            _ => None,
        })
    }
}

/// Where a personal code's one draft is stored.
fn personal_token(code: &str) -> String {
    format!("code:{code}")
}

/// A new handle for a draft: 128 random bits, issued by the server only.
pub(crate) fn new_handle() -> String {
    secrets::random_hex(16)
}

/// What the respondent's pages show (`pages`).
impl Respondents {
    pub(crate) async fn start(
        &self,
        code: &str,
        token: Option<String>,
        lang: Lang,
    ) -> Result<Outcome<StartView>, ServerError> {
        let l = lang.code();
        let opened = match self.open(code).await? {
            Ok(o) => o,
            Err(p) => return Ok(Err(p)),
        };
        let Seen {
            draft, elsewhere, ..
        } = self.draft_seen(&opened, token).await?;
        let i = opened.instrument;
        Ok(Ok(StartView {
            elsewhere,
            code: opened.info.code.clone(),
            school: opened.info.school_name.clone(),
            title: i.title.get(l).to_owned(),
            audience: groups::audience(opened.group, lang).into(),
            intro: i
                .intro
                .as_ref()
                .map(|t| t.get(l).to_owned())
                .unwrap_or_default(),
            expected_minutes: i.expected_minutes,
            anonymous: !opened.info.personal,
            stored: groups::stored(
                opened.group,
                self.methodology.min_respondents(opened.group),
                lang,
            ),
            sections: i
                .sections
                .iter()
                .map(|s| s.title.get(l).to_owned())
                .collect(),
            resume_page: draft
                .as_ref()
                .filter(|d| !d.submitted)
                .map(|d| d.page as u32),
            submitted: draft.as_ref().is_some_and(|d| d.submitted),
        }))
    }

    pub(crate) async fn section(
        &self,
        code: &str,
        token: Option<String>,
        page: u32,
        lang: Lang,
        written: Option<DraftRow>,
    ) -> Result<Outcome<SectionView>, ServerError> {
        let opened = match self.open(code).await? {
            Ok(o) => o,
            Err(p) => return Ok(Err(p)),
        };
        let draft = match written {
            Some(draft) => Some(draft),
            None => self.draft(&opened, token.clone()).await?,
        };
        // The handle the page carries: the device's own for a draft it keeps, else a
        // stand-in (the server issues a real one with the first save).
        let token = match (&draft, opened.info.personal) {
            (Some(_), true) => token.unwrap_or_else(new_handle),
            (Some(d), false) => d.token.clone(),
            (None, _) => new_handle(),
        };
        Ok(Ok(self.section_view(
            &opened,
            draft.as_ref(),
            token,
            page,
            lang,
        )))
    }

    pub(crate) async fn thanks(
        &self,
        code: &str,
        token: Option<String>,
        result_key: Option<String>,
        lang: Lang,
    ) -> Result<Outcome<Option<ThanksView>>, ServerError> {
        let l = lang.code();
        let opened = match self.open(code).await? {
            Ok(o) => o,
            Err(p) => return Ok(Err(p)),
        };
        let draft = self.draft(&opened, token).await?.filter(|d| d.submitted);
        if opened.info.personal && draft.is_none() {
            // A personal questionnaire that was not sent has nothing to thank for.
            return Ok(Ok(None));
        }
        let (mut report, mut key, mut locked) = (None, None, false);
        let diagnostic = surveys::deficits::Diagnostic::of(opened.group);
        if let (Some(d), Some(kind)) = (&draft, diagnostic) {
            match result_key.filter(|k| opens(d, k)) {
                Some(k) => {
                    report = self.report(d, kind, lang).await?;
                    key = Some(k);
                }
                None => locked = true,
            }
        }
        Ok(Ok(Some(ThanksView {
            code: opened.info.code.clone(),
            title: opened.instrument.title.get(l).to_owned(),
            report,
            result_key: key,
            locked,
        })))
    }
}
