//! Refresh: new id and access tokens from a refresh token, through REFRESH_TOKEN_AUTH
//! (InitiateAuth, AdminInitiateAuth), GetTokensFromRefreshToken, or the hosted UI's
//! `refresh_token` grant. One core ([`renew`]) makes the checks Cognito makes on the token, the
//! client, the device and the user, keeps `auth_time` and `origin_jti`, and runs
//! PreTokenGeneration with `TokenGeneration_RefreshTokens`; the entry points differ only in how
//! the client proves itself and whether rotation applies.
//!
//! Rotation (the app client's `RefreshTokenRotation.Feature = ENABLED`): GetTokensFromRefreshToken
//! and the OAuth grant return a new refresh token of the same sign-in (same `origin_jti`, so
//! revoking any token of the family revokes all of it), and the token used is marked rotated:
//! it keeps working for `RetryGracePeriodSeconds` (emulator clock) so a client can retry a
//! refresh whose answer it lost, and is refused with `RefreshTokenReuseException` after that.
//! REFRESH_TOKEN_AUTH is refused for such a client: rotation happens only through
//! GetTokensFromRefreshToken.

use std::collections::BTreeMap;

use cognito_protocol::wire::{AuthResponse, AuthenticationResultType, ErrorKind, StringMap};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::state::records::{AppClient, Pool, RefreshRecord, User, UserStatus};
use crate::tokens;

use super::client::{check_secret_hash, unknown_user};
use super::finish::pre_token_generation;
use super::param;

/// How the caller proved it is the app client, checked once the token's user is known.
enum Proof<'a> {
    /// REFRESH_TOKEN_AUTH: a `SECRET_HASH` of the user's sub, username or the `USERNAME` given.
    SecretHash {
        given: Option<&'a str>,
        username: Option<&'a str>,
    },
    /// GetTokensFromRefreshToken: the client secret itself.
    ClientSecret(Option<&'a str>),
    /// The hosted UI's token endpoint, which authenticated the client already.
    Authenticated,
}

impl Proof<'_> {
    fn check(
        &self,
        client: &AppClient,
        pool: &Pool,
        record: &RefreshRecord,
        user: Option<&User>,
    ) -> Result<()> {
        match self {
            Proof::SecretHash { given, username } => {
                let mut names: Vec<&str> = vec![record.sub.as_str()];
                if let Some(u) = user {
                    names.push(u.username.as_str());
                }
                if let Some(name) = username {
                    if user.is_some_and(|u| pool.find_user(name).map(|f| &f.sub) == Some(&u.sub)) {
                        names.push(name);
                    }
                }
                check_secret_hash(client, *given, &names)
            }
            Proof::ClientSecret(given) => {
                if client.secret.is_none() {
                    return Ok(());
                }
                let Some(given) = given.filter(|g| !g.is_empty()) else {
                    return Err(CognitoError::not_authorized(format!(
                        "Client {} is configured with secret but secret was not received",
                        client.id
                    )));
                };
                if client.secret_matches(given) {
                    Ok(())
                } else {
                    Err(CognitoError::not_authorized(format!(
                        "Unable to verify secret for client {}",
                        client.id
                    )))
                }
            }
            Proof::Authenticated => Ok(()),
        }
    }
}

/// Whether a client rotates refresh tokens, and the grace period of a rotated-out one.
fn rotation(client: &AppClient) -> Option<i64> {
    client
        .settings
        .refresh_token_rotation
        .as_ref()
        .filter(|r| r.enabled())
        .map(|r| r.retry_grace_period_seconds.unwrap_or(0))
}

/// What a refresh request brings.
struct Renewal<'a> {
    token: &'a str,
    proof: Proof<'a>,
    device_given: Option<String>,
    metadata: Option<&'a StringMap>,
    /// Whether this entry point rotates (GetTokensFromRefreshToken, the OAuth grant).
    rotate: bool,
}

