//! Every route with every role: who is let through and who is refused. The expectations are
//! written here independently of the server's rule table, and the test fails when a page, a
//! server function or a handler exists without a rule (or a rule without a route).

use std::collections::BTreeSet;

use harness::{Backend, TestApp};
use reqwest::header::LOCATION;
use reqwest::{Method, StatusCode};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anyone,
    /// No account: a monitoring system's token.
    Token,
    /// Any account, a methodist's too (its own account and start page).
    Account,
    /// Any coordinator's account: every account but the methodists'.
    SignedIn,
    /// A school's or a municipality's methodist (the plans shared with them).
    Methodists,
    /// Admin, regional and municipal coordinators and the municipal methodist (the demand for
    /// professional development).
    Planners,
    Admin,
    /// Admin and regional coordinators (raw exports, setting up and publishing campaigns).
    Raw,
    /// Admin, regional and municipal coordinators (decisions on a group code's surplus).
    Deciders,
    /// Admin, curators and schools (a school's anti-risk programme).
    ProgrammeWriters,
    /// Admin, curators and municipal coordinators (agreeing a programme).
    Agreers,
    /// Admin and schools (a school's access codes).
    CodeHolders,
    /// Admin, curators and municipal coordinators (visits, recommendations).
    Supporters,
    /// Admin, curators, municipal coordinators and schools (a question's thread).
    Thread,
    /// Admin, regional and municipal coordinators (events, roadmaps).
    Organisers,
    /// A school's own account (asking, registering, answering a recommendation).
    School,
}

