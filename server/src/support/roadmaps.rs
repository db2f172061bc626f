//! Roadmaps: the region's and each municipality's plan of work for a year — tracks, and in each
//! track activities with their dates, the person responsible, the target schools (a cohort or a
//! list of school codes), the expected result and the documents that prove it; each activity's
//! status, overdue ones flagged, progress per track. Kept by the regional coordinator (the
//! region's) or the municipal coordinator (the municipality's); read by everyone of the region.

use app::access::{Role, Viewer};
use app::results::Cohort;
use app::support::ActivityStatus;
use axum::extract::{Multipart, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::{Extension, Form};
use validator::Validate;

use super::{day, optional_text, organises, text, Reach, Support};
use crate::error::ServerError;
use crate::problem::{At, Kind, Refused};
use crate::reply::{refusal_back, see_other};
use crate::storage::{ActivityFields, PlacedSchool, RoadmapRow, TrackRow};
use crate::uploads;

pub const ROADMAPS_PAGE: &str = "/work/roadmaps";

pub fn roadmap_page(id: i64) -> String {
    format!("/work/roadmaps/{id}")
}

/// Whether the viewer reads a roadmap: anyone whose schools are in its region (and, for a
/// municipality's roadmap, a municipal coordinator only of that municipality).
pub fn reads(viewer: &Viewer, reach: &Reach, roadmap: &RoadmapRow) -> bool {
    match (viewer.role, roadmap.municipality_id) {
        (Role::Admin, _) => true,
        (Role::Municipal, Some(m)) => reach.municipalities.contains(&m),
        _ => reach.regions.contains(&roadmap.region_id),
    }
}

impl Support {
    /// A roadmap the viewer reads, with whether the viewer keeps it.
    pub async fn seen_roadmap(
        &self,
        viewer: &Viewer,
        id: i64,
    ) -> Result<(RoadmapRow, bool), ServerError> {
        let roadmap = self
            .storage
            .roadmaps()
            .await?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or(ServerError::NotFound)?;
        let reach = self.reach(viewer).await?;
        if !reads(viewer, &reach, &roadmap) {
            return Err(ServerError::NotFound);
        }
        let keeps = organises(viewer, roadmap.region_id, roadmap.municipality_id)
            && (roadmap.municipality_id.is_some() || viewer.role != Role::Municipal);
        Ok((roadmap, keeps))
    }

    async fn kept(&self, viewer: &Viewer, id: i64) -> Result<RoadmapRow, ServerError> {
        match self.seen_roadmap(viewer, id).await? {
            (roadmap, true) => Ok(roadmap),
            _ => Err(Refused::one(At::Whole, Kind::SupportStep).into()),
        }
    }

    /// A track of a roadmap the viewer keeps.
    async fn kept_track(
        &self,
        viewer: &Viewer,
        id: i64,
        track: i64,
    ) -> Result<(RoadmapRow, TrackRow), ServerError> {
        let roadmap = self.kept(viewer, id).await?;
        let track = self
            .storage
            .tracks()
            .await?
            .into_iter()
            .find(|t| t.id == track && t.roadmap_id == id)
            .ok_or(ServerError::NotFound)?;
        Ok((roadmap, track))
    }
}

/// A new roadmap.
#[derive(serde::Deserialize, Validate)]
pub struct RoadmapForm {
    /// `region:ID` or `municipality:ID`.
    #[validate(length(max = 40))]
    owner: String,
    #[validate(range(min = 2020, max = 2100))]
    year: i64,
    #[validate(length(max = 300))]
    title: String,
}

/// `POST /work/roadmaps/create`: a regional coordinator starts the region's roadmap of a year, a
/// municipal coordinator its municipality's.
pub async fn create(
    State(support): State<Support>,
    Extension(viewer): Extension<Viewer>,
    headers: HeaderMap,
    Form(form): Form<RoadmapForm>,
) -> Result<Response, ServerError> {
    let created = async {
        form.validate().map_err(Refused::from)?;
        let reach = support.reach(&viewer).await?;
        let (region, municipality) = super::place(&form.owner, &reach, "owner")?;
        let allowed = organises(&viewer, region, municipality)
            && (municipality.is_some() || viewer.role != Role::Municipal);
        if !allowed {
            return Err(Refused::one(At::Field("owner"), Kind::RegionOutOfScope).into());
        }
        let title = text(&form.title, "title", 300)?;
        let change = Support::change(&viewer, "roadmap", 0, None, "created", "");
        let id = support
            .storage
            .create_roadmap(region, municipality, form.year, &title, change)
            .await?;
        Ok(see_other(&roadmap_page(id), None))
    };
    refusal_back(ROADMAPS_PAGE, &headers, 2, created.await)
}

/// A new track.
#[derive(serde::Deserialize, Validate)]
pub struct TrackForm {
    #[validate(length(max = 300))]
    title: String,
}

/// `POST /work/roadmaps/{id}/tracks`.
pub async fn add_track(
    State(support): State<Support>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(form): Form<TrackForm>,
) -> Result<Response, ServerError> {
    let back = roadmap_page(id);
    let added = async {
        form.validate().map_err(Refused::from)?;
        support.kept(&viewer, id).await?;
        let title = text(&form.title, "title", 300)?;
        let change = Support::change(&viewer, "roadmap", id, None, "track_added", &title);
        let track = support.storage.add_track(id, &title, change).await?;
        Ok(see_other(&format!("{back}#track-{track}"), None))
    };
    refusal_back(&back, &headers, 1, added.await)
}

/// An activity as its form gives it.
#[derive(serde::Deserialize, Validate)]
pub struct ActivityForm {
    #[serde(default)]
    track: i64,
    #[validate(length(max = 1000))]
    title: String,
    #[validate(length(max = 10))]
    starts_on: String,
    #[validate(length(max = 10))]
    due_on: String,
    #[validate(length(max = 300))]
    responsible: String,
    #[serde(default)]
    #[validate(length(max = 40))]
    cohort: String,
    #[serde(default)]
    #[validate(length(max = 4000))]
    schools: String,
    #[serde(default)]
    #[validate(length(max = 2000))]
    expected: String,
    #[serde(default)]
    #[validate(length(max = 20))]
    status: String,
}

impl ActivityForm {
    fn fields(&self, reach: &Reach, roadmap: &RoadmapRow) -> Result<ActivityFields, Refused> {
        self.validate().map_err(Refused::from)?;
        let starts_on = day(&self.starts_on, "starts_on")?;
        let due_on = day(&self.due_on, "due_on")?;
        if due_on < starts_on {
            return Err(Refused::one(At::Field("due_on"), Kind::DateRange));
        }
        let cohort = optional_text(&self.cohort, "cohort", 40)?;
        if !cohort.is_empty() && Cohort::parse(&cohort).is_none() {
            return Err(Refused::one(At::Field("cohort"), Kind::Invalid));
        }
        // The target schools by registry code, each of the roadmap's territory.
        let territory: Vec<&PlacedSchool> = reach
            .schools
            .values()
            .filter(|s| {
                s.region_id == roadmap.region_id
                    && roadmap
                        .municipality_id
                        .is_none_or(|m| m == s.municipality_id)
            })
            .collect();
        let codes: Vec<String> = super::schools_by_code(&self.schools, &territory, "schools")?
            .iter()
            .map(|s| s.code.to_uppercase())
            .collect();
        let status = match self.status.as_str() {
            "" => ActivityStatus::Planned,
            s => ActivityStatus::parse(s)
                .ok_or_else(|| Refused::one(At::Field("status"), Kind::Invalid))?,
        };
        Ok(ActivityFields {
            title: text(&self.title, "title", 1000)?,
            starts_on,
            due_on,
            responsible: text(&self.responsible, "responsible", 300)?,
            cohort,
            schools: codes.join(", "),
            expected: optional_text(&self.expected, "expected", 2000)?,
            status,
        })
    }
}

/// `POST /work/roadmaps/{id}/activities`: adds an activity to a track.
pub async fn add_activity(
    State(support): State<Support>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(form): Form<ActivityForm>,
) -> Result<Response, ServerError> {
    let back = roadmap_page(id);
    let added = async {
        let (roadmap, track) = support.kept_track(&viewer, id, form.track).await?;
        let reach = support.reach(&viewer).await?;
        let fields = form.fields(&reach, &roadmap)?;
        let change = Support::change(
            &viewer,
            "roadmap",
            id,
            None,
            "activity_added",
            &fields.title,
        );
        let activity = support
            .storage
            .save_activity(None, track.id, &fields, change)
            .await?;
        Ok(see_other(&format!("{back}#activity-{activity}"), None))
    };
    refusal_back(&back, &headers, 3, added.await)
}

/// `POST /work/roadmaps/{id}/activities/{activity}`: changes an activity (its status among the
/// rest).
pub async fn update_activity(
    State(support): State<Support>,
    Extension(viewer): Extension<Viewer>,
    Path((id, activity)): Path<(i64, i64)>,
    headers: HeaderMap,
    Form(form): Form<ActivityForm>,
) -> Result<Response, ServerError> {
    let back = format!("{}#activity-{activity}", roadmap_page(id));
    let saved = async {
        let current = support
            .storage
            .activity(activity)
            .await?
            .ok_or(ServerError::NotFound)?;
        let (roadmap, track) = support.kept_track(&viewer, id, current.track_id).await?;
        let reach = support.reach(&viewer).await?;
        let fields = form.fields(&reach, &roadmap)?;
        let detail = format!("{}: {}", fields.title, fields.status.key());
        let change = Support::change(&viewer, "roadmap", id, None, "activity_changed", &detail);
        support
            .storage
            .save_activity(Some(activity), track.id, &fields, change)
            .await?;
        Ok(see_other(&back, None))
    };
    refusal_back(&back, &headers, 3, saved.await)
}

/// `POST /work/roadmaps/{id}/activities/{activity}/files` (multipart `file`): a document that
/// proves the activity's result.
pub async fn activity_file(
    State(support): State<Support>,
    Extension(viewer): Extension<Viewer>,
    Path((id, activity)): Path<(i64, i64)>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<Response, ServerError> {
    let back = format!("{}#activity-{activity}", roadmap_page(id));
    let added = async {
        let current = support
            .storage
            .activity(activity)
            .await?
            .ok_or(ServerError::NotFound)?;
        let (roadmap, _) = support.kept_track(&viewer, id, current.track_id).await?;
        let form = uploads::read(&mut multipart, true).await?;
        support
            .attach(
                &viewer,
                form.file,
                ("activity", activity),
                ("roadmap", id),
                None,
                roadmap.region_id,
            )
            .await?;
        Ok(see_other(&back, None))
    };
    refusal_back(&back, &headers, 1, added.await)
}
