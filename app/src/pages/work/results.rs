//! Educational results: the region's page (import with its history and templates, the candidate
//! list with the reasons, cohorts, schools that may leave the list) and a school's card (the
//! profile beside the results over the years, charts drawn on the server as SVG with a table
//! beside them). Plain forms and links: complete without JavaScript.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::campaign::report_page;
use super::{notice, number, select, Csrf};
use crate::access::Viewer;
use crate::i18n::Lang;
use crate::results::{
    get_results, get_school_card, AssessmentBlock, CandidateItem, Chart, ResultsOverview,
    SchoolCard, SchoolItem,
};
use crate::work::Choice;

pub(super) fn query_number<T: std::str::FromStr + Send + Sync + 'static>(
    name: &'static str,
) -> impl Fn() -> Option<T> + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || query.read().get(name).and_then(|v| v.parse().ok())
}

fn school_link(s: SchoolItem) -> impl IntoView {
    view! {
        <a href=format!("/work/schools/{}", s.school_id)>{s.school}</a>
        <br /><small>{s.municipality}</small>
    }
}

#[component]
pub fn ResultsPage() -> impl IntoView {
    let region = query_number::<i64>("region");
    let year = query_number::<u16>("year");
    let municipality = query_number::<i64>("municipality");
    let cohort = super::campaign::cohort_query();
    let list = super::listing::list_query();
    let query = leptos_router::hooks::use_query_map();
    let show = move || query.read().get("show").filter(|s| !s.is_empty());
    let report = super::page_data(
        move || (region(), year(), municipality(), cohort(), show(), list()),
        |(r, y, m, k, s, l)| get_results(r, y, m, k, s, l),
    );
    report_page(report, results_view)
}

