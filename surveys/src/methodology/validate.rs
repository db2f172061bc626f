//! Cross-file checks of a methodology set. Each check adds a problem and goes on, so that a
//! region's methodologist sees every mistake in one run.

use std::collections::{HashMap, HashSet};

use super::{Methodology, Problems};
use crate::deficits::Diagnostic;
use crate::formula::Formula;
use crate::indicator::Aggregation;
use crate::instrument::{Group, Instrument, Item, ItemKind};
use crate::rules::PRIVACY_FLOOR;

fn is_colour(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit())
}

/// Checks cut-offs (`below`) rise strictly and only the last entry lacks one.
fn check_cutoffs(file: &str, entries: &[(&str, Option<f64>, &str)], problems: &mut Problems) {
    if entries.is_empty() {
        problems.add(file, None, "no levels or bands are defined");
        return;
    }
    let mut previous = f64::NEG_INFINITY;
    for (i, (key, below, colour)) in entries.iter().enumerate() {
        let last = i + 1 == entries.len();
        match (below, last) {
            (Some(_), true) => problems.add(file, Some(key), "the last entry must have no `below`"),
            (None, false) => problems.add(file, Some(key), "only the last entry may omit `below`"),
            (Some(b), false) if *b <= previous => problems.add(
                file,
                Some(key),
                format!("cut-off {b} is not above the previous {previous}"),
            ),
            (Some(b), false) => previous = *b,
            (None, true) => {}
        }
        if !is_colour(colour) {
            problems.add(file, Some(key), format!("colour `{colour}` is not #rrggbb"));
        }
    }
}

