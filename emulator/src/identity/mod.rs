//! Cognito Identity (`AWSCognitoIdentityService.*`): identity pools that turn sign-ins into
//! temporary AWS credentials.
//!
//! - Logins from the emulator's own user pools (`cognito-idp.{region}.amazonaws.com/{poolId}`)
//!   are id tokens checked like the real service checks them: the signature (the emulator's
//!   key), `token_use = id`, the issuer, the audience (one of the identity pool's app clients for
//!   that user pool) and the expiry on the emulator clock; with `ServerSideTokenCheck` the token
//!   must not be revoked and the user must still exist and be enabled.
//! - Public providers (`graph.facebook.com`, `accounts.google.com`, …) cannot be reached from
//!   here, so their tokens are accepted by rule: a token registered with
//!   `POST /_emulator/identity/tokens` (`{"provider", "token", "subject"}`) stands for that
//!   subject; anything else is an invalid login.
//! - Credentials are STS-shaped (`ASIA…` access key, secret, session token, expiry an hour
//!   ahead on the emulator clock) and remembered, so the emulator can check SigV4 signatures
//!   made with them (`/_emulator/sigv4/…`, see [`crate::http::sigv4_check`]).

pub(crate) mod ops;

use std::collections::{BTreeMap, BTreeSet};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use cognito_protocol::wire::Sensitive;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::ids;
pub use crate::state::identity::{Identity, IdentityPoolRecord, IssuedCredentials};
use crate::state::records::State;

/// The identity pool, or `ResourceNotFoundException`.
pub fn pool<'s>(state: &'s State, id: &str) -> Result<&'s IdentityPoolRecord> {
    state
        .identity
        .pools
        .get(id)
        .ok_or_else(|| CognitoError::resource_not_found(format!("IdentityPool '{id}' not found.")))
}

fn invalid_login(why: &str) -> CognitoError {
    CognitoError::not_authorized(format!("Invalid login token. {why}"))
}

/// The provider name of the OpenID tokens this service issues (GetOpenIdToken and
/// GetOpenIdTokenForDeveloperIdentity), which GetCredentialsForIdentity takes as a login.
pub const OPENID_PROVIDER: &str = "cognito-identity.amazonaws.com";

/// Checks every login against the pool's providers and returns them as `provider|subject`.
pub fn check_logins(
    ctx: &Ctx,
    state: &State,
    pool: &IdentityPoolRecord,
    logins: &BTreeMap<String, String>,
) -> Result<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    for (provider, token) in logins {
        let subject = if let Some(user_pool_id) = user_pool_of(provider) {
            user_pool_subject(ctx, state, pool, provider, user_pool_id, token)?
        } else if provider == OPENID_PROVIDER {
            open_id_subject(ctx, pool, token)?
        } else if pool
            .settings
            .supported_login_providers
            .as_ref()
            .is_some_and(|p| p.contains_key(provider))
        {
            state
                .identity
                .external_tokens
                .get(&(provider.clone(), token.clone()))
                .cloned()
                .ok_or_else(|| {
                    invalid_login(&format!("The token is not accepted for {provider}."))
                })?
        } else {
            return Err(CognitoError::not_authorized(format!(
                "Invalid login token. Not a valid provider for this identity pool: {provider}"
            )));
        };
        out.insert(format!("{provider}|{subject}"));
    }
    Ok(out)
}

/// The identity an OpenID token of this service (for this pool, unexpired) was issued to.
fn open_id_subject(ctx: &Ctx, pool: &IdentityPoolRecord, token: &str) -> Result<String> {
    let claims = crate::tokens::verify_jwt(ctx, token)
        .ok_or_else(|| invalid_login("The signature does not verify."))?;
    let text = |k: &str| claims.get(k).and_then(Value::as_str).unwrap_or_default();
    if text("iss") != format!("https://{OPENID_PROVIDER}") || text("aud") != pool.id {
        return Err(invalid_login(
            "The token was not issued for this identity pool.",
        ));
    }
    if claims.get("exp").and_then(Value::as_i64).unwrap_or(0) <= ctx.now() {
        return Err(invalid_login("Token expired"));
    }
    Ok(text("sub").to_owned())
}