fn results_view(o: ResultsOverview, lang: Lang, viewer: &Viewer) -> impl IntoView {
    let problem = notice(viewer, "problem");
    let imported = number("imported");
    let cohort_set = number("cohorts");
    let upload = format!("/work/results/import?_csrf={}", viewer.csrf);
    let years: Vec<Choice> = o
        .years
        .iter()
        .map(|y| Choice {
            id: i64::from(*y),
            name: y.to_string(),
        })
        .collect();
    let chosen_year = o.year.map(i64::from);
    let region_id = o.region_id;
    let min = o.min_participants;
    let this_year = o.year.unwrap_or(o.this_year);
    let can_import = o.can_import;
    let cohort_section = cohorts_section(&o, lang, viewer);
    let cohorts = o.cohorts.clone();
    let (regions, municipalities) = (o.regions.clone(), o.municipalities.clone());
    let (chosen_municipality, chosen_cohort) = (o.municipality, o.cohort.clone());
    let form_paging = o.paging.clone();
    view! {
        <h1>{match lang {
            Lang::Ru => format!("Образовательные результаты: {}", o.region),
            Lang::En => format!("Educational results: {}", o.region),
        }}</h1>
        {problem.map(|p| view! {
            <div class="error-summary" role="alert" tabindex="-1" id="errors">
                <h2>{lang.tr("Что не так в файле", "What is wrong in the file")}</h2>
                <ul>{p.lines().map(|l| view! { <li>{l.to_owned()}</li> }).collect_view()}</ul>
            </div>
        })}
        {imported.map(|n| view! { <p class="notice" role="status">{match lang {
            Lang::Ru => format!("Загружено строк: {n}."),
            Lang::En => format!("Rows imported: {n}."),
        }}</p> })}
        {cohort_set.map(|n| view! { <p class="notice" role="status">{match lang {
            Lang::Ru => format!("Изменено школ в категории: {n}."),
            Lang::En => format!("Schools changed in the category: {n}."),
        }}</p> })}
        <super::listing::ListForm lang>
            {(regions.len() > 1).then(|| select("region", lang.tr("Регион", "Region"), regions, Some(region_id), None))}
            {(!years.is_empty()).then(|| select("year", lang.tr("Год", "Year"), years, chosen_year, None))}
            {(municipalities.len() > 1).then(|| select("municipality", lang.tr("Муниципалитет", "Municipality"), municipalities, chosen_municipality, Some(lang.tr("все", "all"))))}
            <super::campaign::CohortSelect chosen=chosen_cohort lang />
            <super::listing::ListFields paging=form_paging lang />
            <button type="submit" class="secondary">{lang.tr("Показать", "Show")}</button>
        </super::listing::ListForm>
        <h2>{lang.tr("Критерии отбора", "Selection criteria")}</h2>
        <ul class="criteria">{o.criteria.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul>
        <p class="hint">{match lang {
            Lang::Ru => format!("Результаты школы по процедуре, где участников меньше {min}, хранятся, но нигде не показываются и в расчётах не участвуют."),
            Lang::En => format!("A school's results of an assessment with fewer than {min} participants are stored, never shown, and take part in no calculation."),
        }}</p>
        <h2 id="candidates">{match (lang, o.year) {
            (Lang::Ru, Some(y)) => format!("Кандидаты в список школ с низкими результатами, {y}"),
            (Lang::En, Some(y)) => format!("Candidates for the list of schools with low results, {y}"),
            (Lang::Ru, None) => "Кандидаты в список школ с низкими результатами".to_owned(),
            (Lang::En, None) => "Candidates for the list of schools with low results".to_owned(),
        }}</h2>
        {list_tabs(&o.show, o.totals, lang)}
        {if o.show == "cohorts" {
            let paging = o.paging.clone();
            view! {
                <super::listing::Shown paging=paging.clone() lang />
                {members_table(o.members, &paging, lang)}
                <super::listing::Pager paging lang />
            }.into_any()
        } else if o.candidates.is_empty() && o.paging.q.is_empty() {
            view! { <p>{lang.tr("По загруженным результатам критерии не выделяют ни одной школы.", "By the results imported, the criteria single out no school.")}</p> }.into_any()
        } else {
            let paging = o.paging.clone();
            view! {
                <super::listing::Shown paging=paging.clone() lang />
                <CandidateTable candidates=o.candidates paging=paging.clone() lang can_import cohorts=cohorts.clone() viewer=viewer.clone() year=this_year />
                <super::listing::Pager paging lang />
            }.into_any()
        }}
        {cohort_section}
        <h2 id="leaving">{lang.tr("Соответствуют критериям выхода из списка", "Meet the criteria for leaving the list")}</h2>
        {if o.leaving.is_empty() {
            view! { <p>{lang.tr("Нет школ из списка с низкими результатами, которые соответствуют критериям выхода.", "No school of the low-results list meets the criteria for leaving it.")}</p> }.into_any()
        } else {
            view! { <ul class="leaving">{o.leaving.into_iter().map(|s| view! { <li>{school_link(s)}</li> }).collect_view()}</ul> }.into_any()
        }}
        {can_import.then(|| view! {
            <h2 id="import">{lang.tr("Загрузка результатов", "Import results")}</h2>
            <p>{lang.tr(
                "Файл CSV (UTF-8 или Windows-1251, запятая или точка с запятой) или XLSX в одном из двух видов: шаблон «Ориентира» по процедуре или выгрузка аналитики ФИС ОКО (строка на школу × предмет × класс, количество или проценты отметок, сравнение с журнальными отметками). Повторная загрузка года заменяет результаты этих процедур за год.",
                "A CSV file (UTF-8 or Windows-1251, comma or semicolon) or XLSX in either layout: Orientir's template per assessment, or the federal monitoring system's analytics (a row per school × subject × grade, counts or percentages of marks, the comparison with journal marks). Importing a year again replaces that year's results of those assessments.",
            )}</p>
            <form method="post" action=upload.clone() enctype="multipart/form-data" class="login-form results-import">
                <input type="hidden" name="region" value=region_id />
                <label for="r-year">{lang.tr("Год", "Year")}</label>
                <input id="r-year" name="year" type="number" min="2000" max="2100" required value=this_year />
                <label for="r-file">{lang.tr("Файл", "File")}</label>
                <input id="r-file" name="file" type="file" accept=".csv,.xlsx" required />
                <label class="check"><input type="checkbox" name="valid_only" value="1" />
                    {lang.tr(" загрузить верные строки и перечислить остальные (иначе при любой ошибке ничего не загружается)", " import the valid rows and list the rest (otherwise nothing is imported while any row is wrong)")}</label>
                <button type="submit">{lang.tr("Загрузить", "Import")}</button>
            </form>
            <details class="templates">
                <summary>{lang.tr("Шаблоны по процедурам (с кодами школ региона)", "Templates per assessment (with the region's school codes)")}</summary>
                <ul>{o.assessments.into_iter().map(|(key, name)| view! {
                    <li>{name}": "
                        <a href=format!("/work/results/template/{key}.xlsx?region={region_id}")>"XLSX"</a>" · "
                        <a href=format!("/work/results/template/{key}.csv?region={region_id}")>"CSV"</a>
                    </li>
                }).collect_view()}</ul>
            </details>
        }.into_any())}
        <p>
            <a href=format!("/work/results/export.xlsx?region={region_id}")>{lang.tr("Таблица результатов (XLSX, с описанием полей)", "Results table (XLSX, with a codebook)")}</a>" · "
            <a href=format!("/work/results/export.csv?region={region_id}")>"CSV"</a>
        </p>
        <h2>{lang.tr("История загрузок", "Import history")}</h2>
        {if o.imports.is_empty() {
            view! { <p>{lang.tr("Результатов пока не загружали.", "No results have been imported yet.")}</p> }.into_any()
        } else {
            view! {
                <div class="wide" tabindex="0" role="region" aria-label=lang.tr("История загрузок", "Import history")><table class="imports">
                    <thead><tr>
                        <th scope="col">{lang.tr("Год", "Year")}</th>
                        <th scope="col">{lang.tr("Когда", "When")}</th>
                        <th scope="col">{lang.tr("Кто", "Who")}</th>
                        <th scope="col">{lang.tr("Файл", "File")}</th>
                        <th scope="col">{lang.tr("Вид", "Layout")}</th>
                        <th scope="col" class="num">{lang.tr("Строк", "Rows")}</th>
                        <th scope="col" class="num">{lang.tr("Заменено", "Replaced")}</th>
                    </tr></thead>
                    <tbody>{o.imports.into_iter().map(|i| view! {
                        <tr><td>{i.year}</td><td>{i.at}</td><td>{i.who}</td><td>{i.file}</td><td>{i.layout}</td>
                            <td class="num">{i.rows}</td><td class="num">{i.replaced}</td></tr>
                    }).collect_view()}</tbody>
                </table></div>
            }.into_any()
        }}
    }
}

/// The address of one of the page's lists, at the lists' heading.
fn tab_link(show: &str) -> String {
    let show = (show != "candidates").then_some(show);
    format!("{}#candidates", super::listing::list_link(show))
}

/// The page's two lists, each with how many the filter leaves.
fn list_tabs(show: &str, totals: [usize; 2], lang: Lang) -> AnyView {
    let [candidates, members] = totals;
    let tab = |key: &'static str, label: String| {
        let current = (show == key).then_some("page");
        view! { <a href=tab_link(key) aria-current=current>{label}</a> }
    };
    view! {
        <nav class="tabs" aria-label=lang.tr("Списки", "Lists")>
            {tab("candidates", format!("{} ({candidates})", lang.tr("Кандидаты", "Candidates")))}
            {tab("cohorts", format!("{} ({members})", lang.tr("Школы по категориям", "Schools by category")))}
        </nav>
    }
    .into_any()
}

