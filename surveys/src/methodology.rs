//! A methodology set: one version of the factor catalogue, choice lists and instruments, loaded
//! from text and validated as a whole so that every problem is reported at once.

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use serde::Deserialize;

use crate::factor::Factor;
use crate::instrument::{ChoiceList, Group, Instrument};

/// One methodology file handed to the loader: its name (for error messages) and its text.
#[derive(Debug, Clone, Copy)]
pub struct SourceFile<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

/// One problem found in a methodology set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub file: String,
    /// The key of the offending factor, list, item or instrument, when there is one.
    pub key: Option<String>,
    pub reason: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.key {
            Some(key) => write!(f, "{}: {}: {}", self.file, key, self.reason),
            None => write!(f, "{}: {}", self.file, self.reason),
        }
    }
}

/// Every problem of a methodology set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct LoadErrors(pub Vec<LoadError>);

impl fmt::Display for LoadErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// A validated methodology set.
#[derive(Debug, Clone, PartialEq)]
pub struct Methodology {
    pub version: String,
    pub factors: Vec<Factor>,
    pub choice_lists: BTreeMap<String, ChoiceList>,
    pub instruments: Vec<Instrument>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FactorsFile {
    methodology: String,
    #[serde(rename = "factor")]
    factors: Vec<Factor>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChoicesFile {
    methodology: String,
    list: BTreeMap<String, ChoiceList>,
}

const DEFAULT_SET: [SourceFile<'static>; 6] = [
    SourceFile {
        name: "factors.toml",
        text: include_str!("../data/orientir-2026/factors.toml"),
    },
    SourceFile {
        name: "choices.toml",
        text: include_str!("../data/orientir-2026/choices.toml"),
    },
    SourceFile {
        name: "principal.toml",
        text: include_str!("../data/orientir-2026/principal.toml"),
    },
    SourceFile {
        name: "teacher.toml",
        text: include_str!("../data/orientir-2026/teacher.toml"),
    },
    SourceFile {
        name: "student.toml",
        text: include_str!("../data/orientir-2026/student.toml"),
    },
    SourceFile {
        name: "parent.toml",
        text: include_str!("../data/orientir-2026/parent.toml"),
    },
];

impl Methodology {
    /// Orientir's own default methodology set, embedded in the binary.
    pub fn default_set() -> Result<Methodology, LoadErrors> {
        Methodology::load(&DEFAULT_SET)
    }

    /// Loads a set from `factors.toml`, `choices.toml` and one file per instrument.
    pub fn load(files: &[SourceFile<'_>]) -> Result<Methodology, LoadErrors> {
        let mut errors = Vec::new();
        let mut err = |file: &str, key: Option<&str>, reason: String| {
            errors.push(LoadError {
                file: file.to_owned(),
                key: key.map(str::to_owned),
                reason,
            })
        };

        let mut factors_file = None;
        let mut choices_file = None;
        let mut instruments = Vec::new();
        for file in files {
            let parsed = match file.name {
                "factors.toml" => toml::from_str::<FactorsFile>(file.text).map(|f| {
                    factors_file = Some(f);
                }),
                "choices.toml" => toml::from_str::<ChoicesFile>(file.text).map(|c| {
                    choices_file = Some(c);
                }),
                _ => toml::from_str::<Instrument>(file.text)
                    .map(|i| instruments.push((file.name, i))),
            };
            if let Err(e) = parsed {
                err(file.name, None, e.message().to_owned());
            }
        }
        let (Some(factors_file), Some(choices_file)) = (factors_file, choices_file) else {
            if !files.iter().any(|f| f.name == "factors.toml") {
                err("factors.toml", None, "file is missing".into());
            }
            if !files.iter().any(|f| f.name == "choices.toml") {
                err("choices.toml", None, "file is missing".into());
            }
            return Err(LoadErrors(errors));
        };
        let version = factors_file.methodology;
        if choices_file.methodology != version {
            err(
                "choices.toml",
                None,
                format!(
                    "methodology `{}` differs from `{version}`",
                    choices_file.methodology
                ),
            );
        }

        let mut codes = HashSet::new();
        for factor in &factors_file.factors {
            if !codes.insert(factor.code.0.as_str()) {
                err(
                    "factors.toml",
                    Some(&factor.code.0),
                    "duplicate factor code".into(),
                );
            }
        }
        for (key, list) in &choices_file.list {
            let mut values = HashSet::new();
            for choice in &list.choices {
                if !values.insert(choice.value.as_str()) {
                    err(
                        "choices.toml",
                        Some(key),
                        format!("duplicate value `{}`", choice.value),
                    );
                }
                match (choice.missing, choice.score) {
                    (false, None) => err(
                        "choices.toml",
                        Some(key),
                        format!("choice `{}` has no score", choice.value),
                    ),
                    (_, Some(s)) if !(0.0..=1.0).contains(&s) => err(
                        "choices.toml",
                        Some(key),
                        format!("choice `{}` has score {s} outside [0,1]", choice.value),
                    ),
                    _ => {}
                }
            }
        }

        let mut groups = HashSet::new();
        for (file, instrument) in &instruments {
            if instrument.methodology != version {
                err(
                    file,
                    Some(&instrument.key),
                    format!(
                        "methodology `{}` differs from `{version}`",
                        instrument.methodology
                    ),
                );
            }
            if !groups.insert(instrument.group) {
                err(
                    file,
                    Some(&instrument.key),
                    format!("second instrument for group {}", instrument.group),
                );
            }
            let mut keys = HashSet::new();
            for item in instrument.items() {
                if !keys.insert(item.key.as_str()) {
                    err(file, Some(&item.key), "duplicate item key".into());
                }
                if !choices_file.list.contains_key(&item.choices) {
                    err(
                        file,
                        Some(&item.key),
                        format!("unknown choice list `{}`", item.choices),
                    );
                }
                if !codes.contains(item.factor.0.as_str()) {
                    err(
                        file,
                        Some(&item.key),
                        format!("unknown factor `{}`", item.factor),
                    );
                }
            }
        }

        if !errors.is_empty() {
            return Err(LoadErrors(errors));
        }
        let mut factors = factors_file.factors;
        factors.sort_by_key(|f| f.order);
        instruments.sort_by_key(|(_, i)| i.group);
        Ok(Methodology {
            version,
            factors,
            choice_lists: choices_file.list,
            instruments: instruments.into_iter().map(|(_, i)| i).collect(),
        })
    }

    pub fn instrument(&self, group: Group) -> Option<&Instrument> {
        self.instruments.iter().find(|i| i.group == group)
    }

    pub fn choice_list(&self, key: &str) -> Option<&ChoiceList> {
        self.choice_lists.get(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_set_loads_with_all_ten_factors() {
        let m = Methodology::default_set().expect("default set is valid");
        assert_eq!(m.version, "orientir-2026");
        let codes: Vec<_> = m.factors.iter().map(|f| f.code.0.as_str()).collect();
        assert_eq!(codes.first(), Some(&"RF01"));
        assert_eq!(codes.len(), 10);
        for group in [
            Group::Principal,
            Group::Teacher,
            Group::Student,
            Group::Parent,
        ] {
            assert!(m.instrument(group).is_some(), "no instrument for {group}");
        }
    }

    #[test]
    fn every_problem_is_reported_with_file_and_key() {
        let instrument = r#"
key = "student"
methodology = "orientir-2026"
version = 1
group = "student"
expected_minutes = 5
title = { ru = "А", en = "A" }
[[section]]
key = "s"
title = { ru = "С", en = "S" }
items = [
  { key = "a", type = "likert", choices = "nope", factor = "RF01", ru = "а", en = "a" },
  { key = "a", type = "likert", choices = "agree4", factor = "RF99", ru = "а", en = "a" },
]
"#;
        let mut files = DEFAULT_SET.to_vec();
        files.retain(|f| f.name == "factors.toml" || f.name == "choices.toml");
        files.push(SourceFile {
            name: "student.toml",
            text: instrument,
        });
        let errors = Methodology::load(&files).expect_err("set is invalid").0;
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            vec![
                "student.toml: a: unknown choice list `nope`",
                "student.toml: a: duplicate item key",
                "student.toml: a: unknown factor `RF99`",
            ]
        );
    }

    #[test]
    fn reverse_items_flip_scores_and_missing_scores_nothing() {
        let m = Methodology::default_set().expect("valid");
        let student = m.instrument(Group::Student).expect("student");
        let bullied = student.items().find(|i| i.key == "bullied").expect("item");
        let list = m.choice_list(&bullied.choices).expect("list");
        let often = list.find("often").expect("choice");
        assert_eq!(bullied.score(often), Some(1.0));
        let agree = m.choice_list("agree4").expect("agree4");
        let safe = student.items().find(|i| i.key == "safe").expect("item");
        assert_eq!(safe.score(agree.find("na").expect("na")), None);
    }
}
