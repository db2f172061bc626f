//! The demo region: two municipalities, six schools, one open campaign with access codes and a
//! few hundred generated responses (published early, as a regional coordinator may), and last
//! year's closed campaign (somewhat riskier answers) to
//! show change against. Schools differ in their underlying risk, so their profiles spread over
//! the risk levels; one school has too few parents to show parent data. Everything is created
//! through the functions production uses: the registry import, the campaign set-up, the
//! respondent side's writes and the admin's account form.

use std::sync::Arc;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;
use surveys::calendar::Day;
use surveys::{Answers, Group, Instrument, Methodology, RawAnswers, RawValue};

use crate::auth::{Auth, NewUser};
use crate::clock;
use crate::cookies::CookiePolicy;
use crate::coordinators::campaigns::{self, Plan, PlannedSchool};
use crate::error::ServerError;
use crate::scope::Gate;
use crate::storage::{DraftWrite, ExpectedCounts, RegistryRow, ResponseRow, Storage};
use crate::tallying::Tallier;
use app::access::Role;

pub const REGION_CODE: &str = "demo";
const REGION_NAME: &str = "Демонстрационная область";
pub const CAMPAIGN_CODE: &str = "demo-2026";
/// Last year's campaign of the demo, closed, for comparisons.
pub const PREVIOUS_CAMPAIGN_CODE: &str = "demo-2025";

/// One demo campaign: when it ran, how much riskier its answers are than the schools' own
/// tendency, and the seed of its answers.
struct CampaignSpec {
    code: &'static str,
    name: &'static str,
    opens_in_days: i64,
    closes_in_days: i64,
    risk_shift: f64,
    seed: u64,
}

const CURRENT: CampaignSpec = CampaignSpec {
    code: CAMPAIGN_CODE,
    name: "Рисковый профиль школ — демонстрационная кампания",
    opens_in_days: -14,
    closes_in_days: 30,
    risk_shift: 0.0,
    seed: 1,
};

const PREVIOUS: CampaignSpec = CampaignSpec {
    code: PREVIOUS_CAMPAIGN_CODE,
    name: "Рисковый профиль школ — прошлый год (демо)",
    opens_in_days: -380,
    closes_in_days: -340,
    risk_shift: 0.12,
    seed: 101,
};

/// A demo school: registry code, name, municipality index, overall risk tendency in [0,1],
/// expected (teachers, students, parents) and the share of them who answer.
pub(super) struct DemoSchool {
    pub(super) code: &'static str,
    name: &'static str,
    municipality: usize,
    pub(super) risk: f64,
    pub(super) expected: (i64, i64, i64),
    answered: (f64, f64, f64),
    /// The settlement type (peer groups).
    settlement: &'static str,
}

const MUNICIPALITIES: [(&str, &str); 2] =
    [("north", "Северный район"), ("river", "Приречный округ")];

pub(super) const SCHOOLS: [DemoSchool; 6] = [
    DemoSchool {
        code: "demo-01",
        name: "МБОУ «Берёзовская СОШ»",
        municipality: 0,
        risk: 0.15,
        expected: (18, 90, 90),
        answered: (0.9, 0.7, 0.5),
        settlement: "village",
    },
    DemoSchool {
        code: "demo-02",
        name: "МБОУ «Озёрная ООШ»",
        municipality: 0,
        risk: 0.45,
        expected: (9, 40, 40),
        answered: (0.9, 0.8, 0.4),
        settlement: "village",
    },
    DemoSchool {
        code: "demo-03",
        name: "МБОУ «Лесновская СОШ»",
        municipality: 0,
        risk: 0.7,
        expected: (14, 70, 70),
        answered: (0.8, 0.6, 0.05),
        settlement: "village",
    },
    DemoSchool {
        code: "demo-04",
        name: "МБОУ «СОШ № 2 г. Приреченска»",
        municipality: 1,
        risk: 0.3,
        expected: (25, 120, 120),
        answered: (0.8, 0.55, 0.35),
        settlement: "city",
    },
    DemoSchool {
        code: "demo-05",
        name: "МБОУ «Заречная СОШ»",
        municipality: 1,
        risk: 0.55,
        expected: (12, 60, 60),
        answered: (0.85, 0.65, 0.4),
        settlement: "town",
    },
    DemoSchool {
        code: "demo-06",
        name: "МКОУ «Сосновская НОШ — ООШ»",
        municipality: 1,
        risk: 0.8,
        expected: (8, 30, 30),
        answered: (1.0, 0.7, 0.45),
        settlement: "village",
    },
];

