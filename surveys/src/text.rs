//! Labels carried in both interface languages.

use serde::{Deserialize, Serialize};

/// A user-facing text in Russian (the default) and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub ru: String,
    pub en: String,
}

impl Text {
    /// The text in the given language code, falling back to Russian.
    pub fn get(&self, lang: &str) -> &str {
        if lang == "en" {
            &self.en
        } else {
            &self.ru
        }
    }
}

/// A count of respondents as it is published: from ten on the number, under ten a band, so that
/// nobody follows one person's answer arriving.
pub fn respondents_band(n: u32) -> String {
    match n {
        10.. => n.to_string(),
        5..=9 => "5–9".to_owned(),
        _ => "< 5".to_owned(),
    }
}

/// A figure rounded to `places` decimals (0 to 6) by the rule of `decimals`, as a number.
pub fn rounded(x: f64, places: u32) -> f64 {
    match units(x, places) {
        Some((negative, shown)) => {
            let value = shown as f64 / 10_f64.powi(places.min(6) as i32);
            if negative {
                -value
            } else {
                value
            }
        }
        None => x,
    }
}

/// The figure in units of its last shown decimal, by the rule of `decimals`: whether it is
/// below zero, and how many units; `None` for what is not finite.
fn units(x: f64, places: u32) -> Option<(bool, i128)> {
    if !x.is_finite() {
        return None;
    }
    // In units of 1e-9, then to the shown unit, half away from zero, in integers.
    let nanos = (x * 1e9).round() as i128;
    let unit = 10_i128.pow(9 - places.min(6));
    let shown = (nanos.abs() + unit / 2) / unit;
    Some((nanos < 0 && shown != 0, shown))
}

/// A figure as pages show it, with `places` decimals (0 to 6). The rule: the value is first taken
/// to 9 decimals — what floating-point arithmetic leaves below that is noise, so a score computed
/// as 0.16499999999999915 is the 0.165 it stands for — and then rounded half away from zero:
/// 0.165 → «0.17», 0.125 → «0.13», −0.165 → «−0.17».
pub fn decimals(x: f64, places: u32) -> String {
    let places = places.min(6);
    let Some((negative, shown)) = units(x, places) else {
        return format!("{x}");
    };
    let minus = if negative { "-" } else { "" };
    if places == 0 {
        return format!("{minus}{shown}");
    }
    let scale = 10_i128.pow(places);
    format!(
        "{minus}{}.{:0width$}",
        shown / scale,
        shown % scale,
        width = places as usize
    )
}

#[cfg(test)]
mod tests {
    use super::decimals;

    #[test]
    fn half_way_figures_round_away_from_zero_after_float_noise_is_dropped() {
        assert_eq!(decimals(0.165, 2), "0.17");
        assert_eq!(decimals(0.164_999_999_999_999_15, 2), "0.17");
        assert_eq!(decimals(0.125, 2), "0.13");
        assert_eq!(decimals(0.135, 2), "0.14");
        assert_eq!(decimals(0.1649, 2), "0.16");
        assert_eq!(decimals(-0.165, 2), "-0.17");
        assert_eq!(decimals(-0.001, 2), "0.00");
        assert_eq!(decimals(1.0, 2), "1.00");
        assert_eq!(decimals(0.0, 2), "0.00");
        assert_eq!(decimals(0.995, 2), "1.00");
        assert_eq!(decimals(12.5, 0), "13");
        assert_eq!(decimals(0.5 * 100.0, 0), "50");
        assert_eq!(decimals(16.5, 0), "17");
        assert_eq!(decimals(2.345_678, 4), "2.3457");
        assert_eq!(super::rounded(0.164_999_999_999_999_15, 2), 0.17);
        assert_eq!(super::rounded(0.125, 2), 0.13);
    }
}
