//! Issuing and checking tokens.
//!
//! Id and access tokens are RS256 JWTs with Cognito's claims, valid for the app client's
//! configured time on the emulator clock. Refresh tokens are opaque strings shaped like
//! Cognito's (five base64url parts), bound to pool, client and user `sub`, and recorded so they
//! can expire, be revoked, and stop working when the user is deleted or disabled. Every token
//! of one sign-in shares an `origin_jti`; revoking it revokes the access tokens issued from it.

pub mod exchange;
pub mod keys;
pub mod machine;
pub mod ring;
pub mod saml_certificate;
pub mod sessions;

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine as _;
use cognito_protocol::wire::{AuthenticationResultType, UserPoolClientSettings};
use serde_json::{json, Map, Value};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::ids;
use crate::state::records::MAX_ACCESS_SECONDS;
use crate::state::records::{RefreshRecord, State, User};
use crate::state::store::user_does_not_exist;

/// The keys a pool signs with (see [`ring`]), made now if it has none. Call without holding
/// the state lock.
pub fn pool_keys(ctx: &Ctx, pool_id: &str) -> Result<std::sync::Arc<ring::PoolKeys>> {
    if ctx.keys.pinned() {
        return Ok(ring::KeyRing::pinned_keys(ctx.key.get().clone()));
    }
    if let Some(keys) = ctx.keys.get(pool_id) {
        return Ok(keys);
    }
    let stored = ctx
        .store
        .with(|state| state.pool(pool_id).map(|p| p.signing_keys.clone()))?;
    if stored.is_none() {
        let made = ring::KeyRing::make();
        // Whoever stores first wins; every caller then loads what was stored.
        ctx.store.with(|state| {
            state.pool_mut(pool_id)?.signing_keys.get_or_insert(made);
            Ok::<_, CognitoError>(())
        })?;
    }
    ctx.store.with(|state| ctx.keys.load(state));
    ctx.keys
        .get(pool_id)
        .ok_or_else(|| CognitoError::internal("the pool's signing keys could not be loaded"))
}

/// Checks a JWT's signature with whichever of this emulator's keys its `kid` names, and
/// returns its claims (time, audience and revocation are the caller's to judge).
pub fn verify_jwt(ctx: &Ctx, token: &str) -> Option<Map<String, Value>> {
    let kid = keys::SigningKey::kid_of(token)?;
    let own = ctx.key.get();
    if own.kid() == kid {
        return own.verify(token);
    }
    ctx.keys.by_kid(&kid)?.verify(token)
}

/// Seconds in a validity unit.
pub fn unit_seconds(unit: &str) -> Option<i64> {
    match unit {
        "seconds" => Some(1),
        "minutes" => Some(60),
        "hours" => Some(3600),
        "days" => Some(86_400),
        _ => None,
    }
}

/// (access, id, refresh) validity in seconds for a client.
pub fn validities(settings: &UserPoolClientSettings) -> (i64, i64, i64) {
    let units = settings.token_validity_units.clone().unwrap_or_default();
    let secs =
        |value: Option<i64>, unit: Option<String>, default_value: i64, default_unit: &str| {
            let unit = unit.unwrap_or_else(|| default_unit.to_owned());
            value.unwrap_or(default_value) * unit_seconds(&unit).unwrap_or(1)
        };
    (
        secs(
            settings.access_token_validity,
            units.access_token,
            60,
            "minutes",
        ),
        secs(settings.id_token_validity, units.id_token, 60, "minutes"),
        secs(
            settings.refresh_token_validity,
            units.refresh_token,
            30,
            "days",
        ),
    )
}

/// Which sign-in the tokens continue.
#[derive(Debug, Clone)]
pub struct Origin {
    /// Shared by every token of the sign-in.
    pub origin_jti: String,
    /// When the user signed in.
    pub auth_time: i64,
    /// The token session the sign-in opened, if the pool tracked it.
    pub session_id: Option<String>,
}

impl Origin {
    /// A new sign-in now.
    pub fn fresh(now: i64) -> Self {
        Self {
            origin_jti: ids::uuid(),
            auth_time: now,
            session_id: None,
        }
    }
}