/// What the demo prints for people to try it.
#[derive(Debug, Clone)]
pub struct DemoSummary {
    pub campaign: String,
    pub created: bool,
    /// (school name, [(group, code)]).
    pub codes: Vec<(String, Vec<(String, String)>)>,
    pub responses: i64,
}

/// Creates the demo region unless it exists; either way returns what to show the user.
pub async fn ensure_demo(
    storage: &Storage,
    methodology: &Methodology,
    today: Day,
) -> Result<DemoSummary, ServerError> {
    let registry: Vec<RegistryRow> = SCHOOLS
        .iter()
        .map(|s| {
            let (municipality_code, municipality_name) = MUNICIPALITIES[s.municipality];
            RegistryRow {
                region_code: REGION_CODE.into(),
                region_name: REGION_NAME.into(),
                municipality_code: municipality_code.into(),
                municipality_name: municipality_name.into(),
                school_code: s.code.into(),
                school_name: s.name.into(),
                settlement: Some(s.settlement.into()),
            }
        })
        .collect();
    let conflicts = storage.import_registry(&registry).await?;
    if let Some(conflict) = conflicts.first() {
        return Err(ServerError::Inconsistent(format!(
            "the demo school code {} belongs to another municipality",
            conflict.school_code
        )));
    }
    let places: Vec<_> = storage
        .schools_with_place()
        .await?
        .into_iter()
        .filter(|p| p.region_code == REGION_CODE)
        .collect();
    let region_id = places
        .first()
        .map(|p| p.region_id)
        .ok_or_else(|| ServerError::Inconsistent("the demo region is missing".into()))?;
    let school_id = |code: &str| {
        places
            .iter()
            .find(|p| p.code == code)
            .map(|p| p.id)
            .ok_or_else(|| ServerError::Inconsistent(format!("demo school {code} is missing")))
    };
    let mut created = false;
    for spec in [&CURRENT, &PREVIOUS] {
        if storage.campaign_by_code(spec.code).await?.is_none() {
            create_campaign(storage, methodology, region_id, &school_id, spec, today).await?;
            created = true;
        }
    }
    let north = places
        .iter()
        .find(|p| p.municipality_code == MUNICIPALITIES[0].0)
        .map(|p| p.municipality_id);
    ensure_demo_accounts(storage, region_id, north, &school_id).await?;
    publish_current(storage, methodology).await?;
    summarize(storage, created).await
}

/// Publishes the open campaign's results early, as its regional coordinator would, so that the
/// demo's reports have something to show (last year's was published at its close).
async fn publish_current(storage: &Storage, methodology: &Methodology) -> Result<(), ServerError> {
    let (Some(campaign), Some(region)) = (
        storage.campaign_by_code(CAMPAIGN_CODE).await?,
        storage.user_by_login("region").await?,
    ) else {
        return Ok(());
    };
    if !storage.publications(campaign.id).await?.is_empty() {
        return Ok(());
    }
    let gate = Gate::new(storage.clone(), Arc::new(methodology.clone()), clock::today);
    gate.publish(&campaign, Some(region.id)).await.map(|_| ())
}

/// The demo's accounts, one per role: login and password (`<login>-demo-2026`). Only for the
/// demo region; a real deployment starts with `orientir create-admin`.
pub const DEMO_ACCOUNTS: [(&str, Role); 7] = [
    ("admin", Role::Admin),
    ("region", Role::Regional),
    ("north", Role::Municipal),
    ("curator", Role::Curator),
    ("school", Role::School),
    ("methodist", Role::Methodist),
    ("north-methodist", Role::MunicipalMethodist),
];

/// The password of a demo account.
pub fn demo_password(login: &str) -> String {
    format!("{login}-demo-2026")
}

