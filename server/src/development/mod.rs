//! The teacher's development loop (behind `app::development`): the owner's plan (ИОМ), opened
//! with the result key of a diagnostic and kept under the key's hash alone — its activities from
//! the catalogue's suggestions or the owner's own, with dates, marks and evidence; whom the owner
//! shows it (a school's or a municipality's methodist), withdrawn at any time and logged; the
//! change since an earlier diagnostic, linked only by the owner's giving both keys. The plan's
//! pages are documents of their own (`routes.rs`); the methodists' page reads the plans shared
//! with them (`shared.rs`).

pub mod demand;
pub mod routes;
mod shared;

use app::development::{
    ChangeLine, ItemStatus, PlanItemView, PlanNotice, PlanPage, PlanView, Reader, ShareView,
    Suggestion,
};
use app::i18n::Lang;
use surveys::calendar::Day;
use surveys::deficits::{AreaResult, DeficitResult, Diagnostic};
use surveys::Methodology;

use crate::access_code;
use crate::cookies::CookiePolicy;
use crate::error::ServerError;
use crate::problem::{At, Kind, Refused};
use crate::scope::Gate;
use crate::storage::{PlanItemRow, PlanRow, Storage, MOST_ITEMS};

pub use shared::SharedPlansSource;

/// The cookie that keeps the owner's key while the plan is open on a device (HttpOnly).
pub const PLAN_COOKIE: &str = "orientir_plan";
/// The cookie that keeps an earlier diagnostic's key while its comparison is shown.
pub const BEFORE_COOKIE: &str = "orientir_plan_before";
/// How long a plan stays open on a device without a visit.
pub const PLAN_COOKIE_SECONDS: i64 = 2 * 3600;

/// The development plans.
#[derive(Clone)]
pub struct Development {
    pub storage: Storage,
    pub gate: Gate,
    pub cookies: CookiePolicy,
    pub today: fn() -> Day,
}

/// A plan opened by its key: the stored row and its scored areas.
pub struct Opened {
    pub row: PlanRow,
    pub areas: Vec<AreaResult>,
}

/// A plan's scored areas, as stored with it.
pub fn areas_of(result: &str) -> Result<Vec<AreaResult>, ServerError> {
    serde_json::from_str(result)
        .map_err(|e| ServerError::Inconsistent(format!("a plan's result: {e}")))
}

/// The hash under which a typed key's plan is kept (`None`: not a key's shape).
pub fn key_hash(typed: &str) -> Option<String> {
    access_code::normalize_key(typed).map(|k| crate::secrets::hash(&k))
}

impl Development {
    /// The plan of a typed key, if the key opens one.
    pub async fn open(&self, typed: &str) -> Result<Option<Opened>, ServerError> {
        match key_hash(typed) {
            Some(hash) => self.by_hash(&hash).await,
            None => Ok(None),
        }
    }

    /// The plan kept under a key's hash.
    pub async fn by_hash(&self, hash: &str) -> Result<Option<Opened>, ServerError> {
        let Some(row) = self.storage.plan(hash).await? else {
            return Ok(None);
        };
        let areas = areas_of(&row.result)?;
        Ok(Some(Opened { row, areas }))
    }

