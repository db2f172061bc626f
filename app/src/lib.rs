//! Orientir's user interface: one Leptos app rendered on the server and hydrated in the browser.
//! Every page renders its data on the server, so it is complete without JavaScript.

// The pages' views are deep types; the server builds them all.
#![recursion_limit = "256"]

pub mod access;
pub mod development;
pub mod error;
pub mod i18n;
pub mod listing;
pub mod overview;
pub mod pages;
pub mod programmes;
pub mod reports;
pub mod respond;
pub mod results;
pub mod support;
pub mod work;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode, StaticSegment,
};

pub use error::AppError;

/// What a page loads to come alive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scripts {
    /// The whole app's bundle, which hydrates the page (a coordinator's).
    App,
    /// The respondents' bundle, which holds their pages' islands alone (a question page's
    /// `LiveForm`, the home page's mark), through a small loader browsers keep: a respondent on a
    /// slow line downloads neither the coordinators' pages nor a router, nor a script per page.
    Islands,
    /// Nothing: a respondent's page without an island (the start and thank-you pages).
    None,
}

impl Scripts {
    /// What a page of the app's router loads: the home page, where a respondent types a code,
    /// has an island; the coordinators' pages are hydrated whole. (Respondents' own pages are
    /// documents of their own, `pages::respond::document`.)
    pub fn of(path: &str) -> Scripts {
        if path == "/" {
            Scripts::Islands
        } else {
            Scripts::App
        }
    }
}

/// Every page's title.
pub const TITLE: &str = "Ориентир";

