//! A school's anti-risk programme: per chosen risk its goal and tasks, measures (from the
//! catalogue or written anew) and targets, with warnings for what is missing and the history of
//! every change. Plain forms, complete without JavaScript.

use leptos::prelude::*;

use super::campaign::{id_param, report_page, CampaignNav, Publication};
use super::{query, Csrf};
use crate::access::Viewer;
use crate::i18n::Lang;
use crate::pages::StoredTextArea;
use crate::programmes::get_programme;
use crate::programmes::MeasureStatus;
use crate::reports::{FileView, MeasureView, ProgrammeView, RiskPlanView};

/// The steps of the agreement the viewer may take now, as plain forms.
fn agreement_steps(p: &ProgrammeView, base: &str, viewer: &Viewer, lang: Lang) -> impl IntoView {
    let button = |step: &str, label: &'static str| {
        view! {
            <form method="post" action=format!("{base}/{step}") class="inline step">
                <Csrf viewer=viewer.clone() />
                <button type="submit">{label}</button>
            </form>
        }
    };
    let subjects: Vec<(String, String)> = std::iter::once((
        String::new(),
        lang.tr("вся программа", "the whole programme").to_owned(),
    ))
    .chain(p.risks.iter().flat_map(|r| {
        r.measures
            .iter()
            .map(|x| {
                (
                    format!("measure:{}", x.id),
                    format!("{}: {}", r.factor, x.action),
                )
            })
            .chain(r.targets.iter().map(|t| {
                (
                    format!("target:{}", t.id),
                    format!("{}: {}", r.factor, t.name),
                )
            }))
            .collect::<Vec<_>>()
    }))
    .collect();
    p.steps
        .iter()
        .map(|step| match step.as_str() {
            "submit" => button("submit", lang.tr("Отправить на согласование", "Submit for agreement")).into_any(),
            "agree" => button("agree", lang.tr("Согласовать", "Agree")).into_any(),
            "reopen" => button("reopen", lang.tr("Открыть для изменений", "Reopen for changes")).into_any(),
            "return" => view! {
                <form method="post" action=format!("{base}/return") class="return">
                    <Csrf viewer=viewer.clone() />
                    <label for="return-comment">{lang.tr("Что доработать", "What to change")}</label>
                    <textarea id="return-comment" name="comment" rows="2" required maxlength="2000"></textarea>
                    <button type="submit" class="secondary">{lang.tr("Вернуть на доработку", "Return for changes")}</button>
                </form>
            }
            .into_any(),
            _ => view! {
                <form method="post" action=format!("{base}/comment") class="comment-form">
                    <Csrf viewer=viewer.clone() />
                    <label for="comment-subject">{lang.tr("Комментарий к", "A comment on")}</label>
                    <select id="comment-subject" name="subject">
                        {subjects.clone().into_iter().map(|(value, label)| view! { <option value=value>{label}</option> }).collect_view()}
                    </select>
                    <textarea name="comment" rows="2" required maxlength="2000" aria-label=lang.tr("Комментарий", "Comment")></textarea>
                    <button type="submit" class="secondary">{lang.tr("Прокомментировать", "Comment")}</button>
                </form>
            }
            .into_any(),
        })
        .collect_view()
}

