//! The signed-in user's account: changing the password (other sessions end).

use leptos::prelude::*;

use super::{query, Csrf, WorkFrame};
use crate::work::get_session;

#[component]
pub fn AccountPage() -> impl IntoView {
    let session = super::page_data(|| (), |_| get_session());
    let changed = query("changed").is_some();
    view! {
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || session.get().and_then(Result::ok).and_then(|s| {
                let lang = s.lang;
                let viewer = s.viewer?;
                let problem = super::notice(&viewer, "problem");
                Some(view! {
                    <WorkFrame viewer=viewer.clone() lang>
                        <h1>{lang.tr("Смена пароля", "Change password")}</h1>
                        {problem.map(|p| view! { <div class="error-summary" role="alert"><p>{p}</p></div> })}
                        {changed.then(|| view! { <div class="notice" role="status"><p>{lang.tr("Пароль изменён. Другие сеансы завершены.", "The password is changed. Other sessions have ended.")}</p></div> })}
                        <form method="post" action="/account/password" class="login-form">
                            <Csrf viewer=viewer.clone() />
                            <label for="current">{lang.tr("Текущий пароль", "Current password")}</label>
                            <input id="current" name="current" type="password" autocomplete="current-password" required />
                            <label for="new">{lang.tr("Новый пароль (не короче 10 символов)", "New password (at least 10 characters)")}</label>
                            <input id="new" name="new" type="password" autocomplete="new-password" required minlength="10" />
                            <button type="submit">{lang.tr("Сменить пароль", "Change password")}</button>
                        </form>
                    </WorkFrame>
                })
            })}
        </Suspense>
    }
}
