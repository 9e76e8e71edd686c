//! UpdateIdentityPool: the settings given replace the pool's (its roles stay; SetIdentityPoolRoles
//! sets those).

use cognito_protocol::wire::IdentityPool;

use crate::ctx::Ctx;
use crate::error::Result;
use crate::identity;

pub fn handle(ctx: &Ctx, req: IdentityPool) -> Result<IdentityPool> {
    super::create_identity_pool::check(&req.settings)?;
    ctx.store.with(|state| {
        identity::pool(state, &req.identity_pool_id)?;
        if let Some(pool) = state.identity.pools.get_mut(&req.identity_pool_id) {
            pool.settings = req.settings.clone();
        }
        Ok(req)
    })
}
