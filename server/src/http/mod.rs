//! The web edge: the router (every plain route, the Leptos pages and server functions, the static
//! files of the site) behind the one access check (`access`), the shared state, the health check
//! and the serve loop.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use app::overview::SharedOverviewSource;
use app::programmes::SharedProgrammeSource;
use app::reports::SharedReportSource;
use app::results::SharedResultsSource;
use app::support::SharedSupportSource;
use app::work::SharedWorkSource;
use app::{shell, App};
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRef, Request, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list_with_exclusions, AxumRouteListing, LeptosRoutes};
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::ServiceExt;

use surveys::Methodology;

use crate::auth::Auth;
use crate::clock;
use crate::config::{Config, TrustedProxies};
use crate::cookies::CookiePolicy;
use crate::coordinators::{accounts, campaigns, code_sheets, publishing, registry, Coordinators};
use crate::development::routes as own_plan;
use crate::error::ServerError;
use crate::exports::raw;
use crate::home::StorageOverview;
use crate::notify::Notifier;
use crate::programmes::document as programme_doc;
use crate::programmes::{evidence, plan, risks, stages, workflow};
use crate::reports::Reports;
use crate::respond::{self, Respondents};
use crate::results;
use crate::results::export as results_export;
use crate::scope::Gate;
use crate::storage::Storage;
use crate::support::{self, Support};
use crate::yardstick::Yardstick;

pub mod access;
mod downloads;
mod edge;
mod guesses;

/// The largest request body, but for the registry's upload (a form page is a few kilobytes).
const BODY_LIMIT: usize = 1 << 20;
/// The largest registry file.
const REGISTRY_UPLOAD_LIMIT: usize = 10 << 20;
/// The largest form with a document (the document and a few text fields).
const UPLOAD_LIMIT: usize = crate::uploads::MAX_FILE + (64 << 10);
/// The largest results file (a region's year: 60,000 rows and more).
const RESULTS_UPLOAD_LIMIT: usize = 32 << 20;

/// Shared state of every request, behind one pointer: axum hands every request its own copy,
/// which then costs one count instead of a copy of every part.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

/// What `AppState` shares; a handler takes a part by its type (`State<Respondents>`, …).
pub struct Shared {
    pub leptos_options: LeptosOptions,
    pub storage: Storage,
    pub gate: Gate,
    pub respondents: Respondents,
    pub auth: Auth,
    pub cookies: CookiePolicy,
    pub proxies: TrustedProxies,
    pub upload_quota: crate::config::UploadQuota,
    pub yardstick: Yardstick,
    pub support: Support,
    pub development: crate::development::Development,
    pub notifier: Notifier,
    pub metrics: Arc<crate::metrics::Metrics>,
    pub metrics_token: Option<crate::config::MetricsToken>,
}

macro_rules! parts {
    ($($field:ident: $part:ty),* $(,)?) => {
        $(impl FromRef<AppState> for $part {
            fn from_ref(state: &AppState) -> $part {
                state.0.$field.clone()
            }
        })*
    };
}

parts!(
    leptos_options: LeptosOptions,
    storage: Storage,
    gate: Gate,
    respondents: Respondents,
    auth: Auth,
    cookies: CookiePolicy,
    proxies: TrustedProxies,
    upload_quota: crate::config::UploadQuota,
    yardstick: Yardstick,
    support: Support,
    development: crate::development::Development,
    notifier: Notifier,
);

/// Builds the whole router for a storage, methodology and configuration.
pub fn router(config: &Config, storage: Storage, methodology: Arc<Methodology>) -> Router {
    router_and_support(config, storage, methodology).0
}

