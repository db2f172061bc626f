//! The web application: plain routes (health), the Leptos pages and server functions, static
//! files of the site, and the serve loop.

use std::sync::Arc;

use app::overview::{CampaignSummary, Overview, OverviewSource, SchoolRow, SharedOverviewSource};
use app::respond::SharedRespondentSource;
use app::{shell, App, AppError};
use axum::extract::{FromRef, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use serde_json::{json, Value};
use tokio::net::TcpListener;

use surveys::Methodology;

use crate::config::Config;
use crate::error::ServerError;
use crate::respond::{self, CodeCache, Respondents};
use crate::storage::DraftWriter;
use crate::storage::Storage;

/// Shared state of every request.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub storage: Storage,
    pub respondents: Respondents,
}

/// Builds the whole router for a storage, methodology and configuration.
pub fn router(config: &Config, storage: Storage, methodology: Arc<Methodology>) -> Router {
    let leptos_options = LeptosOptions::builder()
        .output_name("orientir")
        .site_root(config.site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .build();
    let respondents = Respondents {
        storage: storage.clone(),
        writer: DraftWriter::spawn(storage.clone()),
        codes: CodeCache::default(),
        methodology,
        today: crate::cli::today,
    };
    let state = AppState {
        leptos_options: leptos_options.clone(),
        storage: storage.clone(),
        respondents: respondents.clone(),
    };
    let overview: SharedOverviewSource = Arc::new(StorageOverview(storage));
    let respondent_source: SharedRespondentSource = Arc::new(respondents);
    let routes = generate_route_list(App);
    Router::new()
        .route("/healthz", get(healthz))
        .route("/enter", get(respond::enter))
        .route("/lang/{code}", get(respond::set_lang))
        .route("/respond/{code}/{page}", post(respond::save_page))
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(overview.clone());
                provide_context(respondent_source.clone());
            },
            move || shell(leptos_options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .with_state(state)
}

/// `GET /healthz`: 200 with the backend and schema version while the database answers.
async fn healthz(
    State(storage): State<Storage>,
) -> Result<Json<Value>, (axum::http::StatusCode, Json<Value>)> {
    match storage.schema_version().await {
        Ok(version) => Ok(Json(json!({
            "status": "ok",
            "backend": storage.backend().name(),
            "schema_version": version,
        }))),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            Err((
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "unavailable", "backend": storage.backend().name() })),
            ))
        }
    }
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

/// Serves until Ctrl-C or SIGTERM.
pub async fn serve(listener: TcpListener, app: Router) -> Result<(), ServerError> {
    axum::serve(listener, app.into_make_service())
        .with_graceful_shutdown(shutdown_signal())
        .await?;
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

/// The home page's data, read from storage.
struct StorageOverview(Storage);

impl StorageOverview {
    async fn load(&self) -> Result<Overview, ServerError> {
        let storage = &self.0;
        let mut campaigns = Vec::new();
        for c in storage.campaigns().await? {
            let total_responses = storage
                .response_counts(c.id)
                .await?
                .iter()
                .map(|(_, _, n)| n)
                .sum();
            let schools = storage
                .campaign_schools(c.id)
                .await?
                .into_iter()
                .map(|s| SchoolRow {
                    code: s.code,
                    name: s.name,
                    municipality: s.municipality,
                })
                .collect();
            campaigns.push(CampaignSummary {
                name: c.name,
                methodology_version: c.methodology_version,
                opens_on: c.opens_on,
                closes_on: c.closes_on,
                total_responses,
                schools,
            });
        }
        Ok(Overview {
            regions: storage.region_names().await?,
            campaigns,
        })
    }
}

#[async_trait::async_trait]
impl OverviewSource for StorageOverview {
    async fn overview(&self) -> Result<Overview, AppError> {
        self.load().await.map_err(|e| internal(&e))
    }
}

/// Logs an internal error under a fresh id and returns the opaque error the user sees.
pub fn internal(error: &ServerError) -> AppError {
    let request_id = format!("{:08x}", rand::random::<u32>());
    tracing::error!(%request_id, error = %error, "internal error");
    AppError::Internal { request_id }
}
