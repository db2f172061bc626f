//! The sufficient statistics of each campaign's school and group (`surveys::tally`): the live
//! ones, which the writer adds each counted response to in the transaction that stores it, and
//! those of each publication, copied from the live ones of the groups it takes in. Profiles of a
//! publication are scored from these few rows; a publication whose groups are not all tallied
//! under one methodology (`PublicationRow::tallied`) is scored from its answers instead.
//!
//! Each tally also records the last response it counts (`through_id`): a group's responses are
//! numbered in the order its live tally counts them — on PostgreSQL the writer locks the
//! group's tally before storing any of its responses (`lock_live!`), on SQLite one writer
//! runs at a time, and an admitted surplus response takes a new number — so a publication
//! holds exactly the counted responses of each group up to its tally's `through_id`.

use std::collections::BTreeMap;

use surveys::quality::QualityTally;
use surveys::{Group, Tally};

use super::{with_pool, Storage};
use crate::error::ServerError;

/// The sums one or more responses of a school's group add, under a methodology.
#[derive(Debug, Clone, PartialEq)]
pub struct TallyPiece {
    /// The methodology's fingerprint.
    pub fingerprint: String,
    pub profile: Tally,
    pub quality: QualityTally,
}

impl TallyPiece {
    /// A response counted without sums (stored around the server's scoring): its group's live
    /// tally counts it but cannot sum it until `orientir rescore`.
    pub fn unsummed() -> TallyPiece {
        TallyPiece {
            fingerprint: String::new(),
            profile: Tally::default(),
            quality: QualityTally::default(),
        }
    }

    /// Adds another piece under the same methodology.
    pub fn merge(&mut self, other: &TallyPiece) {
        self.profile.merge(&other.profile);
        self.quality.merge(&other.quality);
    }

    /// Adds another piece; one kept under another methodology cannot be summed with it, so the
    /// sums lose their fingerprint (counted, not tallied, until `orientir rescore`).
    pub fn add(&mut self, other: &TallyPiece) {
        if self.fingerprint == other.fingerprint {
            self.merge(other);
        } else {
            self.fingerprint.clear();
        }
    }
}

/// A group's tally as stored: the sums as JSON text.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TallyRow {
    pub school_id: i64,
    #[sqlx(rename = "respondent_group", try_from = "String")]
    pub group: Group,
    pub sums: String,
}

impl TallyRow {
    pub fn profile(&self) -> Result<Tally, ServerError> {
        parse(&self.sums)
    }

    pub fn quality(&self) -> Result<QualityTally, ServerError> {
        parse(&self.sums)
    }
}

/// A stored tally's JSON text; the empty text is the empty tally.
fn parse<T: Default + serde::de::DeserializeOwned>(text: &str) -> Result<T, ServerError> {
    if text.is_empty() {
        return Ok(T::default());
    }
    serde_json::from_str(text)
        .map_err(|e| ServerError::Inconsistent(format!("a stored tally is not readable: {e}")))
}

fn text<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// Which sums to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sums {
    Profile,
    Quality,
}

/// Tallies to add, by (campaign, school, group); ordered, so that concurrent writers lock rows
/// in one order.
pub(super) type Additions = BTreeMap<(i64, i64, String), Addition>;

/// What a batch adds to one live tally.
#[derive(Debug, Clone)]
pub(super) struct Addition {
    pub piece: TallyPiece,
    /// How many responses it counts.
    pub count: i64,
    /// The largest id among them.
    pub through: i64,
}

/// A live tally as stored and what adding to it gives: (fingerprint, responses, profile,
/// quality, through_id).
type Stored = (String, i64, String, String, i64);

/// The live tally after adding `piece` of `count` responses. Sums kept under another
/// methodology cannot take it: the row keeps counting but its fingerprint is cleared, so no
/// publication counts it as tallied until `orientir rescore` rebuilds it.
pub(super) fn added(
    (fingerprint, responses, profile, quality, through): Stored,
    addition: &Addition,
) -> Stored {
    let Addition {
        piece,
        count,
        through: last,
    } = addition;
    let responses = responses + count;
    let through = through.max(*last);
    if responses == *count {
        return (
            piece.fingerprint.clone(),
            responses,
            text(&piece.profile),
            text(&piece.quality),
            through,
        );
    }
    if fingerprint != piece.fingerprint {
        return (String::new(), responses, profile, quality, through);
    }
    match (parse::<Tally>(&profile), parse::<QualityTally>(&quality)) {
        (Ok(mut p), Ok(mut q)) => {
            p.merge(&piece.profile);
            q.merge(&piece.quality);
            (fingerprint, responses, text(&p), text(&q), through)
        }
        _ => (String::new(), responses, profile, quality, through),
    }
}

