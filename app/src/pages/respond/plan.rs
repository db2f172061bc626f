//! The owner's development plan (ИОМ) as a whole document the server renders: the form for a
//! result key, then the plan — the diagnostic's areas, the activities with dates, status and
//! evidence, the catalogue's suggestions, one's own activity, whom the plan is shown, and the
//! change since an earlier diagnostic. Plain forms, complete without JavaScript, with no script.

use leptos::prelude::*;

use crate::development::{ItemStatus, PlanItemView, PlanPage, PlanView, Reader};
use crate::i18n::Lang;
use crate::pages::StoredTextArea;

/// The plan page as the whole HTML document.
pub fn plan_document(options: &LeptosOptions, lang: Lang, page: PlanPage) -> String {
    super::plain_document(
        options,
        lang,
        lang.tr("Мой ИОМ — Ориентир", "My development plan — Orientir"),
        "/plan".to_owned(),
        move || body(page, lang),
    )
}

fn body(page: PlanPage, lang: Lang) -> AnyView {
    match page {
        PlanPage::Key { wrong } => view! {
            <h1>{lang.tr("Мой индивидуальный образовательный маршрут", "My individual development plan")}</h1>
            <p class="lead">{lang.tr(
                "Введите ключ результата, который вы получили после диагностики. План видите только вы, пока сами не откроете его методисту.",
                "Type the result key you were given after the diagnostic. Only you see the plan unless you show it to a methodist yourself.",
            )}</p>
            {wrong.then(|| view! {
                <p class="error" role="alert">{lang.tr("Ключ не подходит: проверьте, как он записан.", "The key does not fit: check how it was written down.")}</p>
            })}
            <KeyForm action="/plan" label=lang.tr("Ключ результата", "Result key") button=lang.tr("Открыть план", "Open the plan") />
        }
        .into_any(),
        PlanPage::Plan(plan) => plan_view(*plan, lang),
    }
}

#[component]
fn KeyForm(action: &'static str, label: &'static str, button: &'static str) -> impl IntoView {
    let id = format!("key-{}", action.trim_start_matches('/').replace('/', "-"));
    view! {
        <form method="post" action=action class="code-form">
            <label for=id.clone()>{label}</label>
            <input id=id name="key" type="text" autocomplete="off" autocapitalize="characters"
                spellcheck="false" maxlength="20" required placeholder="XXXX-XXXX-XXXX" />
            <button type="submit">{button}</button>
        </form>
    }
}

