//! AdminSetUserMFAPreference.

use cognito_protocol::wire::{AdminSetUserMfaPreferenceRequest, Empty};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::signin::webauthn;
use crate::accounts::lifecycle;

pub fn handle(ctx: &Ctx, req: AdminSetUserMfaPreferenceRequest) -> Result<Empty> {
    ctx.store.with(|state| {
        let allows = webauthn::pool_allows_passkey_mfa(state.pool(&req.user_pool_id)?);
        let mut user = state.pool_mut(&req.user_pool_id)?.user_mut(&req.username)?;
        let settings = lifecycle::MfaPreference {
            sms: req.sms_mfa_settings,
            totp: req.software_token_mfa_settings,
            email: req.email_mfa_settings,
            passkey: req.web_authn_mfa_settings,
        };
        lifecycle::set_mfa_preference(&mut user, settings, allows)?;
        Ok(Empty {})
    })
}
