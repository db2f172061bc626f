//! A methodology set: one version of the rules, factor catalogue, choice lists, indicators,
//! instruments and catalogues, loaded from text and validated as a whole so that every problem
//! is reported at once with its file, key and reason.

mod validate;

use std::collections::BTreeMap;
use std::fmt;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::catalogue::{
    DeficitCatalogue, IomCatalogue, ManagementCatalogue, MeasureLibrary, Scale,
};
use crate::deficits::Diagnostic;
use crate::factor::Factor;
use crate::indicator::Indicator;
use crate::instrument::{ChoiceList, Group, Instrument};
use crate::rules::Rules;
use crate::Key;

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
    /// The key of the offending factor, list, item or indicator, when there is one.
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
    pub version: Key,
    /// A digest of the set's files (FNV-1a, 64 bits, in hex): two sets with the same
    /// fingerprint score alike, so sums kept under one can be added under the other.
    pub fingerprint: String,
    pub rules: Rules,
    pub factors: Vec<Factor>,
    pub choice_lists: BTreeMap<String, ChoiceList>,
    pub indicators: Vec<Indicator>,
    /// Sorted by group.
    pub instruments: Vec<Instrument>,
    pub deficits: DeficitCatalogue,
    /// The principals' management self-diagnostic's areas and bands (`management.toml`).
    pub management: ManagementCatalogue,
    pub iom: IomCatalogue,
    pub measures: MeasureLibrary,
    /// Educational results: the catalogue of assessments and the rules that read them.
    pub results: crate::results::Results,
    /// The event feedback questionnaire (`feedback.toml`), when the set has one.
    pub feedback: Option<Instrument>,
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IndicatorsFile {
    methodology: String,
    #[serde(rename = "indicator")]
    indicators: Vec<Indicator>,
}

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        [$(SourceFile { name: $name, text: include_str!(concat!("../data/orientir-2026/", $name)) }),*]
    };
}

/// The files of Orientir's default methodology set, embedded in the binary.
pub const DEFAULT_SET: [SourceFile<'static>; 17] = embedded!(
    "methodology.toml",
    "factors.toml",
    "choices.toml",
    "indicators.toml",
    "deficits.toml",
    "management.toml",
    "iom.toml",
    "measures.toml",
    "principal.toml",
    "teacher.toml",
    "student.toml",
    "parent.toml",
    "teacher_deficits.toml",
    "principal_management.toml",
    "results.toml",
    "assessments.toml",
    "feedback.toml",
);

/// The names of the files every set has; any other `.toml` file is an instrument, except the
/// catalogues of assessments (`assessments*.toml`).
pub const FIXED_FILES: [&str; 9] = [
    "methodology.toml",
    "factors.toml",
    "choices.toml",
    "indicators.toml",
    "deficits.toml",
    "management.toml",
    "iom.toml",
    "measures.toml",
    "results.toml",
];

/// Whether a file is a catalogue of assessments (`assessments.toml`, and a region's own
/// `assessments_<name>.toml`).
pub fn is_assessments_file(name: &str) -> bool {
    name.starts_with("assessments") && name.ends_with(".toml")
}

/// Whether a file takes part in scoring questionnaires (the results' files do not: a new
/// assessment or criterion leaves every kept sum addable).
fn scores(name: &str) -> bool {
    name != "results.toml" && name != FEEDBACK_FILE && !is_assessments_file(name)
}

/// The event feedback questionnaire (optional; not part of the risk profile).
pub const FEEDBACK_FILE: &str = "feedback.toml";

/// Collects load errors; the loader reports all of them at the end.
#[derive(Default)]
pub(crate) struct Problems(pub Vec<LoadError>);

impl Problems {
    pub fn add(&mut self, file: &str, key: Option<&str>, reason: impl Into<String>) {
        self.0.push(LoadError {
            file: file.to_owned(),
            key: key.map(str::to_owned),
            reason: reason.into(),
        });
    }
}

