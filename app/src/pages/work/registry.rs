//! The registry page: the schools in scope with their municipality and region, a school added or
//! edited by hand (with its municipality and region, found by code), and a bulk import from CSV or
//! XLSX with its documented columns and a template.

use leptos::prelude::*;

use super::{query, Csrf, WorkFrame};
use crate::access::Viewer;
use crate::i18n::Lang;
use crate::work::{get_new_campaign, NewCampaignPage as Page, RegionAgreement};

/// Who agrees each region's anti-risk programmes, with a form per region.
fn agreement_section(list: Vec<RegionAgreement>, viewer: &Viewer, lang: Lang) -> AnyView {
    if list.is_empty() {
        return ().into_any();
    }
    let saved = query("agreement").map(|_| lang.tr("Сохранено.", "Saved."));
    let options = [
        ("curator", lang.tr("куратор школы", "the school's curator")),
        (
            "municipal",
            lang.tr("муниципальный координатор", "the municipal coordinator"),
        ),
        (
            "both",
            lang.tr(
                "оба по очереди: куратор, затем муниципалитет",
                "both in turn: the curator, then the municipality",
            ),
        ),
    ];
    view! {
        <section class="agreement" id="agreement">
            <h2>{lang.tr("Кто согласует антирисковые программы", "Who agrees the anti-risk programmes")}</h2>
            {saved.map(|t| view! { <p class="notice" role="status">{t}</p> })}
            {list.into_iter().map(|a| {
                let id = format!("agreement-{}", a.region_id);
                view! {
                    <form method="post" action="/work/registry/agreement" class="agreement-form">
                        <Csrf viewer=viewer.clone() />
                        <input type="hidden" name="region" value=a.region_id />
                        <label for=id.clone()>{a.region.clone()}</label>
                        <select id=id name="agreement">
                            {options.iter().map(|(key, label)| view! {
                                <option value=*key selected=a.agreement == *key>{*label}</option>
                            }).collect_view()}
                        </select>
                        <button type="submit" class="secondary">{lang.tr("Сохранить", "Save")}</button>
                    </form>
                }
            }).collect_view()}
        </section>
    }
    .into_any()
}

#[component]
pub fn RegistryPage() -> impl IntoView {
    let page = super::page_data(|| (), |_| get_new_campaign());
    let imported = super::number("imported");
    let edit = query("edit");
    view! {
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || page.get().map(|r| {
                let edit = edit.clone();
                match r {
                    Ok(Page { session, schools, agreements, .. }) => {
                        let lang = session.lang;
                        let Some(viewer) = session.viewer else { return ().into_any() };
                        let upload = format!("/work/registry/import?_csrf={}", viewer.csrf);
                        let problem = super::notice(&viewer, "problem");
                        // Editing a school: its row fills the form. Otherwise a coordinator of
                        // one region gets that region filled in.
                        let editing = edit.as_deref().and_then(|code| schools.iter().find(|s| s.code == code)).cloned();
                        let one_region = schools.first().filter(|f| schools.iter().all(|s| s.region_code == f.region_code)).cloned();
                        let value = |name: &str| -> String {
                            let from = editing.as_ref().or(one_region.as_ref().filter(|_| name.starts_with("region")));
                            from.map(|s| match name {
                                "region_code" => s.region_code.clone(),
                                "region_name" => s.region.clone(),
                                "municipality_code" => s.municipality_code.clone(),
                                "municipality_name" => s.municipality.clone(),
                                "school_code" => s.code.clone(),
                                _ => s.name.clone(),
                            }).unwrap_or_default()
                        };
                        let fields = [
                            ("region_code", lang.tr("Код региона", "Region code")),
                            ("region_name", lang.tr("Регион", "Region")),
                            ("municipality_code", lang.tr("Код муниципалитета", "Municipality code")),
                            ("municipality_name", lang.tr("Муниципалитет", "Municipality")),
                            ("school_code", lang.tr("Код школы", "School code")),
                            ("school_name", lang.tr("Название школы", "School name")),
                        ].map(|(name, label)| (name, label, value(name)));
                        let form_title = match &editing {
                            Some(s) => match lang {
                                crate::i18n::Lang::Ru => format!("Изменить: {}", s.name),
                                crate::i18n::Lang::En => format!("Edit: {}", s.name),
                            },
                            None => lang.tr("Добавить школу", "Add a school").to_owned(),
                        };
                        let is_editing = editing.is_some();
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
                                {agreement_section(agreements, &viewer, lang)}
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
                                <h2 id="school-form">{form_title}</h2>
                                <p class="hint">{lang.tr(
                                    "Регион и муниципалитет находятся по коду: новое название переименует их для всех их школ. Код школы — её постоянный ключ.",
                                    "The region and the municipality are found by their code: a new name renames them for all their schools. A school's code is its permanent key.",
                                )}</p>
                                <form method="post" action="/work/registry/schools" class="login-form">
                                    <super::Csrf viewer=viewer.clone() />
                                    {fields.into_iter().map(|(name, label, value)| view! {
                                        <label for=format!("r-{name}")>{label}</label>
                                        <input id=format!("r-{name}") name=name type="text" required value=value
                                            readonly={is_editing && name == "school_code"} />
                                    }).collect_view()}
                                    <button type="submit">{lang.tr("Сохранить", "Save")}</button>
                                    {is_editing.then(|| view! { " " <a href="/work/registry">{lang.tr("Отмена", "Cancel")}</a> })}
                                </form>
                                <h2>{lang.tr("Школы", "Schools")}</h2>
                                <table class="registry">
                                    <thead><tr>
                                        <th scope="col">{lang.tr("Регион", "Region")}</th>
                                        <th scope="col">{lang.tr("Муниципалитет", "Municipality")}</th>
                                        <th scope="col">{lang.tr("Код", "Code")}</th>
                                        <th scope="col">{lang.tr("Школа", "School")}</th>
                                        <th scope="col"><span class="sr-only">{lang.tr("Действие", "Action")}</span></th>
                                    </tr></thead>
                                    <tbody>
                                        {schools.into_iter().map(|s| {
                                            let href = format!("/work/registry?edit={}#school-form", s.code);
                                            let label = match lang {
                                                crate::i18n::Lang::Ru => format!("Изменить: {}", s.name),
                                                crate::i18n::Lang::En => format!("Edit: {}", s.name),
                                            };
                                            view! { <tr>
                                                <td>{s.region}</td>
                                                <td>{s.municipality}</td>
                                                <td><code>{s.code}</code></td>
                                                <td>{s.name}</td>
                                                <td><a href=href rel="external" aria-label=label>{lang.tr("Изменить", "Edit")}</a></td>
                                            </tr> }
                                        }).collect_view()}
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
