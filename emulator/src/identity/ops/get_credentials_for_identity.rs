//! GetCredentialsForIdentity: an hour of credentials for the pool's authenticated role (with
//! logins that belong to the identity) or its unauthenticated role.

use cognito_protocol::wire::{GetCredentialsForIdentityResponse, IdentityLoginsRequest};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::identity;

pub fn handle(
    ctx: &Ctx,
    req: IdentityLoginsRequest,
) -> Result<GetCredentialsForIdentityResponse> {
    let logins = req.logins.map(cognito_protocol::wire::Sensitive::into_inner).unwrap_or_default();
    ctx.store.with(|state| {
        let (pool_id, linked) = identity::find(state, &req.identity_id)?;
        let pool = identity::pool(state, &pool_id)?.clone();
        let kind = identity::authorize(ctx, state, &pool, &req.identity_id, &linked, &logins)?;
        let role = req
            .custom_role_arn
            .clone()
            .or_else(|| pool.roles.get(kind).cloned())
            .ok_or_else(|| {
                CognitoError::invalid_identity_pool_configuration(
                    "Invalid identity pool configuration. Check assigned IAM roles for this pool.",
                )
            })?;
        let credentials = identity::issue(ctx, state, &req.identity_id, &role);
        Ok(GetCredentialsForIdentityResponse {
            identity_id: Some(req.identity_id.clone()),
            credentials: Some(credentials),
        })
    })
}
