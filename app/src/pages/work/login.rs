//! Signing in. One message for a wrong login or password (it never says which), another when
//! too many attempts failed.

use leptos::prelude::*;

use super::query;
use crate::pages::respond::LangSwitch;
use crate::work::{get_login_token, get_session};

#[component]
pub fn LoginPage() -> impl IntoView {
    let session = super::page_data(|| (), |_| get_session());
    let token = super::page_data(|| (), |_| get_login_token());
    let error = query("error");
    // A number of minutes, or none: never text from the address.
    let minutes = query("minutes")
        .and_then(|m| m.parse::<u32>().ok())
        .map_or(10, |m| m.clamp(1, 60));
    // Only a path of this site may be returned to.
    let next = query("next")
        .filter(|n| n.starts_with('/') && !n.starts_with("//"))
        .unwrap_or_else(|| "/work".into());
    view! {
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || session.get().map(|s| {
                let lang = s.map(|s| s.lang).unwrap_or_default();
                let message = match error.as_deref() {
                    Some("refused") => Some(lang.tr("Неверный логин или пароль.", "Wrong login or password.").to_owned()),
                    Some("held") => Some(match lang {
                        crate::i18n::Lang::Ru => format!("Слишком много неудачных попыток. Попробуйте снова через {minutes} мин."),
                        crate::i18n::Lang::En => format!("Too many failed attempts. Try again in {minutes} min."),
                    }),
                    Some("ended") => Some(lang.tr("Вы вышли из системы.", "You have signed out.").to_owned()),
                    Some("busy") => Some(lang.tr("Сервер занят проверкой паролей. Попробуйте войти через несколько секунд.", "The server is busy checking passwords. Try again in a few seconds.").to_owned()),
                    Some("expired") => Some(lang.tr("Форма входа устарела. Введите логин и пароль ещё раз.", "The sign-in form has expired. Enter your login and password again.").to_owned()),
                    _ => None,
                };
                view! {
                    <LangSwitch lang />
                    <section class="page" lang=lang.code()>
                        <h1>{lang.tr("Вход для координаторов", "Coordinators' sign-in")}</h1>
                        {message.map(|m| view! { <div class="notice" role="alert"><p>{m}</p></div> })}
                        <form method="post" action="/session" class="login-form">
                            <input type="hidden" name="_csrf" value=token.get().and_then(Result::ok).unwrap_or_default() />
                            <input type="hidden" name="next" value=next.clone() />
                            <label for="login">{lang.tr("Логин", "Login")}</label>
                            <input id="login" name="login" type="text" autocomplete="username" required />
                            <label for="password">{lang.tr("Пароль", "Password")}</label>
                            <input id="password" name="password" type="password" autocomplete="current-password" required />
                            <button type="submit">{lang.tr("Войти", "Sign in")}</button>
                        </form>
                        <p class="hint">{lang.tr(
                            "Учётные записи выдаёт администратор региона. Участникам анкетирования входить не нужно: анкета открывается по коду на главной странице.",
                            "Accounts are issued by the regional administrator. Survey participants need no account: a questionnaire opens with its code on the home page.",
                        )}</p>
                    </section>
                }
            })}
        </Suspense>
    }
}
