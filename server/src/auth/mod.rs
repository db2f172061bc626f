//! Coordinator accounts: sign-in with a password (argon2id), server-side sessions in an
//! HttpOnly, SameSite cookie, a CSRF token per session, limits on failed sign-ins, password
//! change, and accounts created and deactivated by an admin (the first by `orientir
//! create-admin`).

mod limiter;
pub use limiter::WINDOW as FAILURES_KEPT;
pub mod password;
mod slots;

use std::net::IpAddr;

use app::access::{Role, Scope, Viewer};
use surveys::calendar::Day;

use crate::clock::now;
use crate::cookies::CookiePolicy;
use crate::error::ServerError;
use crate::problem::{At, Kind, Refused};
use crate::secrets::{self, random_hex};
use crate::storage::{RoleRow, SessionRow, Storage, UserRow};
use limiter::{Failures, Limiter};
use validator::{Validate, ValidationError};

/// The session cookie.
pub const SESSION_COOKIE: &str = "orientir_session";
/// How long a session lasts (a working day), in seconds.
const SESSION_SECONDS: i64 = 12 * 3600;

#[derive(Clone)]
pub struct Auth {
    storage: Storage,
    /// Passwords checked at once: argon2 takes memory and a core per check, so sign-ins beyond
    /// the cores wait in a short queue rather than growing the server.
    slots: slots::Slots,
    cookies: CookiePolicy,
}

/// The outcome of a sign-in.
#[derive(Debug, PartialEq, Eq)]
pub enum SignIn {
    /// Signed in: the `Set-Cookie` value of the new session.
    Welcome { set_cookie: String },
    /// Wrong login or password (never says which).
    Refused,
    /// Too many failures: try again after this many minutes.
    Held { minutes: u64 },
    /// Every password check is taken and the queue for them full: try again in a moment.
    Busy,
}

/// A password checked under the limits.
enum Checked {
    Held(u64),
    Busy,
    Wrong,
    Right(UserRow),
}

/// A new account as an admin enters it, checked with `validator` before anything is stored: a
/// login of letters, digits and `.-_@`, a name, a password no longer than anyone types, and the
/// territory or schools its role needs.
#[derive(Debug, Clone, Validate)]
#[validate(schema(function = "scope_given", skip_on_field_errors = false))]
pub struct NewUser {
    #[validate(custom(function = "login"))]
    pub login: String,
    #[validate(custom(function = "display_name"))]
    pub name: String,
    #[validate(length(max = "password::MAX_LENGTH"))]
    pub password: String,
    pub role: Role,
    pub region: Option<i64>,
    pub municipality: Option<i64>,
    pub school: Option<i64>,
    pub curated: Vec<i64>,
}

fn login(login: &str) -> Result<(), ValidationError> {
    let login = login.trim();
    if login.chars().count() > 100 {
        let mut e = ValidationError::new("length");
        e.add_param("max".into(), &100);
        return Err(e);
    }
    let fits = !login.is_empty()
        && login
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '@'));
    fits.then_some(())
        .ok_or_else(|| ValidationError::new("login"))
}

fn display_name(name: &str) -> Result<(), ValidationError> {
    match name.trim().chars().count() {
        0 => Err(ValidationError::new("name")),
        1..=200 => Ok(()),
        _ => {
            let mut e = ValidationError::new("length");
            e.add_param("max".into(), &200);
            e.add_param("field".into(), &"display_name");
            Err(e)
        }
    }
}

/// The role's territory or schools are given.
fn scope_given(new: &NewUser) -> Result<(), ValidationError> {
    let missing = match new.role {
        Role::Admin => false,
        Role::Regional => new.region.is_none(),
        Role::Municipal | Role::MunicipalMethodist => new.municipality.is_none(),
        Role::School | Role::Methodist => new.school.is_none(),
        Role::Curator => new.curated.is_empty(),
    };
    (!missing)
        .then_some(())
        .ok_or_else(|| ValidationError::new("role_scope"))
}

impl Auth {
    pub fn new(storage: Storage, cookies: CookiePolicy) -> Auth {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Auth {
            storage,
            slots: slots::Slots::new(cores),
            cookies,
        }
    }

