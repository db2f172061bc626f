//! The uncertainty of a figure computed from a sample of respondents: confidence intervals for a
//! share (Wilson's score interval) and for a mean (Student's t), both with the finite-population
//! correction when the number of possible respondents is known (63 answers of 90 students is
//! nearly a census), and the quantiles they need. Pure functions; `surveys/FORMAT.md` states how
//! the profile uses them.

/// An interval `[low, high]`.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

impl Interval {
    pub fn point(x: f64) -> Interval {
        Interval { low: x, high: x }
    }

    /// Whether `x` lies strictly inside (a cut-off the interval straddles).
    pub fn straddles(&self, x: f64) -> bool {
        self.low < x - crate::cutoff::TOLERANCE && self.high >= x - crate::cutoff::TOLERANCE
    }
}

/// The standard normal quantile Φ⁻¹(p) for p in (0, 1) (Acklam's rational approximation,
/// relative error below 1.2e-9).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const LOW: f64 = 0.024_25;
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < LOW {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - LOW {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

/// ln Γ(x) for x > 0 (Lanczos, as in Numerical Recipes' `gammln`).
fn ln_gamma(x: f64) -> f64 {
    const COF: [f64; 6] = [
        76.180_091_729_471_46,
        -86.505_320_329_416_77,
        24.014_098_240_830_91,
        -1.231_739_572_450_155,
        0.120_865_097_386_617_9e-2,
        -0.539_523_938_495_3e-5,
    ];
    let mut y = x;
    let tmp = x + 5.5;
    let tmp = tmp - (x + 0.5) * tmp.ln();
    let mut series = 1.000_000_000_190_015;
    for c in COF {
        y += 1.0;
        series += c / y;
    }
    -tmp + (2.506_628_274_631_000_5 * series / x).ln()
}

/// The regularized incomplete beta function I_x(a, b) (continued fraction, Numerical Recipes'
/// `betai`/`betacf`).
fn incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front =
        (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln()).exp();
    let fraction = |a: f64, b: f64, x: f64| {
        const TINY: f64 = 1e-300;
        let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
        let mut c = 1.0;
        let mut d = 1.0 - qab * x / qap;
        if d.abs() < TINY {
            d = TINY;
        }
        d = 1.0 / d;
        let mut h = d;
        for m in 1..300 {
            let m = f64::from(m);
            let m2 = 2.0 * m;
            let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1.0 + aa * d;
            d = if d.abs() < TINY { TINY } else { d };
            c = 1.0 + aa / c;
            c = if c.abs() < TINY { TINY } else { c };
            d = 1.0 / d;
            h *= d * c;
            let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1.0 + aa * d;
            d = if d.abs() < TINY { TINY } else { d };
            c = 1.0 + aa / c;
            c = if c.abs() < TINY { TINY } else { c };
            d = 1.0 / d;
            let del = d * c;
            h *= del;
            if (del - 1.0).abs() < 1e-15 {
                break;
            }
        }
        h
    };
    if x < (a + 1.0) / (a + b + 2.0) {
        front * fraction(a, b, x) / a
    } else {
        1.0 - front * fraction(b, a, 1.0 - x) / b
    }
}

/// P(T ≤ t) for Student's t with `df` degrees of freedom.
fn t_cdf(t: f64, df: f64) -> f64 {
    let tail = 0.5 * incomplete_beta(df / 2.0, 0.5, df / (df + t * t));
    if t >= 0.0 {
        1.0 - tail
    } else {
        tail
    }
}

/// Student's t quantile for probability p in (0.5, 1) and `df` ≥ 1 (the t CDF inverted by
/// bisection). The bisection stops when the interval is within 1e-12 of the quantile's size, or
/// when its two ends are neighbouring floating-point numbers: an absolute 1e-12 is finer than a
/// float can tell apart at the size of t(0.99997, 1) ≈ 10⁴, where the loop never ended.
///
/// The bisection evaluates the CDF some fifty times, and a region's matrix asks for the same few
/// quantiles (one confidence, a few hundred sample sizes) for every factor of every school, so
/// each thread remembers those it found: at 10,000 schools the search was two fifths of scoring.
pub fn t_quantile(p: f64, df: u32) -> f64 {
    thread_local! {
        static FOUND: std::cell::RefCell<std::collections::HashMap<(u64, u32), f64>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    /// Enough for every sample size a region has; past it the memory starts afresh.
    const KEPT: usize = 4_096;
    let key = (p.to_bits(), df.max(1));
    if let Some(q) = FOUND.with(|found| found.borrow().get(&key).copied()) {
        return q;
    }
    let q = t_quantile_searched(p, df);
    FOUND.with(|found| {
        let mut found = found.borrow_mut();
        if found.len() >= KEPT {
            found.clear();
        }
        found.insert(key, q);
    });
    q
}

/// `t_quantile` by bisection.
fn t_quantile_searched(p: f64, df: u32) -> f64 {
    let df = f64::from(df.max(1));
    let (mut low, mut high) = (0.0_f64, 1.0_f64);
    // At most 2¹⁰²³: past that the CDF cannot move, whatever p asks for.
    while t_cdf(high, df) < p && high < f64::MAX / 4.0 {
        high *= 2.0;
    }
    for _ in 0..2_000 {
        let mid = 0.5 * (low + high);
        if high - low <= 1e-12 * high.max(1.0) || mid <= low || mid >= high {
            break;
        }
        if t_cdf(mid, df) < p {
            low = mid;
        } else {
            high = mid;
        }
    }
    0.5 * (low + high)
}

/// An interval widened on each side by `extra` in quadrature (an independent error of that
/// half-width, such as added noise), around `centre`, within [0, 1].
pub fn widen(i: Interval, centre: f64, extra: f64) -> Interval {
    let below = (centre - i.low).max(0.0);
    let above = (i.high - centre).max(0.0);
    Interval {
        low: (centre - below.hypot(extra)).clamp(0.0, 1.0),
        high: (centre + above.hypot(extra)).clamp(0.0, 1.0),
    }
}

/// Whether a difference `delta` between two figures is beyond their uncertainty: |Δ| above the
/// half-width of the difference's interval, √(h₁² + h₂²) from the two intervals («значимо»).
pub fn beyond(delta: f64, before: Option<Interval>, after: Option<Interval>) -> bool {
    let half = |i: Option<Interval>| i.map_or(0.0, |i| (i.high - i.low) / 2.0);
    delta.abs() > half(before).hypot(half(after)) + crate::cutoff::TOLERANCE
}

/// The finite-population correction of a variance: (N − n) / (N − 1) when `population` N is
/// known and larger than the sample, 0 for a census (n ≥ N), 1 when N is unknown.
pub fn finite_population(n: u32, population: Option<u32>) -> f64 {
    match population {
        Some(big) if big > n && big > 1 => f64::from(big - n) / f64::from(big - 1),
        Some(_) => 0.0,
        None => 1.0,
    }
}

/// Wilson's score interval for `k` of `n` at `confidence` (e.g. 0.9), the variance corrected for
/// a finite population of `population`.
pub fn wilson(k: u32, n: u32, confidence: f64, population: Option<u32>) -> Interval {
    wilson_share(
        f64::from(k) / f64::from(n.max(1)),
        n,
        confidence,
        population,
    )
}

/// Wilson's interval for a share `p` of `n` (a count at risk with noise is not whole).
pub fn wilson_share(p: f64, n: u32, confidence: f64, population: Option<u32>) -> Interval {
    if n == 0 {
        return Interval {
            low: 0.0,
            high: 1.0,
        };
    }
    let p = p.clamp(0.0, 1.0);
    let n = f64::from(n);
    let z = normal_quantile(0.5 + confidence / 2.0);
    let z2 = z * z * finite_population(n as u32, population);
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = (z2 * (p * (1.0 - p) / n + z2 / (4.0 * n * n))).sqrt() / (1.0 + z2 / n);
    Interval {
        low: (centre - half).max(0.0),
        high: (centre + half).min(1.0),
    }
}

/// Student's t interval for a mean of `n` values with sum `sum` and sum of squares `squares`,
/// at `confidence`, the variance corrected for a finite population; `None` under two values.
/// The values are scores in [0, 1], and so is their mean: the interval is clamped to [0, 1].
pub fn mean_interval(
    n: u32,
    sum: f64,
    squares: f64,
    confidence: f64,
    population: Option<u32>,
) -> Option<Interval> {
    if n < 2 {
        return None;
    }
    let count = f64::from(n);
    let mean = sum / count;
    let variance = ((squares - sum * mean) / (count - 1.0)).max(0.0);
    let se = (variance / count * finite_population(n, population)).sqrt();
    let t = t_quantile(0.5 + confidence / 2.0, n - 1);
    Some(Interval {
        low: (mean - t * se).clamp(0.0, 1.0),
        high: (mean + t * se).clamp(0.0, 1.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, within: f64) -> bool {
        (a - b).abs() <= within
    }

    /// Standard normal and Student's t critical values as tabulated in the NIST/SEMATECH
    /// e-Handbook of Statistical Methods, §1.3.6.7.1 and §1.3.6.7.2.
    #[test]
    fn quantiles_match_the_nist_tables() {
        assert!(close(normal_quantile(0.95), 1.645, 5e-4));
        assert!(close(normal_quantile(0.975), 1.960, 5e-4));
        assert!(close(normal_quantile(0.995), 2.576, 5e-4));
        assert!(close(normal_quantile(0.05), -1.645, 5e-4));
        for (p, df, t) in [
            (0.95, 1, 6.314),
            (0.95, 4, 2.132),
            (0.95, 10, 1.812),
            (0.975, 5, 2.571),
            (0.975, 30, 2.042),
            (0.995, 20, 2.845),
            (0.95, 100, 1.660),
        ] {
            let got = t_quantile(p, df);
            assert!(
                close(got, t, 5e-4),
                "t({p}, {df}) = {got}, the table says {t}"
            );
        }
    }

    /// Newcombe R. G. (1998), «Two-sided confidence intervals for the single proportion:
    /// comparison of seven methods», Statistics in Medicine 17, 857–872, Table I, method 3 (the
    /// score method without continuity correction), 95 %.
    #[test]
    fn wilson_intervals_match_newcombes_worked_examples() {
        for (k, n, low, high) in [
            (81, 263, 0.2553, 0.3662),
            (15, 148, 0.0624, 0.1605),
            (0, 20, 0.0, 0.1611),
            (1, 29, 0.0061, 0.1718),
        ] {
            let i = wilson(k, n, 0.95, None);
            assert!(
                close(i.low, low, 6e-5) && close(i.high, high, 6e-5),
                "{k}/{n}: {i:?}"
            );
        }
    }

    /// The finite-population correction (Cochran W. G. (1977), Sampling Techniques, 3rd ed.,
    /// §2.4): the variance of a mean of n of N shrinks by (N − n)/(N − 1); a census has none.
    #[test]
    fn a_census_has_no_sampling_error_and_a_near_census_little() {
        assert_eq!(finite_population(90, Some(90)), 0.0);
        assert!(close(finite_population(63, Some(90)), 27.0 / 89.0, 1e-12));
        assert_eq!(finite_population(63, None), 1.0);
        let census = wilson(30, 60, 0.9, Some(60));
        assert!(close(census.low, 0.5, 1e-12) && close(census.high, 0.5, 1e-12));
        let sample = wilson(30, 60, 0.9, None);
        let near = wilson(30, 60, 0.9, Some(70));
        assert!(near.high - near.low < sample.high - sample.low);
    }

    /// Any confidence the validator accepts finishes for every n (it spun for ever at 0.99995 and
    /// two respondents).
    #[test]
    fn every_accepted_confidence_finishes_for_every_group_size() {
        // The validator accepts 0.5 ≤ confidence < 1; the largest f64 under 1 is the worst case.
        let mut levels = vec![
            0.5,
            0.9,
            0.95,
            0.99,
            0.999,
            0.99995,
            0.999_999_9,
            1.0 - f64::EPSILON / 2.0,
        ];
        levels.extend((0..50).map(|i| 0.5 + 0.49999 * f64::from(i) / 49.0));
        for confidence in levels {
            let p = 0.5 + confidence / 2.0;
            for df in 1..=1_000 {
                let t = t_quantile(p, df);
                assert!(t.is_finite() && t >= 0.0, "t({p}, {df}) = {t}");
            }
        }
        // Still exact where a float can be: t(0.99997500, 1) = tan(π(p − ½)).
        let p = 0.5 + 0.99995 / 2.0;
        let exact = (std::f64::consts::PI * (p - 0.5)).tan();
        assert!((t_quantile(p, 1) - exact).abs() / exact < 1e-9);
        let interval = mean_interval(2, 1.0, 0.5, 0.99995, None).expect("two values");
        assert!(interval.low.is_finite() && interval.high.is_finite());
    }

    /// A hand-worked mean: .2, .4, .4, .4, .5, .5, .7, .9 has mean .5 and sample variance
    /// .32/7; with t(0.95, 7) = 1.895 the 90 % interval is .5 ± 1.895·√(.32/7/8) = .5 ± .14324.
    #[test]
    fn a_mean_interval_is_students_t() {
        let values = [0.2, 0.4, 0.4, 0.4, 0.5, 0.5, 0.7, 0.9];
        let sum: f64 = values.iter().sum();
        let squares: f64 = values.iter().map(|v| v * v).sum();
        let i = mean_interval(8, sum, squares, 0.9, None).expect("interval");
        assert!(
            close(i.low, 0.5 - 0.14324, 2e-4) && close(i.high, 0.5 + 0.14324, 2e-4),
            "{i:?}"
        );
        assert_eq!(mean_interval(1, 0.5, 0.25, 0.9, None), None);
        // Two scores far apart: Student's t reaches far past [0, 1], the interval stops at it.
        let wide = mean_interval(2, 1.0, 1.0, 0.9, None).expect("interval");
        assert_eq!((wide.low, wide.high), (0.0, 1.0));
    }
}
