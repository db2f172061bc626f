//! Submissions parsed against their instrument into typed answers ("parse, don't validate").
//! The same rules serve the server (forms without JavaScript), the browser (instant validation),
//! CSV import and scoring.

use std::collections::BTreeMap;

use crate::instrument::{ChoiceList, Condition, Instrument, Item, ItemKind};
use crate::methodology::Methodology;
use crate::text::Text;

/// A submitted value as it arrives: one text, or several for multiple choice. Stored as a JSON
/// string or array.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum RawValue {
    One(String),
    Many(Vec<String>),
}

/// Read directly as a string or a list of strings: an untagged enum would first copy every
/// value into a buffer to try each variant in turn, and scoring reads millions of them.
impl<'de> serde::Deserialize<'de> for RawValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<RawValue, D::Error> {
        struct OneOrMany;
        impl<'de> serde::de::Visitor<'de> for OneOrMany {
            type Value = RawValue;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string or a list of strings")
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawValue, E> {
                Ok(RawValue::One(v.to_owned()))
            }

            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<RawValue, E> {
                Ok(RawValue::One(v))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<RawValue, A::Error> {
                let mut all = Vec::with_capacity(seq.size_hint().unwrap_or(2));
                while let Some(v) = seq.next_element::<String>()? {
                    all.push(v);
                }
                Ok(RawValue::Many(all))
            }
        }
        d.deserialize_any(OneOrMany)
    }
}

/// Submitted values keyed by slot key (`item` or `matrix.row`).
pub type RawAnswers = BTreeMap<String, RawValue>;

/// A typed answer of one slot.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// Index into the item's choice list.
    Choice(u16),
    /// Indices of the chosen choices, in list order.
    Choices(Vec<u16>),
    Number(f64),
    Text(String),
}

/// The typed answers of one response, aligned with the instrument's slots.
#[derive(Debug, Clone, PartialEq)]
pub struct Answers(pub Vec<Option<Answer>>);

/// Why a field was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldProblem {
    Required,
    /// Required, and revealed by this very submission (its condition did not hold before): the
    /// respondent of a page without JavaScript has not seen the question yet.
    FollowUp,
    NotAChoice(String),
    NotANumber(String),
    NotWhole,
    /// A whole number written otherwise than in digits (`1e3`, `+400`, `400.0`).
    DigitsOnly(String),
    /// A list of choices with an empty place (`a;`, `;a`, `a;;b`).
    EmptyChoice,
    /// A choice given twice in one list (`a;a`).
    RepeatedChoice(String),
    OutOfRange {
        min: f64,
        max: f64,
    },
    TooLong {
        max: usize,
    },
    ExclusiveCombined,
    OneValueOnly,
    UnknownKey,
}

/// A refused field: its slot key and the problem.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub key: String,
    pub problem: FieldProblem,
}

impl FieldError {
    /// The message to show next to the field, in the user's language.
    pub fn message(&self, lang: &str) -> String {
        let t = |ru: &str, en: &str| {
            Text {
                ru: ru.into(),
                en: en.into(),
            }
            .get(lang)
            .to_owned()
        };
        match &self.problem {
            FieldProblem::Required => t("Ответьте на этот вопрос", "Please answer this question"),
            FieldProblem::FollowUp => t(
                "Уточняющий вопрос к вашему ответу: ответьте на него",
                "A follow-up to your answer: please answer it",
            ),
            FieldProblem::NotAChoice(v) => t(
                &format!("«{v}» — не вариант ответа"),
                &format!("“{v}” is not one of the options"),
            ),
            FieldProblem::NotANumber(v) => t(
                &format!("«{v}» — не число"),
                &format!("“{v}” is not a number"),
            ),
            FieldProblem::NotWhole => t("Введите целое число", "Enter a whole number"),
            FieldProblem::DigitsOnly(v) => t(
                &format!("«{v}»: целое число пишется только цифрами, например 400"),
                &format!("“{v}”: write a whole number in digits only, e.g. 400"),
            ),
            FieldProblem::EmptyChoice => t(
                "Пустой вариант в списке: варианты разделяются одной «;»",
                "An empty option in the list: separate options with a single “;”",
            ),
            FieldProblem::RepeatedChoice(v) => t(
                &format!("Вариант «{v}» указан дважды"),
                &format!("Option “{v}” is given twice"),
            ),
            FieldProblem::OutOfRange { min, max } => t(
                &format!("Введите число от {min} до {max}"),
                &format!("Enter a number from {min} to {max}"),
            ),
            FieldProblem::TooLong { max } => t(
                &format!("Не длиннее {max} символов"),
                &format!("At most {max} characters"),
            ),
            FieldProblem::ExclusiveCombined => t(
                "Вариант «ничего из этого» нельзя сочетать с другими",
                "“None of these” cannot be combined with other options",
            ),
            FieldProblem::OneValueOnly => t("Выберите один вариант", "Choose one option"),
            FieldProblem::UnknownKey => {
                t("Такого вопроса нет в анкете", "There is no such question")
            }
        }
    }
}