/// The router and the support work it serves (whose notifier the mail sender listens to and
/// whose reminders are swept in the background).
pub fn router_and_support(
    config: &Config,
    storage: Storage,
    methodology: Arc<Methodology>,
) -> (Router, Support) {
    let leptos_options = LeptosOptions::builder()
        .output_name("orientir")
        .site_root(config.site_root.to_string_lossy().into_owned())
        .site_pkg_dir(edge::bundle_folder(&config.site_root))
        .site_addr(config.addr)
        .build();
    let gate = Gate::new(storage.clone(), methodology.clone(), clock::today);
    let results = Yardstick::new(storage.clone(), gate.clone());
    let metrics = Arc::new(crate::metrics::Metrics::default());
    let respondents = Respondents::new(storage.clone(), methodology, config.cookies, clock::today)
        .with_draft_starts(config.drafts_per_address_hour)
        .with_metrics(metrics.clone());
    let notifier = Notifier::new(storage.clone(), &config.public_base());
    let support = Support::new(
        storage.clone(),
        gate.clone(),
        notifier.clone(),
        config.upload_quota,
        clock::today,
        config.mail.is_some(),
    );
    let state = AppState(Arc::new(Shared {
        leptos_options: leptos_options.clone(),
        storage: storage.clone(),
        gate: gate.clone(),
        respondents: respondents.clone(),
        auth: Auth::new(storage.clone(), config.cookies),
        cookies: config.cookies,
        proxies: TrustedProxies(Arc::new(config.trusted_proxies.clone())),
        upload_quota: config.upload_quota,
        yardstick: results.clone(),
        support: support.clone(),
        development: crate::development::Development {
            storage: storage.clone(),
            gate: gate.clone(),
            cookies: config.cookies,
            today: clock::today,
        },
        notifier,
        metrics: metrics.clone(),
        metrics_token: config.metrics_token.clone(),
    }));
    let support_source: SharedSupportSource = Arc::new(support.clone());
    let development_source: app::development::SharedDevelopmentSource = Arc::new(
        crate::development::SharedPlansSource(state.0.development.clone()),
    );
    let results: SharedResultsSource = Arc::new(results);
    let public_url = config.public_base();
    let work: SharedWorkSource = Arc::new(Coordinators {
        storage: storage.clone(),
        gate: gate.clone(),
        cookies: config.cookies,
        public_url,
        audit_days: config.audit_days,
    });
    let programmes: SharedProgrammeSource = Arc::new(crate::programmes::list::Programmes {
        gate: gate.clone(),
        storage: storage.clone(),
        results: state.0.yardstick.clone(),
    });
    let reports: SharedReportSource = Arc::new(Reports {
        gate,
        storage: storage.clone(),
    });
    let overview: SharedOverviewSource = Arc::new(StorageOverview(storage));
    let routes = app_routes();
    let router = Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics_page))
        .route("/export/audit.csv", get(crate::coordinators::audit::csv))
        .route("/enter", get(respond::enter))
        .route("/lang/{code}", get(respond::set_lang))
        .route(respond::PAGES[0], get(respond::start_page))
        .route(respond::PAGES[1], get(respond::section_page))
        .route(respond::PAGES[2], get(respond::thanks_page))
        .route("/respond/{code}/result", post(respond::open_result))
        .route("/respond/{code}/{page}", post(respond::save_page))
        .route("/session", post(accounts::sign_in))
        .route("/work/campaigns", post(campaigns::create))
        .route("/work/campaigns/{id}/publish", post(publishing::publish))
        .route(
            "/work/campaigns/{id}/schools/{school}/codes/replace",
            post(code_sheets::replace),
        )
        .route(
            "/work/campaigns/{id}/schools/{school}/surplus",
            post(publishing::decide_surplus),
        )
        .route(
            "/work/campaigns/{id}/schools/{school}/risks",
            post(risks::choose),
        )
        .route(
            "/work/campaigns/{id}/schools/{school}/risks/drop",
            post(risks::drop),
        )
        .route(
            "/work/campaigns/{id}/schools/{school}/programme/plan",
            post(plan::set_plan),
        )
        .route(
            "/work/campaigns/{id}/schools/{school}/programme/measures",
            post(plan::add_measure),
        )
        .route(
            "/work/campaigns/{id}/schools/{school}/programme/measures/{measure}",
            post(plan::update_measure),
        )
        .route(
            "/work/campaigns/{id}/schools/{school}/programme/measures/{measure}/remove",
            post(plan::remove_measure),
        )
        .route(
            "/work/campaigns/{id}/schools/{school}/programme/targets",
            post(plan::set_target),
        )
        .route(
            "/work/campaigns/{id}/schools/{school}/programme/submit",
            post(workflow::submit),
        )
        .route(
            "/work/campaigns/{id}/schools/{school}/programme/comment",
            post(workflow::comment),
        )
        .route(
            "/work/campaigns/{id}/schools/{school}/programme/return",
            post(workflow::return_it),
        )
        .route(
            "/work/campaigns/{id}/schools/{school}/programme/agree",
            post(workflow::agree),
        )
        .route(
            "/work/campaigns/{id}/schools/{school}/programme/reopen",
            post(workflow::reopen),
        )
        .route(
            "/work/campaigns/{id}/schools/{school}/programme/targets/{target}/remove",
            post(plan::remove_target),
        )
        .route(
            "/work/campaigns/{id}/schools/{school}/programme/result-targets",
            post(plan::set_result_target),
        )
        .route(
            "/work/campaigns/{id}/schools/{school}/programme/result-targets/{target}/remove",
            post(plan::remove_result_target),
        )
        .route(
            "/work/campaigns/{id}/schools/{school}/programme/stages/{stage}",
            post(stages::file_report),
        )
        .route(
            "/work/campaigns/{id}/schools/{school}/programme/stages/{stage}/comment",
            post(stages::comment),
        )
        .route(
            "/work/campaigns/{id}/schools/{school}/programme/measures/{measure}/files",
            post(evidence::upload)
                .layer(DefaultBodyLimit::max(crate::uploads::MAX_FILE + (64 << 10))),
        )
        .route(
            "/work/campaigns/{id}/schools/{school}/programme/files/{file}",
            get(evidence::download),
        )
        .route(
            "/work/campaigns/{id}/schools/{school}/programme/files/{file}/remove",
            post(evidence::remove),
        )
        .route("/work/campaigns/{id}/stages", post(stages::add_stage))
        .route(
            "/export/campaigns/{id}/schools/{school}/programme.docx",
            get(programme_doc::programme_docx),
        )
        .route(
            "/work/campaigns/{id}/stages/{stage}/remove",
            post(stages::remove_stage),
        )
        .route(
            "/work/registry/import",
            post(registry::import).layer(DefaultBodyLimit::max(REGISTRY_UPLOAD_LIMIT)),
        )
        .route("/work/registry/schools", post(registry::add_school))
        .route("/work/registry/agreement", post(workflow::set_agreement))
        .route(
            "/work/results/import",
            post(results::routes::import_results)
                .layer(DefaultBodyLimit::max(RESULTS_UPLOAD_LIMIT)),
        )
        .route("/work/results/cohorts", post(results::routes::set_cohort))
        .route(
            "/work/results/cohorts/import",
            post(results::routes::import_cohorts)
                .layer(DefaultBodyLimit::max(REGISTRY_UPLOAD_LIMIT)),
        )
        .route("/work/results/export.csv", get(results_export::results_csv))
        .route(
            "/work/results/export.xlsx",
            get(results_export::results_xlsx),
        )
        .route(
            "/work/results/codebook.csv",
            get(results_export::codebook_csv),
        )
        .route(
            "/work/results/template/{file}",
            get(results::routes::template),
        )
        .route("/work/registry/template.csv", get(registry::template_csv))
        .route("/work/registry/template.xlsx", get(registry::template_xlsx))
        .route(
            "/work/support/questions",
            post(support::consultations::ask).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route(
            "/work/support/questions/{id}/messages",
            post(support::consultations::message).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route(
            "/work/support/questions/{id}/close",
            post(support::consultations::close),
        )
        .route(
            "/work/support/questions/{id}/publish",
            post(support::consultations::publish),
        )
        .route(
            "/work/support/questions/{id}/unpublish",
            post(support::consultations::unpublish),
        )
        .route(
            "/work/support/target",
            post(support::consultations::set_target),
        )
        .route("/work/support/files/{file}", get(support::files::download))
        .route("/work/support/visits", post(support::visits::create))
        .route(
            "/work/support/visits/{id}/save",
            post(support::visits::update),
        )
        .route(
            "/work/support/visits/{id}/recommendations",
            post(support::visits::recommend),
        )
        .route(
            "/work/support/recommendations/{id}/answer",
            post(support::visits::answer).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route(
            "/work/support/recommendations/{id}/decide",
            post(support::visits::decide),
        )
        .route("/work/events/create", post(support::events::create))
        .route("/work/events/{id}/invite", post(support::events::invite))
        .route(
            "/work/events/{id}/register",
            post(support::events::register),
        )
        .route(
            "/work/events/{id}/attendance",
            post(support::events::attendance),
        )
        .route(
            "/work/events/{id}/materials",
            post(support::events::materials).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route(
            "/work/events/{id}/feedback",
            post(support::events::feedback_step),
        )
        .route("/feedback", get(support::events::feedback_start))
        .route(
            "/export/development.xlsx",
            get(crate::development::demand::xlsx),
        )
        .route("/plan", get(own_plan::show).post(own_plan::open))
        .route("/plan/items", post(own_plan::add))
        .route("/plan/items/{item}", post(own_plan::save))
        .route("/plan/items/{item}/remove", post(own_plan::remove))
        .route("/plan/share", post(own_plan::share))
        .route("/plan/compare", post(own_plan::compare))
        .route("/plan/leave", post(own_plan::leave))
        .route(
            "/feedback/{code}",
            get(support::events::feedback_form).post(support::events::feedback_submit),
        )
        .route("/work/roadmaps/create", post(support::roadmaps::create))
        .route(
            "/work/roadmaps/{id}/tracks",
            post(support::roadmaps::add_track),
        )
        .route(
            "/work/roadmaps/{id}/activities",
            post(support::roadmaps::add_activity),
        )
        .route(
            "/work/roadmaps/{id}/activities/{activity}",
            post(support::roadmaps::update_activity),
        )
        .route(
            "/work/roadmaps/{id}/activities/{activity}/files",
            post(support::roadmaps::activity_file).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route(
            "/export/roadmaps/{id}/roadmap.docx",
            get(crate::support::roadmap_doc::roadmap_docx),
        )
        .route("/work/inbox/read", post(support::inbox::read))
        .route("/work/inbox/settings", post(support::inbox::settings))
        .route("/session/end", post(accounts::sign_out))
        .route("/account/password", post(accounts::change_password))
        .route("/admin/users/new", post(accounts::create_user))
        .route("/admin/users/{id}/active", post(accounts::set_active))
        .route("/admin/users/{id}/lift", post(accounts::lift_wait))
        .route(
            "/export/campaigns/{id}/matrix.xlsx",
            get(downloads::matrix_xlsx),
        )
        .route(
            "/export/campaigns/{id}/responses.csv",
            get(raw::responses_csv),
        )
        .route(
            "/export/campaigns/{id}/responses.xlsx",
            get(raw::responses_xlsx),
        )
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(overview.clone());
                provide_context(work.clone());
                provide_context(reports.clone());
                provide_context(programmes.clone());
                provide_context(results.clone());
                provide_context(support_source.clone());
                provide_context(development_source.clone());
            },
            move || shell(leptos_options.clone()),
        )
        // One access check in front of every route above (not the static files below).
        .route_layer(axum::middleware::from_fn_with_state(
            access::Gatekeeper {
                auth: state.0.auth.clone(),
                storage: state.0.storage.clone(),
                proxies: state.0.proxies.clone(),
            },
            access::authorize,
        ))
        // Outside it, the throttle on guessing access codes.
        .route_layer(axum::middleware::from_fn_with_state(
            guesses::GuessCheck {
                guesses: guesses::Guesses::default(),
                respondents: state.0.respondents.clone(),
                proxies: state.0.proxies.clone(),
            },
            guesses::throttle,
        ))
        // The static files: the browser bundle and the questionnaires' rules.
        .nest_service("/pkg", edge::bundle(&config.site_root.join("pkg")))
        .route("/respond/rules/{file}", get(respond::rules_file))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state);
    (edge::wrap(router, config.cookies.secure, metrics), support)
}

/// The app's pages as Leptos lists them, the respondent's pages marked excluded (their own
/// handlers render them, `respond::pages`); listed once per process.
///
/// Leptos lists an app's routes by rendering it with every resource *of the process* held back:
/// one process-wide flag (`leptos_server`'s `SuppressResourceLoad`) is set meanwhile, and a
/// resource that starts in that window — a coordinator page of a server already serving in the
/// same process — waits forever, and its page is never answered. Listed once, before the first
/// router of the process exists, no page can fall in that window (test `api::in_process`).
fn app_routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES
        .get_or_init(|| {
            let excluded = respond::PAGES.iter().map(|p| (*p).to_owned()).collect();
            generate_route_list_with_exclusions(App, Some(excluded))
        })
        .clone()
}

