//! AdminInitiateAuth: as InitiateAuth, plus ADMIN_USER_PASSWORD_AUTH, for a client of the
//! named pool.

use cognito_protocol::wire::{AdminInitiateAuthRequest, AuthResponse};

use crate::signin::{self, Caller};
use crate::ctx::Ctx;
use crate::error::Result;

pub fn handle(ctx: &Ctx, req: AdminInitiateAuthRequest) -> Result<AuthResponse> {
    ctx.store.with(|state| state.client_in(&req.user_pool_id, &req.client_id).map(|_| ()))?;
    let params = req.auth_parameters.map(cognito_protocol::wire::Sensitive::into_inner).unwrap_or_default();
    signin::initiate(ctx, Caller::Admin, &req.user_pool_id, &req.client_id, &req.auth_flow, &params, req.client_metadata.as_ref())
}
