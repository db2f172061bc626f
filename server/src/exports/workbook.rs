//! Excel workbooks for coordinators, built from the engine's format-free tables
//! (`surveys::tables`): the matrix (level colours as conditional formatting, frozen headers),
//! every indicator behind every level, the change against another campaign when one is chosen,
//! a native chart of the level distribution per factor, and the method: version, cut-offs and the
//! suppression rule. Numbers are written as numbers.

use app::access::Viewer;
use app::i18n::Lang;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use rust_xlsxwriter::{
    Chart, ChartType, Color, ConditionalFormatFormula, Format, FormatBorder, Workbook, Worksheet,
    XlsxError,
};
use surveys::programme::Achievement;
use surveys::tables::{self, Cell, Table};
use surveys::Methodology;

use crate::cookies;
use crate::error::ServerError;
use crate::problem::{At, Kind, Refused};
use crate::programmes::results::{self, Later};
use crate::reply::{attachment, XLSX};
use crate::scope::{published, respondents_band, Gate};
use crate::storage::{Storage, TargetRow};

#[derive(serde::Deserialize)]
pub struct MatrixQuery {
    municipality: Option<i64>,
    /// Another campaign to compare with (adds the change sheet).
    compare: Option<i64>,
}

fn xlsx_error(e: XlsxError) -> ServerError {
    ServerError::Write(format!("cannot build the workbook: {e}"))
}

fn colour(hex: &str) -> Color {
    Color::RGB(u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap_or(0xE6E8EB))
}

/// Writes a table from (row, 0): a bold header, then its cells; numbers stay numbers.
pub(super) fn write_table(
    sheet: &mut Worksheet,
    table: &Table,
    first_row: u32,
) -> Result<(), XlsxError> {
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xF3F5F7))
        .set_border_bottom(FormatBorder::Thin);
    for (c, name) in table.columns.iter().enumerate() {
        sheet.write_string_with_format(first_row, c as u16, name, &header)?;
    }
    // Counts of respondents are published as bands under ten, values with two decimals.
    let counts = table.columns.iter().position(|c| c == "respondents");
    for (r, row) in table.rows.iter().enumerate() {
        let r = first_row + 1 + r as u32;
        for (c, cell) in row.iter().enumerate() {
            match cell {
                Cell::Text(t) => {
                    sheet.write_string(r, c as u16, t)?;
                }
                Cell::Number(n) if Some(c) == counts && *n < 10.0 => {
                    sheet.write_string(r, c as u16, respondents_band(*n as u32))?;
                }
                Cell::Number(n) => {
                    sheet.write_number(r, c as u16, published(*n))?;
                }
                Cell::Empty => {}
            }
        }
    }
    Ok(())
}

/// The sheets of other features in the matrix workbook.
pub struct OtherSheets {
    /// The schools' anti-risk programmes.
    pub programmes: Table,
    /// The schools' educational results of the newest year imported (that year, the table).
    pub results: Option<(u16, Table)>,
}

