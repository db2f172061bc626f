//! The respondent side on the server: access codes checked against their campaign's dates,
//! drafts kept per page, the final submit stored once, views for the pages, and the plain form
//! handlers that work without JavaScript (post → store → redirect).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use app::i18n::{self, Lang};
use app::respond::{
    draft_cookie, AreaView, ChoiceView, CodeProblem, FieldView, IomView, ItemView, Outcome,
    ReportView, RespondentSource, SaveOutcome, SectionView, StartView, ThanksView,
};
use app::AppError;
use axum::extract::{Path, Query, State};
use axum::http::header::COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use surveys::calendar::Day;
use surveys::{Answers, FormRules, Group, Instrument, ItemKind, Methodology, RawAnswers, RawValue};

use crate::access_code;
use crate::cookies::CookiePolicy;
use crate::error::ServerError;
use crate::storage::{CodeInfo, DraftRow, DraftWrite, DraftWriter, ResponseRow, Storage};
use crate::web::{internal, lang_of, see_other};

/// The respondent service: storage, the batching writer, the methodology, the clock and a
/// short-lived cache of access codes (every page of every respondent looks its code up).
#[derive(Clone)]
pub struct Respondents {
    pub storage: Storage,
    pub writer: DraftWriter,
    pub methodology: Arc<Methodology>,
    pub today: fn() -> Day,
    pub codes: CodeCache,
    pub cookies: CookiePolicy,
    pub drafts: DraftCache,
}

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

    fn get(&self, token: &str) -> Option<DraftRow> {
        let map = self.0.as_ref()?.lock().ok()?;
        map.get(token).cloned()
    }

    /// Called once the draft is committed.
    fn put(&self, draft: DraftRow) {
        if let Some(mut map) = self.0.as_ref().and_then(|m| m.lock().ok()) {
            if map.len() >= DRAFT_CACHE_MAX {
                map.clear();
            }
            map.insert(draft.token.clone(), draft);
        }
    }
}

/// Known access codes for a short while; unknown codes are not kept (guessing fills nothing),
/// and a revoked code stops working within `CODE_TTL`.
#[derive(Clone, Default)]
pub struct CodeCache(Arc<Mutex<HashMap<String, (Instant, CodeInfo)>>>);

const CODE_TTL: Duration = Duration::from_secs(30);
const CODE_CACHE_MAX: usize = 100_000;

impl CodeCache {
    async fn get(&self, storage: &Storage, code: &str) -> Result<Option<CodeInfo>, ServerError> {
        let now = Instant::now();
        if let Ok(map) = self.0.lock() {
            if let Some((at, info)) = map.get(code) {
                if now.duration_since(*at) < CODE_TTL {
                    return Ok(Some(info.clone()));
                }
            }
        }
        let info = storage.code_info(code).await?;
        if let (Some(info), Ok(mut map)) = (&info, self.0.lock()) {
            if map.len() >= CODE_CACHE_MAX {
                map.clear();
            }
            map.insert(code.to_owned(), (now, info.clone()));
        }
        Ok(info)
    }
}

/// A code that opens a questionnaire now.
struct Opened<'a> {
    info: CodeInfo,
    group: Group,
    instrument: &'a Instrument,
}

