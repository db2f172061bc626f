//! Documents attached to a programme's measures as evidence, under the rules of every upload
//! (`uploads.rs`), kept in the database, downloaded by whoever sees the school.

use app::access::Viewer;
use axum::extract::{Multipart, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;

use super::{event, written};
use crate::error::ServerError;
use crate::problem::{At, Kind, Refused};
use crate::reply::{refusal_back, see_other};
use crate::scope::Gate;
use crate::storage::{NewFile, Storage};
use crate::uploads;

fn programme_page(campaign: i64, school: i64) -> String {
    format!("/work/campaigns/{campaign}/schools/{school}/programme")
}

/// `POST …/programme/measures/{measure}/files` (multipart, field `file`; the CSRF token in the
/// query): attaches a document to a measure.
pub async fn upload(
    State(gate): State<Gate>,
    State(storage): State<Storage>,
    State(quota): State<crate::config::UploadQuota>,
    Extension(viewer): Extension<Viewer>,
    Path((campaign, school, measure)): Path<(i64, i64, i64)>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<Response, ServerError> {
    let back = programme_page(campaign, school);
    let stored = async {
        let programme = written(&gate, &storage, &viewer, campaign, school).await?;
        let upload = uploads::read(&mut multipart, true).await?;
        let (name, bytes, content_type) = upload
            .file
            .ok_or_else(|| Refused::one(At::Field("file"), Kind::NoFile))?;
        let subject = format!("measure:{measure}");
        let event = event(&viewer, "file_added", &subject, &name);
        let new = NewFile {
            measure_id: measure,
            name: &name,
            content_type,
            data: &bytes,
        };
        storage
            .add_file(programme.id, new, event, quota.bytes)
            .await?
            .ok_or(ServerError::NotFound)?;
        Ok(see_other(&format!("{back}#measure-{measure}"), None))
    };
    refusal_back(&back, &headers, 1, stored.await)
}

/// `GET …/programme/files/{file}`: a document, to whoever sees the school; always a download.
pub async fn download(
    State(gate): State<Gate>,
    State(storage): State<Storage>,
    Extension(viewer): Extension<Viewer>,
    Path((campaign, school, file)): Path<(i64, i64, i64)>,
) -> Result<Response, ServerError> {
    if gate
        .school_alone(&viewer, campaign, school)
        .await?
        .is_none()
    {
        return Err(ServerError::NotFound);
    }
    let programme = storage
        .programme(campaign, school)
        .await?
        .ok_or(ServerError::NotFound)?;
    let (row, data) = storage
        .programme_file(programme.id, file)
        .await?
        .ok_or(ServerError::NotFound)?;
    Ok(uploads::download(&row.name, &row.content_type, data))
}

/// `POST …/programme/files/{file}/remove`.
pub async fn remove(
    State(gate): State<Gate>,
    State(storage): State<Storage>,
    Extension(viewer): Extension<Viewer>,
    Path((campaign, school, file)): Path<(i64, i64, i64)>,
    headers: HeaderMap,
) -> Result<Response, ServerError> {
    let back = programme_page(campaign, school);
    let removed = async {
        let programme = written(&gate, &storage, &viewer, campaign, school).await?;
        let subject = format!("file:{file}");
        let event = event(&viewer, "file_removed", &subject, "");
        if !storage.remove_file(programme.id, file, event).await? {
            return Err(ServerError::NotFound);
        }
        Ok(see_other(&back, None))
    };
    refusal_back(&back, &headers, 1, removed.await)
}
