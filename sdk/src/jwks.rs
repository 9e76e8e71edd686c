//! Optional verification of id and access tokens against the pool's JWKS: RS256 signature with
//! a key from `{issuer}/.well-known/jwks.json`, issuer and expiry (both required), audience or
//! client id, `token_use`, and expiry on the injected clock.
//!
//! The keys are fetched once and cached. A token naming an unknown `kid` (as after a key
//! rotation) fetches them again, but at most once every [`JwksVerifier::REFETCH_SECS`] seconds,
//! and an unknown `kid` is remembered as unknown for as long, so tokens with made-up key ids
//! cannot make the verifier hammer the JWKS endpoint. No lock is held while fetching.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::pool::CognitoUserPool;
use crate::token::Jwt;

/// Which token is being verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenUse {
    /// An id token (`aud` must be the client id).
    Id,
    /// An access token (`client_id` must be the client id).
    Access,
}

/// Verifies tokens of one pool and app client.
///
/// ```no_run
/// # async fn run(pool: cognito_sdk::CognitoUserPool, session: cognito_sdk::CognitoUserSession) -> Result<(), cognito_sdk::Error> {
/// use cognito_sdk::jwks::TokenUse;
/// let verifier = pool.jwks_verifier();
/// verifier.verify(session.id_token(), TokenUse::Id).await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct JwksVerifier {
    pool: CognitoUserPool,
    issuer: String,
    cache: Arc<Mutex<KeyCache>>,
}

#[derive(Default)]
struct KeyCache {
    keys: HashMap<String, DecodingKey>,
    /// When the keys were last fetched (the pool's clock).
    fetched_at: Option<i64>,
    /// Key ids found missing, and when.
    unknown: HashMap<String, i64>,
}

impl std::fmt::Debug for JwksVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwksVerifier")
            .field("issuer", &self.issuer)
            .finish_non_exhaustive()
    }
}

impl CognitoUserPool {
    /// A verifier for this pool's tokens (the issuer is the pool's, see
    /// [`crate::CognitoUserPoolBuilder::issuer`]).
    pub fn jwks_verifier(&self) -> JwksVerifier {
        JwksVerifier {
            pool: self.clone(),
            issuer: self.inner.issuer.clone(),
            cache: Arc::default(),
        }
    }
}

fn invalid(why: impl Into<String>) -> Error {
    Error::InvalidToken(why.into())
}

impl JwksVerifier {
    /// The least time between two fetches of the JWKS, in seconds.
    pub const REFETCH_SECS: i64 = 60;

    /// The issuer tokens must name.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    async fn fetch(&self) -> Result<HashMap<String, DecodingKey>> {
        let url = format!(
            "{}/.well-known/jwks.json",
            self.issuer.trim_end_matches('/')
        );
        let doc = self.pool.inner.client.get_json(&url).await?;
        let mut keys = HashMap::new();
        for key in doc["keys"].as_array().into_iter().flatten() {
            let (Some(kid), Some(n), Some(e)) =
                (key["kid"].as_str(), key["n"].as_str(), key["e"].as_str())
            else {
                continue;
            };
            if key["kty"] != "RSA" {
                continue;
            }
            if let Ok(k) = DecodingKey::from_rsa_components(n, e) {
                keys.insert(kid.to_owned(), k);
            }
        }
        Ok(keys)
    }

    async fn key_for(&self, kid: &str) -> Result<DecodingKey> {
        let now = self.pool.inner.clock.now_secs();
        let unknown = || invalid(format!("no key {kid} in the pool's JWKS"));
        {
            let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(k) = cache.keys.get(kid) {
                return Ok(k.clone());
            }
            let recent = |t: i64| now < t + Self::REFETCH_SECS;
            if cache.unknown.get(kid).is_some_and(|t| recent(*t))
                || cache.fetched_at.is_some_and(recent)
            {
                cache.unknown.insert(kid.to_owned(), now);
                return Err(unknown());
            }
        }
        let fetched = self.fetch().await?;
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        cache.keys = fetched;
        cache.fetched_at = Some(now);
        cache.unknown.retain(|_, t| now < *t + Self::REFETCH_SECS);
        match cache.keys.get(kid) {
            Some(k) => Ok(k.clone()),
            None => {
                cache.unknown.insert(kid.to_owned(), now);
                Err(unknown())
            }
        }
    }

    /// Verifies a token; `Ok` means it is authentic, this pool's, meant for this client, of
    /// the expected use, and not expired.
    pub async fn verify(&self, token: &Jwt, expected: TokenUse) -> Result<()> {
        let header = jsonwebtoken::decode_header(token.raw())
            .map_err(|e| invalid(format!("bad header: {e}")))?;
        if header.alg != Algorithm::RS256 {
            return Err(invalid(format!("algorithm {:?} is not RS256", header.alg)));
        }
        let kid = header.kid.ok_or_else(|| invalid("no kid in the header"))?;
        let key = self.key_for(&kid).await?;
        let mut validation = Validation::new(Algorithm::RS256);
        validation.validate_exp = false;
        validation.validate_aud = false;
        validation.set_required_spec_claims(&["iss", "exp"]);
        validation.set_issuer(&[&self.issuer]);
        let claims =
            jsonwebtoken::decode::<serde_json::Map<String, Value>>(token.raw(), &key, &validation)
                .map_err(|e| invalid(format!("verification failed: {e}")))?
                .claims;
        let client_id = &self.pool.inner.client_id;
        let (use_name, audience_claim) = match expected {
            TokenUse::Id => ("id", "aud"),
            TokenUse::Access => ("access", "client_id"),
        };
        if claims.get("token_use").and_then(Value::as_str) != Some(use_name) {
            return Err(invalid(format!("token_use is not {use_name}")));
        }
        if claims.get(audience_claim).and_then(Value::as_str) != Some(client_id.as_str()) {
            return Err(invalid(format!("{audience_claim} is not this app client")));
        }
        let exp = claims
            .get("exp")
            .and_then(Value::as_i64)
            .ok_or_else(|| invalid("no exp"))?;
        if exp <= self.pool.inner.clock.now_secs() {
            return Err(invalid("expired"));
        }
        Ok(())
    }
}