/// The cohorts' schools, a page of them.
fn members_table(
    members: Vec<(SchoolItem, String)>,
    paging: &crate::listing::Paging,
    lang: Lang,
) -> AnyView {
    if members.is_empty() {
        return view! { <p>{lang.tr("Ни одна школа пока не отнесена к категории.", "No school is in a category yet.")}</p> }.into_any();
    }
    view! {
        <div class="wide list" tabindex="0" role="region" aria-label=lang.tr("Школы по категориям", "Schools by category")><table class="members">
            <thead><tr>
                <super::listing::SortHeader label=lang.tr("Школа", "School").into() column="school".into() paging=paging.clone() lang />
                <super::listing::SortHeader label=lang.tr("Категория", "Category").into() column="cohort".into() paging=paging.clone() lang />
            </tr></thead>
            <tbody>{members.into_iter().map(|(s, title)| {
                let id = s.school_id;
                view! { <tr data-school=id><th scope="row">{school_link(s)}</th><td>{title}</td></tr> }
            }).collect_view()}</tbody>
        </table></div>
    }
    .into_any()
}

#[component]
fn CandidateTable(
    candidates: Vec<CandidateItem>,
    paging: crate::listing::Paging,
    lang: Lang,
    can_import: bool,
    cohorts: Vec<(String, String)>,
    viewer: Viewer,
    year: u16,
) -> impl IntoView {
    let table = view! {
        <div class="wide list" tabindex="0" role="region" aria-label=lang.tr("Кандидаты", "Candidates")><table class="candidates">
            <thead><tr>
                {can_import.then(|| view! { <th scope="col"><span class="sr-only">{lang.tr("Выбрать", "Select")}</span></th> })}
                <super::listing::SortHeader label=lang.tr("Школа", "School").into() column="school".into() paging=paging.clone() lang />
                <super::listing::SortHeader label=lang.tr("Критерий входа", "Entry criterion").into() column="enters".into() paging=paging.clone() numeric=true lang />
                <th scope="col">{lang.tr("Причины", "Reasons")}</th>
                <th scope="col">{lang.tr("Категории", "Categories")}</th>
            </tr></thead>
            <tbody>{candidates.into_iter().map(|c| {
                let id = format!("pick-{}", c.school.school_id);
                let label = c.school.school.clone();
                let school_id = c.school.school_id;
                view! {
                    <tr data-school=school_id data-enters=c.enters.to_string()>
                        {can_import.then(|| view! { <td><input type="checkbox" name="school" id=id value=school_id checked=c.enters aria-label=label /></td> })}
                        <th scope="row">{school_link(c.school)}</th>
                        <td>{if c.enters { lang.tr("выполнен", "met") } else { lang.tr("нет (только отметки)", "no (flags only)") }}</td>
                        <td class="reasons">{c.reasons.join("; ")}{(c.more_reasons > 0).then(|| view! {
                            " "<a href=format!("/work/schools/{school_id}")>{match lang {
                                Lang::Ru => format!("и ещё {} — в карточке школы", c.more_reasons),
                                Lang::En => format!("and {} more on the school's card", c.more_reasons),
                            }}</a>
                        })}</td>
                        <td>{c.cohorts.join("; ")}</td>
                    </tr>
                }
            }).collect_view()}</tbody>
        </table></div>
    };
    if !can_import {
        return table.into_any();
    }
    view! {
        <form method="post" action="/work/results/cohorts" class="cohort-form">
            <Csrf viewer=viewer.clone() />
            {table}
            <fieldset>
                <legend>{lang.tr("Отмеченные школы", "The ticked schools")}</legend>
                <label for="c-category">{lang.tr("Категория", "Category")}</label>
                <select id="c-category" name="category">
                    {cohorts.into_iter().map(|(key, name)| view! { <option value=key>{name}</option> }).collect_view()}
                </select>
                <label for="c-year">{lang.tr("Год", "Year")}</label>
                <input id="c-year" name="year" type="number" min="2000" max="2100" required value=year />
                <label class="check"><input type="radio" name="action" value="add" checked=true />{lang.tr(" включить", " add")}</label>
                <label class="check"><input type="radio" name="action" value="remove" />{lang.tr(" исключить", " remove")}</label>
                <button type="submit">{lang.tr("Сохранить", "Save")}</button>
            </fieldset>
        </form>
    }
    .into_any()
}

