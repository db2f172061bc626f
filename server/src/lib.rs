//! Orientir's server, in layers that only import downwards (docs/ARCHITECTURE.md):
//!
//! - the edge: `cli` (the command line, the demo, paper data) above `http` (the router, the
//!   access table and its check, serving);
//! - features, one folder each: `respond` (respondents' pages), `reports` (monitor, matrix,
//!   profile, change), `coordinators` (accounts, campaigns, registry, code sheets), `programmes`
//!   (anti-risk programmes: chosen risks), `exports` (workbooks and raw responses), `home`,
//!   `housekeeping`;
//! - gates: `scope` (which schools a viewer sees, scored) and `auth` (who the viewer is);
//! - the base: `storage` (SQLite or PostgreSQL), `problem` (refusals of input), `error`, `reply`
//!   (how a handler answers), `cookies`, `groups` (texts per respondent group), `secrets`
//!   (random tokens and their hashes), `access_code`,
//!   `clock`, `config`.
//!
//! `main.rs` only parses the command line and calls `cli::run`.

// The pages' views are deep types; the server builds them all.
#![recursion_limit = "256"]

pub mod cli;
pub mod http;

pub mod coordinators;
pub mod development;
pub mod exports;
pub mod home;
pub mod housekeeping;
pub mod mail;
pub mod programmes;
pub mod reports;
pub mod respond;
pub mod results;
pub mod support;

pub mod auth;
pub mod scope;
pub mod yardstick;

pub mod access_code;
pub mod clock;
pub mod config;
pub mod cookies;
pub mod documents;
pub mod error;
pub mod groups;
pub mod memo;
pub mod metrics;
pub mod notify;
pub mod problem;
pub mod reply;
pub mod secrets;
pub mod sheets;
pub mod storage;
pub mod tallying;
pub mod uploads;
pub mod views;

pub use config::Config;
pub use error::ServerError;
pub use storage::Storage;
