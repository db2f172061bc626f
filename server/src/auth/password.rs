//! Passwords: argon2id hashes (PHC strings with their own salt and parameters), checked off the
//! async threads because hashing is deliberately slow.

use std::sync::OnceLock;

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;

use crate::error::ServerError;

/// The shortest password accepted.
pub const MIN_LENGTH: usize = 10;
/// The longest password checked: argon2's work grows with it, and no one types more.
pub const MAX_LENGTH: u64 = 1024;

pub async fn hash(password: String) -> Result<String, ServerError> {
    tokio::task::spawn_blocking(move || hash_now(&password))
        .await
        .map_err(|e| ServerError::Inconsistent(format!("password hashing stopped: {e}")))?
}

fn hash_now(password: &str) -> Result<String, ServerError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ServerError::Inconsistent(format!("cannot hash a password: {e}")))
}

/// Whether the password matches the hash. With no hash (an unknown or inactive account) a
/// stand-in hash is checked all the same, so the answer takes as long either way.
pub async fn verify(password: String, hash: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        static STAND_IN: OnceLock<String> = OnceLock::new();
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| {
            STAND_IN
                .get_or_init(|| hash_now("not a password of anyone").unwrap_or_default())
                .clone()
        });
        let matches = PasswordHash::new(&hash).is_ok_and(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        });
        known && matches
    })
    .await
    .unwrap_or(false)
}

/// Why a new password is refused; `None` when it is acceptable.
pub fn problem(password: &str) -> Option<crate::problem::Kind> {
    (password.chars().count() < MIN_LENGTH)
        .then_some(crate::problem::Kind::ShortPassword(MIN_LENGTH))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_accepts_its_password_only() {
        let h = hash("correct horse battery".into()).await.expect("hash");
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify("correct horse battery".into(), Some(h.clone())).await);
        assert!(!verify("correct horse battery!".into(), Some(h)).await);
        assert!(!verify("anything".into(), None).await);
    }
}
