//! UpdateUserPool. As in Cognito, every mutable setting not given goes back to its default.

use cognito_protocol::wire::{Empty, UpdateUserPoolRequest};

use super::create_user_pool::settled;
use crate::ctx::Ctx;
use crate::error::Result;

pub fn handle(ctx: &Ctx, req: UpdateUserPoolRequest) -> Result<Empty> {
    if let Some(tags) = &req.settings.user_pool_tags {
        super::tag_resource::check_tags(tags)?;
    }
    let settings = settled(req.settings)?;
    let now = ctx.clock.now_epoch_f64();
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        pool.settings = settings;
        if let Some(name) = req.pool_name.filter(|n| !n.is_empty()) {
            pool.name = name;
        }
        pool.modified = now;
        Ok(Empty {})
    })
}
