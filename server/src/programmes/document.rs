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
use docx_rs::{AlignmentType, Docx, Paragraph};

use super::page::programme;
use crate::cookies;
use crate::documents::{a4, heading, pack, run, table, text, DOCX};
use crate::error::ServerError;
use crate::reply::attachment;
use crate::scope::Gate;
use crate::storage::Storage;

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
    State(yardstick): State<crate::yardstick::Yardstick>,
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
