//! Machine-to-machine access tokens: what the token endpoint's client_credentials grant and
//! GetClientToken issue to an app client (no user): `sub` and `client_id` are the client, and
//! `scope` the resource-server scopes asked for (all the client may have when none are asked
//! for), each of which the client must be allowed and a resource server of the pool must
//! define.

use serde_json::json;

use crate::ctx::Ctx;
use crate::ids;
use crate::state::records::AppClient;

/// Why no token was issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A scope the client may not have, or that no resource server defines, or none at all.
    InvalidScope,
    /// The token could not be signed.
    Signing,
}

/// An access token for `client` with `requested` scopes (or every scope it may have): the
/// token and its lifetime in seconds.
pub fn access_token(
    ctx: &Ctx,
    pool_id: &str,
    client: &AppClient,
    requested: Option<Vec<String>>,
) -> Result<(String, i64), Refusal> {
    let allowed: Vec<String> = client
        .settings
        .allowed_oauth_scopes
        .clone()
        .unwrap_or_default()
        .into_iter()
        .filter(|s| s.contains('/'))
        .collect();
    let scope = requested.unwrap_or_else(|| allowed.clone());
    let known = ctx.store.with(|state| {
        state.pool(pool_id).map(|pool| {
            scope.iter().all(|s| {
                allowed.contains(s)
                    && s.rsplit_once('/').is_some_and(|(server, name)| {
                        pool.resource_servers.get(server).is_some_and(|r| {
                            r.scopes.iter().flatten().any(|x| x.scope_name == name)
                        })
                    })
            })
        })
    });
    if scope.is_empty() || known != Ok(true) {
        return Err(Refusal::InvalidScope);
    }
    let now = ctx.now();
    let (access_secs, _, _) = super::validities(&client.settings);
    let claims = json!({
        "sub": client.id,
        "token_use": "access",
        "scope": scope.join(" "),
        "auth_time": now,
        "iss": ctx.issuer(pool_id),
        "exp": now + access_secs,
        "iat": now,
        "version": 2,
        "jti": ids::uuid(),
        "client_id": client.id,
    });
    let keys = super::pool_keys(ctx, pool_id).map_err(|_| Refusal::Signing)?;
    let token = keys.access.sign(&claims).map_err(|_| Refusal::Signing)?;
    Ok((token, access_secs))
}
