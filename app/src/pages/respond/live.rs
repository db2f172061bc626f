//! What a question page does once the respondents' wasm has loaded: the `LiveForm` island checks
//! answers as they are given and shows or hides follow-up questions, with the very rules the
//! server applies (`surveys`, fetched once as a file the browser keeps), and stops a page with
//! problems from being sent. The form itself is the server's: without the wasm it posts as
//! before, and with it a page that passes the check goes out as the same form, posted in the
//! background by the islands' loader (`frontend/islands.js`), whose answer is the next page.
//!
//! The island is the only code a respondent's browser runs (`frontend` with its `respondent`
//! feature hydrates islands alone), so it works on the server's markup: it fills the error slots
//! and the summary the server renders empty, and toggles items' `hidden`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use surveys::{Answers, FormRules, RawAnswers, RawValue};

use crate::i18n::Lang;

/// A question page made live: `children` are the error summary and the form the server
/// rendered; the props say what checking them needs.
#[island]
pub fn LiveForm(
    /// Where the questionnaire's rules are: a file named after its content.
    rules: String,
    /// The page's section (0-based).
    section: usize,
    lang: Lang,
    /// Answers from other pages that conditions on this page look at.
    context: Vec<(String, Vec<String>)>,
    /// Each field's label, for the error summary.
    labels: Vec<(String, String)>,
    /// The fields the server marked with a problem.
    marked: Vec<String>,
    children: Children,
) -> impl IntoView {
    let loaded: RwSignal<Option<Arc<FormRules>>> = RwSignal::new(None);
    let touched = StoredValue::new(BTreeSet::<String>::new());
    let shown = StoredValue::new(marked.into_iter().collect::<BTreeSet<String>>());
    let root = NodeRef::<leptos::html::Div>::new();
    let page = StoredValue::new(Live {
        section,
        lang,
        context,
        labels,
    });
    // Browser only: effects do not run on the server.
    Effect::new(move || {
        let url = rules.clone();
        leptos::task::spawn_local(async move {
            if let Some(fetched) = fetch_rules(&url).await {
                loaded.set(Some(Arc::new(fetched)));
            }
        });
    });
    // Checks the page; shows every problem when `all` (a submit), else those of touched fields
    // and of fields already marked. True when the page may be sent.
    let check = move |all: bool| -> bool {
        let (Some(rules), Some(div)) = (loaded.get_untracked(), root.get_untracked()) else {
            return true;
        };
        let Some(form) = div
            .query_selector("form")
            .ok()
            .flatten()
            .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok())
        else {
            return true;
        };
        let verdict = page.with_value(|p| p.judge(&rules, form_fields(&form)));
        let clean = verdict.problems.is_empty();
        let errors: BTreeMap<String, String> = verdict
            .problems
            .into_iter()
            .filter(|(key, _)| {
                all || touched.with_value(|t| t.contains(key))
                    || shown.with_value(|s| s.contains(key))
            })
            .collect();
        shown.set_value(errors.keys().cloned().collect());
        page.with_value(|p| p.show(&div, &errors, &verdict.hidden));
        clean
    };
    let on_change = move |ev: leptos::ev::Event| {
        if let Some(name) = input_name(&ev) {
            touched.update_value(|t| {
                t.insert(name);
            });
        }
        check(false);
    };
    let on_input = move |_: leptos::ev::Event| {
        check(false);
    };
    // A page that passes goes on to the loader, which posts it (a second press sends it again,
    // which the server counts once).
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        let go = ev
            .submitter()
            .and_then(|b| b.get_attribute("value"))
            .unwrap_or_else(|| "next".into());
        if go == "next" && !check(true) {
            ev.prevent_default();
            focus_errors();
        }
    };
    // Tells assistive tools (and the browser tests) that answers are now checked live.
    let live = move || loaded.with(Option::is_some).to_string();
    view! {
        <div class="live" node_ref=root data-live=live on:change=on_change on:input=on_input on:submit=on_submit>
            {children()}
        </div>
    }
}

/// What checking a page needs besides its rules and its fields.
struct Live {
    section: usize,
    lang: Lang,
    context: Vec<(String, Vec<String>)>,
    labels: Vec<(String, String)>,
}

/// A page's problems (field → message) and its hidden items.
struct Verdict {
    problems: BTreeMap<String, String>,
    hidden: BTreeSet<String>,
}

