//! SetUserMFAPreference: the signed-in user enables, disables and prefers factors.

use cognito_protocol::wire::{Empty, SetUserMfaPreferenceRequest};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::signin::webauthn;
use crate::{accounts::lifecycle, tokens};

pub fn handle(ctx: &Ctx, req: SetUserMfaPreferenceRequest) -> Result<Empty> {
    let access = tokens::verify_access_token(ctx, req.access_token.expose())?;
    ctx.store.with(|state| {
        let (pool_id, username) = access.authorize(state)?;
        let allows = webauthn::pool_allows_passkey_mfa(state.pool(&pool_id)?);
        let mut user = state.pool_mut(&pool_id)?.user_mut(&username)?;
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
