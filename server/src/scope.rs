//! The one gate between a viewer and the data. Which schools a viewer sees (in the registry and in
//! each campaign), their profiles scored by the engine from the stored answers, which schools'
//! raw responses of a group may leave (only where the group has the minimum number of
//! respondents), which region's registry rows the viewer may write, and the pairing of two
//! campaigns' profiles for change. Every page, server function and export reads schools and
//! scores through here; nothing under the engine's minimum-respondent rules leaves the engine.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use tokio::sync::Mutex;

use app::access::{Role, Scope, Viewer};
use surveys::calendar::Day;
use surveys::change::ProfileChange;
use surveys::deficits::DeficitSummary;
use surveys::profile::Scorer;
use surveys::quality::{InstrumentQuality, QualityTally};
use surveys::{Group, Methodology, SchoolProfile, Tally};

use crate::error::ServerError;
use crate::memo::Memo;
use crate::problem::{At, Kind, Refused};
use crate::storage::{
    AccessCode, CampaignRow, GroupCount, PlacedSchool, PublicationRow, SchoolInCampaign, Storage,
    Sums, Surplus,
};
use crate::tallying::Tallier;

/// A value as it is published: two decimals, on screens and in every file, so that a reader
/// who compares two readings cannot take one answer apart from the exact difference (rounded
/// by the rule of what is shown, `surveys::text::rounded`).
pub fn published(value: f64) -> f64 {
    surveys::text::rounded(value, 2)
}

pub use surveys::text::respondents_band;

/// The gate: storage and the methodology that scores it.
#[derive(Clone)]
pub struct Gate {
    storage: Storage,
    methodology: Arc<Methodology>,
    today: fn() -> Day,
    /// One publication at a time in this process (the database refuses a second one at the
    /// close made by another instance).
    publishing: Arc<Mutex<()>>,
    /// Scores already computed, by publication, noise and schools with their expected counts.
    scores: Memo<ScoreKey, Scored>,
    /// The server's key of the noise on a code holder's figures (read once from storage).
    noise_key: Arc<tokio::sync::OnceCell<String>>,
}

/// A publication, whether with noise, and the schools scored with their expected (teachers,
/// students, parents).
type ScoreKey = (i64, bool, Vec<(i64, i64, i64, i64)>);

/// How many schools' scores are kept in all: a few matrices of a federal operator's size (a
/// matrix of 10,000 schools weighs 10,000; one over the limit is never kept).
const SCORES_KEPT: usize = 50_000;

/// A scope of at most this many schools reads its schools' responses one school at a time
/// (through the index by school) rather than the whole campaign's.
const FEW_SCHOOLS: usize = 20;

/// What a publication took in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publishing {
    pub number: i64,
    /// (school, group) pairs whose new answers the publication took in.
    pub published: usize,
    /// Pairs with new answers, but fewer than the group's minimum: they stay as they were.
    pub waiting: usize,
}

/// A campaign with the schools of it the viewer may see.
pub struct InScope {
    pub campaign: CampaignRow,
    pub schools: Vec<SchoolInCampaign>,
}

/// The profiles of a campaign's schools in scope (in the order of `InScope::schools`), with each
/// school's teacher-deficit results.
#[derive(Clone)]
pub struct Scored {
    /// The publication the scores are of.
    pub publication: PublicationRow,
    pub profiles: Vec<SchoolProfile>,
    pub deficits: Vec<DeficitSummary>,
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

/// The tallies of a publication's schools in scope, by school (groups merged), and — when
/// asked — the quality's tally over all of them.
type Published = (HashMap<i64, Tally>, Option<QualityTally>);

impl Gate {
    pub fn new(storage: Storage, methodology: Arc<Methodology>, today: fn() -> Day) -> Gate {
        Gate {
            storage,
            methodology,
            today,
            publishing: Arc::new(Mutex::new(())),
            scores: Memo::new(SCORES_KEPT),
            noise_key: Arc::new(tokio::sync::OnceCell::new()),
        }
    }