/// Where answers find the choice lists their items name: the whole methodology on the server,
/// the rules of one form in the browser.
pub trait ChoiceLists {
    fn choice_list(&self, key: &str) -> Option<&ChoiceList>;
}

impl ChoiceLists for Methodology {
    fn choice_list(&self, key: &str) -> Option<&ChoiceList> {
        self.choice_lists.get(key)
    }
}

/// Replaces one page's answers (section index) with the fields submitted for it: a field left
/// out clears its answer (an unticked box), fields of other pages and unknown keys are ignored,
/// a field given several times (checkboxes) becomes a list.
pub fn replace_page(
    instrument: &Instrument,
    raw: &mut RawAnswers,
    section: usize,
    fields: impl IntoIterator<Item = (String, String)>,
) {
    let on_page = |key: &str| {
        instrument
            .slot(key)
            .is_some_and(|s| instrument.slots[s].section == section)
    };
    raw.retain(|k, _| instrument.slot(k).is_none() || !on_page(k));
    let mut submitted: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (k, v) in fields {
        if on_page(&k) {
            submitted.entry(k).or_default().push(v);
        }
    }
    for (k, mut vs) in submitted {
        let value = if vs.len() == 1 {
            RawValue::One(vs.remove(0))
        } else {
            RawValue::Many(vs)
        };
        raw.insert(k, value);
    }
}

/// What a value that is not free text may keep: no number or choice needs more characters.
const MAX_VALUE_CHARS: usize = 40;
/// Most values kept for one field (a multiple choice lists far fewer options).
const MAX_VALUES: usize = 64;

/// Which values `cut_values` bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// Numbers and choices: a longer value keeps its first characters and an ellipsis, so that
    /// it stays refused (and is echoed short).
    Others,
    /// Free text: cut to the item's own limit.
    Texts,
}

/// Bounds what a posted page may leave in a draft, so that nobody can fill the store (or the
/// page echoing it) through a form: at most `MAX_VALUES` values per field, and each value as
/// `Cut` says. Run `Cut::Others` before checking a page (problems then quote short values) and
/// `Cut::Texts` after (a too long text is still refused, and kept only up to its limit).
pub fn cut_values(instrument: &Instrument, raw: &mut RawAnswers, cut: Cut) {
    for (key, value) in raw.iter_mut() {
        let Some(slot) = instrument.slot(key) else {
            continue;
        };
        let item = instrument.slot_item(slot);
        let text = item.kind == ItemKind::Text;
        let bound = |v: &mut String| match (cut, text) {
            (Cut::Texts, true) => {
                let max = item.text_limit();
                if v.chars().count() > max {
                    *v = v.chars().take(max).collect();
                }
            }
            (Cut::Others, false) if v.chars().count() > MAX_VALUE_CHARS => {
                *v = v.chars().take(MAX_VALUE_CHARS).chain(['…']).collect();
            }
            _ => {}
        };
        match value {
            RawValue::One(v) => bound(v),
            RawValue::Many(vs) => {
                vs.truncate(MAX_VALUES);
                vs.iter_mut().for_each(bound);
            }
        }
    }
}

