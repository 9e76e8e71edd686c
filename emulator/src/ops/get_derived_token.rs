//! GetDerivedToken: OAuth 2.0 token exchange (see `tokens::exchange`): a token of this pool
//! traded for a narrower one for the requesting client, with `act` naming the actor when an
//! actor token is given.

use serde::Deserialize;
use serde_json::{json, Value};

use cognito_protocol::wire::Sensitive;

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::tokens::exchange;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    client_id: String,
    client_secret: Option<Sensitive<String>>,
    subject_token: Sensitive<String>,
    subject_token_type: String,
    actor_token: Option<Sensitive<String>>,
    actor_token_type: Option<String>,
    scopes: Option<Vec<String>>,
    audiences: Option<Vec<String>>,
    resources: Option<Vec<String>>,
    requested_token_type: Option<String>,
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    let (pool_id, client) = super::client_by_id(ctx, &req.client_id)?;
    if client.secret.is_some() {
        let given = req.client_secret.as_ref().map(|s| s.expose().as_str()).unwrap_or_default();
        if !client.secret_matches(given) {
            return Err(CognitoError::not_authorized(format!(
                "Unable to verify secret for client {}",
                client.id
            )));
        }
    }
    let flow = if req.actor_token.is_some() {
        "ALLOW_TOKEN_EXCHANGE_DELEGATION"
    } else {
        "ALLOW_TOKEN_EXCHANGE_IMPERSONATION"
    };
    if !client.settings.explicit_auth_flows.iter().flatten().any(|f| f == flow) {
        return Err(CognitoError::operation_not_enabled(format!(
            "Token exchange needs {flow} on the app client."
        )));
    }
    let subject = exchange::check(
        ctx,
        &pool_id,
        req.subject_token.expose(),
        &req.subject_token_type,
        "subject",
    )?;
    let actor = match &req.actor_token {
        Some(token) => {
            let kind = req.actor_token_type.as_deref().unwrap_or("ACCESS_TOKEN");
            Some(exchange::check(ctx, &pool_id, token.expose(), kind, "actor")?)
        }
        None => None,
    };
    let requested = req.requested_token_type.as_deref().unwrap_or("ACCESS_TOKEN");
    let audience = req
        .audiences
        .and_then(|a| a.into_iter().next())
        .or_else(|| req.resources.and_then(|r| r.into_iter().next()));
    let (token, expires_in, scopes) = exchange::derive(
        ctx,
        exchange::Derive {
            pool_id: &pool_id,
            client: &client,
            subject: &subject,
            actor: actor.as_ref(),
            requested,
            scopes: req.scopes,
            audience,
        },
    )?;
    let mut out = json!({
        "IssuedToken": token,
        "IssuedTokenType": requested,
        "TokenType": if requested == "ACCESS_TOKEN" { "Bearer" } else { "N_A" },
        "ExpiresIn": expires_in,
    });
    if requested == "ACCESS_TOKEN" {
        out["Scopes"] = json!(scopes);
    }
    Ok(out)
}