async fn ensure_demo_accounts(
    storage: &Storage,
    region_id: i64,
    north: Option<i64>,
    school_id: &impl Fn(&str) -> Result<i64, ServerError>,
) -> Result<(), ServerError> {
    let auth = Auth::new(storage.clone(), CookiePolicy::default());
    for (login, role) in DEMO_ACCOUNTS {
        if storage.user_by_login(login).await?.is_some() {
            continue;
        }
        let new = NewUser {
            login: login.into(),
            name: format!("{} (демо)", role.label(app::i18n::Lang::Ru)),
            password: demo_password(login),
            role,
            region: Some(region_id),
            municipality: north,
            school: Some(school_id("demo-01")?),
            curated: vec![school_id("demo-01")?, school_id("demo-04")?],
        };
        auth.create_user(&new, clock::today()).await?;
    }
    Ok(())
}

/// Creates a demo campaign as the set-up form does, then stores its generated responses as the
/// respondent side does, one transaction per school.
async fn create_campaign(
    storage: &Storage,
    methodology: &Methodology,
    region_id: i64,
    school_id: &impl Fn(&str) -> Result<i64, ServerError>,
    spec: &CampaignSpec,
    today: Day,
) -> Result<(), ServerError> {
    let mut planned = Vec::new();
    for school in &SCHOOLS {
        let (teachers, students, parents) = school.expected;
        planned.push(PlannedSchool {
            school_id: school_id(school.code)?,
            expected: ExpectedCounts {
                teachers,
                students,
                parents,
            },
        });
    }
    let plan = Plan {
        name: spec.name.into(),
        code: spec.code.into(),
        grades: "5-11".into(),
        opens_on: today.plus_days(spec.opens_in_days),
        closes_on: today.plus_days(spec.closes_in_days),
        schools: planned.clone(),
    };
    let campaign_id = campaigns::store(storage, &plan, region_id, &methodology.version).await?;
    let (tallier, opens_on) = (Tallier::new(methodology), plan.opens_on);
    for (index, (school, planned)) in SCHOOLS.iter().zip(&planned).enumerate() {
        // A seeded generator per school keeps the demo's answers the same on every machine.
        let mut rng = StdRng::seed_from_u64(index as u64 + spec.seed);
        let risk = (school.risk + spec.risk_shift).clamp(0.0, 1.0);
        let tendencies = factor_tendencies(methodology, risk, &mut rng);
        let (teachers, students, parents) = school.expected;
        let counts = [
            (Group::Principal, 1),
            (Group::Teacher, share(teachers, school.answered.0)),
            (Group::Student, share(students, school.answered.1)),
            (Group::Parent, share(parents, school.answered.2)),
        ];
        let mut writes = Vec::new();
        for (group, count) in counts {
            let Some(instrument) = methodology.instrument(group) else {
                continue;
            };
            for n in 0..count {
                let answers =
                    generate_answers(methodology, instrument, &tendencies, risk, &mut rng)?
                        .to_string();
                let tally = tallier.piece(group, &answers, 0, opens_on)?;
                writes.push(DraftWrite::Response(ResponseRow {
                    campaign_id,
                    school_id: planned.school_id,
                    group,
                    instrument_key: instrument.key.clone(),
                    instrument_version: instrument.version,
                    methodology_version: methodology.version.to_string(),
                    answers,
                    submitted_on: today.plus_days(spec.opens_in_days + rng.gen_range(0..14)),
                    submission_key: format!("{}-{}-{group}-{n}", spec.code, school.code),
                    surplus_limit: None,
                    tally,
                }));
            }
        }
        storage.write_drafts(&writes).await?;
    }
    Ok(())
}

fn share(expected: i64, rate: f64) -> i64 {
    (expected as f64 * rate).round() as i64
}

/// A noise term roughly normal with the given spread (sum of uniforms).
fn noise(rng: &mut impl Rng, spread: f64) -> f64 {
    let sum: f64 = (0..3).map(|_| rng.gen::<f64>()).sum();
    (sum - 1.5) * spread
}

/// Each factor's underlying risk for one school: its overall tendency, shifted per factor.
fn factor_tendencies(
    methodology: &Methodology,
    risk: f64,
    rng: &mut impl Rng,
) -> Vec<(String, f64)> {
    methodology
        .factors
        .iter()
        .map(|f| {
            (
                f.code.0.to_string(),
                (risk + noise(rng, 0.35)).clamp(0.0, 1.0),
            )
        })
        .collect()
}

