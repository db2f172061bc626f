//! The registry over HTTP: a CSV or XLSX import checks every row and stores all or nothing, the
//! templates download, one school can be added or edited by hand, and only the region's own rows
//! pass.

use harness::{csrf_of, Backend, TestApp};
use reqwest::header::LOCATION;
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;

/// Uploads a registry file as `client` and reads the page it is sent back to.
pub(crate) async fn upload(
    client: &reqwest::Client,
    app: &TestApp,
    csrf: &str,
    name: &str,
    bytes: Vec<u8>,
) -> String {
    let form = Form::new().part("file", Part::bytes(bytes).file_name(name.to_owned()));
    let r = client
        .post(app.url(&format!("/work/registry/import?_csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .expect("upload");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let location = r.headers()[LOCATION].to_str().expect("location").to_owned();
    harness::text(client, &app.url(&location)).await
}

async fn an_import_stores_all_rows_or_none_and_names_every_problem(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let (region, _) = app.sign_in("region").await;
    let page = harness::text(&region, &app.url("/work/registry")).await;
    let csrf = csrf_of(&page);
    let header =
        "region_code,region_name,municipality_code,municipality_name,school_code,school_name\n";
    // Two bad rows: both reported, nothing stored (not even the good row).
    let bad = format!("{header}demo,Демонстрационная область,east,Восточный район,east-01,МБОУ «Восточная СОШ»\ndemo,,east,Восточный район,east 02,Школа\ndemo,Демонстрационная область,east,Восточный район,east-01,Дубль\n");
    let html = upload(&region, &app, &csrf, "schools.csv", bad.into_bytes()).await;
    for text in [
        "Строка 3, столбец region_name: пусто",
        "Строка 3, столбец school_code: код: латинские буквы",
        "Строка 4, столбец school_code: этот код школы уже встречался выше",
        "Ничего не сохранено",
    ] {
        assert!(html.contains(text), "«{text}»");
    }
    let before = app
        .storage
        .schools_with_place()
        .await
        .expect("schools")
        .len();
    assert_eq!(before, 6, "nothing was half-imported");
    // Another region's rows are refused for a regional coordinator.
    let foreign = format!("{header}other,Другая область,x,Район X,x-01,Школа X\n");
    let html = upload(&region, &app, &csrf, "schools.csv", foreign.into_bytes()).await;
    assert!(html.contains("регион вне вашей области видимости"));
    // A good file (semicolons, as Excel saves CSV in Russia) is stored whole.
    let good = format!("{}\ndemo;Демонстрационная область;east;Восточный район;east-01;МБОУ «Восточная СОШ»\ndemo;Демонстрационная область;east;Восточный район;east-02;МБОУ «Заречная ООШ»\n", header.trim_end().replace(',', ";"));
    let html = upload(&region, &app, &csrf, "schools.csv", good.into_bytes()).await;
    assert!(html.contains("Сохранено школ: 2."), "{html}");
    // A school code of another municipality is a conflict: named, and nothing of the file stored.
    let moved = format!("{header}demo,Демонстрационная область,east,Восточный район,east-09,Новая школа\ndemo,Демонстрационная область,east,Восточный район,demo-01,Переезд\n");
    let html = upload(&region, &app, &csrf, "schools.csv", moved.into_bytes()).await;
    assert!(
        html.contains(
            "Строка 3, столбец school_code: код demo-01 уже занят школой другого муниципалитета"
        ),
        "{html}"
    );
    let schools = app.storage.schools_with_place().await.expect("schools");
    assert!(!schools.iter().any(|s| s.code == "east-09"), "rolled back");
    assert_eq!(schools.len(), 8);
    assert_eq!(
        app.storage
            .schools_with_place()
            .await
            .expect("schools")
            .len(),
        8
    );
    // The XLSX template comes back as a valid import of one new school.
    let template = region
        .get(app.url("/work/registry/template.xlsx"))
        .send()
        .await
        .expect("template")
        .bytes()
        .await
        .expect("body");
    let html = upload(&region, &app, &csrf, "template.xlsx", template.to_vec()).await;
    assert!(html.contains("Сохранено школ: 1."), "{html}");
    let csv = harness::text(&region, &app.url("/work/registry/template.csv")).await;
    assert!(csv.starts_with("region_code,region_name,municipality_code"));
    // One school by hand; a wrong field is named.
    let r = region
        .post(app.url("/work/registry/schools"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("region_code", "demo"),
            ("region_name", "Демонстрационная область"),
            ("municipality_code", "east"),
            ("municipality_name", "Восточный район"),
            ("school_code", "east-03"),
            ("school_name", ""),
        ])
        .send()
        .await
        .expect("request");
    let location = r.headers()[LOCATION].to_str().expect("location").to_owned();
    let html = harness::text(&region, &app.url(&location)).await;
    assert!(html.contains("school_name: пусто"), "{html}");
    // Editing: the school's row fills the form; a new name renames the school and, found by its
    // code, the municipality for all its schools.
    let school = app
        .storage
        .schools_with_place()
        .await
        .expect("schools")
        .into_iter()
        .find(|s| s.code == "east-01")
        .expect("imported school");
    let page = harness::text(&region, &app.url("/work/registry?edit=east-01")).await;
    for text in [
        "Изменить: МБОУ «Восточная СОШ»",
        r#"name="school_code" type="text" required value="east-01" readonly"#,
        r#"name="municipality_name" type="text" required value="Восточный район""#,
        r#"href="/work/registry?edit=east-02#school-form""#,
    ] {
        assert!(page.contains(text), "«{text}» in {page}");
    }
    let r = region
        .post(app.url("/work/registry/schools"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("region_code", school.region_code.as_str()),
            ("region_name", school.region.as_str()),
            ("municipality_code", "east"),
            ("municipality_name", "Восточный муниципальный округ"),
            ("school_code", "east-01"),
            ("school_name", "МБОУ «Восточная СОШ № 1»"),
        ])
        .send()
        .await
        .expect("request");
    let location = r.headers()[LOCATION].to_str().expect("location").to_owned();
    let html = harness::text(&region, &app.url(&location)).await;
    assert!(html.contains("Сохранено школ: 1."), "{html}");
    let schools = app.storage.schools_with_place().await.expect("schools");
    let renamed = schools
        .iter()
        .find(|s| s.code == "east-01")
        .expect("school");
    assert_eq!(renamed.name, "МБОУ «Восточная СОШ № 1»");
    assert_eq!(renamed.id, school.id, "the same school, renamed");
    let east: Vec<_> = schools
        .iter()
        .filter(|s| s.municipality_code == "east")
        .map(|s| s.municipality.as_str())
        .collect();
    assert_eq!(east.len(), 2);
    assert!(east.iter().all(|m| *m == "Восточный муниципальный округ"));
    app.finish().await;
}

harness::on_both_backends!(an_import_stores_all_rows_or_none_and_names_every_problem);