/// One chosen risk's part of the programme.
fn risk_section(
    r: RiskPlanView,
    base: &str,
    edit: Option<&Viewer>,
    attach: Option<&Viewer>,
    lang: Lang,
) -> AnyView {
    let factor = r.factor.clone();
    let csrf = |v: &Viewer| view! { <Csrf viewer=v.clone() /> };
    let plan = match edit {
        Some(v) => view! {
            <form method="post" action=format!("{base}/plan") class="plan">
                {csrf(v)}
                <input type="hidden" name="factor" value=factor.clone() />
                <label for=format!("goal-{factor}")>{lang.tr("Цель", "Goal")}</label>
                <StoredTextArea id=format!("goal-{factor}") name="goal" rows=2 maxlength=2000 value=r.goal.clone() />
                <label for=format!("tasks-{factor}")>{lang.tr("Задачи", "Tasks")}</label>
                <StoredTextArea id=format!("tasks-{factor}") name="tasks" rows=3 maxlength=4000 value=r.tasks.clone() />
                <button type="submit" class="secondary">{lang.tr("Сохранить цель и задачи", "Save the goal and tasks")}</button>
            </form>
        }
        .into_any(),
        None => view! {
            <p><strong>{lang.tr("Цель: ", "Goal: ")}</strong>{r.goal.clone()}</p>
            <p><strong>{lang.tr("Задачи: ", "Tasks: ")}</strong>{r.tasks.clone()}</p>
        }
        .into_any(),
    };
    view! {
        <section class="risk-plan" id=format!("risk-{factor}") data-risk=factor.clone()>
            <h2>{format!("{} {}", r.factor, r.name)}{r.level.map(|l| format!(" — {}", l.name))}</h2>
            <p class="reasoning">{r.reasoning}</p>
            {plan}
            <h3>{lang.tr("Мероприятия", "Measures")}</h3>
            <div class="wide" tabindex="0" role="region" aria-label=format!("{factor}: {}", lang.tr("мероприятия", "measures"))><table class="measures">
                <thead><tr>
                    <th scope="col">{lang.tr("Мероприятие", "Measure")}</th>
                    <th scope="col">{lang.tr("Ответственный", "Responsible")}</th>
                    <th scope="col">{lang.tr("Сроки", "Dates")}</th>
                    <th scope="col">{lang.tr("Ожидаемый результат", "Expected result")}</th>
                    <th scope="col">{lang.tr("Состояние", "Status")}</th>
                    {edit.map(|_| view! { <th scope="col"></th> })}
                </tr></thead>
                <tbody>
                    {r.measures.into_iter().map(|x| {
                        let dates = format!("{} — {}", x.starts_on.clone().unwrap_or_default(), x.due_on.clone().unwrap_or_else(|| "?".into()));
                        let editing = edit.map(|v| edit_measure(&x, &factor, base, v, lang));
                        view! {
                            <tr data-measure=x.id id=format!("measure-{}", x.id) class:overdue=x.overdue>
                                <td>{x.action}{x.from_catalogue.then(|| view! { <br /><small class="muted">{lang.tr("из каталога", "from the catalogue")}</small> })}
                                    {x.comments.into_iter().map(|c| view! { <p class="comment">{c}</p> }).collect_view()}</td>
                                <td>{x.responsible}</td>
                                <td>{dates}{x.overdue.then(|| view! { <br /><strong class="overdue-mark">{lang.tr("просрочено", "overdue")}</strong> })}</td>
                                <td>{x.expected_result}</td>
                                <td>{x.status}{(!x.evidence.is_empty()).then(|| view! { <br /><small>{x.evidence.clone()}</small> })}
                                    {measure_files(&x.files, x.id, base, attach, lang)}</td>
                                {edit.map(|v| view! {
                                    <td>{editing}
                                    <form method="post" action=format!("{base}/measures/{}/remove", x.id) class="inline">
                                        {csrf(v)}
                                        <button type="submit" class="secondary">{lang.tr("Удалить", "Remove")}</button>
                                    </form></td>
                                })}
                            </tr>
                        }
                        .into_any()
                    }).collect_view()}
                </tbody>
            </table></div>
            {edit.map(|v| view! {
                <details class="catalogue">
                    <summary>{lang.tr("Взять мероприятие из каталога", "Take a measure from the catalogue")}</summary>
                    <ul>
                        {r.catalogue.clone().into_iter().map(|c| view! {
                            <li>
                                <form method="post" action=format!("{base}/measures") class="inline">
                                    {csrf(v)}
                                    <input type="hidden" name="factor" value=factor.clone() />
                                    <input type="hidden" name="action" value=c.action.clone() />
                                    <input type="hidden" name="responsible_role" value=c.responsible.clone() />
                                    <input type="hidden" name="expected_result" value=c.expected_result.clone() />
                                    <input type="hidden" name="catalogue" value=c.index />
                                    {c.action.clone()}" "
                                    <button type="submit" class="secondary">{lang.tr("Добавить", "Add")}</button>
                                </form>
                            </li>
                        }).collect_view()}
                    </ul>
                </details>
                <form method="post" action=format!("{base}/measures") class="new-measure">
                    {csrf(v)}
                    <input type="hidden" name="factor" value=factor.clone() />
                    <label>{lang.tr("Новое мероприятие", "New measure")}<input name="action" required maxlength="1000" /></label>
                    <label>{lang.tr("Ответственный (должность)", "Responsible (role)")}<input name="responsible_role" maxlength="200" /></label>
                    <label>{lang.tr("Ответственный (ФИО)", "Responsible (name)")}<input name="responsible_name" maxlength="200" /></label>
                    <label>{lang.tr("Начало", "Start")}<input name="starts_on" type="date" /></label>
                    <label>{lang.tr("Срок", "Deadline")}<input name="due_on" type="date" /></label>
                    <label>{lang.tr("Ожидаемый результат", "Expected result")}<input name="expected_result" maxlength="1000" /></label>
                    <button type="submit">{lang.tr("Добавить мероприятие", "Add the measure")}</button>
                </form>
            })}
            <h3>{lang.tr("Целевые показатели", "Targets")}</h3>
            <div class="wide" tabindex="0" role="region" aria-label=format!("{factor}: {}", lang.tr("целевые показатели", "targets"))><table class="targets">
                <thead><tr>
                    <th scope="col">{lang.tr("Показатель", "Indicator")}</th>
                    <th scope="col" class="num">{lang.tr("Было", "Baseline")}</th>
                    <th scope="col" class="num">{lang.tr("Цель", "Target")}</th>
                    {edit.map(|_| view! { <th scope="col"></th> })}
                </tr></thead>
                <tbody>
                    {r.targets.into_iter().map(|t| view! {
                        <tr data-target=t.indicator.clone()>
                            <td>{t.name}{t.comments.into_iter().map(|c| view! { <p class="comment">{c}</p> }).collect_view()}</td>
                            <td class="num">{t.baseline.unwrap_or_else(|| "—".into())}</td>
                            <td class="num">{t.target}</td>
                            {edit.map(|v| view! {
                                <td><form method="post" action=format!("{base}/targets/{}/remove", t.id) class="inline">
                                    {csrf(v)}
                                    <button type="submit" class="secondary">{lang.tr("Удалить", "Remove")}</button>
                                </form></td>
                            })}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table></div>
            {edit.map(|v| view! {
                <details class="set-targets">
                    <summary>{lang.tr("Задать целевой показатель", "Set a target")}</summary>
                    <p class="hint">{lang.tr("Предложено значение, при котором риск показателя опустится до границы уровня ниже. Доли — в процентах.", "The suggested value brings the indicator's risk down to the cut-off of the level below. Shares in percent.")}</p>
                    <ul>
                        {r.indicators.clone().into_iter().map(|i| view! {
                            <li>
                                <form method="post" action=format!("{base}/targets") class="inline">
                                    {csrf(v)}
                                    <input type="hidden" name="factor" value=factor.clone() />
                                    <input type="hidden" name="indicator" value=i.key.clone() />
                                    {i.name.clone()}" ("{lang.tr("было ", "was ")}{i.baseline.clone().unwrap_or_else(|| "—".into())}") "
                                    <input name="target" inputmode="decimal" required value=i.default_target.clone().unwrap_or_default() aria-label=lang.tr("Целевое значение", "Target") />
                                    <button type="submit" class="secondary">{lang.tr("Задать", "Set")}</button>
                                </form>
                            </li>
                        }).collect_view()}
                    </ul>
                </details>
            })}
        </section>
    }
    .into_any()
}

/// The form that changes a measure's wording, who is responsible, its dates and expected result
/// (its status and evidence go with it unchanged).
fn edit_measure(x: &MeasureView, factor: &str, base: &str, v: &Viewer, lang: Lang) -> AnyView {
    let id = x.id;
    view! {
        <details class="edit-measure">
            <summary>{lang.tr("Изменить", "Change")}</summary>
            <form method="post" action=format!("{base}/measures/{id}") class="measure-form">
                <Csrf viewer=v.clone() />
                <input type="hidden" name="factor" value=factor.to_owned() />
                <input type="hidden" name="status" value=x.status_key.clone() />
                <input type="hidden" name="status_reason" value=x.status_reason.clone() />
                <input type="hidden" name="evidence" value=x.evidence.clone() />
                <label>{lang.tr("Мероприятие", "Measure")}<input name="action" required maxlength="1000" value=x.action.clone() /></label>
                <label>{lang.tr("Ответственный (должность)", "Responsible (role)")}<input name="responsible_role" maxlength="200" value=x.responsible_role.clone() /></label>
                <label>{lang.tr("Ответственный (ФИО)", "Responsible (name)")}<input name="responsible_name" maxlength="200" value=x.responsible_name.clone() /></label>
                <label>{lang.tr("Начало", "Start")}<input name="starts_on" type="date" value=x.starts_on.clone().unwrap_or_default() /></label>
                <label>{lang.tr("Срок", "Deadline")}<input name="due_on" type="date" value=x.due_on.clone().unwrap_or_default() /></label>
                <label>{lang.tr("Ожидаемый результат", "Expected result")}<input name="expected_result" maxlength="1000" value=x.expected_result.clone() /></label>
                <button type="submit">{lang.tr("Сохранить", "Save")}</button>
            </form>
        </details>
    }
    .into_any()
}

/// The documents attached to a measure, and (for writers) the form to attach one.
fn measure_files(
    files: &[FileView],
    measure: i64,
    base: &str,
    attach: Option<&Viewer>,
    lang: Lang,
) -> AnyView {
    let list = (!files.is_empty()).then(|| {
        view! {
            <ul class="files">
                {files.iter().map(|f| view! {
                    <li><a href=format!("{base}/files/{}", f.id) download="">{f.name.clone()}</a>" ("{f.size.clone()}")"
                        {attach.map(|v| view! {
                            <form method="post" action=format!("{base}/files/{}/remove", f.id) class="inline">
                                <Csrf viewer=v.clone() />
                                <button type="submit" class="secondary" aria-label=format!("{} {}", lang.tr("Удалить", "Remove"), f.name)>"×"</button>
                            </form>
                        })}
                    </li>
                }).collect_view()}
            </ul>
        }
    });
    let form = attach.map(|v| {
        view! {
            <form method="post" enctype="multipart/form-data" class="attach"
                action=format!("{base}/measures/{measure}/files?_csrf={}", v.csrf)>
                <label>{lang.tr("Документ (PDF, DOCX, XLSX, ODT, ODS, JPEG, PNG; до 10 МБ)", "A document (PDF, DOCX, XLSX, ODT, ODS, JPEG, PNG; up to 10 MB)")}
                    <input type="file" name="file" required accept=".pdf,.docx,.xlsx,.odt,.ods,.jpg,.jpeg,.png" /></label>
                <button type="submit" class="secondary">{lang.tr("Приложить", "Attach")}</button>
            </form>
        }
    });
    view! { {list}{form} }.into_any()
}

/// The results against the later campaign: each target's baseline → target → actual with the
/// verdict, and each chosen factor's level then and now.
fn results_section(p: &ProgrammeView, lang: Lang) -> AnyView {
    let Some(r) = p.results.clone() else {
        return ().into_any();
    };
    let level = |l: &Option<crate::reports::LevelView>| {
        l.as_ref()
            .map_or_else(|| lang.tr("н/д", "n/a").to_owned(), |l| l.name.clone())
    };
    let summary = match r.met {
        Some(true) => lang.tr(
            "Все целевые показатели, по которым есть данные, достигнуты.",
            "Every target with data was met.",
        ),
        Some(false) => lang.tr(
            "Не все целевые показатели достигнуты.",
            "Not every target was met.",
        ),
        None => lang.tr(
            "Данных для оценки пока недостаточно.",
            "Not enough data to judge yet.",
        ),
    };
    view! {
        <section class="results" id="results">
            <h2>{match lang {
                Lang::Ru => format!("Результаты по кампании «{}»", r.campaign),
                Lang::En => format!("Results by the campaign «{}»", r.campaign),
            }}</h2>
            <p class="results-summary">{summary}</p>
            <div class="wide" tabindex="0" role="region" aria-label=lang.tr("Результаты по целям", "Results against the targets")><table class="target-results">
                <thead><tr>
                    <th scope="col">{lang.tr("Показатель", "Indicator")}</th>
                    <th scope="col" class="num">{lang.tr("Было", "Baseline")}</th>
                    <th scope="col" class="num">{lang.tr("Цель", "Target")}</th>
                    <th scope="col" class="num">{lang.tr("Стало", "Actual")}</th>
                    <th scope="col">{lang.tr("Итог", "Verdict")}</th>
                </tr></thead>
                <tbody>
                    {r.targets.into_iter().map(|t| view! {
                        <tr data-target=t.indicator.clone() data-achievement=t.achievement.clone()>
                            <td>{format!("{}: {}", t.factor, t.name)}</td>
                            <td class="num">{t.baseline.unwrap_or_else(|| "—".into())}</td>
                            <td class="num">{t.target}</td>
                            <td class="num">{t.actual.unwrap_or_else(|| "—".into())}</td>
                            <td>{t.verdict}{t.uncertain.then(|| view! { <br /><small class="muted">{lang.tr("в пределах погрешности", "within the uncertainty")}</small> })}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table></div>
            <ul class="factor-changes">
                {r.factors.into_iter().map(|f| view! {
                    <li data-factor=f.code.clone()>{format!("{} {}: {} → {}", f.code, f.name, level(&f.before), level(&f.after))}</li>
                }).collect_view()}
            </ul>
        </section>
    }
    .into_any()
}

/// The targets on educational results: baseline (with its year) → target → the figure of the
/// year it is judged on, with the verdict; the form to set one while the programme may change.
fn result_targets_section(
    p: &ProgrammeView,
    base: &str,
    edit: Option<&Viewer>,
    lang: Lang,
) -> AnyView {
    if p.result_targets.is_empty() && (edit.is_none() || p.result_choices.is_empty()) {
        return ().into_any();
    }
    let csrf = |v: &Viewer| view! { <Csrf viewer=v.clone() /> };
    let factors: Vec<String> = p.risks.iter().map(|r| r.factor.clone()).collect();
    let next_year = p
        .campaign
        .opens_on
        .get(..4)
        .and_then(|y| y.parse::<u16>().ok())
        .map_or(2027, |y| y + 1);
    view! {
        <section class="result-targets" id="result-targets">
            <h2>{lang.tr("Целевые показатели по образовательным результатам", "Targets on educational results")}</h2>
            {(!p.result_targets.is_empty()).then(|| view! {
                <div class="wide" tabindex="0" role="region" aria-label=lang.tr("Целевые показатели по результатам", "Targets on results")><table class="result-target-table">
                    <thead><tr>
                        <th scope="col">{lang.tr("Показатель", "Indicator")}</th>
                        <th scope="col" class="num">{lang.tr("Было", "Baseline")}</th>
                        <th scope="col" class="num">{lang.tr("Цель", "Target")}</th>
                        <th scope="col" class="num">{lang.tr("Год оценки", "Judged on")}</th>
                        <th scope="col" class="num">{lang.tr("Стало", "Actual")}</th>
                        <th scope="col">{lang.tr("Итог", "Verdict")}</th>
                        {edit.map(|_| view! { <th scope="col"><span class="sr-only">{lang.tr("Действие", "Action")}</span></th> })}
                    </tr></thead>
                    <tbody>{p.result_targets.clone().into_iter().map(|t| view! {
                        <tr data-result-target=t.id data-achievement=t.achievement.clone()>
                            <td>{format!("{}: {}", t.factor, t.name)}</td>
                            <td class="num">{t.baseline.unwrap_or_else(|| "—".into())}</td>
                            <td class="num">{t.target}</td>
                            <td class="num">{t.judged_year}</td>
                            <td class="num">{t.actual.unwrap_or_else(|| "—".into())}</td>
                            <td>{t.verdict}{t.uncertain.then(|| view! { <br /><small class="muted">{lang.tr("в пределах погрешности", "within the uncertainty")}</small> })}</td>
                            {edit.map(|v| view! {
                                <td><form method="post" action=format!("{base}/result-targets/{}/remove", t.id) class="inline">
                                    {csrf(v)}
                                    <button type="submit" class="secondary">{lang.tr("Удалить", "Remove")}</button>
                                </form></td>
                            })}
                        </tr>
                    }).collect_view()}</tbody>
                </table></div>
            }.into_any())}
            {edit.filter(|_| !p.result_choices.is_empty() && !factors.is_empty()).map(|v| view! {
                <form method="post" action=format!("{base}/result-targets") class="new-result-target">
                    {csrf(v)}
                    <label for="rt-factor">{lang.tr("Риск", "Risk")}</label>
                    <select id="rt-factor" name="factor">
                        {factors.clone().into_iter().map(|f| { let label = f.clone(); view! { <option value=f>{label}</option> } }).collect_view()}
                    </select>
                    <label for="rt-choice">{lang.tr("Показатель (сейчас)", "Indicator (now)")}</label>
                    <select id="rt-choice" name="choice">
                        {p.result_choices.clone().into_iter().map(|c| view! {
                            <option value=c.key>{format!("{} — {}", c.name, c.baseline.unwrap_or_default())}</option>
                        }).collect_view()}
                    </select>
                    <label for="rt-target">{lang.tr("Цель (доли — в процентах, средняя отметка — числом)", "Target (shares in percent, a mean mark as a number)")}</label>
                    <input id="rt-target" name="target" inputmode="decimal" required />
                    <label for="rt-year">{lang.tr("Год, по результатам которого оценить", "The year whose results judge it")}</label>
                    <input id="rt-year" name="year" type="number" min="2000" max="2100" required value=next_year />
                    <button type="submit" class="secondary">{lang.tr("Задать", "Set")}</button>
                </form>
            }.into_any())}
        </section>
    }
    .into_any()
}

/// A stage's state in words.
fn stage_state_words(state: &str, lang: Lang) -> &'static str {
    match state {
        "filed" => lang.tr("отчёт подан", "report filed"),
        "overdue" => lang.tr("отчёт просрочен", "report overdue"),
        "due" => lang.tr("скоро срок отчёта", "report due soon"),
        _ => lang.tr("впереди", "ahead"),
    }
}

/// The programme's stages: each stage's report or its state, the comments on it, the form to
/// file the next report (writers of an agreed programme) and to comment (those who agree).
fn stages_section(p: &ProgrammeView, base: &str, viewer: &Viewer, lang: Lang) -> AnyView {
    if p.stages.is_empty()
        || p.status != Some(crate::programmes::ProgrammeStatus::Agreed)
            && p.stages.iter().all(|s| s.report.is_none())
    {
        return ().into_any();
    }
    // The report form goes with the first stage without a report.
    let next = p
        .stages
        .iter()
        .find(|s| s.report.is_none())
        .map(|s| s.stage.id);
    let measures: Vec<_> = p
        .risks
        .iter()
        .flat_map(|r| {
            r.measures
                .iter()
                .map(move |m| (r.factor.clone(), m.clone()))
        })
        .collect();
    let stages = p.stages.clone().into_iter().map(|s| {
        let sid = s.stage.id;
        let marks_label = format!("{}: {}", s.stage.title, lang.tr("отметки о выполнении", "marks"));
        let report = s.report.map(|r| view! {
            <div class="stage-report">
                <p><strong>{lang.tr("Анализ: ", "Analysis: ")}</strong>{r.analysis}</p>
                <p class="muted">{format!("{} · {} UTC", r.who, r.when)}</p>
                <div class="wide" tabindex="0" role="region" aria-label=marks_label><table class="marks">
                    <thead><tr>
                        <th scope="col">{lang.tr("Мероприятие", "Measure")}</th>
                        <th scope="col">{lang.tr("Состояние", "Status")}</th>
                        <th scope="col">{lang.tr("Подтверждение", "Evidence")}</th>
                    </tr></thead>
                    <tbody>
                        {r.marks.into_iter().map(|(action, status, reason, evidence)| view! {
                            <tr><td>{action}</td><td>{status}{(!reason.is_empty()).then(|| format!(" ({reason})"))}</td><td>{evidence}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table></div>
            </div>
        }.into_any());
        let filing = (p.can_report && next == Some(sid)).then(|| view! {
            <form method="post" action=format!("{base}/stages/{sid}") class="stage-form">
                <Csrf viewer=viewer.clone() />
                {measures.iter().map(|(factor, m)| {
                    let id = m.id;
                    let key = m.status_key.clone();
                    view! {
                        <fieldset class="mark" data-measure=id>
                            <legend>{format!("{factor}: {}", m.action)}</legend>
                            <label>{lang.tr("Состояние", "Status")}
                                <select name=format!("status-{id}")>
                                    {MeasureStatus::ALL.into_iter().map(|s| view! {
                                        <option value=s.key() selected=key == s.key()>{s.label(lang)}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                            <label>{lang.tr("Причина, если не выполнено", "Reason, if not done")}
                                <input name=format!("reason-{id}") maxlength="1000" value=m.status_reason.clone() /></label>
                            <label>{lang.tr("Подтверждение (что сделано, где документ)", "Evidence (what was done, where the document is)")}
                                <input name=format!("evidence-{id}") maxlength="4000" value=m.evidence.clone() /></label>
                        </fieldset>
                    }
                }).collect_view()}
                <label for=format!("analysis-{sid}")>{lang.tr("Краткий анализ: что получилось, что нет и почему", "A short analysis: what worked, what did not, and why")}</label>
                <textarea id=format!("analysis-{sid}") name="analysis" rows="4" required maxlength="4000"></textarea>
                <button type="submit">{lang.tr("Подать отчёт по этапу", "File the stage report")}</button>
            </form>
        }.into_any());
        let comment = (p.can_comment_stages && report.is_some()).then(|| view! {
            <form method="post" action=format!("{base}/stages/{sid}/comment") class="comment-form">
                <Csrf viewer=viewer.clone() />
                <label for=format!("stage-comment-{sid}")>{lang.tr("Комментарий куратора к отчёту", "The curator's comment on the report")}</label>
                <textarea id=format!("stage-comment-{sid}") name="comment" rows="2" required maxlength="2000"></textarea>
                <button type="submit" class="secondary">{lang.tr("Прокомментировать", "Comment")}</button>
            </form>
        });
        view! {
            <section class="stage" id=format!("stage-{sid}") data-stage=sid data-state=s.state.clone()>
                <h3>{format!("{} — {}", s.stage.due_on, s.stage.title)}" "<small class=format!("stage-state {}", s.state)>{stage_state_words(&s.state, lang)}</small></h3>
                {report}
                {s.comments.into_iter().map(|c| view! { <p class="comment">{c}</p> }).collect_view()}
                {comment}
                {filing}
            </section>
        }
        .into_any()
    }).collect_view();
    view! {
        <section class="stages" id="stages">
            <h2>{lang.tr("Этапы и отчёты", "Stages and reports")}</h2>
            {stages}
        </section>
    }
    .into_any()
}

#[component]
pub fn ProgrammePage() -> impl IntoView {
    let campaign = id_param("id");
    let school = id_param("school");
    let programme = super::page_data(move || (campaign(), school()), |(c, s)| get_programme(c, s));
    report_page(programme, |p: ProgrammeView, lang, viewer| {
        let id = p.campaign.id;
        let base = format!("/work/campaigns/{id}/schools/{}/programme", p.school_id);
        let viewer = viewer.clone();
        let edit = p.can_edit.then_some(&viewer);
        let attach = p.can_attach.then_some(&viewer);
        let stages = stages_section(&p, &base, &viewer, lang);
        let results = results_section(&p, lang);
        let result_targets = result_targets_section(&p, &base, edit, lang);
        let filed = query("filed")
            .map(|_| lang.tr("Отчёт по этапу сохранён.", "The stage report is filed."));
        let problem = super::notice(&viewer, "problem");
        view! {
            <p class="school">{p.municipality.clone()}" · "{p.campaign.name.clone()}</p>
            <h1>{match lang {
                Lang::Ru => format!("Антирисковая программа: {}", p.school),
                Lang::En => format!("Anti-risk programme: {}", p.school),
            }}</h1>
            <CampaignNav campaign=id lang />
            <p><a href=format!("/work/campaigns/{id}/schools/{}#risks", p.school_id)>{lang.tr("← Профиль школы и выбор рисков", "← The school's profile and its chosen risks")}</a>
                " · "<a href=format!("/work/schools/{}", p.school_id)>{lang.tr("Карточка школы", "School card")}</a></p>
            <Publication campaign=p.campaign.clone() lang />
            {p.status.is_some().then(|| view! {
                <p class="documents">
                    <a href=format!("{base}/print")>{lang.tr("Версия для печати (A4)", "Printable version (A4)")}</a>" · "
                    <a href=format!("/export/campaigns/{id}/schools/{}/programme.docx", p.school_id)>{lang.tr("Скачать в Word (DOCX)", "Download as Word (DOCX)")}</a>
                </p>
            })}
            {p.status.map(|s| view! { <p class="programme-status">{lang.tr("Состояние: ", "Status: ")}<strong>{s.label(lang)}</strong></p> })}
            {problem.map(|t| view! { <p class="error" role="alert">{t}</p> })}
            {filed.map(|t| view! { <p class="notice" role="status">{t}</p> })}
            {(!p.comments.is_empty()).then(|| view! {
                <div class="comments" role="status">
                    {p.comments.clone().into_iter().map(|c| view! { <p class="comment">{c}</p> }).collect_view()}
                </div>
            })}
            {agreement_steps(&p, &base, &viewer, lang)}
            {(!p.warnings.is_empty()).then(|| view! {
                <div role="status"><ul class="warnings">
                    {p.warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}
                </ul></div>
            })}
            {if p.risks.is_empty() {
                view! { <p>{lang.tr("Риски ещё не выбраны: выберите их в профиле школы.", "No risk is chosen yet: choose them on the school's profile.")}</p> }.into_any()
            } else {
                p.risks.into_iter().map(|r| risk_section(r, &base, edit, attach, lang)).collect_view().into_any()
            }}
            {result_targets}
            {results}
            {stages}
            {(!p.history.is_empty()).then(|| view! {
                <h2>{lang.tr("История изменений", "History of changes")}</h2>
                <div class="wide" tabindex="0" role="region" aria-label=lang.tr("История программы", "The programme's history")><table class="history">
                    <thead><tr>
                        <th scope="col">{lang.tr("Когда (UTC)", "When (UTC)")}</th>
                        <th scope="col">{lang.tr("Кто", "Who")}</th>
                        <th scope="col">{lang.tr("Что", "What")}</th>
                        <th scope="col">{lang.tr("Комментарий", "Comment")}</th>
                    </tr></thead>
                    <tbody>
                        {p.history.into_iter().map(|h| view! {
                            <tr><td>{h.when}</td><td>{h.who}</td><td>{h.what}</td><td>{h.comment}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table></div>
            })}
        }
        .into_any()
    })
}

/// The programme as a document to print on A4: the title block, each chosen risk with its
/// reasoning, goal and tasks, the measures table, the targets (with results once measured) and
/// the agreement block with its dates and lines to sign. Nothing to click but the print button.
#[component]
pub fn ProgrammePrintPage() -> impl IntoView {
    let campaign = id_param("id");
    let school = id_param("school");
    let programme = super::page_data(move || (campaign(), school()), |(c, s)| get_programme(c, s));
    report_page(programme, |p: ProgrammeView, lang, _| {
        let back = format!(
            "/work/campaigns/{}/schools/{}/programme",
            p.campaign.id, p.school_id
        );
        view! {
            <p class="no-print"><a href=back>{lang.tr("← К программе", "← Back to the programme")}</a>
                " · "{lang.tr("Чтобы напечатать, нажмите Ctrl+P (на телефоне: «Поделиться» → «Печать»).", "To print, press Ctrl+P (on a phone: Share → Print).")}</p>
            <article class="programme-doc">
                <h1>{lang.tr("Антирисковая программа", "Anti-risk programme")}</h1>
                <p><strong>{p.school.clone()}</strong></p>
                <p>{lang.tr("Муниципалитет: ", "Municipality: ")}{p.municipality.clone()}</p>
                <p>{lang.tr("По результатам кампании: ", "After the campaign: ")}{p.campaign.name.clone()}</p>
                <p>{lang.tr("Состояние: ", "Status: ")}{p.status.map(|s| s.label(lang))}</p>
                {p.risks.clone().into_iter().map(|r| view! {
                    <section class="doc-risk">
                        <h2>{format!("{} {}", r.factor, r.name)}{r.level.map(|l| format!(" — {}", l.name))}</h2>
                        <p><strong>{lang.tr("Обоснование выбора: ", "Why chosen: ")}</strong>{r.reasoning}</p>
                        <p><strong>{lang.tr("Цель: ", "Goal: ")}</strong>{r.goal}</p>
                        <p><strong>{lang.tr("Задачи: ", "Tasks: ")}</strong>{r.tasks}</p>
                        <table class="doc-measures">
                            <thead><tr>
                                <th scope="col">{lang.tr("Мероприятие", "Measure")}</th>
                                <th scope="col">{lang.tr("Ответственный", "Responsible")}</th>
                                <th scope="col">{lang.tr("Сроки", "Dates")}</th>
                                <th scope="col">{lang.tr("Ожидаемый результат", "Expected result")}</th>
                                <th scope="col">{lang.tr("Состояние", "Status")}</th>
                            </tr></thead>
                            <tbody>
                                {r.measures.into_iter().map(|m| view! {
                                    <tr>
                                        <td>{m.action}</td>
                                        <td>{m.responsible}</td>
                                        <td>{format!("{} — {}", m.starts_on.unwrap_or_default(), m.due_on.unwrap_or_default())}</td>
                                        <td>{m.expected_result}</td>
                                        <td>{m.status}{m.overdue.then(|| lang.tr(" (просрочено)", " (overdue)"))}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <table class="doc-targets">
                            <thead><tr>
                                <th scope="col">{lang.tr("Целевой показатель", "Target")}</th>
                                <th scope="col">{lang.tr("Было", "Baseline")}</th>
                                <th scope="col">{lang.tr("Цель", "Target value")}</th>
                            </tr></thead>
                            <tbody>
                                {r.targets.into_iter().map(|t| view! {
                                    <tr><td>{t.name}</td><td>{t.baseline.unwrap_or_else(|| "—".into())}</td><td>{t.target}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </section>
                }.into_any()).collect_view()}
                {result_targets_section(&p, "", None, lang)}
                {results_section(&p, lang)}
                <section class="signatures">
                    <h2>{lang.tr("Согласование", "Agreement")}</h2>
                    {if p.agreement.is_empty() {
                        view! { <p>{lang.tr("Программа ещё не отправлена на согласование.", "The programme is not submitted yet.")}</p> }.into_any()
                    } else {
                        p.agreement.clone().into_iter().map(|a| view! { <p class="agreement-step">{format!("{} — {}, {} UTC", a.what, a.who, a.when)}</p> }).collect_view().into_any()
                    }}
                    <p>{lang.tr("Руководитель образовательной организации", "Head of the school")}": ____________________ / ____________ / «___» ________ 20__"</p>
                    <p>{lang.tr("Куратор", "Curator")}": ____________________ / ____________ / «___» ________ 20__"</p>
                    <p>{lang.tr("Муниципальный координатор", "Municipal coordinator")}": ____________________ / ____________ / «___» ________ 20__"</p>
                </section>
            </article>
        }
        .into_any()
    })
}
