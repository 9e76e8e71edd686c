//! DeleteWebAuthnCredential: removes one of the signed-in user's passkeys; it signs nobody in
//! afterwards.

use cognito_protocol::wire::Sensitive;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::tokens;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    access_token: Sensitive<String>,
    credential_id: String,
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    let access = tokens::verify_access_token(ctx, req.access_token.expose())?;
    ctx.store.with(|state| {
        let (pool_id, username) = access.authorize(state)?;
        let mut user = state.pool_mut(&pool_id)?.user_mut(&username)?;
        let before = user.webauthn.len();
        user.webauthn.retain(|c| c.id != req.credential_id);
        if user.webauthn.len() == before {
            return Err(CognitoError::resource_not_found("Credential does not exist."));
        }
        Ok(json!({}))
    })
}
