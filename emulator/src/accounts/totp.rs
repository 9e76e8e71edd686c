//! RFC 6238 time-based one-time passwords as Cognito's software-token MFA uses them:
//! HMAC-SHA1, 30-second steps, six digits, one step of tolerance either side, on the
//! emulator clock.

use hmac::{Hmac, Mac};
use sha1::Sha1;
use subtle::ConstantTimeEq;

/// Seconds per step.
pub const STEP: i64 = 30;

/// The code for a Unix time, with `digits` digits.
pub fn code_at(secret: &[u8], unix_secs: i64, digits: u32) -> String {
    let counter = u64::try_from(unix_secs.div_euclid(STEP)).unwrap_or(0);
    let mut mac = <Hmac<Sha1> as Mac>::new_from_slice(secret).unwrap_or_else(|_| unreachable!());
    mac.update(&counter.to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let offset = usize::from(hash[hash.len() - 1] & 0x0f);
    let binary = (u32::from(hash[offset]) & 0x7f) << 24
        | u32::from(hash[offset + 1]) << 16
        | u32::from(hash[offset + 2]) << 8
        | u32::from(hash[offset + 3]);
    let value = binary % 10u32.pow(digits);
    format!("{value:0width$}", width = digits as usize)
}

/// Whether `code` is valid at `unix_secs` (this step or the one before or after).
pub fn verify(secret: &[u8], code: &str, unix_secs: i64) -> bool {
    [-STEP, 0, STEP].iter().any(|d| {
        bool::from(
            code_at(secret, unix_secs + d, 6)
                .as_bytes()
                .ct_eq(code.as_bytes()),
        )
    })
}

/// Decodes a base32 `SecretCode` (padding optional, case-insensitive).
pub fn decode_secret(code: &str) -> Option<Vec<u8>> {
    data_encoding::BASE32_NOPAD
        .decode(code.trim_end_matches('=').to_uppercase().as_bytes())
        .ok()
}

/// Base32 (RFC 4648, no padding), as `SecretCode` is shown to authenticator apps.
pub fn encode_secret(secret: &[u8]) -> String {
    data_encoding::BASE32_NOPAD.encode(secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_6238_sha1_vectors() {
        let secret = b"12345678901234567890";
        for (t, expected) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
        ] {
            assert_eq!(code_at(secret, t, 8), expected, "t = {t}");
        }
        assert_eq!(code_at(secret, 59, 6), "287082");
    }

    #[test]
    fn one_step_of_tolerance() {
        let secret = b"12345678901234567890";
        let now = 1_800_000_000;
        let code = code_at(secret, now, 6);
        assert!(verify(secret, &code, now));
        assert!(verify(secret, &code, now + STEP));
        assert!(verify(secret, &code, now - STEP));
        assert!(!verify(secret, &code, now + 3 * STEP));
        assert!(!verify(secret, "000000x", now));
    }
}
