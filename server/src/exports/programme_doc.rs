//! A school's anti-risk programme as a Word document (DOCX, A4), as schools file it: the title
//! block, each chosen risk with its reasoning, goal and tasks, the measures table, the targets
//! (with the results once a later campaign is published) and the agreement block with its
//! dates and lines to sign. Built from the same view as the programme's page.

use app::access::Viewer;
use app::i18n::Lang;
use app::reports::{ProgrammeView, RiskPlanView};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use docx_rs::{
    AlignmentType, Docx, PageMargin, Paragraph, Run, RunFonts, Table, TableCell, TableRow,
    WidthType,
};

use crate::cookies;
use crate::error::ServerError;
use crate::reply::attachment;
use crate::reports::programme;
use crate::scope::Gate;
use crate::storage::Storage;

/// The content type of a Word document.
pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// A4 in twentieths of a point, and 2 cm (left 3 cm) margins, as Russian documents are laid out.
const A4: (u32, u32) = (11_906, 16_838);
/// The width of the text between the margins, in twentieths of a point.
const TEXT_WIDTH: usize = 11_906 - 1_701 - 850;

/// Text as XML 1.0 may hold it: the control characters it forbids (all under U+0020 but tab,
/// line feed and carriage return, and U+FFFE, U+FFFF) are dropped. One typed U+0001 in a measure
/// made the whole document unopenable; docx-rs escapes markup but keeps these.
fn xml_safe(t: &str) -> String {
    t.chars()
        .filter(|c| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..))
        .collect()
}

/// A run of text: every text of the document goes through here.
pub(crate) fn run(t: &str) -> Run {
    Run::new().add_text(xml_safe(t))
}

pub(crate) fn text(t: &str) -> Paragraph {
    Paragraph::new().add_run(run(t))
}

pub(crate) fn heading(t: &str, size: usize) -> Paragraph {
    Paragraph::new().add_run(run(t).bold().size(size))
}

/// A table with a bold header row, its columns in proportion to `widths`.
pub(crate) fn table(header: &[&str], rows: Vec<Vec<String>>, widths: &[usize]) -> Table {
    let total: usize = widths.iter().sum();
    let grid: Vec<usize> = widths.iter().map(|w| w * TEXT_WIDTH / total).collect();
    let cell = |t: &str, bold: bool| {
        let small = run(t).size(20);
        TableCell::new().add_paragraph(Paragraph::new().add_run(if bold {
            small.bold()
        } else {
            small
        }))
    };
    let mut all = vec![TableRow::new(
        header.iter().map(|h| cell(h, true)).collect(),
    )];
    all.extend(
        rows.into_iter()
            .map(|r| TableRow::new(r.iter().map(|c| cell(c, false)).collect())),
    );
    Table::new(all)
        .set_grid(grid)
        .width(TEXT_WIDTH, WidthType::Dxa)
}

fn risk_part(doc: Docx, r: &RiskPlanView, lang: Lang) -> Docx {
    let level = r
        .level
        .as_ref()
        .map(|l| format!(" — {}", l.name))
        .unwrap_or_default();
    let mut doc = doc
        .add_paragraph(heading(&format!("{} {}{level}", r.factor, r.name), 26))
        .add_paragraph(text(&format!(
            "{}{}",
            lang.tr("Обоснование выбора: ", "Why chosen: "),
            r.reasoning
        )))
        .add_paragraph(text(&format!("{}{}", lang.tr("Цель: ", "Goal: "), r.goal)))
        .add_paragraph(text(&format!(
            "{}{}",
            lang.tr("Задачи: ", "Tasks: "),
            r.tasks
        )))
        .add_paragraph(heading(lang.tr("Мероприятия", "Measures"), 22));
    let measures = r
        .measures
        .iter()
        .map(|m| {
            let dates = format!(
                "{} — {}",
                m.starts_on.clone().unwrap_or_default(),
                m.due_on.clone().unwrap_or_default()
            );
            let mut status = m.status.clone();
            if m.overdue {
                status.push_str(lang.tr(" (просрочено)", " (overdue)"));
            }
            vec![
                m.action.clone(),
                m.responsible.clone(),
                dates,
                m.expected_result.clone(),
                status,
            ]
        })
        .collect();
    doc = doc.add_table(table(
        &[
            lang.tr("Мероприятие", "Measure"),
            lang.tr("Ответственный", "Responsible"),
            lang.tr("Сроки", "Dates"),
            lang.tr("Ожидаемый результат", "Expected result"),
            lang.tr("Состояние", "Status"),
        ],
        measures,
        &[32, 18, 14, 24, 12],
    ));
    doc = doc.add_paragraph(heading(lang.tr("Целевые показатели", "Targets"), 22));
    let targets = r
        .targets
        .iter()
        .map(|t| {
            vec![
                t.name.clone(),
                t.baseline.clone().unwrap_or_else(|| "—".into()),
                t.target.clone(),
            ]
        })
        .collect();
    doc.add_table(table(
        &[
            lang.tr("Показатель", "Indicator"),
            lang.tr("Было", "Baseline"),
            lang.tr("Цель", "Target"),
        ],
        targets,
        &[60, 20, 20],
    ))
}

