//! The `orientir` command line: `serve` (the default), `demo`, `create-admin`, `rescore`, the
//! operator's `backup`, `check-backup` and `restore` (in `backup`) and `purge` (retention, in
//! `purge`), and the paper commands
//! (`check-instruments`, `template`, `score`, in `paper`); the demo region is built in `demo`.

pub mod backup;
pub mod demo;
pub mod demo_cycle;
pub mod demo_development;
pub mod demo_results;
pub mod demo_support;
pub mod paper;
pub mod purge;

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use surveys::Methodology;
use tracing_subscriber::EnvFilter;

use crate::clock::today;
use crate::config::{Config, ConfigArgs};
use crate::error::ServerError;
use crate::http;
use crate::storage::Storage;
use demo::DemoSummary;

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
    /// Check a methodology folder and print every problem (exit code 1 when there are any).
    CheckInstruments {
        /// The folder with methodology.toml, factors.toml, … and one file per instrument.
        dir: PathBuf,
    },
    /// Write a CSV template for entering paper questionnaires of one instrument.
    Template {
        /// Instrument key: principal, teacher, student, parent, teacher_deficits,
        /// principal_management.
        #[arg(long)]
        instrument: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// Create an admin account (the first one, or another). The password is read from
    /// ORIENTIR_ADMIN_PASSWORD or, when that is unset, from the first line of standard input.
    CreateAdmin {
        #[arg(long)]
        login: String,
        /// Name shown in the interface.
        #[arg(long, default_value = "Администратор")]
        name: String,
    },
    /// Rebuild a campaign's sums from its stored answers: after a change of the methodology,
    /// or for responses stored around the server. Best run while the campaign takes no answers.
    Rescore {
        /// The campaign's id or code.
        campaign: String,
    },
    /// Write a consistent, checked backup of the database to FILE (which must not exist): on
    /// SQLite a copy made while the server keeps running, on PostgreSQL `pg_dump`'s custom format.
    Backup { file: PathBuf },
    /// Check a backup: an SQLite copy page by page, with what it holds; a dump by `pg_restore`.
    CheckBackup { file: PathBuf },
    /// Restore a backup into the empty database DATABASE_URL names, then bring it to this
    /// version's schema.
    Restore { file: PathBuf },
    /// Delete the answers of campaigns that closed more than N years ago; what was published
    /// from them (profiles, matrix, change, response counts) stays.
    Purge {
        #[arg(long)]
        older_than_years: u32,
        /// List what would go, deleting nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Compute school profiles from CSV files of responses (one `<instrument>.csv` per instrument).
    Score {
        /// TOML file with the campaign's schools and expected respondents.
        #[arg(long)]
        campaign_params: PathBuf,
        /// Folder with the CSV files.
        #[arg(long)]
        responses: PathBuf,
        /// `profiles.json` or `profiles.csv`.
        #[arg(long)]
        out: PathBuf,
    },
}

/// Below this many open files a server has little room for connections: 1,100 half-open
/// connections under a limit of 1,024 kept `/healthz` from answering for 30 s.
const FEW_OPEN_FILES: u64 = 4_096;

/// Raises the soft limit of open files (each connection is one) to the hard limit, and says so;
/// warns when it stays low, with what to change.
fn raise_open_file_limit() {
    use rustix::process::{getrlimit, setrlimit, Resource};
    let limit = getrlimit(Resource::Nofile);
    let (Some(soft), hard) = (limit.current, limit.maximum) else {
        return;
    };
    let target = hard.unwrap_or(u64::MAX);
    let now = if target > soft {
        match setrlimit(
            Resource::Nofile,
            rustix::process::Rlimit {
                current: hard,
                maximum: hard,
            },
        ) {
            Ok(()) => target,
            Err(e) => {
                tracing::warn!(error = %e, soft, "could not raise the open-file limit");
                soft
            }
        }
    } else {
        soft
    };
    tracing::info!(open_files = now, was = soft, "open-file limit");
    if now < FEW_OPEN_FILES {
        tracing::warn!(
            open_files = now,
            "the open-file limit is under {FEW_OPEN_FILES}: each connection takes one; raise the \
             hard limit (LimitNOFILE= in the systemd unit, nofile in limits.conf)"
        );
    }
}

impl Cli {
    /// The command line, whose `--version` says the schema level this binary brings a database
    /// to as well.
    pub fn parse_versioned() -> Cli {
        use clap::{CommandFactory, FromArgMatches};
        let version: &'static str = Box::leak(
            format!(
                "{} (schema {})",
                env!("CARGO_PKG_VERSION"),
                crate::storage::schema_level()
            )
            .into_boxed_str(),
        );
        let matches = Cli::command().version(version).get_matches();
        Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
    }
}

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> Result<(), ServerError> {
    let config = Config::from_args(&cli.config)?;
    init_logging(&config.log)?;
    let with_demo = match cli.command.unwrap_or(Command::Serve { demo: false }) {
        Command::Serve { demo } => demo,
        Command::Demo => true,
        Command::CheckInstruments { dir } => {
            let m = paper::load_methodology_dir(&dir)?;
            println!(
                "{}: methodology {} is valid ({} factors, {} indicators, {} instruments, {} assessments)",
                dir.display(),
                m.version,
                m.factors.len(),
                m.indicators.len(),
                m.instruments.len(),
                m.results.assessments.len()
            );
            return Ok(());
        }
        Command::CreateAdmin { login, name } => {
            return create_admin(&config, login, name).await;
        }
        Command::Rescore { campaign } => {
            return rescore(&config, &campaign).await;
        }
        Command::Backup { file } => {
            let started = std::time::Instant::now();
            let checked = backup::backup(&config, &file).await?;
            println!(
                "{}: {checked}; made in {:.1} s",
                file.display(),
                started.elapsed().as_secs_f64()
            );
            return Ok(());
        }
        Command::Purge {
            older_than_years,
            dry_run,
        } => {
            let methodology = Methodology::default_set()?;
            let storage = Storage::open(&config).await?;
            let plan = purge::plan(&storage, &methodology, today(), older_than_years).await?;
            println!("{}", purge::describe(&plan, dry_run));
            if !dry_run {
                let gone = purge::purge(&storage, &plan).await?;
                println!("{gone} answers deleted");
            }
            storage.close().await;
            return Ok(());
        }
        Command::CheckBackup { file } => {
            println!("{}: {}", file.display(), backup::check(&file).await?);
            return Ok(());
        }
        Command::Restore { file } => {
            let holds = backup::restore(&config, &file).await?;
            println!(
                "restored {} into {}: {holds}",
                file.display(),
                config.database
            );
            return Ok(());
        }
        Command::Template { instrument, out } => {
            return paper::write_template(&Methodology::default_set()?, &instrument, &out);
        }
        Command::Score {
            campaign_params,
            responses,
            out,
        } => {
            let (m, report) = paper::score(&campaign_params, &responses)?;
            for problem in &report.problems {
                eprintln!("{problem}");
            }
            for (file, encoding, rows) in &report.read {
                println!("read {file} ({encoding}): {rows} rows scored");
            }
            if report.read.is_empty() {
                println!("no responses file in {}", responses.display());
            }
            if !report.unrecognised.is_empty() {
                let known: Vec<String> = m
                    .instruments
                    .iter()
                    .map(|i| format!("{}.csv", i.key))
                    .collect();
                println!(
                    "not read (no instrument of that name): {}; files are named {}",
                    report.unrecognised.join(", "),
                    known.join(", ")
                );
            }
            paper::write_profiles(&m, &report.profiles, &out)?;
            println!(
                "{} profiles written to {}; {} rows scored, {} problems in rejected rows",
                report.profiles.len(),
                out.display(),
                report.accepted,
                report.problems.len()
            );
            return Ok(());
        }
    };
    let methodology = Methodology::default_set()?;
    raise_open_file_limit();
    // Bind before touching the database so that a taken port fails fast and changes nothing.
    let listener = http::bind(&config).await?;
    let storage = Storage::open(&config).await?;
    let addr = listener.local_addr()?;
    // The address listened on (the real port, also when 0 was asked for) unless one is set.
    let mut config = config;
    config.addr = addr;
    tracing::info!(backend = storage.backend().name(), database = %config.database, "database ready");
    if with_demo {
        let summary = demo::ensure_demo(&storage, &methodology, today()).await?;
        demo_cycle::ensure_demo_cycle(&storage, &methodology, today()).await?;
        demo_results::ensure_demo_results(&storage, &methodology).await?;
        let base = config
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{addr}"));
        demo_support::ensure_demo_support(&storage, &methodology, &base, today()).await?;
        demo_development::ensure_demo_plans(&storage, &methodology, today()).await?;
        print_demo(&summary, &base);
    }
    let methodology = std::sync::Arc::new(methodology);
    let gate = crate::scope::Gate::new(storage.clone(), methodology.clone(), today);
    crate::housekeeping::spawn(storage.clone(), gate, today, config.audit_days);
    let (app, support) = http::router_and_support(&config, storage.clone(), methodology);
    crate::support::reminders::spawn(support.clone());
    if let Some(mail) = config.mail.clone() {
        crate::mail::spawn(storage.clone(), support.notifier.clone(), mail)?;
        tracing::info!("mail: notifications are sent through SMTP");
    }
    // The one line scripts wait for: the real address, also when port 0 was asked for.
    println!("listening on http://{addr}");
    http::serve(listener, app, config.head_timeout).await?;
    storage.close().await;
    Ok(())
}

