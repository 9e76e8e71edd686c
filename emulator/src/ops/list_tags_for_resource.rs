//! ListTagsForResource: a user pool's tags, by its ARN (see `tag_resource`).

use cognito_protocol::wire::{ListTagsForResourceRequest, ListTagsForResourceResponse};

use crate::ctx::Ctx;
use crate::error::Result;

pub fn handle(ctx: &Ctx, req: ListTagsForResourceRequest) -> Result<ListTagsForResourceResponse> {
    ctx.store.with(|state| {
        let id = super::tag_resource::pool_of_arn(state, &req.resource_arn)?;
        let pool = state.pool(&id)?;
        Ok(ListTagsForResourceResponse {
            tags: Some(pool.settings.user_pool_tags.clone().unwrap_or_default()),
        })
    })
}
