//! The controls of a long school list (`crate::listing`): headers that sort, the search and the
//! page size inside the list's filter form, and the pager. All are links and GET forms, so they
//! work without JavaScript; hydrated, the router follows them in place.

use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::{use_location, use_query_map};

use crate::i18n::Lang;
use crate::listing::{query_string, ListQuery, Paging, PER_PAGE_CHOICES};

/// The keys a list's links carry over from the current address: its filters and the list's own
/// state (never a notice).
const CARRIED: [&str; 19] = [
    "view",
    "action",
    "from",
    "to",
    "region",
    "year",
    "before",
    "after",
    "school",
    "show",
    "municipality",
    "cohort",
    "level",
    "state",
    "sort",
    "dir",
    "q",
    "per",
    "page",
];

/// What the current address asks of the list (tracked: a new address reads again).
pub fn list_query() -> impl Fn() -> ListQuery + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || {
        let q = query.read();
        let number = |key: &str| q.get_str(key).and_then(|v| v.parse().ok());
        ListQuery {
            sort: q.get("sort").filter(|s| !s.is_empty()),
            desc: q.get_str("dir") == Some("desc"),
            q: q.get("q").filter(|s| !s.trim().is_empty()),
            page: number("page"),
            per: number("per"),
            level: q.get("level").filter(|s| !s.is_empty()),
        }
    }
}

