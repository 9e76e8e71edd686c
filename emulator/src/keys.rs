//! The RS256 key that signs id and access tokens, and its JWKS entry.
//!
//! Generating an RSA-2048 key costs ~100 ms even optimised, so by default one key is generated
//! per process and shared by every emulator in it (tests start emulators in milliseconds). A
//! server can load a fixed key instead (`--signing-key`), so tokens survive a restart.

use std::sync::{Arc, OnceLock};

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine as _;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header};
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey, LineEnding};
use rsa::pkcs8::DecodePrivateKey;
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Why a key could not be loaded.
#[derive(Debug, thiserror::Error)]
#[error("cannot load the signing key: {0}")]
pub struct KeyError(String);

/// A signing key with its `kid` and public JWK.
pub struct SigningKey {
    kid: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
    jwk: Jwk,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
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

impl SigningKey {
    /// The key shared by every emulator of this process, generated on first use.
    pub fn shared() -> Arc<SigningKey> {
        static SHARED: OnceLock<Arc<SigningKey>> = OnceLock::new();
        SHARED
            .get_or_init(|| {
                let mut rng = rand::thread_rng();
                let key = RsaPrivateKey::new(&mut rng, 2048)
                    .map_err(|e| KeyError(e.to_string()))
                    .and_then(|k| SigningKey::from_rsa(&k));
                match key {
                    Ok(k) => Arc::new(k),
                    // Key generation only fails if the OS RNG does; nothing can run then.
                    Err(e) => unreachable!("{e}"),
                }
            })
            .clone()
    }

    /// Loads a PKCS#1 (`BEGIN RSA PRIVATE KEY`) or PKCS#8 (`BEGIN PRIVATE KEY`) PEM.
    pub fn from_pem(pem: &str) -> Result<SigningKey, KeyError> {
        let key = RsaPrivateKey::from_pkcs1_pem(pem)
            .or_else(|_| RsaPrivateKey::from_pkcs8_pem(pem))
            .map_err(|e| KeyError(e.to_string()))?;
        Self::from_rsa(&key)
    }

    fn from_rsa(key: &RsaPrivateKey) -> Result<SigningKey, KeyError> {
        let pem = key
            .to_pkcs1_pem(LineEnding::LF)
            .map_err(|e| KeyError(e.to_string()))?;
        let encoding =
            EncodingKey::from_rsa_pem(pem.as_bytes()).map_err(|e| KeyError(e.to_string()))?;
        let n = B64URL.encode(key.n().to_bytes_be());
        let e = B64URL.encode(key.e().to_bytes_be());
        let decoding =
            DecodingKey::from_rsa_components(&n, &e).map_err(|e| KeyError(e.to_string()))?;
        let digest = Sha256::digest(key.n().to_bytes_be());
        let kid = base64::engine::general_purpose::STANDARD.encode(&digest[..30]);
        let jwk = Jwk {
            alg: "RS256".into(),
            e,
            kid: kid.clone(),
            kty: "RSA".into(),
            n,
            use_: "sig".into(),
        };
        Ok(SigningKey {
            kid,
            encoding,
            decoding,
            jwk,
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
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &self.encoding).map_err(|e| KeyError(e.to_string()))
    }

    /// Checks a JWT's signature (RS256, this key) and returns its claims, without judging
    /// time or audience: the caller does that with the emulator's clock.
    pub fn verify(&self, token: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
        let header = jsonwebtoken::decode_header(token).ok()?;
        if header.alg != Algorithm::RS256 || header.kid.as_deref() != Some(self.kid.as_str()) {
            return None;
        }
        let mut validation = jsonwebtoken::Validation::new(Algorithm::RS256);
        validation.validate_exp = false;
        validation.validate_aud = false;
        validation.required_spec_claims.clear();
        jsonwebtoken::decode(token, &self.decoding, &validation)
            .ok()
            .map(|d| d.claims)
    }
}
