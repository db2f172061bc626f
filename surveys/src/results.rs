//! Educational results (ВПР, ОГЭ, ЕГЭ and a region's own diagnostics) as the methodology sees
//! them: the catalogue of assessments and their scales (`assessments*.toml`), the rules of
//! `results.toml` (the minimum of participants behind a shown figure, objectivity, the criteria
//! for entering and leaving the low-results list, peer groups), a school's figures for one
//! assessment and year, the indicators they yield with their intervals, and year-on-year change.
//! Selection and peer groups are in `results/selection.rs`.

mod selection;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::stats::{self, Interval};
use crate::text::Text;

pub use selection::{
    candidates, exits, peer_groups, peer_position, percentile, position, shown_values,
    sorted_values, Candidate, Context, GroupKey, PeerGroup, PeerPosition, Reason,
};

/// What kind of assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssessmentKind {
    Vpr,
    Oge,
    Ege,
    Regional,
}

impl AssessmentKind {
    pub const ALL: [AssessmentKind; 4] = [Self::Vpr, Self::Oge, Self::Ege, Self::Regional];

    /// The key a page's address names the kind by.
    pub fn key(self) -> &'static str {
        match self {
            Self::Vpr => "vpr",
            Self::Oge => "oge",
            Self::Ege => "ege",
            Self::Regional => "regional",
        }
    }

    pub fn parse(key: &str) -> Option<AssessmentKind> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }

    pub fn name(self, lang: &str) -> &'static str {
        match (self, lang) {
            (Self::Vpr, "en") => "VPR",
            (Self::Vpr, _) => "ВПР",
            (Self::Oge, "en") => "OGE",
            (Self::Oge, _) => "ОГЭ",
            (Self::Ege, "en") => "EGE",
            (Self::Ege, _) => "ЕГЭ",
            (Self::Regional, "en") => "regional diagnostic",
            (Self::Regional, _) => "региональная диагностика",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Subject {
    pub key: String,
    pub name: Text,
}

/// One assessment of the catalogue: marks 2–5, or a score up to `max_score` with `pass_score`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    pub key: String,
    pub kind: AssessmentKind,
    pub subject: String,
    pub grade: Option<u8>,
    pub max_score: Option<u32>,
    pub pass_score: Option<u32>,
}

impl Assessment {
    /// Whether the assessment is scored in test points rather than marks 2–5.
    pub fn scored(&self) -> bool {
        self.max_score.is_some()
    }

    /// The indicators the assessment yields, in the order pages show them.
    pub fn indicators(&self) -> Vec<ResultIndicator> {
        let mut all = vec![ResultIndicator::Fail, ResultIndicator::Mean];
        if !self.scored() {
            all.extend((2..=5).map(ResultIndicator::Mark));
        }
        all.extend([
            ResultIndicator::Lowered,
            ResultIndicator::Confirmed,
            ResultIndicator::Raised,
        ]);
        all
    }
}

/// Entering the low-results list.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EntryRule {
    pub percentile: f64,
    pub subjects: u32,
    pub years: u32,
    #[serde(default)]
    pub peer_relative: bool,
}

/// Leaving the low-results list.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ExitRule {
    pub percentile: f64,
    pub years: u32,
}

/// One sign of difficult social conditions: a principal's indicator at or above `from`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ContextRule {
    pub indicator: String,
    pub from: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Settlement {
    pub key: String,
    pub name: Text,
}

/// How peer groups are drawn.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PeerRule {
    pub min_schools: u32,
    /// Size bands by students: below the first number, below the second, …, the rest.
    pub size_below: Vec<u32>,
    #[serde(rename = "settlement")]
    pub settlements: Vec<Settlement>,
}

/// `results.toml` as written.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RulesFile {
    pub methodology: String,
    pub min_participants: u32,
    pub objectivity_lowered: f64,
    pub entry: EntryRule,
    pub exit: ExitRule,
    #[serde(default)]
    pub context: Vec<ContextRule>,
    pub peers: PeerRule,
}

/// An `assessments*.toml` file as written.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CatalogueFile {
    pub methodology: String,
    #[serde(default, rename = "subject")]
    pub subjects: Vec<Subject>,
    #[serde(default, rename = "assessment")]
    pub assessments: Vec<Assessment>,
}

