//! Reading a file of results in either of the two layouts Orientir accepts, every row checked and
//! every problem named with its row and column:
//!
//! - **Orientir's template** (downloadable per assessment, with the registry's school codes):
//!   `assessment, school_code, school_name, participants`, then `mark2 … mark5` (marks) or
//!   `below_pass, mean_score` (scores), then `lowered, confirmed, raised` (optional).
//! - **The federal monitoring layout** (ФИС ОКО analytics): one row per school × subject ×
//!   grade, Russian headers — `Код ОО` or `Наименование ОО`, `Процедура` (ВПР when absent),
//!   `Предмет`, `Класс`, `Количество участников`, the marks as counts (`2` … `5`) or percentages
//!   (`% 2` … `% 5`), and the comparison with journal marks (`Понизили`, `Подтвердили`,
//!   `Повысили`, counts or `%`); scored assessments `Ниже минимального` and `Средний балл`.
//!
//! `surveys/FORMAT.md` («Results import») lists every accepted header.

use std::collections::{BTreeSet, HashMap, HashSet};

use surveys::results::{Assessment, AssessmentKind, Figures, Results};

use crate::problem::{At, Kind, Problem};
use crate::storage::ResultRow;

/// Which layout a file is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Template,
    Federal,
}

impl Layout {
    pub fn key(self) -> &'static str {
        match self {
            Layout::Template => "template",
            Layout::Federal => "federal",
        }
    }
}

/// The template's columns for an assessment.
pub fn template_columns(a: &Assessment) -> Vec<&'static str> {
    let mut columns = vec!["assessment", "school_code", "school_name", "participants"];
    if a.scored() {
        columns.extend(["below_pass", "mean_score"]);
    } else {
        columns.extend(["mark2", "mark3", "mark4", "mark5"]);
    }
    columns.extend(["lowered", "confirmed", "raised"]);
    columns
}

/// A school the file may name: its id, code and name.
pub struct Known {
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// What a file gave: the rows that passed, every problem, and the school names nothing matched.
#[derive(Debug, Default)]
pub struct Read {
    pub layout: Option<Layout>,
    pub rows: Vec<ResultRow>,
    /// The file's rows (after the header) that held something.
    pub seen: usize,
    pub problems: Vec<Problem>,
    pub unmatched: BTreeSet<String>,
}

/// A column's role in either layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Col {
    Assessment,
    Procedure,
    SchoolCode,
    SchoolName,
    Subject,
    Grade,
    Participants,
    Mark(u8),
    MarkPercent(u8),
    BelowPass,
    BelowPassPercent,
    MeanScore,
    Judged(usize),
    JudgedPercent(usize),
}

/// A header as compared: lower case, ё as е, without quotes, spaces and the words «кол-во».
fn normal(header: &str) -> String {
    header
        .trim()
        .to_lowercase()
        .replace('ё', "е")
        .chars()
        .filter(|c| {
            !matches!(
                c,
                '«' | '»' | '"' | '\'' | ' ' | ',' | '_' | '.' | '(' | ')'
            )
        })
        .collect::<String>()
        .replace("количество", "")
        .replace("кол-во", "")
}

fn column(header: &str) -> Option<Col> {
    let n = normal(header);
    let percent = n.contains('%');
    let bare = n.replace('%', "");
    Some(match bare.as_str() {
        "assessment" => Col::Assessment,
        "schoolcode" | "кодоо" | "логиноо" | "кодшколы" => Col::SchoolCode,
        "schoolname" | "наименованиеоо" | "оо" | "школа" | "названиешколы" => {
            Col::SchoolName
        }
        "процедура" | "оценочнаяпроцедура" | "вид" => Col::Procedure,
        "предмет" => Col::Subject,
        "класс" | "параллель" => Col::Grade,
        "participants" | "участников" | "участники" | "участвовали" => {
            Col::Participants
        }
        "mark2" | "2" | "отметка2" => mark(2, percent),
        "mark3" | "3" | "отметка3" => mark(3, percent),
        "mark4" | "4" | "отметка4" => mark(4, percent),
        "mark5" | "5" | "отметка5" => mark(5, percent),
        "belowpass" | "нижеминимального" | "непреодолелиминимальныйпорог" if percent => {
            Col::BelowPassPercent
        }
        "belowpass" | "нижеминимального" | "непреодолелиминимальныйпорог" => {
            Col::BelowPass
        }
        "meanscore" | "среднийбалл" => Col::MeanScore,
        _ => {
            let judged = ["lowered", "confirmed", "raised"]
                .iter()
                .position(|k| bare == *k)
                .or_else(|| {
                    ["понизили", "подтвердили", "повысили"]
                        .iter()
                        .position(|k| bare.starts_with(k))
                })?;
            if percent {
                Col::JudgedPercent(judged)
            } else {
                Col::Judged(judged)
            }
        }
    })
}

