//! The support pages: the school's questions, visits and recommendations (`/work/support`), a
//! question's thread, the knowledge base, a visit with its recommendations, events, roadmaps
//! (with a printable A4 version) and the inbox with its mail settings. Plain forms, complete
//! without JavaScript; every stored text is a text node.

use leptos::prelude::*;

use super::campaign::{id_param, report_page};
use super::listing::{
    list_link, list_query, ListFields, ListForm, Pager, Shown, SortHeader, SortLinks,
};
use super::{notice, query, Csrf};
use crate::access::{Role, Viewer};
use crate::i18n::Lang;
use crate::listing::Paging;
use crate::pages::StoredTextArea;
use crate::support::{
    get_event, get_events, get_inbox, get_knowledge, get_question, get_roadmap, get_roadmaps,
    get_support, get_support_summary, get_visit, ActivityStatus, EventFormat, EventPage,
    EventsPage, FileLink, HistoryLine, InboxPage, KnowledgePage, NoticeKind, QuestionItem,
    QuestionPage, QuestionStatus, RecommendationAnswer, RecommendationItem, Responsible,
    RoadmapPage, RoadmapsPage, SupportFilter, SupportList, SupportPage, SupportSummary, VisitItem,
    VisitMode, VisitPage, VisitStatus,
};

/// A refusal the server sent back to this page, sealed for this session.
fn problem(viewer: &Viewer) -> AnyView {
    notice(viewer, "problem")
        .map(|t| view! { <p class="error" role="alert">{t}</p> })
        .into_any()
}

fn files(list: Vec<FileLink>) -> AnyView {
    (!list.is_empty())
        .then(|| {
            view! {
                <ul class="files">
                    {list.into_iter().map(|f| view! {
                        <li><a href=format!("/work/support/files/{}", f.id) download="">{f.name}</a>" ("{f.size}")"</li>
                    }).collect_view()}
                </ul>
            }
        })
        .into_any()
}

fn file_field(lang: Lang, required: bool) -> AnyView {
    view! {
        <label>{lang.tr("Файл (PDF, DOCX, XLSX, ODT, ODS, JPEG, PNG; до 10 МБ)", "A file (PDF, DOCX, XLSX, ODT, ODS, JPEG, PNG; up to 10 MB)")}
            <input type="file" name="file" required=required accept=".pdf,.docx,.xlsx,.odt,.ods,.jpg,.jpeg,.png" /></label>
    }
    .into_any()
}

fn history(lines: Vec<HistoryLine>, lang: Lang) -> AnyView {
    (!lines.is_empty())
        .then(|| {
            view! {
                <details class="history">
                    <summary>{lang.tr("История изменений", "History of changes")}</summary>
                    <ul>{lines.into_iter().map(|h| view! { <li>{format!("{} UTC · {} · {}", h.at, h.who, h.what)}</li> }).collect_view()}</ul>
                </details>
            }
        })
        .into_any()
}

fn options<T: Copy + PartialEq + 'static>(
    all: &[T],
    key: fn(T) -> &'static str,
    label: fn(T, Lang) -> &'static str,
    lang: Lang,
    chosen: Option<T>,
) -> AnyView {
    all.iter()
        .map(|v| {
            let selected = chosen == Some(*v);
            view! { <option value=key(*v) selected=selected>{label(*v, lang)}</option> }
        })
        .collect_view()
        .into_any()
}

fn count_input(name: &'static str, label: &'static str, value: i64) -> AnyView {
    view! { <label>{label}<input name=name type="number" min="0" max="500" inputmode="numeric" value=value /></label> }.into_any()
}

// The support page.

/// What the address asks of the support page's lists (tracked).
fn support_filter() -> impl Fn() -> SupportFilter + Copy + Send + Sync + 'static {
    let query = leptos_router::hooks::use_query_map();
    move || {
        let q = query.read();
        let text = |key: &str| q.get(key).filter(|v| !v.is_empty());
        SupportFilter {
            school: q.get_str("school").and_then(|v| v.parse().ok()),
            show: text("show"),
            municipality: q.get_str("municipality").and_then(|v| v.parse().ok()),
            state: text("state"),
        }
    }
}

#[component]
pub fn SupportListPage() -> impl IntoView {
    let filter = support_filter();
    let list = list_query();
    let page = super::page_data(move || (filter(), list()), |(f, l)| get_support(f, l));
    report_page(page, support_view)
}

/// A sortable column header of a support list.
fn sort_header(label: &str, column: &str, paging: &Paging, numeric: bool, lang: Lang) -> AnyView {
    view! { <SortHeader label=label.to_owned() column=column.to_owned() paging=paging.clone() numeric lang /> }.into_any()
}

fn question_rows(list: Vec<QuestionItem>, paging: &Paging, lang: Lang) -> AnyView {
    if list.is_empty() {
        return view! { <p>{lang.tr("Вопросов нет.", "No questions.")}</p> }.into_any();
    }
    view! {
        <div class="wide list" tabindex="0" role="region" aria-label=lang.tr("Вопросы", "Questions")><table class="questions">
            <thead><tr>
                <th scope="col">{lang.tr("Вопрос", "Question")}</th>
                {sort_header(lang.tr("Школа", "School"), "school", paging, false, lang)}
                {sort_header(lang.tr("Состояние", "Status"), "status", paging, false, lang)}
                {sort_header(lang.tr("Ответить до", "Answer by"), "due", paging, false, lang)}
            </tr></thead>
            <tbody>{list.into_iter().map(|q| view! {
                <tr data-question=q.id data-status=q.status.key() class:overdue=q.overdue>
                    <td><a href=format!("/work/support/questions/{}", q.id)>{q.title}</a>
                        {(!q.factor.is_empty()).then(|| view! { <br /><small>{q.factor}</small> })}</td>
                    <td>{q.school}</td>
                    <td>{q.status.label(lang)}{q.overdue.then(|| view! { <br /><strong class="overdue-mark">{lang.tr("срок ответа прошёл", "past the target")}</strong> })}</td>
                    <td>{q.due_on}</td>
                </tr>
            }).collect_view()}</tbody>
        </table></div>
    }
    .into_any()
}

fn visit_rows(list: Vec<VisitItem>, paging: &Paging, lang: Lang) -> AnyView {
    if list.is_empty() {
        return view! { <p>{lang.tr("Визитов нет.", "No visits.")}</p> }.into_any();
    }
    view! {
        <div class="wide list" tabindex="0" role="region" aria-label=lang.tr("Визиты", "Visits")><table class="visits">
            <thead><tr>
                {sort_header(lang.tr("Дата", "Date"), "day", paging, false, lang)}
                {sort_header(lang.tr("Школа", "School"), "school", paging, false, lang)}
                <th scope="col">{lang.tr("Формат", "Format")}</th>
                {sort_header(lang.tr("Состояние", "Status"), "status", paging, false, lang)}
                <th scope="col">{lang.tr("Кто", "Who")}</th>
                {sort_header(lang.tr("Рекомендаций", "Recommendations"), "recommendations", paging, true, lang)}
            </tr></thead>
            <tbody>{list.into_iter().map(|v| view! {
                <tr data-visit=v.id data-status=v.status.key()>
                    <td><a href=format!("/work/support/visits/{}", v.id)>{v.day}</a></td>
                    <td>{v.school}</td>
                    <td>{v.mode.label(lang)}</td>
                    <td>{v.status.label(lang)}</td>
                    <td>{v.author}</td>
                    <td class="num">{v.recommendations}</td>
                </tr>
            }).collect_view()}</tbody>
        </table></div>
    }
    .into_any()
}