/// The results side of a methodology set.
#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    pub min_participants: u32,
    pub objectivity_lowered: f64,
    pub entry: EntryRule,
    pub exit: ExitRule,
    pub context: Vec<ContextRule>,
    pub peers: PeerRule,
    pub subjects: Vec<Subject>,
    pub assessments: Vec<Assessment>,
}

impl Results {
    pub(crate) fn new(rules: RulesFile, catalogues: Vec<CatalogueFile>) -> Results {
        let mut subjects = Vec::new();
        let mut assessments = Vec::new();
        for c in catalogues {
            subjects.extend(c.subjects);
            assessments.extend(c.assessments);
        }
        Results {
            min_participants: rules.min_participants,
            objectivity_lowered: rules.objectivity_lowered,
            entry: rules.entry,
            exit: rules.exit,
            context: rules.context,
            peers: rules.peers,
            subjects,
            assessments,
        }
    }

    pub fn assessment(&self, key: &str) -> Option<&Assessment> {
        self.assessments.iter().find(|a| a.key == key)
    }

    pub fn subject_name<'a>(&'a self, key: &'a str, lang: &str) -> &'a str {
        self.subjects
            .iter()
            .find(|s| s.key == key)
            .map_or(key, |s| s.name.get(lang))
    }

    /// «ВПР, Русский язык, 5 класс».
    pub fn assessment_name(&self, a: &Assessment, lang: &str) -> String {
        let subject = self.subject_name(&a.subject, lang);
        match (a.grade, lang) {
            (Some(g), "en") => format!("{}, {subject}, grade {g}", a.kind.name(lang)),
            (Some(g), _) => format!("{}, {subject}, {g} класс", a.kind.name(lang)),
            (None, _) => format!("{}, {subject}", a.kind.name(lang)),
        }
    }

    pub fn settlement_name<'a>(&'a self, key: &'a str, lang: &str) -> &'a str {
        self.peers
            .settlements
            .iter()
            .find(|s| s.key == key)
            .map_or(key, |s| s.name.get(lang))
    }

    /// Whether a figure of `participants` may be shown.
    pub fn shown(&self, participants: u32) -> bool {
        participants >= self.min_participants
    }

    /// Checks the cross-references and ranges; every problem with its file and key.
    pub(crate) fn check(
        &self,
        m: &crate::Methodology,
        problems: &mut crate::methodology::Problems,
    ) {
        let file = "results.toml";
        if self.min_participants < crate::rules::PRIVACY_FLOOR {
            problems.add(
                file,
                Some("min_participants"),
                format!(
                    "{} is below the privacy floor of {}",
                    self.min_participants,
                    crate::rules::PRIVACY_FLOOR
                ),
            );
        }
        let share = |x: f64| (0.0..=1.0).contains(&x);
        if !share(self.objectivity_lowered) {
            problems.add(
                file,
                Some("objectivity_lowered"),
                "must be a share in [0, 1]",
            );
        }
        for (key, p) in [
            ("entry.percentile", self.entry.percentile),
            ("exit.percentile", self.exit.percentile),
        ] {
            if !(0.0..=100.0).contains(&p) {
                problems.add(file, Some(key), "must be a percentile in [0, 100]");
            }
        }
        for (key, n) in [
            ("entry.subjects", self.entry.subjects),
            ("entry.years", self.entry.years),
            ("exit.years", self.exit.years),
            ("peers.min_schools", self.peers.min_schools),
        ] {
            if n == 0 {
                problems.add(file, Some(key), "must be at least 1");
            }
        }
        if self.peers.size_below.windows(2).any(|w| w[0] >= w[1]) {
            problems.add(file, Some("peers.size_below"), "the bands must rise");
        }
        if self.peers.settlements.is_empty() {
            problems.add(
                file,
                Some("peers.settlement"),
                "no settlement types are defined",
            );
        }
        for c in &self.context {
            match m.indicator(&c.indicator) {
                None => problems.add(
                    file,
                    Some(&c.indicator),
                    "context: no indicator of this key in indicators.toml",
                ),
                Some(i) if i.group != crate::Group::Principal => problems.add(
                    file,
                    Some(&c.indicator),
                    "context: only the principal's indicators describe a school's conditions",
                ),
                Some(_) => {}
            }
            if !share(c.from) {
                problems.add(
                    file,
                    Some(&c.indicator),
                    "context: `from` must be in [0, 1]",
                );
            }
        }
        let file = "assessments.toml";
        let mut seen = std::collections::HashSet::new();
        for s in &self.subjects {
            if !seen.insert(s.key.as_str()) {
                problems.add(file, Some(&s.key), "subject key used twice");
            }
        }
        let mut seen = std::collections::HashSet::new();
        for a in &self.assessments {
            if !valid_key(&a.key) {
                problems.add(
                    file,
                    Some(&a.key),
                    "the key may hold only latin letters, digits, `-` and `_`",
                );
            }
            if !seen.insert(a.key.as_str()) {
                problems.add(file, Some(&a.key), "assessment key used twice");
            }
            if !self.subjects.iter().any(|s| s.key == a.subject) {
                problems.add(
                    file,
                    Some(&a.key),
                    format!("subject `{}` is not in any [[subject]]", a.subject),
                );
            }
            if a.grade.is_some_and(|g| !(1..=11).contains(&g)) {
                problems.add(file, Some(&a.key), "grade must be 1 to 11");
            }
            match (a.max_score, a.pass_score) {
                (None, None) => {}
                (Some(max), Some(pass)) if max > 0 && pass <= max => {}
                (Some(_), Some(_)) => problems.add(
                    file,
                    Some(&a.key),
                    "max_score must be positive and pass_score at most max_score",
                ),
                _ => problems.add(
                    file,
                    Some(&a.key),
                    "a scored assessment states both max_score and pass_score",
                ),
            }
        }
        if self.assessments.is_empty() {
            problems.add(file, None, "no assessments are defined");
        }
    }
}

