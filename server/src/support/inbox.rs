//! Each account's inbox and its mail settings: an address, a daily digest instead of single
//! mails, and the kinds whose mail the account turned off (the inbox keeps them all).

use std::collections::HashMap;

use app::access::Viewer;
use app::support::NoticeKind;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::{Extension, Form};
use validator::{Validate, ValidateEmail};

use super::Support;
use crate::error::ServerError;
use crate::problem::{At, Kind, Refused};
use crate::reply::{refusal_back, see_other};

pub const INBOX_PAGE: &str = "/work/inbox";

/// Which notice to mark read; none: all of them.
#[derive(serde::Deserialize, Validate)]
pub struct ReadForm {
    #[serde(default)]
    #[validate(range(min = 1))]
    id: Option<i64>,
}

/// `POST /work/inbox/read`: marks a notice (or all) read.
pub async fn read(
    State(support): State<Support>,
    Extension(viewer): Extension<Viewer>,
    headers: HeaderMap,
    Form(form): Form<ReadForm>,
) -> Result<Response, ServerError> {
    let marked = async {
        form.validate().map_err(Refused::from)?;
        support
            .storage
            .mark_read(viewer.user_id, form.id, crate::clock::now())
            .await?;
        Ok(see_other(INBOX_PAGE, None))
    };
    refusal_back(INBOX_PAGE, &headers, 1, marked.await)
}

/// `POST /work/inbox/settings` (fields `email`, `digest`, and `mute-KIND` for each kind whose
/// mail is turned off).
pub async fn settings(
    State(support): State<Support>,
    Extension(viewer): Extension<Viewer>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, ServerError> {
    let set = async {
        if form.len() > 64 {
            return Err(Refused::one(At::Whole, Kind::Incomplete).into());
        }
        let email = form.get("email").map(|e| e.trim()).unwrap_or_default();
        if email.chars().count() > 200 || (!email.is_empty() && !email.validate_email()) {
            return Err(Refused::one(At::Field("email"), Kind::Invalid).into());
        }
        let digest = form.get("digest").is_some_and(|v| v == "on");
        let muted: Vec<&str> = NoticeKind::ALL
            .iter()
            .filter(|k| form.contains_key(&format!("mute-{}", k.key())))
            .map(|k| k.key())
            .collect();
        let email = (!email.is_empty()).then_some(email);
        support
            .storage
            .set_mail_settings(viewer.user_id, email, digest, &muted)
            .await?;
        Ok(see_other(&format!("{INBOX_PAGE}?saved=1"), None))
    };
    refusal_back(INBOX_PAGE, &headers, 1, set.await)
}
