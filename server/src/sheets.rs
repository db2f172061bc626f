//! Tables people upload: a CSV file as a spreadsheet saves it (UTF-8 with or without a byte-order
//! mark, or Windows-1251 as Russian Excel writes «CSV»; `,` or `;` between cells) or the first
//! sheet of a workbook, read within bounds checked before reading (a cell at XFD1048576 or a
//! compressed bomb does not take the server's memory). The registry import, the results import
//! and the paper responses read their files here.

use crate::problem::{At, Kind, Refused};

/// What a workbook may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    /// Bytes once unzipped, counted as the entries unzip.
    pub unzipped: u64,
    pub rows: u32,
    pub columns: u32,
}

impl Bounds {
    /// The refusal of a workbook beyond these bounds.
    fn exceeded(self) -> Kind {
        Kind::TooLargeXlsx {
            rows: self.rows,
            columns: self.columns,
            megabytes: self.unzipped >> 20,
        }
    }

    /// A region's registry: a few thousand schools, with room to spare.
    pub const REGISTRY: Bounds = Bounds {
        unzipped: 64 << 20,
        rows: 50_000,
        columns: 26,
    };
    /// A region's year of results: 1,000 schools × 60 assessments and more.
    pub const RESULTS: Bounds = Bounds {
        unzipped: 192 << 20,
        rows: 200_000,
        columns: 40,
    };
}

/// The text of the file and its encoding; `Err(line)` with the first line that is neither
/// UTF-8 nor plausibly Windows-1251.
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str), u64> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((text.to_owned(), "UTF-8")),
        Err(_) if looks_like_windows_1251(bytes) => {
            let (text, _, _) = encoding_rs::WINDOWS_1251.decode(bytes);
            Ok((text.into_owned(), "Windows-1251"))
        }
        Err(e) => {
            let newlines = bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n');
            Err(newlines.count() as u64 + 1)
        }
    }
}

/// Whether the bytes above ASCII are, nearly all, what Russian text in Windows-1251 is made of:
/// Cyrillic letters (0xC0–0xFF, Ё and ё) and its usual punctuation (« » № – — … and the
/// no-break space). UTF-8 text fails this: half of its bytes above ASCII are below 0xC0.
fn looks_like_windows_1251(bytes: &[u8]) -> bool {
    let high: Vec<u8> = bytes.iter().copied().filter(|b| *b >= 0x80).collect();
    let russian = high
        .iter()
        .filter(|b| {
            **b >= 0xC0
                || matches!(
                    **b,
                    0xA8 | 0xB8 | 0xAB | 0xBB | 0xB9 | 0x96 | 0x97 | 0x85 | 0xA0
                )
        })
        .count();
    !high.is_empty() && russian * 10 >= high.len() * 9
}

/// `;` when the header line has more of them than commas (Russian Excel), else `,`.
pub fn delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or_default();
    let count = |c: char| first.chars().filter(|x| *x == c).count();
    if count(';') > count(',') {
        b';'
    } else {
        b','
    }
}

/// Reads an uploaded file into rows of text cells (CSV or XLSX by content): CSV in UTF-8 (with
/// or without a byte-order mark) or Windows-1251, `,` or `;` between cells.
pub fn read_table(name: &str, bytes: &[u8], bounds: Bounds) -> Result<Vec<Vec<String>>, Refused> {
    let whole = |kind: Kind| Refused::one(At::Whole, kind);
    let is_xlsx = bytes.starts_with(b"PK") || name.to_lowercase().ends_with(".xlsx");
    if is_xlsx {
        return read_xlsx(bytes, bounds);
    }
    let (text, _) = decode(bytes).map_err(|_| whole(Kind::NotUtf8))?;
    let delimiter = delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    reader
        .records()
        .enumerate()
        .map(|(n, r)| {
            r.map(|r| r.iter().map(str::to_owned).collect())
                .map_err(|_| Refused::one(At::Row(n as u64 + 1, None), Kind::NotCsv))
        })
        .collect()
}

