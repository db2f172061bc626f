//! Tabular views of profiles, changes and deficit summaries for export: rows and columns of
//! plain cells, with no file format. CSV, Excel and screens render these the same way.

use serde::Serialize;

use crate::change::ProfileChange;
use crate::deficits::DeficitSummary;
use crate::methodology::Methodology;
use crate::profile::SchoolProfile;
use crate::quality::InstrumentQuality;

/// One cell. Numbers stay numbers; `Empty` is «недостаточно данных» or not applicable.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl Cell {
    fn opt(v: Option<f64>) -> Cell {
        v.map_or(Cell::Empty, Cell::Number)
    }

    fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    /// The cell as CSV text: numbers with a dot at full precision (the shortest text that reads
    /// back as the same number), for checking against an independent computation.
    pub fn to_csv(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => format!("{n}"),
            Cell::Empty => String::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

fn level_name(m: &Methodology, key: Option<&str>, lang: &str) -> Cell {
    match key.and_then(|k| m.rules.levels.iter().find(|l| l.key == k)) {
        Some(level) => Cell::text(level.name.get(lang)),
        None => Cell::text(if lang == "en" {
            "insufficient data"
        } else {
            "недостаточно данных"
        }),
    }
}

/// How many factors of a profile are at the highest level.
pub fn high_risk_factors(m: &Methodology, profile: &SchoolProfile) -> usize {
    let top = m.rules.levels.last().map(|l| l.key.as_str());
    profile
        .factors
        .iter()
        .filter(|f| top.is_some() && f.level.as_deref() == top)
        .count()
}

/// Schools × factors: one row per school with the score of each factor, then the number of
/// high-risk factors (those at the last level).
pub fn matrix(m: &Methodology, profiles: &[SchoolProfile]) -> Table {
    let mut columns = vec!["school".to_owned()];
    columns.extend(m.factors.iter().map(|f| f.code.0.to_string()));
    columns.push("high_risk_factors".into());
    let rows = profiles
        .iter()
        .map(|p| {
            let mut row = vec![Cell::text(&p.school)];
            row.extend(
                m.factors
                    .iter()
                    .map(|f| Cell::opt(p.factor(&f.code.0).and_then(|x| x.score))),
            );
            row.push(Cell::Number(high_risk_factors(m, p) as f64));
            row
        })
        .collect();
    Table { columns, rows }
}

/// One row per school, factor and indicator: the explanation of every level.
pub fn indicators_long(m: &Methodology, profiles: &[SchoolProfile], lang: &str) -> Table {
    Table {
        columns: indicators_long_columns(),
        rows: indicators_long_rows(m, profiles, lang).collect(),
    }
}

/// The columns of `indicators_long`.
pub fn indicators_long_columns() -> Vec<String> {
    [
        "school",
        "factor",
        "factor_score",
        "factor_level",
        "indicator",
        "indicator_name",
        "group",
        "value",
        "ok",
        "critical",
        "risk",
        "respondents",
        "value_low",
        "value_high",
        "factor_low",
        "factor_high",
        "level_unstable",
    ]
    .map(String::from)
    .to_vec()
}

/// The rows of `indicators_long` one at a time: a region's workbook writes them as they come
/// (ten thousand schools are half a million rows).
pub fn indicators_long_rows<'a>(
    m: &'a Methodology,
    profiles: &'a [SchoolProfile],
    lang: &'a str,
) -> impl Iterator<Item = Vec<Cell>> + 'a {
    profiles.iter().flat_map(move |p| {
        p.factors.iter().flat_map(move |f| {
            m.indicators
                .iter()
                .zip(&p.indicators)
                .filter(move |(i, _)| i.factor == f.code)
                .map(move |(ind, r)| {
                    vec![
                        Cell::text(&p.school),
                        Cell::text(&f.code.0),
                        Cell::opt(f.score),
                        level_name(m, f.level.as_deref(), lang),
                        Cell::text(&ind.key),
                        Cell::text(ind.name.get(lang)),
                        Cell::text(ind.group.key()),
                        Cell::opt(r.value),
                        Cell::Number(ind.ok),
                        Cell::Number(ind.critical),
                        Cell::opt(r.risk),
                        r.respondents
                            .map_or(Cell::Empty, |n| Cell::Number(f64::from(n))),
                        Cell::opt(r.interval.map(|i| i.low)),
                        Cell::opt(r.interval.map(|i| i.high)),
                        Cell::opt(f.interval.map(|i| i.low)),
                        Cell::opt(f.interval.map(|i| i.high)),
                        unstable(m, f, lang),
                    ]
                })
        })
    })
}

/// «неустойчив: низкий» — a factor whose interval reaches other levels than its score's, naming
/// them; empty when it does not.
fn unstable(m: &Methodology, f: &crate::profile::FactorResult, lang: &str) -> Cell {
    if f.score.is_none() || !f.unstable() {
        return Cell::Empty;
    }
    let others: Vec<&str> = f
        .levels_within
        .iter()
        .filter(|k| Some(k.as_str()) != f.level.as_deref())
        .filter_map(|k| m.rules.levels.iter().find(|l| &l.key == k))
        .map(|l| l.name.get(lang))
        .collect();
    let word = if lang == "en" {
        "unstable"
    } else {
        "неустойчив"
    };
    Cell::text(format!("{word}: {}", others.join(", ")))
}

