//! UntagResource: removes tags from a user pool named by its ARN (see `tag_resource`).

use cognito_protocol::wire::{Empty, UntagResourceRequest};

use crate::ctx::Ctx;
use crate::error::Result;

pub fn handle(ctx: &Ctx, req: UntagResourceRequest) -> Result<Empty> {
    ctx.store.with(|state| {
        let id = super::tag_resource::pool_of_arn(state, &req.resource_arn)?;
        let pool = state.pool_mut(&id)?;
        if let Some(tags) = pool.settings.user_pool_tags.as_mut() {
            for key in &req.tag_keys {
                tags.remove(key);
            }
        }
        Ok(Empty {})
    })
}
