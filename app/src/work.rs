//! What coordinators' pages show, and the port through which the server provides it. Every
//! function here runs behind the server's access rules; the data is already cut to the
//! viewer's scope when it arrives.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::access::{Role, Viewer};
use crate::error::AppError;
use crate::i18n::Lang;

/// The reader's language and, when signed in, who they are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub lang: Lang,
    pub viewer: Option<Viewer>,
}

/// A campaign as a coordinator sees it in the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignItem {
    pub id: i64,
    pub name: String,
    pub methodology_version: String,
    pub opens_on: String,
    pub closes_on: String,
    /// Schools of the campaign within the viewer's scope.
    pub schools: usize,
    /// The publication its results are read from; `None` while nothing is published (or, for
    /// a school's own account, while the campaign is open).
    pub published: Option<Published>,
}

/// A publication of a campaign's results: a snapshot, not the live answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Published {
    pub number: i64,
    /// The day, `YYYY-MM-DD`.
    pub on: String,
    /// Made at the campaign's close (the last one).
    pub at_close: bool,
}

/// The coordinator's start page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkHome {
    pub session: Session,
    pub campaigns: Vec<CampaignItem>,
    pub attention: Attention,
}

/// A school's programme that needs someone's attention, with where to open it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgrammeLink {
    pub campaign_id: i64,
    pub school_id: i64,
    pub school: String,
    pub campaign: String,
    /// E.g. how many measures are overdue.
    pub note: String,
}

/// A closed, published campaign and how many of its schools in scope have no programme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WithoutProgramme {
    pub campaign_id: i64,
    pub campaign: String,
    pub schools: usize,
}

/// What needs the viewer's attention in the anti-risk programmes, and for municipal and regional
/// coordinators the overview the region's roadmap starts from.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Attention {
    /// Submitted, waiting for the viewer's agreement.
    pub awaiting: Vec<ProgrammeLink>,
    /// Returned for changes, the viewer's to mend.
    pub returned: Vec<ProgrammeLink>,
    /// With measures past their deadline and not done.
    pub overdue: Vec<ProgrammeLink>,
    /// Agreed programmes whose next stage report is due within two weeks or overdue.
    pub stages_due: Vec<ProgrammeLink>,
    /// Shown to municipal and regional coordinators and admins.
    pub overview: bool,
    /// (a state, schools in it; «without» counts the schools of closed, published campaigns).
    pub statuses: Vec<(crate::programmes::ProgrammeState, u32)>,
    /// (factor code, name, schools that chose it), most chosen first.
    pub chosen: Vec<(String, String, u32)>,
    /// Closed, published campaigns with schools that have no programme.
    pub without: Vec<WithoutProgramme>,
    /// Educational results: (significant improvements of the newest year, schools that now meet
    /// the criteria for leaving the low-results list), for those who see the overview.
    pub results: Option<(u32, u32)>,
}

/// One option of a registry list (a region, municipality or school).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub id: i64,
    pub name: String,
}

/// An account in the admin's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserItem {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub role: Role,
    /// The territory or schools of the role, in words.
    pub scope: String,
    pub active: bool,
}

/// The admin's accounts page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UsersPage {
    pub session: Session,
    pub users: Vec<UserItem>,
    pub regions: Vec<Choice>,
    pub municipalities: Vec<Choice>,
    pub schools: Vec<Choice>,
}

/// A school of the registry the viewer may put into a campaign or edit, with the codes and
/// names of its municipality and region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchoolChoice {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub municipality_code: String,
    pub municipality: String,
    pub region_code: String,
    pub region: String,
}

/// The form for a new campaign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewCampaignPage {
    pub session: Session,
    pub methodology_version: String,
    pub schools: Vec<SchoolChoice>,
    /// Who agrees the anti-risk programmes of each region the viewer sets up.
    pub agreements: Vec<RegionAgreement>,
}

/// Who agrees a region's anti-risk programmes: `curator`, `municipal` or `both` (in turn).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionAgreement {
    pub region_id: i64,
    pub region: String,
    pub agreement: String,
}

/// Coordinator data from the server.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait WorkSource: Send + Sync {
    /// The sign-in form's token for this browser (the one it holds in its login cookie, or a
    /// new one) and, for a new one, the `Set-Cookie` value that keeps it.
    async fn login_token(&self, held: Option<String>)
        -> Result<(String, Option<String>), AppError>;
    async fn campaigns(&self, viewer: &Viewer) -> Result<Vec<CampaignItem>, AppError>;
    /// Links and QR codes lead to the site's configured public address.
    async fn code_sheet(
        &self,
        viewer: &crate::access::Viewer,
        campaign: i64,
        school: i64,
        lang: crate::i18n::Lang,
    ) -> Result<Option<crate::reports::CodeSheet>, AppError>;
    /// Who agrees the programmes of the regions the viewer sets up (admin: all; regional: its own).
    async fn agreements(&self, viewer: &Viewer) -> Result<Vec<RegionAgreement>, AppError>;
    async fn users(&self, lang: Lang) -> Result<Vec<UserItem>, AppError>;
    /// The schools the viewer may put into a campaign, and the methodology version in use.
    async fn campaign_form(&self, viewer: &Viewer)
        -> Result<(String, Vec<SchoolChoice>), AppError>;
    /// Regions, municipalities and schools, for choosing a scope.
    async fn registry(&self) -> Result<(Vec<Choice>, Vec<Choice>, Vec<Choice>), AppError>;
    /// The audit log for an admin, filtered and cut into a page (`None` for anyone else).
    async fn audit(
        &self,
        viewer: &Viewer,
        filter: AuditQuery,
        list: crate::listing::ListQuery,
        lang: Lang,
    ) -> Result<Option<AuditPage>, AppError>;
    /// A search field's suggestions: up to `SCHOOL_SUGGESTIONS` of the viewer's schools whose
    /// name or code holds the text, each as the field takes it back.
    async fn find_schools(&self, viewer: &Viewer, text: &str) -> Result<Vec<String>, AppError>;
}

