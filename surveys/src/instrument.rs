//! Instruments (questionnaires): sections of items with stable keys, typed answers, choice lists
//! with risk scores, `show_if` conditions and links to the indicators the items feed.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::text::Text;

/// The respondent group an instrument is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    Principal,
    Teacher,
    Student,
    Parent,
    TeacherDeficits,
    PrincipalManagement,
}

impl Group {
    /// How many groups there are: the length of a dense per-group array.
    pub const COUNT: usize = 6;

    pub const ALL: [Group; Group::COUNT] = [
        Group::Principal,
        Group::Teacher,
        Group::Student,
        Group::Parent,
        Group::TeacherDeficits,
        Group::PrincipalManagement,
    ];

    /// The stable key used in storage, files and URLs.
    pub fn key(self) -> &'static str {
        match self {
            Group::Principal => "principal",
            Group::Teacher => "teacher",
            Group::Student => "student",
            Group::Parent => "parent",
            Group::TeacherDeficits => "teacher_deficits",
            Group::PrincipalManagement => "principal_management",
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

    /// Whether sums over the group's answers are kept at all (profiles, summaries, the items'
    /// quality): not for the principals' management self-diagnostic, whose one answer per school
    /// belongs to the principal alone.
    pub fn is_summed(self) -> bool {
        self != Group::PrincipalManagement
    }

    /// Position in a dense per-group array.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Serde of a dense per-group array as a list, reading one stored before a group was added (a
/// shorter list: the later groups get their default).
pub mod per_group {
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::Group;

    pub fn serialize<S: Serializer, T: Serialize>(
        array: &[T; Group::COUNT],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        array.as_slice().serialize(serializer)
    }

    pub fn deserialize<'de, D, T>(deserializer: D) -> Result<[T; Group::COUNT], D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de> + Default,
    {
        let stored = Vec::<T>::deserialize(deserializer)?;
        if stored.len() > Group::COUNT {
            return Err(D::Error::invalid_length(
                stored.len(),
                &"one value per group",
            ));
        }
        let mut array: [T; Group::COUNT] = Default::default();
        for (slot, value) in array.iter_mut().zip(stored) {
            *slot = value;
        }
        Ok(array)
    }
}

/// A text that is no group's key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("«{0}» is not a respondent group")]
pub struct UnknownGroup(pub String);

/// Groups as stored (their key), so that a storage row can hold a `Group`.
impl TryFrom<String> for Group {
    type Error = UnknownGroup;

    fn try_from(key: String) -> Result<Group, UnknownGroup> {
        Group::parse(&key).ok_or(UnknownGroup(key))
    }
}

impl fmt::Display for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// One answer option of a choice list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub value: String,
    /// Risk in [0,1] for a positively worded item; absent on a `missing` choice and on lists
    /// used only for the deficit diagnostic.
    pub score: Option<f64>,
    /// Points of a self-assessment answer in the deficit diagnostic.
    pub points: Option<f64>,
    /// «Затрудняюсь ответить»: a valid answer that counts as missing data.
    #[serde(default)]
    pub missing: bool,
    /// In a multiple-choice list: chosen alone («ничего из перечисленного»).
    #[serde(default)]
    pub exclusive: bool,
    pub ru: String,
    pub en: String,
}

impl Choice {
    pub fn label(&self) -> Text {
        Text {
            ru: self.ru.clone(),
            en: self.en.clone(),
        }
    }
}

/// A named, reusable list of choices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceList {
    pub choices: Vec<Choice>,
}

impl ChoiceList {
    pub fn find(&self, value: &str) -> Option<&Choice> {
        self.choices.iter().find(|c| c.value == value)
    }

    pub fn position(&self, value: &str) -> Option<usize> {
        self.choices.iter().position(|c| c.value == value)
    }

    /// The most points any choice gives.
    pub fn max_points(&self) -> f64 {
        self.choices
            .iter()
            .filter_map(|c| c.points)
            .fold(0.0, f64::max)
    }
}

/// The answer type of an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// One choice from a list.
    Single,
    /// Any number of choices from a list.
    Multiple,
    /// An agreement scale (optionally with «затрудняюсь ответить»).
    Likert,
    /// A how-often scale.
    Frequency,
    /// Rows that share one scale; each row is answered like a Likert item.
    Matrix,
    /// A whole number within bounds.
    Integer,
    /// A number within bounds.
    Decimal,
    /// Да / нет.
    YesNo,
    /// Free short text; never scored.
    Text,
}

impl ItemKind {
    /// Whether answers are taken from a choice list.
    pub fn has_choices(self) -> bool {
        matches!(
            self,
            ItemKind::Single
                | ItemKind::Multiple
                | ItemKind::Likert
                | ItemKind::Frequency
                | ItemKind::Matrix
                | ItemKind::YesNo
        )
    }

    pub fn is_numeric(self) -> bool {
        matches!(self, ItemKind::Integer | ItemKind::Decimal)
    }
}

/// A condition on an earlier answer deciding whether an item is shown (and so asked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// Key of an earlier item (or `matrix.row`).
    pub item: String,
    /// Shown when the answer is (or, for multiple choice, includes) this value.
    pub equals: Option<String>,
    /// Shown when the answer is one of these values.
    #[serde(rename = "in")]
    pub any_of: Option<Vec<String>>,
    /// Shown when the numeric answer is greater than this.
    pub greater_than: Option<f64>,
}

/// One row of a matrix item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatrixRow {
    pub key: String,
    #[serde(default)]
    pub reverse: bool,
    pub indicator: Option<String>,
    pub area: Option<String>,
    pub subskill: Option<String>,
    pub ru: String,
    pub en: String,
}

