//! The owner's plan pages: `GET /plan` (the key form, or the plan opened on this device),
//! `POST /plan` (a key typed), the activities (`/plan/items…`), sharing (`/plan/share`), the
//! comparison with an earlier diagnostic (`/plan/compare`) and closing the plan on the device
//! (`/plan/leave`). The key travels only in a form's body and an HttpOnly cookie, never in an
//! address. A wrong key answers `?key=wrong`, which the throttle on guessing counts.

use app::development::{PlanNotice, PlanPage, Reader};
use app::i18n::Lang;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::header::CACHE_CONTROL;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use leptos::prelude::LeptosOptions;
use serde::Deserialize;
use validator::Validate;

use super::{Development, Opened, BEFORE_COOKIE, PLAN_COOKIE, PLAN_COOKIE_SECONDS};
use crate::config::TrustedProxies;
use crate::cookies;
use crate::error::ServerError;
use crate::problem::{At, Kind, Refused};
use crate::reply::{page, see_other};

#[derive(Deserialize, Validate)]
pub struct PlanQuery {
    #[validate(length(max = 20))]
    key: Option<String>,
    #[validate(length(max = 20))]
    done: Option<String>,
}

#[derive(Deserialize, Validate)]
pub struct KeyForm {
    #[validate(length(max = 40))]
    key: String,
}

#[derive(Deserialize, Validate)]
pub struct AddForm {
    #[serde(default)]
    #[validate(length(max = 40))]
    pub activity: Option<String>,
    #[serde(default)]
    #[validate(length(max = 300))]
    pub title: String,
    #[serde(default)]
    #[validate(length(max = 10))]
    pub starts_on: String,
    #[serde(default)]
    #[validate(length(max = 10))]
    pub due_on: String,
}

#[derive(Deserialize, Validate)]
pub struct ItemForm {
    #[serde(default)]
    #[validate(length(max = 10))]
    pub starts_on: String,
    #[serde(default)]
    #[validate(length(max = 10))]
    pub due_on: String,
    #[validate(length(max = 20))]
    pub status: String,
    #[serde(default)]
    #[validate(length(max = 2000))]
    pub evidence: String,
}

#[derive(Deserialize, Validate)]
pub struct ShareForm {
    #[validate(length(max = 20))]
    reader: String,
    #[validate(length(max = 3))]
    share: String,
    #[serde(default)]
    #[validate(length(max = 120))]
    signed: String,
}

#[derive(Deserialize, Validate)]
pub struct CompareForm {
    #[serde(default)]
    #[validate(length(max = 40))]
    key: String,
    #[serde(default)]
    #[validate(length(max = 1))]
    clear: String,
}

/// The plan a device keeps open, if its cookie still opens one.
async fn kept(dev: &Development, headers: &HeaderMap) -> Result<Option<Opened>, ServerError> {
    match cookies::read(headers, PLAN_COOKIE).filter(|k| !k.is_empty()) {
        Some(key) => dev.open(&key).await,
        None => Ok(None),
    }
}

