//! Coordinators' reports of a campaign, each in its own file: the response-rate monitor, the
//! matrix of schools × factors, a school's profile, the change between two campaigns, and the
//! quality of the instruments, a school's anti-risk programme and what programmes achieved. All of
//! them read schools and scores through the scope gate (`crate::scope`) and are worded by `views`.

mod change;
mod matrix;
mod monitor;
mod profile;
mod programme;
pub use programme::programme;
mod quality;
mod results;
mod risks;
pub mod views;

use app::access::Viewer;
use app::i18n::Lang;
use app::listing::ListQuery;
use app::reports::{
    Change, CodeSheet, Effectiveness, Matrix, Monitor, Profile, ProgrammeView, QualityReport,
    ReportSource,
};
use app::work::Choice;
use app::AppError;

use crate::coordinators::code_sheets;
use crate::error::ServerError;
use crate::scope::{Gate, InScope};

/// The reports, as the pages and server functions ask for them.
#[derive(Clone)]
pub struct Reports {
    pub gate: Gate,
    /// For what the reports show of other features (a school's chosen risks).
    pub storage: crate::storage::Storage,
    /// Where respondents reach the site (for code sheets' links), never taken from a request.
    pub public_url: String,
    /// Educational results (a programme's results targets).
    pub results: crate::results::Yardstick,
}

/// The campaign's schools in scope narrowed to a municipality, with the municipalities to choose
/// from and how many schools of the campaign the viewer may see in all.
async fn filtered(
    gate: &Gate,
    viewer: &Viewer,
    campaign: i64,
    narrow: Narrow,
) -> Result<Option<(InScope, Vec<Choice>, usize)>, ServerError> {
    let Some(all) = gate.campaign(viewer, campaign, None).await? else {
        return Ok(None);
    };
    let choices = views::municipalities(&all.schools);
    let in_scope = all.schools.len();
    let Some(mut narrowed) = gate.campaign(viewer, campaign, narrow.municipality).await? else {
        return Ok(None);
    };
    gate.keep_cohort(&mut narrowed, narrow.cohort).await?;
    Ok(Some((narrowed, choices, in_scope)))
}

/// What a list of schools is narrowed to: a municipality, a cohort.
#[derive(Debug, Clone, Copy, Default)]
pub struct Narrow {
    pub municipality: Option<i64>,
    pub cohort: Option<app::results::Cohort>,
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
            cohort: app::results::Cohort::from_query(cohort.as_deref())?,
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
            cohort: app::results::Cohort::from_query(cohort.as_deref())?,
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
            cohort: app::results::Cohort::from_query(cohort.as_deref())?,
        };
        Ok(change::change(&self.gate, viewer, before, after, narrow, &list, lang).await?)
    }

    async fn quality(
        &self,
        viewer: &Viewer,
        campaign: i64,
        lang: Lang,
    ) -> Result<Option<QualityReport>, AppError> {
        Ok(quality::quality(&self.gate, viewer, campaign, lang).await?)
    }

    async fn effectiveness(
        &self,
        viewer: &Viewer,
        lang: Lang,
    ) -> Result<Option<Effectiveness>, AppError> {
        Ok(results::effectiveness(self, viewer, lang).await?)
    }

    async fn programme(
        &self,
        viewer: &Viewer,
        campaign: i64,
        school: i64,
        lang: Lang,
    ) -> Result<Option<ProgrammeView>, AppError> {
        Ok(programme::programme(
            &self.gate,
            &self.storage,
            &self.results,
            viewer,
            campaign,
            school,
            lang,
        )
        .await?)
    }

    async fn code_sheet(
        &self,
        viewer: &Viewer,
        campaign: i64,
        school: i64,
        lang: Lang,
    ) -> Result<Option<CodeSheet>, AppError> {
        let base = &self.public_url;
        Ok(code_sheets::sheet(&self.gate, viewer, campaign, school, base, lang).await?)
    }
}
