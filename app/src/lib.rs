//! Orientir's user interface: one Leptos app rendered on the server and hydrated in the browser.
//! Every page renders its data on the server, so it is complete without JavaScript.

pub mod access;
pub mod error;
pub mod i18n;
pub mod overview;
pub mod pages;
pub mod reports;
pub mod respond;
pub mod work;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode, StaticSegment,
};

pub use error::AppError;

/// The bundle respondents' pages load (`RespondentApp`), beside the whole app's.
pub const RESPONDENT_BUNDLE: &str = "respondent";

/// Whether a path is a page a respondent meets — the home page, where a code is typed, and the
/// questionnaire's: hydrated by the respondents' own bundle, which holds only those pages
/// (`RespondentApp`), so that a respondent on a slow line does not download the coordinators'.
pub fn is_respondent_path(path: &str) -> bool {
    path == "/" || path.starts_with("/s/")
}

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    send_content_security_policy();
    #[cfg(feature = "ssr")]
    let options = {
        let mut options = options;
        if use_context::<http::request::Parts>().is_some_and(|r| is_respondent_path(r.uri.path())) {
            options.output_name = RESPONDENT_BUNDLE.into();
        }
        options
    };
    // The stylesheet lives with the scripts, in the bundle's folder (named after its content
    // in a built site, so that browsers keep it until the next build).
    let stylesheet = format!("/{}/orientir.css", options.site_pkg_dir);
    view! {
        <!DOCTYPE html>
        <html lang="ru">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="stylesheet" id="orientir" href=stylesheet />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The page's Content-Security-Policy, with the nonce Leptos puts on its inline scripts: only this
/// site's scripts and that one inline script run, the wasm may compile, styles come from the
/// site's stylesheet (style attributes carry the methodology's level colours), and nothing plugs
/// in, frames the page, rewrites its base or posts elsewhere.
#[cfg(feature = "ssr")]
fn send_content_security_policy() {
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    );
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// What every page of both bundles is framed by: the meta context, the state the hydrated
/// question pages share across client-side navigation, the title, the router with the pages a
/// respondent meets (`is_respondent_path`) and any others given. Both apps render the same
/// frame and the same respondents' routes, so that either hydrates what the server sent.
macro_rules! frame {
    (fallback = $fallback:expr; $($others:tt)*) => {{
        provide_meta_context();
        provide_context(pages::respond::live::Prefetched::default());
        provide_context(pages::respond::live::RulesCache::default());
        view! {
            <Title text="Ориентир" />
            <Router>
                <main>
                    <Routes fallback=$fallback>
                        // Async: the page waits for its data before it is sent, so it is
                        // complete without JavaScript (streamed Suspense needs JS to swap
                        // content in).
                        <Route path=StaticSegment("") view=pages::HomePage ssr=SsrMode::Async />
                        <Route path=path!("/s/:code") view=pages::respond::StartPage ssr=SsrMode::Async />
                        <Route path=path!("/s/:code/p/:page") view=pages::respond::SectionPage ssr=SsrMode::Async />
                        <Route path=path!("/s/:code/thanks") view=pages::respond::ThanksPage ssr=SsrMode::Async />
                        $($others)*
                    </Routes>
                </main>
            </Router>
        }
    }};
}

/// The respondents' pages alone: what the respondents' bundle hydrates. A link to any other
/// page loads it from the server.
#[component]
pub fn RespondentApp() -> impl IntoView {
    frame! { fallback = pages::Elsewhere; }
}

/// The routes of the app.
#[component]
pub fn App() -> impl IntoView {
    frame! {
        fallback = pages::NotFound;
                    <Route path=path!("/login") view=pages::work::LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/work") view=pages::work::WorkPage ssr=SsrMode::Async />
                    <Route path=path!("/account") view=pages::work::AccountPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/users") view=pages::work::UsersPage ssr=SsrMode::Async />
                    <Route path=path!("/work/campaigns/new") view=pages::work::NewCampaignPage ssr=SsrMode::Async />
                    <Route path=path!("/work/registry") view=pages::work::RegistryPage ssr=SsrMode::Async />
                    <Route path=path!("/work/change") view=pages::work::ChangePage ssr=SsrMode::Async />
                    <Route path=path!("/work/effectiveness") view=pages::work::EffectivenessPage ssr=SsrMode::Async />
                    <Route path=path!("/work/campaigns/:id/monitor") view=pages::work::MonitorPage ssr=SsrMode::Async />
                    <Route path=path!("/work/campaigns/:id/matrix") view=pages::work::MatrixPage ssr=SsrMode::Async />
                    <Route path=path!("/work/campaigns/:id/quality") view=pages::work::QualityPage ssr=SsrMode::Async />
                    <Route path=path!("/work/campaigns/:id/schools/:school/codes") view=pages::work::CodeSheetPage ssr=SsrMode::Async />
                    <Route path=path!("/work/campaigns/:id/schools/:school/programme") view=pages::work::ProgrammePage ssr=SsrMode::Async />
                    <Route path=path!("/work/campaigns/:id/schools/:school/programme/print") view=pages::work::ProgrammePrintPage ssr=SsrMode::Async />
                    <Route path=path!("/work/campaigns/:id/schools/:school") view=pages::work::ProfilePage ssr=SsrMode::Async />
    }
}
