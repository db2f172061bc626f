//! The home page: what Orientir is, and the region's campaigns with their schools.

use leptos::prelude::*;

use leptos_router::hooks::use_query_map;

use crate::i18n::Lang;
use crate::overview::{get_overview, CampaignSummary, Overview};
use crate::pages::respond::CodeForm;
use crate::respond::CodeProblem;

#[component]
pub fn HomePage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| get_overview());
    // `/enter` sends a code it cannot use back here with `?error=malformed&code=…`.
    let query = use_query_map();
    let typed = query.read_untracked().get("code").unwrap_or_default();
    let problem = (query.read_untracked().get("error").as_deref() == Some("malformed")).then(|| {
        let (title, advice) = CodeProblem::Malformed.message(Lang::Ru);
        view! { <div class="notice" role="alert"><p><strong>{title}</strong></p><p>{advice}</p></div> }
    });
    view! {
        <section class="page">
            <header class="masthead">
                <h1>"Ориентир"</h1>
                <p class="lead">
                    "Анкетирование школ и рисковые профили: ответы руководителей, учителей, "
                    "обучающихся и родителей превращаются в понятную картину рисков школы."
                </p>
                <HydrationMark />
            </header>
            <h2>"Заполнить анкету"</h2>
            {problem}
            <CodeForm value=typed lang=Lang::Ru />
            <Suspense fallback=|| view! { <p>"Загрузка…"</p> }>
                {move || overview.get().map(|result| match result {
                    Ok(data) => view! { <OverviewView data /> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

/// Tells the reader (and the browser tests) whether the page is only server-rendered or hydrated:
/// effects run only in the browser, after hydration.
#[component]
fn HydrationMark() -> impl IntoView {
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    view! {
        <p class="mode" id="page-mode" data-hydrated=move || hydrated.get().to_string()>
            {move || if hydrated.get() { "Интерактивный режим" } else { "Базовый режим (без JavaScript)" }}
        </p>
    }
}

#[component]
fn OverviewView(data: Overview) -> impl IntoView {
    if data.campaigns.is_empty() {
        return view! { <p>"Кампаний пока нет. Запустите «orientir demo», чтобы создать демонстрационный регион."</p> }
            .into_any();
    }
    view! {
        <p class="regions">"Регион: " {data.regions.join(", ")}</p>
        {data.campaigns.into_iter().map(|c| view! { <CampaignView campaign=c /> }).collect_view()}
    }
    .into_any()
}

#[component]
fn CampaignView(campaign: CampaignSummary) -> impl IntoView {
    view! {
        <article class="campaign">
            <h2>{campaign.name}</h2>
            <p class="meta">
                {format!(
                    "Методика {} · с {} по {} · заполнено анкет: {}",
                    campaign.methodology_version,
                    campaign.opens_on,
                    campaign.closes_on,
                    campaign.total_responses,
                )}
            </p>
            <table>
                <caption>"Школы кампании"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Школа"</th>
                        <th scope="col">"Муниципалитет"</th>
                    </tr>
                </thead>
                <tbody>
                    {campaign
                        .schools
                        .into_iter()
                        .map(|s| view! {
                            <tr data-school=s.code>
                                <td>{s.name}</td>
                                <td>{s.municipality}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        </article>
    }
}
