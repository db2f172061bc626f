//! Excel workbooks for coordinators, built from the engine's format-free tables
//! (`surveys::tables`): the matrix (level colours as conditional formatting, frozen headers),
//! every indicator behind every level, the change against another campaign when one is chosen,
//! a native chart of the level distribution per factor, and the method: version, cut-offs and the
//! suppression rule. Numbers are written as numbers.

use app::i18n::Lang;
use rust_xlsxwriter::{
    Chart, ChartType, Color, ConditionalFormatFormula, Format, Workbook, Worksheet, XlsxError,
};
use surveys::tables::{self, Table};
use surveys::Methodology;

use crate::documents::{write_rows, write_table};
use crate::error::ServerError;

pub fn xlsx_error(e: XlsxError) -> ServerError {
    ServerError::Write(format!("cannot build the workbook: {e}"))
}

fn colour(hex: &str) -> Color {
    Color::RGB(u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap_or(0xE6E8EB))
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
    // The sheets of a row per school or more are written row by row and not kept (a region of
    // 10,000 schools is half a million rows of indicators).
    let sheet = workbook.add_worksheet_with_constant_memory();
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
    let sheet = workbook.add_worksheet_with_constant_memory();
    sheet.set_name(lang.tr("Показатели", "Indicators"))?;
    sheet.set_freeze_panes(1, 0)?;
    sheet.set_column_width(0, 30)?;
    sheet.set_column_width(5, 50)?;
    write_rows(
        sheet,
        &tables::indicators_long_columns(),
        tables::indicators_long_rows(m, profiles, l),
        0,
    )?;

    // The change against the other campaign.
    if let Some(changes) = changes {
        let sheet = workbook.add_worksheet_with_constant_memory();
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
    let sheet = workbook.add_worksheet_with_constant_memory();
    sheet.set_name(lang.tr("Программы", "Programmes"))?;
    write_table(sheet, programmes, 0)?;
    sheet.set_freeze_panes(1, 0)?;
    sheet.set_column_width(0, 36)?;

    // The schools' educational results of the newest year imported.
    if let Some((year, table)) = results {
        let sheet = workbook.add_worksheet_with_constant_memory();
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
