//! Support work: a school's questions to its curator and municipal coordinator and the knowledge
//! base (`consultations.rs`), visits and recommendations (`visits.rs`), regional and municipal
//! events with their anonymous feedback (`events.rs`), roadmaps (`roadmaps.rs`), the files of
//! all of them (`files.rs`), the reminders swept every hour (`reminders.rs`), the inbox and its
//! settings (`inbox.rs`) and the pages (`pages.rs`, behind `app::support::SupportSource`).
//!
//! Who sees what: a school its own, a curator its schools, a municipality its schools, the
//! region all of its own (`Reach`); every change goes into the object's history in the
//! transaction of the change.

pub mod consultations;
pub mod events;
pub mod files;
pub mod inbox;
pub mod pages;
pub mod reminders;
pub mod roadmap_doc;
pub mod roadmaps;
pub mod visits;

use std::collections::{HashMap, HashSet};

use app::access::{Role, Scope, Viewer};
use surveys::calendar::Day;

use crate::clock;
use crate::error::ServerError;
use crate::memo::Memo;
use crate::notify::Notifier;
use crate::problem::{At, Kind, Refused};
use crate::scope::Gate;
use crate::storage::{Change, PlacedSchool, Storage};

/// What the support routes share.
#[derive(Clone)]
pub struct Support {
    pub storage: Storage,
    pub gate: Gate,
    pub notifier: Notifier,
    pub quota: crate::config::UploadQuota,
    pub today: fn() -> Day,
    /// Whether this server sends mail (the inbox page says so).
    pub mail: bool,
    /// The start page's support figures, kept per support version and day.
    pub tallies: Memo<pages::TalliesKey, pages::Tallies>,
}

/// The schools, municipalities and regions a viewer reaches.
pub struct Reach {
    pub schools: HashMap<i64, PlacedSchool>,
    pub municipalities: HashSet<i64>,
    pub regions: HashSet<i64>,
}

impl Reach {
    pub fn school(&self, id: i64) -> Option<&PlacedSchool> {
        self.schools.get(&id)
    }

    /// The only school of a school's account.
    pub fn own_school(&self, viewer: &Viewer) -> Option<&PlacedSchool> {
        match (&viewer.role, &viewer.scope) {
            (Role::School, Scope::Schools(ids)) => ids.first().and_then(|id| self.school(*id)),
            _ => None,
        }
    }

    /// The schools in the order of the registry (region, municipality, name).
    pub fn sorted(&self) -> Vec<&PlacedSchool> {
        let mut list: Vec<&PlacedSchool> = self.schools.values().collect();
        list.sort_by(|a, b| {
            (&a.region, &a.municipality, &a.name).cmp(&(&b.region, &b.municipality, &b.name))
        });
        list
    }
}

impl Support {
    pub fn new(
        storage: Storage,
        gate: Gate,
        notifier: Notifier,
        quota: crate::config::UploadQuota,
        today: fn() -> Day,
        mail: bool,
    ) -> Support {
        Support {
            storage,
            gate,
            notifier,
            quota,
            today,
            mail,
            tallies: Memo::new(pages::TALLIES_KEPT),
        }
    }

    /// What the viewer reaches.
    pub async fn reach(&self, viewer: &Viewer) -> Result<Reach, ServerError> {
        let all = self.storage.schools_with_place().await?;
        let mut reach = Reach {
            schools: HashMap::new(),
            municipalities: HashSet::new(),
            regions: HashSet::new(),
        };
        for s in &all {
            if viewer.scope.allows(s.place()) {
                reach.municipalities.insert(s.municipality_id);
                reach.regions.insert(s.region_id);
            }
        }
        if let Scope::Region(r) = viewer.scope {
            reach.regions.insert(r);
        }
        for s in all {
            if viewer.scope.allows(s.place()) {
                reach.schools.insert(s.id, s);
            }
        }
        Ok(reach)
    }

    /// A change by the viewer, now.
    pub fn change<'a>(
        viewer: &Viewer,
        kind: &'a str,
        owner_id: i64,
        school_id: Option<i64>,
        action: &'a str,
        detail: &'a str,
    ) -> Change<'a> {
        Change {
            kind,
            owner_id,
            school_id,
            user_id: viewer.user_id,
            at: clock::now(),
            action,
            detail,
        }
    }
}

/// Whether the viewer supports schools: plans visits, answers questions.
pub fn supports(viewer: &Viewer) -> bool {
    app::access::SUPPORTERS.contains(&viewer.role)
}

