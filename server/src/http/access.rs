//! Who may use which route: one table of rules, checked by one middleware in front of every
//! route (pages, server functions, exports, plain handlers). A route missing from the table is
//! refused to everyone, and a test walks the table with every role.

use app::access::{Role, Viewer};
use app::i18n::Lang;
use axum::body::{to_bytes, Body};
use axum::extract::{MatchedPath, Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION};
use axum::http::HeaderValue;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

use crate::auth::{Auth, SESSION_COOKIE};
use crate::cookies;
use crate::reply::encode;

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone: respondents, the home page, signing in.
    Public,
    /// Any signed-in account, the methodists' too: its own account and start page.
    Account,
    /// Any coordinator's account (`app::access::COORDINATORS`; each sees only its scope): the
    /// methodists read only the plans shared with them.
    SignedIn,
    /// Only these roles.
    Roles(&'static [Role]),
}

/// The rule of one route pattern (as axum matches it).
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub path: &'static str,
    pub access: Access,
    /// Changes something for a signed-in user: the session's CSRF token must come with it.
    pub csrf: bool,
    /// A sensitive read or change: each use that succeeds is written to the audit log under
    /// this action (`storage::audit`).
    pub audit: Option<&'static str>,
}

impl Rule {
    /// The same rule, its uses written to the audit log as `action`.
    const fn audited(self, action: &'static str) -> Rule {
        Rule {
            audit: Some(action),
            ..self
        }
    }
}

// Who may do what: the role sets of `app::access`, written once and used by the features too.
use app::access::{
    ADMIN, AGREERS, CAMPAIGNERS, CODE_HOLDERS as CODES, COORDINATORS, DECIDERS, METHODISTS,
    ORGANISERS, OVERSEERS, PLANNERS, PROGRAMME_WRITERS, RAW_READERS as RAW, SCHOOL, SUPPORTERS,
    THREAD,
};

const fn rule(path: &'static str, access: Access, csrf: bool) -> Rule {
    Rule {
        path,
        access,
        csrf,
        audit: None,
    }
}