impl Respondents {
    async fn open(&self, typed: &str) -> Result<Result<Opened<'_>, CodeProblem>, ServerError> {
        let Some(code) = access_code::normalize(typed) else {
            return Ok(Err(CodeProblem::Malformed));
        };
        let Some(info) = self.codes.get(&self.storage, &code).await? else {
            return Ok(Err(CodeProblem::Unknown));
        };
        if info.revoked {
            return Ok(Err(CodeProblem::Revoked));
        }
        let today = (self.today)().to_string();
        if today < info.opens_on {
            return Ok(Err(CodeProblem::NotYetOpen {
                opens_on: info.opens_on,
            }));
        }
        if today > info.closes_on {
            return Ok(Err(CodeProblem::Closed {
                closed_on: info.closes_on,
            }));
        }
        let group = Group::parse(&info.respondent_group).ok_or_else(|| {
            ServerError::Inconsistent(format!("code of unknown group {}", info.respondent_group))
        })?;
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
    async fn draft(
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

    fn new_token(opened: &Opened<'_>) -> String {
        if opened.info.personal {
            format!("code:{}", opened.info.code)
        } else {
            random_token()
        }
    }
}

fn random_token() -> String {
    use rand::Rng;
    let mut rng = rand::rngs::OsRng;
    (0..4)
        .map(|_| format!("{:08x}", rng.gen::<u32>()))
        .collect()
}

fn raw_of(draft: Option<&DraftRow>) -> RawAnswers {
    draft
        .and_then(|d| serde_json::from_str(&d.answers).ok())
        .unwrap_or_default()
}

fn problems_of(draft: Option<&DraftRow>) -> BTreeMap<String, String> {
    draft
        .and_then(|d| serde_json::from_str(&d.problems).ok())
        .unwrap_or_default()
}

fn audience(group: Group, lang: Lang) -> &'static str {
    match group {
        Group::Principal => lang.tr(
            "Для руководителя школы (или его заместителя).",
            "For the principal (or a deputy).",
        ),
        Group::Teacher => lang.tr(
            "Для всех учителей школы.",
            "For all teachers of the school.",
        ),
        Group::Student => lang.tr(
            "Для обучающихся 5–11 классов.",
            "For students of grades 5–11.",
        ),
        Group::Parent => lang.tr("Для родителей обучающихся.", "For students' parents."),
        Group::TeacherDeficits => lang.tr(
            "Для учителя: личная диагностика профессиональных умений.",
            "For a teacher: a personal diagnostic of professional skills.",
        ),
    }
}

fn stored(group: Group, lang: Lang) -> &'static str {
    match group {
        Group::TeacherDeficits => lang.tr(
            "Сохраняются ответы и дата. Ваш результат видите только вы; школа видит лишь сводку по пяти и более учителям.",
            "Answers and the date are stored. Only you see your result; the school sees only summaries over five or more teachers.",
        ),
        Group::Principal => lang.tr(
            "Сохраняются ответы и дата; их видят куратор и координаторы программы.",
            "Answers and the date are stored; the curator and programme coordinators see them.",
        ),
        _ => lang.tr(
            "Сохраняются только ответы и дата. Результаты показываются обобщённо и только если ответили не меньше пяти человек.",
            "Only answers and the date are stored. Results are shown in summary and only when at least five people answered.",
        ),
    }
}

