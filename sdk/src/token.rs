//! Id and access tokens: the raw JWT and its decoded claims, with typed accessors for the ones
//! apps use. Decoding does not verify; [`crate::jwks::JwksVerifier`] does.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine as _;
use serde_json::{Map, Value};

use crate::error::{Error, Result};

/// A decoded JWT.
///
/// ```
/// use cognito_sdk::Jwt;
/// // header {"alg":"none"}, payload {"sub":"s-1","exp":100,"iat":40,"cognito:groups":["admins"]}
/// let raw = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJzLTEiLCJleHAiOjEwMCwiaWF0Ijo0MCwiY29nbml0bzpncm91cHMiOlsiYWRtaW5zIl19.sig";
/// let jwt = Jwt::parse(raw).unwrap();
/// assert_eq!(jwt.sub(), Some("s-1"));
/// assert_eq!(jwt.exp(), Some(100));
/// assert_eq!(jwt.groups(), vec!["admins".to_owned()]);
/// ```
#[derive(Clone, PartialEq)]
pub struct Jwt {
    raw: String,
    claims: Map<String, Value>,
}

impl std::fmt::Debug for Jwt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Jwt")
            .field("sub", &self.sub())
            .field("token_use", &self.token_use())
            .field("exp", &self.exp())
            .finish_non_exhaustive()
    }
}

impl Jwt {
    /// Decodes a JWT's claims (without verifying it).
    pub fn parse(raw: &str) -> Result<Self> {
        let payload = raw
            .split('.')
            .nth(1)
            .ok_or_else(|| Error::InvalidToken("not a JWT (no payload part)".into()))?;
        let bytes = B64URL
            .decode(payload.trim_end_matches('='))
            .map_err(|e| Error::InvalidToken(format!("payload is not base64url: {e}")))?;
        let claims: Map<String, Value> = serde_json::from_slice(&bytes)
            .map_err(|e| Error::InvalidToken(format!("payload is not a JSON object: {e}")))?;
        Ok(Self {
            raw: raw.to_owned(),
            claims,
        })
    }

    /// The token as issued.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// Every claim.
    pub fn claims(&self) -> &Map<String, Value> {
        &self.claims
    }

    /// One claim.
    pub fn claim(&self, name: &str) -> Option<&Value> {
        self.claims.get(name)
    }

    fn str_claim(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Value::as_str)
    }

    fn int_claim(&self, name: &str) -> Option<i64> {
        self.claims.get(name).and_then(Value::as_i64)
    }

    /// `sub`.
    pub fn sub(&self) -> Option<&str> {
        self.str_claim("sub")
    }
    /// `cognito:username` (id token) or `username` (access token).
    pub fn username(&self) -> Option<&str> {
        self.str_claim("cognito:username")
            .or_else(|| self.str_claim("username"))
    }
    /// `token_use`: `id` or `access`.
    pub fn token_use(&self) -> Option<&str> {
        self.str_claim("token_use")
    }
    /// `exp` (Unix seconds).
    pub fn exp(&self) -> Option<i64> {
        self.int_claim("exp")
    }
    /// `iat` (Unix seconds).
    pub fn iat(&self) -> Option<i64> {
        self.int_claim("iat")
    }
    /// `auth_time` (Unix seconds).
    pub fn auth_time(&self) -> Option<i64> {
        self.int_claim("auth_time")
    }
    /// `origin_jti`.
    pub fn origin_jti(&self) -> Option<&str> {
        self.str_claim("origin_jti")
    }
    /// `cognito:groups` (empty when the user is in none).
    pub fn groups(&self) -> Vec<String> {
        self.claims
            .get("cognito:groups")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }
}
