//! The one gate between a viewer and the data. Which schools a viewer sees (in the registry and in
//! each campaign), their profiles scored by the engine from the stored answers, which schools'
//! raw responses of a group may leave (only where the group has the minimum number of
//! respondents), which region's registry rows the viewer may write, and the pairing of two
//! campaigns' profiles for change. Every page, server function and export reads schools and
//! scores through here; nothing under the engine's minimum-respondent rules leaves the engine.

use std::collections::HashMap;
use std::sync::Arc;

use app::access::{Role, Scope, Viewer};
use surveys::calendar::Day;
use surveys::change::ProfileChange;
use surveys::deficits::DeficitResult;
use surveys::profile::Scorer;
use surveys::{Answers, Group, Methodology, Response, SchoolProfile};

use crate::error::ServerError;
use crate::storage::{
    AccessCode, CampaignRow, GroupCount, PlacedSchool, SchoolInCampaign, Storage,
};

/// A value as it is published: two decimals, on screens and in every file, so that a reader
/// who compares two readings cannot take one answer apart from the exact difference.
pub fn published(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// A count of respondents as it is published: from ten on the number, under ten a band.
pub fn respondents_band(n: u32) -> String {
    match n {
        10.. => n.to_string(),
        5..=9 => "5–9".to_owned(),
        _ => "< 5".to_owned(),
    }
}

/// The gate: storage and the methodology that scores it.
#[derive(Clone)]
pub struct Gate {
    storage: Storage,
    methodology: Arc<Methodology>,
    today: fn() -> Day,
}

/// A campaign with the schools of it the viewer may see.
pub struct InScope {
    pub campaign: CampaignRow,
    pub schools: Vec<SchoolInCampaign>,
}

/// The profiles of a campaign's schools in scope (in the order of `InScope::schools`), with each
/// school's teacher-deficit results.
pub struct Scored {
    pub profiles: Vec<SchoolProfile>,
    pub deficits: Vec<Vec<DeficitResult>>,
}

/// One school of the later campaign paired with its change since the earlier one.
pub struct Paired {
    /// The index of the school in the later campaign's profiles.
    pub after: usize,
    pub change: ProfileChange,
}

/// Which registry rows a viewer may write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Writable {
    Everything,
    /// Only rows of the region with this code.
    Region(String),
    Nothing,
}

/// Schools of a campaign whose raw responses of a group may leave the server, with their
/// (registry code, municipality).
pub type Exportable = HashMap<i64, (String, String)>;

impl Gate {
    pub fn new(storage: Storage, methodology: Arc<Methodology>, today: fn() -> Day) -> Gate {
        Gate {
            storage,
            methodology,
            today,
        }
    }

    pub fn methodology(&self) -> &Methodology {
        &self.methodology
    }

    /// The registry's schools the viewer may see, by region, municipality and name.
    pub async fn schools(&self, viewer: &Viewer) -> Result<Vec<PlacedSchool>, ServerError> {
        let mut schools = self.storage.schools_with_place().await?;
        schools.retain(|s| viewer.scope.allows(s.place()));
        Ok(schools)
    }

    /// Campaigns, newest first, each with how many of its schools the viewer may see.
    pub async fn campaigns(
        &self,
        viewer: &Viewer,
    ) -> Result<Vec<(CampaignRow, usize)>, ServerError> {
        let mut list = Vec::new();
        for c in self.storage.campaigns().await? {
            let mut schools = self.storage.campaign_schools(c.id).await?;
            schools.retain(|s| viewer.scope.allows(s.place()));
            list.push((c, schools.len()));
        }
        Ok(list)
    }

    /// The campaign and its schools in the viewer's scope, narrowed to a municipality when one
    /// is given; `None` when the campaign does not exist or has none of the viewer's schools.
    pub async fn campaign(
        &self,
        viewer: &Viewer,
        campaign: i64,
        municipality: Option<i64>,
    ) -> Result<Option<InScope>, ServerError> {
        let Some(campaign) = self.storage.campaign(campaign).await? else {
            return Ok(None);
        };
        let mut schools = self.storage.campaign_schools(campaign.id).await?;
        schools.retain(|s| viewer.scope.allows(s.place()));
        if schools.is_empty() {
            return Ok(None);
        }
        if let Some(m) = municipality {
            schools.retain(|s| s.municipality_id == m);
        }
        Ok(Some(InScope { campaign, schools }))
    }

    /// One school of a campaign, if the viewer may see it, with how many schools of the campaign
    /// the viewer sees in all.
    pub async fn school(
        &self,
        viewer: &Viewer,
        campaign: i64,
        school: i64,
    ) -> Result<Option<(InScope, usize)>, ServerError> {
        let Some(mut in_scope) = self.campaign(viewer, campaign, None).await? else {
            return Ok(None);
        };
        let count = in_scope.schools.len();
        in_scope.schools.retain(|s| s.school_id == school);
        Ok((!in_scope.schools.is_empty()).then_some((in_scope, count)))
    }

