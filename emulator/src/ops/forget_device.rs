//! ForgetDevice: the signed-in user's device is forgotten; refresh tokens bound to it stop
//! working.

use cognito_protocol::wire::{Empty, ForgetDeviceRequest};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::{signin::devices, tokens};

pub fn handle(ctx: &Ctx, req: ForgetDeviceRequest) -> Result<Empty> {
    super::non_empty(&req.device_key, "deviceKey")?;
    let token = req
        .access_token
        .ok_or_else(|| CognitoError::not_authorized("Missing Authentication Token"))?;
    let access = tokens::verify_access_token(ctx, token.expose())?;
    ctx.store.with(|state| {
        let (pool_id, username) = access.authorize(state)?;
        let mut user = state.pool_mut(&pool_id)?.user_mut(&username)?;
        devices::forget(&mut user, &req.device_key)?;
        Ok(Empty {})
    })
}
