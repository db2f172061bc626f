//! Change between two campaigns: per school and factor the level before and after, with the
//! schools that improved and worsened per factor. A plain GET form chooses the campaigns.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::listing::{list_query, ListFields, ListForm, Pager, Shown, SortHeader};
use super::{select, WorkFrame};
use crate::i18n::Lang;
use crate::reports::{get_change, Change, ChangeCell, Report};
use surveys::change::Transition;

fn query_id(name: &'static str) -> impl Fn() -> Option<i64> + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || query.read().get(name).and_then(|v| v.parse().ok())
}

fn cell(c: ChangeCell, levels: &[crate::reports::LevelView], lang: Lang) -> impl IntoView {
    let name = |key: &Option<String>| {
        key.as_ref()
            .and_then(|k| levels.iter().find(|l| &l.key == k))
            .map_or_else(|| lang.tr("н/д", "n/a").to_owned(), |l| l.name.clone())
    };
    let (mark, class) = match c.transition {
        Transition::Improved => ("↓", "improved"),
        Transition::Worsened => ("↑", "worsened"),
        Transition::Unchanged => ("=", "unchanged"),
        Transition::Unknown => ("?", "unknown"),
    };
    // The same level is named once.
    let levels = if c.transition == Transition::Unchanged {
        name(&c.after)
    } else {
        format!("{} → {}", name(&c.before), name(&c.after))
    };
    let delta = c.delta.map_or_else(String::new, |d| format!(" {d:+.2}"));
    // A change beyond the uncertainty is said and set in bold; one within it is left unmarked
    // (the hint under the table says so): a page of a hundred schools has a thousand cells.
    let significant = c.significant == Some(true);
    let within = if c.significant == Some(false) {
        " within"
    } else {
        ""
    };
    view! {
        <td class=format!("change {class}{}{within}", if significant { " sig" } else { "" }) data-factor=c.code>
            {levels}<br />
            <span aria-hidden="true">{mark}</span>{delta}
            {significant.then(|| view! { " "<strong>{lang.tr("значимо", "significant")}</strong> })}
        </td>
    }
}

