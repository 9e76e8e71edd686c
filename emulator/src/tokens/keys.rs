//! The RS256 key that signs id and access tokens, and its JWKS entry.
//!
//! Generating an RSA-2048 key costs 50–180 ms even optimised, so by default one key is generated
//! per process and shared by every emulator in it (tests start emulators in milliseconds). The
//! generation runs on a background thread from the first start, so a server listens before the
//! key exists; whatever needs the key first (a sign-in, the JWKS) waits for it. A server can
//! load a fixed key instead (`--signing-key`), so tokens survive a restart.
//!
//! Two kinds of key sign, and verifiers cannot tell them apart (both are RSA-2048 with
//! e = 65537 in the JWKS):
//! - A key the emulator makes itself has four 512-bit primes and is signed by `cognito-rs256`:
//!   on AVX-512 IFMA it signs a sign-in's id and access tokens together in about a third of the
//!   time AWS-LC takes for the two; elsewhere it signs on the portable multiplier (MULX/ADX
//!   where the CPU has them), still faster than AWS-LC on the same CPU (benches/README.md).
//! - A key given as a two-prime PEM (`--signing-key`) is signed by aws-lc-rs with the key
//!   parsed once (re-parsing the key for every token, as jsonwebtoken's `encode` does, costs
//!   several times more).
//!
//! The header is Cognito's: `{"kid":…,"alg":"RS256"}`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{
    KeyPair, ParsedPublicKey, RsaKeyPair, RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256,
};
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine as _;
use cognito_rs256::FourPrimeKey;
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey, EncodeRsaPublicKey};
use rsa::pkcs8::DecodePrivateKey;
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Why a key could not be loaded.
#[derive(Debug, thiserror::Error)]
#[error("cannot load the signing key: {0}")]
pub struct KeyError(String);

impl KeyError {
    pub(crate) fn new(why: String) -> KeyError {
        KeyError(why)
    }
}

/// How many keys [`reserve`] keeps made ahead.
const RESERVE: usize = 4;

/// A new key for a pool, from a reserve a background thread keeps filled (making one costs
/// 50–150 ms, and a test creates a pool and signs a user in within milliseconds); made here
/// when the reserve is empty.
pub fn reserve() -> SigningKey {
    use std::sync::atomic::{AtomicBool, Ordering};
    static KEYS: Mutex<Vec<SigningKey>> = Mutex::new(Vec::new());
    static FILLING: AtomicBool = AtomicBool::new(false);
    let taken = KEYS.lock().unwrap_or_else(|e| e.into_inner()).pop();
    if !FILLING.swap(true, Ordering::AcqRel) {
        let spawned = std::thread::Builder::new()
            .name("pool-keys".into())
            .spawn(|| {
                loop {
                    let full = KEYS.lock().unwrap_or_else(|e| e.into_inner()).len() >= RESERVE;
                    if full {
                        break;
                    }
                    let key = SigningKey::generate();
                    KEYS.lock().unwrap_or_else(|e| e.into_inner()).push(key);
                }
                FILLING.store(false, Ordering::Release);
            });
        if spawned.is_err() {
            FILLING.store(false, Ordering::Release);
        }
    }
    taken.unwrap_or_else(SigningKey::generate)
}

/// How many verified tokens a key remembers (about 2 KB each).
const VERIFIED_TOKENS: usize = 1024;

/// A signing key with its `kid` and public JWK.
pub struct SigningKey {
    kid: String,
    signer: Signer,
    header_b64: String,
    /// Parsed once: verification reuses its Montgomery context instead of rebuilding the key.
    public: ParsedPublicKey,
    /// Claims of tokens whose signature this key has checked (see [`SigningKey::verify`]).
    verified: Mutex<HashMap<String, serde_json::Map<String, serde_json::Value>>>,
    jwk: Jwk,
    /// The private key as PEM, overwritten with zeros when the key is dropped.
    pem: zeroize::Zeroizing<String>,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

/// What computes the signatures.
enum Signer {
    /// A two-prime key, signed by AWS-LC.
    AwsLc(Box<RsaKeyPair>, SystemRandom),
    /// A four-prime key, signed by `cognito-rs256`.
    FourPrime(Box<FourPrimeKey>),
}

/// One key of a JWKS document.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Jwk {
    /// Always `RS256`.
    pub alg: String,
    /// Public exponent (base64url).
    pub e: String,
    /// Key id.
    pub kid: String,
    /// Always `RSA`.
    pub kty: String,
    /// Modulus (base64url).
    pub n: String,
    /// Always `sig`.
    #[serde(rename = "use")]
    pub use_: String,
}

