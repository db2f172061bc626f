//! The error type of the UI layer, as carried by server functions.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// What a page can be told about a failure. Internal details stay in the server log; the
/// user sees an opaque message with the request id to quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Внутренняя ошибка сервера (код {request_id})")]
    Internal { request_id: String },
    #[error("Ошибка связи с сервером: {0}")]
    Transport(String),
    /// A server function called with arguments it does not take (answered with 400).
    #[error("Неверный запрос: {0}")]
    BadRequest(String),
}

impl AppError {
    /// A filter's value that is none of its keys, refused naming the field (its label as
    /// (Russian, English)) and the keys it takes, in the reader's language.
    pub fn not_one_of(lang: crate::i18n::Lang, label: (&str, &str), keys: &[&str]) -> AppError {
        let (ru, en) = label;
        AppError::BadRequest(match lang {
            crate::i18n::Lang::Ru => format!("{ru}: одно из значений {}", keys.join(", ")),
            crate::i18n::Lang::En => format!("{en}: one of {}", keys.join(", ")),
        })
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                AppError::BadRequest(value.to_string())
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}
