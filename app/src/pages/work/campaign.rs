//! A campaign's report pages: the response-rate monitor, the schools × factors matrix and a
//! school's profile. Rendered on the server with their data (and the profile's chart as SVG), so
//! they read the same without JavaScript; the hydrated monitor refreshes itself.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::listing::{list_query, ListFields, ListForm, Pager, Shown, SortHeader};
use super::{query, Csrf, WorkFrame};
use crate::access::Viewer;
use crate::i18n::Lang;
use crate::listing::Paging;
use crate::programmes::ProgrammeState;
use crate::reports::{
    get_code_sheet, get_matrix, get_monitor, get_profile, CodeEntry, CodeSheet, DeficitView,
    FactorView, GroupCell, LevelView, Matrix, Monitor, Profile, Report, RiskPanel, StageItem,
    SuggestionView,
};
use crate::work::{CampaignItem, Choice};

pub(super) fn id_param(name: &'static str) -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || {
        params
            .read()
            .get(name)
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    }
}

pub(super) fn municipality_query() -> impl Fn() -> Option<i64> + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || {
        query
            .read()
            .get("municipality")
            .and_then(|v| v.parse().ok())
    }
}

/// The cohort a list is narrowed to (`?cohort=`).
pub(super) fn cohort_query() -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || query.read().get("cohort").filter(|c| !c.is_empty())
}

pub(super) fn selected_municipality() -> Option<i64> {
    use_query_map()
        .read_untracked()
        .get("municipality")
        .and_then(|v| v.parse().ok())
}

fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(
        || "—".into(),
        |r| format!("{} %", surveys::text::decimals(r * 100.0, 0)),
    )
}

