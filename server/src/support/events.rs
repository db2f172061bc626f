//! Regional and municipal events: seminars, webinars, courses, conferences. The organiser (a
//! regional coordinator for the region, a municipal one for its municipality) invites schools —
//! the event's target cohort or the schools whose programmes chose one of its risk factors, or
//! by school code — and adds materials; each invited school registers how many of each role come
//! (no names), and the organiser records attendance after the event.
//!
//! The feedback: when the organiser opens it, each attending school gets as many single-use
//! codes as it had participants, to hand out; a participant answers the questionnaire of
//! `feedback.toml` with a code, and only the sums are kept. The organiser sees the results once
//! the feedback is closed (no two readings to subtract) and only with the methodology's minimum
//! of answers; the schools, who hold the codes, never see the results.

use std::collections::HashMap;

use app::access::{Role, Viewer};
use app::i18n::Lang;
use app::pages::respond::{feedback_document, FeedbackPage};
use app::results::Cohort;
use app::support::{EventFormat, NoticeKind};
use axum::extract::{Multipart, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::{Extension, Form};
use leptos::config::LeptosOptions;
use surveys::feedback::FeedbackSums;
use surveys::{Answers, RawAnswers, RawValue};
use validator::Validate;

use super::{count, day, optional_text, organises, text, Reach, Support};
use crate::error::ServerError;
use crate::notify::Audience;
use crate::problem::{At, Kind, Refused};
use crate::reply::{page, refusal_back, see_other};
use crate::storage::{EventFields, EventRow, EventSchoolRow};
use crate::uploads;

pub const EVENTS_PAGE: &str = "/work/events";

pub fn event_page(id: i64) -> String {
    format!("/work/events/{id}")
}

/// Whether the viewer sees an event: its organisers' side (the region's coordinators, the
/// municipality's for its own events and the region's), and curators and schools of invited
/// schools.
pub fn sees(viewer: &Viewer, reach: &Reach, event: &EventRow, invited: &[EventSchoolRow]) -> bool {
    match viewer.role {
        Role::Admin => true,
        Role::Regional => reach.regions.contains(&event.region_id),
        Role::Municipal => match event.municipality_id {
            None => reach.regions.contains(&event.region_id),
            Some(m) => reach.municipalities.contains(&m),
        },
        Role::Curator | Role::School => invited
            .iter()
            .any(|s| reach.schools.contains_key(&s.school_id)),
        Role::Methodist | Role::MunicipalMethodist => false,
    }
}

impl Support {
    /// An event the viewer sees, with its schools.
    pub async fn seen_event(
        &self,
        viewer: &Viewer,
        id: i64,
    ) -> Result<(EventRow, Vec<EventSchoolRow>, Reach), ServerError> {
        let event = self.storage.event(id).await?.ok_or(ServerError::NotFound)?;
        let schools = self.storage.event_schools(id).await?;
        let reach = self.reach(viewer).await?;
        if !sees(viewer, &reach, &event, &schools) {
            return Err(ServerError::NotFound);
        }
        Ok((event, schools, reach))
    }

    /// An event the viewer organises.
    async fn organised(
        &self,
        viewer: &Viewer,
        id: i64,
    ) -> Result<(EventRow, Vec<EventSchoolRow>, Reach), ServerError> {
        let (event, schools, reach) = self.seen_event(viewer, id).await?;
        if !organises(viewer, event.region_id, event.municipality_id) {
            return Err(Refused::one(At::Whole, Kind::SupportStep).into());
        }
        Ok((event, schools, reach))
    }
}

/// An event as its form gives it.
#[derive(serde::Deserialize, Validate)]
pub struct EventForm {
    /// `region:ID` or `municipality:ID`.
    #[validate(length(max = 40))]
    organiser: String,
    #[validate(length(max = 300))]
    title: String,
    #[validate(length(max = 20))]
    format: String,
    #[validate(length(max = 10))]
    starts_on: String,
    #[validate(length(max = 10))]
    ends_on: String,
    #[serde(default)]
    #[validate(length(max = 4000))]
    description: String,
    #[serde(default)]
    #[validate(length(max = 40))]
    cohort: String,
    #[serde(default)]
    #[validate(length(max = 200))]
    factors: String,
}

/// `POST /work/events/create`: a regional or municipal coordinator announces an event.
pub async fn create(
    State(support): State<Support>,
    Extension(viewer): Extension<Viewer>,
    headers: HeaderMap,
    Form(form): Form<EventForm>,
) -> Result<Response, ServerError> {
    let created = async {
        form.validate().map_err(Refused::from)?;
        let reach = support.reach(&viewer).await?;
        let (region, municipality) = super::place(&form.organiser, &reach, "organiser")?;
        if !organises(&viewer, region, municipality) {
            return Err(Refused::one(At::Field("organiser"), Kind::RegionOutOfScope).into());
        }
        let starts_on = day(&form.starts_on, "starts_on")?;
        let ends_on = day(&form.ends_on, "ends_on")?;
        if ends_on < starts_on {
            return Err(Refused::one(At::Field("ends_on"), Kind::DateRange).into());
        }
        let cohort = optional_text(&form.cohort, "cohort", 40)?;
        if !cohort.is_empty() && Cohort::parse(&cohort).is_none() {
            return Err(Refused::one(At::Field("cohort"), Kind::Invalid).into());
        }
        let factors = factor_list(&support, &form.factors)?;
        let fields = EventFields {
            region_id: region,
            municipality_id: municipality,
            title: text(&form.title, "title", 300)?,
            format: EventFormat::parse(&form.format)
                .ok_or_else(|| Refused::one(At::Field("format"), Kind::Invalid))?,
            starts_on,
            ends_on,
            description: optional_text(&form.description, "description", 4000)?,
            cohort,
            factors,
        };
        let change = Support::change(&viewer, "event", 0, None, "created", "");
        let id = support.storage.create_event(&fields, change).await?;
        Ok(see_other(&event_page(id), None))
    };
    refusal_back(EVENTS_PAGE, &headers, 3, created.await)
}

/// Factor codes typed or chosen, checked against the methodology, as `RF01,RF07`.
fn factor_list(support: &Support, text: &str) -> Result<String, Refused> {
    let known = &support.gate.methodology().factors;
    let mut codes = Vec::new();
    for code in text
        .split([',', ' ', ';'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        let code = code.to_uppercase();
        if !known.iter().any(|f| f.code.0 == code) {
            return Err(Refused::one(At::Field("factors"), Kind::OneOf(code)));
        }
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    Ok(codes.join(","))
}

/// Whom to invite.
#[derive(serde::Deserialize, Validate)]
pub struct InviteForm {
    /// `targets` (the event's cohort and factors) or `codes`.
    #[validate(length(max = 10))]
    by: String,
    #[serde(default)]
    #[validate(length(max = 20000))]
    codes: String,
}

/// `POST /work/events/{id}/invite`: the organiser invites its target schools, or schools by
/// their registry codes; each school invited is told.
pub async fn invite(
    State(support): State<Support>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(form): Form<InviteForm>,
) -> Result<Response, ServerError> {
    let back = event_page(id);
    let invited = async {
        form.validate().map_err(Refused::from)?;
        let (event, _, reach) = support.organised(&viewer, id).await?;
        // The organiser's own schools: the region's, or the municipality's.
        let own: Vec<&crate::storage::PlacedSchool> = reach
            .sorted()
            .into_iter()
            .filter(|s| {
                s.region_id == event.region_id
                    && event.municipality_id.is_none_or(|m| m == s.municipality_id)
            })
            .collect();
        let chosen: Vec<i64> = match form.by.as_str() {
            "targets" => {
                let cohort = match Cohort::parse(&event.cohort) {
                    Some(c) => Some(support.storage.cohort_members(c.key()).await?),
                    None => None,
                };
                let factors: Vec<&str> =
                    event.factors.split(',').filter(|f| !f.is_empty()).collect();
                let by_factor = support.storage.schools_choosing(&factors).await?;
                if cohort.is_none() && factors.is_empty() {
                    return Err(Refused::one(At::Field("by"), Kind::Empty).into());
                }
                own.iter()
                    .filter(|s| {
                        cohort.as_ref().is_some_and(|c| c.contains(&s.id))
                            || by_factor.contains(&s.id)
                    })
                    .map(|s| s.id)
                    .collect()
            }
            "codes" => {
                let ids: Vec<i64> = super::schools_by_code(&form.codes, &own, "codes")?
                    .iter()
                    .map(|s| s.id)
                    .collect();
                if ids.is_empty() {
                    return Err(Refused::one(At::Field("codes"), Kind::Empty).into());
                }
                ids
            }
            _ => return Err(Refused::one(At::Field("by"), Kind::Invalid).into()),
        };
        let change = Support::change(&viewer, "event", id, None, "invited", "");
        let added = support.storage.invite(id, &chosen, change).await?;
        for school in added {
            support
                .notifier
                .school_quietly(
                    school,
                    Audience::School,
                    NoticeKind::EventInvitation,
                    &format!("event:{id}:invitation"),
                    &format!("{} ({})", event.title, event.starts_on),
                    &back,
                )
                .await;
        }
        Ok(see_other(&back, None))
    };
    refusal_back(&back, &headers, 3, invited.await)
}

/// How many of each role a school registers.
#[derive(serde::Deserialize, Validate)]
pub struct RegisterForm {
    #[serde(default)]
    #[validate(length(max = 4))]
    principals: String,
    #[serde(default)]
    #[validate(length(max = 4))]
    deputies: String,
    #[serde(default)]
    #[validate(length(max = 4))]
    teachers: String,
    #[serde(default)]
    #[validate(length(max = 4))]
    others: String,
}

/// `POST /work/events/{id}/register`: an invited school says how many of each role come (all
/// zero: nobody comes).
pub async fn register(
    State(support): State<Support>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(form): Form<RegisterForm>,
) -> Result<Response, ServerError> {
    let back = event_page(id);
    let registered = async {
        form.validate().map_err(Refused::from)?;
        let (event, schools, reach) = support.seen_event(&viewer, id).await?;
        let school = reach
            .own_school(&viewer)
            .filter(|s| schools.iter().any(|e| e.school_id == s.id))
            .ok_or_else(|| Refused::one(At::Whole, Kind::SupportStep))?;
        if event.feedback_open || event.feedback_closed {
            return Err(Refused::one(At::Whole, Kind::SupportStep).into());
        }
        let counts = [
            count(&form.principals, "principals")?,
            count(&form.deputies, "deputies")?,
            count(&form.teachers, "teachers")?,
            count(&form.others, "others")?,
        ];
        let detail = counts.iter().sum::<i64>().to_string();
        let change = Support::change(&viewer, "event", id, Some(school.id), "registered", &detail);
        support
            .storage
            .register(id, school.id, counts, change)
            .await?;
        Ok(see_other(&back, None))
    };
    refusal_back(&back, &headers, 2, registered.await)
}

/// `POST /work/events/{id}/attendance`: the organiser records how many came from each school
/// (fields `school-ID`).
pub async fn attendance(
    State(support): State<Support>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, ServerError> {
    let back = event_page(id);
    let recorded = async {
        if form.len() > 5_000 {
            return Err(Refused::one(At::Whole, Kind::Incomplete).into());
        }
        let (_, schools, _) = support.organised(&viewer, id).await?;
        let mut attended = Vec::new();
        for s in &schools {
            if let Some(value) = form.get(&format!("school-{}", s.school_id)) {
                if value.trim().is_empty() {
                    continue;
                }
                attended.push((s.school_id, count(value, "attended")?));
            }
        }
        let change = Support::change(&viewer, "event", id, None, "attended", "");
        support
            .storage
            .record_attendance(id, &attended, change)
            .await?;
        Ok(see_other(&back, None))
    };
    refusal_back(&back, &headers, 2, recorded.await)
}

/// `POST /work/events/{id}/materials` (multipart `file`): the organiser adds a material.
pub async fn materials(
    State(support): State<Support>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<Response, ServerError> {
    let back = event_page(id);
    let added = async {
        let (event, _, _) = support.organised(&viewer, id).await?;
        let form = uploads::read(&mut multipart, true).await?;
        support
            .attach(
                &viewer,
                form.file,
                ("event", id),
                ("event", id),
                None,
                event.region_id,
            )
            .await?;
        Ok(see_other(&back, None))
    };
    refusal_back(&back, &headers, 1, added.await)
}

/// Opening or closing the feedback.
#[derive(serde::Deserialize, Validate)]
pub struct FeedbackStep {
    #[validate(length(max = 10))]
    step: String,
}

/// `POST /work/events/{id}/feedback`: the organiser opens the feedback (each attending school
/// gets its codes: as many as attended, or as registered when attendance is not recorded) or
/// closes it for good.
pub async fn feedback_step(
    State(support): State<Support>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(form): Form<FeedbackStep>,
) -> Result<Response, ServerError> {
    let back = event_page(id);
    let stepped = async {
        form.validate().map_err(Refused::from)?;
        let (event, schools, _) = support.organised(&viewer, id).await?;
        if support.gate.methodology().feedback.is_none() || event.feedback_closed {
            return Err(Refused::one(At::Whole, Kind::SupportStep).into());
        }
        match form.step.as_str() {
            "open" => {
                let mut wanted = Vec::new();
                for s in &schools {
                    let people = s.attended.unwrap_or_else(|| s.registered()).clamp(0, 500);
                    let have = support.storage.event_codes(id, s.school_id).await?.len() as i64;
                    wanted.push((s.school_id, people - have));
                }
                let codes = new_codes(&wanted);
                let change = Support::change(&viewer, "event", id, None, "feedback_opened", "");
                support
                    .storage
                    .set_feedback(id, true, &codes, change)
                    .await?;
            }
            "close" if event.feedback_open => {
                let change = Support::change(&viewer, "event", id, None, "feedback_closed", "");
                support.storage.set_feedback(id, false, &[], change).await?;
            }
            _ => return Err(Refused::one(At::Field("step"), Kind::Invalid).into()),
        }
        Ok(see_other(&back, None))
    };
    refusal_back(&back, &headers, 1, stepped.await)
}

/// New single-use feedback codes, `n` for each (school, n): (school, code, its hash).
pub fn new_codes(wanted: &[(i64, i64)]) -> Vec<(i64, String, String)> {
    let mut rng = rand::thread_rng();
    wanted
        .iter()
        .flat_map(|(school, n)| std::iter::repeat_n(*school, (*n).max(0) as usize))
        .map(|school| {
            let code = crate::access_code::generate(&mut rng);
            let hash = crate::secrets::hash(&format!("feedback:{code}"));
            (school, code, hash)
        })
        .collect()
}

/// The stored sums of an event's feedback (JSON; empty: none yet).
pub fn read_sums(stored: &str) -> Result<FeedbackSums, ServerError> {
    if stored.trim().is_empty() {
        return Ok(FeedbackSums::default());
    }
    serde_json::from_str(stored)
        .map_err(|e| ServerError::Inconsistent(format!("feedback sums: {e}")))
}

/// The stored sums with one participant's answers added.
pub fn add_to_sums(
    stored: &str,
    m: &surveys::Methodology,
    instrument: &surveys::Instrument,
    answers: &Answers,
) -> Result<String, ServerError> {
    let mut sums = read_sums(stored)?;
    sums.add(m, instrument, answers);
    serde_json::to_string(&sums)
        .map_err(|e| ServerError::Inconsistent(format!("feedback sums: {e}")))
}

/// The hash a feedback code is kept under.
fn code_hash(typed: &str) -> Option<String> {
    crate::access_code::normalize(typed).map(|c| crate::secrets::hash(&format!("feedback:{c}")))
}

/// The code typed on the feedback start page.
#[derive(serde::Deserialize, Validate)]
pub struct CodeQuery {
    #[serde(default)]
    #[validate(length(max = 20))]
    code: Option<String>,
}

/// `GET /feedback`: the form to type a feedback code (or, with `?code=`, the way to its
/// questionnaire).
pub async fn feedback_start(
    State(options): State<LeptosOptions>,
    headers: HeaderMap,
    Query(query): Query<CodeQuery>,
) -> Response {
    let lang = crate::cookies::lang(&headers);
    if let Some(code) = query.code.as_deref().filter(|_| query.validate().is_ok()) {
        if let Some(c) = crate::access_code::normalize(code) {
            return see_other(&format!("/feedback/{c}"), None);
        }
        return page(
            feedback_document(
                &options,
                "/feedback",
                lang,
                FeedbackPage::Code { wrong: true },
            ),
            None,
        );
    }
    page(
        feedback_document(
            &options,
            "/feedback",
            lang,
            FeedbackPage::Code { wrong: false },
        ),
        None,
    )
}

/// The questionnaire page of a code, with the answers and problems of a refused submission.
async fn form_page(
    support: &Support,
    options: &LeptosOptions,
    code: &str,
    lang: Lang,
    raw: &RawAnswers,
    problems: Vec<String>,
) -> Result<Response, ServerError> {
    let path = format!("/feedback/{code}");
    let wrong = || {
        page(
            feedback_document(
                options,
                "/feedback",
                lang,
                FeedbackPage::Code { wrong: true },
            ),
            None,
        )
    };
    let Some(hash) = code_hash(code) else {
        return Ok(wrong());
    };
    let Some(event_id) = support.storage.feedback_event(&hash).await? else {
        return Ok(wrong());
    };
    let m = support.gate.methodology();
    let Some(instrument) = m.feedback.as_ref() else {
        return Ok(wrong());
    };
    let event = support
        .storage
        .event(event_id)
        .await?
        .ok_or(ServerError::NotFound)?;
    let mut ignored = Vec::new();
    let answers = Answers::parse_known(m, instrument, raw, &mut ignored, |_| false);
    let items = (0..instrument.sections.len())
        .flat_map(|s| {
            app::respond::item_views(m, instrument, &answers, s, raw, &Default::default(), lang)
        })
        .collect();
    let view = FeedbackPage::Form {
        code: code.to_owned(),
        event: format!("{} · {}", event.title, event.starts_on),
        title: instrument.title.get(lang.code()).to_owned(),
        intro: instrument
            .intro
            .as_ref()
            .map(|i| i.get(lang.code()).to_owned()),
        items,
        problems,
    };
    Ok(page(feedback_document(options, &path, lang, view), None))
}

/// `GET /feedback/{code}`: the feedback questionnaire of an open event's code.
pub async fn feedback_form(
    State(support): State<Support>,
    State(options): State<LeptosOptions>,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Result<Response, ServerError> {
    let lang = crate::cookies::lang(&headers);
    form_page(
        &support,
        &options,
        &code,
        lang,
        &RawAnswers::new(),
        Vec::new(),
    )
    .await
}

/// `POST /feedback/{code}`: one participant's answers, added to the event's sums while the code
/// is spent in the same transaction (a second submit of the code counts nothing).
pub async fn feedback_submit(
    State(support): State<Support>,
    State(options): State<LeptosOptions>,
    headers: HeaderMap,
    Path(code): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, ServerError> {
    let lang = crate::cookies::lang(&headers);
    let m = support.gate.methodology_arc();
    let Some(instrument) = m.feedback.as_ref() else {
        return Err(ServerError::NotFound);
    };
    let mut raw = RawAnswers::new();
    for (k, v) in form.into_iter().take(200) {
        if k.len() <= 100 && v.len() <= 100 {
            raw.insert(k, RawValue::One(v));
        }
    }
    let answers = match Answers::parse(&*m, instrument, &raw) {
        Ok(a) => a,
        Err(errors) => {
            let problems = errors
                .iter()
                .map(|e| {
                    let label = instrument
                        .slot(&e.key)
                        .map_or_else(|| e.key.clone(), |s| instrument.slot_label(s, lang.code()));
                    format!("{label}: {}", lang.tr("выберите ответ", "choose an answer"))
                })
                .collect();
            return form_page(&support, &options, &code, lang, &raw, problems).await;
        }
    };
    let Some(hash) = code_hash(&code) else {
        return Ok(page(
            feedback_document(
                &options,
                "/feedback",
                lang,
                FeedbackPage::Code { wrong: true },
            ),
            None,
        ));
    };
    let counted = support
        .storage
        .add_feedback(&hash, |stored| {
            add_to_sums(stored, &m, instrument, &answers)
        })
        .await?;
    let view = if counted {
        FeedbackPage::Thanks
    } else {
        FeedbackPage::Code { wrong: true }
    };
    Ok(page(
        feedback_document(&options, "/feedback", lang, view),
        None,
    ))
}
