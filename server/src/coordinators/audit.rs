//! The audit log for an admin: its page (through `WorkSource::audit`) and its CSV with the same
//! filter. The lines are written by the access check (`http::access`, the routes it marks).

use app::access::{Role, Viewer};
use app::listing::{self, ListQuery, SortKey};
use app::work::{AuditLine, AuditPage, AuditQuery};
use axum::extract::{Query, State};
use axum::response::Response;
use axum::Extension;
use surveys::calendar::Day;

use crate::error::ServerError;
use crate::problem::{At, Kind, Refused};
use crate::reply::{attachment, spreadsheet_safe, CSV};
use crate::storage::{AuditFilter, AuditRow, Storage, AUDIT_READ_LIMIT};

/// A day of the filter as Unix seconds at its start (UTC).
fn day_start(field: &'static str, text: Option<&str>) -> Result<Option<i64>, Refused> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => t
            .parse::<Day>()
            .map(|d| Some(Day::from_unix_days(0).days_until(d) * 86_400))
            .map_err(|_| Refused::one(At::Field(field), Kind::Date)),
    }
}

/// The lines the filter and the search leave, newest first; whether the reading was cut short.
async fn lines(
    storage: &Storage,
    filter: &AuditQuery,
    list: &ListQuery,
) -> Result<(Vec<AuditRow>, bool), ServerError> {
    let from = day_start("from", filter.from.as_deref())?;
    // Up to the day inclusive: before the next day's start.
    let until = day_start("to", filter.to.as_deref())?.map(|t| t + 86_400);
    let mut rows = storage
        .audit_lines(&AuditFilter {
            login: None,
            action: filter.action.clone().filter(|a| !a.is_empty()),
            from,
            until,
        })
        .await?;
    let truncated = rows.len() as i64 >= AUDIT_READ_LIMIT;
    // The search's words in the login or the path.
    if list.search().is_some() {
        rows.retain(|r| listing::matches(list, &format!("{} {}", r.login, r.path)));
    }
    Ok((rows, truncated))
}

fn line(r: AuditRow) -> AuditLine {
    AuditLine {
        at: crate::clock::moment(r.at),
        login: r.login,
        action: r.action,
        path: r.path,
        address: r.address,
    }
}

/// The admin's page of the log (`None` for anyone else).
pub async fn page(
    storage: &Storage,
    viewer: &Viewer,
    filter: AuditQuery,
    list: ListQuery,
    days: u32,
) -> Result<Option<AuditPage>, ServerError> {
    if viewer.role != Role::Admin {
        return Ok(None);
    }
    let (rows, truncated) = lines(storage, &filter, &list).await?;
    let (rows, paging) = listing::cut(rows, &list, |r: &AuditRow, column| match column {
        "at" => Some(SortKey::Number(Some(r.at as f64))),
        "login" => Some(listing::text_key(&r.login)),
        "action" => Some(listing::text_key(&r.action)),
        _ => None,
    });
    Ok(Some(AuditPage {
        lines: rows.into_iter().map(line).collect(),
        paging,
        actions: storage.audit_actions().await?,
        filter,
        truncated,
        days,
    }))
}

/// `GET /export/audit.csv`: the lines of the page's filter (all of them, not a page), for an
/// admin.
pub async fn csv(
    State(storage): State<Storage>,
    Extension(viewer): Extension<Viewer>,
    Query(filter): Query<AuditQuery>,
    Query(list): Query<CsvSearch>,
) -> Result<Response, ServerError> {
    if viewer.role != Role::Admin {
        return Err(ServerError::NotFound);
    }
    let list = ListQuery {
        q: list.q,
        ..ListQuery::default()
    };
    let (rows, _) = lines(&storage, &filter, &list).await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let write = |out: &mut csv::Writer<Vec<u8>>, cells: [&str; 6]| {
        out.write_record(cells.iter().map(|c| spreadsheet_safe(c).into_owned()))
    };
    let failed = |e: csv::Error| ServerError::Inconsistent(e.to_string());
    write(
        &mut out,
        ["at_utc", "login", "user_id", "action", "path", "address"],
    )
    .map_err(failed)?;
    for r in rows {
        let at = crate::clock::moment(r.at);
        let user = r.user_id.map(|u| u.to_string()).unwrap_or_default();
        write(
            &mut out,
            [&at, &r.login, &user, &r.action, &r.path, &r.address],
        )
        .map_err(failed)?;
    }
    let body = out
        .into_inner()
        .map_err(|e| ServerError::Inconsistent(e.to_string()))?;
    Ok(attachment(CSV, "orientir-audit.csv", true, body))
}

/// The search of the CSV's address (the page's `q`).
#[derive(Debug, Default, serde::Deserialize)]
pub struct CsvSearch {
    q: Option<String>,
}
