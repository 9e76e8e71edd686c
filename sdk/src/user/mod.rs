//! One user of a pool. [`CognitoUser`]'s methods are grouped by capability, one module each:
//!
//! | module | methods |
//! |---|---|
//! | here | `username`, `confirm_registration`, `resend_confirmation_code`, the session (`stored_session`, `get_session`, `refresh_session`, `clear_cached_tokens`), `sign_out`, `global_sign_out`, `get_user_attributes` |
//! | [`outcome`] | no methods: [`AuthOutcome`](outcome::AuthOutcome), the challenges and sign-in details they all use |
//! | [`sign_in`] | `authenticate`, `send_custom_challenge_answer`, `complete_new_password` |
//! | [`choice`] | `select_challenge` (choice-based sign-in) |
//! | [`mfa`] | `send_mfa_code`, `select_mfa_type`, software-token set-up, `set_user_mfa_preference` |
//! | [`mfa_options`] | the legacy `enable_mfa`, `disable_mfa`, `get_mfa_options` |
//! | [`account`] | attributes and their verification, password change and reset, `delete_user`, `revoke_token` |
//! | [`devices`] | remembered devices: `device_key`, `confirm_device`, `set_device_remembered`, `list_devices`, `get_device`, `forget_device` |
//!
//! Refresh is single-flight per user: however many callers find the tokens expired at once,
//! one refresh request (GetTokensFromRefreshToken, or REFRESH_TOKEN_AUTH by
//! [`RefreshMethod`]) is made and every caller gets its result or its error. A rotated refresh
//! token is stored in one write with the tokens issued with it; when the refresh token is
//! refused but the storage meanwhile holds a newer one (another process sharing a
//! [`crate::storage::FileStorage`] rotated it), the newer tokens are adopted instead.
//! Stored tokens are removed only when Cognito says the refresh token is no good
//! ([`Error::invalidates_session`]); network errors, timeouts, throttling and 5xx leave them
//! in place and come back as retryable errors.

pub(crate) mod account;
pub(crate) mod choice;
pub(crate) mod devices;
pub(crate) mod mfa;
pub(crate) mod mfa_options;
pub(crate) mod outcome;
pub(crate) mod passkeys;
pub(crate) mod sign_in;

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use futures::FutureExt as _;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::pool::{CognitoUserPool, PoolInner};
use crate::session::{clock_drift, CognitoUserSession};
use crate::token::Jwt;
use crate::wire::{
    AccessTokenRequest, AttributeType, AuthenticationResultType, CodeDeliveryDetailsType,
    CodeDeliveryResponse, ConfirmSignUpRequest, ConfirmSignUpResponse, Empty,
    GetTokensFromRefreshTokenRequest, GetTokensFromRefreshTokenResponse, GetUserResponse,
    ResendConfirmationCodeRequest, Sensitive,
};

/// Whether Cognito refused an access token as expired (or not yet valid).
fn expired_at_the_service(e: &Error) -> bool {
    match e {
        Error::Service {
            kind: crate::wire::ErrorKind::NotAuthorized,
            message,
            ..
        } => {
            let m = message.to_ascii_lowercase();
            m.contains("access token has expired") || m.contains("not yet valid")
        }
        _ => false,
    }
}

/// How the SDK refreshes a session.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum RefreshMethod {
    /// `GetTokensFromRefreshToken`, as Amplify v6 refreshes: works with and without refresh
    /// token rotation, and stores the rotated refresh token it gets.
    #[default]
    GetTokensFromRefreshToken,
    /// InitiateAuth with `REFRESH_TOKEN_AUTH`, as amazon-cognito-identity-js refreshes. App
    /// clients with refresh token rotation refuse it.
    RefreshTokenAuth,
}

/// A user of a pool.
#[derive(Debug, Clone)]
pub struct CognitoUser {
    pub(crate) pool: CognitoUserPool,
    username: Arc<RwLock<String>>,
}

impl CognitoUser {
    pub(crate) fn new(pool: CognitoUserPool, username: &str) -> Self {
        Self {
            pool,
            username: Arc::new(RwLock::new(username.to_owned())),
        }
    }

