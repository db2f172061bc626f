//! The building blocks of the documents features write for download: Word documents on A4 as
//! Russian documents are laid out (every text through `run`, made safe for XML), and a format-free
//! table (`surveys::tables`) written into a worksheet. Shared by the features below which they sit
//! (programmes, support, results, exports).

use docx_rs::{Docx, PageMargin, Paragraph, Run, RunFonts, Table, TableCell, TableRow, WidthType};
use rust_xlsxwriter::{Color, Format, FormatBorder, Worksheet, XlsxError};
use surveys::tables::{Cell, Table as SheetTable};

use crate::error::ServerError;
use crate::scope::{published, respondents_band};

/// The content type of a Word document.
pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// A4 in twentieths of a point, and 2 cm (left 3 cm) margins, as Russian documents are laid out.
const A4: (u32, u32) = (11_906, 16_838);
/// The width of the text between the margins, in twentieths of a point.
const TEXT_WIDTH: usize = 11_906 - 1_701 - 850;

/// Text as XML 1.0 may hold it: the control characters it forbids (all under U+0020 but tab,
/// line feed and carriage return, and U+FFFE, U+FFFF) are dropped. One typed U+0001 in a measure
/// made the whole document unopenable; docx-rs escapes markup but keeps these.
fn xml_safe(t: &str) -> String {
    t.chars()
        .filter(|c| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..))
        .collect()
}

/// A run of text: every text of the document goes through here.
pub fn run(t: &str) -> Run {
    Run::new().add_text(xml_safe(t))
}

pub fn text(t: &str) -> Paragraph {
    Paragraph::new().add_run(run(t))
}

pub fn heading(t: &str, size: usize) -> Paragraph {
    Paragraph::new().add_run(run(t).bold().size(size))
}

/// A table with a bold header row, its columns in proportion to `widths`.
pub fn table(header: &[&str], rows: Vec<Vec<String>>, widths: &[usize]) -> Table {
    let total: usize = widths.iter().sum();
    let grid: Vec<usize> = widths.iter().map(|w| w * TEXT_WIDTH / total).collect();
    let cell = |t: &str, bold: bool| {
        let small = run(t).size(20);
        TableCell::new().add_paragraph(Paragraph::new().add_run(if bold {
            small.bold()
        } else {
            small
        }))
    };
    let mut all = vec![TableRow::new(
        header.iter().map(|h| cell(h, true)).collect(),
    )];
    all.extend(
        rows.into_iter()
            .map(|r| TableRow::new(r.iter().map(|c| cell(c, false)).collect())),
    );
    Table::new(all)
        .set_grid(grid)
        .width(TEXT_WIDTH, WidthType::Dxa)
}

/// An empty A4 document with 2 cm margins (3 cm on the left), Times New Roman 12 pt.
pub fn a4() -> Docx {
    Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(
            PageMargin::new()
                .top(1134)
                .bottom(1134)
                .left(1701)
                .right(850),
        )
        .default_fonts(
            RunFonts::new()
                .ascii("Times New Roman")
                .hi_ansi("Times New Roman")
                .cs("Times New Roman"),
        )
        .default_size(24)
}

/// The document's bytes.
pub fn pack(doc: Docx) -> Result<Vec<u8>, ServerError> {
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .map_err(|e| ServerError::Write(e.to_string()))?;
    Ok(out.into_inner())
}

/// Writes a table from (row, 0): a bold header, then its cells; numbers stay numbers.
pub fn write_table(
    sheet: &mut Worksheet,
    table: &SheetTable,
    first_row: u32,
) -> Result<(), XlsxError> {
    write_rows(
        sheet,
        &table.columns,
        table.rows.iter().map(Vec::as_slice),
        first_row,
    )
}

/// Writes a header and rows as they come from (row, 0), the rows in order: a constant-memory
/// worksheet keeps none of them, and the rows need not be held either.
pub fn write_rows<R: AsRef<[Cell]>>(
    sheet: &mut Worksheet,
    columns: &[String],
    rows: impl Iterator<Item = R>,
    first_row: u32,
) -> Result<(), XlsxError> {
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xF3F5F7))
        .set_border_bottom(FormatBorder::Thin);
    for (c, name) in columns.iter().enumerate() {
        sheet.write_string_with_format(first_row, c as u16, name, &header)?;
    }
    // Counts of respondents are published as bands under ten, values with two decimals.
    let counts = columns.iter().position(|c| c == "respondents");
    for (r, row) in rows.enumerate() {
        let r = first_row + 1 + r as u32;
        for (c, cell) in row.as_ref().iter().enumerate() {
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

#[cfg(test)]
mod tests {
    #[test]
    fn characters_xml_forbids_are_dropped_and_the_rest_kept() {
        assert_eq!(
            super::xml_safe("a\u{1}b\u{8}\tc\nd\u{FFFE}е\u{1F600}"),
            "ab\tc\ndе\u{1F600}"
        );
    }
}
