//! Who is signed in, as pages and server functions see them: a coordinator's role and the
//! schools it may see. The server decides (sessions, route rules); the UI only reads.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// The roles of the programme (methodology §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    /// Everything, including accounts and methodology data.
    Admin,
    /// All schools of a region.
    Regional,
    /// The schools of one municipality.
    Municipal,
    /// The schools assigned to the curator.
    Curator,
    /// One school (its principal or a responsible person).
    School,
    /// A school's methodist: reads the development plans its teachers share, nothing else.
    Methodist,
    /// A municipality's methodist: reads the development plans shared with the municipality.
    MunicipalMethodist,
}

/// A text that is no role's key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("«{0}» is not a role")]
pub struct UnknownRole(pub String);

/// Roles as stored (their key), so that a storage row can hold a `Role`.
impl TryFrom<String> for Role {
    type Error = UnknownRole;

    fn try_from(key: String) -> Result<Role, UnknownRole> {
        Role::parse(&key).ok_or(UnknownRole(key))
    }
}

/// Who may read, print and replace a school's access codes: the school itself (which hands them
/// out) and an admin. Nobody else: a reader of a group's aggregates who could also fill in its
/// codes could put known answers around one person's and take that person's answers apart —
/// so those who read schools' results (curators, municipal and regional coordinators) hold no
/// codes, and the school, which holds them, reads its own results only with noise
/// (`surveys::privacy`).
pub const CODE_HOLDERS: &[Role] = &[Role::Admin, Role::School];

// The role sets of the access table (`server/src/http/access.rs`), written once: the table checks
// routes with them and the features and pages decide what to show and allow with the same sets.

/// The operator.
pub const ADMIN: &[Role] = &[Role::Admin];
/// The region's own work: campaigns and the registry, publishing, stage dates, the knowledge
/// base and the target for answering schools.
pub const CAMPAIGNERS: &[Role] = &[Role::Admin, Role::Regional];
/// Deciding on a group code's surplus is the work of those who know the schools.
pub const DECIDERS: &[Role] = &[Role::Admin, Role::Regional, Role::Municipal];
/// A school's anti-risk programme is written by the school, its curator and an admin.
pub const PROGRAMME_WRITERS: &[Role] = &[Role::Admin, Role::Curator, Role::School];
/// Agreeing a programme (its curator or municipal coordinator, as the region sets, or an admin)
/// and commenting on its stage reports.
pub const AGREERS: &[Role] = &[Role::Admin, Role::Curator, Role::Municipal];
/// Those who oversee many schools: what programmes achieved, educational results, the overview
/// of programmes on the start page.
pub const OVERSEERS: &[Role] = &[Role::Admin, Role::Regional, Role::Municipal];
/// Supporting schools: visits, recommendations, answering questions.
pub const SUPPORTERS: &[Role] = &[Role::Admin, Role::Curator, Role::Municipal];
/// A question's thread: the school and its supporters.
pub const THREAD: &[Role] = &[Role::Admin, Role::Curator, Role::Municipal, Role::School];
/// Events and roadmaps are organised by the region and the municipalities.
pub const ORGANISERS: &[Role] = &[Role::Admin, Role::Regional, Role::Municipal];
/// Every coordinator's account: the roles that read campaigns, profiles and support work in
/// their scope (the methodists read only the plans shared with them).
pub const COORDINATORS: &[Role] = &[
    Role::Admin,
    Role::Regional,
    Role::Municipal,
    Role::Curator,
    Role::School,
];
/// Those a teacher may share a development plan with: a school's methodist, a municipality's.
pub const METHODISTS: &[Role] = &[Role::Methodist, Role::MunicipalMethodist];
/// The demand for professional development, counted over groups of teachers: those who plan
/// courses for many schools.
pub const PLANNERS: &[Role] = &[
    Role::Admin,
    Role::Regional,
    Role::Municipal,
    Role::MunicipalMethodist,
];
/// What only a school's own account does: asking, registering, answering recommendations.
pub const SCHOOL: &[Role] = &[Role::School];

/// Who may download raw individual answers (without identifying fields): the region's analysts.
/// They hold no codes, so they cannot recognise answers of their own among the rows.
pub const RAW_READERS: &[Role] = &[Role::Admin, Role::Regional];