#[component]
pub fn ChangePage() -> impl IntoView {
    let before = query_id("before");
    let after = query_id("after");
    let municipality = query_id("municipality");
    let cohort = super::campaign::cohort_query();
    let list = list_query();
    let change = super::page_data(
        move || (before(), after(), municipality(), cohort(), list()),
        |(b, a, m, k, l)| get_change(b, a, m, k, l),
    );
    view! {
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || change.get().map(|r| match r {
                Ok(Report { session, report }) => {
                    let lang = session.lang;
                    let Some(viewer) = session.viewer else { return ().into_any() };
                    view! {
                        <WorkFrame viewer lang>
                            {match report {
                                Some(c) => view! { <ChangeView change=c lang /> }.into_any(),
                                None => view! { <p>{lang.tr("Кампаний с вашими школами пока нет.", "No campaign includes your schools yet.")}</p> }.into_any(),
                            }}
                        </WorkFrame>
                    }.into_any()
                }
                Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn ChangeView(change: Change, lang: Lang) -> impl IntoView {
    let c = change;
    let municipality = super::campaign::selected_municipality();
    let (campaigns, municipalities) = (c.campaigns.clone(), c.municipalities.clone());
    let (before, after, form_paging) = (c.before, c.after, c.paging.clone());
    view! {
        <h1>{lang.tr("Динамика между кампаниями", "Change between campaigns")}</h1>
        <ListForm lang>
            {select("before", lang.tr("Было", "Before"), campaigns.clone(), before, None)}
            {select("after", lang.tr("Стало", "After"), campaigns, after, None)}
            {(municipalities.len() > 1).then(|| select("municipality", lang.tr("Муниципалитет", "Municipality"), municipalities, municipality, Some(lang.tr("все", "all"))))}
            <super::campaign::CohortSelect chosen=use_query_map().read_untracked().get("cohort") lang />
            <ListFields paging=form_paging lang />
            <button type="submit" class="secondary">{lang.tr("Сравнить", "Compare")}</button>
        </ListForm>
        {c.versions.map(|v| view! { <p class="notice" role="status">{v}</p> })}
        {c.unpublished.then(|| view! { <p class="notice" role="status">{lang.tr(
            "У одной из кампаний ещё нет публикации результатов: динамика появится, когда обе будут опубликованы.",
            "One of the campaigns has no published results yet: the change appears once both are published.",
        )}</p> })}
        {if c.rows.is_empty() && c.paging.q.is_empty() {
            view! { <p>{lang.tr("Нет школ, участвовавших в обеих кампаниях.", "No school took part in both campaigns.")}</p> }.into_any()
        } else {
            let paging = c.paging.clone();
            let levels = c.levels.clone();
            // The rows as a table or, asked for, as a picture (`?view=chart`): a page carries
            // one of them, so that fifty schools stay a light page.
            let as_chart = super::query("view").as_deref() == Some("chart");
            let switch = view! {
                <nav class="tabs" aria-label=lang.tr("Вид", "View")>
                    <a href=super::listing::link(&[("view", String::new())]) aria-current=(!as_chart).then_some("page")>{lang.tr("Таблица", "Table")}</a>
                    <a href=super::listing::link(&[("view", "chart".to_owned())]) aria-current=as_chart.then_some("page")>{lang.tr("График", "Chart")}</a>
                </nav>
            }
            .into_any();
            if as_chart {
                view! {
                    {switch}
                    <Shown paging=paging.clone() lang />
                    {(!c.rows.is_empty()).then(|| view! {
                        <super::charts::ChangeChart factors=c.factors.clone() rows=c.rows.clone() levels=c.levels.clone() lang />
                    })}
                    <Pager paging lang />
                }
                .into_any()
            } else {
            view! {
                {switch}
                <Shown paging=paging.clone() lang />
                <div class="wide list" tabindex="0" role="region" aria-label=lang.tr("Динамика по школам", "Change by school")>
                    <table class="change-table">
                        <thead><tr>
                            <SortHeader label=lang.tr("Школа", "School").into() column="school".into() paging=paging.clone() lang />
                            <SortHeader label=lang.tr("Лучше", "Better").into() column="improved".into() paging=paging.clone() numeric=true lang />
                            <SortHeader label=lang.tr("Хуже", "Worse").into() column="worsened".into() paging=paging.clone() numeric=true lang />
                            {c.factors.iter().map(|(code, name)| view! { <SortHeader label=code.clone() column=code.clone() paging=paging.clone() numeric=true title=name.clone() lang /> }).collect_view()}
                        </tr></thead>
                        <tbody>
                            {c.rows.into_iter().map(|r| view! {
                                <tr data-school=r.school_id>
                                    <th scope="row"><a href=format!("/work/schools/{}", r.school_id)>{r.school}</a><br /><small>{r.municipality}</small></th>
                                    <td class="num improved-count" title=lang.tr("значимо (всего по уровню)", "significant (all by level)")>{format!("{} ({})", r.improved, r.improved_all)}</td>
                                    <td class="num worsened-count" title=lang.tr("значимо (всего по уровню)", "significant (all by level)")>{format!("{} ({})", r.worsened, r.worsened_all)}</td>
                                    {r.cells.into_iter().map(|x| cell(x, &levels, lang).into_any()).collect_view()}
                                </tr>
                            }).collect_view()}
                        </tbody>
                        <tfoot>
                            <tr>
                                <th scope="row" colspan="3">{lang.tr("Школ: лучше / хуже", "Schools: better / worse")}</th>
                                {c.totals.into_iter().zip(c.totals_all).map(|((better, worse), (all_better, all_worse))| view! { <td class="num totals">{format!("{better} / {worse}")}<br /><small class="muted">{format!("({all_better} / {all_worse})")}</small></td> }).collect_view()}
                            </tr>
                        </tfoot>
                    </table>
                </div>
                <Pager paging lang />
                <p class="hint">{lang.tr(
                    "↓ — риск снизился (например, «высокий → средний»), ↑ — вырос, = — уровень тот же, ? — в одной из кампаний недостаточно данных; число — разница баллов. «Значимо» — разница больше погрешности баллов; без этой отметки она в пределах погрешности, и смена уровня может быть случайной. «Лучше» и «Хуже» считают только значимые изменения, в скобках — все смены уровня.",
                    "↓ — less risk (e.g. «high → medium»), ↑ — more, = — the same level, ? — one of the campaigns lacks data; the number is the difference of the scores. «Significant»: the difference is beyond the scores' uncertainty; without that mark it is within it, and the change of level may be chance. «Better» and «Worse» count significant changes only, all changes of level in brackets.",
                )}</p>
            }.into_any()
            }
        }}
    }
    .into_any()
}
