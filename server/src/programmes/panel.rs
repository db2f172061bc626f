//! The risks a school chose from its published profile, as the profile shows them: the chosen
//! risks with their reasoning, the factors the profile suggests (with their weakest indicators),
//! and whether the viewer may choose now.

use app::access::Viewer;
use app::i18n::Lang;
use app::reports::{ChosenRiskView, RiskPanel, SuggestionView};
use surveys::SchoolProfile;

use super::writes;
use crate::error::ServerError;
use crate::scope::{Gate, InScope};
use crate::storage::Storage;
use crate::views::level_of;

/// The risk panel of a school's published profile for the viewer.
pub async fn panel(
    gate: &Gate,
    storage: &Storage,
    viewer: &Viewer,
    in_scope: &InScope,
    school: i64,
    profile: &SchoolProfile,
    lang: Lang,
) -> Result<RiskPanel, ServerError> {
    let m = gate.methodology();
    let name = |code: &str| m.factor_name(code, lang.code()).to_owned();
    let level = |code: &str| {
        level_of(
            m,
            profile.factor(code).and_then(|f| f.level.as_deref()),
            lang,
        )
    };
    let programme = storage.programme(in_scope.campaign.id, school).await?;
    let chosen = match &programme {
        Some(p) => storage.chosen_risks(p.id).await?,
        None => Vec::new(),
    };
    let indicator_name = |key: &str| m.indicator_name(key, lang.code()).to_owned();
    let mut suggestions: Vec<SuggestionView> = surveys::programme::suggestions(m, profile)
        .into_iter()
        .map(|s| SuggestionView {
            name: name(&s.factor.0),
            level: level(&s.factor.0),
            weakest: s.weakest.iter().map(|k| indicator_name(k)).collect(),
            factor: s.factor.0.to_string(),
        })
        .collect();
    // Then the other factors with a score (a school may know better than the profile).
    for f in &profile.factors {
        if f.score.is_some() && !suggestions.iter().any(|s| s.factor == f.code.0) {
            suggestions.push(SuggestionView {
                factor: f.code.0.to_string(),
                name: name(&f.code.0),
                level: level(&f.code.0),
                weakest: Vec::new(),
            });
        }
    }
    let open = programme.as_ref().is_none_or(|p| p.status.editable());
    Ok(RiskPanel {
        chosen: chosen
            .into_iter()
            .map(|r| ChosenRiskView {
                name: name(&r.factor),
                level: level(&r.factor),
                factor: r.factor,
                reasoning: r.reasoning,
            })
            .collect(),
        suggestions,
        can_choose: open && writes(viewer, in_scope, school),
        max: m.rules.max_chosen_risks,
        status: programme.map(|p| p.status),
    })
}
