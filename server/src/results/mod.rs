//! Educational results (ВПР, ОГЭ, ЕГЭ, regional diagnostics) beside the risk profile: a region's
//! results read once per import into the methodology's terms (`Region`), the results page and a
//! school's card (`pages.rs`), the import in two layouts (`import.rs`, its routes in `routes.rs`),
//! templates, cohorts and the exports of the results table. Every figure comes from `surveys`;
//! nothing under the methodology's minimum of participants leaves this room.

pub mod import;
mod pages;
pub mod routes;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use app::access::{Role, Scope, Viewer};
use surveys::results::{Context, PeerGroup, SchoolResults};
use surveys::SchoolProfile;

use crate::error::ServerError;
use crate::memo::Memo;
use crate::scope::Gate;
use crate::storage::{CohortRow, PlacedSchool, Storage};

/// Regions kept read (each is a region's results for every year).
const REGIONS_KEPT: usize = 8;

/// A region's results as the methodology reads them.
pub struct Region {
    pub id: i64,
    pub name: String,
    /// The region's schools, by municipality and name.
    pub schools: Vec<PlacedSchool>,
    /// By school code.
    pub results: BTreeMap<String, SchoolResults>,
    pub contexts: BTreeMap<String, Context>,
    pub groups: BTreeMap<String, PeerGroup>,
    /// Years with any results, oldest first.
    pub years: Vec<u16>,
    pub cohorts: Vec<CohortRow>,
    /// The settlements the peer groups were drawn from.
    settlements: Vec<(i64, Option<String>)>,
}

impl Region {
    pub fn school(&self, id: i64) -> Option<&PlacedSchool> {
        self.schools.iter().find(|s| s.id == id)
    }

    /// The cohorts of a school: (category key, year), newest first.
    pub fn cohorts_of(&self, school: i64) -> Vec<(&str, i64)> {
        self.cohorts
            .iter()
            .filter(|c| c.school_id == school)
            .map(|c| (c.category.as_str(), c.year))
            .collect()
    }
}

/// What a region's reading depends on: its imports, the publications (contexts come from the
/// latest published profiles) and the cohorts.
type Version = (i64, i64, i64, i64);

/// The results room: reads a region once per change and keeps it.
#[derive(Clone)]
pub struct Yardstick {
    pub storage: Storage,
    pub gate: Gate,
    kept: Arc<Memo<Version, Region>>,
}

impl Yardstick {
    pub fn new(storage: Storage, gate: Gate) -> Yardstick {
        Yardstick {
            storage,
            gate,
            kept: Arc::new(Memo::new(REGIONS_KEPT)),
        }
    }

    /// The region whose results a viewer reads: a regional coordinator's own, an admin's chosen
    /// one (or the first), otherwise the region of the viewer's schools.
    pub async fn region_of(
        &self,
        viewer: &Viewer,
        asked: Option<i64>,
    ) -> Result<Option<i64>, ServerError> {
        Ok(match (&viewer.role, &viewer.scope) {
            (_, Scope::Region(id)) => Some(*id),
            (Role::Admin, _) => {
                let schools = self.storage.schools_with_place().await?;
                match asked {
                    Some(id) if schools.iter().any(|s| s.region_id == id) => Some(id),
                    _ => schools.first().map(|s| s.region_id),
                }
            }
            _ => self.gate.schools(viewer).await?.first().map(|s| s.region_id),
        })
    }

    /// A region's results, contexts and peer groups (kept until something they depend on changes).
    pub async fn region(&self, region_id: i64) -> Result<Arc<Region>, ServerError> {
        let version = self.storage.results_version(region_id).await?;
        let key = (region_id, version.0, version.1, version.2);
        let settlements = self.storage.settlements().await?;
        if let Some(kept) = self.kept.get(&key) {
            if kept.settlements == settlements {
                return Ok(kept);
            }
        }
        let region = Arc::new(self.read_region(region_id, settlements).await?);
        let weight = region.results.values().map(BTreeMap::len).sum::<usize>().max(1);
        self.kept.put(key, region.clone(), weight);
        Ok(region)
    }

    async fn read_region(
        &self,
        region_id: i64,
        settlements: Vec<(i64, Option<String>)>,
    ) -> Result<Region, ServerError> {
        let m = self.gate.methodology();
        let mut schools = self.storage.schools_with_place().await?;
        schools.retain(|s| s.region_id == region_id);
        let name = schools.first().map(|s| s.region.clone()).unwrap_or_default();
        let code_of: HashMap<i64, &str> = schools.iter().map(|s| (s.id, s.code.as_str())).collect();
        let mut results: BTreeMap<String, SchoolResults> = BTreeMap::new();
        let mut years = std::collections::BTreeSet::new();
        for row in self.storage.region_results(region_id).await? {
            let Some(code) = code_of.get(&row.school_id) else { continue };
            years.insert(row.year);
            results
                .entry((*code).to_owned())
                .or_default()
                .insert((row.assessment, row.year), row.figures);
        }
        let (profiles, students) = self.latest_profiles(region_id).await?;
        let settled: HashMap<i64, Option<String>> = settlements.iter().cloned().collect();
        let contexts: BTreeMap<String, Context> = schools
            .iter()
            .map(|s| {
                let indicators = profiles
                    .get(&s.id)
                    .map(|p| {
                        m.results
                            .context
                            .iter()
                            .filter_map(|c| {
                                let v = p.indicator(&c.indicator)?.value?;
                                Some((c.indicator.clone(), v))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let context = Context {
                    settlement: settled.get(&s.id).cloned().flatten(),
                    students: students.get(&s.id).copied(),
                    indicators,
                };
                (s.code.clone(), context)
            })
            .collect();
        let groups = surveys::results::peer_groups(&m.results, &contexts);
        Ok(Region {
            id: region_id,
            name,
            cohorts: self.storage.region_cohorts(region_id).await?,
            schools,
            results,
            contexts,
            groups,
            years: years.into_iter().collect(),
            settlements,
        })
    }

    /// The newest published profiles of a region's schools as the region reads them (without
    /// noise: the principal's numbers, which describe the school), and the students each
    /// school's newest campaign expects.
    async fn latest_profiles(
        &self,
        region_id: i64,
    ) -> Result<(HashMap<i64, SchoolProfile>, HashMap<i64, u32>), ServerError> {
        let region = Viewer {
            user_id: 0,
            login: String::new(),
            name: String::new(),
            role: Role::Regional,
            scope: Scope::Region(region_id),
            csrf: String::new(),
        };
        let mut profiles = HashMap::new();
        let mut students = HashMap::new();
        let mut campaigns = self.storage.campaigns().await?;
        campaigns.sort_by(|a, b| b.opens_on.cmp(&a.opens_on).then(b.id.cmp(&a.id)));
        for c in campaigns {
            let Some(in_scope) = self.gate.campaign(&region, c.id, None).await? else {
                continue;
            };
            for s in &in_scope.schools {
                students
                    .entry(s.school_id)
                    .or_insert_with(|| u32::try_from(s.expected_students).unwrap_or(0));
            }
            if let Some(scored) = self.gate.score(&region, &in_scope).await? {
                for (s, p) in in_scope.schools.iter().zip(&scored.profiles) {
                    profiles.entry(s.school_id).or_insert_with(|| p.clone());
                }
            }
        }
        Ok((profiles, students))
    }
}