/// Every route of Orientir.
pub const RULES: &[Rule] = &[
    // Public: respondents and the way in.
    rule("/", Access::Public, false),
    rule("/healthz", Access::Public, false),
    // No session reaches it: a monitoring system's bearer token does (`metrics_page`).
    rule("/metrics", Access::Public, false),
    rule("/enter", Access::Public, false),
    rule("/lang/{code}", Access::Public, false),
    rule("/s/{code}", Access::Public, false),
    rule("/s/{code}/p/{page}", Access::Public, false),
    rule("/s/{code}/thanks", Access::Public, false),
    rule("/respond/{code}/{page}", Access::Public, false),
    rule("/respond/{code}/result", Access::Public, false),
    rule("/api/overview", Access::Public, false),
    rule("/api/whoami", Access::Public, false),
    rule("/api/login-token", Access::Public, false),
    rule("/login", Access::Public, false),
    rule("/session", Access::Public, false),
    // Any account.
    rule("/session/end", Access::Account, true),
    rule("/account", Access::Account, false),
    rule("/account/password", Access::Account, true),
    rule("/work", Access::Account, false),
    rule("/api/work-home", Access::Account, false),
    rule("/work/campaigns/{id}/monitor", Access::SignedIn, false),
    rule("/work/campaigns/{id}/matrix", Access::SignedIn, false),
    rule("/work/campaigns/{id}/programmes", Access::SignedIn, false),
    rule("/api/work-programmes", Access::SignedIn, false),
    rule("/work/campaigns/{id}/overview", Access::SignedIn, false),
    rule("/api/work-overview", Access::SignedIn, false),
    rule("/api/work-schools", Access::SignedIn, false),
    rule("/api/work-risks", Access::SignedIn, false),
    rule(
        "/work/campaigns/{id}/schools/{school}",
        Access::SignedIn,
        false,
    ),
    rule("/api/work-monitor", Access::SignedIn, false),
    rule("/work/change", Access::SignedIn, false),
    rule("/work/campaigns/new", Access::Roles(CAMPAIGNERS), false),
    rule("/work/registry", Access::Roles(CAMPAIGNERS), false),
    rule("/work/registry/import", Access::Roles(CAMPAIGNERS), true).audited("registry_import"),
    rule("/work/registry/schools", Access::Roles(CAMPAIGNERS), true).audited("registry_changed"),
    rule("/work/registry/agreement", Access::Roles(CAMPAIGNERS), true),
    rule(
        "/work/registry/template.csv",
        Access::Roles(CAMPAIGNERS),
        false,
    ),
    rule(
        "/work/registry/template.xlsx",
        Access::Roles(CAMPAIGNERS),
        false,
    ),
    rule("/api/work-new-campaign", Access::Roles(CAMPAIGNERS), false),
    rule("/work/campaigns", Access::Roles(CAMPAIGNERS), true),
    rule(
        "/work/campaigns/{id}/publish",
        Access::Roles(CAMPAIGNERS),
        true,
    )
    .audited("publication"),
    rule(
        "/work/campaigns/{id}/schools/{school}/surplus",
        Access::Roles(DECIDERS),
        true,
    ),
    rule(
        "/work/campaigns/{id}/schools/{school}/risks",
        Access::Roles(PROGRAMME_WRITERS),
        true,
    ),
    rule(
        "/work/campaigns/{id}/schools/{school}/risks/drop",
        Access::Roles(PROGRAMME_WRITERS),
        true,
    ),
    rule(
        "/work/campaigns/{id}/schools/{school}/programme",
        Access::SignedIn,
        false,
    ),
    rule("/api/work-programme", Access::SignedIn, false),
    rule("/work/effectiveness", Access::Roles(OVERSEERS), false),
    // Educational results: the region's page and imports, a school's card.
    rule("/work/results", Access::Roles(OVERSEERS), false),
    rule("/api/work-results", Access::Roles(OVERSEERS), false),
    rule("/work/results/import", Access::Roles(CAMPAIGNERS), true).audited("results_import"),
    rule("/work/results/cohorts", Access::Roles(CAMPAIGNERS), true).audited("cohort_changed"),
    rule(
        "/work/results/cohorts/import",
        Access::Roles(CAMPAIGNERS),
        true,
    )
    .audited("cohorts_import"),
    rule(
        "/work/results/template/{file}",
        Access::Roles(CAMPAIGNERS),
        false,
    ),
    rule("/work/results/export.csv", Access::Roles(OVERSEERS), false),
    rule("/work/results/export.xlsx", Access::Roles(OVERSEERS), false),
    rule(
        "/work/results/codebook.csv",
        Access::Roles(OVERSEERS),
        false,
    ),
    rule("/work/schools/{school}", Access::SignedIn, false),
    rule("/api/work-school-card", Access::SignedIn, false),
    rule(
        "/export/campaigns/{id}/schools/{school}/programme.docx",
        Access::SignedIn,
        false,
    ),
    rule(
        "/work/campaigns/{id}/schools/{school}/programme/print",
        Access::SignedIn,
        false,
    ),
    rule("/api/work-effectiveness", Access::Roles(OVERSEERS), false),
    rule(
        "/work/campaigns/{id}/schools/{school}/programme/plan",
        Access::Roles(PROGRAMME_WRITERS),
        true,
    ),
    rule(
        "/work/campaigns/{id}/schools/{school}/programme/measures",
        Access::Roles(PROGRAMME_WRITERS),
        true,
    ),
    rule(
        "/work/campaigns/{id}/schools/{school}/programme/measures/{measure}",
        Access::Roles(PROGRAMME_WRITERS),
        true,
    ),
    rule(
        "/work/campaigns/{id}/schools/{school}/programme/measures/{measure}/remove",
        Access::Roles(PROGRAMME_WRITERS),
        true,
    )
    .audited("deletion"),
    rule(
        "/work/campaigns/{id}/schools/{school}/programme/targets",
        Access::Roles(PROGRAMME_WRITERS),
        true,
    ),
    rule(
        "/work/campaigns/{id}/schools/{school}/programme/targets/{target}/remove",
        Access::Roles(PROGRAMME_WRITERS),
        true,
    )
    .audited("deletion"),
    rule(
        "/work/campaigns/{id}/schools/{school}/programme/result-targets",
        Access::Roles(PROGRAMME_WRITERS),
        true,
    ),
    rule(
        "/work/campaigns/{id}/schools/{school}/programme/result-targets/{target}/remove",
        Access::Roles(PROGRAMME_WRITERS),
        true,
    )
    .audited("deletion"),
    rule(
        "/work/campaigns/{id}/schools/{school}/programme/submit",
        Access::Roles(PROGRAMME_WRITERS),
        true,
    ),
    rule(
        "/work/campaigns/{id}/schools/{school}/programme/reopen",
        Access::Roles(PROGRAMME_WRITERS),
        true,
    ),
    rule(
        "/work/campaigns/{id}/schools/{school}/programme/comment",
        Access::Roles(AGREERS),
        true,
    ),
    rule(
        "/work/campaigns/{id}/schools/{school}/programme/return",
        Access::Roles(AGREERS),
        true,
    ),
    rule(
        "/work/campaigns/{id}/schools/{school}/programme/agree",
        Access::Roles(AGREERS),
        true,
    ),
    rule(
        "/work/campaigns/{id}/schools/{school}/programme/stages/{stage}",
        Access::Roles(PROGRAMME_WRITERS),
        true,
    ),
    rule(
        "/work/campaigns/{id}/schools/{school}/programme/stages/{stage}/comment",
        Access::Roles(AGREERS),
        true,
    ),
    rule(
        "/work/campaigns/{id}/schools/{school}/programme/measures/{measure}/files",
        Access::Roles(PROGRAMME_WRITERS),
        true,
    ),
    rule(
        "/work/campaigns/{id}/schools/{school}/programme/files/{file}",
        Access::SignedIn,
        false,
    ),
    rule(
        "/work/campaigns/{id}/schools/{school}/programme/files/{file}/remove",
        Access::Roles(PROGRAMME_WRITERS),
        true,
    )
    .audited("deletion"),
    rule(
        "/work/campaigns/{id}/stages",
        Access::Roles(CAMPAIGNERS),
        true,
    ),
    rule(
        "/work/campaigns/{id}/stages/{stage}/remove",
        Access::Roles(CAMPAIGNERS),
        true,
    )
    .audited("deletion"),
    rule(
        "/work/campaigns/{id}/schools/{school}/codes",
        Access::Roles(CODES),
        false,
    )
    .audited("code_sheet"),
    rule(
        "/work/campaigns/{id}/schools/{school}/codes/replace",
        Access::Roles(CODES),
        true,
    )
    .audited("code_replaced"),
    rule("/api/work-codes", Access::Roles(CODES), false).audited("code_sheet"),
    rule("/api/work-change", Access::SignedIn, false),
    rule(
        "/export/campaigns/{id}/matrix.xlsx",
        Access::SignedIn,
        false,
    ),
    rule(
        "/export/campaigns/{id}/responses.csv",
        Access::Roles(RAW),
        false,
    )
    .audited("raw_export"),
    rule(
        "/export/campaigns/{id}/responses.xlsx",
        Access::Roles(RAW),
        false,
    )
    .audited("raw_export"),
    rule("/api/work-matrix", Access::SignedIn, false),
    // The instruments' quality is the region's methodologist's.
    rule(
        "/work/campaigns/{id}/quality",
        Access::Roles(CAMPAIGNERS),
        false,
    ),
    rule("/api/work-quality", Access::Roles(CAMPAIGNERS), false),
    rule("/api/work-profile", Access::SignedIn, false),
    // Support work: each handler cuts to the viewer's schools.
    rule("/work/support", Access::SignedIn, false),
    rule("/api/work-support", Access::SignedIn, false),
    rule("/api/work-support-summary", Access::SignedIn, false),
    rule("/work/support/questions", Access::Roles(SCHOOL), true),
    rule("/work/support/questions/{id}", Access::SignedIn, false),
    rule("/api/work-question", Access::SignedIn, false),
    rule(
        "/work/support/questions/{id}/messages",
        Access::Roles(THREAD),
        true,
    ),
    rule(
        "/work/support/questions/{id}/close",
        Access::Roles(SCHOOL),
        true,
    ),
    rule(
        "/work/support/questions/{id}/publish",
        Access::Roles(CAMPAIGNERS),
        true,
    )
    .audited("question_published"),
    rule(
        "/work/support/questions/{id}/unpublish",
        Access::Roles(CAMPAIGNERS),
        true,
    )
    .audited("question_unpublished"),
    rule("/work/support/target", Access::Roles(CAMPAIGNERS), true),
    rule("/work/support/files/{file}", Access::SignedIn, false),
    rule("/work/knowledge", Access::SignedIn, false),
    rule("/api/work-knowledge", Access::SignedIn, false),
    rule("/work/support/visits", Access::Roles(SUPPORTERS), true),
    rule("/work/support/visits/{id}", Access::SignedIn, false),
    rule("/api/work-visit", Access::SignedIn, false),
    rule(
        "/work/support/visits/{id}/save",
        Access::Roles(SUPPORTERS),
        true,
    ),
    rule(
        "/work/support/visits/{id}/recommendations",
        Access::Roles(SUPPORTERS),
        true,
    ),
    rule(
        "/work/support/recommendations/{id}/answer",
        Access::Roles(SCHOOL),
        true,
    ),
    rule(
        "/work/support/recommendations/{id}/decide",
        Access::Roles(SUPPORTERS),
        true,
    ),
    rule("/work/events", Access::SignedIn, false),
    rule("/api/work-events", Access::SignedIn, false),
    rule("/work/events/create", Access::Roles(ORGANISERS), true),
    rule("/work/events/{id}", Access::SignedIn, false),
    rule("/api/work-event", Access::SignedIn, false),
    rule("/work/events/{id}/invite", Access::Roles(ORGANISERS), true),
    rule("/work/events/{id}/register", Access::Roles(SCHOOL), true),
    rule(
        "/work/events/{id}/attendance",
        Access::Roles(ORGANISERS),
        true,
    ),
    rule(
        "/work/events/{id}/materials",
        Access::Roles(ORGANISERS),
        true,
    ),
    rule(
        "/work/events/{id}/feedback",
        Access::Roles(ORGANISERS),
        true,
    ),
    rule("/work/roadmaps", Access::SignedIn, false),
    rule("/api/work-roadmaps", Access::SignedIn, false),
    rule("/work/roadmaps/create", Access::Roles(ORGANISERS), true),
    rule("/work/roadmaps/{id}", Access::SignedIn, false),
    rule("/work/roadmaps/{id}/print", Access::SignedIn, false),
    rule("/api/work-roadmap", Access::SignedIn, false),
    rule(
        "/work/roadmaps/{id}/tracks",
        Access::Roles(ORGANISERS),
        true,
    ),
    rule(
        "/work/roadmaps/{id}/activities",
        Access::Roles(ORGANISERS),
        true,
    ),
    rule(
        "/work/roadmaps/{id}/activities/{activity}",
        Access::Roles(ORGANISERS),
        true,
    ),
    rule(
        "/work/roadmaps/{id}/activities/{activity}/files",
        Access::Roles(ORGANISERS),
        true,
    ),
    rule(
        "/export/roadmaps/{id}/roadmap.docx",
        Access::SignedIn,
        false,
    ),
    rule("/work/inbox", Access::SignedIn, false),
    rule("/api/work-inbox", Access::SignedIn, false),
    rule("/work/inbox/read", Access::SignedIn, true),
    rule("/work/inbox/settings", Access::SignedIn, true),
    // Anonymous feedback after an event: anyone with a code.
    rule("/feedback", Access::Public, false),
    rule("/feedback/{code}", Access::Public, false),
    // A teacher's own development plan: whoever holds its result key (no account).
    rule("/plan", Access::Public, false),
    rule("/plan/items", Access::Public, false),
    rule("/plan/items/{item}", Access::Public, false),
    rule("/plan/items/{item}/remove", Access::Public, false),
    rule("/plan/share", Access::Public, false),
    rule("/plan/compare", Access::Public, false),
    rule("/plan/leave", Access::Public, false),
    // The plans teachers shared with a methodist.
    rule("/work/plans", Access::Roles(METHODISTS), false),
    rule("/api/work-plans", Access::Roles(METHODISTS), false),
    // The demand for professional development, counted over municipalities large enough.
    rule("/work/development", Access::Roles(PLANNERS), false),
    rule("/api/work-development", Access::Roles(PLANNERS), false),
    rule("/export/development.xlsx", Access::Roles(PLANNERS), false),
    // Admin only.
    rule("/admin/users", Access::Roles(ADMIN), false),
    rule("/admin/users/new", Access::Roles(ADMIN), true).audited("account_created"),
    rule("/admin/users/{id}/active", Access::Roles(ADMIN), true).audited("account_activity"),
    rule("/admin/users/{id}/lift", Access::Roles(ADMIN), true).audited("account_lifted"),
    rule("/api/admin-users", Access::Roles(ADMIN), false),
    rule("/work/audit", Access::Roles(ADMIN), false).audited("audit_read"),
    rule("/api/work-audit", Access::Roles(ADMIN), false).audited("audit_read"),
    rule("/export/audit.csv", Access::Roles(ADMIN), false).audited("audit_read"),
];

