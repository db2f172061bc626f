//! Respondent pages: start, one page per section, thank-you with a teacher's own report. They
//! are plain server-rendered forms posting to `/respond/…`, complete without JavaScript.

mod fields;
mod report;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::AppError;
use crate::respond::{
    get_section, get_start, get_thanks, CodeProblem, Outcome, SectionView, StartView, ThanksView,
};
use fields::ItemFields;
use report::Report;

fn param(name: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get(name).unwrap_or_default()
}

/// A respondent page: waits for its view on the server (the page is complete without
/// JavaScript), then renders it, or says why the code opens nothing.
fn respondent_page<T, V>(
    resource: Resource<Result<Outcome<T>, AppError>>,
    render: fn(T) -> V,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=|| view! { <p>"Загрузка…"</p> }>
            {move || resource.get().map(|r| match r {
                Ok(Ok(view)) => render(view).into_any(),
                Ok(Err(problem)) => view! { <section class="page"><CodeProblemView problem /></section> }.into_any(),
                Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </Suspense>
    }
}

/// Shows why a code opens nothing, with a form to try another.
#[component]
pub fn CodeProblemView(problem: CodeProblem) -> impl IntoView {
    let (title, advice) = problem.message();
    view! {
        <div class="notice" role="alert">
            <h1>{title}</h1>
            <p>{advice}</p>
        </div>
        <CodeForm value=String::new() />
    }
}

/// The form to type an access code.
#[component]
pub fn CodeForm(value: String) -> impl IntoView {
    view! {
        <form method="get" action="/enter" class="code-form">
            <label for="code">"Код доступа к анкете"</label>
            <p class="hint" id="code-hint">"8 знаков с листка из школы, например 7KQ-M4P-X2"</p>
            <input id="code" name="code" type="text" inputmode="text" autocomplete="off" autocapitalize="characters"
                spellcheck="false" maxlength="12" required aria-describedby="code-hint" value=value />
            <button type="submit">"Открыть анкету"</button>
        </form>
    }
}

#[component]
pub fn StartPage() -> impl IntoView {
    let code = param("code");
    respondent_page(
        Resource::new(code, get_start),
        |view| view! { <Start view /> },
    )
}

#[component]
fn Start(view: StartView) -> impl IntoView {
    let first = format!("/s/{}/p/{}", view.code, view.resume_page.unwrap_or(1));
    let thanks = format!("/s/{}/thanks", view.code);
    let anonymity = if view.anonymous {
        "Анкета анонимная: мы не спрашиваем имя, не сохраняем адрес и устройство, время ответа — только дата."
    } else {
        "Анкета по личному коду: ответы связаны с кодом, а не с именем. Вернуться к ней можно с любого устройства."
    };
    view! {
        <section class="page">
            <p class="school">{view.school}</p>
            <h1>{view.title}</h1>
            <p class="lead">{view.audience}</p>
            <p>{view.intro}</p>
            <ul class="facts">
                <li>{format!("Займёт около {} минут, разделов: {}.", view.expected_minutes, view.sections.len())}</li>
                <li>{anonymity}</li>
                <li>{view.stored}</li>
                <li>"Можно прерваться: введённое сохраняется после каждого раздела."</li>
            </ul>
            {if view.submitted {
                view! { <p class="notice">"Анкета по этому коду уже отправлена. "<a href=thanks>"Посмотреть результат"</a></p> }.into_any()
            } else {
                let label = if view.resume_page.is_some() { "Продолжить" } else { "Начать" };
                view! { <a class="button" href=first>{label}</a> }.into_any()
            }}
        </section>
    }
}

#[component]
pub fn SectionPage() -> impl IntoView {
    let code = param("code");
    let page = param("page");
    let section = Resource::new(
        move || (code(), page()),
        |(code, page)| get_section(code, page.parse().unwrap_or(1)),
    );
    respondent_page(section, |view| view! { <Section view /> })
}

#[component]
fn Section(view: SectionView) -> impl IntoView {
    let problems = view.problems();
    let action = format!("/respond/{}/{}", view.code, view.page);
    let progress = format!("Раздел {} из {}", view.page, view.pages);
    let next = if view.last {
        "Отправить анкету"
    } else {
        "Далее"
    };
    let back = (view.page > 1).then(|| view! { <button type="submit" name="_go" value="back" class="secondary" formnovalidate>"Назад"</button> });
    view! {
        <section class="page">
            <p class="progress" aria-live="polite">
                <span>{view.questionnaire}</span>" · "{progress.clone()}
                <progress max=view.pages value=view.page aria-label=progress></progress>
            </p>
            <h1>{view.title}</h1>
            {view.intro.map(|i| view! { <p>{i}</p> })}
            {(!problems.is_empty()).then(|| view! {
                <div class="error-summary" role="alert" tabindex="-1" id="errors">
                    <h2>"Проверьте ответы"</h2>
                    <ul>
                        {problems.into_iter().map(|(key, label, message)| view! {
                            <li><a href=format!("#field-{key}")>{label}" — "{message}</a></li>
                        }).collect_view()}
                    </ul>
                </div>
            })}
            <form method="post" action=action novalidate>
                <input type="hidden" name="_draft" value=view.draft />
                {view.items.into_iter().map(|item| view! { <ItemFields item /> }).collect_view()}
                <div class="actions">
                    <button type="submit" name="_go" value="next">{next}</button>
                    {back}
                </div>
            </form>
        </section>
    }
}

#[component]
pub fn ThanksPage() -> impl IntoView {
    let code = param("code");
    respondent_page(
        Resource::new(code, get_thanks),
        |view| view! { <Thanks view /> },
    )
}

#[component]
fn Thanks(view: ThanksView) -> impl IntoView {
    view! {
        <section class="page">
            <h1>"Спасибо! Ответы отправлены"</h1>
            <p class="lead">{view.title}</p>
            {match view.report {
                Some(report) => view! { <Report report /> }.into_any(),
                None => view! {
                    <p>"Ответы сохранены. Результаты школа увидит только в обобщённом виде."</p>
                    <p><a href="/">"На главную"</a></p>
                }.into_any(),
            }}
        </section>
    }
}
