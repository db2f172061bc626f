//! The demand for professional development (behind `DevelopmentSource::demand`, and as a
//! workbook): a campaign's diagnostics kept as plans, counted per municipality by
//! `surveys::deficits::demand` — only municipalities of enough teachers and schools, the total
//! over the shown ones alone — for the roles that plan courses (`app::access::PLANNERS`).

use std::collections::{BTreeMap, HashMap};

use app::access::{Viewer, PLANNERS};
use app::development::{DemandLine, DemandView};
use app::i18n::Lang;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use serde::Deserialize;
use surveys::deficits::DemandEntry;
use validator::Validate;

use super::Development;
use crate::error::ServerError;
use crate::problem::Refused;
use crate::reply::{attachment, XLSX};

impl Development {
    /// The demand of a campaign (the newest with plans by default) in the viewer's schools.
    pub async fn demand(
        &self,
        viewer: &Viewer,
        campaign: Option<i64>,
        lang: Lang,
    ) -> Result<Option<DemandView>, ServerError> {
        if !PLANNERS.contains(&viewer.role) {
            return Ok(None);
        }
        let m = self.gate.methodology();
        // Teachers only: a principal's management plan enters no count.
        let teachers = surveys::deficits::Diagnostic::Teacher;
        let campaigns = self.storage.campaigns_with_plans(teachers).await?;
        let chosen = campaign
            .filter(|c| campaigns.iter().any(|(id, _)| id == c))
            .or_else(|| campaigns.first().map(|(id, _)| *id));
        let mut view = DemandView {
            campaigns,
            campaign: chosen,
            municipalities: Vec::new(),
            teachers: Vec::new(),
            teachers_total: 0,
            areas: Vec::new(),
            activities: Vec::new(),
            hidden: 0,
            min_teachers: m.deficits.min_teachers,
            min_schools: m.deficits.demand_min_schools,
        };
        let Some(campaign) = chosen else {
            return Ok(Some(view));
        };
        // The viewer's schools: each plan is counted in its school's municipality.
        let schools: HashMap<i64, (i64, String)> = self
            .gate
            .schools(viewer)
            .await?
            .into_iter()
            .map(|s| (s.id, (s.municipality_id, s.municipality)))
            .collect();
        let (plans, chosen_items) = self.storage.campaign_plans(campaign, teachers).await?;
        let mut activities: HashMap<String, Vec<String>> = HashMap::new();
        for (key, activity) in chosen_items {
            activities.entry(key).or_default().push(activity);
        }
        let mut names: BTreeMap<i64, String> = BTreeMap::new();
        let mut entries = Vec::new();
        for (key, school, result) in plans {
            let Some((municipality, name)) = schools.get(&school) else {
                continue;
            };
            let areas = super::areas_of(&result)?;
            names.insert(*municipality, name.clone());
            entries.push(DemandEntry {
                group: *municipality,
                school,
                areas,
                chosen: activities.remove(&key).unwrap_or_default(),
            });
        }
        let d = surveys::deficits::demand(m, &entries);
        // Columns by the municipality's name.
        let mut rows: Vec<&surveys::deficits::DemandRow> = d.rows.iter().collect();
        rows.sort_by(|a, b| names.get(&a.group).cmp(&names.get(&b.group)));
        view.municipalities = rows
            .iter()
            .map(|r| names.get(&r.group).cloned().unwrap_or_default())
            .collect();
        view.teachers = rows.iter().map(|r| r.teachers).collect();
        view.teachers_total = d.total.teachers;
        view.hidden = d.hidden;
        let line = |name: String, pick: &dyn Fn(&surveys::deficits::DemandRow) -> u32| DemandLine {
            name,
            counts: rows.iter().map(|r| pick(r)).collect(),
            total: pick(&d.total),
        };
        view.areas = m
            .deficits
            .areas
            .iter()
            .map(|a| {
                line(a.name.get(lang.code()).to_owned(), &|r| {
                    r.deficits.get(&a.key).copied().unwrap_or(0)
                })
            })
            .collect();
        view.activities = surveys::deficits::activities(m, teachers)
            .map(|e| {
                line(e.title.get(lang.code()).to_owned(), &|r| {
                    r.chosen.get(&e.key).copied().unwrap_or(0)
                })
            })
            .collect();
        Ok(Some(view))
    }
}

#[derive(Deserialize, Validate)]
pub struct DemandQuery {
    #[validate(range(min = 1))]
    campaign: Option<i64>,
}

/// `GET /export/development.xlsx?campaign=`: the demand page's tables as a workbook.
pub async fn xlsx(
    State(dev): State<Development>,
    Extension(viewer): Extension<Viewer>,
    headers: HeaderMap,
    Query(q): Query<DemandQuery>,
) -> Result<Response, ServerError> {
    q.validate().map_err(Refused::from)?;
    let lang = crate::cookies::lang(&headers);
    let Some(view) = dev.demand(&viewer, q.campaign, lang).await? else {
        return Err(ServerError::NotFound);
    };
    let bytes = workbook(&view, lang).map_err(|e| ServerError::Write(e.to_string()))?;
    Ok(attachment(
        XLSX,
        "orientir-development-demand.xlsx",
        false,
        bytes,
    ))
}

fn workbook(view: &DemandView, lang: Lang) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use surveys::tables::Cell;
    let mut book = rust_xlsxwriter::Workbook::new();
    let teachers = view.teachers_line(lang);
    let sheets = [
        (
            lang.tr("Дефициты", "Deficits"),
            lang.tr("Область", "Area"),
            std::iter::once(&teachers)
                .chain(&view.areas)
                .collect::<Vec<_>>(),
        ),
        (
            lang.tr("Мероприятия", "Activities"),
            lang.tr("Мероприятие", "Activity"),
            view.activities.iter().collect(),
        ),
    ];
    for (title, first, lines) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(title)?;
        sheet.set_column_width(0, 60)?;
        let mut columns = vec![first.to_owned()];
        columns.extend(view.municipalities.iter().cloned());
        columns.push(lang.tr("Всего", "Total").to_owned());
        let rows = lines.iter().map(|l| {
            let mut row = vec![Cell::Text(l.name.clone())];
            row.extend(l.counts.iter().map(|n| Cell::Number(f64::from(*n))));
            row.push(Cell::Number(f64::from(l.total)));
            row
        });
        crate::documents::write_rows(sheet, &columns, rows, 0)?;
        let note = match lang {
            Lang::Ru => format!(
                "Муниципалитет показан, если в нём не меньше {} педагогов из не меньше {} школ; не показано: {}. «Всего» — сумма показанных.",
                view.min_teachers, view.min_schools, view.hidden
            ),
            Lang::En => format!(
                "A municipality is shown with at least {} teachers of at least {} schools; not shown: {}. The total adds the shown ones.",
                view.min_teachers, view.min_schools, view.hidden
            ),
        };
        sheet.write_string(lines.len() as u32 + 2, 0, note)?;
    }
    book.save_to_buffer()
}
