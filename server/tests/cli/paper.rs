//! The paper-data subcommands as a methodologist meets them: check-instruments, template, score.

use std::path::Path;
use std::process::{Command, Output};

fn orientir(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orientir"))
        .current_dir(dir)
        .env("ORIENTIR_LOG", "warn")
        .args(args)
        .output()
        .expect("binary runs")
}

fn default_set() -> String {
    format!(
        "{}/../surveys/data/orientir-2026",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn the_default_methodology_folder_checks_clean() {
    let dir = tempfile::tempdir().expect("dir");
    let out = orientir(dir.path(), &["check-instruments", &default_set()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("is valid (10 factors"));
}

#[test]
fn a_broken_methodology_folder_lists_every_problem_and_fails() {
    let dir = tempfile::tempdir().expect("dir");
    let set = dir.path().join("set");
    std::fs::create_dir(&set).expect("mkdir");
    for entry in std::fs::read_dir(default_set()).expect("read") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, set.join(path.file_name().expect("name"))).expect("copy");
    }
    let student = set.join("student.toml");
    let text = std::fs::read_to_string(&student).expect("read");
    let text = text.replace("choices = \"plans\"", "choices = \"plan\"").replace(
        "{ key = \"safe\", type = \"likert\", choices = \"agree4\", indicator = \"rf07_safety\"",
        "{ key = \"safe\", type = \"likert\", choices = \"agree4\", indicator = \"rf07_safety\", show_if = { item = \"plans\", equals = \"work\" }",
    );
    std::fs::write(&student, text).expect("write");
    let out = orientir(dir.path(), &["check-instruments", "set"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("student.toml: plans: unknown choice list `plan`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("student.toml: safe: show_if refers to `plans`, which comes later"),
        "{stderr}"
    );
}

#[test]
fn paper_responses_score_into_profiles_and_bad_rows_are_reported() {
    let dir = tempfile::tempdir().expect("dir");
    let responses = dir.path().join("responses");
    std::fs::create_dir(&responses).expect("mkdir");
    let out = orientir(
        dir.path(),
        &[
            "template",
            "--instrument",
            "parent",
            "--out",
            "responses/parent.csv",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let template = std::fs::read_to_string(responses.join("parent.csv")).expect("template");
    let header = template.lines().next().expect("header").to_owned();
    assert!(
        header.starts_with("school,meetings,teacher_contact,contact_ways,"),
        "{header}"
    );

    // Five good parents of s1, one with a bad value, one of an unknown school.
    let columns: Vec<&str> = header.split(',').collect();
    let row = |school: &str, overrides: &[(&str, &str)]| -> String {
        columns
            .iter()
            .map(|c| match *c {
                "school" => school.to_owned(),
                "contact_ways" => "meetings;messenger".to_owned(),
                "expect_education" => "college".to_owned(),
                "home_language_other" => "no".to_owned(),
                "help_offered" => "3".to_owned(),
                "parent_comment" => String::new(),
                c if ["child_safe", "child_likes", "education_matters"].contains(&c) => {
                    "3".to_owned()
                }
                c => overrides
                    .iter()
                    .find(|(k, _)| *k == c)
                    .map_or("sometimes", |(_, v)| v)
                    .to_owned(),
            })
            .collect::<Vec<_>>()
            .join(",")
    };
    let mut csv = template.clone();
    for _ in 0..5 {
        csv.push_str(&row("s1", &[]));
        csv.push('\n');
    }
    csv.push_str(&row("s1", &[("meetings", "каждый день")]));
    csv.push('\n');
    csv.push_str(&row("s9", &[]));
    csv.push('\n');
    // A second school with three parents: under the minimum of five.
    for _ in 0..3 {
        csv.push_str(&row("s2", &[]));
        csv.push('\n');
    }
    std::fs::write(responses.join("parent.csv"), csv).expect("write");
    std::fs::write(
        dir.path().join("params.toml"),
        "[[school]]\ncode = \"s1\"\nexpected = { parent = 10 }\n\n[[school]]\ncode = \"s2\"\nexpected = { parent = 4 }\n",
    )
    .expect("params");

    let out = orientir(
        dir.path(),
        &[
            "score",
            "--campaign-params",
            "params.toml",
            "--responses",
            "responses",
            "--out",
            "profiles.json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "parent.csv: line 7: column meetings: “каждый день” is not one of the options"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "parent.csv: line 8: column school: school «s9» is not in the campaign parameters"
        ),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("8 rows scored"));

    let profiles: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("profiles.json")).expect("out"),
    )
    .expect("json");
    // Five parents, 50 % of ten expected: over the 30 % floor. «sometimes» scores 0.33 on both
    // contact items and 0 for the chosen ways: (0.33 + 0.33 + 0)/3 = 0.22 → risk (0.22 − 0.2)/0.4.
    let contact = profiles[0]["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .find(|i| i["key"] == "rf09_contact")
        .expect("rf09_contact");
    assert_eq!(contact["respondents"], 5);
    let value = contact["value"].as_f64().expect("value");
    assert!((value - 0.22).abs() < 1e-9, "{value}");
    assert!((contact["risk"].as_f64().expect("risk") - 0.05).abs() < 1e-9);
    // Three parents are written as «under five», without a rate that would tell the count.
    let parents = profiles[1]["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .find(|g| g["group"] == "parent")
        .expect("the parents");
    assert_eq!(parents["responses"], "< 5", "{parents}");
    assert!(parents["rate"].is_null(), "{parents}");
}