fn mark(m: u8, percent: bool) -> Col {
    if percent {
        Col::MarkPercent(m)
    } else {
        Col::Mark(m)
    }
}

/// The row number a user sees for the `index`-th row after the header.
fn row_number(index: usize) -> u64 {
    index as u64 + 2
}

fn procedure(text: &str) -> Option<AssessmentKind> {
    match normal(text).as_str() {
        "впр" | "vpr" => Some(AssessmentKind::Vpr),
        "огэ" | "oge" => Some(AssessmentKind::Oge),
        "егэ" | "ege" => Some(AssessmentKind::Ege),
        "региональнаядиагностика" | "regional" => {
            Some(AssessmentKind::Regional)
        }
        _ => None,
    }
}

/// Reads the rows of a file (the header first) for a region whose schools are `known`.
pub fn read(results: &Results, known: &[Known], table: &[Vec<String>], year: u16) -> Read {
    let mut read = Read::default();
    let Some(header) = table.first() else {
        read.problems.push(Problem::new(At::Whole, Kind::EmptyFile));
        return read;
    };
    let mut at: HashMap<Col, usize> = HashMap::new();
    for (i, h) in header.iter().enumerate() {
        if let Some(c) = column(h) {
            if at.insert(c, i).is_some() {
                read.problems.push(Problem::new(
                    At::Row(1, Some(h.trim().to_owned())),
                    Kind::Columns(format!("«{}» ×1", h.trim())),
                ));
            }
        }
    }
    let layout = if at.contains_key(&Col::Assessment) {
        Layout::Template
    } else {
        Layout::Federal
    };
    read.layout = Some(layout);
    let school = at.contains_key(&Col::SchoolCode) || at.contains_key(&Col::SchoolName);
    let mut missing: Vec<&str> = Vec::new();
    if !school {
        missing.push(if layout == Layout::Template {
            "school_code"
        } else {
            "Код ОО / Наименование ОО"
        });
    }
    if !at.contains_key(&Col::Participants) {
        missing.push(if layout == Layout::Template {
            "participants"
        } else {
            "Количество участников"
        });
    }
    if layout == Layout::Federal {
        if !at.contains_key(&Col::Subject) {
            missing.push("Предмет");
        }
        if !at.contains_key(&Col::Grade) {
            missing.push("Класс");
        }
    }
    if !missing.is_empty() {
        read.problems.push(Problem::new(
            At::Row(1, None),
            Kind::Columns(missing.join(", ")),
        ));
        return read;
    }
    let name_of = |c: Col| header[at[&c]].trim().to_owned();
    let by_code: HashMap<&str, &Known> = known.iter().map(|k| (k.code.as_str(), k)).collect();
    let folded = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
            .replace('ё', "е")
    };
    let mut by_name: HashMap<String, Option<&Known>> = HashMap::new();
    for k in known {
        by_name
            .entry(folded(&k.name))
            .and_modify(|e| *e = None)
            .or_insert(Some(k));
    }
    let mut seen: HashSet<(i64, String)> = HashSet::new();
    for (n, row) in table[1..].iter().enumerate() {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        read.seen += 1;
        let line = row_number(n);
        let mut problems: Vec<Problem> = Vec::new();
        let cell = |c: Col| {
            at.get(&c)
                .and_then(|i| row.get(*i))
                .map(|v| v.trim())
                .unwrap_or("")
        };
        let mut say =
            |c: Col, kind: Kind| problems.push(Problem::new(At::Row(line, Some(name_of(c))), kind));
        // The school: by code, else by its name as the registry writes it.
        let code = cell(Col::SchoolCode);
        let name = cell(Col::SchoolName);
        let school = if !code.is_empty() {
            let found = by_code.get(code).copied();
            if found.is_none() {
                say(Col::SchoolCode, Kind::UnknownSchool(code.to_owned()));
            }
            found
        } else if !name.is_empty() {
            let found = by_name.get(&folded(name)).copied().flatten();
            if found.is_none() {
                read.unmatched.insert(name.to_owned());
                say(Col::SchoolName, Kind::UnknownSchool(name.to_owned()));
            }
            found
        } else {
            say(
                if at.contains_key(&Col::SchoolCode) {
                    Col::SchoolCode
                } else {
                    Col::SchoolName
                },
                Kind::Empty,
            );
            None
        };
        // The assessment.
        let assessment = match layout {
            Layout::Template => {
                let key = cell(Col::Assessment);
                let found = results.assessment(key);
                if found.is_none() {
                    say(
                        Col::Assessment,
                        if key.is_empty() {
                            Kind::Empty
                        } else {
                            Kind::UnknownAssessment(key.to_owned())
                        },
                    );
                }
                found
            }
            Layout::Federal => federal_assessment(results, &cell, &mut say),
        };
        let participants = whole(cell(Col::Participants));
        if participants.is_none() {
            say(
                Col::Participants,
                if cell(Col::Participants).is_empty() {
                    Kind::Empty
                } else {
                    Kind::Count
                },
            );
        }
        let mut figures = Figures {
            participants: participants.unwrap_or(0),
            ..Figures::default()
        };
        if let (Some(a), Some(n)) = (assessment, participants) {
            if a.scored() {
                if has(&at, Col::BelowPass) || has(&at, Col::BelowPassPercent) {
                    figures.below_pass = shares(
                        &at,
                        &cell,
                        &mut say,
                        &[(Col::BelowPass, Col::BelowPassPercent)],
                        n,
                        false,
                    )
                    .and_then(|v| v.first().copied());
                } else {
                    say(
                        Col::Participants,
                        Kind::Columns("below_pass / Ниже минимального".into()),
                    );
                }
                let mean = cell(Col::MeanScore);
                if !mean.is_empty() {
                    let max = a.max_score.unwrap_or(100);
                    match decimal(mean) {
                        Some(v) if (0.0..=f64::from(max)).contains(&v) => {
                            figures.mean_score = Some(v)
                        }
                        _ => say(Col::MeanScore, Kind::MeanScore(max)),
                    }
                }
            } else {
                let pairs: Vec<(Col, Col)> = (2..=5)
                    .map(|m| (Col::Mark(m), Col::MarkPercent(m)))
                    .collect();
                if pairs.iter().any(|(c, p)| has(&at, *c) || has(&at, *p)) {
                    figures.marks = shares(&at, &cell, &mut say, &pairs, n, true)
                        .and_then(|v| v.try_into().ok());
                } else {
                    say(
                        Col::Participants,
                        Kind::Columns("mark2 … mark5 / 2 … 5".into()),
                    );
                }
            }
            let judged: Vec<(Col, Col)> = (0..3)
                .map(|i| (Col::Judged(i), Col::JudgedPercent(i)))
                .collect();
            let given = judged
                .iter()
                .any(|(c, p)| !cell(*c).is_empty() || !cell(*p).is_empty());
            if given {
                figures.objectivity =
                    shares(&at, &cell, &mut say, &judged, n, false).and_then(|v| v.try_into().ok());
                if let Some(o) = figures.objectivity {
                    let sum: u32 = o.iter().sum();
                    if sum > n {
                        say(
                            Col::Participants,
                            Kind::ObjectivitySum {
                                sum,
                                participants: n,
                            },
                        );
                    }
                }
            }
        }
        if let (Some(s), Some(a)) = (school, assessment) {
            if !seen.insert((s.id, a.key.clone())) {
                problems.push(Problem::new(At::Row(line, None), Kind::RepeatedResult));
            }
            if problems.is_empty() {
                read.rows.push(ResultRow {
                    school_id: s.id,
                    assessment: a.key.clone(),
                    year,
                    figures,
                });
            }
        }
        read.problems.extend(problems);
    }
    if read.seen == 0 && read.problems.is_empty() {
        read.problems.push(Problem::new(At::Whole, Kind::EmptyFile));
    }
    read
}