/// `orientir rescore`: rebuilds a campaign's tallies and says what it rebuilt.
async fn rescore(config: &Config, campaign: &str) -> Result<(), ServerError> {
    let methodology = Methodology::default_set()?;
    let storage = Storage::open(config).await?;
    let found = storage
        .campaigns()
        .await?
        .into_iter()
        .find(|c| c.id.to_string() == campaign || c.code == campaign);
    let Some(found) = found else {
        storage.close().await;
        return Err(ServerError::Config(format!(
            "no campaign with the id or code {campaign}"
        )));
    };
    let started = std::time::Instant::now();
    let rebuilt = crate::tallying::rebuild(&storage, &methodology, &found).await?;
    storage.replace_tallies(found.id, &rebuilt).await?;
    let tallied = storage
        .publications(found.id)
        .await?
        .iter()
        .filter(|p| p.tallied.as_deref() == Some(methodology.fingerprint.as_str()))
        .count();
    storage.close().await;
    println!(
        "campaign {}: {} group tallies rebuilt, {} of {} publications tallied, in {:.1} s",
        found.code,
        rebuilt.live.len(),
        tallied,
        rebuilt.publications.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn create_admin(config: &Config, login: String, name: String) -> Result<(), ServerError> {
    let password = match std::env::var("ORIENTIR_ADMIN_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let storage = Storage::open(config).await?;
    let auth = crate::auth::Auth::new(storage.clone(), config.cookies);
    let new = crate::auth::NewUser {
        login: login.clone(),
        name,
        password,
        role: app::access::Role::Admin,
        region: None,
        municipality: None,
        school: None,
        curated: Vec::new(),
    };
    let created = auth.create_user(&new, today()).await;
    storage.close().await;
    created?;
    println!("admin account {login} created");
    Ok(())
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
        let mut list: Vec<String> = codes
            .iter()
            .filter(|(group, _)| group != "teacher_deficits")
            .map(|(group, code)| format!("{group} {code}"))
            .collect();
        let diagnostic: Vec<&str> = codes
            .iter()
            .filter(|(g, _)| g == "teacher_deficits")
            .map(|(_, c)| c.as_str())
            .collect();
        if let Some(first) = diagnostic.first() {
            list.push(format!(
                "teacher diagnostic {first} (+{} more personal codes)",
                diagnostic.len() - 1
            ));
        }
        println!("  {school}: {}", list.join(", "));
    }
    println!("Coordinators sign in at {base}/login (login / password):");
    for (login, role) in demo::DEMO_ACCOUNTS {
        println!(
            "  {login} / {} — {}",
            demo::demo_password(login),
            role.label(app::i18n::Lang::En)
        );
    }
    println!(
        "Development plans (teachers', a principal's) open at {base}/plan with their result keys:"
    );
    for (key, campaign, _, what) in demo_development::DEMO_PLAN_KEYS {
        println!("  {key} — {campaign}, {what}");
    }
}
