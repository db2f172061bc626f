//! The `orientir` binary run as an operator runs it, in one test binary: its commands, start-up
//! and configuration (`commands`) and the paper-data commands (`paper`).

mod commands;
mod paper;