/// The current address with some keys changed (an empty value drops the key).
pub fn link(changes: &[(&'static str, String)]) -> String {
    let map = use_query_map().read_untracked();
    let mut pairs: Vec<(&str, String)> = CARRIED
        .iter()
        .filter_map(|k| map.get(k).map(|v| (*k, v)))
        .collect();
    for (key, value) in changes {
        pairs.retain(|(k, _)| k != key);
        pairs.push((key, value.clone()));
    }
    format!(
        "{}{}",
        use_location().pathname.get_untracked(),
        query_string(pairs)
    )
}

/// The address of another list of the same page (`?show=`; none for the page's first): the
/// filters kept, the list's own state — status, sort, page — anew.
pub fn list_link(show: Option<&str>) -> String {
    let show = show.unwrap_or_default().to_owned();
    link(&[
        ("show", show),
        ("state", String::new()),
        ("sort", String::new()),
        ("dir", String::new()),
        ("page", String::new()),
        ("per", String::new()),
    ])
}

/// A column header that sorts its list: ascending first for names, descending first for
/// numbers (`numeric`), the other way on the next click.
#[component]
pub fn SortHeader(
    label: String,
    column: String,
    paging: Paging,
    #[prop(optional)] numeric: bool,
    #[prop(optional)] title: Option<String>,
    lang: Lang,
) -> impl IntoView {
    let current = paging.sort.as_deref() == Some(column.as_str());
    let sorted = current.then_some(if paging.desc {
        "descending"
    } else {
        "ascending"
    });
    let next_desc = if current { !paging.desc } else { numeric };
    let href = link(&[
        ("sort", column),
        ("dir", if next_desc { "desc" } else { "" }.to_owned()),
        ("page", String::new()),
    ]);
    let mark = match sorted {
        Some("ascending") => "▲",
        Some(_) => "▼",
        None => "↕",
    };
    let hint = if next_desc {
        lang.tr("сортировать по убыванию", "sort descending")
    } else {
        lang.tr("сортировать по возрастанию", "sort ascending")
    };
    view! {
        <th scope="col" class=if numeric { "num sortable" } else { "sortable" } aria-sort=sorted title=title>
            <a href=href>{label}<span class="sort-mark" aria-hidden="true">{mark}</span><span class="sr-only">{format!(" ({hint})")}</span></a>
        </th>
    }
}

/// Links that sort a list that is not a table (its items carry forms): the current order marked
/// (`aria-current`), the next click on it reversing it.
#[component]
pub fn SortLinks(
    columns: Vec<(String, String, bool)>,
    paging: Paging,
    lang: Lang,
) -> impl IntoView {
    view! {
        <p class="sort-links">{lang.tr("Сортировать: ", "Sort: ")}
            {columns.into_iter().enumerate().map(|(n, (label, column, numeric))| {
                let current = paging.sort.as_deref() == Some(column.as_str());
                let next_desc = if current { !paging.desc } else { numeric };
                let href = link(&[
                    ("sort", column),
                    ("dir", if next_desc { "desc" } else { "" }.to_owned()),
                    ("page", String::new()),
                ]);
                let mark = match (current, paging.desc) {
                    (true, false) => " ▲",
                    (true, true) => " ▼",
                    (false, _) => "",
                };
                view! {
                    {(n > 0).then_some(" · ")}
                    <a href=href aria-current=current.then_some("true")>{label}{mark}</a>
                }
            }).collect_view()}
        </p>
    }
}

/// A list's filter form: a GET form to the page's own address, so that it works without
/// JavaScript and can be bookmarked; hydrated, the router follows it in place (no reload, the
/// scroll kept).
#[component]
pub fn ListForm(lang: Lang, children: Children) -> impl IntoView {
    let action = use_location().pathname.get_untracked();
    view! {
        <Form method="get" action=action noscroll=true attr:class="filter" attr:role="search" attr:aria-label=lang.tr("Отбор списка", "Filter the list")>
            {children()}
        </Form>
    }
}

/// The search by name and the page size, for the list's GET filter form (the sort it carries
/// in hidden fields; the page starts again from the first).
#[component]
pub fn ListFields(paging: Paging, lang: Lang) -> impl IntoView {
    view! {
        <label for="q">{lang.tr("Название школы", "School name")}</label>
        <input type="search" id="q" name="q" value=paging.q.clone() />
        <label for="per">{lang.tr("Строк на странице", "Rows per page")}</label>
        <select id="per" name="per">
            {PER_PAGE_CHOICES.into_iter().map(|n| view! { <option value=n selected=n == paging.per>{n}</option> }).collect_view()}
        </select>
        {paging.sort.clone().map(|s| view! { <input type="hidden" name="sort" value=s /> })}
        {paging.desc.then(|| view! { <input type="hidden" name="dir" value="desc" /> })}
    }
}

/// The page numbers shown: the first, the last and two either side of the current one; `None`
/// stands for a gap.
fn page_numbers(page: usize, pages: usize) -> Vec<Option<usize>> {
    let mut shown: Vec<Option<usize>> = Vec::new();
    for n in 1..=pages {
        if n == 1 || n == pages || n.abs_diff(page) <= 2 {
            shown.push(Some(n));
        } else if shown.last() != Some(&None) {
            shown.push(None);
        }
    }
    shown
}

/// How many rows the filter leaves and which are shown (above a list).
#[component]
pub fn Shown(paging: Paging, lang: Lang) -> impl IntoView {
    let (first, last) = paging.shown();
    let total = paging.total;
    let status = match lang {
        Lang::Ru => format!("Школ в списке: {total}; показаны {first}–{last}."),
        Lang::En => format!("Schools in the list: {total}; showing {first}–{last}."),
    };
    view! { <p class="shown" data-total=total>{status}</p> }
}

/// Links to the list's other pages (below a list; nothing when it fits on one).
#[component]
pub fn Pager(paging: Paging, lang: Lang) -> impl IntoView {
    let (page, pages) = (paging.page, paging.pages());
    let to = |n: usize| link(&[("page", if n == 1 { String::new() } else { n.to_string() })]);
    view! {
        {(pages > 1).then(|| view! {
            <nav class="pager" aria-label=lang.tr("Страницы списка", "Pages of the list")>
                <ul>
                    {(page > 1).then(|| view! { <li><a href=to(page - 1) rel="prev">{lang.tr("← Назад", "← Previous")}</a></li> })}
                    {page_numbers(page, pages).into_iter().map(|n| match n {
                        Some(n) if n == page => view! { <li><a href=to(n) aria-current="page">{n}</a></li> }.into_any(),
                        Some(n) => view! { <li><a href=to(n)>{n}</a></li> }.into_any(),
                        None => view! { <li aria-hidden="true">"…"</li> }.into_any(),
                    }).collect_view()}
                    {(page < pages).then(|| view! { <li><a href=to(page + 1) rel="next">{lang.tr("Вперёд →", "Next →")}</a></li> })}
                </ul>
            </nav>
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::page_numbers;

    #[test]
    fn page_numbers_keep_the_ends_and_the_neighbourhood() {
        assert_eq!(page_numbers(1, 1), vec![Some(1)]);
        assert_eq!(
            page_numbers(10, 20),
            vec![
                Some(1),
                None,
                Some(8),
                Some(9),
                Some(10),
                Some(11),
                Some(12),
                None,
                Some(20)
            ]
        );
        assert_eq!(
            page_numbers(2, 5),
            vec![Some(1), Some(2), Some(3), Some(4), Some(5)]
        );
    }
}