pub(super) fn check(
    m: &mut Methodology,
    instruments: &[(String, Instrument)],
    problems: &mut Problems,
) {
    let levels: Vec<_> = m
        .rules
        .levels
        .iter()
        .map(|l| (l.key.as_str(), l.below, l.colour.as_str()))
        .collect();
    check_cutoffs("methodology.toml", &levels, problems);
    if m.rules.min_respondents < PRIVACY_FLOOR {
        problems.add(
            "methodology.toml",
            Some("min_respondents"),
            format!(
                "{} is below the privacy floor of {PRIVACY_FLOOR}",
                m.rules.min_respondents
            ),
        );
    }
    if !(0.5..1.0).contains(&m.rules.confidence) {
        problems.add(
            "methodology.toml",
            Some("confidence"),
            format!(
                "{} is not a confidence level: give one from 0.5 to below 1, e.g. 0.9",
                m.rules.confidence
            ),
        );
    }
    if !(0.0..=100.0).contains(&m.rules.privacy_noise) {
        problems.add(
            "methodology.toml",
            Some("privacy_noise"),
            format!(
                "{} is not a noise scale: give one from 0 (none) to 100, e.g. 2",
                m.rules.privacy_noise
            ),
        );
    }
    if m.rules.max_chosen_risks == 0 {
        problems.add(
            "methodology.toml",
            Some("max_chosen_risks"),
            "a school must be able to choose at least one risk",
        );
    }
    if m.rules.surplus_percent < 100 {
        problems.add(
            "methodology.toml",
            Some("surplus_percent"),
            format!(
                "{} would hold answers the campaign expects; it must be at least 100",
                m.rules.surplus_percent
            ),
        );
    }
    for (group, rule) in &m.rules.groups {
        if group.is_anonymous() && rule.min_respondents.is_some_and(|n| n < PRIVACY_FLOOR) {
            problems.add(
                "methodology.toml",
                Some(group.key()),
                format!("min_respondents is below the privacy floor of {PRIVACY_FLOOR}"),
            );
        }
        if !(0.0..=1.0).contains(&rule.response_rate_floor) {
            problems.add(
                "methodology.toml",
                Some(group.key()),
                "response_rate_floor must be within [0, 1]",
            );
        }
    }

    let mut codes = HashSet::new();
    for factor in &m.factors {
        if !codes.insert(factor.code.0.clone()) {
            problems.add(
                "factors.toml",
                Some(&factor.code.0),
                "duplicate factor code",
            );
        }
    }

    for (key, list) in &m.choice_lists {
        let mut values = HashSet::new();
        if list.choices.is_empty() {
            problems.add("choices.toml", Some(key), "the list has no choices");
        }
        for c in &list.choices {
            if !values.insert(c.value.as_str()) {
                problems.add(
                    "choices.toml",
                    Some(key),
                    format!("duplicate value `{}`", c.value),
                );
            }
            if !c.missing && c.score.is_none() && c.points.is_none() {
                problems.add(
                    "choices.toml",
                    Some(key),
                    format!("choice `{}` has neither score nor points", c.value),
                );
            }
            if c.score.is_some_and(|s| !(0.0..=1.0).contains(&s)) {
                problems.add(
                    "choices.toml",
                    Some(key),
                    format!("choice `{}` has a score outside [0,1]", c.value),
                );
            }
        }
    }

    let areas_of = |d: Diagnostic| -> HashSet<&str> {
        m.scale(d).areas.iter().map(|a| a.key.as_str()).collect()
    };
    let mut indicator_items: HashMap<String, usize> = HashMap::new();
    let mut groups = HashSet::new();
    // Items per (group, area): each diagnostic's areas are measured by its own instrument.
    let mut area_items: HashMap<(Group, &str), usize> = HashMap::new();
    for (file, instrument) in instruments {
        let areas = Diagnostic::of(instrument.group).map_or_else(HashSet::new, areas_of);
        if !groups.insert(instrument.group) {
            problems.add(
                file,
                Some(&instrument.key),
                format!("a second instrument for group {}", instrument.group),
            );
        }
        let mut seen: HashMap<String, &Item> = HashMap::new();
        for item in instrument.items() {
            let cx = ItemContext {
                m,
                file,
                instrument,
                earlier: &seen,
                areas: &areas,
            };
            check_item(&cx, item, &mut indicator_items, problems);
            let group = instrument.group;
            if let Some(area) = item.area.as_deref() {
                *area_items.entry((group, area)).or_default() += 1;
            }
            for row in &item.rows {
                if let Some(area) = row.area.as_deref() {
                    *area_items.entry((group, area)).or_default() += 1;
                }
            }
            if seen.insert(item.key.clone(), item).is_some() {
                problems.add(file, Some(&item.key), "duplicate item key");
            }
        }
    }

    let principal = instruments
        .iter()
        .find(|(_, i)| i.group == Group::Principal)
        .map(|(_, i)| i);
    let mut keys = HashSet::new();
    let mut factor_indicators: HashMap<&str, usize> = HashMap::new();
    for ind in &mut m.indicators {
        let key = ind.key.clone();
        if !keys.insert(key.clone()) {
            problems.add("indicators.toml", Some(&key), "duplicate indicator key");
        }
        if codes.contains(&ind.factor.0) {
            *factor_indicators
                .entry(
                    m.factors
                        .iter()
                        .find(|f| f.code == ind.factor)
                        .map_or("", |f| f.code.0.as_str()),
                )
                .or_default() += 1;
        } else {
            problems.add(
                "indicators.toml",
                Some(&key),
                format!("unknown factor `{}`", ind.factor),
            );
        }
        if ind.weight <= 0.0 {
            problems.add("indicators.toml", Some(&key), "weight must be positive");
        }
        if !(0.0..=1.0).contains(&ind.at_risk_from) {
            problems.add(
                "indicators.toml",
                Some(&key),
                "at_risk_from must be within [0, 1]",
            );
        }
        match ind.aggregation {
            Aggregation::Value => {
                let Some(text) = ind.formula.as_deref() else {
                    problems.add(
                        "indicators.toml",
                        Some(&key),
                        "a `value` indicator needs a formula",
                    );
                    continue;
                };
                match Formula::parse(text) {
                    Ok(formula) => {
                        let instrument = instruments
                            .iter()
                            .find(|(_, i)| i.group == ind.group)
                            .map(|(_, i)| i)
                            .or(principal);
                        for item in formula.items() {
                            let known = instrument.is_some_and(|i| {
                                i.items().any(|it| {
                                    it.key == item
                                        && (it.kind.is_numeric() || it.kind.has_choices())
                                })
                            });
                            if !known {
                                problems.add(
                                    "indicators.toml",
                                    Some(&key),
                                    format!(
                                        "formula refers to a missing or non-numeric item `{item}`"
                                    ),
                                );
                            }
                        }
                        ind.parsed_formula = Some(formula);
                    }
                    Err(e) => problems.add("indicators.toml", Some(&key), e.to_string()),
                }
            }
            Aggregation::Mean | Aggregation::Share => {
                if ind.formula.is_some() {
                    problems.add(
                        "indicators.toml",
                        Some(&key),
                        "only `value` indicators have a formula",
                    );
                }
                if !indicator_items.contains_key(key.as_str()) {
                    problems.add(
                        "indicators.toml",
                        Some(&key),
                        "no item feeds this indicator",
                    );
                }
            }
        }
    }
    for factor in &m.factors {
        if !factor_indicators.contains_key(factor.code.0.as_str()) {
            problems.add(
                "factors.toml",
                Some(&factor.code.0),
                "the factor has no indicators",
            );
        }
    }

    for (file, d) in [
        ("deficits.toml", Diagnostic::Teacher),
        ("management.toml", Diagnostic::Principal),
    ] {
        let scale = m.scale(d);
        let bands: Vec<_> = scale
            .bands
            .iter()
            .map(|b| (b.key.as_str(), b.below, b.colour.as_str()))
            .collect();
        check_cutoffs(file, &bands, problems);
        if groups.contains(&d.group()) {
            for area in scale.areas {
                if !area_items.contains_key(&(d.group(), area.key.as_str())) {
                    problems.add(
                        file,
                        Some(&area.key),
                        format!("no item of {} measures this area", d.group()),
                    );
                }
            }
        }
    }
    // An area's key names one area of one diagnostic: a plan's areas are read by it.
    let mut area_keys = HashSet::new();
    for d in Diagnostic::ALL {
        for area in m.scale(d).areas {
            if !area_keys.insert(area.key.as_str()) {
                problems.add("management.toml", Some(&area.key), "an area key used twice");
            }
        }
    }
    if m.deficits.min_teachers < PRIVACY_FLOOR {
        problems.add(
            "deficits.toml",
            Some("min_teachers"),
            format!("below the privacy floor of {PRIVACY_FLOOR}"),
        );
    }
    // One school's teachers are no group: a school could read its own out of it.
    if m.deficits.demand_min_schools < 2 {
        problems.add(
            "deficits.toml",
            Some("demand_min_schools"),
            "under 2: one school's demand would be its teachers' own",
        );
    }
    let mut iom_keys = HashSet::new();
    for entry in &m.iom.entries {
        let at = Some(entry.key.as_str());
        let key_chars = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_');
        if entry.key.is_empty() || entry.key.len() > 60 || !entry.key.chars().all(key_chars) {
            problems.add("iom.toml", at, "a key is 1–60 letters, digits, `-` or `_`");
        }
        if !iom_keys.insert(entry.key.as_str()) {
            problems.add("iom.toml", at, "key used twice");
        }
        // An activity addresses the areas of one diagnostic, in that diagnostic's bands.
        let diagnostic = entry.areas.first().and_then(|a| {
            Diagnostic::ALL
                .into_iter()
                .find(|d| m.scale(*d).area(a).is_some())
        });
        match diagnostic {
            None if entry.areas.is_empty() => {
                problems.add("iom.toml", at, "addresses no deficit area")
            }
            None => problems.add(
                "iom.toml",
                at,
                format!("unknown deficit area `{}`", entry.areas[0]),
            ),
            Some(d) => {
                let scale = m.scale(d);
                for area in &entry.areas {
                    if scale.area(area).is_none() {
                        problems.add(
                            "iom.toml",
                            at,
                            format!("`{area}` is no area of the {} diagnostic", d.key()),
                        );
                    }
                }
                for band in &entry.bands {
                    if !scale.bands.iter().any(|b| b.key == *band) {
                        problems.add("iom.toml", at, format!("unknown band `{band}`"));
                    }
                }
            }
        }
        if let Some(link) = &entry.link {
            let host = link.strip_prefix("https://").unwrap_or_default();
            if host.is_empty()
                || link.len() > 300
                || link.chars().any(|c| c.is_whitespace() || c.is_control())
            {
                problems.add(
                    "iom.toml",
                    at,
                    "a link is an `https://` address without spaces, at most 300 characters",
                );
            }
        }
        if entry.format == crate::catalogue::IomFormat::Course
            && (entry.hours.is_none() || entry.provider.is_none())
        {
            problems.add("iom.toml", at, "a course names its hours and its provider");
        }
    }
    for measure in &m.measures.measures {
        if !codes.contains(&measure.factor.0) {
            problems.add("measures.toml", Some(&measure.factor.0), "unknown factor");
        }
    }
}

