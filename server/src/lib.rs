//! Orientir's server: configuration, storage on SQLite or PostgreSQL, the web routes and the
//! command-line subcommands. `main.rs` only parses the command line and calls in here.

pub mod access_code;
pub mod cli;
pub mod config;
pub mod demo;
pub mod error;
pub mod paper;
pub mod respond;
pub mod storage;
pub mod web;

pub use config::Config;
pub use error::ServerError;
pub use storage::Storage;
