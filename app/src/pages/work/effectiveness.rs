//! «Эффективность мер»: how often each catalogue measure appears in agreed programmes whose
//! targets were met versus not, across the viewer's schools. Descriptive, with counts; no row
//! (and no total) under the minimum of programmes.

use leptos::prelude::*;

use super::campaign::report_page;
use crate::i18n::Lang;
use crate::programmes::get_effectiveness;
use crate::reports::Effectiveness;

#[component]
pub fn EffectivenessPage() -> impl IntoView {
    let report = super::page_data(|| (), |_| get_effectiveness());
    report_page(report, |e: Effectiveness, lang, _| {
        let min = e.min;
        view! {
            <h1>{lang.tr("Эффективность мер", "Effectiveness of measures")}</h1>
            <p class="hint">{match lang {
                Lang::Ru => format!("Как часто мероприятие из каталога встречается в согласованных программах, чьи целевые показатели достигнуты (по следующей опубликованной кампании), и в тех, где нет. Это описание, а не доказательство: школы выбирали мероприятия сами. Строки, где программ меньше {min}, не показываются."),
                Lang::En => format!("How often a catalogue measure appears in agreed programmes whose targets were met (by the next published campaign), and in those whose were not. A description, not proof: schools chose their measures themselves. Rows with fewer than {min} programmes are not shown."),
            }}</p>
            {match e.judged {
                Some(n) => view! { <p class="judged">{match lang {
                    Lang::Ru => format!("Программ с измеренным результатом: {n}."),
                    Lang::En => format!("Programmes with a measured result: {n}."),
                }}</p> }.into_any(),
                None => view! { <p class="notice" role="status">{match lang {
                    Lang::Ru => format!("Программ с измеренным результатом пока меньше {min}: показывать нечего."),
                    Lang::En => format!("Fewer than {min} programmes have a measured result yet: nothing to show."),
                }}</p> }.into_any(),
            }}
            {(!e.rows.is_empty()).then(|| view! {
                <div class="wide" tabindex="0" role="region" aria-label=lang.tr("Эффективность мер", "Effectiveness of measures")><table class="effectiveness">
                    <thead><tr>
                        <th scope="col">{lang.tr("Фактор", "Factor")}</th>
                        <th scope="col">{lang.tr("Мероприятие", "Measure")}</th>
                        <th scope="col" class="num">{lang.tr("Цели достигнуты", "Targets met")}</th>
                        <th scope="col" class="num">{lang.tr("Не достигнуты", "Not met")}</th>
                    </tr></thead>
                    <tbody>
                        {e.rows.into_iter().map(|r| view! {
                            <tr><td>{r.factor}</td><td>{r.action}</td><td class="num">{r.met}</td><td class="num">{r.not_met}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table></div>
            })}
            <h2 id="results-outcomes">{lang.tr("По образовательным результатам", "By educational results")}</h2>
            <h3>{lang.tr("Результаты значимо улучшились", "Results improved significantly")}</h3>
            {if e.improved.is_empty() {
                view! { <p>{lang.tr("Нет школ, где доля «2» снизилась больше погрешности.", "No school's share of «2» fell beyond the uncertainty.")}</p> }.into_any()
            } else {
                view! { <ul class="improved">{e.improved.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul> }.into_any()
            }}
            <h3>{lang.tr("Соответствуют критериям выхода из списка", "Meet the criteria for leaving the list")}</h3>
            {if e.leaving.is_empty() {
                view! { <p>{lang.tr("Таких школ нет.", "None.")}</p> }.into_any()
            } else {
                view! { <ul class="leaving">{e.leaving.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul> }.into_any()
            }}
            <p><a href="/work/results">{lang.tr("Образовательные результаты и отбор школ →", "Educational results and selection of schools →")}</a></p>
            {(e.hidden > 0).then(|| view! { <p class="muted">{match lang {
                Lang::Ru => format!("Не показано мероприятий (меньше {min} программ): {}.", e.hidden),
                Lang::En => format!("Measures not shown (fewer than {min} programmes): {}.", e.hidden),
            }}</p> })}
        }
    })
}
