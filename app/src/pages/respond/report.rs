//! A teacher's own deficit report: areas with bands, weakest sub-skills, the draft ИОМ. Prints cleanly.

use leptos::prelude::*;

use crate::respond::ReportView;

#[component]
pub fn Report(report: ReportView) -> impl IntoView {
    view! {
        <div class="report">
            <h2>"Ваши результаты"</h2>
            <p class="hint">"Результат основан на вашей самооценке и нескольких вопросах на знание. Его видите только вы."</p>
            <table>
                <caption>"Области профессиональных умений"</caption>
                <thead><tr><th scope="col">"Область"</th><th scope="col" class="num">"Результат"</th><th scope="col">"Оценка"</th></tr></thead>
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
                <h3>"Что стоит подтянуть в первую очередь"</h3>
                <ul>{report.weakest.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
            })}
            <h3>"Проект индивидуального образовательного маршрута (ИОМ)"</h3>
            {if report.iom.is_empty() {
                view! { <p>"Выраженных дефицитов нет: обсудите с методистом, чем вы можете поделиться с коллегами."</p> }.into_any()
            } else {
                view! {
                    <ol class="iom">
                        {report.iom.into_iter().map(|i| view! {
                            <li>
                                <p><strong>{i.title}</strong></p>
                                <p>{format!("{} · {}{}", i.area, i.format, i.hours.map(|h| format!(" · {h} ч")).unwrap_or_default())}</p>
                                <p>"Цель: "{i.goal}</p>
                                <p>"Срок: "{i.deadline}" · Подтверждение: "{i.evidence}</p>
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
            <p class="no-print"><button type="button" onclick="window.print()">"Распечатать"</button></p>
        </div>
    }
}