fn has(at: &HashMap<Col, usize>, c: Col) -> bool {
    at.contains_key(&c)
}

/// The assessment of a federal row: procedure (ВПР when absent), subject by name or key, grade.
fn federal_assessment<'r, 'c>(
    results: &'r Results,
    cell: &dyn Fn(Col) -> &'c str,
    say: &mut dyn FnMut(Col, Kind),
) -> Option<&'r Assessment> {
    let written = cell(Col::Procedure);
    let kind = if written.is_empty() {
        Some(AssessmentKind::Vpr)
    } else {
        let kind = procedure(written);
        if kind.is_none() {
            say(Col::Procedure, Kind::UnknownAssessment(written.to_owned()));
        }
        kind
    };
    let subject_text = cell(Col::Subject);
    let subject = results.subjects.iter().find(|s| {
        normal(&s.key) == normal(subject_text)
            || normal(&s.name.ru) == normal(subject_text)
            || normal(&s.name.en) == normal(subject_text)
    });
    if subject.is_none() {
        say(
            Col::Subject,
            if subject_text.is_empty() {
                Kind::Empty
            } else {
                Kind::UnknownAssessment(subject_text.to_owned())
            },
        );
    }
    let grade_text = cell(Col::Grade);
    let grade = if grade_text.is_empty() {
        None
    } else {
        let g = whole(grade_text)
            .and_then(|g| u8::try_from(g).ok())
            .filter(|g| (1..=11).contains(g));
        if g.is_none() {
            say(Col::Grade, Kind::Invalid);
        }
        g
    };
    let (kind, subject) = (kind?, subject?);
    let found = results.assessments.iter().find(|a| {
        a.kind == kind && a.subject == subject.key && (grade.is_none() || a.grade == grade)
    });
    if found.is_none() {
        let what = format!(
            "{}, {}{}",
            kind.name("ru"),
            subject.name.ru,
            grade.map(|g| format!(", {g} класс")).unwrap_or_default()
        );
        say(Col::Subject, Kind::UnknownAssessment(what));
    }
    found
}

