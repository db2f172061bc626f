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
use validator::{Validate, ValidationError};

use crate::access_code;
use crate::error::ServerError;
use crate::problem::{At, Kind, Refused};
use crate::reply::{refusal_back, see_other};
use crate::scope::Gate;
use crate::storage::{AccessCode, ExpectedCounts, NewCampaign, SchoolPlan, Storage};

/// A school's access codes for a campaign: one per anonymous group, the principal's two (the
/// questionnaire and the management self-diagnostic), and one personal diagnostic code per
/// expected teacher. Codes come from the OS generator.
pub fn codes_for(teachers: i64) -> Vec<AccessCode> {
    let mut rng = rand::rngs::OsRng;
    let mut codes: Vec<AccessCode> = [
        Group::Student,
        Group::Parent,
        Group::Teacher,
        Group::Principal,
        Group::PrincipalManagement,
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

/// The campaign form as it is posted: one value per field, and for each ticked school its
/// expected teachers, students and parents (`teachers_{id}`, …). Checked with `validator`; every
/// problem is reported at once, each at its field.
#[derive(Debug, Validate)]
#[validate(schema(function = "dates_in_order", skip_on_field_errors = false))]
pub struct CampaignForm {
    #[validate(custom(function = "campaign_name"))]
    name: String,
    #[validate(custom(function = "campaign_code"))]
    code: String,
    #[validate(custom(function = "campaign_day"))]
    opens_on: String,
    #[validate(custom(function = "campaign_day"))]
    closes_on: String,
    #[validate(length(min = 1, max = 20, code = "grades"))]
    grades: String,
    #[validate(custom(function = "schools_ticked_once"), nested)]
    school: Vec<SchoolFields>,
}

/// A ticked school of the campaign form with the respondents it expects, as typed (`Serialize`
/// lets `validator` quote a refused list).
#[derive(Debug, Validate, serde::Serialize)]
struct SchoolFields {
    id: i64,
    #[validate(custom(function = "count"))]
    teachers: String,
    #[validate(custom(function = "count"))]
    students: String,
    #[validate(custom(function = "count"))]
    parents: String,
}

fn problem(code: &'static str) -> ValidationError {
    ValidationError::new(code)
}

fn campaign_name(name: &str) -> Result<(), ValidationError> {
    match name.chars().count() {
        0 => Err(problem("campaign_name")),
        1..=200 => Ok(()),
        _ => {
            let mut e = problem("length");
            e.add_param("max".into(), &200);
            Err(e)
        }
    }
}

fn campaign_code(code: &str) -> Result<(), ValidationError> {
    let fits = (3..=40).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    fits.then_some(()).ok_or_else(|| problem("campaign_code"))
}

/// A day a campaign can have: `YYYY-MM-DD` in the years a school programme runs in (a typo like
/// 0202 or 9999 is not one).
fn campaign_day(text: &str) -> Result<(), ValidationError> {
    let day = text.parse::<Day>().map_err(|_| problem("date"))?;
    if (2000..=2100).contains(&day.ymd().0) {
        Ok(())
    } else {
        Err(problem("date_range"))
    }
}

fn count(text: &str) -> Result<(), ValidationError> {
    match text.parse::<i64>() {
        Ok(n) if (0..=10_000).contains(&n) => Ok(()),
        _ => Err(problem("count")),
    }
}

/// A problem of the whole form placed at one of its fields.
fn at(field: &'static str, code: &'static str) -> ValidationError {
    let mut e = problem(code);
    e.add_param("field".into(), &field);
    e
}

fn dates_in_order(form: &CampaignForm) -> Result<(), ValidationError> {
    let day = |text: &str| {
        campaign_day(text)
            .ok()
            .and_then(|()| text.parse::<Day>().ok())
    };
    match (day(&form.opens_on), day(&form.closes_on)) {
        (Some(o), Some(c)) if o > c => Err(at("closes_on", "closes_before_opens")),
        _ => Ok(()),
    }
}

/// At least one school, none of them twice.
fn schools_ticked_once(schools: &[SchoolFields]) -> Result<(), ValidationError> {
    if schools.is_empty() {
        return Err(problem("no_school"));
    }
    let mut ids: Vec<i64> = schools.iter().map(|s| s.id).collect();
    ids.sort_unstable();
    let before = ids.len();
    ids.dedup();
    (ids.len() == before)
        .then_some(())
        .ok_or_else(|| problem("repeated_school"))
}

impl CampaignForm {
    /// The form from its posted fields (values trimmed; a school id that is not a number is no
    /// school).
    pub fn from_fields(fields: &[(String, String)]) -> CampaignForm {
        let one = |name: &str| {
            fields
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.trim().to_owned())
                .unwrap_or_default()
        };
        let school = fields
            .iter()
            .filter(|(k, _)| k == "school")
            .filter_map(|(_, id)| id.trim().parse::<i64>().ok())
            .map(|id| SchoolFields {
                id,
                teachers: one(&format!("teachers_{id}")),
                students: one(&format!("students_{id}")),
                parents: one(&format!("parents_{id}")),
            })
            .collect();
        CampaignForm {
            name: one("name"),
            code: one("code"),
            opens_on: one("opens_on"),
            closes_on: one("closes_on"),
            grades: one("grades"),
            school,
        }
    }

    /// The plan of a valid form.
    fn plan(self) -> Result<Plan, Refused> {
        let day = |text: &str, field| {
            text.parse::<Day>()
                .map_err(|_| Refused::one(At::Field(field), Kind::Date))
        };
        let number = |text: &str| text.parse::<i64>().unwrap_or_default();
        Ok(Plan {
            opens_on: day(&self.opens_on, "opens_on")?,
            closes_on: day(&self.closes_on, "closes_on")?,
            schools: self
                .school
                .iter()
                .map(|s| PlannedSchool {
                    school_id: s.id,
                    expected: ExpectedCounts {
                        teachers: number(&s.teachers),
                        students: number(&s.students),
                        parents: number(&s.parents),
                    },
                })
                .collect(),
            name: self.name,
            code: self.code,
            grades: self.grades,
        })
    }
}

/// Reads the campaign form, refusing it with every problem at once.
pub fn parse_plan(fields: &[(String, String)]) -> Result<Plan, Refused> {
    let form = CampaignForm::from_fields(fields);
    form.validate()?;
    form.plan()
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