impl Live {
    /// Checks the page's fields as the server would.
    fn judge(&self, rules: &FormRules, fields: Vec<(String, String)>) -> Verdict {
        let instrument = rules.instrument();
        let mut raw: RawAnswers = self
            .context
            .iter()
            .map(|(key, values)| {
                let value = match &values[..] {
                    [one] => RawValue::One(one.clone()),
                    many => RawValue::Many(many.to_vec()),
                };
                (key.clone(), value)
            })
            .collect();
        surveys::replace_page(instrument, &mut raw, self.section, fields);
        let (answers, problems) = Answers::parse_page(rules, instrument, &raw, self.section);
        let hidden = instrument
            .sections
            .get(self.section)
            .map(|s| {
                s.items
                    .iter()
                    .filter(|item| !answers.is_shown(rules, instrument, item))
                    .map(|item| item.key.clone())
                    .collect()
            })
            .unwrap_or_default();
        Verdict {
            problems: problems
                .iter()
                .map(|p| (p.key.clone(), p.message(self.lang.code())))
                .collect(),
            hidden,
        }
    }

    /// Shows `errors` next to their fields and in the summary, and hides the `hidden` items.
    fn show(
        &self,
        root: &web_sys::HtmlDivElement,
        errors: &BTreeMap<String, String>,
        hidden: &BTreeSet<String>,
    ) {
        let find = |selector: &str| root.query_selector(selector).ok().flatten();
        for item in root
            .query_selector_all("[data-item]")
            .ok()
            .into_iter()
            .flat_map(|list| (0..list.length()).filter_map(move |n| list.item(n)))
            .filter_map(|node| node.dyn_into::<web_sys::Element>().ok())
        {
            let key = item.get_attribute("data-item").unwrap_or_default();
            let _ = item.toggle_attribute_with_force("hidden", hidden.contains(&key));
        }
        for (key, _) in &self.labels {
            let message = errors.get(key);
            let (Some(field), Some(slot)) = (
                find(&format!("#field-{key}")),
                find(&format!("#field-{key}-error")),
            ) else {
                continue;
            };
            slot.set_text_content(message.map(String::as_str));
            let _ = slot.toggle_attribute_with_force("hidden", message.is_none());
            let _ = field
                .class_list()
                .toggle_with_force("invalid", message.is_some());
            // The fieldset of a choice, or the input of a text or number.
            let described = if field.tag_name() == "FIELDSET" {
                Some(field)
            } else {
                find(&format!("#input-{key}"))
            };
            if let Some(described) = described {
                match message {
                    Some(_) => {
                        let _ = described.set_attribute("aria-invalid", "true");
                        let _ = described
                            .set_attribute("aria-describedby", &format!("field-{key}-error"));
                    }
                    None => {
                        let _ = described.remove_attribute("aria-invalid");
                        let _ = described.remove_attribute("aria-describedby");
                    }
                }
            }
        }
        let (Some(summary), Some(list)) = (find("#errors"), find("#errors ul")) else {
            return;
        };
        list.set_inner_html("");
        let document = document();
        for (key, label) in self.labels.iter() {
            let Some(message) = errors.get(key) else {
                continue;
            };
            let (Ok(li), Ok(a)) = (document.create_element("li"), document.create_element("a"))
            else {
                continue;
            };
            let (href, text) = summary_entry(key, label, message);
            let _ = a.set_attribute("href", &href);
            a.set_text_content(Some(&text));
            let _ = li.append_child(&a);
            let _ = list.append_child(&li);
        }
        let _ = summary.toggle_attribute_with_force("hidden", errors.is_empty());
    }
}

/// A line of the error summary above a form: the link to the field and its text (the server's
/// page and the live check write the same).
pub(super) fn summary_entry(key: &str, label: &str, message: &str) -> (String, String) {
    (format!("#field-{key}"), format!("{label} — {message}"))
}

/// The questionnaire's rules, from their file (kept by the browser: its name changes with them).
async fn fetch_rules(url: &str) -> Option<FormRules> {
    use wasm_bindgen_futures::JsFuture;
    let response = JsFuture::from(window().fetch_with_str(url)).await.ok()?;
    let response = response.dyn_into::<web_sys::Response>().ok()?;
    if !response.ok() {
        return None;
    }
    let text = JsFuture::from(response.text().ok()?)
        .await
        .ok()?
        .as_string()?;
    leptos::serde_json::from_str(&text).ok()
}

/// The fields of a form as it would post them.
fn form_fields(form: &web_sys::HtmlFormElement) -> Vec<(String, String)> {
    let Ok(data) = web_sys::FormData::new_with_form(form) else {
        return Vec::new();
    };
    let Ok(Some(entries)) = js_sys::try_iter(&data) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let pair = js_sys::Array::from(&entry);
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
}

/// The name of the input an event came from.
fn input_name(ev: &web_sys::Event) -> Option<String> {
    let target = ev.target()?;
    if let Some(input) = target.dyn_ref::<web_sys::HtmlInputElement>() {
        return Some(input.name());
    }
    None
}

/// Moves focus to the error summary.
fn focus_errors() {
    if let Some(summary) = document()
        .get_element_by_id("errors")
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = summary.focus();
    }
}
