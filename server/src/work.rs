//! Coordinators' data for the pages, always cut to the viewer's scope here, in one place.

use app::access::{Role, Scope, Viewer};
use app::i18n::Lang;
use app::work::{CampaignItem, Choice, UserItem, WorkSource};
use app::AppError;

use crate::error::ServerError;
use crate::storage::{SchoolInCampaign, Storage};
use crate::web::internal;

#[derive(Clone)]
pub struct Coordinators {
    pub storage: Storage,
    pub methodology_version: String,
}

impl Coordinators {
    /// The schools of a campaign the viewer may see.
    pub async fn schools_in_scope(
        &self,
        campaign: i64,
        scope: &Scope,
    ) -> Result<Vec<SchoolInCampaign>, ServerError> {
        let mut schools = self.storage.campaign_schools(campaign).await?;
        schools.retain(|s| scope.allows(s.place()));
        Ok(schools)
    }
}

#[async_trait::async_trait]
impl WorkSource for Coordinators {
    async fn campaigns(&self, viewer: &Viewer) -> Result<Vec<CampaignItem>, AppError> {
        let run = async {
            let mut items = Vec::new();
            for c in self.storage.campaigns().await? {
                let schools = self.schools_in_scope(c.id, &viewer.scope).await?.len();
                if schools > 0 || viewer.role == Role::Admin {
                    items.push(CampaignItem {
                        id: c.id,
                        name: c.name,
                        methodology_version: c.methodology_version,
                        opens_on: c.opens_on,
                        closes_on: c.closes_on,
                        schools,
                    });
                }
            }
            Ok::<_, ServerError>(items)
        };
        run.await.map_err(|e| internal(&e))
    }

    async fn users(&self, lang: Lang) -> Result<Vec<UserItem>, AppError> {
        let run = async {
            let registry = self.storage.registry().await?;
            let name = |list: &[(i64, String)], id: Option<i64>| {
                id.and_then(|id| list.iter().find(|(i, _)| *i == id))
                    .map_or_else(String::new, |(_, n)| n.clone())
            };
            let mut items = Vec::new();
            for (user, role_row) in self.storage.users().await? {
                let Some(role) = Role::parse(&role_row.role) else {
                    continue;
                };
                let scope = match role {
                    Role::Admin => lang.tr("всё", "everything").to_owned(),
                    Role::Regional => name(&registry.regions, role_row.region_id),
                    Role::Municipal => name(&registry.municipalities, role_row.municipality_id),
                    Role::School => name(&registry.schools, role_row.school_id),
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
            Ok::<_, ServerError>(items)
        };
        run.await.map_err(|e| internal(&e))
    }

    async fn campaign_form(
        &self,
        viewer: &Viewer,
    ) -> Result<(String, Vec<app::work::SchoolChoice>), AppError> {
        let places = self
            .storage
            .schools_with_place()
            .await
            .map_err(|e| internal(&e))?;
        let schools = places
            .into_iter()
            .filter(|p| viewer.scope.allows(p.place()))
            .map(|p| app::work::SchoolChoice {
                id: p.id,
                code: p.code,
                name: p.name,
                municipality_code: p.municipality_code,
                municipality: p.municipality,
                region_code: p.region_code,
                region: p.region,
            })
            .collect();
        Ok((self.methodology_version.clone(), schools))
    }

    async fn registry(&self) -> Result<(Vec<Choice>, Vec<Choice>, Vec<Choice>), AppError> {
        let registry = self.storage.registry().await.map_err(|e| internal(&e))?;
        let choices = |list: Vec<(i64, String)>| {
            list.into_iter()
                .map(|(id, name)| Choice { id, name })
                .collect()
        };
        Ok((
            choices(registry.regions),
            choices(registry.municipalities),
            choices(registry.schools),
        ))
    }
}
