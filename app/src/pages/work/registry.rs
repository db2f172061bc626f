//! The registry page: the schools in scope, a school added or renamed by hand, and a bulk import
//! from CSV or XLSX with its documented columns and a template.

use leptos::prelude::*;

use super::{query, WorkFrame};
use crate::work::{get_new_campaign, NewCampaignPage as Page};

#[component]
pub fn RegistryPage() -> impl IntoView {
    let page = Resource::new(|| (), |_| get_new_campaign());
    let problem = query("problem");
    let imported = query("imported");
    view! {
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || page.get().map(|r| {
                let (problem, imported) = (problem.clone(), imported.clone());
                match r {
                    Ok(Page { session, schools, .. }) => {
                        let lang = session.lang;
                        let Some(viewer) = session.viewer else { return ().into_any() };
                        let upload = format!("/work/registry/import?_csrf={}", viewer.csrf);
                        let fields = [
                            ("region_code", lang.tr("Код региона", "Region code")),
                            ("region_name", lang.tr("Регион", "Region")),
                            ("municipality_code", lang.tr("Код муниципалитета", "Municipality code")),
                            ("municipality_name", lang.tr("Муниципалитет", "Municipality")),
                            ("school_code", lang.tr("Код школы", "School code")),
                            ("school_name", lang.tr("Название школы", "School name")),
                        ];
                        view! {
                            <WorkFrame viewer=viewer.clone() lang>
                                <h1>{lang.tr("Реестр школ", "Registry of schools")}</h1>
                                {problem.map(|p| view! {
                                    <div class="error-summary" role="alert" tabindex="-1" id="errors">
                                        <h2>{lang.tr("Ничего не сохранено: исправьте и повторите", "Nothing was stored: correct and try again")}</h2>
                                        <ul>{p.lines().map(|l| view! { <li>{l.to_owned()}</li> }).collect_view()}</ul>
                                    </div>
                                })}
                                {imported.map(|n| view! {
                                    <p class="notice" role="status">{match lang {
                                        crate::i18n::Lang::Ru => format!("Сохранено школ: {n}."),
                                        crate::i18n::Lang::En => format!("Schools stored: {n}."),
                                    }}</p>
                                })}
                                <h2>{lang.tr("Загрузка из файла", "Import from a file")}</h2>
                                <p>{lang.tr(
                                    "CSV (UTF-8, запятая или точка с запятой) или XLSX, первая строка — заголовки: ",
                                    "CSV (UTF-8, comma or semicolon) or XLSX, headers in the first row: ",
                                )}<code>"region_code, region_name, municipality_code, municipality_name, school_code, school_name"</code>
                                {lang.tr(
                                    ". Существующие записи переименовываются по коду. Если хоть одна строка с ошибкой, ничего не сохраняется.",
                                    ". Existing entries are renamed by their code. If any row has a problem, nothing is stored.",
                                )}</p>
                                <p>
                                    <a href="/work/registry/template.csv">{lang.tr("Шаблон CSV", "CSV template")}</a>" · "
                                    <a href="/work/registry/template.xlsx">{lang.tr("Шаблон XLSX", "XLSX template")}</a>
                                </p>
                                <form method="post" action=upload enctype="multipart/form-data" class="login-form">
                                    <label for="file">{lang.tr("Файл", "File")}</label>
                                    <input id="file" name="file" type="file" accept=".csv,.xlsx" required />
                                    <button type="submit">{lang.tr("Загрузить", "Import")}</button>
                                </form>
                                <h2>{lang.tr("Добавить или переименовать школу", "Add or rename a school")}</h2>
                                <form method="post" action="/work/registry/schools" class="login-form">
                                    <super::Csrf viewer=viewer.clone() />
                                    {fields.into_iter().map(|(name, label)| view! {
                                        <label for=format!("r-{name}")>{label}</label>
                                        <input id=format!("r-{name}") name=name type="text" required />
                                    }).collect_view()}
                                    <button type="submit">{lang.tr("Сохранить", "Save")}</button>
                                </form>
                                <h2>{lang.tr("Школы", "Schools")}</h2>
                                <table class="registry">
                                    <thead><tr>
                                        <th scope="col">{lang.tr("Школа", "School")}</th>
                                        <th scope="col">{lang.tr("Муниципалитет", "Municipality")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {schools.into_iter().map(|s| view! { <tr><td>{s.name}</td><td>{s.municipality}</td></tr> }).collect_view()}
                                    </tbody>
                                </table>
                            </WorkFrame>
                        }.into_any()
                    }
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