impl Answers {
    pub fn empty(instrument: &Instrument) -> Answers {
        Answers(vec![None; instrument.slots.len()])
    }

    pub fn get(&self, slot: usize) -> Option<&Answer> {
        self.0.get(slot).and_then(Option::as_ref)
    }

    /// Parses a whole submission: every problem is returned, with its field. Answers to items
    /// hidden by their `show_if` are dropped, and hidden items are never required.
    pub fn parse(
        m: &impl ChoiceLists,
        instrument: &Instrument,
        raw: &RawAnswers,
    ) -> Result<Answers, Vec<FieldError>> {
        let mut errors: Vec<FieldError> = raw
            .keys()
            .filter(|k| instrument.slot(k).is_none())
            .map(|k| FieldError {
                key: k.clone(),
                problem: FieldProblem::UnknownKey,
            })
            .collect();
        let answers = Answers::parse_known(m, instrument, raw, &mut errors, |_| true);
        if errors.is_empty() {
            Ok(answers)
        } else {
            Err(errors)
        }
    }

    /// Parses every submitted slot in order (so that conditions see earlier answers) and
    /// reports problems only for the slots where `include` holds (e.g. one page of a form).
    pub fn parse_known(
        m: &impl ChoiceLists,
        instrument: &Instrument,
        raw: &RawAnswers,
        errors: &mut Vec<FieldError>,
        include: impl Fn(usize) -> bool,
    ) -> Answers {
        let mut answers = Answers::empty(instrument);
        for (index, slot) in instrument.slots.iter().enumerate() {
            let item = instrument.slot_item(index);
            if !answers.is_shown(m, instrument, item) {
                continue;
            }
            let value = raw.get(&slot.key).filter(|v| !is_blank(v));
            let problem = match value {
                None if item.is_required() => Some(FieldProblem::Required),
                None => None,
                Some(value) => match parse_value(m, item, value) {
                    Ok(answer) => {
                        answers.0[index] = Some(answer);
                        None
                    }
                    Err(problem) => Some(problem),
                },
            };
            if let Some(problem) = problem.filter(|_| include(index)) {
                errors.push(FieldError {
                    key: slot.key.clone(),
                    problem,
                });
            }
        }
        answers
    }

    /// Parses a submission for one page (section index): problems of that page only.
    pub fn parse_page(
        m: &impl ChoiceLists,
        instrument: &Instrument,
        raw: &RawAnswers,
        section: usize,
    ) -> (Answers, Vec<FieldError>) {
        let mut errors = Vec::new();
        let answers = Answers::parse_known(m, instrument, raw, &mut errors, |slot| {
            instrument.slots[slot].section == section
        });
        (answers, errors)
    }

    /// Parses a page submitted over `before` (the answers the page was shown with): like
    /// [`Answers::parse_page`], but a required question that only this submission revealed is a
    /// [`FieldProblem::FollowUp`], not an omission.
    pub fn parse_page_over(
        m: &impl ChoiceLists,
        instrument: &Instrument,
        before: &RawAnswers,
        raw: &RawAnswers,
        section: usize,
    ) -> (Answers, Vec<FieldError>) {
        let (answers, mut errors) = Answers::parse_page(m, instrument, raw, section);
        if !errors.iter().any(|e| e.problem == FieldProblem::Required) {
            return (answers, errors);
        }
        let shown_before = Answers::parse_known(m, instrument, before, &mut Vec::new(), |_| false);
        for e in errors.iter_mut() {
            let revealed = instrument.slot(&e.key).is_some_and(|slot| {
                !shown_before.is_shown(m, instrument, instrument.slot_item(slot))
            });
            if e.problem == FieldProblem::Required && revealed {
                e.problem = FieldProblem::FollowUp;
            }
        }
        (answers, errors)
    }

    /// Whether an item is shown given the answers so far.
    pub fn is_shown(&self, m: &impl ChoiceLists, instrument: &Instrument, item: &Item) -> bool {
        item.show_if
            .as_ref()
            .is_none_or(|c| self.holds(m, instrument, c))
    }

