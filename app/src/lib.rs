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
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode, StaticSegment,
};

pub use error::AppError;

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="ru">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The routes of the app.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // State the hydrated question pages share across client-side navigation.
    provide_context(pages::respond::live::Prefetched::default());
    provide_context(pages::respond::live::RulesCache::default());
    view! {
        <Stylesheet id="orientir" href="/pkg/orientir.css" />
        <Title text="Ориентир" />
        <Router>
            <main>
                <Routes fallback=pages::NotFound>
                    // Async: the page waits for its data before it is sent, so it is complete
                    // without JavaScript (streamed Suspense needs JS to swap content in).
                    <Route path=StaticSegment("") view=pages::HomePage ssr=SsrMode::Async />
                    <Route path=path!("/s/:code") view=pages::respond::StartPage ssr=SsrMode::Async />
                    <Route path=path!("/s/:code/p/:page") view=pages::respond::SectionPage ssr=SsrMode::Async />
                    <Route path=path!("/s/:code/thanks") view=pages::respond::ThanksPage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=pages::work::LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/work") view=pages::work::WorkPage ssr=SsrMode::Async />
                    <Route path=path!("/account") view=pages::work::AccountPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/users") view=pages::work::UsersPage ssr=SsrMode::Async />
                    <Route path=path!("/work/campaigns/new") view=pages::work::NewCampaignPage ssr=SsrMode::Async />
                    <Route path=path!("/work/registry") view=pages::work::RegistryPage ssr=SsrMode::Async />
                    <Route path=path!("/work/change") view=pages::work::ChangePage ssr=SsrMode::Async />
                    <Route path=path!("/work/campaigns/:id/monitor") view=pages::work::MonitorPage ssr=SsrMode::Async />
                    <Route path=path!("/work/campaigns/:id/matrix") view=pages::work::MatrixPage ssr=SsrMode::Async />
                    <Route path=path!("/work/campaigns/:id/schools/:school/codes") view=pages::work::CodeSheetPage ssr=SsrMode::Async />
                    <Route path=path!("/work/campaigns/:id/schools/:school") view=pages::work::ProfilePage ssr=SsrMode::Async />
                </Routes>
            </main>
        </Router>
    }
}