/// The first sheet of a workbook as rows of text cells, from its first used row and column (as
/// a spreadsheet shows them), refusing a file beyond its bounds before reading it.
fn read_xlsx(bytes: &[u8], bounds: Bounds) -> Result<Vec<Vec<String>>, Refused> {
    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
    use std::io::Read;
    let whole = |kind: Kind| Refused::one(At::Whole, kind);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|_| whole(Kind::UnreadableXlsx))?;
    // Counted as the entries unzip, not taken from the sizes the archive declares, which may lie
    // (a megabyte that unzips to gigabytes while it says kilobytes); no further than the bound.
    let mut unzipped = 0u64;
    for i in 0..archive.len() {
        let entry = archive
            .by_index(i)
            .map_err(|_| whole(Kind::UnreadableXlsx))?;
        let room = bounds.unzipped - unzipped;
        unzipped += std::io::copy(&mut Read::take(entry, room + 1), &mut std::io::sink())
            .map_err(|_| whole(Kind::UnreadableXlsx))?;
        if unzipped > bounds.unzipped {
            return Err(whole(bounds.exceeded()));
        }
    }
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes))
        .map_err(|_| whole(Kind::UnreadableXlsx))?;
    let first = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| whole(Kind::NoSheets))?;
    let mut reader = book
        .worksheet_cells_reader(&first)
        .map_err(|_| whole(Kind::UnreadableSheet))?;
    let within = |(row, column): (u32, u32)| row < bounds.rows && column < bounds.columns;
    if !within(reader.dimensions().end) {
        return Err(whole(bounds.exceeded()));
    }
    let mut cells = Vec::new();
    while let Some(cell) = reader
        .next_cell()
        .map_err(|_| whole(Kind::UnreadableSheet))?
    {
        let at = cell.get_position();
        if !within(at) {
            return Err(whole(bounds.exceeded()));
        }
        let value = Data::from(cell.get_value().clone());
        if value != Data::Empty {
            cells.push((at, value.to_string()));
        }
    }
    let top = cells.iter().map(|((r, _), _)| *r).min().unwrap_or(0);
    let left = cells.iter().map(|((_, c), _)| *c).min().unwrap_or(0);
    let mut rows: Vec<Vec<String>> = Vec::new();
    for ((r, c), value) in cells {
        let (r, c) = ((r - top) as usize, (c - left) as usize);
        if rows.len() <= r {
            rows.resize(r + 1, Vec::new());
        }
        if rows[r].len() <= c {
            rows[r].resize(c + 1, String::new());
        }
        rows[r][c] = value;
    }
    // Like a sheet's range, every row as wide as the widest.
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    for row in &mut rows {
        row.resize(width, String::new());
    }
    Ok(rows)
}

/// The `file` field of a multipart form: its name (cut to 200 characters) and bytes; the other
/// fields are passed over. No file, or an empty one, is a refusal.
pub async fn file_field(
    multipart: &mut axum::extract::Multipart,
) -> Result<(String, axum::body::Bytes), Refused> {
    let mut file = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("file") {
            file = Some(uploaded(field).await?);
        }
    }
    file.filter(|(_, b)| !b.is_empty())
        .ok_or_else(|| Refused::one(At::Whole, Kind::NoFile))
}

/// A file field's name (cut to 200 characters) and bytes; one that broke off is a refusal.
pub async fn uploaded(
    field: axum::extract::multipart::Field<'_>,
) -> Result<(String, axum::body::Bytes), Refused> {
    let name: String = field
        .file_name()
        .unwrap_or_default()
        .chars()
        .take(200)
        .collect();
    let bytes = field
        .bytes()
        .await
        .map_err(|_| Refused::one(At::Whole, Kind::Incomplete))?;
    Ok((name, bytes))
}

/// `read_table` off the threads that answer requests (unzipping and parsing take a while).
pub async fn read_table_aside(
    name: String,
    bytes: axum::body::Bytes,
    bounds: Bounds,
) -> Result<Vec<Vec<String>>, crate::error::ServerError> {
    tokio::task::spawn_blocking(move || read_table(&name, &bytes, bounds))
        .await
        .map_err(|e| {
            crate::error::ServerError::Inconsistent(format!("reading an upload stopped: {e}"))
        })?
        .map_err(Into::into)
}