/// What the admin narrows the audit log to (besides the search over login and path).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AuditQuery {
    pub action: Option<String>,
    /// `YYYY-MM-DD`, from that day (UTC) on.
    pub from: Option<String>,
    /// `YYYY-MM-DD`, up to that day (UTC) inclusive.
    pub to: Option<String>,
}

/// A line of the audit log on the admin's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLine {
    /// `YYYY-MM-DD HH:MM` UTC.
    pub at: String,
    pub login: String,
    pub action: String,
    pub path: String,
    pub address: String,
}

/// The audit log's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub lines: Vec<AuditLine>,
    pub paging: crate::listing::Paging,
    /// The actions the log holds, to filter by.
    pub actions: Vec<String>,
    pub filter: AuditQuery,
    /// The filter left more lines than one reading returns (the newest are shown).
    pub truncated: bool,
    /// Days a line is kept.
    pub days: u32,
}

/// The audit log, for an admin.
#[server(prefix = "/api", endpoint = "work-audit")]
pub async fn get_audit(
    #[server(default)] filter: AuditQuery,
    #[server(default)] list: crate::listing::ListQuery,
) -> Result<crate::reports::Report<AuditPage>, AppError> {
    let session = session();
    let report = match &session.viewer {
        Some(v) => source()?.audit(v, filter, list, session.lang).await?,
        None => None,
    };
    Ok(crate::reports::Report { session, report })
}

/// How many schools a search field suggests at most.
pub const SCHOOL_SUGGESTIONS: usize = 20;

/// A school search field's suggestions for what has been typed (two characters at least).
#[server(prefix = "/api", endpoint = "work-schools")]
pub async fn find_schools(text: String) -> Result<Vec<String>, AppError> {
    let Some(viewer) = crate::access::viewer() else {
        return Ok(Vec::new());
    };
    if text.trim().chars().count() < 2 || text.len() > 200 {
        return Ok(Vec::new());
    }
    source()?.find_schools(&viewer, text.trim()).await
}

#[cfg(feature = "ssr")]
pub type SharedWorkSource = std::sync::Arc<dyn WorkSource>;

#[cfg(feature = "ssr")]
pub(crate) fn source() -> Result<SharedWorkSource, AppError> {
    use_context::<SharedWorkSource>().ok_or_else(|| AppError::Internal {
        request_id: "-".into(),
    })
}

#[cfg(feature = "ssr")]
pub(crate) fn session() -> Session {
    Session {
        lang: crate::i18n::from_cookies(&crate::i18n::request_cookies()),
        viewer: crate::access::viewer(),
    }
}

/// Who is signed in (public: the sign-in page asks it too).
/// The cookie that carries the sign-in form's token (against login CSRF: another site cannot post
/// its own credentials from a visitor's browser, since it cannot read this cookie).
pub const LOGIN_COOKIE: &str = "orientir_login";

#[server(prefix = "/api", endpoint = "login-token")]
pub async fn get_login_token() -> Result<String, AppError> {
    let cookies = crate::i18n::request_cookies();
    let held = crate::i18n::cookie(&cookies, LOGIN_COOKIE);
    let (token, set_cookie) = source()?.login_token(held).await?;
    if let Some(value) = set_cookie.and_then(|c| http::HeaderValue::from_str(&c).ok()) {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.append_header(http::header::SET_COOKIE, value);
        }
    }
    Ok(token)
}

#[server(prefix = "/api", endpoint = "whoami")]
pub async fn get_session() -> Result<Session, AppError> {
    Ok(session())
}

#[server(prefix = "/api", endpoint = "work-home")]
pub async fn get_work_home() -> Result<WorkHome, AppError> {
    let session = session();
    let (campaigns, attention) = match &session.viewer {
        // A methodist reads the plans shared with them, nothing of the campaigns.
        Some(viewer) if !crate::access::COORDINATORS.contains(&viewer.role) => {
            (Vec::new(), Attention::default())
        }
        Some(viewer) => {
            // The campaigns are the coordinators' room's; what needs attention, the programmes'.
            let (programmes, _) = crate::programmes::context()?;
            (
                source()?.campaigns(viewer).await?,
                programmes.attention(viewer, session.lang).await?,
            )
        }
        None => (Vec::new(), Attention::default()),
    };
    Ok(WorkHome {
        session,
        campaigns,
        attention,
    })
}

#[server(prefix = "/api", endpoint = "admin-users")]
pub async fn get_users_page() -> Result<UsersPage, AppError> {
    let session = session();
    let source = source()?;
    let users = source.users(session.lang).await?;
    let (regions, municipalities, schools) = source.registry().await?;
    Ok(UsersPage {
        session,
        users,
        regions,
        municipalities,
        schools,
    })
}

#[server(prefix = "/api", endpoint = "work-new-campaign")]
pub async fn get_new_campaign() -> Result<NewCampaignPage, AppError> {
    let session = session();
    let (methodology_version, schools, agreements) = match &session.viewer {
        Some(v) => {
            let source = source()?;
            let (version, schools) = source.campaign_form(v).await?;
            (version, schools, source.agreements(v).await?)
        }
        None => (String::new(), Vec::new(), Vec::new()),
    };
    Ok(NewCampaignPage {
        session,
        methodology_version,
        schools,
        agreements,
    })
}
