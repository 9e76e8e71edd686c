//! RespondToAuthChallenge: PASSWORD_VERIFIER and NEW_PASSWORD_REQUIRED.

use cognito_protocol::wire::{AuthResponse, RespondToAuthChallengeRequest};

use crate::signin;
use crate::ctx::Ctx;
use crate::error::Result;

pub fn handle(ctx: &Ctx, req: RespondToAuthChallengeRequest) -> Result<AuthResponse> {
    super::non_empty(&req.client_id, "clientId")?;
    let pool_id = ctx.store.with(|state| state.pool_of_client(&req.client_id))?;
    let responses = req.challenge_responses.map(cognito_protocol::wire::Sensitive::into_inner).unwrap_or_default();
    let session = req.session.as_ref().map(|s| s.expose().as_str());
    signin::respond(ctx, &pool_id, &req.client_id, &req.challenge_name, session, &responses, req.client_metadata.as_ref())
}
