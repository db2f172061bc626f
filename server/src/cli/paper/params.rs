//! The parameters of a paper campaign (`params.toml`): its schools, each with a code of its own,
//! and the respondents expected of each; a syntax error is told with its line and column.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use surveys::Group;

use super::file_error;
use crate::error::ServerError;

/// The campaign parameters of a paper campaign: its schools and expected respondents.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignParams {
    /// A methodology folder (relative to the parameters file); the built-in set when absent.
    pub methodology_dir: Option<PathBuf>,
    #[serde(rename = "school")]
    pub schools: Vec<SchoolParams>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchoolParams {
    pub code: String,
    /// Expected respondents per group, checked by `load` to be a whole number from 0 (not known)
    /// to `MAX_EXPECTED`.
    #[serde(default)]
    pub expected: BTreeMap<Group, i64>,
}

/// The largest expected count of a group of one school.
const MAX_EXPECTED: i64 = 1_000_000;

impl SchoolParams {
    /// The expected count of each group (after `load` has checked them).
    pub fn expected_counts(&self) -> impl Iterator<Item = (Group, u32)> + '_ {
        self.expected
            .iter()
            .map(|(g, n)| (*g, u32::try_from(*n).unwrap_or(0)))
    }
}

/// Reads and checks the parameters file.
pub fn load(path: &Path) -> Result<CampaignParams, ServerError> {
    let text = std::fs::read_to_string(path).map_err(|e| file_error(path, e))?;
    let params: CampaignParams = toml::from_str(&text).map_err(|e| {
        let at = e.span().map_or_else(String::new, |span| {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("line {line}, column {column}: ")
        });
        file_error(path, format!("{at}{}", e.message()))
    })?;
    let mut problems = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (n, school) in params.schools.iter().enumerate() {
        let code = school.code.trim();
        if code.is_empty() {
            problems.push(format!("school {}: the code is empty", n + 1));
        } else if seen.contains(&code) {
            problems.push(format!(
                "school {}: the code `{}` is given twice (each school once)",
                n + 1,
                surveys::echo(code)
            ));
        }
        seen.push(code);
        for (group, count) in &school.expected {
            if !(0..=MAX_EXPECTED).contains(count) {
                problems.push(format!(
                    "school {}: expected.{} = {count}: an expected count is a whole number from 0 \
                     (not known) to {MAX_EXPECTED}",
                    n + 1,
                    group.key()
                ));
            }
        }
    }
    if params.schools.is_empty() {
        problems.push("no [[school]]: list the campaign's schools".into());
    }
    if problems.is_empty() {
        Ok(params)
    } else {
        Err(file_error(path, problems.join("; ")))
    }
}
