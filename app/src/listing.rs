//! School lists at a region's size: sorted by any column, searched by the school's name and cut
//! into pages. What the reader asked for travels in the query string (`?sort=…&dir=desc&q=…&
//! page=2&per=100`: links can be shared and bookmarked, and the pages work without JavaScript);
//! the server cuts the list (`cut`), so a page carries only its rows while the totals describe
//! the whole filter.

use serde::{Deserialize, Serialize};

/// Rows on a page unless the reader chooses otherwise.
pub const PER_PAGE: usize = 50;

/// The page sizes a reader may choose.
pub const PER_PAGE_CHOICES: [usize; 3] = [25, 50, 100];

/// What a reader asked of a list.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ListQuery {
    /// A column's key; none keeps the list's own order.
    pub sort: Option<String>,
    /// Descending rather than ascending.
    #[serde(default)]
    pub desc: bool,
    /// Part of a school's name.
    pub q: Option<String>,
    /// From 1; past the last page reads as the last.
    pub page: Option<usize>,
    /// One of `PER_PAGE_CHOICES`; anything else reads as `PER_PAGE`.
    pub per: Option<usize>,
    /// A risk level's key: only schools with a factor at that level (lists with levels).
    pub level: Option<String>,
}

impl ListQuery {
    pub fn per(&self) -> usize {
        self.per
            .filter(|p| PER_PAGE_CHOICES.contains(p))
            .unwrap_or(PER_PAGE)
    }

    /// The search words, trimmed; none when empty.
    pub fn search(&self) -> Option<&str> {
        self.q.as_deref().map(str::trim).filter(|q| !q.is_empty())
    }
}

/// Where a page stands in its list: shown above and below the rows.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Paging {
    /// Rows the filter and the search leave, on every page together.
    pub total: usize,
    /// From 1.
    pub page: usize,
    pub per: usize,
    pub sort: Option<String>,
    pub desc: bool,
    pub q: String,
}

impl Paging {
    pub fn pages(&self) -> usize {
        self.total.div_ceil(self.per.max(1)).max(1)
    }

    /// The rows shown, counted from 1: (first, last); (0, 0) for none.
    pub fn shown(&self) -> (usize, usize) {
        if self.total == 0 {
            return (0, 0);
        }
        let first = (self.page - 1) * self.per + 1;
        (first, (first + self.per - 1).min(self.total))
    }
}

/// A cell's value to sort by: numbers before text never compare (a column holds one kind);
/// a missing number sorts after every number whichever the direction.
#[derive(Debug, Clone, PartialEq)]
pub enum SortKey {
    Text(String),
    Number(Option<f64>),
}

/// Compares two keys of one column ascending, a missing number last.
fn compare(a: &SortKey, b: &SortKey, desc: bool) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let ordered = |o: Ordering| if desc { o.reverse() } else { o };
    match (a, b) {
        (SortKey::Text(a), SortKey::Text(b)) => ordered(a.cmp(b)),
        (SortKey::Number(Some(a)), SortKey::Number(Some(b))) => ordered(a.total_cmp(b)),
        (SortKey::Number(None), SortKey::Number(None)) => Ordering::Equal,
        (SortKey::Number(None), _) => Ordering::Greater,
        (_, SortKey::Number(None)) => Ordering::Less,
        _ => Ordering::Equal,
    }
}

/// Text as it is compared and searched: lower case, «ё» as «е».
pub fn folded(text: &str) -> String {
    text.to_lowercase().replace('ё', "е")
}

/// Text to sort by.
pub fn text_key(text: &str) -> SortKey {
    SortKey::Text(folded(text))
}

/// Whether a name answers the search: every word of it in the name, in any order.
pub fn matches(query: &ListQuery, name: &str) -> bool {
    query.search().is_none_or(|q| {
        let name = folded(name);
        folded(q).split_whitespace().all(|w| name.contains(w))
    })
}

/// The rows a search keeps (`matches`).
pub fn search<T>(rows: &mut Vec<T>, query: &ListQuery, name: impl Fn(&T) -> &str) {
    if query.search().is_some() {
        rows.retain(|row| matches(query, name(row)));
    }
}

/// Sorts the rows (stably: equal keys keep the list's own order) by the asked column when
/// `key` knows it, then cuts the asked page out of them. `rows` should already be filtered and
/// searched (see `search`): whatever totals a page shows are counted before the cut.
pub fn cut<T>(
    mut rows: Vec<T>,
    query: &ListQuery,
    key: impl Fn(&T, &str) -> Option<SortKey>,
) -> (Vec<T>, Paging) {
    let sort = query
        .sort
        .clone()
        .filter(|column| rows.first().is_none_or(|r| key(r, column).is_some()));
    if let Some(column) = &sort {
        let mut keyed: Vec<(SortKey, T)> = rows
            .into_iter()
            .map(|r| (key(&r, column).unwrap_or(SortKey::Number(None)), r))
            .collect();
        keyed.sort_by(|a, b| compare(&a.0, &b.0, query.desc));
        rows = keyed.into_iter().map(|(_, r)| r).collect();
    }
    let mut paging = Paging {
        total: rows.len(),
        page: 1,
        per: query.per(),
        desc: query.desc && sort.is_some(),
        sort,
        q: query.search().unwrap_or_default().to_owned(),
    };
    paging.page = query.page.unwrap_or(1).clamp(1, paging.pages());
    let rows: Vec<T> = rows
        .into_iter()
        .skip((paging.page - 1) * paging.per)
        .take(paging.per)
        .collect();
    (rows, paging)
}

