//! The yardstick: a region's educational results (ВПР, ОГЭ, ЕГЭ, regional diagnostics) read once
//! per import into the methodology's terms (`Region`, kept until an import, a publication or a
//! cohort changes), their contexts and peer groups, the judging of results targets, and the
//! format-free results table (`table.rs`). A gate beside `scope`: the results' pages
//! (the `results` room), the programmes' targets and the exports read results only through it.
//! Every figure comes from `surveys`; nothing under the methodology's minimum of participants
//! leaves it.

pub mod table;

/// A figure of an indicator: a share as a percentage, a mean mark with two decimals.
pub fn figure(value: f64, share: bool) -> String {
    if share {
        format!("{}%", surveys::text::decimals(value * 100.0, 0))
    } else {
        surveys::text::decimals(value, 2)
    }
}

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use app::access::{Role, Scope, Viewer};
use surveys::results::{Context, PeerGroup, SchoolResults};

use crate::error::ServerError;
use crate::memo::Memo;
use crate::scope::Gate;
use crate::storage::{CohortRow, PlacedSchool, Storage};

/// Regions kept read (each is a region's results for every year).
const REGIONS_KEPT: usize = 8;

/// Standings kept with a region's results: a card asks for two of each indicator of each
/// assessment of a kind (some 400); at 10,000 schools a standing of the region is 80 KB.
const STANDINGS_KEPT: usize = 1024;

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
    /// Each indicator's standings of an assessment and year, as pages ask for them.
    standings: std::sync::Mutex<HashMap<StandingKey, Arc<Standing>>>,
    /// The candidates and the exits of a year, as pages ask for them.
    selections: std::sync::Mutex<HashMap<u16, Arc<Selection>>>,
}

/// A year's selection by the methodology's criteria: the candidates for the list of schools with
/// low results, and the codes of the schools that meet the criteria of leaving it.
pub struct Selection {
    pub candidates: Vec<surveys::results::Candidate>,
    pub exits: std::collections::BTreeSet<String>,
}

/// What a region's results yield under `key`: computed once (outside the lock), then kept for
/// as long as the region's results are.
fn kept<K: std::hash::Hash + Eq, V>(
    map: &std::sync::Mutex<HashMap<K, Arc<V>>>,
    key: K,
    compute: impl FnOnce() -> V,
) -> Arc<V> {
    if let Some(found) = map.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return found;
    }
    let computed = Arc::new(compute());
    if let Ok(mut m) = map.lock() {
        m.insert(key, computed.clone());
    }
    computed
}

/// An indicator's standing: over a peer group (by what the group keeps) or the region (`None`).
type StandingKey = (
    Option<surveys::results::GroupKey>,
    String,
    u16,
    surveys::results::ResultIndicator,
);

/// Every shown value of one indicator, assessment and year over a group or the region, sorted.
type Standing = Vec<f64>;

impl Region {
    /// The standing of an indicator of an assessment and year over a peer group, or over the
    /// region when `group` is `None`. Every indicator of the assessment is computed in the same
    /// pass over the schools' results (a card asks for all of them), then kept — up to
    /// `STANDINGS_KEPT`, after which the kept ones are let go and computed again when asked.
    fn standing(
        &self,
        m: &surveys::Methodology,
        group: Option<&PeerGroup>,
        assessment: &str,
        year: u16,
        indicator: surveys::results::ResultIndicator,
    ) -> Arc<Standing> {
        let key = (
            group.map(PeerGroup::key),
            assessment.to_owned(),
            year,
            indicator,
        );
        if let Some(found) = self
            .standings
            .lock()
            .ok()
            .and_then(|m| m.get(&key).cloned())
        {
            return found;
        }
        let Some(a) = m.results.assessment(assessment) else {
            return Arc::default();
        };
        let figures: Vec<&surveys::results::Figures> = match group {
            Some(g) => g
                .schools
                .iter()
                .filter_map(|s| self.results.get(s)?.get(assessment, year))
                .collect(),
            None => self
                .results
                .values()
                .filter_map(|mine| mine.get(assessment, year))
                .collect(),
        };
        let mut found = Arc::default();
        let computed: Vec<(StandingKey, Arc<Standing>)> = a
            .indicators()
            .into_iter()
            .map(|i| {
                let values = Arc::new(surveys::results::sorted_values(
                    &m.results,
                    a,
                    figures.iter().copied(),
                    i,
                ));
                if i == indicator {
                    found = values.clone();
                }
                ((key.0.clone(), key.1.clone(), year, i), values)
            })
            .collect();
        if let Ok(mut kept) = self.standings.lock() {
            if kept.len() + computed.len() > STANDINGS_KEPT {
                kept.clear();
            }
            kept.extend(computed);
        }
        found
    }