/// A recommendation with the school's answer form or the author's decision form.
fn recommendation(r: RecommendationItem, viewer: &Viewer, lang: Lang) -> AnyView {
    let id = r.id;
    let answer = r.answerable.then(|| view! {
        <form method="post" enctype="multipart/form-data" class="answer-recommendation"
            action=format!("/work/support/recommendations/{id}/answer?_csrf={}", viewer.csrf)>
            <fieldset>
                <legend>{lang.tr("Ответ школы", "The school's answer")}</legend>
                {RecommendationAnswer::ALL.iter().map(|a| view! {
                    <label class="choice"><input type="radio" name="answer" value=a.key() required />{a.label(lang)}</label>
                }).collect_view()}
            </fieldset>
            <label for=format!("answer-text-{id}")>{lang.tr("Что сделано / причина несогласия", "What was done / why you disagree")}</label>
            <textarea id=format!("answer-text-{id}") name="text" rows="2" maxlength="4000"></textarea>
            {file_field(lang, false)}
            <button type="submit">{lang.tr("Ответить", "Answer")}</button>
        </form>
    });
    let decide = r.decidable.then(|| view! {
        <form method="post" action=format!("/work/support/recommendations/{id}/decide") class="decide-recommendation">
            <Csrf viewer=viewer.clone() />
            <label for=format!("decide-comment-{id}")>{lang.tr("Комментарий (обязателен при возврате)", "Comment (needed to return it)")}</label>
            <textarea id=format!("decide-comment-{id}") name="comment" rows="2" maxlength="2000"></textarea>
            <button type="submit" name="decision" value="accept">{lang.tr("Принять", "Accept")}</button>" "
            <button type="submit" name="decision" value="return" class="secondary">{lang.tr("Вернуть", "Return")}</button>
        </form>
    });
    view! {
        <li class="recommendation" id=format!("recommendation-{id}") data-recommendation=id data-status=r.status.key() class:overdue=r.overdue>
            <p class="body">{r.body}</p>
            <p class="meta">
                {format!("{} · {}: {} · {}", r.school, lang.tr("срок", "due"), r.due_on, r.responsible.label(lang))}
                " · "<strong>{r.status.label(lang)}</strong>
                {r.overdue.then(|| view! { " · "<strong class="overdue-mark">{lang.tr("просрочено", "overdue")}</strong> })}
            </p>
            {(!r.answer.is_empty()).then(|| view! { <p class="answer">{lang.tr("Ответ школы: ", "The school's answer: ")}{r.answer}</p> })}
            {files(r.files)}
            {answer}
            {decide}
        </li>
    }
    .into_any()
}

fn ask_form(p: &SupportPage, viewer: &Viewer, lang: Lang) -> AnyView {
    let days = p.answer_days.map(|d| match lang {
        Lang::Ru => {
            format!("Куратор или муниципальный координатор ответит в течение {d} рабочих дней.")
        }
        Lang::En => {
            format!("Your curator or municipal coordinator answers within {d} working days.")
        }
    });
    view! {
        <section class="ask" aria-labelledby="ask-h">
            <h2 id="ask-h">{lang.tr("Задать вопрос куратору", "Ask your curator")}</h2>
            {days.map(|d| view! { <p class="hint">{d}</p> })}
            <form method="post" enctype="multipart/form-data" class="ask-form"
                action=format!("/work/support/questions?_csrf={}", viewer.csrf)>
                <label for="q-title">{lang.tr("Тема", "Subject")}</label>
                <input id="q-title" name="title" required maxlength="200" />
                <label for="q-factor">{lang.tr("Риск (необязательно)", "Risk (optional)")}</label>
                <select id="q-factor" name="factor">
                    <option value="">{lang.tr("— без привязки —", "— none —")}</option>
                    {p.factors.clone().into_iter().map(|(code, name)| view! { <option value=code.clone()>{format!("{code} {name}")}</option> }).collect_view()}
                </select>
                {(!p.measures.is_empty()).then(|| view! {
                    <label for="q-measure">{lang.tr("Мероприятие программы (необязательно)", "A measure of the programme (optional)")}</label>
                    <select id="q-measure" name="measure">
                        <option value="">{lang.tr("— без привязки —", "— none —")}</option>
                        {p.measures.clone().into_iter().map(|(id, text)| view! { <option value=id>{text}</option> }).collect_view()}
                    </select>
                })}
                <label for="q-body">{lang.tr("Вопрос", "Question")}</label>
                <textarea id="q-body" name="body" rows="4" required maxlength="4000"></textarea>
                {file_field(lang, false)}
                <button type="submit">{lang.tr("Отправить вопрос", "Send the question")}</button>
            </form>
        </section>
    }
    .into_any()
}

fn visit_form(viewer: &Viewer, lang: Lang) -> AnyView {
    view! {
        <details class="new-visit">
            <summary>{lang.tr("Запланировать или записать визит", "Plan or record a visit")}</summary>
            <form method="post" action="/work/support/visits" class="visit-form">
                <Csrf viewer=viewer.clone() />
                <super::SchoolField id="v-school" name="school" lang />
                {visit_fields(None, lang)}
                <button type="submit">{lang.tr("Сохранить визит", "Save the visit")}</button>
            </form>
        </details>
    }
    .into_any()
}

/// The fields of a visit, filled from an existing one.
fn visit_fields(v: Option<&VisitPage>, lang: Lang) -> AnyView {
    let day = v.map(|v| v.item.day.clone()).unwrap_or_default();
    let [p, d, t, o] = v.map(|v| v.participants).unwrap_or_default();
    let purpose = v.map(|v| v.item.purpose.clone()).unwrap_or_default();
    let findings = v.map(|v| v.findings.clone()).unwrap_or_default();
    view! {
        <label>{lang.tr("Дата", "Date")}<input name="day" type="date" required value=day /></label>
        <label>{lang.tr("Формат", "Format")}<select name="mode">{options(VisitMode::ALL, VisitMode::key, VisitMode::label, lang, v.map(|v| v.item.mode))}</select></label>
        <label>{lang.tr("Состояние", "Status")}<select name="status">{options(VisitStatus::ALL, VisitStatus::key, VisitStatus::label, lang, v.map(|v| v.item.status))}</select></label>
        <fieldset class="counts">
            <legend>{lang.tr("Участники (сколько человек)", "Participants (how many)")}</legend>
            {count_input("principals", lang.tr("директор", "principal"), p)}
            {count_input("deputies", lang.tr("заместители", "deputies"), d)}
            {count_input("teachers", lang.tr("педагоги", "teachers"), t)}
            {count_input("others", lang.tr("другие", "others"), o)}
        </fieldset>
        <label for="v-purpose">{lang.tr("Цель визита", "Purpose")}</label>
        <StoredTextArea id="v-purpose".into() name="purpose" rows=2 maxlength=2000 value=purpose />
        <label for="v-findings">{lang.tr("Выводы", "Findings")}</label>
        <StoredTextArea id="v-findings".into() name="findings" rows=4 maxlength=8000 value=findings />
    }
    .into_any()
}

