//! Pictures drawn on the server as SVG, so they read without JavaScript and print: the region's
//! overview (municipalities × factors, the share of schools at each level), the change between
//! two campaigns (each factor's score before → after per school) and a school's factors over
//! campaigns. A level is told by its colour *and* a pattern (none, hatched, crossed), so it
//! survives colour blindness and greyscale; every picture has a table of the same numbers
//! beside it. Numbers become coordinates; no text becomes markup.

use leptos::prelude::*;

use crate::i18n::Lang;
use crate::reports::{ChangeRow, LevelView, ProfileHistory, RegionOverview};

/// The grey of «not enough data».
const NO_DATA: &str = "#d5d9de";

/// The fill of the `n`-th level in a picture whose patterns carry `prefix`.
fn fill(prefix: &str, n: usize) -> String {
    format!("url(#{prefix}-{n})")
}

/// A level's pattern: its colour, with white lines that grow denser with the level (none for the
/// first, hatched for the second, crossed from the third on).
fn pattern(prefix: &str, n: usize, colour: &str) -> impl IntoView {
    let lines = match n {
        0 => "",
        1 => "M-2,2 L2,-2 M0,8 L8,0 M6,10 L10,6",
        _ => "M-2,2 L2,-2 M0,8 L8,0 M6,10 L10,6 M0,0 L8,8 M-2,6 L2,10 M6,-2 L10,2",
    };
    view! {
        <pattern id=format!("{prefix}-{n}") width="8" height="8" patternUnits="userSpaceOnUse">
            <rect width="8" height="8" fill=colour.to_owned() />
            <path d=lines stroke="#ffffff" stroke-width="1.6" />
        </pattern>
    }
}

fn patterns(prefix: &'static str, levels: &[LevelView]) -> impl IntoView {
    view! {
        <defs>
            {levels.iter().enumerate().map(|(n, l)| pattern(prefix, n, &l.colour)).collect_view()}
        </defs>
    }
}

/// The levels' swatches with their names, as text beside a picture.
#[component]
pub fn Legend(
    prefix: String,
    levels: Vec<LevelView>,
    #[prop(optional)] no_data: bool,
    lang: Lang,
) -> impl IntoView {
    view! {
        <ul class="legend">
            {levels.iter().enumerate().map(|(n, l)| view! {
                <li>
                    <svg width="16" height="12" aria-hidden="true" focusable="false">
                        <defs>{pattern(&prefix, n, &l.colour)}</defs>
                        <rect width="16" height="12" fill=fill(&prefix, n) stroke="#555" stroke-width="0.5" />
                    </svg>
                    " "{l.name.clone()}
                </li>
            }).collect_view()}
            {no_data.then(|| view! {
                <li>
                    <svg width="16" height="12" aria-hidden="true" focusable="false"><rect width="16" height="12" fill=NO_DATA /></svg>
                    " "{lang.tr("недостаточно данных", "not enough data")}
                </li>
            })}
        </ul>
    }
}

/// A name cut to fit a picture's label column (the whole name stays in the table beside).
fn short(name: &str, chars: usize) -> String {
    if name.chars().count() <= chars {
        name.to_owned()
    } else {
        let mut cut: String = name.chars().take(chars - 1).collect();
        cut.push('…');
        cut
    }
}

/// A share as whole percent.
fn percent(n: u32, of: u32) -> u32 {
    if of == 0 {
        0
    } else {
        ((f64::from(n) * 100.0) / f64::from(of)).round() as u32
    }
}

/// How a picture is framed: its figure's class, its name (read aloud), the prefix of its level
/// patterns, its size and its caption.
struct Frame {
    class: &'static str,
    title: &'static str,
    prefix: &'static str,
    size: (f64, f64),
    caption: &'static str,
    no_data: bool,
}

/// A picture in its figure: the SVG in a box that scrolls when the window is narrow (focusable,
/// named), the caption and the levels' legend below it.
fn picture(frame: Frame, levels: &[LevelView], body: AnyView, lang: Lang) -> AnyView {
    let Frame {
        class,
        title,
        prefix,
        size: (width, height),
        caption,
        no_data,
    } = frame;
    let legend = format!("{prefix}-legend");
    view! {
        <figure class=class>
            <div class="wide" tabindex="0" role="region" aria-label=title>
                <svg class="picture" viewBox=format!("0 0 {width} {height}") width=width role="img" aria-label=title focusable="false">
                    {patterns(prefix, levels)}
                    {body}
                </svg>
            </div>
            <figcaption>
                {caption}
                <Legend prefix=legend levels=levels.to_vec() no_data lang />
            </figcaption>
        </figure>
    }
    .into_any()
}

