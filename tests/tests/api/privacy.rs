//! The attack harness: nobody but the respondent learns one respondent's answers, also against
//! whoever holds the codes. For each role that could read or print a school's codes (school,
//! curator, municipal, regional) and each group (students, parents, teachers, the teachers'
//! diagnostic), an attacker who holds the codes fills in all but one questionnaire of a group
//! (k − 1 = 4 known answers around one unknown, the methodology's minimum of five), waits for the
//! close, reads what the role reads, and estimates the unknown respondent's answer to every
//! indicator: the group's published figure times five, less its own four. Over 200 victims with
//! random answers its mean absolute error per indicator (on the 0–1 scale) is compared with a
//! blind guess that reads nothing of the victim's group (the victims' own median, a guess no
//! reader could make better without reading). The attacker may not beat the blind guess by more
//! than 0.05 on any indicator — or gets nothing at all. The figures are printed for the closing
//! note and README.

use std::collections::BTreeMap;

use harness::{Backend, TestApp};
use rand::{Rng, SeedableRng};
use reqwest::{Client, StatusCode};
use server::storage::{ExpectedCounts, NewCampaign, ResponseRow, RoleRow, SchoolPlan, UserRow};
use surveys::{Aggregation, Group, ItemKind, Methodology, RawAnswers, RawValue, Tally};

const VICTIMS: usize = 200;
/// The attacker's answers around each victim: the minimum of five, less one.
const KNOWN: usize = 4;
/// How much better than a blind guess an attacker may be, in mean absolute error.
const ALLOWED_GAIN: f64 = 0.05;
const GROUPS: [Group; 3] = [Group::Student, Group::Parent, Group::Teacher];

/// Random answers to a whole questionnaire, as a respondent could give them: a real choice of
/// every choice item (one or two of a multiple one), a number in range, no free text.
fn random_answers(m: &Methodology, group: Group, rng: &mut impl Rng) -> RawAnswers {
    let instrument = m.instrument(group).expect("instrument");
    let mut raw = RawAnswers::new();
    for section in &instrument.sections {
        for item in &section.items {
            let keys: Vec<String> = if item.rows.is_empty() {
                vec![item.key.clone()]
            } else {
                item.rows
                    .iter()
                    .map(|r| format!("{}.{}", item.key, r.key))
                    .collect()
            };
            for key in keys {
                let value = match item.kind {
                    ItemKind::Integer | ItemKind::Decimal => {
                        let low = item.min.unwrap_or(0.0).max(0.0) as i64;
                        let high = item.max.unwrap_or(50.0).min(500.0) as i64;
                        Some(rng.gen_range(low..=high.max(low)).to_string())
                    }
                    ItemKind::Text => None,
                    _ => {
                        let list = item.choices.as_deref().and_then(|l| m.choice_list(l));
                        let real: Vec<&surveys::Choice> = list
                            .map(|l| {
                                l.choices
                                    .iter()
                                    .filter(|c| !c.missing && !c.exclusive)
                                    .collect()
                            })
                            .unwrap_or_default();
                        (!real.is_empty()).then(|| real[rng.gen_range(0..real.len())].value.clone())
                    }
                };
                if let Some(v) = value {
                    raw.insert(key, RawValue::One(v));
                }
            }
        }
    }
    raw
}

/// Each mean or share indicator of the group that this one response gives a value: the
/// respondent's score (a mean's) or 1/0 (at risk or not, a share's).
fn contributions(m: &Methodology, group: Group, raw: &RawAnswers) -> BTreeMap<String, f64> {
    let tallier = server::tallying::Tallier::new(m);
    let response = tallier.response(group, raw).expect("a response");
    let mut tally = Tally::default();
    surveys::profile::Scorer::new(m).add(&mut tally, &response, 0);
    m.indicators
        .iter()
        .zip(&tally.indicators)
        .filter(|(i, s)| i.group == group && s.means.n == 1)
        .filter_map(|(i, s)| match i.aggregation {
            Aggregation::Mean => Some((i.key.to_string(), s.means.sum())),
            Aggregation::Share => Some((i.key.to_string(), f64::from(s.at_risk))),
            Aggregation::Value => None,
        })
        .collect()
}

/// A published figure as a reader parses it off the page: «45 %» or «0.45».
fn parse_shown(text: &str) -> Option<f64> {
    let t = text.trim();
    match t.strip_suffix('%') {
        Some(p) => p
            .trim()
            .replace(',', ".")
            .parse::<f64>()
            .ok()
            .map(|p| p / 100.0),
        None => t.replace(',', ".").parse().ok(),
    }
}

/// The indicator figures of a school's profile as its server function sends them.
async fn read_profile(
    client: &Client,
    app: &TestApp,
    campaign: i64,
    school: i64,
) -> serde_json::Value {
    let r = client
        .post(app.url("/api/work-profile"))
        .form(&[("campaign", campaign), ("school", school)])
        .send()
        .await
        .expect("profile");
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.expect("json")
}