fn support_view(p: SupportPage, lang: Lang, viewer: &Viewer) -> impl IntoView {
    let ask = p.asks.then(|| ask_form(&p, viewer, lang));
    let plan = p.visits_planned.then(|| visit_form(viewer, lang));
    let target = (!p.target_regions.is_empty()).then(|| view! {
        <form method="post" action="/work/support/target" class="inline target">
            <Csrf viewer=viewer.clone() />
            <label for="t-region">{lang.tr("Срок первого ответа на вопрос школы в регионе", "Target for a first answer in the region")}</label>
            <select id="t-region" name="region">
                {p.target_regions.clone().into_iter().map(|c| view! { <option value=c.id>{c.name}</option> }).collect_view()}
            </select>
            <input name="days" type="number" min="1" max="30" required value=p.answer_days.unwrap_or(3) aria-label=lang.tr("Рабочих дней", "Working days") />
            <button type="submit" class="secondary">{lang.tr("Установить", "Set")}</button>
        </form>
    });
    let show = p.show;
    let paging = p.paging.clone();
    // The tabs: each list with how many the filter leaves.
    let tabs = view! {
        <nav class="tabs" aria-label=lang.tr("Списки", "Lists")>
            {SupportList::ALL.iter().zip(p.totals).map(|(l, n)| {
                let href = list_link((*l != SupportList::Questions).then_some(l.key()));
                let current = (*l == show).then_some("page");
                view! { <a href=href aria-current=current>{format!("{} ({n})", l.label(lang))}</a> }
            }).collect_view()}
        </nav>
    }
    .into_any();
    let one_school = p.school.clone().map(|(_, name)| view! {
        <p class="notice" role="status">{lang.tr("Показана одна школа: ", "One school shown: ")}{name}" · "
            <a href="/work/support">{lang.tr("показать все", "show all")}</a></p>
    });
    let states = p.states.clone();
    let chosen_state = leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("state");
    let municipalities = p.municipalities.clone();
    let municipality = super::campaign::selected_municipality();
    let form_paging = paging.clone();
    let school_field = p
        .school
        .as_ref()
        .map(|(id, _)| view! { <input type="hidden" name="school" value=*id /> });
    let filter = view! {
        <ListForm lang>
            <input type="hidden" name="show" value=show.key() />
            {school_field}
            {(municipalities.len() > 1).then(|| super::select("municipality", lang.tr("Муниципалитет", "Municipality"), municipalities, municipality, Some(lang.tr("все", "all"))))}
            <label for="state">{lang.tr("Состояние", "Status")}</label>
            <select id="state" name="state">
                <option value="">{lang.tr("любое", "any")}</option>
                {states.into_iter().map(|(key, label, n)| {
                    let selected = chosen_state.as_deref() == Some(key.as_str());
                    view! { <option value=key selected=selected>{format!("{label} ({n})")}</option> }
                }).collect_view()}
            </select>
            <ListFields paging=form_paging lang />
            <button type="submit" class="secondary">{lang.tr("Показать", "Show")}</button>
        </ListForm>
    }
    .into_any();
    let list = match show {
        SupportList::Questions => question_rows(p.questions, &paging, lang),
        SupportList::Visits => view! { {plan}{visit_rows(p.visits, &paging, lang)} }.into_any(),
        SupportList::Recommendations => {
            let recs = p.recommendations;
            if recs.is_empty() {
                view! { <p>{lang.tr("Рекомендаций нет.", "No recommendations.")}</p> }.into_any()
            } else {
                view! {
                    <SortLinks columns=vec![
                        (lang.tr("по школе", "by school").to_owned(), "school".to_owned(), false),
                        (lang.tr("по сроку", "by due date").to_owned(), "due".to_owned(), false),
                        (lang.tr("по состоянию", "by status").to_owned(), "status".to_owned(), false),
                    ] paging=paging.clone() lang />
                    <ul class="recommendations">{recs.into_iter().map(|r| recommendation(r, viewer, lang)).collect_view()}</ul>
                }.into_any()
            }
        }
    };
    view! {
        <h1>{lang.tr("Методическая поддержка", "Support")}</h1>
        {problem(viewer)}
        <p><a href="/work/knowledge">{lang.tr("База знаний: ответы на вопросы школ", "Knowledge base: answers to schools' questions")}</a></p>
        {target}
        {ask}
        {one_school}
        {tabs}
        <h2>{show.label(lang)}</h2>
        {filter}
        <Shown paging=paging.clone() lang />
        {list}
        <Pager paging lang />
    }
}

// A question.

#[component]
pub fn QuestionThreadPage() -> impl IntoView {
    let id = id_param("id");
    let page = super::page_data(id, get_question);
    report_page(page, question_view)
}

fn question_view(q: QuestionPage, lang: Lang, viewer: &Viewer) -> impl IntoView {
    let id = q.item.id;
    let reply = q.writes.then(|| view! {
        <form method="post" enctype="multipart/form-data" class="message-form"
            action=format!("/work/support/questions/{id}/messages?_csrf={}", viewer.csrf)>
            <label for="m-body">{if viewer.role == Role::School { lang.tr("Новое сообщение", "New message") } else { lang.tr("Ответ", "Answer") }}</label>
            <textarea id="m-body" name="body" rows="4" required maxlength="4000"></textarea>
            {file_field(lang, false)}
            <button type="submit">{lang.tr("Отправить", "Send")}</button>
        </form>
    });
    let close = q.closes.then(|| view! {
        <form method="post" action=format!("/work/support/questions/{id}/close") class="inline">
            <Csrf viewer=viewer.clone() />
            <button type="submit" class="secondary">{lang.tr("Вопрос решён — закрыть", "Resolved — close it")}</button>
        </form>
    });
    let publish = q.publishes.then(|| view! {
        <details class="publish" open=q.published>
            <summary>{if q.published { lang.tr("Опубликовано в базе знаний", "Published to the knowledge base") } else { lang.tr("Опубликовать в базе знаний", "Publish to the knowledge base") }}</summary>
            <p class="hint">{lang.tr("Название школы не публикуется: уберите из текста всё, что её выдаёт.", "The school's name is not published: remove anything in the text that gives it away.")}</p>
            <form method="post" action=format!("/work/support/questions/{id}/publish") class="publish-form">
                <Csrf viewer=viewer.clone() />
                <label for="kb-q">{lang.tr("Вопрос", "Question")}</label>
                <StoredTextArea id="kb-q".into() name="kb_question" rows=2 maxlength=1000 value=q.kb_question.clone() />
                <label for="kb-a">{lang.tr("Ответ", "Answer")}</label>
                <StoredTextArea id="kb-a".into() name="kb_answer" rows=5 maxlength=6000 value=q.kb_answer.clone() />
                <button type="submit">{lang.tr("Опубликовать", "Publish")}</button>
            </form>
            {q.published.then(|| view! {
                <form method="post" action=format!("/work/support/questions/{id}/unpublish") class="inline">
                    <Csrf viewer=viewer.clone() />
                    <button type="submit" class="secondary">{lang.tr("Снять с публикации", "Withdraw")}</button>
                </form>
            })}
        </details>
    });
    view! {
        <p><a href="/work/support">{lang.tr("← Поддержка", "← Support")}</a></p>
        <h1>{q.item.title.clone()}</h1>
        {problem(viewer)}
        <p class="lead" data-status=q.item.status.key()>
            {format!("{} · {} · ", q.item.school, q.item.asked)}<strong>{q.item.status.label(lang)}</strong>
            {(q.item.status == QuestionStatus::New).then(|| format!(" · {} {}", lang.tr("ответить до", "answer by"), q.item.due_on))}
            {q.item.overdue.then(|| view! { " · "<strong class="overdue-mark">{lang.tr("срок ответа прошёл", "past the target")}</strong> })}
        </p>
        {(!q.item.factor.is_empty()).then(|| view! { <p>{lang.tr("Риск: ", "Risk: ")}{q.item.factor.clone()}</p> })}
        {q.measure.clone().map(|m| view! { <p>{lang.tr("Мероприятие: ", "Measure: ")}{m}</p> })}
        <ol class="thread">
            {q.messages.into_iter().enumerate().map(|(i, m)| view! {
                <li class="message" id=format!("message-{i}")>
                    <p class="meta">{format!("{} · {} UTC", m.who, m.at)}</p>
                    <p class="body">{m.body}</p>
                    {files(m.files)}
                </li>
            }).collect_view()}
        </ol>
        {reply}
        {close}
        {publish}
        {history(q.history, lang)}
    }
}