pub fn rule_for(path: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.path == path)
}

/// The session token from the request's cookies.
fn session_token(headers: &axum::http::HeaderMap) -> Option<String> {
    cookies::read(headers, SESSION_COOKIE).filter(|t| !t.is_empty())
}

/// A small page for a refusal, in the reader's language.
fn refusal(status: StatusCode, lang: Lang) -> Response {
    let (title, text) = match status {
        StatusCode::UNAUTHORIZED => (
            lang.tr("Нужно войти", "Please sign in"),
            lang.tr("Войдите, чтобы продолжить.", "Sign in to continue."),
        ),
        _ => (
            lang.tr("Недостаточно прав", "Not allowed"),
            lang.tr(
                "Эта страница недоступна вашей учётной записи. Если она нужна вам для работы, обратитесь к администратору.",
                "Your account cannot open this page. If you need it for your work, ask the administrator.",
            ),
        ),
    };
    let body = format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title><link rel=\"stylesheet\" href=\"/pkg/orientir.css\"></head><body><main><section class=\"page\"><h1>{title}</h1><p>{text}</p><p><a href=\"/login\">{}</a> · <a href=\"/\">{}</a></p></section></main></body></html>",
        lang.code(),
        lang.tr("Вход", "Sign in"),
        lang.tr("На главную", "Home"),
    );
    (status, Html(body)).into_response()
}

