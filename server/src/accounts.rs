//! The plain form handlers of accounts: signing in and out, changing one's password, and the
//! admin's creating and deactivating of accounts. Each answers with a redirect (post → act →
//! redirect), so they work without JavaScript. Access rules are checked before they run.

use std::net::SocketAddr;

use app::access::{Role, Viewer};
use axum::extract::{ConnectInfo, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::{Extension, Form};

use crate::access::session_token;
use crate::auth::{Auth, NewUser, SignIn};
use crate::storage::Storage;
use crate::web::{failure, lang_of, see_other};

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// A path of this site to return to, never another site.
fn local(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") {
        next
    } else {
        "/work"
    }
}

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
) -> Response {
    let next = local(&form.next).to_owned();
    match auth
        .sign_in(&form.login, &form.password, address.ip())
        .await
    {
        Ok(SignIn::Welcome { set_cookie }) => see_other(&next, Some(set_cookie)),
        Ok(SignIn::Refused) => see_other(
            &format!("/login?error=refused&next={}", encode(&next)),
            None,
        ),
        Ok(SignIn::Held { minutes }) => see_other(
            &format!("/login?error=held&minutes={minutes}&next={}", encode(&next)),
            None,
        ),
        Err(e) => failure(&e),
    }
}

/// `POST /session/end`: signs out.
pub async fn sign_out(State(auth): State<Auth>, headers: HeaderMap) -> Response {
    if let Some(token) = session_token(&headers) {
        if let Err(e) = auth.sign_out(&token).await {
            return failure(&e);
        }
    }
    see_other("/login?error=ended", Some(auth.cleared_cookie()))
}

#[derive(serde::Deserialize)]
pub struct PasswordForm {
    current: String,
    new: String,
}

/// `POST /account/password`: changes the signed-in user's password.
pub async fn change_password(
    State(auth): State<Auth>,
    Extension(viewer): Extension<Viewer>,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> Response {
    let token = session_token(&headers).unwrap_or_default();
    match auth
        .change_password(&viewer, &token, &form.current, &form.new, lang_of(&headers))
        .await
    {
        Ok(Ok(())) => see_other("/account?changed=1", None),
        Ok(Err(problem)) => see_other(&format!("/account?problem={}", encode(&problem)), None),
        Err(e) => failure(&e),
    }
}

/// `POST /admin/users/new`: creates an account. Fields: login, name, password, role, and the
/// role's scope (region, municipality, school — several schools for a curator).
pub async fn create_user(
    State(auth): State<Auth>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let lang = lang_of(&headers);
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
    let Some(role) = Role::parse(&one("role")) else {
        return see_other(
            &format!(
                "/admin/users?problem={}",
                encode(lang.tr("Выберите роль", "Choose a role"))
            ),
            None,
        );
    };
    let new = NewUser {
        login: one("login"),
        name: one("name"),
        password: one("password"),
        role,
        region: id("region"),
        municipality: id("municipality"),
        school: schools.first().copied(),
        curated: schools,
    };
    match auth
        .create_user(&new, &crate::cli::today().to_string(), lang)
        .await
    {
        Ok(Ok(_)) => see_other("/admin/users", None),
        Ok(Err(problem)) => see_other(&format!("/admin/users?problem={}", encode(&problem)), None),
        Err(e) => failure(&e),
    }
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
) -> Response {
    if id == viewer.user_id && !form.active {
        // An admin cannot lock themselves out.
        return see_other("/admin/users", None);
    }
    match storage.set_user_active(id, form.active).await {
        Ok(_) => see_other("/admin/users", None),
        Err(e) => failure(&e),
    }
}