    /// The live access codes of a school in scope (none for a school out of scope).
    pub async fn access_codes(
        &self,
        in_scope: &InScope,
        school: i64,
    ) -> Result<Vec<AccessCode>, ServerError> {
        if !in_scope.schools.iter().any(|s| s.school_id == school) {
            return Ok(Vec::new());
        }
        self.storage
            .access_codes(in_scope.campaign.id, school)
            .await
    }

    /// Responses per school and group, of the schools in scope only.
    pub async fn counts(&self, in_scope: &InScope) -> Result<Vec<GroupCount>, ServerError> {
        let mut counts = self.storage.response_counts(in_scope.campaign.id).await?;
        counts.retain(|c| in_scope.schools.iter().any(|s| s.school_id == c.school_id));
        Ok(counts)
    }

    /// Scores the schools in scope from their stored answers; `None` when the viewer may not see
    /// results of this campaign yet: a school's own account sees nothing of an open campaign but
    /// its response rates, so that it cannot read its results, add answers of its own (it holds
    /// its group codes) and read again.
    pub async fn score(
        &self,
        viewer: &Viewer,
        in_scope: &InScope,
    ) -> Result<Option<Scored>, ServerError> {
        let open = (self.today)() <= in_scope.campaign.closes_on;
        if open && viewer.role == Role::School {
            return Ok(None);
        }
        self.score_all(in_scope).await.map(Some)
    }

    async fn score_all(&self, in_scope: &InScope) -> Result<Scored, ServerError> {
        let m: &Methodology = &self.methodology;
        let start = in_scope.campaign.opens_on;
        let mut by_school: HashMap<i64, Vec<Response>> = HashMap::new();
        let mut deficits: HashMap<i64, Vec<DeficitResult>> = HashMap::new();
        for stored in self
            .storage
            .campaign_responses(in_scope.campaign.id)
            .await?
        {
            let group = stored.group;
            if !in_scope
                .schools
                .iter()
                .any(|s| s.school_id == stored.school_id)
            {
                continue;
            }
            let Some(instrument) = m.instrument(group) else {
                continue;
            };
            let raw = stored.raw()?;
            let mut ignored = Vec::new();
            let answers = Answers::parse_known(m, instrument, &raw, &mut ignored, |_| false);
            if group == Group::TeacherDeficits {
                if let Some(result) = surveys::deficits::teacher_result(m, &answers, start) {
                    deficits.entry(stored.school_id).or_default().push(result);
                }
            }
            by_school
                .entry(stored.school_id)
                .or_default()
                .push(Response { group, answers });
        }
        let scorer = Scorer::new(m);
        let profiles = in_scope
            .schools
            .iter()
            .map(|s| {
                scorer.profile(
                    &s.code,
                    &s.expected(),
                    by_school.get(&s.school_id).map_or(&[][..], Vec::as_slice),
                )
            })
            .collect();
        let deficits = in_scope
            .schools
            .iter()
            .map(|s| deficits.remove(&s.school_id).unwrap_or_default())
            .collect();
        Ok(Scored { profiles, deficits })
    }

    /// The schools whose raw responses of `group` may leave: those in scope where the group has
    /// at least the minimum number of respondents.
    pub async fn exportable(
        &self,
        viewer: &Viewer,
        campaign: i64,
        group: Group,
    ) -> Result<Option<(InScope, Exportable)>, ServerError> {
        let Some(in_scope) = self.campaign(viewer, campaign, None).await? else {
            return Ok(None);
        };
        let min = i64::from(self.methodology.rules.min_respondents(group));
        let counts = self.counts(&in_scope).await?;
        let allowed = in_scope
            .schools
            .iter()
            .filter(|s| {
                counts
                    .iter()
                    .any(|c| c.school_id == s.school_id && c.group == group && c.responses >= min)
            })
            .map(|s| (s.school_id, (s.code.clone(), s.municipality.clone())))
            .collect();
        Ok(Some((in_scope, allowed)))
    }

    /// The change of each school of `after` that `before` also has (paired by registry code).
    pub fn compare(&self, before: &[SchoolProfile], after: &[SchoolProfile]) -> Vec<Paired> {
        after
            .iter()
            .enumerate()
            .filter_map(|(index, later)| {
                let earlier = before.iter().find(|p| p.school == later.school)?;
                let change = surveys::change::compare(&self.methodology, earlier, later).ok()?;
                Some(Paired {
                    after: index,
                    change,
                })
            })
            .collect()
    }

    /// Which registry rows the viewer may write: admins any, a regional coordinator its own
    /// region's, nobody else any.
    pub async fn writable(&self, viewer: &Viewer) -> Result<Writable, ServerError> {
        Ok(match (&viewer.role, &viewer.scope) {
            (Role::Admin, _) => Writable::Everything,
            (_, Scope::Region(id)) => match self.storage.region_code(*id).await? {
                Some(code) => Writable::Region(code),
                None => Writable::Nothing,
            },
            _ => Writable::Nothing,
        })
    }
}