// The knowledge base.

#[component]
pub fn KnowledgeBasePage() -> impl IntoView {
    let page = super::page_data(
        || (query("factor"), query("text")),
        |(f, t)| get_knowledge(f, t),
    );
    report_page(page, knowledge_view)
}

fn knowledge_view(k: KnowledgePage, lang: Lang, _viewer: &Viewer) -> impl IntoView {
    let chosen = k.factor.clone();
    view! {
        <h1>{lang.tr("База знаний", "Knowledge base")}</h1>
        <p class="lead">{lang.tr("Ответы кураторов и координаторов на вопросы школ, опубликованные регионом без названий школ.", "Curators' and coordinators' answers to schools' questions, published by the region without the schools' names.")}</p>
        <form method="get" class="filter" role="search">
            <label for="kb-factor">{lang.tr("Риск", "Risk")}</label>
            <select id="kb-factor" name="factor">
                <option value="">{lang.tr("все риски", "all risks")}</option>
                {k.factors.into_iter().map(|(code, name)| {
                    let selected = code == chosen;
                    view! { <option value=code.clone() selected=selected>{format!("{code} {name}")}</option> }
                }).collect_view()}
            </select>
            <label for="kb-text">{lang.tr("Поиск по тексту", "Search the text")}</label>
            <input id="kb-text" name="text" type="search" maxlength="200" value=k.text.clone() />
            <button type="submit">{lang.tr("Найти", "Search")}</button>
        </form>
        {if k.items.is_empty() {
            view! { <p>{lang.tr("Ничего не найдено.", "Nothing found.")}</p> }.into_any()
        } else {
            view! {
                <ul class="knowledge">{k.items.into_iter().map(|i| view! {
                    <li data-knowledge=i.id>
                        <h2>{i.question}</h2>
                        {(!i.factor.is_empty()).then(|| view! { <p class="meta">{i.factor}</p> })}
                        <p class="answer">{i.answer}</p>
                        <p class="meta">{format!("{} {} UTC", lang.tr("Опубликовано", "Published"), i.published)}</p>
                    </li>
                }).collect_view()}</ul>
            }.into_any()
        }}
    }
}

// A visit.

#[component]
pub fn VisitDetailPage() -> impl IntoView {
    let id = id_param("id");
    let page = super::page_data(id, get_visit);
    report_page(page, visit_view)
}

fn visit_view(v: VisitPage, lang: Lang, viewer: &Viewer) -> impl IntoView {
    let id = v.item.id;
    let [p, d, t, o] = v.participants;
    let edit = v.edits.then(|| view! {
        <details class="edit-visit">
            <summary>{lang.tr("Изменить визит (записать итоги)", "Change the visit (record how it went)")}</summary>
            <form method="post" action=format!("/work/support/visits/{id}/save") class="visit-form">
                <Csrf viewer=viewer.clone() />
                {visit_fields(Some(&v), lang)}
                <button type="submit">{lang.tr("Сохранить", "Save")}</button>
            </form>
        </details>
        <details class="new-recommendation" open=true>
            <summary>{lang.tr("Дать рекомендацию", "Give a recommendation")}</summary>
            <form method="post" action=format!("/work/support/visits/{id}/recommendations") class="recommendation-form">
                <Csrf viewer=viewer.clone() />
                <label for="r-body">{lang.tr("Рекомендация", "Recommendation")}</label>
                <textarea id="r-body" name="body" rows="3" required maxlength="4000"></textarea>
                <label>{lang.tr("Срок", "Due")}<input name="due_on" type="date" required /></label>
                <label>{lang.tr("Ответственный", "Responsible")}<select name="responsible">{options(Responsible::ALL, Responsible::key, Responsible::label, lang, None)}</select></label>
                <button type="submit">{lang.tr("Добавить", "Add")}</button>
            </form>
        </details>
    });
    view! {
        <p><a href="/work/support">{lang.tr("← Поддержка", "← Support")}</a></p>
        <h1>{format!("{} {} — {}", lang.tr("Визит", "Visit"), v.item.day, v.item.school)}</h1>
        {problem(viewer)}
        <p class="lead" data-status=v.item.status.key()>{format!("{} · {} · {}", v.item.mode.label(lang), v.item.status.label(lang), v.item.author)}</p>
        <p>{match lang {
            Lang::Ru => format!("Участники: директор — {p}, заместители — {d}, педагоги — {t}, другие — {o}"),
            Lang::En => format!("Participants: principal — {p}, deputies — {d}, teachers — {t}, others — {o}"),
        }}</p>
        <h2>{lang.tr("Цель", "Purpose")}</h2>
        <p class="purpose">{v.item.purpose.clone()}</p>
        {(!v.findings.is_empty()).then(|| view! { <h2>{lang.tr("Выводы", "Findings")}</h2><p class="findings">{v.findings.clone()}</p> })}
        <h2>{lang.tr("Рекомендации", "Recommendations")}</h2>
        <ul class="recommendations">{v.recommendations.clone().into_iter().map(|r| recommendation(r, viewer, lang)).collect_view()}</ul>
        {edit}
        {history(v.history.clone(), lang)}
    }
}

// Events.

#[component]
pub fn EventListPage() -> impl IntoView {
    let page = super::page_data(|| (), |_| get_events());
    report_page(page, events_view)
}

fn events_view(e: EventsPage, lang: Lang, viewer: &Viewer) -> impl IntoView {
    let create = (!e.organises.is_empty()).then(|| view! {
        <details class="new-event">
            <summary>{lang.tr("Объявить мероприятие", "Announce an event")}</summary>
            <form method="post" action="/work/events/create" class="event-form">
                <Csrf viewer=viewer.clone() />
                <label for="e-organiser">{lang.tr("Организатор", "Organiser")}</label>
                <select id="e-organiser" name="organiser">
                    {e.organises.clone().into_iter().map(|(value, name)| view! { <option value=value>{name}</option> }).collect_view()}
                </select>
                <label for="e-title">{lang.tr("Название", "Title")}</label>
                <input id="e-title" name="title" required maxlength="300" />
                <label>{lang.tr("Формат", "Format")}<select name="format">{options(EventFormat::ALL, EventFormat::key, EventFormat::label, lang, None)}</select></label>
                <label>{lang.tr("Начало", "Starts")}<input name="starts_on" type="date" required /></label>
                <label>{lang.tr("Окончание", "Ends")}<input name="ends_on" type="date" required /></label>
                <label for="e-description">{lang.tr("Описание", "Description")}</label>
                <textarea id="e-description" name="description" rows="3" maxlength="4000"></textarea>
                <label for="e-cohort">{lang.tr("Целевая категория школ", "Target category of schools")}</label>
                <select id="e-cohort" name="cohort">
                    <option value="">{lang.tr("— нет —", "— none —")}</option>
                    {e.cohorts.clone().into_iter().map(|(k, n)| view! { <option value=k>{n}</option> }).collect_view()}
                </select>
                <label for="e-factors">{lang.tr("Риски (коды через запятую, например RF03, RF07)", "Risks (codes separated by commas, e.g. RF03, RF07)")}</label>
                <input id="e-factors" name="factors" maxlength="200" />
                <button type="submit">{lang.tr("Создать", "Create")}</button>
            </form>
        </details>
    });
    view! {
        <h1>{lang.tr("Мероприятия", "Events")}</h1>
        {problem(viewer)}
        {create}
        {if e.events.is_empty() {
            view! { <p>{lang.tr("Мероприятий нет.", "No events.")}</p> }.into_any()
        } else {
            view! {
                <div class="wide" tabindex="0" role="region" aria-label=lang.tr("Мероприятия", "Events")><table class="events">
                    <thead><tr>
                        <th scope="col">{lang.tr("Мероприятие", "Event")}</th>
                        <th scope="col">{lang.tr("Сроки", "Dates")}</th>
                        <th scope="col">{lang.tr("Организатор", "Organiser")}</th>
                        <th scope="col" class="num">{lang.tr("Школ приглашено", "Schools invited")}</th>
                        <th scope="col" class="num">{lang.tr("Участников", "Participants")}</th>
                    </tr></thead>
                    <tbody>{e.events.into_iter().map(|ev| view! {
                        <tr data-event=ev.id>
                            <td><a href=format!("/work/events/{}", ev.id)>{ev.title}</a><br /><small>{ev.format.label(lang)}</small></td>
                            <td>{format!("{} — {}", ev.starts_on, ev.ends_on)}</td>
                            <td>{ev.organiser}</td>
                            <td class="num">{ev.invited}</td>
                            <td class="num">{ev.registered}</td>
                        </tr>
                    }).collect_view()}</tbody>
                </table></div>
            }.into_any()
        }}
    }
}

