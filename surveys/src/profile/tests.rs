//! Golden tests on a small methodology set whose profiles are computed by hand below.

use super::*;
use crate::answers::{RawAnswers, RawValue};
use crate::methodology::{SourceFile, DEFAULT_SET};

const FACTORS: &str = r#"
methodology = "orientir-2026"
[[factor]]
code = "RF01"
order = 1
name = { ru = "Оснащение", en = "Equipment" }
[[factor]]
code = "RF07"
order = 2
name = { ru = "Среда", en = "Climate" }
"#;

const INDICATORS: &str = r#"
methodology = "orientir-2026"
[[indicator]]
key = "comp"
factor = "RF01"
group = "principal"
aggregation = "value"
formula = "computers / students"
ok = 0.15
critical = 0.05
name = { ru = "к", en = "c" }
[[indicator]]
key = "safe"
factor = "RF01"
group = "student"
aggregation = "mean"
ok = 0.2
critical = 0.6
name = { ru = "б", en = "s" }
[[indicator]]
key = "bully"
factor = "RF07"
group = "student"
aggregation = "share"
at_risk_from = 0.6
ok = 0.1
critical = 0.5
name = { ru = "т", en = "b" }
[[indicator]]
key = "support"
factor = "RF07"
group = "principal"
aggregation = "value"
formula = "(extra_lessons + tutor) / 2"
ok = 0.0
critical = 1.0
weight = 3
name = { ru = "п", en = "p" }
"#;

const PRINCIPAL: &str = r#"
key = "principal"
methodology = "orientir-2026"
version = 1
group = "principal"
expected_minutes = 5
title = { ru = "Р", en = "P" }
[[section]]
key = "s"
title = { ru = "С", en = "S" }
items = [
  { key = "students", type = "integer", min = 1, max = 5000, ru = "у", en = "s" },
  { key = "computers", type = "integer", min = 0, max = 5000, ru = "к", en = "c" },
  { key = "migrants", type = "integer", min = 0, max = 5000, ru = "м", en = "m" },
  { key = "extra_lessons", type = "yes_no", choices = "yes_no", show_if = { item = "migrants", greater_than = 0 }, ru = "д", en = "e" },
  { key = "tutor", type = "yes_no", choices = "yes_no", show_if = { item = "migrants", greater_than = 0 }, ru = "т", en = "t" },
]
"#;

const STUDENT: &str = r#"
key = "student"
methodology = "orientir-2026"
version = 1
group = "student"
expected_minutes = 5
title = { ru = "У", en = "S" }
[[section]]
key = "s"
title = { ru = "С", en = "S" }
items = [
  { key = "safe", type = "likert", choices = "agree4", indicator = "safe", ru = "б", en = "s" },
  { key = "bullied", type = "frequency", choices = "frequency4", reverse = true, indicator = "bully", ru = "т", en = "b" },
]
"#;

fn mini() -> Methodology {
    mini_with(INDICATORS)
}

/// The results rules without the context rules (whose indicators the small set lacks).
const RESULTS_WITHOUT_CONTEXT: &str = "methodology = \"orientir-2026\"
min_participants = 5
objectivity_lowered = 0.3
[entry]
percentile = 75
subjects = 2
years = 2
[exit]
percentile = 50
years = 2
[peers]
min_schools = 5
size_below = [150]
[[peers.settlement]]
key = \"village\"
name = { ru = \"село\", en = \"village\" }
";

/// The small set with other indicators.
fn mini_with(indicators: &str) -> Methodology {
    let mut files: Vec<SourceFile<'_>> = DEFAULT_SET
        .iter()
        .filter(|f| {
            [
                "methodology.toml",
                "choices.toml",
                "deficits.toml",
                "management.toml",
                "iom.toml",
                "assessments.toml",
            ]
            .contains(&f.name)
        })
        .copied()
        .collect();
    files.extend([
        SourceFile {
            name: "factors.toml",
            text: FACTORS,
        },
        SourceFile {
            name: "indicators.toml",
            text: indicators,
        },
        SourceFile {
            name: "measures.toml",
            text: "methodology = \"orientir-2026\"\nmeasure = []\n",
        },
        SourceFile {
            name: "principal.toml",
            text: PRINCIPAL,
        },
        SourceFile {
            name: "results.toml",
            text: RESULTS_WITHOUT_CONTEXT,
        },
        SourceFile {
            name: "student.toml",
            text: STUDENT,
        },
    ]);
    Methodology::load(&files).unwrap_or_else(|e| panic!("{e}"))
}

fn response(m: &Methodology, group: Group, pairs: &[(&str, &str)]) -> Response {
    let raw: RawAnswers = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), RawValue::One((*v).to_owned())))
        .collect();
    let instrument = m.instrument(group).expect("instrument");
    Response {
        group,
        answers: Answers::parse(m, instrument, &raw).unwrap_or_else(|e| panic!("{e:?}")),
    }
}

