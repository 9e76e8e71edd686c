//! Identifiers and codes in Cognito's shapes, from the thread-local CSPRNG.

use rand::distributions::{Alphanumeric, Uniform};
use rand::Rng;

const LOWER_ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

fn from_alphabet(alphabet: &[u8], len: usize) -> String {
    let mut rng = rand::thread_rng();
    let pick = Uniform::from(0..alphabet.len());
    (0..len)
        .map(|_| char::from(alphabet[rng.sample(pick)]))
        .collect()
}

/// `{region}_{9 alphanumerics}`.
pub fn pool_id(region: &str) -> String {
    let suffix: String = rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(9)
        .map(char::from)
        .collect();
    format!("{region}_{suffix}")
}

/// 26 lower-case alphanumerics.
pub fn client_id() -> String {
    from_alphabet(LOWER_ALNUM, 26)
}

/// 51 lower-case alphanumerics.
pub fn client_secret() -> String {
    from_alphabet(LOWER_ALNUM, 51)
}

/// `len` lower-case alphanumerics (session and import-job ids).
pub fn lower_alnum(len: usize) -> String {
    from_alphabet(LOWER_ALNUM, len)
}

/// Six digits.
pub fn code() -> String {
    from_alphabet(b"0123456789", 6)
}

/// A UUID v4 (`sub`, `jti`, event ids).
pub fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// `n` random bytes.
pub fn bytes<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    rand::thread_rng().fill(&mut out[..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let id = pool_id("eu-west-1");
        let (region, rest) = id.split_once('_').unwrap();
        assert_eq!(region, "eu-west-1");
        assert_eq!(rest.len(), 9);
        assert!(rest.chars().all(|c| c.is_ascii_alphanumeric()));
        let c = client_id();
        assert_eq!(c.len(), 26);
        assert!(c
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit()));
        assert_eq!(client_secret().len(), 51);
        let code = code();
        assert_eq!(code.len(), 6);
        assert!(code.chars().all(|ch| ch.is_ascii_digit()));
        assert_ne!(uuid(), uuid());
    }
}
