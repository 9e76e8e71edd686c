//! Cognito's SRP-6a variant, both sides, as pure math.
//!
//! Nothing here does I/O, reads a clock or draws randomness: private values, salts and
//! timestamps are arguments, so every step is checked against known answers produced by
//! amazon-cognito-identity-js. The client side ([`ClientEphemeral`]) is what the SDK uses to
//! sign in; the server side ([`ServerEphemeral`], [`verifier`]) is what the emulator uses to
//! answer it. Cognito differs from RFC 5054 in three places: the pool name (or the device
//! group key) goes into `x`, the session key comes out of HKDF with the info
//! `"Caldera Derived Key"`, and the proof is an HMAC over a signed message
//! (`realm ‖ user id ‖ secret block ‖ timestamp`) instead of M1.
//!
//! ```
//! use cognito_protocol::srp::{self, ClientEphemeral, ServerEphemeral};
//! use num_bigint::BigUint;
//!
//! // Server: store a salt and verifier when the password is set.
//! let salt = BigUint::from_bytes_be(&[0x5a; 16]);
//! let x = srp::compute_x(&salt, "ExaMPle12", "alice", "Passw0rd!");
//! let v = srp::verifier(&x);
//!
//! // Sign-in: both sides derive the same 16-byte key.
//! let client = ClientEphemeral::from_private_bytes(&[7; 128]).unwrap();
//! let server = ServerEphemeral::from_private_bytes(&[9; 32], &v);
//! let server_key = server.session_key(client.public(), &v).unwrap();
//! let client_key = client.session_key(&salt, server.public(), "ExaMPle12", "alice", "Passw0rd!").unwrap();
//! assert_eq!(client_key, server_key);
//! ```

use std::fmt;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use chrono::{DateTime, NaiveDateTime};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use num_bigint::BigUint;
use num_traits::Zero;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

pub use crate::group::{group, pad_bytes, Group, N_HEX};

/// The HKDF `info` Cognito uses to derive the claim key.
pub const HKDF_INFO: &[u8] = b"Caldera Derived Key";

/// Why an SRP step was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SrpError {
    /// A value that must be hexadecimal was not.
    #[error("{what} is not a hexadecimal number")]
    InvalidHex {
        /// Which value (e.g. `SRP_B`).
        what: &'static str,
    },
    /// A value that must be base64 was not.
    #[error("{what} is not valid base64")]
    InvalidBase64 {
        /// Which value (e.g. `SECRET_BLOCK`).
        what: &'static str,
    },
    /// A value breaks the protocol (a public value that is 0 mod N, or u = 0).
    #[error("illegal SRP parameter: {0}")]
    IllegalParameter(&'static str),
}

/// A secret big number whose `Debug` never shows the value and whose digits are overwritten
/// with zeros when it is dropped. num-bigint offers no zeroize, so the bits are cleared in
/// place from the lowest up: every digit is zero before the number shrinks, so neither the
/// buffer nor a reallocation keeps a copy. (Temporaries inside num-bigint's own arithmetic are
/// beyond reach; see the module doc.)
#[derive(PartialEq, Eq)]
struct Secret(BigUint);

impl Drop for Secret {
    fn drop(&mut self) {
        let bits = self.0.bits();
        wipe(&mut self.0, bits);
    }
}

