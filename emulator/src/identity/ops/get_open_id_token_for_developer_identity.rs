//! GetOpenIdTokenForDeveloperIdentity: your backend vouches for a user of its own (the pool's
//! developer provider, `Logins[DeveloperProviderName]` = the developer user identifier) and
//! gets the user's identity and an OpenID token for it, which GetCredentialsForIdentity takes as
//! the `cognito-identity.amazonaws.com` login. The developer user is linked to the identity
//! (the given one, the one it or another given login is already linked to, or a new one); other
//! logins given are checked and linked too. `TokenDuration` is 1 second to 24 hours (15
//! minutes by default); `PrincipalTags` go into the token.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{json, Value};

use cognito_protocol::wire::Sensitive;

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::identity::{self, new_id};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    identity_pool_id: String,
    identity_id: Option<String>,
    logins: Sensitive<BTreeMap<String, String>>,
    principal_tags: Option<BTreeMap<String, String>>,
    token_duration: Option<i64>,
}

/// The developer provider name of the identity pool `pool_id` (which must exist), or the
/// error for a pool without one or a name that is not it.
pub(crate) fn developer_provider_of(
    state: &crate::state::records::State,
    pool_id: &str,
    given: Option<&str>,
) -> Result<String> {
    developer_provider(identity::pool(state, pool_id)?, given)
}

/// The pool's developer provider name, or the error for a pool without one or a name that is
/// not it.
pub(crate) fn developer_provider(pool: &identity::IdentityPoolRecord, given: Option<&str>) -> Result<String> {
    let name = pool.settings.developer_provider_name.clone().ok_or_else(|| {
        CognitoError::invalid_parameter("The identity pool has no developer provider (DeveloperProviderName).")
    })?;
    if given.is_some_and(|g| g != name) {
        return Err(CognitoError::invalid_parameter(format!(
            "The identity pool's developer provider is {name}."
        )));
    }
    Ok(name)
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    let mut logins = req.logins.into_inner();
    let seconds = req.token_duration.unwrap_or(900);
    if !(1..=86_400).contains(&seconds) {
        return Err(CognitoError::invalid_parameter("TokenDuration must be 1 to 86400 seconds."));
    }
    let now = ctx.clock.now_epoch_f64();
    ctx.store.with(|state| {
        let pool = identity::pool(state, &req.identity_pool_id)?.clone();
        let provider = developer_provider(&pool, None)?;
        let developer_user = logins.remove(&provider).ok_or_else(|| {
            CognitoError::invalid_parameter(format!("Logins must include the developer provider {provider}."))
        })?;
        let mut keys = identity::check_logins(ctx, state, &pool, &logins)?;
        let developer_key = format!("{provider}|{developer_user}");
        keys.insert(developer_key.clone());
        let ids = &mut state.identity;
        let linked_to = |k: &String| ids.by_login.get(&(pool.id.clone(), k.clone())).cloned();
        let developer_identity = linked_to(&developer_key);
        if let (Some(given), Some(existing)) = (&req.identity_id, &developer_identity) {
            if given != existing {
                return Err(CognitoError::developer_user_already_registered(
                    "The developer user is already registered with another identity.",
                ));
            }
        }
        let identity_id = match (&req.identity_id, developer_identity) {
            (Some(given), _) => {
                match ids.identities.get(given) {
                    Some(i) if i.pool_id == pool.id => {}
                    _ => {
                        return Err(CognitoError::resource_not_found(format!("Identity '{given}' not found.")))
                    }
                }
                given.clone()
            }
            (None, Some(existing)) => existing,
            (None, None) => keys
                .iter()
                .find_map(linked_to)
                .unwrap_or_else(|| new_id(pool.id.split(':').next().unwrap_or("us-east-1"))),
        };
        if let Some(other) = keys.iter().find_map(|k| linked_to(k).filter(|i| *i != identity_id)) {
            return Err(CognitoError::resource_conflict(format!(
                "A login given is already linked to identity {other}."
            )));
        }
        identity::link(ids, &pool.id, &identity_id, &keys, now);
        let providers = vec![provider];
        let token = identity::open_id_token_for(
            ctx,
            &pool.id,
            &identity_id,
            &providers,
            seconds,
            req.principal_tags.as_ref(),
        )?;
        Ok(json!({ "IdentityId": identity_id, "Token": token }))
    })
}
