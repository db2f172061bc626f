//! `orientir backup FILE`, `orientir check-backup FILE` and `orientir restore FILE`.
//!
//! SQLite: the backup is a consistent copy of the running database, made in one read transaction
//! (`VACUUM INTO`; the server keeps taking answers meanwhile), checked page by page before it is
//! reported made. PostgreSQL: the backup is `pg_dump`'s custom format, checked by `pg_restore
//! --list`. A restore goes into an empty database of the same backend only, and is then migrated
//! to this binary's schema, so that an older backup comes back on a newer Orientir.

use std::path::Path;
use std::process::Command;

use crate::config::{Backend, Config};
use crate::error::ServerError;
use crate::storage::{Holdings, Storage};

/// The tables a dump must hold the data of (the answers, the accounts, the programmes, the
/// documents).
const DUMPED: [&str; 5] = [
    "responses",
    "users",
    "programmes",
    "programme_files",
    "support_files",
];

/// What kind of file a backup is, by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupKind {
    /// An SQLite database file.
    Sqlite,
    /// `pg_dump --format=custom`.
    PgDump,
}

impl BackupKind {
    pub fn of(path: &Path) -> Result<BackupKind, ServerError> {
        use std::io::Read;
        let mut head = [0u8; 16];
        let read = std::fs::File::open(path)
            .and_then(|mut f| f.read(&mut head))
            .map_err(|e| ServerError::Operation(format!("{}: {e}", path.display())))?;
        match &head[..read] {
            h if h.starts_with(b"SQLite format 3\0") => Ok(BackupKind::Sqlite),
            h if h.starts_with(b"PGDMP") => Ok(BackupKind::PgDump),
            _ => Err(ServerError::Operation(format!(
                "{}: neither an SQLite database nor a pg_dump file in its custom format",
                path.display()
            ))),
        }
    }

    fn backend(self) -> Backend {
        match self {
            BackupKind::Sqlite => Backend::Sqlite,
            BackupKind::PgDump => Backend::Postgres,
        }
    }
}

/// What a check found in a backup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checked {
    /// An SQLite backup, opened and counted.
    Sqlite(Holdings),
    /// A dump, listed: how many entries it has.
    PgDump { entries: usize },
}

impl std::fmt::Display for Checked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Checked::Sqlite(h) => write!(f, "an SQLite backup, intact; {h}"),
            Checked::PgDump { entries } => write!(
                f,
                "a PostgreSQL dump, readable, {entries} entries with the data of {}",
                DUMPED.join(", ")
            ),
        }
    }
}

/// Makes a backup of the configured database into `out` (which must not exist yet) and checks it.
pub async fn backup(config: &Config, out: &Path) -> Result<Checked, ServerError> {
    if out.exists() {
        return Err(ServerError::Operation(format!(
            "{} exists already: a backup never overwrites a file",
            out.display()
        )));
    }
    match config.database.backend {
        Backend::Sqlite => {
            let storage = Storage::open(config).await?;
            storage.copy_sqlite_into(out).await?;
        }
        Backend::Postgres => {
            let (url, password) = config.database.for_pg_tools();
            run(
                Command::new("pg_dump")
                    .args(["--format=custom", "--no-owner", "--no-privileges", "--file"])
                    .arg(out)
                    .arg("--dbname")
                    .arg(url),
                password,
            )?;
        }
    }
    // A backup holds every answer: readable by the account that made it alone.
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(out, std::fs::Permissions::from_mode(0o600))?;
    }
    check(out).await
}

/// Checks a backup: an SQLite file page by page and counted; a dump listed, with the data of
/// every table that matters in it.
pub async fn check(path: &Path) -> Result<Checked, ServerError> {
    match BackupKind::of(path)? {
        BackupKind::Sqlite => {
            let storage = Storage::open_sqlite_read_only(path).await?;
            storage.integrity().await?;
            Ok(Checked::Sqlite(storage.holdings().await?))
        }
        BackupKind::PgDump => {
            let listing = run(Command::new("pg_restore").arg("--list").arg(path), None)?;
            let entries = listing
                .lines()
                .filter(|l| !l.trim_start().starts_with(';') && !l.trim().is_empty())
                .count();
            let missing: Vec<&str> = DUMPED
                .into_iter()
                .filter(|table| {
                    // «215; 0 16390 TABLE DATA public responses postgres»
                    !listing.lines().any(|l| {
                        let words: Vec<&str> = l.split_whitespace().collect();
                        words
                            .windows(4)
                            .any(|w| w[0] == "TABLE" && w[1] == "DATA" && w[3] == *table)
                    })
                })
                .collect();
            if !missing.is_empty() {
                return Err(ServerError::Operation(format!(
                    "{}: the dump lacks the data of {}",
                    path.display(),
                    missing.join(", ")
                )));
            }
            Ok(Checked::PgDump { entries })
        }
    }
}

/// Restores a backup into the configured database, which must be empty and of the backup's
/// backend, then migrates it to this binary's schema; says what it now holds.
pub async fn restore(config: &Config, path: &Path) -> Result<Holdings, ServerError> {
    let kind = BackupKind::of(path)?;
    if kind.backend() != config.database.backend {
        return Err(ServerError::Operation(format!(
            "{} is a backup of {:?}; DATABASE_URL names a {:?} database",
            path.display(),
            kind.backend(),
            config.database.backend
        )));
    }
    check(path).await?;
    match kind {
        BackupKind::Sqlite => {
            let target = sqlite_file(config)?;
            if target.exists() && std::fs::metadata(&target)?.len() > 0 {
                return Err(ServerError::Operation(format!(
                    "{} exists: a restore goes into a new database only",
                    target.display()
                )));
            }
            if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)?;
            }
            let _ = std::fs::remove_file(&target);
            // A copy made by the database itself, from the backup opened read only.
            Storage::open_sqlite_read_only(path)
                .await?
                .copy_sqlite_into(&target)
                .await?;
        }
        BackupKind::PgDump => {
            let storage = Storage::connect_only(config).await?;
            if !storage.is_empty().await? {
                return Err(ServerError::Operation(
                    "the database named by DATABASE_URL has tables: a restore goes into an empty database only".into(),
                ));
            }
            let (url, password) = config.database.for_pg_tools();
            run(
                Command::new("pg_restore")
                    .args([
                        "--no-owner",
                        "--no-privileges",
                        "--single-transaction",
                        "--exit-on-error",
                        "--dbname",
                    ])
                    .arg(url)
                    .arg(path),
                password,
            )?;
        }
    }
    Storage::open(config).await?.holdings().await
}

/// The file of an SQLite `DATABASE_URL`.
fn sqlite_file(config: &Config) -> Result<std::path::PathBuf, ServerError> {
    use std::str::FromStr;
    let options = sqlx::sqlite::SqliteConnectOptions::from_str(config.database.expose())
        .map_err(|e| ServerError::Operation(format!("{}: {e}", config.database)))?;
    Ok(options.get_filename().to_path_buf())
}

/// Runs a PostgreSQL tool; its standard output, or its error.
fn run(command: &mut Command, password: Option<String>) -> Result<String, ServerError> {
    if let Some(p) = password {
        command.env("PGPASSWORD", p);
    }
    let program = command.get_program().to_string_lossy().into_owned();
    let output = command.output().map_err(|e| {
        ServerError::Operation(format!(
            "cannot run {program} ({e}): PostgreSQL's client tools (Debian: postgresql-client) must be installed"
        ))
    })?;
    if !output.status.success() {
        return Err(ServerError::Operation(format!(
            "{program} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
