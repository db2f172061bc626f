//! The demo region's educational results: three years (2024–2026) of ВПР, ОГЭ and ЕГЭ for its six
//! schools, consistent with their risk profiles — riskier schools have more «2» — with one school
//! that was on the low-results list and now meets the criteria for leaving it (demo-05), one
//! flagged for objectivity (demo-02 in 2026), two that the criteria put on the candidate list
//! (demo-03, demo-06), cohorts with their history, and a results target in a programme in each
//! state: achieved (demo-05), not achieved (demo-01), «недостаточно данных» (demo-03) and awaiting
//! its year's import (demo-04). Written only when the region has no import yet.

use app::results::Cohort;
use surveys::results::{Figures, ResultIndicator};
use surveys::Methodology;

use super::demo::{PREVIOUS_CAMPAIGN_CODE, SCHOOLS};
use crate::clock;
use crate::error::ServerError;
use crate::storage::{NewEvent, NewImport, ResultRow, Storage};

/// The years of results.
pub const YEARS: [u16; 3] = [2024, 2025, 2026];

/// The assessments of the demo, with a difficulty added to each school's share of «2».
const ASSESSMENTS: [(&str, f64); 7] = [
    ("vpr-rus-5", 0.0),
    ("vpr-math-5", 0.02),
    ("vpr-rus-6", 0.01),
    ("vpr-math-6", 0.03),
    ("oge-rus", -0.01),
    ("oge-math", 0.02),
    ("ege-rus", 0.0),
];

/// A school's share of «2» in a year: 3 % plus 30 % of its risk, a little better each year; the
/// school that left the list (demo-05) fell from 35 % to 4 %.
fn fail_share(code: &str, risk: f64, year: u16, difficulty: f64) -> f64 {
    if code == "demo-05" {
        return if year == 2024 {
            0.35 + difficulty
        } else {
            0.04
        };
    }
    let trend = match year {
        2024 => 0.02,
        2025 => 0.0,
        _ => -0.01,
    };
    (0.03 + 0.3 * risk + trend + difficulty).clamp(0.0, 0.9)
}

fn figures(
    code: &str,
    risk: f64,
    students: i64,
    year: u16,
    key: &str,
    difficulty: f64,
    m: &Methodology,
) -> Option<Figures> {
    let a = m.results.assessment(key)?;
    let mut n = u32::try_from((students / 5).max(6)).unwrap_or(6);
    // The small school has three ЕГЭ candidates: stored, never shown.
    if a.scored() {
        n = if code == "demo-03" && year == 2026 {
            3
        } else {
            (n / 2).max(5)
        };
    }
    let fail = fail_share(code, risk, year, difficulty);
    let two = ((f64::from(n) * fail).round() as u32).min(n);
    let rest = f64::from(n - two);
    let three = (rest * (0.45 + 0.2 * risk)).round() as u32;
    let four = ((rest * (0.35 - 0.1 * risk)).round() as u32).min(n - two - three);
    let five = n - two - three - four;
    let objectivity = if code == "demo-02" && year == 2026 && key == "vpr-math-5" {
        let lowered = (f64::from(n) * 0.4).round() as u32;
        [lowered, n - lowered, 0]
    } else {
        let lowered = (f64::from(n) * 0.1).round() as u32;
        let raised = (f64::from(n) * 0.05).round() as u32;
        [lowered, n - lowered - raised, raised]
    };
    Some(if a.scored() {
        Figures {
            participants: n,
            below_pass: Some(two),
            mean_score: Some(72.0 - 30.0 * risk),
            objectivity: None,
            marks: None,
        }
    } else {
        Figures {
            participants: n,
            marks: Some([two, three, four, five]),
            objectivity: (a.kind == surveys::results::AssessmentKind::Vpr).then_some(objectivity),
            below_pass: None,
            mean_score: None,
        }
    })
}