    /// A school's place in its peer group for an indicator.
    pub fn peer_position(
        &self,
        m: &surveys::Methodology,
        code: &str,
        group: &PeerGroup,
        assessment: &str,
        year: u16,
        indicator: surveys::results::ResultIndicator,
    ) -> Option<surveys::results::PeerPosition> {
        let own = self.estimate(m, code, assessment, year, indicator)?;
        let values = self.standing(m, Some(group), assessment, year, indicator);
        let region = self.standing(m, None, assessment, year, indicator);
        surveys::results::position(&m.results, indicator, &own, &values, &region)
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
            _ => self
                .gate
                .schools(viewer)
                .await?
                .first()
                .map(|s| s.region_id),
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
        let started = std::time::Instant::now();
        let region = Arc::new(self.read_region(region_id, settlements).await?);
        tracing::info!(
            region = region_id,
            schools = region.schools.len(),
            results = region
                .results
                .values()
                .map(SchoolResults::len)
                .sum::<usize>(),
            ms = started.elapsed().as_millis() as u64,
            "a region's results read"
        );
        // A region weighs one: a few are kept whatever their size.
        self.kept.put(key, region.clone(), 1);
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
        let name = schools
            .first()
            .map(|s| s.region.clone())
            .unwrap_or_default();
        // The results stream in on tasks of their own while the newest profiles are scored
        // here; on PostgreSQL two readers share the rows (odd and even schools), each with a
        // connection and a core.
        let code_of: Arc<HashMap<i64, String>> =
            Arc::new(schools.iter().map(|s| (s.id, s.code.clone())).collect());
        let started = std::time::Instant::now();
        let parts: i64 = match self.storage {
            crate::storage::Storage::Postgres(_) => 2,
            crate::storage::Storage::Sqlite(_) => 1,
        };
        let readers: Vec<_> = (0..parts)
            .map(|k| {
                let (storage, code_of) = (self.storage.clone(), code_of.clone());
                tokio::spawn(async move {
                    let mut results: BTreeMap<String, SchoolResults> = BTreeMap::new();
                    let mut years = std::collections::BTreeSet::new();
                    // Each assessment's key is held once, shared by its rows.
                    let mut keys: HashMap<String, Arc<str>> = HashMap::new();
                    storage
                        .region_results(region_id, Some((k, parts)), |row| {
                            let Some(code) = code_of.get(&row.school_id) else {
                                return;
                            };
                            years.insert(row.year);
                            let key = match keys.get(&row.assessment) {
                                Some(key) => key.clone(),
                                None => {
                                    let key: Arc<str> = row.assessment.as_str().into();
                                    keys.insert(row.assessment, key.clone());
                                    key
                                }
                            };
                            if !results.contains_key(code) {
                                results.insert(code.clone(), SchoolResults::new());
                            }
                            if let Some(mine) = results.get_mut(code) {
                                mine.insert(key, row.year, row.figures);
                            }
                        })
                        .await?;
                    for mine in results.values_mut() {
                        mine.shrink_to_fit();
                    }
                    Ok::<_, ServerError>((results, years))
                })
            })
            .collect();
        let latest = self.latest_profiles(region_id, schools.len()).await;
        let mut results: BTreeMap<String, SchoolResults> = BTreeMap::new();
        let mut years = std::collections::BTreeSet::new();
        for reader in readers {
            let (mut part, mut part_years) = reader.await.map_err(|e| {
                ServerError::Inconsistent(format!("reading the results stopped: {e}"))
            })??;
            // The parts hold different schools.
            results.append(&mut part);
            years.append(&mut part_years);
        }
        let (profiles, students) = latest?;
        tracing::debug!(
            ms = started.elapsed().as_millis() as u64,
            "results and profiles read"
        );
        let settled: HashMap<i64, Option<String>> = settlements.iter().cloned().collect();
        let contexts: BTreeMap<String, Context> = schools
            .iter()
            .map(|s| {
                let indicators = profiles.get(&s.id).cloned().unwrap_or_default();
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
            standings: std::sync::Mutex::default(),
            selections: std::sync::Mutex::default(),
        })
    }

