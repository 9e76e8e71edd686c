//! ConfirmDevice: the signed-in user's device, issued in `NewDeviceMetadata`, gets its SRP salt
//! and verifier (and is remembered unless the pool asks the user first).

use cognito_protocol::wire::{ConfirmDeviceRequest, ConfirmDeviceResponse};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::{signin::devices, tokens};

pub fn handle(ctx: &Ctx, req: ConfirmDeviceRequest) -> Result<ConfirmDeviceResponse> {
    super::non_empty(&req.device_key, "deviceKey")?;
    let access = tokens::verify_access_token(ctx, req.access_token.expose())?;
    ctx.store.with(|state| {
        let (pool_id, username) = access.authorize(state)?;
        let config = req.device_secret_verifier_config.as_ref();
        let prompt = devices::confirm(
            ctx,
            state.pool_mut(&pool_id)?,
            &username,
            &req.device_key,
            config.and_then(|c| c.salt.as_deref()),
            config.and_then(|c| c.password_verifier.as_deref()),
            req.device_name.as_deref(),
        )?;
        Ok(ConfirmDeviceResponse {
            user_confirmation_necessary: Some(prompt),
        })
    })
}