    /// The seeds of the noise on a school's groups (`surveys::privacy`): from the server's key,
    /// the campaign, the school, the group and the group's published count — the same on every
    /// reading of the group, drawn anew only when a publication changes the group.
    async fn noise_seeds(
        &self,
        campaign: i64,
        school: i64,
        tally: &Tally,
    ) -> Result<surveys::privacy::Seeds, ServerError> {
        let key = self
            .noise_key
            .get_or_try_init(|| async {
                let fresh = crate::secrets::random_hex(32);
                self.storage.server_secret("noise", &fresh).await
            })
            .await?;
        let mut seeds = surveys::privacy::Seeds::default();
        for (g, seed) in seeds.0.iter_mut().enumerate() {
            *seed = Some(crate::secrets::keyed_number(
                key.as_bytes(),
                &[
                    &campaign.to_le_bytes(),
                    &school.to_le_bytes(),
                    &(g as u64).to_le_bytes(),
                    &tally.counts[g].to_le_bytes(),
                ],
            ));
        }
        Ok(seeds)
    }

    /// Whether the campaign still takes answers.
    pub fn is_open(&self, campaign: &CampaignRow) -> bool {
        (self.today)() <= campaign.closes_on
    }

    /// The publication the viewer reads the campaign's results from: the newest one, after the
    /// close always the one made at the close (made now if it is not yet). `None` when nothing
    /// is published, and for a school's own account while the campaign is open: it sees nothing
    /// of an open campaign but its response rates, so that it cannot read results, add answers
    /// of its own (it holds its group codes) and read again.
    pub async fn publication(
        &self,
        viewer: &Viewer,
        campaign: &CampaignRow,
    ) -> Result<Option<PublicationRow>, ServerError> {
        let open = self.is_open(campaign);
        if open && viewer.role == Role::School {
            return Ok(None);
        }
        let mut publications = self.storage.publications(campaign.id).await?;
        if !open && !publications.iter().any(|p| p.at_close) {
            self.publish(campaign, None).await?;
            publications = self.storage.publications(campaign.id).await?;
        }
        Ok(publications.into_iter().next())
    }

    /// Publishes the campaign's new answers: by an account (`by`) while it is open, or at the
    /// close (`None`, once). Each school's group takes in its unpublished answers only when they
    /// are at least the group's minimum of respondents, so that no two publications differ by
    /// a few people's answers; a smaller addition waits for more. An early publication that
    /// would take in nothing is refused.
    pub async fn publish(
        &self,
        campaign: &CampaignRow,
        by: Option<i64>,
    ) -> Result<Publishing, ServerError> {
        let _one_at_a_time = self.publishing.lock().await;
        let published = self.storage.publications(campaign.id).await?;
        let refuse = |kind| ServerError::Refused(Refused::one(At::Whole, kind));
        if by.is_some() && !self.is_open(campaign) {
            return Err(refuse(Kind::PublishedAtClose));
        }
        if by.is_none() && published.iter().any(|p| p.at_close) {
            let last = &published[0];
            return Ok(Publishing {
                number: last.number,
                published: 0,
                waiting: 0,
            });
        }
        let m = &self.methodology;
        let unpublished = self.storage.unpublished_counts(campaign.id).await?;
        // At the close, a group with nothing published yet takes in even fewer answers than its
        // minimum: nothing is computed from them, its count reads «< 5», and no later reading
        // follows to compare with.
        let before = match by {
            None => self.storage.published_counts(campaign.id).await?,
            Some(_) => Vec::new(),
        };
        let first_at_close = |c: &GroupCount| {
            by.is_none()
                && !before
                    .iter()
                    .any(|b| b.school_id == c.school_id && b.group == c.group)
        };
        let (ready, waiting): (Vec<GroupCount>, Vec<GroupCount>) =
            unpublished.into_iter().partition(|c| {
                c.responses >= i64::from(m.min_respondents(c.group)) || first_at_close(c)
            });
        if by.is_some() && ready.is_empty() {
            return Err(refuse(Kind::NothingToPublish(m.rules.min_respondents)));
        }
        let groups: Vec<(i64, Group)> = ready.iter().map(|c| (c.school_id, c.group)).collect();
        let number = match self
            .storage
            .publish(campaign.id, (self.today)(), by, &groups, &m.fingerprint)
            .await
        {
            Ok(number) => number,
            Err(e) => {
                // Another instance may have made the publication at the close meanwhile.
                let now = self.storage.publications(campaign.id).await?;
                return match now.first() {
                    Some(p) if by.is_none() && p.at_close => Ok(Publishing {
                        number: p.number,
                        published: 0,
                        waiting: 0,
                    }),
                    _ => Err(e),
                };
            }
        };
        Ok(Publishing {
            number,
            published: ready.len(),
            waiting: waiting.len(),
        })
    }