/// One row per school and factor between two campaigns.
pub fn change(m: &Methodology, changes: &[ProfileChange], lang: &str) -> Table {
    let columns = [
        "school",
        "factor",
        "score_before",
        "score_after",
        "delta",
        "level_before",
        "level_after",
        "transition",
        "significance",
    ]
    .map(String::from)
    .to_vec();
    let rows = changes
        .iter()
        .flat_map(|c| {
            c.factors.iter().map(move |f| {
                vec![
                    Cell::text(&c.school),
                    Cell::text(&f.code.0),
                    Cell::opt(f.before_score),
                    Cell::opt(f.after_score),
                    Cell::opt(f.delta),
                    level_name(m, f.before_level.as_deref(), lang),
                    level_name(m, f.after_level.as_deref(), lang),
                    Cell::text(format!("{:?}", f.transition).to_lowercase()),
                    match (f.significant, lang) {
                        (None, _) => Cell::Empty,
                        (Some(true), "en") => Cell::text("significant"),
                        (Some(true), _) => Cell::text("значимо"),
                        (Some(false), "en") => Cell::text("within the uncertainty"),
                        (Some(false), _) => Cell::text("в пределах погрешности"),
                    },
                ]
            })
        })
        .collect();
    Table { columns, rows }
}

/// The quality of the instruments as three tables: the scales (α), the items («затрудняюсь
/// ответить», variance, item–rest correlation) and the deficit areas (items per area).
pub fn quality(m: &Methodology, q: &InstrumentQuality, lang: &str) -> [Table; 3] {
    let yes = |flag: bool| {
        if flag {
            Cell::text(if lang == "en" { "yes" } else { "да" })
        } else {
            Cell::Empty
        }
    };
    let factor_name = |code: &str| format!("{code} {}", m.factor_name(code, lang));
    let scales = Table {
        columns: ["group", "factor", "items", "respondents", "alpha"]
            .map(String::from)
            .to_vec(),
        rows: q
            .scales
            .iter()
            .map(|s| {
                vec![
                    Cell::text(s.group.key()),
                    Cell::text(factor_name(&s.factor)),
                    Cell::text(s.items.join(", ")),
                    Cell::Number(f64::from(s.complete)),
                    Cell::opt(s.alpha),
                ]
            })
            .collect(),
    };
    let items = Table {
        columns: [
            "group",
            "item",
            "factor",
            "respondents",
            "dont_know_share",
            "dont_know_over_30",
            "no_variance",
            "item_rest",
        ]
        .map(String::from)
        .to_vec(),
        rows: q
            .items
            .iter()
            .map(|i| {
                vec![
                    Cell::text(i.group.key()),
                    Cell::text(&i.key),
                    i.factor
                        .as_deref()
                        .map_or(Cell::Empty, |f| Cell::text(factor_name(f))),
                    Cell::Number(f64::from(i.answered)),
                    Cell::opt(i.dont_know),
                    yes(i.dont_know_flag),
                    yes(i.no_variance),
                    Cell::opt(i.item_rest),
                ]
            })
            .collect(),
    };
    let areas = Table {
        columns: ["area", "items", "too_few_items"]
            .map(String::from)
            .to_vec(),
        rows: q
            .areas
            .iter()
            .map(|a| {
                vec![
                    Cell::text(m.area_name(&a.area, lang)),
                    Cell::Number(a.items as f64),
                    yes(a.too_few),
                ]
            })
            .collect(),
    };
    [scales, items, areas]
}

/// Areas × bands of a school's teachers; empty when suppressed.
pub fn deficit_summary(m: &Methodology, summary: &DeficitSummary, lang: &str) -> Table {
    let mut columns = vec!["area".to_owned()];
    columns.extend(m.deficits.bands.iter().map(|b| b.key.clone()));
    let rows = summary
        .areas
        .iter()
        .map(|a| {
            let mut row = vec![Cell::text(m.area_name(&a.area, lang))];
            row.extend(a.bands.iter().map(|(_, n)| Cell::Number(f64::from(*n))));
            row
        })
        .collect();
    Table { columns, rows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{Expected, Scorer};

    #[test]
    fn an_empty_school_has_a_row_of_empty_cells_and_long_rows_per_indicator() {
        let m = Methodology::default_set().expect("valid");
        let p = Scorer::new(&m).profile("school-1", &Expected::default(), &[]);
        let t = matrix(&m, std::slice::from_ref(&p));
        assert_eq!(t.columns.len(), 12);
        assert_eq!(t.rows[0][0], Cell::Text("school-1".into()));
        assert!(t.rows[0][1..11].iter().all(|c| *c == Cell::Empty));
        assert_eq!(t.rows[0][11], Cell::Number(0.0));
        let long = indicators_long(&m, &[p], "ru");
        assert_eq!(long.rows.len(), m.indicators.len());
        assert_eq!(long.rows[0][3], Cell::Text("недостаточно данных".into()));
    }

    #[test]
    fn csv_cells_keep_numbers_plain() {
        assert_eq!(Cell::Number(0.25).to_csv(), "0.25");
        assert_eq!(Cell::Number(3.0).to_csv(), "3");
        assert_eq!(Cell::Number(1.0 / 3.0).to_csv(), "0.3333333333333333");
        assert_eq!(Cell::Number(0.165).to_csv(), "0.165");
        let n: f64 = Cell::Number(0.1 + 0.2).to_csv().parse().expect("number");
        assert_eq!(n, 0.1 + 0.2, "reads back as the same number");
        assert_eq!(Cell::Empty.to_csv(), "");
    }
}
