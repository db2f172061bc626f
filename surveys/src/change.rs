//! Change of a school's profile between two campaigns: ΔR and the level transition per factor,
//! whether the difference is more than the two scores' uncertainty, and how many factors improved
//! or worsened (all of them, and those beyond the uncertainty). Only profiles of one methodology
//! version compare.

use serde::{Deserialize, Serialize};

use crate::factor::FactorCode;
use crate::methodology::Methodology;
use crate::profile::SchoolProfile;
use crate::Key;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transition {
    Improved,
    Worsened,
    Unchanged,
    /// One side has «недостаточно данных».
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FactorChange {
    pub code: FactorCode,
    pub before_score: Option<f64>,
    pub after_score: Option<f64>,
    pub before_level: Option<Key>,
    pub after_level: Option<Key>,
    /// after − before; negative is less risk.
    pub delta: Option<f64>,
    pub transition: Transition,
    /// Whether |Δ| is beyond the half-width of the difference's interval at the methodology's
    /// confidence, √(h_before² + h_after²) from the two scores' intervals («значимо»); `None`
    /// without both scores.
    pub significant: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileChange {
    pub school: String,
    pub methodology_version: Key,
    pub factors: Vec<FactorChange>,
    pub improved: u32,
    pub worsened: u32,
    /// Of those, the ones whose difference is significant.
    pub improved_significant: u32,
    pub worsened_significant: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChangeError {
    #[error("profiles were computed with different methodology versions ({before} and {after}); recompute both with one version first")]
    VersionMismatch { before: String, after: String },
    #[error("the profiles belong to different schools ({before} and {after})")]
    DifferentSchools { before: String, after: String },
}

/// Compares two profiles of one school. A level transition counts by the order of levels in the
/// methodology (высокий → средний is an improvement).
pub fn compare(
    m: &Methodology,
    before: &SchoolProfile,
    after: &SchoolProfile,
) -> Result<ProfileChange, ChangeError> {
    if before.methodology_version != after.methodology_version
        || before.methodology_version != m.version
    {
        return Err(ChangeError::VersionMismatch {
            before: before.methodology_version.to_string(),
            after: after.methodology_version.to_string(),
        });
    }
    if before.school != after.school {
        return Err(ChangeError::DifferentSchools {
            before: before.school.clone(),
            after: after.school.clone(),
        });
    }
    let factors: Vec<FactorChange> = m
        .factors
        .iter()
        .map(|f| {
            let b = before.factor(&f.code.0);
            let a = after.factor(&f.code.0);
            let before_level = b.and_then(|x| x.level.clone());
            let after_level = a.and_then(|x| x.level.clone());
            let rank = |l: &Option<Key>| l.as_deref().and_then(|k| m.rules.level_index(k));
            let transition = match (rank(&before_level), rank(&after_level)) {
                (Some(x), Some(y)) if y < x => Transition::Improved,
                (Some(x), Some(y)) if y > x => Transition::Worsened,
                (Some(_), Some(_)) => Transition::Unchanged,
                _ => Transition::Unknown,
            };
            let before_score = b.and_then(|x| x.score);
            let after_score = a.and_then(|x| x.score);
            let delta = before_score.zip(after_score).map(|(x, y)| y - x);
            let significant = delta.map(|d| {
                crate::stats::beyond(d, b.and_then(|x| x.interval), a.and_then(|x| x.interval))
            });
            FactorChange {
                code: f.code.clone(),
                delta,
                significant,
                before_score,
                after_score,
                before_level,
                after_level,
                transition,
            }
        })
        .collect();
    let count = |t: Transition, only_significant: bool| {
        factors
            .iter()
            .filter(|f| f.transition == t && (!only_significant || f.significant == Some(true)))
            .count() as u32
    };
    Ok(ProfileChange {
        school: after.school.clone(),
        methodology_version: m.version.clone(),
        improved: count(Transition::Improved, false),
        worsened: count(Transition::Worsened, false),
        improved_significant: count(Transition::Improved, true),
        worsened_significant: count(Transition::Worsened, true),
        factors,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::FactorResult;

    fn profile(version: &str, scores: &[Option<f64>]) -> SchoolProfile {
        let m = Methodology::default_set().expect("valid");
        SchoolProfile {
            school: "s1".into(),
            methodology_version: version.into(),
            groups: Vec::new(),
            indicators: Vec::new(),
            factors: m
                .factors
                .iter()
                .zip(scores.iter().chain(std::iter::repeat(&None)))
                .map(|(f, s)| FactorResult {
                    code: f.code.clone(),
                    score: *s,
                    level: s.map(|s| m.rules.level(s).key.clone()),
                    interval: s.map(|s| crate::stats::Interval {
                        low: (s - 0.05).max(0.0),
                        high: (s + 0.05).min(1.0),
                    }),
                    levels_within: Vec::new(),
                    indicators: Vec::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn transitions_deltas_and_counts() {
        let m = Methodology::default_set().expect("valid");
        let before = profile(
            "orientir-2026",
            &[Some(0.6), Some(0.3), Some(0.1), Some(0.4), None],
        );
        let after = profile(
            "orientir-2026",
            &[Some(0.4), Some(0.55), Some(0.2), Some(0.2), Some(0.3)],
        );
        let c = compare(&m, &before, &after).expect("comparable");
        let t: Vec<_> = c.factors.iter().take(5).map(|f| f.transition).collect();
        assert_eq!(
            t,
            vec![
                Transition::Improved,
                Transition::Worsened,
                Transition::Unchanged,
                Transition::Improved,
                Transition::Unknown
            ]
        );
        assert!((c.factors[0].delta.expect("delta") + 0.2).abs() < 1e-9);
        assert_eq!((c.improved, c.worsened), (2, 1));
    }

    #[test]
    fn a_change_within_the_uncertainty_is_not_counted_as_significant() {
        let m = Methodology::default_set().expect("valid");
        // Each score ± 0.05: a difference must exceed √(0.05² + 0.05²) ≈ 0.071.
        let before = profile("orientir-2026", &[Some(0.6), Some(0.48)]);
        let after = profile("orientir-2026", &[Some(0.4), Some(0.52)]);
        let c = compare(&m, &before, &after).expect("comparable");
        assert_eq!(c.factors[0].significant, Some(true));
        // 0.48 → 0.52 turns «средний» into «высокий», but it is noise.
        assert_eq!(c.factors[1].transition, Transition::Worsened);
        assert_eq!(c.factors[1].significant, Some(false));
        assert_eq!((c.improved, c.worsened), (1, 1));
        assert_eq!((c.improved_significant, c.worsened_significant), (1, 0));
        assert_eq!(c.factors[2].significant, None);
    }

    #[test]
    fn different_methodology_versions_are_refused() {
        let m = Methodology::default_set().expect("valid");
        let err = compare(
            &m,
            &profile("orientir-2025", &[]),
            &profile("orientir-2026", &[]),
        )
        .expect_err("refused");
        assert!(err.to_string().contains("recompute"), "{err}");
    }
}
