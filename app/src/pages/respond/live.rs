//! What a question page does once the wasm has loaded: it checks answers as they are given and
//! shows or hides follow-up questions, with the very rules the server applies (`surveys`), and
//! saves a page through a server function instead of reloading. Without the wasm none of this
//! runs and the plain form posts as before.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use surveys::{Answers, FormRules, RawAnswers, RawValue};

use crate::i18n::Lang;
use crate::respond::{Page, SectionView};

/// A question page's view handed over by the save that produced it, so that moving to the
/// next page costs one request. Provided by the app.
#[derive(Clone, Copy, Default)]
pub struct Prefetched(RwSignal<Option<(String, u32, Page<SectionView>)>>);

impl Prefetched {
    pub fn put(&self, code: String, page: u32, view: Page<SectionView>) {
        self.0.set(Some((code, page, view)));
    }

    /// Takes the view of this page if it is the one handed over.
    pub fn take(&self, code: &str, page: u32) -> Option<Page<SectionView>> {
        let mut taken = None;
        self.0.update_untracked(|slot| {
            if slot
                .as_ref()
                .is_some_and(|(c, p, _)| c == code && *p == page)
            {
                taken = slot.take().map(|(_, _, view)| view);
            }
        });
        taken
    }
}

/// The rules of the questionnaire being filled, fetched once per code. Provided by the app.
#[derive(Clone, Copy, Default)]
pub struct RulesCache(RwSignal<Option<(String, Arc<FormRules>)>>);

impl RulesCache {
    pub fn get(&self, code: &str) -> Option<Arc<FormRules>> {
        self.0.with_untracked(|cached| {
            cached
                .as_ref()
                .filter(|(c, _)| c == code)
                .map(|(_, rules)| rules.clone())
        })
    }

    /// Whether the rules of `code` are here (tracked: a view updates when they arrive).
    pub fn ready(&self, code: &str) -> bool {
        self.0
            .with(|cached| cached.as_ref().is_some_and(|(c, _)| c == code))
    }

    /// Fetches the rules in the background unless they are here already (browser only).
    pub fn load(&self, code: String) {
        if self.get(&code).is_some() {
            return;
        }
        let cache = *self;
        leptos::task::spawn_local(async move {
            if let Ok(Some(rules)) = crate::respond::get_form_rules(code.clone()).await {
                cache.0.set(Some((code, Arc::new(rules))));
            }
        });
    }
}

/// The live state of one question page: errors shown per field, hidden items, the fields the
/// respondent has touched, and whether a save is under way.
#[derive(Clone, Copy)]
pub struct PageState {
    pub errors: RwSignal<BTreeMap<String, String>>,
    pub hidden: RwSignal<BTreeSet<String>>,
    pub touched: RwSignal<BTreeSet<String>>,
    pub saving: RwSignal<bool>,
}

impl PageState {
    /// The state as the server rendered it.
    pub fn new(view: &SectionView) -> PageState {
        let fields = view.items.iter().flat_map(|i| i.fields.iter());
        PageState {
            errors: RwSignal::new(
                fields
                    .filter_map(|f| Some((f.key.clone(), f.error.clone()?)))
                    .collect(),
            ),
            hidden: RwSignal::new(
                view.items
                    .iter()
                    .filter(|i| i.hidden)
                    .map(|i| i.key.clone())
                    .collect(),
            ),
            touched: RwSignal::new(BTreeSet::new()),
            saving: RwSignal::new(false),
        }
    }

    /// Checks the page's fields as the server would. Shows every problem when `all` (a submit),
    /// else only problems of touched fields and of fields already marked. True when the page
    /// has no problem.
    pub fn check(
        &self,
        rules: &FormRules,
        view: &SectionView,
        fields: Vec<(String, String)>,
        all: bool,
        lang: Lang,
    ) -> bool {
        let instrument = rules.instrument();
        let section = view.page.saturating_sub(1) as usize;
        let mut raw: RawAnswers = view
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
        surveys::replace_page(instrument, &mut raw, section, fields);
        let (answers, problems) = Answers::parse_page(rules, instrument, &raw, section);
        if let Some(items) = instrument.sections.get(section).map(|s| &s.items) {
            self.hidden.set(
                items
                    .iter()
                    .filter(|item| !answers.is_shown(rules, instrument, item))
                    .map(|item| item.key.clone())
                    .collect(),
            );
        }
        let touched = self.touched.get_untracked();
        let shown = self.errors.get_untracked();
        let errors: BTreeMap<String, String> = problems
            .iter()
            .filter(|p| all || touched.contains(&p.key) || shown.contains_key(&p.key))
            .map(|p| (p.key.clone(), p.message(lang.code())))
            .collect();
        let clean = problems.is_empty();
        self.errors.set(errors);
        clean
    }
}

/// The fields of a form as it would post them.
pub fn form_fields(form: &web_sys::HtmlFormElement) -> Vec<(String, String)> {
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
pub fn input_name(ev: &web_sys::Event) -> Option<String> {
    let target = ev.target()?;
    if let Some(input) = target.dyn_ref::<web_sys::HtmlInputElement>() {
        return Some(input.name());
    }
    None
}

/// Moves focus to the error summary once it is rendered.
pub fn focus_errors() {
    request_animation_frame(|| {
        if let Some(summary) = document()
            .get_element_by_id("errors")
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = summary.focus();
        }
    });
}
