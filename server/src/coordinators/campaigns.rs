//! Campaigns as coordinators set them up: the form is checked field by field (every problem
//! reported at once, nothing stored on a problem), then the campaign, its schools with their
//! expected respondents and all access codes are created in one transaction. The demo creates its
//! campaigns through `store` too.

use app::access::Viewer;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::{Extension, Form};
use surveys::calendar::Day;
use surveys::Group;

use crate::access_code;
use crate::error::ServerError;
use crate::problem::{At, Kind, Problem, Refused};
use crate::reply::{refusal_back, see_other};
use crate::scope::Gate;
use crate::storage::{AccessCode, ExpectedCounts, NewCampaign, SchoolPlan, Storage};

/// A school's access codes for a campaign: one per anonymous group, the principal's, and one
/// personal diagnostic code per expected teacher. Codes come from the OS generator.
pub fn codes_for(teachers: i64) -> Vec<AccessCode> {
    let mut rng = rand::rngs::OsRng;
    let mut codes: Vec<AccessCode> = [
        Group::Student,
        Group::Parent,
        Group::Teacher,
        Group::Principal,
    ]
    .into_iter()
    .map(|group| AccessCode {
        code: access_code::generate(&mut rng),
        group,
        personal: !group.is_anonymous(),
    })
    .collect();
    codes.extend((0..teachers).map(|_| AccessCode {
        code: access_code::generate(&mut rng),
        group: Group::TeacherDeficits,
        personal: true,
    }));
    codes
}

/// A school of a planned campaign with the respondents it expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedSchool {
    pub school_id: i64,
    pub expected: ExpectedCounts,
}

/// A campaign ready to be created.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub name: String,
    pub code: String,
    pub grades: String,
    pub opens_on: Day,
    pub closes_on: Day,
    pub schools: Vec<PlannedSchool>,
}

/// Reads the campaign form, refusing it with every problem at once.
pub fn parse_plan(fields: &[(String, String)]) -> Result<Plan, Refused> {
    let one = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    let mut problems = Vec::new();
    let mut problem = |field: &'static str, kind: Kind| {
        problems.push(Problem::new(At::Field(field), kind));
    };
    let name = one("name");
    if name.is_empty() {
        problem("name", Kind::CampaignName);
    }
    let code = one("code");
    if !(3..=40).contains(&code.len())
        || !code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        problem("code", Kind::CampaignCode);
    }
    let day = |field: &str| one(field).parse::<Day>().ok();
    let opens_on = day("opens_on");
    let closes_on = day("closes_on");
    if opens_on.is_none() {
        problem("opens_on", Kind::Date);
    }
    if closes_on.is_none() {
        problem("closes_on", Kind::Date);
    }
    // Years a school programme runs in; a typo like 0202 or 9999 is not one.
    let mut in_range = |field: &'static str, day: Option<Day>| match day {
        Some(d) if !(2000..=2100).contains(&d.ymd().0) => {
            problem(field, Kind::DateRange);
            None
        }
        other => other,
    };
    let opens_on = in_range("opens_on", opens_on);
    let closes_on = in_range("closes_on", closes_on);
    if let (Some(o), Some(c)) = (opens_on, closes_on) {
        if o > c {
            problem("closes_on", Kind::ClosesBeforeOpens);
        }
    }
    let grades = one("grades");
    if grades.is_empty() || grades.len() > 20 {
        problem("grades", Kind::Grades);
    }
    let mut schools = Vec::new();
    for (_, id) in fields.iter().filter(|(k, _)| k == "school") {
        let Ok(id) = id.parse::<i64>() else { continue };
        if schools.iter().any(|s: &PlannedSchool| s.school_id == id) {
            problem("school", Kind::RepeatedSchool);
            continue;
        }
        let mut count = |group: &'static str| match one(&format!("{group}_{id}")).parse::<i64>() {
            Ok(n) if (0..=10_000).contains(&n) => n,
            _ => {
                problem(group, Kind::Count);
                0
            }
        };
        let expected = ExpectedCounts {
            teachers: count("teachers"),
            students: count("students"),
            parents: count("parents"),
        };
        schools.push(PlannedSchool {
            school_id: id,
            expected,
        });
    }
    if schools.is_empty() {
        problem("school", Kind::NoSchool);
    }
    match (problems.is_empty(), opens_on, closes_on) {
        (true, Some(opens_on), Some(closes_on)) => Ok(Plan {
            name,
            code,
            grades,
            opens_on,
            closes_on,
            schools,
        }),
        _ => Err(Refused(problems)),
    }
}