    /// The results-based outcomes of the viewer's schools: significant improvements of the newest
    /// year, and schools that now meet the criteria for leaving the low-results list.
    pub async fn outcomes(
        &self,
        viewer: &Viewer,
        lang: app::i18n::Lang,
    ) -> Result<(Vec<String>, Vec<String>), ServerError> {
        use app::i18n::Lang;
        let Some(region) = self.region_of(viewer, None).await? else {
            return Ok((Vec::new(), Vec::new()));
        };
        let region = self.region(region).await?;
        let m = self.gate.methodology();
        let seen = |code: &str| {
            region
                .schools
                .iter()
                .find(|s| s.code == code && viewer.scope.allows(s.place()))
        };
        let improved = region
            .improvements(m)
            .into_iter()
            .filter_map(|i| {
                let s = seen(&i.code)?;
                let a = m.results.assessment(&i.assessment)?;
                let name = m.results.assessment_name(a, lang.code());
                let (before, after) = (figure(i.before, true), figure(i.after, true));
                Some(match lang {
                    Lang::Ru => format!(
                        "{} — {name}: доля «2» {before} → {after} в {} году (значимо)",
                        s.name, i.year
                    ),
                    Lang::En => format!(
                        "{} — {name}: share of «2» {before} → {after} in {} (significant)",
                        s.name, i.year
                    ),
                })
            })
            .collect();
        let leaving = match region.years.last() {
            Some(year) => region
                .leaving(m, *year)
                .into_iter()
                .filter(|s| viewer.scope.allows(s.place()))
                .map(|s| format!("{} ({})", s.name, s.municipality))
                .collect(),
            None => Vec::new(),
        };
        Ok((improved, leaving))
    }

    /// The context indicators of the newest published profiles of a region's schools as the
    /// region reads them (without noise: the principal's numbers, which describe the school), and
    /// the students each school's newest campaign expects.
    async fn latest_profiles(
        &self,
        region_id: i64,
        schools: usize,
    ) -> Result<(HashMap<i64, BTreeMap<String, f64>>, HashMap<i64, u32>), ServerError> {
        let keys: Vec<String> = self
            .gate
            .methodology()
            .results
            .context
            .iter()
            .map(|c| c.indicator.clone())
            .collect();
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
            let Some(mut in_scope) = self.gate.campaign(&region, c.id, None).await? else {
                continue;
            };
            for s in &in_scope.schools {
                students
                    .entry(s.school_id)
                    .or_insert_with(|| u32::try_from(s.expected_students).unwrap_or(0));
            }
            // An older campaign is scored only for the schools the newer ones did not have (not
            // a whole region's profiles again for a few schools).
            in_scope
                .schools
                .retain(|s| !profiles.contains_key(&s.school_id));
            if in_scope.schools.is_empty() {
                continue;
            }
            if let Some(values) = self
                .gate
                .indicator_values(&region, &in_scope, &keys)
                .await?
            {
                for (school, named) in values {
                    profiles.entry(school).or_insert(named);
                }
            }
            // Older campaigns only for schools the newer ones did not have.
            if profiles.len() >= schools && students.len() >= schools {
                break;
            }
        }
        Ok((profiles, students))
    }
}

/// The indicators a programme's results target is set on.
pub const TARGET_INDICATORS: [surveys::results::ResultIndicator; 3] = [
    surveys::results::ResultIndicator::Fail,
    surveys::results::ResultIndicator::Mean,
    surveys::results::ResultIndicator::Lowered,
];

/// A results target judged on its year's import.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Judged {
    /// The year it is judged on has no import yet.
    Awaiting,
    Verdict(surveys::programme::Verdict),
}

