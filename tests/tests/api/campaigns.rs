//! Setting up a campaign over HTTP: the form refuses with every problem at once and stores
//! nothing, a complete form creates the campaign with its schools and access codes.

use harness::{csrf_of, Backend, TestApp};
use reqwest::header::LOCATION;
use reqwest::StatusCode;

async fn a_regional_coordinator_sets_up_a_campaign_with_codes(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let (_, first) = app.demo_school("demo-01").await;
    let (_, second) = app.demo_school("demo-05").await;
    let (region, _) = app.sign_in("region").await;
    let form = harness::text(&region, &app.url("/work/campaigns/new")).await;
    assert!(form.contains(&format!("name=\"teachers_{first}\"")));
    let csrf = csrf_of(&form);
    let post = |fields: Vec<(String, String)>| {
        let (client, url) = (region.clone(), app.url("/work/campaigns"));
        async move {
            let r = client
                .post(url)
                .form(&fields)
                .send()
                .await
                .expect("request");
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            r.headers()[LOCATION].to_str().expect("location").to_owned()
        }
    };
    let field = |k: &str, v: &str| (k.to_owned(), v.to_owned());
    // Refused: every problem listed, nothing stored.
    let refused = post(vec![
        field("_csrf", &csrf),
        field("name", ""),
        field("code", "Весна"),
        field("opens_on", "2027-05-10"),
        field("closes_on", "2027-04-01"),
        field("grades", "5-11"),
    ])
    .await;
    assert!(refused.starts_with("/work/campaigns/new?problem="));
    let page = harness::text(&region, &app.url(&refused)).await;
    for text in [
        "Название: укажите название",
        "Код кампании",
        "Окончание: не раньше начала",
        "Школы: отметьте хотя бы одну школу",
    ] {
        assert!(page.contains(text), "«{text}» in {page}");
    }
    assert!(app
        .storage
        .campaign_by_code("vesna-2027")
        .await
        .expect("query")
        .is_none());

    let created = post(vec![
        field("_csrf", &csrf),
        field("name", "Весна 2027"),
        field("code", "vesna-2027"),
        field("opens_on", "2027-04-01"),
        field("closes_on", "2027-05-10"),
        field("grades", "5-9"),
        field("school", &first.to_string()),
        field(&format!("teachers_{first}"), "12"),
        field(&format!("students_{first}"), "80"),
        field(&format!("parents_{first}"), "60"),
        field("school", &second.to_string()),
        field(&format!("teachers_{second}"), "7"),
        field(&format!("students_{second}"), "40"),
        field(&format!("parents_{second}"), "40"),
    ])
    .await;
    let campaign = app
        .storage
        .campaign_by_code("vesna-2027")
        .await
        .expect("query")
        .expect("created");
    assert_eq!(created, format!("/work/campaigns/{}/monitor", campaign.id));
    let schools = app
        .storage
        .campaign_schools(campaign.id)
        .await
        .expect("schools");
    assert_eq!(schools.len(), 2);
    let codes = app
        .storage
        .access_codes(campaign.id, first)
        .await
        .expect("codes");
    assert_eq!(
        codes.len(),
        5 + 12,
        "group codes, the principal's two and one per teacher"
    );
    // The monitor shows the new campaign with nothing answered yet.
    let monitor = harness::text(&region, &app.url(&created)).await;
    assert!(monitor.contains("0 / 80"));
    // The same code again is refused.
    let again = post(vec![
        field("_csrf", &csrf),
        field("name", "Весна 2027"),
        field("code", "vesna-2027"),
        field("opens_on", "2027-04-01"),
        field("closes_on", "2027-05-10"),
        field("grades", "5-9"),
        field("school", &first.to_string()),
        field(&format!("teachers_{first}"), "1"),
        field(&format!("students_{first}"), "1"),
        field(&format!("parents_{first}"), "1"),
    ])
    .await;
    let page = harness::text(&region, &app.url(&again)).await;
    assert!(page.contains("такой код уже есть"));
    app.finish().await;
}

harness::on_both_backends!(a_regional_coordinator_sets_up_a_campaign_with_codes);
