//! Files coordinators download: the matrix workbook with its indicators, change and method
//! (`workbook`), the raw responses as CSV or XLSX, streamed (`raw`), and a school's anti-risk
//! programme as a Word document (`programme_doc`).

pub mod programme_doc;
pub mod raw;
pub mod workbook;
