//! Files coordinators download: the matrix workbook with its indicators, change and method
//! (`workbook`), and the raw responses as CSV or XLSX, streamed (`raw`).

pub mod raw;
pub mod workbook;
