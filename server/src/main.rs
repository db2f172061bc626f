//! The `orientir` binary: parses the command line and reports a failure as one line.

use std::process::ExitCode;

use clap::Parser;

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