/// The region of a plan whose schools the viewer may all see and which are all of one region.
async fn region_of(gate: &Gate, viewer: &Viewer, plan: &Plan) -> Result<i64, ServerError> {
    let visible = gate.schools(viewer).await?;
    let mut region = None;
    for planned in &plan.schools {
        let Some(place) = visible.iter().find(|p| p.id == planned.school_id) else {
            return Err(Refused::one(At::Field("school"), Kind::SchoolOutOfScope).into());
        };
        if region.is_some_and(|r| r != place.region_id) {
            return Err(Refused::one(At::Field("school"), Kind::SchoolsOfSeveralRegions).into());
        }
        region = Some(place.region_id);
    }
    Ok(region.unwrap_or_default())
}

/// Stores a checked plan of a region: the campaign, its schools and a fresh set of access codes
/// per school, in one transaction. A taken campaign code is refused.
pub async fn store(
    storage: &Storage,
    plan: &Plan,
    region_id: i64,
    methodology_version: &str,
) -> Result<i64, ServerError> {
    if storage.campaign_by_code(&plan.code).await?.is_some() {
        return Err(Refused::one(At::Field("code"), Kind::Taken).into());
    }
    let schools: Vec<SchoolPlan> = plan
        .schools
        .iter()
        .map(|s| SchoolPlan {
            school_id: s.school_id,
            expected: s.expected,
            codes: codes_for(s.expected.teachers),
        })
        .collect();
    storage
        .create_campaign_with(
            &NewCampaign {
                region_id,
                code: &plan.code,
                name: &plan.name,
                methodology_version,
                opens_on: plan.opens_on,
                closes_on: plan.closes_on,
                target_grades: &plan.grades,
            },
            &schools,
        )
        .await
}

/// `POST /work/campaigns`: creates a campaign with its schools and access codes.
pub async fn create(
    State(storage): State<Storage>,
    State(gate): State<Gate>,
    Extension(viewer): Extension<Viewer>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, ServerError> {
    let created = async {
        let plan = parse_plan(&fields)?;
        let region = region_of(&gate, &viewer, &plan).await?;
        store(&storage, &plan, region, &gate.methodology().version).await
    };
    let created = created
        .await
        .map(|campaign| see_other(&format!("/work/campaigns/{campaign}/monitor"), None));
    refusal_back("/work/campaigns/new", &headers, usize::MAX, created)
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::i18n::Lang;

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn every_problem_of_the_form_is_reported_at_once() {
        let problems = parse_plan(&form(&[
            ("name", ""),
            ("code", "Весна 2027"),
            ("opens_on", "2027-05-10"),
            ("closes_on", "2027-04-01"),
            ("grades", "5-11"),
            ("school", "7"),
            ("teachers_7", "много"),
            ("students_7", "100"),
            ("parents_7", "80"),
        ]))
        .expect_err("refused")
        .0
        .iter()
        .map(|p| p.words(Lang::Ru))
        .collect::<Vec<_>>();
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(problems[0].starts_with("Название"));
        assert!(problems[1].starts_with("Код кампании"));
        assert!(problems[2].starts_with("Окончание: не раньше начала"));
        assert!(problems[3].starts_with("Учителей"));
    }

    #[test]
    fn a_complete_form_is_a_plan() {
        let plan = parse_plan(&form(&[
            ("name", "Весна 2027"),
            ("code", "vesna-2027"),
            ("opens_on", "2027-04-01"),
            ("closes_on", "2027-05-10"),
            ("grades", "5-11"),
            ("school", "7"),
            ("teachers_7", "20"),
            ("students_7", "100"),
            ("parents_7", "80"),
        ]))
        .expect("valid");
        let schools: Vec<_> = plan
            .schools
            .iter()
            .map(|s| {
                (
                    s.school_id,
                    s.expected.teachers,
                    s.expected.students,
                    s.expected.parents,
                )
            })
            .collect();
        assert_eq!(schools, [(7, 20, 100, 80)]);
    }
}
