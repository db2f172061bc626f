//! The diagnostics — the teachers' professional deficits and the principals' management: one's
//! result per area with bands, the weakest sub-skills and a draft ИОМ; and, for teachers only, a
//! school's summary over its teachers (suppressed under the minimum) and a municipality's demand.
//! Results are self-assessed and labelled so.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::answers::{Answer, Answers};
use crate::calendar::Day;
use crate::catalogue::IomFormat;
use crate::instrument::Group;
use crate::methodology::Methodology;
use crate::profile::GroupResult;
use crate::tally::Tally;
use crate::text::Text;

/// A diagnostic whose result belongs to its respondent alone, opened with a result key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Diagnostic {
    /// The teachers' professional-deficit diagnostic.
    Teacher,
    /// The principals' management self-diagnostic.
    Principal,
}

impl Diagnostic {
    pub const ALL: [Diagnostic; 2] = [Diagnostic::Teacher, Diagnostic::Principal];

    /// The stable key (stored with a development plan).
    pub fn key(self) -> &'static str {
        match self {
            Diagnostic::Teacher => "teacher",
            Diagnostic::Principal => "principal",
        }
    }

    pub fn parse(key: &str) -> Option<Diagnostic> {
        Diagnostic::ALL.into_iter().find(|d| d.key() == key)
    }

    /// The respondent group that takes it.
    pub fn group(self) -> Group {
        match self {
            Diagnostic::Teacher => Group::TeacherDeficits,
            Diagnostic::Principal => Group::PrincipalManagement,
        }
    }

    /// The diagnostic a group takes, if it takes one.
    pub fn of(group: Group) -> Option<Diagnostic> {
        Diagnostic::ALL.into_iter().find(|d| d.group() == group)
    }
}

/// A stored diagnostic's key (a development plan's kind).
impl TryFrom<String> for Diagnostic {
    type Error = crate::instrument::UnknownGroup;

