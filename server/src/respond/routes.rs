//! The respondent side's plain routes, which work without JavaScript: a code typed on the home
//! page, a page of answers posted (post → store → redirect; a live form takes the next page at
//! once), and the language switch.

use app::i18n::{self, Lang};
use app::respond::draft_cookie;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use leptos::config::LeptosOptions;
use std::net::SocketAddr;

use super::Respondents;
use crate::access_code;
use crate::config::TrustedProxies;
use crate::cookies::{self, CookiePolicy};
use crate::error::{internal, ServerError};
use crate::problem::Refused;
use crate::reply::{self, local, see_other};
use validator::Validate;

#[derive(serde::Deserialize, Validate)]
pub struct EnterQuery {
    #[validate(length(max = 64))]
    code: Option<String>,
}

/// `GET /enter?code=…`: the code typed on the home page, normalized and opened.
pub async fn enter(Query(q): Query<EnterQuery>) -> Result<Response, ServerError> {
    q.validate().map_err(Refused::from)?;
    let typed = q.code.unwrap_or_default();
    match access_code::normalize(&typed) {
        Some(code) => Ok(see_other(&format!("/s/{code}"), None)),
        None => {
            let mut back = String::from("/?error=malformed&code=");
            back.extend(
                typed
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .take(16),
            );
            Ok(see_other(&back, None))
        }
    }
}

/// 429 for an address that began as many drafts as its school could need this hour.
fn too_many_drafts(wait: std::time::Duration, lang: Lang) -> Response {
    let minutes = wait.as_secs().div_ceil(60).max(1);
    let text = match lang {
        Lang::Ru => format!("С этого адреса за час начато больше анкет, чем нужно всей школе. Попробуйте через {minutes} мин."),
        Lang::En => format!("More questionnaires were begun from this address this hour than a whole school needs. Try again in {minutes} min."),
    };
    let mut response = (StatusCode::TOO_MANY_REQUESTS, text).into_response();
    if let Ok(v) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
        response
            .headers_mut()
            .insert(axum::http::header::RETRY_AFTER, v);
    }
    response
}

/// The header of a page posted by its live form, which takes the next question page in the
/// answer itself (one request instead of a post and a redirected get).
const LIVE: &str = "x-orientir-live";
/// The address of the question page a live post answers with.
const PAGE: &str = "x-orientir-page";

/// `POST /respond/{code}/{page}`: stores the page, then goes on, back, or shows the problems:
/// a redirect, or for a live form the question page it would lead to.
pub async fn save_page(
    State(service): State<Respondents>,
    State(options): State<LeptosOptions>,
    State(proxies): State<TrustedProxies>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path((code, page)): Path<(String, u32)>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let lang = cookies::lang(&headers);
    let token = cookies::read(&headers, &draft_cookie(&code));
    let live = headers.contains_key(LIVE);
    if token.is_none() {
        // A page posted without the draft cookie begins a draft: bounded per address and hour.
        let address = reply::client_address(peer.ip(), &headers, &proxies.0);
        match service.may_begin_draft(&code, address).await {
            Ok(Ok(())) => {}
            Ok(Err(wait)) => return too_many_drafts(wait, lang),
            Err(e) => return e.into_response(),
        }
    }
    let shown = async {
        let saved = service
            .save_answers(&code, page, fields, token, lang)
            .await?;
        let Some(next) = saved.next.filter(|_| live) else {
            return Ok(see_other(&saved.target, saved.set_cookie));
        };
        let path = saved.target.split('#').next().unwrap_or_default();
        let html = service
            .section_document(
                &options,
                path,
                &code,
                Some(next.handle),
                next.page,
                lang,
                Some(next.draft),
            )
            .await?;
        let mut response = reply::page(html, saved.set_cookie);
        if let Ok(target) = HeaderValue::from_str(&saved.target) {
            response.headers_mut().insert(PAGE, target);
        }
        Ok::<_, ServerError>(response)
    };
    match shown.await {
        Ok(response) => response,
        // Unlike other failures, a respondent is told that nothing of the earlier pages is lost.
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!(
                "{}. Ваши ответы на прошлых страницах сохранены; попробуйте ещё раз.",
                internal(&e)
            ),
        )
            .into_response(),
    }
}

#[derive(serde::Deserialize, Validate)]
pub struct ResultForm {
    #[serde(default)]
    #[validate(length(max = 64))]
    key: String,
}

/// `POST /respond/{code}/result`: a result key typed on the thank-you page; the report opens
/// when it is this diagnostic's.
pub async fn open_result(
    State(service): State<Respondents>,
    Path(code): Path<String>,
    Form(form): Form<ResultForm>,
) -> Result<Response, ServerError> {
    form.validate().map_err(Refused::from)?;
    let Some(code) = access_code::normalize(&code) else {
        return Ok(see_other("/", None));
    };
    Ok(match service.unlock(&code, &form.key).await? {
        Some(cookie) => see_other(&format!("/s/{code}/thanks"), Some(cookie)),
        None => see_other(&format!("/s/{code}/thanks?key=wrong"), None),
    })
}

#[derive(serde::Deserialize, Validate)]
pub struct LangQuery {
    #[validate(length(max = 2000))]
    back: Option<String>,
}

/// `GET /lang/{ru|en}?back=/path`: remembers the language for a year and returns to the page.
pub async fn set_lang(
    State(cookies): State<CookiePolicy>,
    Path(code): Path<String>,
    Query(q): Query<LangQuery>,
) -> Result<Response, ServerError> {
    q.validate().map_err(Refused::from)?;
    let lang = Lang::parse(&code).unwrap_or_default();
    // Only a path of this site: never an open redirect.
    let back = q.back.as_deref().and_then(local).unwrap_or("/");
    // Readable by scripts: the language is no secret.
    Ok(see_other(
        back,
        Some(cookies.set(i18n::LANG_COOKIE, lang.code(), 31_536_000, false)),
    ))
}