/// Clears bits `0..upto` of `n` in place, lowest first.
fn wipe(n: &mut BigUint, upto: u64) {
    for bit in 0..upto {
        n.set_bit(bit, false);
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// `padHex`: lower-case, even-length hex of `n`, with `00` in front when the top bit is set.
///
/// ```
/// use cognito_protocol::srp::pad_hex;
/// assert_eq!(pad_hex(&0x80u32.into()), "0080");
/// assert_eq!(pad_hex(&0x123u32.into()), "0123");
/// ```
pub fn pad_hex(n: &BigUint) -> String {
    hex::encode(pad_bytes(n))
}

/// `padHex` of a signed hex string, as amazon-cognito-identity-js computes it for negative
/// numbers (two's complement, shortest form). SRP never produces negative values; this exists
/// so the whole padding rule is pinned by the reference vectors.
///
/// ```
/// use cognito_protocol::srp::pad_hex_signed;
/// assert_eq!(pad_hex_signed("-14").unwrap(), "ec");
/// assert_eq!(pad_hex_signed("ff").unwrap(), "00ff");
/// ```
pub fn pad_hex_signed(hex_str: &str) -> Result<String, SrpError> {
    let (negative, digits) = match hex_str.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, hex_str),
    };
    let magnitude = parse_hex(digits, "value")?;
    if !negative || magnitude.is_zero() {
        return Ok(pad_hex(&magnitude));
    }
    // Two's complement over the padded width, then drop redundant leading 0xff bytes.
    let width = pad_bytes(&magnitude).len();
    let modulus = BigUint::from(1u8) << (8 * width);
    let twos = (&modulus - &magnitude).to_bytes_be();
    let mut bytes = vec![0u8; width - twos.len()];
    bytes.extend_from_slice(&twos);
    while bytes.len() > 1 && bytes[0] == 0xff && bytes[1] & 0x80 != 0 {
        bytes.remove(0);
    }
    Ok(hex::encode(bytes))
}

/// Parses an unpadded or padded hex string (either case) into a number.
pub fn parse_hex(s: &str, what: &'static str) -> Result<BigUint, SrpError> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(SrpError::InvalidHex { what });
    }
    BigUint::parse_bytes(s.as_bytes(), 16).ok_or(SrpError::InvalidHex { what })
}

fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

fn hash_to_int(parts: &[&[u8]]) -> BigUint {
    BigUint::from_bytes_be(&sha256(parts))
}

/// u = H(padHex(A) ‖ padHex(B)).
pub fn compute_u(a_pub: &BigUint, b_pub: &BigUint) -> BigUint {
    hash_to_int(&[&pad_bytes(a_pub), &pad_bytes(b_pub)])
}

/// The inner hash H(realm ‖ user id ‖ ":" ‖ password), where the realm is the pool name
/// (the part of the pool id after `_`) or, for devices, the device group key.
pub fn identity_hash(realm: &str, user_id: &str, password: &str) -> [u8; 32] {
    sha256(&[
        realm.as_bytes(),
        user_id.as_bytes(),
        b":",
        password.as_bytes(),
    ])
}

/// x = H(padHex(salt) ‖ H(realm ‖ user id ‖ ":" ‖ password)).
pub fn compute_x(salt: &BigUint, realm: &str, user_id: &str, password: &str) -> BigUint {
    hash_to_int(&[&pad_bytes(salt), &identity_hash(realm, user_id, password)])
}

/// The verifier v = g^x mod N that the server stores instead of the password.
pub fn verifier(x: &BigUint) -> BigUint {
    crate::modexp::pow_g_secret(x, X_BITS)
}

/// x and u are SHA-256 values.
const X_BITS: usize = 256;

/// The length secret exponents are processed at when they come from `len` private bytes
/// (reduced mod N, so never past N's 3072 bits).
fn private_bits(len: usize) -> usize {
    len.saturating_mul(8).min(3072)
}

/// The 16-byte claim key: HKDF-SHA256(salt = padHex(u), ikm = padHex(S), info = "Caldera Derived Key").
pub fn derive_key(u: &BigUint, s: &BigUint) -> Zeroizing<[u8; 16]> {
    let hk = Hkdf::<Sha256>::new(Some(&pad_bytes(u)), &pad_bytes(s));
    let mut okm = Zeroizing::new([0u8; 16]);
    // 16 bytes is far below HKDF's 255 * 32 limit, so expand cannot fail.
    let _ = hk.expand(HKDF_INFO, okm.as_mut());
    okm
}

