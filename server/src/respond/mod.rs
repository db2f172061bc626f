//! The respondent side on the server: an access code opened against its campaign's dates and the
//! draft it belongs to (here), the short-lived caches (`cache`), what the pages show (`views`),
//! saving a page and the final submit (`save`), and the plain routes that work without
//! JavaScript (`routes`).

use std::sync::Arc;

use app::i18n::Lang;
use app::respond::{
    CodeProblem, Outcome, RespondentSource, SaveOutcome, SectionView, StartView, ThanksView,
};
use app::AppError;
use surveys::calendar::Day;
use surveys::{FormRules, Group, Instrument, Methodology};

use crate::access_code;
use crate::cookies::CookiePolicy;
use crate::error::ServerError;
use crate::groups;
use crate::storage::{CodeInfo, DraftRow, DraftWriter, Storage};
use cache::{CodeCache, DraftCache};

mod cache;
mod routes;
mod save;
mod views;

pub use routes::{enter, save_page, set_lang};

/// The respondent service: storage, the batching writer, the methodology, the clock, the cookie
/// policy and the short-lived caches of codes and drafts.
#[derive(Clone)]
pub struct Respondents {
    storage: Storage,
    writer: DraftWriter,
    methodology: Arc<Methodology>,
    today: fn() -> Day,
    codes: CodeCache,
    cookies: CookiePolicy,
    drafts: DraftCache,
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
            codes: CodeCache::default(),
            drafts: DraftCache::for_storage(&storage),
            storage,
            methodology,
            today,
            cookies,
        }
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

    /// The draft token: the personal code itself for personal codes, else the cookie's (or the
    /// form's) token when it belongs to this code.
    pub(crate) async fn draft(
        &self,
        opened: &Opened<'_>,
        token: Option<String>,
    ) -> Result<Option<DraftRow>, ServerError> {
        let token = if opened.info.personal {
            Some(format!("code:{}", opened.info.code))
        } else {
            token
        };
        let Some(token) = token.filter(|t| !t.is_empty()) else {
            return Ok(None);
        };
        let draft = match self.drafts.get(&token) {
            Some(draft) => Some(draft),
            None => self.storage.draft(&token).await?,
        };
        Ok(draft.filter(|d| d.code == opened.info.code))
    }

    pub(crate) fn new_token(opened: &Opened<'_>) -> String {
        if opened.info.personal {
            format!("code:{}", opened.info.code)
        } else {
            random_token()
        }
    }
}

pub(crate) fn random_token() -> String {
    use rand::Rng;
    let mut rng = rand::rngs::OsRng;
    (0..4)
        .map(|_| format!("{:08x}", rng.gen::<u32>()))
        .collect()
}

#[async_trait::async_trait]
impl RespondentSource for Respondents {
    async fn start(
        &self,
        code: &str,
        token: Option<String>,
        lang: Lang,
    ) -> Result<Outcome<StartView>, AppError> {
        let l = lang.code();
        let run = async {
            let opened = match self.open(code).await? {
                Ok(o) => o,
                Err(p) => return Ok(Err(p)),
            };
            let draft = self.draft(&opened, token).await?;
            let i = opened.instrument;
            Ok::<_, ServerError>(Ok(StartView {
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
                stored: groups::stored(opened.group, lang).into(),
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
        };
        run.await.map_err(AppError::from)
    }

    async fn section(
        &self,
        code: &str,
        token: Option<String>,
        page: u32,
        lang: Lang,
    ) -> Result<Outcome<SectionView>, AppError> {
        let run = async {
            let opened = match self.open(code).await? {
                Ok(o) => o,
                Err(p) => return Ok(Err(p)),
            };
            let draft = self.draft(&opened, token).await?;
            let token = draft
                .as_ref()
                .map_or_else(|| Respondents::new_token(&opened), |d| d.token.clone());
            Ok::<_, ServerError>(Ok(self.section_view(
                &opened,
                draft.as_ref(),
                token,
                page,
                lang,
            )))
        };
        run.await.map_err(AppError::from)
    }

    async fn thanks(
        &self,
        code: &str,
        token: Option<String>,
        lang: Lang,
    ) -> Result<Outcome<ThanksView>, AppError> {
        let l = lang.code();
        let run = async {
            let opened = match self.open(code).await? {
                Ok(o) => o,
                Err(p) => return Ok(Err(p)),
            };
            let draft = self.draft(&opened, token).await?.filter(|d| d.submitted);
            let report = match (&draft, opened.group) {
                (Some(d), Group::TeacherDeficits) => self.report(d, lang).await?,
                _ => None,
            };
            Ok::<_, ServerError>(Ok(ThanksView {
                code: opened.info.code.clone(),
                title: opened.instrument.title.get(l).to_owned(),
                report,
            }))
        };
        run.await.map_err(AppError::from)
    }

    async fn save(
        &self,
        code: &str,
        page: u32,
        fields: Vec<(String, String)>,
        draft: Option<String>,
        lang: Lang,
        want_next: bool,
    ) -> Result<SaveOutcome, AppError> {
        self.save_answers(code, page, fields, draft, lang, want_next)
            .await
            .map_err(AppError::from)
    }

    async fn rules(&self, code: &str) -> Result<Option<FormRules>, AppError> {
        match self.open(code).await {
            Ok(Ok(opened)) => Ok(Some(FormRules::new(&self.methodology, opened.instrument))),
            Ok(Err(_)) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}
