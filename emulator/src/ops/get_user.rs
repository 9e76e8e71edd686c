//! GetUser: the signed-in user's attributes, for a valid access token.

use cognito_protocol::wire::{AccessTokenRequest, GetUserResponse};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::{tokens, ops::views};

pub fn handle(ctx: &Ctx, req: AccessTokenRequest) -> Result<GetUserResponse> {
    let access = tokens::verify_access_token(ctx, req.access_token.expose())?;
    ctx.store.with(|state| {
        let (pool_id, username) = access.authorize(state)?;
        let user = state.pool(&pool_id)?.user(&username)?;
        Ok(GetUserResponse {
            username: user.username.clone(),
            user_attributes: views::attributes(user, None),
            mfa_options: crate::accounts::lifecycle::mfa_options(user),
            preferred_mfa_setting: user.mfa.preferred.clone(),
            user_mfa_setting_list: Some(user.mfa.enabled().iter().map(|m| (*m).to_owned()).collect::<Vec<_>>()).filter(|l| !l.is_empty()),
        })
    })
}