/// The programme as a DOCX document.
/// An empty A4 document with 2 cm margins (3 cm on the left), Times New Roman 12 pt.
pub(crate) fn a4() -> Docx {
    Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(
            PageMargin::new()
                .top(1134)
                .bottom(1134)
                .left(1701)
                .right(850),
        )
        .default_fonts(
            RunFonts::new()
                .ascii("Times New Roman")
                .hi_ansi("Times New Roman")
                .cs("Times New Roman"),
        )
        .default_size(24)
}

/// The document's bytes.
pub(crate) fn pack(doc: Docx) -> Result<Vec<u8>, ServerError> {
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .map_err(|e| ServerError::Write(e.to_string()))?;
    Ok(out.into_inner())
}

/// The support work beside a programme, for its appendix: the school's visits and
/// recommendations as table rows, worded.
#[derive(Debug, Default)]
pub struct Appendix {
    pub visits: Vec<Vec<String>>,
    pub recommendations: Vec<Vec<String>>,
}

impl Appendix {
    /// The school's visits and recommendations from storage.
    pub async fn of_school(
        storage: &Storage,
        school: i64,
        lang: Lang,
    ) -> Result<Appendix, ServerError> {
        let visits = storage
            .visits_of(school)
            .await?
            .into_iter()
            .map(|v| {
                vec![
                    v.day.to_string(),
                    v.mode.label(lang).to_owned(),
                    v.status.label(lang).to_owned(),
                    v.user_name,
                    v.purpose,
                    v.findings,
                ]
            })
            .collect();
        let recommendations = storage
            .recommendations_of(school)
            .await?
            .into_iter()
            .map(|r| {
                vec![
                    r.body,
                    r.responsible.label(lang).to_owned(),
                    r.due_on.to_string(),
                    r.status.label(lang).to_owned(),
                    r.answer,
                ]
            })
            .collect();
        Ok(Appendix {
            visits,
            recommendations,
        })
    }
}