/// What the access check needs: who is signed in, and where the audit log is written.
#[derive(Clone)]
pub struct Gatekeeper {
    pub auth: Auth,
    pub storage: crate::storage::Storage,
    pub proxies: crate::config::TrustedProxies,
}

/// Writes a use of an audited route that succeeded to the audit log. A failure to write is
/// logged, never shown to the reader.
async fn audit(
    gate: &Gatekeeper,
    action: &'static str,
    viewer: &Viewer,
    path: String,
    address: std::net::IpAddr,
) {
    let line = crate::storage::AuditRow {
        id: 0,
        at: crate::clock::now(),
        user_id: Some(viewer.user_id),
        login: viewer.login.clone(),
        action: action.to_owned(),
        path,
        address: address.to_string(),
    };
    if let Err(e) = gate.storage.record_audit(&line).await {
        tracing::error!(error = %e, action, "the audit log could not be written");
    }
}

/// Whether a use succeeded: a page or file answered, or a form's change made (a redirect that
/// does not carry a problem back).
fn succeeded(response: &Response) -> bool {
    let status = response.status();
    let refused_back = response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|l| l.contains("problem="));
    status.is_success() || (status.is_redirection() && !refused_back)
}

/// The access check in front of every route.
pub async fn authorize(
    State(gate): State<Gatekeeper>,
    axum::extract::ConnectInfo(peer): axum::extract::ConnectInfo<std::net::SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    let auth = &gate.auth;
    let pattern = request.extensions().get::<MatchedPath>().map_or_else(
        || request.uri().path().to_owned(),
        |m| m.as_str().to_owned(),
    );
    let lang = cookies::lang(request.headers());
    let Some(rule) = rule_for(&pattern) else {
        tracing::error!(route = %pattern, "a route without an access rule was refused");
        return refusal(StatusCode::FORBIDDEN, lang);
    };
    let viewer = match session_token(request.headers()) {
        Some(token) => match auth.viewer(&token).await {
            Ok(v) => v,
            Err(e) => return e.into_response(),
        },
        None => None,
    };
    match (rule.access, &viewer) {
        (Access::Public, _) => {}
        (_, None) => {
            if request.method() == Method::GET && !pattern.starts_with("/api/") {
                let next = request
                    .uri()
                    .path_and_query()
                    .map_or("/work", |p| p.as_str())
                    .to_owned();
                let mut response = StatusCode::SEE_OTHER.into_response();
                if let Ok(v) = format!("/login?next={}", encode(&next)).parse() {
                    response.headers_mut().insert(LOCATION, v);
                }
                return response;
            }
            return refusal(StatusCode::UNAUTHORIZED, lang);
        }
        (Access::Roles(roles), Some(v)) if !roles.contains(&v.role) => {
            return refusal(StatusCode::FORBIDDEN, lang);
        }
        (Access::SignedIn, Some(v)) if !COORDINATORS.contains(&v.role) => {
            return refusal(StatusCode::FORBIDDEN, lang);
        }
        _ => {}
    }
    let mut request = request;
    if pattern.starts_with("/api/") {
        match within_limit(request).await {
            Ok(r) => request = r,
            Err(refused) => return refused,
        }
    }
    if let (true, Some(v)) = (rule.csrf, &viewer) {
        let (checked, passed) = csrf_passes(request, &v.csrf).await;
        if !passed {
            tracing::warn!(route = %pattern, "a request without the session's CSRF token was refused");
            return refusal(StatusCode::FORBIDDEN, lang);
        }
        request = checked;
    }
    let csrf = viewer.as_ref().map(|v| v.csrf.clone());
    let audited = rule.audit.zip(viewer.clone()).map(|(action, v)| {
        let address = crate::reply::client_address(peer.ip(), request.headers(), &gate.proxies.0);
        (action, v, request.uri().path().to_owned(), address)
    });
    if let Some(v) = viewer {
        request.extensions_mut().insert::<Viewer>(v);
    }
    // Every answer behind this check is made for its reader (answers, scopes, drafts): no cache
    // keeps it. Only the static files of the site, outside this check, are cached.
    let mut response = next.run(request).await;
    if let Some((action, v, path, address)) = audited {
        if succeeded(&response) {
            audit(&gate, action, &v, path, address).await;
        }
    }
    if let Some(csrf) = csrf {
        seal_notices(&mut response, &csrf);
    }
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    bad_arguments_are_a_client_error(response).await
}

