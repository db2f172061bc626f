//! Coordinators' pages: signing in, the start page with the campaigns in scope, the account and
//! (for admins) the accounts of others. Plain forms posting to the server, complete without
//! JavaScript; every form of a signed-in user carries the session's CSRF token.

mod account;
mod audit;
mod campaign;
mod change;
mod charts;
mod demand;
mod effectiveness;
mod listing;
mod login;
mod new_campaign;
mod overview;
mod plans;
mod programme;
mod programmes;
mod quality;
mod registry;
mod results;
mod support;
mod users;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::access::{Role, Viewer};
use crate::i18n::Lang;
use crate::pages::respond::LangSwitch;
use crate::work::{get_work_home, Attention, ProgrammeLink, WorkHome};

pub use account::AccountPage;
pub use audit::AuditLogPage;
pub use campaign::{CodeSheetPage, MatrixPage, MonitorPage, ProfilePage};
pub use change::ChangePage;
pub use demand::DemandPage;
pub use effectiveness::EffectivenessPage;
pub use login::LoginPage;
pub use new_campaign::NewCampaignPage;
pub use overview::OverviewPage;
pub use plans::SharedPlansPage;
pub use programme::{ProgrammePage, ProgrammePrintPage};
pub use programmes::ProgrammeListPage;
pub use quality::QualityPage;
pub use registry::RegistryPage;
pub use results::{ResultsPage, SchoolCardPage};
pub use support::{
    EventDetailPage, EventListPage, InboxListPage, KnowledgeBasePage, QuestionThreadPage,
    RoadmapDetailPage, RoadmapListPage, RoadmapPrintPage, SupportListPage, VisitDetailPage,
};
pub use users::UsersPage;

/// A query parameter of the current address.
fn query(name: &'static str) -> Option<String> {
    use_query_map().read_untracked().get(name)
}

/// A notice the server put in the address for this session (`access::SEALED_NOTICES`): shown
/// only under its seal, never text a crafted link brings.
fn notice(viewer: &Viewer, name: &'static str) -> Option<String> {
    let value = query(name)?;
    let seal = query("seal")?;
    (crate::access::notice_seal(&viewer.csrf, name, &value) == seal).then_some(value)
}

/// A coordinator page's data as it travels into the page for the browser to hydrate from:
/// postcard in base64 instead of JSON, which names every field of every row (a page of a hundred
/// schools' rows comes to a third of its JSON). Server functions still answer in JSON.
pub type PageData<T> = Resource<T, leptos::server::codee::binary::PostcardCodec>;

/// A coordinator page's data, fetched on the server and carried into the page (`PageData`).
#[track_caller]
pub fn page_data<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> PageData<T>
where
    S: Send + Sync + Clone + PartialEq + 'static,
    T: Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    Fut: std::future::Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}

/// A count or number the server put in the address; anything else is not shown.
fn number(name: &'static str) -> Option<u64> {
    query(name)?.parse().ok()
}

/// A labelled choice of a GET filter form, with an «any» option when one is given.
fn select(
    name: &'static str,
    label: &str,
    choices: Vec<crate::work::Choice>,
    chosen: Option<i64>,
    any: Option<&str>,
) -> impl IntoView {
    let (label, any) = (label.to_owned(), any.map(str::to_owned));
    view! {
        <label for=name>{label}</label>
        <select id=name name=name>
            {any.map(|text| view! { <option value="">{text}</option> })}
            {choices.into_iter().map(|c| {
                let selected = chosen == Some(c.id);
                view! { <option value=c.id selected=selected>{c.name}</option> }
            }).collect_view()}
        </select>
    }
}

/// A school typed into a form (its code, its name or a part of it): a region's thousand schools
/// would make a choice list heavier than the page around it. The server resolves the text
/// (`scope::school_named`) and refuses it, naming the field, when no school or several fit; with
/// JavaScript the browser suggests the viewer's schools as one types.
#[component]
pub fn SchoolField(id: &'static str, name: &'static str, lang: Lang) -> impl IntoView {
    let (suggestions, set_suggestions) = signal(Vec::<String>::new());
    // The answer to the latest text only: an earlier, slower answer is dropped.
    let asked = StoredValue::new(0u64);
    let list = format!("{id}-suggestions");
    let suggest = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        let n = asked.get_value() + 1;
        asked.set_value(n);
        leptos::task::spawn_local(async move {
            let found = crate::work::find_schools(text).await.unwrap_or_default();
            if asked.get_value() == n {
                set_suggestions.set(found);
            }
        });
    };
    view! {
        <label for=id>{lang.tr("Школа (код или название)", "School (code or name)")}</label>
        <input id=id name=name type="search" required maxlength="200" autocomplete="off" list=list.clone()
            placeholder=lang.tr("начните вводить название", "start typing the name") on:input=suggest />
        <datalist id=list>
            <For each=move || suggestions.get() key=|s| s.clone() let:s>
                <option value=s></option>
            </For>
        </datalist>
    }
}

