//! Noise on the figures a reader gets who could also have filled in the group's questionnaires.
//!
//! Whoever holds a group's codes (the school, `app::access::CODE_HOLDERS`) could fill in all but
//! one of a group's questionnaires and read the published figures: the one answer left over would
//! be the difference. So the figures such a reader gets carry Laplace noise on each of a group's
//! sums per indicator — the sum of scores, the sum of their squares (an interval's width would
//! otherwise give them away) and the count at risk — of scale `b = privacy_noise`, and in a
//! group of n under `privacy_noise_group` of `b × privacy_noise_group / n` (`scale`; one
//! respondent moves each sum by at most 1: ε = 1/b per sum). The noise is drawn from a seed that
//! the server derives from a secret and the group's published count, so reading again gives the
//! same figures, and only a publication that changes the group draws new noise. A group of 300
//! loses about b/300 of precision (0.007 at the default b = 2); a group of five is told only
//! roughly, which is the point. Intervals are widened by the noise.

/// The default scale of the noise on a group's sums.
pub const DEFAULT_NOISE: f64 = 2.0;
/// The default size under which a group gets proportionally more noise.
pub const DEFAULT_NOISE_GROUP: u32 = 40;

/// The scale of the noise on the sums of a group of `n`: `noise`, and for a group under
/// `group` respondents `noise × group / n` — one answer is a larger part of a small group, and
/// a code holder needs to fill in fewer questionnaires to leave one over.
pub fn scale(noise: f64, group: u32, n: u32) -> f64 {
    noise * (f64::from(group) / f64::from(n.max(1))).max(1.0)
}

/// Seeds of a school's groups, by group index; `None` where the reader gets exact figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Seeds(pub [Option<u64>; crate::Group::COUNT]);

impl Seeds {
    pub fn of(&self, group: crate::Group) -> Option<u64> {
        self.0[group.index()]
    }
}

/// SplitMix64: a well-mixed 64-bit value from any 64-bit input.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// A Laplace(0, `scale`) draw fixed by `seed` and `stream` (one stream per sum).
pub fn laplace(seed: u64, stream: u64, scale: f64) -> f64 {
    let bits = mix(seed ^ mix(stream));
    // A uniform in (0, 1), never 0 or 1: 53 bits and a half.
    let u = ((bits >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
    let centred = u - 0.5;
    -scale * centred.signum() * (1.0 - 2.0 * centred.abs()).ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_are_fixed_by_their_seed_and_laplace_distributed() {
        assert_eq!(laplace(7, 3, 2.0), laplace(7, 3, 2.0));
        assert_ne!(laplace(7, 3, 2.0), laplace(8, 3, 2.0));
        assert_ne!(laplace(7, 3, 2.0), laplace(7, 4, 2.0));
        let draws: Vec<f64> = (0..200_000u64).map(|s| laplace(s, 1, 2.0)).collect();
        let n = draws.len() as f64;
        let mean = draws.iter().sum::<f64>() / n;
        let mean_abs = draws.iter().map(|d| d.abs()).sum::<f64>() / n;
        let variance = draws.iter().map(|d| d * d).sum::<f64>() / n;
        // Laplace(0, b): mean 0, mean absolute value b, variance 2b².
        assert!(mean.abs() < 0.02, "{mean}");
        assert!((mean_abs - 2.0).abs() < 0.02, "{mean_abs}");
        assert!((variance - 8.0).abs() < 0.15, "{variance}");
    }
}
