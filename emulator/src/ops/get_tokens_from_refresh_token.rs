//! GetTokensFromRefreshToken: new tokens from a refresh token, and with refresh token rotation
//! a new refresh token too (the rules are in `signin::refresh`).

use cognito_protocol::wire::{GetTokensFromRefreshTokenRequest, GetTokensFromRefreshTokenResponse};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::signin;

pub fn handle(
    ctx: &Ctx,
    req: GetTokensFromRefreshTokenRequest,
) -> Result<GetTokensFromRefreshTokenResponse> {
    crate::ops::non_empty(&req.client_id, "clientId")?;
    crate::ops::non_empty(req.refresh_token.expose(), "refreshToken")?;
    let pool_id = ctx.store.with(|state| state.pool_of_client(&req.client_id))?;
    let result = signin::refresh::get_tokens(
        ctx,
        &pool_id,
        &req.client_id,
        req.refresh_token.expose(),
        req.client_secret.as_ref().map(|s| s.expose().as_str()),
        req.device_key.as_deref(),
        req.client_metadata.as_ref(),
    )?;
    Ok(GetTokensFromRefreshTokenResponse {
        authentication_result: Some(result),
    })
}
