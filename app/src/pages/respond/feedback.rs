//! The anonymous feedback after an event, as a whole document the server renders: a form to type
//! the feedback code, the questionnaire (the same fields as every questionnaire), and thanks. A
//! plain form, complete without JavaScript, with no script at all.

use leptos::prelude::*;

use super::fields::ItemFields;
use crate::i18n::Lang;
use crate::respond::ItemView;

/// What the feedback page shows.
#[derive(Debug, Clone, PartialEq)]
pub enum FeedbackPage {
    /// The form to type a code; `wrong` after a code that fits nothing.
    Code {
        wrong: bool,
    },
    /// The questionnaire of the event, for a code.
    Form {
        code: String,
        event: String,
        title: String,
        intro: Option<String>,
        items: Vec<ItemView>,
        /// Problems of a submission, in words.
        problems: Vec<String>,
    },
    Thanks,
}

/// The feedback page as the whole HTML document, for its own address `path`.
pub fn feedback_document(
    options: &LeptosOptions,
    path: &str,
    lang: Lang,
    page: FeedbackPage,
) -> String {
    super::plain_document(
        options,
        lang,
        lang.tr(
            "Отзыв о мероприятии — Ориентир",
            "Event feedback — Orientir",
        ),
        path.to_owned(),
        move || body(page, lang),
    )
}

fn body(page: FeedbackPage, lang: Lang) -> AnyView {
    match page {
        FeedbackPage::Code { wrong } => view! {
            <h1>{lang.tr("Отзыв о мероприятии", "Feedback on an event")}</h1>
            {wrong.then(|| view! {
                <p class="error" role="alert">{lang.tr("Код не подходит: он введён с ошибкой, уже использован, или приём отзывов закрыт.", "The code does not fit: mistyped, used already, or the feedback is closed.")}</p>
            })}
            <form method="get" action="/feedback" class="code-form">
                <label for="code">{lang.tr("Код отзыва (с листка, который выдала школа)", "Feedback code (from the slip your school gave you)")}</label>
                <input id="code" name="code" type="text" autocomplete="off" autocapitalize="characters"
                    spellcheck="false" maxlength="12" required />
                <button type="submit">{lang.tr("Открыть", "Open")}</button>
            </form>
        }
        .into_any(),
        FeedbackPage::Form { code, event, title, intro, items, problems } => view! {
            <h1>{title}</h1>
            <p class="lead">{event}</p>
            {intro.map(|i| view! { <p class="intro">{i}</p> })}
            {(!problems.is_empty()).then(|| view! {
                <div class="error" role="alert"><ul>{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul></div>
            })}
            <form method="post" action=format!("/feedback/{code}") class="questionnaire">
                {items.into_iter().map(|item| view! { <ItemFields item lang /> }).collect_view()}
                <button type="submit">{lang.tr("Отправить отзыв", "Send the feedback")}</button>
            </form>
        }
        .into_any(),
        FeedbackPage::Thanks => view! {
            <h1>{lang.tr("Спасибо за отзыв", "Thank you for your feedback")}</h1>
            <p>{lang.tr("Ваш ответ добавлен в общую сводку; код больше не действует.", "Your answer was added into the summary; the code no longer works.")}</p>
        }
        .into_any(),
    }
}