/// (method, route pattern, who may use it, form body).
const EXPECTED: &[(&str, &str, Who, &str)] = &[
    ("GET", "/", Who::Anyone, ""),
    ("GET", "/healthz", Who::Anyone, ""),
    ("GET", "/metrics", Who::Token, ""),
    ("GET", "/enter", Who::Anyone, ""),
    ("GET", "/lang/{code}", Who::Anyone, ""),
    ("GET", "/s/{code}", Who::Anyone, ""),
    ("GET", "/s/{code}/p/{page}", Who::Anyone, ""),
    ("GET", "/s/{code}/thanks", Who::Anyone, ""),
    ("POST", "/respond/{code}/{page}", Who::Anyone, "_go=back"),
    (
        "POST",
        "/respond/{code}/result",
        Who::Anyone,
        "key=ABCD-EFGH-JKMN",
    ),
    ("POST", "/api/overview", Who::Anyone, ""),
    ("POST", "/api/whoami", Who::Anyone, ""),
    ("POST", "/api/login-token", Who::Anyone, ""),
    ("GET", "/login", Who::Anyone, ""),
    (
        "POST",
        "/session",
        Who::Anyone,
        "login=nobody&password=wrong-password",
    ),
    ("GET", "/account", Who::Account, ""),
    (
        "POST",
        "/account/password",
        Who::Account,
        "current=wrong&new=short",
    ),
    ("GET", "/work", Who::Account, ""),
    ("POST", "/api/work-home", Who::Account, ""),
    ("GET", "/work/campaigns/{id}/monitor", Who::SignedIn, ""),
    ("GET", "/work/campaigns/{id}/matrix", Who::SignedIn, ""),
    ("GET", "/work/campaigns/{id}/programmes", Who::SignedIn, ""),
    ("GET", "/work/campaigns/{id}/overview", Who::SignedIn, ""),
    (
        "GET",
        "/work/campaigns/{id}/schools/{school}",
        Who::SignedIn,
        "",
    ),
    ("POST", "/api/work-monitor", Who::SignedIn, "campaign={id}"),
    (
        "POST",
        "/api/work-programmes",
        Who::SignedIn,
        "campaign={id}",
    ),
    ("POST", "/api/work-overview", Who::SignedIn, "campaign={id}"),
    ("POST", "/api/work-schools", Who::SignedIn, "text=demo"),
    (
        "POST",
        "/api/work-risks",
        Who::SignedIn,
        "campaign={id}&school=1",
    ),
    ("GET", "/work/change", Who::SignedIn, ""),
    ("GET", "/work/campaigns/new", Who::Raw, ""),
    ("GET", "/work/registry", Who::Raw, ""),
    ("POST", "/work/registry/import", Who::Raw, ""),
    ("POST", "/work/registry/schools", Who::Raw, "school_code="),
    (
        "POST",
        "/work/registry/agreement",
        Who::Raw,
        "region=999&agreement=both",
    ),
    ("GET", "/work/registry/template.csv", Who::Raw, ""),
    ("GET", "/work/registry/template.xlsx", Who::Raw, ""),
    ("POST", "/api/work-new-campaign", Who::Raw, ""),
    ("POST", "/work/campaigns", Who::Raw, "name="),
    ("POST", "/work/campaigns/{id}/publish", Who::Raw, ""),
    (
        "POST",
        "/work/campaigns/{id}/schools/{school}/surplus",
        Who::Deciders,
        "group=student&decision=admit",
    ),
    (
        "POST",
        "/work/campaigns/{id}/schools/{school}/risks",
        Who::ProgrammeWriters,
        "factor=RF01&reasoning=x",
    ),
    (
        "POST",
        "/work/campaigns/{id}/schools/{school}/risks/drop",
        Who::ProgrammeWriters,
        "factor=RF01",
    ),
    (
        "GET",
        "/work/campaigns/{id}/schools/{school}/programme",
        Who::SignedIn,
        "",
    ),
    (
        "POST",
        "/api/work-programme",
        Who::SignedIn,
        "campaign={id}&school={school}",
    ),
    (
        "POST",
        "/work/campaigns/{id}/schools/{school}/programme/plan",
        Who::ProgrammeWriters,
        "factor=RF01&goal=&tasks=",
    ),
    (
        "POST",
        "/work/campaigns/{id}/schools/{school}/programme/measures",
        Who::ProgrammeWriters,
        "factor=RF01&action=x",
    ),
    (
        "POST",
        "/work/campaigns/{id}/schools/{school}/programme/measures/{measure}",
        Who::ProgrammeWriters,
        "factor=RF01&action=x",
    ),
    (
        "POST",
        "/work/campaigns/{id}/schools/{school}/programme/measures/{measure}/remove",
        Who::ProgrammeWriters,
        "",
    ),
    (
        "POST",
        "/work/campaigns/{id}/schools/{school}/programme/targets",
        Who::ProgrammeWriters,
        "factor=RF01&indicator=x&target=1",
    ),
    (
        "POST",
        "/work/campaigns/{id}/schools/{school}/programme/targets/{target}/remove",
        Who::ProgrammeWriters,
        "",
    ),
    (
        "POST",
        "/work/campaigns/{id}/schools/{school}/programme/submit",
        Who::ProgrammeWriters,
        "",
    ),
    (
        "POST",
        "/work/campaigns/{id}/schools/{school}/programme/reopen",
        Who::ProgrammeWriters,
        "",
    ),
    (
        "POST",
        "/work/campaigns/{id}/schools/{school}/programme/comment",
        Who::Agreers,
        "comment=x",
    ),
    (
        "POST",
        "/work/campaigns/{id}/schools/{school}/programme/return",
        Who::Agreers,
        "comment=x",
    ),
    (
        "POST",
        "/work/campaigns/{id}/schools/{school}/programme/agree",
        Who::Agreers,
        "",
    ),
    ("GET", "/work/effectiveness", Who::Deciders, ""),
    ("GET", "/work/results", Who::Deciders, ""),
    ("POST", "/api/work-results", Who::Deciders, ""),
    ("POST", "/work/results/import", Who::Raw, ""),
    (
        "POST",
        "/work/results/cohorts",
        Who::Raw,
        "school=1&category=low_results&year=2026&action=add",
    ),
    ("POST", "/work/results/cohorts/import", Who::Raw, ""),
    ("GET", "/work/results/template/{file}", Who::Raw, ""),
    ("GET", "/work/results/export.csv", Who::Deciders, ""),
    ("GET", "/work/results/export.xlsx", Who::Deciders, ""),
    ("GET", "/work/results/codebook.csv", Who::Deciders, ""),
    ("GET", "/work/schools/{school}", Who::SignedIn, ""),
    ("POST", "/api/work-school-card", Who::SignedIn, "school=1"),
    (
        "POST",
        "/work/campaigns/{id}/schools/{school}/programme/result-targets",
        Who::ProgrammeWriters,
        "factor=RF01&choice=vpr-rus-5:fail&target=10&year=2027",
    ),
    (
        "POST",
        "/work/campaigns/{id}/schools/{school}/programme/result-targets/{target}/remove",
        Who::ProgrammeWriters,
        "",
    ),
    (
        "GET",
        "/export/campaigns/{id}/schools/{school}/programme.docx",
        Who::SignedIn,
        "",
    ),
    (
        "GET",
        "/work/campaigns/{id}/schools/{school}/programme/print",
        Who::SignedIn,
        "",
    ),
    ("POST", "/api/work-effectiveness", Who::Deciders, ""),
    (
        "POST",
        "/work/campaigns/{id}/schools/{school}/programme/stages/{stage}",
        Who::ProgrammeWriters,
        "analysis=x",
    ),
    (
        "POST",
        "/work/campaigns/{id}/schools/{school}/programme/stages/{stage}/comment",
        Who::Agreers,
        "comment=x",
    ),
    (
        "POST",
        "/work/campaigns/{id}/schools/{school}/programme/measures/{measure}/files",
        Who::ProgrammeWriters,
        "",
    ),
    (
        "GET",
        "/work/campaigns/{id}/schools/{school}/programme/files/{file}",
        Who::SignedIn,
        "",
    ),
    (
        "POST",
        "/work/campaigns/{id}/schools/{school}/programme/files/{file}/remove",
        Who::ProgrammeWriters,
        "",
    ),
    (
        "POST",
        "/work/campaigns/{id}/stages",
        Who::Raw,
        "title=x&due_on=2027-01-01",
    ),
    (
        "POST",
        "/work/campaigns/{id}/stages/{stage}/remove",
        Who::Raw,
        "",
    ),
    (
        "GET",
        "/work/campaigns/{id}/schools/{school}/codes",
        Who::CodeHolders,
        "",
    ),
    (
        "POST",
        "/work/campaigns/{id}/schools/{school}/codes/replace",
        Who::CodeHolders,
        "access_code=NO-SUCH-CODE",
    ),
    (
        "POST",
        "/api/work-codes",
        Who::CodeHolders,
        "campaign={id}&school={school}",
    ),
    ("POST", "/api/work-change", Who::SignedIn, ""),
    (
        "GET",
        "/export/campaigns/{id}/matrix.xlsx",
        Who::SignedIn,
        "",
    ),
    (
        "GET",
        "/export/campaigns/{id}/responses.csv?group=student",
        Who::Raw,
        "",
    ),
    (
        "GET",
        "/export/campaigns/{id}/responses.xlsx?group=student",
        Who::Raw,
        "",
    ),
    ("POST", "/api/work-matrix", Who::SignedIn, "campaign={id}"),
    ("GET", "/work/campaigns/{id}/quality", Who::Raw, ""),
    ("POST", "/api/work-quality", Who::Raw, "campaign={id}"),
    (
        "POST",
        "/api/work-profile",
        Who::SignedIn,
        "campaign={id}&school={school}",
    ),
    ("GET", "/admin/users", Who::Admin, ""),
    ("POST", "/api/admin-users", Who::Admin, ""),
    (
        "POST",
        "/admin/users/new",
        Who::Admin,
        "login=&name=&password=&role=admin",
    ),
    (
        "POST",
        "/admin/users/{id}/active",
        Who::Admin,
        "active=true",
    ),
    ("POST", "/admin/users/{id}/lift", Who::Admin, ""),
    ("GET", "/work/audit", Who::Admin, ""),
    ("POST", "/api/work-audit", Who::Admin, ""),
    ("GET", "/export/audit.csv", Who::Admin, ""),
    ("GET", "/work/support", Who::SignedIn, ""),
    ("POST", "/api/work-support", Who::SignedIn, ""),
    ("POST", "/api/work-support-summary", Who::SignedIn, ""),
    ("POST", "/work/support/questions", Who::School, ""),
    ("GET", "/work/support/questions/{id}", Who::SignedIn, ""),
    ("POST", "/api/work-question", Who::SignedIn, "id=1"),
    (
        "POST",
        "/work/support/questions/{id}/messages",
        Who::Thread,
        "",
    ),
    (
        "POST",
        "/work/support/questions/{id}/close",
        Who::School,
        "",
    ),
    (
        "POST",
        "/work/support/questions/{id}/publish",
        Who::Raw,
        "kb_question=x&kb_answer=y",
    ),
    (
        "POST",
        "/work/support/questions/{id}/unpublish",
        Who::Raw,
        "",
    ),
    (
        "POST",
        "/work/support/target",
        Who::Raw,
        "region=999&days=3",
    ),
    ("GET", "/work/support/files/{file}", Who::SignedIn, ""),
    ("GET", "/work/knowledge", Who::SignedIn, ""),
    ("POST", "/api/work-knowledge", Who::SignedIn, ""),
    (
        "POST",
        "/work/support/visits",
        Who::Supporters,
        "school=999999&day=2026-01-01&mode=online&status=planned&purpose=x",
    ),
    ("GET", "/work/support/visits/{id}", Who::SignedIn, ""),
    ("POST", "/api/work-visit", Who::SignedIn, "id=1"),
    (
        "POST",
        "/work/support/visits/{id}/save",
        Who::Supporters,
        "day=x&mode=x&status=x&purpose=x",
    ),
    (
        "POST",
        "/work/support/visits/{id}/recommendations",
        Who::Supporters,
        "body=x&due_on=x&responsible=x",
    ),
    (
        "POST",
        "/work/support/recommendations/{id}/answer",
        Who::School,
        "",
    ),
    (
        "POST",
        "/work/support/recommendations/{id}/decide",
        Who::Supporters,
        "decision=accept",
    ),
    ("GET", "/work/events", Who::SignedIn, ""),
    ("POST", "/api/work-events", Who::SignedIn, ""),
    (
        "POST",
        "/work/events/create",
        Who::Organisers,
        "organiser=x&title=&format=x&starts_on=&ends_on=",
    ),
    ("GET", "/work/events/{id}", Who::SignedIn, ""),
    ("POST", "/api/work-event", Who::SignedIn, "id=1"),
    (
        "POST",
        "/work/events/{id}/invite",
        Who::Organisers,
        "by=codes&codes=",
    ),
    (
        "POST",
        "/work/events/{id}/register",
        Who::School,
        "teachers=1",
    ),
    ("POST", "/work/events/{id}/attendance", Who::Organisers, ""),
    ("POST", "/work/events/{id}/materials", Who::Organisers, ""),
    (
        "POST",
        "/work/events/{id}/feedback",
        Who::Organisers,
        "step=open",
    ),
    ("GET", "/work/roadmaps", Who::SignedIn, ""),
    ("POST", "/api/work-roadmaps", Who::SignedIn, ""),
    (
        "POST",
        "/work/roadmaps/create",
        Who::Organisers,
        "owner=x&year=2026&title=",
    ),
    ("GET", "/work/roadmaps/{id}", Who::SignedIn, ""),
    ("GET", "/work/roadmaps/{id}/print", Who::SignedIn, ""),
    ("POST", "/api/work-roadmap", Who::SignedIn, "id=1"),
    (
        "POST",
        "/work/roadmaps/{id}/tracks",
        Who::Organisers,
        "title=x",
    ),
    (
        "POST",
        "/work/roadmaps/{id}/activities",
        Who::Organisers,
        "track=1&title=x&starts_on=x&due_on=x&responsible=x",
    ),
    (
        "POST",
        "/work/roadmaps/{id}/activities/{activity}",
        Who::Organisers,
        "track=1&title=x&starts_on=x&due_on=x&responsible=x",
    ),
    (
        "POST",
        "/work/roadmaps/{id}/activities/{activity}/files",
        Who::Organisers,
        "",
    ),
    (
        "GET",
        "/export/roadmaps/{id}/roadmap.docx",
        Who::SignedIn,
        "",
    ),
    ("GET", "/work/inbox", Who::SignedIn, ""),
    ("POST", "/api/work-inbox", Who::SignedIn, ""),
    ("POST", "/work/inbox/read", Who::SignedIn, ""),
    (
        "POST",
        "/work/inbox/settings",
        Who::SignedIn,
        "email=not-an-address",
    ),
    ("GET", "/feedback", Who::Anyone, ""),
    ("GET", "/feedback/{code}", Who::Anyone, ""),
    ("GET", "/plan", Who::Anyone, ""),
    ("POST", "/plan", Who::Anyone, "key=ABCD-EFGH-JKMN"),
    ("POST", "/plan/items", Who::Anyone, "title=x"),
    ("POST", "/plan/items/{item}", Who::Anyone, "status=done"),
    ("POST", "/plan/items/{item}/remove", Who::Anyone, ""),
    ("POST", "/plan/share", Who::Anyone, "reader=school&share=on"),
    ("POST", "/plan/compare", Who::Anyone, "key=ABCD-EFGH-JKMN"),
    ("POST", "/plan/leave", Who::Anyone, ""),
    ("GET", "/work/plans", Who::Methodists, ""),
    ("POST", "/api/work-plans", Who::Methodists, ""),
    ("GET", "/work/development", Who::Planners, ""),
    ("POST", "/api/work-development", Who::Planners, ""),
    ("GET", "/export/development.xlsx", Who::Planners, ""),
    // Last: it ends the session.
    ("POST", "/session/end", Who::Account, ""),
];