/// The message that `PASSWORD_CLAIM_SIGNATURE` signs: realm ‖ user id ‖ secret block ‖ timestamp.
pub fn claim_message(realm: &str, user_id: &str, secret_block: &[u8], timestamp: &str) -> Vec<u8> {
    let mut msg = Vec::with_capacity(realm.len() + user_id.len() + secret_block.len() + 32);
    msg.extend_from_slice(realm.as_bytes());
    msg.extend_from_slice(user_id.as_bytes());
    msg.extend_from_slice(secret_block);
    msg.extend_from_slice(timestamp.as_bytes());
    msg
}

/// The raw HMAC-SHA256 of the claim message under the derived key.
pub fn claim_mac(key: &[u8; 16], message: &[u8]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// `PASSWORD_CLAIM_SIGNATURE`: base64 of [`claim_mac`].
pub fn claim_signature(key: &[u8; 16], message: &[u8]) -> String {
    B64.encode(claim_mac(key, message))
}

/// Checks a client's `PASSWORD_CLAIM_SIGNATURE` against the expected MAC in constant time.
/// Anything that is not base64 of exactly 32 bytes is simply wrong.
pub fn verify_claim_signature(expected: &[u8; 32], given_b64: &str) -> bool {
    match B64.decode(given_b64.trim()) {
        Ok(given) if given.len() == 32 => bool::from(given.as_slice().ct_eq(expected)),
        _ => false,
    }
}

/// Cognito's `TIMESTAMP` for a Unix time: `Sun Nov 1 01:02:03 UTC 2026` (the day of the
/// month is not padded; hours, minutes and seconds are).
///
/// ```
/// assert_eq!(cognito_protocol::srp::format_timestamp(1_793_494_923), "Sun Nov 1 01:02:03 UTC 2026");
/// ```
pub fn format_timestamp(unix_secs: i64) -> String {
    DateTime::from_timestamp(unix_secs, 0)
        .unwrap_or_default()
        .format("%a %b %-d %H:%M:%S UTC %Y")
        .to_string()
}

/// Parses a `TIMESTAMP` in Cognito's format back to Unix seconds; `None` when it is not in
/// that exact shape (a padded day, a missing `UTC`, a wrong weekday …).
pub fn parse_timestamp(s: &str) -> Option<i64> {
    let parsed = NaiveDateTime::parse_from_str(s, "%a %b %d %H:%M:%S UTC %Y").ok()?;
    let secs = parsed.and_utc().timestamp();
    // Round-trip to reject zero-padded days and inconsistent weekdays.
    (format_timestamp(secs) == s).then_some(secs)
}

/// The client's half of an exchange: the private `a` and public `A = g^a mod N`.
#[derive(Debug)]
pub struct ClientEphemeral {
    a: Secret,
    /// The length `a` is processed at: fixed by the size of the private bytes, not by `a`.
    a_bits: usize,
    public: BigUint,
}

impl ClientEphemeral {
    /// Builds the ephemeral from private bytes (Cognito clients use 128 random bytes).
    /// Refuses a private value that is 0 mod N.
    pub fn from_private_bytes(bytes: &[u8]) -> Result<Self, SrpError> {
        let grp = group();
        let a = BigUint::from_bytes_be(bytes) % &grp.n;
        if a.is_zero() {
            return Err(SrpError::IllegalParameter("a is 0 mod N"));
        }
        let a_bits = private_bits(bytes.len());
        let public = crate::modexp::pow_g_secret(&a, a_bits);
        Ok(Self {
            a: Secret(a),
            a_bits,
            public,
        })
    }

    /// The public value A.
    pub fn public(&self) -> &BigUint {
        &self.public
    }

    /// `SRP_A` as sent on the wire: lower-case hex, not padded.
    pub fn public_hex(&self) -> String {
        self.public.to_str_radix(16)
    }

    /// The 16-byte claim key for the server's `SALT` and `SRP_B`. Refuses B mod N = 0 and u = 0.
    pub fn session_key(
        &self,
        salt: &BigUint,
        b_pub: &BigUint,
        realm: &str,
        user_id: &str,
        password: &str,
    ) -> Result<Zeroizing<[u8; 16]>, SrpError> {
        let shared = self.shared_secret(salt, b_pub, realm, user_id, password)?;
        Ok(derive_key(&shared.u, &shared.s.0))
    }

    /// The scrambler u and premaster secret S = (B − k·g^x)^(a + u·x) mod N.
    pub fn shared_secret(
        &self,
        salt: &BigUint,
        b_pub: &BigUint,
        realm: &str,
        user_id: &str,
        password: &str,
    ) -> Result<SharedSecret, SrpError> {
        let grp = group();
        let b_red = b_pub % &grp.n;
        if b_red.is_zero() {
            return Err(SrpError::IllegalParameter("B is 0 mod N"));
        }
        let u = compute_u(&self.public, b_pub);
        if u.is_zero() {
            return Err(SrpError::IllegalParameter("u is 0"));
        }
        let x = Secret(compute_x(salt, realm, user_id, password));
        let kgx = (&grp.k * crate::modexp::pow_g_secret(&x.0, X_BITS)) % &grp.n;
        let base = (&b_red + &grp.n - kgx) % &grp.n;
        let exp = Secret(&self.a.0 + &u * &x.0);
        // a + u·x < 2^max(a_bits, 512) + 2^512, so one bit more than the longer covers it.
        let s = crate::modexp::pow_secret(&base, &exp.0, self.a_bits.max(2 * X_BITS) + 1);
        Ok(SharedSecret { u, s: Secret(s) })
    }

    /// Answers a `PASSWORD_VERIFIER` (or `DEVICE_PASSWORD_VERIFIER`) challenge: returns
    /// `PASSWORD_CLAIM_SIGNATURE` for the challenge's hex `SALT`, hex `SRP_B`, base64
    /// `SECRET_BLOCK` and the `TIMESTAMP` the caller will send.
    pub fn password_claim(&self, challenge: &ClaimInput<'_>) -> Result<String, SrpError> {
        let salt = parse_hex(challenge.salt_hex, "SALT")?;
        let b_pub = parse_hex(challenge.srp_b_hex, "SRP_B")?;
        let block =
            B64.decode(challenge.secret_block_b64)
                .map_err(|_| SrpError::InvalidBase64 {
                    what: "SECRET_BLOCK",
                })?;
        let key = self.session_key(
            &salt,
            &b_pub,
            challenge.realm,
            challenge.user_id,
            challenge.password,
        )?;
        let msg = claim_message(
            challenge.realm,
            challenge.user_id,
            &block,
            challenge.timestamp,
        );
        Ok(claim_signature(&key, &msg))
    }
}

/// What the client needs to sign a password claim.
#[derive(Clone, Copy)]
pub struct ClaimInput<'a> {
    /// The pool name (after `_` in the pool id), or the device group key.
    pub realm: &'a str,
    /// `USER_ID_FOR_SRP`, or the device key.
    pub user_id: &'a str,
    /// The password (or the device's random password).
    pub password: &'a str,
    /// `SALT` from the challenge (hex).
    pub salt_hex: &'a str,
    /// `SRP_B` from the challenge (hex).
    pub srp_b_hex: &'a str,
    /// `SECRET_BLOCK` from the challenge (base64).
    pub secret_block_b64: &'a str,
    /// The `TIMESTAMP` that will be sent with the claim.
    pub timestamp: &'a str,
}