pub fn document(
    p: &ProgrammeView,
    appendix: &Appendix,
    lang: Lang,
) -> Result<Vec<u8>, ServerError> {
    let status = p.status.map(|s| s.label(lang)).unwrap_or("");
    let mut doc = a4()
        .add_paragraph(
            Paragraph::new().align(AlignmentType::Center).add_run(
                run(lang.tr("Антирисковая программа", "Anti-risk programme"))
                    .bold()
                    .size(32),
            ),
        )
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(run(&p.school).bold().size(28)),
        )
        .add_paragraph(text(&format!(
            "{}{}",
            lang.tr("Муниципалитет: ", "Municipality: "),
            p.municipality
        )))
        .add_paragraph(text(&format!(
            "{}{}",
            lang.tr("По результатам кампании: ", "After the campaign: "),
            p.campaign.name
        )))
        .add_paragraph(text(&format!(
            "{}{status}",
            lang.tr("Состояние: ", "Status: ")
        )));
    for r in &p.risks {
        doc = risk_part(doc, r, lang);
    }
    if !p.result_targets.is_empty() {
        doc = doc.add_paragraph(heading(
            lang.tr(
                "Целевые показатели по образовательным результатам",
                "Targets on educational results",
            ),
            26,
        ));
        let rows = p
            .result_targets
            .iter()
            .map(|t| {
                vec![
                    format!("{}: {}", t.factor, t.name),
                    t.baseline.clone().unwrap_or_else(|| "—".into()),
                    t.target.clone(),
                    t.judged_year.to_string(),
                    t.actual.clone().unwrap_or_else(|| "—".into()),
                    t.verdict.clone(),
                ]
            })
            .collect();
        doc = doc.add_table(table(
            &[
                lang.tr("Показатель", "Indicator"),
                lang.tr("Было", "Baseline"),
                lang.tr("Цель", "Target"),
                lang.tr("Год оценки", "Judged on"),
                lang.tr("Стало", "Actual"),
                lang.tr("Итог", "Verdict"),
            ],
            rows,
            &[34, 14, 10, 10, 12, 20],
        ));
    }
    if let Some(results) = &p.results {
        doc = doc.add_paragraph(heading(
            &match lang {
                Lang::Ru => format!("Результаты по кампании «{}»", results.campaign),
                Lang::En => format!("Results by the campaign «{}»", results.campaign),
            },
            26,
        ));
        let rows = results
            .targets
            .iter()
            .map(|t| {
                vec![
                    format!("{}: {}", t.factor, t.name),
                    t.baseline.clone().unwrap_or_else(|| "—".into()),
                    t.target.clone(),
                    t.actual.clone().unwrap_or_else(|| "—".into()),
                    t.verdict.clone(),
                ]
            })
            .collect();
        doc = doc.add_table(table(
            &[
                lang.tr("Показатель", "Indicator"),
                lang.tr("Было", "Baseline"),
                lang.tr("Цель", "Target"),
                lang.tr("Стало", "Actual"),
                lang.tr("Итог", "Verdict"),
            ],
            rows,
            &[40, 14, 14, 14, 18],
        ));
    }
    doc = doc.add_paragraph(heading(lang.tr("Согласование", "Agreement"), 26));
    if p.agreement.is_empty() {
        doc = doc.add_paragraph(text(lang.tr(
            "Программа ещё не отправлена на согласование.",
            "The programme is not submitted yet.",
        )));
    }
    for a in &p.agreement {
        doc = doc.add_paragraph(text(&format!("{} — {}, {} UTC", a.what, a.who, a.when)));
    }
    for line in [
        lang.tr(
            "Руководитель образовательной организации",
            "Head of the school",
        ),
        lang.tr("Куратор", "Curator"),
        lang.tr("Муниципальный координатор", "Municipal coordinator"),
    ] {
        doc = doc.add_paragraph(text(&format!(
            "{line}: ____________________ / ____________ / «___» ________ 20__ г."
        )));
    }
    if !appendix.visits.is_empty() || !appendix.recommendations.is_empty() {
        doc = doc.add_paragraph(heading(
            lang.tr(
                "Приложение. Визиты и адресные рекомендации",
                "Appendix. Visits and recommendations",
            ),
            26,
        ));
        if !appendix.visits.is_empty() {
            doc = doc
                .add_paragraph(heading(lang.tr("Визиты", "Visits"), 22))
                .add_table(table(
                    &[
                        lang.tr("Дата", "Date"),
                        lang.tr("Формат", "Format"),
                        lang.tr("Состояние", "Status"),
                        lang.tr("Кто", "Who"),
                        lang.tr("Цель", "Purpose"),
                        lang.tr("Выводы", "Findings"),
                    ],
                    appendix.visits.clone(),
                    &[12, 12, 12, 16, 24, 24],
                ));
        }
        if !appendix.recommendations.is_empty() {
            doc = doc
                .add_paragraph(heading(lang.tr("Рекомендации", "Recommendations"), 22))
                .add_table(table(
                    &[
                        lang.tr("Рекомендация", "Recommendation"),
                        lang.tr("Ответственный", "Responsible"),
                        lang.tr("Срок", "Due"),
                        lang.tr("Состояние", "Status"),
                        lang.tr("Ответ школы", "The school's answer"),
                    ],
                    appendix.recommendations.clone(),
                    &[34, 16, 12, 16, 22],
                ));
        }
    }
    pack(doc)
}

/// `GET /export/campaigns/{id}/schools/{school}/programme.docx`: the programme as a Word
/// document, to whoever sees the school.
pub async fn programme_docx(
    State(gate): State<Gate>,
    State(storage): State<Storage>,
    State(yardstick): State<crate::results::Yardstick>,
    Extension(viewer): Extension<Viewer>,
    Path((campaign, school)): Path<(i64, i64)>,
    headers: HeaderMap,
) -> Result<Response, ServerError> {
    let lang = cookies::lang(&headers);
    let view = programme(
        &gate,
        &storage,
        &yardstick,
        &viewer,
        campaign,
        school,
        lang,
        crate::clock::today(),
    )
    .await?
    .filter(|p| p.status.is_some())
    .ok_or(ServerError::NotFound)?;
    let appendix = Appendix::of_school(&storage, school, lang).await?;
    let bytes = document(&view, &appendix, lang)?;
    let name = format!("programme-{campaign}-{school}.docx");
    Ok(attachment(DOCX, &name, true, bytes))
}

#[cfg(test)]
mod tests {
    #[test]
    fn characters_xml_forbids_are_dropped_and_the_rest_kept() {
        assert_eq!(
            super::xml_safe("a\u{1}b\u{8}\tc\nd\u{FFFE}е\u{1F600}"),
            "ab\tc\ndе\u{1F600}"
        );
    }
}
