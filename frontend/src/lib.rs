//! The wasm entry point: hydrates the page the server rendered. Pages work without it.

// The coordinators' report pages are deep view types; hydrating them needs a deeper limit.
#![recursion_limit = "256"]

use wasm_bindgen::prelude::wasm_bindgen;

/// The whole app; built with the `respondent` feature, the islands of the respondents' pages
/// alone (a bundle of their own, `app::Scripts::Islands`): its loader (`frontend/islands.js`)
/// calls this, then each island's own entry.
#[wasm_bindgen]
pub fn hydrate() {
    #[cfg(not(feature = "respondent"))]
    {
        console_error_panic_hook::set_once();
        leptos::mount::hydrate_body(app::App);
    }
    #[cfg(feature = "respondent")]
    {
        std::hint::black_box(app::islands());
        leptos::mount::hydrate_islands();
    }
}
