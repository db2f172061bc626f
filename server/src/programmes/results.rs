//! Results of anti-risk programmes: once a later campaign of the same schools is published, each
//! target is judged by `surveys` against the school's later profile (baseline → target →
//! actual: achieved, not achieved, «недостаточно данных»), and a programme's targets are met
//! when every judged one is; across the viewer's scope, how often each catalogue measure appears
//! in programmes whose targets were met versus not («эффективность мер»). Nothing is computed
//! here that `surveys` computes.

use std::collections::BTreeMap;
use std::sync::Arc;

use app::access::Viewer;
use surveys::programme::{judge, Achievement, Verdict};
use surveys::{Methodology, SchoolProfile};

use crate::error::ServerError;
use crate::scope::{Gate, Scored};
use crate::storage::{CampaignRow, Storage, TargetRow};

/// The fewest judged programmes a row of «эффективность мер» (or its total) is shown for.
pub const MIN_PROGRAMMES: u32 = 5;

/// The first campaign after another whose results the viewer may read, scored for the viewer's
/// schools in it.
pub struct Later {
    pub campaign: CampaignRow,
    pub scored: Arc<Scored>,
}

impl Later {
    /// A school's later profile, by its registry code.
    pub fn profile(&self, code: &str) -> Option<&SchoolProfile> {
        self.scored.profiles.iter().find(|p| p.school == code)
    }
}

/// The earliest campaign opening after `campaign` with a publication the viewer may read.
pub async fn later(
    gate: &Gate,
    viewer: &Viewer,
    campaign: &CampaignRow,
) -> Result<Option<Later>, ServerError> {
    let mut next: Vec<CampaignRow> = gate
        .campaigns(viewer)
        .await?
        .into_iter()
        .filter(|(c, schools)| *schools > 0 && c.opens_on > campaign.opens_on)
        .map(|(c, _)| c)
        .collect();
    next.sort_by_key(|c| c.opens_on);
    for c in next {
        let Some(in_scope) = gate.campaign(viewer, c.id, None).await? else {
            continue;
        };
        if let Some(scored) = gate.score(viewer, &in_scope).await? {
            return Ok(Some(Later {
                campaign: in_scope.campaign,
                scored,
            }));
        }
    }
    Ok(None)
}

/// The verdict on each target against the school's later profile (none: no data).
pub fn verdicts(
    m: &Methodology,
    targets: &[TargetRow],
    later: Option<&SchoolProfile>,
) -> Vec<Verdict> {
    targets
        .iter()
        .map(|t| match m.indicator(&t.indicator) {
            Some(i) => judge(i, t.target, later.and_then(|p| p.indicator(&t.indicator))),
            None => Verdict {
                achievement: Achievement::InsufficientData,
                actual: None,
                beyond_uncertainty: None,
            },
        })
        .collect()
}

/// Whether a programme's targets were met: every target with data achieved (and one at
/// least has data); `None` when none has.
pub fn met(verdicts: &[Verdict]) -> Option<bool> {
    let judged: Vec<bool> = verdicts
        .iter()
        .filter_map(|v| match v.achievement {
            Achievement::Achieved => Some(true),
            Achievement::NotAchieved => Some(false),
            Achievement::InsufficientData => None,
        })
        .collect();
    (!judged.is_empty()).then(|| judged.iter().all(|a| *a))
}

/// «Эффективность мер» of the viewer's scope.
#[derive(Debug, Default)]
pub struct Effectiveness {
    /// Agreed programmes with a judged result.
    pub judged: u32,
    /// Per catalogue measure (its position in `measures.toml`): programmes with it whose targets
    /// were met, and not met.
    pub measures: BTreeMap<i64, (u32, u32)>,
}

/// How often each catalogue measure appears in agreed programmes whose targets were met versus
/// not, over every campaign of the viewer's scope that a later published campaign follows.
pub async fn effectiveness(
    gate: &Gate,
    storage: &Storage,
    viewer: &Viewer,
) -> Result<Effectiveness, ServerError> {
    let m = gate.methodology();
    let mut out = Effectiveness::default();
    for (campaign, schools) in gate.campaigns(viewer).await? {
        if schools == 0 {
            continue;
        }
        let programmes: Vec<_> = storage
            .campaign_programmes(campaign.id)
            .await?
            .into_iter()
            .filter(|p| p.status == app::programmes::ProgrammeStatus::Agreed)
            .collect();
        if programmes.is_empty() {
            continue;
        }
        let Some(in_scope) = gate.campaign(viewer, campaign.id, None).await? else {
            continue;
        };
        let Some(later) = later(gate, viewer, &campaign).await? else {
            continue;
        };
        for p in programmes {
            let Some(school) = in_scope.schools.iter().find(|s| s.school_id == p.school_id) else {
                continue;
            };
            let targets = storage.programme_targets(p.id).await?;
            let Some(met) = met(&verdicts(m, &targets, later.profile(&school.code))) else {
                continue;
            };
            out.judged += 1;
            let mut used: Vec<i64> = storage
                .programme_measures(p.id)
                .await?
                .into_iter()
                .filter_map(|x| x.catalogue)
                .collect();
            used.sort_unstable();
            used.dedup();
            for index in used {
                let counts = out.measures.entry(index).or_default();
                if met {
                    counts.0 += 1;
                } else {
                    counts.1 += 1;
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(achievement: Achievement) -> Verdict {
        Verdict {
            achievement,
            actual: None,
            beyond_uncertainty: None,
        }
    }

    #[test]
    fn targets_are_met_when_every_judged_one_is() {
        use Achievement::*;
        assert_eq!(met(&[]), None);
        assert_eq!(met(&[verdict(InsufficientData)]), None);
        assert_eq!(
            met(&[verdict(Achieved), verdict(InsufficientData)]),
            Some(true)
        );
        assert_eq!(met(&[verdict(Achieved), verdict(NotAchieved)]), Some(false));
    }
}