/// Writes the demo's results, cohorts and results targets unless the region has imports.
pub async fn ensure_demo_results(storage: &Storage, m: &Methodology) -> Result<(), ServerError> {
    let places: Vec<_> = storage
        .schools_with_place()
        .await?
        .into_iter()
        .filter(|p| p.region_code == super::demo::REGION_CODE)
        .collect();
    let Some(region) = places.first().map(|p| p.region_id) else {
        return Ok(());
    };
    if !storage.result_imports(region).await?.is_empty() {
        return Ok(());
    }
    let admin = storage
        .user_by_login("admin")
        .await?
        .map(|u| u.id)
        .ok_or_else(|| ServerError::Inconsistent("the demo admin is missing".into()))?;
    let id_of = |code: &str| places.iter().find(|p| p.code == code).map(|p| p.id);
    let now = clock::now();
    for year in YEARS {
        let mut rows = Vec::new();
        for s in &SCHOOLS {
            let Some(school_id) = id_of(s.code) else {
                continue;
            };
            for (key, difficulty) in ASSESSMENTS {
                if let Some(f) = figures(s.code, s.risk, s.expected.1, year, key, difficulty, m) {
                    rows.push(ResultRow {
                        school_id,
                        assessment: key.to_owned(),
                        year,
                        figures: f,
                    });
                }
            }
        }
        let import = NewImport {
            region_id: region,
            year,
            user_id: admin,
            at: now - i64::from(2026 - year) * 365 * 86_400,
            file_name: &format!("demo-results-{year}.xlsx"),
            layout: if year == 2024 { "federal" } else { "template" },
        };
        storage.import_results(&import, &rows).await?;
    }
    let ids = |codes: &[&str]| codes.iter().filter_map(|c| id_of(c)).collect::<Vec<_>>();
    for (codes, cohort, year) in [
        (&["demo-05"][..], Cohort::LowResults, 2024),
        (&["demo-03", "demo-06"][..], Cohort::LowResults, 2026),
        (&["demo-03", "demo-06"][..], Cohort::Project500, 2025),
        (&["demo-06"][..], Cohort::DifficultConditions, 2025),
    ] {
        let change = crate::storage::CohortChange {
            added: true,
            user_id: admin,
            at: now,
            how: "demo",
        };
        let entries: Vec<crate::storage::CohortEntry> = ids(codes)
            .into_iter()
            .map(|school| crate::storage::CohortEntry {
                school,
                category: cohort.key().to_owned(),
                year,
            })
            .collect();
        storage.set_cohort(&entries, &change).await?;
    }
    // A results target in each state, on last year's programmes.
    let Some(campaign) = storage.campaign_by_code(PREVIOUS_CAMPAIGN_CODE).await? else {
        return Ok(());
    };
    for (code, assessment, target, judged) in [
        ("demo-05", "vpr-math-5", 0.15, 2026),
        ("demo-01", "vpr-rus-5", 0.0, 2026),
        ("demo-03", "ege-rus", 0.1, 2026),
        ("demo-04", "oge-math", 0.08, 2027),
    ] {
        let Some(school) = id_of(code) else { continue };
        let Some(programme) = storage.programme(campaign.id, school).await? else {
            continue;
        };
        let Some(risk) = storage.chosen_risks(programme.id).await?.into_iter().next() else {
            continue;
        };
        let students = SCHOOLS
            .iter()
            .find(|s| s.code == code)
            .map_or(30, |s| s.expected.1);
        let risk_of = SCHOOLS
            .iter()
            .find(|s| s.code == code)
            .map_or(0.5, |s| s.risk);
        let difficulty = ASSESSMENTS
            .iter()
            .find(|(k, _)| *k == assessment)
            .map_or(0.0, |(_, d)| *d);
        let baseline =
            figures(code, risk_of, students, 2025, assessment, difficulty, m).and_then(|f| {
                let a = m.results.assessment(assessment)?;
                surveys::results::estimate(
                    &m.results,
                    a,
                    &f,
                    ResultIndicator::Fail,
                    m.rules.confidence,
                )
                .map(|e| (e.value, 2025))
            });
        let subject = format!("risk:{}", risk.factor);
        storage
            .set_result_target(
                programme.id,
                &risk.factor,
                assessment,
                &ResultIndicator::Fail.key(),
                baseline,
                target,
                judged,
                NewEvent {
                    user_id: admin,
                    at: now,
                    action: "target_set",
                    subject: &subject,
                    comment: "",
                },
            )
            .await?;
    }
    Ok(())
}
