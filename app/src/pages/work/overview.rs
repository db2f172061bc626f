//! A campaign's region at a glance: for each municipality and factor, the share of schools at
//! each level, as a picture drawn on the server and the table of the same shares
//! (`charts::OverviewChart`); narrowed to a cohort of schools.

use leptos::prelude::*;

use super::campaign::{
    cohort_query, id_param, report_page, CampaignNav, CohortSelect, Publication,
};
use super::charts::OverviewChart;
use super::listing::ListForm;
use crate::i18n::Lang;
use crate::reports::{get_overview, RegionOverview};

#[component]
pub fn OverviewPage() -> impl IntoView {
    let campaign = id_param("id");
    let cohort = cohort_query();
    let data = super::page_data(move || (campaign(), cohort()), |(c, k)| get_overview(c, k));
    report_page(data, |o: RegionOverview, lang: Lang, _viewer| {
        let id = o.campaign.id;
        let chosen = leptos_router::hooks::use_query_map()
            .read_untracked()
            .get("cohort");
        view! {
            <h1>{o.campaign.name.clone()}</h1>
            <CampaignNav campaign=id lang />
            <h2>{lang.tr("Обзор по муниципалитетам", "Overview by municipality")}</h2>
            <Publication campaign=o.campaign.clone() lang />
            <ListForm lang>
                <CohortSelect chosen lang />
                <button type="submit" class="secondary">{lang.tr("Показать", "Show")}</button>
            </ListForm>
            {if o.areas.is_empty() {
                None
            } else {
                Some(view! { <OverviewChart overview=o lang /> })
            }}
        }
    })
}