#[component]
pub fn EventDetailPage() -> impl IntoView {
    let id = id_param("id");
    let page = super::page_data(id, get_event);
    report_page(page, event_view)
}

fn event_organiser_part(e: &EventPage, viewer: &Viewer, lang: Lang) -> AnyView {
    let id = e.item.id;
    view! {
        <section class="organise" aria-labelledby="organise-h">
            <h2 id="organise-h">{lang.tr("Организатору", "For the organiser")}</h2>
            <form method="post" action=format!("/work/events/{id}/invite") class="invite">
                <Csrf viewer=viewer.clone() />
                <input type="hidden" name="by" value="targets" />
                <button type="submit">{lang.tr("Пригласить целевые школы (категория и риски мероприятия)", "Invite the target schools (the event's category and risks)")}</button>
            </form>
            <form method="post" action=format!("/work/events/{id}/invite") class="invite-codes">
                <Csrf viewer=viewer.clone() />
                <input type="hidden" name="by" value="codes" />
                <label for="invite-codes">{lang.tr("Пригласить по кодам школ (через запятую или с новой строки)", "Invite by school codes (separated by commas or lines)")}</label>
                <textarea id="invite-codes" name="codes" rows="2" maxlength="20000"></textarea>
                <button type="submit" class="secondary">{lang.tr("Пригласить", "Invite")}</button>
            </form>
            <form method="post" enctype="multipart/form-data" class="materials"
                action=format!("/work/events/{id}/materials?_csrf={}", viewer.csrf)>
                {file_field(lang, true)}
                <button type="submit" class="secondary">{lang.tr("Добавить материал", "Add a material")}</button>
            </form>
            {(!e.feedback_closed).then(|| view! {
                <form method="post" action=format!("/work/events/{id}/feedback") class="feedback-step">
                    <Csrf viewer=viewer.clone() />
                    {if e.feedback_open {
                        view! { <button type="submit" name="step" value="close">{lang.tr("Закрыть приём отзывов и показать итоги", "Close the feedback and show the results")}</button> }.into_any()
                    } else {
                        view! { <button type="submit" name="step" value="open">{lang.tr("Открыть приём отзывов (коды получат школы)", "Open the feedback (schools get the codes)")}</button> }.into_any()
                    }}
                </form>
            })}
        </section>
    }
    .into_any()
}

fn invitations_table(e: &EventPage, viewer: &Viewer, lang: Lang) -> AnyView {
    let id = e.item.id;
    let organiser = e.organises;
    let rows = e.invitations.clone().into_iter().map(|i| {
        let reg = i.registered.map_or_else(
            || lang.tr("нет регистрации", "not registered").to_owned(),
            |[p, d, t, o]| format!("{} / {} / {} / {}", p, d, t, o),
        );
        let attended = if organiser {
            view! { <input name=format!("school-{}", i.school_id) type="number" min="0" max="500" value=i.attended aria-label=format!("{} — {}", i.school, lang.tr("пришло", "came")) /> }.into_any()
        } else {
            view! { {i.attended.map(|a| a.to_string()).unwrap_or_else(|| "—".into())} }.into_any()
        };
        view! { <tr data-school=i.school_id><td>{i.school}</td><td>{reg}</td><td class="num">{attended}</td></tr> }
    }).collect_view();
    let table = view! {
        <div class="wide" tabindex="0" role="region" aria-label=lang.tr("Приглашённые школы", "Schools invited")><table class="invitations">
            <thead><tr>
                <th scope="col">{lang.tr("Школа", "School")}</th>
                <th scope="col">{lang.tr("Зарегистрировано: директор / заместители / педагоги / другие", "Registered: principal / deputies / teachers / others")}</th>
                <th scope="col" class="num">{lang.tr("Пришло", "Came")}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
    };
    if organiser {
        view! {
            <form method="post" action=format!("/work/events/{id}/attendance") class="attendance">
                <Csrf viewer=viewer.clone() />
                {table}
                <button type="submit" class="secondary">{lang.tr("Сохранить присутствие", "Save the attendance")}</button>
            </form>
        }
        .into_any()
    } else {
        table.into_any()
    }
}