#[test]
fn every_route_has_a_rule_and_an_expectation() {
    let ruled: BTreeSet<&str> = server::http::access::RULES.iter().map(|r| r.path).collect();
    let expected: BTreeSet<&str> = EXPECTED
        .iter()
        .map(|e| e.1.split('?').next().unwrap_or(e.1))
        .collect();
    let generated = server::http::generated_routes();
    let missing: Vec<&String> = generated
        .iter()
        .filter(|p| !ruled.contains(p.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "routes without an access rule: {missing:?}"
    );
    assert_eq!(ruled, expected, "the rule table and this test disagree");
}

const METRICS_TOKEN: &str = "a-scraper-token-of-32-characters";

fn allowed(status: StatusCode, location: Option<&str>) -> bool {
    status != StatusCode::UNAUTHORIZED
        && status != StatusCode::FORBIDDEN
        && !location.is_some_and(|l| l.starts_with("/login?next="))
}

async fn walk(backend: Backend) {
    // With a metrics token configured: no session opens `/metrics` without it.
    let app = TestApp::spawn_configured(backend, |c| {
        c.metrics_token = Some(server::config::MetricsToken::new(METRICS_TOKEN).expect("token"));
    })
    .await
    .with_demo()
    .await;
    let code = app.demo_code("demo-01", "student").await;
    let users = [
        None,
        Some("admin"),
        Some("region"),
        Some("north"),
        Some("curator"),
        Some("school"),
        Some("methodist"),
        Some("north-methodist"),
    ];
    let mut wrong = Vec::new();
    for user in users {
        let (client, csrf) = match user {
            Some(login) => app.sign_in(login).await,
            None => (harness::client(), String::new()),
        };
        for (method, pattern, who, body) in EXPECTED {
            let path = pattern
                .replace("{code}", &code)
                .replace("{page}", "1")
                .replace("{id}", "1")
                .replace("{school}", "1")
                .replace("{measure}", "1")
                .replace("{target}", "1")
                .replace("{stage}", "1")
                .replace("{file}", "1")
                .replace("{activity}", "1")
                .replace("{item}", "1");
            let mut request = client.request(
                Method::from_bytes(method.as_bytes()).expect("method"),
                app.url(&path),
            );
            if *method == "POST" {
                let mut form = body
                    .replace("{code}", &code)
                    .replace("{id}", "1")
                    .replace("{school}", "1");
                if !csrf.is_empty() {
                    form.push_str(&format!("&_csrf={csrf}"));
                }
                request = request
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(form);
            }
            let response = request.send().await.unwrap_or_else(|e| {
                panic!("{} {method} {pattern}: {e}", user.unwrap_or("anonymous"))
            });
            let status = response.status();
            let location = response
                .headers()
                .get(LOCATION)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let may = match who {
                Who::Anyone => true,
                Who::Token => false,
                Who::Account => user.is_some(),
                Who::SignedIn => user.is_some_and(|u| !u.ends_with("methodist")),
                Who::Methodists => user.is_some_and(|u| u.ends_with("methodist")),
                Who::Planners => {
                    matches!(user, Some("admin" | "region" | "north" | "north-methodist"))
                }
                Who::Admin => user == Some("admin"),
                Who::Raw => matches!(user, Some("admin" | "region")),
                Who::Deciders => matches!(user, Some("admin" | "region" | "north")),
                Who::ProgrammeWriters => matches!(user, Some("admin" | "curator" | "school")),
                Who::Agreers => matches!(user, Some("admin" | "curator" | "north")),
                Who::CodeHolders => matches!(user, Some("admin" | "school")),
                Who::Supporters => matches!(user, Some("admin" | "curator" | "north")),
                Who::Thread => matches!(user, Some("admin" | "curator" | "north" | "school")),
                Who::Organisers => matches!(user, Some("admin" | "region" | "north")),
                Who::School => user == Some("school"),
            };
            if allowed(status, location.as_deref()) != may {
                wrong.push(format!(
                    "{} {method} {pattern}: {status} {location:?}, expected {}",
                    user.unwrap_or("anonymous"),
                    if may { "allowed" } else { "refused" }
                ));
            }
        }
    }
    app.finish().await;
    assert!(wrong.is_empty(), "access matrix:\n{}", wrong.join("\n"));
}

async fn a_form_without_the_session_token_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let (client, csrf) = app.sign_in("north").await;
    let without = client
        .post(app.url("/session/end"))
        .form(&[("x", "1")])
        .send()
        .await
        .expect("request");
    assert_eq!(without.status(), StatusCode::FORBIDDEN);
    let forged = client
        .post(app.url("/session/end"))
        .form(&[("_csrf", "0123456789abcdef0123456789abcdef")])
        .send()
        .await
        .expect("request");
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    // Still signed in; with the token the form works.
    let page = client.get(app.url("/work")).send().await.expect("work");
    assert_eq!(page.status(), StatusCode::OK);
    let with = client
        .post(app.url("/session/end"))
        .form(&[("_csrf", csrf.as_str())])
        .send()
        .await
        .expect("request");
    assert_eq!(with.status(), StatusCode::SEE_OTHER);
    app.finish().await;
}

harness::on_both_backends!(walk, a_form_without_the_session_token_is_refused);