/// A whole number from 0 to 10,000 (a workbook's `12.0` too).
fn whole(text: &str) -> Option<u32> {
    let t = text.trim();
    let t = t.strip_suffix(".0").unwrap_or(t);
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    t.parse().ok().filter(|n| *n <= 10_000)
}

fn decimal(text: &str) -> Option<f64> {
    let t = text.trim().replace(',', ".");
    if t.is_empty()
        || !t.chars().all(|c| c.is_ascii_digit() || c == '.')
        || t.matches('.').count() > 1
    {
        return None;
    }
    t.parse().ok()
}

/// Counts from columns of counts or percentages (each pair: the count column, the percentage
/// column), of `n` participants. Percentages become counts (rounded so that, when `whole` — the
/// marks — they add up to the participants: the largest remainders get the rounding); counts of
/// the whole must add up to the participants.
fn shares<'c>(
    at: &HashMap<Col, usize>,
    cell: &dyn Fn(Col) -> &'c str,
    say: &mut dyn FnMut(Col, Kind),
    pairs: &[(Col, Col)],
    n: u32,
    whole_set: bool,
) -> Option<Vec<u32>> {
    let percent = pairs
        .iter()
        .all(|(c, p)| !at.contains_key(c) && at.contains_key(p));
    let mut ok = true;
    let values: Vec<f64> = pairs
        .iter()
        .map(|(c, p)| {
            let (col, text) = if percent {
                (*p, cell(*p))
            } else {
                (*c, cell(*c))
            };
            let value = if text.is_empty() {
                Some(0.0).filter(|_| !whole_set)
            } else if percent {
                decimal(text).filter(|v| (0.0..=100.0).contains(v))
            } else {
                whole(text).map(f64::from)
            };
            value.unwrap_or_else(|| {
                ok = false;
                let kind = match (text.is_empty(), percent) {
                    (true, _) => Kind::Empty,
                    (false, true) => Kind::Percent,
                    (false, false) => Kind::Count,
                };
                say(col, kind);
                0.0
            })
        })
        .collect();
    if !ok {
        return None;
    }
    let counts: Vec<u32> = if percent {
        let exact: Vec<f64> = values.iter().map(|p| p * f64::from(n) / 100.0).collect();
        let total: f64 = values.iter().sum();
        if whole_set && (total - 100.0).abs() > 1.0 {
            say(
                pairs[0].1,
                Kind::MarksSum {
                    sum: total.round() as u32,
                    participants: 100,
                },
            );
            return None;
        }
        let mut counts: Vec<u32> = exact.iter().map(|x| x.floor() as u32).collect();
        if whole_set {
            let mut order: Vec<usize> = (0..exact.len()).collect();
            order.sort_by(|a, b| {
                (exact[*b] - exact[*b].floor()).total_cmp(&(exact[*a] - exact[*a].floor()))
            });
            let mut left = n.saturating_sub(counts.iter().sum());
            for i in order.into_iter().cycle().take(exact.len() * 2) {
                if left == 0 {
                    break;
                }
                counts[i] += 1;
                left -= 1;
            }
        } else {
            counts = exact.iter().map(|x| x.round() as u32).collect();
        }
        counts
    } else {
        values.iter().map(|v| *v as u32).collect()
    };
    if whole_set {
        let sum: u32 = counts.iter().sum();
        if sum != n {
            say(
                pairs[0].0,
                Kind::MarksSum {
                    sum,
                    participants: n,
                },
            );
            return None;
        }
    } else if !percent && counts.len() == 1 && counts[0] > n {
        say(
            pairs[0].0,
            Kind::MarksSum {
                sum: counts[0],
                participants: n,
            },
        );
        return None;
    }
    Some(counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::i18n::Lang;

    fn known() -> Vec<Known> {
        vec![
            Known {
                id: 1,
                code: "s-01".into(),
                name: "МБОУ «СОШ № 1»".into(),
            },
            Known {
                id: 2,
                code: "s-02".into(),
                name: "МКОУ «Озёрная ООШ»".into(),
            },
        ]
    }

    fn table(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
            .collect()
    }

    fn words(read: &Read) -> Vec<String> {
        read.problems.iter().map(|p| p.words(Lang::Ru)).collect()
    }

    fn m() -> surveys::Methodology {
        surveys::Methodology::default_set().expect("valid")
    }

    #[test]
    fn the_template_layout_reads_counts_and_the_comparison() {
        let m = m();
        let t = table(&[
            &[
                "assessment",
                "school_code",
                "school_name",
                "participants",
                "mark2",
                "mark3",
                "mark4",
                "mark5",
                "lowered",
                "confirmed",
                "raised",
            ],
            &[
                "vpr-math-5",
                "s-01",
                "",
                "20",
                "4",
                "8",
                "6",
                "2",
                "5",
                "14",
                "1",
            ],
            &["ege-rus", "s-02", "", "12", "", "", "", "", "", "", ""],
        ]);
        let read = read(&m.results, &known(), &t, 2026);
        assert_eq!(read.layout, Some(Layout::Template));
        assert_eq!(words(&read), vec!["Строка 3, столбец participants: столбцы должны быть below_pass / Ниже минимального"]);
        assert_eq!(read.rows.len(), 1);
        let f = read.rows[0].figures;
        assert_eq!(f.marks, Some([4, 8, 6, 2]));
        assert_eq!(f.objectivity, Some([5, 14, 1]));
    }

    #[test]
    fn the_federal_layout_reads_percentages_and_names() {
        let m = m();
        let t = table(&[
            &[
                "Наименование ОО",
                "Предмет",
                "Класс",
                "Кол-во участников",
                "% 2",
                "% 3",
                "% 4",
                "% 5",
                "Понизили (Отм. < Отм. по журналу) %",
                "Подтвердили %",
                "Повысили %",
            ],
            &[
                "МКОУ «Озерная  ООШ»",
                "Русский язык",
                "5",
                "7",
                "28,57",
                "42,86",
                "14,29",
                "14,29",
                "42,86",
                "57,14",
                "0",
            ],
            &[
                "МБОУ «Гимназия»",
                "Математика",
                "5",
                "7",
                "0",
                "0",
                "100",
                "0",
                "",
                "",
                "",
            ],
        ]);
        let read = read(&m.results, &known(), &t, 2026);
        assert_eq!(read.layout, Some(Layout::Federal));
        assert_eq!(read.rows.len(), 1, "{:?}", words(&read));
        assert_eq!(
            read.rows[0].school_id, 2,
            "matched by name, ё and spaces aside"
        );
        assert_eq!(read.rows[0].assessment, "vpr-rus-5");
        assert_eq!(read.rows[0].figures.marks, Some([2, 3, 1, 1]));
        assert_eq!(read.rows[0].figures.objectivity, Some([3, 4, 0]));
        assert_eq!(
            read.unmatched.iter().collect::<Vec<_>>(),
            ["МБОУ «Гимназия»"]
        );
        assert_eq!(
            words(&read),
            vec![
                "Строка 3, столбец Наименование ОО: школы «МБОУ «Гимназия»» нет в реестре региона"
            ]
        );
    }

    #[test]
    fn every_bad_cell_is_named_by_row_and_column() {
        let m = m();
        let t = table(&[
            &[
                "Код ОО",
                "Процедура",
                "Предмет",
                "Класс",
                "Участников",
                "2",
                "3",
                "4",
                "5",
            ],
            &["s-01", "ВПР", "Математика", "5", "10", "1", "2", "3", "3"],
            &["s-01", "ВПР", "Алхимия", "5", "10", "1", "2", "3", "4"],
            &["s-09", "ЕГЭ", "Математика", "13", "x", "", "", "", ""],
            &["s-02", "ВПР", "Математика", "5", "10", "1", "2", "3", "4"],
            &["s-02", "ВПР", "Математика", "5", "10", "1", "2", "3", "4"],
        ]);
        let read = read(&m.results, &known(), &t, 2026);
        let all = words(&read);
        for expected in [
            "Строка 2, столбец 2: отметок в сумме 9, а участников 10",
            "Строка 3, столбец Предмет: в методике нет такой оценочной процедуры: Алхимия",
            "Строка 4, столбец Код ОО: школы «s-09» нет в реестре региона",
            "Строка 4, столбец Класс: недопустимое значение",
            "Строка 4, столбец Участников: целое число от 0 до 10000",
            "Строка 6: эта школа и эта процедура уже встречались выше",
        ] {
            assert!(
                all.iter().any(|w| w == expected),
                "missing «{expected}» in {all:#?}"
            );
        }
        assert_eq!(read.rows.len(), 1, "only row 5 is whole");
    }

    #[test]
    fn a_header_of_neither_layout_is_refused_whole() {
        let m = m();
        let t = table(&[&["a", "b"], &["1", "2"]]);
        let read = read(&m.results, &known(), &t, 2026);
        assert!(read.rows.is_empty());
        assert_eq!(read.problems.len(), 1);
        assert!(words(&read)[0].starts_with("Строка 1: столбцы должны быть Код ОО / Наименование ОО, Количество участников, Предмет, Класс"));
    }
}