fn valid_key(key: &str) -> bool {
    (1..=40).contains(&key.len())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
}

/// One school's figures for one assessment in one year, as imported.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Figures {
    pub participants: u32,
    /// Marks 2, 3, 4, 5 (marks scale).
    pub marks: Option<[u32; 4]>,
    /// Below the pass score (score scale).
    pub below_pass: Option<u32>,
    /// Mean test score (score scale).
    pub mean_score: Option<f64>,
    /// Against journal marks: lowered, confirmed, raised.
    pub objectivity: Option<[u32; 3]>,
}

/// A results indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ResultIndicator {
    /// Share of «2», or below the pass score.
    Fail,
    /// Mean mark (2–5), or mean score as a share of the maximum.
    Mean,
    /// Share of a mark.
    Mark(u8),
    /// Share whose assessment mark is lower than the journal mark.
    Lowered,
    Confirmed,
    Raised,
}

impl ResultIndicator {
    pub fn key(self) -> String {
        match self {
            Self::Fail => "fail".into(),
            Self::Mean => "mean".into(),
            Self::Mark(m) => format!("mark{m}"),
            Self::Lowered => "lowered".into(),
            Self::Confirmed => "confirmed".into(),
            Self::Raised => "raised".into(),
        }
    }

    pub fn parse(key: &str) -> Option<ResultIndicator> {
        Some(match key {
            "fail" => Self::Fail,
            "mean" => Self::Mean,
            "mark2" => Self::Mark(2),
            "mark3" => Self::Mark(3),
            "mark4" => Self::Mark(4),
            "mark5" => Self::Mark(5),
            "lowered" => Self::Lowered,
            "confirmed" => Self::Confirmed,
            "raised" => Self::Raised,
            _ => return None,
        })
    }

    pub fn name(self, a: &Assessment, lang: &str) -> String {
        let en = lang == "en";
        match self {
            Self::Fail if a.scored() => if en {
                "share below the pass score"
            } else {
                "доля ниже минимального балла"
            }
            .into(),
            Self::Fail => if en {
                "share of «2»"
            } else {
                "доля «2»"
            }
            .into(),
            Self::Mean if a.scored() => if en {
                "mean score, share of the maximum"
            } else {
                "средний балл, доля от максимума"
            }
            .into(),
            Self::Mean => if en {
                "mean mark"
            } else {
                "средняя отметка"
            }
            .into(),
            Self::Mark(m) => {
                if en {
                    format!("share of «{m}»")
                } else {
                    format!("доля «{m}»")
                }
            }
            Self::Lowered => if en {
                "marks below the journal's"
            } else {
                "понизили отметку по журналу"
            }
            .into(),
            Self::Confirmed => if en {
                "marks equal to the journal's"
            } else {
                "подтвердили отметку по журналу"
            }
            .into(),
            Self::Raised => if en {
                "marks above the journal's"
            } else {
                "повысили отметку по журналу"
            }
            .into(),
        }
    }