/// The user pool id of a `cognito-idp.{region}.amazonaws.com/{poolId}` provider name.
fn user_pool_of(provider: &str) -> Option<&str> {
    let (host, pool) = provider.split_once('/')?;
    (host.starts_with("cognito-idp.") && host.ends_with(".amazonaws.com")).then_some(pool)
}

fn user_pool_subject(
    ctx: &Ctx,
    state: &State,
    pool: &IdentityPoolRecord,
    provider: &str,
    user_pool_id: &str,
    token: &str,
) -> Result<String> {
    let configured: Vec<_> = pool
        .settings
        .cognito_identity_providers
        .iter()
        .flatten()
        .filter(|p| p.provider_name.as_deref() == Some(provider))
        .collect();
    if configured.is_empty() {
        return Err(CognitoError::not_authorized(format!(
            "Invalid login token. Not a valid provider for this identity pool: {provider}"
        )));
    }
    let claims = crate::tokens::verify_jwt(ctx, token)
        .ok_or_else(|| invalid_login("The signature does not verify."))?;
    let text = |k: &str| claims.get(k).and_then(Value::as_str).unwrap_or_default();
    if text("token_use") != "id" {
        return Err(invalid_login("Not an id token."));
    }
    if text("iss") != ctx.issuer(user_pool_id) {
        return Err(invalid_login("Issuer doesn't match providerName"));
    }
    let aud = text("aud");
    if !configured
        .iter()
        .any(|p| p.client_id.as_deref().is_none_or(|c| c == aud))
    {
        return Err(invalid_login(
            "Audience doesn't match the identity pool's client.",
        ));
    }
    if claims.get("exp").and_then(Value::as_i64).unwrap_or(0) <= ctx.now() {
        return Err(invalid_login("Token expired"));
    }
    let sub = text("sub").to_owned();
    if configured
        .iter()
        .any(|p| p.server_side_token_check == Some(true))
    {
        let origin = text("origin_jti");
        if state.revoked_origins.contains_key(origin) {
            return Err(invalid_login("Token has been revoked."));
        }
        let user = state
            .pool(user_pool_id)
            .ok()
            .and_then(|p| p.user_by_sub(&sub))
            .ok_or_else(|| invalid_login("The user no longer exists."))?;
        if !user.enabled {
            return Err(invalid_login("The user is disabled."));
        }
    }
    Ok(sub)
}

fn alphanumeric_upper(n: usize) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    ids::bytes::<32>()
        .iter()
        .take(n)
        .map(|b| char::from(A[usize::from(*b) % A.len()]))
        .collect()
}

/// Issues an hour of STS-shaped credentials for an identity and role.
pub fn issue(
    ctx: &Ctx,
    state: &mut State,
    identity_id: &str,
    role_arn: &str,
) -> cognito_protocol::wire::IdentityCredentials {
    let now = ctx.now();
    let identity = &mut state.identity;
    identity
        .credential_expiry
        .drop_expired(&mut identity.credentials, now);
    let access_key_id = format!("ASIA{}", alphanumeric_upper(16));
    let secret = B64.encode(ids::bytes::<30>());
    let session_token = B64.encode([b"IQoJb3JpZ2luX2VjE".as_slice(), &ids::bytes::<96>()].concat());
    let expires_at = now + 3600;
    identity.credential_expiry.insert(
        &mut identity.credentials,
        access_key_id.clone(),
        IssuedCredentials {
            secret: secret.clone(),
            session_token: session_token.clone(),
            expires_at,
            identity_id: identity_id.to_owned(),
            role_arn: role_arn.to_owned(),
        },
        expires_at + 3600,
    );
    cognito_protocol::wire::IdentityCredentials {
        access_key_id: Some(access_key_id),
        secret_key: Some(Sensitive(secret)),
        session_token: Some(Sensitive(session_token)),
        expiration: Some(expires_at as f64),
    }
}

/// An OpenID token for an identity, as GetOpenIdToken returns it (ten minutes).
pub fn open_id_token(
    ctx: &Ctx,
    pool_id: &str,
    identity_id: &str,
    providers: &[String],
) -> Result<String> {
    open_id_token_for(ctx, pool_id, identity_id, providers, 600, None)
}

