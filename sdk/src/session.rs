//! A signed-in session: the three tokens and the clock drift measured when they were issued.

use crate::token::Jwt;
use crate::wire::Sensitive;

/// The tokens of a signed-in user.
///
/// ```
/// use cognito_sdk::{CognitoUserSession, Jwt};
/// // payload {"exp": 1000, "iat": 400}
/// let t = Jwt::parse("e30.eyJleHAiOjEwMDAsImlhdCI6NDAwfQ.sig").unwrap();
/// let s = CognitoUserSession::new(t.clone(), t, Some("refresh".into()), 0);
/// assert!(s.is_valid_at(900, 30));
/// assert!(!s.is_valid_at(980, 30)); // inside the safety margin
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct CognitoUserSession {
    id_token: Jwt,
    access_token: Jwt,
    refresh_token: Option<Sensitive<String>>,
    clock_drift: i64,
}

impl CognitoUserSession {
    /// A session from its parts; `clock_drift` is local time minus server time, in seconds.
    pub fn new(
        id_token: Jwt,
        access_token: Jwt,
        refresh_token: Option<String>,
        clock_drift: i64,
    ) -> Self {
        Self {
            id_token,
            access_token,
            refresh_token: refresh_token.map(Sensitive),
            clock_drift,
        }
    }

    /// The id token.
    pub fn id_token(&self) -> &Jwt {
        &self.id_token
    }
    /// The access token.
    pub fn access_token(&self) -> &Jwt {
        &self.access_token
    }
    /// The refresh token (opaque).
    pub fn refresh_token(&self) -> Option<&str> {
        self.refresh_token.as_ref().map(|t| t.expose().as_str())
    }
    /// Local time minus server time, in seconds, measured from the tokens' `iat`.
    pub fn clock_drift(&self) -> i64 {
        self.clock_drift
    }

    /// Whether both tokens are still valid at local time `now` (Unix seconds), corrected by
    /// the clock drift, with `margin` seconds to spare.
    pub fn is_valid_at(&self, now: i64, margin: i64) -> bool {
        let server_now = now - self.clock_drift;
        let live = |t: &Jwt| t.exp().is_some_and(|exp| server_now + margin < exp);
        live(&self.id_token) && live(&self.access_token)
    }

    /// The value to send as `Authorization` to APIs that want the id token as a JWT.
    pub fn authorization_header(&self) -> String {
        self.id_token.raw().to_owned()
    }
}

/// Local time minus the tokens' issue time: how far the device clock is ahead of Cognito's.
pub(crate) fn clock_drift(now: i64, id: &Jwt, access: &Jwt) -> i64 {
    let iat = match (id.iat(), access.iat()) {
        (Some(a), Some(b)) => a.min(b),
        (Some(a), None) | (None, Some(a)) => a,
        (None, None) => now,
    };
    now - iat
}