    /// The owner's page of an opened plan, with the comparison with `before` when given.
    pub async fn view(
        &self,
        plan: &Opened,
        before: Option<&Opened>,
        notice: Option<PlanNotice>,
        problems: Vec<String>,
        lang: Lang,
    ) -> Result<PlanPage, ServerError> {
        let m = self.gate.methodology();
        let hash = &plan.row.key_hash;
        let rows = self.storage.plan_items(hash).await?;
        let today = (self.today)();
        let start = plan.row.created_on.parse::<Day>().unwrap_or(today);
        let items: Vec<PlanItemView> = rows.iter().map(|r| item_view(m, r, today, lang)).collect();
        let taken: Vec<&str> = rows.iter().filter_map(|r| r.activity.as_deref()).collect();
        let kind = plan.row.kind;
        let suggestions = surveys::deficits::suggestions(m, kind, &plan.areas, start)
            .into_iter()
            .filter(|i| !taken.contains(&i.key.as_str()))
            .map(|i| Suggestion {
                key: i.key.clone(),
                iom: crate::views::iom_view(m, &i, lang),
            })
            .collect();
        let shares = self
            .storage
            .plan_shares(hash)
            .await?
            .into_iter()
            .filter_map(|s| {
                Some(ShareView {
                    reader: Reader::parse(&s.reader)?,
                    since: s.since,
                    signed: s.signed,
                })
            })
            .collect();
        let change = before.map(|b| change_lines(m, kind, &b.areas, &plan.areas, lang));
        Ok(PlanPage::Plan(Box::new(PlanView {
            principal: kind == Diagnostic::Principal,
            created_on: plan.row.created_on.clone(),
            areas: crate::views::area_views(m, kind, &plan.areas, lang),
            full: rows.len() as i64 >= MOST_ITEMS,
            items,
            suggestions,
            shares,
            change,
            notice,
            problems,
        })))
    }

    /// Adds a catalogue activity (its dates from the suggestion) or the owner's own.
    pub async fn add(&self, plan: &Opened, form: &routes::AddForm) -> Result<(), ServerError> {
        let m = self.gate.methodology();
        let today = (self.today)();
        let start = plan.row.created_on.parse::<Day>().unwrap_or(today);
        let item = match form
            .activity
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
        {
            Some(key) => {
                let Some(entry) =
                    surveys::deficits::activities(m, plan.row.kind).find(|e| e.key == key)
                else {
                    return Err(Refused::one(At::Field("activity"), Kind::Invalid).into());
                };
                let taken = self.storage.plan_items(&plan.row.key_hash).await?;
                if taken.iter().any(|t| t.activity.as_deref() == Some(key)) {
                    return Err(Refused::one(At::Field("activity"), plan_full()).into());
                }
                PlanItemRow {
                    id: 0,
                    activity: Some(entry.key.clone()),
                    title: String::new(),
                    starts_on: Some(today.to_string()),
                    due_on: Some(
                        start
                            .max(today)
                            .plus_days(i64::from(entry.weeks) * 7)
                            .to_string(),
                    ),
                    status: ItemStatus::Planned.key().to_owned(),
                    evidence: String::new(),
                    updated_on: today.to_string(),
                }
            }
            None => {
                let title = form.title.trim();
                if title.is_empty() {
                    return Err(Refused::one(At::Field("title"), Kind::Empty).into());
                }
                let (starts_on, due_on) = dates(&form.starts_on, &form.due_on)?;
                PlanItemRow {
                    id: 0,
                    activity: None,
                    title: title.to_owned(),
                    starts_on,
                    due_on,
                    status: ItemStatus::Planned.key().to_owned(),
                    evidence: String::new(),
                    updated_on: today.to_string(),
                }
            }
        };
        if !self
            .storage
            .add_plan_item(&plan.row.key_hash, &item)
            .await?
        {
            return Err(Refused::one(At::Whole, plan_full()).into());
        }
        Ok(())
    }

    /// Changes an activity's dates, mark and evidence.
    pub async fn save(
        &self,
        plan: &Opened,
        id: i64,
        form: &routes::ItemForm,
    ) -> Result<(), ServerError> {
        let Some(status) = ItemStatus::parse(form.status.trim()) else {
            return Err(Refused::one(At::Field("status"), Kind::Invalid).into());
        };
        let (starts_on, due_on) = dates(&form.starts_on, &form.due_on)?;
        let item = PlanItemRow {
            id,
            activity: None,
            title: String::new(),
            starts_on,
            due_on,
            status: status.key().to_owned(),
            evidence: form.evidence.trim().to_owned(),
            updated_on: (self.today)().to_string(),
        };
        if !self
            .storage
            .update_plan_item(&plan.row.key_hash, &item)
            .await?
        {
            return Err(ServerError::NotFound);
        }
        Ok(())
    }
}