    /// Makes the publication at the close of every closed campaign that has none yet; returns
    /// how many it made.
    pub async fn publish_closed(&self) -> Result<usize, ServerError> {
        let mut made = 0;
        for campaign in self.storage.campaigns().await? {
            if self.is_open(&campaign) {
                continue;
            }
            let publications = self.storage.publications(campaign.id).await?;
            if !publications.iter().any(|p| p.at_close) {
                self.publish(&campaign, None).await?;
                made += 1;
            }
        }
        Ok(made)
    }

    /// A coordinator's decision on the submissions held beyond a group code's surplus limit
    /// at a school of the campaign in scope.
    pub async fn decide_surplus(
        &self,
        in_scope: &InScope,
        school: i64,
        group: Group,
        decision: Surplus,
    ) -> Result<u64, ServerError> {
        if !in_scope.schools.iter().any(|s| s.school_id == school) {
            return Ok(0);
        }
        let tallier = Tallier::new(&self.methodology);
        let start = in_scope.campaign.opens_on;
        let tally =
            |answers: &str, id: i64| tallier.piece(group, answers, id, start).ok().flatten();
        let changed = self
            .storage
            .decide_surplus(in_scope.campaign.id, school, group, decision, &tally)
            .await?;
        if changed == 0 {
            return Err(ServerError::Refused(Refused::one(
                At::Whole,
                Kind::NothingHeld,
            )));
        }
        Ok(changed)
    }

    pub fn methodology(&self) -> &Methodology {
        &self.methodology
    }