/// The hidden field every form of a signed-in user sends.
#[component]
pub fn Csrf(viewer: Viewer) -> impl IntoView {
    view! { <input type="hidden" name="_csrf" value=viewer.csrf /> }
}

/// The frame of a coordinator's page: who is signed in, where to go, signing out.
#[component]
pub fn WorkFrame(viewer: Viewer, lang: Lang, children: Children) -> impl IntoView {
    let admin = viewer.role == Role::Admin;
    let coordinator = crate::access::COORDINATORS.contains(&viewer.role);
    // Effects run only in the browser after hydration: the mark tells the tests it happened.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    view! {
        <LangSwitch lang />
        <header class="work-bar" lang=lang.code() data-hydrated=move || hydrated.get().to_string()>
            <p class="who">
                <strong>{viewer.name.clone()}</strong>" · "{viewer.role.label(lang)}
            </p>
            <nav aria-label=lang.tr("Разделы", "Sections")>
                {coordinator.then(|| view! {
                    <a href="/work">{lang.tr("Кампании", "Campaigns")}</a>
                    <a href="/work/change">{lang.tr("Динамика", "Change")}</a>
                })}
                {crate::access::OVERSEERS.contains(&viewer.role).then(|| view! { <a href="/work/results">{lang.tr("Результаты", "Results")}</a> })}
                {coordinator.then(|| view! {
                    <a href="/work/support">{lang.tr("Поддержка", "Support")}</a>
                    <a href="/work/events">{lang.tr("Мероприятия", "Events")}</a>
                    <a href="/work/roadmaps">{lang.tr("Дорожные карты", "Roadmaps")}</a>
                    <a href="/work/inbox">{lang.tr("Уведомления", "Notifications")}</a>
                })}
                {crate::access::METHODISTS.contains(&viewer.role).then(|| view! { <a href="/work/plans">{lang.tr("Планы педагогов", "Teachers' plans")}</a> })}
                {crate::access::PLANNERS.contains(&viewer.role).then(|| view! { <a href="/work/development">{lang.tr("Запрос на ПК", "Training demand")}</a> })}
                {admin.then(|| view! { <a href="/admin/users">{lang.tr("Учётные записи", "Accounts")}</a> })}
                {admin.then(|| view! { <a href="/work/audit">{lang.tr("Журнал аудита", "Audit log")}</a> })}
                <a href="/account">{lang.tr("Пароль", "Password")}</a>
            </nav>
            <form method="post" action="/session/end" class="sign-out">
                <Csrf viewer=viewer.clone() />
                <button type="submit" class="secondary">{lang.tr("Выйти", "Sign out")}</button>
            </form>
        </header>
        <section class="page wide" lang=lang.code()>{children()}</section>
    }
}

fn programme_links(
    title: &'static str,
    class: &'static str,
    links: Vec<ProgrammeLink>,
) -> impl IntoView {
    (!links.is_empty()).then(|| {
        view! {
            <h3>{title}</h3>
            <ul class=class>
                {links.into_iter().map(|l| view! {
                    <li><a href=format!("/work/campaigns/{}/schools/{}/programme", l.campaign_id, l.school_id)>{l.school}</a>
                        " · "{l.campaign}{(!l.note.is_empty()).then(|| format!(" · {}", l.note))}</li>
                }).collect_view()}
            </ul>
        }
    })
}