/// A redirect that carries a notice as text (`app::access::SEALED_NOTICES`) gets the notice's
/// seal for this session: the page shows the text only under it, so a link someone else made
/// cannot put words on an official page.
fn seal_notices(response: &mut Response, csrf: &str) {
    let Some(location) = response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .filter(|l| l.starts_with('/') && !l.starts_with("//"))
    else {
        return;
    };
    let Some((path, query)) = location.split_once('?') else {
        return;
    };
    let (query, fragment) = query
        .split_once('#')
        .map_or((query, None), |(q, f)| (q, Some(f)));
    let Some((name, value)) = form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| app::access::SEALED_NOTICES.contains(&k.as_ref()))
    else {
        return;
    };
    let seal = app::access::notice_seal(csrf, &name, &value);
    let sealed = format!(
        "{path}?{query}&seal={seal}{}",
        fragment.map(|f| format!("#{f}")).unwrap_or_default()
    );
    if let Ok(v) = HeaderValue::from_str(&sealed) {
        response.headers_mut().insert(LOCATION, v);
    }
}

/// A server function answers every error with 500; one called with arguments it does not take
/// (`AppError::BadRequest`) is the caller's mistake, so it goes out as 400.
async fn bad_arguments_are_a_client_error(response: Response) -> Response {
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key("serverfnerror")
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = to_bytes(body, 64 * 1024).await.unwrap_or_default();
    if bytes.starts_with(br#"{"BadRequest""#) {
        parts.status = StatusCode::BAD_REQUEST;
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The most a server function's arguments may weigh.
const SERVER_FUNCTION_BODY: usize = 1 << 20;

/// Past the limit, how much more of a body is read (and dropped) before the 413 goes out: a
/// client still sending when the connection closes never reads the answer.
const DRAINED: usize = 16 << 20;

/// A server function's body, read whole up to its limit: a larger one is the caller's mistake,
/// answered 413 (Leptos read it itself and answered 500) once the rest has been read away.
async fn within_limit(request: Request) -> Result<Request, Response> {
    use futures_util::StreamExt;
    let (parts, body) = request.into_parts();
    let mut stream = body.into_data_stream();
    let mut kept: Vec<u8> = Vec::new();
    let mut seen = 0usize;
    while let Some(chunk) = stream.next().await {
        let Ok(chunk) = chunk else {
            return Err((StatusCode::BAD_REQUEST, "the request's body broke off").into_response());
        };
        seen += chunk.len();
        if seen <= SERVER_FUNCTION_BODY {
            kept.extend_from_slice(&chunk);
        } else if seen > DRAINED {
            break;
        }
    }
    if seen > SERVER_FUNCTION_BODY {
        return Err((
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request is over {} KiB", SERVER_FUNCTION_BODY >> 10),
        )
            .into_response());
    }
    Ok(Request::from_parts(parts, Body::from(kept)))
}

/// Whether the request carries the session's CSRF token: the `X-CSRF-Token` header (scripts),
/// a `_csrf` query parameter (file uploads) or a `_csrf` form field (plain forms). The body is
/// read for the last and put back.
async fn csrf_passes(request: Request, expected: &str) -> (Request, bool) {
    let header = request
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let query = request.uri().query().and_then(|q| {
        form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "_csrf")
            .map(|(_, v)| v.into_owned())
    });
    if header.or(query).is_some_and(|t| t == expected) {
        return (request, true);
    }
    let is_form = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return (request, false);
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, 1 << 20).await else {
        return (Request::from_parts(parts, Body::empty()), false);
    };
    let passed = form_urlencoded::parse(&bytes).any(|(k, v)| k == "_csrf" && v == expected);
    (Request::from_parts(parts, Body::from(bytes)), passed)
}
