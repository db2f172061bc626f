//! Catalogues as data: deficit areas and bands, the ИОМ recommendation catalogue, and the library
//! of typical anti-risk measures.

use serde::Deserialize;

use crate::factor::FactorCode;
use crate::text::Text;

/// An area of a diagnostic (the teachers' professional deficits, the principals' management).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeficitArea {
    pub key: String,
    pub name: Text,
}

/// A band of an area score in percent: scores below `below` get it; the last has no `below`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub key: String,
    pub below: Option<f64>,
    pub colour: String,
    pub name: Text,
    /// Whether the band is a deficit for which the ИОМ recommends work.
    #[serde(default)]
    pub deficit: bool,
}

/// The format of a development activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IomFormat {
    Course,
    Mentoring,
    LessonObservation,
    MethodicalAssociation,
    SelfStudy,
}

impl IomFormat {
    pub fn name(self) -> Text {
        let (ru, en) = match self {
            IomFormat::Course => (
                "Курс повышения квалификации",
                "Professional development course",
            ),
            IomFormat::Mentoring => ("Наставничество", "Mentoring"),
            IomFormat::LessonObservation => ("Посещение уроков", "Lesson observation"),
            IomFormat::MethodicalAssociation => (
                "Работа в методическом объединении",
                "Methodical association",
            ),
            IomFormat::SelfStudy => ("Самообразование", "Self-study"),
        };
        Text {
            ru: ru.into(),
            en: en.into(),
        }
    }
}

/// One development activity of the ИОМ catalogue: a course, or mentoring, lesson observation, a
/// methodical association's work, self-study.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IomEntry {
    /// Stable: a teacher's choice is counted by it (letters, digits, `-`, `_`).
    pub key: String,
    /// The deficit areas it addresses.
    pub areas: Vec<String>,
    /// The bands for which it is recommended.
    pub bands: Vec<String>,
    pub format: IomFormat,
    pub title: Text,
    /// Course hours, when a course.
    pub hours: Option<u32>,
    pub goal: Text,
    /// Weeks from the start of the plan until the deadline.
    pub weeks: u32,
    pub evidence: Text,
    /// Who offers it (an institute, the school, the methodical association).
    pub provider: Option<Text>,
    /// Where to read about it or enrol (`https://`).
    pub link: Option<String>,
}

/// A typical anti-risk measure that seeds a school's programme for a factor.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    pub factor: FactorCode,
    pub action: Text,
    pub responsible: Text,
    pub expected_result: Text,
}

/// `deficits.toml`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeficitCatalogue {
    pub methodology: String,
    /// Fewest teachers before a school summary of deficits is shown.
    pub min_teachers: u32,
    /// Fewest schools behind a count of the demand for professional development.
    pub demand_min_schools: u32,
    /// How many weakest sub-skills a teacher's report names.
    pub weakest_subskills: usize,
    #[serde(rename = "area")]
    pub areas: Vec<DeficitArea>,
    #[serde(rename = "band")]
    pub bands: Vec<Band>,
}

impl DeficitCatalogue {
    pub fn scale(&self) -> Scale<'_> {
        Scale {
            areas: &self.areas,
            bands: &self.bands,
            weakest_subskills: self.weakest_subskills,
        }
    }
}

/// `management.toml`: the areas and bands of the principals' management self-diagnostic.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManagementCatalogue {
    pub methodology: String,
    /// How many weakest sub-skills a principal's report names.
    pub weakest_subskills: usize,
    #[serde(rename = "area")]
    pub areas: Vec<DeficitArea>,
    #[serde(rename = "band")]
    pub bands: Vec<Band>,
}

impl ManagementCatalogue {
    pub fn scale(&self) -> Scale<'_> {
        Scale {
            areas: &self.areas,
            bands: &self.bands,
            weakest_subskills: self.weakest_subskills,
        }
    }
}

/// What a diagnostic is scored by: its areas, the bands of an area's percentage, and how many
/// weakest sub-skills its report names.
#[derive(Debug, Clone, Copy)]
pub struct Scale<'a> {
    pub areas: &'a [DeficitArea],
    pub bands: &'a [Band],
    pub weakest_subskills: usize,
}

impl<'a> Scale<'a> {
    /// The band of an area's percentage.
    pub fn band(&self, percent: f64) -> &'a Band {
        self.bands
            .iter()
            .find(|b| {
                b.below
                    .is_none_or(|limit| !crate::cutoff::reaches(percent, limit))
            })
            .unwrap_or_else(|| &self.bands[self.bands.len() - 1])
    }

    pub fn area(&self, key: &str) -> Option<&'a DeficitArea> {
        self.areas.iter().find(|a| a.key == key)
    }

    /// Whether `band` is one of the scale's deficits, and where among the bands.
    pub fn deficit_place(&self, band: &str) -> Option<usize> {
        self.bands.iter().position(|b| b.key == band && b.deficit)
    }
}

/// `iom.toml`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IomCatalogue {
    pub methodology: String,
    #[serde(rename = "entry")]
    pub entries: Vec<IomEntry>,
}

/// `measures.toml`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureLibrary {
    pub methodology: String,
    #[serde(rename = "measure")]
    pub measures: Vec<Measure>,
}
