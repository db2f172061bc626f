//! The admin's accounts page: who has access with which role and scope, creating an account,
//! deactivating and reactivating one.

use leptos::prelude::*;

use super::{Csrf, WorkFrame};
use crate::access::Role;
use crate::i18n::Lang;
use crate::work::{get_users_page, Choice, UsersPage as Page};

fn options(choices: Vec<Choice>, lang: Lang) -> impl IntoView {
    view! {
        <option value="">{lang.tr("—", "—")}</option>
        {choices.into_iter().map(|c| view! { <option value=c.id>{c.name}</option> }).collect_view()}
    }
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let page = super::page_data(|| (), |_| get_users_page());
    view! {
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || page.get().map(|r| { match r {
                Ok(Page { session, users, regions, municipalities, schools }) => {
                    let lang = session.lang;
                    let Some(viewer) = session.viewer else { return ().into_any() };
                    let problem = super::notice(&viewer, "problem");
                    view! {
                        <WorkFrame viewer=viewer.clone() lang>
                            <h1>{lang.tr("Учётные записи", "Accounts")}</h1>
                            <table class="users">
                                <thead><tr>
                                    <th scope="col">{lang.tr("Логин", "Login")}</th>
                                    <th scope="col">{lang.tr("Имя", "Name")}</th>
                                    <th scope="col">{lang.tr("Роль", "Role")}</th>
                                    <th scope="col">{lang.tr("Область видимости", "Scope")}</th>
                                    <th scope="col">{lang.tr("Доступ", "Access")}</th>
                                </tr></thead>
                                <tbody>
                                    {users.into_iter().map(|u| {
                                        let action = format!("/admin/users/{}/active", u.id);
                                        let lift = format!("/admin/users/{}/lift", u.id);
                                        let (label, next) = if u.active {
                                            (lang.tr("Отключить", "Deactivate"), "false")
                                        } else {
                                            (lang.tr("Включить", "Reactivate"), "true")
                                        };
                                        let login = u.login.clone();
                                        view! {
                                            <tr data-login=login>
                                                <td>{u.login}</td>
                                                <td>{u.name}</td>
                                                <td>{u.role.label(lang)}</td>
                                                <td>{u.scope}</td>
                                                <td>
                                                    {if u.active { lang.tr("активна", "active") } else { lang.tr("отключена", "deactivated") }}
                                                    <form method="post" action=action class="inline">
                                                        <Csrf viewer=viewer.clone() />
                                                        <input type="hidden" name="active" value=next />
                                                        <button type="submit" class="secondary">{label}</button>
                                                    </form>
                                                    <form method="post" action=lift class="inline">
                                                        <Csrf viewer=viewer.clone() />
                                                        <button type="submit" class="secondary">{lang.tr("Снять ожидание входа", "Lift the sign-in wait")}</button>
                                                    </form>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <h2>{lang.tr("Новая учётная запись", "New account")}</h2>
                            {problem.map(|p| view! { <div class="error-summary" role="alert"><p>{p}</p></div> })}
                            <form method="post" action="/admin/users/new" class="login-form">
                                <Csrf viewer=viewer.clone() />
                                <label for="new-login">{lang.tr("Логин", "Login")}</label>
                                <input id="new-login" name="login" type="text" required autocomplete="off" />
                                <label for="new-name">{lang.tr("Имя и должность", "Name and position")}</label>
                                <input id="new-name" name="name" type="text" required />
                                <label for="new-password">{lang.tr("Начальный пароль (не короче 10 символов)", "Initial password (at least 10 characters)")}</label>
                                <input id="new-password" name="password" type="password" required minlength="10" autocomplete="new-password" />
                                <label for="new-role">{lang.tr("Роль", "Role")}</label>
                                <select id="new-role" name="role">
                                    {Role::ALL.into_iter().map(|r| view! { <option value=r.key()>{r.label(lang)}</option> }).collect_view()}
                                </select>
                                <label for="new-region">{lang.tr("Регион (для регионального координатора)", "Region (for a regional coordinator)")}</label>
                                <select id="new-region" name="region">{options(regions, lang)}</select>
                                <label for="new-municipality">{lang.tr("Муниципалитет (для муниципального координатора или методиста)", "Municipality (for a municipal coordinator or methodist)")}</label>
                                <select id="new-municipality" name="municipality">{options(municipalities, lang)}</select>
                                <label for="new-schools">{lang.tr("Школа (для школы или её методиста) или школы куратора", "The school (for a school or its methodist), or the curator's schools")}</label>
                                <select id="new-schools" name="school" multiple size="6">
                                    {schools.into_iter().map(|c| view! { <option value=c.id>{c.name}</option> }).collect_view()}
                                </select>
                                <button type="submit">{lang.tr("Создать", "Create")}</button>
                            </form>
                        </WorkFrame>
                    }.into_any()
                }
                Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
            }})}
        </Suspense>
    }
}