/// safe: 4 3 2 1 na 4 → scores 0 .33 .67 1 – 0 (five answers, mean 0.4);
/// bullied (reversed): often sometimes rarely never never never → 1 .67 .33 0 0 0, at risk ≥ 0.6: 2 of 6.
fn six_students(m: &Methodology) -> Vec<Response> {
    [
        ("4", "often"),
        ("3", "sometimes"),
        ("2", "rarely"),
        ("1", "never"),
        ("na", "never"),
        ("4", "never"),
    ]
    .iter()
    .map(|(safe, bullied)| response(m, Group::Student, &[("safe", safe), ("bullied", bullied)]))
    .collect()
}

fn principal(m: &Methodology, migrants: &str, extra: &[(&str, &str)]) -> Response {
    let mut pairs = vec![
        ("students", "200"),
        ("computers", "26"),
        ("migrants", migrants),
    ];
    pairs.extend_from_slice(extra);
    response(m, Group::Principal, &pairs)
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

#[test]
fn a_school_with_enough_answers_gets_its_hand_computed_profile() {
    let m = mini();
    let mut responses = six_students(&m);
    responses.push(principal(
        &m,
        "12",
        &[("extra_lessons", "yes"), ("tutor", "no")],
    ));
    let p = Scorer::new(&m).profile(
        "s1",
        &Expected::default().with(Group::Student, 10),
        &responses,
    );

    // comp = 26/200 = 0.13 → risk (0.13 − 0.15)/(0.05 − 0.15) = 0.2
    let comp = p.indicator("comp").expect("comp");
    assert!(close(comp.value, 0.13) && close(comp.risk, 0.2), "{comp:?}");
    assert_eq!(comp.respondents, Some(1));
    // safe = (0 + 0.33 + 0.67 + 1 + 0)/5 = 0.4 → risk (0.4 − 0.2)/0.4 = 0.5, «na» not counted
    let safe = p.indicator("safe").expect("safe");
    assert!(close(safe.value, 0.4) && close(safe.risk, 0.5), "{safe:?}");
    assert_eq!(safe.respondents, Some(5));
    // bully = 2/6 → risk (1/3 − 0.1)/0.4 = 7/12
    let bully = p.indicator("bully").expect("bully");
    assert!(
        close(bully.value, 1.0 / 3.0) && close(bully.risk, 7.0 / 12.0),
        "{bully:?}"
    );
    // support = (yes 0 + no 1)/2 = 0.5 → risk 0.5
    assert!(close(p.indicator("support").expect("support").risk, 0.5));

    // RF01 = (0.2 + 0.5)/2 = 0.35 → medium; RF07 = (7/12 + 3 × 0.5)/4 = 0.5208… → high
    let rf01 = p.factor("RF01").expect("RF01");
    assert!(close(rf01.score, 0.35), "{rf01:?}");
    assert_eq!(rf01.level.as_deref(), Some("medium"));
    assert_eq!(rf01.indicators, vec!["comp", "safe"]);
    let rf07 = p.factor("RF07").expect("RF07");
    assert!(close(rf07.score, (7.0 / 12.0 + 1.5) / 4.0), "{rf07:?}");
    assert_eq!(rf07.level.as_deref(), Some("high"));

    let students = p
        .groups
        .iter()
        .find(|g| g.group == Group::Student)
        .expect("students");
    assert_eq!(
        (students.responses, students.expected, students.sufficient),
        (6, Some(10), true)
    );
    assert!(close(students.rate, 0.6));
}

#[test]
fn fewer_students_than_the_minimum_show_nothing_of_theirs() {
    let m = mini();
    let mut responses: Vec<Response> = six_students(&m).into_iter().take(4).collect();
    responses.push(principal(&m, "0", &[]));
    let p = Scorer::new(&m).profile(
        "s1",
        &Expected::default().with(Group::Student, 5),
        &responses,
    );
    for key in ["safe", "bully"] {
        let r = p.indicator(key).expect("indicator");
        assert_eq!(
            (r.value, r.risk, r.respondents, r.interval),
            (None, None, None, None),
            "{key} leaked"
        );
        assert_eq!(
            r.insufficient,
            Some(Insufficiency::TooFewRespondents { min: 5 })
        );
    }
    // RF01 rests on the principal's number alone; the hidden follow-ups count as no risk.
    let rf01 = p.factor("RF01").expect("RF01");
    assert!(close(rf01.score, 0.2));
    assert_eq!(rf01.level.as_deref(), Some("low"));
    assert!(close(p.indicator("support").expect("support").risk, 0.0));
    // RF07 keeps the principal's indicator only.
    assert_eq!(p.factor("RF07").expect("RF07").indicators, vec!["support"]);
}

#[test]
fn a_low_response_rate_makes_the_group_insufficient() {
    let m = mini();
    let responses = six_students(&m);
    let p = Scorer::new(&m).profile(
        "s1",
        &Expected::default().with(Group::Student, 20),
        &responses,
    );
    let safe = p.indicator("safe").expect("safe");
    assert_eq!(safe.value, None);
    assert_eq!(safe.respondents, Some(5));
    assert!(
        matches!(safe.insufficient, Some(Insufficiency::LowResponseRate { floor, .. }) if floor == 0.5)
    );
    // No principal either: every factor has «недостаточно данных».
    for f in &p.factors {
        assert_eq!((f.score, f.level.as_deref()), (None, None), "{}", f.code);
    }
}

#[test]
fn a_zero_denominator_is_missing_data_not_a_crash() {
    let m = mini();
    let instrument = m.instrument(Group::Principal).expect("principal");
    let mut answers = Answers::empty(instrument);
    answers.0[instrument.slot("students").expect("slot")] = Some(Answer::Number(0.0));
    answers.0[instrument.slot("computers").expect("slot")] = Some(Answer::Number(5.0));
    let responses = [Response {
        group: Group::Principal,
        answers,
    }];
    let p = Scorer::new(&m).profile("s1", &Expected::default(), &responses);
    assert_eq!(
        p.indicator("comp").expect("comp").insufficient,
        Some(Insufficiency::NoValue)
    );
}

mod properties;

#[test]
fn a_reversed_answer_exactly_on_at_risk_from_is_at_risk() {
    // «rarely» scores 0.67; reversed, 1 − 0.67 is 0.32999999999999996 in binary floating point.
    let m = mini_with(&INDICATORS.replace("at_risk_from = 0.6", "at_risk_from = 0.33"));
    let students: Vec<Response> = (0..6)
        .map(|_| response(&m, Group::Student, &[("safe", "4"), ("bullied", "rarely")]))
        .collect();
    let p = Scorer::new(&m).profile("s1", &Expected::default(), &students);
    let bully = p.indicator("bully").expect("bully");
    assert_eq!(
        (bully.value, bully.risk),
        (Some(1.0), Some(1.0)),
        "{bully:?}"
    );
    assert_eq!(
        p.factor("RF07").and_then(|f| f.level.as_deref()),
        Some("high")
    );
}

#[test]
fn a_score_on_a_level_cut_off_gets_the_higher_level_whatever_the_arithmetic() {
    let m = mini();
    // 0.7 − 0.2 is 0.49999999999999994, 0.1 + 0.2 + 0.2 is 0.5000000000000001: both are 0.5.
    for score in [0.7 - 0.2, 0.1 + 0.2 + 0.2, 0.5] {
        assert_eq!(m.rules.level(score).key, "high", "{score}");
    }
    assert_eq!(m.rules.level(0.4999).key, "medium");
}

#[test]
fn every_share_and_mean_carries_its_interval_and_the_factor_its_propagated_one() {
    let m = mini();
    let mut responses = six_students(&m);
    responses.push(principal(
        &m,
        "12",
        &[("extra_lessons", "yes"), ("tutor", "no")],
    ));
    let with = |expected: Option<u32>| {
        let e = expected.map_or(Expected::default(), |n| {
            Expected::default().with(Group::Student, n)
        });
        Scorer::new(&m).profile("s1", &e, &responses)
    };
    let p = with(None);
    // bully = 2/6: Wilson's 90 % interval (Newcombe's method 3 at z = 1.645).
    let bully = p.indicator("bully").expect("bully");
    let i = bully.interval.expect("interval");
    let expected = crate::stats::wilson(2, 6, 0.9, None);
    assert_eq!(i, expected);
    assert!(i.low < 1.0 / 3.0 && 1.0 / 3.0 < i.high);
    // Its risk interval maps the ends through ok/critical: (x − 0.1)/0.4, clamped.
    let r = bully.risk_interval.expect("risk interval");
    assert!(close(Some(r.low), ((i.low - 0.1) / 0.4).clamp(0.0, 1.0)));
    assert!(close(Some(r.high), ((i.high - 0.1) / 0.4).clamp(0.0, 1.0)));
    // safe = mean of 0, .33, .67, 1, 0: Student's t with 4 degrees of freedom.
    let safe = p.indicator("safe").expect("safe");
    let s = safe.interval.expect("interval");
    // Centred on 0.4 unless it reaches a bound of [0, 1], where it stops.
    assert!(
        s.low < 0.4 && 0.4 < s.high && s.low >= 0.0 && s.high <= 1.0,
        "{s:?}"
    );
    if s.low > 0.0 && s.high < 1.0 {
        assert!(close(Some((s.low + s.high) / 2.0), 0.4));
    }
    // The principal's numbers are exact: no interval.
    assert_eq!(p.indicator("comp").expect("comp").interval, None);
    // The factor's interval holds its score, and the levels it reaches include its own.
    for code in ["RF01", "RF07"] {
        let f = p.factor(code).expect("factor");
        let (score, i) = (f.score.expect("score"), f.interval.expect("interval"));
        assert!(i.low <= score && score <= i.high, "{f:?}");
        assert!(
            f.levels_within.contains(f.level.as_ref().expect("level")),
            "{f:?}"
        );
    }
    // RF01 = 0.35 rests on five students and a number: its interval reaches «низкий».
    let rf01 = p.factor("RF01").expect("RF01");
    assert!(rf01.unstable(), "{rf01:?}");
    assert_eq!(rf01.levels_within.first().map(|l| l.as_str()), Some("low"));
    // Six of ten students (a known population) narrow every interval; six of six is a census.
    let narrower = with(Some(10));
    let width = |p: &SchoolProfile| {
        let i = p
            .indicator("bully")
            .and_then(|b| b.interval)
            .expect("interval");
        i.high - i.low
    };
    assert!(width(&narrower) < width(&p));
    let census = with(Some(6));
    assert!(width(&census) < 1e-12);
    // An expected count of 0 is «not known», as no count is: the same intervals, no rate.
    let zero = with(Some(0));
    assert_eq!(
        zero.indicator("safe").and_then(|s| s.interval),
        p.indicator("safe").and_then(|s| s.interval)
    );
    assert!((width(&zero) - width(&p)).abs() < 1e-15);
    assert!(zero
        .groups
        .iter()
        .all(|g| g.expected.is_none() && g.rate.is_none()));
    // A mean's interval stays within [0, 1] however wide.
    for f in p.indicators.iter().filter_map(|i| i.interval) {
        assert!(
            (0.0..=1.0).contains(&f.low) && (0.0..=1.0).contains(&f.high),
            "{f:?}"
        );
    }
}

/// A code holder's figures carry noise (the same on every reading, new when the group changes),
/// its intervals are wider and still hold the figure; nobody else's do; and a group of 300 loses
/// less than 0.01 of precision.
#[test]
fn noise_blurs_a_small_group_for_a_code_holder_and_spares_a_large_one() {
    let m = mini();
    let scorer = Scorer::new(&m);
    let responses = six_students(&m);
    let mut tally = Tally::default();
    for (n, r) in responses.iter().enumerate() {
        scorer.add(&mut tally, r, n as i64);
    }
    let e = Expected::default();
    let exact = scorer.finish("s", &e, &tally);
    let seeds = |s: u64| {
        let mut seeds = crate::privacy::Seeds::default();
        seeds.0[Group::Student.index()] = Some(s);
        seeds
    };
    let noisy = scorer.finish_with_noise("s", &e, &tally, &seeds(42));
    assert_eq!(
        noisy,
        scorer.finish_with_noise("s", &e, &tally, &seeds(42)),
        "read again: the same"
    );
    let (a, b) = (
        exact.indicator("safe").expect("safe"),
        noisy.indicator("safe").expect("safe"),
    );
    assert_ne!(
        a.value, b.value,
        "a code holder reads the small group with noise"
    );
    let (ia, ib) = (a.interval.expect("interval"), b.interval.expect("interval"));
    assert!(ib.high - ib.low > ia.high - ia.low, "its interval is wider");
    let v = b.value.expect("value");
    assert!((0.0..=1.0).contains(&v) && ib.low <= v && v <= ib.high);
    // A large group: 300 students, its mean barely moved (over many seeds).
    let mut big = Tally::default();
    for n in 0..300 {
        scorer.add(&mut big, &responses[n % 6], n as i64);
    }
    let truth = scorer
        .finish("s", &e, &big)
        .indicator("safe")
        .and_then(|i| i.value)
        .expect("value");
    let error: f64 = (0..200u64)
        .map(|s| {
            let p = scorer.finish_with_noise("s", &e, &big, &seeds(s));
            (p.indicator("safe").and_then(|i| i.value).expect("value") - truth).abs()
        })
        .sum::<f64>()
        / 200.0;
    assert!(error < 0.01, "a group of 300 loses {error}");
}
