//! The demo's development plans: three teachers of demo-01 who took the deficit diagnostic and
//! keep their ИОМ — one with plans in progress, one who shared the plan with the school's
//! methodist, and one who took the diagnostic last year too (its key opens the comparison) —
//! and ten more teachers' plans (eight in the north, whose demand for professional development
//! is then shown, and two in demo-04, too few to show); and demo-01's principal, who keeps a
//! plan from the management self-diagnostic. The keys are printed with the demo; a real key is
//! drawn at submit.

use surveys::calendar::Day;
use surveys::deficits::{AreaResult, Diagnostic};
use surveys::Methodology;

use crate::error::ServerError;
use crate::storage::{AuditRow, NewPlan, PlanItemRow, Storage};

/// The demo's result keys: (key, campaign code, diagnostic, what the plan shows).
pub const DEMO_PLAN_KEYS: [(&str, &str, Diagnostic, &str); 5] = [
    (
        "DEMA-2345-6789",
        super::demo::CAMPAIGN_CODE,
        Diagnostic::Teacher,
        "activities in progress",
    ),
    (
        "DEMB-2345-6789",
        super::demo::CAMPAIGN_CODE,
        Diagnostic::Teacher,
        "shared with the school's methodist",
    ),
    (
        "DEMC-2345-6789",
        super::demo::CAMPAIGN_CODE,
        Diagnostic::Teacher,
        "a second diagnostic",
    ),
    (
        "DEMD-2345-6789",
        super::demo::PREVIOUS_CAMPAIGN_CODE,
        Diagnostic::Teacher,
        "DEMC's diagnostic of last year",
    ),
    (
        "DEMP-2345-6789",
        super::demo::CAMPAIGN_CODE,
        Diagnostic::Principal,
        "demo-01's principal: a management plan",
    ),
];

/// Areas scored as the diagnostic would: each area's percent, banded.
fn areas(m: &Methodology, kind: Diagnostic, percents: &[f64]) -> Vec<AreaResult> {
    let scale = m.scale(kind);
    scale
        .areas
        .iter()
        .enumerate()
        .map(|(i, a)| AreaResult::scored(scale, a, percents[i % percents.len()]))
        .collect()
}