/// The paths of the Leptos pages and server functions, as the router matches them (the access
/// rules must name every one).
pub fn generated_routes() -> Vec<String> {
    let mut paths: Vec<String> = app_routes().iter().map(|r| r.path().to_owned()).collect();
    paths.extend(leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path.to_owned()));
    paths.sort();
    paths.dedup();
    paths
}

/// `GET /healthz`: 200 with the backend and schema version while the database answers.
/// Public, so it says only whether the database answers (no backend, no version).
async fn healthz(
    State(storage): State<Storage>,
) -> Result<Json<Value>, (axum::http::StatusCode, Json<Value>)> {
    match storage.schema_version().await {
        Ok(_) => Ok(Json(json!({ "status": "ok" }))),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            Err((
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "unavailable" })),
            ))
        }
    }
}

/// `GET /metrics`: Prometheus' text format for whoever brings the configured token
/// (`Authorization: Bearer …`); 404 without a token configured, 401 without the right one.
async fn metrics_page(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
) -> Result<axum::response::Response, ServerError> {
    use axum::http::{header, StatusCode};
    use axum::response::IntoResponse;
    let Some(token) = &state.0.metrics_token else {
        return Err(ServerError::NotFound);
    };
    let offered = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    if !token.admits(offered) {
        return Ok((
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "a metrics token is needed",
        )
            .into_response());
    }
    let gauges = state.0.storage.gauges().await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        state.0.metrics.render(&gauges),
    )
        .into_response())
}