/// An OpenID token for an identity valid for `seconds`, with principal tags when given
/// (GetOpenIdTokenForDeveloperIdentity).
pub fn open_id_token_for(
    ctx: &Ctx,
    pool_id: &str,
    identity_id: &str,
    providers: &[String],
    seconds: i64,
    principal_tags: Option<&BTreeMap<String, String>>,
) -> Result<String> {
    let now = ctx.now();
    let amr: Vec<String> = if providers.is_empty() {
        vec!["unauthenticated".into()]
    } else {
        std::iter::once("authenticated".to_owned())
            .chain(providers.iter().cloned())
            .collect()
    };
    let mut claims = json!({
        "sub": identity_id,
        "aud": pool_id,
        "amr": amr,
        "iss": format!("https://{OPENID_PROVIDER}"),
        "https://cognito-identity.amazonaws.com/identity-pool-id": pool_id,
        "https://cognito-identity.amazonaws.com/login.provider": providers.first(),
        "exp": now + seconds,
        "iat": now,
    });
    if let Some(tags) = principal_tags.filter(|t| !t.is_empty()) {
        let tags: BTreeMap<&String, [&String; 1]> = tags.iter().map(|(k, v)| (k, [v])).collect();
        claims["https://aws.amazon.com/tags"] = json!({ "principal_tags": tags });
    }
    ctx.key
        .sign(&claims)
        .map_err(|e| CognitoError::internal(format!("token signing failed: {e}")))
}

/// Links `logins` (`provider|subject`) to an identity of `pool_id`, creating the identity
/// when it does not exist yet.
pub fn link(
    ids: &mut crate::state::identity::IdentityState,
    pool_id: &str,
    identity_id: &str,
    logins: &BTreeSet<String>,
    now: f64,
) {
    if !ids.identities.contains_key(identity_id) {
        let fresh = Identity {
            pool_id: pool_id.to_owned(),
            logins: Default::default(),
            created: now,
            modified: now,
        };
        ids.identities.insert(identity_id.to_owned(), fresh);
    }
    if let Some(entry) = ids.identities.get_mut(identity_id) {
        for k in logins {
            if entry.logins.insert(k.clone()) {
                entry.modified = now;
            }
        }
    }
    for k in logins {
        ids.by_login
            .insert((pool_id.to_owned(), k.clone()), identity_id.to_owned());
    }
}

/// A new `{region}:{uuid}` id.
pub fn new_id(region: &str) -> String {
    format!("{region}:{}", ids::uuid())
}

/// The identity's pool and linked logins, or `ResourceNotFoundException`.
pub fn find(state: &State, identity_id: &str) -> Result<(String, BTreeSet<String>)> {
    state
        .identity
        .identities
        .get(identity_id)
        .map(|i| (i.pool_id.clone(), i.logins.clone()))
        .ok_or_else(|| {
            CognitoError::resource_not_found(format!("Identity '{identity_id}' not found."))
        })
}

/// Whether an identity may act with these logins: `authenticated` when they are valid and at
/// least one is linked to it, `unauthenticated` when none are given, the identity has none
/// linked and the pool allows it.
pub fn authorize(
    ctx: &Ctx,
    state: &State,
    pool: &IdentityPoolRecord,
    identity_id: &str,
    linked: &BTreeSet<String>,
    logins: &BTreeMap<String, String>,
) -> Result<&'static str> {
    if logins.is_empty() {
        if !linked.is_empty() || !pool.settings.allow_unauthenticated_identities {
            return Err(CognitoError::not_authorized(
                "Unauthenticated access is not supported for this identity pool.",
            ));
        }
        return Ok("unauthenticated");
    }
    let given = check_logins(ctx, state, pool, logins)?;
    // An OpenID token of this service stands for the identity it was issued to.
    let own_token = format!("{OPENID_PROVIDER}|{identity_id}");
    if given.is_disjoint(linked) && !given.contains(&own_token) {
        return Err(CognitoError::not_authorized(
            "Logins don't match. Please include at least one valid login for this identity or identity pool.",
        ));
    }
    Ok("authenticated")
}
