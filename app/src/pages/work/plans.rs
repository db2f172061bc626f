//! The development plans teachers shared with a methodist (of their school, or of their
//! municipality): each plan's activities, dates, marks and evidence, never the diagnostic's
//! answers or results; the owner may withdraw the plan at any time.

use leptos::prelude::*;

use super::campaign::report_page;
use crate::access::Viewer;
use crate::development::{get_shared_plans, PlanItemView, Reader, SharedPlans};
use crate::i18n::Lang;

#[component]
pub fn SharedPlansPage() -> impl IntoView {
    let page = super::page_data(|| (), |_| get_shared_plans());
    report_page(page, shared_view)
}

fn shared_view(s: SharedPlans, lang: Lang, _viewer: &Viewer) -> AnyView {
    let whose = match s.reader {
        Reader::School => lang.tr("учителя вашей школы", "teachers of your school"),
        Reader::Municipality => lang.tr(
            "педагоги школ муниципалитета",
            "teachers of the municipality's schools",
        ),
    };
    view! {
        <h1>{lang.tr("Индивидуальные образовательные маршруты", "Individual development plans")}</h1>
        <p class="lead">{match lang {
            Lang::Ru => format!("Планы, которые {whose} открыли вам сами. Вы видите мероприятия, сроки, отметки и подтверждения, но не ответы и не результаты диагностики; доступ владелец может закрыть в любой момент."),
            Lang::En => format!("Plans that {whose} chose to show you. You see the activities, dates, marks and evidence, never the answers or the diagnostic's results; the owner may stop showing a plan at any time."),
        }}</p>
        {if s.plans.is_empty() {
            view! { <p>{lang.tr("Пока никто не открыл вам свой план.", "Nobody has shown you a plan yet.")}</p> }.into_any()
        } else {
            view! {
                <ul class="shared-plans">
                    {s.plans.into_iter().map(|p| {
                        let (done, all) = p.progress();
                        let name = if p.signed.is_empty() { format!("{} {}", lang.tr("ИОМ", "Plan"), p.handle) } else { p.signed.clone() };
                        view! {
                            <li data-plan=p.handle.clone()>
                                <h2>{name}</h2>
                                <p>{match lang {
                                    Lang::Ru => format!("{} · открыт с {} · изменён {} · выполнено {done} из {all}", p.school, p.since, p.updated_on),
                                    Lang::En => format!("{} · shown since {} · changed {} · {done} of {all} done", p.school, p.since, p.updated_on),
                                }}</p>
                                <PlanItemsRead items=p.items lang />
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
    .into_any()
}

/// A plan's activities as a methodist reads them (no forms).
#[component]
fn PlanItemsRead(items: Vec<PlanItemView>, lang: Lang) -> impl IntoView {
    view! {
        <ol class="plan-items">
            {items.into_iter().map(|i| view! {
                <li class:overdue=i.overdue>
                    <p><strong>{i.title}</strong>" · "{i.status.label(lang)}{i.overdue.then(|| format!(" · {}", lang.tr("срок прошёл", "overdue")))}</p>
                    <p>{format!("{} — {}", i.starts_on.unwrap_or_else(|| "…".into()), i.due_on.unwrap_or_else(|| "…".into()))}</p>
                    {(!i.evidence.is_empty()).then(|| view! { <p>{lang.tr("Подтверждение: ", "Evidence: ")}{i.evidence}</p> })}
                </li>
            }).collect_view()}
        </ol>
    }
}
