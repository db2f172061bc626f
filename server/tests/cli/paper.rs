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

/// A questionnaire row that parses: the first real option of every choice item, the smallest
/// allowed number (at least 1), text left empty.
fn valid_row(instrument: &surveys::Instrument, school: &str) -> Vec<String> {
    let m = surveys::Methodology::default_set().expect("methodology");
    std::iter::once(school.to_owned())
        .chain((0..instrument.slots.len()).map(|n| {
            let item = instrument.slot_item(n);
            match item.kind {
                surveys::ItemKind::Integer | surveys::ItemKind::Decimal => {
                    format!("{}", item.min.unwrap_or(0.0).max(1.0))
                }
                surveys::ItemKind::Text => String::new(),
                _ => item
                    .choices
                    .as_deref()
                    .and_then(|l| m.choice_list(l))
                    .and_then(|l| l.choices.iter().find(|c| !c.missing && !c.exclusive))
                    .map(|c| c.value.clone())
                    .unwrap_or_default(),
            }
        }))
        .collect()
}

fn header(instrument: &surveys::Instrument) -> Vec<String> {
    std::iter::once("school".to_owned())
        .chain(instrument.slots.iter().map(|s| s.key.clone()))
        .collect()
}

fn csv_line(cells: &[String]) -> String {
    let mut line = cells.join(",");
    line.push('\n');
    line
}

/// Scores `files` (name, bytes) with `params` in a fresh folder.
fn score_files(files: &[(&str, Vec<u8>)], params: &str) -> (Output, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("dir");
    let responses = dir.path().join("responses");
    std::fs::create_dir(&responses).expect("mkdir");
    for (name, bytes) in files {
        std::fs::write(responses.join(name), bytes).expect("write");
    }
    std::fs::write(dir.path().join("params.toml"), params).expect("params");
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
    (out, dir)
}

const PARAMS: &str = "[[school]]\ncode = \"s1\"\n\n[[school]]\ncode = \"s2\"\n";

#[test]
fn bad_files_and_rows_are_named_and_nothing_is_scored_silently() {
    let m = surveys::Methodology::default_set().expect("methodology");
    let instrument = |g| m.instrument(g).expect("instrument");
    let (principal, parent, student, teacher) = (
        instrument(surveys::Group::Principal),
        instrument(surveys::Group::Parent),
        instrument(surveys::Group::Student),
        instrument(surveys::Group::Teacher),
    );
    // principal.csv: two questionnaires for s1.
    let mut principals = csv_line(&header(principal));
    principals.push_str(&csv_line(&valid_row(principal, "s1")));
    principals.push_str(&csv_line(&valid_row(principal, "s1")));
    // parent.csv: a good row, a row with a cell too many, a choice twice, an unclosed quote.
    let mut parents = csv_line(&header(parent));
    parents.push_str(&csv_line(&valid_row(parent, "s1")));
    let mut long = valid_row(parent, "s1");
    long.push("shifted".into());
    parents.push_str(&csv_line(&long));
    let ways = header(parent)
        .iter()
        .position(|c| c == "contact_ways")
        .expect("contact_ways");
    let mut twice = valid_row(parent, "s1");
    twice[ways] = "meetings;meetings".into();
    parents.push_str(&csv_line(&twice));
    parents.push_str(&format!("s1,\"never closed{}\n", ",x".repeat(5000)));
    // student.csv: an extra column; teacher.csv: a column twice.
    let mut students = header(student);
    students.push("note".into());
    let students = csv_line(&students);
    let mut teachers = header(teacher);
    teachers.push(teachers[1].clone());
    let teachers = csv_line(&teachers);
    let (out, _dir) = score_files(
        &[
            ("principal.csv", principals.into_bytes()),
            ("parent.csv", parents.into_bytes()),
            ("student.csv", students.into_bytes()),
            ("teacher.csv", teachers.into_bytes()),
            ("students.csv", b"school\n".to_vec()),
        ],
        PARAMS,
    );
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stderr}");
    for expected in [
        "principal.csv: line 3: column school: a second principal questionnaire for school «s1» (the first is on line 2)",
        &format!("parent.csv: line 3: {} cells, but the header has {}", header(parent).len() + 1, header(parent).len()),
        "parent.csv: line 4: column contact_ways: Option “meetings” is given twice",
        "a quote \" opened and never closed?",
        "student.csv: line 1: the header is not the instrument's template: unknown column(s) `note`",
        &format!("teacher.csv: line 1: column `{}` appears twice in the header", header(teacher)[1]),
    ] {
        assert!(stderr.contains(expected), "«{expected}» in\n{stderr}");
    }
    assert_eq!(
        stderr.matches("`note`").count(),
        1,
        "one header problem, not one per row"
    );
    assert!(
        stderr.lines().all(|l| l.chars().count() < 400),
        "no echo of a whole file: {stderr}"
    );
    assert!(
        stdout.contains("read parent.csv (UTF-8): 1 rows scored"),
        "{stdout}"
    );
    assert!(
        stdout.contains("read principal.csv (UTF-8): 1 rows scored"),
        "{stdout}"
    );
    assert!(
        stdout.contains("not read (no instrument of that name): students.csv"),
        "{stdout}"
    );
}