fn event_view(e: EventPage, lang: Lang, viewer: &Viewer) -> impl IntoView {
    let id = e.item.id;
    let organise = e.organises.then(|| event_organiser_part(&e, viewer, lang));
    let invitations = (!e.invitations.is_empty()).then(|| invitations_table(&e, viewer, lang));
    let register = e.registers.clone().map(|i| {
        let [p, d, t, o] = i.registered.unwrap_or_default();
        let open = !(e.feedback_open || e.feedback_closed);
        view! {
            <section class="register" aria-labelledby="register-h">
                <h2 id="register-h">{lang.tr("Регистрация школы", "The school's registration")}</h2>
                <p>{match i.registered {
                    Some(_) => lang.tr("Школа зарегистрирована; числа можно изменить.", "The school is registered; the numbers may be changed."),
                    None => lang.tr("Школа приглашена. Укажите, сколько человек придёт (имена не нужны).", "The school is invited. Say how many will come (no names needed)."),
                }}</p>
                {open.then(|| view! {
                    <form method="post" action=format!("/work/events/{id}/register") class="register-form">
                        <Csrf viewer=viewer.clone() />
                        {count_input("principals", lang.tr("директор", "principal"), p)}
                        {count_input("deputies", lang.tr("заместители", "deputies"), d)}
                        {count_input("teachers", lang.tr("педагоги", "teachers"), t)}
                        {count_input("others", lang.tr("другие", "others"), o)}
                        <button type="submit">{lang.tr("Зарегистрироваться", "Register")}</button>
                    </form>
                })}
            </section>
        }
    });
    let codes = (!e.codes.is_empty()).then(|| view! {
        <section class="feedback-codes" aria-labelledby="codes-h">
            <h2 id="codes-h">{lang.tr("Коды для анонимного отзыва", "Codes for the anonymous feedback")}</h2>
            <p>{lang.tr("Раздайте по одному коду каждому участнику: отзыв оставляют на странице /feedback. Каждый код действует один раз; школа ответов не видит.", "Hand one code to each participant: the feedback is given at /feedback. Each code works once; the school does not see the answers.")}</p>
            <ul class="codes">{e.codes.clone().into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}</ul>
        </section>
    });
    let feedback = match (&e.feedback, e.feedback_closed, e.organises || crate::access::CAMPAIGNERS.contains(&viewer.role)) {
        (Some(f), _, _) => view! {
            <section class="feedback-results" aria-labelledby="fb-h">
                <h2 id="fb-h">{lang.tr("Итоги отзывов", "Feedback results")}</h2>
                <p>{f.answers.clone()}</p>
                <div class="wide" tabindex="0" role="region" aria-label=lang.tr("Итоги отзывов", "Feedback results")><table class="feedback">
                    <thead><tr>
                        <th scope="col">{lang.tr("Вопрос", "Question")}</th>
                        <th scope="col" class="num">{lang.tr("Согласны", "Agree")}</th>
                        <th scope="col">{lang.tr("Ответы", "Answers")}</th>
                    </tr></thead>
                    <tbody>{f.items.clone().into_iter().map(|(q, share, dist)| view! { <tr><td>{q}</td><td class="num">{share}</td><td>{dist}</td></tr> }).collect_view()}</tbody>
                </table></div>
            </section>
        }.into_any(),
        (None, true, true) => view! {
            <p class="notice">{match lang {
                Lang::Ru => format!("Отзывов меньше {}: итоги не показываются, чтобы нельзя было узнать ответ отдельного участника.", e.feedback_minimum),
                Lang::En => format!("Fewer than {} answers: no results are shown, so that no one participant's answer can be told.", e.feedback_minimum),
            }}</p>
        }.into_any(),
        (None, false, true) if e.feedback_open => view! {
            <p class="notice">{lang.tr("Приём отзывов открыт. Итоги будут видны после закрытия.", "The feedback is open. The results are shown once it is closed.")}</p>
        }.into_any(),
        _ => ().into_any(),
    };
    view! {
        <p><a href="/work/events">{lang.tr("← Мероприятия", "← Events")}</a></p>
        <h1>{e.item.title.clone()}</h1>
        {problem(viewer)}
        <p class="lead">{format!("{} · {} — {} · {}", e.item.format.label(lang), e.item.starts_on, e.item.ends_on, e.item.organiser)}</p>
        {(!e.description.is_empty()).then(|| view! { <p class="description">{e.description.clone()}</p> })}
        {(!e.cohort.is_empty()).then(|| view! { <p>{lang.tr("Категория школ: ", "Category of schools: ")}{e.cohort.clone()}</p> })}
        {(!e.factors.is_empty()).then(|| view! { <p>{lang.tr("Риски: ", "Risks: ")}{e.factors.clone()}</p> })}
        {(!e.materials.is_empty()).then(|| view! { <h2>{lang.tr("Материалы", "Materials")}</h2> })}
        {files(e.materials.clone())}
        {register}
        {codes}
        {organise}
        {invitations}
        {feedback}
        {history(e.history.clone(), lang)}
    }
}

// Roadmaps.

#[component]
pub fn RoadmapListPage() -> impl IntoView {
    let page = super::page_data(|| (), |_| get_roadmaps());
    report_page(page, roadmaps_view)
}

fn roadmaps_view(r: RoadmapsPage, lang: Lang, viewer: &Viewer) -> impl IntoView {
    let create = (!r.owns.is_empty()).then(|| view! {
        <details class="new-roadmap">
            <summary>{lang.tr("Новая дорожная карта", "New roadmap")}</summary>
            <form method="post" action="/work/roadmaps/create" class="roadmap-form">
                <Csrf viewer=viewer.clone() />
                <label for="rm-owner">{lang.tr("Чья", "Whose")}</label>
                <select id="rm-owner" name="owner">
                    {r.owns.clone().into_iter().map(|(value, name)| view! { <option value=value>{name}</option> }).collect_view()}
                </select>
                <label>{lang.tr("Год", "Year")}<input name="year" type="number" min="2020" max="2100" required /></label>
                <label for="rm-title">{lang.tr("Название", "Title")}</label>
                <input id="rm-title" name="title" required maxlength="300" />
                <button type="submit">{lang.tr("Создать", "Create")}</button>
            </form>
        </details>
    });
    view! {
        <h1>{lang.tr("Дорожные карты", "Roadmaps")}</h1>
        {problem(viewer)}
        {create}
        {if r.roadmaps.is_empty() {
            view! { <p>{lang.tr("Дорожных карт нет.", "No roadmaps.")}</p> }.into_any()
        } else {
            view! {
                <table class="roadmaps">
                    <thead><tr>
                        <th scope="col">{lang.tr("Дорожная карта", "Roadmap")}</th>
                        <th scope="col">{lang.tr("Чья", "Whose")}</th>
                        <th scope="col" class="num">{lang.tr("Мероприятий", "Activities")}</th>
                        <th scope="col" class="num">{lang.tr("Просрочено", "Overdue")}</th>
                        <th scope="col" class="num">{lang.tr("Выполнено", "Done")}</th>
                    </tr></thead>
                    <tbody>{r.roadmaps.into_iter().map(|m| view! {
                        <tr data-roadmap=m.id>
                            <td><a href=format!("/work/roadmaps/{}", m.id)>{format!("{} ({})", m.title, m.year)}</a></td>
                            <td>{m.owner}</td>
                            <td class="num">{m.activities}</td>
                            <td class="num">{m.overdue}</td>
                            <td class="num">{format!("{} %", m.progress)}</td>
                        </tr>
                    }).collect_view()}</tbody>
                </table>
            }.into_any()
        }}
    }
}

#[component]
pub fn RoadmapDetailPage() -> impl IntoView {
    let id = id_param("id");
    let page = super::page_data(id, get_roadmap);
    report_page(page, roadmap_view)
}

#[component]
pub fn RoadmapPrintPage() -> impl IntoView {
    let id = id_param("id");
    let page = super::page_data(id, get_roadmap);
    report_page(page, roadmap_print)
}

/// The fields of an activity, filled from an existing one.
fn activity_fields(
    a: Option<&crate::support::ActivityView>,
    cohorts: &[(String, String)],
    lang: Lang,
) -> AnyView {
    let v = |f: fn(&crate::support::ActivityView) -> String| a.map(f).unwrap_or_default();
    let chosen = v(|a| a.cohort.clone());
    let status = a.map(|a| a.status);
    view! {
        <label>{lang.tr("Мероприятие", "Activity")}<input name="title" required maxlength="1000" value=v(|a| a.title.clone()) /></label>
        <label>{lang.tr("Начало", "Start")}<input name="starts_on" type="date" required value=v(|a| a.starts_on.clone()) /></label>
        <label>{lang.tr("Срок", "Due")}<input name="due_on" type="date" required value=v(|a| a.due_on.clone()) /></label>
        <label>{lang.tr("Ответственный", "Responsible")}<input name="responsible" required maxlength="300" value=v(|a| a.responsible.clone()) /></label>
        <label>{lang.tr("Целевая категория школ", "Target category")}<select name="cohort">
            <option value="">{lang.tr("— нет —", "— none —")}</option>
            {cohorts.iter().cloned().map(|(k, n)| { let selected = k == chosen; view! { <option value=k selected=selected>{n}</option> } }).collect_view()}
        </select></label>
        <label>{lang.tr("Школы (коды через запятую)", "Schools (codes, comma separated)")}<input name="schools" maxlength="4000" value=v(|a| a.schools.clone()) /></label>
        <label>{lang.tr("Ожидаемый результат и подтверждающие документы", "Expected result and the documents that prove it")}<input name="expected" maxlength="2000" value=v(|a| a.expected.clone()) /></label>
        <label>{lang.tr("Состояние", "Status")}<select name="status">{options(ActivityStatus::ALL, ActivityStatus::key, ActivityStatus::label, lang, status)}</select></label>
    }
    .into_any()
}