/// Percent-encodes a query string's value (all but the unreserved characters).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A query string from its pairs, empty values left out.
pub fn query_string<'a>(pairs: impl IntoIterator<Item = (&'a str, String)>) -> String {
    let parts: Vec<String> = pairs
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode(&v)))
        .collect();
    if parts.is_empty() {
        "?".into()
    } else {
        format!("?{}", parts.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<(&'static str, Option<f64>)> {
        vec![
            ("Школа № 3", Some(0.5)),
            ("Лицей «Ёлка»", None),
            ("школа № 1", Some(0.9)),
            ("Гимназия", Some(0.1)),
        ]
    }

    fn key(r: &(&str, Option<f64>), column: &str) -> Option<SortKey> {
        match column {
            "school" => Some(text_key(r.0)),
            "score" => Some(SortKey::Number(r.1)),
            _ => None,
        }
    }

    #[test]
    fn sorts_either_way_with_missing_numbers_last() {
        let asked = |desc| ListQuery {
            sort: Some("score".into()),
            desc,
            ..ListQuery::default()
        };
        let (up, paging) = cut(rows(), &asked(false), key);
        let names: Vec<&str> = up.iter().map(|r| r.0).collect();
        assert_eq!(
            names,
            ["Гимназия", "Школа № 3", "школа № 1", "Лицей «Ёлка»"]
        );
        assert_eq!(
            (paging.sort.as_deref(), paging.desc),
            (Some("score"), false)
        );
        let (down, _) = cut(rows(), &asked(true), key);
        let names: Vec<&str> = down.iter().map(|r| r.0).collect();
        assert_eq!(
            names,
            ["школа № 1", "Школа № 3", "Гимназия", "Лицей «Ёлка»"]
        );
        let (by_name, _) = cut(
            rows(),
            &ListQuery {
                sort: Some("school".into()),
                ..ListQuery::default()
            },
            key,
        );
        let names: Vec<&str> = by_name.iter().map(|r| r.0).collect();
        assert_eq!(
            names,
            ["Гимназия", "Лицей «Ёлка»", "школа № 1", "Школа № 3"]
        );
    }

    #[test]
    fn an_unknown_column_keeps_the_order_and_is_not_echoed() {
        let (same, paging) = cut(
            rows(),
            &ListQuery {
                sort: Some("nope".into()),
                desc: true,
                ..ListQuery::default()
            },
            key,
        );
        assert_eq!(same, rows());
        assert_eq!((paging.sort, paging.desc), (None, false));
    }

    #[test]
    fn searches_by_every_word_ignoring_case_and_yo() {
        let mut found = rows();
        let query = ListQuery {
            q: Some("  ЕЛКА лицей ".into()),
            ..ListQuery::default()
        };
        search(&mut found, &query, |r| r.0);
        assert_eq!(found, vec![("Лицей «Ёлка»", None)]);
        let mut all = rows();
        search(&mut all, &ListQuery::default(), |r| r.0);
        assert_eq!(all.len(), 4);
    }

    #[test]
    fn pages_are_cut_and_clamped() {
        let many: Vec<(&str, Option<f64>)> = (0..120).map(|i| ("x", Some(f64::from(i)))).collect();
        let asked = |page, per| ListQuery {
            page,
            per,
            ..ListQuery::default()
        };
        let (rows, paging) = cut(many.clone(), &asked(Some(3), Some(50)), key);
        assert_eq!(rows.len(), 20);
        assert_eq!((paging.page, paging.pages(), paging.total), (3, 3, 120));
        assert_eq!(paging.shown(), (101, 120));
        let (_, paging) = cut(many.clone(), &asked(Some(9), None), key);
        assert_eq!(paging.page, 3, "past the end reads as the last page");
        let (rows, paging) = cut(many.clone(), &asked(Some(0), Some(7)), key);
        assert_eq!((paging.page, paging.per, rows.len()), (1, PER_PAGE, 50));
        let (rows, paging) = cut(Vec::<(&str, Option<f64>)>::new(), &asked(None, None), key);
        assert!(rows.is_empty());
        assert_eq!((paging.pages(), paging.shown()), (1, (0, 0)));
    }

    #[test]
    fn query_strings_are_encoded() {
        assert_eq!(
            query_string([("q", "№ 1 & Ко".to_owned()), ("page", String::new())]),
            "?q=%E2%84%96%201%20%26%20%D0%9A%D0%BE"
        );
        assert_eq!(query_string([("page", String::new())]), "?");
    }
}
