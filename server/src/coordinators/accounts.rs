//! The plain form handlers of accounts: signing in and out, changing one's password, and the
//! admin's creating and deactivating of accounts. Each answers with a redirect (post → act →
//! redirect), so they work without JavaScript. Access rules are checked before they run.

use std::net::SocketAddr;

use app::access::{Role, Viewer};
use axum::extract::{ConnectInfo, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::{Extension, Form};

use crate::auth::{Auth, NewUser, SignIn, SESSION_COOKIE};
use crate::clock::today;
use crate::config::TrustedProxies;
use crate::cookies;
use crate::error::ServerError;
use crate::problem::{At, Kind, Refused};
use crate::reply::{client_address, encode, local, refusal_back, see_other};
use crate::storage::Storage;
use app::work::LOGIN_COOKIE;
use validator::Validate;

use crate::auth::password::MAX_LENGTH as MAX_PASSWORD;

#[derive(serde::Deserialize, Validate)]
pub struct SignInForm {
    #[validate(length(max = 100))]
    login: String,
    #[validate(length(max = "MAX_PASSWORD"))]
    password: String,
    #[serde(default)]
    #[validate(length(max = 2000))]
    next: String,
    /// The sign-in form's token, which must match this browser's login cookie.
    #[serde(default, rename = "_csrf")]
    #[validate(length(max = 64))]
    csrf: String,
}

/// `POST /session`: signs in.
pub async fn sign_in(
    State(auth): State<Auth>,
    State(proxies): State<TrustedProxies>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Result<Response, ServerError> {
    form.validate().map_err(Refused::from)?;
    let address = client_address(peer.ip(), &headers, &proxies.0);
    // Nowhere asked for, or somewhere not of this site: the work page.
    let next = local(&form.next).unwrap_or("/work").to_owned();
    // Posted from this site's own form in this browser, or not at all (login CSRF).
    let held = cookies::read(&headers, LOGIN_COOKIE);
    if form.csrf.is_empty() || held.as_deref() != Some(form.csrf.as_str()) {
        return Ok(see_other(
            &format!("/login?error=expired&next={}", encode(&next)),
            None,
        ));
    }
    Ok(
        match auth.sign_in(&form.login, &form.password, address).await? {
            SignIn::Welcome { set_cookie } => see_other(&next, Some(set_cookie)),
            SignIn::Refused => see_other(
                &format!("/login?error=refused&next={}", encode(&next)),
                None,
            ),
            SignIn::Held { minutes } => see_other(
                &format!("/login?error=held&minutes={minutes}&next={}", encode(&next)),
                None,
            ),
            SignIn::Busy => see_other(&format!("/login?error=busy&next={}", encode(&next)), None),
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

#[derive(serde::Deserialize, Validate)]
pub struct PasswordForm {
    #[validate(length(max = "MAX_PASSWORD"))]
    current: String,
    #[validate(length(max = "MAX_PASSWORD"))]
    new: String,
}

/// `POST /account/password`: changes the signed-in user's password.
pub async fn change_password(
    State(auth): State<Auth>,
    State(proxies): State<TrustedProxies>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Extension(viewer): Extension<Viewer>,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> Result<Response, ServerError> {
    form.validate().map_err(Refused::from)?;
    let address = client_address(peer.ip(), &headers, &proxies.0);
    let token = cookies::read(&headers, SESSION_COOKIE).unwrap_or_default();
    let changed = auth
        .change_password(&viewer, &token, &form.current, &form.new, address)
        .await
        .map(|()| see_other("/account?changed=1", None));
    refusal_back("/account", &headers, usize::MAX, changed)
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
    let mut schools: Vec<i64> = fields
        .iter()
        .filter(|(k, _)| k == "school")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    // A school ticked twice is one school.
    schools.sort_unstable();
    schools.dedup();
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
    refusal_back("/admin/users", &headers, usize::MAX, created.await)
}

/// `POST /admin/users/{id}/lift`: lifts the account's sign-in waits.
pub async fn lift_wait(
    State(auth): State<Auth>,
    Path(id): Path<i64>,
) -> Result<Response, ServerError> {
    auth.lift(id).await?;
    Ok(see_other("/admin/users", None))
}

#[derive(serde::Deserialize, Validate)]
pub struct ActiveForm {
    #[validate(custom(function = "yes_or_no"))]
    active: String,
}

fn yes_or_no(value: &str) -> Result<(), validator::ValidationError> {
    match value {
        "true" | "false" => Ok(()),
        _ => Err(validator::ValidationError::new("active")),
    }
}

/// `POST /admin/users/{id}/active`: deactivates (sessions end at once) or reactivates.
pub async fn set_active(
    State(storage): State<Storage>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(form): Form<ActiveForm>,
) -> Result<Response, ServerError> {
    let done = async {
        form.validate().map_err(Refused::from)?;
        let active = form.active == "true";
        // An admin cannot lock themselves out.
        if id != viewer.user_id || active {
            storage.set_user_active(id, active).await?;
        }
        Ok(see_other("/admin/users", None))
    };
    refusal_back("/admin/users", &headers, 1, done.await)
}
