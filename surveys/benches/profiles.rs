//! Profiles of 1,000 schools from 1,000,000 responses (1 principal, 30 teachers, 600 students
//! and 369 parents per school), scored on one core. Target: under 2 s.

use criterion::{criterion_group, criterion_main, Criterion};
use surveys::profile::Scorer;
use surveys::{Answer, Answers, Expected, Group, ItemKind, Methodology, Response};

const SCHOOLS: usize = 1_000;
const PER_SCHOOL: [(Group, usize); 4] = [
    (Group::Principal, 1),
    (Group::Teacher, 30),
    (Group::Student, 600),
    (Group::Parent, 369),
];

/// A small deterministic generator (xorshift), so that the data is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn answers(m: &Methodology, group: Group, rng: &mut Rng) -> Answers {
    let instrument = m.instrument(group).expect("instrument");
    let mut answers = Answers::empty(instrument);
    for slot in 0..instrument.slots.len() {
        let item = instrument.slot_item(slot);
        let pick = rng.next();
        answers.0[slot] = match (
            item.kind,
            item.choices.as_deref().and_then(|l| m.choice_list(l)),
        ) {
            (ItemKind::Multiple, Some(list)) => Some(Answer::Choices(vec![
                (pick % list.choices.len() as u64) as u16,
            ])),
            (_, Some(list)) => Some(Answer::Choice((pick % list.choices.len() as u64) as u16)),
            (kind, None) if kind.is_numeric() => Some(Answer::Number(1.0 + (pick % 500) as f64)),
            _ => None,
        };
    }
    answers
}

fn bench_profiles(c: &mut Criterion) {
    let m = Methodology::default_set().expect("valid");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let schools: Vec<Vec<Response>> = (0..SCHOOLS)
        .map(|_| {
            PER_SCHOOL
                .iter()
                .flat_map(|(group, n)| std::iter::repeat_n(*group, *n))
                .map(|group| Response {
                    group,
                    answers: answers(&m, group, &mut rng),
                })
                .collect()
        })
        .collect();
    assert_eq!(schools.iter().map(Vec::len).sum::<usize>(), 1_000_000);
    let expected = Expected::default()
        .with(Group::Teacher, 35)
        .with(Group::Student, 800)
        .with(Group::Parent, 800);
    let mut group = c.benchmark_group("profiles");
    group.sample_size(10);
    group.bench_function("1000_schools_1m_responses", |b| {
        b.iter(|| {
            let scorer = Scorer::new(&m);
            let profiles: Vec<_> = schools
                .iter()
                .enumerate()
                .map(|(i, responses)| scorer.profile(&format!("s{i}"), &expected, responses))
                .collect();
            assert_eq!(profiles.len(), SCHOOLS);
            profiles
        })
    });
    group.finish();
}

criterion_group!(benches, bench_profiles);
criterion_main!(benches);
