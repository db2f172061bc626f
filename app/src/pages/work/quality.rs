//! The quality of a campaign's instruments, for the region's methodologist: which scales hang
//! together, which questions people cannot answer or all answer alike, which deficit areas rest
//! on too few items.

use leptos::prelude::*;

use super::campaign::{id_param, report_page, CampaignNav, Publication};
use crate::i18n::Lang;
use crate::reports::{get_quality, QualityReport};

fn number(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_owned(), |x| surveys::text::decimals(x, 2))
}

fn flag(on: bool, lang: Lang) -> &'static str {
    if on {
        lang.tr("⚑ да", "⚑ yes")
    } else {
        ""
    }
}

#[component]
pub fn QualityPage() -> impl IntoView {
    let campaign = id_param("id");
    let quality = super::page_data(campaign, get_quality);
    report_page(quality, |q: QualityReport, lang, _| {
        let id = q.campaign.id;
        view! {
            <h1>{q.campaign.name.clone()}</h1>
            <CampaignNav campaign=id lang />
            <h2>{lang.tr("Качество инструментов", "Instrument quality")}</h2>
            <Publication campaign=q.campaign.clone() lang />
            <p class="hint">{lang.tr(
                "По опубликованным ответам школ кампании. α Кронбаха — согласованность вопросов одного фактора в одной группе (от 0,7 — приемлемо); корреляция «вопрос — остальные» ниже 0,2 говорит, что вопрос меряет другое; «затрудняюсь ответить» больше 30 % и вопросы, на которые все ответили одинаково, стоит переформулировать. Ничего не считается по группам меньше минимального числа ответивших.",
                "From the published answers of the campaign's schools. Cronbach's α: how consistently the questions of one factor in one group measure it (0.7 and above is acceptable); an item–rest correlation under 0.2 says the question measures something else; more than 30 % «don't know» and questions everyone answers alike are worth rewording. Nothing is computed from fewer respondents than the minimum.",
            )}</p>
            <h3>{lang.tr("Шкалы факторов", "Factor scales")}</h3>
            <div class="wide" tabindex="0" role="region" aria-label=lang.tr("Шкалы", "Scales")><table class="quality-scales">
                <thead><tr>
                    <th scope="col">{lang.tr("Группа", "Group")}</th>
                    <th scope="col">{lang.tr("Фактор", "Factor")}</th>
                    <th scope="col" class="num">{lang.tr("Вопросов", "Items")}</th>
                    <th scope="col" class="num">{lang.tr("Ответивших на все", "Answered all")}</th>
                    <th scope="col" class="num">"α"</th>
                </tr></thead>
                <tbody>
                    {q.scales.into_iter().map(|s| view! {
                        <tr>
                            <td>{s.group}</td>
                            <td>{s.factor}</td>
                            <td class="num">{s.items}</td>
                            <td class="num">{s.respondents}</td>
                            <td class="num alpha">{number(s.alpha)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table></div>
            <h3>{lang.tr("Вопросы", "Questions")}</h3>
            <div class="wide" tabindex="0" role="region" aria-label=lang.tr("Вопросы", "Items")><table class="quality-items">
                <thead><tr>
                    <th scope="col">{lang.tr("Группа", "Group")}</th>
                    <th scope="col">{lang.tr("Вопрос", "Question")}</th>
                    <th scope="col" class="num">{lang.tr("Ответивших", "Answered")}</th>
                    <th scope="col" class="num">{lang.tr("«Затрудняюсь»", "«Don't know»")}</th>
                    <th scope="col">{lang.tr("Больше 30 %", "Over 30 %")}</th>
                    <th scope="col">{lang.tr("Все одинаково", "All alike")}</th>
                    <th scope="col" class="num">{lang.tr("Вопрос — остальные", "Item–rest")}</th>
                </tr></thead>
                <tbody>
                    {q.items.into_iter().map(|i| {
                        let key = i.key.clone();
                        view! {
                        <tr data-item=key>
                            <td>{i.group}</td>
                            <td>{i.question}<br /><small class="muted">{i.key}{i.factor.map(|f| format!(" · {f}"))}</small></td>
                            <td class="num">{i.respondents}</td>
                            <td class="num">{i.dont_know.map_or_else(|| "—".to_owned(), |d| format!("{} %", surveys::text::decimals(d * 100.0, 0)))}</td>
                            <td>{flag(i.dont_know_flag, lang)}</td>
                            <td>{flag(i.no_variance, lang)}</td>
                            <td class="num">{number(i.item_rest)}</td>
                        </tr>
                    }}).collect_view()}
                </tbody>
            </table></div>
            <h3>{lang.tr("Области диагностики учителей", "Areas of the teachers' diagnostic")}</h3>
            <div class="wide" tabindex="0" role="region" aria-label=lang.tr("Области", "Areas")><table class="quality-areas">
                <thead><tr>
                    <th scope="col">{lang.tr("Область", "Area")}</th>
                    <th scope="col" class="num">{lang.tr("Вопросов", "Items")}</th>
                    <th scope="col">{lang.tr("Мало для надёжной оценки", "Too few for a reliable score")}</th>
                </tr></thead>
                <tbody>
                    {q.areas.into_iter().map(|a| view! {
                        <tr>
                            <td>{a.area}</td>
                            <td class="num">{a.items}</td>
                            <td>{flag(a.too_few, lang)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table></div>
        }
        .into_any()
    })
}
