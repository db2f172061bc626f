//! Anti-risk programmes (АРП), the yearly cycle after the risk profile: the actual risks a school
//! chooses from its published profile (`risks.rs`). Who may write a school's programme: the
//! school itself, its curator, an admin; municipal and regional coordinators read their scope.

pub mod risks;

use app::access::{Role, Viewer};

use crate::scope::InScope;

/// Whether the viewer may write the programme of `school` of a campaign in its scope.
pub fn writes(viewer: &Viewer, in_scope: &InScope, school: i64) -> bool {
    matches!(viewer.role, Role::Admin | Role::School | Role::Curator)
        && in_scope.schools.iter().any(|s| s.school_id == school)
}
