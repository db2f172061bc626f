//! Files coordinators download: the matrix workbook with its indicators, change and method
//! (`workbook`), the raw responses as CSV or XLSX, streamed (`raw`), a school's anti-risk
//! programme as a Word document (`programme_doc`), and the educational results table with its
//! codebook (`results`).

pub mod raw;
pub mod workbook;
