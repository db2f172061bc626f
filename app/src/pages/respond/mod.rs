//! Respondent pages: start, one page per section, thank-you with a teacher's own report. They
//! are plain server-rendered forms posting to `/respond/…`, complete without JavaScript; a
//! question page's form is made live by an island (`live`).

mod fields;
pub mod live;
mod report;

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_params_map, use_query_map};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::AppError;
use crate::i18n::Lang;
use crate::respond::{
    get_section, get_start, get_thanks, CodeProblem, Page, SectionView, StartView, ThanksView,
};
use fields::ItemFields;
use live::LiveForm;
use report::Report;

fn param(name: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get(name).unwrap_or_default()
}

/// A respondent page: waits for its view on the server (the page is complete without
/// JavaScript), then renders it, or says why the code opens nothing.
fn respondent_page<T, V>(
    resource: Resource<Result<Page<T>, AppError>>,
    render: fn(T, Lang) -> V,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || resource.get().map(|r| match r {
                Ok(Page { lang, outcome: Ok(view) }) => view! { <LangSwitch lang /> <div lang=lang.code()>{render(view, lang)}</div> }.into_any(),
                Ok(Page { lang, outcome: Err(problem) }) => view! {
                    <LangSwitch lang />
                    <section class="page" lang=lang.code()><CodeProblemView problem lang /></section>
                }
                .into_any(),
                Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </Suspense>
    }
}

/// A link to the page in the other language (a plain link: works without JavaScript).
#[component]
pub fn LangSwitch(lang: Lang) -> impl IntoView {
    let back = use_location().pathname.get_untracked();
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

#[component]
pub fn StartPage() -> impl IntoView {
    let code = param("code");
    respondent_page(
        Resource::new(code, get_start),
        |view, lang| view! { <Start view lang /> },
    )
}

#[component]
fn Start(view: StartView, lang: Lang) -> impl IntoView {
    let first = format!("/s/{}/p/{}", view.code, view.resume_page.unwrap_or(1));
    let thanks = format!("/s/{}/thanks", view.code);
    let anonymity = if view.anonymous {
        lang.tr(
            "Анкета анонимная: мы не спрашиваем имя, не сохраняем адрес и устройство, время ответа — только дата.",
            "The questionnaire is anonymous: no name is asked, no address or device is stored, and only the date of answering.",
        )
    } else {
        lang.tr(
            "Анкета по личному коду: ответы связаны с кодом, а не с именем. Продолжить её можно на том устройстве, где вы её начали; кто знает только код, ваших ответов не увидит.",
            "A personal-code questionnaire: answers belong to the code, not to a name. You can continue it on the device where you started it; someone who knows only the code cannot see your answers.",
        )
    };
    let length = match lang {
        Lang::Ru => format!(
            "Займёт около {} минут, разделов: {}.",
            view.expected_minutes,
            view.sections.len()
        ),
        Lang::En => format!(
            "Takes about {} minutes, {} sections.",
            view.expected_minutes,
            view.sections.len()
        ),
    };
    view! {
        <section class="page">
            <p class="school">{view.school}</p>
            <h1>{view.title}</h1>
            <p class="lead">{view.audience}</p>
            <p>{view.intro}</p>
            <ul class="facts">
                <li>{length}</li>
                <li>{anonymity}</li>
                <li>{view.stored}</li>
                <li>{lang.tr("Можно прерваться: введённое сохраняется после каждого раздела.", "You can stop at any time: answers are saved after each section.")}</li>
            </ul>
            {if view.submitted {
                view! {
                    <p class="notice">
                        {lang.tr("Анкета по этому коду уже отправлена. ", "This questionnaire has been sent already. ")}
                        <a href=thanks>{lang.tr("Посмотреть результат", "See the result")}</a>
                    </p>
                }
                .into_any()
            } else {
                let label = if view.resume_page.is_some() { lang.tr("Продолжить", "Continue") } else { lang.tr("Начать", "Start") };
                view! { <a class="button" href=first>{label}</a> }.into_any()
            }}
        </section>
    }
}

/// A question page. Only the respondents' bundle makes it live (its `LiveForm` island), so the
/// whole app's router, when a link leads here, loads it from the server.
#[component]
pub fn SectionPage() -> impl IntoView {
    if cfg!(feature = "hydrate") {
        return view! { <crate::pages::Elsewhere /> }.into_any();
    }
    let code = param("code");
    let page = param("page");
    let section = Resource::new(
        move || (code(), page()),
        |(code, page)| get_section(code, page.parse().unwrap_or(1)),
    );
    respondent_page(section, |view, lang| view! { <Section view lang /> }).into_any()
}

#[component]
fn Section(view: SectionView, lang: Lang) -> impl IntoView {
    let labels: Vec<(String, String)> = view
        .items
        .iter()
        .flat_map(|i| i.fields.iter())
        .map(|f| (f.key.clone(), f.label.clone()))
        .collect();
    let problems = view.problems();
    let marked = problems.iter().map(|(key, _, _)| key.clone()).collect();
    let clean = problems.is_empty();
    let action = format!("/respond/{}/{}", view.code, view.page);
    let progress = match lang {
        Lang::Ru => format!("Раздел {} из {}", view.page, view.pages),
        Lang::En => format!("Section {} of {}", view.page, view.pages),
    };
    let next = if view.last {
        lang.tr("Отправить анкету", "Send the questionnaire")
    } else {
        lang.tr("Далее", "Next")
    };
    let back = (view.page > 1).then(|| {
        view! { <button type="submit" name="_go" value="back" class="secondary" formnovalidate>{lang.tr("Назад", "Back")}</button> }
    });
    view! {
        <section class="page">
            <p class="progress">
                <span>{view.questionnaire}</span>" · "{progress.clone()}
                <progress max=view.pages value=view.page aria-label=progress></progress>
            </p>
            <h1>{view.title}</h1>
            {view.intro.map(|i| view! { <p>{i}</p> })}
            <LiveForm rules=view.rules section=view.page.saturating_sub(1) as usize lang context=view.context labels marked>
                // The summary is always there: the live page fills it.
                <div class="error-summary" role="alert" tabindex="-1" id="errors" hidden=clean>
                    <h2>{lang.tr("Проверьте ответы", "Please check your answers")}</h2>
                    <ul>
                        {problems.into_iter().map(|(key, label, message)| view! {
                            <li><a href=format!("#field-{key}")>{label}" — "{message}</a></li>
                        }).collect_view()}
                    </ul>
                </div>
                <form method="post" action=action novalidate>
                    <input type="hidden" name="_draft" value=view.draft />
                    {view.items.into_iter().map(|item| view! { <ItemFields item lang /> }).collect_view()}
                    <div class="actions">
                        <button type="submit" name="_go" value="next">{next}</button>
                        {back}
                    </div>
                </form>
            </LiveForm>
        </section>
    }
    // Erased, so that the page's type stays shallow enough for the wasm build.
    .into_any()
}

#[component]
pub fn ThanksPage() -> impl IntoView {
    let code = param("code");
    respondent_page(
        Resource::new(code, get_thanks),
        |view, lang| view! { <Thanks view lang /> },
    )
}

#[component]
fn Thanks(view: ThanksView, lang: Lang) -> impl IntoView {
    let wrong_key = use_query_map().with_untracked(|q| q.get("key").is_some_and(|k| k == "wrong"));
    let action = format!("/respond/{}/result", view.code);
    view! {
        <section class="page">
            <h1>{lang.tr("Спасибо! Ответы отправлены", "Thank you! Your answers have been sent")}</h1>
            <p class="lead">{view.title}</p>
            {view.result_key.map(|key| view! {
                <div class="notice result-key">
                    <p>{lang.tr("Ваш ключ результата:", "Your result key:")} " " <strong class="key">{key}</strong></p>
                    <p>{lang.tr(
                        "Запишите или распечатайте его: только с ним этот отчёт откроется снова, на любом устройстве. Код с листка открывает лишь анкету. Ключ показан один раз и хранится у нас только в зашифрованном виде.",
                        "Write it down or print it: only with it does this report open again, on any device. The code from the sheet opens only the questionnaire. The key is shown once and we keep it only in hashed form.",
                    )}</p>
                </div>
            })}
            {match (view.report, view.locked) {
                (Some(report), _) => view! { <Report report lang /> }.into_any(),
                (None, true) => view! {
                    <p>{lang.tr(
                        "Анкета по этому коду отправлена. Отчёт с результатами открывается ключом результата, который вы получили в конце диагностики.",
                        "The questionnaire of this code has been sent. Its report opens with the result key you were given at the end of the diagnostic.",
                    )}</p>
                    {wrong_key.then(|| view! {
                        <p class="error" role="alert">{lang.tr("Этот ключ не подходит. Проверьте его и введите ещё раз.", "This key does not fit. Check it and try again.")}</p>
                    })}
                    <form method="post" action=action class="result-key-form">
                        <label for="result-key">{lang.tr("Ключ результата", "Result key")}</label>
                        <input id="result-key" name="key" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="20" placeholder="XXXX-XXXX-XXXX" required />
                        <button type="submit">{lang.tr("Открыть отчёт", "Open the report")}</button>
                    </form>
                }
                .into_any(),
                (None, false) => view! {
                    <p>{lang.tr(
                        "Ответы сохранены. Результаты школа увидит только в обобщённом виде.",
                        "Your answers are saved. The school will see results only in summary form.",
                    )}</p>
                    <p><a href="/">{lang.tr("На главную", "Home")}</a></p>
                }
                .into_any(),
            }}
        </section>
    }
}
