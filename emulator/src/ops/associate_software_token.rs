//! AssociateSoftwareToken: a new TOTP secret for the signed-in user (by access token) or for a
//! user answering MFA_SETUP (by session, which is replaced by a new one).

use cognito_protocol::wire::{AssociateSoftwareTokenRequest, AssociateSoftwareTokenResponse, Sensitive};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::{signin, ids, tokens, accounts::totp};

pub fn handle(ctx: &Ctx, req: AssociateSoftwareTokenRequest) -> Result<AssociateSoftwareTokenResponse> {
    ctx.store.with(|state| {
        let (pool_id, username, session) = match (&req.access_token, &req.session) {
            (Some(token), _) => {
                let (p, u) = tokens::authorize_access_token(ctx, state, token.expose())?;
                (p, u, None)
            }
            (None, Some(session)) => {
                let (p, u, next) = signin::mfa_setup_session(ctx, state, session.expose())?;
                (p, u, Some(next))
            }
            (None, None) => return Err(CognitoError::invalid_parameter("AccessToken or Session is required.")),
        };
        let secret = ids::bytes::<20>().to_vec();
        let code = totp::encode_secret(&secret);
        state.pool_mut(&pool_id)?.user_mut(&username)?.mfa.pending_totp = Some(secret);
        Ok(AssociateSoftwareTokenResponse { secret_code: Some(Sensitive(code)), session: session.map(Sensitive) })
    })
}
