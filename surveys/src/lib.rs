//! Orientir's pure domain: the methodology as versioned data (risk-factor catalogue, choice lists,
//! instruments) and its typed model. No I/O: the default methodology set is embedded at compile
//! time, and a region's own set is handed in as text, so this crate also builds for wasm32.

pub mod calendar;
pub mod factor;
pub mod instrument;
pub mod methodology;
pub mod text;

pub use factor::{Factor, FactorCode};
pub use instrument::{Choice, ChoiceList, Group, Instrument, Item, ItemKind, Section};
pub use methodology::{LoadError, LoadErrors, Methodology, SourceFile};
pub use text::Text;
