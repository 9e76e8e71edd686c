//! VerifySoftwareToken: a code from the authenticator proves the associated secret. Through
//! MFA_SETUP (by session) it also enables and prefers software-token MFA; by access token the
//! user enables it with SetUserMFAPreference.

use cognito_protocol::wire::{ErrorKind, Sensitive, VerifySoftwareTokenRequest, VerifySoftwareTokenResponse};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::{signin, tokens, accounts::totp};

pub fn handle(ctx: &Ctx, req: VerifySoftwareTokenRequest) -> Result<VerifySoftwareTokenResponse> {
    let now = ctx.now();
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
        let mut user = state.pool_mut(&pool_id)?.user_mut(&username)?;
        let secret = user.mfa.pending_totp.clone().ok_or_else(|| CognitoError {
            kind: ErrorKind::SoftwareTokenMfaNotFound,
            message: "Software Token MFA has not been associated: call AssociateSoftwareToken first.".into(),
        })?;
        if !totp::verify(&secret, &req.user_code, now) {
            return Err(CognitoError { kind: ErrorKind::EnableSoftwareTokenMfa, message: "Code mismatch".into() });
        }
        user.mfa.totp_secret = Some(secret);
        user.mfa.pending_totp = None;
        if session.is_some() {
            user.mfa.totp_enabled = true;
            user.mfa.preferred = Some("SOFTWARE_TOKEN_MFA".into());
        }
        Ok(VerifySoftwareTokenResponse { status: Some("SUCCESS".into()), session: session.map(Sensitive) })
    })
}
