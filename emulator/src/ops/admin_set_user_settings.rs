//! AdminSetUserSettings: the legacy administrative switch for a user's SMS MFA.

use cognito_protocol::wire::{AdminSetUserSettingsRequest, Empty};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::accounts::lifecycle;

pub fn handle(ctx: &Ctx, req: AdminSetUserSettingsRequest) -> Result<Empty> {
    ctx.store.with(|state| {
        let mut user = state.pool_mut(&req.user_pool_id)?.user_mut(&req.username)?;
        lifecycle::set_mfa_options(&mut user, &req.mfa_options)?;
        Ok(Empty {})
    })
}