/// Binds the listener; a taken port or a bad address is a clear error.
pub async fn bind(config: &Config) -> Result<TcpListener, ServerError> {
    TcpListener::bind(config.addr)
        .await
        .map_err(|source| ServerError::Bind {
            addr: config.addr.to_string(),
            source,
        })
}

pub use crate::config::HEAD_TIMEOUT;

/// Serves until Ctrl-C or SIGTERM, then lets the requests in flight finish; a connection that
/// does not send a request's head within `head_timeout` is closed.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    head_timeout: Duration,
) -> Result<(), ServerError> {
    // Connections watch `stop` and hold a clone of `done` until they end.
    let (stop, _) = watch::channel(());
    let (done, all_done) = watch::channel(());
    let mut shutdown = std::pin::pin!(shutdown_signal());
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors, say: wait a moment instead of spinning.
                    tracing::warn!("cannot accept a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let app = app.clone();
        // The peer address is used only to limit failed sign-ins and code guesses; it is never
        // stored.
        let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            app.clone().oneshot(request)
        });
        let mut stopping = stop.subscribe();
        let holds = all_done.clone();
        tokio::spawn(async move {
            let mut builder = http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(head_timeout);
            let mut connection =
                std::pin::pin!(builder.serve_connection(TokioIo::new(stream), service));
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = stopping.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
            drop(holds);
        });
    }
    drop(all_done);
    let _ = stop.send(());
    done.closed().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