impl fmt::Debug for ClaimInput<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClaimInput")
            .field("realm", &self.realm)
            .field("user_id", &self.user_id)
            .field("password", &"<redacted>")
            .field("timestamp", &self.timestamp)
            .finish_non_exhaustive()
    }
}

/// The server's half of an exchange: the private `b` and public `B = (k·v + g^b) mod N`.
#[derive(Debug)]
pub struct ServerEphemeral {
    b: Secret,
    /// The length `b` is processed at: fixed by the size of the private bytes.
    b_bits: usize,
    public: BigUint,
}

impl ServerEphemeral {
    /// Builds the ephemeral for a user's verifier from private bytes. The size of `b` is the
    /// server's choice: 32 random bytes keep a verification near a millisecond.
    pub fn from_private_bytes(bytes: &[u8], verifier: &BigUint) -> Self {
        let grp = group();
        let mut b = BigUint::from_bytes_be(bytes) % &grp.n;
        if b.is_zero() {
            b = BigUint::from(1u8);
        }
        let b_bits = private_bits(bytes.len()).max(1);
        let public = (&grp.k * verifier + crate::modexp::pow_g_secret(&b, b_bits)) % &grp.n;
        Self {
            b: Secret(b),
            b_bits,
            public,
        }
    }

    /// The public value B.
    pub fn public(&self) -> &BigUint {
        &self.public
    }