/// Where an item is checked: its set, file, instrument, the items before it and the known areas.
struct ItemContext<'a> {
    m: &'a Methodology,
    file: &'a str,
    instrument: &'a Instrument,
    earlier: &'a HashMap<String, &'a Item>,
    areas: &'a HashSet<&'a str>,
}

fn check_item(
    cx: &ItemContext<'_>,
    item: &Item,
    indicator_items: &mut HashMap<String, usize>,
    problems: &mut Problems,
) {
    let ItemContext {
        m,
        file,
        instrument,
        earlier,
        areas,
    } = *cx;
    let key = Some(item.key.as_str());
    let list = item.choices.as_deref().and_then(|c| m.choice_lists.get(c));
    if item.kind.has_choices() {
        match (&item.choices, list) {
            (None, _) => problems.add(file, key, "a choice item needs `choices`"),
            (Some(name), None) => problems.add(file, key, format!("unknown choice list `{name}`")),
            _ => {}
        }
    } else if item.choices.is_some() {
        problems.add(file, key, "only choice items take `choices`");
    }
    if item.kind.is_numeric() {
        match (item.min, item.max) {
            (Some(lo), Some(hi)) if lo > hi => problems.add(file, key, "min is above max"),
            (None, _) | (_, None) => problems.add(file, key, "a number item needs min and max"),
            _ => {}
        }
    }
    if (item.kind == ItemKind::Matrix) == item.rows.is_empty() {
        problems.add(
            file,
            key,
            "rows are for matrix items, and a matrix needs rows",
        );
    }
    let mut link =
        |indicator: &str, item_key: &str| match m.indicators.iter().find(|i| i.key == indicator) {
            None => problems.add(
                file,
                Some(item_key),
                format!("unknown indicator `{indicator}`"),
            ),
            Some(ind) if ind.group != instrument.group => problems.add(
                file,
                Some(item_key),
                format!(
                    "indicator `{indicator}` belongs to group {}, not {}",
                    ind.group, instrument.group
                ),
            ),
            Some(_) if item.kind == ItemKind::Text => problems.add(
                file,
                Some(item_key),
                "text answers cannot feed an indicator",
            ),
            Some(_) => *indicator_items.entry(indicator.to_owned()).or_default() += 1,
        };
    if let Some(ind) = &item.indicator {
        link(ind, &item.key);
    }
    for row in &item.rows {
        if let Some(ind) = &row.indicator {
            link(ind, &format!("{}.{}", item.key, row.key));
        }
    }
    if let Some(cond) = &item.show_if {
        let forms = [
            cond.equals.is_some(),
            cond.any_of.is_some(),
            cond.greater_than.is_some(),
        ];
        if forms.iter().filter(|f| **f).count() != 1 {
            problems.add(
                file,
                key,
                "show_if needs exactly one of equals, in, greater_than",
            );
        }
        let (base, _) = cond.item.split_once('.').unwrap_or((&cond.item, ""));
        match earlier.get(base) {
            None if instrument.item(base).is_some() => problems.add(
                file,
                key,
                format!("show_if refers to `{}`, which comes later", cond.item),
            ),
            None => problems.add(
                file,
                key,
                format!("show_if refers to a missing item `{}`", cond.item),
            ),
            Some(target) => {
                let target_list = target
                    .choices
                    .as_deref()
                    .and_then(|c| m.choice_lists.get(c));
                let values = cond.equals.iter().chain(cond.any_of.iter().flatten());
                for v in values {
                    if target_list.is_some_and(|l| l.find(v).is_none())
                        || !target.kind.has_choices()
                    {
                        problems.add(
                            file,
                            key,
                            format!("show_if value `{v}` is not a choice of `{}`", cond.item),
                        );
                    }
                }
                if cond.greater_than.is_some() && !target.kind.is_numeric() {
                    problems.add(
                        file,
                        key,
                        format!(
                            "show_if greater_than needs a number item, `{}` is not",
                            cond.item
                        ),
                    );
                }
            }
        }
    }
    if Diagnostic::of(instrument.group).is_some() && item.kind != ItemKind::Text {
        let tags = std::iter::once((
            item.key.clone(),
            item.area.as_deref(),
            item.subskill.as_deref(),
        ))
        .filter(|_| item.rows.is_empty())
        .chain(item.rows.iter().map(|r| {
            (
                format!("{}.{}", item.key, r.key),
                r.area.as_deref().or(item.area.as_deref()),
                r.subskill.as_deref(),
            )
        }));
        for (k, area, subskill) in tags {
            match area {
                None => problems.add(file, Some(&k), "a diagnostic item needs an `area`"),
                Some(a) if !areas.contains(a) => {
                    problems.add(file, Some(&k), format!("unknown deficit area `{a}`"))
                }
                _ => {}
            }
            if subskill.is_none() {
                problems.add(file, Some(&k), "a diagnostic item needs a `subskill`");
            }
        }
        match (&item.correct, list) {
            (Some(correct), Some(l)) => {
                if l.find(correct).is_none() {
                    problems.add(
                        file,
                        key,
                        format!("correct answer `{correct}` is not a choice"),
                    );
                }
                if item.points.is_none_or(|p| p <= 0.0) {
                    problems.add(file, key, "a knowledge item needs positive `points`");
                }
            }
            (None, Some(l)) if l.max_points() <= 0.0 => {
                problems.add(file, key, "a self-assessment item needs a list with points")
            }
            _ => {}
        }
    }
}
