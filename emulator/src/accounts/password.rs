//! Passwords: the pool's policy, and the salt-and-verifier record kept in their place.
//!
//! A password is never stored. Setting one draws a 16-byte salt and keeps v = g^x mod N
//! (Cognito's SRP verifier, x from the pool name, canonical username and password).
//! USER_PASSWORD_AUTH checks a password by recomputing v and comparing in constant time;
//! USER_SRP_AUTH uses v directly.

use cognito_protocol::srp;
use cognito_protocol::wire::PasswordPolicyType;
use num_bigint::BigUint;
use rand::seq::SliceRandom;
use rand::Rng;
use subtle::ConstantTimeEq;

use crate::error::{CognitoError, Result};
use crate::ids;
use crate::state::records::{PasswordRecord, Pool};

/// Cognito's symbol set for `RequireSymbols`.
pub const SYMBOLS: &str = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";

/// The pool's policy with Cognito's defaults filled in (8 characters, all four classes,
/// temporary passwords valid 7 days).
pub fn policy(pool: &Pool) -> PasswordPolicyType {
    let given = pool
        .settings
        .policies
        .as_ref()
        .and_then(|p| p.password_policy.clone())
        .unwrap_or_default();
    PasswordPolicyType {
        minimum_length: Some(given.minimum_length.unwrap_or(8)),
        require_uppercase: Some(given.require_uppercase.unwrap_or(true)),
        require_lowercase: Some(given.require_lowercase.unwrap_or(true)),
        require_numbers: Some(given.require_numbers.unwrap_or(true)),
        require_symbols: Some(given.require_symbols.unwrap_or(true)),
        password_history_size: given.password_history_size,
        temporary_password_validity_days: Some(given.temporary_password_validity_days.unwrap_or(7)),
    }
}

/// Fails with `InvalidParameterException` for passwords no Cognito pool accepts (empty, over
/// 256 characters, leading or trailing white space).
pub fn check_shape(password: &str) -> Result<()> {
    let trimmed_ok =
        !password.starts_with(char::is_whitespace) && !password.ends_with(char::is_whitespace);
    if password.is_empty() || password.chars().count() > 256 || !trimmed_ok {
        return Err(CognitoError::invalid_parameter(
            "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\S]+.*[\\S]+$",
        ));
    }
    Ok(())
}

/// Fails with `InvalidPasswordException` when the password breaks the policy.
pub fn check_policy(policy: &PasswordPolicyType, password: &str) -> Result<()> {
    check_shape(password)?;
    let fail = |why: &str| {
        Err(CognitoError::invalid_password(format!(
            "Password did not conform with policy: {why}"
        )))
    };
    let min = usize::try_from(policy.minimum_length.unwrap_or(8)).unwrap_or(8);
    if password.chars().count() < min {
        return fail("Password not long enough");
    }
    if policy.require_lowercase == Some(true) && !password.chars().any(|c| c.is_lowercase()) {
        return fail("Password must have lowercase characters");
    }
    if policy.require_uppercase == Some(true) && !password.chars().any(|c| c.is_uppercase()) {
        return fail("Password must have uppercase characters");
    }
    if policy.require_numbers == Some(true) && !password.chars().any(|c| c.is_ascii_digit()) {
        return fail("Password must have numeric characters");
    }
    if policy.require_symbols == Some(true)
        && !password.chars().any(|c| SYMBOLS.contains(c) && c != ' ')
    {
        return fail("Password must have symbol characters");
    }
    Ok(())
}

/// The salt and verifier for a password.
pub fn record(
    pool_id: &str,
    username: &str,
    password: &str,
    temporary_until: Option<i64>,
) -> PasswordRecord {
    let mut salt_bytes = ids::bytes::<16>();
    salt_bytes[0] |= 1; // never a zero salt
    let salt = BigUint::from_bytes_be(&salt_bytes);
    let x = srp::compute_x(&salt, srp::pool_name(pool_id), username, password);
    PasswordRecord {
        salt,
        verifier: srp::verifier(&x),
        temporary_until,
    }
}

/// Whether a password matches the record (constant-time comparison of verifiers).
pub fn matches(record: &PasswordRecord, pool_id: &str, username: &str, password: &str) -> bool {
    let x = srp::compute_x(&record.salt, srp::pool_name(pool_id), username, password);
    let candidate = srp::pad_bytes(&srp::verifier(&x));
    let stored = srp::pad_bytes(&record.verifier);
    candidate.len() == stored.len() && bool::from(candidate.as_slice().ct_eq(&stored))
}

/// A temporary password that satisfies the policy.
pub fn temporary(policy: &PasswordPolicyType) -> String {
    let mut rng = rand::thread_rng();
    let classes: [&[u8]; 4] = [
        b"ABCDEFGHJKLMNPQRSTUVWXYZ",
        b"abcdefghijkmnopqrstuvwxyz",
        b"23456789",
        b"!#%&*+=?@^_~",
    ];
    let min = usize::try_from(policy.minimum_length.unwrap_or(8))
        .unwrap_or(8)
        .max(12);
    let mut chars: Vec<char> = classes
        .iter()
        .map(|c| char::from(c[rng.gen_range(0..c.len())]))
        .collect();
    let all: Vec<u8> = classes.concat();
    while chars.len() < min {
        chars.push(char::from(all[rng.gen_range(0..all.len())]));
    }
    chars.shuffle(&mut rng);
    chars.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strict() -> PasswordPolicyType {
        PasswordPolicyType {
            minimum_length: Some(8),
            require_uppercase: Some(true),
            require_lowercase: Some(true),
            require_numbers: Some(true),
            require_symbols: Some(true),
            ..Default::default()
        }
    }

    #[test]
    fn policy_messages() {
        let p = strict();
        let msg = |pw: &str| check_policy(&p, pw).unwrap_err().message;
        assert!(msg("Ab1!").contains("not long enough"));
        assert!(msg("ABCDEFG1!").contains("lowercase"));
        assert!(msg("abcdefg1!").contains("uppercase"));
        assert!(msg("Abcdefgh!").contains("numeric"));
        assert!(msg("Abcdefgh1").contains("symbol"));
        assert!(check_policy(&p, "Abcdefg1!").is_ok());
        assert_eq!(
            check_policy(&p, " Abcdefg1!").unwrap_err().kind,
            cognito_protocol::wire::ErrorKind::InvalidParameter
        );
    }

    #[test]
    fn temporary_passwords_satisfy_the_policy() {
        for _ in 0..50 {
            assert!(check_policy(&strict(), &temporary(&strict())).is_ok());
        }
    }

    #[test]
    fn record_matches_only_the_password() {
        let r = record("us-east-1_abc", "alice", "Passw0rd!", None);
        assert!(matches(&r, "us-east-1_abc", "alice", "Passw0rd!"));
        assert!(!matches(&r, "us-east-1_abc", "alice", "Passw0rd?"));
        assert!(!matches(&r, "us-east-1_abd", "alice", "Passw0rd!"));
    }
}
