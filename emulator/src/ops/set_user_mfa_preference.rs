//! SetUserMFAPreference: the signed-in user enables, disables and prefers factors.

use cognito_protocol::wire::{Empty, SetUserMfaPreferenceRequest};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::{accounts::lifecycle, tokens};

pub fn handle(ctx: &Ctx, req: SetUserMfaPreferenceRequest) -> Result<Empty> {
    let access = tokens::verify_access_token(ctx, req.access_token.expose())?;
    ctx.store.with(|state| {
        let (pool_id, username) = access.authorize(state)?;
        let mut user = state.pool_mut(&pool_id)?.user_mut(&username)?;
        lifecycle::set_mfa_preference(&mut user, req.sms_mfa_settings, req.software_token_mfa_settings, req.email_mfa_settings)?;
        Ok(Empty {})
    })
}
