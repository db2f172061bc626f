//! The region overview shown on the home page, and the port through which the server provides it.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::i18n::Lang;

/// A school taking part in a campaign. Its response count is deliberately absent: the home page
/// is public, and per-school counts belong to coordinators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchoolRow {
    pub code: String,
    pub name: String,
    pub municipality: String,
}

/// A campaign with its schools.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignSummary {
    pub name: String,
    pub methodology_version: String,
    pub opens_on: String,
    pub closes_on: String,
    pub schools: Vec<SchoolRow>,
}

/// What the home page shows: the regions and their campaigns.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Overview {
    pub regions: Vec<String>,
    pub campaigns: Vec<CampaignSummary>,
}

/// The data the UI needs from the server's storage. The server implements it and provides it as
/// context; the UI never depends on the server crate.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait OverviewSource: Send + Sync {
    async fn overview(&self) -> Result<Overview, AppError>;
}

/// The shared handle the server provides as context.
#[cfg(feature = "ssr")]
pub type SharedOverviewSource = std::sync::Arc<dyn OverviewSource>;

/// The overview, with the reader's language.
#[server(prefix = "/api", endpoint = "overview")]
pub async fn get_overview() -> Result<(Lang, Overview), AppError> {
    let source = use_context::<SharedOverviewSource>().ok_or_else(|| {
        tracing::error!("overview source missing from context");
        AppError::Internal {
            request_id: "-".into(),
        }
    })?;
    let lang = crate::i18n::from_cookies(&crate::i18n::request_cookies());
    Ok((lang, source.overview().await?))
}