impl Region {
    /// A school's figure of an indicator for an assessment and year, when it may be shown.
    pub fn estimate(
        &self,
        m: &surveys::Methodology,
        code: &str,
        assessment: &str,
        year: u16,
        indicator: surveys::results::ResultIndicator,
    ) -> Option<surveys::results::Estimate> {
        let a = m.results.assessment(assessment)?;
        let f = self.results.get(code)?.get(assessment, year)?;
        surveys::results::estimate(&m.results, a, f, indicator, m.rules.confidence)
    }

    /// The newest shown figure of an indicator, with its year (a target's baseline).
    pub fn latest(
        &self,
        m: &surveys::Methodology,
        code: &str,
        assessment: &str,
        indicator: surveys::results::ResultIndicator,
    ) -> Option<(surveys::results::Estimate, u16)> {
        self.years.iter().rev().find_map(|y| {
            self.estimate(m, code, assessment, *y, indicator)
                .map(|e| (e, *y))
        })
    }

    /// Judges a programme's results target on the import of its year.
    pub fn judge(
        &self,
        m: &surveys::Methodology,
        code: &str,
        target: &crate::storage::ResultTargetRow,
    ) -> Judged {
        let year = u16::try_from(target.judged_year).unwrap_or(0);
        let Some(indicator) = surveys::results::ResultIndicator::parse(&target.indicator) else {
            return Judged::Awaiting;
        };
        if !self.years.contains(&year) {
            return Judged::Awaiting;
        }
        let later = self.estimate(m, code, &target.assessment, year, indicator);
        Judged::Verdict(surveys::results::judge_target(
            indicator,
            target.target,
            later.as_ref(),
        ))
    }
}

/// A school whose share of «2» in an assessment fell beyond the uncertainty from one year to the
/// next: (school code, assessment key, the earlier and the later figure, the later year).
pub struct Improvement {
    pub code: String,
    pub assessment: String,
    pub before: f64,
    pub after: f64,
    pub year: u16,
}

impl Region {
    /// A year's candidates and exits (computed once, then kept with the region's results).
    pub fn selection(&self, m: &surveys::Methodology, year: u16) -> Arc<Selection> {
        kept(&self.selections, year, || Selection {
            candidates: surveys::results::candidates(
                &m.results,
                &self.results,
                &self.contexts,
                &self.groups,
                year,
                m.rules.confidence,
            ),
            exits: surveys::results::exits(&m.results, &self.results, year),
        })
    }

    /// The schools of the low-results cohort that meet the criteria for leaving it in `year`.
    pub fn leaving(&self, m: &surveys::Methodology, year: u16) -> Vec<&PlacedSchool> {
        let selection = self.selection(m, year);
        self.schools
            .iter()
            .filter(|s| selection.exits.contains(&s.code))
            .filter(|s| {
                self.cohorts_of(s.id)
                    .iter()
                    .any(|(k, _)| *k == app::results::Cohort::LowResults.key())
            })
            .collect()
    }

    /// The significant improvements of the newest year against the one before it.
    pub fn improvements(&self, m: &surveys::Methodology) -> Vec<Improvement> {
        use surveys::results::{estimate, trend, ResultIndicator, Trend};
        let (Some(after), Some(before)) = (
            self.years.last().copied(),
            self.years.iter().rev().nth(1).copied(),
        ) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (code, mine) in &self.results {
            for (key, year, f) in mine.iter() {
                if year != after {
                    continue;
                }
                let (Some(a), Some(earlier)) = (m.results.assessment(key), mine.get(key, before))
                else {
                    continue;
                };
                let confidence = m.rules.confidence;
                let (Some(x), Some(y)) = (
                    estimate(&m.results, a, earlier, ResultIndicator::Fail, confidence),
                    estimate(&m.results, a, f, ResultIndicator::Fail, confidence),
                ) else {
                    continue;
                };
                if trend(ResultIndicator::Fail, &x, &y) == Some(Trend::Improved) {
                    out.push(Improvement {
                        code: code.clone(),
                        assessment: key.to_owned(),
                        before: x.value,
                        after: y.value,
                        year: after,
                    });
                }
            }
        }
        out
    }
}
