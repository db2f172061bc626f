//! Access codes cannot be guessed at speed: an address that tries too many codes that were never
//! issued (in a page's address or the code form), or result keys that open nothing (a report's, a
//! development plan's), waits before it may try any code or key again. The limit is
//! far above what a school behind one address mistypes in a lesson, and far below what guessing
//! a 39-bit code would need.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use app::i18n::Lang;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::header::RETRY_AFTER;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::config::TrustedProxies;
use crate::cookies;
use crate::reply::client_address;
use crate::respond::Respondents;

/// Codes never issued that one address may try in a window.
const MAX_UNKNOWN: u32 = 100;
const WINDOW: Duration = Duration::from_secs(10 * 60);
const MAX_ADDRESSES: usize = 100_000;

/// Unknown codes per address.
#[derive(Clone, Default)]
pub struct Guesses(Arc<Mutex<HashMap<IpAddr, (u32, Instant)>>>);

impl Guesses {
    /// How long the address still waits, when it is held.
    fn held(&self, address: IpAddr, now: Instant) -> Option<Duration> {
        let Ok(mut map) = self.0.lock() else {
            return None;
        };
        match map.get(&address) {
            Some((_, since)) if now.duration_since(*since) >= WINDOW => {
                map.remove(&address);
                None
            }
            Some((count, since)) if *count >= MAX_UNKNOWN => {
                Some(WINDOW - now.duration_since(*since))
            }
            _ => None,
        }
    }

    fn unknown(&self, address: IpAddr, now: Instant) {
        if let Ok(mut map) = self.0.lock() {
            if map.len() >= MAX_ADDRESSES {
                map.retain(|_, (_, since)| now.duration_since(*since) < WINDOW);
            }
            let entry = map.entry(address).or_insert((0, now));
            entry.0 += 1;
        }
    }
}

/// What the throttle needs.
#[derive(Clone)]
pub struct GuessCheck {
    pub guesses: Guesses,
    pub respondents: Respondents,
    pub proxies: TrustedProxies,
}

/// The code a respondent route is asked about: in its path or its query.
fn code_of(pattern: &str, request: &Request) -> Option<String> {
    if pattern.starts_with("/s/{code}") || pattern.starts_with("/respond/{code}") {
        return request.uri().path().split('/').nth(2).map(str::to_owned);
    }
    if pattern == "/enter" {
        return request.uri().query().and_then(|q| {
            form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == "code")
                .map(|(_, v)| v.into_owned())
        });
    }
    None
}

/// The throttle in front of the respondent routes.
pub async fn throttle(
    State(check): State<GuessCheck>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    let pattern = request
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
        .unwrap_or_default();
    let code = code_of(&pattern, &request);
    // A result key typed (to open a report or a plan, or to compare two): a wrong one counts.
    let keyed = request.method() == axum::http::Method::POST
        && matches!(
            pattern.as_str(),
            "/plan" | "/plan/compare" | "/respond/{code}/result"
        );
    if code.is_none() && !keyed {
        return next.run(request).await;
    }
    let address = client_address(peer.ip(), request.headers(), &check.proxies.0);
    let now = Instant::now();
    if let Some(wait) = check.guesses.held(address, now) {
        let minutes = wait.as_secs().div_ceil(60);
        let text = match cookies::lang(request.headers()) {
            Lang::Ru => format!(
                "Слишком много неверных кодов с этого адреса. Проверьте код на листке и попробуйте снова через {minutes} мин."
            ),
            Lang::En => format!(
                "Too many wrong codes from this address. Check the code on the sheet and try again in {minutes} min."
            ),
        };
        let retry = (wait.as_secs() + 1).to_string();
        return (StatusCode::TOO_MANY_REQUESTS, [(RETRY_AFTER, retry)], text).into_response();
    }
    if let Some(code) = code {
        match check.respondents.is_issued_code(&code).await {
            Ok(false) => check.guesses.unknown(address, now),
            Ok(true) => {}
            Err(e) => return e.into_response(),
        }
    }
    let response = next.run(request).await;
    let wrong_key = response
        .headers()
        .get(axum::http::header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .is_some_and(|l| l.ends_with("key=wrong"));
    if keyed && wrong_key {
        check.guesses.unknown(address, now);
    }
    response
}