fn refresh_token_string() -> String {
    let header = B64URL.encode(br#"{"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}"#);
    let parts: Vec<String> = [
        ids::bytes::<256>().to_vec(),
        ids::bytes::<12>().to_vec(),
        ids::bytes::<384>().to_vec(),
        ids::bytes::<16>().to_vec(),
    ]
    .iter()
    .map(|b| B64URL.encode(b))
    .collect();
    format!("{header}.{}", parts.join("."))
}

/// What to issue tokens for.
#[derive(Debug, Clone, Copy)]
pub struct Issue<'a> {
    /// The pool.
    pub pool_id: &'a str,
    /// The app client.
    pub client_id: &'a str,
    /// The user.
    pub user: &'a User,
    /// The sign-in the tokens continue.
    pub origin: &'a Origin,
    /// Whether to issue a refresh token too.
    pub with_refresh: bool,
    /// PreTokenGeneration's `claimsOverrideDetails`.
    pub overrides: Option<&'a Value>,
    /// The device the sign-in came from (the access token's `device_key`).
    pub device_key: Option<&'a str>,
    /// OAuth scopes granted (the access token's `scope`); the API's default otherwise.
    pub scope: Option<&'a str>,
    /// The OpenID `nonce` of a hosted-UI sign-in (the id token's `nonce`).
    pub nonce: Option<&'a str>,
}

/// Tokens decided but not yet signed: the claims of the id and access tokens and the refresh
/// token (already stored). [`prepare`] makes one under the state lock; [`Unsigned::sign`]
/// signs outside it, so RSA signing does not hold up other requests.
#[derive(Debug)]
#[must_use = "tokens are only issued once signed"]
pub struct Unsigned {
    pool_id: String,
    id_claims: Value,
    access_claims: Value,
    refresh_token: Option<String>,
    expires_in: i64,
}

impl Unsigned {
    /// Signs both tokens with the pool's keys, together.
    pub fn sign(self, ctx: &Ctx) -> Result<AuthenticationResultType> {
        let (access, id) = pool_keys(ctx, &self.pool_id)?
            .sign_tokens(&self.access_claims, &self.id_claims)
            .map_err(|e| CognitoError::internal(format!("token signing failed: {e}")))?;
        Ok(AuthenticationResultType {
            access_token: Some(access),
            expires_in: Some(self.expires_in),
            token_type: Some("Bearer".into()),
            refresh_token: self.refresh_token,
            id_token: Some(id),
            new_device_metadata: None,
        })
    }
}

