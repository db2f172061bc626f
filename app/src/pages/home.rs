//! The home page: what Orientir is, the form to open a questionnaire by its code, and the
//! region's campaigns with their schools. In Russian or English, as the reader chose.

use leptos::prelude::*;

use leptos_router::hooks::use_query_map;

use crate::i18n::Lang;
use crate::overview::{get_overview, CampaignSummary, Overview};
use crate::pages::respond::{CodeForm, LangSwitch};
use crate::respond::CodeProblem;

#[component]
pub fn HomePage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| get_overview());
    view! {
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || overview.get().map(|result| match result {
                Ok((lang, data)) => view! { <Home lang data /> }.into_any(),
                Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Home(lang: Lang, data: Overview) -> impl IntoView {
    // `/enter` sends a code it cannot use back here with `?error=malformed&code=…`.
    let query = use_query_map();
    let typed = query.read_untracked().get("code").unwrap_or_default();
    let problem = (query.read_untracked().get("error").as_deref() == Some("malformed")).then(|| {
        let (title, advice) = CodeProblem::Malformed.message(lang);
        view! { <div class="notice" role="alert"><p><strong>{title}</strong></p><p>{advice}</p></div> }
    });
    view! {
        <LangSwitch lang />
        <section class="page" lang=lang.code()>
            <header class="masthead">
                <h1>{lang.tr("Ориентир", "Orientir")}</h1>
                <p class="lead">
                    {lang.tr(
                        "Анкетирование школ и рисковые профили: ответы руководителей, учителей, обучающихся и родителей превращаются в понятную картину рисков школы.",
                        "School surveys and risk profiles: answers of principals, teachers, students and parents become a clear picture of a school's risks.",
                    )}
                </p>
                <HydrationMark lang />
            </header>
            <h2>{lang.tr("Заполнить анкету", "Fill in a questionnaire")}</h2>
            {problem}
            <CodeForm value=typed lang />
            <p class="plan-link"><a href="/plan">{lang.tr(
                "Учителю: мой ИОМ по ключу результата диагностики",
                "For teachers: my development plan, with the diagnostic's result key",
            )}</a></p>
            <OverviewView data lang />
        </section>
    }
}

/// Tells the reader (and the browser tests) whether the page is only server-rendered or its
/// script has run: an island, whose effects run only in the browser.
#[island]
pub fn HydrationMark(lang: Lang) -> impl IntoView {
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    view! {
        <p class="mode" id="page-mode" data-hydrated=move || hydrated.get().to_string()>
            {move || if hydrated.get() {
                lang.tr("Интерактивный режим", "Interactive mode")
            } else {
                lang.tr("Базовый режим (без JavaScript)", "Basic mode (without JavaScript)")
            }}
        </p>
    }
}

#[component]
fn OverviewView(data: Overview, lang: Lang) -> impl IntoView {
    if data.campaigns.is_empty() {
        return view! {
            <p>{lang.tr(
                "Кампаний пока нет. Запустите «orientir demo», чтобы создать демонстрационный регион.",
                "No campaigns yet. Run «orientir demo» to create a demo region.",
            )}</p>
        }
        .into_any();
    }
    view! {
        <p class="regions">{lang.tr("Регион: ", "Region: ")} {data.regions.join(", ")}</p>
        {data.campaigns.into_iter().map(|c| view! { <CampaignView campaign=c lang /> }).collect_view()}
    }
    .into_any()
}

#[component]
fn CampaignView(campaign: CampaignSummary, lang: Lang) -> impl IntoView {
    let meta = match lang {
        // No count of answers on a public page: with one school it would be that school's.
        Lang::Ru => format!(
            "Методика {} · с {} по {}",
            campaign.methodology_version, campaign.opens_on, campaign.closes_on,
        ),
        Lang::En => format!(
            "Methodology {} · from {} to {}",
            campaign.methodology_version, campaign.opens_on, campaign.closes_on,
        ),
    };
    view! {
        <article class="campaign">
            <h2>{campaign.name}</h2>
            <p class="meta">{meta}</p>
            <table>
                <caption>{lang.tr("Школы кампании", "Schools of the campaign")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{lang.tr("Школа", "School")}</th>
                        <th scope="col">{lang.tr("Муниципалитет", "Municipality")}</th>
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
