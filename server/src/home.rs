//! The public home page's data: the regions and the campaigns with their dates and schools (never a
//! count of answers: with one school it would be that school's).

use app::overview::{CampaignSummary, Overview, OverviewSource, SchoolRow};
use app::AppError;

use crate::error::ServerError;
use crate::storage::Storage;

/// The home page's data, read from storage.
pub struct StorageOverview(pub Storage);

impl StorageOverview {
    async fn load(&self) -> Result<Overview, ServerError> {
        let storage = &self.0;
        let mut campaigns = Vec::new();
        for c in storage.campaigns().await? {
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
                opens_on: c.opens_on.to_string(),
                closes_on: c.closes_on.to_string(),
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
        Ok(self.load().await?)
    }
}