fn plan_view(p: PlanView, lang: Lang) -> AnyView {
    let whose = if p.principal {
        lang.tr(
            "Самодиагностика руководителя",
            "Principal's self-diagnostic",
        )
    } else {
        lang.tr(
            "Диагностика профессиональных дефицитов",
            "Professional deficit diagnostic",
        )
    };
    let suggestions = p.suggestions;
    let full = p.full;
    view! {
        <h1>{lang.tr("Мой ИОМ", "My development plan")}</h1>
        <p class="lead">{format!("{whose} · {}", p.created_on)}</p>
        <p class="hint">{lang.tr(
            "План видите только вы. Методист увидит его, только если вы сами откроете доступ ниже, — и тогда только мероприятия, сроки, отметки и подтверждения, но не ответы и не результаты диагностики.",
            "Only you see the plan. A methodist sees it only if you show it below, and then only the activities, dates, marks and evidence — never the answers or the diagnostic's results.",
        )}</p>
        {p.notice.map(|n| view! { <p class="notice" role="status">{n.text(lang)}</p> })}
        {(!p.problems.is_empty()).then(|| view! {
            <div class="error" role="alert"><ul>{p.problems.into_iter().map(|x| view! { <li>{x}</li> }).collect_view()}</ul></div>
        })}
        <h2>{lang.tr("Результаты диагностики", "The diagnostic's results")}</h2>
        <table class="areas">
            <thead><tr><th scope="col">{lang.tr("Область", "Area")}</th><th scope="col" class="num">{lang.tr("Результат", "Result")}</th><th scope="col">{lang.tr("Оценка", "Band")}</th></tr></thead>
            <tbody>
                {p.areas.into_iter().map(|a| view! {
                    <tr>
                        <td>{a.name}</td>
                        <td class="num">{a.percent.map(|x| format!("{x:.0} %")).unwrap_or_else(|| "—".into())}</td>
                        <td><span class="band" style=format!("border-color:{}", a.colour)>{a.band}</span></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        <h2>{lang.tr("Мероприятия плана", "The plan's activities")}</h2>
        {if p.items.is_empty() {
            view! { <p>{lang.tr("В плане пока нет мероприятий: добавьте из предложенных ниже или своё.", "The plan has no activities yet: add one of the suggestions below or your own.")}</p> }.into_any()
        } else {
            view! { <ol class="plan-items">{p.items.into_iter().map(|i| item_form(i, lang)).collect_view()}</ol> }.into_any()
        }}
        {full.then(|| view! { <p class="notice">{lang.tr("В плане столько мероприятий, сколько он может вместить: удалите ненужные, чтобы добавить новые.", "The plan holds as many activities as it may: remove some to add others.")}</p> })}
        {(!full && !suggestions.is_empty()).then(|| view! {
            <h2>{lang.tr("Предложения по вашим дефицитам", "Suggestions for your deficits")}</h2>
            <p class="hint">{lang.tr("Сначала — по самым выраженным дефицитам.", "The most pronounced deficits first.")}</p>
            <ul class="suggestions">
                {suggestions.into_iter().map(|s| {
                    let i = s.iom;
                    view! {
                        <li>
                            <p><strong>{i.title}</strong></p>
                            <p>{format!("{} · {}{}", i.area, i.format, i.hours.map(|h| format!(" · {h} {}", lang.tr("ч", "h"))).unwrap_or_default())}</p>
                            {i.provider.map(|x| view! { <p>{lang.tr("Кто проводит: ", "Offered by: ")}{x}</p> })}
                            {i.link.map(|href| { let shown = href.clone(); view! { <p>{lang.tr("Подробнее и запись: ", "Details and enrolment: ")}<a href=href>{shown}</a></p> } })}
                            <form method="post" action="/plan/items">
                                <input type="hidden" name="activity" value=s.key />
                                <button type="submit" class="secondary">{lang.tr("Добавить в план", "Add to the plan")}</button>
                            </form>
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
        {(!full).then(|| view! {
            <h2>{lang.tr("Своё мероприятие", "An activity of your own")}</h2>
            <form method="post" action="/plan/items" class="own-item">
                <label for="own-title">{lang.tr("Что вы будете делать", "What you will do")}</label>
                <input id="own-title" name="title" type="text" maxlength="300" required />
                <label for="own-starts">{lang.tr("Начало", "Start")}</label>
                <input id="own-starts" name="starts_on" type="date" />
                <label for="own-due">{lang.tr("Срок", "Due")}</label>
                <input id="own-due" name="due_on" type="date" />
                <button type="submit">{lang.tr("Добавить", "Add")}</button>
            </form>
        })}
        <h2>{lang.tr("Кому виден план", "Who sees the plan")}</h2>
        <ul class="shares">
            {Reader::ALL.into_iter().map(|reader| {
                let shared = p.shares.iter().find(|s| s.reader == reader).cloned();
                let id = format!("signed-{}", reader.key());
                match shared {
                    Some(s) => view! {
                        <li>
                            <p>{match lang {
                                Lang::Ru => format!("Открыт: {} (с {}).", reader.label(lang), s.since),
                                Lang::En => format!("Shown to {} (since {}).", reader.label(lang), s.since),
                            }}{(!s.signed.is_empty()).then(|| format!(" {}{}", lang.tr("Подпись: ", "Signed: "), s.signed))}</p>
                            <form method="post" action="/plan/share">
                                <input type="hidden" name="reader" value=reader.key() />
                                <input type="hidden" name="share" value="off" />
                                <button type="submit" class="secondary">{lang.tr("Закрыть доступ", "Stop showing it")}</button>
                            </form>
                        </li>
                    }.into_any(),
                    None => view! {
                        <li>
                            <form method="post" action="/plan/share">
                                <input type="hidden" name="reader" value=reader.key() />
                                <input type="hidden" name="share" value="on" />
                                <label for=id.clone()>{match lang {
                                    Lang::Ru => format!("Открыть план: {}. Как вас подписать (необязательно)", reader.label(lang)),
                                    Lang::En => format!("Show the plan to {}. How to sign it (optional)", reader.label(lang)),
                                }}</label>
                                <input id=id name="signed" type="text" maxlength="120" />
                                <button type="submit" class="secondary">{lang.tr("Открыть доступ", "Show it")}</button>
                            </form>
                        </li>
                    }.into_any(),
                }
            }).collect_view()}
        </ul>
        <h2>{lang.tr("Изменения с прошлой диагностики", "Change since an earlier diagnostic")}</h2>
        {match p.change {
            Some(lines) => view! {
                <p class="hint">{lang.tr(
                    "Самооценка из нескольких утверждений на область неточна: «в пределах погрешности» значит, что разница может быть случайной.",
                    "A self-assessment of a few statements per area is imprecise: «within the uncertainty» means the difference may be chance.",
                )}</p>
                <table class="change">
                    <thead><tr>
                        <th scope="col">{lang.tr("Область", "Area")}</th>
                        <th scope="col" class="num">{lang.tr("Было", "Before")}</th>
                        <th scope="col" class="num">{lang.tr("Стало", "After")}</th>
                        <th scope="col" class="num">{lang.tr("Разница", "Difference")}</th>
                        <th scope="col">{lang.tr("Вывод", "Reading")}</th>
                    </tr></thead>
                    <tbody>
                        {lines.into_iter().map(|c| view! {
                            <tr><td>{c.area}</td><td class="num">{c.before}</td><td class="num">{c.after}</td><td class="num">{c.delta}</td><td>{c.verdict}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <form method="post" action="/plan/compare">
                    <input type="hidden" name="clear" value="1" />
                    <button type="submit" class="secondary">{lang.tr("Скрыть сравнение", "Hide the comparison")}</button>
                </form>
            }.into_any(),
            None => view! {
                <p>{lang.tr(
                    "Если вы проходили диагностику раньше, введите ключ того результата: вы увидите, как изменились ваши области. Связать две диагностики можете только вы.",
                    "If you took the diagnostic before, type that result's key to see how your areas changed. Only you can link the two.",
                )}</p>
                <KeyForm action="/plan/compare" label=lang.tr("Ключ прошлого результата", "The earlier result's key") button=lang.tr("Сравнить", "Compare") />
            }.into_any(),
        }}
        <form method="post" action="/plan/leave" class="no-print">
            <button type="submit" class="secondary">{lang.tr("Закрыть план на этом устройстве", "Close the plan on this device")}</button>
        </form>
    }
    .into_any()
}

fn item_form(i: PlanItemView, lang: Lang) -> impl IntoView {
    let id = i.id;
    let field = move |name: &str| format!("item-{id}-{name}");
    view! {
        <li class:overdue=i.overdue>
            <p><strong>{i.title}</strong>{i.overdue.then(|| format!(" · {}", lang.tr("срок прошёл", "overdue")))}</p>
            {(!i.areas.is_empty()).then(|| view! {
                <p>{format!("{}{}{}", i.areas, i.format.map(|f| format!(" · {f}")).unwrap_or_default(), i.hours.map(|h| format!(" · {h} {}", lang.tr("ч", "h"))).unwrap_or_default())}</p>
            })}
            {i.provider.map(|x| view! { <p>{lang.tr("Кто проводит: ", "Offered by: ")}{x}</p> })}
            {i.link.map(|href| { let shown = href.clone(); view! { <p>{lang.tr("Подробнее и запись: ", "Details and enrolment: ")}<a href=href>{shown}</a></p> } })}
            <form method="post" action=format!("/plan/items/{id}") class="plan-item">
                <label for=field("starts")>{lang.tr("Начало", "Start")}</label>
                <input id=field("starts") name="starts_on" type="date" value=i.starts_on.unwrap_or_default() />
                <label for=field("due")>{lang.tr("Срок", "Due")}</label>
                <input id=field("due") name="due_on" type="date" value=i.due_on.unwrap_or_default() />
                <label for=field("status")>{lang.tr("Отметка", "Status")}</label>
                <select id=field("status") name="status">
                    {ItemStatus::ALL.into_iter().map(|s| view! { <option value=s.key() selected=s == i.status>{s.label(lang)}</option> }).collect_view()}
                </select>
                <label for=field("evidence")>{lang.tr("Подтверждение (удостоверение, ссылка, что сделано)", "Evidence (certificate, link, what was done)")}</label>
                <StoredTextArea id=field("evidence") name="evidence" rows=2 maxlength=2000 value=i.evidence />
                <button type="submit">{lang.tr("Сохранить", "Save")}</button>
            </form>
            <form method="post" action=format!("/plan/items/{id}/remove")>
                <button type="submit" class="secondary">{lang.tr("Удалить из плана", "Remove from the plan")}</button>
            </form>
        </li>
    }
}
