//! Properties of scoring over random responses to the default instruments.

use proptest::prelude::*;

use super::super::*;

/// Answers drawn from `picks`: for each slot, no answer or one of its choices / a number in bounds.
fn answers_from(m: &Methodology, group: Group, picks: &[u16]) -> Answers {
    let instrument = m.instrument(group).expect("instrument");
    let mut answers = Answers::empty(instrument);
    for (slot, pick) in instrument
        .slots
        .iter()
        .enumerate()
        .map(|(i, _)| i)
        .zip(picks.iter().cycle())
    {
        let item = instrument.slot_item(slot);
        if pick % 7 == 0 {
            continue;
        }
        answers.0[slot] = match (
            item.kind,
            item.choices.as_deref().and_then(|l| m.choice_list(l)),
        ) {
            (crate::ItemKind::Multiple, Some(list)) => {
                Some(Answer::Choices(vec![pick % list.choices.len() as u16]))
            }
            (_, Some(list)) => Some(Answer::Choice(pick % list.choices.len() as u16)),
            (kind, None) if kind.is_numeric() => {
                let (lo, hi) = (item.min.unwrap_or(0.0), item.max.unwrap_or(100.0));
                Some(Answer::Number(
                    (lo + f64::from(*pick) % (hi - lo + 1.0)).floor(),
                ))
            }
            _ => None,
        };
    }
    answers
}

/// Random respondents of the anonymous groups, and at most one principal (for the principal's
/// group the latest submission counts, so order matters there by design).
fn responses(m: &Methodology, picks: &[(u8, Vec<u16>)]) -> Vec<Response> {
    let groups = [Group::Teacher, Group::Student, Group::Parent];
    let mut rs: Vec<Response> = picks
        .iter()
        .map(|(g, p)| {
            let group = groups[usize::from(*g) % groups.len()];
            Response {
                group,
                answers: answers_from(m, group, p),
            }
        })
        .collect();
    if let Some((_, p)) = picks.first() {
        rs.push(Response {
            group: Group::Principal,
            answers: answers_from(m, Group::Principal, p),
        });
    }
    rs
}

fn picks() -> impl Strategy<Value = Vec<(u8, Vec<u16>)>> {
    prop::collection::vec(
        (any::<u8>(), prop::collection::vec(any::<u16>(), 1..40)),
        0..80,
    )
}

fn same(a: &SchoolProfile, b: &SchoolProfile) -> bool {
    let near = |x: Option<f64>, y: Option<f64>| match (x, y) {
        (Some(x), Some(y)) => (x - y).abs() < 1e-9,
        (None, None) => true,
        _ => false,
    };
    a.groups == b.groups
        && a.indicators.iter().zip(&b.indicators).all(|(x, y)| {
            near(x.value, y.value) && near(x.risk, y.risk) && x.respondents == y.respondents
        })
        && a.factors
            .iter()
            .zip(&b.factors)
            .all(|(x, y)| near(x.score, y.score) && x.level == y.level)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn risks_scores_and_shares_stay_in_the_unit_interval(picks in picks()) {
        let m = Methodology::default_set().expect("valid");
        let p = Scorer::new(&m).profile("s", &Expected::default(), &responses(&m, &picks));
        for ind in &p.indicators {
            prop_assert!(ind.risk.is_none_or(|r| (0.0..=1.0).contains(&r)), "{:?}", ind);
            if m.indicator(&ind.key).is_some_and(|i| i.aggregation != Aggregation::Value) {
                prop_assert!(ind.value.is_none_or(|v| (0.0..=1.0).contains(&v)), "{:?}", ind);
            }
        }
        for f in &p.factors {
            prop_assert!(f.score.is_none_or(|s| (0.0..=1.0).contains(&s)), "{:?}", f);
        }
    }

    #[test]
    fn the_order_of_respondents_changes_nothing(picks in picks(), seed in any::<u64>()) {
        let m = Methodology::default_set().expect("valid");
        let scorer = Scorer::new(&m);
        let mut rs = responses(&m, &picks);
        let before = scorer.profile("s", &Expected::default(), &rs);
        // A deterministic shuffle driven by the seed.
        let mut state = seed | 1;
        for i in (1..rs.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            rs.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let after = scorer.profile("s", &Expected::default(), &rs);
        prop_assert!(same(&before, &after));
        // Sums are exact: not only near, identical.
        prop_assert_eq!(before, after);
    }

    /// A tally kept response by response, in pieces merged in any order (another instance, a
    /// rebuild after a restart), scores exactly as one pass over the raw responses; so does the
    /// quality of the instruments.
    #[test]
    fn a_tally_built_in_pieces_scores_as_the_raw_responses(picks in picks(), cuts in prop::collection::vec(any::<u8>(), 0..6), reverse in any::<bool>()) {
        let m = Methodology::default_set().expect("valid");
        let scorer = Scorer::new(&m);
        let plan = crate::quality::QualityPlan::new(&m);
        let rs = responses(&m, &picks);
        let expected = Expected::default().with(Group::Student, 40).with(Group::Parent, 30);
        let raw = scorer.profile("s", &expected, &rs);
        let raw_quality = crate::quality::instrument_quality(&m, &rs);
        // Cut the stream into pieces at random places, tally each, merge in some order.
        let mut bounds: Vec<usize> = cuts.iter().map(|c| usize::from(*c) % (rs.len() + 1)).collect();
        bounds.extend([0, rs.len()]);
        bounds.sort_unstable();
        let mut pieces: Vec<(Tally, crate::quality::QualityTally)> = bounds
            .windows(2)
            .map(|w| {
                let mut tally = Tally::default();
                let mut quality = crate::quality::QualityTally::default();
                for (order, r) in rs.iter().enumerate().take(w[1]).skip(w[0]) {
                    scorer.add(&mut tally, r, order as i64);
                    quality.add(&m, &plan, r);
                }
                (tally, quality)
            })
            .collect();
        if reverse {
            pieces.reverse();
        }
        let mut tally = Tally::default();
        let mut quality = crate::quality::QualityTally::default();
        for (t, q) in &pieces {
            tally.merge(t);
            quality.merge(q);
        }
        // Through storage as text and back.
        let tally: Tally = serde_json::from_str(&serde_json::to_string(&tally).expect("json")).expect("back");
        prop_assert_eq!(scorer.finish("s", &expected, &tally), raw);
        prop_assert_eq!(quality.finish(&m), raw_quality);
    }

    #[test]
    fn under_the_minimum_adding_a_respondent_reveals_nothing(picks in prop::collection::vec(prop::collection::vec(any::<u16>(), 1..40), 0..5)) {
        let m = Methodology::default_set().expect("valid");
        let scorer = Scorer::new(&m);
        let min = m.rules.min_respondents(Group::Student) as usize;
        let mut rs = Vec::new();
        for p in picks.iter().take(min - 1) {
            rs.push(Response { group: Group::Student, answers: answers_from(&m, Group::Student, p) });
            let profile = scorer.profile("s", &Expected::default(), &rs);
            for ind in profile.indicators.iter().filter(|i| i.group == Group::Student) {
                prop_assert_eq!((ind.value, ind.risk, ind.respondents), (None, None, None));
            }
        }
    }
}
