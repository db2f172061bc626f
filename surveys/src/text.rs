//! Labels carried in both interface languages.

use serde::{Deserialize, Serialize};

/// A user-facing text in Russian (the default) and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub ru: String,
    pub en: String,
}

impl Text {
    /// The text in the given language code, falling back to Russian.
    pub fn get(&self, lang: &str) -> &str {
        if lang == "en" {
            &self.en
        } else {
            &self.ru
        }
    }
}
