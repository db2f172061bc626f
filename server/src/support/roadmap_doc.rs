//! A roadmap as a Word document (DOCX, A4): its title, and per track the table of activities —
//! dates, responsible, target schools, expected result, status and the documents attached.
//! Built from the same view as the roadmap's page.

use app::access::Viewer;
use app::i18n::Lang;
use app::support::RoadmapPage;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use docx_rs::{AlignmentType, Paragraph};

use crate::cookies;
use crate::documents::{a4, heading, pack, run, table, text, DOCX};
use crate::error::ServerError;
use crate::reply::attachment;
use crate::support::Support;

/// The roadmap as DOCX bytes.
pub fn document(r: &RoadmapPage, lang: Lang) -> Result<Vec<u8>, ServerError> {
    let mut doc = a4()
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(run(lang.tr("Дорожная карта", "Roadmap")).bold().size(32)),
        )
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(run(&r.item.title).bold().size(28)),
        )
        .add_paragraph(text(&format!("{} · {}", r.item.owner, r.item.year)))
        .add_paragraph(text(&match lang {
            Lang::Ru => format!(
                "Выполнено: {} %; просрочено мероприятий: {}",
                r.item.progress, r.item.overdue
            ),
            Lang::En => format!(
                "Done: {} %; activities overdue: {}",
                r.item.progress, r.item.overdue
            ),
        }));
    for (i, t) in r.tracks.iter().enumerate() {
        doc = doc.add_paragraph(heading(
            &format!("{}. {} ({} %)", i + 1, t.title, t.progress),
            26,
        ));
        let rows = t
            .activities
            .iter()
            .map(|a| {
                let mut status = a.status.label(lang).to_owned();
                if a.overdue {
                    status.push_str(lang.tr(" (просрочено)", " (overdue)"));
                }
                let files = a
                    .files
                    .iter()
                    .map(|f| f.name.clone())
                    .collect::<Vec<_>>()
                    .join("; ");
                vec![
                    a.title.clone(),
                    format!("{} — {}", a.starts_on, a.due_on),
                    a.responsible.clone(),
                    a.targets.clone(),
                    a.expected.clone(),
                    status,
                    files,
                ]
            })
            .collect();
        doc = doc.add_table(table(
            &[
                lang.tr("Мероприятие", "Activity"),
                lang.tr("Сроки", "Dates"),
                lang.tr("Ответственный", "Responsible"),
                lang.tr("Целевые школы", "Target schools"),
                lang.tr("Ожидаемый результат", "Expected result"),
                lang.tr("Состояние", "Status"),
                lang.tr("Документы", "Documents"),
            ],
            rows,
            &[22, 12, 14, 14, 16, 10, 12],
        ));
    }
    pack(doc)
}

/// `GET /export/roadmaps/{id}/roadmap.docx`: to whoever reads the roadmap.
pub async fn roadmap_docx(
    State(support): State<Support>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, ServerError> {
    let lang = cookies::lang(&headers);
    let page = support
        .roadmap_view(&viewer, id, lang)
        .await?
        .ok_or(ServerError::NotFound)?;
    let bytes = document(&page, lang)?;
    Ok(attachment(DOCX, &format!("roadmap-{id}.docx"), true, bytes))
}