/// Whether the viewer organises events and keeps roadmaps in `region` (and, for a municipal
/// one, `municipality`): an admin anywhere, a regional coordinator its region's, a municipal
/// coordinator its municipality's.
pub fn organises(viewer: &Viewer, region: i64, municipality: Option<i64>) -> bool {
    match (&viewer.role, &viewer.scope) {
        (Role::Admin, _) => true,
        (Role::Regional, Scope::Region(r)) => *r == region,
        (Role::Municipal, Scope::Municipality(m)) => municipality == Some(*m),
        _ => false,
    }
}

pub use crate::problem::form_day as day;

/// A count of people of a form (0–500), or the field named.
pub fn count(text: &str, field: &'static str) -> Result<i64, Refused> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(0);
    }
    t.parse::<i64>()
        .ok()
        .filter(|n| (0..=500).contains(n))
        .ok_or_else(|| Refused::one(At::Field(field), Kind::Count))
}

/// A required text of a form, trimmed, at most `max` characters.
pub fn text(value: &str, field: &'static str, max: u64) -> Result<String, Refused> {
    let t = value.trim();
    if t.is_empty() {
        return Err(Refused::one(At::Field(field), Kind::Empty));
    }
    if t.chars().count() as u64 > max {
        return Err(Refused::one(
            At::Field(field),
            Kind::Length {
                min: None,
                max: Some(max),
            },
        ));
    }
    Ok(t.to_owned())
}

/// An optional text of a form, trimmed, at most `max` characters.
pub fn optional_text(value: &str, field: &'static str, max: u64) -> Result<String, Refused> {
    if value.trim().is_empty() {
        Ok(String::new())
    } else {
        text(value, field, max)
    }
}

/// The methodology's factors as (code, name) in the reader's language.
pub fn factor_names(gate: &Gate, lang: app::i18n::Lang) -> Vec<(String, String)> {
    gate.methodology()
        .factors
        .iter()
        .map(|f| (f.code.0.to_string(), f.name.get(lang.code()).to_owned()))
        .collect()
}

/// A place of a form's choice (`region:ID` or `municipality:ID`) within reach, as (region,
/// municipality), or the field named.
pub fn place(
    value: &str,
    reach: &Reach,
    field: &'static str,
) -> Result<(i64, Option<i64>), Refused> {
    let bad = || Refused::one(At::Field(field), Kind::Invalid);
    let (kind, id) = value.split_once(':').ok_or_else(bad)?;
    let id: i64 = id.parse().map_err(|_| bad())?;
    match kind {
        "region" if reach.regions.contains(&id) => Ok((id, None)),
        "municipality" => reach
            .schools
            .values()
            .find(|s| s.municipality_id == id)
            .map(|s| (s.region_id, Some(id)))
            .ok_or_else(bad),
        _ => Err(bad()),
    }
}

/// The schools of typed registry codes (separated by commas, semicolons, spaces or lines),
/// each among `within`, in the order typed; an unknown code is named in `field`.
pub fn schools_by_code<'a>(
    text: &str,
    within: &[&'a PlacedSchool],
    field: &'static str,
) -> Result<Vec<&'a PlacedSchool>, Refused> {
    let mut found = Vec::new();
    for code in text
        .split([',', ';', ' ', '\n', '\r', '\t'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        let school = within
            .iter()
            .find(|s| s.code.eq_ignore_ascii_case(code))
            .ok_or_else(|| Refused::one(At::Field(field), Kind::UnknownSchool(code.to_owned())))?;
        if !found.iter().any(|f: &&PlacedSchool| f.id == school.id) {
            found.push(*school);
        }
    }
    Ok(found)
}

/// A moment in words (UTC).
pub fn moment(at: i64) -> String {
    clock::moment(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_values_are_checked_with_their_field() {
        assert_eq!(count("", "teachers"), Ok(0));
        assert_eq!(count(" 12 ", "teachers"), Ok(12));
        assert!(count("-1", "teachers").is_err());
        assert!(count("501", "teachers").is_err());
        assert!(text("  ", "title", 10).is_err());
        assert_eq!(text(" вопрос ", "title", 10), Ok("вопрос".into()));
        assert!(text("слишком длинный", "title", 5).is_err());
        assert!(day("2026-02-30", "due_on").is_err());
        assert_eq!(optional_text("", "findings", 5), Ok(String::new()));
    }
}
