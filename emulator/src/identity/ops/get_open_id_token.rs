//! GetOpenIdToken: an OpenID token (RS256, the emulator's key) for an identity.

use cognito_protocol::wire::{GetOpenIdTokenResponse, IdentityLoginsRequest, Sensitive};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::identity;

pub fn handle(ctx: &Ctx, req: IdentityLoginsRequest) -> Result<GetOpenIdTokenResponse> {
    let logins = req.logins.map(cognito_protocol::wire::Sensitive::into_inner).unwrap_or_default();
    ctx.store.with(|state| {
        let (pool_id, linked) = identity::find(state, &req.identity_id)?;
        let pool = identity::pool(state, &pool_id)?.clone();
        identity::authorize(ctx, state, &pool, &req.identity_id, &linked, &logins)?;
        let providers: Vec<String> = logins.keys().cloned().collect();
        let token = identity::open_id_token(ctx, &pool_id, &req.identity_id, &providers)?;
        Ok(GetOpenIdTokenResponse {
            identity_id: Some(req.identity_id),
            token: Some(Sensitive(token)),
        })
    })
}