/// What needs the viewer's attention in the anti-risk programmes, and the overview of them.
#[component]
fn AttentionPanel(attention: Attention, lang: Lang) -> impl IntoView {
    let a = attention;
    let any = !(a.awaiting.is_empty()
        && a.returned.is_empty()
        && a.overdue.is_empty()
        && a.stages_due.is_empty());
    view! {
        {any.then(|| view! { <h2>{lang.tr("Требует внимания", "Needs your attention")}</h2> })}
        {programme_links(lang.tr("Ждут вашего согласования", "Waiting for your agreement"), "awaiting", a.awaiting)}
        {programme_links(lang.tr("Возвращены на доработку", "Returned for changes"), "returned", a.returned)}
        {programme_links(lang.tr("Есть просроченные мероприятия", "With overdue measures"), "overdue", a.overdue)}
        {programme_links(lang.tr("Отчёты по этапам: скоро срок или просрочены", "Stage reports due or overdue"), "stages-due", a.stages_due)}
        {a.overview.then(|| view! {
            <section class="programmes-overview">
                <h2>{lang.tr("Антирисковые программы школ", "Schools' anti-risk programmes")}</h2>
                <p class="states">{a.statuses.into_iter().map(|(s, n)| format!("{}: {n}", s.label(lang))).collect::<Vec<_>>().join(" · ")}</p>
                <p><a href="/work/effectiveness">{lang.tr("Эффективность мер: что было в программах, достигших целей", "Effectiveness of measures: what the programmes that met their targets had")}</a></p>
                {a.results.map(|(improved, leaving)| view! {
                    <p class="results-overview"><a href="/work/results">{match lang {
                        Lang::Ru => format!("Образовательные результаты: значимых улучшений — {improved}, соответствуют критериям выхода из списка — {leaving}"),
                        Lang::En => format!("Educational results: significant improvements — {improved}, meet the criteria for leaving the list — {leaving}"),
                    }}</a></p>
                })}
                {(!a.chosen.is_empty()).then(|| view! {
                    <table class="chosen-factors">
                        <thead><tr>
                            <th scope="col">{lang.tr("Фактор", "Factor")}</th>
                            <th scope="col" class="num">{lang.tr("Школ выбрали", "Schools chose it")}</th>
                        </tr></thead>
                        <tbody>
                            {a.chosen.into_iter().map(|(code, name, n)| view! {
                                <tr data-factor=code.clone()><td>{format!("{code} {name}")}</td><td class="num">{n}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                })}
                {(!a.without.is_empty()).then(|| view! {
                    <h3>{lang.tr("Школы без программы", "Schools without a programme")}</h3>
                    <ul class="without">{a.without.into_iter().map(|w| view! {
                        <li><a href=format!("/work/campaigns/{}/programmes?state=none", w.campaign_id)>{w.campaign}</a>{format!(": {}", w.schools)}</li>
                    }).collect_view()}</ul>
                })}
            </section>
        })}
    }
}

#[component]
pub fn WorkPage() -> impl IntoView {
    let home = page_data(|| (), |_| get_work_home());
    view! {
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || home.get().map(|r| match r {
                Ok(WorkHome { session, campaigns, attention }) => match session.viewer {
                    Some(viewer) => {
                        let lang = session.lang;
                        let viewer_role = viewer.role;
                        if crate::access::METHODISTS.contains(&viewer_role) {
                            return view! {
                                <WorkFrame viewer lang>
                                    <h1>{lang.tr("Индивидуальные образовательные маршруты", "Individual development plans")}</h1>
                                    <p>{lang.tr("Здесь собраны планы, которые педагоги открыли вам сами.", "Here are the plans teachers chose to show you.")}</p>
                                    <p><a class="button" href="/work/plans">{lang.tr("Открыть планы педагогов", "Open the teachers' plans")}</a></p>
                                </WorkFrame>
                            }.into_any();
                        }
                        view! {
                            <WorkFrame viewer lang>
                                <support::SupportPanel />
                                <AttentionPanel attention lang />
                                <h1>{lang.tr("Кампании анкетирования", "Survey campaigns")}</h1>
                                {crate::access::CAMPAIGNERS.contains(&viewer_role).then(|| view! {
                                    <p>
                                        <a class="button" href="/work/campaigns/new">{lang.tr("Новая кампания", "New campaign")}</a>" "
                                        <a href="/work/registry">{lang.tr("Реестр школ", "Registry of schools")}</a>
                                    </p>
                                })}
                                {if campaigns.is_empty() {
                                    view! { <p>{lang.tr("Кампаний с вашими школами пока нет.", "No campaign includes your schools yet.")}</p> }.into_any()
                                } else {
                                    view! {
                                        <table class="campaigns">
                                            <thead><tr>
                                                <th scope="col">{lang.tr("Кампания", "Campaign")}</th>
                                                <th scope="col">{lang.tr("Методика", "Methodology")}</th>
                                                <th scope="col">{lang.tr("Сроки", "Dates")}</th>
                                                <th scope="col">{lang.tr("Школ", "Schools")}</th>
                                            </tr></thead>
                                            <tbody>
                                                {campaigns.into_iter().map(|c| view! {
                                                    <tr data-campaign=c.id>
                                                        <td>
                                                            {c.name}<br />
                                                            <a href=format!("/work/campaigns/{}/monitor", c.id)>{lang.tr("Отклик", "Response rates")}</a>" · "
                                                            <a href=format!("/work/campaigns/{}/matrix", c.id)>{lang.tr("Матрица рисков", "Risk matrix")}</a>" · "
                                                            <a href=format!("/work/campaigns/{}/overview", c.id)>{lang.tr("Обзор", "Overview")}</a>" · "
                                                            <a href=format!("/work/campaigns/{}/programmes", c.id)>{lang.tr("Программы", "Programmes")}</a>
                                                        </td>
                                                        <td>{c.methodology_version}</td>
                                                        <td>{format!("{} — {}", c.opens_on, c.closes_on)}</td>
                                                        <td class="num">{c.schools}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    }.into_any()
                                }}
                            </WorkFrame>
                        }.into_any()
                    }
                    None => view! { <p><a href="/login">{session.lang.tr("Войти", "Sign in")}</a></p> }.into_any(),
                },
                Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </Suspense>
    }
}