impl Respondents {
    fn section_view(
        &self,
        opened: &Opened<'_>,
        draft: Option<&DraftRow>,
        token: String,
        page: u32,
        lang: Lang,
    ) -> SectionView {
        let l = lang.code();
        let m: &Methodology = &self.methodology;
        let instrument = opened.instrument;
        let pages = instrument.sections.len() as u32;
        let page = page.clamp(1, pages.max(1));
        let index = (page - 1) as usize;
        let section = &instrument.sections[index];
        let raw = raw_of(draft);
        let problems = problems_of(draft);
        let mut ignored = Vec::new();
        let answers = Answers::parse_known(m, instrument, &raw, &mut ignored, |_| false);
        let values = |key: &str| match raw.get(key) {
            Some(RawValue::One(v)) => vec![v.clone()],
            Some(RawValue::Many(vs)) => vs.clone(),
            None => Vec::new(),
        };
        let items = section
            .items
            .iter()
            .map(|item| {
                let hidden = !answers.is_shown(m, instrument, item);
                let list = item.choices.as_deref().and_then(|key| m.choice_list(key));
                let choices: Vec<ChoiceView> = list
                    .map(|list| {
                        list.choices
                            .iter()
                            .map(|c| ChoiceView {
                                value: c.value.clone(),
                                label: c.label().get(l).to_owned(),
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let control = match item.kind {
                    ItemKind::Multiple => "checkbox",
                    ItemKind::Integer | ItemKind::Decimal => "number",
                    ItemKind::Text => "text",
                    _ => "radio",
                };
                let field = |key: String, label: String| FieldView {
                    values: values(&key),
                    error: problems.get(&key).cloned(),
                    key,
                    control: control.into(),
                    label,
                    hint: item.hint.as_ref().map(|h| h.get(l).to_owned()),
                    required: item.is_required(),
                    unit: item.unit.as_ref().map(|u| u.get(l).to_owned()),
                    min: item.min,
                    max: item.max,
                    step: (item.kind == ItemKind::Integer).then(|| "1".into()),
                    max_length: item
                        .max_length
                        .or((item.kind == ItemKind::Text).then_some(200)),
                    choices: choices.clone(),
                };
                if item.rows.is_empty() {
                    ItemView {
                        key: item.key.clone(),
                        hidden,
                        heading: None,
                        fields: vec![field(item.key.clone(), item.label().get(l).to_owned())],
                    }
                } else {
                    ItemView {
                        key: item.key.clone(),
                        hidden,
                        heading: Some(item.label().get(l).to_owned()),
                        fields: item
                            .rows
                            .iter()
                            .map(|r| {
                                field(
                                    format!("{}.{}", item.key, r.key),
                                    if l == "en" {
                                        r.en.clone()
                                    } else {
                                        r.ru.clone()
                                    },
                                )
                            })
                            .collect(),
                    }
                }
            })
            .collect();
        let context = section
            .items
            .iter()
            .filter_map(|item| item.show_if.as_ref())
            .map(|c| c.item.as_str())
            .filter(|key| {
                instrument
                    .slot(key)
                    .is_some_and(|s| instrument.slots[s].section != index)
            })
            .map(|key| (key.to_owned(), values(key)))
            .collect();
        SectionView {
            code: opened.info.code.clone(),
            draft: token,
            page,
            pages,
            title: section.title.get(l).to_owned(),
            questionnaire: instrument.title.get(l).to_owned(),
            intro: section.intro.as_ref().map(|i| i.get(l).to_owned()),
            items,
            last: page == pages,
            context,
        }
    }

    async fn report(
        &self,
        draft: &DraftRow,
        lang: Lang,
    ) -> Result<Option<ReportView>, ServerError> {
        let l = lang.code();
        let m: &Methodology = &self.methodology;
        let Some((answers, day)) = self.storage.response_by_key(&draft.submission_key).await?
        else {
            return Ok(None);
        };
        let Some(instrument) = m.instrument(Group::TeacherDeficits) else {
            return Ok(None);
        };
        let raw: RawAnswers =
            serde_json::from_str(&answers).map_err(|e| ServerError::Inconsistent(e.to_string()))?;
        let mut ignored = Vec::new();
        let answers = Answers::parse_known(m, instrument, &raw, &mut ignored, |_| false);
        let start: Day = day
            .parse()
            .map_err(|e: surveys::calendar::BadDay| ServerError::Inconsistent(e.to_string()))?;
        let Some(result) = surveys::deficits::teacher_result(m, &answers, start) else {
            return Ok(None);
        };
        let band = |key: &Option<String>| {
            m.deficits
                .bands
                .iter()
                .find(|b| Some(&b.key) == key.as_ref())
        };
        let area_name = |key: &str| {
            m.deficits
                .areas
                .iter()
                .find(|a| a.key == key)
                .map_or(key.to_owned(), |a| a.name.get(l).to_owned())
        };
        Ok(Some(ReportView {
            areas: result
                .areas
                .iter()
                .map(|a| AreaView {
                    name: a.name.get(l).to_owned(),
                    percent: a.percent,
                    band: band(&a.band)
                        .map_or(lang.tr("нет ответов", "no answers").into(), |b| {
                            b.name.get(l).to_owned()
                        }),
                    colour: band(&a.band).map_or("#777777".into(), |b| b.colour.clone()),
                })
                .collect(),
            weakest: result
                .weakest
                .iter()
                .map(|w| format!("{} ({:.0} %)", w.label.get(l), w.percent))
                .collect(),
            iom: result
                .iom
                .iter()
                .map(|i| IomView {
                    area: area_name(&i.area),
                    format: i.format.get(l).to_owned(),
                    title: i.title.get(l).to_owned(),
                    hours: i.hours,
                    goal: i.goal.get(l).to_owned(),
                    deadline: i.deadline.clone(),
                    evidence: i.evidence.get(l).to_owned(),
                })
                .collect(),
        }))
    }
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
                audience: audience(opened.group, lang).into(),
                intro: i
                    .intro
                    .as_ref()
                    .map(|t| t.get(l).to_owned())
                    .unwrap_or_default(),
                expected_minutes: i.expected_minutes,
                anonymous: !opened.info.personal,
                stored: stored(opened.group, lang).into(),
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
        run.await.map_err(|e| internal(&e))
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
        run.await.map_err(|e| internal(&e))
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
        run.await.map_err(|e| internal(&e))
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
            .map_err(|e| internal(&e))
    }

    async fn rules(&self, code: &str) -> Result<Option<FormRules>, AppError> {
        match self.open(code).await {
            Ok(Ok(opened)) => Ok(Some(FormRules::new(&self.methodology, opened.instrument))),
            Ok(Err(_)) => Ok(None),
            Err(e) => Err(internal(&e)),
        }
    }
}

fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| i18n::cookie(v, name))
}

#[derive(serde::Deserialize)]
pub struct EnterQuery {
    code: Option<String>,
}

/// `GET /enter?code=…`: the code typed on the home page, normalized and opened.
pub async fn enter(Query(q): Query<EnterQuery>) -> Response {
    let typed = q.code.unwrap_or_default();
    match access_code::normalize(&typed) {
        Some(code) => see_other(&format!("/s/{code}"), None),
        None => {
            let mut back = String::from("/?error=malformed&code=");
            back.extend(
                typed
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .take(16),
            );
            see_other(&back, None)
        }
    }
}

/// `POST /respond/{code}/{page}`: stores the page, then goes on, back, or shows the problems.
pub async fn save_page(
    State(service): State<Respondents>,
    Path((code, page)): Path<(String, u32)>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let lang = lang_of(&headers);
    let token = cookie_value(&headers, &draft_cookie(&code));
    match service
        .save_answers(&code, page, fields, token, lang, false)
        .await
    {
        Ok(saved) => see_other(&saved.target, saved.set_cookie),
        Err(e) => {
            let AppError::Internal { request_id } = internal(&e) else {
                unreachable!("internal() is Internal")
            };
            (StatusCode::INTERNAL_SERVER_ERROR, format!("Внутренняя ошибка сервера (код {request_id}). Ваши ответы на прошлых страницах сохранены; попробуйте ещё раз.")).into_response()
        }
    }
}

impl Respondents {
    /// Stores one page of answers: the draft token comes from the form (`_draft`) or the
    /// cookie, `_go=back` goes back without checking, refused answers are kept with their
    /// problems, and the last page stores the whole response once.
    pub async fn save_answers(
        &self,
        code: &str,
        page: u32,
        fields: Vec<(String, String)>,
        cookie_token: Option<String>,
        lang: Lang,
        want_next: bool,
    ) -> Result<SaveOutcome, ServerError> {
        let m: &Methodology = &self.methodology;
        let opened = match self.open(code).await? {
            Ok(o) => o,
            Err(_) => {
                return Ok(SaveOutcome {
                    target: format!("/s/{code}"),
                    set_cookie: None,
                    next: None,
                })
            }
        };
        let code = opened.info.code.clone();
        let cookie_name = draft_cookie(&code);
        let form_token = fields
            .iter()
            .find(|(k, _)| k == "_draft")
            .map(|(_, v)| v.clone());
        let go_back = fields.iter().any(|(k, v)| k == "_go" && v == "back");
        let token = form_token.filter(|t| !t.is_empty()).or(cookie_token);
        let existing = self.draft(&opened, token.clone()).await?;
        if existing.as_ref().is_some_and(|d| d.submitted) {
            return Ok(SaveOutcome {
                target: format!("/s/{code}/thanks"),
                set_cookie: None,
                next: None,
            });
        }
        let instrument = opened.instrument;
        let pages = instrument.sections.len() as u32;
        let page = page.clamp(1, pages.max(1));
        let section = (page - 1) as usize;

        let before = raw_of(existing.as_ref());
        let mut raw = before.clone();
        surveys::replace_page(instrument, &mut raw, section, fields);
        let (_, errors) = Answers::parse_page_over(m, instrument, &before, &raw, section);

        let token = match existing.as_ref() {
            Some(d) => d.token.clone(),
            None => token
                .filter(|t| !opened.info.personal && t.len() == 32)
                .unwrap_or_else(|| Respondents::new_token(&opened)),
        };
        let submission_key = existing
            .as_ref()
            .map_or_else(random_token, |d| d.submission_key.clone());
        let today = (self.today)();
        let mut draft = DraftRow {
            token: token.clone(),
            code: code.clone(),
            answers: serde_json::to_string(&raw)
                .map_err(|e| ServerError::Inconsistent(e.to_string()))?,
            problems: "{}".into(),
            page: i64::from(page),
            submission_key: submission_key.clone(),
            submitted: false,
        };
        let problems = |errors: &[surveys::FieldError]| -> String {
            let map: BTreeMap<&str, String> = errors
                .iter()
                .map(|e| (e.key.as_str(), e.message(lang.code())))
                .collect();
            serde_json::to_string(&map).unwrap_or_else(|_| "{}".into())
        };

        let target = if go_back {
            draft.page = i64::from(page.saturating_sub(1).max(1));
            format!("/s/{code}/p/{}", draft.page)
        } else if !errors.is_empty() {
            draft.problems = problems(&errors);
            format!("/s/{code}/p/{page}#errors")
        } else if page < pages {
            draft.page = i64::from(page + 1);
            format!("/s/{code}/p/{}", page + 1)
        } else {
            // The last page: the whole form must be complete before it is stored as a response.
            match Answers::parse(m, instrument, &raw) {
                Err(all) => {
                    let first = all
                        .iter()
                        .filter_map(|e| instrument.slot(&e.key))
                        .map(|s| instrument.slots[s].section)
                        .min()
                        .unwrap_or(0);
                    let on_page: Vec<_> = all
                        .into_iter()
                        .filter(|e| {
                            instrument
                                .slot(&e.key)
                                .is_some_and(|s| instrument.slots[s].section == first)
                        })
                        .collect();
                    draft.problems = problems(&on_page);
                    draft.page = first as i64 + 1;
                    format!("/s/{code}/p/{}#errors", first + 1)
                }
                Ok(answers) => {
                    let stored = serde_json::to_string(&answers.to_raw(m, instrument))
                        .map_err(|e| ServerError::Inconsistent(e.to_string()))?;
                    let response = ResponseRow {
                        campaign_id: opened.info.campaign_id,
                        school_id: opened.info.school_id,
                        group: opened.group,
                        instrument_key: instrument.key.clone(),
                        instrument_version: instrument.version,
                        methodology_version: m.version.clone(),
                        answers: stored,
                        submitted_on: today,
                        submission_key: submission_key.clone(),
                    };
                    // Committed (and on SQLite synced) before the answer is sent.
                    let mut done = draft.clone();
                    self.writer
                        .write(DraftWrite::Submit {
                            draft,
                            today: today.to_string(),
                            response,
                        })
                        .await?;
                    done.submitted = true;
                    self.drafts.put(done);
                    return Ok(SaveOutcome {
                        target: format!("/s/{code}/thanks"),
                        // The next person on a shared computer starts afresh.
                        set_cookie: (!opened.info.personal)
                            .then(|| self.cookies.clear(&cookie_name)),
                        next: None,
                    });
                }
            }
        };
        let next = want_next.then(|| {
            self.section_view(
                &opened,
                Some(&draft),
                token.clone(),
                draft.page as u32,
                lang,
            )
        });
        let kept = draft.clone();
        self.writer
            .write(DraftWrite::Save {
                draft,
                today: today.to_string(),
            })
            .await?;
        self.drafts.put(kept);
        // The draft lives until the campaign closes, and the cookie with it.
        let set_cookie = (!opened.info.personal).then(|| {
            let closes: Day = opened.info.closes_on.parse().unwrap_or(today);
            let days = today.days_until(closes) + 1;
            self.cookies
                .set(&cookie_name, &token, days.max(1) * 86_400, true)
        });
        Ok(SaveOutcome {
            target,
            set_cookie,
            next,
        })
    }
}

#[derive(serde::Deserialize)]
pub struct LangQuery {
    back: Option<String>,
}

/// `GET /lang/{ru|en}?back=/path`: remembers the language for a year and returns to the page.
pub async fn set_lang(
    State(cookies): State<CookiePolicy>,
    Path(code): Path<String>,
    Query(q): Query<LangQuery>,
) -> Response {
    let lang = Lang::parse(&code).unwrap_or_default();
    // Only a path of this site: never an open redirect.
    let back = q
        .back
        .filter(|b| b.starts_with('/') && !b.starts_with("//"))
        .unwrap_or_else(|| "/".into());
    // Readable by scripts: the language is no secret.
    see_other(
        &back,
        Some(cookies.set(i18n::LANG_COOKIE, lang.code(), 31_536_000, false)),
    )
}