    /// Whether a lower value is better (share of «2», marks below the journal's).
    pub fn lower_is_better(self) -> bool {
        matches!(
            self,
            Self::Fail | Self::Lowered | Self::Raised | Self::Mark(2) | Self::Mark(3)
        )
    }

    /// Whether the value is a share in [0, 1] (everything but a mean mark).
    pub fn is_share(self, a: &Assessment) -> bool {
        self != Self::Mean || a.scored()
    }
}

/// A figure with its interval, when it has one.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub value: f64,
    pub interval: Option<Interval>,
    pub participants: u32,
}

/// The part of a share an indicator counts, and of how many: (k, n).
fn counted(f: &Figures, indicator: ResultIndicator) -> Option<(u32, u32)> {
    let n = f.participants;
    let judged = f.objectivity.map_or(0, |o| o.iter().sum::<u32>());
    let of_judged = |i: usize| f.objectivity.filter(|_| judged > 0).map(|o| (o[i], judged));
    match indicator {
        ResultIndicator::Fail => f.marks.map(|m| m[0]).or(f.below_pass).map(|k| (k, n)),
        ResultIndicator::Mark(k) if (2..=5).contains(&k) => {
            f.marks.map(|m| (m[usize::from(k - 2)], n))
        }
        ResultIndicator::Mark(_) | ResultIndicator::Mean => None,
        ResultIndicator::Lowered => of_judged(0),
        ResultIndicator::Confirmed => of_judged(1),
        ResultIndicator::Raised => of_judged(2),
    }
}

/// The mean mark's sums over the marks 2–5: (count, Σ mark, Σ mark²).
fn mark_sums(f: &Figures) -> Option<(u32, f64, f64)> {
    let m = f.marks?;
    let total: u32 = m.iter().sum();
    let (mut sum, mut squares) = (0.0, 0.0);
    for (i, count) in m.iter().enumerate() {
        let mark = (i + 2) as f64;
        sum += mark * f64::from(*count);
        squares += mark * mark * f64::from(*count);
    }
    (total > 0).then_some((total, sum, squares))
}

/// The value of an indicator alone (what percentiles and peers compare), `None` when the figures
/// lack it or have too few participants.
pub fn value(r: &Results, a: &Assessment, f: &Figures, indicator: ResultIndicator) -> Option<f64> {
    if !r.shown(f.participants) {
        return None;
    }
    if indicator == ResultIndicator::Mean {
        return match a.max_score {
            Some(max) => f.mean_score.map(|m| (m / f64::from(max)).clamp(0.0, 1.0)),
            None => mark_sums(f).map(|(n, sum, _)| sum / f64::from(n)),
        };
    }
    counted(f, indicator).map(|(k, n)| f64::from(k) / f64::from(n.max(1)))
}

/// The value of an indicator with its interval (Wilson's for a share, Student's t for the mean
/// mark, none for a mean score), `None` when the figures lack it or have too few participants.
pub fn estimate(
    r: &Results,
    a: &Assessment,
    f: &Figures,
    indicator: ResultIndicator,
    confidence: f64,
) -> Option<Estimate> {
    let value = value(r, a, f, indicator)?;
    let interval = match indicator {
        ResultIndicator::Mean if a.scored() => None,
        ResultIndicator::Mean => mark_sums(f)
            .filter(|(n, ..)| *n >= 2)
            .map(|(n, sum, squares)| {
                let count = f64::from(n);
                let variance = ((squares - sum * value) / (count - 1.0)).max(0.0);
                let half =
                    stats::t_quantile(0.5 + confidence / 2.0, n - 1) * (variance / count).sqrt();
                Interval {
                    low: (value - half).max(2.0),
                    high: (value + half).min(5.0),
                }
            }),
        _ => counted(f, indicator).map(|(k, n)| stats::wilson(k, n, confidence, None)),
    };
    Some(Estimate {
        value,
        interval,
        participants: f.participants,
    })
}

/// Whether a school's assessment is flagged for objectivity: at least the methodology's share of
/// participants wrote the assessment below their journal mark.
pub fn objectivity_flag(r: &Results, a: &Assessment, f: &Figures, confidence: f64) -> bool {
    estimate(r, a, f, ResultIndicator::Lowered, confidence)
        .is_some_and(|e| crate::cutoff::reaches(e.value, r.objectivity_lowered))
}

