//! Orientir's server: configuration, storage on SQLite or PostgreSQL, the web routes and the
//! command-line subcommands. `main.rs` only parses the command line and calls in here.

pub mod access;
pub mod access_code;
pub mod accounts;
pub mod auth;
pub mod campaigns;
pub mod cli;
pub mod config;
pub mod cookies;
pub mod demo;
pub mod error;
pub mod export;
pub mod housekeeping;
pub mod paper;
pub mod raw;
pub mod registry;
pub mod reports;
pub mod respond;
pub mod storage;
pub mod web;
pub mod work;

pub use config::Config;
pub use error::ServerError;
pub use storage::Storage;
