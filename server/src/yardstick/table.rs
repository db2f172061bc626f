//! The results as tables for exports: every school × assessment × year with its indicators (the
//! results table, with a codebook), and schools × indicators for a year (the matrix workbook's
//! «Результаты» sheet). Participants are banded as elsewhere; a group under the minimum of
//! participants has no figure at all.

use std::collections::BTreeSet;

use app::i18n::Lang;
use surveys::results::{
    estimate, objectivity_flag, value, AssessmentKind, Figures, ResultIndicator,
};
use surveys::tables::{Cell, Table};
use surveys::text::respondents_band;
use surveys::Methodology;

use super::Region;

/// A school of a table: its registry code, its name and its municipality.
pub struct Row<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub municipality: &'a str,
}

/// Participants as published: banded under ten, and only «under the minimum» below it.
fn band(m: &Methodology, participants: u32) -> String {
    if m.results.shown(participants) {
        respondents_band(participants)
    } else {
        format!("< {}", m.results.min_participants)
    }
}

const INDICATORS: [ResultIndicator; 9] = [
    ResultIndicator::Fail,
    ResultIndicator::Mean,
    ResultIndicator::Mark(2),
    ResultIndicator::Mark(3),
    ResultIndicator::Mark(4),
    ResultIndicator::Mark(5),
    ResultIndicator::Lowered,
    ResultIndicator::Confirmed,
    ResultIndicator::Raised,
];

fn kind_key(k: AssessmentKind) -> &'static str {
    match k {
        AssessmentKind::Vpr => "vpr",
        AssessmentKind::Oge => "oge",
        AssessmentKind::Ege => "ege",
        AssessmentKind::Regional => "regional",
    }
}

/// Every school × assessment × year of the schools given, oldest year first.
pub fn long(m: &Methodology, region: &Region, schools: &[Row<'_>], lang: Lang) -> Table {
    let r = &m.results;
    let confidence = m.rules.confidence;
    let mut columns: Vec<String> = [
        "municipality",
        "school_code",
        "school",
        "settlement",
        "year",
        "assessment",
        "assessment_name",
        "kind",
        "subject",
        "grade",
        "participants",
    ]
    .map(String::from)
    .to_vec();
    for i in INDICATORS {
        let key = i.key();
        columns.push(key.clone());
        if i == ResultIndicator::Fail {
            columns.push(format!("{key}_low"));
            columns.push(format!("{key}_high"));
        }
    }
    columns.push("objectivity_flag".into());
    let mut rows = Vec::new();
    for s in schools {
        let Some(mine) = region.results.get(s.code) else {
            continue;
        };
        let settlement = region
            .contexts
            .get(s.code)
            .and_then(|c| c.settlement.clone())
            .unwrap_or_default();
        let mut rows_of: Vec<(&str, u16, &Figures)> = mine.iter().collect();
        rows_of.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(b.0)));
        for (key, year, f) in rows_of {
            let Some(a) = r.assessment(key) else { continue };
            let shown = r.shown(f.participants);
            let mut row = vec![
                Cell::Text(s.municipality.to_owned()),
                Cell::Text(s.code.to_owned()),
                Cell::Text(s.name.to_owned()),
                Cell::Text(settlement.clone()),
                Cell::Number(f64::from(year)),
                Cell::Text(a.key.clone()),
                Cell::Text(r.assessment_name(a, lang.code())),
                Cell::Text(kind_key(a.kind).into()),
                Cell::Text(a.subject.clone()),
                a.grade.map_or(Cell::Empty, |g| Cell::Number(f64::from(g))),
                Cell::Text(band(m, f.participants)),
            ];
            for i in INDICATORS {
                if i == ResultIndicator::Fail {
                    let e = estimate(r, a, f, i, confidence);
                    let interval = e.and_then(|e| e.interval);
                    row.push(e.map_or(Cell::Empty, |e| Cell::Number(e.value)));
                    row.push(interval.map_or(Cell::Empty, |i| Cell::Number(i.low)));
                    row.push(interval.map_or(Cell::Empty, |i| Cell::Number(i.high)));
                } else {
                    row.push(value(r, a, f, i).map_or(Cell::Empty, Cell::Number));
                }
            }
            row.push(if shown {
                Cell::Number(if objectivity_flag(r, a, f, confidence) {
                    1.0
                } else {
                    0.0
                })
            } else {
                Cell::Empty
            });
            rows.push(row);
        }
    }
    Table { columns, rows }
}

