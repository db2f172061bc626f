//! Educational results beside the risk profile, as coordinators meet them: the results page and a
//! school's card (`pages.rs`), the import in two layouts (`import.rs`, its routes in `routes.rs`),
//! templates, cohorts and the exports of the results table (`export.rs`). What the results are —
//! read, judged and tabled — is the gate `crate::yardstick`'s.

pub mod export;
pub mod import;
mod pages;
pub mod routes;