/// The page of a report: the frame, then the report or «not found».
pub(super) fn report_page<T, V>(
    resource: super::PageData<Result<Report<T>, crate::AppError>>,
    render: fn(T, Lang, &Viewer) -> V,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || resource.get().map(|r| match r {
                Ok(Report { session, report }) => {
                    let lang = session.lang;
                    match session.viewer {
                        Some(viewer) => view! {
                            <WorkFrame viewer=viewer.clone() lang>
                                {match report {
                                    Some(report) => render(report, lang, &viewer).into_any(),
                                    None => view! {
                                        <h1>{lang.tr("Не найдено", "Not found")}</h1>
                                        <p>{lang.tr("Такой кампании или школы нет среди доступных вам.", "There is no such campaign or school among those you may see.")}</p>
                                    }.into_any(),
                                }}
                            </WorkFrame>
                        }.into_any(),
                        None => view! { <p><a href="/login">{lang.tr("Войти", "Sign in")}</a></p> }.into_any(),
                    }
                }
                Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </Suspense>
    }
}

/// Where a campaign's results come from: the publication, or why there is none yet.
#[component]
pub(super) fn Publication(campaign: CampaignItem, lang: Lang) -> impl IntoView {
    let text = match (&campaign.published, lang) {
        (Some(p), Lang::Ru) if p.at_close => format!("Результаты опубликованы при закрытии кампании ({}, публикация № {}).", p.on, p.number),
        (Some(p), Lang::En) if p.at_close => format!("Results published at the campaign's close ({}, publication no. {}).", p.on, p.number),
        (Some(p), Lang::Ru) => format!("Показана публикация № {} от {}: ответы, пришедшие позже, войдут в следующую публикацию.", p.number, p.on),
        (Some(p), Lang::En) => format!("Showing publication no. {} of {}: answers that came later go into the next publication.", p.number, p.on),
        (None, Lang::Ru) => format!("Результаты ещё не опубликованы. Сводные результаты публикуются при закрытии кампании ({}) или раньше — региональным координатором; до публикации видны только данные об отклике.", campaign.closes_on),
        (None, Lang::En) => format!("Results are not published yet. They are published at the campaign's close ({}) or earlier by the regional coordinator; until then only response rates are shown.", campaign.closes_on),
    };
    view! { <p class="notice publication" role="status" data-published=campaign.published.as_ref().map(|p| p.number)>{text}</p> }
}

/// Links between a campaign's pages.
#[component]
pub(super) fn CampaignNav(campaign: i64, lang: Lang) -> impl IntoView {
    view! {
        <nav class="tabs" aria-label=lang.tr("Отчёты кампании", "Campaign reports")>
            <a href=format!("/work/campaigns/{campaign}/monitor")>{lang.tr("Отклик", "Response rates")}</a>
            <a href=format!("/work/campaigns/{campaign}/matrix")>{lang.tr("Матрица рисков", "Risk matrix")}</a>
            <a href=format!("/work/campaigns/{campaign}/overview")>{lang.tr("Обзор по муниципалитетам", "Overview by municipality")}</a>
            <a href=format!("/work/campaigns/{campaign}/programmes")>{lang.tr("Программы школ", "Schools' programmes")}</a>
        </nav>
    }
    .into_any()
}

/// A list's filter (a GET form, followed in place once hydrated): by municipality (when there
/// are several), by cohort, by a risk level (when `levels` are given), by a programme's state
/// (when `states` are given, with how many schools each would show), by the school's name, and
/// the page size.
#[component]
pub(super) fn MunicipalityFilter(
    choices: Vec<Choice>,
    selected: Option<i64>,
    paging: Paging,
    #[prop(optional)] levels: Vec<LevelView>,
    #[prop(optional)] states: Vec<(ProgrammeState, usize)>,
    lang: Lang,
) -> impl IntoView {
    let cohort = use_query_map().read_untracked().get("cohort");
    let level = use_query_map().read_untracked().get("level");
    let state = use_query_map().read_untracked().get("state");
    view! {
        <ListForm lang>
            {(choices.len() > 1).then(|| view! {
                <label for="municipality">{lang.tr("Муниципалитет", "Municipality")}</label>
                <select id="municipality" name="municipality">
                    <option value="">{lang.tr("все", "all")}</option>
                    {choices.into_iter().map(|c| {
                        let chosen = selected == Some(c.id);
                        view! { <option value=c.id selected=chosen>{c.name}</option> }
                    }).collect_view()}
                </select>
            })}
            <CohortSelect chosen=cohort lang />
            {(!levels.is_empty()).then(|| view! {
                <label for="level">{lang.tr("Есть фактор на уровне", "A factor at the level")}</label>
                <select id="level" name="level">
                    <option value="">{lang.tr("любом", "any")}</option>
                    {levels.into_iter().map(|l| {
                        let chosen = level.as_deref() == Some(l.key.as_str());
                        view! { <option value=l.key selected=chosen>{l.name}</option> }
                    }).collect_view()}
                </select>
            })}
            {(!states.is_empty()).then(|| view! {
                <label for="state">{lang.tr("Программа", "Programme")}</label>
                <select id="state" name="state">
                    <option value="">{lang.tr("любая", "any")}</option>
                    {states.into_iter().map(|(s, n)| {
                        let chosen = state.as_deref() == Some(s.key());
                        view! { <option value=s.key() selected=chosen>{format!("{} ({n})", s.label(lang))}</option> }
                    }).collect_view()}
                </select>
            })}
            <ListFields paging lang />
            <button type="submit" class="secondary">{lang.tr("Показать", "Show")}</button>
        </ListForm>
    }
}

/// The cohort a list is narrowed to, for a GET form.
#[component]
pub(super) fn CohortSelect(chosen: Option<String>, lang: Lang) -> impl IntoView {
    view! {
        <label for="cohort">{lang.tr("Категория школ", "Schools' category")}</label>
        <select id="cohort" name="cohort">
            <option value="">{lang.tr("все школы", "every school")}</option>
            {crate::results::Cohort::ALL.into_iter().map(|c| {
                let selected = chosen.as_deref() == Some(c.key());
                view! { <option value=c.key() selected=selected>{c.label(lang)}</option> }
            }).collect_view()}
        </select>
    }
}

fn group_cell(g: GroupCell, lang: Lang) -> impl IntoView {
    let expected = g.expected.map_or_else(|| "—".into(), |e| e.to_string());
    let mark = if g.sufficient {
        lang.tr("✓ достаточно", "✓ enough")
    } else {
        lang.tr("✗ мало", "✗ too few")
    };
    let class = if g.sufficient { "num ok" } else { "num short" };
    view! {
        <td class=class data-group=g.group>
            {format!(
                "{} / {expected}",
                g.responses.map_or_else(|| format!("< {}", g.min_respondents), |n| n.to_string())
            )}<br />
            {percent(g.rate)}" · "<span>{mark}</span>
            {g.held.clone().map(|held| view! { <br /><span class="flag">{format!("⚑ +{held}")}</span> })}
        </td>
    }
}

/// Submissions held beyond a group code's surplus limit, and (for those who decide) the form
/// to admit or discard them.
fn held_note(
    g: &GroupCell,
    surplus_percent: u32,
    decide: Option<(String, Viewer)>,
    lang: Lang,
) -> impl IntoView {
    let held = g.held.clone().unwrap_or_default();
    let group = g.group.clone();
    let text = match lang {
        Lang::Ru => format!("⚑ {held} сверх {surplus_percent} % ожидаемого: не учитываются до решения координатора"),
        Lang::En => format!("⚑ {held} beyond {surplus_percent} % of the expected count: not counted until a coordinator decides"),
    };
    view! {
        <strong>{text}</strong>
        {decide.map(|(action, viewer)| view! {
            <form method="post" action=action class="inline">
                <Csrf viewer />
                <input type="hidden" name="group" value=group.clone() />
                <button type="submit" name="decision" value="admit" class="secondary">{lang.tr("Учесть", "Count them")}</button>
                <button type="submit" name="decision" value="discard" class="secondary">{lang.tr("Отклонить", "Discard them")}</button>
            </form>
        })}
    }
}

#[component]
pub fn MonitorPage() -> impl IntoView {
    let campaign = id_param("id");
    let municipality = municipality_query();
    let cohort = cohort_query();
    let list = list_query();
    let monitor = super::page_data(
        move || (campaign(), municipality(), cohort(), list()),
        |(c, m, k, l)| get_monitor(c, m, k, l),
    );
    // Hydrated, the monitor refreshes itself every 30 seconds.
    Effect::new(move |_| {
        let handle = set_interval_with_handle(
            move || monitor.refetch(),
            std::time::Duration::from_secs(30),
        );
        on_cleanup(move || {
            if let Ok(h) = handle {
                h.clear();
            }
        });
    });
    report_page(monitor, |m: Monitor, lang, viewer| {
        let selected = selected_municipality();
        let id = m.campaign.id;
        let viewer = viewer.clone();
        let (can_decide, surplus_percent) = (m.can_decide, m.surplus_percent);
        let can_print_codes = m.can_print_codes;
        let published = super::number("published").map(|n| match lang {
            Lang::Ru => format!("Опубликовано: публикация № {n}."),
            Lang::En => format!("Published: publication no. {n}."),
        });
        // A decision and a count: anything else in the address is not a notice.
        let decided = query("decided").and_then(|d| {
            let (decision, n) = d.split_once(':')?;
            let n: u64 = n.parse().ok()?;
            Some(match (decision, lang) {
                ("admit", Lang::Ru) => {
                    format!("Учтено ответов: {n}. Они войдут в следующую публикацию.")
                }
                ("admit", Lang::En) => {
                    format!("Counted: {n} answers. They go into the next publication.")
                }
                ("discard", Lang::Ru) => {
                    "Ответы отклонены: они не учитываются и не выгружаются.".to_owned()
                }
                ("discard", Lang::En) => {
                    "Answers discarded: they are neither counted nor exported.".to_owned()
                }
                _ => return None,
            })
        });
        let problem = super::notice(&viewer, "problem");
        let held: Vec<(String, i64, GroupCell)> = m
            .rows
            .iter()
            .flat_map(|r| {
                r.groups
                    .iter()
                    .filter(|g| g.held.is_some())
                    .map(|g| (r.school.clone(), r.school_id, g.clone()))
            })
            .collect();
        let groups: Vec<(String, String)> = m
            .rows
            .first()
            .map(|r| {
                r.groups
                    .iter()
                    .map(|g| (g.group.clone(), g.label.clone()))
                    .collect()
            })
            .unwrap_or_default();
        view! {
            <h1>{m.campaign.name.clone()}</h1>
            <CampaignNav campaign=id lang />
            {published.map(|t| view! { <p class="notice" role="status">{t}</p> })}
            {decided.map(|t| view! { <p class="notice" role="status">{t}</p> })}
            {problem.map(|t| view! { <p class="error" role="alert">{t}</p> })}
            <Publication campaign=m.campaign.clone() lang />
            {m.can_publish.then(|| view! {
                <form method="post" action=format!("/work/campaigns/{id}/publish") class="publish">
                    <Csrf viewer=viewer.clone() />
                    <p class="hint">{lang.tr(
                        "Публикация — снимок результатов на сегодня. Группа школы входит в неё, только если с прошлой публикации в ней прибавилось не меньше минимального числа ответов: так по разнице двух публикаций нельзя узнать ответы отдельных людей.",
                        "A publication is a snapshot of the results as of today. A school's group enters it only if it has gained at least the minimum number of answers since the last publication, so that the difference of two publications cannot reveal individual answers.",
                    )}</p>
                    <button type="submit">{lang.tr("Опубликовать результаты сейчас", "Publish the results now")}</button>
                </form>
            })}
            {(!held.is_empty()).then(|| view! {
                <section class="surplus">
                    <h2>{lang.tr("Ответы сверх ожидаемого", "Answers beyond the expected count")}</h2>
                    <p class="hint">{match lang {
                        Lang::Ru => format!("Через код группы пришло больше {surplus_percent} % ожидаемого числа ответов. Лишние ответы не входят в профили, пока координатор не решит: учесть их (например, если ожидаемое число занижено) или отклонить (например, если код попал к посторонним)."),
                        Lang::En => format!("A group code received more than {surplus_percent} % of the expected number of answers. The surplus stays out of profiles until a coordinator decides: count it (e.g. the expected number was too low) or discard it (e.g. the code reached outsiders)."),
                    }}</p>
                    <ul>
                        {held.into_iter().map(|(school, school_id, g)| {
                            let decide = can_decide.then(|| (format!("/work/campaigns/{id}/schools/{school_id}/surplus"), viewer.clone()));
                            view! { <li class="held" data-school=school_id data-group=g.group.clone()>{format!("{school} — {}: ", g.label)}{held_note(&g, surplus_percent, decide, lang)}</li> }
                        }).collect_view()}
                    </ul>
                </section>
            })}
            {stages_section(&m.stages, m.can_set_stages.then_some(&viewer), id, lang)}
            <h2>{lang.tr("Отклик по школам и группам", "Response rates by school and group")}</h2>
            <p class="hint">{lang.tr(
                "Ответов / ожидается, доля ответивших и достаточно ли их для показателей (минимум ответов и порог отклика группы).",
                "Responses / expected, the response rate, and whether that is enough for the indicators (the group's minimum and response-rate floor).",
            )}</p>
            <MunicipalityFilter choices=m.municipalities.clone() selected paging=m.paging.clone() lang />
            <Shown paging=m.paging.clone() lang />
            <div class="wide list" tabindex="0" role="region" aria-label=lang.tr("Отклик по школам", "Response rates by school")>
                <table class="monitor">
                    <thead><tr>
                        <SortHeader label=lang.tr("Школа", "School").into() column="school".into() paging=m.paging.clone() lang />
                        <SortHeader label=lang.tr("Муниципалитет", "Municipality").into() column="municipality".into() paging=m.paging.clone() lang />
                        {groups.into_iter().map(|(key, label)| view! { <SortHeader label column=key paging=m.paging.clone() numeric=true lang /> }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {m.rows.into_iter().map(|r| view! {
                            <tr data-school=r.school_id>
                                <th scope="row"><a href=format!("/work/campaigns/{id}/schools/{}", r.school_id)>{r.school}</a></th>
                                <td>{r.municipality}<br /><a href=format!("/work/schools/{}", r.school_id) class="card-link">{lang.tr("Карточка школы", "School card")}</a>{can_print_codes.then(|| view! { <br /><a href=format!("/work/campaigns/{id}/schools/{}/codes", r.school_id)>{lang.tr("Коды доступа", "Access codes")}</a> })}</td>
                                {r.groups.into_iter().map(|g| group_cell(g, lang)).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <Pager paging=m.paging.clone() lang />
        }
    })
}

/// The stage dates of the campaign's anti-risk programmes, and (for those who set them) the
/// forms to add and remove them.
fn stages_section(
    stages: &[StageItem],
    edit: Option<&Viewer>,
    id: i64,
    lang: Lang,
) -> impl IntoView {
    if stages.is_empty() && edit.is_none() {
        return None;
    }
    let list = stages.iter().map(|s| view! {
        <li data-stage=s.id>{format!("{} — {}", s.due_on, s.title)}
            {edit.map(|v| view! {
                <form method="post" action=format!("/work/campaigns/{id}/stages/{}/remove", s.id) class="inline">
                    <Csrf viewer=v.clone() />
                    <button type="submit" class="secondary">{lang.tr("Удалить", "Remove")}</button>
                </form>
            })}
        </li>
    }).collect_view();
    Some(view! {
        <section class="stages" id="stages">
            <h2>{lang.tr("Этапы отчётности по антирисковым программам", "Report stages of the anti-risk programmes")}</h2>
            <p class="hint">{lang.tr(
                "К каждой дате школы с согласованной программой отмечают выполнение мероприятий и пишут краткий анализ.",
                "By each date, schools with an agreed programme mark their measures and write a short analysis.",
            )}</p>
            <ul>{list}</ul>
            {edit.map(|v| view! {
                <form method="post" action=format!("/work/campaigns/{id}/stages") class="new-stage">
                    <Csrf viewer=v.clone() />
                    <label>{lang.tr("Название этапа", "Stage title")}<input name="title" required maxlength="200" /></label>
                    <label>{lang.tr("Дата", "Date")}<input name="due_on" type="date" required /></label>
                    <button type="submit">{lang.tr("Добавить этап", "Add the stage")}</button>
                </form>
            })}
        </section>
    })
}

fn level_style(level: &Option<LevelView>) -> String {
    let background = level.as_ref().map_or("#e6e8eb", |l| l.colour.as_str());
    format!("background:{background};color:{}", ink(background))
}

/// Black or white text, whichever contrasts more with the background (WCAG relative luminance).
fn ink(background: &str) -> &'static str {
    let hex = background.trim_start_matches('#');
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(hex.get(i..i + 2).unwrap_or("ff"), 16).unwrap_or(255))
            / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let luminance = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
    // Contrast with white (1.05 / (L + 0.05)) against contrast with black ((L + 0.05) / 0.05).
    if 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 {
        "#ffffff"
    } else {
        "#111111"
    }
}

#[component]
pub fn MatrixPage() -> impl IntoView {
    let campaign = id_param("id");
    let municipality = municipality_query();
    let cohort = cohort_query();
    let list = list_query();
    let matrix = super::page_data(
        move || (campaign(), municipality(), cohort(), list()),
        |(c, m, k, l)| get_matrix(c, m, k, l),
    );
    report_page(matrix, |m: Matrix, lang, viewer| {
        let methodologist = crate::access::RAW_READERS.contains(&viewer.role);
        let id = m.campaign.id;
        if m.campaign.published.is_none() {
            return view! {
                <h1>{m.campaign.name.clone()}</h1>
                <CampaignNav campaign=id lang />
                <Publication campaign=m.campaign.clone() lang />
            }
            .into_any();
        }
        let rows = m.rows.clone();
        let paging = m.paging.clone();
        let levels = m.levels.clone();
        view! {
            <h1>{m.campaign.name.clone()}</h1>
            <CampaignNav campaign=id lang />
            <Publication campaign=m.campaign.clone() lang />
            <h2>{lang.tr("Матрица рисков: школы × факторы", "Risk matrix: schools × factors")}</h2>
            <ul class="legend">
                {levels.iter().map(|l| view! { <li><span class="swatch" style=format!("background:{}", l.colour)></span>{l.name.clone()}</li> }).collect_view()}
                <li><span class="swatch" style="background:#e6e8eb"></span>{lang.tr("недостаточно данных", "not enough data")}</li>
                <li>{lang.tr("* уровень неустойчив: с учётом погрешности балл может попасть на соседний уровень", "* unstable level: within the uncertainty the score may fall on a neighbouring level")}</li>
            </ul>
            <MunicipalityFilter choices=m.municipalities.clone() selected=selected_municipality() paging=paging.clone() levels=levels.clone() lang />
            <p>
                <a href=format!("/export/campaigns/{id}/matrix.xlsx")>{lang.tr("Скачать в Excel", "Download as Excel")}</a>
                {methodologist.then(|| view! { " · "<a href=format!("/work/campaigns/{id}/quality")>{lang.tr("Качество инструментов", "Instrument quality")}</a> })}
            </p>
            {(!m.raw_exports.is_empty()).then(|| view! {
                <p class="raw-exports">{lang.tr("Ответы без идентификаторов: ", "Answers without identifiers: ")}
                    {m.raw_exports.iter().map(|(key, name)| view! {
                        <span class="raw-export">{name.clone()}" ("
                            <a href=format!("/export/campaigns/{id}/responses.csv?group={key}")>"CSV"</a>", "
                            <a href=format!("/export/campaigns/{id}/responses.xlsx?group={key}")>"XLSX"</a>") "
                        </span>
                    }).collect_view()}
                </p>
            })}
            <Shown paging=paging.clone() lang />
            <div class="wide list" tabindex="0" role="region" aria-label=lang.tr("Матрица рисков", "Risk matrix")>
                <table class="matrix-table">
                    <thead><tr>
                        <SortHeader label=lang.tr("Школа", "School").into() column="school".into() paging=paging.clone() lang />
                        <SortHeader label=lang.tr("Высоких", "High").into() column="high".into() paging=paging.clone() numeric=true lang />
                        {m.factors.iter().map(|f| view! {
                            <SortHeader label=f.code.clone() column=f.code.clone() paging=paging.clone() numeric=true title=f.name.clone() lang />
                        }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|r| view! {
                            <tr data-school=r.school_id>
                                <th scope="row"><a href=format!("/work/campaigns/{id}/schools/{}", r.school_id)>{r.school}</a><br /><small>{r.municipality}</small><br /><small><a href=format!("/work/schools/{}", r.school_id) class="card-link">{lang.tr("карточка", "card")}</a></small></th>
                                <td class="num high">{r.high}</td>
                                {r.cells.into_iter().map(|c| {
                                    let label = c.level.as_ref().map_or_else(|| lang.tr("нет данных", "no data").to_owned(), |l| l.name.clone());
                                    let mark = if c.unstable { "*" } else { "" };
                                    let score = c.score.map_or_else(|| "—".to_owned(), |s| format!("{}{mark}", surveys::text::decimals(s, 2)));
                                    view! { <td class="cell" style=level_style(&c.level) data-factor=c.code>{score}<span class="sr-only">{format!(" {label}")}</span></td> }
                                }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                    <tfoot>
                        {levels.iter().enumerate().map(|(n, l)| view! {
                            <tr>
                                <th scope="row" colspan="2">{l.name.clone()}</th>
                                {m.factors.iter().map(|f| view! { <td class="num">{f.per_level.get(n).copied().unwrap_or(0)}</td> }).collect_view()}
                            </tr>
                        }).collect_view()}
                        <tr>
                            <th scope="row" colspan="2">{lang.tr("недостаточно данных", "not enough data")}</th>
                            {m.factors.iter().map(|f| view! { <td class="num">{f.insufficient}</td> }).collect_view()}
                        </tr>
                    </tfoot>
                </table>
            </div>
            <Pager paging=paging.clone() lang />
            <h3>{lang.tr("Факторы", "Factors")}</h3>
            <dl class="factor-names">
                {m.factors.into_iter().map(|f| view! { <dt>{f.code}</dt><dd>{f.name}</dd> }).collect_view()}
            </dl>
        }
        .into_any()
    })
}

/// The factors as horizontal bars, drawn on the server.
#[component]
fn FactorChart(factors: Vec<FactorView>, lang: Lang) -> impl IntoView {
    let row = 28;
    let height = factors.len() * row + 10;
    view! {
        <svg class="chart" viewBox=format!("0 0 640 {height}") role="img" aria-label=lang.tr("Баллы риска по факторам", "Risk scores by factor")>
            {factors.into_iter().enumerate().map(|(n, f)| {
                let y = n * row + 5;
                let width = f.score.map_or(0.0, |s| s * 400.0);
                let fill = f.level.as_ref().map_or_else(|| "#e6e8eb".to_owned(), |l| l.colour.clone());
                let label = f.score.map_or_else(|| lang.tr("нет данных", "no data").to_owned(), |s| surveys::text::decimals(s, 2));
                view! {
                    <g>
                        <text x="0" y=y + 17 font-size="14">{f.code.clone()}</text>
                        <rect x="60" y=y width="400" height="22" fill="#f3f5f7" />
                        <rect x="60" y=y width=format!("{width:.1}") height="22" fill=fill />
                        <text x="470" y=y + 17 font-size="14">{label}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}

#[component]
fn Deficits(deficits: DeficitView, lang: Lang) -> impl IntoView {
    match deficits.suppressed {
        Some(why) => view! { <p class="notice">{why}</p> }.into_any(),
        None => view! {
            <table class="deficits">
                <thead><tr>
                    <th scope="col">{lang.tr("Область", "Area")}</th>
                    {deficits.bands.iter().map(|b| view! { <th scope="col" class="num"><span class="swatch" style=format!("background:{}", b.colour)></span>{b.name.clone()}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {deficits.areas.into_iter().map(|(area, counts)| view! {
                        <tr><th scope="row">{area}</th>{counts.into_iter().map(|n| view! { <td class="num">{n}</td> }).collect_view()}</tr>
                    }).collect_view()}
                </tbody>
            </table>
        }.into_any(),
    }
}

/// One factor of a profile, its indicators behind a disclosure (works without JavaScript).
#[component]
fn FactorDetails(factor: FactorView, lang: Lang) -> impl IntoView {
    let f = factor;
    let level = f.level.as_ref().map_or_else(
        || lang.tr("Недостаточно данных", "Not enough data").to_owned(),
        |l| l.name.clone(),
    );
    let score = f.score.map_or_else(String::new, |s| {
        format!(" · {}", surveys::text::decimals(s, 2))
    });
    let interval = f.interval.map_or_else(String::new, |(low, high)| {
        format!(
            " ({}–{})",
            surveys::text::decimals(low, 2),
            surveys::text::decimals(high, 2)
        )
    });
    let unstable = f.unstable.clone();
    view! {
        <details class="factor" data-factor=f.code.clone()>
            <summary>
                <span class="swatch" style=level_style(&f.level)></span>
                <strong>{f.code.clone()}</strong>" "{f.name.clone()}" — "<span class="level">{level}</span>{score}<small class="muted">{interval}</small>
                {unstable.is_some().then(|| view! { " "<span class="unstable">{lang.tr("⚠ уровень неустойчив", "⚠ unstable level")}</span> })}
            </summary>
            <p class="why">{f.why.clone()}</p>
            {unstable.map(|u| view! { <p class="unstable-note">{u}</p> })}
            <div class="wide" tabindex="0" role="region" aria-label=format!("{}: {}", f.code, lang.tr("показатели", "indicators"))><table>
                <thead><tr>
                    <th scope="col">{lang.tr("Показатель", "Indicator")}</th>
                    <th scope="col">{lang.tr("Группа", "Group")}</th>
                    <th scope="col" class="num">{lang.tr("Значение", "Value")}</th>
                    <th scope="col" class="num">{lang.tr("Интервал", "Interval")}</th>
                    <th scope="col" class="num">{lang.tr("Норма → критично", "OK → critical")}</th>
                    <th scope="col" class="num">{lang.tr("Риск", "Risk")}</th>
                    <th scope="col" class="num">{lang.tr("Ответов", "Respondents")}</th>
                </tr></thead>
                <tbody>
                    {f.indicators.into_iter().map(|i| view! {
                        <tr data-indicator=i.key.clone()>
                            <td>{i.name}{i.insufficient.map(|w| view! { <br /><small class="muted">{w}</small> })}</td>
                            <td>{i.group}</td>
                            <td class="num">{i.value.unwrap_or_else(|| "—".into())}</td>
                            <td class="num">{i.interval.unwrap_or_else(|| "—".into())}</td>
                            <td class="num">{format!("{} → {}", i.ok, i.critical)}</td>
                            <td class="num">{i.risk.map_or_else(|| "—".into(), |r| surveys::text::decimals(r, 2))}</td>
                            <td class="num">{i.respondents.unwrap_or_else(|| "—".into())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table></div>
        </details>
    }
    .into_any()
}

#[component]
pub fn ProfilePage() -> impl IntoView {
    let campaign = id_param("id");
    let school = id_param("school");
    // The profile is the reports' room's; the risks chosen from it, the programmes'.
    let profile = super::page_data(
        move || (campaign(), school()),
        |(c, s)| async move {
            let mut page = get_profile(c, s).await?;
            if let Some(profile) = page.report.as_mut() {
                if profile.campaign.published.is_some() {
                    if let Some(risks) = crate::programmes::get_risks(c, s).await?.report {
                        profile.risks = risks;
                    }
                }
            }
            Ok(page)
        },
    );
    report_page(profile, |p: Profile, lang, viewer| {
        let id = p.campaign.id;
        let viewer = viewer.clone();
        if p.campaign.published.is_none() {
            return view! {
                <p class="school">{p.municipality.clone()}" · "{p.campaign.name.clone()}</p>
                <h1>{p.school.clone()}</h1>
                <CampaignNav campaign=id lang />
                <p><a href=format!("/work/schools/{}", p.school_id) class="card-link">{lang.tr("Карточка школы: профиль и образовательные результаты", "School card: profile and educational results")}</a></p>
                <Publication campaign=p.campaign.clone() lang />
            }
            .into_any();
        }
        view! {
            <p class="school">{p.municipality.clone()}" · "{p.campaign.name.clone()}</p>
            <h1>{p.school.clone()}</h1>
            <CampaignNav campaign=id lang />
            <p><a href=format!("/work/schools/{}", p.school_id) class="card-link">{lang.tr("Карточка школы: профиль и образовательные результаты", "School card: profile and educational results")}</a></p>
            <Publication campaign=p.campaign.clone() lang />
            <p class="meta">{match lang {
                Lang::Ru => format!("Методика {}. Уровень фактора — по среднему риску его показателей с достаточным числом ответов.", p.methodology_version),
                Lang::En => format!("Methodology {}. A factor's level comes from the mean risk of its indicators with enough answers.", p.methodology_version),
            }}</p>
            <h2>{lang.tr("Отклик", "Responses")}</h2>
            <table class="monitor">
                <tbody><tr>
                    {p.groups.clone().into_iter().map(|g| view! { <th scope="col">{g.label.clone()}</th> }).collect_view()}
                </tr><tr>
                    {p.groups.into_iter().map(|g| group_cell(g, lang)).collect_view()}
                </tr></tbody>
            </table>
            <h2>{lang.tr("Рисковый профиль", "Risk profile")}</h2>
            <FactorChart factors=p.factors.clone() lang />
            {p.factors.into_iter().map(|factor| view! { <FactorDetails factor lang /> }).collect_view()}
            {p.history.map(|history| view! { <super::charts::HistoryChart history levels=p.levels.clone() lang /> }.into_any())}
            <h2>{lang.tr("Профессиональные дефициты учителей", "Teachers' professional deficits")}</h2>
            <Deficits deficits=p.deficits lang />
            <Risks panel=p.risks viewer action=format!("/work/campaigns/{id}/schools/{}/risks", query_school()) lang />
        }
        .into_any()
    })
}

/// The school id of the current address (`/work/campaigns/{id}/schools/{school}`).
fn query_school() -> i64 {
    use_params_map()
        .read_untracked()
        .get("school")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// The risks the school chose from this profile for its anti-risk programme, and (for the
/// school, its curator, an admin) the forms to choose and drop them.
#[component]
fn Risks(panel: RiskPanel, viewer: Viewer, action: String, lang: Lang) -> impl IntoView {
    let status = panel.status.map(|s| s.label(lang));
    let room = panel.can_choose && panel.chosen.len() < panel.max as usize;
    let problem = super::notice(&viewer, "problem");
    let drop = format!("{action}/drop");
    let programme = action.replace("/risks", "/programme");
    let has_programme = !panel.chosen.is_empty();
    let suggested: Vec<SuggestionView> = panel
        .suggestions
        .iter()
        .filter(|s| !s.weakest.is_empty() && !panel.chosen.iter().any(|c| c.factor == s.factor))
        .cloned()
        .collect();
    view! {
        <section id="risks" class="risks">
            <h2>{lang.tr("Выбранные риски", "Chosen risks")}</h2>
            <p class="hint">{match lang {
                Lang::Ru => format!("Риски, над которыми школа будет работать по антирисковой программе: не больше {}, каждый с обоснованием.", panel.max),
                Lang::En => format!("The risks the school will work on in its anti-risk programme: at most {}, each with its reasoning.", panel.max),
            }}{status.map(|s| view! { " "<strong class="programme-status">{match lang { Lang::Ru => format!("Программа: {s}."), Lang::En => format!("Programme: {s}.") }}</strong> })}</p>
            {problem.map(|t| view! { <p class="error" role="alert">{t}</p> })}
            {if panel.chosen.is_empty() {
                view! { <p>{lang.tr("Риски ещё не выбраны.", "No risk is chosen yet.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="chosen">
                        {panel.chosen.into_iter().map(|r| {
                            let factor = r.factor.clone();
                            view! {
                                <li data-risk=factor.clone()>
                                    <span class="swatch" style=level_style(&r.level)></span>
                                    <strong>{r.factor.clone()}</strong>" "{r.name}
                                    {r.level.map(|l| view! { " — "{l.name} })}
                                    <br /><span class="reasoning">{r.reasoning}</span>
                                    {panel.can_choose.then(|| view! {
                                        <form method="post" action=drop.clone() class="inline">
                                            <Csrf viewer=viewer.clone() />
                                            <input type="hidden" name="factor" value=factor.clone() />
                                            <button type="submit" class="secondary">{lang.tr("Убрать", "Drop")}</button>
                                        </form>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {(!suggested.is_empty()).then(|| view! {
                <h3>{lang.tr("Профиль предлагает", "The profile suggests")}</h3>
                <ul class="suggested">
                    {suggested.into_iter().map(|s| view! {
                        <li data-suggested=s.factor.clone()>
                            <strong>{s.factor.clone()}</strong>" "{s.name}{s.level.map(|l| view! { " — "{l.name} })}
                            <br /><small class="muted">{lang.tr("Слабые показатели: ", "Weakest indicators: ")}{s.weakest.join("; ")}</small>
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {has_programme.then(|| view! {
                <p><a class="button" href=programme.clone()>{lang.tr("Программа по выбранным рискам →", "The programme for the chosen risks →")}</a></p>
            })}
            {room.then(|| view! {
                <form method="post" action=action.clone() class="choose-risk">
                    <Csrf viewer=viewer.clone() />
                    <label for="factor">{lang.tr("Фактор риска", "Risk factor")}</label>
                    <select id="factor" name="factor" required>
                        {panel.suggestions.into_iter().map(|s| {
                            let label = format!("{} {}{}", s.factor, s.name, s.level.map(|l| format!(" — {}", l.name)).unwrap_or_default());
                            view! { <option value=s.factor>{label}</option> }
                        }).collect_view()}
                    </select>
                    <label for="reasoning">{lang.tr("Почему это ваш риск", "Why this is your risk")}</label>
                    <textarea id="reasoning" name="reasoning" rows="3" maxlength="1000" required></textarea>
                    <button type="submit">{lang.tr("Выбрать риск", "Choose the risk")}</button>
                </form>
            })}
        </section>
    }
}

/// One code with its link, QR code and whom it is for; cut along the border when printed.
#[component]
fn CodeCard(entry: CodeEntry, lang: Lang, replace: String, viewer: Viewer) -> impl IntoView {
    let steps = match lang {
        Lang::Ru => format!("Откройте {} или наведите камеру телефона на QR-код. Можно ввести код на главной странице. Анкету можно прервать и продолжить позже.", entry.link),
        Lang::En => format!("Open {} or point a phone camera at the QR code. The code can also be typed on the home page. You can stop and continue later.", entry.link),
    };
    view! {
        <article class="code-card" data-group=entry.group.clone()>
            <div class="qr" inner_html=entry.qr.clone()></div>
            <div>
                <h3>{entry.label.clone()}</h3>
                <p class="hint">{entry.hint.clone()}</p>
                <p class="code">{entry.code.clone()}</p>
                <p>{steps}</p>
                <form method="post" action=replace class="no-print replace-code">
                    <Csrf viewer />
                    <input type="hidden" name="access_code" value=entry.code.clone() />
                    <button type="submit" title=lang.tr("Если код попал к посторонним: он сразу перестанет действовать, на листе появится новый.", "If the code got out: it stops working at once and a new one appears on the sheet.")>
                        {lang.tr("Заменить код", "Replace the code")}
                    </button>
                </form>
            </div>
        </article>
    }
}

#[component]
pub fn CodeSheetPage() -> impl IntoView {
    let campaign = id_param("id");
    let school = id_param("school");
    let sheet = super::page_data(
        move || (campaign(), school()),
        |(c, s)| get_code_sheet(c, s),
    );
    report_page(sheet, |s: CodeSheet, lang, viewer| {
        let (shared, personal): (Vec<CodeEntry>, Vec<CodeEntry>) =
            s.entries.into_iter().partition(|e| !e.personal);
        let replace = format!(
            "/work/campaigns/{}/schools/{}/codes/replace",
            s.campaign.id, s.school_id
        );
        let card = |entry: CodeEntry| {
            view! { <CodeCard entry lang replace=replace.clone() viewer=viewer.clone() /> }
        };
        view! {
            <p class="school">{s.municipality.clone()}" · "{s.campaign.name.clone()}</p>
            <h1>{match lang {
                Lang::Ru => format!("Коды доступа: {}", s.school),
                Lang::En => format!("Access codes: {}", s.school),
            }}</h1>
            <p class="meta">{match lang {
                Lang::Ru => format!("Анкетирование с {} по {}. Коды групп — общие для всех участников группы; личные коды — каждому свой.", s.campaign.opens_on, s.campaign.closes_on),
                Lang::En => format!("The survey runs from {} to {}. Group codes are shared by the whole group; personal codes are one per person.", s.campaign.opens_on, s.campaign.closes_on),
            }}</p>
            {super::notice(viewer, "replaced").map(|code| view! { <p class="notice no-print" role="status">{match lang {
                Lang::Ru => format!("Код заменён: новый код {code}. Прежний больше не действует."),
                Lang::En => format!("The code was replaced: the new one is {code}. The old one no longer works."),
            }}</p> })}
            {super::notice(viewer, "problem").map(|t| view! { <p class="error no-print" role="alert">{t}</p> })}
            <p class="no-print"><button type="button" on:click=|_| { let _ = window().print(); }>{lang.tr("Печать", "Print")}</button></p>
            <h2>{lang.tr("Коды групп", "Group codes")}</h2>
            <div class="code-cards">
                {shared.into_iter().map(card).collect_view()}
            </div>
            <h2 class="page-break">{lang.tr("Личные коды", "Personal codes")}</h2>
            <div class="code-cards">
                {personal.into_iter().map(card).collect_view()}
            </div>
        }
        .into_any()
    })
}
