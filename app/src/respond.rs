//! What respondent pages show, and the port through which the server provides it. Pages only
//! render these views; the rules (codes, drafts, validation) live on the server and in `surveys`.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Why an access code does not open a questionnaire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CodeProblem {
    /// Not of the form `XXX-XXX-XX` at all.
    Malformed,
    Unknown,
    Revoked,
    NotYetOpen {
        opens_on: String,
    },
    Closed {
        closed_on: String,
    },
}

impl CodeProblem {
    /// A title and what to do, in Russian.
    pub fn message(&self) -> (String, String) {
        match self {
            CodeProblem::Malformed => (
                "Код введён не полностью или с ошибкой".into(),
                "Код состоит из 8 знаков, например 7KQ-M4P-X2. Буквы латинские, без O и I; дефисы можно не вводить.".into(),
            ),
            CodeProblem::Unknown => (
                "Такого кода нет".into(),
                "Проверьте код на листке из школы. Если он верный, обратитесь к классному руководителю или администрации школы.".into(),
            ),
            CodeProblem::Revoked => (
                "Этот код больше не действует".into(),
                "Школа заменила код. Возьмите новый у классного руководителя или администрации школы.".into(),
            ),
            CodeProblem::NotYetOpen { opens_on } => (
                "Анкетирование ещё не началось".into(),
                format!("Анкета откроется {opens_on}. Вернитесь по этому коду в этот день или позже."),
            ),
            CodeProblem::Closed { closed_on } => (
                "Анкетирование завершено".into(),
                format!("Приём ответов закончился {closed_on}. Спасибо за готовность помочь!"),
            ),
        }
    }
}

/// The start page of a questionnaire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StartView {
    pub code: String,
    pub school: String,
    pub title: String,
    pub audience: String,
    pub intro: String,
    pub expected_minutes: u32,
    pub anonymous: bool,
    pub stored: String,
    pub sections: Vec<String>,
    /// Page to continue from (1-based) when a draft exists.
    pub resume_page: Option<u32>,
    pub submitted: bool,
}

/// One answer option.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChoiceView {
    pub value: String,
    pub label: String,
}

/// One field of a page: an item, or a row of a matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldView {
    /// The form field name (slot key).
    pub key: String,
    /// `radio`, `checkbox`, `number`, `text`.
    pub control: String,
    pub label: String,
    pub hint: Option<String>,
    pub required: bool,
    pub unit: Option<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub step: Option<String>,
    pub max_length: Option<usize>,
    pub choices: Vec<ChoiceView>,
    /// The values entered so far (kept also when refused).
    pub values: Vec<String>,
    pub error: Option<String>,
}

/// An item: a single field, or a matrix heading with one field per row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemView {
    pub heading: Option<String>,
    pub fields: Vec<FieldView>,
}

/// One page of a questionnaire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionView {
    pub code: String,
    pub draft: String,
    pub page: u32,
    pub pages: u32,
    pub title: String,
    pub questionnaire: String,
    pub intro: Option<String>,
    pub items: Vec<ItemView>,
    pub last: bool,
}

impl SectionView {
    /// Fields with problems, for the error summary.
    pub fn problems(&self) -> Vec<(String, String, String)> {
        self.items
            .iter()
            .flat_map(|i| i.fields.iter())
            .filter_map(|f| f.error.clone().map(|e| (f.key.clone(), f.label.clone(), e)))
            .collect()
    }
}

/// An area of a teacher's deficit report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaView {
    pub name: String,
    pub percent: Option<f64>,
    pub band: String,
    pub colour: String,
}

/// One activity of the draft ИОМ.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IomView {
    pub area: String,
    pub format: String,
    pub title: String,
    pub hours: Option<u32>,
    pub goal: String,
    pub deadline: String,
    pub evidence: String,
}

/// A teacher's own diagnostic report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportView {
    pub areas: Vec<AreaView>,
    pub weakest: Vec<String>,
    pub iom: Vec<IomView>,
}

/// The page after submitting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThanksView {
    pub code: String,
    pub title: String,
    pub report: Option<ReportView>,
}

/// A respondent page's outcome: the view, or why the code does not open it.
pub type Outcome<T> = Result<T, CodeProblem>;

/// Respondent data from the server. `draft` is the draft token from the respondent's cookie.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait RespondentSource: Send + Sync {
    async fn start(
        &self,
        code: &str,
        draft: Option<String>,
    ) -> Result<Outcome<StartView>, AppError>;
    async fn section(
        &self,
        code: &str,
        draft: Option<String>,
        page: u32,
    ) -> Result<Outcome<SectionView>, AppError>;
    async fn thanks(
        &self,
        code: &str,
        draft: Option<String>,
    ) -> Result<Outcome<ThanksView>, AppError>;
}

#[cfg(feature = "ssr")]
pub type SharedRespondentSource = std::sync::Arc<dyn RespondentSource>;

/// The name of the cookie that keeps a respondent's draft for one code.
pub fn draft_cookie(code: &str) -> String {
    format!("orientir_draft_{}", code.replace('-', ""))
}

#[cfg(feature = "ssr")]
async fn context() -> Result<(SharedRespondentSource, impl Fn(&str) -> Option<String>), AppError> {
    let source = use_context::<SharedRespondentSource>().ok_or_else(|| AppError::Internal {
        request_id: "-".into(),
    })?;
    let parts: Option<http::request::Parts> = use_context();
    let cookies = parts
        .and_then(|p| {
            p.headers
                .get(http::header::COOKIE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
        .unwrap_or_default();
    let cookie = move |name: &str| {
        cookies.split(';').find_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == name).then(|| v.to_owned())
        })
    };
    Ok((source, cookie))
}

#[server(prefix = "/api", endpoint = "respond-start")]
pub async fn get_start(code: String) -> Result<Outcome<StartView>, AppError> {
    let (source, cookie) = context().await?;
    source.start(&code, cookie(&draft_cookie(&code))).await
}

#[server(prefix = "/api", endpoint = "respond-section")]
pub async fn get_section(code: String, page: u32) -> Result<Outcome<SectionView>, AppError> {
    let (source, cookie) = context().await?;
    source
        .section(&code, cookie(&draft_cookie(&code)), page)
        .await
}

#[server(prefix = "/api", endpoint = "respond-thanks")]
pub async fn get_thanks(code: String) -> Result<Outcome<ThanksView>, AppError> {
    let (source, cookie) = context().await?;
    source.thanks(&code, cookie(&draft_cookie(&code))).await
}
