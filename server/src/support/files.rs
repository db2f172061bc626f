//! A support object's file, downloaded by whoever sees the object: a question's files by whoever
//! sees its school, a recommendation's likewise, an event's materials by whoever sees the event,
//! a roadmap's documents by whoever reads the roadmap.

use app::access::Viewer;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Extension;

use super::Support;
use crate::error::ServerError;
use crate::uploads;

/// `GET /work/support/files/{file}`.
pub async fn download(
    State(support): State<Support>,
    Extension(viewer): Extension<Viewer>,
    Path(file): Path<i64>,
) -> Result<Response, ServerError> {
    let (row, data) = support
        .storage
        .support_file(file)
        .await?
        .ok_or(ServerError::NotFound)?;
    match row.kind.as_str() {
        "message" => {
            let question = support
                .storage
                .message_question(row.owner_id)
                .await?
                .ok_or(ServerError::NotFound)?;
            support.seen_question(&viewer, question).await?;
        }
        "recommendation" => {
            support.seen_recommendation(&viewer, row.owner_id).await?;
        }
        "event" => {
            support.seen_event(&viewer, row.owner_id).await?;
        }
        "activity" => {
            let roadmap = support
                .storage
                .activity_roadmap(row.owner_id)
                .await?
                .ok_or(ServerError::NotFound)?;
            support.seen_roadmap(&viewer, roadmap).await?;
        }
        _ => return Err(ServerError::NotFound),
    }
    Ok(uploads::download(&row.name, &row.content_type, data))
}
