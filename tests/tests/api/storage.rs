//! Storage behaviour, run against both backends: every case below runs once on SQLite and
//! once on PostgreSQL.

use harness::{Backend, TestApp, TestDb};
use serde_json::json;
use server::storage::{DraftWrite, NewCampaign, ResponseRow, Written};
use server::Storage;
use surveys::calendar::Day;
use surveys::{Group, Methodology};

async fn storage(backend: Backend) -> (Storage, TestDb) {
    let db = TestDb::create(backend).await;
    let storage = Storage::open(&harness::test_config(db.url()))
        .await
        .expect("opens and migrates");
    (storage, db)
}

fn day(text: &str) -> Day {
    text.parse().expect("date")
}

async fn campaign(storage: &Storage) -> (i64, i64) {
    let region = storage.upsert_region("r", "Область").await.expect("region");
    let municipality = storage
        .upsert_municipality(region, "m", "Район")
        .await
        .expect("municipality");
    let school = storage
        .upsert_school(municipality, "s-1", "Школа № 1")
        .await
        .expect("school");
    let campaign = storage
        .create_campaign(&NewCampaign {
            region_id: region,
            code: "spring",
            name: "Весна",
            methodology_version: "orientir-2026",
            opens_on: day("2026-03-01"),
            closes_on: day("2026-04-30"),
            target_grades: "5-11",
        })
        .await
        .expect("campaign");
    storage
        .set_expected_counts(campaign, school, 20, 100, 80)
        .await
        .expect("counts");
    (campaign, school)
}

async fn migrations_apply_and_report_a_schema_version(backend: Backend) {
    let (storage, db) = storage(backend).await;
    assert_eq!(
        storage.backend().name(),
        if backend == Backend::Sqlite {
            "sqlite"
        } else {
            "postgres"
        }
    );
    assert!(storage.schema_version().await.expect("version") >= 20261122000001);
    // Opening again (a restart) finds the schema current and changes nothing.
    let again = Storage::open(&harness::test_config(db.url()))
        .await
        .expect("reopens");
    assert_eq!(
        again.schema_version().await.expect("version"),
        storage.schema_version().await.expect("v")
    );
    again.close().await;
    storage.close().await;
    db.drop_database().await;
}

async fn upserting_registry_entries_twice_keeps_one_of_each(backend: Backend) {
    let (storage, db) = storage(backend).await;
    let first = storage
        .upsert_region("r", "Старое имя")
        .await
        .expect("region");
    let second = storage
        .upsert_region("r", "Новое имя")
        .await
        .expect("region");
    assert_eq!(first, second);
    assert_eq!(
        storage.region_names().await.expect("names"),
        vec!["Новое имя".to_string()]
    );
    storage.close().await;
    db.drop_database().await;
}

async fn campaigns_keep_dates_versions_and_expected_counts(backend: Backend) {
    let (storage, db) = storage(backend).await;
    let (campaign_id, school_id) = campaign(&storage).await;
    let stored = storage
        .campaign_by_code("spring")
        .await
        .expect("query")
        .expect("campaign");
    assert_eq!(
        (
            stored.id,
            stored.opens_on.to_string().as_str(),
            stored.closes_on.to_string().as_str()
        ),
        (campaign_id, "2026-03-01", "2026-04-30")
    );
    assert_eq!(stored.methodology_version, "orientir-2026");
    let schools = storage
        .campaign_schools(campaign_id)
        .await
        .expect("schools");
    assert_eq!(schools.len(), 1);
    assert_eq!(
        (
            schools[0].school_id,
            schools[0].expected_teachers,
            schools[0].expected_students,
            schools[0].expected_parents
        ),
        (school_id, 20, 100, 80)
    );
    storage.close().await;
    db.drop_database().await;
}

async fn a_campaign_closing_before_it_opens_is_refused(backend: Backend) {
    let (storage, db) = storage(backend).await;
    let region = storage.upsert_region("r", "Область").await.expect("region");
    let result = storage
        .create_campaign(&NewCampaign {
            region_id: region,
            code: "backwards",
            name: "Наоборот",
            methodology_version: "orientir-2026",
            opens_on: day("2026-05-01"),
            closes_on: day("2026-04-01"),
            target_grades: "5-11",
        })
        .await;
    assert!(
        result.is_err(),
        "a campaign that closes before it opens was stored"
    );
    storage.close().await;
    db.drop_database().await;
}

