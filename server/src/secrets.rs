//! Secrets Orientir hands out and keeps only as hashes: session tokens, draft tokens, result keys.
//! All come from the operating system's generator; what is stored is their SHA-256.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// `bytes` random bytes as lower-case hex.
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    hex(&buf)
}

/// The SHA-256 of a secret, as lower-case hex: what storage keeps instead of the secret.
pub fn hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// A number no one can foresee without the key: the first 64 bits of SHA-256 over the key and
/// the parts (the seeds of a code holder's noise, the order of raw export rows).
pub fn keyed_number(key: &[u8], parts: &[&[u8]]) -> u64 {
    let mut hasher = Sha256::new().chain_update(key);
    for part in parts {
        hasher.update(part);
    }
    let digest = hasher.finalize();
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    u64::from_le_bytes(bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_fresh_and_hashes_fixed() {
        assert_eq!(random_hex(16).len(), 32);
        assert_ne!(random_hex(16), random_hex(16));
        assert_eq!(
            hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