/// Whether a role reads schools' figures with noise (`surveys::privacy`): a code holder that
/// is not the operator — the school. An admin runs the server and its database; nobody else holds
/// codes.
pub fn reads_with_noise(role: Role) -> bool {
    CODE_HOLDERS.contains(&role) && role != Role::Admin
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Admin,
        Role::Regional,
        Role::Municipal,
        Role::Curator,
        Role::School,
        Role::Methodist,
        Role::MunicipalMethodist,
    ];

    /// The key stored in the database.
    pub fn key(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Regional => "regional",
            Role::Municipal => "municipal",
            Role::Curator => "curator",
            Role::School => "school",
            Role::Methodist => "methodist",
            Role::MunicipalMethodist => "municipal_methodist",
        }
    }

    pub fn parse(key: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.key() == key)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Role::Admin => lang.tr("Администратор", "Administrator"),
            Role::Regional => lang.tr("Региональный координатор", "Regional coordinator"),
            Role::Municipal => lang.tr("Муниципальный координатор", "Municipal coordinator"),
            Role::Curator => lang.tr("Куратор", "Curator"),
            Role::School => lang.tr("Школа", "School"),
            Role::Methodist => lang.tr("Методист школы", "School methodist"),
            Role::MunicipalMethodist => lang.tr("Муниципальный методист", "Municipal methodist"),
        }
    }
}

/// The schools a signed-in user may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    All,
    Region(i64),
    Municipality(i64),
    Schools(Vec<i64>),
}

/// Where a school sits, to be checked against a scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub school: i64,
    pub municipality: i64,
    pub region: i64,
}

impl Scope {
    pub fn allows(&self, place: Place) -> bool {
        match self {
            Scope::All => true,
            Scope::Region(r) => place.region == *r,
            Scope::Municipality(m) => place.municipality == *m,
            Scope::Schools(ids) => ids.contains(&place.school),
        }
    }
}

/// A signed-in user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub user_id: i64,
    pub login: String,
    pub name: String,
    pub role: Role,
    pub scope: Scope,
    /// Sent back by every form of this session (`_csrf`).
    pub csrf: String,
}

impl Viewer {
    /// Whether the viewer sets up a region (who agrees its programmes, its registry's rules): an
    /// admin any, a regional coordinator its own.
    pub fn sets_region(&self, region: i64) -> bool {
        match (self.role, &self.scope) {
            (Role::Admin, _) => true,
            (Role::Regional, Scope::Region(own)) => *own == region,
            _ => false,
        }
    }
}

/// The notices the server puts in a page's address as text (a refusal's words, a new code):
/// the server seals them for the session that caused them, and a page shows one only under its
/// seal, so a crafted link cannot make a page say anything.
pub const SEALED_NOTICES: [&str; 2] = ["problem", "replaced"];

/// The seal of a notice `name=value` for the session whose CSRF secret is `csrf`: 128 bits of
/// SHA-256 over both, which only the server and that session's pages know.
pub fn notice_seal(csrf: &str, name: &str, value: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(b"orientir notice\0")
        .chain_update(csrf.as_bytes())
        .chain_update(b"\0")
        .chain_update(name.as_bytes())
        .chain_update(b"\0")
        .chain_update(value.as_bytes())
        .finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// The signed-in user of the request being served, put there by the server's access check.
#[cfg(feature = "ssr")]
pub fn viewer() -> Option<Viewer> {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<Viewer>().cloned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_scope_lets_through_exactly_its_schools() {
        let here = Place {
            school: 3,
            municipality: 20,
            region: 100,
        };
        assert!(Scope::All.allows(here));
        assert!(Scope::Region(100).allows(here));
        assert!(!Scope::Region(101).allows(here));
        assert!(Scope::Municipality(20).allows(here));
        assert!(!Scope::Municipality(21).allows(here));
        assert!(Scope::Schools(vec![1, 3]).allows(here));
        assert!(!Scope::Schools(vec![1, 2]).allows(here));
        for role in Role::ALL {
            assert_eq!(Role::parse(role.key()), Some(role));
        }
    }
}
