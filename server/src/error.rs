//! The error type of the server layer.

/// Everything that can stop the server or a subcommand.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("invalid configuration: {0}")]
    Config(String),
    #[error("cannot open the database: {0}")]
    DatabaseOpen(String),
    #[error("cannot migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
    #[error("server error: {0}")]
    Io(#[from] std::io::Error),
    #[error("the built-in methodology is invalid:\n{0}")]
    Methodology(#[from] surveys::LoadErrors),
    #[error("the methodology in {dir} has {} problem(s):\n{errors}", errors.0.len())]
    MethodologyDir {
        dir: String,
        errors: surveys::LoadErrors,
    },
    #[error("{path}: {reason}")]
    File { path: String, reason: String },
    #[error("cannot store the answers: {0}")]
    Write(String),
    /// An operator's command refused, with the reason (e.g. a taken login).
    #[error("{0}")]
    Refused(String),
    #[error("stored data is inconsistent: {0}")]
    Inconsistent(String),
}
