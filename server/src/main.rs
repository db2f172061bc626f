//! The `orientir` binary: parses the command line and reports a failure as one line.

use std::process::ExitCode;

use clap::Parser;

/// Many small, short-lived allocations per request (pages, JSON, SQL rows) across threads:
/// mimalloc serves them faster than glibc's malloc, which took a quarter of the time under load.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = server::cli::Cli::parse();
    match server::cli::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("orientir: error: {e}");
            ExitCode::FAILURE
        }
    }
}