async fn a_response_submitted_twice_is_stored_once_with_its_raw_answers(backend: Backend) {
    let (storage, db) = storage(backend).await;
    let (campaign_id, school_id) = campaign(&storage).await;
    let answers = json!({ "safe": "3", "bullied": "never", "plans": "na" });
    let response = ResponseRow {
        campaign_id,
        school_id,
        group: Group::Student,
        instrument_key: "student".into(),
        instrument_version: 1,
        methodology_version: "orientir-2026".into(),
        answers: answers.to_string(),
        submitted_on: day("2026-03-05"),
        submission_key: "form-abc".into(),
        surplus_limit: None,
        tally: None,
    };
    assert!(storage
        .insert_response(&response)
        .await
        .expect("first submit"));
    assert!(!storage
        .insert_response(&response)
        .await
        .expect("second submit"));
    assert_eq!(
        storage
            .response_counts(campaign_id)
            .await
            .expect("counts")
            .into_iter()
            .map(|c| (c.school_id, c.group.key().to_owned(), c.responses))
            .collect::<Vec<_>>(),
        vec![(school_id, "student".to_string(), 1)]
    );
    assert_eq!(
        storage
            .response("form-abc")
            .await
            .expect("read")
            .map(|r| serde_json::from_str::<serde_json::Value>(&r.answers).expect("json")),
        Some(answers)
    );
    storage.close().await;
    db.drop_database().await;
}

async fn access_codes_are_unique_and_listed_per_school(backend: Backend) {
    let (storage, db) = storage(backend).await;
    let (campaign_id, school_id) = campaign(&storage).await;
    storage
        .insert_access_code("ABC-DEF-GH", campaign_id, school_id, Group::Student, false)
        .await
        .expect("code");
    storage
        .insert_access_code("JKM-NPQ-RS", campaign_id, school_id, Group::Principal, true)
        .await
        .expect("code");
    let duplicate = storage
        .insert_access_code("ABC-DEF-GH", campaign_id, school_id, Group::Parent, false)
        .await;
    assert!(duplicate.is_err(), "a code was issued twice");
    assert_eq!(
        storage
            .access_codes(campaign_id, school_id)
            .await
            .expect("codes")
            .into_iter()
            .map(|a| (a.code, a.group.key().to_owned(), a.personal))
            .collect::<Vec<_>>(),
        vec![
            ("JKM-NPQ-RS".to_string(), "principal".to_string(), true),
            ("ABC-DEF-GH".to_string(), "student".to_string(), false),
        ]
    );
    storage.close().await;
    db.drop_database().await;
}

async fn the_demo_region_is_created_once_with_hundreds_of_responses(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let methodology = Methodology::default_set().expect("methodology");
    let again = server::cli::demo::ensure_demo(&app.storage, &methodology, day("2026-11-23"))
        .await
        .expect("second run");
    assert!(!again.created);
    assert_eq!(again.codes.len(), 6, "six demo schools");
    for (_, codes) in &again.codes {
        for group in ["student", "parent", "teacher", "principal"] {
            let n = codes.iter().filter(|(g, _)| g == group).count();
            assert_eq!(n, 1, "one {group} code per school");
        }
        let diagnostic = codes
            .iter()
            .filter(|(g, _)| g == "teacher_deficits")
            .count();
        assert!(diagnostic >= 8, "a diagnostic code per expected teacher");
    }
    assert!(
        (300..=800).contains(&again.responses),
        "{} responses",
        again.responses
    );
    let campaign = app
        .storage
        .campaign_by_code(server::cli::demo::CAMPAIGN_CODE)
        .await
        .expect("q")
        .expect("campaign");
    let counts = app
        .storage
        .response_counts(campaign.id)
        .await
        .expect("counts");
    assert_eq!(
        counts.iter().map(|c| c.responses).sum::<i64>(),
        again.responses
    );
    // Every school has its principal and some students, teachers and parents.
    for group in ["principal", "student", "teacher", "parent"] {
        assert_eq!(
            counts.iter().filter(|c| c.group.key() == group).count(),
            6,
            "{group}"
        );
    }
    app.finish().await;
}