/// Creates the demo's plans unless they exist.
pub async fn ensure_demo_plans(
    storage: &Storage,
    m: &Methodology,
    today: Day,
) -> Result<(), ServerError> {
    let hash = |key: &str| crate::secrets::hash(key);
    if storage.plan(&hash(DEMO_PLAN_KEYS[0].0)).await?.is_some() {
        return Ok(());
    }
    let Some(school) = storage
        .schools_with_place()
        .await?
        .into_iter()
        .find(|p| p.code == "demo-01" && p.region_code == super::demo::REGION_CODE)
    else {
        return Ok(());
    };
    let profiles: [&[f64]; 5] = [
        &[38.0, 55.0, 72.0, 64.0, 81.0],
        &[61.0, 42.0, 77.0, 58.0, 69.0],
        &[95.0, 71.0, 79.0, 74.0, 83.0],
        &[15.0, 52.0, 70.0, 60.0, 78.0],
        &[44.0, 67.0, 33.0, 80.0, 71.0, 58.0, 90.0],
    ];
    for ((key, campaign, kind, _), percents) in DEMO_PLAN_KEYS.iter().zip(profiles) {
        let Some(c) = storage.campaign_by_code(campaign).await? else {
            continue;
        };
        let created_on = c.opens_on.plus_days(3);
        let result = serde_json::to_string(&areas(m, *kind, percents))
            .map_err(|e| ServerError::Inconsistent(e.to_string()))?;
        storage
            .insert_plan(&NewPlan {
                key_hash: hash(key),
                handle: crate::secrets::random_hex(8),
                kind: *kind,
                campaign_id: c.id,
                school_id: school.id,
                methodology_version: m.version.to_string(),
                result,
                created_on,
            })
            .await?;
        // Each plan takes its first suggestions, one of them done or under way, and one activity
        // of the owner's own.
        let suggested =
            surveys::deficits::suggestions(m, *kind, &areas(m, *kind, percents), created_on);
        let states = ["done", "in_progress", "planned"];
        for (i, s) in suggested.iter().take(3).enumerate() {
            let item = PlanItemRow {
                id: 0,
                activity: Some(s.key.clone()),
                title: String::new(),
                starts_on: Some(created_on.plus_days(7 * i as i64).to_string()),
                due_on: Some(s.deadline.clone()),
                status: states[i].into(),
                evidence: if i == 0 {
                    "Удостоверение о повышении квалификации № 0427".into()
                } else {
                    String::new()
                },
                updated_on: today.to_string(),
            };
            storage.add_plan_item(&hash(key), &item).await?;
        }
        let own = PlanItemRow {
            id: 0,
            activity: None,
            title: match kind {
                Diagnostic::Teacher => "Взаимопосещение уроков с коллегой по кафедре",
                Diagnostic::Principal => "Стажировка в школе-партнёре с высокими результатами",
            }
            .into(),
            starts_on: Some(today.plus_days(-10).to_string()),
            due_on: Some(today.plus_days(45).to_string()),
            status: "in_progress".into(),
            evidence: String::new(),
            updated_on: today.to_string(),
        };
        storage.add_plan_item(&hash(key), &own).await?;
    }
    // More of the current campaign's teachers keep plans without a key printed: eight in the
    // north (demo-01…03), so that its demand is shown, and two in demo-04, too few for a
    // municipality of its own.
    if let Some(c) = storage.campaign_by_code(super::demo::CAMPAIGN_CODE).await? {
        let schools = storage.schools_with_place().await?;
        let at = |code: &str| {
            schools
                .iter()
                .find(|p| p.code == code && p.region_code == super::demo::REGION_CODE)
                .map(|p| p.id)
        };
        let created_on = c.opens_on.plus_days(4);
        let others = [
            "demo-01", "demo-02", "demo-02", "demo-02", "demo-03", "demo-03", "demo-03", "demo-02",
            "demo-04", "demo-04",
        ];
        for (n, code) in others.iter().enumerate() {
            let Some(school_id) = at(code) else { continue };
            let k = n as f64;
            let percents = [
                30.0 + (k * 17.0) % 60.0,
                45.0 + (k * 23.0) % 50.0,
                55.0 + (k * 11.0) % 40.0,
                35.0 + (k * 29.0) % 60.0,
                60.0 + (k * 7.0) % 35.0,
            ];
            let scored = areas(m, Diagnostic::Teacher, &percents);
            let key_hash = crate::secrets::hash(&crate::secrets::random_hex(16));
            storage
                .insert_plan(&NewPlan {
                    key_hash: key_hash.clone(),
                    handle: crate::secrets::random_hex(8),
                    kind: Diagnostic::Teacher,
                    campaign_id: c.id,
                    school_id,
                    methodology_version: m.version.to_string(),
                    result: serde_json::to_string(&scored)
                        .map_err(|e| ServerError::Inconsistent(e.to_string()))?,
                    created_on,
                })
                .await?;
            for s in surveys::deficits::suggestions(m, Diagnostic::Teacher, &scored, created_on)
                .iter()
                .take(1 + n % 2)
            {
                let item = PlanItemRow {
                    id: 0,
                    activity: Some(s.key.clone()),
                    title: String::new(),
                    starts_on: Some(created_on.to_string()),
                    due_on: Some(s.deadline.clone()),
                    status: "planned".into(),
                    evidence: String::new(),
                    updated_on: today.to_string(),
                };
                storage.add_plan_item(&key_hash, &item).await?;
            }
        }
    }
    // The second teacher shows the plan to the school's methodist.
    let line = AuditRow {
        id: 0,
        at: crate::clock::now(),
        user_id: None,
        login: "—".into(),
        action: "plan_shared".into(),
        path: format!("/plan/share (school, school {})", school.id),
        address: "127.0.0.1".into(),
    };
    storage
        .set_plan_share(
            &hash(DEMO_PLAN_KEYS[1].0),
            "school",
            Some(("Учитель математики (демо)", today.plus_days(-5))),
            &line,
        )
        .await?;
    Ok(())
}
