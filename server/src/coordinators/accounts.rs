//! The plain form handlers of accounts: signing in and out, changing one's password, and the
//! admin's creating and deactivating of accounts. Each answers with a redirect (post → act →
//! redirect), so they work without JavaScript. Access rules are checked before they run.

use std::net::SocketAddr;

use app::access::{Role, Viewer};
use axum::extract::{ConnectInfo, Path, State};
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};

use crate::auth::{Auth, NewUser, SignIn, SESSION_COOKIE};
use crate::clock::today;
use crate::cookies;
use crate::error::ServerError;
use crate::problem::{At, Kind, Refused};
use crate::reply::{encode, local, see_other, see_other_with};
use crate::storage::Storage;

#[derive(serde::Deserialize)]
pub struct SignInForm {
    login: String,
    password: String,
    #[serde(default)]
    next: String,
}

/// `POST /session`: signs in.
pub async fn sign_in(
    State(auth): State<Auth>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    Form(form): Form<SignInForm>,
) -> Result<Response, ServerError> {
    // Nowhere asked for, or somewhere not of this site: the work page.
    let next = local(&form.next).unwrap_or("/work").to_owned();
    Ok(
        match auth
            .sign_in(&form.login, &form.password, address.ip())
            .await?
        {
            SignIn::Welcome { set_cookie } => see_other(&next, Some(set_cookie)),
            SignIn::Refused => see_other(
                &format!("/login?error=refused&next={}", encode(&next)),
                None,
            ),
            SignIn::Held { minutes } => see_other(
                &format!("/login?error=held&minutes={minutes}&next={}", encode(&next)),
                None,
            ),
            SignIn::Busy => (
                StatusCode::SERVICE_UNAVAILABLE,
                [(RETRY_AFTER, "2")],
                "Сервер занят проверкой паролей. Попробуйте войти через несколько секунд.",
            )
                .into_response(),
        },
    )
}

/// `POST /session/end`: signs out.
pub async fn sign_out(
    State(auth): State<Auth>,
    headers: HeaderMap,
) -> Result<Response, ServerError> {
    if let Some(token) = cookies::read(&headers, SESSION_COOKIE) {
        auth.sign_out(&token).await?;
    }
    Ok(see_other("/login?error=ended", Some(auth.cleared_cookie())))
}

#[derive(serde::Deserialize)]
pub struct PasswordForm {
    current: String,
    new: String,
}

/// A refusal shown on the form at `path`, in the reader's language; other errors go on.
fn refused_on(
    path: &str,
    headers: &HeaderMap,
    result: Result<Response, ServerError>,
) -> Result<Response, ServerError> {
    match result {
        Err(ServerError::Refused(refused)) => Ok(see_other_with(
            path,
            "problem",
            &refused.words(cookies::lang(headers), usize::MAX),
        )),
        other => other,
    }
}

/// `POST /account/password`: changes the signed-in user's password.
pub async fn change_password(
    State(auth): State<Auth>,
    Extension(viewer): Extension<Viewer>,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> Result<Response, ServerError> {
    let token = cookies::read(&headers, SESSION_COOKIE).unwrap_or_default();
    let changed = auth
        .change_password(&viewer, &token, &form.current, &form.new)
        .await
        .map(|()| see_other("/account?changed=1", None));
    refused_on("/account", &headers, changed)
}

/// `POST /admin/users/new`: creates an account. Fields: login, name, password, role, and the
/// role's scope (region, municipality, school — several schools for a curator).
pub async fn create_user(
    State(auth): State<Auth>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, ServerError> {
    let one = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let id = |name: &str| one(name).parse::<i64>().ok();
    let schools: Vec<i64> = fields
        .iter()
        .filter(|(k, _)| k == "school")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let created = async {
        let role =
            Role::parse(&one("role")).ok_or_else(|| Refused::one(At::Whole, Kind::NoRole))?;
        let new = NewUser {
            login: one("login"),
            name: one("name"),
            password: one("password"),
            role,
            region: id("region"),
            municipality: id("municipality"),
            school: schools.first().copied(),
            curated: schools.clone(),
        };
        auth.create_user(&new, today()).await?;
        Ok(see_other("/admin/users", None))
    };
    refused_on("/admin/users", &headers, created.await)
}

#[derive(serde::Deserialize)]
pub struct ActiveForm {
    active: bool,
}

/// `POST /admin/users/{id}/active`: deactivates (sessions end at once) or reactivates.
pub async fn set_active(
    State(storage): State<Storage>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Form(form): Form<ActiveForm>,
) -> Result<Response, ServerError> {
    // An admin cannot lock themselves out.
    if id != viewer.user_id || form.active {
        storage.set_user_active(id, form.active).await?;
    }
    Ok(see_other("/admin/users", None))
}