/// A plan page: private to its owner, never kept by a cache.
fn private(html: String, status: StatusCode, set_cookie: Option<String>) -> Response {
    let mut response = page(html, set_cookie);
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The owner's plan page (`problems` from a refused form, with 422).
async fn plan_page(
    dev: &Development,
    options: &LeptosOptions,
    headers: &HeaderMap,
    plan: &Opened,
    notice: Option<PlanNotice>,
    problems: Vec<String>,
    status: StatusCode,
) -> Result<Response, ServerError> {
    let lang = cookies::lang(headers);
    let before = match cookies::read(headers, BEFORE_COOKIE).filter(|k| !k.is_empty()) {
        Some(key) => dev
            .open(&key)
            .await?
            .filter(|b| b.row.key_hash != plan.row.key_hash && b.row.kind == plan.row.kind),
        None => None,
    };
    let view = dev
        .view(plan, before.as_ref(), notice, problems, lang)
        .await?;
    Ok(private(
        app::pages::respond::plan_document(options, lang, view),
        status,
        None,
    ))
}

/// `GET /plan`.
pub async fn show(
    State(dev): State<Development>,
    State(options): State<LeptosOptions>,
    headers: HeaderMap,
    Query(q): Query<PlanQuery>,
) -> Result<Response, ServerError> {
    let lang = cookies::lang(&headers);
    let q = if q.validate().is_ok() {
        q
    } else {
        PlanQuery {
            key: None,
            done: None,
        }
    };
    if let Some(plan) = kept(&dev, &headers).await? {
        let notice = q.done.as_deref().and_then(PlanNotice::parse);
        // A wrong key here is an earlier diagnostic's, typed to compare.
        let problems = if q.key.as_deref() == Some("wrong") {
            vec![lang
                .tr(
                    "Ключ прошлого результата не подходит: проверьте, как он записан, и что это другая диагностика того же вида.",
                    "The earlier result's key does not fit: check how it was written down, and that it is another diagnostic of the same kind.",
                )
                .to_owned()]
        } else {
            Vec::new()
        };
        return plan_page(
            &dev,
            &options,
            &headers,
            &plan,
            notice,
            problems,
            StatusCode::OK,
        )
        .await;
    }
    let wrong = q.key.as_deref() == Some("wrong");
    Ok(private(
        app::pages::respond::plan_document(&options, lang, PlanPage::Key { wrong }),
        StatusCode::OK,
        // A cookie that opens nothing any more goes.
        cookies::read(&headers, PLAN_COOKIE).map(|_| dev.cookies.clear(PLAN_COOKIE)),
    ))
}

/// `POST /plan`: a typed key opens its plan on this device.
pub async fn open(
    State(dev): State<Development>,
    Form(form): Form<KeyForm>,
) -> Result<Response, ServerError> {
    form.validate().map_err(Refused::from)?;
    Ok(match dev.open(&form.key).await? {
        Some(_) => {
            let key = crate::access_code::normalize_key(&form.key).unwrap_or_default();
            see_other(
                "/plan",
                Some(
                    dev.cookies
                        .set(PLAN_COOKIE, &key, PLAN_COOKIE_SECONDS, true),
                ),
            )
        }
        None => see_other("/plan?key=wrong", None),
    })
}

/// Runs a change of the device's plan: back to the plan with `done`, or the plan again with the
/// form's problems; without a plan open, to the key form.
async fn change<F, Fut>(
    dev: &Development,
    options: &LeptosOptions,
    headers: &HeaderMap,
    done: PlanNotice,
    run: F,
) -> Result<Response, ServerError>
where
    F: FnOnce(Opened) -> Fut,
    Fut: std::future::Future<Output = Result<Opened, ServerError>>,
{
    let Some(plan) = kept(dev, headers).await? else {
        return Ok(see_other("/plan", None));
    };
    let hash = plan.row.key_hash.clone();
    match run(plan).await {
        Ok(_) => Ok(see_other(&format!("/plan?done={}", done.key()), None)),
        Err(ServerError::Refused(refused)) => {
            let lang: Lang = cookies::lang(headers);
            let problems = refused.0.iter().map(|p| p.words(lang)).collect();
            let Some(plan) = dev.by_hash(&hash).await? else {
                return Ok(see_other("/plan", None));
            };
            plan_page(
                dev,
                options,
                headers,
                &plan,
                None,
                problems,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e),
    }
}

/// `POST /plan/items`: a catalogue activity or the owner's own.
pub async fn add(
    State(dev): State<Development>,
    State(options): State<LeptosOptions>,
    headers: HeaderMap,
    Form(form): Form<AddForm>,
) -> Result<Response, ServerError> {
    change(&dev, &options, &headers, PlanNotice::Added, |plan| async {
        form.validate().map_err(Refused::from)?;
        dev.add(&plan, &form).await?;
        Ok(plan)
    })
    .await
}

/// `POST /plan/items/{item}`: an activity's dates, mark and evidence.
pub async fn save(
    State(dev): State<Development>,
    State(options): State<LeptosOptions>,
    headers: HeaderMap,
    Path(item): Path<i64>,
    Form(form): Form<ItemForm>,
) -> Result<Response, ServerError> {
    change(&dev, &options, &headers, PlanNotice::Saved, |plan| async {
        form.validate().map_err(Refused::from)?;
        dev.save(&plan, item, &form).await?;
        Ok(plan)
    })
    .await
}

/// `POST /plan/items/{item}/remove`.
pub async fn remove(
    State(dev): State<Development>,
    State(options): State<LeptosOptions>,
    headers: HeaderMap,
    Path(item): Path<i64>,
) -> Result<Response, ServerError> {
    change(
        &dev,
        &options,
        &headers,
        PlanNotice::Removed,
        |plan| async {
            if !dev
                .storage
                .remove_plan_item(&plan.row.key_hash, item)
                .await?
            {
                return Err(ServerError::NotFound);
            }
            Ok(plan)
        },
    )
    .await
}

/// `POST /plan/share`: shows the plan to a reader, or stops showing it; written to the audit
/// log (no account: the owner is anonymous; the line names the reader and the school's id).
pub async fn share(
    State(dev): State<Development>,
    State(options): State<LeptosOptions>,
    State(proxies): State<TrustedProxies>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<ShareForm>,
) -> Result<Response, ServerError> {
    let on = form.share == "on";
    let done = if on {
        PlanNotice::Shared
    } else {
        PlanNotice::Withdrawn
    };
    let address = crate::reply::client_address(peer.ip(), &headers, &proxies.0);
    change(&dev, &options, &headers, done, |plan| async {
        form.validate().map_err(Refused::from)?;
        let Some(reader) = Reader::parse(form.reader.trim()) else {
            return Err(Refused::one(At::Field("reader"), Kind::Invalid).into());
        };
        if !matches!(form.share.as_str(), "on" | "off") {
            return Err(Refused::one(At::Field("share"), Kind::Invalid).into());
        }
        let line = crate::storage::AuditRow {
            id: 0,
            at: crate::clock::now(),
            user_id: None,
            login: "—".into(),
            action: if on { "plan_shared" } else { "plan_withdrawn" }.into(),
            path: format!(
                "/plan/share ({}, school {})",
                reader.key(),
                plan.row.school_id
            ),
            address: address.to_string(),
        };
        let today = (dev.today)();
        let signed = form.signed.trim().to_owned();
        dev.storage
            .set_plan_share(
                &plan.row.key_hash,
                reader.key(),
                on.then_some((signed.as_str(), today)),
                &line,
            )
            .await?;
        Ok(plan)
    })
    .await
}

/// `POST /plan/compare`: an earlier diagnostic's key (kept in a cookie while its comparison is
/// shown), or `clear` to hide it.
pub async fn compare(
    State(dev): State<Development>,
    headers: HeaderMap,
    Form(form): Form<CompareForm>,
) -> Result<Response, ServerError> {
    form.validate().map_err(Refused::from)?;
    let Some(plan) = kept(&dev, &headers).await? else {
        return Ok(see_other("/plan", None));
    };
    if !form.clear.is_empty() {
        return Ok(see_other("/plan", Some(dev.cookies.clear(BEFORE_COOKIE))));
    }
    Ok(match dev.open(&form.key).await? {
        Some(before)
            if before.row.key_hash != plan.row.key_hash && before.row.kind == plan.row.kind =>
        {
            let key = crate::access_code::normalize_key(&form.key).unwrap_or_default();
            see_other(
                "/plan",
                Some(
                    dev.cookies
                        .set(BEFORE_COOKIE, &key, PLAN_COOKIE_SECONDS, true),
                ),
            )
        }
        _ => see_other("/plan?key=wrong", None),
    })
}

/// `POST /plan/leave`: the plan is closed on this device (both keys forgotten).
pub async fn leave(State(dev): State<Development>) -> Response {
    let mut response = see_other("/plan", Some(dev.cookies.clear(PLAN_COOKIE)));
    if let Ok(v) = HeaderValue::from_str(&dev.cookies.clear(BEFORE_COOKIE)) {
        response
            .headers_mut()
            .append(axum::http::header::SET_COOKIE, v);
    }
    response.into_response()
}
