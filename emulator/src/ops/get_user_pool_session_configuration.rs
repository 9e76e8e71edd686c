//! GetUserPoolSessionConfiguration: session tracking and the per-user limit (DISABLED and 20
//! until SetUserPoolSessionConfiguration is called).

use cognito_protocol::wire::UserPoolIdRequest;
use serde_json::Value;

use crate::ctx::Ctx;
use crate::error::Result;

pub fn handle(ctx: &Ctx, req: UserPoolIdRequest) -> Result<Value> {
    ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?;
        Ok(super::set_user_pool_session_configuration::render(
            &pool.id,
            pool.stored.session_tracking.unwrap_or_default(),
        ))
    })
}
