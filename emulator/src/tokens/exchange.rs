//! Token exchange (GetDerivedToken, RFC 8693): a token this pool issued (the subject) traded
//! for a new one for the requesting app client, narrowed to the scopes and audience asked for.
//! With an actor token the new token says who acts for the subject (`act`: the actor's `sub`
//! and client): delegation, which the client must allow with
//! `ALLOW_TOKEN_EXCHANGE_DELEGATION`; without one it stands for the subject alone:
//! impersonation (`ALLOW_TOKEN_EXCHANGE_IMPERSONATION`).
//!
//! Subject and actor tokens are checked like any token of the pool: signature, `token_use`,
//! issuer, expiry, revocation of their sign-in, and a user who still exists and is enabled.
//! The new token keeps the subject's sign-in (`origin_jti`, `auth_time`), so revoking that
//! sign-in revokes it too. SAML assertions cannot be checked offline and are refused.

use serde_json::{json, Map, Value};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::ids;
use crate::state::records::AppClient;

/// A checked subject or actor token's claims.
pub type Claims = Map<String, Value>;

/// Checks a token of `pool_id` of the given type (`ACCESS_TOKEN` or `ID_TOKEN`).
pub fn check(ctx: &Ctx, pool_id: &str, token: &str, kind: &str, what: &str) -> Result<Claims> {
    let invalid = || CognitoError::not_authorized(format!("Invalid {what} token."));
    let use_ = match kind {
        "ACCESS_TOKEN" => "access",
        "ID_TOKEN" => "id",
        _ => {
            return Err(CognitoError::invalid_parameter(format!(
                "The {what} token type {kind} cannot be verified here: the emulator has no SAML identity provider."
            )))
        }
    };
    let claims = super::verify_jwt(ctx, token).ok_or_else(invalid)?;
    let text = |k: &str| claims.get(k).and_then(Value::as_str);
    if text("token_use") != Some(use_) || text("iss") != Some(ctx.issuer(pool_id).as_str()) {
        return Err(invalid());
    }
    if claims
        .get("exp")
        .and_then(Value::as_i64)
        .is_none_or(|exp| exp <= ctx.now())
    {
        return Err(CognitoError::not_authorized(format!(
            "The {what} token has expired."
        )));
    }
    ctx.store.with(|state| {
        if text("origin_jti").is_some_and(|o| state.revoked_origins.contains_key(o)) {
            return Err(CognitoError::not_authorized(format!(
                "The {what} token has been revoked."
            )));
        }
        // A machine token's subject is its client; a user's must still be there and enabled.
        let sub = text("sub").ok_or_else(invalid)?;
        let pool = state.pool(pool_id)?;
        if !pool.clients.contains_key(sub) {
            let user = pool
                .user_by_sub(sub)
                .ok_or_else(|| CognitoError::user_not_found("User does not exist."))?;
            if !user.enabled {
                return Err(CognitoError::not_authorized("User is disabled."));
            }
        }
        Ok(())
    })?;
    Ok(claims)
}

/// What to issue.
#[derive(Debug)]
pub struct Derive<'a> {
    /// The pool.
    pub pool_id: &'a str,
    /// The requesting client.
    pub client: &'a AppClient,
    /// The subject token's claims.
    pub subject: &'a Claims,
    /// The actor token's claims (delegation).
    pub actor: Option<&'a Claims>,
    /// `ACCESS_TOKEN` or `ID_TOKEN`.
    pub requested: &'a str,
    /// Scopes asked for (access tokens).
    pub scopes: Option<Vec<String>>,
    /// The audience or resource asked for.
    pub audience: Option<String>,
}

/// The new token, its lifetime and the scopes it carries.
pub fn derive(ctx: &Ctx, d: Derive<'_>) -> Result<(String, i64, Vec<String>)> {
    let now = ctx.now();
    let (access_secs, id_secs, _) = super::validities(&d.client.settings);
    let copy = |claims: &mut Claims, names: &[&str]| {
        for name in names {
            if let Some(v) = d.subject.get(*name) {
                claims.insert((*name).to_owned(), v.clone());
            }
        }
    };
    let mut claims = Claims::new();
    copy(
        &mut claims,
        &[
            "sub",
            "username",
            "cognito:username",
            "cognito:groups",
            "auth_time",
            "origin_jti",
        ],
    );
    claims.insert("iss".into(), json!(ctx.issuer(d.pool_id)));
    claims.insert("iat".into(), json!(now));
    claims.insert("jti".into(), json!(ids::uuid()));
    let (secs, scopes) = if d.requested == "ID_TOKEN" {
        copy(
            &mut claims,
            &[
                "email",
                "email_verified",
                "phone_number",
                "phone_number_verified",
                "name",
            ],
        );
        claims.insert("token_use".into(), json!("id"));
        claims.insert(
            "aud".into(),
            json!(d.audience.clone().unwrap_or_else(|| d.client.id.clone())),
        );
        (id_secs, Vec::new())
    } else {
        let allowed = d
            .client
            .settings
            .allowed_oauth_scopes
            .clone()
            .unwrap_or_default();
        let subject_scopes: Vec<String> = d
            .subject
            .get("scope")
            .and_then(Value::as_str)
            .map(|s| s.split_whitespace().map(str::to_owned).collect())
            .unwrap_or_default();
        let scopes = match d.scopes {
            Some(asked) => {
                if let Some(bad) = asked.iter().find(|s| !allowed.contains(s)) {
                    return Err(CognitoError::invalid_parameter(format!(
                        "The client is not allowed the scope {bad}."
                    )));
                }
                asked
            }
            None => subject_scopes
                .into_iter()
                .filter(|s| allowed.contains(s))
                .collect(),
        };
        claims.insert("token_use".into(), json!("access"));
        claims.insert("client_id".into(), json!(d.client.id));
        claims.insert("scope".into(), json!(scopes.join(" ")));
        if let Some(aud) = &d.audience {
            claims.insert("aud".into(), json!(aud));
        }
        (access_secs, scopes)
    };
    claims.insert("exp".into(), json!(now + secs));
    if let Some(actor) = d.actor {
        let mut act = Claims::new();
        for name in ["sub", "client_id"] {
            if let Some(v) = actor.get(name) {
                act.insert(name.to_owned(), v.clone());
            }
        }
        claims.insert("act".into(), Value::Object(act));
    }
    let keys = super::pool_keys(ctx, d.pool_id)?;
    let key = if d.requested == "ID_TOKEN" {
        &keys.id
    } else {
        &keys.access
    };
    let token = key
        .sign(&Value::Object(claims))
        .map_err(|e| CognitoError::internal(format!("token signing failed: {e}")))?;
    Ok((token, secs, scopes))
}