    fn holds(&self, m: &impl ChoiceLists, instrument: &Instrument, c: &Condition) -> bool {
        let Some(slot) = instrument.slot(&c.item) else {
            return false;
        };
        let item = instrument.slot_item(slot);
        let list = item.choices.as_deref().and_then(|l| m.choice_list(l));
        let value_of = |i: u16| {
            list.and_then(|l| l.choices.get(usize::from(i)))
                .map(|c| c.value.as_str())
        };
        let wanted = |v: &str| {
            c.equals.as_deref() == Some(v)
                || c.any_of.as_ref().is_some_and(|a| a.iter().any(|x| x == v))
        };
        match self.get(slot) {
            None => false,
            Some(Answer::Choice(i)) => value_of(*i).is_some_and(wanted),
            Some(Answer::Choices(is)) => is.iter().any(|i| value_of(*i).is_some_and(wanted)),
            Some(Answer::Number(n)) => c.greater_than.is_some_and(|g| *n > g),
            Some(Answer::Text(_)) => false,
        }
    }

    /// The answers as stored raw: slot key → value (text, number or list of values).
    pub fn to_raw(&self, m: &impl ChoiceLists, instrument: &Instrument) -> RawAnswers {
        let mut raw = RawAnswers::new();
        for (index, answer) in self.0.iter().enumerate() {
            let Some(answer) = answer else { continue };
            let item = instrument.slot_item(index);
            let list = item.choices.as_deref().and_then(|l| m.choice_list(l));
            let value = |i: &u16| {
                list.and_then(|l| l.choices.get(usize::from(*i)))
                    .map_or_else(String::new, |c| c.value.clone())
            };
            let raw_value = match answer {
                Answer::Choice(i) => RawValue::One(value(i)),
                Answer::Choices(is) => RawValue::Many(is.iter().map(value).collect()),
                Answer::Number(n) => RawValue::One(format_number(*n)),
                Answer::Text(t) => RawValue::One(t.clone()),
            };
            raw.insert(instrument.slots[index].key.clone(), raw_value);
        }
        raw
    }
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

fn is_blank(v: &RawValue) -> bool {
    match v {
        RawValue::One(s) => s.trim().is_empty(),
        RawValue::Many(vs) => vs.iter().all(|s| s.trim().is_empty()),
    }
}

fn parse_value(
    m: &impl ChoiceLists,
    item: &Item,
    value: &RawValue,
) -> Result<Answer, FieldProblem> {
    let one = || match value {
        RawValue::One(s) => Ok(s.trim()),
        RawValue::Many(vs) => match vs
            .iter()
            .filter(|s| !s.trim().is_empty())
            .collect::<Vec<_>>()[..]
        {
            [single] => Ok(single.trim()),
            _ => Err(FieldProblem::OneValueOnly),
        },
    };
    let list = item.choices.as_deref().and_then(|l| m.choice_list(l));
    match item.kind {
        ItemKind::Multiple => {
            let list = list.ok_or(FieldProblem::UnknownKey)?;
            let values: Vec<&str> = match value {
                // One cell of a file: `a;b`, every place filled.
                RawValue::One(s) => {
                    let values: Vec<&str> = s.split(';').map(str::trim).collect();
                    if values.iter().any(|v| v.is_empty()) {
                        return Err(FieldProblem::EmptyChoice);
                    }
                    values
                }
                RawValue::Many(vs) => vs
                    .iter()
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty())
                    .collect(),
            };
            let mut chosen: Vec<u16> = Vec::new();
            for v in values {
                let i = list
                    .position(v)
                    .ok_or_else(|| FieldProblem::NotAChoice(echo(v)))?
                    as u16;
                if chosen.contains(&i) {
                    return Err(FieldProblem::RepeatedChoice(echo(v)));
                }
                chosen.push(i);
            }
            chosen.sort_unstable();
            let exclusive = chosen
                .iter()
                .any(|i| list.choices[usize::from(*i)].exclusive);
            if exclusive && chosen.len() > 1 {
                return Err(FieldProblem::ExclusiveCombined);
            }
            Ok(Answer::Choices(chosen))
        }
        kind if kind.has_choices() => {
            let list = list.ok_or(FieldProblem::UnknownKey)?;
            let v = one()?;
            list.position(v)
                .map(|i| Answer::Choice(i as u16))
                .ok_or_else(|| FieldProblem::NotAChoice(echo(v)))
        }
        ItemKind::Integer | ItemKind::Decimal => {
            let v = one()?;
            let n = number(v, item.kind == ItemKind::Integer)?;
            let (min, max) = (item.min.unwrap_or(f64::MIN), item.max.unwrap_or(f64::MAX));
            if n < min || n > max {
                return Err(FieldProblem::OutOfRange { min, max });
            }
            Ok(Answer::Number(n))
        }
        _ => {
            let v = one()?;
            let max = item.text_limit();
            if v.chars().count() > max {
                return Err(FieldProblem::TooLong { max });
            }
            Ok(Answer::Text(v.to_owned()))
        }
    }
}

