use super::*;
use crate::instrument::Group;

fn raw(pairs: &[(&str, &str)]) -> RawAnswers {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), RawValue::One((*v).to_owned())))
        .collect()
}

fn problems(m: &Methodology, group: Group, answers: &RawAnswers) -> Vec<(String, FieldProblem)> {
    let instrument = m.instrument(group).expect("instrument");
    match Answers::parse(m, instrument, answers) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.into_iter().map(|e| (e.key, e.problem)).collect(),
    }
}

fn principal_answers() -> Vec<(&'static str, &'static str)> {
    vec![
        ("students", "200"),
        ("students_failing", "10"),
        ("students_repeating", "1"),
        ("students_registered", "3"),
        ("students_special_needs", "5"),
        ("students_non_russian", "0"),
        ("teachers", "20"),
        ("vacancies", "0"),
        ("teachers_outside_specialisation", "2"),
        ("teachers_over_60", "3"),
        ("teachers_left", "1"),
        ("computers_for_students", "25"),
        ("internet_classrooms", "yes"),
        ("labs_equipped", "no"),
        ("library_updated", "yes"),
        ("mentoring_programme", "yes"),
        ("pd_plan", "yes"),
        ("methodical_days", "no"),
    ]
}

#[test]
fn a_complete_principal_submission_parses_and_round_trips() {
    let m = Methodology::default_set().expect("valid");
    let instrument = m.instrument(Group::Principal).expect("principal");
    let submitted = raw(&principal_answers());
    let answers = Answers::parse(&m, instrument, &submitted).expect("valid");
    assert_eq!(
        answers.get(instrument.slot("students").expect("slot")),
        Some(&Answer::Number(200.0))
    );
    assert_eq!(answers.to_raw(&m, instrument), submitted);
}

#[test]
fn skip_logic_hides_follow_ups_and_never_requires_them() {
    let m = Methodology::default_set().expect("valid");
    // No students with another home language: the two follow-ups are neither asked nor kept.
    let mut answers = principal_answers();
    answers.push(("language_lessons", "yes"));
    let instrument = m.instrument(Group::Principal).expect("principal");
    let parsed = Answers::parse(&m, instrument, &raw(&answers)).expect("valid");
    assert_eq!(
        parsed.get(instrument.slot("language_lessons").expect("slot")),
        None
    );
    // With such students the follow-ups become required.
    let mut answers = principal_answers();
    answers.retain(|(k, _)| *k != "students_non_russian");
    answers.push(("students_non_russian", "12"));
    let found = problems(&m, Group::Principal, &raw(&answers));
    assert_eq!(
        found,
        vec![
            ("language_lessons".to_owned(), FieldProblem::Required),
            ("tutor_support".to_owned(), FieldProblem::Required),
        ]
    );
}

#[test]
fn a_question_revealed_by_the_submitted_page_is_a_follow_up_not_an_omission() {
    let m = Methodology::default_set().expect("valid");
    let instrument = m.instrument(Group::Principal).expect("principal");
    let section = instrument.slots[instrument.slot("students_non_russian").expect("slot")].section;
    let before = raw(&principal_answers());
    let mut after = before.clone();
    after.insert(
        "students_non_russian".to_owned(),
        RawValue::One("12".to_owned()),
    );
    let (_, errors) = Answers::parse_page_over(&m, instrument, &before, &after, section);
    let found: Vec<_> = errors
        .iter()
        .map(|e| (e.key.as_str(), &e.problem))
        .collect();
    assert_eq!(
        found,
        [
            ("language_lessons", &FieldProblem::FollowUp),
            ("tutor_support", &FieldProblem::FollowUp),
        ]
    );
    // Shown already (the page was rendered with the condition holding): left blank is an omission.
    let (_, errors) = Answers::parse_page_over(&m, instrument, &after, &after, section);
    assert!(errors.iter().all(|e| e.problem == FieldProblem::Required));
    assert_eq!(errors.len(), 2);
}

#[test]
fn each_kind_of_bad_value_is_a_field_error() {
    let m = Methodology::default_set().expect("valid");
    let mut answers = principal_answers();
    answers.retain(|(k, _)| {
        ![
            "students",
            "teachers",
            "vacancies",
            "internet_classrooms",
            "pd_plan",
        ]
        .contains(k)
    });
    answers.extend([
        ("students", "двести"),
        ("teachers", "20.5"),
        ("vacancies", "500"),
        ("internet_classrooms", "maybe"),
    ]);
    answers.push(("favourite_colour", "blue"));
    let found = problems(&m, Group::Principal, &raw(&answers));
    assert_eq!(
        found,
        vec![
            ("favourite_colour".to_owned(), FieldProblem::UnknownKey),
            (
                "students".to_owned(),
                FieldProblem::NotANumber("двести".into())
            ),
            ("teachers".to_owned(), FieldProblem::NotWhole),
            (
                "vacancies".to_owned(),
                FieldProblem::OutOfRange {
                    min: 0.0,
                    max: 100.0
                }
            ),
            (
                "internet_classrooms".to_owned(),
                FieldProblem::NotAChoice("maybe".into())
            ),
            ("pd_plan".to_owned(), FieldProblem::Required),
        ]
    );
}

