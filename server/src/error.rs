//! The error type of the server layer and how it leaves a request: a refusal of the user's input
//! becomes words for the user, anything else is logged under a fresh request id and shown as an
//! opaque message with that id (never a database error's text).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use app::AppError;

use crate::problem::Refused;

/// Everything that can stop the server, a request or a subcommand.
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
    /// The user's input refused, with every problem (nothing was stored).
    #[error("{0}")]
    Refused(Refused),
    /// Nothing of that name in the viewer's scope (a 404, with nothing said about why).
    #[error("not found")]
    NotFound,
    #[error("stored data is inconsistent: {0}")]
    Inconsistent(String),
    /// An operator's command (a backup, a restore) that cannot be done, and why.
    #[error("{0}")]
    Operation(String),
}

impl From<Refused> for ServerError {
    fn from(refused: Refused) -> ServerError {
        ServerError::Refused(refused)
    }
}

impl std::fmt::Display for Refused {
    /// The problems in English, for an operator's terminal.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.words(app::i18n::Lang::En, usize::MAX))
    }
}

/// Logs an internal error under a fresh id and returns the opaque error the user sees.
pub fn internal(error: &ServerError) -> AppError {
    let request_id = format!("{:08x}", rand::random::<u32>());
    tracing::error!(%request_id, error = %error, "internal error");
    AppError::Internal { request_id }
}

/// Server functions and page sources return the UI layer's error: a refusal of the caller's
/// input in the reader's language (a server function runs with its request, whose language
/// cookie says which), anything else opaque.
impl From<ServerError> for AppError {
    fn from(error: ServerError) -> AppError {
        match error {
            ServerError::Refused(refused) => {
                let lang = app::i18n::from_cookies(&app::i18n::request_cookies());
                AppError::BadRequest(refused.words(lang, usize::MAX))
            }
            other => internal(&other),
        }
    }
}

/// A refusal a handler answered with, before it is worded: the edge words it in the reader's
/// language (`http::edge::word_refusals`), since a handler's error does not know the request.
#[derive(Clone)]
pub struct Unworded(pub std::sync::Arc<Refused>);

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        match self {
            ServerError::Refused(refused) => {
                // Worded at the edge in the reader's language; Russian until then.
                let mut response = (
                    StatusCode::BAD_REQUEST,
                    refused.words(app::i18n::Lang::Ru, usize::MAX),
                )
                    .into_response();
                response
                    .extensions_mut()
                    .insert(Unworded(std::sync::Arc::new(refused)));
                response
            }
            ServerError::NotFound => StatusCode::NOT_FOUND.into_response(),
            other => (
                StatusCode::INTERNAL_SERVER_ERROR,
                internal(&other).to_string(),
            )
                .into_response(),
        }
    }
}
