//! How the server tallies responses (`surveys::tally`): each response exactly as scoring reads it
//! back from storage — its stored answers parsed against its instrument — so that the sums the
//! writer keeps as responses arrive are the sums a rebuild, or scoring from the answers, makes.

use std::collections::{BTreeMap, HashMap};

use surveys::calendar::Day;
use surveys::deficits::{add_result, teacher_result};
use surveys::profile::Scorer;
use surveys::quality::{QualityPlan, QualityTally};
use surveys::{Answers, Group, Methodology, RawAnswers, Response, Tally};

use crate::error::ServerError;
use crate::storage::{CampaignRow, Rebuilt, Storage, TallyPiece};

/// Responses read at a time by a rebuild.
const REBUILD_PAGE: i64 = 5_000;

/// Tallies by (school, group), with the responses each counts and the last one's id.
type Tallies = BTreeMap<(i64, Group), (TallyPiece, i64, i64)>;

/// Scoring compiled once for the methodology, to tally any number of responses.
pub struct Tallier<'m> {
    m: &'m Methodology,
    scorer: Scorer<'m>,
    quality: QualityPlan,
}

impl<'m> Tallier<'m> {
    pub fn new(m: &'m Methodology) -> Tallier<'m> {
        Tallier {
            m,
            scorer: Scorer::new(m),
            quality: QualityPlan::new(m),
        }
    }

    /// A response as scoring reads it from its stored answers; `None` for a group the
    /// methodology has no instrument for.
    pub fn response(&self, group: Group, raw: &RawAnswers) -> Option<Response> {
        let instrument = self.m.instrument(group)?;
        let mut ignored = Vec::new();
        let answers = Answers::parse_known(self.m, instrument, raw, &mut ignored, |_| false);
        Some(Response { group, answers })
    }

    /// Adds a response to a profile's tally: its scores and, for the teachers' diagnostic, the
    /// teacher's bands (`start`: the campaign's first day). `order` places it among the others.
    pub fn add_profile(&self, tally: &mut Tally, response: &Response, order: i64, start: Day) {
        self.scorer.add(tally, response, order);
        if response.group == Group::TeacherDeficits {
            if let Some(result) = teacher_result(self.m, &response.answers, start) {
                add_result(self.m, tally, &result);
            }
        }
    }

    /// Adds a response to the quality's tally.
    pub fn add_quality(&self, tally: &mut QualityTally, response: &Response) {
        tally.add(self.m, &self.quality, response);
    }

    /// An empty piece under this methodology.
    pub fn empty(&self) -> TallyPiece {
        TallyPiece {
            fingerprint: self.m.fingerprint.clone(),
            profile: Tally::default(),
            quality: QualityTally::default(),
        }
    }

    /// Adds a response to a piece: its profile's and its quality's sums.
    pub fn add(&self, piece: &mut TallyPiece, response: &Response, order: i64, start: Day) {
        self.add_profile(&mut piece.profile, response, order, start);
        self.add_quality(&mut piece.quality, response);
    }

    /// The piece one response's stored answers (JSON text) add; `None` for a group the
    /// methodology has no instrument for.
    pub fn piece(
        &self,
        group: Group,
        answers: &str,
        order: i64,
        start: Day,
    ) -> Result<Option<TallyPiece>, ServerError> {
        let raw: RawAnswers = serde_json::from_str(answers)
            .map_err(|e| ServerError::Inconsistent(format!("stored answers are not JSON: {e}")))?;
        Ok(self.piece_of(group, &raw, order, start))
    }

    /// The piece of a response's answers as they are stored (keyed raw values).
    pub fn piece_of(
        &self,
        group: Group,
        raw: &RawAnswers,
        order: i64,
        start: Day,
    ) -> Option<TallyPiece> {
        self.response(group, raw).map(|response| {
            let mut piece = self.empty();
            self.add(&mut piece, &response, order, start);
            piece
        })
    }
}

/// A campaign's tallies rebuilt from its counted responses under `m`: the live ones, and each
/// publication's (what it and the earlier ones took in: each group's responses up to the last
/// one its tally counted). Reads the answers page by page. A response of a group the
/// methodology has no instrument for is counted without sums.
pub async fn rebuild(
    storage: &Storage,
    m: &Methodology,
    campaign: &CampaignRow,
) -> Result<Rebuilt, ServerError> {
    let tallier = Tallier::new(m);
    let mut publications = storage.publications(campaign.id).await?;
    publications.reverse();
    let place: HashMap<i64, usize> = publications
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id, i))
        .collect();
    // Each group's publications in order, with the last response each holds.
    let mut through: HashMap<(i64, Group), Vec<(usize, i64)>> = HashMap::new();
    for t in storage.published_throughs(campaign.id).await? {
        if let Some(i) = place.get(&t.publication_id) {
            through
                .entry((t.school_id, t.group))
                .or_default()
                .push((*i, t.through_id));
        }
    }
    // What each publication took in, and last what none has yet.
    let mut taken: Vec<Tallies> = vec![Tallies::new(); publications.len() + 1];
    let mut after = 0;
    loop {
        let page = storage
            .counted_responses(campaign.id, after, REBUILD_PAGE)
            .await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for r in &page {
            let key = (r.school_id, r.group);
            let bucket = through
                .get(&key)
                .and_then(|list| list.iter().find(|(_, last)| r.id <= *last))
                .map_or(publications.len(), |(i, _)| *i);
            let entry = taken[bucket]
                .entry(key)
                .or_insert_with(|| (tallier.empty(), 0, 0));
            // Without an instrument the response is counted, not summed.
            let piece = tallier.piece(r.group, &r.answers, r.id, campaign.opens_on)?;
            entry.0.add(&piece.unwrap_or_else(TallyPiece::unsummed));
            entry.1 += 1;
            entry.2 = entry.2.max(r.id);
        }
    }
    let listed = |tallies: &Tallies| {
        tallies
            .iter()
            .map(|(key, (piece, count, last))| (*key, piece.clone(), *count, *last))
            .collect::<Vec<_>>()
    };
    let mut running = Tallies::new();
    let mut rebuilt = Rebuilt {
        fingerprint: m.fingerprint.clone(),
        live: Vec::new(),
        publications: Vec::new(),
    };
    for (i, bucket) in taken.iter().enumerate() {
        for (key, (piece, count, last)) in bucket {
            let entry = running
                .entry(*key)
                .or_insert_with(|| (tallier.empty(), 0, 0));
            entry.0.add(piece);
            entry.1 += count;
            entry.2 = entry.2.max(*last);
        }
        match publications.get(i) {
            Some(p) => rebuilt.publications.push((p.id, listed(&running))),
            None => rebuilt.live = listed(&running),
        }
    }
    Ok(rebuilt)
}
