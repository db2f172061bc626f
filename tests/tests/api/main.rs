//! Orientir's HTTP and storage tests in one binary (one link of the whole server instead of one
//! per file): each module is one area of the API, and every case runs on SQLite and PostgreSQL.

mod access;
mod accounts;
mod campaigns;
mod development;
mod documents;
mod educational;
mod exports;
mod hardening;
mod http;
mod in_process;
mod instances;
mod mail;
mod markup;
mod operations;
mod privacy;
mod programmes;
mod proxy;
mod publication;
mod registry;
mod reports;
mod respond;
mod results;
mod sign_in;
mod stages;
mod storage;
mod support;
mod tallies;
mod upgrade;
mod validation;
