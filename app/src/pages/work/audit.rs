//! The audit log for an admin: who read or changed what is sensitive, when and from where,
//! filtered by action and days, searched by login or path, paged, and downloaded as CSV with the
//! same filter.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::campaign::report_page;
use super::listing::{list_query, ListForm, Pager, Shown, SortHeader};
use crate::access::Viewer;
use crate::i18n::Lang;
use crate::listing::PER_PAGE_CHOICES;
use crate::work::{get_audit, AuditPage, AuditQuery};

fn audit_query() -> impl Fn() -> AuditQuery + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || {
        let q = query.read();
        let some = |key: &str| q.get(key).filter(|v| !v.trim().is_empty());
        AuditQuery {
            action: some("action"),
            from: some("from"),
            to: some("to"),
        }
    }
}

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let filter = audit_query();
    let list = list_query();
    let page = super::page_data(move || (filter(), list()), |(f, l)| get_audit(f, l));
    report_page(page, audit_view)
}

fn audit_view(a: AuditPage, lang: Lang, _viewer: &Viewer) -> AnyView {
    let paging = a.paging.clone();
    let f = a.filter.clone();
    // The same selection as a file: the filter and the search, not the page.
    let csv = format!(
        "/export/audit.csv{}",
        crate::listing::query_string([
            ("action", f.action.clone().unwrap_or_default()),
            ("from", f.from.clone().unwrap_or_default()),
            ("to", f.to.clone().unwrap_or_default()),
            ("q", paging.q.clone()),
        ])
    );
    let chosen = f.action.clone().unwrap_or_default();
    let (searched, per) = (paging.q.clone(), paging.per);
    view! {
        <h1>{lang.tr("Журнал аудита", "Audit log")}</h1>
        <p class="lead">{match lang {
            Lang::Ru => format!("Кто и когда открывал или менял чувствительные данные: выгрузки ответов, листы кодов, учётные записи, публикации, загрузки, удаления. Строки хранятся {} дн.; ответов респондентов здесь нет.", a.days),
            Lang::En => format!("Who read or changed sensitive data, and when: answer exports, code sheets, accounts, publications, imports, deletions. Lines are kept for {} days; no respondent's answers are here.", a.days),
        }}</p>
        <ListForm lang>
            <label for="action">{lang.tr("Действие", "Action")}</label>
            <select id="action" name="action">
                <option value="">{lang.tr("все", "all")}</option>
                {a.actions.iter().map(|x| view! { <option value=x.clone() selected=*x == chosen>{x.clone()}</option> }).collect_view()}
            </select>
            <label for="from">{lang.tr("С", "From")}</label>
            <input type="date" id="from" name="from" value=f.from.clone().unwrap_or_default() />
            <label for="to">{lang.tr("По", "To")}</label>
            <input type="date" id="to" name="to" value=f.to.clone().unwrap_or_default() />
            <label for="q">{lang.tr("Логин или адрес страницы", "Login or page address")}</label>
            <input type="search" id="q" name="q" value=searched />
            <label for="per">{lang.tr("Строк на странице", "Rows per page")}</label>
            <select id="per" name="per">
                {PER_PAGE_CHOICES.into_iter().map(move |n| view! { <option value=n selected=n == per>{n}</option> }).collect_view()}
            </select>
            <button type="submit" class="secondary">{lang.tr("Показать", "Show")}</button>
        </ListForm>
        <p><a href=csv>{lang.tr("Скачать CSV с этим отбором", "Download this selection as CSV")}</a></p>
        {a.truncated.then(|| view! { <p class="notice" role="status">{lang.tr(
            "Отбор оставил слишком много строк: показаны самые новые. Сузьте даты.",
            "The selection leaves too many lines: the newest are shown. Narrow the days.",
        )}</p> })}
        <Shown paging=paging.clone() lang />
        <div class="wide list" tabindex="0" role="region" aria-label=lang.tr("Журнал аудита", "Audit log")>
            <table class="audit">
                <thead><tr>
                    <SortHeader label=lang.tr("Когда (UTC)", "When (UTC)").into() column="at".into() paging=paging.clone() lang />
                    <SortHeader label=lang.tr("Логин", "Login").into() column="login".into() paging=paging.clone() lang />
                    <SortHeader label=lang.tr("Действие", "Action").into() column="action".into() paging=paging.clone() lang />
                    <th scope="col">{lang.tr("Адрес страницы", "Page address")}</th>
                    <th scope="col">{lang.tr("IP-адрес", "IP address")}</th>
                </tr></thead>
                <tbody>
                    {a.lines.into_iter().map(|l| view! {
                        <tr><td>{l.at}</td><td>{l.login}</td><td>{l.action}</td><td>{l.path}</td><td>{l.address}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <Pager paging lang />
    }
    .into_any()
}
