//! What every response passes on its way out, on tower-http: a request id (in every log line
//! of the request and in the `X-Request-Id` header), a time limit, compression (br, gzip, deflate) of
//! everything compressible, and the headers a deployment expects — no sniffing, no referrer
//! (access codes are in URLs), no framing, HSTS when the site is served over HTTPS. Pages add their
//! own Content-Security-Policy with the nonce of their scripts (`app::shell`); the access check
//! marks every dynamic response `no-store`.

use std::path::Path;
use std::time::Duration;

use axum::body::Body;
use axum::http::header::{
    HeaderName, CACHE_CONTROL, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::{HeaderValue, Request, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// Longest a request may take to answer (a raw XLSX export of a million responses is the
/// slowest thing Orientir does); streaming a body after that is not limited.
const REQUEST_TIME_LIMIT: Duration = Duration::from_secs(120);

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Request ids: 64 random bits in hex, drawn per request.
#[derive(Clone, Copy, Default)]
struct RandomId;

impl MakeRequestId for RandomId {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        HeaderValue::from_str(&crate::secrets::random_hex(8))
            .ok()
            .map(RequestId::new)
    }
}

/// The folder of the bundle the pages link to, under the site root: `pkg/<hash>` when the build
/// named one after the files' content (`bundle.txt`, 16 hex digits), else `pkg`.
pub fn bundle_folder(site_root: &Path) -> String {
    std::fs::read_to_string(site_root.join("bundle.txt"))
        .ok()
        .map(|text| text.trim().to_owned())
        .filter(|hash| is_content_hash(hash))
        .map_or_else(|| "pkg".to_owned(), |hash| format!("pkg/{hash}"))
}

fn is_content_hash(segment: &str) -> bool {
    segment.len() == 16 && segment.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The browser bundle (`pkg/`): precompressed files (`.br`, `.gz`, made by the release build)
/// are served as they are, so the wasm is not compressed again for every respondent. Files in a
/// folder named after their content never change: browsers keep them for a year without asking;
/// others they revalidate (a 304 when unchanged).
pub fn bundle(dir: &Path) -> Router {
    let files = tower_http::services::ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip();
    Router::new()
        .fallback_service(files)
        .layer(axum::middleware::from_fn(cache_control))
}

async fn cache_control(request: Request<Body>, next: Next) -> Response {
    let content_named = request
        .uri()
        .path()
        .trim_start_matches('/')
        .split('/')
        .next()
        .is_some_and(is_content_hash);
    let mut response = next.run(request).await;
    let value = if content_named && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

/// A handler's refusal (`error::Unworded`) worded in the language the request's cookie names:
/// the field and the reason in the reader's language, whichever handler refused.
pub async fn word_refusals(request: Request<Body>, next: Next) -> Response {
    let lang = crate::cookies::lang(request.headers());
    let mut response = next.run(request).await;
    match response.extensions_mut().remove::<crate::error::Unworded>() {
        Some(crate::error::Unworded(refused)) => {
            let mut worded = axum::response::IntoResponse::into_response((
                response.status(),
                refused.words(lang, usize::MAX),
            ));
            for (name, value) in response.headers() {
                if name != axum::http::header::CONTENT_LENGTH
                    && name != axum::http::header::CONTENT_TYPE
                {
                    worded.headers_mut().insert(name.clone(), value.clone());
                }
            }
            worded
        }
        None => response,
    }
}

/// Counts every request and its time by route family and status (`crate::metrics`).
async fn measure(
    axum::extract::State(metrics): axum::extract::State<std::sync::Arc<crate::metrics::Metrics>>,
    request: Request<Body>,
    next: Next,
) -> Response {
    let family = crate::metrics::family(request.uri().path());
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    metrics.observe(
        family,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

/// The router wrapped in the edge layers; `secure` when the site is served over HTTPS; every
/// request counted in `metrics`.
pub fn wrap(
    router: Router,
    secure: bool,
    metrics: std::sync::Arc<crate::metrics::Metrics>,
) -> Router {
    let header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    let router = router
        .layer(axum::middleware::from_fn(word_refusals))
        .layer(CompressionLayer::new().br(true).gzip(true).deflate(true))
        // A panicking handler answers 500 (with the request id) instead of dropping the connection.
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .layer(header(X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(REFERRER_POLICY, "no-referrer"))
        .layer(header(X_FRAME_OPTIONS, "DENY"))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIME_LIMIT,
        ));
    let router = if secure {
        router.layer(header(
            STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        ))
    } else {
        router
    };
    router
        // The path only: no query string (codes, tokens) and no header reaches the log.
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                let id = request
                    .headers()
                    .get(REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("request", request_id = %id, method = %request.method())
            }),
        )
        .layer(axum::middleware::from_fn_with_state(metrics, measure))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, RandomId))
}
