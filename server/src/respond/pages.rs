//! The respondent's pages — start, a question page, thank-you — rendered whole by the server
//! (`app::pages::respond::document`) without the app's router: what they show comes from the
//! code, the draft cookie and the language cookie.

use app::pages::respond::{document, RespondentPage};
use app::respond::{draft_cookie, result_cookie, Page};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use leptos::config::LeptosOptions;
use validator::Validate;

use super::Respondents;
use crate::access_code;
use crate::cookies;
use crate::error::ServerError;
use crate::problem::Refused;
use crate::reply;

/// The addresses of the respondent's pages, which the app's router leaves to these handlers.
pub const PATHS: [&str; 3] = ["/s/{code}", "/s/{code}/p/{page}", "/s/{code}/thanks"];

/// `GET /s/{code}`: what the questionnaire is, and where to start or continue.
pub async fn start_page(
    State(service): State<Respondents>,
    State(options): State<LeptosOptions>,
    Path(code): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, ServerError> {
    let lang = cookies::lang(&headers);
    let token = cookies::read(&headers, &draft_cookie(&code));
    let outcome = service.start(&code, token, lang).await?;
    let page = RespondentPage::Start(Page { lang, outcome });
    Ok(reply::page(document(&options, uri.path(), page), None))
}

/// `GET /s/{code}/p/{page}`: a page of questions with the answers given so far (a page number
/// out of range shows the nearest page).
pub async fn section_page(
    State(service): State<Respondents>,
    State(options): State<LeptosOptions>,
    Path((code, page)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, ServerError> {
    let lang = cookies::lang(&headers);
    let token = cookies::read(&headers, &draft_cookie(&code));
    let page = page.parse().unwrap_or(1);
    let html = service
        .section_document(&options, uri.path(), &code, token, page, lang, None)
        .await?;
    Ok(reply::page(html, None))
}

impl Respondents {
    /// A question page as the document sent for `path`; `written`, the draft just saved by
    /// this request, spares reading it back.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn section_document(
        &self,
        options: &LeptosOptions,
        path: &str,
        code: &str,
        token: Option<String>,
        page: u32,
        lang: app::i18n::Lang,
        written: Option<crate::storage::DraftRow>,
    ) -> Result<String, ServerError> {
        let outcome = self.section(code, token, page, lang, written).await?;
        let page = RespondentPage::Section(Page { lang, outcome });
        Ok(document(options, path, page))
    }
}

#[derive(serde::Deserialize, Validate)]
pub struct ThanksQuery {
    #[validate(length(max = 16))]
    key: Option<String>,
}

/// `GET /s/{code}/thanks`: the questionnaire was sent; a diagnostic's report when its result key
/// came with the request (from the submit, once, or typed on this page).
pub async fn thanks_page(
    State(service): State<Respondents>,
    State(options): State<LeptosOptions>,
    Path(code): Path<String>,
    Query(q): Query<ThanksQuery>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, ServerError> {
    q.validate().map_err(Refused::from)?;
    let lang = cookies::lang(&headers);
    let token = cookies::read(&headers, &draft_cookie(&code));
    let key_cookie = result_cookie(&code);
    let key = cookies::read(&headers, &key_cookie);
    // The key is shown once: its cookie goes with this page.
    let clear = key.is_some().then(|| service.cookies.clear(&key_cookie));
    let outcome = match service.thanks(&code, token, key, lang).await? {
        Ok(Some(view)) => Ok(view),
        Ok(None) => {
            let code = access_code::normalize(&code).unwrap_or_default();
            return Ok(reply::see_other(&format!("/s/{code}"), None));
        }
        Err(problem) => Err(problem),
    };
    let wrong_key = q.key.as_deref() == Some("wrong");
    let page = RespondentPage::Thanks(Page { lang, outcome }, wrong_key);
    Ok(reply::page(document(&options, uri.path(), page), clear))
}