fn roadmap_view(r: RoadmapPage, lang: Lang, viewer: &Viewer) -> impl IntoView {
    let id = r.item.id;
    let edits = r.edits;
    let cohorts = r.cohorts.clone();
    let tracks = r.tracks.clone().into_iter().map(|t| {
        let track_id = t.id;
        let activities = t.activities.into_iter().map(|a| {
            let aid = a.id;
            let edit = edits.then(|| view! {
                <details class="edit-activity">
                    <summary>{lang.tr("Изменить", "Change")}</summary>
                    <form method="post" action=format!("/work/roadmaps/{id}/activities/{aid}") class="activity-form">
                        <Csrf viewer=viewer.clone() />
                        <input type="hidden" name="track" value=track_id />
                        {activity_fields(Some(&a), &cohorts, lang)}
                        <button type="submit">{lang.tr("Сохранить", "Save")}</button>
                    </form>
                    <form method="post" enctype="multipart/form-data" class="attach"
                        action=format!("/work/roadmaps/{id}/activities/{aid}/files?_csrf={}", viewer.csrf)>
                        {file_field(lang, true)}
                        <button type="submit" class="secondary">{lang.tr("Приложить документ", "Attach a document")}</button>
                    </form>
                </details>
            });
            view! {
                <tr id=format!("activity-{aid}") data-activity=aid data-status=a.status.key() class:overdue=a.overdue>
                    <td>{a.title.clone()}{edit}</td>
                    <td>{format!("{} — {}", a.starts_on, a.due_on)}</td>
                    <td>{a.responsible.clone()}</td>
                    <td>{a.targets.clone()}</td>
                    <td>{a.expected.clone()}{files(a.files.clone())}</td>
                    <td>{a.status.label(lang)}{a.overdue.then(|| view! { <br /><strong class="overdue-mark">{lang.tr("просрочено", "overdue")}</strong> })}</td>
                </tr>
            }
            .into_any()
        }).collect_view();
        let add = edits.then(|| view! {
            <details class="new-activity">
                <summary>{lang.tr("Добавить мероприятие", "Add an activity")}</summary>
                <form method="post" action=format!("/work/roadmaps/{id}/activities") class="activity-form">
                    <Csrf viewer=viewer.clone() />
                    <input type="hidden" name="track" value=track_id />
                    {activity_fields(None, &cohorts, lang)}
                    <button type="submit">{lang.tr("Добавить", "Add")}</button>
                </form>
            </details>
        });
        view! {
            <section class="track" id=format!("track-{track_id}") data-track=track_id>
                <h2>{format!("{} — {} %", t.title, t.progress)}</h2>
                <div class="wide" tabindex="0" role="region" aria-label=t.title.clone()><table class="activities">
                    <thead><tr>
                        <th scope="col">{lang.tr("Мероприятие", "Activity")}</th>
                        <th scope="col">{lang.tr("Сроки", "Dates")}</th>
                        <th scope="col">{lang.tr("Ответственный", "Responsible")}</th>
                        <th scope="col">{lang.tr("Целевые школы", "Target schools")}</th>
                        <th scope="col">{lang.tr("Ожидаемый результат", "Expected result")}</th>
                        <th scope="col">{lang.tr("Состояние", "Status")}</th>
                    </tr></thead>
                    <tbody>{activities}</tbody>
                </table></div>
                {add}
            </section>
        }
        .into_any()
    }).collect_view();
    view! {
        <p><a href="/work/roadmaps">{lang.tr("← Дорожные карты", "← Roadmaps")}</a></p>
        <h1>{format!("{} ({})", r.item.title, r.item.year)}</h1>
        {problem(viewer)}
        <p class="lead">{match lang {
            Lang::Ru => format!("{} · выполнено {} % · просрочено мероприятий: {}", r.item.owner, r.item.progress, r.item.overdue),
            Lang::En => format!("{} · {} % done · activities overdue: {}", r.item.owner, r.item.progress, r.item.overdue),
        }}</p>
        <p>
            <a href=format!("/work/roadmaps/{id}/print")>{lang.tr("Версия для печати (A4)", "Printable version (A4)")}</a>" · "
            <a href=format!("/export/roadmaps/{id}/roadmap.docx") download="">{lang.tr("Скачать DOCX", "Download DOCX")}</a>
        </p>
        {tracks}
        {edits.then(|| view! {
            <form method="post" action=format!("/work/roadmaps/{id}/tracks") class="new-track">
                <Csrf viewer=viewer.clone() />
                <label for="track-title">{lang.tr("Новое направление", "New track")}</label>
                <input id="track-title" name="title" required maxlength="300" />
                <button type="submit" class="secondary">{lang.tr("Добавить направление", "Add the track")}</button>
            </form>
        })}
        {history(r.history, lang)}
    }
}

fn roadmap_print(r: RoadmapPage, lang: Lang, _viewer: &Viewer) -> impl IntoView {
    view! {
        <article class="print a4">
            <h1>{lang.tr("Дорожная карта", "Roadmap")}</h1>
            <p class="lead">{format!("{} · {} · {}", r.item.title, r.item.owner, r.item.year)}</p>
            {r.tracks.into_iter().enumerate().map(|(i, t)| view! {
                <h2>{format!("{}. {} ({} %)", i + 1, t.title, t.progress)}</h2>
                <table class="activities">
                    <thead><tr>
                        <th scope="col">{lang.tr("Мероприятие", "Activity")}</th>
                        <th scope="col">{lang.tr("Сроки", "Dates")}</th>
                        <th scope="col">{lang.tr("Ответственный", "Responsible")}</th>
                        <th scope="col">{lang.tr("Целевые школы", "Target schools")}</th>
                        <th scope="col">{lang.tr("Ожидаемый результат", "Expected result")}</th>
                        <th scope="col">{lang.tr("Состояние", "Status")}</th>
                    </tr></thead>
                    <tbody>{t.activities.into_iter().map(|a| view! {
                        <tr>
                            <td>{a.title}</td>
                            <td>{format!("{} — {}", a.starts_on, a.due_on)}</td>
                            <td>{a.responsible}</td>
                            <td>{a.targets}</td>
                            <td>{a.expected}</td>
                            <td>{a.status.label(lang)}{a.overdue.then(|| lang.tr(" (просрочено)", " (overdue)"))}</td>
                        </tr>
                    }).collect_view()}</tbody>
                </table>
            }.into_any()).collect_view()}
        </article>
    }
}

// The inbox.

#[component]
pub fn InboxListPage() -> impl IntoView {
    let page = super::page_data(|| (), |_| get_inbox());
    report_page(page, inbox_view)
}

