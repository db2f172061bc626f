//! What respondent pages show. Pages only render these views; the rules (codes, drafts,
//! validation) live on the server and in `surveys`.

use crate::i18n::Lang;

/// Why an access code does not open a questionnaire.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// A title and what to do, in the user's language.
    pub fn message(&self, lang: Lang) -> (String, String) {
        let (title, advice) = match self {
            CodeProblem::Malformed => (
                lang.tr("Код введён не полностью или с ошибкой", "The code is incomplete or mistyped"),
                lang.tr(
                    "Код состоит из 8 знаков, например 7KQ-M4P-X2. Буквы латинские, без O и I; дефисы можно не вводить.",
                    "A code has 8 characters, e.g. 7KQ-M4P-X2. Latin letters without O and I; dashes are optional.",
                )
                .to_owned(),
            ),
            CodeProblem::Unknown => (
                lang.tr("Такого кода нет", "There is no such code"),
                lang.tr(
                    "Проверьте код на листке из школы. Если он верный, обратитесь к классному руководителю или администрации школы.",
                    "Check the code on the slip from school. If it is right, ask the form tutor or the school office.",
                )
                .to_owned(),
            ),
            CodeProblem::Revoked => (
                lang.tr("Этот код больше не действует", "This code is no longer valid"),
                lang.tr(
                    "Школа заменила код. Возьмите новый у классного руководителя или администрации школы.",
                    "The school replaced the code. Ask the form tutor or the school office for the new one.",
                )
                .to_owned(),
            ),
            CodeProblem::NotYetOpen { opens_on } => (
                lang.tr("Анкетирование ещё не началось", "The survey has not started yet"),
                match lang {
                    Lang::Ru => format!("Анкета откроется {opens_on}. Вернитесь по этому коду в этот день или позже."),
                    Lang::En => format!("The questionnaire opens on {opens_on}. Come back with this code then or later."),
                },
            ),
            CodeProblem::Closed { closed_on } => (
                lang.tr("Анкетирование завершено", "The survey is over"),
                match lang {
                    Lang::Ru => format!("Приём ответов закончился {closed_on}. Спасибо за готовность помочь!"),
                    Lang::En => format!("Answers were accepted until {closed_on}. Thank you for being willing to help!"),
                },
            ),
        };
        (title.to_owned(), advice)
    }
}

/// The start page of a questionnaire.
#[derive(Debug, Clone, PartialEq)]
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
    /// A personal code's questionnaire under way on another device: its answers are there.
    pub elsewhere: bool,
}

/// One answer option.
#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceView {
    pub value: String,
    pub label: String,
}

/// One field of a page: an item, or a row of a matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldView {
    /// The form field name (slot key).
    pub key: String,
    /// `radio`, `checkbox`, `integer`, `decimal`, `text`.
    pub control: String,
    pub label: String,
    pub hint: Option<String>,
    pub required: bool,
    pub unit: Option<String>,
    pub max_length: Option<usize>,
    pub choices: Vec<ChoiceView>,
    /// The values entered so far (kept also when refused).
    pub values: Vec<String>,
    pub error: Option<String>,
}

/// An item: a single field, or a matrix heading with one field per row.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemView {
    /// The item's key in the instrument (its `show_if` is looked up by it).
    pub key: String,
    /// Hidden by its `show_if`; rendered all the same so that the page can reveal it live.
    pub hidden: bool,
    pub heading: Option<String>,
    pub fields: Vec<FieldView>,
}

/// One page of a questionnaire.
#[derive(Debug, Clone, PartialEq)]
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
    /// Where the rules that check this page's answers in the browser are (`surveys::FormRules`
    /// as JSON, in a file named after its content).
    pub rules: String,
    /// Answers from other pages that conditions on this page look at.
    pub context: Vec<(String, Vec<String>)>,
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
#[derive(Debug, Clone, PartialEq)]
pub struct AreaView {
    pub name: String,
    pub percent: Option<f64>,
    pub band: String,
    pub colour: String,
}

/// One activity of the draft ИОМ.
#[derive(Debug, Clone, PartialEq)]
pub struct IomView {
    /// Every deficit area of the teacher's it addresses, by name, the most severe first.
    pub area: String,
    /// Who offers it, and where to read about it or enrol (the catalogue's `https://` address).
    pub provider: Option<String>,
    pub link: Option<String>,
    pub format: String,
    pub title: String,
    pub hours: Option<u32>,
    pub goal: String,
    pub deadline: String,
    pub evidence: String,
}

