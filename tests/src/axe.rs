//! Accessibility checks with axe-core (npm, installed by scripts/prereqs.sh into
//! `tests/node_modules`), injected into the page under test.

use fantoccini::Client;
use serde_json::Value;

/// A serious or critical WCAG 2.1 A/AA violation found on a page.
#[derive(Debug)]
pub struct Violation {
    pub rule: String,
    pub impact: String,
    pub targets: Vec<String>,
}

/// Runs axe-core on the current page; returns its serious and critical violations.
pub async fn serious_violations(client: &Client) -> Vec<Violation> {
    let path = crate::repo_root().join("tests/node_modules/axe-core/axe.min.js");
    let source = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} (run scripts/prereqs.sh): {e}", path.display()));
    client
        .execute(&source, Vec::new())
        .await
        .expect("axe-core loads");
    let run = r#"
        const done = arguments[arguments.length - 1];
        axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
            .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, targets: v.nodes.map(n => n.target.join(' ')) }))))
            .catch(e => done([{ id: 'axe-error: ' + e, impact: 'critical', targets: [] }]));
    "#;
    let result = client
        .execute_async(run, Vec::new())
        .await
        .expect("axe-core runs");
    result
        .as_array()
        .map(|vs| {
            vs.iter()
                .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
                .map(|v| Violation {
                    rule: v["id"].as_str().unwrap_or_default().to_owned(),
                    impact: v["impact"].as_str().unwrap_or_default().to_owned(),
                    targets: v["targets"]
                        .as_array()
                        .map(|t| {
                            t.iter()
                                .filter_map(Value::as_str)
                                .map(str::to_owned)
                                .collect()
                        })
                        .unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default()
}
