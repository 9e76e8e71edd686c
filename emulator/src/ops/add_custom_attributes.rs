//! AddCustomAttributes: the pool's schema grows by 1–25 `custom:` attributes, usable at once in
//! SignUp, AdminCreateUser and attribute updates, and in tokens. Attributes cannot be removed or
//! changed afterwards, as in Cognito; a pool has at most 50 custom attributes.

use cognito_protocol::wire::{AddCustomAttributesRequest, Empty};

use crate::accounts::attributes;
use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};

pub fn handle(ctx: &Ctx, req: AddCustomAttributesRequest) -> Result<Empty> {
    let n = req.custom_attributes.len();
    if !(1..=25).contains(&n) {
        return Err(CognitoError::invalid_parameter(format!(
            "1 validation error detected: Value at 'customAttributes' failed to satisfy constraint: Member must have length between 1 and 25 (given {n})"
        )));
    }
    let now = ctx.clock.now_epoch_f64();
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        // All or nothing: check every attribute against the schema with the earlier ones added.
        let mut schema = pool.schema.clone();
        for attr in &req.custom_attributes {
            let added = attributes::custom_attribute(attr, &schema)?;
            schema.push(added);
        }
        pool.schema = schema;
        pool.modified = now;
        Ok(Empty {})
    })
}
