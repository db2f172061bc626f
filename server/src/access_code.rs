//! Access codes: short enough to type from a printed sheet, long enough that guessing is hopeless.
//!
//! Eight symbols from a 29-symbol alphabet without look-alikes (no 0/O, 1/I/L, U/V) give
//! 29^8 ≈ 5·10^11 codes, about 39 bits; written `XXX-XXX-XX`.

use rand::Rng;

/// Symbols that cannot be confused with each other when read aloud or from paper.
pub const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTWXYZ";
const SYMBOLS: usize = 8;

/// A new random code such as `7KQ-M4P-X2`.
pub fn generate(rng: &mut impl Rng) -> String {
    let mut code = String::with_capacity(SYMBOLS + 2);
    for i in 0..SYMBOLS {
        if i == 3 || i == 6 {
            code.push('-');
        }
        code.push(char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]));
    }
    code
}

/// The canonical form of what a person typed: upper case, separators and spaces ignored.
/// `None` when it cannot be a code at all.
pub fn normalize(typed: &str) -> Option<String> {
    let symbols: Vec<char> = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if symbols.len() != SYMBOLS
        || !symbols
            .iter()
            .all(|c| c.is_ascii() && ALPHABET.contains(&(*c as u8)))
    {
        return None;
    }
    let mut code = String::with_capacity(SYMBOLS + 2);
    for (i, c) in symbols.into_iter().enumerate() {
        if i == 3 || i == 6 {
            code.push('-');
        }
        code.push(c);
    }
    Some(code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    #[test]
    fn generated_codes_are_normal_and_distinct() {
        let mut rng = StdRng::seed_from_u64(7);
        let codes: std::collections::HashSet<String> =
            (0..1000).map(|_| generate(&mut rng)).collect();
        assert_eq!(codes.len(), 1000);
        for code in &codes {
            assert_eq!(normalize(code).as_deref(), Some(code.as_str()));
        }
    }

    #[test]
    fn typing_variants_normalize_and_lookalikes_do_not() {
        assert_eq!(normalize(" 7kq m4p x2 ").as_deref(), Some("7KQ-M4P-X2"));
        assert_eq!(normalize("7KQM4PX2").as_deref(), Some("7KQ-M4P-X2"));
        assert_eq!(normalize("7KQ-M4P-X0"), None);
        assert_eq!(normalize("7KQ-M4P"), None);
    }
}
