//! Form controls of one item: radio groups and checkboxes in fieldsets with legends, number and
//! text inputs with labels; errors next to the field, input kept. Every field has its error
//! slot, empty and hidden while it has no problem (the live page fills it).

use leptos::prelude::*;

use crate::i18n::Lang;
use crate::respond::{FieldView, ItemView};

/// An item, hidden while its `show_if` does not hold (the live page reveals it).
#[component]
pub fn ItemFields(item: ItemView, lang: Lang) -> impl IntoView {
    let hidden = item.hidden;
    let key = item.key;
    match item.heading {
        Some(heading) => view! {
            <div class="item matrix" data-item=key hidden=hidden>
                <p class="matrix-heading">{heading}</p>
                {item.fields.into_iter().map(|field| view! { <Field field lang /> }).collect_view()}
            </div>
        }
        .into_any(),
        None => view! {
            <div class="item" data-item=key hidden=hidden>
                {item.fields.into_iter().map(|field| view! { <Field field lang /> }).collect_view()}
            </div>
        }
        .into_any(),
    }
}

#[component]
fn Field(field: FieldView, lang: Lang) -> impl IntoView {
    let id = format!("field-{}", field.key);
    let error_id = format!("{id}-error");
    let invalid = field.error.is_some();
    let error = view! { <p class="field-error" id=error_id.clone() hidden=!invalid>{field.error.clone()}</p> };
    let described = invalid.then(|| error_id.clone());
    let aria_invalid = invalid.then_some("true");
    let class = if invalid { "field invalid" } else { "field" };
    let optional = (!field.required).then(
        || view! { <span class="optional">{lang.tr(" (необязательно)", " (optional)")}</span> },
    );
    let hint = field
        .hint
        .clone()
        .map(|h| view! { <p class="hint">{h}</p> });
    match field.control.as_str() {
        "radio" | "checkbox" => {
            // Shared by every choice (a page has dozens of them).
            let control = if field.control == "checkbox" {
                "checkbox"
            } else {
                "radio"
            };
            let name: std::sync::Arc<str> = field.key.as_str().into();
            let values = field.values;
            view! {
                <fieldset class=class id=id aria-describedby=described aria-invalid=aria_invalid>
                    <legend>{field.label}{optional}</legend>
                    {hint}
                    {error}
                    <div class="choices">
                        {field.choices.into_iter().enumerate().map(|(n, c)| {
                            let choice_id = format!("{}-{n}", name);
                            let checked = values.contains(&c.value);
                            let label_for = choice_id.clone();
                            view! {
                                <label class="choice" for=label_for>
                                    <input type=control id=choice_id name=name.clone() value=c.value checked=checked />
                                    <span>{c.label}</span>
                                </label>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
            }
            .into_any()
        }
        control => {
            let input_id = format!("input-{}", field.key);
            // A phone's keyboard of digits; typed as text, so that «3,5» is not refused by it.
            let inputmode = match control {
                "integer" => Some("numeric"),
                "decimal" => Some("decimal"),
                _ => None,
            };
            let numeric = inputmode.is_some();
            let value = field.values.first().cloned().unwrap_or_default();
            let label_for = input_id.clone();
            view! {
                <div class=class id=id>
                    <label for=label_for>{field.label}{optional}</label>
                    {hint}
                    {error}
                    <div class="input-line">
                        <input
                            id=input_id
                            name=field.key
                            type="text"
                            inputmode=inputmode
                            value=value
                            maxlength=field.max_length
                            aria-describedby=described
                            aria-invalid=aria_invalid
                            class=if numeric { "number" } else { "text" }
                        />
                        {field.unit.map(|u| view! { <span class="unit">{u}</span> })}
                    </div>
                </div>
            }
            .into_any()
        }
    }
}
