//! The page for an unknown address.

use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <section class="page">
            <h1>"Страница не найдена"</h1>
            <p><a href="/">"На главную"</a></p>
        </section>
    }
}

/// What the whole app's router shows for a page it does not render (a respondent's, reached by
/// a link): the page is loaded from the server instead.
#[component]
pub fn Elsewhere() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        // The address the router is going to (the browser's may not have changed yet).
        let location = leptos_router::hooks::use_location();
        let search = location.search.get_untracked();
        let target = format!(
            "{}{}{}",
            location.pathname.get_untracked(),
            if search.is_empty() { "" } else { "?" },
            search
        );
        let _ = window().location().replace(&target);
    }
    view! { <section class="page" aria-busy="true"></section> }
}
