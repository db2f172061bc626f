//! Access codes and result keys: short enough to type from paper, long enough that guessing is
//! hopeless.
//!
//! Symbols come from a 29-symbol alphabet without look-alikes (no 0/O, 1/I/L, U/V). An access
//! code has eight, 29^8 ≈ 5·10^11 codes (about 39 bits), written `XXX-XXX-XX`. A result key,
//! which a teacher needs to reopen a finished diagnostic, has twelve, 29^12 ≈ 3.5·10^17 (about
//! 58 bits), written `XXXX-XXXX-XXXX`; it is drawn afresh and has nothing to do with the code.

use rand::Rng;

/// Symbols that cannot be confused with each other when read aloud or from paper.
pub const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTWXYZ";

/// How many symbols a kind of secret has and where its dashes go.
struct Shape {
    symbols: usize,
    dashes: &'static [usize],
}

const CODE: Shape = Shape {
    symbols: 8,
    dashes: &[3, 6],
};
const KEY: Shape = Shape {
    symbols: 12,
    dashes: &[4, 8],
};

impl Shape {
    fn write(&self, symbols: impl Iterator<Item = char>) -> String {
        let mut text = String::with_capacity(self.symbols + self.dashes.len());
        for (i, c) in symbols.enumerate() {
            if self.dashes.contains(&i) {
                text.push('-');
            }
            text.push(c);
        }
        text
    }

    fn generate(&self, rng: &mut impl Rng) -> String {
        self.write(
            (0..self.symbols).map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())])),
        )
    }

    fn normalize(&self, typed: &str) -> Option<String> {
        let symbols: Vec<char> = typed
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let valid = symbols.len() == self.symbols
            && symbols
                .iter()
                .all(|c| c.is_ascii() && ALPHABET.contains(&(*c as u8)));
        valid.then(|| self.write(symbols.into_iter()))
    }
}

/// A new random code such as `7KQ-M4P-X2`.
pub fn generate(rng: &mut impl Rng) -> String {
    CODE.generate(rng)
}

/// The canonical form of what a person typed: upper case, separators and spaces ignored.
/// `None` when it cannot be a code at all.
pub fn normalize(typed: &str) -> Option<String> {
    CODE.normalize(typed)
}

/// A new random result key such as `7KQM-4PX2-ABCD`.
pub fn generate_key(rng: &mut impl Rng) -> String {
    KEY.generate(rng)
}

/// The canonical form of a typed result key; `None` when it cannot be one.
pub fn normalize_key(typed: &str) -> Option<String> {
    KEY.normalize(typed)
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

    #[test]
    fn result_keys_are_longer_and_normalize_alike() {
        let mut rng = StdRng::seed_from_u64(9);
        let key = generate_key(&mut rng);
        assert_eq!(key.len(), 14);
        assert_eq!(
            normalize_key(&key.to_lowercase().replace('-', " ")),
            Some(key.clone())
        );
        assert_eq!(normalize(&key), None, "a key is not a code");
    }
}