/// An emulator's signing key: given, or the process-wide one, which may still be being
/// generated in the background. Dereferencing waits for it (or generates it, if the
/// background thread has not begun).
#[derive(Clone)]
pub struct KeyHandle(Arc<OnceLock<Arc<SigningKey>>>);

impl std::fmt::Debug for KeyHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyHandle")
            .field("ready", &self.0.get().is_some())
            .finish()
    }
}

impl KeyHandle {
    /// A key that is already there.
    pub fn ready(key: Arc<SigningKey>) -> Self {
        Self(Arc::new(OnceLock::from(key)))
    }

    /// The process-wide key; its generation starts on a background thread the first time.
    pub fn shared() -> Self {
        static CELL: OnceLock<Arc<OnceLock<Arc<SigningKey>>>> = OnceLock::new();
        static STARTED: std::sync::Once = std::sync::Once::new();
        let cell = CELL.get_or_init(|| Arc::new(OnceLock::new())).clone();
        STARTED.call_once(|| {
            let background = cell.clone();
            // If the thread cannot be spawned, the first use generates the key instead.
            let _ = std::thread::Builder::new()
                .name("signing-key".into())
                .spawn(move || {
                    background.get_or_init(generate);
                });
        });
        Self(cell)
    }

    /// The key, once it exists.
    pub fn get(&self) -> &Arc<SigningKey> {
        self.0.get_or_init(generate)
    }
}

impl std::ops::Deref for KeyHandle {
    type Target = SigningKey;

    fn deref(&self) -> &SigningKey {
        self.get()
    }
}

fn generate() -> Arc<SigningKey> {
    Arc::new(SigningKey::generate())
}

impl SigningKey {
    /// The key shared by every emulator of this process (waits for its generation).
    pub fn shared() -> Arc<SigningKey> {
        KeyHandle::shared().get().clone()
    }

    /// A new RSA-2048 key: four primes, signed by `cognito-rs256` on any CPU (AVX-512 IFMA
    /// lanes where the CPU has them, the portable multiplier elsewhere; benches/README.md has
    /// both against AWS-LC's two-prime signing).
    pub fn generate() -> SigningKey {
        Self::generate_four_prime()
    }

    /// A new two-prime RSA-2048 key, signed by AWS-LC.
    pub fn generate_two_prime() -> SigningKey {
        let mut rng = rand::thread_rng();
        let key = RsaPrivateKey::new(&mut rng, 2048)
            .map_err(|e| KeyError(e.to_string()))
            .and_then(|k| SigningKey::from_rsa(&k));
        match key {
            Ok(k) => k,
            // Key generation only fails if the OS RNG does; nothing can run then.
            Err(e) => unreachable!("{e}"),
        }
    }

    /// A new four-prime RSA-2048 key, signed by `cognito-rs256`.
    pub fn generate_four_prime() -> SigningKey {
        let key = FourPrimeKey::generate(&mut rand::thread_rng());
        match SigningKey::from_four_prime(key) {
            Ok(k) => k,
            // Only a PEM encoder failure gets here: a bug, not an input.
            Err(e) => unreachable!("{e}"),
        }
    }

    /// The private key as a PKCS#1 PEM (what durable mode and exports keep).
    pub fn to_pem(&self) -> &str {
        &self.pem
    }

    /// Loads a PKCS#1 (`BEGIN RSA PRIVATE KEY`) or PKCS#8 (`BEGIN PRIVATE KEY`) PEM: a
    /// two-prime key, or a four-prime one in multi-prime PKCS#1 (what [`SigningKey::to_pem`]
    /// writes for the keys the emulator makes on AVX-512 IFMA CPUs).
    pub fn from_pem(pem: &str) -> Result<SigningKey, KeyError> {
        let two_prime = RsaPrivateKey::from_pkcs1_pem(pem)
            .or_else(|_| RsaPrivateKey::from_pkcs8_pem(pem))
            .map_err(|e| KeyError(e.to_string()));
        match two_prime {
            Ok(key) => Self::from_rsa(&key),
            Err(two) => match FourPrimeKey::from_pkcs1_pem(pem) {
                Ok(key) => Self::from_four_prime(key),
                Err(cognito_rs256::Error::Format(_)) => Err(two),
                Err(four) => Err(KeyError(four.to_string())),
            },
        }
    }

