//! The rules of one questionnaire as the browser gets them: the instrument and the choice lists
//! it uses, so that instant validation and live conditions run the very code the server runs
//! (`Answers::parse_page`, `Answers::is_shown`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::answers::ChoiceLists;
use crate::instrument::{ChoiceList, Instrument};
use crate::methodology::Methodology;

/// One instrument with its choice lists, self-contained and serializable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "Shipped")]
pub struct FormRules {
    instrument: Instrument,
    choice_lists: BTreeMap<String, ChoiceList>,
}

/// What travels: the slots are computed again on arrival.
#[derive(Deserialize)]
struct Shipped {
    instrument: Instrument,
    choice_lists: BTreeMap<String, ChoiceList>,
}

impl From<Shipped> for FormRules {
    fn from(shipped: Shipped) -> FormRules {
        let mut instrument = shipped.instrument;
        instrument.index_slots();
        FormRules {
            instrument,
            choice_lists: shipped.choice_lists,
        }
    }
}

impl FormRules {
    /// The rules of `instrument`, with only the choice lists its items name.
    pub fn new(m: &Methodology, instrument: &Instrument) -> FormRules {
        let choice_lists = instrument
            .sections
            .iter()
            .flat_map(|s| s.items.iter())
            .filter_map(|item| item.choices.as_deref())
            .filter_map(|key| Some((key.to_owned(), m.choice_list(key)?.clone())))
            .collect();
        FormRules {
            instrument: instrument.clone(),
            choice_lists,
        }
    }

    pub fn instrument(&self) -> &Instrument {
        &self.instrument
    }
}

impl ChoiceLists for FormRules {
    fn choice_list(&self, key: &str) -> Option<&ChoiceList> {
        self.choice_lists.get(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::{replace_page, Answers, RawAnswers};
    use crate::instrument::Group;

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    /// Shipped as JSON and read back, the rules refuse and accept exactly what the methodology does.
    #[test]
    fn shipped_rules_judge_a_page_as_the_server_does() {
        let m = Methodology::default_set().expect("default set");
        let instrument = m.instrument(Group::Principal).expect("principal");
        let json = serde_json::to_string(&FormRules::new(&m, instrument)).expect("serialize");
        let rules: FormRules = serde_json::from_str(&json).expect("deserialize");
        assert_eq!(rules.instrument().slots, instrument.slots);
        for submitted in [
            fields(&[("students", "двести"), ("students_non_russian", "12")]),
            fields(&[("students", "200"), ("students_non_russian", "0")]),
            fields(&[("students", "200.5"), ("students_failing", "-1")]),
        ] {
            let mut raw = RawAnswers::new();
            replace_page(instrument, &mut raw, 0, submitted);
            let on_server = Answers::parse_page(&m, instrument, &raw, 0);
            let in_browser = Answers::parse_page(&rules, rules.instrument(), &raw, 0);
            assert_eq!(on_server, in_browser);
            assert!(
                !on_server.1.is_empty(),
                "every example misses required answers"
            );
        }
        let follow_up = instrument.sections[0]
            .items
            .iter()
            .find(|i| i.key == "language_lessons")
            .expect("follow-up item");
        let mut raw = RawAnswers::new();
        replace_page(
            instrument,
            &mut raw,
            0,
            fields(&[("students_non_russian", "12")]),
        );
        let (answers, _) = Answers::parse_page(&rules, rules.instrument(), &raw, 0);
        assert!(answers.is_shown(&rules, rules.instrument(), follow_up));
        replace_page(
            instrument,
            &mut raw,
            0,
            fields(&[("students_non_russian", "0")]),
        );
        let (answers, _) = Answers::parse_page(&rules, rules.instrument(), &raw, 0);
        assert!(!answers.is_shown(&rules, rules.instrument(), follow_up));
    }

    #[test]
    fn only_the_lists_the_instrument_names_are_shipped() {
        let m = Methodology::default_set().expect("default set");
        let instrument = m.instrument(Group::Student).expect("student");
        let rules = FormRules::new(&m, instrument);
        assert!(!rules.choice_lists.is_empty());
        assert!(rules.choice_lists.len() < m.choice_lists.len());
    }

    #[test]
    fn replacing_a_page_clears_unticked_boxes_and_keeps_other_pages() {
        let m = Methodology::default_set().expect("default set");
        let instrument = m.instrument(Group::Principal).expect("principal");
        let mut raw = RawAnswers::new();
        replace_page(instrument, &mut raw, 0, fields(&[("students", "200")]));
        replace_page(
            instrument,
            &mut raw,
            1,
            fields(&[("teachers", "20"), ("students", "1")]),
        );
        assert_eq!(raw.len(), 2, "a field of another page is ignored: {raw:?}");
        replace_page(instrument, &mut raw, 0, fields(&[]));
        assert_eq!(raw.keys().collect::<Vec<_>>(), ["teachers"]);
    }
}
