//! RevokeToken: revokes a refresh token and the access tokens issued with it, for the app
//! client that owns it only. An unknown or already revoked token is a no-op, as in Cognito.

use cognito_protocol::wire::{Empty, RevokeTokenRequest};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::tokens;

pub fn handle(ctx: &Ctx, req: RevokeTokenRequest) -> Result<Empty> {
    super::non_empty(&req.client_id, "clientId")?;
    let token = req.token.expose();
    ctx.store.with(|state| {
        let pool_id = state.pool_of_client(&req.client_id).map_err(|_| CognitoError::unauthorized("Invalid client."))?;
        let (_, client) = state.client_in(&pool_id, &req.client_id)?;
        if client.secret.is_some() {
            let given = req.client_secret.as_ref().map(|s| s.expose().as_str()).unwrap_or("");
            if !client.secret_matches(given) {
                return Err(CognitoError::unauthorized("Client secret is missing or incorrect."));
            }
        }
        if client.settings.enable_token_revocation == Some(false) {
            return Err(CognitoError::unsupported_operation("Token revocation is not enabled for this client."));
        }
        if tokens::verify_jwt(ctx, token).is_some() {
            return Err(CognitoError::unsupported_token_type("Only refresh tokens can be revoked."));
        }
        let Some(record) = state.refresh_tokens.get(token).cloned() else {
            return Ok(Empty {});
        };
        if record.client_id != req.client_id {
            return Err(CognitoError::unauthorized("The token was not issued to this client."));
        }
        tokens::revoke_origin(state, &record.origin_jti);
        Ok(Empty {})
    })
}
