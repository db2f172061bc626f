//! The `orientir` binary: parses the command line and reports a failure as one line.

use std::process::ExitCode;

/// Many small, short-lived allocations per request (pages, JSON, SQL rows) across threads:
/// mimalloc serves them faster than glibc's malloc, which took a quarter of the time under load.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The stack of each runtime thread: a page is rendered as one deep future, which needs more than
/// tokio's 2 MiB in a debug build (the release one needs far less).
const THREAD_STACK: usize = 8 * 1024 * 1024;

fn main() -> ExitCode {
    let cli = server::cli::Cli::parse_versioned();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(THREAD_STACK)
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("orientir: error: the runtime does not start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(server::cli::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("orientir: error: {e}");
            ExitCode::FAILURE
        }
    }
}
