//! SetUserSettings: the legacy way for the signed-in user to turn SMS MFA on or off.

use cognito_protocol::wire::{Empty, SetUserSettingsRequest};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::{accounts::lifecycle, tokens};

pub fn handle(ctx: &Ctx, req: SetUserSettingsRequest) -> Result<Empty> {
    let access = tokens::verify_access_token(ctx, req.access_token.expose())?;
    ctx.store.with(|state| {
        let (pool_id, username) = access.authorize(state)?;
        let mut user = state.pool_mut(&pool_id)?.user_mut(&username)?;
        lifecycle::set_mfa_options(&mut user, &req.mfa_options)?;
        Ok(Empty {})
    })
}
