//! GetDevice: one of the signed-in user's devices.

use cognito_protocol::wire::{GetDeviceRequest, GetDeviceResponse};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::{signin::devices, tokens};

pub fn handle(ctx: &Ctx, req: GetDeviceRequest) -> Result<GetDeviceResponse> {
    super::non_empty(&req.device_key, "deviceKey")?;
    let token = req
        .access_token
        .ok_or_else(|| CognitoError::not_authorized("Missing Authentication Token"))?;
    let access = tokens::verify_access_token(ctx, token.expose())?;
    ctx.store.with(|state| {
        let (pool_id, username) = access.authorize(state)?;
        let user = state.pool(&pool_id)?.user(&username)?;
        Ok(GetDeviceResponse {
            device: Some(devices::get(user, &req.device_key)?),
        })
    })
}