/// Year-on-year change of an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    /// Better beyond the two figures' uncertainty («значимо»).
    Improved,
    /// Worse beyond the uncertainty.
    Worsened,
    /// «в пределах погрешности».
    WithinError,
}

/// The change from `before` to `after`, judged as the profile's change is (`stats::beyond`).
pub fn trend(indicator: ResultIndicator, before: &Estimate, after: &Estimate) -> Option<Trend> {
    let delta = after.value - before.value;
    if before.interval.is_none() || after.interval.is_none() {
        return None;
    }
    if !stats::beyond(delta, before.interval, after.interval) {
        return Some(Trend::WithinError);
    }
    let better = (delta < 0.0) == indicator.lower_is_better();
    Some(if better {
        Trend::Improved
    } else {
        Trend::Worsened
    })
}

/// A school's figures by assessment and year: what selection, peers and cards read. One sorted
/// list with the assessment's key shared (a region of 10,000 schools holds some 1.5 million of
/// these rows; as a map keyed by an owned text a row took about 190 bytes, here 88).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SchoolResults {
    rows: Vec<(Arc<str>, u16, Figures)>,
}

impl SchoolResults {
    pub fn new() -> SchoolResults {
        SchoolResults::default()
    }

    fn find(&self, assessment: &str, year: u16) -> Result<usize, usize> {
        self.rows
            .binary_search_by(|(a, y, _)| (a.as_ref(), *y).cmp(&(assessment, year)))
    }

    /// The figures of an assessment in a year.
    pub fn get(&self, assessment: &str, year: u16) -> Option<&Figures> {
        self.find(assessment, year).ok().map(|at| &self.rows[at].2)
    }

    pub fn get_mut(&mut self, assessment: &str, year: u16) -> Option<&mut Figures> {
        self.find(assessment, year)
            .ok()
            .map(|at| &mut self.rows[at].2)
    }

    /// Sets the figures of an assessment in a year (a second import of the same replaces them).
    /// Rows arriving in order (as the storage reads them) are appended.
    pub fn insert(&mut self, assessment: impl Into<Arc<str>>, year: u16, figures: Figures) {
        let assessment = assessment.into();
        let in_order = self
            .rows
            .last()
            .is_none_or(|(a, y, _)| (a.as_ref(), *y) < (assessment.as_ref(), year));
        if in_order {
            self.rows.push((assessment, year, figures));
            return;
        }
        match self.find(&assessment, year) {
            Ok(at) => self.rows[at].2 = figures,
            Err(at) => self.rows.insert(at, (assessment, year, figures)),
        }
    }

    /// (assessment, year) in order.
    pub fn keys(&self) -> impl Iterator<Item = (&str, u16)> + '_ {
        self.rows.iter().map(|(a, y, _)| (a.as_ref(), *y))
    }

    /// (assessment, year, figures) in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u16, &Figures)> + '_ {
        self.rows.iter().map(|(a, y, f)| (a.as_ref(), *y, f))
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Keeps the rows `keep` says yes to.
    pub fn retain(&mut self, mut keep: impl FnMut(&str, u16, &Figures) -> bool) {
        self.rows.retain(|(a, y, f)| keep(a, *y, f));
    }

    /// Gives back what the list reserved while it grew.
    pub fn shrink_to_fit(&mut self) {
        self.rows.shrink_to_fit();
    }
}

/// Whether a results target is met by a later figure: the same verdicts as a profile target.
pub fn judge_target(
    indicator: ResultIndicator,
    target: f64,
    later: Option<&Estimate>,
) -> crate::programme::Verdict {
    use crate::programme::{Achievement, Verdict};
    let Some(later) = later else {
        return Verdict {
            achievement: Achievement::InsufficientData,
            actual: None,
            beyond_uncertainty: None,
        };
    };
    let meets = |v: f64| {
        if indicator.lower_is_better() {
            crate::cutoff::reaches(target, v)
        } else {
            crate::cutoff::reaches(v, target)
        }
    };
    let achieved = meets(later.value);
    Verdict {
        achievement: if achieved {
            Achievement::Achieved
        } else {
            Achievement::NotAchieved
        },
        actual: Some(later.value),
        beyond_uncertainty: later
            .interval
            .map(|i| meets(i.low) == achieved && meets(i.high) == achieved),
    }
}

#[cfg(test)]
mod tests;
