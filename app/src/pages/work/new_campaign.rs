//! Setting up a campaign: name, code, dates, grades, and the schools with how many teachers,
//! students and parents are expected at each. Access codes are generated on saving.

use leptos::prelude::*;

use super::{Csrf, WorkFrame};
use crate::work::{get_new_campaign, NewCampaignPage as Page};

#[component]
pub fn NewCampaignPage() -> impl IntoView {
    let page = super::page_data(|| (), |_| get_new_campaign());
    view! {
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || page.get().map(|r| {
                match r {
                    Ok(Page { session, methodology_version, schools, .. }) => {
                        let lang = session.lang;
                        let Some(viewer) = session.viewer else { return ().into_any() };
                        let problem = super::notice(&viewer, "problem");
                        view! {
                            <WorkFrame viewer=viewer.clone() lang>
                                <h1>{lang.tr("Новая кампания", "New campaign")}</h1>
                                {problem.map(|p| view! {
                                    <div class="error-summary" role="alert" tabindex="-1" id="errors">
                                        <h2>{lang.tr("Проверьте форму", "Please check the form")}</h2>
                                        <ul>{p.lines().map(|l| view! { <li>{l.to_owned()}</li> }).collect_view()}</ul>
                                    </div>
                                })}
                                <form method="post" action="/work/campaigns" class="campaign-form">
                                    <Csrf viewer=viewer.clone() />
                                    <div class="login-form">
                                        <label for="c-name">{lang.tr("Название", "Name")}</label>
                                        <input id="c-name" name="name" type="text" required placeholder="Весна 2027" />
                                        <label for="c-code">{lang.tr("Код кампании (латиницей)", "Campaign code (Latin letters)")}</label>
                                        <input id="c-code" name="code" type="text" required pattern="[a-z0-9-]{3,40}" placeholder="vesna-2027" />
                                        <label for="c-opens">{lang.tr("Начало", "Opens")}</label>
                                        <input id="c-opens" name="opens_on" type="date" required />
                                        <label for="c-closes">{lang.tr("Окончание", "Closes")}</label>
                                        <input id="c-closes" name="closes_on" type="date" required />
                                        <label for="c-grades">{lang.tr("Классы", "Grades")}</label>
                                        <input id="c-grades" name="grades" type="text" value="5-11" required />
                                        <p class="hint">{match lang {
                                            crate::i18n::Lang::Ru => format!("Методика: {methodology_version}"),
                                            crate::i18n::Lang::En => format!("Methodology: {methodology_version}"),
                                        }}</p>
                                    </div>
                                    <h2>{lang.tr("Школы и ожидаемое число участников", "Schools and expected respondents")}</h2>
                                    <div class="wide" tabindex="0" role="region" aria-label=lang.tr("Школы кампании", "The campaign's schools")>
                                        <table>
                                            <thead><tr>
                                                <th scope="col">{lang.tr("Школа", "School")}</th>
                                                <th scope="col" class="num">{lang.tr("Учителей", "Teachers")}</th>
                                                <th scope="col" class="num">{lang.tr("Обучающихся", "Students")}</th>
                                                <th scope="col" class="num">{lang.tr("Родителей", "Parents")}</th>
                                            </tr></thead>
                                            <tbody>
                                                {schools.into_iter().map(|s| {
                                                    let id = s.id;
                                                    view! {
                                                        <tr>
                                                            <th scope="row">
                                                                <label><input type="checkbox" name="school" value=id />" "{s.name}</label>
                                                                <br /><small>{s.municipality}</small>
                                                            </th>
                                                            <td><input class="number" type="text" inputmode="numeric" name=format!("teachers_{id}") value="0" aria-label=lang.tr("Учителей", "Teachers") /></td>
                                                            <td><input class="number" type="text" inputmode="numeric" name=format!("students_{id}") value="0" aria-label=lang.tr("Обучающихся", "Students") /></td>
                                                            <td><input class="number" type="text" inputmode="numeric" name=format!("parents_{id}") value="0" aria-label=lang.tr("Родителей", "Parents") /></td>
                                                        </tr>
                                                    }
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                    <button type="submit">{lang.tr("Создать кампанию и коды доступа", "Create the campaign and access codes")}</button>
                                </form>
                            </WorkFrame>
                        }.into_any()
                    }
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