fn inbox_view(i: InboxPage, lang: Lang, viewer: &Viewer) -> impl IntoView {
    let muted = i.muted.clone();
    let saved = super::number("saved").is_some();
    view! {
        <h1>{lang.tr("Уведомления", "Notifications")}</h1>
        {problem(viewer)}
        {saved.then(|| view! { <p class="notice" role="status">{lang.tr("Настройки сохранены.", "Settings saved.")}</p> })}
        <p>{match lang {
            Lang::Ru => format!("Непрочитанных: {}", i.unread),
            Lang::En => format!("Unread: {}", i.unread),
        }}</p>
        {(i.unread > 0).then(|| view! {
            <form method="post" action="/work/inbox/read" class="inline">
                <Csrf viewer=viewer.clone() />
                <button type="submit" class="secondary">{lang.tr("Отметить все прочитанными", "Mark all read")}</button>
            </form>
        })}
        {if i.notices.is_empty() {
            view! { <p>{lang.tr("Уведомлений нет.", "No notifications.")}</p> }.into_any()
        } else {
            view! {
                <ul class="inbox">{i.notices.into_iter().map(|n| view! {
                    <li data-notice=n.id data-kind=n.kind.key() class:unread=!n.read>
                        <a href=n.link.clone()>{n.kind.label(lang)}": "{n.subject}</a>
                        <small>{format!(" · {} UTC", n.at)}</small>
                        {(!n.read).then(|| view! {
                            <form method="post" action="/work/inbox/read" class="inline">
                                <Csrf viewer=viewer.clone() />
                                <input type="hidden" name="id" value=n.id />
                                <button type="submit" class="secondary">{lang.tr("Прочитано", "Read")}</button>
                            </form>
                        })}
                    </li>
                }).collect_view()}</ul>
            }.into_any()
        }}
        <section class="mail-settings" aria-labelledby="mail-h">
            <h2 id="mail-h">{lang.tr("Рассылка по почте", "Mail")}</h2>
            {(!i.mail).then(|| view! { <p class="notice">{lang.tr("На этом сервере почта не настроена: уведомления видны только здесь.", "This server sends no mail: notifications are shown here only.")}</p> })}
            <form method="post" action="/work/inbox/settings" class="settings">
                <Csrf viewer=viewer.clone() />
                <label for="mail-email">{lang.tr("Адрес электронной почты", "E-mail address")}</label>
                <input id="mail-email" name="email" type="email" maxlength="200" value=i.email.clone() />
                <label class="choice"><input type="checkbox" name="digest" checked=i.digest />{lang.tr("Одна сводка в день вместо отдельных писем", "One digest a day instead of single mails")}</label>
                <fieldset>
                    <legend>{lang.tr("Не присылать по почте", "Do not mail")}</legend>
                    {NoticeKind::ALL.iter().map(|k| {
                        let checked = muted.contains(k);
                        view! { <label class="choice"><input type="checkbox" name=format!("mute-{}", k.key()) checked=checked />{k.label(lang)}</label> }
                    }).collect_view()}
                </fieldset>
                <button type="submit">{lang.tr("Сохранить", "Save")}</button>
            </form>
        </section>
    }
}

// The start page's support part.

/// The viewer's support work on the start page.
#[component]
pub fn SupportPanel() -> impl IntoView {
    let summary = super::page_data(|| (), |_| get_support_summary());
    view! {
        <Suspense fallback=|| ()>
            {move || summary.get().map(|r| match r {
                Ok(crate::reports::Report { session, report: Some(s) }) => summary_view(s, session.lang).into_any(),
                _ => ().into_any(),
            })}
        </Suspense>
    }
}

fn summary_view(s: SupportSummary, lang: Lang) -> impl IntoView {
    let line = |href: &'static str, label: &'static str, n: usize, class: &'static str| {
        (n > 0).then(|| view! { <li class=class><a href=href>{format!("{label}: {n}")}</a></li> })
    };
    let coverage = s.coverage.clone().map(|(names, total)| view! {
        <details class="coverage">
            <summary>{match lang {
                Lang::Ru => format!("Школы без контакта (визит, ответ, мероприятие) более {} дней: {total}", 60),
                Lang::En => format!("Schools with no contact (visit, answer, event) for over {} days: {total}", 60),
            }}</summary>
            <ul>{names.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
        </details>
    });
    let load = (!s.load.is_empty()).then(|| view! {
        <table class="load">
            <caption>{lang.tr("Нагрузка кураторов и координаторов", "Curators' and coordinators' load")}</caption>
            <thead><tr>
                <th scope="col">{lang.tr("Кто", "Who")}</th>
                <th scope="col" class="num">{lang.tr("Школ", "Schools")}</th>
                <th scope="col" class="num">{lang.tr("Вопросов ждут", "Questions waiting")}</th>
                <th scope="col" class="num">{lang.tr("Визитов в месяц", "Visits a month")}</th>
            </tr></thead>
            <tbody>{s.load.clone().into_iter().map(|l| view! {
                <tr><td>{format!("{} ({})", l.who, l.role)}</td><td class="num">{l.schools}</td><td class="num">{l.open_questions}</td><td class="num">{l.visits_per_month}</td></tr>
            }).collect_view()}</tbody>
        </table>
    });
    view! {
        <section class="support-summary" aria-labelledby="support-h">
            <h2 id="support-h">{lang.tr("Поддержка школ", "Support of schools")}</h2>
            <ul>
                {line("/work/inbox", lang.tr("Непрочитанных уведомлений", "Unread notifications"), s.unread, "unread")}
                {line("/work/support", lang.tr("Вопросов ждут ответа", "Questions waiting"), s.questions_waiting, "questions-waiting")}
                {line("/work/support", lang.tr("Из них дольше срока", "Of them past the target"), s.questions_overdue, "questions-overdue")}
                {line("/work/support", lang.tr("Рекомендаций со сроком в ближайшие 7 дней", "Recommendations due within 7 days"), s.recommendations_due, "recommendations-due")}
                {line("/work/support", lang.tr("Рекомендаций просрочено", "Recommendations overdue"), s.recommendations_overdue, "recommendations-overdue")}
                {line("/work/support", lang.tr("Визитов в этом месяце", "Visits this month"), s.visits_this_month, "visits-month")}
                {line("/work/events", lang.tr("Мероприятий в этом месяце", "Events this month"), s.events_this_month, "events-month")}
                {line("/work/roadmaps", lang.tr("Мероприятий дорожных карт просрочено", "Roadmap activities overdue"), s.activities_overdue, "activities-overdue")}
            </ul>
            {coverage}
            {load}
        </section>
    }
}

// The school card's support part.

/// A school's visits and recommendations, on its card.
#[component]
pub fn SchoolSupport(school: i64) -> impl IntoView {
    // The school's visits (the latest page) and its recommendations (all of one school).
    let of = move |show: SupportList, per: usize| {
        get_support(
            SupportFilter {
                school: Some(school),
                show: Some(show.key().to_owned()),
                ..SupportFilter::default()
            },
            crate::listing::ListQuery {
                per: Some(per),
                ..crate::listing::ListQuery::default()
            },
        )
    };
    let visits = super::page_data(|| (), move |_| of(SupportList::Visits, 25));
    let recommendations = super::page_data(|| (), move |_| of(SupportList::Recommendations, 100));
    view! {
        <Suspense fallback=|| ()>
            {move || match (visits.get(), recommendations.get()) {
                (
                    Some(Ok(crate::reports::Report { session, report: Some(v) })),
                    Some(Ok(crate::reports::Report { report: Some(r), .. })),
                ) => Some(school_support_view(v, r, session.lang, school).into_any()),
                _ => None,
            }}
        </Suspense>
    }
}

fn school_support_view(
    p: SupportPage,
    recommendations: SupportPage,
    lang: Lang,
    school: i64,
) -> impl IntoView {
    let open: Vec<RecommendationItem> = recommendations
        .recommendations
        .into_iter()
        .filter(|r| r.status.open() || r.status == crate::support::RecommendationStatus::Done)
        .collect();
    let [questions, visits, _] = p.totals;
    let paging = p.paging.clone();
    view! {
        <section class="card-support" aria-labelledby="card-support-h">
            <h2 id="card-support-h">{lang.tr("Поддержка школы", "Support of the school")}</h2>
            <p><a href=format!("/work/support?school={school}")>{match lang {
                Lang::Ru => format!("Вопросов: {questions}, визитов: {visits}, рекомендаций в работе: {}", open.len()),
                Lang::En => format!("Questions: {questions}, visits: {visits}, recommendations in progress: {}", open.len()),
            }}</a></p>
            {visit_rows(p.visits.into_iter().take(5).collect(), &paging, lang)}
            <ul class="card-recommendations">{open.into_iter().map(|r| view! {
                <li class:overdue=r.overdue>{r.body}" · "{r.status.label(lang)}" · "{r.due_on}</li>
            }).collect_view()}</ul>
        </section>
    }
}
