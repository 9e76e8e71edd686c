//! InitiateAuth: USER_SRP_AUTH, USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH for an app client.

use cognito_protocol::wire::{AuthResponse, InitiateAuthRequest};

use crate::signin::{self, Caller};
use crate::ctx::Ctx;
use crate::error::Result;

pub fn handle(ctx: &Ctx, req: InitiateAuthRequest) -> Result<AuthResponse> {
    super::non_empty(&req.client_id, "clientId")?;
    let pool_id = ctx.store.with(|state| state.pool_of_client(&req.client_id))?;
    let params = req.auth_parameters.map(cognito_protocol::wire::Sensitive::into_inner).unwrap_or_default();
    signin::initiate(ctx, Caller::App, &pool_id, &req.client_id, &req.auth_flow, &params, req.client_metadata.as_ref())
}
