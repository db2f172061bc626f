//! The rules a question page checks answers with in the browser (`surveys::FormRules` as JSON),
//! one file per questionnaire, named after its content: a browser fetches it once and keeps it,
//! and a new methodology is a new name. Rules are the instrument itself — nothing of a code, a
//! school or a respondent — so they are served like the site's static files.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use surveys::{FormRules, Methodology};

use super::Respondents;

/// Where the rules files are served.
const PREFIX: &str = "/respond/rules/";

/// The rules file of every instrument of a methodology.
#[derive(Default)]
pub struct RulesFiles {
    /// Instrument key → file name.
    names: HashMap<String, String>,
    /// File name → its JSON.
    files: HashMap<String, Arc<str>>,
}

impl RulesFiles {
    pub fn new(m: &Methodology) -> RulesFiles {
        let mut rules = RulesFiles::default();
        for instrument in &m.instruments {
            let Ok(json) = serde_json::to_string(&FormRules::new(m, instrument)) else {
                continue;
            };
            let name = format!("{}.json", &crate::secrets::hash(&json)[..16]);
            rules.names.insert(instrument.key.clone(), name.clone());
            rules.files.insert(name, json.into());
        }
        rules
    }

    /// The address of an instrument's rules.
    pub fn url(&self, instrument: &str) -> String {
        let name = self.names.get(instrument).map_or("", String::as_str);
        format!("{PREFIX}{name}")
    }
}

/// `GET /respond/rules/{file}`: a questionnaire's rules, kept by browsers for a year.
pub async fn rules_file(State(service): State<Respondents>, Path(file): Path<String>) -> Response {
    let Some(json) = service.rules.files.get(&file).cloned() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut response = json.to_string().into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(
        CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    response
}
