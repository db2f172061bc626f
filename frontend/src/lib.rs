//! The wasm entry point: hydrates the page the server rendered. Pages work without it.

// The coordinators' report pages are deep view types; hydrating them needs a deeper limit.
#![recursion_limit = "256"]

use wasm_bindgen::prelude::wasm_bindgen;

/// The whole app; built with the `respondent` feature, the respondents' pages alone (a bundle
/// of their own, `app::RESPONDENT_BUNDLE`).
#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    #[cfg(not(feature = "respondent"))]
    leptos::mount::hydrate_body(app::App);
    #[cfg(feature = "respondent")]
    leptos::mount::hydrate_body(app::RespondentApp);
}
