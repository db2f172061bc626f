//! The methodists' page (`app::development::DevelopmentSource`): the plans teachers shared with
//! the methodist of their school or of their municipality — activities, dates, marks, evidence;
//! never the diagnostic's areas.

use app::access::{Scope, Viewer};
use app::development::{Reader, SharedPlan, SharedPlans};
use app::i18n::Lang;
use app::AppError;

use super::{item_view, Development};
use crate::error::internal;

/// The plans shared with a methodist, read through the development room.
#[derive(Clone)]
pub struct SharedPlansSource(pub Development);

#[async_trait::async_trait]
impl app::development::DevelopmentSource for SharedPlansSource {
    async fn shared(&self, viewer: &Viewer, lang: Lang) -> Result<Option<SharedPlans>, AppError> {
        let dev = &self.0;
        let Some(reader) = Reader::of(viewer.role) else {
            return Ok(None);
        };
        let (school, municipality) = match (&viewer.scope, reader) {
            (Scope::Schools(ids), Reader::School) => (ids.first().copied(), None),
            (Scope::Municipality(m), Reader::Municipality) => (None, Some(*m)),
            _ => return Ok(None),
        };
        let read = async {
            let m = dev.gate.methodology();
            let today = (dev.today)();
            let rows = dev
                .storage
                .shared_plans(reader.key(), school, municipality)
                .await?;
            let registry = dev.storage.registry().await?;
            let mut plans = Vec::with_capacity(rows.len());
            for r in rows {
                let items = dev.storage.plan_items(&r.key_hash).await?;
                plans.push(SharedPlan {
                    handle: r.handle.clone(),
                    school: registry
                        .schools
                        .iter()
                        .find(|s| s.id == r.school_id)
                        .map_or_else(String::new, |s| s.name.clone()),
                    signed: r.signed,
                    since: r.since,
                    updated_on: r.updated_on,
                    items: items.iter().map(|i| item_view(m, i, today, lang)).collect(),
                });
            }
            Ok::<_, crate::error::ServerError>(SharedPlans { reader, plans })
        };
        read.await.map(Some).map_err(|e| internal(&e))
    }

    async fn demand(
        &self,
        viewer: &Viewer,
        campaign: Option<i64>,
        lang: Lang,
    ) -> Result<Option<app::development::DemandView>, AppError> {
        self.0
            .demand(viewer, campaign, lang)
            .await
            .map_err(|e| internal(&e))
    }
}
