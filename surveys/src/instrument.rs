//! Instruments (questionnaires): sections of items with stable keys, choice lists with risk scores.

use std::fmt;

use serde::Deserialize;

use crate::factor::FactorCode;
use crate::text::Text;

/// The respondent group an instrument is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    Principal,
    Teacher,
    Student,
    Parent,
    TeacherDeficits,
}

impl Group {
    pub const ALL: [Group; 5] = [
        Group::Principal,
        Group::Teacher,
        Group::Student,
        Group::Parent,
        Group::TeacherDeficits,
    ];

    /// The stable key used in storage and URLs.
    pub fn key(self) -> &'static str {
        match self {
            Group::Principal => "principal",
            Group::Teacher => "teacher",
            Group::Student => "student",
            Group::Parent => "parent",
            Group::TeacherDeficits => "teacher_deficits",
        }
    }

    pub fn parse(key: &str) -> Option<Group> {
        Group::ALL.into_iter().find(|g| g.key() == key)
    }

    /// Whether respondents of the group answer anonymously through a shared school code
    /// (as opposed to a personal code).
    pub fn is_anonymous(self) -> bool {
        matches!(self, Group::Teacher | Group::Student | Group::Parent)
    }
}

impl fmt::Display for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// One answer option of a choice list.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Choice {
    pub value: String,
    /// Risk in [0,1] for a positively worded item; absent only on a `missing` choice.
    pub score: Option<f64>,
    /// «Затрудняюсь ответить»: a valid answer that counts as missing data.
    #[serde(default)]
    pub missing: bool,
    pub ru: String,
    pub en: String,
}

/// A named, reusable list of choices.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ChoiceList {
    pub choices: Vec<Choice>,
}

impl ChoiceList {
    pub fn find(&self, value: &str) -> Option<&Choice> {
        self.choices.iter().find(|c| c.value == value)
    }
}

/// The answer type of an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Single,
    Likert,
    YesNo,
}

/// One question.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub key: String,
    #[serde(rename = "type")]
    pub kind: ItemKind,
    /// Key of a list in `choices.toml`.
    pub choices: String,
    /// The item is worded so that agreement indicates risk: scores flip.
    #[serde(default)]
    pub reverse: bool,
    /// The factor the item informs.
    pub factor: FactorCode,
    pub ru: String,
    pub en: String,
}

impl Item {
    pub fn label(&self) -> Text {
        Text {
            ru: self.ru.clone(),
            en: self.en.clone(),
        }
    }

    /// The item risk score of a choice, with `reverse` applied; `None` for a missing answer.
    pub fn score(&self, choice: &Choice) -> Option<f64> {
        let score = choice.score.filter(|_| !choice.missing)?;
        Some(if self.reverse { 1.0 - score } else { score })
    }
}

/// One page of a questionnaire.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub key: String,
    pub title: Text,
    pub items: Vec<Item>,
}

/// A questionnaire for one respondent group.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instrument {
    pub key: String,
    pub methodology: String,
    pub version: u32,
    pub group: Group,
    pub expected_minutes: u32,
    pub title: Text,
    #[serde(rename = "section")]
    pub sections: Vec<Section>,
}

impl Instrument {
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.sections.iter().flat_map(|s| s.items.iter())
    }
}
