//! Respondent pages: start, one page per section, thank-you with a teacher's own report. They
//! are whole documents the server renders outside the app's router (`document`): plain forms
//! posting to `/respond/…`, complete without JavaScript; a question page's form is made live by
//! an island (`live`).

#[cfg(feature = "ssr")]
mod document;
#[cfg(feature = "ssr")]
mod feedback;
#[cfg(feature = "ssr")]
mod fields;
pub mod live;
#[cfg(feature = "ssr")]
mod plan;
#[cfg(feature = "ssr")]
mod report;

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::i18n::Lang;
use crate::respond::{CodeProblem, Page, SectionView, StartView, ThanksView};
#[cfg(feature = "ssr")]
pub use document::document;
#[cfg(feature = "ssr")]
pub use feedback::{feedback_document, FeedbackPage};
#[cfg(feature = "ssr")]
pub use plan::plan_document;

/// A respondent's page with what it shows.
pub enum RespondentPage {
    Start(Page<StartView>),
    Section(Page<SectionView>),
    /// `wrong_key`: a result key was typed that does not open the report.
    Thanks(Page<ThanksView>, bool),
}

/// A link to this page in the other language, for a page of the app's router.
#[component]
pub fn LangSwitch(lang: Lang) -> impl IntoView {
    let back = use_location().pathname.get_untracked();
    view! { <LangLink lang back /> }
}

/// A page of plain forms with no script (the feedback after an event, a teacher's plan) as the
/// whole HTML document: its title, a link to the same page at `back` in the other language, and
/// its body.
#[cfg(feature = "ssr")]
pub(crate) fn plain_document(
    options: &LeptosOptions,
    lang: Lang,
    title: &'static str,
    back: String,
    body: impl FnOnce() -> AnyView + 'static,
) -> String {
    let options = options.clone();
    let owner = Owner::new_root(Some(std::sync::Arc::new(
        hydration_context::SsrSharedContext::new_islands(),
    )));
    owner.with(move || {
        view! {
            <!DOCTYPE html>
            <html lang=lang.code()>
                <head>
                    <crate::Head options scripts=crate::Scripts::None />
                    <title>{title}</title>
                </head>
                <body>
                    <main>
                        <LangLink lang back />
                        {body()}
                    </main>
                </body>
            </html>
        }
        .to_html()
    })
}

/// A link to the page at `back` in the other language (a plain link: works without JavaScript).
#[component]
pub(crate) fn LangLink(lang: Lang, back: String) -> impl IntoView {
    let other = lang.other();
    let href = format!("/lang/{}?back={}", other.code(), back);
    let label = match other {
        Lang::En => "English",
        Lang::Ru => "Русский",
    };
    view! {
        <nav class="lang" aria-label=lang.tr("Язык", "Language")>
            // A full page load (not client-side routing): the server sets the cookie.
            <a href=href hreflang=other.code() lang=other.code() rel="external">{label}</a>
        </nav>
    }
}

/// Shows why a code opens nothing, with a form to try another.
#[component]
pub fn CodeProblemView(problem: CodeProblem, lang: Lang) -> impl IntoView {
    let (title, advice) = problem.message(lang);
    view! {
        <div class="notice" role="alert">
            <h1>{title}</h1>
            <p>{advice}</p>
        </div>
        <CodeForm value=String::new() lang />
    }
}

/// The form to type an access code.
#[component]
pub fn CodeForm(value: String, lang: Lang) -> impl IntoView {
    view! {
        <form method="get" action="/enter" class="code-form">
            <label for="code">{lang.tr("Код доступа к анкете", "Questionnaire access code")}</label>
            <p class="hint" id="code-hint">
                {lang.tr("8 знаков с листка из школы, например 7KQ-M4P-X2", "8 characters from the slip from school, e.g. 7KQ-M4P-X2")}
            </p>
            <input id="code" name="code" type="text" inputmode="text" autocomplete="off" autocapitalize="characters"
                spellcheck="false" maxlength="12" required aria-describedby="code-hint" value=value />
            <button type="submit">{lang.tr("Открыть анкету", "Open the questionnaire")}</button>
        </form>
    }
}
