//! Campaigns as coordinators set them up: the form is checked field by field (every problem
//! reported at once, nothing stored on a problem), then the campaign, its schools with their
//! expected respondents and all access codes are created.

use app::access::Viewer;
use app::i18n::Lang;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::{Extension, Form};
use surveys::calendar::Day;
use surveys::Group;

use crate::access_code;
use crate::error::ServerError;
use crate::reports::Reports;
use crate::storage::{NewCampaign, SchoolPlan, Storage};
use crate::web::{failure, lang_of, see_other};

/// A school's access codes for a campaign: one per anonymous group, the principal's, and one
/// personal diagnostic code per expected teacher, as (code, group, personal). Codes come from
/// the OS generator.
pub fn codes_for(teachers: i64) -> Vec<(String, Group, bool)> {
    let mut rng = rand::rngs::OsRng;
    let mut codes: Vec<(String, Group, bool)> = [
        Group::Student,
        Group::Parent,
        Group::Teacher,
        Group::Principal,
    ]
    .into_iter()
    .map(|g| (access_code::generate(&mut rng), g, !g.is_anonymous()))
    .collect();
    codes.extend((0..teachers).map(|_| {
        (
            access_code::generate(&mut rng),
            Group::TeacherDeficits,
            true,
        )
    }));
    codes
}

/// Stores a school's access codes for a campaign (the demo's way; a new campaign stores them in
/// its one transaction).
pub async fn issue_codes(
    storage: &Storage,
    campaign_id: i64,
    school_id: i64,
    teachers: i64,
) -> Result<(), ServerError> {
    for (code, group, personal) in codes_for(teachers) {
        storage
            .insert_access_code(&code, campaign_id, school_id, group, personal)
            .await?;
    }
    Ok(())
}

/// A campaign ready to be created.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub name: String,
    pub code: String,
    pub grades: String,
    pub opens_on: Day,
    pub closes_on: Day,
    /// (school id, teachers, students, parents).
    pub schools: Vec<(i64, i64, i64, i64)>,
}

/// Reads the campaign form: every problem as «field: reason» in the reader's language.
pub fn parse_plan(fields: &[(String, String)], lang: Lang) -> Result<Plan, Vec<String>> {
    let one = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    let mut problems = Vec::new();
    let mut problem = |field: &str, ru: &str, en: &str| {
        problems.push(format!("{field}: {}", lang.tr(ru, en)));
    };
    let name = one("name");
    if name.is_empty() {
        problem(
            lang.tr("Название", "Name"),
            "укажите название",
            "enter a name",
        );
    }
    let code = one("code");
    if !(3..=40).contains(&code.len())
        || !code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        problem(
            lang.tr("Код кампании", "Campaign code"),
            "3–40 строчных латинских букв, цифр или дефисов, например vesna-2027",
            "3–40 lowercase Latin letters, digits or dashes, e.g. spring-2027",
        );
    }
    let day = |field: &str| one(field).parse::<Day>().ok();
    let opens_on = day("opens_on");
    let closes_on = day("closes_on");
    if opens_on.is_none() {
        problem(
            lang.tr("Начало", "Opens"),
            "дата в формате ГГГГ-ММ-ДД",
            "a date as YYYY-MM-DD",
        );
    }
    if closes_on.is_none() {
        problem(
            lang.tr("Окончание", "Closes"),
            "дата в формате ГГГГ-ММ-ДД",
            "a date as YYYY-MM-DD",
        );
    }
    if let (Some(o), Some(c)) = (opens_on, closes_on) {
        if o > c {
            problem(
                lang.tr("Окончание", "Closes"),
                "не раньше начала",
                "not before the opening day",
            );
        }
    }
    let grades = one("grades");
    if grades.is_empty() || grades.len() > 20 {
        problem(lang.tr("Классы", "Grades"), "например 5-11", "e.g. 5-11");
    }
    let mut schools = Vec::new();
    for (_, id) in fields.iter().filter(|(k, _)| k == "school") {
        let Ok(id) = id.parse::<i64>() else { continue };
        let count = |group: &str, label: &str, problems: &mut Vec<String>| {
            let raw = one(&format!("{group}_{id}"));
            match raw.parse::<i64>() {
                Ok(n) if (0..=10_000).contains(&n) => n,
                _ => {
                    problems.push(format!(
                        "{label} ({}): {}",
                        lang.tr("школа", "school"),
                        lang.tr(
                            "целое число от 0 до 10000",
                            "a whole number from 0 to 10000"
                        )
                    ));
                    0
                }
            }
        };
        let teachers = count("teachers", lang.tr("Учителей", "Teachers"), &mut problems);
        let students = count(
            "students",
            lang.tr("Обучающихся", "Students"),
            &mut problems,
        );
        let parents = count("parents", lang.tr("Родителей", "Parents"), &mut problems);
        schools.push((id, teachers, students, parents));
    }
    if schools.is_empty() {
        problems.push(format!(
            "{}: {}",
            lang.tr("Школы", "Schools"),
            lang.tr("отметьте хотя бы одну школу", "tick at least one school")
        ));
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
        _ => Err(problems),
    }
}