#[component]
pub fn SchoolCardPage() -> impl IntoView {
    let params = use_params_map();
    let school = move || {
        params
            .read()
            .get("school")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let campaign = query_number::<i64>("campaign");
    let results = move || super::query("results");
    let report = super::page_data(
        move || (school(), campaign(), results()),
        |(s, c, r)| get_school_card(s, c, r),
    );
    report_page(report, card_view)
}

fn card_view(c: SchoolCard, lang: Lang, _viewer: &Viewer) -> impl IntoView {
    let min = c.min_participants;
    view! {
        <h1>{c.school.clone()}</h1>
        <p class="lead">{c.municipality.clone()}{c.settlement.clone().map(|s| format!(" · {s}"))}</p>
        <p>{match lang { Lang::Ru => "Группа сопоставимых школ: ", Lang::En => "Peer group: " }}{c.peer_group.clone()}</p>
        {(!c.cohorts.is_empty()).then(|| view! {
            <p class="cohorts">{lang.tr("Категории: ", "Categories: ")}{c.cohorts.join("; ")}</p>
        })}
        <div class="card-columns">
            <section class="card-profile" aria-labelledby="profile-h">
                <h2 id="profile-h">{lang.tr("Профиль рисков", "Risk profile")}</h2>
                {(c.campaigns.len() > 1).then(|| view! {
                    <form method="get" class="filter">
                        {select("campaign", lang.tr("Кампания", "Campaign"), c.campaigns.clone(), c.campaign, None)}
                        <button type="submit" class="secondary">{lang.tr("Показать", "Show")}</button>
                    </form>
                })}
                {c.profile_note.clone().map(|n| view! { <p class="notice" role="status">{n}</p> })}
                {(!c.factors.is_empty()).then(|| view! {
                    <table class="card-factors">
                        <thead><tr>
                            <th scope="col">{lang.tr("Фактор", "Factor")}</th>
                            <th scope="col">{lang.tr("Уровень", "Level")}</th>
                            <th scope="col" class="num">{lang.tr("Балл", "Score")}</th>
                        </tr></thead>
                        <tbody>{c.factors.clone().into_iter().map(|f| view! {
                            <tr><th scope="row">{f.name}</th>
                                <td class=format!("level {}", f.level_key.clone().unwrap_or_default())>{f.level.unwrap_or_else(|| lang.tr("недостаточно данных", "insufficient data").to_owned())}</td>
                                <td class="num">{f.score}</td></tr>
                        }).collect_view()}</tbody>
                    </table>
                })}
                {c.programme.clone().map(|(state, href)| view! {
                    <p>{lang.tr("Антирисковая программа: ", "Anti-risk programme: ")}<a href=href>{state}</a></p>
                })}
            </section>
            {results_column(&c, lang, min)}
        </div>
        {(!c.cohort_history.is_empty()).then(|| view! {
            <details><summary>{lang.tr("История категорий", "History of categories")}</summary>
                <ul>{c.cohort_history.clone().into_iter().map(|h| view! { <li>{h}</li> }).collect_view()}</ul>
            </details>
        })}
        <super::support::SchoolSupport school=c.school_id />
    }
}

fn results_column(c: &SchoolCard, lang: Lang, min: u32) -> AnyView {
    view! {
        <section class="card-results" aria-labelledby="results-h">
            <h2 id="results-h">{lang.tr("Образовательные результаты", "Educational results")}</h2>
            <p class="hint">{match lang {
                Lang::Ru => format!("В скобках — 90-процентный доверительный интервал (для долей — Вильсона). Изменение за год «значимо», если оно больше погрешности обеих оценок. Результаты, где участников меньше {min}, не показываются."),
                Lang::En => format!("In brackets, the 90% confidence interval (Wilson's for shares). A change over a year is «significant» when it is beyond the uncertainty of both figures. Results with fewer than {min} participants are not shown."),
            }}</p>
            {if c.assessments.is_empty() {
                view! { <p>{lang.tr("Результатов школы пока нет.", "The school has no results yet.")}</p> }.into_any()
            } else {
                view! {
                    {kind_tabs(c, lang)}
                    {c.assessments.clone().into_iter().map(|a| assessment_view(a, lang).into_any()).collect_view()}
                }.into_any()
            }}
        </section>
    }
    .into_any()
}

/// The kinds of assessment the school has results of, one shown at a time.
fn kind_tabs(c: &SchoolCard, lang: Lang) -> AnyView {
    if c.kinds.len() < 2 {
        return ().into_any();
    }
    let campaign = c
        .campaign
        .map(|id| format!("&campaign={id}"))
        .unwrap_or_default();
    view! {
        <nav class="tabs" aria-label=lang.tr("Процедуры оценки", "Kinds of assessment")>
            {c.kinds.iter().map(|(key, name, n)| {
                let current = c.kind.as_deref() == Some(key.as_str());
                view! {
                    <a href=format!("?results={key}{campaign}#results-h") aria-current=current.then_some("page")>{format!("{name} ({n})")}</a>
                }
            }).collect_view()}
        </nav>
    }
    .into_any()
}

fn assessment_view(a: AssessmentBlock, lang: Lang) -> impl IntoView {
    let heading = format!("a-{}", a.key);
    let labelled = heading.clone();
    view! {
        <section class="assessment" aria-labelledby=labelled data-assessment=a.key.clone()>
            <h3 id=heading>{a.name.clone()}</h3>
            {(!a.flags.is_empty()).then(|| view! {
                <ul class="flags">{a.flags.into_iter().map(|f| view! { <li class="flag">{f}</li> }).collect_view()}</ul>
            })}
            <figure class="chart">
                {chart_svg(&a.chart)}
                <figcaption>{a.chart.title.clone()}</figcaption>
            </figure>
            <div class="wide" tabindex="0" role="region" aria-label=a.name.clone()><table class="results-table">
                <caption class="sr-only">{a.name.clone()}</caption>
                <thead><tr>
                    <th scope="col">{lang.tr("Показатель", "Indicator")}</th>
                    {a.years.iter().map(|y| view! { <th scope="col">{*y}</th> }).collect_view()}
                </tr></thead>
                <tbody>{a.lines.into_iter().map(|l| view! {
                    <tr><th scope="row">{l.name}</th>
                        {l.cells.into_iter().zip(std::iter::once(None).chain(l.trends)).map(|(cell, trend)| view! {
                            <td>{cell}{trend.map(|t| view! { <br /><small class="trend">{t}</small> })}</td>
                        }).collect_view()}
                    </tr>
                }).collect_view()}</tbody>
            </table></div>
            {a.peer_year.map(|year| view! {
                <div class="wide" tabindex="0" role="region" aria-label=lang.tr("Среди сопоставимых школ", "Among peer schools")>
                <table class="peers">
                    <caption>{match lang {
                        Lang::Ru => format!("Среди сопоставимых школ, {year}"),
                        Lang::En => format!("Among peer schools, {year}"),
                    }}</caption>
                    <thead><tr>
                        <th scope="col">{lang.tr("Показатель", "Indicator")}</th>
                        <th scope="col">{lang.tr("Место", "Place")}</th>
                        <th scope="col">{lang.tr("Медиана группы", "Group median")}</th>
                        <th scope="col">{lang.tr("Квартили группы", "Group quartiles")}</th>
                        <th scope="col">{lang.tr("Медиана региона", "Region median")}</th>
                    </tr></thead>
                    <tbody>{a.peers.into_iter().map(|p| view! {
                        <tr><th scope="row">{p.name}</th><td>{p.place}</td><td>{p.median}</td><td>{p.quartiles}</td><td>{p.region}</td></tr>
                    }).collect_view()}</tbody>
                </table></div>
            }.into_any())}
        </section>
    }
}

/// A small chart of an indicator over the years: points with their intervals, joined, on a scale
/// with three labelled lines. Numbers become coordinates; no text becomes markup.
fn chart_svg(c: &Chart) -> impl IntoView {
    const W: f64 = 320.0;
    const H: f64 = 140.0;
    const LEFT: f64 = 44.0;
    const RIGHT: f64 = 12.0;
    const TOP: f64 = 10.0;
    const BOTTOM: f64 = 24.0;
    let span = (c.max - c.min).max(f64::EPSILON);
    // A tenth of a pixel is as fine as a screen draws: fifty assessments' charts stay light.
    let y = move |v: f64| {
        let at = TOP + (H - TOP - BOTTOM) * (1.0 - ((v - c.min) / span).clamp(0.0, 1.0));
        (at * 10.0).round() / 10.0
    };
    let n = c.points.len().max(1);
    let x = move |i: usize| {
        if n == 1 {
            (LEFT + W - RIGHT) / 2.0
        } else {
            LEFT + (W - LEFT - RIGHT) * i as f64 / (n - 1) as f64
        }
    };
    let label = |v: f64| {
        if c.percent {
            format!("{:.0}%", v * 100.0)
        } else {
            format!("{v:.1}")
        }
    };
    let grid: Vec<(f64, String)> = [c.min, (c.min + c.max) / 2.0, c.max]
        .into_iter()
        .map(|v| (y(v), label(v)))
        .collect();
    let line: String = c
        .points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.value.map(|v| format!("{:.1},{:.1}", x(i), y(v))))
        .collect::<Vec<_>>()
        .join(" ");
    view! {
        <svg class="chart-svg" viewBox=format!("0 0 {W} {H}") width=W height=H role="img" aria-label=c.title.clone() focusable="false">
            {grid.into_iter().map(|(gy, text)| view! {
                <line x1=LEFT x2=W - RIGHT y1=gy y2=gy class="grid" />
                <text x=LEFT - 4.0 y=gy + 4.0 text-anchor="end" class="axis">{text}</text>
            }).collect_view()}
            <polyline points=line class="series" fill="none" />
            {c.points.iter().enumerate().map(|(i, p)| {
                let px = x(i);
                view! {
                    <text x=px y=H - 6.0 text-anchor="middle" class="axis">{p.year}</text>
                    {p.low.zip(p.high).map(|(lo, hi)| view! { <line x1=px x2=px y1=y(lo) y2=y(hi) class="interval" /> })}
                    {p.value.map(|v| view! { <circle cx=px cy=y(v) r="4" class="point" /> })}
                }
            }).collect_view()}
        </svg>
    }
}