    /// Applies `rule` to the stored failures of a sign-in attempt's keys, under their lock.
    async fn limited<R>(
        &self,
        login: &str,
        address: IpAddr,
        rule: impl FnOnce(&mut Limiter, i64) -> R,
    ) -> Result<R, ServerError> {
        let keys = limiter::attempt_keys(login, address);
        self.storage
            .sign_in_failures(&keys, |rows| {
                let mut l = Limiter::with(rows.into_iter().map(|(key, count, first, last)| {
                    let count = u32::try_from(count).unwrap_or(0);
                    (key, Failures { count, first, last })
                }));
                let result = rule(&mut l, now());
                let rows = l
                    .into_failures()
                    .into_iter()
                    .map(|(key, f)| (key, i64::from(f.count), f.first, f.last))
                    .collect();
                (rows, result)
            })
            .await
    }

    /// A password checked under the limits: a held attempt is refused before it takes a check,
    /// an attempt that gets no check is not counted, a wrong one counts, a right one clears.
    async fn checked(
        &self,
        login: &str,
        password: &str,
        address: IpAddr,
    ) -> Result<Checked, ServerError> {
        let held = self
            .limited(login, address, |l, now| l.begin(login, address, now).err())
            .await?;
        if let Some(wait) = held {
            return Ok(Checked::Held(wait.as_secs().div_ceil(60).max(1)));
        }
        let Some(_slot) = self.slots.take(address).await else {
            self.limited(login, address, |l, _| l.withdrawn(login, address))
                .await?;
            return Ok(Checked::Busy);
        };
        let user = self
            .storage
            .user_by_login(login)
            .await?
            .filter(|u| u.active);
        let hash = user.as_ref().map(|u| u.password_hash.clone());
        let matches = password::verify(password.to_owned(), hash).await;
        // The attempt was counted as a failure when it began.
        let Some(user) = user.filter(|_| matches) else {
            return Ok(Checked::Wrong);
        };
        self.limited(login, address, |l, now| l.succeeded(login, address, now))
            .await?;
        Ok(Checked::Right(user))
    }

    /// The cookie that ends the session in the browser.
    pub fn cleared_cookie(&self) -> String {
        self.cookies.clear(SESSION_COOKIE)
    }

    pub async fn sign_in(
        &self,
        login: &str,
        password: &str,
        address: IpAddr,
    ) -> Result<SignIn, ServerError> {
        let login = login.trim();
        let user = match self.checked(login, password, address).await? {
            Checked::Held(minutes) => return Ok(SignIn::Held { minutes }),
            Checked::Busy => return Ok(SignIn::Busy),
            Checked::Wrong => return Ok(SignIn::Refused),
            Checked::Right(user) => user,
        };
        let token = random_hex(32);
        self.storage
            .insert_session(
                &secrets::hash(&token),
                &SessionRow {
                    user_id: user.id,
                    csrf: random_hex(16),
                    expires_at: now() + SESSION_SECONDS,
                },
            )
            .await?;
        Ok(SignIn::Welcome {
            set_cookie: self
                .cookies
                .set(SESSION_COOKIE, &token, SESSION_SECONDS, true),
        })
    }

    /// The signed-in user of a session token, if the session is live and the account active.
    pub async fn viewer(&self, token: &str) -> Result<Option<Viewer>, ServerError> {
        let Some(session) = self.storage.session(&secrets::hash(token)).await? else {
            return Ok(None);
        };
        if session.expires_at < now() {
            return Ok(None);
        }
        let Some(user) = self
            .storage
            .user(session.user_id)
            .await?
            .filter(|u| u.active)
        else {
            return Ok(None);
        };
        let Some(role_row) = self.storage.user_role(user.id).await? else {
            return Ok(None);
        };
        let role = role_row.role;
        let scope = match role {
            Role::Admin => Scope::All,
            Role::Regional => Scope::Region(role_row.region_id.unwrap_or(-1)),
            Role::Municipal | Role::MunicipalMethodist => {
                Scope::Municipality(role_row.municipality_id.unwrap_or(-1))
            }
            Role::School | Role::Methodist => {
                Scope::Schools(role_row.school_id.into_iter().collect())
            }
            Role::Curator => Scope::Schools(self.storage.curated_schools(user.id).await?),
        };
        Ok(Some(Viewer {
            user_id: user.id,
            login: user.login,
            name: user.display_name,
            role,
            scope,
            csrf: session.csrf,
        }))
    }

