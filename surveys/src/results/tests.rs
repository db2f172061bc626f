use std::collections::BTreeMap;

use super::*;
use crate::methodology::{Methodology, SourceFile, DEFAULT_SET};

fn m() -> Methodology {
    Methodology::default_set().unwrap_or_else(|e| panic!("{e}"))
}

fn marks(two: u32, three: u32, four: u32, five: u32) -> Figures {
    Figures {
        participants: two + three + four + five,
        marks: Some([two, three, four, five]),
        ..Figures::default()
    }
}

#[test]
fn a_schools_results_keep_one_figure_per_assessment_and_year_in_order() {
    let mut mine = SchoolResults::new();
    mine.insert("vpr-rus-5", 2026, marks(1, 1, 1, 1));
    mine.insert("vpr-math-5", 2026, marks(2, 2, 2, 2));
    mine.insert("vpr-rus-5", 2025, marks(3, 3, 3, 3));
    mine.insert("vpr-rus-5", 2026, marks(4, 0, 0, 0));
    assert_eq!(mine.len(), 3);
    assert_eq!(
        mine.keys().collect::<Vec<_>>(),
        [
            ("vpr-math-5", 2026),
            ("vpr-rus-5", 2025),
            ("vpr-rus-5", 2026)
        ]
    );
    assert_eq!(mine.get("vpr-rus-5", 2026), Some(&marks(4, 0, 0, 0)));
    assert_eq!(mine.get("vpr-rus-5", 2025), Some(&marks(3, 3, 3, 3)));
    assert_eq!(mine.get("vpr-rus-5", 2024), None);
    assert_eq!(mine.get("vpr-rus-4", 2026), None);
    mine.retain(|key, year, _| key == "vpr-rus-5" && year == 2025);
    assert_eq!(mine.keys().collect::<Vec<_>>(), [("vpr-rus-5", 2025)]);
}

fn replaced(name: &str, text: &str) -> Vec<SourceFile<'static>> {
    let text: &'static str = Box::leak(text.to_owned().into_boxed_str());
    let name: &'static str = Box::leak(name.to_owned().into_boxed_str());
    let mut files: Vec<SourceFile<'static>> = DEFAULT_SET
        .iter()
        .filter(|f| f.name != name)
        .copied()
        .collect();
    files.push(SourceFile { name, text });
    files
}