async fn drafts_of_closed_campaigns_are_deleted(backend: Backend) {
    let (storage, db) = storage(backend).await;
    let (open_campaign, school) = campaign(&storage).await;
    let region = storage.upsert_region("r", "Область").await.expect("region");
    let closed = storage
        .create_campaign(&NewCampaign {
            region_id: region,
            code: "autumn",
            name: "Осень",
            methodology_version: "orientir-2026",
            opens_on: day("2026-09-01"),
            closes_on: day("2026-10-01"),
            target_grades: "5-11",
        })
        .await
        .expect("campaign");
    storage
        .insert_access_code("222-222-22", open_campaign, school, Group::Student, false)
        .await
        .expect("code");
    storage
        .insert_access_code("333-333-33", closed, school, Group::Student, false)
        .await
        .expect("code");
    for (token, code) in [("a", "222-222-22"), ("b", "333-333-33")] {
        let draft = server::storage::DraftRow {
            token: token.into(),
            code: code.into(),
            answers: "{}".into(),
            problems: "{}".into(),
            page: 1,
            submission_key: format!("key-{token}"),
            submitted: false,
            device_hash: None,
            result_key_hash: None,
            revision: 1,
        };
        assert!(storage
            .save_draft(&draft, day("2026-09-15"))
            .await
            .expect("draft"));
    }
    // On 2026-10-02 the autumn campaign has closed; the spring one (until 2026-04-30) too.
    assert_eq!(
        storage
            .purge_closed_drafts(day("2026-04-30"))
            .await
            .expect("purge"),
        0
    );
    assert_eq!(
        storage
            .purge_closed_drafts(day("2026-10-02"))
            .await
            .expect("purge"),
        2
    );
    assert!(storage.draft("b").await.expect("read").is_none());
    storage.close().await;
    db.drop_database().await;
}

async fn a_draft_is_written_only_over_the_revision_it_was_based_on(backend: Backend) {
    let (storage, db) = storage(backend).await;
    let (campaign, school) = campaign(&storage).await;
    storage
        .insert_access_code("444-444-44", campaign, school, Group::Student, false)
        .await
        .expect("code");
    let draft = |page: i64, revision: i64| server::storage::DraftRow {
        token: "t".into(),
        code: "444-444-44".into(),
        answers: format!("{{\"page\":\"{page}\"}}"),
        problems: "{}".into(),
        page,
        submission_key: "key-t".into(),
        submitted: false,
        device_hash: None,
        result_key_hash: None,
        revision,
    };
    let today = day("2026-09-15");
    // A new draft, then its next page over revision 1.
    assert!(storage
        .save_draft(&draft(1, 1), today)
        .await
        .expect("write"));
    assert!(storage
        .save_draft(&draft(2, 2), today)
        .await
        .expect("write"));
    // A server that kept revision 1 (another wrote 2 since) writes nothing, nor does a second
    // «new» draft under the same token.
    assert!(!storage
        .save_draft(&draft(3, 2), today)
        .await
        .expect("write"));
    assert!(!storage
        .save_draft(&draft(3, 1), today)
        .await
        .expect("write"));
    let stored = storage.draft("t").await.expect("read").expect("draft");
    assert_eq!((stored.page, stored.revision), (2, 2));
    // In one batch (one statement on PostgreSQL) as alone: the stale write is refused, its
    // neighbours are written.
    let other = server::storage::DraftRow {
        token: "u".into(),
        submission_key: "key-u".into(),
        ..draft(1, 1)
    };
    let written = storage
        .write_drafts(&[
            DraftWrite::Save {
                draft: draft(3, 2),
                today,
            },
            DraftWrite::Save {
                draft: other,
                today,
            },
            DraftWrite::Save {
                draft: draft(3, 3),
                today,
            },
            DraftWrite::Save {
                draft: draft(4, 3),
                today,
            },
        ])
        .await
        .expect("batch");
    assert_eq!(
        written,
        [
            Written::Stale,
            Written::Done { stored: false },
            Written::Done { stored: false },
            Written::Stale,
        ]
    );
    let stored = storage.draft("t").await.expect("read").expect("draft");
    assert_eq!((stored.page, stored.revision), (3, 3));
    assert_eq!(
        storage.draft("u").await.expect("read").expect("u").revision,
        1
    );
    storage.close().await;
    db.drop_database().await;
}

harness::on_both_backends!(
    a_draft_is_written_only_over_the_revision_it_was_based_on,
    drafts_of_closed_campaigns_are_deleted,
    migrations_apply_and_report_a_schema_version,
    upserting_registry_entries_twice_keeps_one_of_each,
    campaigns_keep_dates_versions_and_expected_counts,
    a_campaign_closing_before_it_opens_is_refused,
    a_response_submitted_twice_is_stored_once_with_its_raw_answers,
    access_codes_are_unique_and_listed_per_school,
    the_demo_region_is_created_once_with_hundreds_of_responses,
);