/// The region's overview: a row per area (the whole scope, then each municipality), a column
/// per factor, each cell a bar of the area's schools split by level (highest first, then «not
/// enough data»); the table of the same shares follows.
#[component]
pub fn OverviewChart(overview: RegionOverview, lang: Lang) -> impl IntoView {
    const LABEL: f64 = 210.0;
    const CELL: f64 = 66.0;
    const BAR: f64 = 58.0;
    const ROW: f64 = 26.0;
    const TOP: f64 = 24.0;
    let o = overview;
    let width = LABEL + CELL * o.factors.len() as f64;
    let height = TOP + ROW * o.areas.len() as f64 + 4.0;
    let levels = o.levels.clone();
    let order: Vec<usize> = (0..levels.len()).rev().collect();
    let rows = o.areas.iter().enumerate().map(|(r, area)| {
        let y = TOP + ROW * r as f64;
        let cells = area.cells.iter().enumerate().map(|(c, cell)| {
            let x0 = LABEL + CELL * c as f64;
            let total = f64::from(area.schools.max(1));
            let mut x = x0;
            let mut parts: Vec<(f64, f64, String)> = Vec::new();
            for &n in &order {
                let w = BAR * f64::from(cell.per_level.get(n).copied().unwrap_or(0)) / total;
                parts.push((x, w, fill("ov", n)));
                x += w;
            }
            parts.push((x, BAR * f64::from(cell.insufficient) / total, NO_DATA.to_owned()));
            view! {
                <g>
                    <rect x=x0 y=y + 4.0 width=BAR height=ROW - 8.0 fill="#ffffff" stroke="#888" stroke-width="0.5" />
                    {parts.into_iter().filter(|(_, w, _)| *w > 0.0).map(|(x, w, f)| view! {
                        <rect x=format!("{x:.1}") y=y + 4.0 width=format!("{w:.1}") height=ROW - 8.0 fill=f />
                    }).collect_view()}
                </g>
            }
        }).collect_view();
        let label = format!("{} ({})", short(&area.name, 24), area.schools);
        view! {
            <g data-area=area.municipality.map_or_else(|| "all".to_owned(), |m| m.to_string())>
                <text x="0" y=y + ROW / 2.0 + 4.0 font-size="13" font-weight=if r == 0 { "bold" } else { "normal" }>{label}</text>
                {cells}
            </g>
        }
    }).collect_view();
    let heads = o.factors.iter().enumerate().map(|(c, (code, _))| view! {
        <text x=LABEL + CELL * c as f64 + BAR / 2.0 y="16" font-size="13" text-anchor="middle">{code.clone()}</text>
    }).collect_view();
    let title = lang.tr(
        "Доля школ на каждом уровне риска по факторам и муниципалитетам",
        "The share of schools at each risk level by factor and municipality",
    );
    let figure = picture(
        Frame {
            class: "overview-chart",
            title,
            prefix: "ov",
            size: (width, height),
            caption: lang.tr("Слева направо: высокий уровень, средний, низкий, недостаточно данных; в скобках — число школ.", "Left to right: high level, medium, low, not enough data; in brackets, the number of schools."),
            no_data: true,
        },
        &levels,
        view! { {heads}{rows} }.into_any(),
        lang,
    );
    let table = view! {
        <div class="wide list" tabindex="0" role="region" aria-label=lang.tr("Доли школ по уровням (таблица)", "Shares of schools by level (table)")>
            <table class="overview-table">
                <caption>{match lang {
                    Lang::Ru => format!("% школ: {} (без данных — число школ)", order.iter().map(|&n| levels[n].name.clone()).collect::<Vec<_>>().join(" / ")),
                    Lang::En => format!("% of schools: {} (without data: schools)", order.iter().map(|&n| levels[n].name.clone()).collect::<Vec<_>>().join(" / ")),
                }}</caption>
                <thead><tr>
                    <th scope="col">{lang.tr("Муниципалитет", "Municipality")}</th>
                    <th scope="col" class="num">{lang.tr("Школ", "Schools")}</th>
                    {o.factors.iter().map(|(code, name)| view! { <th scope="col" title=name.clone()>{code.clone()}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {o.areas.into_iter().map(|area| {
                        let schools = area.schools;
                        view! {
                            <tr>
                                <th scope="row">{area.name}</th>
                                <td class="num">{schools}</td>
                                {area.cells.into_iter().map(|cell| {
                                    let shares = order.iter().map(|&n| percent(cell.per_level.get(n).copied().unwrap_or(0), schools).to_string()).collect::<Vec<_>>().join(" / ");
                                    let missing = (cell.insufficient > 0).then(|| format!(" (−{})", cell.insufficient));
                                    view! { <td class="num">{shares}{missing}</td> }
                                }).collect_view()}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any();
    view! { {figure}{table} }.into_any()
}

/// The change page's picture: a row per school of the page, a column per factor; in each cell
/// the score before (a ring) and after (a dot, in its level's pattern) on a 0–1 scale, joined by a
/// line — solid when the change is beyond the uncertainty, dashed when within it.
#[component]
pub fn ChangeChart(
    factors: Vec<(String, String)>,
    rows: Vec<ChangeRow>,
    levels: Vec<LevelView>,
    lang: Lang,
) -> impl IntoView {
    const LABEL: f64 = 210.0;
    const CELL: f64 = 66.0;
    const TRACK: f64 = 54.0;
    const ROW: f64 = 22.0;
    const TOP: f64 = 24.0;
    let width = LABEL + CELL * factors.len() as f64;
    let height = TOP + ROW * rows.len() as f64 + 4.0;
    let level_index = |key: &Option<String>| {
        key.as_ref()
            .and_then(|k| levels.iter().position(|x| &x.key == k))
    };
    // A region's page holds fifty schools or more: each mark is as short as it can be (its
    // strokes in the stylesheet's classes, every row's tracks one path).
    let body = rows.iter().enumerate().map(|(r, row)| {
        let y = TOP + ROW * r as f64 + ROW / 2.0;
        let tracks: String = (0..row.cells.len())
            .map(|c| format!("M{:.0},{y:.0}h{TRACK:.0}", LABEL + CELL * c as f64 + 3.0))
            .collect();
        let cells = row.cells.iter().enumerate().map(|(c, cell)| {
            let x0 = LABEL + CELL * c as f64;
            let at = |s: f64| format!("{:.1}", x0 + TRACK * s.clamp(0.0, 1.0) + 3.0);
            let significant = cell.significant == Some(true);
            let after_fill = level_index(&cell.after).map_or_else(|| NO_DATA.to_owned(), |n| fill("ch", n));
            view! {
                {cell.before_score.zip(cell.after_score).map(|(b, a)| view! {
                    <path d=format!("M{},{y:.0}H{}", at(b), at(a)) class=if significant { "sig" } else { "within" } />
                })}
                {cell.before_score.map(|b| view! { <circle class="before" cx=at(b) cy=y r="3.5" /> })}
                {cell.after_score.map(|a| view! { <circle class="after" cx=at(a) cy=y r="4.5" fill=after_fill.clone() /> })}
            }
        }).collect_view();
        view! {
            <g data-school=row.school_id>
                <text x="0" y=y + 4.0 font-size="12">{short(&row.school, 28)}</text>
                <path class="track" d=tracks />
                {cells}
            </g>
        }
    }).collect_view();
    let heads = factors.iter().enumerate().map(|(c, (code, _))| view! {
        <text x=LABEL + CELL * c as f64 + TRACK / 2.0 + 3.0 y="16" font-size="13" text-anchor="middle">{code.clone()}</text>
    }).collect_view();
    let title = lang.tr(
        "Баллы риска по факторам: было → стало, по школам",
        "Risk scores by factor: before → after, by school",
    );
    picture(
        Frame {
            class: "change-chart",
            title,
            prefix: "ch",
            size: (width, height),
            caption: lang.tr(
                "Шкала в каждой клетке — балл риска от 0 (слева) до 1 (справа). Кольцо — было, точка — стало (узор и цвет — уровень); сплошная жирная линия — изменение больше погрешности, пунктир — в её пределах.",
                "Each cell's scale is the risk score from 0 (left) to 1 (right). A ring is before, a dot after (its pattern and colour the level); a solid bold line is a change beyond the uncertainty, a dashed one within it.",
            ),
            no_data: false,
        },
        &levels,
        view! { {heads}{body} }.into_any(),
        lang,
    )
}

/// A school's factors over campaigns: a row per factor, a column per campaign (oldest on the
/// left), the score as a dot in its level's pattern at its height in the row (higher is more
/// risk), joined across campaigns; the table of the same scores follows.
#[component]
pub fn HistoryChart(history: ProfileHistory, levels: Vec<LevelView>, lang: Lang) -> impl IntoView {
    const LABEL: f64 = 250.0;
    const COLUMN: f64 = 190.0;
    const ROW: f64 = 40.0;
    const TOP: f64 = 30.0;
    let h = history;
    let width = LABEL + COLUMN * h.campaigns.len() as f64 + 40.0;
    let height = TOP + ROW * h.factors.len() as f64 + 4.0;
    let level_index = |l: &Option<LevelView>| {
        l.as_ref()
            .and_then(|l| levels.iter().position(|x| x.key == l.key))
    };
    let x = |i: usize| LABEL + COLUMN * i as f64 + COLUMN / 2.0;
    let rows = h.factors.iter().enumerate().map(|(r, f)| {
        let top = TOP + ROW * r as f64;
        let y = move |s: f64| top + 6.0 + (ROW - 12.0) * (1.0 - s.clamp(0.0, 1.0));
        let line = f.points.iter().enumerate()
            .filter_map(|(i, p)| p.as_ref().map(|(s, _)| format!("{:.1},{:.1}", x(i), y(*s))))
            .collect::<Vec<_>>()
            .join(" ");
        view! {
            <g data-factor=f.code.clone()>
                <line x1=LABEL x2=width - 20.0 y1=top + ROW y2=top + ROW stroke="#e0e3e7" stroke-width="1" />
                <text x="0" y=top + ROW / 2.0 + 4.0 font-size="12">{format!("{} {}", f.code, short(&f.name, 30))}</text>
                <polyline points=line fill="none" stroke="#1f2328" stroke-width="1.2" />
                {f.points.iter().enumerate().map(|(i, p)| match p {
                    Some((s, level)) => {
                        let dot = level_index(level).map_or_else(|| NO_DATA.to_owned(), |n| fill("hi", n));
                        view! {
                            <circle cx=x(i) cy=format!("{:.1}", y(*s)) r="6" fill=dot stroke="#1f2328" stroke-width="1" />
                            <text x=x(i) + 9.0 y=format!("{:.1}", y(*s) - 6.0) font-size="11">{surveys::text::decimals(*s, 2)}</text>
                        }.into_any()
                    }
                    None => view! { <text x=x(i) y=top + ROW / 2.0 + 4.0 font-size="11" text-anchor="middle">"—"</text> }.into_any(),
                }).collect_view()}
            </g>
        }
    }).collect_view();
    let heads = h
        .campaigns
        .iter()
        .enumerate()
        .map(|(i, (_, name))| {
            view! {
                <text x=x(i) y="18" font-size="12" text-anchor="middle">{short(name, 24)}</text>
            }
        })
        .collect_view();
    let title = lang.tr(
        "Факторы школы по кампаниям",
        "The school's factors over campaigns",
    );
    let figure = picture(
        Frame {
            class: "history-chart",
            title,
            prefix: "hi",
            size: (width, height),
            caption: lang.tr(
                "Чем выше точка в строке, тем выше балл риска (от 0 до 1). Все кампании пересчитаны по действующей методике.",
                "The higher a dot in its row, the higher the risk score (0 to 1). Every campaign is scored by the methodology in force.",
            ),
            no_data: false,
        },
        &levels,
        view! { {heads}{rows} }.into_any(),
        lang,
    );
    let table = view! {
            <div class="wide list" tabindex="0" role="region" aria-label=lang.tr("Факторы по кампаниям (таблица)", "Factors over campaigns (table)")>
                <table class="history-table">
                    <thead><tr>
                        <th scope="col">{lang.tr("Фактор", "Factor")}</th>
                        {h.campaigns.iter().map(|(_, name)| view! { <th scope="col">{name.clone()}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {h.factors.into_iter().map(|f| view! {
                            <tr>
                                <th scope="row">{format!("{} {}", f.code, f.name)}</th>
                                {f.points.into_iter().map(|p| view! {
                                    <td class="num">{p.map_or_else(|| "—".to_owned(), |(s, l)| format!("{} ({})", surveys::text::decimals(s, 2), l.map(|l| l.name).unwrap_or_default()))}</td>
                                }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
    }
    .into_any();
    view! {
        <section class="history">
            <h2>{title}</h2>
            {figure}
            {table}
        </section>
    }
    .into_any()
}