    /// `SRP_B` as sent on the wire: lower-case hex, not padded.
    pub fn public_hex(&self) -> String {
        self.public.to_str_radix(16)
    }

    /// The 16-byte claim key for the client's A. Refuses A mod N = 0 and u = 0.
    pub fn session_key(
        &self,
        a_pub: &BigUint,
        verifier: &BigUint,
    ) -> Result<Zeroizing<[u8; 16]>, SrpError> {
        let shared = self.shared_secret(a_pub, verifier)?;
        Ok(derive_key(&shared.u, &shared.s.0))
    }

    /// The scrambler u and premaster secret S = (A·v^u)^b mod N.
    pub fn shared_secret(
        &self,
        a_pub: &BigUint,
        verifier: &BigUint,
    ) -> Result<SharedSecret, SrpError> {
        let grp = group();
        let a_red = a_pub % &grp.n;
        if a_red.is_zero() {
            return Err(SrpError::IllegalParameter("A is 0 mod N"));
        }
        let u = compute_u(a_pub, &self.public);
        if u.is_zero() {
            return Err(SrpError::IllegalParameter("u is 0"));
        }
        let base = (a_red * crate::modexp::pow(verifier, &u)) % &grp.n;
        let s = crate::modexp::pow_secret(&base, &self.b.0, self.b_bits);
        Ok(SharedSecret { u, s: Secret(s) })
    }
}

/// The scrambler u and the premaster secret S that both sides compute; the claim key is
/// [`derive_key`] of the two. `Debug` hides S.
#[derive(Debug, PartialEq, Eq)]
pub struct SharedSecret {
    /// u = H(padHex(A) ‖ padHex(B)).
    pub u: BigUint,
    s: Secret,
}

impl SharedSecret {
    /// The premaster secret S.
    pub fn premaster(&self) -> &BigUint {
        &self.s.0
    }

    /// The 16-byte claim key derived from u and S.
    pub fn key(&self) -> Zeroizing<[u8; 16]> {
        derive_key(&self.u, &self.s.0)
    }
}

/// What a client sends in `ConfirmDevice`'s `DeviceSecretVerifierConfig`, and keeps. Its
/// random password is overwritten with zeros when it is dropped.
#[derive(PartialEq, Eq)]
pub struct DeviceVerifier {
    /// The device's random password (base64 of 40 random bytes): kept by the client only.
    pub random_password: String,
    /// `Salt`: base64 of padHex(salt) bytes.
    pub salt_b64: String,
    /// `PasswordVerifier`: base64 of padHex(verifier) bytes.
    pub verifier_b64: String,
}

impl Drop for DeviceVerifier {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.random_password);
    }
}

impl fmt::Debug for DeviceVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceVerifier")
            .field("random_password", &"<redacted>")
            .field("salt_b64", &self.salt_b64)
            .field("verifier_b64", &self.verifier_b64)
            .finish()
    }
}