    fn try_from(key: String) -> Result<Diagnostic, Self::Error> {
        Diagnostic::parse(&key).ok_or(crate::instrument::UnknownGroup(key))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaResult {
    pub area: String,
    pub name: Text,
    pub points: f64,
    pub max_points: f64,
    /// points / max × 100; `None` when nothing of the area was answered.
    pub percent: Option<f64>,
    pub band: Option<String>,
}

impl AreaResult {
    /// An area scored `percent` of 100 points, banded by the scale of its diagnostic.
    pub fn scored(
        scale: crate::catalogue::Scale<'_>,
        area: &crate::catalogue::DeficitArea,
        percent: f64,
    ) -> AreaResult {
        AreaResult {
            area: area.key.clone(),
            name: area.name.clone(),
            points: percent,
            max_points: 100.0,
            percent: Some(percent),
            band: Some(scale.band(percent).key.clone()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubskillResult {
    pub area: String,
    pub subskill: String,
    /// The wording of the first item measuring it, for the report.
    pub label: Text,
    pub percent: f64,
}

/// One activity of the draft ИОМ.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IomItem {
    /// The catalogue entry's key.
    pub key: String,
    /// The most severe of the teacher's deficits it addresses, and that deficit's band.
    pub area: String,
    pub band: String,
    /// Every deficit area of the teacher's it addresses, the most severe first.
    pub areas: Vec<String>,
    pub provider: Option<Text>,
    pub link: Option<String>,
    pub format: Text,
    pub title: Text,
    pub hours: Option<u32>,
    pub goal: Text,
    pub deadline: String,
    pub evidence: Text,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeficitResult {
    pub methodology_version: String,
    /// Always true for now: the scores rest on the teacher's own assessment (plus a few
    /// knowledge items), and reports must say so.
    pub self_assessed: bool,
    pub areas: Vec<AreaResult>,
    pub weakest: Vec<SubskillResult>,
    pub iom: Vec<IomItem>,
}

/// The area and sub-skill a slot of the diagnostic measures (a row's own, else its item's).
fn measures(instrument: &crate::instrument::Instrument, slot: usize) -> Option<(&str, &str)> {
    let item = instrument.slot_item(slot);
    let row = instrument.slots[slot].row.map(|r| &item.rows[r]);
    let area = row
        .and_then(|r| r.area.as_deref())
        .or(item.area.as_deref())?;
    let subskill = row
        .and_then(|r| r.subskill.as_deref())
        .or(item.subskill.as_deref())?;
    Some((area, subskill))
}

/// How many statements and questions of a diagnostic measure each of its areas.
pub fn items_per_area(m: &Methodology, diagnostic: Diagnostic) -> BTreeMap<String, u32> {
    let mut out = BTreeMap::new();
    if let Some(instrument) = m.instrument(diagnostic.group()) {
        for slot in 0..instrument.slots.len() {
            if let Some((area, _)) = measures(instrument, slot) {
                *out.entry(area.to_owned()).or_insert(0) += 1;
            }
        }
    }
    out
}

/// One area's change between a teacher's two diagnostics, in percentage points, with the
/// uncertainty a self-assessment of this length carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaChange {
    pub area: String,
    pub before: f64,
    pub after: f64,
    /// `after − before`, and its interval at the methodology's confidence.
    pub change: f64,
    pub low: f64,
    pub high: f64,
    /// Whether the interval leaves out zero: a change beyond what the length of the
    /// self-assessment leaves uncertain.
    pub beyond: bool,
    pub band_before: Option<String>,
    pub band_after: Option<String>,
}

/// The change per area between two diagnostics of the same person (areas scored in both). An
/// area's score is the mean of its n items, each between 0 and 1, so its variance is at most
/// p(1 − p)/n (with p kept half an item from 0 and 1: an all-or-nothing answer is not certainty);
/// the two diagnostics are independent, so the change's variance is the sum.
pub fn change(
    m: &Methodology,
    diagnostic: Diagnostic,
    before: &DeficitResult,
    after: &DeficitResult,
) -> Vec<AreaChange> {
    let items = items_per_area(m, diagnostic);
    let z = crate::stats::normal_quantile(0.5 + m.rules.confidence / 2.0);
    after
        .areas
        .iter()
        .filter_map(|a| {
            let b = before.areas.iter().find(|b| b.area == a.area)?;
            let (p0, p1) = (b.percent? / 100.0, a.percent? / 100.0);
            let n = f64::from(*items.get(&a.area).filter(|n| **n > 0)?);
            let floor = 0.5 / n;
            let variance = |p: f64| {
                let p = p.clamp(floor, 1.0 - floor);
                p * (1.0 - p) / n
            };
            let half = z * (variance(p0) + variance(p1)).sqrt() * 100.0;
            let change = (p1 - p0) * 100.0;
            Some(AreaChange {
                area: a.area.clone(),
                before: p0 * 100.0,
                after: p1 * 100.0,
                change,
                low: change - half,
                high: change + half,
                beyond: change - half > 0.0 || change + half < 0.0,
                band_before: b.band.clone(),
                band_after: a.band.clone(),
            })
        })
        .collect()
}

/// Scores one teacher's diagnostic; `start` is the day the plan starts (deadlines count from it).
pub fn teacher_result(m: &Methodology, answers: &Answers, start: Day) -> Option<DeficitResult> {
    result(m, Diagnostic::Teacher, answers, start)
}

/// Scores one person's diagnostic; `start` is the day the plan starts (deadlines count from it).
pub fn result(
    m: &Methodology,
    diagnostic: Diagnostic,
    answers: &Answers,
    start: Day,
) -> Option<DeficitResult> {
    let instrument = m.instrument(diagnostic.group())?;
    let scale = m.scale(diagnostic);
    // (points, max) per area and per (area, subskill), with the first label seen.
    let mut areas: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    let mut subskills: Vec<(String, String, Text, f64, f64)> = Vec::new();
    for (slot, s) in instrument.slots.iter().enumerate() {
        let item = instrument.slot_item(slot);
        let row = s.row.map(|r| &item.rows[r]);
        let Some((area, subskill)) = measures(instrument, slot) else {
            continue;
        };
        let Some(list) = item.choices.as_deref().and_then(|l| m.choice_list(l)) else {
            continue;
        };
        let Some(Answer::Choice(i)) = answers.get(slot) else {
            continue;
        };
        let Some(choice) = list.choices.get(usize::from(*i)) else {
            continue;
        };
        let (points, max) = match (&item.correct, item.points) {
            (Some(correct), Some(worth)) => {
                (if choice.value == *correct { worth } else { 0.0 }, worth)
            }
            _ => (choice.points.unwrap_or(0.0), list.max_points()),
        };
        let a = areas.entry(area).or_default();
        a.0 += points;
        a.1 += max;
        let label = row.map_or_else(
            || item.label(),
            |r| Text {
                ru: r.ru.clone(),
                en: r.en.clone(),
            },
        );
        match subskills
            .iter_mut()
            .find(|x| x.0 == area && x.1 == subskill)
        {
            Some(x) => {
                x.3 += points;
                x.4 += max;
            }
            None => subskills.push((area.to_owned(), subskill.to_owned(), label, points, max)),
        }
    }
    let area_results: Vec<AreaResult> = scale
        .areas
        .iter()
        .map(|a| {
            let (points, max) = areas.get(a.key.as_str()).copied().unwrap_or_default();
            let percent = (max > 0.0).then(|| points / max * 100.0);
            AreaResult {
                area: a.key.clone(),
                name: a.name.clone(),
                points,
                max_points: max,
                percent,
                band: percent.map(|p| scale.band(p).key.clone()),
            }
        })
        .collect();
    let mut weakest: Vec<SubskillResult> = subskills
        .into_iter()
        .filter(|s| s.4 > 0.0)
        .map(|(area, subskill, label, p, max)| SubskillResult {
            area,
            subskill,
            label,
            percent: p / max * 100.0,
        })
        .filter(|s| scale.band(s.percent).deficit)
        .collect();
    weakest.sort_by(|a, b| {
        a.percent
            .total_cmp(&b.percent)
            .then_with(|| a.subskill.cmp(&b.subskill))
    });
    weakest.truncate(scale.weakest_subskills);
    let iom = suggestions(m, diagnostic, &area_results, start);
    Some(DeficitResult {
        methodology_version: m.version.to_string(),
        self_assessed: true,
        areas: area_results,
        weakest,
        iom,
    })
}

/// The draft ИОМ: the catalogue's activities for one's deficits, the most severe deficit first
/// (the band's place in the diagnostic's scale, then the lower score, then the scale's order of
/// areas); an activity that addresses several of one's deficits comes once, at the most severe,
/// naming them all. Within an area, the catalogue's order.
pub fn suggestions(
    m: &Methodology,
    diagnostic: Diagnostic,
    areas: &[AreaResult],
    start: Day,
) -> Vec<IomItem> {
    let scale = m.scale(diagnostic);
    let mut deficits: Vec<(usize, &AreaResult, &str)> = areas
        .iter()
        .filter(|a| scale.area(&a.area).is_some())
        .filter_map(|a| {
            let band = a.band.as_deref()?;
            let place = scale.deficit_place(band)?;
            Some((place, a, band))
        })
        .collect();
    // A stable sort keeps the catalogue's order of areas among equals.
    deficits.sort_by(|x, y| {
        x.0.cmp(&y.0).then_with(|| {
            let score = |a: &AreaResult| a.percent.unwrap_or(f64::INFINITY);
            score(x.1).total_cmp(&score(y.1))
        })
    });
    let mut out: Vec<IomItem> = Vec::new();
    for (_, a, band) in &deficits {
        for e in &m.iom.entries {
            let meant = e.areas.contains(&a.area) && e.bands.iter().any(|b| b == band);
            if !meant || out.iter().any(|i| i.key == e.key) {
                continue;
            }
            let covered = deficits
                .iter()
                .filter(|(_, d, b)| e.areas.contains(&d.area) && e.bands.iter().any(|x| x == b))
                .map(|(_, d, _)| d.area.clone())
                .collect();
            out.push(IomItem {
                key: e.key.clone(),
                area: a.area.clone(),
                band: (*band).to_owned(),
                areas: covered,
                provider: e.provider.clone(),
                link: e.link.clone(),
                format: IomFormat::name(e.format),
                title: e.title.clone(),
                hours: e.hours,
                goal: e.goal.clone(),
                deadline: start.plus_days(i64::from(e.weeks) * 7).to_string(),
                evidence: e.evidence.clone(),
            });
        }
    }
    out
}

/// The catalogue's activities for a diagnostic's areas.
pub fn activities(
    m: &Methodology,
    diagnostic: Diagnostic,
) -> impl Iterator<Item = &crate::catalogue::IomEntry> {
    let scale = m.scale(diagnostic);
    m.iom
        .entries
        .iter()
        .filter(move |e| e.areas.iter().any(|a| scale.area(a).is_some()))
}

/// Bands of one area over a school's teachers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaDistribution {
    pub area: String,
    /// Teachers per band key, in the catalogue's band order.
    pub bands: Vec<(String, u32)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeficitSummary {
    pub teachers: u32,
    /// Under the minimum number of teachers nothing else is shown.
    pub suppressed: bool,
    pub areas: Vec<AreaDistribution>,
}

/// How many of a school's teachers have taken the diagnostic, against the expected number;
/// `sufficient` when the school's summary can be shown. A count of participants, never results.
pub fn participation(m: &Methodology, expected: Option<u32>, teachers: u32) -> GroupResult {
    let min_respondents = m.min_teachers();
    GroupResult {
        group: Group::TeacherDeficits,
        responses: teachers,
        expected,
        rate: expected
            .filter(|e| *e > 0)
            .map(|e| f64::from(teachers) / f64::from(e)),
        min_respondents,
        rate_floor: 0.0,
        sufficient: teachers >= min_respondents,
    }
}

/// Adds one teacher's result to the school's tally: the teacher, and per area the band.
pub fn add_result(m: &Methodology, tally: &mut Tally, result: &DeficitResult) {
    let (areas, bands) = (&m.deficits.areas, &m.deficits.bands);
    tally.teachers += 1;
    if tally.bands.len() < areas.len() {
        tally.bands.resize(areas.len(), Vec::new());
    }
    for (area, counts) in areas.iter().zip(tally.bands.iter_mut()) {
        if counts.len() < bands.len() {
            counts.resize(bands.len(), 0);
        }
        for (band, count) in bands.iter().zip(counts.iter_mut()) {
            let in_band = result
                .areas
                .iter()
                .any(|x| x.area == area.key && x.band.as_deref() == Some(band.key.as_str()));
            *count += u32::from(in_band);
        }
    }
}

/// The school's distribution of bands per area, from the tally of its teachers' results.
pub fn summary(m: &Methodology, tally: &Tally) -> DeficitSummary {
    let teachers = tally.teachers;
    if teachers < m.min_teachers() {
        return DeficitSummary {
            teachers,
            suppressed: true,
            areas: Vec::new(),
        };
    }
    let areas = m
        .deficits
        .areas
        .iter()
        .enumerate()
        .map(|(a, area)| AreaDistribution {
            area: area.key.clone(),
            bands: m
                .deficits
                .bands
                .iter()
                .enumerate()
                .map(|(b, band)| {
                    let n = tally.bands.get(a).and_then(|c| c.get(b)).copied();
                    (band.key.clone(), n.unwrap_or(0))
                })
                .collect(),
        })
        .collect();
    DeficitSummary {
        teachers,
        suppressed: false,
        areas,
    }
}

/// The school's distribution of bands per area over its teachers' results.
pub fn school_summary(m: &Methodology, results: &[DeficitResult]) -> DeficitSummary {
    let mut tally = Tally::default();
    for result in results {
        add_result(m, &mut tally, result);
    }
    summary(m, &tally)
}

/// One teacher's diagnostic as the demand for professional development counts it: the group it
/// is counted in (a municipality), its school, its areas, and the catalogue activities its plan
/// holds.
#[derive(Debug, Clone, PartialEq)]
pub struct DemandEntry {
    pub group: i64,
    pub school: i64,
    pub areas: Vec<AreaResult>,
    pub chosen: Vec<String>,
}

/// The demand of one group: how many teachers (of how many schools), how many of them have a
/// deficit in each area (by the area's key) and how many chose each catalogue activity (by its
/// key).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DemandRow {
    pub group: i64,
    pub teachers: u32,
    pub schools: u32,
    pub deficits: BTreeMap<String, u32>,
    pub chosen: BTreeMap<String, u32>,
}

/// The demand of the groups large enough to show (at least `min_teachers` teachers of at least
/// `demand_min_schools` schools), how many groups were too small, and the total over the shown
/// groups alone — so that no count of a group left out can be had by subtracting.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Demand {
    pub rows: Vec<DemandRow>,
    pub hidden: u32,
    pub total: DemandRow,
}

/// Counts the demand per group (in the order of the groups' ids).
pub fn demand(m: &Methodology, entries: &[DemandEntry]) -> Demand {
    let deficit = |band: &Option<String>| {
        band.as_deref()
            .is_some_and(|b| m.deficits.bands.iter().any(|x| x.key == b && x.deficit))
    };
    let mut groups: BTreeMap<i64, (DemandRow, std::collections::BTreeSet<i64>)> = BTreeMap::new();
    for e in entries {
        let (row, schools) = groups.entry(e.group).or_default();
        row.group = e.group;
        row.teachers += 1;
        schools.insert(e.school);
        for a in e.areas.iter().filter(|a| deficit(&a.band)) {
            *row.deficits.entry(a.area.clone()).or_insert(0) += 1;
        }
        let mut chosen: Vec<&String> = e.chosen.iter().collect();
        chosen.sort();
        chosen.dedup();
        for key in chosen {
            *row.chosen.entry(key.clone()).or_insert(0) += 1;
        }
    }
    let mut out = Demand::default();
    for (_, (mut row, schools)) in groups {
        row.schools = schools.len() as u32;
        if row.teachers < m.deficits.min_teachers || row.schools < m.deficits.demand_min_schools {
            out.hidden += 1;
            continue;
        }
        out.total.teachers += row.teachers;
        out.total.schools += row.schools;
        for (k, n) in &row.deficits {
            *out.total.deficits.entry(k.clone()).or_insert(0) += n;
        }
        for (k, n) in &row.chosen {
            *out.total.chosen.entry(k.clone()).or_insert(0) += n;
        }
        out.rows.push(row);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::{RawAnswers, RawValue};

    fn entry(m: &Methodology, group: i64, school: i64, weak: bool, chosen: &[&str]) -> DemandEntry {
        let percent = if weak { 30.0 } else { 90.0 };
        DemandEntry {
            group,
            school,
            areas: m
                .deficits
                .areas
                .iter()
                .map(|a| AreaResult::scored(m.deficits.scale(), a, percent))
                .collect(),
            chosen: chosen.iter().map(|c| (*c).to_owned()).collect(),
        }
    }

    #[test]
    fn demand_is_counted_only_over_groups_of_enough_teachers_and_schools() {
        let m = Methodology::default_set().expect("methodology");
        let (fewest, schools) = (m.deficits.min_teachers, m.deficits.demand_min_schools);
        assert!(fewest >= 2 && schools >= 2);
        let mut entries = Vec::new();
        // Group 1: the minimum of teachers over the minimum of schools; half weak, one chose
        // a course twice (counted once).
        for i in 0..fewest {
            let school = 100 + i64::from(i % schools);
            entries.push(entry(
                &m,
                1,
                school,
                i % 2 == 0,
                if i == 0 { &["c1", "c1"] } else { &[] },
            ));
        }
        // Group 2: as many teachers, but all of one school fewer than needed.
        for i in 0..fewest + 3 {
            entries.push(entry(
                &m,
                2,
                200 + i64::from(i % (schools - 1)),
                true,
                &["c1"],
            ));
        }
        // Group 3: enough schools, one teacher too few.
        for i in 0..fewest - 1 {
            entries.push(entry(&m, 3, 300 + i64::from(i), true, &["c2"]));
        }
        let d = demand(&m, &entries);
        assert_eq!(d.hidden, 2);
        assert_eq!(d.rows.len(), 1);
        let row = &d.rows[0];
        assert_eq!((row.group, row.teachers, row.schools), (1, fewest, schools));
        let weak = fewest.div_ceil(2);
        let area = &m.deficits.areas[0].key;
        assert_eq!(row.deficits.get(area), Some(&weak));
        assert_eq!(row.chosen.get("c1"), Some(&1));
        assert_eq!(row.chosen.get("c2"), None);
        // The total is the shown rows' sum: nothing of groups 2 and 3 is in it.
        assert_eq!(d.total.teachers, fewest);
        assert_eq!(d.total.chosen.get("c1"), Some(&1));
        assert_eq!(d.total.deficits.get(area), Some(&weak));
        // One more teacher in group 3 brings it over the minimum, and into the total.
        entries.push(entry(&m, 3, 399, false, &[]));
        let d = demand(&m, &entries);
        assert_eq!((d.rows.len(), d.hidden), (2, 1));
        assert_eq!(d.total.teachers, 2 * fewest);
        assert_eq!(d.total.chosen.get("c2"), Some(&(fewest - 1)));
    }

    /// All rows of one area at `value`, all other self-assessment rows at 3, knowledge items
    /// answered as given.
    fn answers(
        m: &Methodology,
        weak_area: &str,
        value: &str,
        knowledge: &[(&str, &str)],
    ) -> Answers {
        answers_of(m, Diagnostic::Teacher, &[(weak_area, value)], knowledge)
    }

    /// The rows of the given areas at their values, all other self-assessment rows at 3.
    fn answers_of(
        m: &Methodology,
        diagnostic: Diagnostic,
        weak: &[(&str, &str)],
        knowledge: &[(&str, &str)],
    ) -> Answers {
        let instrument = m.instrument(diagnostic.group()).expect("instrument");
        let mut raw = RawAnswers::new();
        for slot in &instrument.slots {
            if slot.row.is_some() {
                let v = weak
                    .iter()
                    .find(|(area, _)| slot.key.starts_with(&format!("{area}.")))
                    .map_or("3", |(_, value)| *value);
                raw.insert(slot.key.clone(), RawValue::One(v.into()));
            }
        }
        for (k, v) in knowledge {
            raw.insert((*k).into(), RawValue::One((*v).into()));
        }
        Answers::parse(m, instrument, &raw).unwrap_or_else(|e| panic!("{e:?}"))
    }

    const ALL_RIGHT: [(&str, &str); 4] = [
        ("k_fgos", "a"),
        ("k_formative", "c"),
        ("k_literacy", "b"),
        ("k_ovz", "a"),
    ];

    #[test]
    fn area_scores_bands_weakest_skills_and_a_draft_plan() {
        let m = Methodology::default_set().expect("valid");
        let start: Day = "2026-09-01".parse().expect("day");
        // Assessment rows at 1 of 3 (3 of 9 points) and the formative knowledge item wrong (0 of 3):
        // 3/12 = 25 % → pronounced.
        let mut knowledge = ALL_RIGHT.to_vec();
        knowledge[1] = ("k_formative", "a");
        let r =
            teacher_result(&m, &answers(&m, "assessment", "1", &knowledge), start).expect("result");
        assert!(r.self_assessed);
        let assessment = r
            .areas
            .iter()
            .find(|a| a.area == "assessment")
            .expect("area");
        assert_eq!((assessment.points, assessment.max_points), (3.0, 12.0));
        assert_eq!(assessment.percent, Some(25.0));
        assert_eq!(assessment.band.as_deref(), Some("pronounced"));
        let subject = r.areas.iter().find(|a| a.area == "subject").expect("area");
        assert_eq!(
            (subject.percent, subject.band.as_deref()),
            (Some(100.0), Some("none"))
        );
        // Weakest: formative (row 1 of 3 plus knowledge 0 of 3 = 1/6), then criteria and objectivity (1/3).
        let weakest: Vec<_> = r.weakest.iter().map(|s| s.subskill.as_str()).collect();
        assert_eq!(weakest, vec!["formative", "criteria", "objectivity"]);
        // Both catalogue entries for a pronounced assessment deficit, with deadlines from the start.
        let plan: Vec<_> = r
            .iom
            .iter()
            .map(|i| (i.area.as_str(), i.deadline.as_str()))
            .collect();
        assert_eq!(
            plan,
            vec![("assessment", "2026-11-24"), ("assessment", "2026-10-27")]
        );
        assert_eq!(r.iom[0].hours, Some(36));
    }

    #[test]
    fn a_partial_deficit_gets_only_the_entries_meant_for_it() {
        let m = Methodology::default_set().expect("valid");
        // Digital rows at 2 of 3: 6/9 = 66.7 % → partial.
        let r = teacher_result(
            &m,
            &answers(&m, "digital", "2", &ALL_RIGHT),
            "2026-09-01".parse().expect("day"),
        )
        .expect("result");
        let digital = r.areas.iter().find(|a| a.area == "digital").expect("area");
        assert_eq!(digital.band.as_deref(), Some("partial"));
        assert_eq!(r.iom.len(), 1);
        assert_eq!(r.iom[0].format.ru, "Самообразование");
    }

    #[test]
    fn a_school_summary_needs_five_teachers() {
        let m = Methodology::default_set().expect("valid");
        let start: Day = "2026-09-01".parse().expect("day");
        let weak =
            teacher_result(&m, &answers(&m, "parents", "0", &ALL_RIGHT), start).expect("result");
        let strong =
            teacher_result(&m, &answers(&m, "parents", "3", &ALL_RIGHT), start).expect("result");
        let four = vec![weak.clone(), weak.clone(), strong.clone(), strong.clone()];
        let summary = school_summary(&m, &four);
        assert!(summary.suppressed && summary.areas.is_empty());
        let mut five = four;
        five.push(weak);
        let summary = school_summary(&m, &five);
        assert!(!summary.suppressed);
        let parents = summary
            .areas
            .iter()
            .find(|a| a.area == "parents")
            .expect("area");
        assert_eq!(
            parents.bands,
            vec![
                ("pronounced".to_owned(), 3),
                ("partial".to_owned(), 0),
                ("none".to_owned(), 2)
            ]
        );
    }

    #[test]
    fn suggestions_put_the_most_severe_deficit_first_and_each_activity_once() {
        let m = Methodology::default_set().expect("valid");
        let start: Day = "2026-09-01".parse().expect("day");
        let area = |key: &str, percent: f64| AreaResult {
            area: key.into(),
            name: Text {
                ru: String::new(),
                en: String::new(),
            },
            points: 0.0,
            max_points: 0.0,
            percent: Some(percent),
            band: Some(m.deficits.scale().band(percent).key.clone()),
        };
        // In the catalogue's order: methodical before assessment before digital.
        let areas = vec![
            area("methodical", 40.0),
            area("assessment", 20.0),
            area("digital", 60.0),
            area("subject", 90.0),
        ];
        let plan = suggestions(&m, Diagnostic::Teacher, &areas, start);
        let mut order: Vec<&str> = plan.iter().map(|i| i.area.as_str()).collect();
        order.dedup();
        // Two pronounced deficits, the lower score first, then the partial one; none for a
        // strength.
        assert_eq!(order, vec!["assessment", "methodical", "digital"]);
        // The formative-assessment course addresses both pronounced deficits: once, at the more
        // severe, naming both.
        let formative: Vec<_> = plan
            .iter()
            .filter(|i| i.key == "assessment-course")
            .collect();
        assert_eq!(formative.len(), 1);
        assert_eq!(formative[0].area, "assessment");
        assert_eq!(formative[0].areas, vec!["assessment", "methodical"]);
        let mut keys: Vec<&str> = plan.iter().map(|i| i.key.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), plan.len(), "each activity once");
        // A partial deficit gets only what is meant for a partial one (no course).
        assert!(plan
            .iter()
            .filter(|i| i.area == "digital")
            .all(|i| i.band == "partial" && i.key != "digital-course"));
        // Courses name their provider and a link.
        for course in plan.iter().filter(|i| i.hours.is_some()) {
            assert!(
                course.provider.is_some() && course.link.is_some(),
                "{course:?}"
            );
        }
        assert!(suggestions(&m, Diagnostic::Teacher, &[area("subject", 90.0)], start).is_empty());
    }

    #[test]
    fn a_second_diagnostic_shows_change_per_area_with_the_uncertainty_of_its_length() {
        let m = Methodology::default_set().expect("valid");
        let start: Day = "2026-09-01".parse().expect("day");
        let result = |value: &str| {
            teacher_result(&m, &answers(&m, "parents", value, &ALL_RIGHT), start).expect("result")
        };
        assert_eq!(
            items_per_area(&m, Diagnostic::Teacher).get("parents"),
            Some(&3)
        );
        // From «cannot» to «confidently» on all three statements: beyond the uncertainty.
        let whole = change(&m, Diagnostic::Teacher, &result("0"), &result("3"));
        let parents = whole.iter().find(|c| c.area == "parents").expect("area");
        assert_eq!(
            (parents.before, parents.after, parents.change),
            (0.0, 100.0, 100.0)
        );
        assert!(parents.beyond && parents.low > 0.0 && parents.high > 100.0);
        assert_eq!(parents.band_before.as_deref(), Some("pronounced"));
        assert_eq!(parents.band_after.as_deref(), Some("none"));
        // A third of the scale on three statements is within what three statements leave
        // uncertain: z · √(2 · (1/3 · 2/3) / 3) ≈ 63 points either way at 90 %.
        let small = change(&m, Diagnostic::Teacher, &result("1"), &result("2"));
        let parents = small.iter().find(|c| c.area == "parents").expect("area");
        assert!((parents.change - 100.0 / 3.0).abs() < 1e-9);
        assert!(!parents.beyond, "{parents:?}");
        assert!(
            (parents.high - parents.change - 63.3).abs() < 0.5,
            "{parents:?}"
        );
        // An area answered the same both times has changed by nothing, and not significantly.
        let subject = small.iter().find(|c| c.area == "subject").expect("area");
        assert_eq!(subject.change, 0.0);
        assert!(!subject.beyond);
        // Every scored area of both diagnostics is compared.
        assert_eq!(small.len(), m.deficits.areas.len());
    }

    #[test]
    fn a_principals_diagnostic_is_scored_on_its_own_areas_and_suggests_management_activities() {
        let m = Methodology::default_set().expect("valid");
        let start: Day = "2026-09-01".parse().expect("day");
        let weak = answers_of(
            &m,
            Diagnostic::Principal,
            &[
                ("resources", "0"),
                ("strategy", "1"),
                ("school_climate", "2"),
            ],
            &[],
        );
        let r = result(&m, Diagnostic::Principal, &weak, start).expect("result");
        let keys: Vec<&str> = r.areas.iter().map(|a| a.area.as_str()).collect();
        let expected: Vec<&str> = m.management.areas.iter().map(|a| a.key.as_str()).collect();
        assert_eq!(keys, expected, "the management areas, in their order");
        let of = |key: &str| r.areas.iter().find(|a| a.area == key).expect("area");
        assert_eq!(of("resources").percent, Some(0.0));
        assert_eq!(of("strategy").band.as_deref(), Some("pronounced"));
        assert_eq!(of("school_climate").band.as_deref(), Some("partial"));
        assert_eq!(of("partnerships").band.as_deref(), Some("none"));
        // Suggestions come only from the activities for management areas, the most severe
        // first: the pronounced deficits (resources at 0 before strategy at 33), then the
        // partial one.
        assert!(!r.iom.is_empty());
        let management: Vec<&str> = m.management.areas.iter().map(|a| a.key.as_str()).collect();
        assert!(r.iom.iter().all(|i| management.contains(&i.area.as_str())));
        let mut order: Vec<&str> = r.iom.iter().map(|i| i.area.as_str()).collect();
        order.dedup();
        assert_eq!(order, vec!["resources", "strategy", "school_climate"]);
        assert!(r.iom.iter().any(|i| i.key == "mgmt-strategy-course"));
        // The weakest sub-skills are the principal's own statements.
        assert_eq!(r.weakest.len(), 3);
        assert!(r.weakest.iter().all(|w| w.area == "resources"));
        // A teacher's result has none of the management areas, and a teacher's deficits
        // suggest no management activity.
        let teacher =
            teacher_result(&m, &answers(&m, "digital", "0", &ALL_RIGHT), start).expect("result");
        assert!(teacher
            .areas
            .iter()
            .all(|a| !management.contains(&a.area.as_str())));
        assert!(teacher.iom.iter().all(|i| !i.key.starts_with("mgmt-")));
        // The change between two of a principal's diagnostics counts the principal's items.
        assert_eq!(
            items_per_area(&m, Diagnostic::Principal).get("strategy"),
            Some(&3)
        );
        let better = result(
            &m,
            Diagnostic::Principal,
            &answers_of(&m, Diagnostic::Principal, &[], &[]),
            start,
        )
        .expect("result");
        let change = change(&m, Diagnostic::Principal, &r, &better);
        let resources = change.iter().find(|c| c.area == "resources").expect("area");
        assert!(resources.beyond && (resources.change - 100.0).abs() < 1e-9);
    }
}