#[test]
fn russian_excel_files_are_read_and_unreadable_ones_say_which_line() {
    let m = surveys::Methodology::default_set().expect("methodology");
    let parent = m.instrument(surveys::Group::Parent).expect("parent");
    // Russian Excel: Windows-1251, `;` between cells, a comment in Cyrillic.
    let comment = header(parent)
        .iter()
        .position(|c| c == "parent_comment")
        .expect("comment");
    let mut row = valid_row(parent, "s1");
    row[comment] = "Всё хорошо, спасибо".into();
    let quoted: Vec<String> = row.iter().map(|c| format!("\"{c}\"")).collect();
    let text = format!("{}\n{}\n", header(parent).join(";"), quoted.join(";"));
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&text);
    let (out, _dir) = score_files(&[("parent.csv", bytes.into_owned())], PARAMS);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("read parent.csv (Windows-1251): 1 rows scored"),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let mut bytes = csv_line(&header(parent)).into_bytes();
    bytes.extend_from_slice(csv_line(&valid_row(parent, "s1")).as_bytes());
    bytes.extend_from_slice(b"s1,\xC3\x28\x80\x81\xFE\xFF\n");
    let (out, _dir) = score_files(&[("parent.csv", bytes)], PARAMS);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "parent.csv: line 3: is not UTF-8 (nor Windows-1251); save the file as «CSV UTF-8»"
        ),
        "{stderr}"
    );
}

#[test]
fn a_missing_folder_or_bad_parameters_stop_with_the_reason() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join("params.toml"), PARAMS).expect("params");
    let out = orientir(
        dir.path(),
        &[
            "score",
            "--campaign-params",
            "params.toml",
            "--responses",
            "no-such-folder",
            "--out",
            "profiles.json",
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("no-such-folder: no such folder of responses"));

    for (params, reason) in [
        (
            "[[school]]\ncode = \"s1\"\n[[school]]\ncode = \"s1\"\n",
            "school 2: the code `s1` is given twice",
        ),
        ("[[school]]\ncode = \"\"\n", "school 1: the code is empty"),
        ("[[school]]\ncode = \"s1\nexpected = 3\n", "line 2, column"),
        (
            "[[school]]\ncode = \"s1\"\nexpected = { student = -3 }\n",
            "school 1: expected.student = -3: an expected count is a whole number from 0 (not known)",
        ),
        (
            "methodology_dir = \"nope\"\n[[school]]\ncode = \"s1\"\n",
            "methodology_dir = \"nope\": no such folder",
        ),
    ] {
        let (out, _dir) = score_files(&[], params);
        assert!(!out.status.success(), "{params}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(reason), "«{reason}» in {stderr}");
    }
}
