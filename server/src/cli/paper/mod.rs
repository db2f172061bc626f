//! Data collected on paper or in other tools: methodology folders checked and loaded from disk,
//! CSV templates of an instrument, and profiles scored from CSV files of responses (each file
//! read by `sheet`, the campaign's schools by `params`).

mod params;
mod sheet;

use std::collections::BTreeMap;
use std::path::Path;

use surveys::profile::Scorer;
use surveys::tables::{self, Table};
use surveys::{
    Answers, Expected, Group, Methodology, RawAnswers, RawValue, Response, SchoolProfile,
    SourceFile,
};

use app::i18n::Lang;

use crate::error::ServerError;
use crate::problem::{At, Kind, Problem};

fn file_error(path: &Path, reason: impl std::fmt::Display) -> ServerError {
    ServerError::File {
        path: path.display().to_string(),
        reason: reason.to_string(),
    }
}

/// Loads a methodology set from the `.toml` files of a folder.
pub fn load_methodology_dir(dir: &Path) -> Result<Methodology, ServerError> {
    let mut texts = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| file_error(dir, e))?;
    for entry in entries {
        let path = entry.map_err(|e| file_error(dir, e))?.path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path).map_err(|e| file_error(&path, e))?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            texts.push((name, text));
        }
    }
    texts.sort();
    let files: Vec<SourceFile<'_>> = texts
        .iter()
        .map(|(name, text)| SourceFile { name, text })
        .collect();
    Methodology::load(&files).map_err(|errors| ServerError::MethodologyDir {
        dir: dir.display().to_string(),
        errors,
    })
}

/// Writes a CSV template for an instrument: `school` and one column per answer slot.
pub fn write_template(
    m: &Methodology,
    instrument_key: &str,
    out: &Path,
) -> Result<(), ServerError> {
    let instrument = m.instrument_by_key(instrument_key).ok_or_else(|| {
        let known: Vec<&str> = m.instruments.iter().map(|i| i.key.as_str()).collect();
        ServerError::Config(format!(
            "unknown instrument `{instrument_key}`; known: {}",
            known.join(", ")
        ))
    })?;
    let mut writer = csv::Writer::from_path(out).map_err(|e| file_error(out, e))?;
    let header = std::iter::once("school").chain(instrument.slots.iter().map(|s| s.key.as_str()));
    writer
        .write_record(header)
        .map_err(|e| file_error(out, e))?;
    writer.flush().map_err(|e| file_error(out, e))
}

/// A rejected CSV row of a file: where and why (the problem's row is the file's line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub file: String,
    pub problem: Problem,
}

impl RowProblem {
    fn new(file: &str, line: u64, column: Option<&str>, kind: Kind) -> RowProblem {
        RowProblem {
            file: file.to_owned(),
            problem: Problem::new(At::Row(line, column.map(str::to_owned)), kind),
        }
    }
}

impl std::fmt::Display for RowProblem {
    /// In English, for an operator's terminal: `file: line N: column C: reason`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let reason = self.problem.kind.reason(Lang::En);
        match &self.problem.at {
            At::Row(line, Some(c)) => write!(f, "{}: line {line}: column {c}: {reason}", self.file),
            At::Row(line, None) => write!(f, "{}: line {line}: {reason}", self.file),
            _ => write!(f, "{}: {reason}", self.file),
        }
    }
}