/// At most this many characters of a refused value are quoted back.
const ECHO: usize = 80;

/// A refused value as it is quoted back: its first `ECHO` characters.
pub fn echo(value: &str) -> String {
    if value.chars().count() <= ECHO {
        value.to_owned()
    } else {
        let mut cut: String = value.chars().take(ECHO).collect();
        cut.push('…');
        cut
    }
}

/// A decimal as people write it (`3,5`, `-0.25`, `1 000`), or `None` (the rules of `number`).
pub fn decimal(text: &str) -> Option<f64> {
    number(text.trim(), false).ok()
}

/// A number as people write it: digits with an optional leading minus, thousands set apart by
/// one space (`1 000`, `12 345 678`; a no-break or narrow no-break space counts as a space), and
/// for a decimal one `.` or `,` followed by digits (Russian spreadsheets write `3,5`). Nothing
/// else: no exponent, no plus sign, no groups of other sizes (`4 00`, `10 00`, `1  000`), no
/// separator without digits after it (`3.`); a whole number has no fraction, not even `400.0`.
fn number(text: &str, whole: bool) -> Result<f64, FieldProblem> {
    let trimmed = text.trim_matches(|c: char| c.is_whitespace());
    let unsigned = trimmed.strip_prefix('-').unwrap_or(trimmed);
    let (int, fraction) = match unsigned.split_once(['.', ',']) {
        Some((int, fraction)) => (int, Some(fraction)),
        None => (unsigned, None),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    // Groups of the integer part: the first of 1–3 digits, each next of exactly 3.
    let groups: Vec<&str> = int.split([' ', '\u{a0}', '\u{202f}']).collect();
    let grouped = groups.len() == 1
        || (groups.iter().all(|g| !g.is_empty() && digits(g))
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3));
    let int: String = groups.concat();
    let well_formed = digits(&int)
        && grouped
        && fraction.is_none_or(|f| digits(f) && !f.is_empty())
        && !(int.is_empty() && fraction.is_none());
    let compact = format!(
        "{}{int}{}",
        if trimmed.starts_with('-') { "-" } else { "" },
        fraction.map(|f| format!(".{f}")).unwrap_or_default()
    );
    let parsed = well_formed
        .then(|| compact.parse::<f64>().ok())
        .flatten()
        .filter(|n| n.is_finite());
    match (parsed, whole) {
        (Some(n), false) => Ok(n),
        (Some(n), true) if fraction.is_none() => Ok(n),
        (Some(n), true) if n.fract() != 0.0 => Err(FieldProblem::NotWhole),
        // Something like a number, mangled (a spreadsheet's `1E3`): say how to write it.
        (_, true) if text.bytes().any(|b| b.is_ascii_digit()) => {
            Err(FieldProblem::DigitsOnly(echo(text)))
        }
        _ => Err(FieldProblem::NotANumber(echo(text))),
    }
}

#[cfg(test)]
mod tests;
