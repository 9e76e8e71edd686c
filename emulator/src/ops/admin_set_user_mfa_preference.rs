//! AdminSetUserMFAPreference.

use cognito_protocol::wire::{AdminSetUserMfaPreferenceRequest, Empty};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::accounts::lifecycle;

pub fn handle(ctx: &Ctx, req: AdminSetUserMfaPreferenceRequest) -> Result<Empty> {
    ctx.store.with(|state| {
        let mut user = state.pool_mut(&req.user_pool_id)?.user_mut(&req.username)?;
        lifecycle::set_mfa_preference(&mut user, req.sms_mfa_settings, req.software_token_mfa_settings, req.email_mfa_settings)?;
        Ok(Empty {})
    })
}