fn errors(files: &[SourceFile<'_>]) -> Vec<String> {
    match Methodology::load(files) {
        Ok(_) => Vec::new(),
        Err(e) => e.0.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn the_default_catalogue_has_vpr_oge_and_ege() {
    let m = m();
    let r = &m.results;
    for kind in [
        AssessmentKind::Vpr,
        AssessmentKind::Oge,
        AssessmentKind::Ege,
    ] {
        assert!(r.assessments.iter().any(|a| a.kind == kind), "{kind:?}");
    }
    let ege = r.assessment("ege-rus").expect("ЕГЭ русский");
    assert_eq!((ege.max_score, ege.pass_score), (Some(100), Some(24)));
    let vpr = r.assessment("vpr-math-5").expect("ВПР математика 5");
    assert!(!vpr.scored());
    assert_eq!(r.assessment_name(vpr, "ru"), "ВПР, Математика, 5 класс");
    assert_eq!(r.assessment_name(vpr, "en"), "VPR, Mathematics, grade 5");
}

#[test]
fn results_files_leave_the_scoring_fingerprint_alone() {
    let base = m();
    let more = Methodology::load(&replaced(
        "assessments_region.toml",
        "methodology = \"orientir-2026\"\n[[assessment]]\nkey = \"rd-read-3\"\nkind = \"regional\"\nsubject = \"rus\"\ngrade = 3\n",
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(base.fingerprint, more.fingerprint);
    assert!(
        more.results.assessment("rd-read-3").is_some(),
        "a region's own file is read"
    );
    assert_eq!(
        more.instruments.len(),
        base.instruments.len(),
        "not an instrument"
    );
}

#[test]
fn every_problem_of_the_results_files_is_reported_at_once() {
    let mut files = replaced(
        "assessments_region.toml",
        "methodology = \"orientir-2026\"\n\
         [[assessment]]\nkey = \"vpr-rus-4\"\nkind = \"regional\"\nsubject = \"nope\"\ngrade = 14\nmax_score = 10\n\
         [[assessment]]\nkey = \"bad key\"\nkind = \"regional\"\nsubject = \"rus\"\nmax_score = 10\npass_score = 11\n",
    );
    let rules = DEFAULT_SET
        .iter()
        .find(|f| f.name == "results.toml")
        .expect("results.toml")
        .text
        .replace("min_participants = 5", "min_participants = 1")
        .replace("percentile = 75", "percentile = 175")
        .replace("\"rf08_special_needs\"", "\"rf07_safety\"");
    let rules: &'static str = Box::leak(rules.into_boxed_str());
    files.retain(|f| f.name != "results.toml");
    files.push(SourceFile {
        name: "results.toml",
        text: rules,
    });
    let all = errors(&files).join("\n");
    for expected in [
        "results.toml: min_participants: 1 is below the privacy floor",
        "results.toml: entry.percentile: must be a percentile",
        "results.toml: rf07_safety: context: only the principal's indicators",
        "assessments.toml: vpr-rus-4: assessment key used twice",
        "assessments.toml: vpr-rus-4: subject `nope` is not in any [[subject]]",
        "assessments.toml: vpr-rus-4: grade must be 1 to 11",
        "assessments.toml: vpr-rus-4: a scored assessment states both",
        "assessments.toml: bad key: the key may hold only",
        "assessments.toml: bad key: max_score must be positive and pass_score at most",
    ] {
        assert!(all.contains(expected), "missing «{expected}» in:\n{all}");
    }
    let missing: Vec<_> = DEFAULT_SET
        .iter()
        .filter(|f| f.name != "assessments.toml")
        .copied()
        .collect();
    assert!(errors(&missing)
        .iter()
        .any(|e| e == "assessments.toml: file is missing"));
}

#[test]
fn indicators_of_marks_with_their_intervals() {
    let m = m();
    let r = &m.results;
    let a = r.assessment("vpr-math-5").expect("assessment");
    let f = marks(5, 10, 3, 2);
    let fail = estimate(r, a, &f, ResultIndicator::Fail, 0.9).expect("shown");
    assert!((fail.value - 0.25).abs() < 1e-12);
    let i = fail.interval.expect("Wilson");
    assert!(
        i.low < 0.25 && i.high > 0.25 && i.low > 0.1 && i.high < 0.45,
        "{i:?}"
    );
    let mean = estimate(r, a, &f, ResultIndicator::Mean, 0.9).expect("mean");
    assert!((mean.value - (10.0 + 30.0 + 12.0 + 10.0) / 20.0).abs() < 1e-12);
    let i = mean.interval.expect("t interval");
    assert!(i.low > 2.0 && i.high < 5.0 && i.low < mean.value && mean.value < i.high);
    let five = estimate(r, a, &f, ResultIndicator::Mark(5), 0.9).expect("share of 5");
    assert!((five.value - 0.1).abs() < 1e-12);
    assert!(
        estimate(r, a, &f, ResultIndicator::Lowered, 0.9).is_none(),
        "no comparison given"
    );
}

#[test]
fn fewer_participants_than_the_minimum_show_nothing() {
    let m = m();
    let r = &m.results;
    let a = r.assessment("vpr-math-5").expect("assessment");
    assert_eq!(r.min_participants, 5);
    assert!(estimate(r, a, &marks(1, 1, 1, 1), ResultIndicator::Fail, 0.9).is_none());
    assert!(estimate(r, a, &marks(1, 1, 1, 2), ResultIndicator::Fail, 0.9).is_some());
}

#[test]
fn a_scored_assessment_reads_below_the_pass_score_and_the_mean_as_a_share() {
    let m = m();
    let r = &m.results;
    let a = r.assessment("ege-rus").expect("assessment");
    let f = Figures {
        participants: 20,
        below_pass: Some(2),
        mean_score: Some(62.0),
        ..Figures::default()
    };
    let fail = estimate(r, a, &f, ResultIndicator::Fail, 0.9).expect("fail");
    assert!((fail.value - 0.1).abs() < 1e-12);
    let mean = estimate(r, a, &f, ResultIndicator::Mean, 0.9).expect("mean");
    assert!((mean.value - 0.62).abs() < 1e-12);
    assert!(!a.indicators().contains(&ResultIndicator::Mark(5)));
}

#[test]
fn objectivity_is_flagged_from_the_methodology_share_exactly() {
    let m = m();
    let r = &m.results;
    let a = r.assessment("vpr-rus-5").expect("assessment");
    let with = |lowered: u32, confirmed: u32| Figures {
        objectivity: Some([lowered, confirmed, 0]),
        ..marks(2, 4, 3, 1)
    };
    assert!((r.objectivity_lowered - 0.3).abs() < 1e-12);
    assert!(
        objectivity_flag(r, a, &with(3, 7), 0.9),
        "3 of 10 is on the threshold"
    );
    assert!(
        !objectivity_flag(r, a, &with(2, 8), 0.9),
        "2 of 10 is below"
    );
}

#[test]
fn year_on_year_change_is_significant_only_beyond_the_uncertainty() {
    let m = m();
    let r = &m.results;
    let a = r.assessment("vpr-math-5").expect("assessment");
    let fail = |f: &Figures| estimate(r, a, f, ResultIndicator::Fail, 0.9).expect("fail");
    let small_before = fail(&marks(3, 4, 2, 1));
    let small_after = fail(&marks(2, 5, 2, 1));
    assert_eq!(
        trend(ResultIndicator::Fail, &small_before, &small_after),
        Some(Trend::WithinError)
    );
    let big_before = fail(&marks(60, 80, 40, 20));
    let big_after = fail(&marks(10, 100, 60, 30));
    assert_eq!(
        trend(ResultIndicator::Fail, &big_before, &big_after),
        Some(Trend::Improved)
    );
    assert_eq!(
        trend(ResultIndicator::Fail, &big_after, &big_before),
        Some(Trend::Worsened)
    );
}

#[test]
fn percentiles_interpolate_between_ranks() {
    assert_eq!(percentile(&[], 50.0), None);
    assert_eq!(percentile(&[0.3], 75.0), Some(0.3));
    assert_eq!(percentile(&[0.4, 0.1, 0.2, 0.3], 50.0), Some(0.25));
    assert_eq!(percentile(&[0.1, 0.2, 0.3, 0.4, 0.5], 75.0), Some(0.4));
    assert_eq!(percentile(&[0.1, 0.2, 0.3, 0.4, 0.5], 100.0), Some(0.5));
}

/// Eight schools; s0…s7 with shares of «2» of k/20 in two subjects (k = the school's number).
fn region(years: &[u16]) -> BTreeMap<String, SchoolResults> {
    let mut all = BTreeMap::new();
    for s in 0..8u32 {
        let mut mine = SchoolResults::new();
        for &y in years {
            for key in ["vpr-rus-5", "vpr-math-5"] {
                mine.insert(key, y, marks(s, 20 - s, 0, 0));
            }
        }
        all.insert(format!("s{s}"), mine);
    }
    all
}

#[test]
fn entry_needs_two_subjects_above_the_percentile_two_years_running() {
    let m = m();
    let r = &m.results;
    let all = region(&[2025, 2026]);
    let none = BTreeMap::new();
    let groups = peer_groups(r, &none);
    // The 75th percentile of 0/20 … 7/20 is 5.25/20: s6 and s7 are above it, s5 is not.
    let c = candidates(r, &all, &none, &groups, 2026, 0.9);
    let entering: Vec<&str> = c
        .iter()
        .filter(|c| c.enters)
        .map(|c| c.school.as_str())
        .collect();
    assert_eq!(entering, ["s6", "s7"]);
    let s7 = c.iter().find(|c| c.school == "s7").expect("s7");
    assert_eq!(
        s7.reasons
            .iter()
            .filter(|r| matches!(r, Reason::HighFail { .. }))
            .count(),
        4,
        "two subjects in two years: {:?}",
        s7.reasons
    );
    // One year only: nobody enters.
    let one = region(&[2026]);
    assert!(candidates(r, &one, &none, &groups, 2026, 0.9)
        .iter()
        .all(|c| !c.enters));
    // One subject only: nobody enters.
    let mut single = all.clone();
    for results in single.values_mut() {
        results.retain(|key, _, _| key == "vpr-rus-5");
    }
    assert!(candidates(r, &single, &none, &groups, 2026, 0.9)
        .iter()
        .all(|c| !c.enters));
}

#[test]
fn a_school_on_the_percentile_does_not_enter() {
    let m = m();
    let mut r = m.results.clone();
    // Nine schools with 0 … 8 of 20: the 75th percentile is 6/20, s6's own figure.
    let mut all = region(&[2025, 2026]);
    let mut s8 = SchoolResults::new();
    for y in [2025, 2026] {
        for key in ["vpr-rus-5", "vpr-math-5"] {
            s8.insert(key, y, marks(8, 12, 0, 0));
        }
    }
    all.insert("s8".into(), s8);
    r.entry.percentile = 75.0;
    let none = BTreeMap::new();
    let c = candidates(&r, &all, &none, &peer_groups(&r, &none), 2026, 0.9);
    let entering: Vec<&str> = c
        .iter()
        .filter(|c| c.enters)
        .map(|c| c.school.as_str())
        .collect();
    assert_eq!(entering, ["s7", "s8"]);
}

#[test]
fn leaving_the_list_needs_every_shown_share_at_or_below_the_exit_percentile() {
    let m = m();
    let r = &m.results;
    let all = region(&[2025, 2026]);
    // The median of 0 … 7 is 3.5/20: s0 … s3 leave.
    let out: Vec<String> = exits(r, &all, 2026).into_iter().collect();
    assert_eq!(out, ["s0", "s1", "s2", "s3"]);
    // Without the earlier year nobody has the years the rule asks for.
    assert!(exits(r, &region(&[2026]), 2026).is_empty());
}

#[test]
fn objectivity_and_conditions_are_reasons_of_their_own() {
    let m = m();
    let r = &m.results;
    let mut all = region(&[2026]);
    all.get_mut("s1")
        .expect("s1")
        .get_mut("vpr-rus-5", 2026)
        .expect("figures")
        .objectivity = Some([10, 10, 0]);
    let mut contexts = BTreeMap::new();
    contexts.insert(
        "s1".to_owned(),
        Context {
            indicators: [("rf08_special_needs".to_owned(), 0.2)].into(),
            ..Context::default()
        },
    );
    let c = candidates(r, &all, &contexts, &peer_groups(r, &contexts), 2026, 0.9);
    assert_eq!(c.len(), 1);
    assert!(!c[0].enters);
    assert!(matches!(c[0].reasons[0], Reason::Objectivity { .. }));
    assert!(
        matches!(&c[0].reasons[1], Reason::Conditions { indicator, .. } if indicator == "rf08_special_needs")
    );
}

#[test]
fn peer_groups_widen_until_they_hold_the_minimum() {
    let m = m();
    let r = &m.results;
    let mut contexts = BTreeMap::new();
    for i in 0..6 {
        contexts.insert(
            format!("v{i}"),
            Context {
                settlement: Some("village".into()),
                students: Some(if i < 5 { 80 } else { 400 }),
                ..Context::default()
            },
        );
    }
    for i in 0..3 {
        contexts.insert(
            format!("c{i}"),
            Context {
                settlement: Some("city".into()),
                students: Some(900),
                ..Context::default()
            },
        );
    }
    let groups = peer_groups(r, &contexts);
    let v0 = &groups["v0"];
    assert_eq!(
        v0.size_band,
        Some(Some(0)),
        "five small village schools keep their size"
    );
    assert_eq!(v0.schools.len(), 5);
    let v5 = &groups["v5"];
    assert_eq!(
        v5.size_band, None,
        "one middle-sized village school loses the size"
    );
    assert_eq!(v5.settlement, Some(Some("village".into())));
    assert_eq!(v5.schools.len(), 6);
    let c0 = &groups["c0"];
    assert_eq!(
        c0.settlement, None,
        "three city schools are compared with the region"
    );
    assert_eq!(c0.schools.len(), 9);
    // The members are one list per group, not one per school (a region of 10,000 schools in one
    // group would otherwise hold 10,000 lists of 10,000 codes).
    assert!(std::sync::Arc::ptr_eq(&v0.schools, &groups["v1"].schools));
    assert!(std::sync::Arc::ptr_eq(&c0.schools, &groups["c2"].schools));
    assert!(!std::sync::Arc::ptr_eq(&v0.schools, &v5.schools));
    assert_eq!(v0.key(), groups["v4"].key());
    assert_ne!(v0.key(), v5.key());
}

#[test]
fn a_school_better_than_its_peers_is_marked_though_below_the_region() {
    let m = m();
    let r = &m.results;
    let mut all = BTreeMap::new();
    let mut contexts = BTreeMap::new();
    // Five village schools with many «2» (8…12 of 20; v0 the best) and five city schools with few.
    for i in 0..5u32 {
        let mut v = SchoolResults::new();
        v.insert(
            "vpr-rus-5",
            2026,
            marks(if i == 0 { 2 } else { 8 + i }, 18 - i, 0, 0),
        );
        all.insert(format!("v{i}"), v);
        contexts.insert(
            format!("v{i}"),
            Context {
                settlement: Some("village".into()),
                ..Context::default()
            },
        );
        let mut c = SchoolResults::new();
        c.insert("vpr-rus-5", 2026, marks(i, 20 - i, 0, 0));
        all.insert(format!("c{i}"), c);
        contexts.insert(
            format!("c{i}"),
            Context {
                settlement: Some("city".into()),
                ..Context::default()
            },
        );
    }
    let groups = peer_groups(r, &contexts);
    let at = |s: &str| {
        let group = groups.get(s).unwrap_or(&groups["v0"]);
        peer_position(
            r,
            &all,
            group,
            s,
            "vpr-rus-5",
            2026,
            ResultIndicator::Fail,
            0.9,
        )
    };
    let v1 = at("v1").expect("a group of five");
    assert_eq!((v1.place, v1.of), (2, 5));
    assert!(v1.below_region && !v1.better_than_peers);
    // v0 has 2/20 and a wide interval: better than the village median of 10/20 beyond it.
    let v0 = at("v0").expect("v0");
    assert_eq!(v0.place, 1);
    assert!(v0.better_than_peers);
    assert!(at("nobody").is_none());
}

#[test]
fn results_targets_are_judged_with_their_uncertainty() {
    use crate::programme::Achievement;
    let m = m();
    let r = &m.results;
    let a = r.assessment("vpr-math-5").expect("assessment");
    let later = estimate(r, a, &marks(10, 60, 20, 10), ResultIndicator::Fail, 0.9);
    let v = judge_target(ResultIndicator::Fail, 0.2, later.as_ref());
    assert_eq!(v.achievement, Achievement::Achieved);
    assert_eq!(v.beyond_uncertainty, Some(true));
    let v = judge_target(ResultIndicator::Fail, 0.05, later.as_ref());
    assert_eq!(v.achievement, Achievement::NotAchieved);
    let v = judge_target(ResultIndicator::Fail, 0.11, later.as_ref());
    assert_eq!(
        v.beyond_uncertainty,
        Some(false),
        "0.10 with its interval straddles 0.11"
    );
    let v = judge_target(ResultIndicator::Mean, 3.5, None);
    assert_eq!(v.achievement, Achievement::InsufficientData);
}

/// Not a test: the selection's cost at a region's size (1,000 schools × 51 assessments × 3 years),
/// run with `cargo test --release -p surveys -- --ignored selection_at_a_regions_size --nocapture`.
#[test]
#[ignore]
fn selection_at_a_regions_size() {
    let m = m();
    let r = &m.results;
    let mut all = BTreeMap::new();
    let mut contexts = BTreeMap::new();
    for s in 0..1000u32 {
        let mut mine = SchoolResults::new();
        for year in [2024, 2025, 2026] {
            for (i, a) in r.assessments.iter().take(51).enumerate() {
                let n = 10 + (s * 7 + i as u32 * 3 + u32::from(year)) % 50;
                let two = (s * 13 + i as u32) % (n / 2 + 1);
                let rest = n - two;
                let f = if a.scored() {
                    Figures {
                        participants: n,
                        below_pass: Some(two),
                        mean_score: Some(60.0),
                        ..Figures::default()
                    }
                } else {
                    Figures {
                        objectivity: Some([two, n - two, 0]),
                        ..marks(two, rest / 2, rest / 4, rest - rest / 2 - rest / 4)
                    }
                };
                mine.insert(a.key.as_str(), year, f);
            }
        }
        all.insert(format!("s{s:04}"), mine);
        contexts.insert(
            format!("s{s:04}"),
            Context {
                settlement: Some("village".into()),
                students: Some(100 + s),
                ..Context::default()
            },
        );
    }
    let started = std::time::Instant::now();
    let groups = peer_groups(r, &contexts);
    let grouped = started.elapsed();
    let c = candidates(r, &all, &contexts, &groups, 2026, 0.9);
    let selected = started.elapsed();
    let e = exits(r, &all, 2026);
    let exited = started.elapsed();
    let mut positions = 0;
    for a in r.assessments.iter().take(51) {
        for i in a.indicators() {
            positions += usize::from(
                peer_position(r, &all, &groups["s0001"], "s0001", &a.key, 2026, i, 0.9).is_some(),
            );
        }
    }
    let card = started.elapsed();
    println!(
        "peer groups {grouped:?}; candidates {:?} ({} schools, {} entering); exits {:?} ({}); one card's peer positions {:?} ({positions})",
        selected - grouped,
        c.len(),
        c.iter().filter(|c| c.enters).count(),
        exited - selected,
        e.len(),
        card - exited,
    );
}