/// Decides the id and access tokens (and stores a refresh token when `with_refresh`) for a
/// user; sign the result with [`Unsigned::sign`] once the state lock is released.
pub fn prepare(ctx: &Ctx, state: &mut State, req: Issue<'_>) -> Result<Unsigned> {
    let Issue {
        pool_id,
        client_id,
        user,
        origin,
        with_refresh,
        overrides,
        device_key,
        scope,
        nonce,
    } = req;
    let (_, client) = state.client_in(pool_id, client_id)?;
    let (access_secs, id_secs, refresh_secs) = validities(&client.settings);
    let now = ctx.now();
    let iss = ctx.issuer(pool_id);

    let mut id_claims = Map::new();
    id_claims.insert("sub".into(), json!(user.sub));
    for (name, value) in &user.attributes {
        if name == "sub" {
            continue;
        }
        let v = match name.as_str() {
            "email_verified" | "phone_number_verified" => json!(value == "true"),
            "updated_at" => value
                .parse::<i64>()
                .map(Value::from)
                .unwrap_or_else(|_| json!(value)),
            // Federated users: the linked providers, as a JSON array.
            "identities" => serde_json::from_str(value).unwrap_or_else(|_| json!(value)),
            _ => json!(value),
        };
        id_claims.insert(name.clone(), v);
    }
    let groups = ordered_groups(state, pool_id, user);
    let group_override = overrides.and_then(|o| o.get("groupOverrideDetails"));
    let group_names: Vec<String> = match group_override
        .and_then(|g| g.get("groupsToOverride"))
        .and_then(Value::as_array)
    {
        Some(list) => list
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        None => groups.iter().map(|g| g.name.clone()).collect(),
    };
    let roles: Vec<String> = match group_override
        .and_then(|g| g.get("iamRolesToOverride"))
        .and_then(Value::as_array)
    {
        Some(list) => list
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        None => groups.iter().filter_map(|g| g.role_arn.clone()).collect(),
    };
    let preferred = group_override
        .and_then(|g| g.get("preferredRole"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| roles.first().cloned());
    if !group_names.is_empty() {
        id_claims.insert("cognito:groups".into(), json!(group_names));
    }
    if !roles.is_empty() {
        id_claims.insert("cognito:roles".into(), json!(roles));
    }
    if let Some(p) = preferred {
        id_claims.insert("cognito:preferred_role".into(), json!(p));
    }
    id_claims.insert("iss".into(), json!(iss));
    id_claims.insert("cognito:username".into(), json!(user.username));
    id_claims.insert("origin_jti".into(), json!(origin.origin_jti));
    id_claims.insert("aud".into(), json!(client_id));
    id_claims.insert("event_id".into(), json!(ids::uuid()));
    id_claims.insert("token_use".into(), json!("id"));
    id_claims.insert("auth_time".into(), json!(origin.auth_time));
    id_claims.insert("exp".into(), json!(now + id_secs));
    id_claims.insert("iat".into(), json!(now));
    id_claims.insert("jti".into(), json!(ids::uuid()));

    let mut access_claims = json!({
        "sub": user.sub,
        "iss": iss,
        "client_id": client_id,
        "origin_jti": origin.origin_jti,
        "event_id": ids::uuid(),
        "token_use": "access",
        "scope": scope.unwrap_or("aws.cognito.signin.user.admin"),
        "auth_time": origin.auth_time,
        "exp": now + access_secs,
        "iat": now,
        "jti": ids::uuid(),
        "username": user.username,
    });

    if !group_names.is_empty() {
        access_claims["cognito:groups"] = json!(group_names);
    }
    if let Some(key) = device_key {
        access_claims["device_key"] = json!(key);
    }
    if let Some(n) = nonce {
        id_claims.insert("nonce".into(), json!(n));
    }
    // PreTokenGeneration may add, override or suppress id-token claims, but not these.
    const RESERVED: &[&str] = &[
        "acr",
        "amr",
        "aud",
        "auth_time",
        "azp",
        "exp",
        "iat",
        "identities",
        "iss",
        "sub",
        "token_use",
        "nonce",
        "at_hash",
        "cognito:username",
        "origin_jti",
        "event_id",
        "jti",
    ];
    if let Some(add) = overrides
        .and_then(|o| o.get("claimsToAddOrOverride"))
        .and_then(Value::as_object)
    {
        for (k, v) in add {
            if !RESERVED.contains(&k.as_str()) {
                id_claims.insert(k.clone(), v.clone());
            }
        }
    }
    if let Some(suppress) = overrides
        .and_then(|o| o.get("claimsToSuppress"))
        .and_then(Value::as_array)
    {
        for k in suppress.iter().filter_map(Value::as_str) {
            if !RESERVED.contains(&k) {
                id_claims.remove(k);
            }
        }
    }

    let session_id = if with_refresh {
        sessions::for_issue(state, pool_id, &user.sub, origin, now)
    } else {
        None
    };
    let refresh_token = with_refresh.then(|| {
        let token = refresh_token_string();
        state.forget_expired(now);
        state.note_refresh_expiry(&token, now + refresh_secs);
        state.refresh_tokens.insert(
            token.clone(),
            RefreshRecord {
                pool_id: pool_id.to_owned(),
                client_id: client_id.to_owned(),
                sub: user.sub.clone(),
                origin_jti: origin.origin_jti.clone(),
                auth_time: origin.auth_time,
                expires_at: now + refresh_secs,
                revoked: false,
                device_key: device_key.map(str::to_owned),
                scope: scope.map(str::to_owned),
                rotated_at: None,
                session_id,
                issued_at: Some(now),
                last_used: None,
            },
        );
        token
    });

    Ok(Unsigned {
        pool_id: pool_id.to_owned(),
        id_claims: Value::Object(id_claims),
        access_claims,
        refresh_token,
        expires_in: access_secs,
    })
}

/// PreTokenGeneration's `groupConfiguration` for a user.
pub fn group_configuration(state: &State, pool_id: &str, user: &User) -> Value {
    let groups = ordered_groups(state, pool_id, user);
    let roles: Vec<&str> = groups
        .iter()
        .filter_map(|g| g.role_arn.as_deref())
        .collect();
    json!({
        "groupsToOverride": groups.iter().map(|g| g.name.as_str()).collect::<Vec<_>>(),
        "iamRolesToOverride": roles,
        "preferredRole": roles.first(),
    })
}

/// The user's groups, lowest precedence first (groups without one last), then by name.
fn ordered_groups(state: &State, pool_id: &str, user: &User) -> Vec<crate::state::records::Group> {
    let Ok(pool) = state.pool(pool_id) else {
        return Vec::new();
    };
    let mut groups: Vec<crate::state::records::Group> = user
        .groups
        .iter()
        .filter_map(|g| pool.groups.get(g).cloned())
        .collect();
    groups.sort_by(|a, b| {
        (a.precedence.unwrap_or(i64::MAX), &a.name)
            .cmp(&(b.precedence.unwrap_or(i64::MAX), &b.name))
    });
    groups
}

/// An access token whose signature, use, issuer and expiry are checked: all that needs no
/// state, so it is done before the state lock is taken. [`VerifiedAccess::authorize`] checks the
/// rest (revocation, the user) under the lock.
#[derive(Debug)]
pub struct VerifiedAccess {
    pool_id: String,
    sub: String,
    origin_jti: Option<String>,
    client_id: Option<String>,
}

/// Checks an access token's signature, `token_use`, issuer and expiry, answering the
/// `NotAuthorizedException` Cognito answers for an invalid or expired token.
pub fn verify_access_token(ctx: &Ctx, token: &str) -> Result<VerifiedAccess> {
    let invalid = || CognitoError::not_authorized("Invalid Access Token");
    let claims = verify_jwt(ctx, token).ok_or_else(invalid)?;
    let text = |k: &str| claims.get(k).and_then(Value::as_str).map(str::to_owned);
    if text("token_use").as_deref() != Some("access") {
        return Err(invalid());
    }
    let iss = text("iss").ok_or_else(invalid)?;
    let pool_id = iss.rsplit('/').next().unwrap_or_default().to_owned();
    if ctx.issuer(&pool_id) != iss {
        return Err(invalid());
    }
    let exp = claims
        .get("exp")
        .and_then(Value::as_i64)
        .ok_or_else(invalid)?;
    if exp <= ctx.now() {
        return Err(CognitoError::not_authorized("Access Token has expired"));
    }
    Ok(VerifiedAccess {
        pool_id,
        sub: text("sub").ok_or_else(invalid)?,
        origin_jti: text("origin_jti"),
        client_id: text("client_id"),
    })
}

impl VerifiedAccess {
    /// The app client the token was issued to.
    pub fn client_id(&self) -> Option<&str> {
        self.client_id.as_deref()
    }

    /// The sign-in the token was issued from (`origin_jti`).
    pub fn origin(&self) -> Option<&str> {
        self.origin_jti.as_deref()
    }

    /// The pool id and canonical username behind the token, or the `NotAuthorizedException`
    /// Cognito answers (revoked, user disabled) or `UserNotFoundException` (user deleted).
    pub fn authorize(&self, state: &State) -> Result<(String, String)> {
        if self
            .origin_jti
            .as_ref()
            .is_some_and(|o| state.revoked_origins.contains_key(o))
        {
            return Err(CognitoError::not_authorized(
                "Access Token has been revoked",
            ));
        }
        let pool = state
            .pool(&self.pool_id)
            .map_err(|_| CognitoError::not_authorized("Invalid Access Token"))?;
        let user = pool
            .user_by_sub(&self.sub)
            .ok_or_else(user_does_not_exist)?;
        if !user.enabled {
            return Err(CognitoError::not_authorized("User is disabled."));
        }
        Ok((self.pool_id.clone(), user.username.clone()))
    }
}

/// Both checks at once, for callers already holding the state lock (see
/// [`verify_access_token`] to do the signature check before taking it).
pub fn authorize_access_token(ctx: &Ctx, state: &State, token: &str) -> Result<(String, String)> {
    verify_access_token(ctx, token)?.authorize(state)
}

/// Revokes every refresh token of one sign-in and the access tokens issued from it.
///
/// One pass over the refresh tokens; only the records it changes are marked for durable mode.
pub fn revoke_origin(state: &mut State, origin_jti: &str) {
    let mut last_expiry = None;
    let keys: Vec<String> = state
        .refresh_tokens
        .iter()
        .filter(|(_, r)| r.origin_jti == origin_jti)
        .inspect(|(_, r)| last_expiry = last_expiry.max(Some(r.expires_at)))
        .filter(|(_, r)| !r.revoked)
        .map(|(k, _)| k.clone())
        .collect();
    revoke_keys(state, &keys);
    mark_revoked(state, origin_jti, last_expiry);
}

fn mark_revoked(state: &mut State, origin_jti: &str, last_refresh_expiry: Option<i64>) {
    state.revoked_origins.insert(origin_jti.to_owned(), ());
    if let Some(expiry) = last_refresh_expiry {
        state
            .revoked_expiry
            .note(origin_jti.to_owned(), expiry + MAX_ACCESS_SECONDS);
    }
}

/// Revokes every token of a user (global sign-out).
///
/// One pass over the refresh tokens however many sign-ins the user has: a user who signed in
/// forty thousand times in a load test used to hold the state lock for minutes here.
pub fn revoke_user(state: &mut State, pool_id: &str, sub: &str) {
    let mut origins: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
    let keys: Vec<String> = state
        .refresh_tokens
        .iter()
        .filter(|(_, r)| r.pool_id == pool_id && r.sub == sub)
        .inspect(|(_, r)| {
            let last = origins.entry(r.origin_jti.clone()).or_insert(r.expires_at);
            *last = (*last).max(r.expires_at);
        })
        .filter(|(_, r)| !r.revoked)
        .map(|(k, _)| k.clone())
        .collect();
    revoke_keys(state, &keys);
    for (origin, last_expiry) in origins {
        mark_revoked(state, &origin, Some(last_expiry));
    }
}

fn revoke_keys(state: &mut State, keys: &[String]) {
    for key in keys {
        if let Some(record) = state.refresh_tokens.get_mut(key) {
            record.revoked = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(pool_id: &str, sub: &str, origin_jti: &str) -> RefreshRecord {
        RefreshRecord {
            pool_id: pool_id.into(),
            client_id: "client".into(),
            sub: sub.into(),
            origin_jti: origin_jti.into(),
            auth_time: 0,
            expires_at: 1,
            revoked: false,
            device_key: None,
            scope: None,
            rotated_at: None,
            session_id: None,
            issued_at: None,
            last_used: None,
        }
    }

    /// Alice has three sign-ins in pool p1; bob one; a user with alice's `sub` in another pool one.
    fn state() -> State {
        let mut state = State::default();
        for (token, pool, sub, origin) in [
            ("t-a1", "p1", "alice", "o-a1"),
            ("t-a2", "p1", "alice", "o-a2"),
            ("t-a3", "p1", "alice", "o-a3"),
            ("t-b1", "p1", "bob", "o-b1"),
            ("t-x1", "p2", "alice", "o-x1"),
        ] {
            state
                .refresh_tokens
                .insert(token.into(), record(pool, sub, origin));
        }
        state.refresh_tokens.take_dirty();
        state
    }

    fn revoked(state: &State) -> Vec<&str> {
        state
            .refresh_tokens
            .iter()
            .filter(|(_, r)| r.revoked)
            .map(|(k, _)| k.as_str())
            .collect()
    }

    #[test]
    fn global_sign_out_revokes_the_users_sign_ins_and_touches_only_them() {
        let mut state = state();
        revoke_user(&mut state, "p1", "alice");
        assert_eq!(revoked(&state), ["t-a1", "t-a2", "t-a3"]);
        let origins: Vec<&str> = state.revoked_origins.keys().map(String::as_str).collect();
        assert_eq!(origins, ["o-a1", "o-a2", "o-a3"]);
        // Durable mode writes only what changed, not every refresh token of every user.
        let dirty: Vec<String> = state.refresh_tokens.take_dirty().into_iter().collect();
        assert_eq!(dirty, ["t-a1", "t-a2", "t-a3"]);
    }

    #[test]
    fn revoking_one_sign_in_leaves_the_others() {
        let mut state = state();
        revoke_origin(&mut state, "o-a2");
        assert_eq!(revoked(&state), ["t-a2"]);
        assert!(state.revoked_origins.contains_key("o-a2"));
        let dirty: Vec<String> = state.refresh_tokens.take_dirty().into_iter().collect();
        assert_eq!(dirty, ["t-a2"]);
        // A later global sign-out still ends the rest, and a second one changes nothing.
        revoke_user(&mut state, "p1", "alice");
        assert_eq!(revoked(&state), ["t-a1", "t-a2", "t-a3"]);
        state.refresh_tokens.take_dirty();
        revoke_user(&mut state, "p1", "alice");
        assert!(!state.refresh_tokens.is_dirty());
    }

    #[test]
    fn expired_refresh_tokens_and_old_revocation_marks_are_forgotten() {
        let mut state = state();
        for (token, expires_at) in [("t-a1", 100), ("t-a2", 5_000), ("t-b1", 100)] {
            if let Some(r) = state.refresh_tokens.get_mut(token) {
                r.expires_at = expires_at;
            }
            state.note_refresh_expiry(token, expires_at);
        }
        revoke_origin(&mut state, "o-b1");
        // Expired, but within a day: still known, so refused as expired rather than unknown.
        state.forget_expired(100 + MAX_ACCESS_SECONDS - 1);
        assert!(state.refresh_tokens.contains_key("t-a1"));
        assert!(state.revoked_origins.contains_key("o-b1"));
        state.forget_expired(100 + MAX_ACCESS_SECONDS);
        assert!(!state.refresh_tokens.contains_key("t-a1"));
        assert!(!state.refresh_tokens.contains_key("t-b1"));
        assert!(!state.revoked_origins.contains_key("o-b1"));
        assert!(state.refresh_tokens.contains_key("t-a2"));
        // Tokens never noted (none here) and unexpired ones stay.
        assert!(state.refresh_tokens.contains_key("t-a3"));
    }
}
