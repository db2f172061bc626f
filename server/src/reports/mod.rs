//! Coordinators' reports of a campaign, each in its own file: the response-rate monitor, the
//! matrix of schools × factors, a school's profile, the change between two campaigns, and the
//! quality of the instruments, a school's anti-risk programme and what programmes achieved. All of
//! them read schools and scores through the scope gate (`crate::scope`) and are worded by `views`.

mod change;
mod matrix;
mod monitor;
mod overview;
mod profile;
mod quality;

use app::access::Viewer;
use app::i18n::Lang;
use app::listing::ListQuery;
use app::reports::{Change, Matrix, Monitor, Profile, QualityReport, RegionOverview, ReportSource};
use app::AppError;

use crate::scope::{Gate, Narrow};

/// The reports, as the pages and server functions ask for them.
#[derive(Clone)]
pub struct Reports {
    pub gate: Gate,
    /// For what the reports show of other features (a school's chosen risks).
    pub storage: crate::storage::Storage,
}

#[async_trait::async_trait]
impl ReportSource for Reports {
    async fn monitor(
        &self,
        viewer: &Viewer,
        campaign: i64,
        municipality: Option<i64>,
        cohort: Option<String>,
        list: ListQuery,
        lang: Lang,
    ) -> Result<Option<Monitor>, AppError> {
        let narrow = Narrow {
            municipality,
            cohort: app::results::Cohort::from_query(cohort.as_deref(), lang)?,
        };
        Ok(monitor::monitor(
            &self.gate,
            &self.storage,
            viewer,
            campaign,
            narrow,
            &list,
            lang,
        )
        .await?)
    }

    async fn matrix(
        &self,
        viewer: &Viewer,
        campaign: i64,
        municipality: Option<i64>,
        cohort: Option<String>,
        list: ListQuery,
        lang: Lang,
    ) -> Result<Option<Matrix>, AppError> {
        let narrow = Narrow {
            municipality,
            cohort: app::results::Cohort::from_query(cohort.as_deref(), lang)?,
        };
        Ok(matrix::matrix(&self.gate, viewer, campaign, narrow, &list, lang).await?)
    }

    async fn profile(
        &self,
        viewer: &Viewer,
        campaign: i64,
        school: i64,
        lang: Lang,
    ) -> Result<Option<Profile>, AppError> {
        Ok(profile::profile(self, viewer, campaign, school, lang).await?)
    }

    #[allow(clippy::too_many_arguments)]
    async fn change(
        &self,
        viewer: &Viewer,
        before: Option<i64>,
        after: Option<i64>,
        municipality: Option<i64>,
        cohort: Option<String>,
        list: ListQuery,
        lang: Lang,
    ) -> Result<Option<Change>, AppError> {
        let narrow = Narrow {
            municipality,
            cohort: app::results::Cohort::from_query(cohort.as_deref(), lang)?,
        };
        Ok(change::change(&self.gate, viewer, before, after, narrow, &list, lang).await?)
    }

    async fn overview(
        &self,
        viewer: &Viewer,
        campaign: i64,
        cohort: Option<String>,
        lang: Lang,
    ) -> Result<Option<RegionOverview>, AppError> {
        let narrow = Narrow {
            municipality: None,
            cohort: app::results::Cohort::from_query(cohort.as_deref(), lang)?,
        };
        Ok(overview::overview(&self.gate, viewer, campaign, narrow, lang).await?)
    }

    async fn quality(
        &self,
        viewer: &Viewer,
        campaign: i64,
        lang: Lang,
    ) -> Result<Option<QualityReport>, AppError> {
        Ok(quality::quality(&self.gate, viewer, campaign, lang).await?)
    }
}