fn refused(problems: &[String]) -> Response {
    let text: String = form_urlencoded::byte_serialize(problems.join("\n").as_bytes()).collect();
    see_other(&format!("/work/campaigns/new?problem={text}"), None)
}

/// `POST /work/campaigns`: creates a campaign with its schools and access codes.
pub async fn create(
    State(reports): State<Reports>,
    Extension(viewer): Extension<Viewer>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let lang = lang_of(&headers);
    let plan = match parse_plan(&fields, lang) {
        Ok(plan) => plan,
        Err(problems) => return refused(&problems),
    };
    let run = async {
        let storage = &reports.storage;
        let places = storage.schools_with_place().await?;
        let mut region = None;
        for (id, ..) in &plan.schools {
            let place = places
                .iter()
                .find(|p| p.id == *id)
                .filter(|p| viewer.scope.allows(p.place()));
            let Some(place) = place else {
                return Ok(Err(vec![lang
                    .tr(
                        "Школы: есть школа вне вашей области видимости",
                        "Schools: a school outside your scope",
                    )
                    .to_owned()]));
            };
            if region.is_some_and(|r| r != place.region_id) {
                return Ok(Err(vec![lang
                    .tr(
                        "Школы: все школы кампании — из одного региона",
                        "Schools: all schools of a campaign are of one region",
                    )
                    .to_owned()]));
            }
            region = Some(place.region_id);
        }
        if storage.campaign_by_code(&plan.code).await?.is_some() {
            return Ok(Err(vec![format!(
                "{}: {}",
                lang.tr("Код кампании", "Campaign code"),
                lang.tr("такой код уже есть", "this code is taken")
            )]));
        }
        let schools: Vec<SchoolPlan> = plan
            .schools
            .iter()
            .map(|(school, teachers, students, parents)| SchoolPlan {
                school_id: *school,
                teachers: *teachers,
                students: *students,
                parents: *parents,
                codes: codes_for(*teachers),
            })
            .collect();
        // The campaign, its schools and every code in one transaction.
        let campaign = storage
            .create_campaign_with(
                &NewCampaign {
                    region_id: region.unwrap_or_default(),
                    code: &plan.code,
                    name: &plan.name,
                    methodology_version: &reports.methodology.version,
                    opens_on: plan.opens_on,
                    closes_on: plan.closes_on,
                    target_grades: &plan.grades,
                },
                &schools,
            )
            .await?;
        Ok::<_, ServerError>(Ok(campaign))
    };
    match run.await {
        Ok(Ok(campaign)) => see_other(&format!("/work/campaigns/{campaign}/monitor"), None),
        Ok(Err(problems)) => refused(&problems),
        Err(e) => failure(&e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn every_problem_of_the_form_is_reported_at_once() {
        let problems = parse_plan(
            &form(&[
                ("name", ""),
                ("code", "Весна 2027"),
                ("opens_on", "2027-05-10"),
                ("closes_on", "2027-04-01"),
                ("grades", "5-11"),
                ("school", "7"),
                ("teachers_7", "много"),
                ("students_7", "100"),
                ("parents_7", "80"),
            ]),
            Lang::Ru,
        )
        .expect_err("refused");
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(problems[0].starts_with("Название"));
        assert!(problems[1].starts_with("Код кампании"));
        assert!(problems[2].starts_with("Окончание: не раньше начала"));
        assert!(problems[3].starts_with("Учителей"));
    }

    #[test]
    fn a_complete_form_is_a_plan() {
        let plan = parse_plan(
            &form(&[
                ("name", "Весна 2027"),
                ("code", "vesna-2027"),
                ("opens_on", "2027-04-01"),
                ("closes_on", "2027-05-10"),
                ("grades", "5-11"),
                ("school", "7"),
                ("teachers_7", "20"),
                ("students_7", "100"),
                ("parents_7", "80"),
            ]),
            Lang::Ru,
        )
        .expect("valid");
        assert_eq!(plan.schools, [(7, 20, 100, 80)]);
    }
}