#[test]
fn multiple_choice_takes_several_values_but_not_none_with_others() {
    let m = Methodology::default_set().expect("valid");
    let instrument = m.instrument(Group::Parent).expect("parent");
    let slot = instrument.slot("contact_ways").expect("slot");
    let mut answers = RawAnswers::new();
    answers.insert(
        "contact_ways".into(),
        RawValue::Many(vec!["visits".into(), "meetings".into()]),
    );
    let mut errors = Vec::new();
    let parsed = Answers::parse_known(&m, instrument, &answers, &mut errors, |s| s == slot);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(parsed.get(slot), Some(&Answer::Choices(vec![0, 2])));
    answers.insert("contact_ways".into(), RawValue::One("none; visits".into()));
    let mut errors = Vec::new();
    Answers::parse_known(&m, instrument, &answers, &mut errors, |s| s == slot);
    assert_eq!(errors[0].problem, FieldProblem::ExclusiveCombined);
}

#[test]
fn matrix_rows_and_long_texts_are_checked() {
    let m = Methodology::default_set().expect("valid");
    let instrument = m.instrument(Group::Teacher).expect("teacher");
    let long = "я".repeat(501);
    let answers = raw(&[
        ("confidence.subject", "3"),
        ("confidence.methods", "7"),
        ("teacher_comment", &long),
    ]);
    let mut errors = Vec::new();
    let include = |s: usize| {
        instrument.slots[s].key.starts_with("confidence")
            || instrument.slots[s].key == "teacher_comment"
    };
    Answers::parse_known(&m, instrument, &answers, &mut errors, include);
    let found: Vec<_> = errors.into_iter().map(|e| (e.key, e.problem)).collect();
    assert_eq!(
        found,
        vec![
            (
                "confidence.methods".to_owned(),
                FieldProblem::NotAChoice("7".into())
            ),
            ("confidence.results".to_owned(), FieldProblem::Required),
            (
                "teacher_comment".to_owned(),
                FieldProblem::TooLong { max: 500 }
            ),
        ]
    );
}

#[test]
fn messages_speak_the_users_language() {
    let e = FieldError {
        key: "students".into(),
        problem: FieldProblem::OutOfRange {
            min: 1.0,
            max: 5000.0,
        },
    };
    assert_eq!(e.message("ru"), "Введите число от 1 до 5000");
    assert_eq!(e.message("en"), "Enter a number from 1 to 5000");
}

#[test]
fn a_draft_keeps_no_value_longer_than_its_field_allows() {
    let m = Methodology::default_set().expect("valid");
    let parent = m.instrument(Group::Parent).expect("parent");
    let comment = "x".repeat(10_000);
    let mut answers = raw(&[
        ("parent_comment", &comment),
        ("meetings", &"7".repeat(1_000)),
    ]);
    answers.insert(
        "teacher_contact".into(),
        RawValue::Many(vec!["a".to_owned(); 1_000]),
    );
    cut_values(parent, &mut answers, Cut::Others);
    let Some(RawValue::One(meetings)) = answers.get("meetings") else {
        panic!("meetings kept")
    };
    assert_eq!(
        meetings.chars().count(),
        41,
        "a number or choice stays refused, short"
    );
    assert!(meetings.ends_with('…'));
    let Some(RawValue::Many(many)) = answers.get("teacher_contact") else {
        panic!("many kept")
    };
    assert_eq!(many.len(), 64);
    // Texts are cut only by the second pass, after a too long text has been refused.
    assert_eq!(answers.get("parent_comment"), Some(&RawValue::One(comment)));
    cut_values(parent, &mut answers, Cut::Texts);
    let Some(RawValue::One(kept)) = answers.get("parent_comment") else {
        panic!("comment kept")
    };
    assert_eq!(kept.chars().count(), 500);
}

