//! One's own diagnostic report (a teacher's deficits, a principal's management): areas with bands,
//! weakest sub-skills, the draft ИОМ. Prints cleanly.

use leptos::prelude::*;

use crate::i18n::Lang;
use crate::respond::ReportView;

#[component]
pub fn Report(report: ReportView, lang: Lang) -> impl IntoView {
    let (basis, caption, strong) = if report.principal {
        (
            lang.tr("Результат основан на вашей самооценке. Его видите только вы.", "The result rests on your self-assessment. Only you see it."),
            lang.tr("Области управленческих компетенций", "Areas of management skills"),
            lang.tr("Выраженных дефицитов нет: обсудите с куратором, каким опытом управления поделиться с коллегами.", "No deficits: discuss with the curator what management experience to share with colleagues."),
        )
    } else {
        (
            lang.tr("Результат основан на вашей самооценке и нескольких вопросах на знание. Его видите только вы.", "The result rests on your self-assessment and a few knowledge questions. Only you see it."),
            lang.tr("Области профессиональных умений", "Areas of professional skills"),
            lang.tr("Выраженных дефицитов нет: обсудите с методистом, чем вы можете поделиться с коллегами.", "No deficits: discuss with a methodist what you could share with colleagues."),
        )
    };
    view! {
        <div class="report">
            <h2>{lang.tr("Ваши результаты", "Your results")}</h2>
            <p class="hint">{basis}</p>
            <table>
                <caption>{caption}</caption>
                <thead><tr><th scope="col">{lang.tr("Область", "Area")}</th><th scope="col" class="num">{lang.tr("Результат", "Result")}</th><th scope="col">{lang.tr("Оценка", "Band")}</th></tr></thead>
                <tbody>
                    {report.areas.into_iter().map(|a| view! {
                        <tr>
                            <td>{a.name}</td>
                            <td class="num">{a.percent.map(|p| format!("{p:.0} %")).unwrap_or_else(|| "—".into())}</td>
                            <td><span class="band" style=format!("border-color:{}", a.colour)>{a.band}</span></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            {(!report.weakest.is_empty()).then(|| view! {
                <h3>{lang.tr("Что стоит подтянуть в первую очередь", "What to work on first")}</h3>
                <ul>{report.weakest.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
            })}
            <h3>{lang.tr("Проект индивидуального образовательного маршрута (ИОМ)", "Draft individual development plan")}</h3>
            {if report.iom.is_empty() {
                view! { <p>{strong}</p> }.into_any()
            } else {
                view! {
                    <ol class="iom">
                        {report.iom.into_iter().map(|i| view! {
                            <li>
                                <p><strong>{i.title}</strong></p>
                                <p>{format!("{} · {}{}", i.area, i.format, i.hours.map(|h| format!(" · {h} {}", lang.tr("ч", "h"))).unwrap_or_default())}</p>
                                <p>{lang.tr("Цель: ", "Goal: ")}{i.goal}</p>
                                <p>{lang.tr("Срок: ", "Deadline: ")}{i.deadline}{lang.tr(" · Подтверждение: ", " · Evidence: ")}{i.evidence}</p>
                                {i.provider.map(|p| view! { <p>{lang.tr("Кто проводит: ", "Offered by: ")}{p}</p> })}
                                {i.link.map(|href| { let shown = href.clone(); view! { <p>{lang.tr("Подробнее и запись: ", "Details and enrolment: ")}<a href=href>{shown}</a></p> } })}
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
            <p class="no-print"><button type="button" on:click=|_| { let _ = window().print(); }>{lang.tr("Распечатать", "Print")}</button></p>
        </div>
    }
}