    /// The username: what the user typed until sign-in, then Cognito's canonical
    /// `USER_ID_FOR_SRP` (which is what storage is keyed by).
    pub fn username(&self) -> String {
        self.username
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub(crate) fn set_username(&self, name: &str) {
        *self.username.write().unwrap_or_else(|e| e.into_inner()) = name.to_owned();
    }

    fn inner(&self) -> &PoolInner {
        &self.pool.inner
    }

    /// Confirms the sign-up with the code that was sent (ConfirmSignUp).
    pub async fn confirm_registration(&self, code: &str, force_alias_creation: bool) -> Result<()> {
        let inner = self.inner();
        let username = self.username();
        let _: ConfirmSignUpResponse = inner
            .client
            .call(
                "ConfirmSignUp",
                &ConfirmSignUpRequest {
                    client_id: inner.client_id.clone(),
                    secret_hash: inner.secret_hash(&username).map(Sensitive),
                    username,
                    confirmation_code: code.to_owned(),
                    force_alias_creation: force_alias_creation.then_some(true),
                    ..Default::default()
                },
            )
            .await?;
        Ok(())
    }

    /// Sends a new confirmation code (ResendConfirmationCode).
    pub async fn resend_confirmation_code(&self) -> Result<Option<CodeDeliveryDetailsType>> {
        let inner = self.inner();
        let username = self.username();
        let out: CodeDeliveryResponse = inner
            .client
            .call(
                "ResendConfirmationCode",
                &ResendConfirmationCodeRequest {
                    client_id: inner.client_id.clone(),
                    secret_hash: inner.secret_hash(&username).map(Sensitive),
                    username,
                    ..Default::default()
                },
            )
            .await?;
        Ok(out.code_delivery_details)
    }

    /// Stores a sign-in's (or refresh's) tokens and returns the session. A refresh that
    /// brings no new refresh token keeps `previous_refresh`.
    pub(crate) async fn store_tokens(
        &self,
        result: AuthenticationResultType,
        previous_refresh: Option<String>,
    ) -> Result<CognitoUserSession> {
        let inner = self.inner();
        let missing = |what: &str| Error::InvalidResponse {
            status: 200,
            reason: format!("AuthenticationResult without {what}"),
            body: String::new(),
            source: None,
        };
        let id = Jwt::parse(
            result
                .id_token
                .as_deref()
                .ok_or_else(|| missing("IdToken"))?,
        )?;
        let access = Jwt::parse(
            result
                .access_token
                .as_deref()
                .ok_or_else(|| missing("AccessToken"))?,
        )?;
        if let Some(canonical) = access.username() {
            self.set_username(canonical);
        }
        let username = self.username();
        if let Some(meta) = &result.new_device_metadata {
            self.keep_new_device(&username, meta).await?;
        }
        let refresh = result.refresh_token.or(previous_refresh);
        let drift = clock_drift(inner.clock.now_secs(), &id, &access);
        let keys = &inner.keys;
        // One write: a rotated refresh token never lands without the tokens issued with it.
        let mut entries = vec![
            (keys.id_token(&username), id.raw().to_owned()),
            (keys.access_token(&username), access.raw().to_owned()),
        ];
        if let Some(r) = &refresh {
            entries.push((keys.refresh_token(&username), r.clone()));
        }
        entries.push((keys.clock_drift(&username), drift.to_string()));
        entries.push((keys.last_auth_user(), username.clone()));
        inner
            .storage
            .set_many(&entries)
            .await
            .map_err(Error::storage)?;
        Ok(CognitoUserSession::new(id, access, refresh, drift))
    }

    /// The session in storage, valid or not (`None` when there is none).
    pub async fn stored_session(&self) -> Result<Option<CognitoUserSession>> {
        let inner = self.inner();
        let username = self.username();
        let keys = &inner.keys;
        let get = |k: String| async move { inner.storage.get(&k).await.map_err(Error::storage) };
        let (Some(id), Some(access)) = (
            get(keys.id_token(&username)).await?,
            get(keys.access_token(&username)).await?,
        ) else {
            return Ok(None);
        };
        let refresh = get(keys.refresh_token(&username)).await?;
        let drift = get(keys.clock_drift(&username))
            .await?
            .and_then(|d| d.trim().parse().ok())
            .unwrap_or(0);
        Ok(Some(CognitoUserSession::new(
            Jwt::parse(&id)?,
            Jwt::parse(&access)?,
            refresh,
            drift,
        )))
    }

    /// The session: the stored one while it is valid, otherwise a refreshed one, within the
    /// pool's session deadline (see [`crate::CognitoUserPoolBuilder::session_deadline`]).
    pub async fn get_session(&self) -> Result<CognitoUserSession> {
        let inner = self.inner();
        let stored = self.stored_session().await?.ok_or_else(|| {
            Error::NotSignedIn(format!("no session stored for {}", self.username()))
        })?;
        if stored.is_valid_at(inner.clock.now_secs(), inner.expiry_margin) {
            return Ok(stored);
        }
        let budget = inner.session_deadline;
        *inner
            .client
            .last_failure
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = None;
        match tokio::time::timeout(budget, self.refresh_flight(false)).await {
            Ok(result) => result,
            Err(_) => {
                let source = inner
                    .client
                    .last_failure
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .take()
                    .map(|e| std::sync::Arc::new(e) as crate::error::Cause);
                Err(Error::Deadline {
                    waited_for: format!("the refresh of {}'s session", self.username()),
                    budget,
                    source,
                })
            }
        }
    }

    /// Refreshes now, whether or not the tokens are still valid.
    pub async fn refresh_session(&self) -> Result<CognitoUserSession> {
        self.refresh_flight(true).await
    }

    async fn refresh_flight(&self, force: bool) -> Result<CognitoUserSession> {
        let key = self.username();
        let flight = {
            let mut flights = self
                .inner()
                .flights
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            flights
                .entry(key.clone())
                .or_insert_with(|| {
                    let me = self.clone();
                    async move { me.refresh_once(force).await }.boxed().shared()
                })
                .clone()
        };
        let result = flight.clone().await;
        let mut flights = self
            .inner()
            .flights
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if flights.get(&key).is_some_and(|f| f.ptr_eq(&flight)) {
            flights.remove(&key);
        }
        result
    }

    async fn refresh_once(&self, force: bool) -> Result<CognitoUserSession> {
        let inner = self.inner();
        let stored = self.stored_session().await?;
        if let Some(s) = &stored {
            if !force && s.is_valid_at(inner.clock.now_secs(), inner.expiry_margin) {
                return Ok(s.clone());
            }
        }
        let mut refresh_token = stored
            .as_ref()
            .and_then(|s| s.refresh_token().map(str::to_owned))
            .ok_or_else(|| {
                Error::NotSignedIn(format!("no refresh token stored for {}", self.username()))
            })?;
        let username = self.username();
        // At most one adoption: another process (or pool) sharing the storage may have rotated
        // the refresh token since it was read; its newer tokens are taken instead of signing out.
        for adopted in [false, true] {
            match self.send_refresh(&refresh_token, &username).await {
                Ok(result) => return self.store_tokens(result, Some(refresh_token)).await,
                Err(e) if e.invalidates_session() => {
                    let newer = self
                        .stored_session()
                        .await?
                        .filter(|s| s.refresh_token().is_some_and(|t| t != refresh_token));
                    match newer {
                        Some(newer) if !adopted => {
                            tracing::info!(user = %username, error = %e, "the stored refresh token was replaced meanwhile; using the newer one");
                            if newer.is_valid_at(inner.clock.now_secs(), inner.expiry_margin) {
                                return Ok(newer);
                            }
                            refresh_token = newer.refresh_token().unwrap_or_default().to_owned();
                        }
                        _ => {
                            tracing::info!(user = %username, error = %e, "refresh token refused; clearing the stored session");
                            self.clear_cached_tokens().await?;
                            return Err(e);
                        }
                    }
                }
                Err(e) => {
                    tracing::warn!(user = %username, error = %e, retryable = e.is_retryable(), "refresh failed; keeping the stored session");
                    return Err(e);
                }
            }
        }
        Err(Error::NotSignedIn(format!(
            "the refresh token of {username} kept changing during the refresh"
        )))
    }

    /// One refresh request, by the pool's [`RefreshMethod`].
    async fn send_refresh(
        &self,
        refresh_token: &str,
        username: &str,
    ) -> Result<AuthenticationResultType> {
        let inner = self.inner();
        let device_key = inner
            .storage
            .get(&inner.keys.device_key(username))
            .await
            .map_err(Error::storage)?;
        let no_tokens = |what: &str| Error::InvalidResponse {
            status: 200,
            reason: format!("{what} answered without tokens"),
            body: String::new(),
            source: None,
        };
        match inner.refresh_method {
            RefreshMethod::GetTokensFromRefreshToken => {
                let answer: GetTokensFromRefreshTokenResponse = inner
                    .client
                    .call(
                        "GetTokensFromRefreshToken",
                        &GetTokensFromRefreshTokenRequest {
                            refresh_token: Sensitive(refresh_token.to_owned()),
                            client_id: inner.client_id.clone(),
                            client_secret: inner.client_secret.clone(),
                            device_key,
                            client_metadata: None,
                        },
                    )
                    .await?;
                answer
                    .authentication_result
                    .ok_or_else(|| no_tokens("GetTokensFromRefreshToken"))
            }
            RefreshMethod::RefreshTokenAuth => {
                let mut params =
                    BTreeMap::from([("REFRESH_TOKEN".to_owned(), refresh_token.to_owned())]);
                if let Some(d) = device_key {
                    params.insert("DEVICE_KEY".into(), d);
                }
                let answer = self
                    .initiate_auth("REFRESH_TOKEN_AUTH", params, username, None)
                    .await?;
                answer
                    .authentication_result
                    .ok_or_else(|| no_tokens("REFRESH_TOKEN_AUTH"))
            }
        }
    }

    /// Removes this user's tokens from storage (and LastAuthUser when it is this user).
    pub async fn clear_cached_tokens(&self) -> Result<()> {
        let inner = self.inner();
        let username = self.username();
        let keys = &inner.keys;
        for k in [
            keys.id_token(&username),
            keys.access_token(&username),
            keys.refresh_token(&username),
            keys.clock_drift(&username),
        ] {
            inner.storage.remove(&k).await.map_err(Error::storage)?;
        }
        let last = inner
            .storage
            .get(&keys.last_auth_user())
            .await
            .map_err(Error::storage)?;
        if last.as_deref() == Some(username.as_str()) {
            inner
                .storage
                .remove(&keys.last_auth_user())
                .await
                .map_err(Error::storage)?;
        }
        Ok(())
    }

    /// Signs out on this device. With `revoke_refresh_token`, RevokeToken is called first, so
    /// the refresh token (and the access tokens issued with it) stop working everywhere; the
    /// local session is cleared either way, and a failed revocation is returned as the error.
    pub async fn sign_out(&self, revoke_refresh_token: bool) -> Result<()> {
        let revoked = if revoke_refresh_token {
            match self.revoke_token().await {
                Err(Error::NotSignedIn(_)) => Ok(()),
                other => other,
            }
        } else {
            Ok(())
        };
        self.clear_cached_tokens().await?;
        revoked
    }

    /// Signs the user out everywhere (use case 15): GlobalSignOut revokes every refresh token
    /// of the user and the access tokens issued with them, on every device; then the local
    /// session is cleared. If the call fails, nothing is cleared and the error is returned.
    pub async fn global_sign_out(&self) -> Result<()> {
        let session = self.get_session().await?;
        let _: Empty = self
            .inner()
            .client
            .call(
                "GlobalSignOut",
                &AccessTokenRequest {
                    access_token: Sensitive(session.access_token().raw().to_owned()),
                },
            )
            .await?;
        self.clear_cached_tokens().await
    }

    /// The user's attributes (GetUser with the current session's access token).
    pub async fn get_user_attributes(&self) -> Result<Vec<AttributeType>> {
        Ok(self.get_user().await?.user_attributes)
    }

    /// GetUser with the current session's access token.
    pub(crate) async fn get_user(&self) -> Result<GetUserResponse> {
        self.authorized("GetUser", |access_token| AccessTokenRequest {
            access_token,
        })
        .await
    }

    /// Calls an operation that takes the session's access token (refreshed first if it has
    /// expired). When Cognito calls the token expired although this SDK's clock, with the drift
    /// recorded at sign-in, calls it valid, the two clocks have drifted apart since: the session
    /// is refreshed once (which records the drift anew from the new tokens' issue time) and the
    /// call made again.
    pub(crate) async fn authorized<I: Serialize, O: DeserializeOwned>(
        &self,
        operation: &str,
        input: impl Fn(Sensitive<String>) -> I,
    ) -> Result<O> {
        let session = self.get_session().await?;
        let client = &self.inner().client;
        let token = |s: &CognitoUserSession| Sensitive(s.access_token().raw().to_owned());
        let first = client.call(operation, &input(token(&session))).await;
        match &first {
            Err(e) if expired_at_the_service(e) => {
                tracing::info!(user = %self.username(), operation, recorded_drift = session.clock_drift(), "Cognito says the access token has expired; refreshing and correcting the clock drift");
                let fresh = self.refresh_flight(true).await?;
                client.call(operation, &input(token(&fresh))).await
            }
            _ => first,
        }
    }
}