#[cfg(test)]
mod tests {
    use std::future::IntoFuture;
    use std::sync::mpsc;
    use std::time::Duration;

    use leptos::prelude::*;
    use leptos::reactive::owner::Owner;

    /// Why `app_routes` lists once per process, reproduced with Leptos alone: a resource that
    /// starts on any thread while Leptos lists an app's routes on another never loads, not even
    /// after the listing has ended. (Should a Leptos upgrade make this fail, the listing may move
    /// back into `router`.)
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_resource_started_while_routes_are_listed_never_loads() {
        let (listing, inside) = mpsc::channel();
        let (release, released) = mpsc::channel::<()>();
        let released = std::sync::Arc::new(std::sync::Mutex::new(released));
        let lister = std::thread::spawn(move || {
            leptos_axum::generate_route_list(move || {
                // Rendered for the listing: wait here until the other side has started.
                listing.send(()).expect("the test waits");
                released
                    .lock()
                    .expect("one listing")
                    .recv()
                    .expect("the test releases");
                view! { <p>"listed"</p> }
            })
        });
        inside.recv().expect("the listing renders the app");

        let owner = Owner::new_root(None);
        let loaded = owner.with(|| ArcResource::new(|| (), |()| async { 42 }));
        // Its fetcher is polled on the runtime's threads while the listing still runs.
        tokio::time::sleep(Duration::from_millis(200)).await;
        release.send(()).expect("the lister waits");
        lister.join().expect("the listing ends");

        let outcome = tokio::time::timeout(Duration::from_secs(2), loaded.into_future()).await;
        assert!(outcome.is_err(), "the resource loaded: {outcome:?}");

        // A resource started after the listing loads as usual.
        let later = owner.with(|| ArcResource::new(|| (), |()| async { 42 }));
        let outcome = tokio::time::timeout(Duration::from_secs(2), later.into_future()).await;
        assert_eq!(outcome.ok(), Some(42));
    }
}
