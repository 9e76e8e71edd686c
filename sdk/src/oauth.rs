//! Signing in through a user pool domain's hosted UI (OAuth 2.0 authorization code with PKCE,
//! use case 19): build the authorize URL with a fresh state and S256 code challenge, send the
//! user's browser there, then hand the redirect back to [`HostedUi::complete`], which checks
//! the state, exchanges the code at `/oauth2/token` and stores the session like any other
//! sign-in. The session refreshes like any other too (REFRESH_TOKEN_AUTH), or through the token
//! endpoint with [`HostedUi::refresh`].
//!
//! ```
//! # fn run() -> Result<(), cognito_sdk::Error> {
//! use cognito_sdk::{CognitoUserPool, HostedUi};
//!
//! let pool = CognitoUserPool::new("us-east-1_ExaMPle12", "1example23456789abcdefghij")?;
//! let ui = HostedUi::new(&pool, "https://myapp.auth.us-east-1.amazoncognito.com", "myapp://signed-in")
//!     .scopes(&["openid", "email"]);
//! let request = ui.authorize();
//! assert!(request.url.starts_with("https://myapp.auth.us-east-1.amazoncognito.com/oauth2/authorize?"));
//! assert!(request.url.contains("code_challenge_method=S256"));
//! // open request.url in a browser; on the redirect: ui.complete(&request, &redirect_url).await
//! # Ok(()) }
//! ```

use std::collections::BTreeMap;

use base64::engine::general_purpose::{STANDARD as B64, URL_SAFE_NO_PAD as B64URL};
use base64::Engine as _;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::error::{Error, Result};
use crate::pool::CognitoUserPool;
use crate::session::CognitoUserSession;
use crate::token::Jwt;
use crate::transport::HttpRequest;
use crate::user::CognitoUser;
use crate::wire::{AuthenticationResultType, Sensitive};

/// A user pool domain's hosted UI for one app client and redirect URL.
#[derive(Debug, Clone)]
pub struct HostedUi {
    pool: CognitoUserPool,
    domain_url: String,
    redirect_uri: String,
    scopes: Vec<String>,
    identity_provider: Option<String>,
}

/// One authorize round trip: the URL to open and what [`HostedUi::complete`] checks against.
#[derive(Debug, Clone)]
pub struct AuthorizeRequest {
    /// Open this in the user's browser.
    pub url: String,
    /// The `state` sent (checked on the way back).
    pub state: String,
    code_verifier: Sensitive<String>,
}

#[derive(Debug, Deserialize)]
struct TokenResponse {
    id_token: Option<String>,
    access_token: Option<String>,
    refresh_token: Option<String>,
    expires_in: Option<i64>,
}

impl HostedUi {
    /// The hosted UI at `domain_url` (`https://{prefix}.auth.{region}.amazoncognito.com`, or
    /// the emulator's `{endpoint}/domains/{prefix}`), redirecting to `redirect_uri` (one of
    /// the client's callback URLs). Scopes default to `openid`.
    pub fn new(pool: &CognitoUserPool, domain_url: &str, redirect_uri: &str) -> Self {
        Self {
            pool: pool.clone(),
            domain_url: domain_url.trim_end_matches('/').to_owned(),
            redirect_uri: redirect_uri.to_owned(),
            scopes: vec!["openid".into()],
            identity_provider: None,
        }
    }

    /// Sign in through an external provider of the pool (`Facebook`, `Google`, a SAML or OIDC
    /// provider's name) instead of the pool's own page.
    pub fn identity_provider(mut self, name: &str) -> Self {
        self.identity_provider = Some(name.to_owned());
        self
    }

    /// The scopes to ask for.
    pub fn scopes(mut self, scopes: &[&str]) -> Self {
        self.scopes = scopes.iter().map(|s| (*s).to_owned()).collect();
        self
    }

    fn random_b64(&self, n: usize) -> String {
        let mut bytes = vec![0u8; n];
        (self.pool.inner.random)(&mut bytes);
        B64URL.encode(bytes)
    }

    /// A fresh authorize request: random `state`, and a 43-character code verifier whose
    /// SHA-256 is sent as the S256 challenge.
    pub fn authorize(&self) -> AuthorizeRequest {
        let state = self.random_b64(16);
        let verifier = self.random_b64(32);
        let challenge = B64URL.encode(Sha256::digest(verifier.as_bytes()));
        let scope = self.scopes.join(" ");
        let mut pairs = vec![
            ("response_type", "code"),
            ("client_id", self.pool.client_id()),
            ("redirect_uri", &self.redirect_uri),
            ("scope", &scope),
            ("state", &state),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ];
        if let Some(idp) = &self.identity_provider {
            pairs.push(("identity_provider", idp));
        }
        AuthorizeRequest {
            url: format!("{}/oauth2/authorize?{}", self.domain_url, form(&pairs)),
            state,
            code_verifier: Sensitive(verifier),
        }
    }