    /// The methodology, to hand to work done off the request's thread.
    pub fn methodology_arc(&self) -> Arc<Methodology> {
        self.methodology.clone()
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

    /// The campaign's schools in scope narrowed to a municipality and a cohort, with the
    /// municipalities to choose from and how many schools of the campaign the viewer may see in
    /// all.
    pub async fn narrowed(
        &self,
        viewer: &Viewer,
        campaign: i64,
        narrow: Narrow,
    ) -> Result<Option<(InScope, Vec<app::work::Choice>, usize)>, ServerError> {
        let Some(all) = self.campaign(viewer, campaign, None).await? else {
            return Ok(None);
        };
        let choices = municipalities(&all.schools);
        let in_scope = all.schools.len();
        // The same reading, narrowed (not read again: at 10,000 schools a reading is felt).
        let mut narrowed = all;
        if let Some(m) = narrow.municipality {
            narrowed.schools.retain(|s| s.municipality_id == m);
        }
        self.keep_cohort(&mut narrowed, narrow.cohort).await?;
        Ok(Some((narrowed, choices, in_scope)))
    }

    /// Narrows a campaign's schools in scope to those of a cohort (of any year), when one is
    /// given.
    pub async fn keep_cohort(
        &self,
        in_scope: &mut InScope,
        cohort: Option<app::results::Cohort>,
    ) -> Result<(), ServerError> {
        if let Some(cohort) = cohort {
            let members = self.storage.cohort_members(cohort.key()).await?;
            in_scope.schools.retain(|s| members.contains(&s.school_id));
        }
        Ok(())
    }

    /// One school the viewer may see (`None` for a school out of scope or none at all): one row
    /// read, not the scope's every school.
    pub async fn placed(
        &self,
        viewer: &Viewer,
        school: i64,
    ) -> Result<Option<PlacedSchool>, ServerError> {
        Ok(self
            .storage
            .placed_school(school)
            .await?
            .filter(|s| viewer.scope.allows(s.place())))
    }

    /// One school of a campaign, if the viewer may see it — the same answer as `school` without
    /// reading the campaign's other schools (a region's page about one school reads one row).
    pub async fn school_alone(
        &self,
        viewer: &Viewer,
        campaign: i64,
        school: i64,
    ) -> Result<Option<InScope>, ServerError> {
        let Some(campaign) = self.storage.campaign(campaign).await? else {
            return Ok(None);
        };
        Ok(self
            .storage
            .campaign_school(campaign.id, school)
            .await?
            .filter(|s| viewer.scope.allows(s.place()))
            .map(|s| InScope {
                campaign,
                schools: vec![s],
            }))
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

    /// Replaces a live code of a school in scope with `new` (the old one stops working). Refused
    /// when the school has no such code, and for a personal code whose questionnaire was sent:
    /// its owner needs it (with the result key) to reopen the report, and it opens nothing else.
    pub async fn replace_code(
        &self,
        in_scope: &InScope,
        school: i64,
        old: &str,
        new: &str,
    ) -> Result<(), ServerError> {
        let refuse = |kind| ServerError::Refused(Refused::one(At::Field("access_code"), kind));
        if !in_scope.schools.iter().any(|s| s.school_id == school) {
            return Err(refuse(Kind::NoSuchCode));
        }
        if self.storage.personal_code_sent(old).await? {
            return Err(refuse(Kind::CodeSent));
        }
        if !self
            .storage
            .replace_code(in_scope.campaign.id, school, old, new)
            .await?
        {
            return Err(refuse(Kind::NoSuchCode));
        }
        Ok(())
    }

    /// Responses per school and group as they arrive (for response rates), of the schools in
    /// scope only.
    pub async fn counts(&self, in_scope: &InScope) -> Result<Vec<GroupCount>, ServerError> {
        let mut counts = self.storage.response_counts(in_scope.campaign.id).await?;
        counts.retain(|c| in_scope.schools.iter().any(|s| s.school_id == c.school_id));
        Ok(counts)
    }

    /// Scores the schools in scope from their published answers; `None` when the viewer has no
    /// publication of the campaign to read (`Gate::publication`).
    pub async fn score(
        &self,
        viewer: &Viewer,
        in_scope: &InScope,
    ) -> Result<Option<Arc<Scored>>, ServerError> {
        let Some(publication) = self.publication(viewer, &in_scope.campaign).await? else {
            return Ok(None);
        };
        // A publication never changes: its scores are computed once per set of schools.
        let noisy = app::access::reads_with_noise(viewer.role);
        let key: ScoreKey = (
            publication.id,
            noisy,
            in_scope
                .schools
                .iter()
                .map(|s| {
                    let e = (s.expected_teachers, s.expected_students, s.expected_parents);
                    (s.school_id, e.0, e.1, e.2)
                })
                .collect(),
        );
        if let Some(kept) = self.scores.get(&key) {
            return Ok(Some(kept));
        }
        let (tallies, _) = self
            .read_published(in_scope, &publication, Sums::Profile, None)
            .await?;
        let mut seeds = HashMap::new();
        if noisy {
            let empty = Tally::default();
            for s in &in_scope.schools {
                let tally = tallies.get(&s.school_id).unwrap_or(&empty);
                let seed = self
                    .noise_seeds(in_scope.campaign.id, s.school_id, tally)
                    .await?;
                seeds.insert(s.school_id, seed);
            }
        }
        let scored = Arc::new(self.score_published(in_scope, publication, &tallies, &seeds));
        self.scores.put(key, scored.clone(), in_scope.schools.len());
        Ok(Some(scored))
    }

    /// The values of the named indicators of each school in scope (those it has), by school;
    /// `None` when the viewer has no publication of the campaign to read. Scored by `surveys` as
    /// `score` scores them, but from the published sums of the indicators' own groups alone and
    /// kept nowhere: a region's context (a few of the principal's numbers of every school) reads
    /// a sum a school, not every group's, and holds no region's profiles. A viewer who reads
    /// with noise takes `score`'s way (the noise is drawn there).
    pub async fn indicator_values(
        &self,
        viewer: &Viewer,
        in_scope: &InScope,
        keys: &[String],
    ) -> Result<Option<HashMap<i64, BTreeMap<String, f64>>>, ServerError> {
        let Some(publication) = self.publication(viewer, &in_scope.campaign).await? else {
            return Ok(None);
        };
        let m: &Methodology = &self.methodology;
        let values = |school: i64, p: &SchoolProfile| {
            let named: BTreeMap<String, f64> = keys
                .iter()
                .filter_map(|k| Some((k.clone(), p.indicator(k)?.value?)))
                .collect();
            (school, named)
        };
        if app::access::reads_with_noise(viewer.role) {
            let Some(scored) = self.score(viewer, in_scope).await? else {
                return Ok(None);
            };
            let all = in_scope.schools.iter().zip(&scored.profiles);
            return Ok(Some(all.map(|(s, p)| values(s.school_id, p)).collect()));
        }
        let mut groups: Vec<Group> = keys
            .iter()
            .filter_map(|k| m.indicators.iter().find(|i| &i.key == k))
            .map(|i| i.group)
            .collect();
        groups.sort();
        groups.dedup();
        let (tallies, _) = self
            .read_published(in_scope, &publication, Sums::Profile, Some(&groups))
            .await?;
        let scorer = Scorer::new(m);
        let empty = Tally::default();
        Ok(Some(
            in_scope
                .schools
                .iter()
                .map(|s| {
                    let tally = tallies.get(&s.school_id).unwrap_or(&empty);
                    values(s.school_id, &scorer.finish(&s.code, &s.expected(), tally))
                })
                .collect(),
        ))
    }

    /// `score` and `quality` together (the matrix workbook); `None` when the viewer has no
    /// publication to read.
    pub async fn score_with_quality(
        &self,
        viewer: &Viewer,
        in_scope: &InScope,
    ) -> Result<Option<(Arc<Scored>, InstrumentQuality)>, ServerError> {
        let Some(scored) = self.score(viewer, in_scope).await? else {
            return Ok(None);
        };
        let (_, quality) = self
            .read_published(in_scope, &scored.publication, Sums::Quality, None)
            .await?;
        let quality = quality.unwrap_or_default().finish(&self.methodology);
        Ok(Some((scored, quality)))
    }

    /// The quality of the instruments from the published answers of the schools in scope;
    /// `None` when the viewer has no publication to read.
    pub async fn quality(
        &self,
        viewer: &Viewer,
        in_scope: &InScope,
    ) -> Result<Option<InstrumentQuality>, ServerError> {
        let Some(publication) = self.publication(viewer, &in_scope.campaign).await? else {
            return Ok(None);
        };
        let (_, quality) = self
            .read_published(in_scope, &publication, Sums::Quality, None)
            .await?;
        Ok(Some(quality.unwrap_or_default().finish(&self.methodology)))
    }

    fn score_published(
        &self,
        in_scope: &InScope,
        publication: PublicationRow,
        tallies: &HashMap<i64, Tally>,
        seeds: &HashMap<i64, surveys::privacy::Seeds>,
    ) -> Scored {
        let m: &Methodology = &self.methodology;
        let scorer = Scorer::new(m);
        let empty = Tally::default();
        let tally_of = |s: &SchoolInCampaign| tallies.get(&s.school_id).unwrap_or(&empty);
        Scored {
            publication,
            profiles: in_scope
                .schools
                .iter()
                .map(|s| {
                    let seeds = seeds.get(&s.school_id).copied().unwrap_or_default();
                    scorer.finish_with_noise(&s.code, &s.expected(), tally_of(s), &seeds)
                })
                .collect(),
            deficits: in_scope
                .schools
                .iter()
                .map(|s| surveys::deficits::summary(m, tally_of(s)))
                .collect(),
        }
    }

    /// The sums of what a publication took in from the schools in scope — the profiles' by
    /// school, or the quality's over all of them: its stored tallies when it is tallied under
    /// this methodology, otherwise tallied here from its answers. A scope of a few schools reads
    /// them school by school (through the index by school). `groups` narrows them to those
    /// groups' sums (`None`: every group's).
    async fn read_published(
        &self,
        in_scope: &InScope,
        publication: &PublicationRow,
        sums: Sums,
        groups: Option<&[Group]>,
    ) -> Result<Published, ServerError> {
        let taken = |group: &Group| groups.is_none_or(|g| g.contains(group));
        let with_quality = sums == Sums::Quality;
        let m: &Methodology = &self.methodology;
        let campaign = in_scope.campaign.id;
        let schools: HashSet<i64> = in_scope.schools.iter().map(|s| s.school_id).collect();
        let few = in_scope.schools.len() <= FEW_SCHOOLS;
        let mut tallies: HashMap<i64, Tally> = HashMap::new();
        let mut quality = with_quality.then(QualityTally::default);
        if publication.tallied.as_deref() == Some(m.fingerprint.as_str()) {
            let mut rows = Vec::new();
            if few {
                for s in &in_scope.schools {
                    rows.extend(
                        self.storage
                            .published_tallies(publication.id, Some(s.school_id), sums)
                            .await?,
                    );
                }
            } else if let (Some(groups), Sums::Profile) = (groups, sums) {
                rows = self
                    .storage
                    .published_group_tallies(publication.id, groups)
                    .await?;
            } else {
                rows = self
                    .storage
                    .published_tallies(publication.id, None, sums)
                    .await?;
            }
            let rows = rows.iter().filter(|r| taken(&r.group));
            for row in rows.filter(|r| schools.contains(&r.school_id)) {
                match quality.as_mut() {
                    Some(q) => q.merge(&row.quality()?),
                    None => tallies
                        .entry(row.school_id)
                        .or_default()
                        .merge(&row.profile()?),
                }
            }
            return Ok((tallies, quality));
        }
        let stored = if few {
            let mut all = Vec::new();
            for s in &in_scope.schools {
                all.extend(
                    self.storage
                        .published_answers(campaign, Some(s.school_id))
                        .await?,
                );
            }
            all
        } else {
            self.storage.published_answers(campaign, None).await?
        };
        let tallier = Tallier::new(m);
        let start = in_scope.campaign.opens_on;
        for group_answers in stored {
            let (school, group) = (group_answers.school_id, group_answers.group);
            if !schools.contains(&school) || !taken(&group) {
                continue;
            }
            let tally = tallies.entry(school).or_default();
            for (order, raw) in group_answers.raw()?.iter().enumerate() {
                let Some(response) = tallier.response(group, raw) else {
                    break;
                };
                match quality.as_mut() {
                    Some(q) => tallier.add_quality(q, &response),
                    None => tallier.add_profile(tally, &response, order as i64, start),
                }
            }
        }
        Ok((tallies, quality))
    }

    /// The schools whose published raw responses of `group` may leave: those in scope where the
    /// group has at least the minimum number of published respondents; refused while the viewer
    /// has no publication to read.
    pub async fn exportable(
        &self,
        viewer: &Viewer,
        campaign: i64,
        group: Group,
    ) -> Result<Option<(InScope, Exportable)>, ServerError> {
        let Some(in_scope) = self.campaign(viewer, campaign, None).await? else {
            return Ok(None);
        };
        if self
            .publication(viewer, &in_scope.campaign)
            .await?
            .is_none()
        {
            return Err(Refused::one(At::Whole, Kind::NotPublished).into());
        }
        let min = i64::from(self.methodology.min_respondents(group));
        let counts = self.storage.published_counts(in_scope.campaign.id).await?;
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
        // By school: 10,000 schools looked up in a list of 10,000 were 50 M comparisons.
        let mut earlier_of: HashMap<&str, &SchoolProfile> = HashMap::new();
        for p in before {
            earlier_of.entry(p.school.as_str()).or_insert(p);
        }
        after
            .iter()
            .enumerate()
            .filter_map(|(index, later)| {
                let earlier = *earlier_of.get(later.school.as_str())?;
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

/// What a list of schools is narrowed to: a municipality, a cohort.
#[derive(Debug, Clone, Copy, Default)]
pub struct Narrow {
    pub municipality: Option<i64>,
    pub cohort: Option<app::results::Cohort>,
}

/// The municipalities of the schools, to filter by.
pub fn municipalities(schools: &[SchoolInCampaign]) -> Vec<app::work::Choice> {
    let mut list: Vec<app::work::Choice> = schools
        .iter()
        .map(|s| app::work::Choice {
            id: s.municipality_id,
            name: s.municipality.clone(),
        })
        .collect();
    list.sort_by(|a, b| a.name.cmp(&b.name));
    list.dedup();
    list
}

/// A campaign's heading with how many of its schools the viewer sees.
pub fn campaign_item(
    c: &CampaignRow,
    schools: usize,
    published: Option<&PublicationRow>,
) -> app::work::CampaignItem {
    app::work::CampaignItem {
        id: c.id,
        name: c.name.clone(),
        methodology_version: c.methodology_version.clone(),
        opens_on: c.opens_on.to_string(),
        closes_on: c.closes_on.to_string(),
        schools,
        published: published.map(|p| app::work::Published {
            number: p.number,
            on: p.published_on.to_string(),
            at_close: p.at_close,
        }),
    }
}

/// How a school is offered in a search field's suggestions: its name and, in brackets, its
/// registry code, which `school_named` reads back.
pub fn school_label(s: &PlacedSchool) -> String {
    format!("{} ({})", s.name, s.code)
}

/// The one school a search field's text names among `schools`: a suggestion as `school_label`
/// writes it, a registry code, a name, or a part of one name (letter case aside). Refuses the
/// field when no school or more than one matches.
pub fn school_named<'a>(
    schools: impl IntoIterator<Item = &'a PlacedSchool>,
    field: &'static str,
    text: &str,
) -> Result<&'a PlacedSchool, Refused> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Refused::one(At::Field(field), Kind::Empty));
    }
    let wanted = text.to_lowercase();
    let schools: Vec<&PlacedSchool> = schools.into_iter().collect();
    let bracketed = text
        .strip_suffix(')')
        .and_then(|t| t.rsplit_once('('))
        .map(|(_, code)| code.trim().to_lowercase());
    // In turn: a suggestion, a code, a whole name, a part of a name.
    let fits = |s: &PlacedSchool, how: u8| match how {
        0 => Some(s.code.to_lowercase()) == bracketed && school_label(s).to_lowercase() == wanted,
        1 => s.code.to_lowercase() == wanted,
        2 => s.name.to_lowercase() == wanted,
        _ => s.name.to_lowercase().contains(&wanted),
    };
    for how in 0..4 {
        let found: Vec<&'a PlacedSchool> =
            schools.iter().copied().filter(|s| fits(s, how)).collect();
        match found.as_slice() {
            [] => continue,
            [one] => return Ok(one),
            many => {
                return Err(Refused::one(
                    At::Field(field),
                    Kind::SeveralSchools(u32::try_from(many.len()).unwrap_or(u32::MAX)),
                ))
            }
        }
    }
    Err(Refused::one(
        At::Field(field),
        Kind::NoSuchSchool(text.to_owned()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn school(id: i64, code: &str, name: &str) -> PlacedSchool {
        PlacedSchool {
            id,
            code: code.into(),
            name: name.into(),
            municipality_id: 1,
            municipality_code: "m".into(),
            municipality: "М".into(),
            region_id: 1,
            region_code: "r".into(),
            region: "Р".into(),
        }
    }

    #[test]
    fn a_search_field_names_one_school_or_says_why_not() {
        let schools = [
            school(1, "s-01", "МБОУ «Берёзовская СОШ»"),
            school(2, "s-02", "МБОУ «Озёрная ООШ»"),
            school(3, "s-03", "МБОУ «СОШ № 2»"),
        ];
        let named = |text: &str| school_named(&schools, "school", text).map(|s| s.id);
        assert_eq!(named("МБОУ «Озёрная ООШ» (s-02)"), Ok(2), "a suggestion");
        assert_eq!(named(" S-03 "), Ok(3), "a code, letter case aside");
        assert_eq!(named("берёзовская"), Ok(1), "a part of one name");
        assert_eq!(named("мбоу «сош № 2»"), Ok(3), "a whole name");
        let kind = |text: &str| named(text).map_err(|r| r.0[0].kind.clone());
        assert_eq!(kind("сош"), Err(Kind::SeveralSchools(2)));
        assert_eq!(kind("гимназия"), Err(Kind::NoSuchSchool("гимназия".into())));
        assert_eq!(kind("  "), Err(Kind::Empty));
        // A bracketed code that is not the suggestion's own is read as a name.
        assert_eq!(
            kind("Чужая (s-02)"),
            Err(Kind::NoSuchSchool("Чужая (s-02)".into()))
        );
    }
}
