//! GetSigningCertificate: the pool's SAML signing certificate (see
//! `tokens::saml_certificate`), the same on every call.

use cognito_protocol::wire::UserPoolIdRequest;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::tokens::saml_certificate;

pub fn handle(ctx: &Ctx, req: UserPoolIdRequest) -> Result<Value> {
    let existing = ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?;
        Ok::<_, crate::error::CognitoError>(pool.stored.saml_certificate.clone())
    })?;
    if let Some(certificate) = existing {
        return Ok(json!({ "Certificate": certificate }));
    }
    let now = u64::try_from(ctx.now()).unwrap_or(0);
    let made = saml_certificate::make(&req.user_pool_id, now)?;
    ctx.store.with(|state| {
        let pool = state.pool_mut(&req.user_pool_id)?;
        // A concurrent first call may have stored one already: every caller gets that one.
        let certificate = pool.stored.saml_certificate.get_or_insert(made).clone();
        Ok(json!({ "Certificate": certificate }))
    })
}