/// One respondent's answers: for each choice item, the choice whose risk score is nearest to
/// its factor's tendency plus personal noise (now and then «затрудняюсь ответить» where offered);
/// numbers of the principal's form from the school's tendency. Parsed like a real submission.
fn generate_answers(
    methodology: &Methodology,
    instrument: &Instrument,
    tendencies: &[(String, f64)],
    risk: f64,
    rng: &mut impl Rng,
) -> Result<Value, ServerError> {
    let mut raw = RawAnswers::new();
    let numbers = principal_numbers(risk, rng);
    for (index, slot) in instrument.slots.iter().enumerate() {
        let item = instrument.slot_item(index);
        if item.kind.is_numeric() {
            let value = numbers
                .iter()
                .find(|(k, _)| *k == slot.key)
                .map_or_else(|| item.min.unwrap_or(0.0), |(_, v)| *v);
            raw.insert(slot.key.clone(), RawValue::One(format!("{value}")));
            continue;
        }
        let Some(list) = item
            .choices
            .as_deref()
            .and_then(|l| methodology.choice_list(l))
        else {
            continue;
        };
        let (indicator, reverse) = instrument.slot_link(index);
        let factor = indicator
            .and_then(|k| methodology.indicator(k))
            .map(|i| i.factor.0.as_str());
        let tendency = tendencies
            .iter()
            .find(|(code, _)| Some(code.as_str()) == factor)
            .map_or(risk, |(_, t)| *t);
        let target = tendency + noise(rng, 0.6);
        let skip = list
            .choices
            .iter()
            .find(|c| c.missing)
            .filter(|_| rng.gen_bool(0.04));
        let choice = skip.or_else(|| {
            list.choices
                .iter()
                .filter_map(|c| {
                    let score = c.score.filter(|_| !c.missing)?;
                    let score = if reverse { 1.0 - score } else { score };
                    Some((c, (score - target).abs()))
                })
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(c, _)| c)
        });
        if let Some(choice) = choice {
            raw.insert(slot.key.clone(), RawValue::One(choice.value.clone()));
        }
    }
    let answers = Answers::parse(methodology, instrument, &raw).map_err(|errors| {
        ServerError::Inconsistent(format!(
            "demo answers for {} do not parse: {errors:?}",
            instrument.key
        ))
    })?;
    serde_json::to_value(answers.to_raw(methodology, instrument))
        .map_err(|e| ServerError::Inconsistent(format!("demo answers: {e}")))
}

/// The principal's numbers of a school with the given overall risk: riskier schools have fewer
/// computers, more failing students, more vacancies.
fn principal_numbers(risk: f64, rng: &mut impl Rng) -> Vec<(&'static str, f64)> {
    let students = f64::from(rng.gen_range(120..900));
    let teachers = (students / 12.0).round().max(8.0);
    let share = |base: f64, per_risk: f64| (base + per_risk * risk).max(0.0);
    let count = |of: f64, s: f64| (of * s).round();
    vec![
        ("students", students),
        ("students_failing", count(students, share(0.005, 0.12))),
        ("students_repeating", count(students, share(0.0, 0.015))),
        ("students_registered", count(students, share(0.002, 0.05))),
        ("students_special_needs", count(students, share(0.02, 0.1))),
        ("students_non_russian", count(students, share(-0.05, 0.35))),
        ("students_low_income", count(students, share(0.05, 0.4))),
        ("teachers", teachers),
        ("vacancies", (risk * 4.0 - 1.0).round().max(0.0)),
        (
            "teachers_outside_specialisation",
            count(teachers, share(0.0, 0.35)),
        ),
        ("teachers_over_60", count(teachers, share(0.05, 0.25))),
        ("teachers_left", count(teachers, share(0.0, 0.2))),
        (
            "computers_for_students",
            count(students, share(0.17, -0.15)),
        ),
    ]
}

async fn summarize(storage: &Storage, created: bool) -> Result<DemoSummary, ServerError> {
    let campaign = storage
        .campaign_by_code(CAMPAIGN_CODE)
        .await?
        .ok_or_else(|| ServerError::Inconsistent("demo campaign vanished".into()))?;
    let mut codes = Vec::new();
    for school in storage.campaign_schools(campaign.id).await? {
        let school_codes = storage
            .access_codes(campaign.id, school.school_id)
            .await?
            .into_iter()
            .map(|a| (a.group.key().to_owned(), a.code))
            .collect();
        codes.push((school.name, school_codes));
    }
    let responses = storage.response_total(campaign.id).await?;
    Ok(DemoSummary {
        campaign: campaign.name,
        created,
        codes,
        responses,
    })
}
