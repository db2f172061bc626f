//! One CSV file of paper responses as a person's spreadsheet saves it: UTF-8 (with or without a
//! byte-order mark) or Windows-1251 (what Russian Excel writes as «CSV»), `,` or `;` between
//! cells, a header that is the instrument's template (no column twice, none unknown, none
//! missing), and rows exactly as long as the header.

use surveys::echo;

use super::RowProblem;
use crate::problem::Kind;

/// A file read: its header and rows, and the encoding it was read in.
#[derive(Debug)]
pub struct Sheet {
    pub header: Vec<String>,
    pub rows: Vec<Row>,
    pub encoding: &'static str,
}

/// A row as long as the header, with the line it starts on.
#[derive(Debug)]
pub struct Row {
    pub line: u64,
    pub cells: Vec<String>,
}

/// Reads `bytes` of the file `file`, whose header must hold exactly `columns`. A file that
/// cannot be read, or whose header is not the template's, is one problem and no rows; rows of
/// another length are problems of their own, and the other rows are read.
pub fn read(
    file: &str,
    bytes: &[u8],
    columns: &[&str],
) -> Result<(Sheet, Vec<RowProblem>), RowProblem> {
    let problem =
        |line: u64, reason: String| RowProblem::new(file, line, None, Kind::Other(reason));
    let (text, encoding) = crate::sheets::decode(bytes).map_err(|line| {
        problem(
            line,
            "is not UTF-8 (nor Windows-1251); save the file as «CSV UTF-8»".into(),
        )
    })?;
    let delimiter = crate::sheets::delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header: Vec<String> = match records.next() {
        Some(Ok(h)) => h.iter().map(|c| c.trim().to_owned()).collect(),
        Some(Err(e)) => return Err(problem(1, echo(&e.to_string()))),
        None => return Err(problem(1, "is empty: no header".into())),
    };
    check_header(&header, columns).map_err(|reason| problem(1, reason))?;
    // The physical line a record starts on, counted from its byte offset: the CSV reader's own
    // line count was one too low in files with CRLF line ends (what Russian Excel saves).
    let line_at = |position: Option<&csv::Position>| {
        position.map_or(0, |p| {
            let bytes = text.as_bytes();
            let mut upto = usize::try_from(p.byte())
                .unwrap_or(usize::MAX)
                .min(bytes.len());
            // A record's position may be the empty lines the reader skipped before it.
            while upto < bytes.len() && matches!(bytes[upto], b'\r' | b'\n') {
                upto += 1;
            }
            bytes[..upto].iter().filter(|b| **b == b'\n').count() as u64 + 1
        })
    };
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = line_at(e.position());
                problems.push(problem(line, echo(&e.to_string())));
                continue;
            }
        };
        let line = line_at(record.position());
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if record.len() != header.len() {
            let unclosed = record.iter().any(|c| c.contains('\n'));
            problems.push(problem(
                line,
                format!(
                    "{} cells, but the header has {}{}; the row is not scored",
                    record.len(),
                    header.len(),
                    if unclosed {
                        " (a quote \" opened and never closed?)"
                    } else {
                        ""
                    }
                ),
            ));
            continue;
        }
        rows.push(Row {
            line,
            cells: record.iter().map(str::to_owned).collect(),
        });
    }
    Ok((
        Sheet {
            header,
            rows,
            encoding,
        },
        problems,
    ))
}

/// The header must be the template's columns: none twice, none unknown, none missing.
fn check_header(header: &[String], columns: &[&str]) -> Result<(), String> {
    let mut seen: Vec<&str> = Vec::new();
    for name in header {
        if seen.contains(&name.as_str()) {
            return Err(format!(
                "column `{}` appears twice in the header",
                echo(name)
            ));
        }
        seen.push(name);
    }
    let unknown: Vec<String> = header
        .iter()
        .filter(|h| !columns.contains(&h.as_str()))
        .map(|h| format!("`{}`", echo(h)))
        .collect();
    let missing: Vec<String> = columns
        .iter()
        .filter(|c| !header.iter().any(|h| h == *c))
        .map(|c| format!("`{c}`"))
        .collect();
    let mut reasons = Vec::new();
    if !unknown.is_empty() {
        reasons.push(format!("unknown column(s) {}", unknown.join(", ")));
    }
    if !missing.is_empty() {
        reasons.push(format!("missing column(s) {}", missing.join(", ")));
    }
    if reasons.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the header is not the instrument's template: {}; write a fresh one with `orientir template`; the file is not scored",
            reasons.join("; ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_excel_csv_is_read_as_windows_1251_with_semicolons() {
        let (bytes, _, _) =
            encoding_rs::WINDOWS_1251.encode("school;comment\nш1;Всё хорошо «да»\n");
        let (sheet, problems) = read("parent.csv", &bytes, &["school", "comment"]).expect("read");
        assert!(problems.is_empty());
        assert_eq!(sheet.encoding, "Windows-1251");
        assert_eq!(sheet.rows[0].cells, ["ш1", "Всё хорошо «да»"]);
    }

    #[test]
    fn utf8_with_a_byte_order_mark_is_utf8() {
        let text = "\u{feff}school,comment\nш1,да\n";
        let (sheet, _) = read("parent.csv", text.as_bytes(), &["school", "comment"]).expect("read");
        assert_eq!(
            (sheet.encoding, sheet.header[0].as_str()),
            ("UTF-8", "school")
        );
    }

    #[test]
    fn bytes_that_are_neither_name_their_line() {
        let mut bytes = b"school,comment\ns1,ok\ns2,ok\n".to_vec();
        bytes.extend_from_slice(b"s3,\xFF\xFE\x80\x81\n");
        let problem = read("parent.csv", &bytes, &["school", "comment"]).expect_err("refused");
        assert_eq!(
            problem.to_string(),
            "parent.csv: line 4: is not UTF-8 (nor Windows-1251); save the file as «CSV UTF-8»"
        );
    }

    #[test]
    fn rows_name_their_physical_line_whatever_ends_the_lines() {
        for end in ["\n", "\r\n"] {
            let text = [
                "school,comment",
                "s1,ok",
                "",
                "s2,ok",
                "s3",
                "s4,\"two",
                "lines\"",
                "s5",
            ]
            .join(end);
            let (sheet, problems) =
                read("parent.csv", text.as_bytes(), &["school", "comment"]).expect("read");
            let lines: Vec<u64> = sheet.rows.iter().map(|r| r.line).collect();
            assert_eq!(lines, [2, 4, 6], "rows, lines ended by {end:?}");
            let refused: Vec<u64> = problems
                .iter()
                .map(|p| match p.problem.at {
                    crate::problem::At::Row(line, _) => line,
                    _ => 0,
                })
                .collect();
            assert_eq!(refused, [5, 8], "problems, lines ended by {end:?}");
        }
    }
}
