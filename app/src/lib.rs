//! Orientir's user interface: one Leptos app rendered on the server and hydrated in the browser.
//! Every page renders its data on the server, so it is complete without JavaScript.

pub mod error;
pub mod i18n;
pub mod overview;
pub mod pages;
pub mod respond;

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
                </Routes>
            </main>
        </Router>
    }
}