/// Makes the salt and verifier for a newly remembered device from 40 random password bytes
/// and 16 random salt bytes.
pub fn device_verifier(
    device_group_key: &str,
    device_key: &str,
    password_bytes: &[u8],
    salt_bytes: &[u8],
) -> DeviceVerifier {
    let random_password = B64.encode(password_bytes);
    let salt = BigUint::from_bytes_be(salt_bytes);
    let x = compute_x(&salt, device_group_key, device_key, &random_password);
    let v = verifier(&x);
    DeviceVerifier {
        random_password,
        salt_b64: B64.encode(pad_bytes(&salt)),
        verifier_b64: B64.encode(pad_bytes(&v)),
    }
}

/// The pool name used in SRP hashes: the part of the pool id after the first `_`.
///
/// ```
/// assert_eq!(cognito_protocol::srp::pool_name("us-east-1_ExaMPle12"), "ExaMPle12");
/// ```
pub fn pool_name(pool_id: &str) -> &str {
    pool_id.split_once('_').map_or(pool_id, |(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Secrets are cleared in their own buffer: with every bit but the top one cleared, the
    /// number still has all its digits (nothing was reallocated) and they are zero.
    #[test]
    fn a_wiped_secret_is_zeroed_in_place() {
        let top = BigUint::from(1u8) << 3071u32;
        let mut n = &top + BigUint::from_bytes_be(&[0xA5; 300]);
        wipe(&mut n, 3071);
        assert_eq!(n, top);
        assert_eq!(n.iter_u64_digits().count(), 48);
        let bits = n.bits();
        wipe(&mut n, bits);
        assert!(n.is_zero());
    }

    #[test]
    fn k_matches_the_published_constant() {
        assert_eq!(
            hex::encode(group().k.to_bytes_be()),
            "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6"
        );
    }

    #[test]
    fn timestamps_round_trip_and_reject_padded_days() {
        assert_eq!(
            parse_timestamp("Sun Nov 1 01:02:03 UTC 2026"),
            Some(1_793_494_923)
        );
        assert_eq!(parse_timestamp("Sun Nov 01 01:02:03 UTC 2026"), None);
        assert_eq!(parse_timestamp("Mon Nov 1 01:02:03 UTC 2026"), None);
        assert_eq!(parse_timestamp("garbage"), None);
    }

    #[test]
    fn server_refuses_a_zero_mod_n() {
        let v = verifier(&BigUint::from(5u8));
        let server = ServerEphemeral::from_private_bytes(&[1; 32], &v);
        assert_eq!(
            server.session_key(&BigUint::zero(), &v),
            Err(SrpError::IllegalParameter("A is 0 mod N"))
        );
        assert_eq!(
            server.session_key(&group().n, &v),
            Err(SrpError::IllegalParameter("A is 0 mod N"))
        );
        assert_eq!(
            server.session_key(&(&group().n * 2u8), &v),
            Err(SrpError::IllegalParameter("A is 0 mod N"))
        );
    }

    #[test]
    fn client_refuses_b_zero_mod_n() {
        let client = ClientEphemeral::from_private_bytes(&[3; 128]).unwrap();
        let err = client
            .session_key(&BigUint::from(1u8), &group().n, "p", "u", "pw")
            .unwrap_err();
        assert_eq!(err, SrpError::IllegalParameter("B is 0 mod N"));
    }

    #[test]
    fn claim_signature_check_rejects_near_misses() {
        let key = [4u8; 16];
        let mac = claim_mac(&key, b"message");
        assert!(verify_claim_signature(
            &mac,
            &claim_signature(&key, b"message")
        ));
        assert!(!verify_claim_signature(
            &mac,
            &claim_signature(&key, b"messagf")
        ));
        assert!(!verify_claim_signature(&mac, "not base64!"));
        assert!(!verify_claim_signature(&mac, ""));
    }

    #[test]
    fn secrets_are_redacted_in_debug() {
        let client = ClientEphemeral::from_private_bytes(&[0x42; 128]).unwrap();
        let shown = format!("{client:?}");
        assert!(shown.contains("redacted"));
        assert!(!shown.contains("4242"));
    }
}