    fn from_rsa(key: &RsaPrivateKey) -> Result<SigningKey, KeyError> {
        let der = key.to_pkcs1_der().map_err(|e| KeyError(e.to_string()))?;
        let pem = key
            .to_pkcs1_pem(rsa::pkcs1::LineEnding::LF)
            .map_err(|e| KeyError(e.to_string()))?
            .to_string();
        let pair = RsaKeyPair::from_der(der.as_bytes()).map_err(|e| KeyError(e.to_string()))?;
        let public = pair.public_key().as_ref().to_vec();
        let signer = Signer::AwsLc(Box::new(pair), SystemRandom::new());
        Self::assemble(
            signer,
            &key.n().to_bytes_be(),
            &key.e().to_bytes_be(),
            &public,
            pem,
        )
    }

    fn from_four_prime(key: FourPrimeKey) -> Result<SigningKey, KeyError> {
        let err = |e: &dyn std::fmt::Display| KeyError(e.to_string());
        let pem = key.to_pkcs1_pem().map_err(|e| err(&e))?;
        let public = key
            .public_key()
            .map_err(|e| err(&e))?
            .to_pkcs1_der()
            .map_err(|e| err(&e))?;
        let (n, e) = (key.modulus_be(), key.public_exponent_be());
        let signer = Signer::FourPrime(Box::new(key));
        Self::assemble(signer, &n, &e, public.as_bytes(), pem)
    }

