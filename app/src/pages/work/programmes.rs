//! A campaign's schools with their anti-risk programmes: where each stands (none yet, draft,
//! submitted, returned, agreed), the risks chosen, measures and overdue ones, the next stage
//! report due; filtered by municipality, cohort and state, searched, sorted and paged on the
//! server (`crate::listing`), so a region's thousand schools arrive a page at a time.

use leptos::prelude::*;

use super::campaign::{
    cohort_query, id_param, municipality_query, report_page, selected_municipality, CampaignNav,
    MunicipalityFilter,
};
use super::listing::{list_query, Pager, Shown, SortHeader};
use crate::i18n::Lang;
use crate::programmes::{get_programme_list, ProgrammeList, ProgrammeListRow, ProgrammeState};

fn state_query() -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
    let query = leptos_router::hooks::use_query_map();
    move || query.read().get("state").filter(|s| !s.is_empty())
}

fn row(r: ProgrammeListRow, campaign: i64, lang: Lang) -> impl IntoView {
    let link = format!(
        "/work/campaigns/{campaign}/schools/{}/programme",
        r.school_id
    );
    let stage = r.stage.map(|(title, due, overdue)| {
        let text = match (overdue, lang) {
            (true, Lang::Ru) => format!("просрочен: {title} ({due})"),
            (true, Lang::En) => format!("overdue: {title} ({due})"),
            (false, Lang::Ru) => format!("скоро: {title} ({due})"),
            (false, Lang::En) => format!("due: {title} ({due})"),
        };
        view! { <span class=if overdue { "flag" } else { "" }>{text}</span> }
    });
    let overdue_class = if r.overdue > 0 { "num flag" } else { "num" };
    view! {
        <tr data-school=r.school_id data-state=r.state.key()>
            <th scope="row">{match r.state {
                ProgrammeState::Without => view! { <a href=format!("/work/campaigns/{campaign}/schools/{}", r.school_id)>{r.school}</a> }.into_any(),
                ProgrammeState::Has(_) => view! { <a href=link>{r.school}</a> }.into_any(),
            }}</th>
            <td>{r.municipality}</td>
            <td>{r.state.label(lang)}</td>
            <td>{if r.risks.is_empty() { "—".to_owned() } else { r.risks.join(", ") }}</td>
            <td class="num">{r.measures}</td>
            <td class=overdue_class>{r.overdue}</td>
            <td>{stage}</td>
        </tr>
    }
}

#[component]
pub fn ProgrammeListPage() -> impl IntoView {
    let campaign = id_param("id");
    let municipality = municipality_query();
    let cohort = cohort_query();
    let state = state_query();
    let list = list_query();
    let data = super::page_data(
        move || (campaign(), municipality(), cohort(), state(), list()),
        |(c, m, k, s, l)| get_programme_list(c, m, k, s, l),
    );
    report_page(data, |p: ProgrammeList, lang, _viewer| {
        let id = p.campaign.id;
        let selected = selected_municipality();
        let paging = p.paging.clone();
        let header = |label: &str, column: &str, numeric: bool| {
            view! { <SortHeader label=label.to_owned() column=column.to_owned() paging=paging.clone() numeric lang /> }
        };
        let table = view! {
            <div class="wide list" tabindex="0" role="region" aria-label=lang.tr("Программы по школам", "Programmes by school")>
                <table class="programmes">
                    <thead><tr>
                        {header(lang.tr("Школа", "School"), "school", false)}
                        {header(lang.tr("Муниципалитет", "Municipality"), "municipality", false)}
                        {header(lang.tr("Программа", "Programme"), "state", false)}
                        {header(lang.tr("Риски", "Risks"), "risks", true)}
                        {header(lang.tr("Мероприятий", "Measures"), "measures", true)}
                        {header(lang.tr("Просрочено", "Overdue"), "overdue", true)}
                        <th scope="col">{lang.tr("Отчёт по этапу", "Stage report")}</th>
                    </tr></thead>
                    <tbody>
                        {p.rows.into_iter().map(|r| row(r, id, lang).into_any()).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any();
        view! {
            <h1>{p.campaign.name.clone()}</h1>
            <CampaignNav campaign=id lang />
            <h2>{lang.tr("Антирисковые программы школ", "Schools' anti-risk programmes")}</h2>
            <p class="hint">{lang.tr(
                "Состояние программы каждой школы кампании: выбранные риски, мероприятия и просроченные из них, ближайший отчёт по этапу.",
                "Where each school's programme stands: the risks chosen, the measures and how many are overdue, the next stage report.",
            )}</p>
            <MunicipalityFilter choices=p.municipalities.clone() selected paging=p.paging.clone() states=p.states.clone() lang />
            <Shown paging=p.paging.clone() lang />
            {table}
            <Pager paging=p.paging.clone() lang />
        }
        .into_any()
    })
}
