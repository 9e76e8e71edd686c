//! AdminRespondToAuthChallenge: as RespondToAuthChallenge, for a client of the named pool.

use cognito_protocol::wire::{AdminRespondToAuthChallengeRequest, AuthResponse};

use crate::signin;
use crate::ctx::Ctx;
use crate::error::Result;

pub fn handle(ctx: &Ctx, req: AdminRespondToAuthChallengeRequest) -> Result<AuthResponse> {
    ctx.store.with(|state| state.client_in(&req.user_pool_id, &req.client_id).map(|_| ()))?;
    let responses = req.challenge_responses.map(cognito_protocol::wire::Sensitive::into_inner).unwrap_or_default();
    let session = req.session.as_ref().map(|s| s.expose().as_str());
    signin::respond(ctx, &req.user_pool_id, &req.client_id, &req.challenge_name, session, &responses, req.client_metadata.as_ref())
}