/// The matrix workbook of a campaign's schools in the viewer's scope.
pub fn matrix_workbook(
    m: &Methodology,
    campaign_name: &str,
    profiles: &[surveys::SchoolProfile],
    changes: Option<&[surveys::change::ProfileChange]>,
    quality: &surveys::quality::InstrumentQuality,
    other: &OtherSheets,
    lang: Lang,
) -> Result<Vec<u8>, XlsxError> {
    let OtherSheets {
        programmes,
        results,
    } = other;
    let l = lang.code();
    let mut workbook = Workbook::new();
    let levels = &m.rules.levels;

    // The matrix: schools × factor scores, coloured by level.
    let matrix = tables::matrix(m, profiles);
    let sheet = workbook.add_worksheet();
    sheet.set_name(lang.tr("Матрица", "Matrix"))?;
    write_table(sheet, &matrix, 0)?;
    sheet.set_freeze_panes(1, 1)?;
    sheet.set_column_width(0, 36)?;
    let rows = matrix.rows.len() as u32;
    let factors = m.factors.len() as u16;
    if rows > 0 {
        let mut lower: Option<f64> = None;
        for level in levels {
            // Relative to the first cell of the range; blanks (too little data) stay blank.
            let mut test = vec!["ISNUMBER(B2)".to_owned()];
            if let Some(low) = lower {
                test.push(format!("B2>={low}"));
            }
            if let Some(below) = level.below {
                test.push(format!("B2<{below}"));
            }
            let rule = ConditionalFormatFormula::new()
                .set_rule(format!("=AND({})", test.join(",")).as_str())
                .set_format(Format::new().set_background_color(colour(&level.colour)))
                .set_stop_if_true(true);
            sheet.add_conditional_format(1, 1, rows, factors, &rule)?;
            lower = level.below;
        }
    }

    // Every indicator behind every level.
    let long = tables::indicators_long(m, profiles, l);
    let sheet = workbook.add_worksheet();
    sheet.set_name(lang.tr("Показатели", "Indicators"))?;
    write_table(sheet, &long, 0)?;
    sheet.set_freeze_panes(1, 0)?;
    sheet.set_column_width(0, 30)?;
    sheet.set_column_width(5, 50)?;

    // The change against the other campaign.
    if let Some(changes) = changes {
        let sheet = workbook.add_worksheet();
        sheet.set_name(lang.tr("Изменения", "Change"))?;
        write_table(sheet, &tables::change(m, changes, l), 0)?;
        sheet.set_freeze_panes(1, 0)?;
        sheet.set_column_width(0, 30)?;
    }

    // The quality of the instruments: scales, items, deficit areas, one table under another.
    let sheet = workbook.add_worksheet();
    sheet.set_name(lang.tr("Качество инструментов", "Instrument quality"))?;
    let mut row = 0;
    for table in tables::quality(m, quality, l) {
        write_table(sheet, &table, row)?;
        row += table.rows.len() as u32 + 2;
    }
    sheet.set_column_width(1, 40)?;
    sheet.set_column_width(2, 40)?;

    // The schools' anti-risk programmes.
    let sheet = workbook.add_worksheet();
    sheet.set_name(lang.tr("Программы", "Programmes"))?;
    write_table(sheet, programmes, 0)?;
    sheet.set_freeze_panes(1, 0)?;
    sheet.set_column_width(0, 36)?;

    // The schools' educational results of the newest year imported.
    if let Some((year, table)) = results {
        let sheet = workbook.add_worksheet();
        sheet.set_name(lang.tr("Результаты", "Results"))?;
        write_table(sheet, table, 0)?;
        sheet.set_freeze_panes(1, 1)?;
        sheet.set_column_width(0, 36)?;
        let at = table.rows.len() as u32 + 2;
        sheet.write_string(
            at,
            0,
            match lang {
                Lang::Ru => format!(
                    "Год: {year}. Доли — от 0 до 1; где участников меньше {}, показателей нет.",
                    m.results.min_participants
                ),
                Lang::En => format!(
                    "Year: {year}. Shares from 0 to 1; no figures where fewer than {} took part.",
                    m.results.min_participants
                ),
            },
        )?;
    }

    // Level distribution per factor, with a native chart.
    let name = lang.tr("Распределение", "Distribution").to_owned();
    let sheet = workbook.add_worksheet();
    sheet.set_name(&name)?;
    let header = Format::new().set_bold();
    sheet.write_string_with_format(0, 0, lang.tr("Фактор", "Factor"), &header)?;
    for (c, level) in levels.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16 + 1, level.name.get(l), &header)?;
    }
    sheet.write_string_with_format(
        0,
        levels.len() as u16 + 1,
        lang.tr("недостаточно данных", "insufficient data"),
        &header,
    )?;
    for (r, factor) in m.factors.iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, &factor.code.0)?;
        let at = |key: Option<&str>| {
            profiles
                .iter()
                .filter(|p| p.factor(&factor.code.0).and_then(|f| f.level.as_deref()) == key)
                .count() as f64
        };
        for (c, level) in levels.iter().enumerate() {
            sheet.write_number(r, c as u16 + 1, at(Some(&level.key)))?;
        }
        sheet.write_number(r, levels.len() as u16 + 1, at(None))?;
    }
    let mut chart = Chart::new(ChartType::ColumnStacked);
    for (c, level) in levels.iter().enumerate() {
        let c = c as u16 + 1;
        chart
            .add_series()
            .set_name((name.as_str(), 0, c))
            .set_categories((name.as_str(), 1, 0, m.factors.len() as u32, 0))
            .set_values((name.as_str(), 1, c, m.factors.len() as u32, c))
            .set_format(rust_xlsxwriter::ChartFormat::new().set_solid_fill(
                rust_xlsxwriter::ChartSolidFill::new().set_color(colour(&level.colour)),
            ));
    }
    chart
        .title()
        .set_name(lang.tr("Уровни риска по факторам", "Risk levels by factor"));
    chart.y_axis().set_name(lang.tr("Школ", "Schools"));
    sheet.insert_chart(1, levels.len() as u16 + 3, &chart)?;

    // The method.
    let sheet = workbook.add_worksheet();
    sheet.set_name(lang.tr("Методика", "Method"))?;
    sheet.set_column_width(0, 34)?;
    sheet.set_column_width(1, 80)?;
    let mut row = 0;
    let mut line = |sheet: &mut Worksheet, key: &str, value: &str| -> Result<(), XlsxError> {
        sheet.write_string_with_format(row, 0, key, &header)?;
        sheet.write_string(row, 1, value)?;
        row += 1;
        Ok(())
    };
    line(sheet, lang.tr("Кампания", "Campaign"), campaign_name)?;
    line(
        sheet,
        lang.tr("Версия методики", "Methodology version"),
        &m.version,
    )?;
    let mut lower = 0.0;
    for level in levels {
        let range = match level.below {
            Some(b) => format!("{lower:.2} ≤ R < {b:.2}"),
            None => format!("R ≥ {lower:.2}"),
        };
        line(
            sheet,
            level.name.get(l),
            &format!("{range} ({})", level.colour),
        )?;
        lower = level.below.unwrap_or(lower);
    }
    line(
        sheet,
        lang.tr("Правило скрытия", "Suppression rule"),
        &match lang {
            Lang::Ru => format!(
                "Показатель группы считается, только если ответили не меньше {} человек и доля ответивших не ниже порога группы; иначе — «недостаточно данных» (пустая ячейка). Фактор — средний риск показателей с достаточными данными.",
                m.rules.min_respondents
            ),
            Lang::En => format!(
                "A group's indicator is computed only with at least {} respondents and a response rate at the group's floor or above; otherwise it is «insufficient data» (an empty cell). A factor is the mean risk of its indicators with enough data.",
                m.rules.min_respondents
            ),
        },
    )?;
    for (group, rule) in &m.rules.groups {
        line(
            sheet,
            group.key(),
            &format!(
                "min {} · {} {:.0} %",
                m.rules.min_respondents(*group),
                lang.tr("порог отклика", "response-rate floor"),
                rule.response_rate_floor * 100.0
            ),
        )?;
    }
    workbook.save_to_buffer()
}