fn parse<T: DeserializeOwned>(file: &SourceFile<'_>, problems: &mut Problems) -> Option<T> {
    match toml::from_str(file.text) {
        Ok(v) => Some(v),
        Err(e) => {
            let at = e
                .span()
                .map(|s| format!("line {}: ", file.text[..s.start].lines().count().max(1)))
                .unwrap_or_default();
            problems.add(file.name, None, format!("{at}{}", e.message()));
            None
        }
    }
}

fn fixed<T: DeserializeOwned>(
    files: &[SourceFile<'_>],
    name: &str,
    problems: &mut Problems,
) -> Option<T> {
    match files.iter().find(|f| f.name == name) {
        Some(file) => parse(file, problems),
        None => {
            problems.add(name, None, "file is missing");
            None
        }
    }
}

/// FNV-1a over the names and texts of the files that score, in name order.
fn fingerprint(files: &[SourceFile<'_>]) -> String {
    let mut sorted: Vec<&SourceFile<'_>> = files.iter().filter(|f| scores(f.name)).collect();
    sorted.sort_by_key(|f| f.name);
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in sorted {
        for byte in file
            .name
            .bytes()
            .chain([0])
            .chain(file.text.bytes())
            .chain([0])
        {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

impl Methodology {
    /// Orientir's own default methodology set.
    pub fn default_set() -> Result<Methodology, LoadErrors> {
        Methodology::load(&DEFAULT_SET)
    }

    /// Loads and validates a set from its files (see `surveys/FORMAT.md`).
    pub fn load(files: &[SourceFile<'_>]) -> Result<Methodology, LoadErrors> {
        let mut problems = Problems::default();
        let rules: Option<Rules> = fixed(files, "methodology.toml", &mut problems);
        let factors: Option<FactorsFile> = fixed(files, "factors.toml", &mut problems);
        let choices: Option<ChoicesFile> = fixed(files, "choices.toml", &mut problems);
        let indicators: Option<IndicatorsFile> = fixed(files, "indicators.toml", &mut problems);
        let deficits: Option<DeficitCatalogue> = fixed(files, "deficits.toml", &mut problems);
        let management: Option<ManagementCatalogue> =
            fixed(files, "management.toml", &mut problems);
        let iom: Option<IomCatalogue> = fixed(files, "iom.toml", &mut problems);
        let measures: Option<MeasureLibrary> = fixed(files, "measures.toml", &mut problems);
        let results: Option<crate::results::RulesFile> =
            fixed(files, "results.toml", &mut problems);
        if !files.iter().any(|f| f.name == "assessments.toml") {
            problems.add("assessments.toml", None, "file is missing");
        }
        let catalogues: Vec<(&str, crate::results::CatalogueFile)> = files
            .iter()
            .filter(|f| is_assessments_file(f.name))
            .filter_map(|f| parse(f, &mut problems).map(|c| (f.name, c)))
            .collect();
        let mut instruments = Vec::new();
        for file in files.iter().filter(|f| {
            !FIXED_FILES.contains(&f.name)
                && !is_assessments_file(f.name)
                && f.name != FEEDBACK_FILE
        }) {
            if let Some(instrument) = parse::<Instrument>(file, &mut problems) {
                instruments.push((file.name.to_owned(), instrument));
            }
        }
        let feedback: Option<Instrument> = files
            .iter()
            .find(|f| f.name == FEEDBACK_FILE)
            .and_then(|f| parse(f, &mut problems));
        let (
            Some(rules),
            Some(factors),
            Some(choices),
            Some(indicators),
            Some(deficits),
            Some(management),
            Some(iom),
            Some(measures),
            Some(results),
        ) = (
            rules, factors, choices, indicators, deficits, management, iom, measures, results,
        )
        else {
            return Err(LoadErrors(problems.0));
        };
        let version = rules.methodology.clone();
        for (file, v) in [
            ("factors.toml", &factors.methodology),
            ("choices.toml", &choices.methodology),
            ("indicators.toml", &indicators.methodology),
            ("deficits.toml", &deficits.methodology),
            ("management.toml", &management.methodology),
            ("iom.toml", &iom.methodology),
            ("measures.toml", &measures.methodology),
            ("results.toml", &results.methodology),
        ]
        .into_iter()
        .chain(catalogues.iter().map(|(f, c)| (*f, &c.methodology)))
        .chain(
            instruments
                .iter()
                .map(|(f, i)| (f.as_str(), &i.methodology)),
        )
        .chain(feedback.iter().map(|i| (FEEDBACK_FILE, &i.methodology)))
        {
            if *v != version {
                problems.add(
                    file,
                    None,
                    format!("methodology `{v}` differs from `{version}` of methodology.toml"),
                );
            }
        }
        let mut factors = factors.factors;
        factors.sort_by_key(|f| f.order);
        let mut methodology = Methodology {
            version: version.into(),
            fingerprint: fingerprint(files),
            rules,
            factors,
            choice_lists: choices.list,
            indicators: indicators.indicators,
            instruments: Vec::new(),
            deficits,
            management,
            iom,
            measures,
            results: crate::results::Results::new(
                results,
                catalogues.into_iter().map(|(_, c)| c).collect(),
            ),
            feedback: None,
        };
        validate::check(&mut methodology, &instruments, &mut problems);
        methodology.results.check(&methodology, &mut problems);
        let feedback = feedback.map(|mut f| {
            crate::feedback::check(&methodology, &f, &mut problems);
            f.index_slots();
            f
        });
        if !problems.0.is_empty() {
            return Err(LoadErrors(problems.0));
        }
        instruments.sort_by_key(|(_, i)| i.group);
        methodology.feedback = feedback;
        methodology.instruments = instruments
            .into_iter()
            .map(|(_, mut i)| {
                i.index_slots();
                i
            })
            .collect();
        Ok(methodology)
    }

    /// The name of a factor in a language (its code when the set lacks it).
    pub fn factor_name<'a>(&'a self, code: &'a str, lang: &str) -> &'a str {
        self.factors
            .iter()
            .find(|f| f.code.0 == code)
            .map_or(code, |f| f.name.get(lang))
    }

    /// The name of an indicator in a language (its key when the set lacks it).
    pub fn indicator_name<'a>(&'a self, key: &'a str, lang: &str) -> &'a str {
        self.indicator(key).map_or(key, |i| i.name.get(lang))
    }

    /// The name of a diagnostic's area in a language (its key when no catalogue has it).
    pub fn area_name<'a>(&'a self, key: &'a str, lang: &str) -> &'a str {
        Diagnostic::ALL
            .into_iter()
            .find_map(|d| self.scale(d).area(key))
            .map_or(key, |a| a.name.get(lang))
    }

    /// The areas and bands a diagnostic is scored by.
    pub fn scale(&self, diagnostic: Diagnostic) -> Scale<'_> {
        match diagnostic {
            Diagnostic::Teacher => self.deficits.scale(),
            Diagnostic::Principal => self.management.scale(),
        }
    }

    /// The fewest teachers over whom a school's diagnostic summary is shown (never under the
    /// privacy floor).
    pub fn min_teachers(&self) -> u32 {
        self.deficits.min_teachers.max(crate::rules::PRIVACY_FLOOR)
    }

    /// Fewest respondents of a group behind anything shown of it: the group's rule, and for the
    /// teachers' diagnostic the diagnostic's minimum of teachers.
    pub fn min_respondents(&self, group: Group) -> u32 {
        match group {
            Group::TeacherDeficits => self.min_teachers(),
            _ => self.rules.min_respondents(group),
        }
    }

    pub fn instrument(&self, group: Group) -> Option<&Instrument> {
        self.instruments.iter().find(|i| i.group == group)
    }

    pub fn instrument_by_key(&self, key: &str) -> Option<&Instrument> {
        self.instruments.iter().find(|i| i.key == key)
    }

    pub fn choice_list(&self, key: &str) -> Option<&ChoiceList> {
        self.choice_lists.get(key)
    }

    pub fn indicator(&self, key: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.key == key)
    }
}

#[cfg(test)]
mod tests;