fn plan_full() -> Kind {
    Kind::PlanActivity(MOST_ITEMS as u32)
}

/// A form's optional start and due dates, the due date not before the start.
fn dates(starts: &str, due: &str) -> Result<(Option<String>, Option<String>), Refused> {
    let optional = |text: &str, field: &'static str| -> Result<Option<Day>, Refused> {
        if text.trim().is_empty() {
            Ok(None)
        } else {
            crate::problem::form_day(text, field).map(Some)
        }
    };
    let (s, d) = (optional(starts, "starts_on")?, optional(due, "due_on")?);
    if let (Some(s), Some(d)) = (s, d) {
        if d < s {
            return Err(Refused::one(At::Field("due_on"), Kind::DateRange));
        }
    }
    Ok((s.map(|x| x.to_string()), d.map(|x| x.to_string())))
}

/// An activity as the owner and a methodist read it: a catalogue activity in the reader's
/// language, the owner's own as written.
pub fn item_view(m: &Methodology, r: &PlanItemRow, today: Day, lang: Lang) -> PlanItemView {
    let l = lang.code();
    let entry = r
        .activity
        .as_deref()
        .and_then(|k| m.iom.entries.iter().find(|e| e.key == k));
    let status = ItemStatus::parse(&r.status).unwrap_or(ItemStatus::Planned);
    let overdue = status != ItemStatus::Done
        && r.due_on
            .as_deref()
            .and_then(|d| d.parse::<Day>().ok())
            .is_some_and(|d| d < today);
    PlanItemView {
        id: r.id,
        title: match entry {
            Some(e) => e.title.get(l).to_owned(),
            None if r.title.is_empty() => r.activity.clone().unwrap_or_default(),
            None => r.title.clone(),
        },
        areas: entry.map_or_else(String::new, |e| {
            e.areas
                .iter()
                .map(|a| crate::views::area_name(m, a, lang))
                .collect::<Vec<_>>()
                .join(", ")
        }),
        format: entry.map(|e| {
            surveys::catalogue::IomFormat::name(e.format)
                .get(l)
                .to_owned()
        }),
        hours: entry.and_then(|e| e.hours),
        provider: entry
            .and_then(|e| e.provider.as_ref())
            .map(|p| p.get(l).to_owned()),
        link: entry.and_then(|e| e.link.clone()),
        starts_on: r.starts_on.clone(),
        due_on: r.due_on.clone(),
        status,
        evidence: r.evidence.clone(),
        overdue,
    }
}

/// The change per area between an earlier diagnostic and this one, in the reader's words.
fn change_lines(
    m: &Methodology,
    kind: Diagnostic,
    before: &[AreaResult],
    after: &[AreaResult],
    lang: Lang,
) -> Vec<ChangeLine> {
    let result = |areas: &[AreaResult]| DeficitResult {
        methodology_version: m.version.to_string(),
        self_assessed: true,
        areas: areas.to_vec(),
        weakest: Vec::new(),
        iom: Vec::new(),
    };
    surveys::deficits::change(m, kind, &result(before), &result(after))
        .into_iter()
        .map(|c| ChangeLine {
            area: crate::views::area_name(m, &c.area, lang),
            before: format!("{:.0} %", c.before),
            after: format!("{:.0} %", c.after),
            delta: format!("{:+.0}", c.change),
            verdict: match (c.beyond, c.change > 0.0) {
                (false, _) => lang.tr("в пределах погрешности", "within the uncertainty"),
                (true, true) => lang.tr("лучше", "better"),
                (true, false) => lang.tr("хуже", "worse"),
            }
            .to_owned(),
        })
        .collect()
}
