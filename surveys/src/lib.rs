//! Orientir's pure domain: the methodology as versioned data (rules, factor catalogue, choice
//! lists, indicators, instruments, deficit and ИОМ catalogues, typical measures), validation of
//! submissions against instruments, and the scoring that turns answers into school risk profiles,
//! teacher deficit results and change between campaigns. No I/O: the default set is embedded at
//! compile time and callers pass everything in (including "today"), so this crate builds for
//! wasm32 and runs the same in the server, the CLI and the browser.

pub mod answers;
pub mod calendar;
pub mod catalogue;
pub mod change;
pub mod cutoff;
pub mod deficits;
pub mod factor;
pub mod feedback;
pub mod form;
pub mod formula;
pub mod indicator;
pub mod instrument;
pub mod key;
pub mod methodology;
pub mod privacy;
pub mod profile;
pub mod programme;
pub mod quality;
pub mod results;
pub mod rules;
pub mod stats;
pub mod tables;
pub mod tally;
pub mod text;

pub use answers::{
    cut_values, echo, replace_page, Answer, Answers, ChoiceLists, Cut, FieldError, RawAnswers,
    RawValue,
};
pub use factor::{Factor, FactorCode};
pub use form::FormRules;
pub use indicator::{Aggregation, Indicator};
pub use instrument::{Choice, ChoiceList, Group, Instrument, Item, ItemKind, Section};
pub use key::Key;
pub use methodology::{LoadError, LoadErrors, Methodology, SourceFile};
pub use profile::{Expected, Response, SchoolProfile};
pub use tally::Tally;
pub use text::Text;
