//! The risk-factor catalogue (RF01…RF10 by default).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::text::Text;
use crate::Key;

/// A factor code such as `RF07`, as written in the catalogue. Shared, not copied: every indicator
/// result of every school's profile names its factor (`Key`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FactorCode(pub Key);

impl fmt::Display for FactorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One risk factor of the catalogue.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Factor {
    pub code: FactorCode,
    pub order: u32,
    pub name: Text,
}
