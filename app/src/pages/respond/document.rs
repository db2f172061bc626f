//! A respondent's page as a whole document, rendered by the server at once: no router, no
//! waiting, no hydration (a question page's island marks itself).

use std::sync::Arc;

use leptos::prelude::*;

use super::fields::ItemFields;
use super::live::{summary_entry, LiveForm};
use super::report::Report;
use super::{CodeProblemView, LangLink, RespondentPage};
use crate::i18n::Lang;
use crate::respond::{Page, SectionView, StartView, ThanksView};

/// A respondent's page as the whole HTML document the server sends: rendered at once, without the
/// app's router or any waiting, for the page's own address `path` (its language link returns
/// there). Only a question page loads a script: the loader of its island.
pub fn document(options: &LeptosOptions, path: &str, page: RespondentPage) -> String {
    let back = path.to_owned();
    let scripts = match page {
        RespondentPage::Section(_) => crate::Scripts::Islands,
        _ => crate::Scripts::None,
    };
    let body = move || match page {
        RespondentPage::Start(page) => body(page, back, |view, lang| view! { <Start view lang /> }),
        RespondentPage::Section(page) => {
            body(page, back, |view, lang| view! { <Section view lang /> })
        }
        RespondentPage::Thanks(page, wrong_key) => body(
            page,
            back,
            move |view, lang| view! { <Thanks view lang wrong_key /> },
        ),
    };
    let options = options.clone();
    // Islands need a context to mark themselves in; the page itself is not hydrated.
    let owner = Owner::new_root(Some(Arc::new(
        hydration_context::SsrSharedContext::new_islands(),
    )));
    owner.with(move || {
        view! {
            <!DOCTYPE html>
            <html lang="ru">
                <head>
                    <crate::Head options scripts />
                    <title>{crate::TITLE}</title>
                </head>
                <body>
                    <main>{body()}</main>
                </body>
            </html>
        }
        .to_html()
    })
}

/// A respondent page's body: its view, or why the code opens nothing.
fn body<T, V: IntoView + 'static>(
    page: Page<T>,
    back: String,
    render: impl FnOnce(T, Lang) -> V,
) -> AnyView {
    let lang = page.lang;
    match page.outcome {
        Ok(view) => {
            view! { <LangLink lang back /> <div lang=lang.code()>{render(view, lang)}</div> }
                .into_any()
        }
        Err(problem) => view! {
            <LangLink lang back />
            <section class="page" lang=lang.code()><CodeProblemView problem lang /></section>
        }
        .into_any(),
    }
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
            {view.elsewhere.then(|| {
                let action = format!("/respond/{}/1", view.code);
                view! {
                    <div class="notice" role="status">
                        <p>{lang.tr(
                            "Эта анкета начата на другом устройстве, и ваши ответы сохранены там: продолжите на нём.",
                            "This questionnaire was started on another device, and your answers are kept there: continue on it.",
                        )}</p>
                        <form method="post" action=action>
                            <input type="hidden" name="_start_over" value="1" />
                            <input type="hidden" name="_go" value="back" />
                            <button type="submit" class="secondary">{lang.tr(
                                "Начать заново на этом устройстве (ответы на другом будут удалены)",
                                "Start over on this device (the answers on the other one will be deleted)",
                            )}</button>
                        </form>
                    </div>
                }
            })}
            {if view.submitted {
                view! {
                    <p class="notice">
                        {lang.tr("Анкета по этому коду уже отправлена. ", "This questionnaire has been sent already. ")}
                        <a href=thanks>{lang.tr("Посмотреть результат", "See the result")}</a>
                    </p>
                }
                .into_any()
            } else if view.elsewhere {
                ().into_any()
            } else {
                let label = if view.resume_page.is_some() { lang.tr("Продолжить", "Continue") } else { lang.tr("Начать", "Start") };
                view! { <a class="button" href=first>{label}</a> }.into_any()
            }}
        </section>
    }
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
                        {problems.into_iter().map(|(key, label, message)| {
                            let (href, text) = summary_entry(&key, &label, &message);
                            view! { <li><a href=href>{text}</a></li> }
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
fn Thanks(view: ThanksView, lang: Lang, wrong_key: bool) -> impl IntoView {
    let action = format!("/respond/{}/result", view.code);
    let plan_key = view.result_key.clone().filter(|_| view.report.is_some());
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
                (Some(report), _) => view! {
                    <Report report lang />
                    {plan_key.map(|key| view! {
                        <form method="post" action="/plan" class="no-print plan-open">
                            <input type="hidden" name="key" value=key />
                            <p>{lang.tr(
                                "Свой ИОМ можно вести здесь же: выбирать мероприятия, ставить сроки, отмечать выполненное. План видите только вы; позже он откроется по адресу /plan тем же ключом.",
                                "You can keep your plan here: choose activities, set dates, mark what is done. Only you see it; later it opens at /plan with the same key.",
                            )}</p>
                            <button type="submit">{lang.tr("Вести свой ИОМ", "Keep my development plan")}</button>
                        </form>
                    })}
                }.into_any(),
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
