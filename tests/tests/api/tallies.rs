//! The sums kept as responses arrive — added by the writer, carried by each publication,
//! rebuilt by `orientir rescore` — give exactly the figures `surveys` computes from the stored
//! answers, on random campaigns with held surplus admitted or discarded and several
//! publications.

use std::collections::HashMap;
use std::sync::Arc;

use app::access::{Role, Scope, Viewer};
use harness::{Backend, TestApp};
use server::scope::Gate;
use server::storage::{NewCampaign, ResponseRow, Sums, Surplus};
use server::tallying::Tallier;
use surveys::profile::Scorer;
use surveys::{Group, Methodology, RawAnswers, RawValue};

/// A small deterministic generator.
struct Draw(u64);

impl Draw {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// Random answers to every item of an instrument (a few left out), as a form would send them.
fn answers(m: &Methodology, group: Group, draw: &mut Draw) -> String {
    let instrument = m.instrument(group).expect("instrument");
    let mut raw = RawAnswers::new();
    for (slot, s) in instrument.slots.iter().enumerate() {
        let item = instrument.slot_item(slot);
        if draw.below(9) == 0 {
            continue;
        }
        let value = match item.choices.as_deref().and_then(|l| m.choice_list(l)) {
            Some(list) => {
                let pick = |d: &mut Draw| list.choices[d.below(list.choices.len())].value.clone();
                if item.kind == surveys::ItemKind::Multiple {
                    let mut picked = vec![pick(draw), pick(draw)];
                    picked.sort();
                    picked.dedup();
                    RawValue::Many(picked)
                } else {
                    RawValue::One(pick(draw))
                }
            }
            None if item.kind.is_numeric() => {
                let (lo, hi) = (
                    item.min.unwrap_or(0.0),
                    item.max.unwrap_or(100.0).min(2000.0),
                );
                RawValue::One(((lo + draw.below((hi - lo) as usize + 1) as f64) as i64).to_string())
            }
            None => continue,
        };
        raw.insert(s.key.clone(), value);
    }
    serde_json::to_string(&raw).expect("json")
}

/// The campaign with every school of it, as an admin sees it.
async fn everything(gate: &Gate, campaign: i64) -> server::scope::InScope {
    gate.campaign(&admin(), campaign, None)
        .await
        .expect("scope")
        .expect("schools")
}

fn admin() -> Viewer {
    Viewer {
        user_id: 1,
        login: "admin".into(),
        name: "admin".into(),
        role: Role::Admin,
        scope: Scope::All,
        csrf: String::new(),
    }
}

async fn kept_sums_score_as_the_stored_answers(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let m = Arc::new(Methodology::default_set().expect("methodology"));
    let tallier = Tallier::new(&m);
    let today = server::clock::today();
    let region = app.storage.schools_with_place().await.expect("registry")[0].region_id;
    let schools: Vec<i64> = app
        .storage
        .schools_with_place()
        .await
        .expect("registry")
        .iter()
        .map(|s| s.id)
        .collect();
    let groups = [
        Group::Principal,
        Group::Teacher,
        Group::Student,
        Group::Parent,
        Group::TeacherDeficits,
    ];
    let mut shown = 0;
    let mut values_read = 0;
    for seed in 1..=3u64 {
        let mut draw = Draw(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let opens_on = today.plus_days(-3);
        let campaign = app
            .storage
            .create_campaign(&NewCampaign {
                region_id: region,
                code: &format!("random-{seed}"),
                name: "Случайная",
                methodology_version: &m.version,
                opens_on,
                closes_on: today.plus_days(10),
                target_grades: "5-11",
            })
            .await
            .expect("campaign");
        let chosen: Vec<i64> = schools
            .iter()
            .copied()
            .filter(|_| draw.below(3) > 0)
            .collect();
        for school in &chosen {
            let (t, s, p) = (
                draw.below(30) as i64,
                draw.below(40) as i64,
                draw.below(40) as i64,
            );
            app.storage
                .set_expected_counts(campaign, *school, t, s, p)
                .await
                .expect("expected");
        }
        // A fresh gate each time, so that nothing is remembered between readings.
        let gate = || Gate::new(app.storage.clone(), m.clone(), server::clock::today);
        let mut n = 0;
        for _round in 0..3 {
            for school in &chosen {
                for group in groups {
                    for _ in 0..draw.below(9) {
                        n += 1;
                        let answers = answers(&m, group, &mut draw);
                        let tally = tallier
                            .piece(group, &answers, 0, opens_on)
                            .expect("tallied");
                        let instrument = m.instrument(group).expect("instrument");
                        app.storage
                            .insert_response(&ResponseRow {
                                campaign_id: campaign,
                                school_id: *school,
                                group,
                                instrument_key: instrument.key.clone(),
                                instrument_version: instrument.version,
                                methodology_version: m.version.to_string(),
                                answers,
                                submitted_on: today,
                                submission_key: format!("random-{seed}-{n}"),
                                // Some group codes run over: their surplus is held.
                                surplus_limit: (group.is_anonymous() && draw.below(4) == 0)
                                    .then_some(3),
                                tally,
                            })
                            .await
                            .expect("stored");
                    }
                }
            }
            let row = app
                .storage
                .campaign(campaign)
                .await
                .expect("read")
                .expect("campaign");
            let in_scope = everything(&gate(), campaign).await;
            for school in &chosen {
                for group in [Group::Teacher, Group::Student, Group::Parent] {
                    // Some surplus waits past a publication: admitted later, it belongs to a
                    // later one.
                    let decision = match draw.below(3) {
                        0 => continue,
                        1 => Surplus::Admit,
                        _ => Surplus::Discard,
                    };
                    // Refused when nothing is held: that is fine here.
                    let _ = gate()
                        .decide_surplus(&in_scope, *school, group, decision)
                        .await;
                }
            }
            // Refused when nothing is ready: that is fine here.
            let _ = gate().publish(&row, Some(1)).await;
        }
        let publications = app
            .storage
            .publications(campaign)
            .await
            .expect("publications");
        let Some(latest) = publications.first() else {
            continue;
        };
        assert_eq!(
            latest.tallied.as_deref(),
            Some(m.fingerprint.as_str()),
            "every group the writer stored is tallied"
        );
        let in_scope = everything(&gate(), campaign).await;
        let kept = gate()
            .score_with_quality(&admin(), &in_scope)
            .await
            .expect("scored")
            .expect("published");

        // A few indicators' values read from their own groups' sums alone (a region's context:
        // the principal's numbers, here with a student's figure too) are the profiles' values.
        let keys: Vec<String> = m
            .results
            .context
            .iter()
            .map(|c| c.indicator.clone())
            .chain(
                m.indicators
                    .iter()
                    .filter(|i| i.group == Group::Student)
                    .take(1)
                    .map(|i| i.key.to_string()),
            )
            .collect();
        let values = gate()
            .indicator_values(&admin(), &in_scope, &keys)
            .await
            .expect("read")
            .expect("published");
        assert_eq!(values.len(), in_scope.schools.len());
        for (i, s) in in_scope.schools.iter().enumerate() {
            let profile = &kept.0.profiles[i];
            let expected: std::collections::BTreeMap<String, f64> = keys
                .iter()
                .filter_map(|k| Some((k.clone(), profile.indicator(k)?.value?)))
                .collect();
            assert_eq!(values.get(&s.school_id), Some(&expected), "{}", s.code);
            values_read += expected.len();
        }

        // The same figures from the published answers, by surveys alone.
        let scorer = Scorer::new(&m);
        let mut by_school: HashMap<i64, Vec<surveys::Response>> = HashMap::new();
        let mut results: HashMap<i64, Vec<surveys::deficits::DeficitResult>> = HashMap::new();
        for group_answers in app
            .storage
            .published_answers(campaign, None)
            .await
            .expect("answers")
        {
            for raw in group_answers.raw().expect("json") {
                let response = tallier
                    .response(group_answers.group, &raw)
                    .expect("instrument");
                if response.group == Group::TeacherDeficits {
                    if let Some(r) =
                        surveys::deficits::teacher_result(&m, &response.answers, opens_on)
                    {
                        results.entry(group_answers.school_id).or_default().push(r);
                    }
                }
                by_school
                    .entry(group_answers.school_id)
                    .or_default()
                    .push(response);
            }
        }
        for (i, s) in in_scope.schools.iter().enumerate() {
            let responses = by_school.get(&s.school_id).map_or(&[][..], Vec::as_slice);
            assert_eq!(
                kept.0.profiles[i],
                scorer.profile(&s.code, &s.expected(), responses),
                "school {} of campaign {seed}",
                s.code
            );
            let teachers = results.get(&s.school_id).map_or(&[][..], Vec::as_slice);
            assert_eq!(
                kept.0.deficits[i],
                surveys::deficits::school_summary(&m, teachers)
            );
        }
        shown += kept
            .0
            .profiles
            .iter()
            .flat_map(|p| &p.indicators)
            .filter(|i| i.value.is_some())
            .count();
        let all: Vec<&surveys::Response> = by_school.values().flatten().collect();
        assert_eq!(kept.1, surveys::quality::instrument_quality(&m, all));

        // Rebuilt from the answers, every publication's sums are the ones kept incrementally.
        let read = |publication: i64, sums: Sums| {
            let storage = app.storage.clone();
            async move {
                let rows = storage
                    .published_tallies(publication, None, sums)
                    .await
                    .expect("tallies");
                rows.iter()
                    .map(|r| {
                        let profile =
                            (sums == Sums::Profile).then(|| r.profile().expect("profile"));
                        let quality =
                            (sums == Sums::Quality).then(|| r.quality().expect("quality"));
                        (r.school_id, r.group, profile, quality)
                    })
                    .collect::<Vec<_>>()
            }
        };
        let mut before = Vec::new();
        for p in &publications {
            before.push((
                read(p.id, Sums::Profile).await,
                read(p.id, Sums::Quality).await,
            ));
        }
        let row = app
            .storage
            .campaign(campaign)
            .await
            .expect("read")
            .expect("campaign");
        let rebuilt = server::tallying::rebuild(&app.storage, &m, &row)
            .await
            .expect("rebuilt");
        app.storage
            .replace_tallies(campaign, &rebuilt)
            .await
            .expect("replaced");
        for (p, kept) in publications.iter().zip(&before) {
            assert_eq!(
                &(
                    read(p.id, Sums::Profile).await,
                    read(p.id, Sums::Quality).await
                ),
                kept,
                "publication {} of campaign {seed}",
                p.number
            );
        }
        let again = app
            .storage
            .publications(campaign)
            .await
            .expect("publications");
        assert!(again
            .iter()
            .all(|p| p.tallied.as_deref() == Some(m.fingerprint.as_str())));
    }
    assert!(
        shown > 0,
        "some figures are computed, not only «недостаточно данных»"
    );
    assert!(values_read > 0, "some named indicators have values");
    app.finish().await;
}

/// Responses stored around the writer (without sums) leave a publication untallied: its
/// figures are read from the answers, and `rescore` makes it tallied with the same figures.
async fn responses_without_sums_are_scored_from_the_answers_until_rescored(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let m = Arc::new(Methodology::default_set().expect("methodology"));
    let (campaign, school) = app.demo_school("demo-01").await;
    let stored = app
        .storage
        .campaign_responses(campaign)
        .await
        .expect("responses")
        .into_iter()
        .find(|r| r.school_id == school && r.group == Group::Parent)
        .expect("a parent's answers");
    for n in 0..6 {
        app.storage
            .insert_response(&ResponseRow {
                campaign_id: campaign,
                school_id: school,
                group: Group::Parent,
                instrument_key: "parent".into(),
                instrument_version: 1,
                methodology_version: m.version.to_string(),
                answers: stored.answers.clone(),
                submitted_on: server::clock::today(),
                submission_key: format!("around-{n}"),
                surplus_limit: None,
                tally: None,
            })
            .await
            .expect("stored");
    }
    let gate = || Gate::new(app.storage.clone(), m.clone(), server::clock::today);
    let row = app
        .storage
        .campaign(campaign)
        .await
        .expect("read")
        .expect("campaign");
    gate().publish(&row, Some(1)).await.expect("published");
    let untallied = app.storage.publications(campaign).await.expect("list");
    assert_eq!(untallied[0].tallied, None, "six parents have no sums");
    let in_scope = everything(&gate(), campaign).await;
    let from_answers = gate()
        .score(&admin(), &in_scope)
        .await
        .expect("scored")
        .expect("published");
    let rebuilt = server::tallying::rebuild(&app.storage, &m, &row)
        .await
        .expect("rebuilt");
    app.storage
        .replace_tallies(campaign, &rebuilt)
        .await
        .expect("replaced");
    let tallied = app.storage.publications(campaign).await.expect("list");
    assert_eq!(tallied[0].tallied.as_deref(), Some(m.fingerprint.as_str()));
    let from_sums = gate()
        .score(&admin(), &in_scope)
        .await
        .expect("scored")
        .expect("published");
    assert_eq!(from_sums.profiles, from_answers.profiles);
    assert_eq!(from_sums.deficits, from_answers.deficits);
    app.finish().await;
}

harness::on_both_backends!(
    kept_sums_score_as_the_stored_answers,
    responses_without_sums_are_scored_from_the_answers_until_rescored,
);
