//! DeleteIdentityPool: the pool, its identities and the credentials issued to them go.

use cognito_protocol::wire::{Empty, IdentityPoolIdRequest};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::identity;

pub fn handle(ctx: &Ctx, req: IdentityPoolIdRequest) -> Result<Empty> {
    ctx.store.with(|state| {
        identity::pool(state, &req.identity_pool_id)?;
        let id = req.identity_pool_id;
        let ids = &mut state.identity;
        ids.pools.remove(&id);
        let gone: Vec<String> = ids
            .identities
            .iter()
            .filter(|(_, i)| i.pool_id == id)
            .map(|(k, _)| k.clone())
            .collect();
        for identity_id in &gone {
            ids.identities.remove(identity_id);
        }
        ids.by_login.retain(|(pool, _), _| *pool != id);
        ids.credentials
            .retain(|_, c| !gone.contains(&c.identity_id));
        Ok(Empty {})
    })
}
