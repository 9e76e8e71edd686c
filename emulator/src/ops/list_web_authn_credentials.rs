//! ListWebAuthnCredentials: the signed-in user's passkeys, by registration order.

use cognito_protocol::wire::Sensitive;
use serde::Deserialize;
use serde_json::{json, Value};

use super::paginate;
use crate::ctx::Ctx;
use crate::error::Result;
use crate::tokens;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    access_token: Sensitive<String>,
    next_token: Option<String>,
    max_results: Option<i64>,
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    let access = tokens::verify_access_token(ctx, req.access_token.expose())?;
    let limit = req.max_results.and_then(|n| usize::try_from(n).ok()).unwrap_or(20);
    ctx.store.with(|state| {
        let (pool_id, username) = access.authorize(state)?;
        let user = state.pool(&pool_id)?.user(&username)?;
        let all: Vec<(String, Value)> = user
            .webauthn
            .iter()
            .enumerate()
            .map(|(i, c)| {
                // Cognito names a passkey after its provider (from the authenticator's AAGUID);
                // the emulator has no provider metadata, so it names the kind of authenticator.
                let friendly = match c.attachment.as_deref() {
                    Some("cross-platform") => "Security key",
                    Some("platform") => "Platform passkey",
                    _ => "Passkey",
                };
                let mut v = json!({
                    "CredentialId": c.id,
                    "FriendlyCredentialName": friendly,
                    "RelyingPartyId": c.relying_party_id,
                    "AuthenticatorTransports": c.transports,
                    "CreatedAt": c.created,
                });
                if let Some(a) = &c.attachment {
                    v["AuthenticatorAttachment"] = json!(a);
                }
                (format!("{i:04}"), v)
            })
            .collect();
        let (page, next) = paginate(&all, req.next_token.as_deref(), limit)?;
        let mut out = json!({ "Credentials": page });
        if let Some(next) = next {
            out["NextToken"] = json!(next);
        }
        Ok(out)
    })
}