/// A teacher's own diagnostic report.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportView {
    /// The principals' management self-diagnostic (else the teachers' diagnostic).
    pub principal: bool,
    pub areas: Vec<AreaView>,
    pub weakest: Vec<String>,
    pub iom: Vec<IomView>,
}

/// The page after submitting.
#[derive(Debug, Clone, PartialEq)]
pub struct ThanksView {
    pub code: String,
    pub title: String,
    /// A diagnostic's report, opened with its result key.
    pub report: Option<ReportView>,
    /// The result key that opened the report, to be written down (given once, at submit).
    pub result_key: Option<String>,
    /// A sent diagnostic whose report needs its result key.
    pub locked: bool,
}

/// A respondent page's outcome: the view, or why the code does not open it.
pub type Outcome<T> = Result<T, CodeProblem>;

/// What a respondent page gets from the server: its language and its outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub lang: Lang,
    pub outcome: Outcome<T>,
}

/// The name of the short-lived cookie that carries a diagnostic's result key to its report.
pub fn result_cookie(code: &str) -> String {
    format!("orientir_result_{}", code.replace('-', ""))
}

/// The name of the cookie that keeps a respondent's draft for one code.
pub fn draft_cookie(code: &str) -> String {
    format!("orientir_draft_{}", code.replace('-', ""))
}

/// The items of one page (section `index`) of a questionnaire as a respondent's page shows them:
/// each item's fields with the values `raw` holds and the `problems` found, items hidden by
/// their `show_if` marked. Used by every questionnaire, the event feedback's too.
#[cfg(feature = "ssr")]
pub fn item_views(
    m: &surveys::Methodology,
    instrument: &surveys::Instrument,
    answers: &surveys::Answers,
    index: usize,
    raw: &surveys::RawAnswers,
    problems: &std::collections::BTreeMap<String, String>,
    lang: Lang,
) -> Vec<ItemView> {
    use surveys::{ItemKind, RawValue};
    let l = lang.code();
    let section = &instrument.sections[index];
    let values = |key: &str| match raw.get(key) {
        Some(RawValue::One(v)) => vec![v.clone()],
        Some(RawValue::Many(vs)) => vs.clone(),
        None => Vec::new(),
    };
    section
        .items
        .iter()
        .map(|item| {
            let hidden = !answers.is_shown(m, instrument, item);
            let list = item.choices.as_deref().and_then(|key| m.choice_list(key));
            let choices: Vec<ChoiceView> = list
                .map(|list| {
                    list.choices
                        .iter()
                        .map(|c| ChoiceView {
                            value: c.value.clone(),
                            label: c.label().get(l).to_owned(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            let control = match item.kind {
                ItemKind::Multiple => "checkbox",
                ItemKind::Integer => "integer",
                ItemKind::Decimal => "decimal",
                ItemKind::Text => "text",
                _ => "radio",
            };
            let field = |key: String, label: String| FieldView {
                values: values(&key),
                error: problems.get(&key).cloned(),
                key,
                control: control.into(),
                label,
                hint: item.hint.as_ref().map(|h| h.get(l).to_owned()),
                required: item.is_required(),
                unit: item.unit.as_ref().map(|u| u.get(l).to_owned()),
                max_length: (item.kind == ItemKind::Text)
                    .then(|| item.text_limit())
                    .or(item.max_length),
                choices: choices.clone(),
            };
            if item.rows.is_empty() {
                ItemView {
                    key: item.key.clone(),
                    hidden,
                    heading: None,
                    fields: vec![field(item.key.clone(), item.label().get(l).to_owned())],
                }
            } else {
                ItemView {
                    key: item.key.clone(),
                    hidden,
                    heading: Some(item.label().get(l).to_owned()),
                    fields: item
                        .rows
                        .iter()
                        .map(|r| {
                            field(
                                format!("{}.{}", item.key, r.key),
                                if l == "en" {
                                    r.en.clone()
                                } else {
                                    r.ru.clone()
                                },
                            )
                        })
                        .collect(),
                }
            }
        })
        .collect()
}