fn figures(profile: &serde_json::Value) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    for factor in profile["report"]["factors"]
        .as_array()
        .into_iter()
        .flatten()
    {
        for ind in factor["indicators"].as_array().into_iter().flatten() {
            if let (Some(key), Some(v)) = (
                ind["key"].as_str(),
                ind["value"].as_str().and_then(parse_shown),
            ) {
                out.insert(key.to_owned(), v);
            }
        }
    }
    out
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[xs.len() / 2]
}

async fn sign_in_as(app: &TestApp, login: &str, password: &str) -> Client {
    let client = harness::client();
    let r = app
        .sign_in_request(&client, &[("login", login), ("password", password)])
        .await
        .send()
        .await
        .expect("sign in");
    assert_eq!(
        r.headers().get("location").and_then(|v| v.to_str().ok()),
        Some("/work"),
        "{login} signs in"
    );
    client
}

async fn a_code_holder_cannot_take_one_respondent_apart(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let m = Methodology::default_set().expect("methodology");
    let today = server::clock::today();
    let place = app.storage.schools_with_place().await.expect("registry")[0].clone();
    let mut rng = rand::rngs::StdRng::seed_from_u64(24);
    // The server's noise key, fixed before its first use so that the run is reproducible (a
    // server draws its own at random).
    app.storage
        .server_secret("noise", "harness-fixed-noise-key")
        .await
        .expect("key");

    // 200 schools of the region, each with its own school account, in a campaign that closed
    // yesterday; six of each group expected (five answers meet every response-rate floor).
    let mut schools = Vec::new();
    for n in 0..VICTIMS {
        let id = app
            .storage
            .upsert_school(
                place.municipality_id,
                &format!("h-{n:03}"),
                &format!("Школа {n}"),
            )
            .await
            .expect("school");
        schools.push(id);
    }
    let expected = ExpectedCounts {
        teachers: 6,
        students: 6,
        parents: 6,
    };
    let plans: Vec<SchoolPlan> = schools
        .iter()
        .map(|s| SchoolPlan {
            school_id: *s,
            expected,
            codes: Vec::new(),
        })
        .collect();
    let campaign = app
        .storage
        .create_campaign_with(
            &NewCampaign {
                region_id: place.region_id,
                code: "harness",
                name: "Атака",
                methodology_version: &m.version,
                opens_on: today.plus_days(-20),
                closes_on: today.plus_days(-1),
                target_grades: "5-11",
            },
            &plans,
        )
        .await
        .expect("campaign");
    let password = "harness-password-1";
    let hash = server::auth::password::hash(password.to_owned())
        .await
        .expect("hash");
    for (n, school) in schools.iter().enumerate() {
        app.storage
            .create_user(
                &UserRow {
                    id: 0,
                    login: format!("h-school-{n:03}"),
                    display_name: format!("Школа {n}"),
                    password_hash: hash.clone(),
                    active: true,
                },
                &RoleRow {
                    role: app::access::Role::School,
                    region_id: None,
                    municipality_id: None,
                    school_id: Some(*school),
                },
                &[],
                today,
            )
            .await
            .expect("account")
            .expect("a new login");
    }

    // Which roles hold the codes: only they can put known answers around a victim.
    let mut holders = Vec::new();
    for login in ["school", "curator", "north", "region"] {
        let (client, _) = app.sign_in(login).await;
        let (_, demo) = app.demo_school("demo-01").await;
        let demo_campaign = app.demo_campaign().await;
        let status = client
            .get(app.url(&format!(
                "/work/campaigns/{demo_campaign}/schools/{demo}/codes"
            )))
            .send()
            .await
            .expect("code sheet")
            .status();
        let function = client
            .post(app.url("/api/work-codes"))
            .form(&[("campaign", demo_campaign), ("school", demo)])
            .send()
            .await
            .expect("codes")
            .status();
        if status == StatusCode::OK || function == StatusCode::OK {
            holders.push(login);
        } else {
            assert_eq!(status, StatusCode::FORBIDDEN, "{login}: the code sheet");
            assert_eq!(
                function,
                StatusCode::FORBIDDEN,
                "{login}: the codes' server function"
            );
            println!("harness: {login:8} holds no codes: nothing to put around a victim (403)");
        }
    }
    assert_eq!(holders, ["school"], "only the school holds its codes");

    // The school, for each group: four known answers and one victim's, in every school.
    let tallier = server::tallying::Tallier::new(&m);
    // Per school and group: the victim's contribution to each indicator, and the attacker's own
    // (their sum and how many of the four gave the indicator a value).
    let mut truth: BTreeMap<(usize, Group), BTreeMap<String, f64>> = BTreeMap::new();
    let mut known: BTreeMap<(usize, Group), BTreeMap<String, (f64, f64)>> = BTreeMap::new();
    let mut order = 0;
    for (n, school) in schools.iter().enumerate() {
        for group in GROUPS.into_iter().chain([Group::TeacherDeficits]) {
            for k in 0..=KNOWN {
                let raw = random_answers(&m, group, &mut rng);
                let instrument = m.instrument(group).expect("instrument");
                let answers =
                    surveys::Answers::parse_known(&m, instrument, &raw, &mut Vec::new(), |_| false);
                let stored = answers.to_raw(&m, instrument);
                if group != Group::TeacherDeficits {
                    let given = contributions(&m, group, &stored);
                    if k == KNOWN {
                        truth.insert((n, group), given);
                    } else {
                        let sums = known.entry((n, group)).or_default();
                        for (key, v) in given {
                            let entry = sums.entry(key).or_default();
                            entry.0 += v;
                            entry.1 += 1.0;
                        }
                    }
                }
                order += 1;
                let inserted = app
                    .storage
                    .insert_response(&ResponseRow {
                        campaign_id: campaign,
                        school_id: *school,
                        group,
                        instrument_key: instrument.key.clone(),
                        instrument_version: instrument.version,
                        methodology_version: m.version.to_string(),
                        answers: serde_json::to_string(&stored).expect("json"),
                        submitted_on: today.plus_days(-2),
                        submission_key: format!("h-{order}"),
                        surplus_limit: group.is_anonymous().then(|| m.rules.surplus_limit(6)),
                        tally: tallier.piece_of(group, &stored, 0, today.plus_days(-20)),
                    })
                    .await
                    .expect("stored");
                assert!(inserted);
            }
        }
    }

    // After the close each school reads its published profile and takes the victim apart.
    let mut attacker: BTreeMap<(Group, String), Vec<f64>> = BTreeMap::new();
    let mut victims: BTreeMap<(Group, String), Vec<f64>> = BTreeMap::new();
    let mut diagnostic_shown = 0;
    for (n, school) in schools.iter().enumerate() {
        let client = sign_in_as(&app, &format!("h-school-{n:03}"), password).await;
        let profile = read_profile(&client, &app, campaign, *school).await;
        if profile["report"]["deficits"]["areas"]
            .as_array()
            .is_some_and(|a| !a.is_empty())
        {
            diagnostic_shown += 1;
        }
        let shown = figures(&profile);
        for group in GROUPS {
            let (Some(victim), Some(mine)) = (truth.get(&(n, group)), known.get(&(n, group)))
            else {
                continue;
            };
            for (key, value) in victim {
                let Some(published) = shown.get(key) else {
                    continue;
                };
                // The figure is over the victim and those of the four that gave the indicator a
                // value (the attacker knows which): the victim's is what is left of its sum.
                let (sum, count) = mine.get(key).copied().unwrap_or((0.0, 0.0));
                let guess = (published * (count + 1.0) - sum).clamp(0.0, 1.0);
                attacker
                    .entry((group, key.clone()))
                    .or_default()
                    .push(guess);
                victims
                    .entry((group, key.clone()))
                    .or_default()
                    .push(*value);
            }
        }
    }
    assert_eq!(
        diagnostic_shown, 0,
        "the school reads no summary of its teachers' diagnostic"
    );
    println!("harness: school   teacher_deficits: the school reads no summary of its teachers' diagnostic (200 of 200 withheld)");

    // The attacker against a blind guess, per indicator. The attacker is given every advantage:
    // besides its plain estimate it may shrink it towards the blind guess by any of a few
    // factors, or round it to 0 or 1, whichever does best on these very victims.
    let mut worst: Option<(f64, String)> = None;
    let mut per_group: BTreeMap<Group, (f64, f64, usize)> = BTreeMap::new();
    for ((group, key), guesses) in &attacker {
        let values = &victims[&(*group, key.clone())];
        if values.len() < VICTIMS / 2 {
            continue;
        }
        let blind_guess = median(values.clone());
        let mae = |estimate: &dyn Fn(f64) -> f64| {
            guesses
                .iter()
                .zip(values)
                .map(|(g, v)| (estimate(*g) - v).abs())
                .sum::<f64>()
                / values.len() as f64
        };
        let blind = mae(&|_| blind_guess);
        let mut attack = mae(&|g: f64| g.round());
        for shrink in [1.0, 0.5, 0.25, 0.1] {
            attack = attack.min(mae(&|g| blind_guess + shrink * (g - blind_guess)));
        }
        let gain = blind - attack;
        let entry = per_group.entry(*group).or_default();
        entry.0 += attack;
        entry.1 += blind;
        entry.2 += 1;
        if worst.as_ref().is_none_or(|(g, _)| gain > *g) {
            worst = Some((
                gain,
                format!(
                    "{} {key}: attacker {attack:.3}, blind {blind:.3}",
                    group.key()
                ),
            ));
        }
        assert!(
            gain <= ALLOWED_GAIN,
            "{} {key}: the school's estimate of one respondent has mean error {attack:.3}, a blind guess {blind:.3}",
            group.key()
        );
    }
    for (group, (attack, blind, count)) in &per_group {
        println!(
            "harness: school   {:16} {count} indicators, attacker's mean error {:.3}, blind guess {:.3}",
            group.key(),
            attack / *count as f64,
            blind / *count as f64
        );
    }
    assert_eq!(per_group.len(), 3, "every group was attacked");
    if let Some((gain, what)) = worst {
        println!("harness: the attacker's largest gain over a blind guess: {gain:.3} ({what})");
    }
    app.finish().await;
}

harness::on_both_backends!(a_code_holder_cannot_take_one_respondent_apart);