#[test]
fn numbers_are_digits_with_one_decimal_separator_and_nothing_else() {
    let m = Methodology::default_set().expect("valid");
    let instrument = m.instrument(Group::Principal).expect("principal");
    let parse = |key: &str, value: &str| {
        let item = instrument.slot_item(instrument.slot(key).expect("item"));
        parse_value(&m, item, &RawValue::One(value.to_owned()))
    };
    // `students` is whole; the comparison indicators use decimals elsewhere, checked below.
    for (good, n) in [
        ("400", 400.0),
        (" 400 ", 400.0),
        ("1 000", 1000.0),
        ("1\u{a0}000", 1000.0),
        ("1\u{202f}000", 1000.0),
        ("1 234", 1234.0),
    ] {
        assert_eq!(parse("students", good), Ok(Answer::Number(n)), "{good:?}");
    }
    // Groups of other sizes are not thousands: «4 00» could be 400 or 4 and 00 apart.
    for mangled in [
        "1e3", "1E3", "4e2", "400.0", "+400", "1e-0", "400,", "0x10", "4 00", "10 00", "1  000",
        "1 0000", "1000 000",
    ] {
        assert_eq!(
            parse("students", mangled),
            Err(FieldProblem::DigitsOnly(mangled.to_owned())),
            "{mangled}"
        );
    }
    assert_eq!(parse("students", "3.5"), Err(FieldProblem::NotWhole));
    assert_eq!(parse("students", "3,5"), Err(FieldProblem::NotWhole));
    assert_eq!(
        parse("students", "inf"),
        Err(FieldProblem::NotANumber("inf".into()))
    );
    let decimal = Item {
        kind: ItemKind::Decimal,
        min: None,
        max: None,
        ..instrument
            .slot_item(instrument.slot("students").expect("item"))
            .clone()
    };
    let number = |v: &str| parse_value(&m, &decimal, &RawValue::One(v.to_owned()));
    for (written, value) in [
        ("3,5", 3.5),
        ("3.5", 3.5),
        ("-0,25", -0.25),
        (",5", 0.5),
        ("7", 7.0),
        ("-1 000", -1000.0),
        ("1\u{a0}000,5", 1000.5),
    ] {
        assert_eq!(number(written), Ok(Answer::Number(value)), "{written}");
    }
    for refused in [
        "1e3",
        "+3.5",
        "3.5.1",
        "3,5,1",
        "NaN",
        ".",
        "-",
        "3 ,5e1",
        "3.",
        "3,",
        "1 000,5 5",
        "4 00,5",
    ] {
        assert_eq!(
            number(refused),
            Err(FieldProblem::NotANumber(refused.to_owned())),
            "{refused}"
        );
    }
}

#[test]
fn a_list_of_choices_has_no_empty_place_and_no_choice_twice() {
    let m = Methodology::default_set().expect("valid");
    let instrument = m.instrument(Group::Parent).expect("parent");
    let item = (0..instrument.slots.len())
        .map(|n| instrument.slot_item(n))
        .find(|i| i.kind == ItemKind::Multiple)
        .expect("a multiple-choice item");
    let list = m
        .choice_list(item.choices.as_deref().expect("choices"))
        .expect("list");
    let a = list
        .choices
        .iter()
        .find(|c| !c.exclusive)
        .expect("an option")
        .value
        .clone();
    let parse = |v: String| parse_value(&m, item, &RawValue::One(v));
    assert_eq!(parse(format!("{a};")), Err(FieldProblem::EmptyChoice));
    assert_eq!(parse(format!(";{a}")), Err(FieldProblem::EmptyChoice));
    assert_eq!(
        parse(format!("{a};{a}")),
        Err(FieldProblem::RepeatedChoice(a.clone()))
    );
    assert!(parse(a).is_ok());
}

#[test]
fn a_refused_value_is_quoted_back_cut_to_eighty_characters() {
    let m = Methodology::default_set().expect("valid");
    let instrument = m.instrument(Group::Principal).expect("principal");
    let item = instrument.slot_item(instrument.slot("internet_classrooms").expect("item"));
    let long = "ж".repeat(1_000_000);
    let Err(FieldProblem::NotAChoice(echo)) = parse_value(&m, item, &RawValue::One(long)) else {
        panic!("refused as not a choice");
    };
    assert_eq!(echo.chars().count(), 81, "80 characters and an ellipsis");
}

#[test]
fn stored_values_read_back_as_they_were_written() {
    let written: RawAnswers = [
        ("a".to_owned(), RawValue::One("да, \"так\"\nЁ".to_owned())),
        ("b".to_owned(), RawValue::Many(vec!["x".into(), "y".into()])),
        ("c".to_owned(), RawValue::Many(Vec::new())),
        ("d".to_owned(), RawValue::One(String::new())),
    ]
    .into_iter()
    .collect();
    let json = serde_json::to_string(&written).expect("json");
    let read: RawAnswers = serde_json::from_str(&json).expect("read back");
    assert_eq!(read, written);
    // Anything but text is refused, as the untagged enum refused it.
    assert!(serde_json::from_str::<RawAnswers>(r#"{"a": 3}"#).is_err());
    assert!(serde_json::from_str::<RawAnswers>(r#"{"a": [1]}"#).is_err());
    assert!(serde_json::from_str::<RawAnswers>(r#"{"a": null}"#).is_err());
}