/// The islands of the respondents' pages, for the respondents' bundle to name: each island's
/// wasm entry sits in `app` beside its component, and the linker keeps it only when something in
/// the bundle refers to that code.
#[cfg(feature = "hydrate")]
pub fn islands() -> [*const (); 2] {
    [
        pages::respond::live::LiveForm as *const (),
        pages::HydrationMark as *const (),
    ]
}

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    send_content_security_policy();
    #[cfg(feature = "ssr")]
    let scripts =
        use_context::<http::request::Parts>().map_or(Scripts::App, |r| Scripts::of(r.uri.path()));
    #[cfg(not(feature = "ssr"))]
    let scripts = Scripts::App;
    // A page that is not hydrated as a whole carries no hydration marks (islands mark their own).
    if scripts != Scripts::App {
        if let Some(context) = Owner::current_shared_context() {
            context.set_is_hydrating(false);
        }
    }
    view! {
        <!DOCTYPE html>
        <html lang="ru">
            <head>
                <Head options scripts />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// What every page's `<head>` holds: the character set, the viewport, the stylesheet and the
/// page's scripts. The stylesheet lives with the scripts, in the bundle's folder (named after
/// its content in a built site, so that browsers keep it until the next build).
#[component]
pub fn Head(options: LeptosOptions, scripts: Scripts) -> impl IntoView {
    let stylesheet = format!("/{}/orientir.css", options.site_pkg_dir);
    // The coordinators' styles, for the pages the whole app hydrates (never a respondent's).
    let work_styles = (scripts == Scripts::App).then(
        || view! { <link rel="stylesheet" href=format!("/{}/work.css", options.site_pkg_dir) /> },
    );
    let loader = format!("/{}/islands.js", options.site_pkg_dir);
    let scripts = match scripts {
        Scripts::App => view! { <HydrationScripts options /> }.into_any(),
        Scripts::Islands => view! { <script type="module" src=loader></script> }.into_any(),
        Scripts::None => ().into_any(),
    };
    view! {
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <link rel="stylesheet" id="orientir" href=stylesheet />
        {work_styles}
        {scripts}
    }
}

/// The page's Content-Security-Policy, with the nonce Leptos puts on its inline scripts.
#[cfg(feature = "ssr")]
fn send_content_security_policy() {
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    if let Ok(value) =
        http::HeaderValue::from_str(&content_security_policy(Some(&nonce.to_string())))
    {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// A page's Content-Security-Policy: only this site's scripts and the page's one inline script
/// (by its `nonce`, when it has one) run, the wasm may compile, styles come from the site's
/// stylesheet (style attributes carry the methodology's level colours), and nothing plugs in,
/// frames the page, rewrites its base or posts elsewhere.
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let inline = nonce.map(|n| format!(" 'nonce-{n}'")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self'{inline} 'wasm-unsafe-eval'; \
         style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
}

/// The routes of the app.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title text=TITLE />
        <Router>
            <main>
                <Routes fallback=pages::NotFound>
                    // Async: the page waits for its data before it is sent, so it is
                    // complete without JavaScript (streamed Suspense needs JS to swap
                    // content in).
                    <Route path=StaticSegment("") view=pages::HomePage ssr=SsrMode::Async />
                    // Respondents' pages are documents of their own, which the server renders
                    // outside this router: a link to one loads it from the server.
                    <Route path=path!("/s/:code") view=pages::Elsewhere />
                    <Route path=path!("/s/:code/p/:page") view=pages::Elsewhere />
                    <Route path=path!("/s/:code/thanks") view=pages::Elsewhere />
                    <Route path=path!("/login") view=pages::work::LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/work") view=pages::work::WorkPage ssr=SsrMode::Async />
                    <Route path=path!("/account") view=pages::work::AccountPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/users") view=pages::work::UsersPage ssr=SsrMode::Async />
                    <Route path=path!("/work/audit") view=pages::work::AuditLogPage ssr=SsrMode::Async />
                    <Route path=path!("/work/plans") view=pages::work::SharedPlansPage ssr=SsrMode::Async />
                    <Route path=path!("/work/development") view=pages::work::DemandPage ssr=SsrMode::Async />
                    <Route path=path!("/work/campaigns/new") view=pages::work::NewCampaignPage ssr=SsrMode::Async />
                    <Route path=path!("/work/registry") view=pages::work::RegistryPage ssr=SsrMode::Async />
                    <Route path=path!("/work/campaigns/:id/overview") view=pages::work::OverviewPage ssr=SsrMode::Async />
                    <Route path=path!("/work/campaigns/:id/programmes") view=pages::work::ProgrammeListPage ssr=SsrMode::Async />
                    <Route path=path!("/work/change") view=pages::work::ChangePage ssr=SsrMode::Async />
                    <Route path=path!("/work/effectiveness") view=pages::work::EffectivenessPage ssr=SsrMode::Async />
                    <Route path=path!("/work/results") view=pages::work::ResultsPage ssr=SsrMode::Async />
                    <Route path=path!("/work/schools/:school") view=pages::work::SchoolCardPage ssr=SsrMode::Async />
                    <Route path=path!("/work/support") view=pages::work::SupportListPage ssr=SsrMode::Async />
                    <Route path=path!("/work/support/questions/:id") view=pages::work::QuestionThreadPage ssr=SsrMode::Async />
                    <Route path=path!("/work/support/visits/:id") view=pages::work::VisitDetailPage ssr=SsrMode::Async />
                    <Route path=path!("/work/knowledge") view=pages::work::KnowledgeBasePage ssr=SsrMode::Async />
                    <Route path=path!("/work/events") view=pages::work::EventListPage ssr=SsrMode::Async />
                    <Route path=path!("/work/events/:id") view=pages::work::EventDetailPage ssr=SsrMode::Async />
                    <Route path=path!("/work/roadmaps") view=pages::work::RoadmapListPage ssr=SsrMode::Async />
                    <Route path=path!("/work/roadmaps/:id") view=pages::work::RoadmapDetailPage ssr=SsrMode::Async />
                    <Route path=path!("/work/roadmaps/:id/print") view=pages::work::RoadmapPrintPage ssr=SsrMode::Async />
                    <Route path=path!("/work/inbox") view=pages::work::InboxListPage ssr=SsrMode::Async />
                    <Route path=path!("/work/campaigns/:id/monitor") view=pages::work::MonitorPage ssr=SsrMode::Async />
                    <Route path=path!("/work/campaigns/:id/matrix") view=pages::work::MatrixPage ssr=SsrMode::Async />
                    <Route path=path!("/work/campaigns/:id/quality") view=pages::work::QualityPage ssr=SsrMode::Async />
                    <Route path=path!("/work/campaigns/:id/schools/:school/codes") view=pages::work::CodeSheetPage ssr=SsrMode::Async />
                    <Route path=path!("/work/campaigns/:id/schools/:school/programme") view=pages::work::ProgrammePage ssr=SsrMode::Async />
                    <Route path=path!("/work/campaigns/:id/schools/:school/programme/print") view=pages::work::ProgrammePrintPage ssr=SsrMode::Async />
                    <Route path=path!("/work/campaigns/:id/schools/:school") view=pages::work::ProfilePage ssr=SsrMode::Async />
                </Routes>
            </main>
        </Router>
    }
}
