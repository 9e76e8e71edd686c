//! GetId: the identity for a set of logins (the same one every time, linking new logins to
//! it), or a new unauthenticated identity when the pool allows them.

use cognito_protocol::wire::{GetIdRequest, GetIdResponse};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::identity::{self, new_id};

pub fn handle(ctx: &Ctx, req: GetIdRequest) -> Result<GetIdResponse> {
    let logins = req.logins.map(cognito_protocol::wire::Sensitive::into_inner).unwrap_or_default();
    ctx.store.with(|state| {
        let pool = identity::pool(state, &req.identity_pool_id)?.clone();
        let keys = identity::check_logins(ctx, state, &pool, &logins)?;
        if keys.is_empty() && !pool.settings.allow_unauthenticated_identities {
            return Err(CognitoError::not_authorized(
                "Unauthenticated access is not supported for this identity pool.",
            ));
        }
        let ids = &mut state.identity;
        let found = keys
            .iter()
            .find_map(|k| ids.by_login.get(&(pool.id.clone(), k.clone())).cloned());
        let region = pool.id.split(':').next().unwrap_or("us-east-1").to_owned();
        let identity_id = found.unwrap_or_else(|| new_id(&region));
        identity::link(ids, &pool.id, &identity_id, &keys, ctx.clock.now_epoch_f64());
        Ok(GetIdResponse { identity_id })
    })
}