/// The region's cohorts with their schools, and (for those who set them) a school put into one
/// by hand or a file of them imported.
fn cohorts_section(o: &ResultsOverview, lang: Lang, viewer: &Viewer) -> AnyView {
    let upload = format!("/work/results/cohorts/import?_csrf={}", viewer.csrf);
    let year = o.year.unwrap_or(o.this_year);
    view! {
        <h2 id="cohorts">{lang.tr("Категории школ", "Schools' categories")}</h2>
        {if o.cohort_lists.is_empty() {
            view! { <p>{lang.tr("Ни одна школа пока не отнесена к категории.", "No school is in a category yet.")}</p> }.into_any()
        } else {
            view! {
                <ul class="cohort-lists">{o.cohort_lists.clone().into_iter().map(|(title, schools)| view! {
                    <li><strong>{title}</strong>{match lang {
                        Lang::Ru => format!(": школ — {schools}"),
                        Lang::En => format!(": {schools} schools"),
                    }}</li>
                }).collect_view()}</ul>
                <p><a href=tab_link("cohorts")>{lang.tr("Список школ по категориям", "The schools by category")}</a></p>
            }.into_any()
        }}
        {o.can_import.then(|| view! {
            <form method="post" action="/work/results/cohorts" class="cohort-hand">
                <Csrf viewer=viewer.clone() />
                <input type="hidden" name="how" value="hand" />
                <super::SchoolField id="h-school" name="school" lang />
                <label for="h-category">{lang.tr("Категория", "Category")}</label>
                <select id="h-category" name="category">
                    {o.cohorts.clone().into_iter().map(|(key, name)| view! { <option value=key>{name}</option> }).collect_view()}
                </select>
                <label for="h-year">{lang.tr("Год", "Year")}</label>
                <input id="h-year" name="year" type="number" min="2000" max="2100" required value=year />
                <label class="check"><input type="radio" name="action" value="add" checked=true />{lang.tr(" включить", " add")}</label>
                <label class="check"><input type="radio" name="action" value="remove" />{lang.tr(" исключить", " remove")}</label>
                <button type="submit">{lang.tr("Сохранить", "Save")}</button>
            </form>
            <form method="post" action=upload enctype="multipart/form-data" class="cohort-import">
                <label for="c-file">{lang.tr("Загрузить категории из файла (столбцы school_code, category, year)", "Import categories from a file (columns school_code, category, year)")}</label>
                <input id="c-file" name="file" type="file" accept=".csv,.xlsx" required />
                <button type="submit" class="secondary">{lang.tr("Загрузить", "Import")}</button>
            </form>
        }.into_any())}
    }
    .into_any()
}