    /// The parts every key has, from its public numbers (big-endian) and PKCS#1 public DER.
    fn assemble(
        signer: Signer,
        n: &[u8],
        e: &[u8],
        public_der: &[u8],
        pem: String,
    ) -> Result<SigningKey, KeyError> {
        let public = ParsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, public_der)
            .map_err(|e| KeyError(e.to_string()))?;
        let digest = Sha256::digest(n);
        let kid = base64::engine::general_purpose::STANDARD.encode(&digest[..30]);
        let (n, e) = (B64URL.encode(n), B64URL.encode(e));
        let jwk = Jwk {
            alg: "RS256".into(),
            e,
            kid: kid.clone(),
            kty: "RSA".into(),
            n,
            use_: "sig".into(),
        };
        let header = serde_json::json!({"kid": kid, "alg": "RS256"});
        Ok(SigningKey {
            header_b64: B64URL.encode(header.to_string()),
            kid,
            signer,
            public,
            verified: Mutex::new(HashMap::new()),
            jwk,
            pem: zeroize::Zeroizing::new(pem),
        })
    }

    /// The key id put in every token header.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The public key as a JWK.
    pub fn jwk(&self) -> &Jwk {
        &self.jwk
    }

    /// Signs claims as an RS256 JWT.
    pub fn sign<T: Serialize>(&self, claims: &T) -> Result<String, KeyError> {
        let [token] = self.finish([self.signing_input(claims)?])?;
        Ok(token)
    }

    /// Signs two sets of claims as RS256 JWTs (a sign-in's access and id tokens). A
    /// four-prime key signs both for the price of one.
    pub fn sign_pair<A: Serialize, B: Serialize>(
        &self,
        first: &A,
        second: &B,
    ) -> Result<(String, String), KeyError> {
        let first = self.signing_input(first)?;
        let second = self.signing_input(second)?;
        let [first, second] = self.finish([first, second])?;
        Ok((first, second))
    }

    /// `base64url(header).base64url(payload)`, with room for the signature.
    pub(crate) fn signing_input<T: Serialize>(&self, claims: &T) -> Result<String, KeyError> {
        let payload = serde_json::to_vec(claims).map_err(|e| KeyError(e.to_string()))?;
        let mut token = String::with_capacity(self.header_b64.len() + payload.len() * 4 / 3 + 350);
        token.push_str(&self.header_b64);
        token.push('.');
        B64URL.encode_string(payload, &mut token);
        Ok(token)
    }

    /// Appends `.signature` to each signing input.
    fn finish<const K: usize>(&self, mut tokens: [String; K]) -> Result<[String; K], KeyError> {
        let signatures: Vec<Vec<u8>> = match &self.signer {
            Signer::AwsLc(pair, rng) => tokens
                .iter()
                .map(|token| {
                    let mut signature = vec![0u8; pair.public_modulus_len()];
                    pair.sign(&RSA_PKCS1_SHA256, rng, token.as_bytes(), &mut signature)
                        .map(|()| signature)
                        .map_err(|e| KeyError(e.to_string()))
                })
                .collect::<Result<_, _>>()?,
            Signer::FourPrime(key) => {
                let inputs: Vec<&[u8]> = tokens.iter().map(|t| t.as_bytes()).collect();
                key.sign(&inputs).map_err(|e| KeyError(e.to_string()))?
            }
        };
        for (token, signature) in tokens.iter_mut().zip(signatures) {
            token.push('.');
            B64URL.encode_string(signature, token);
        }
        Ok(tokens)
    }

    /// The four-prime key inside, if this is one.
    pub(crate) fn four_prime(&self) -> Option<&FourPrimeKey> {
        match &self.signer {
            Signer::FourPrime(key) => Some(key),
            Signer::AwsLc(..) => None,
        }
    }

    /// A signing input with its signature appended: the JWT.
    pub(crate) fn attach(mut input: String, signature: &[u8]) -> String {
        input.push('.');
        B64URL.encode_string(signature, &mut input);
        input
    }

    /// The `kid` of a JWT's header (unverified).
    pub fn kid_of(token: &str) -> Option<String> {
        let header = token.split('.').next()?;
        let header: serde_json::Value =
            serde_json::from_slice(&B64URL.decode(header).ok()?).ok()?;
        Some(header.get("kid")?.as_str()?.to_owned())
    }

    /// Whether this key has four primes (signed by `cognito-rs256`) rather than two.
    pub fn is_four_prime(&self) -> bool {
        matches!(self.signer, Signer::FourPrime(_))
    }

    /// Checks a JWT's signature (RS256, this key) and returns its claims, without judging
    /// time or audience: the caller does that with the emulator's clock.
    ///
    /// A token that passed once is remembered (up to 1,024 of them; the memory is emptied when
    /// full), so an app that calls GetUser with the same access token for an hour does not pay
    /// for the RSA check each time. Only the exact string that passed is remembered, and expiry
    /// and revocation stay the caller's checks on every use.
    pub fn verify(&self, token: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
        let lock = || self.verified.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(claims) = lock().get(token) {
            return Some(claims.clone());
        }
        let claims = self.check_signature(token)?;
        let mut verified = lock();
        if verified.len() >= VERIFIED_TOKENS {
            verified.clear();
        }
        verified.insert(token.to_owned(), claims.clone());
        Some(claims)
    }

    fn check_signature(&self, token: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
        let mut parts = token.split('.');
        let (header, payload, signature) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let header: serde_json::Value =
            serde_json::from_slice(&B64URL.decode(header).ok()?).ok()?;
        if header.get("alg")?.as_str()? != "RS256" || header.get("kid")?.as_str()? != self.kid {
            return None;
        }
        let signed = &token[..token.len() - signature.len() - 1];
        let signature = B64URL.decode(signature).ok()?;
        self.public.verify_sig(signed.as_bytes(), &signature).ok()?;
        serde_json::from_slice(&B64URL.decode(payload).ok()?).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_only_untouched_and_with_this_key() {
        let key = SigningKey::shared();
        let token = key
            .sign(&serde_json::json!({"sub": "s", "token_use": "access"}))
            .unwrap_or_default();
        let claims = key.verify(&token).unwrap_or_default();
        assert_eq!(claims.get("sub").and_then(|v| v.as_str()), Some("s"));

        let parts: Vec<&str> = token.split('.').collect();
        let other_payload = B64URL.encode(br#"{"sub":"mallory","token_use":"access"}"#);
        let swapped = format!("{}.{}.{}", parts[0], other_payload, parts[2]);
        assert!(key.verify(&swapped).is_none(), "payload swapped");
        let none_alg = B64URL.encode(format!(r#"{{"kid":"{}","alg":"none"}}"#, key.kid()));
        assert!(key
            .verify(&format!("{none_alg}.{}.{}", parts[1], parts[2]))
            .is_none());
        let other_kid = B64URL.encode(r#"{"kid":"other","alg":"RS256"}"#);
        assert!(key
            .verify(&format!("{other_kid}.{}.{}", parts[1], parts[2]))
            .is_none());
        assert!(key.verify(&format!("{token}.extra")).is_none());
        assert!(key.verify("not a token").is_none());
        let header: serde_json::Value =
            serde_json::from_slice(&B64URL.decode(parts[0]).unwrap_or_default())
                .unwrap_or_default();
        assert_eq!(
            header,
            serde_json::json!({"kid": key.kid(), "alg": "RS256"})
        );
    }

    /// Both kinds of key sign tokens that jsonwebtoken (RustCrypto's RSA) accepts with only the
    /// JWK's n and e, one at a time and in pairs; a four-prime key survives its PEM.
    #[test]
    fn two_and_four_prime_keys_sign_tokens_that_another_implementation_verifies() {
        let four = SigningKey::generate_four_prime();
        let two = SigningKey::generate_two_prime();
        assert!(four.is_four_prime());
        assert!(!two.is_four_prime());
        assert!(
            SigningKey::shared().is_four_prime(),
            "the emulator makes four-prime keys on every CPU"
        );
        for key in [&four, &two] {
            let jwk = key.jwk();
            let decoding = jsonwebtoken::DecodingKey::from_rsa_components(&jwk.n, &jwk.e).unwrap();
            let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
            validation.required_spec_claims.clear();
            validation.validate_exp = false;
            let (access, id) = key
                .sign_pair(
                    &serde_json::json!({"token_use": "access", "n": 1}),
                    &serde_json::json!({"token_use": "id", "n": 2}),
                )
                .unwrap();
            let single = key
                .sign(&serde_json::json!({"token_use": "id", "n": 3}))
                .unwrap();
            for (token, n) in [(&access, 1), (&id, 2), (&single, 3)] {
                let data = jsonwebtoken::decode::<serde_json::Value>(token, &decoding, &validation)
                    .unwrap();
                assert_eq!(data.claims["n"], n);
                assert_eq!(data.header.kid.as_deref(), Some(key.kid()));
                assert!(key.verify(token).is_some());
            }
        }
        let pem = four.to_pem();
        assert!(pem.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
        let again = SigningKey::from_pem(pem).unwrap();
        assert!(again.is_four_prime());
        assert_eq!(again.kid(), four.kid());
        assert_eq!(again.jwk(), four.jwk());
        // PKCS#1 v1.5 is deterministic: the reloaded key signs the same bytes.
        let claims = serde_json::json!({"sub": "same"});
        assert_eq!(again.sign(&claims).unwrap(), four.sign(&claims).unwrap());
        let two_again = SigningKey::from_pem(two.to_pem()).unwrap();
        assert!(!two_again.is_four_prime());
        assert_eq!(two_again.kid(), two.kid());
        let refused = SigningKey::from_pem(
            "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n",
        );
        assert!(refused.is_err());
    }

    #[test]
    fn remembered_tokens_stay_bounded_and_tampering_is_still_caught() {
        let key = SigningKey::shared();
        let tokens: Vec<String> = (0..VERIFIED_TOKENS + 10)
            .map(|i| {
                key.sign(&serde_json::json!({"sub": format!("u{i}")}))
                    .unwrap_or_default()
            })
            .collect();
        for (i, token) in tokens.iter().enumerate() {
            let claims = key.verify(token).unwrap_or_default();
            assert_eq!(claims.get("sub"), Some(&serde_json::json!(format!("u{i}"))));
            // Remembered: the second answer is the same.
            assert_eq!(key.verify(token), Some(claims));
            let remembered = key.verified.lock().map(|m| m.len()).unwrap_or_default();
            assert!(remembered <= VERIFIED_TOKENS, "{remembered} remembered");
        }
        // A remembered token's signature on another payload is still refused.
        let last = tokens.last().cloned().unwrap_or_default();
        let parts: Vec<&str> = last.split('.').collect();
        let forged = format!(
            "{}.{}.{}",
            parts[0],
            B64URL.encode(br#"{"sub":"u0"}"#),
            parts[2]
        );
        assert!(key.verify(&forged).is_none());
        assert!(
            key.verify(&tokens[0]).is_some(),
            "forgotten, then checked again"
        );
    }
}
