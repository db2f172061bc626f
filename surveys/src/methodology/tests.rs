use super::*;
use crate::instrument::Group;

fn replace(
    files: &[SourceFile<'static>],
    name: &str,
    text: &'static str,
) -> Vec<SourceFile<'static>> {
    files
        .iter()
        .map(|f| {
            if f.name == name {
                SourceFile { name: f.name, text }
            } else {
                *f
            }
        })
        .collect()
}

fn errors_of(files: &[SourceFile<'_>]) -> Vec<String> {
    Methodology::load(files)
        .expect_err("set is invalid")
        .0
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn the_default_set_loads_with_ten_factors_and_five_instruments() {
    let m = Methodology::default_set().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(m.version, "orientir-2026");
    assert_eq!(m.factors.len(), 10);
    for group in Group::ALL {
        assert!(m.instrument(group).is_some(), "no instrument for {group}");
    }
}

#[test]
fn every_factor_has_three_indicators_and_most_have_two_groups() {
    let m = Methodology::default_set().expect("valid");
    for f in &m.factors {
        let inds: Vec<_> = m.indicators.iter().filter(|i| i.factor == f.code).collect();
        assert!(inds.len() >= 3, "{} has {} indicators", f.code, inds.len());
        let groups: std::collections::HashSet<_> = inds.iter().map(|i| i.group).collect();
        assert!(groups.len() >= 2, "{} is fed by one group only", f.code);
    }
    for code in ["RF01", "RF02", "RF06", "RF08"] {
        assert!(
            m.indicators
                .iter()
                .any(|i| i.factor.0 == code && i.group == Group::Principal),
            "{code}"
        );
    }
}

#[test]
fn forms_stay_short() {
    let m = Methodology::default_set().expect("valid");
    for i in &m.instruments {
        assert!(
            (5..=15).contains(&i.expected_minutes),
            "{}: {} min",
            i.key,
            i.expected_minutes
        );
        assert!(
            i.slots.len() <= 45,
            "{} has {} questions",
            i.key,
            i.slots.len()
        );
    }
}

#[test]
fn item_problems_are_all_reported_with_file_and_key() {
    let student = r#"
key = "student"
methodology = "orientir-2026"
version = 1
group = "student"
expected_minutes = 5
title = { ru = "А", en = "A" }
[[section]]
key = "s"
title = { ru = "С", en = "S" }
items = [
  { key = "a", type = "likert", choices = "nope", indicator = "rf07_safety", ru = "а", en = "a" },
  { key = "b", type = "likert", choices = "agree4", indicator = "no_such", show_if = { item = "c", equals = "4" }, ru = "б", en = "b" },
  { key = "a", type = "likert", choices = "agree4", indicator = "rf02_overload", ru = "а", en = "a" },
  { key = "c", type = "integer", min = 10, max = 1, ru = "в", en = "c" },
]
"#;
    let errors = errors_of(&replace(&DEFAULT_SET, "student.toml", student));
    for expected in [
        "student.toml: a: unknown choice list `nope`",
        "student.toml: b: unknown indicator `no_such`",
        "student.toml: b: show_if refers to `c`, which comes later",
        "student.toml: a: indicator `rf02_overload` belongs to group teacher, not student",
        "student.toml: a: duplicate item key",
        "student.toml: c: min is above max",
        "indicators.toml: rf07_bullying: no item feeds this indicator",
    ] {
        assert!(
            errors.iter().any(|e| e == expected),
            "missing «{expected}» in {errors:#?}"
        );
    }
}

#[test]
fn indicator_and_rule_problems_are_reported() {
    let rules = r##"
methodology = "orientir-2026"
title = { ru = "М", en = "M" }
min_respondents = 2
[[level]]
key = "low"
below = 0.5
colour = "#00ff00"
name = { ru = "н", en = "l" }
[[level]]
key = "mid"
below = 0.25
colour = "green"
name = { ru = "с", en = "m" }
[[level]]
key = "high"
colour = "#ff0000"
name = { ru = "в", en = "h" }
"##;
    let indicators = DEFAULT_SET
        .iter()
        .find(|f| f.name == "indicators.toml")
        .expect("file")
        .text;
    let broken = indicators
        .replace(
            "formula = \"computers_for_students / students\"",
            "formula = \"computers / (students\"",
        )
        .replace(
            "formula = \"students_failing / students\"",
            "formula = \"students_failing / pupils\"",
        );
    let broken: &'static str = Box::leak(broken.into_boxed_str());
    let files = replace(
        &replace(&DEFAULT_SET, "methodology.toml", rules),
        "indicators.toml",
        broken,
    );
    let errors = errors_of(&files);
    for expected in [
        "methodology.toml: min_respondents: 2 is below the privacy floor of 3",
        "methodology.toml: mid: cut-off 0.25 is not above the previous 0.5",
        "methodology.toml: mid: colour `green` is not #rrggbb",
        "indicators.toml: rf01_computers_per_student: formula «computers / (students»: missing `)`",
        "indicators.toml: rf08_failing_share: formula refers to a missing or non-numeric item `pupils`",
    ] {
        assert!(errors.iter().any(|e| e == expected), "missing «{expected}» in {errors:#?}");
    }
}

#[test]
fn a_factor_without_indicators_and_a_missing_file_are_reported() {
    let factors = r#"
methodology = "orientir-2026"
[[factor]]
code = "RF11"
order = 11
name = { ru = "Новый", en = "New" }
"#;
    let mut files = replace(&DEFAULT_SET, "factors.toml", factors);
    files.retain(|f| f.name != "measures.toml");
    let errors = errors_of(&files);
    assert_eq!(errors, vec!["measures.toml: file is missing"]);
    let errors = errors_of(&replace(&DEFAULT_SET, "factors.toml", factors));
    assert!(
        errors.contains(&"factors.toml: RF11: the factor has no indicators".to_owned()),
        "{errors:#?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e
                .starts_with("indicators.toml: rf01_computers_per_student: unknown factor `RF01`")),
        "{errors:#?}"
    );
}

#[test]
fn syntax_errors_name_the_line() {
    let errors = errors_of(&replace(
        &DEFAULT_SET,
        "deficits.toml",
        "methodology = \"orientir-2026\"\nmin_teachers = [\n",
    ));
    assert!(
        errors[0].starts_with("deficits.toml: line 2"),
        "{errors:#?}"
    );
}

#[test]
fn the_iom_catalogue_is_checked_entry_by_entry() {
    let iom = r#"methodology = "orientir-2026"

[[entry]]
key = "twice"
areas = ["normative", "astrology"]
bands = ["pronounced", "mild"]
format = "course"
title = { ru = "к", en = "c" }
weeks = 4
goal = { ru = "ц", en = "g" }
evidence = { ru = "п", en = "e" }
link = "http://example.org/a course"

[[entry]]
key = "twice"
areas = []
bands = ["partial"]
format = "self_study"
title = { ru = "с", en = "s" }
weeks = 4
goal = { ru = "ц", en = "g" }
evidence = { ru = "п", en = "e" }

[[entry]]
key = "mixed"
areas = ["strategy", "digital"]
bands = ["partial"]
format = "self_study"
title = { ru = "с", en = "s" }
weeks = 4
goal = { ru = "ц", en = "g" }
evidence = { ru = "п", en = "e" }

[[entry]]
key = "bad key!"
areas = ["digital"]
bands = ["partial"]
format = "mentoring"
title = { ru = "н", en = "m" }
weeks = 4
goal = { ru = "ц", en = "g" }
evidence = { ru = "п", en = "e" }
"#;
    let errors = errors_of(&replace(&DEFAULT_SET, "iom.toml", iom)).join("\n");
    for expected in [
        "twice: `astrology` is no area of the teacher diagnostic",
        "mixed: `digital` is no area of the principal diagnostic",
        "twice: unknown band `mild`",
        "twice: a link is an `https://` address",
        "twice: a course names its hours and its provider",
        "twice: key used twice",
        "twice: addresses no deficit area",
        "bad key!: a key is 1–60 letters",
    ] {
        assert!(
            errors.contains(expected),
            "{expected} missing from:\n{errors}"
        );
    }
}

#[test]
fn each_diagnostic_has_its_own_areas_measured_by_its_own_instrument() {
    // A management area no item of the principals' diagnostic measures.
    let management = DEFAULT_SET
        .iter()
        .find(|f| f.name == "management.toml")
        .map(|f| f.text.replace("key = \"resources\"", "key = \"budgeting\""))
        .expect("management.toml");
    let errors = errors_of(&replace(&DEFAULT_SET, "management.toml", management.leak())).join("\n");
    for expected in [
        "management.toml: budgeting: no item of principal_management measures this area",
        "principal_management.toml: resources.budget: unknown deficit area `resources`",
    ] {
        assert!(
            errors.contains(expected),
            "{expected} missing from:\n{errors}"
        );
    }
    // A teacher's area is not the principals'.
    let principal = DEFAULT_SET
        .iter()
        .find(|f| f.name == "principal_management.toml")
        .map(|f| {
            f.text
                .replace("area = \"strategy\"", "area = \"normative\"")
        })
        .expect("principal_management.toml");
    let errors = errors_of(&replace(
        &DEFAULT_SET,
        "principal_management.toml",
        principal.leak(),
    ))
    .join("\n");
    assert!(
        errors.contains("management.toml: strategy: no item of principal_management measures"),
        "{errors}"
    );
    assert!(
        errors.contains("unknown deficit area `normative`"),
        "{errors}"
    );
}