/// The programmes of the schools in scope: school, chosen risks, status, measures (overdue ones
/// apart) and targets.
async fn programmes_table(
    gate: &Gate,
    storage: &Storage,
    yardstick: &crate::results::Yardstick,
    viewer: &Viewer,
    in_scope: &crate::scope::InScope,
    lang: Lang,
) -> Result<Table, ServerError> {
    let today = crate::clock::today();
    let later = results::later(gate, viewer, &in_scope.campaign).await?;
    let region = match in_scope.schools.first() {
        Some(s) => Some(yardstick.region(s.region_id).await?),
        None => None,
    };
    let mut rows = Vec::new();
    for p in storage.campaign_programmes(in_scope.campaign.id).await? {
        let Some(school) = in_scope.schools.iter().find(|s| s.school_id == p.school_id) else {
            continue;
        };
        let risks = storage.chosen_risks(p.id).await?;
        let measures = storage.programme_measures(p.id).await?;
        let targets = storage.programme_targets(p.id).await?;
        let result_targets = storage.result_targets(p.id).await?;
        let judged: Vec<crate::results::Judged> = match &region {
            Some(region) => result_targets
                .iter()
                .map(|t| region.judge(gate.methodology(), &school.code, t))
                .collect(),
            None => Vec::new(),
        };
        let verdicts: Vec<_> = judged
            .iter()
            .filter_map(|j| match j {
                crate::results::Judged::Verdict(v) => Some(v),
                crate::results::Judged::Awaiting => None,
            })
            .collect();
        let overdue = measures.iter().filter(|m| m.overdue(today)).count();
        let status = p.status.label(lang);
        rows.push(vec![
            Cell::Text(format!("{} ({})", school.name, school.municipality)),
            Cell::Text(
                risks
                    .iter()
                    .map(|r| r.factor.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            Cell::Text(status.to_owned()),
            Cell::Number(measures.len() as f64),
            Cell::Number(overdue as f64),
            Cell::Number(targets.len() as f64),
            targets_met(gate.methodology(), later.as_ref(), &school.code, &targets),
            Cell::Number(result_targets.len() as f64),
            if verdicts.is_empty() {
                Cell::Text(String::new())
            } else {
                achieved_of(verdicts.into_iter())
            },
        ]);
    }
    Ok(Table {
        columns: [
            "school",
            "chosen_risks",
            "status",
            "measures",
            "overdue_measures",
            "targets",
            "targets_met",
            "result_targets",
            "result_targets_met",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    })
}

/// «achieved / judged» of a programme's targets against the later published campaign; empty
/// until there is one.
fn targets_met(m: &Methodology, later: Option<&Later>, code: &str, targets: &[TargetRow]) -> Cell {
    let Some(later) = later else {
        return Cell::Text(String::new());
    };
    let judged = results::verdicts(m, targets, later.profile(code));
    achieved_of(judged.iter())
}

/// «achieved / judged with data» of verdicts.
fn achieved_of<'a>(verdicts: impl Iterator<Item = &'a surveys::programme::Verdict>) -> Cell {
    let (mut achieved, mut with_data) = (0, 0);
    for v in verdicts {
        achieved += usize::from(v.achievement == Achievement::Achieved);
        with_data += usize::from(v.achievement != Achievement::InsufficientData);
    }
    Cell::Text(format!("{achieved} / {with_data}"))
}

/// `GET /export/campaigns/{id}/matrix.xlsx[?municipality=…&compare=…]`.
pub async fn matrix_xlsx(
    State(gate): State<Gate>,
    State(storage): State<Storage>,
    State(yardstick): State<crate::results::Yardstick>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Query(q): Query<MatrixQuery>,
    headers: HeaderMap,
) -> Result<Response, ServerError> {
    let in_scope = gate
        .campaign(&viewer, id, q.municipality)
        .await?
        .ok_or(ServerError::NotFound)?;
    let unpublished = || Refused::one(At::Whole, Kind::NotPublished);
    let (scored, quality) = gate
        .score_with_quality(&viewer, &in_scope)
        .await?
        .ok_or_else(unpublished)?;
    let mut changes = match q.compare {
        Some(other) => match gate.campaign(&viewer, other, q.municipality).await? {
            Some(before) => {
                let before = gate
                    .score(&viewer, &before)
                    .await?
                    .ok_or_else(unpublished)?;
                Some(
                    gate.compare(&before.profiles, &scored.profiles)
                        .into_iter()
                        .map(|paired| paired.change)
                        .collect::<Vec<_>>(),
                )
            }
            None => None,
        },
        None => None,
    };
    // Names, not registry codes, on every sheet.
    let named = |s: &crate::storage::SchoolInCampaign| format!("{} ({})", s.name, s.municipality);
    for c in changes.iter_mut().flatten() {
        if let Some(s) = in_scope.schools.iter().find(|s| s.code == c.school) {
            c.school = named(s);
        }
    }
    let mut profiles = scored.profiles.clone();
    for (p, s) in profiles.iter_mut().zip(&in_scope.schools) {
        p.school = named(s);
    }
    let programmes = programmes_table(
        &gate,
        &storage,
        &yardstick,
        &viewer,
        &in_scope,
        cookies::lang(&headers),
    )
    .await?;
    let lang = cookies::lang(&headers);
    let results = match in_scope.schools.first() {
        Some(first) => {
            let region = yardstick.region(first.region_id).await?;
            let rows: Vec<crate::results::table::Row<'_>> = in_scope
                .schools
                .iter()
                .map(|s| crate::results::table::Row {
                    code: &s.code,
                    name: &s.name,
                    municipality: &s.municipality,
                })
                .collect();
            region.years.last().map(|year| {
                let table =
                    crate::results::table::wide(gate.methodology(), &region, &rows, *year, lang);
                (*year, table)
            })
        }
        None => None,
    };
    let title = format!(
        "{} — {}",
        in_scope.campaign.name,
        match lang {
            Lang::Ru => format!(
                "публикация № {} от {}",
                scored.publication.number, scored.publication.published_on
            ),
            Lang::En => format!(
                "publication no. {} of {}",
                scored.publication.number, scored.publication.published_on
            ),
        }
    );
    let bytes = matrix_workbook(
        gate.methodology(),
        &title,
        &profiles,
        changes.as_deref(),
        &quality,
        &OtherSheets {
            programmes,
            results,
        },
        lang,
    )
    .map_err(xlsx_error)?;
    Ok(attachment(
        XLSX,
        &format!("orientir-{}-matrix.xlsx", in_scope.campaign.code),
        true,
        bytes,
    ))
}
