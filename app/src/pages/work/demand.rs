//! The demand for professional development, for those who plan courses (the region, a
//! municipality, its methodist): per municipality, how many teachers' diagnostics found a
//! deficit in each area and how many teachers chose each activity of the catalogue — only over
//! municipalities of enough teachers and schools, the total over the shown ones alone — with the
//! same table as a workbook.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::campaign::report_page;
use crate::access::Viewer;
use crate::development::{get_demand, DemandLine, DemandView};
use crate::i18n::Lang;

#[component]
pub fn DemandPage() -> impl IntoView {
    let query = use_query_map();
    let campaign = move || {
        query
            .read()
            .get("campaign")
            .and_then(|c| c.parse::<i64>().ok())
    };
    let page = super::page_data(campaign, get_demand);
    report_page(page, demand_view)
}

fn lines(
    title: &'static str,
    first: &'static str,
    d: &DemandView,
    lines: Vec<DemandLine>,
    lang: Lang,
) -> impl IntoView {
    let columns = d.municipalities.clone();
    view! {
        <h2>{title}</h2>
        <div class="wide" tabindex="0" role="region" aria-label=title>
            <table class="demand">
                <thead><tr>
                    <th scope="col">{first}</th>
                    {columns.into_iter().map(|m| view! { <th scope="col" class="num">{m}</th> }).collect_view()}
                    <th scope="col" class="num">{lang.tr("Всего", "Total")}</th>
                </tr></thead>
                <tbody>
                    {lines.into_iter().map(|l| view! {
                        <tr>
                            <th scope="row">{l.name}</th>
                            {l.counts.into_iter().map(|n| view! { <td class="num">{n}</td> }).collect_view()}
                            <td class="num">{l.total}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

fn demand_view(d: DemandView, lang: Lang, _viewer: &Viewer) -> AnyView {
    let chosen = d.campaign;
    let file = format!(
        "/export/development.xlsx{}",
        chosen.map(|c| format!("?campaign={c}")).unwrap_or_default()
    );
    let mut areas = vec![d.teachers_line(lang)];
    areas.extend(d.areas.clone());
    let activities = d.activities.clone();
    view! {
        <h1>{lang.tr("Запрос на повышение квалификации", "Demand for professional development")}</h1>
        <p class="lead">{match lang {
            Lang::Ru => format!("По диагностикам профессиональных дефицитов педагогов: сколько педагогов с дефицитом в каждой области и сколько выбрали каждое мероприятие каталога. Муниципалитет показан, если в нём не меньше {} педагогов из не меньше {} школ; «Всего» складывается только из показанных. Ответы и результаты отдельных педагогов здесь не видны никому.", d.min_teachers, d.min_schools),
            Lang::En => format!("From the teachers' deficit diagnostics: how many teachers have a deficit in each area and how many chose each activity of the catalogue. A municipality is shown with at least {} teachers of at least {} schools; the total adds only the shown ones. No one's answers or results are visible here.", d.min_teachers, d.min_schools),
        }}</p>
        <form method="get" action="/work/development" class="filter">
            <label for="campaign">{lang.tr("Кампания", "Campaign")}</label>
            <select id="campaign" name="campaign">
                {d.campaigns.iter().map(|(id, name)| view! { <option value=*id selected=Some(*id) == chosen>{name.clone()}</option> }).collect_view()}
            </select>
            <button type="submit" class="secondary">{lang.tr("Показать", "Show")}</button>
        </form>
        {(d.hidden > 0).then(|| view! { <p class="notice" role="status">{match lang {
            Lang::Ru => format!("Не показано муниципалитетов: {} (слишком мало педагогов или школ).", d.hidden),
            Lang::En => format!("Municipalities not shown: {} (too few teachers or schools).", d.hidden),
        }}</p> })}
        {if d.municipalities.is_empty() {
            view! { <p>{lang.tr("Пока нет ни одной группы, по которой запрос можно показать.", "No group yet whose demand may be shown.")}</p> }.into_any()
        } else {
            view! {
                <p><a href=file>{lang.tr("Скачать таблицу (XLSX)", "Download the table (XLSX)")}</a></p>
                {lines(lang.tr("Дефициты по областям", "Deficits by area"), lang.tr("Область", "Area"), &d, areas, lang)}
                {lines(lang.tr("Выбранные мероприятия", "Activities chosen"), lang.tr("Мероприятие", "Activity"), &d, activities, lang)}
            }.into_any()
        }}
    }
    .into_any()
}