/// One question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub key: String,
    #[serde(rename = "type")]
    pub kind: ItemKind,
    /// Key of a list in `choices.toml` (choice items).
    pub choices: Option<String>,
    /// Agreement indicates risk: scores flip (1 − score).
    #[serde(default)]
    pub reverse: bool,
    /// Whether an answer is needed when the item is shown (default: yes, but for text).
    pub required: Option<bool>,
    pub show_if: Option<Condition>,
    /// Bounds of a numeric answer.
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Longest text answer, in characters (default 200).
    pub max_length: Option<usize>,
    /// Unit shown after a number field, e.g. «чел.».
    pub unit: Option<Text>,
    /// The indicator this item feeds (matrix rows name their own).
    pub indicator: Option<String>,
    /// Rows of a matrix.
    #[serde(default)]
    pub rows: Vec<MatrixRow>,
    /// Deficit diagnostic: the area and sub-skill the item measures.
    pub area: Option<String>,
    pub subskill: Option<String>,
    /// Deficit diagnostic knowledge item: the right answer and what it is worth.
    pub correct: Option<String>,
    pub points: Option<f64>,
    /// A hint under the question.
    pub hint: Option<Text>,
    pub ru: String,
    pub en: String,
}

/// The longest free-text answer of an item that sets no `max_length`.
pub const DEFAULT_TEXT_LENGTH: usize = 200;

impl Item {
    /// The longest text this item takes: its `max_length`, else `DEFAULT_TEXT_LENGTH`.
    pub fn text_limit(&self) -> usize {
        self.max_length.unwrap_or(DEFAULT_TEXT_LENGTH)
    }

    pub fn label(&self) -> Text {
        Text {
            ru: self.ru.clone(),
            en: self.en.clone(),
        }
    }

    pub fn is_required(&self) -> bool {
        self.required.unwrap_or(self.kind != ItemKind::Text)
    }

    /// The item risk score of a choice, with `reverse` applied; `None` for a missing answer.
    pub fn score(&self, choice: &Choice) -> Option<f64> {
        flip(choice.score.filter(|_| !choice.missing)?, self.reverse)
    }
}

pub(crate) fn flip(score: f64, reverse: bool) -> Option<f64> {
    Some(if reverse { 1.0 - score } else { score })
}

/// One page of a questionnaire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub key: String,
    pub title: Text,
    pub intro: Option<Text>,
    pub items: Vec<Item>,
}

/// A questionnaire for one respondent group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instrument {
    pub key: String,
    pub methodology: String,
    pub version: u32,
    pub group: Group,
    /// How long filling it in takes, as told to respondents.
    pub expected_minutes: u32,
    pub title: Text,
    /// Who it is for and what is stored, shown on the start page.
    pub intro: Option<Text>,
    #[serde(rename = "section")]
    pub sections: Vec<Section>,
    /// Every answer slot (an item, or one row of a matrix) in order; filled by the loader.
    #[serde(skip)]
    pub slots: Vec<Slot>,
}

/// One answerable place of an instrument: an item, or a row of a matrix item. Answers are stored
/// per slot under `key` (`item` or `item.row`).
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    pub key: String,
    /// The section and the item's position in it.
    pub section: usize,
    pub position: usize,
    /// Position of the row within a matrix item.
    pub row: Option<usize>,
}

impl Instrument {
    /// Lists the answer slots; called once when the set is loaded.
    pub(crate) fn index_slots(&mut self) {
        let mut slots = Vec::new();
        for (section, s) in self.sections.iter().enumerate() {
            for (position, item) in s.items.iter().enumerate() {
                if item.rows.is_empty() {
                    slots.push(Slot {
                        key: item.key.clone(),
                        section,
                        position,
                        row: None,
                    });
                }
                for (r, row) in item.rows.iter().enumerate() {
                    slots.push(Slot {
                        key: format!("{}.{}", item.key, row.key),
                        section,
                        position,
                        row: Some(r),
                    });
                }
            }
        }
        self.slots = slots;
    }

    pub fn slot(&self, key: &str) -> Option<usize> {
        self.slots.iter().position(|s| s.key == key)
    }

    /// The indicator a slot feeds and whether its scores flip: a matrix row names its own
    /// indicator, and its `reverse` combines with the item's.
    pub fn slot_link(&self, slot: usize) -> (Option<&str>, bool) {
        let item = self.slot_item(slot);
        match self.slots[slot].row {
            Some(r) => (
                item.rows[r].indicator.as_deref(),
                item.reverse ^ item.rows[r].reverse,
            ),
            None => (item.indicator.as_deref(), item.reverse),
        }
    }

    /// The question of a slot in a language: the item's text, and a matrix row's after a dash.
    pub fn slot_label(&self, slot: usize, lang: &str) -> String {
        let item = self.slot_item(slot);
        match self.slots[slot].row {
            Some(row) => {
                let row = &item.rows[row];
                let text = if lang == "en" { &row.en } else { &row.ru };
                format!("{} — {text}", item.label().get(lang))
            }
            None => item.label().get(lang).to_owned(),
        }
    }

    /// The item of a slot.
    pub fn slot_item(&self, slot: usize) -> &Item {
        let s = &self.slots[slot];
        &self.sections[s.section].items[s.position]
    }

    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.sections.iter().flat_map(|s| s.items.iter())
    }

    pub fn item(&self, key: &str) -> Option<&Item> {
        self.items().find(|i| i.key == key)
    }
}