/// What each column of the results table means.
pub fn codebook(m: &Methodology, lang: Lang) -> Table {
    let min = m.results.min_participants;
    let t = |ru: &str, en: &str| Cell::Text(lang.tr(ru, en).to_owned());
    let rows = vec![
        ("municipality", t("муниципалитет", "municipality")),
        ("school_code", t("код школы в реестре", "the school's registry code")),
        ("school", t("название школы", "the school's name")),
        ("settlement", t("тип населённого пункта (city, town, village)", "settlement type (city, town, village)")),
        ("year", t("год проведения", "the year")),
        ("assessment", t("ключ процедуры в каталоге методики", "the assessment's key in the methodology's catalogue")),
        ("assessment_name", t("процедура, предмет, класс", "assessment, subject, grade")),
        ("kind", t("vpr — ВПР, oge — ОГЭ, ege — ЕГЭ, regional — региональная диагностика", "vpr, oge, ege, or regional")),
        ("subject", t("ключ предмета", "the subject's key")),
        ("grade", t("класс", "grade")),
        ("participants", Cell::Text(match lang {
            Lang::Ru => format!("число участников: от 10 — числом, 5–9 — диапазоном, меньше {min} — «< 5», и тогда показателей нет"),
            Lang::En => format!("participants: from 10 as a number, 5–9 as a band, under {min} «< 5» and then no figures"),
        })),
        ("fail", t("доля «2» (для ЕГЭ — ниже минимального балла), от 0 до 1", "share of «2» (EGE: below the pass score), 0 to 1")),
        ("fail_low, fail_high", t("90-процентный интервал Вильсона для доли «2»", "Wilson's 90% interval of the share of «2»")),
        ("mean", t("средняя отметка (2–5); для балльных процедур — средний балл как доля максимума", "mean mark (2–5); for scored assessments the mean score as a share of the maximum")),
        ("mark2 … mark5", t("доли отметок «2»…«5»", "shares of the marks «2»…«5»")),
        ("lowered, confirmed, raised", t("доли участников, чья отметка за работу ниже / равна / выше журнальной", "shares of participants whose assessment mark is below / equal to / above the journal's")),
        ("objectivity_flag", t("1 — признак необъективности (понизили не меньше порога методики)", "1 — an objectivity flag (lowered at or above the methodology's share)")),
    ];
    Table {
        columns: vec![
            lang.tr("поле", "column").to_owned(),
            lang.tr("значение", "meaning").to_owned(),
        ],
        rows: rows
            .into_iter()
            .map(|(k, v)| vec![Cell::Text(k.to_owned()), v])
            .collect(),
    }
}

/// Schools × the share of «2» and the mean of every assessment with results in `year`.
pub fn wide(m: &Methodology, region: &Region, schools: &[Row<'_>], year: u16, lang: Lang) -> Table {
    let r = &m.results;
    let present: BTreeSet<&str> = schools
        .iter()
        .filter_map(|s| region.results.get(s.code))
        .flat_map(|mine| mine.keys().filter(|(_, y)| *y == year).map(|(k, _)| k))
        .collect();
    let assessments: Vec<_> = r
        .assessments
        .iter()
        .filter(|a| present.contains(a.key.as_str()))
        .collect();
    let mut columns = vec![lang.tr("школа", "school").to_owned()];
    for a in &assessments {
        let name = r.assessment_name(a, lang.code());
        columns.push(format!("{name}: {}", lang.tr("участников", "participants")));
        columns.push(format!(
            "{name}: {}",
            ResultIndicator::Fail.name(a, lang.code())
        ));
        columns.push(format!(
            "{name}: {}",
            ResultIndicator::Mean.name(a, lang.code())
        ));
    }
    let rows = schools
        .iter()
        .map(|s| {
            let mut row = vec![Cell::Text(format!("{} ({})", s.name, s.municipality))];
            for a in &assessments {
                let f = region
                    .results
                    .get(s.code)
                    .and_then(|mine| mine.get(&a.key, year));
                match f {
                    Some(f) if r.shown(f.participants) => {
                        row.push(Cell::Text(respondents_band(f.participants)));
                        for i in [ResultIndicator::Fail, ResultIndicator::Mean] {
                            row.push(value(r, a, f, i).map_or(Cell::Empty, Cell::Number));
                        }
                    }
                    Some(f) => {
                        row.push(Cell::Text(band(m, f.participants)));
                        row.extend([Cell::Empty, Cell::Empty]);
                    }
                    None => row.extend([Cell::Empty, Cell::Empty, Cell::Empty]),
                }
            }
            row
        })
        .collect();
    Table { columns, rows }
}