    /// Lifts every wait of an account's sign-ins (an admin's help to a locked-out user).
    pub async fn lift(&self, user: i64) -> Result<(), ServerError> {
        if let Some(user) = self.storage.user(user).await? {
            self.storage
                .clear_sign_in_failures(&limiter::login_key(&user.login))
                .await?;
        }
        Ok(())
    }

    pub async fn sign_out(&self, token: &str) -> Result<(), ServerError> {
        self.storage.delete_session(&secrets::hash(token)).await
    }

    /// Changes the signed-in user's password after checking the current one; other sessions
    /// of the account end. A wrong current password or a weak new one is refused.
    /// The current password is checked under the sign-in's limits and checks (it is a way to
    /// guess the password of a session left open).
    pub async fn change_password(
        &self,
        viewer: &Viewer,
        token: &str,
        current: &str,
        new: &str,
        address: IpAddr,
    ) -> Result<(), ServerError> {
        let refuse = |kind| Err(Refused::one(At::Whole, kind).into());
        match self.checked(&viewer.login, current, address).await? {
            Checked::Held(minutes) => return refuse(Kind::PasswordsHeld(minutes)),
            Checked::Busy => return refuse(Kind::PasswordsBusy),
            Checked::Wrong => return refuse(Kind::WrongPassword),
            Checked::Right(user) if user.id != viewer.user_id => {
                return refuse(Kind::WrongPassword)
            }
            Checked::Right(_) => {}
        }
        if let Some(problem) = password::problem(new) {
            return Err(Refused::one(At::Whole, problem).into());
        }
        let hash = password::hash(new.to_owned()).await?;
        self.storage
            .set_password(viewer.user_id, &hash, &secrets::hash(token))
            .await
    }

    /// Creates an account; a taken login, a short password or a role without its scope is
    /// refused.
    pub async fn create_user(&self, new: &NewUser, today: Day) -> Result<i64, ServerError> {
        let refuse = |at: At, kind: Kind| Err(Refused::one(at, kind).into());
        new.validate().map_err(Refused::from)?;
        let login = new.login.trim();
        if let Some(problem) = password::problem(&new.password) {
            return refuse(At::Whole, problem);
        }
        let registry = self.storage.registry().await?;
        let known = |list: &[crate::storage::Named], id: Option<i64>| {
            id.is_none_or(|id| list.iter().any(|n| n.id == id))
        };
        let places_known = match new.role {
            Role::Admin => true,
            Role::Regional => known(&registry.regions, new.region),
            Role::Municipal | Role::MunicipalMethodist => {
                known(&registry.municipalities, new.municipality)
            }
            Role::School | Role::Methodist => known(&registry.schools, new.school),
            Role::Curator => new
                .curated
                .iter()
                .all(|id| known(&registry.schools, Some(*id))),
        };
        if !places_known {
            return refuse(At::Whole, Kind::UnknownPlace);
        }
        let hash = password::hash(new.password.clone()).await?;
        let id = self
            .storage
            .create_user(
                &UserRow {
                    id: 0,
                    login: login.to_owned(),
                    display_name: new.name.trim().to_owned(),
                    password_hash: hash,
                    active: true,
                },
                &RoleRow {
                    role: new.role,
                    region_id: new.region.filter(|_| new.role == Role::Regional),
                    municipality_id: new
                        .municipality
                        .filter(|_| matches!(new.role, Role::Municipal | Role::MunicipalMethodist)),
                    school_id: new
                        .school
                        .filter(|_| matches!(new.role, Role::School | Role::Methodist)),
                },
                if new.role == Role::Curator {
                    &new.curated
                } else {
                    &[]
                },
                today,
            )
            .await?;
        match id {
            Some(id) => Ok(id),
            None => refuse(At::Whole, Kind::LoginTaken),
        }
    }
}