    /// Finishes a sign-in from the URL the browser was redirected to: checks `state`,
    /// surfaces an `error` the hosted UI sent back, exchanges the code and stores the session.
    pub async fn complete(
        &self,
        request: &AuthorizeRequest,
        redirect_url: &str,
    ) -> Result<(CognitoUser, CognitoUserSession)> {
        let query = redirect_url
            .split_once('?')
            .map(|(_, q)| q.split('#').next().unwrap_or(q))
            .unwrap_or_default();
        let params: BTreeMap<String, String> = query
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (decode(k), decode(v)))
            .collect();
        if let Some(error) = params.get("error") {
            return Err(Error::InvalidArgument(format!(
                "the hosted UI refused the sign-in: {error}: {}",
                params.get("error_description").map_or("", String::as_str)
            )));
        }
        let state = params.get("state").map_or("", String::as_str);
        if !bool::from(state.as_bytes().ct_eq(request.state.as_bytes())) {
            return Err(Error::InvalidArgument(
                "the redirect's state is not this request's (a forged or stale redirect)".into(),
            ));
        }
        let code = params
            .get("code")
            .ok_or_else(|| Error::InvalidArgument("the redirect has no code".into()))?;
        let tokens = self
            .token(&[
                ("grant_type", "authorization_code"),
                ("client_id", self.pool.client_id()),
                ("code", code),
                ("redirect_uri", &self.redirect_uri),
                ("code_verifier", request.code_verifier.expose()),
            ])
            .await?;
        let access = Jwt::parse(tokens.access_token.as_deref().unwrap_or_default())?;
        let user = self.pool.user(access.username().unwrap_or_default());
        let session = user.store_tokens(result(tokens), None).await?;
        Ok((user, session))
    }

    /// Renews a hosted-UI session through the token endpoint (`grant_type=refresh_token`),
    /// keeping its refresh token.
    pub async fn refresh(&self, user: &CognitoUser) -> Result<CognitoUserSession> {
        let stored = user
            .stored_session()
            .await?
            .and_then(|s| s.refresh_token().map(str::to_owned))
            .ok_or_else(|| {
                Error::NotSignedIn(format!("no refresh token for {}", user.username()))
            })?;
        let tokens = self
            .token(&[
                ("grant_type", "refresh_token"),
                ("client_id", self.pool.client_id()),
                ("refresh_token", &stored),
            ])
            .await?;
        user.store_tokens(result(tokens), Some(stored)).await
    }

    /// The sign-out URL of the hosted UI (`/logout`), returning to `logout_uri`.
    pub fn logout_url(&self, logout_uri: &str) -> String {
        format!(
            "{}/logout?{}",
            self.domain_url,
            form(&[
                ("client_id", self.pool.client_id()),
                ("logout_uri", logout_uri)
            ])
        )
    }

    async fn token(&self, pairs: &[(&str, &str)]) -> Result<TokenResponse> {
        let inner = &self.pool.inner;
        let mut headers = vec![(
            "content-type".to_owned(),
            "application/x-www-form-urlencoded".to_owned(),
        )];
        if let Some(secret) = &inner.client_secret {
            let basic = B64.encode(format!("{}:{}", inner.client_id, secret.expose()));
            headers.push(("authorization".into(), format!("Basic {basic}")));
        }
        let response = inner
            .client
            .transport
            .send(HttpRequest {
                method: "POST",
                url: format!("{}/oauth2/token", self.domain_url),
                headers,
                body: form(pairs).into_bytes(),
            })
            .await
            .map_err(|e| match e {
                crate::transport::TransportError::Timeout(after) => Error::Timeout { after },
                crate::transport::TransportError::Network(source) => Error::Network { source },
            })?;
        if response.status != 200 {
            let body: serde_json::Value =
                serde_json::from_slice(&response.body).unwrap_or_default();
            let error = body["error"].as_str().unwrap_or("unknown_error").to_owned();
            let kind = match error.as_str() {
                "invalid_grant" | "invalid_client" | "unauthorized_client" => {
                    crate::wire::ErrorKind::NotAuthorized
                }
                _ => crate::wire::ErrorKind::Other(error.clone()),
            };
            return Err(Error::service(
                kind,
                format!("the token endpoint answered {error}"),
                None,
                response.status,
            ));
        }
        serde_json::from_slice(&response.body).map_err(|e| Error::InvalidResponse {
            status: 200,
            reason: format!("the token endpoint's answer is not the expected JSON: {e}"),
            body: String::from_utf8_lossy(&response.body).into_owned(),
            source: Some(std::sync::Arc::new(e)),
        })
    }
}

fn result(t: TokenResponse) -> AuthenticationResultType {
    AuthenticationResultType {
        access_token: t.access_token,
        expires_in: t.expires_in,
        token_type: Some("Bearer".into()),
        refresh_token: t.refresh_token,
        id_token: t.id_token,
        new_device_metadata: None,
    }
}

/// `application/x-www-form-urlencoded`.
fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn decode(s: &str) -> String {
    let hex = |b: u8| {
        char::from(b)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    };
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%' && i + 2 < bytes.len())
            .then(|| Some(hex(bytes[i + 1])? * 16 + hex(bytes[i + 2])?))
            .flatten();
        match (bytes[i], escaped) {
            (_, Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b'+', None) => {
                out.push(b' ');
                i += 1;
            }
            (b, None) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