/// The common refresh: checks, PreTokenGeneration, new tokens; with `rotate`, a new refresh
/// token too when the client rotates.
fn renew(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    request: Renewal<'_>,
) -> Result<AuthenticationResultType> {
    let Renewal {
        token,
        proof,
        device_given,
        metadata,
        rotate,
    } = request;
    let now = ctx.now();
    type Found = (User, tokens::Origin, Option<String>, Option<String>, bool);
    let (user, origin, device, scope, rotates) = ctx.store.with(|state| -> Result<Found> {
        let invalid = || CognitoError::not_authorized("Invalid Refresh Token");
        let record = state.refresh_tokens.get(token).cloned().ok_or_else(invalid)?;
        let (pool, client) = state.client_in(pool_id, client_id)?;
        if record.client_id != client_id || record.pool_id != pool_id {
            return Err(invalid());
        }
        let user = pool.user_by_sub(&record.sub).cloned();
        proof.check(client, pool, &record, user.as_ref())?;
        let grace = rotation(client);
        if grace.is_some() && !rotate {
            return Err(CognitoError::invalid_parameter(
                "Refresh token rotation is enabled for this client: refresh through GetTokensFromRefreshToken.",
            ));
        }
        if record.revoked {
            return Err(CognitoError::not_authorized("Refresh Token has been revoked"));
        }
        if record.expires_at <= now {
            return Err(CognitoError::not_authorized("Refresh Token has expired"));
        }
        if let (Some(grace), Some(rotated_at)) = (grace, record.rotated_at) {
            if now >= rotated_at + grace {
                return Err(CognitoError {
                    kind: ErrorKind::RefreshTokenReuse,
                    message: "Refresh token has been rotated and is no longer valid.".into(),
                });
            }
        }
        let user = user.ok_or_else(|| unknown_user(client))?;
        if !super::devices::refresh_allowed(&user, record.device_key.as_deref(), device_given.as_deref()) {
            return Err(invalid());
        }
        if !user.enabled {
            return Err(CognitoError::not_authorized("User is disabled."));
        }
        if user.status == UserStatus::ResetRequired {
            return Err(CognitoError::password_reset_required(
                "Password reset required for the user",
            ));
        }
        tokens::sessions::touch(state, token, now);
        Ok((
            user,
            tokens::Origin {
                origin_jti: record.origin_jti.clone(),
                auth_time: record.auth_time,
                session_id: record.session_id.clone(),
            },
            record.device_key.clone(),
            record.scope.clone(),
            grace.is_some() && rotate,
        ))
    })?;
    let overrides = pre_token_generation(
        ctx,
        pool_id,
        client_id,
        &user,
        "TokenGeneration_RefreshTokens",
        metadata,
    )?;
    ctx.store
        .with(|state| {
            if rotates {
                if let Some(record) = state.refresh_tokens.get_mut(token) {
                    record.rotated_at.get_or_insert(now);
                }
            }
            tokens::prepare(
                ctx,
                state,
                tokens::Issue {
                    pool_id,
                    client_id,
                    user: &user,
                    origin: &origin,
                    with_refresh: rotates,
                    overrides: overrides.as_ref(),
                    device_key: device.as_deref(),
                    scope: scope.as_deref(),
                    nonce: None,
                },
            )
        })?
        .sign(ctx)
}

/// REFRESH_TOKEN_AUTH: new id and access tokens for a valid refresh token of this client. The
/// refresh token itself is not rotated, and a client that rotates refuses this flow.
pub(crate) fn refresh(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    params: &StringMap,
    metadata: Option<&StringMap>,
) -> Result<AuthResponse> {
    let token = param(params, "REFRESH_TOKEN")?;
    let proof = Proof::SecretHash {
        given: params.get("SECRET_HASH").map(String::as_str),
        username: params.get("USERNAME").map(String::as_str),
    };
    let device = super::devices::given(params);
    let result = renew(
        ctx,
        pool_id,
        client_id,
        Renewal {
            token,
            proof,
            device_given: device,
            metadata,
            rotate: false,
        },
    )?;
    Ok(AuthResponse {
        challenge_parameters: Some(BTreeMap::new()),
        authentication_result: Some(result),
        ..Default::default()
    })
}

/// GetTokensFromRefreshToken: like REFRESH_TOKEN_AUTH, with the client secret itself instead of a
/// SECRET_HASH, the device key as a member, and rotation when the client has it.
pub(crate) fn get_tokens(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    token: &str,
    client_secret: Option<&str>,
    device_key: Option<&str>,
    metadata: Option<&StringMap>,
) -> Result<AuthenticationResultType> {
    let device = device_key.filter(|d| !d.is_empty()).map(str::to_owned);
    let proof = Proof::ClientSecret(client_secret);
    renew(
        ctx,
        pool_id,
        client_id,
        Renewal {
            token,
            proof,
            device_given: device,
            metadata,
            rotate: true,
        },
    )
}

/// The hosted UI's `refresh_token` grant, for a client the token endpoint authenticated: new
/// tokens, and a new refresh token when the client rotates.
pub(crate) fn oauth_grant(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    token: &str,
) -> Result<AuthenticationResultType> {
    renew(
        ctx,
        pool_id,
        client_id,
        Renewal {
            token,
            proof: Proof::Authenticated,
            device_given: None,
            metadata: None,
            rotate: true,
        },
    )
}
