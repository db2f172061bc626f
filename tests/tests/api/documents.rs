//! A programme as schools file it: printable on A4 and downloadable as DOCX — title block,
//! chosen risks with their reasoning, the measures table, the targets and the agreement block
//! with its dates — read back from the file; only for whoever sees the school.

use harness::{Backend, TestApp};
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use reqwest::StatusCode;

use super::exports::part;
use super::programmes::{post, profile, programme_json, text};

/// The text of a DOCX's body, without its markup.
fn body_text(bytes: &[u8]) -> String {
    let xml = part(bytes, "word/document.xml");
    let mut out = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

async fn a_programme_prints_on_a4_and_downloads_as_docx(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let closed = app.previous_demo_campaign().await;
    let (_, own) = app.demo_school("demo-01").await;
    let base = format!("/work/campaigns/{closed}/schools/{own}/programme");
    let docx = format!("/export/campaigns/{closed}/schools/{own}/programme.docx");
    let (school, csrf) = app.sign_in("school").await;
    // No programme yet: nothing to download.
    let r = school.get(app.url(&docx)).send().await.expect("docx");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let suggestion =
        &profile(&school, &app, closed, own).await["report"]["risks"]["suggestions"][0];
    let factor = suggestion["factor"].as_str().expect("factor").to_owned();
    post(
        &school,
        &app,
        &format!("/work/campaigns/{closed}/schools/{own}/risks"),
        &[
            ("_csrf", &csrf),
            ("factor", &factor),
            ("reasoning", "Низкая учебная мотивация в 7-х классах"),
        ],
    )
    .await;
    post(
        &school,
        &app,
        &format!("{base}/measures"),
        &[
            ("_csrf", &csrf),
            ("factor", &factor),
            ("action", "Проектная неделя для 7-х классов"),
            ("responsible_role", "Заместитель директора"),
            ("responsible_name", "Е. В. Орлова"),
            ("starts_on", "2026-09-01"),
            ("due_on", "2026-10-15"),
        ],
    )
    .await;
    let programme = programme_json(&school, &app, closed, own).await;
    let indicator = programme["report"]["risks"][0]["indicators"][0].clone();
    let indicator_key = indicator["key"].as_str().expect("key").to_owned();
    post(
        &school,
        &app,
        &format!("{base}/targets"),
        &[
            ("_csrf", &csrf),
            ("factor", &factor),
            ("indicator", &indicator_key),
            ("target", "12"),
        ],
    )
    .await;
    let shown_target = programme_json(&school, &app, closed, own).await["report"]["risks"][0]
        ["targets"][0]["target"]
        .as_str()
        .expect("the target as shown")
        .to_owned();
    // A draft prints with an empty agreement block.
    let bytes = school
        .get(app.url(&docx))
        .send()
        .await
        .expect("docx")
        .bytes()
        .await
        .expect("bytes");
    assert!(body_text(&bytes).contains("Программа ещё не отправлена на согласование."));
    post(
        &school,
        &app,
        &format!("{base}/submit"),
        &[("_csrf", &csrf)],
    )
    .await;
    let (curator, curator_csrf) = app.sign_in("curator").await;
    post(
        &curator,
        &app,
        &format!("{base}/agree"),
        &[("_csrf", &curator_csrf)],
    )
    .await;

    let r = school.get(app.url(&docx)).send().await.expect("docx");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()[CONTENT_TYPE],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    assert!(r.headers()[CONTENT_DISPOSITION]
        .to_str()
        .expect("ascii")
        .contains(".docx"));
    let bytes = r.bytes().await.expect("bytes").to_vec();
    // Word's own structure: it reads back as a document, on A4.
    let read = docx_rs::read_docx(&bytes).expect("a DOCX that reads back");
    assert!(!read.document.children.is_empty());
    assert!(
        part(&bytes, "word/document.xml").contains("w:w=\"11906\""),
        "A4 width"
    );
    let body = body_text(&bytes);
    for expected in [
        "Антирисковая программа",
        "СОШ",
        "Низкая учебная мотивация в 7-х классах",
        "Проектная неделя для 7-х классов",
        "Заместитель директора — Е. В. Орлова",
        "2026-09-01 — 2026-10-15",
        shown_target.as_str(),
        indicator["name"].as_str().expect("name"),
        "Согласование",
        "отправлена на согласование — Школа (демо)",
        "согласована — Куратор (демо)",
        "Руководитель образовательной организации",
    ] {
        assert!(body.contains(expected), "{expected:?} not in {body}");
    }
    // The same document on A4 in the browser, without forms.
    let page = text(&school, &app, &format!("{base}/print")).await;
    assert!(
        page.contains("class=\"programme-doc\"")
            && page.contains("Проектная неделя для 7-х классов")
    );
    assert!(page.contains("согласована — Куратор (демо)"));
    let document = page
        .split_once("class=\"programme-doc\"")
        .and_then(|(_, rest)| rest.split_once("</article>"))
        .map(|(doc, _)| doc)
        .expect("the document");
    assert!(!document.contains("<form"), "nothing to click on paper");
    let css = text(&school, &app, "/pkg/work.css").await;
    // The served stylesheet is minified (the release bundle): spaces go, the rule stays.
    let css: String = css.split_whitespace().collect();
    assert!(css.contains("@page{size:A4;"), "{css}");
    // Nobody outside the school's scope downloads it.
    let other = app.demo_school("demo-02").await.1;
    let r = school
        .get(app.url(&format!(
            "/export/campaigns/{closed}/schools/{other}/programme.docx"
        )))
        .send()
        .await
        .expect("docx");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    app.finish().await;
}

harness::on_both_backends!(a_programme_prints_on_a4_and_downloads_as_docx,);
