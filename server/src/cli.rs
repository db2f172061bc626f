//! The `orientir` command line: `serve` (default) and `demo`.

use clap::{Parser, Subcommand};
use surveys::calendar::Day;
use surveys::Methodology;
use tracing_subscriber::EnvFilter;

use crate::config::{Config, ConfigArgs};
use crate::demo::{self, DemoSummary};
use crate::error::ServerError;
use crate::storage::Storage;
use crate::web;

#[derive(Debug, Parser)]
#[command(
    name = "orientir",
    version,
    about = "Orientir: school risk-profile surveys"
)]
pub struct Cli {
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Serve Orientir (the default).
    Serve {
        /// Create the demo region first (as `orientir demo` does).
        #[arg(long)]
        demo: bool,
    },
    /// Create the demo region if it is missing, print how to try it, and serve.
    Demo,
}

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> Result<(), ServerError> {
    let config = Config::from_args(&cli.config)?;
    init_logging(&config.log)?;
    let with_demo = match cli.command.unwrap_or(Command::Serve { demo: false }) {
        Command::Serve { demo } => demo,
        Command::Demo => true,
    };
    let methodology = Methodology::default_set()?;
    // Bind before touching the database so that a taken port fails fast and changes nothing.
    let listener = web::bind(&config).await?;
    let storage = Storage::open(&config).await?;
    let addr = listener.local_addr()?;
    tracing::info!(backend = storage.backend().name(), database = %config.database, "database ready");
    if with_demo {
        let summary = demo::ensure_demo(&storage, &methodology, today()).await?;
        print_demo(&summary, &format!("http://{addr}"));
    }
    let app = web::router(&config, storage.clone());
    // The one line scripts wait for: the real address, also when port 0 was asked for.
    println!("listening on http://{addr}");
    web::serve(listener, app).await?;
    storage.close().await;
    Ok(())
}

fn today() -> Day {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    Day::from_unix_seconds(seconds)
}

fn init_logging(filter: &str) -> Result<(), ServerError> {
    let filter = EnvFilter::try_new(filter)
        .map_err(|e| ServerError::Config(format!("ORIENTIR_LOG «{filter}»: {e}")))?;
    // A second initialisation (tests run several servers in one process) keeps the first.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
    Ok(())
}

fn print_demo(summary: &DemoSummary, base: &str) {
    let state = if summary.created {
        "created"
    } else {
        "already present"
    };
    println!(
        "Demo region {state}: «{}», {} responses.",
        summary.campaign, summary.responses
    );
    println!("Open {base}/ in a browser. Access codes of the demo campaign, per school:");
    for (school, codes) in &summary.codes {
        let list: Vec<String> = codes
            .iter()
            .map(|(group, code)| format!("{group} {code}"))
            .collect();
        println!("  {school}: {}", list.join(", "));
    }
}
