//! What coordinators manage, one file each: their accounts (`accounts`), campaigns (`campaigns`),
//! the registry of schools (`registry`) and the printable code sheets (`code_sheets`); here, the
//! data of the coordinators' pages, read through the scope gate.

pub mod accounts;
pub mod audit;
pub mod campaigns;
pub mod code_sheets;
pub mod publishing;
pub mod registry;

use app::access::{Role, Viewer};
use app::i18n::Lang;
use app::work::{
    CampaignItem, Choice, RegionAgreement, SchoolChoice, UserItem, WorkSource, LOGIN_COOKIE,
};
use app::AppError;

use crate::cookies::CookiePolicy;
use crate::error::ServerError;
use crate::scope::{campaign_item, Gate};
use crate::storage::{Named, Storage};

/// The coordinators' pages' data.
#[derive(Clone)]
pub struct Coordinators {
    pub storage: Storage,
    pub gate: Gate,
    pub cookies: CookiePolicy,
    /// Where respondents reach the site (for code sheets' links), never taken from a request.
    pub public_url: String,
    /// Days the audit log keeps a line (said on its page).
    pub audit_days: u32,
}

fn choices(list: Vec<Named>) -> Vec<Choice> {
    list.into_iter()
        .map(|n| Choice {
            id: n.id,
            name: n.name,
        })
        .collect()
}

impl Coordinators {
    async fn users_listed(&self, lang: Lang) -> Result<Vec<UserItem>, ServerError> {
        let registry = self.storage.registry().await?;
        let name = |list: &[Named], id: Option<i64>| {
            id.and_then(|id| list.iter().find(|n| n.id == id))
                .map_or_else(String::new, |n| n.name.clone())
        };
        let mut items = Vec::new();
        for (user, role_row) in self.storage.users().await? {
            let role = role_row.role;
            let scope = match role {
                Role::Admin => lang.tr("всё", "everything").to_owned(),
                Role::Regional => name(&registry.regions, role_row.region_id),
                Role::Municipal | Role::MunicipalMethodist => {
                    name(&registry.municipalities, role_row.municipality_id)
                }
                Role::School | Role::Methodist => name(&registry.schools, role_row.school_id),
                Role::Curator => self
                    .storage
                    .curated_schools(user.id)
                    .await?
                    .into_iter()
                    .map(|id| name(&registry.schools, Some(id)))
                    .collect::<Vec<_>>()
                    .join("; "),
            };
            items.push(UserItem {
                id: user.id,
                login: user.login,
                name: user.display_name,
                role,
                scope,
                active: user.active,
            });
        }
        Ok(items)
    }
}

#[async_trait::async_trait]
impl WorkSource for Coordinators {
    async fn login_token(
        &self,
        held: Option<String>,
    ) -> Result<(String, Option<String>), AppError> {
        if let Some(token) =
            held.filter(|t| t.len() == 32 && t.chars().all(|c| c.is_ascii_hexdigit()))
        {
            return Ok((token, None));
        }
        let token = crate::secrets::random_hex(16);
        let cookie = self.cookies.set(LOGIN_COOKIE, &token, 12 * 3600, true);
        Ok((token, Some(cookie)))
    }

    async fn code_sheet(
        &self,
        viewer: &Viewer,
        campaign: i64,
        school: i64,
        lang: Lang,
    ) -> Result<Option<app::reports::CodeSheet>, AppError> {
        let base = &self.public_url;
        Ok(code_sheets::sheet(&self.gate, viewer, campaign, school, base, lang).await?)
    }

    async fn campaigns(&self, viewer: &Viewer) -> Result<Vec<CampaignItem>, AppError> {
        Ok(self
            .gate
            .campaigns(viewer)
            .await?
            .iter()
            .filter(|(_, schools)| *schools > 0 || viewer.role == Role::Admin)
            .map(|(c, schools)| campaign_item(c, *schools, None))
            .collect())
    }

    async fn users(&self, lang: Lang) -> Result<Vec<UserItem>, AppError> {
        Ok(self.users_listed(lang).await?)
    }

    async fn campaign_form(
        &self,
        viewer: &Viewer,
    ) -> Result<(String, Vec<SchoolChoice>), AppError> {
        let schools = self
            .gate
            .schools(viewer)
            .await?
            .into_iter()
            .map(|p| SchoolChoice {
                id: p.id,
                code: p.code,
                name: p.name,
                municipality_code: p.municipality_code,
                municipality: p.municipality,
                region_code: p.region_code,
                region: p.region,
            })
            .collect();
        Ok((self.gate.methodology().version.to_string(), schools))
    }

    async fn audit(
        &self,
        viewer: &Viewer,
        filter: app::work::AuditQuery,
        list: app::listing::ListQuery,
        _lang: Lang,
    ) -> Result<Option<app::work::AuditPage>, AppError> {
        Ok(audit::page(&self.storage, viewer, filter, list, self.audit_days).await?)
    }

    async fn find_schools(&self, viewer: &Viewer, text: &str) -> Result<Vec<String>, AppError> {
        let wanted = text.to_lowercase();
        let mut found: Vec<String> = self
            .gate
            .schools(viewer)
            .await?
            .iter()
            .filter(|s| {
                s.name.to_lowercase().contains(&wanted) || s.code.to_lowercase().contains(&wanted)
            })
            .map(crate::scope::school_label)
            .collect();
        found.sort();
        found.truncate(app::work::SCHOOL_SUGGESTIONS);
        Ok(found)
    }

    async fn agreements(&self, viewer: &Viewer) -> Result<Vec<RegionAgreement>, AppError> {
        let mut list = Vec::new();
        for region in self.storage.registry().await?.regions {
            if viewer.sets_region(region.id) {
                list.push(RegionAgreement {
                    agreement: self.storage.region_agreement(region.id).await?,
                    region_id: region.id,
                    region: region.name,
                });
            }
        }
        Ok(list)
    }

    async fn registry(&self) -> Result<(Vec<Choice>, Vec<Choice>, Vec<Choice>), AppError> {
        let registry = self.storage.registry().await?;
        Ok((
            choices(registry.regions),
            choices(registry.municipalities),
            choices(registry.schools),
        ))
    }
}
