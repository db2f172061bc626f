//! The anonymous feedback after an event: a questionnaire in the instrument format
//! (`feedback.toml`, scales only), parsed like every questionnaire, and kept only as sums — how
//! many answered, and per question how many chose each answer. Its results exist only with at
//! least the minimum of answers.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::answers::{Answer, Answers, ChoiceLists};
use crate::instrument::{Instrument, ItemKind};
use crate::methodology::{Problems, FEEDBACK_FILE};
use crate::Methodology;

/// The sums of an event's feedback.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackSums {
    pub count: u32,
    /// Per slot key: how many chose each choice of its list (in list order).
    pub slots: BTreeMap<String, Vec<u32>>,
}

/// One question's result.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedbackLine {
    pub question: String,
    /// Answers other than «can't say».
    pub answered: u32,
    /// The share agreeing (the list's two best choices by score), when anyone answered.
    pub agreeing: Option<f64>,
    /// (choice in words, how many).
    pub choices: Vec<(String, u32)>,
}

/// Checks the questionnaire: every item a scale or a single choice from a known list.
pub(crate) fn check(m: &Methodology, instrument: &Instrument, problems: &mut Problems) {
    for item in instrument.items() {
        let scale = matches!(
            item.kind,
            ItemKind::Likert | ItemKind::Frequency | ItemKind::Single
        );
        if !scale {
            problems.add(
                FEEDBACK_FILE,
                Some(&item.key),
                "feedback takes scales and single choices only",
            );
        }
        match item.choices.as_deref() {
            Some(list) if m.choice_list(list).is_some() => {}
            _ => problems.add(FEEDBACK_FILE, Some(&item.key), "unknown choice list"),
        }
    }
}

impl FeedbackSums {
    /// Adds one respondent's answers.
    pub fn add(&mut self, m: &impl ChoiceLists, instrument: &Instrument, answers: &Answers) {
        self.count += 1;
        for (slot, s) in instrument.slots.iter().enumerate() {
            let Some(Answer::Choice(i)) = answers.get(slot) else {
                continue;
            };
            let size = instrument
                .slot_item(slot)
                .choices
                .as_deref()
                .and_then(|l| m.choice_list(l))
                .map_or(0, |l| l.choices.len());
            let counts = self
                .slots
                .entry(s.key.clone())
                .or_insert_with(|| vec![0; size]);
            if let Some(c) = counts.get_mut(usize::from(*i)) {
                *c += 1;
            }
        }
    }

    /// The results per question, or nothing under the minimum of answers.
    pub fn results(
        &self,
        m: &impl ChoiceLists,
        instrument: &Instrument,
        lang: &str,
        minimum: u32,
    ) -> Option<Vec<FeedbackLine>> {
        if self.count < minimum.max(1) {
            return None;
        }
        let lines = instrument
            .slots
            .iter()
            .enumerate()
            .map(|(slot, s)| {
                let list = instrument
                    .slot_item(slot)
                    .choices
                    .as_deref()
                    .and_then(|l| m.choice_list(l));
                let counts = self.slots.get(&s.key).cloned().unwrap_or_default();
                let mut answered = 0;
                let mut agreeing = 0;
                let mut choices = Vec::new();
                if let Some(list) = list {
                    for (i, c) in list.choices.iter().enumerate() {
                        let n = counts.get(i).copied().unwrap_or(0);
                        if !c.missing {
                            answered += n;
                            if c.score.is_some_and(|s| s < 0.5) {
                                agreeing += n;
                            }
                        }
                        let words = if lang == "en" { &c.en } else { &c.ru };
                        choices.push((words.clone(), n));
                    }
                }
                FeedbackLine {
                    question: instrument.slot_label(slot, lang),
                    answered,
                    agreeing: (answered > 0).then(|| f64::from(agreeing) / f64::from(answered)),
                    choices,
                }
            })
            .collect();
        Some(lines)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::RawValue;

    fn raw(pairs: &[(&str, &str)]) -> crate::answers::RawAnswers {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), RawValue::One((*v).to_owned())))
            .collect()
    }

    #[test]
    fn feedback_is_summed_and_shown_only_from_the_minimum() {
        let m = Methodology::default_set().expect("default set");
        let f = m.feedback.as_ref().expect("the default set has feedback");
        let mut sums = FeedbackSums::default();
        let all = |v: &str| {
            raw(&[
                ("useful", v),
                ("apply", v),
                ("clear", v),
                ("time", v),
                ("more", v),
            ])
        };
        for v in ["4", "4", "3", "1"] {
            let answers = Answers::parse(&m, f, &all(v)).expect("valid answers");
            sums.add(&m, f, &answers);
        }
        let min = m.rules.min_respondents;
        assert_eq!(min, 5);
        assert!(
            sums.results(&m, f, "ru", min).is_none(),
            "four answers are under the minimum"
        );
        let answers = Answers::parse(&m, f, &all("na")).expect("«can't say» is an answer");
        sums.add(&m, f, &answers);
        let lines = sums.results(&m, f, "ru", min).expect("five answers");
        assert_eq!(lines.len(), 5);
        assert_eq!(lines[0].answered, 4);
        assert_eq!(lines[0].agreeing, Some(0.75));
        assert_eq!(lines[0].choices[0], ("Полностью согласен".to_owned(), 2));
        // A value outside the list is refused by the instrument engine.
        assert!(Answers::parse(&m, f, &all("7")).is_err());
    }
}