/// Makes the live tallies of the given (campaign, school, group) keys inside the caller's
/// transaction `$tx` where missing and, on PostgreSQL, locks them in their order — before any
/// response of those groups is stored or renumbered, so that a group's responses are numbered
/// in the order its tally counts them (on SQLite a write transaction excludes every other).
macro_rules! lock_live {
    ($storage:expr, $tx:expr, $keys:expr) => {{
        let conflict = match $storage {
            // An update of nothing, which locks the row.
            $crate::storage::Storage::Postgres(_) => "DO UPDATE SET responses = live_tallies.responses",
            $crate::storage::Storage::Sqlite(_) => "DO NOTHING",
        };
        let sql = format!(
            "INSERT INTO live_tallies (campaign_id, school_id, respondent_group, fingerprint, responses, profile, quality)
             VALUES ($1, $2, $3, '', 0, '', '')
             ON CONFLICT (campaign_id, school_id, respondent_group) {conflict}"
        );
        for (campaign, school, group) in $keys {
            sqlx::query(&sql)
                .bind(campaign)
                .bind(school)
                .bind(group)
                .execute(&mut *$tx)
                .await?;
        }
    }};
}
pub(crate) use lock_live;

/// Adds tallies to the live ones inside the caller's transaction `$tx` (a `&mut` connection),
/// whose rows `lock_live!` made and locked: each is read, added to and written back.
macro_rules! add_to_live {
    ($tx:expr, $additions:expr) => {{
        for ((campaign, school, group), addition) in $additions {
            let stored: (String, i64, String, String, i64) = sqlx::query_as(
                "SELECT fingerprint, responses, profile, quality, through_id FROM live_tallies
                 WHERE campaign_id = $1 AND school_id = $2 AND respondent_group = $3",
            )
            .bind(campaign)
            .bind(school)
            .bind(group)
            .fetch_one(&mut *$tx)
            .await?;
            let (fingerprint, responses, profile, quality, through) =
                $crate::storage::tallies::added(stored, addition);
            sqlx::query(
                "UPDATE live_tallies SET fingerprint = $4, responses = $5, profile = $6, quality = $7,
                    through_id = $8
                 WHERE campaign_id = $1 AND school_id = $2 AND respondent_group = $3",
            )
            .bind(campaign)
            .bind(school)
            .bind(group)
            .bind(fingerprint)
            .bind(responses)
            .bind(profile)
            .bind(quality)
            .bind(through)
            .execute(&mut *$tx)
            .await?;
        }
    }};
}
pub(crate) use add_to_live;

/// Adds the piece of response `id` to the additions of a batch.
pub(super) fn push(additions: &mut Additions, key: (i64, i64, Group), id: i64, piece: TallyPiece) {
    let key = (key.0, key.1, key.2.key().to_owned());
    match additions.get_mut(&key) {
        Some(a) => {
            a.piece.add(&piece);
            a.count += 1;
            a.through = a.through.max(id);
        }
        None => {
            additions.insert(
                key,
                Addition {
                    piece,
                    count: 1,
                    through: id,
                },
            );
        }
    }
}

/// A campaign's tallies rebuilt from its answers (`orientir rescore`): the live ones, and those
/// of each publication (by id), under one methodology.
pub struct Rebuilt {
    pub fingerprint: String,
    pub live: Vec<GroupTally>,
    /// Each publication's id with its tallies.
    pub publications: Vec<(i64, Vec<GroupTally>)>,
}

/// A (school, group), its sums, how many responses they count and the last one's id.
pub type GroupTally = ((i64, Group), TallyPiece, i64, i64);

/// A counted response as a rebuild reads it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CountedResponse {
    pub id: i64,
    pub school_id: i64,
    #[sqlx(rename = "respondent_group", try_from = "String")]
    pub group: Group,
    pub answers: String,
}

/// The last response of a school's group a publication holds (`through_id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct PublishedThrough {
    pub publication_id: i64,
    pub school_id: i64,
    #[sqlx(rename = "respondent_group", try_from = "String")]
    pub group: Group,
    pub through_id: i64,
}

/// Sets a publication's `tallied` to `fingerprint` inside the caller's transaction when each of
/// its groups' tallies sums what it counts under that methodology.
macro_rules! mark_tallied {
    ($tx:expr, $publication:expr, $fingerprint:expr) => {{
        let untallied: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM published_tallies
             WHERE publication_id = $1 AND responses > 0 AND fingerprint <> $2",
        )
        .bind($publication)
        .bind($fingerprint)
        .fetch_one(&mut *$tx)
        .await?;
        if untallied == 0 {
            sqlx::query("UPDATE publications SET tallied = $1 WHERE id = $2")
                .bind($fingerprint)
                .bind($publication)
                .execute(&mut *$tx)
                .await?;
        }
    }};
}
pub(crate) use mark_tallied;