/// What scoring from CSV produced.
#[derive(Debug)]
pub struct ScoreReport {
    pub profiles: Vec<SchoolProfile>,
    pub accepted: usize,
    pub problems: Vec<RowProblem>,
    /// Files read: (name, encoding, rows scored).
    pub read: Vec<(String, &'static str, usize)>,
    /// Files of the folder that are no instrument's (`students.csv`, `notes.txt`).
    pub unrecognised: Vec<String>,
}

/// Scores profiles from one CSV file per instrument (`<instrument>.csv`) in `responses`.
pub fn score(
    params_path: &Path,
    responses: &Path,
) -> Result<(Methodology, ScoreReport), ServerError> {
    let params = params::load(params_path)?;
    let m = match &params.methodology_dir {
        Some(dir) => {
            let folder = params_path.parent().unwrap_or(Path::new(".")).join(dir);
            if !folder.is_dir() {
                return Err(file_error(
                    params_path,
                    format!(
                        "methodology_dir = \"{}\": no such folder ({} does not exist or is not a \
                         folder; the path is relative to the parameters file)",
                        dir.display(),
                        folder.display()
                    ),
                ));
            }
            load_methodology_dir(&folder)?
        }
        None => Methodology::default_set()?,
    };
    if !responses.is_dir() {
        return Err(file_error(responses, "no such folder of responses"));
    }
    let file_of = |key: &str| format!("{key}.csv");
    let mut unrecognised: Vec<String> = std::fs::read_dir(responses)
        .map_err(|e| file_error(responses, e))?
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| !m.instruments.iter().any(|i| file_of(&i.key) == *name))
        .collect();
    unrecognised.sort();
    let mut by_school: BTreeMap<&str, Vec<Response>> = params
        .schools
        .iter()
        .map(|s| (s.code.trim(), Vec::new()))
        .collect();
    let mut problems = Vec::new();
    let mut read = Vec::new();
    let mut accepted = 0;
    for instrument in &m.instruments {
        let file = file_of(&instrument.key);
        let path = responses.join(&file);
        if !path.exists() {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| file_error(&path, e))?;
        let columns: Vec<&str> = std::iter::once("school")
            .chain(instrument.slots.iter().map(|s| s.key.as_str()))
            .collect();
        let (sheet, row_problems) = match sheet::read(&file, &bytes, &columns) {
            Ok(read) => read,
            Err(problem) => {
                problems.push(problem);
                read.push((file, "—", 0));
                continue;
            }
        };
        problems.extend(row_problems);
        let mut scored = 0;
        // A principal answers once per school: a second row is a mistake, not an update.
        let mut first_line: BTreeMap<String, u64> = BTreeMap::new();
        for row in &sheet.rows {
            let mut raw = RawAnswers::new();
            let mut school = String::new();
            for (name, value) in sheet.header.iter().zip(&row.cells) {
                if name == "school" {
                    value.trim().clone_into(&mut school);
                } else if !value.trim().is_empty() {
                    raw.insert(name.clone(), RawValue::One(value.to_owned()));
                }
            }
            let Some(list) = by_school.get_mut(school.as_str()) else {
                problems.push(RowProblem::new(
                    &file,
                    row.line,
                    Some("school"),
                    Kind::Other(format!(
                        "school «{}» is not in the campaign parameters",
                        surveys::echo(&school)
                    )),
                ));
                continue;
            };
            if instrument.group == Group::Principal {
                if let Some(first) = first_line.get(&school) {
                    problems.push(RowProblem::new(
                        &file,
                        row.line,
                        Some("school"),
                        Kind::Other(format!(
                            "a second principal questionnaire for school «{school}» (the first is on line {first}); the row is not scored"
                        )),
                    ));
                    continue;
                }
            }
            match Answers::parse(&m, instrument, &raw) {
                Ok(answers) => {
                    list.push(Response {
                        group: instrument.group,
                        answers,
                    });
                    first_line.entry(school).or_insert(row.line);
                    accepted += 1;
                    scored += 1;
                }
                Err(errors) => problems.extend(errors.into_iter().map(|e| {
                    RowProblem::new(&file, row.line, Some(&e.key), Kind::Answer(e.message("en")))
                })),
            }
        }
        read.push((file, sheet.encoding, scored));
    }
    let scorer = Scorer::new(&m);
    let profiles = params
        .schools
        .iter()
        .map(|s| {
            let expected = s
                .expected_counts()
                .fold(Expected::default(), |e, (g, n)| e.with(g, n));
            scorer.profile(
                s.code.trim(),
                &expected,
                by_school.get(s.code.trim()).map_or(&[][..], Vec::as_slice),
            )
        })
        .collect();
    Ok((
        m,
        ScoreReport {
            profiles,
            accepted,
            problems,
            read,
            unrecognised,
        },
    ))
}

/// Writes profiles as JSON (`.json`) or as the explainable long table (`.csv`).
pub fn write_profiles(
    m: &Methodology,
    profiles: &[SchoolProfile],
    out: &Path,
) -> Result<(), ServerError> {
    match out.extension().and_then(|e| e.to_str()) {
        Some("json") => {
            let mut value = serde_json::to_value(profiles).map_err(|e| file_error(out, e))?;
            hide_small_counts(profiles, &mut value);
            let json = serde_json::to_string_pretty(&value).map_err(|e| file_error(out, e))?;
            std::fs::write(out, json).map_err(|e| file_error(out, e))
        }
        Some("csv") => write_table(&tables::indicators_long(m, profiles, "ru"), out),
        _ => Err(file_error(out, "the output must end in .json or .csv")),
    }
}

/// A group count under the group's minimum (but not none) is written as «< min», and its
/// response rate (which would give the count away) not at all.
fn hide_small_counts(profiles: &[SchoolProfile], json: &mut serde_json::Value) {
    let written = json.as_array_mut().into_iter().flatten();
    for (profile, written) in profiles.iter().zip(written) {
        let groups = written.get_mut("groups").and_then(|g| g.as_array_mut());
        for (group, written) in profile.groups.iter().zip(groups.into_iter().flatten()) {
            if group.under_minimum() {
                written["responses"] = format!("< {}", group.min_respondents).into();
                written["rate"] = serde_json::Value::Null;
            }
        }
    }
}

fn write_table(table: &Table, out: &Path) -> Result<(), ServerError> {
    let mut writer = csv::Writer::from_path(out).map_err(|e| file_error(out, e))?;
    writer
        .write_record(&table.columns)
        .map_err(|e| file_error(out, e))?;
    for row in &table.rows {
        writer
            .write_record(row.iter().map(|c| c.to_csv()))
            .map_err(|e| file_error(out, e))?;
    }
    writer.flush().map_err(|e| file_error(out, e))
}