impl Storage {
    /// The tallies of a publication (of one school of it, or all), the chosen sums of each.
    pub async fn published_tallies(
        &self,
        publication_id: i64,
        school_id: Option<i64>,
        sums: Sums,
    ) -> Result<Vec<TallyRow>, ServerError> {
        let column = match sums {
            Sums::Profile => "profile",
            Sums::Quality => "quality",
        };
        let school = if school_id.is_some() {
            "AND school_id = $2"
        } else {
            ""
        };
        let sql = format!(
            "SELECT school_id, respondent_group, {column} AS sums FROM published_tallies
             WHERE publication_id = $1 {school} ORDER BY school_id, respondent_group"
        );
        Ok(with_pool!(self, pool => {
            let mut query = sqlx::query_as(&sql).bind(publication_id);
            if let Some(school) = school_id {
                query = query.bind(school);
            }
            query.fetch_all(pool).await?
        }))
    }

    /// The profile sums of a publication's tallies of the given groups alone, every school's
    /// (a region's context reads a principal's numbers, not every group's sums).
    pub async fn published_group_tallies(
        &self,
        publication_id: i64,
        groups: &[Group],
    ) -> Result<Vec<TallyRow>, ServerError> {
        if groups.is_empty() {
            return Ok(Vec::new());
        }
        let places: Vec<String> = (0..groups.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT school_id, respondent_group, profile AS sums FROM published_tallies
             WHERE publication_id = $1 AND respondent_group IN ({})",
            places.join(", ")
        );
        Ok(with_pool!(self, pool => {
            let mut query = sqlx::query_as(&sql).bind(publication_id);
            for group in groups {
                query = query.bind(group.key());
            }
            query.fetch_all(pool).await?
        }))
    }

    /// A campaign's counted responses after `after` (by id), at most `size` of them, for a
    /// rebuild of its tallies.
    pub async fn counted_responses(
        &self,
        campaign_id: i64,
        after: i64,
        size: i64,
    ) -> Result<Vec<CountedResponse>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, school_id, respondent_group, answers FROM responses
                 WHERE campaign_id = $1 AND status = 'counted' AND id > $2 ORDER BY id LIMIT $3",
            )
            .bind(campaign_id)
            .bind(after)
            .bind(size)
            .fetch_all(pool)
            .await?
        }))
    }

    /// The last response of each school's group each publication of a campaign holds.
    pub async fn published_throughs(
        &self,
        campaign_id: i64,
    ) -> Result<Vec<PublishedThrough>, ServerError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT t.publication_id, t.school_id, t.respondent_group, t.through_id
                 FROM published_tallies t JOIN publications p ON p.id = t.publication_id
                 WHERE p.campaign_id = $1 ORDER BY t.publication_id",
            )
            .bind(campaign_id)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Replaces a campaign's tallies with rebuilt ones in one transaction, and marks each
    /// publication tallied where its tallies count what it took in.
    pub async fn replace_tallies(
        &self,
        campaign_id: i64,
        rebuilt: &Rebuilt,
    ) -> Result<(), ServerError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM live_tallies WHERE campaign_id = $1")
                .bind(campaign_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "DELETE FROM published_tallies WHERE publication_id IN
                    (SELECT id FROM publications WHERE campaign_id = $1)",
            )
            .bind(campaign_id)
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE publications SET tallied = NULL WHERE campaign_id = $1")
                .bind(campaign_id)
                .execute(&mut *tx)
                .await?;
            // The live tallies under the campaign, each publication's under the publication.
            let owners = std::iter::once(("live_tallies", "campaign_id", campaign_id, &rebuilt.live))
                .chain(rebuilt.publications.iter().map(|(publication, tallies)| {
                    ("published_tallies", "publication_id", *publication, tallies)
                }));
            for (table, owner, id, tallies) in owners {
                let sql = format!(
                    "INSERT INTO {table} ({owner}, school_id, respondent_group, fingerprint, responses, profile, quality, through_id)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                );
                for ((school, group), piece, count, through) in tallies {
                    sqlx::query(&sql)
                        .bind(id)
                        .bind(school)
                        .bind(group.key())
                        .bind(&piece.fingerprint)
                        .bind(count)
                        .bind(text(&piece.profile))
                        .bind(text(&piece.quality))
                        .bind(through)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            for (publication, _) in &rebuilt.publications {
                mark_tallied!(tx, *publication, &rebuilt.fingerprint);
            }
            tx.commit().await?;
        });
        Ok(())
    }
}
