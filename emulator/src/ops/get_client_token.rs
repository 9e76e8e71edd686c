//! GetClientToken: a machine-to-machine access token for an app client that proves its secret
//! (any active one), as the token endpoint's client_credentials grant issues it (see
//! `tokens::machine`). The client must be set up for it: a secret and the client_credentials
//! OAuth flow. (The API reference names an `ALLOW_CLIENT_TOKEN_AUTH` auth flow, which the
//! current service model's `ExplicitAuthFlowsType` does not list, so no client could be given
//! it; the client_credentials set-up stands in.)

use serde::Deserialize;
use serde_json::{json, Value};

use cognito_protocol::wire::Sensitive;

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::tokens::machine;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Input {
    client_id: String,
    secret: Sensitive<String>,
    scopes: Option<Vec<String>>,
}

pub fn handle(ctx: &Ctx, req: Input) -> Result<Value> {
    let (pool_id, client) = super::client_by_id(ctx, &req.client_id)?;
    if client.secret.is_none() || !client.secret_matches(req.secret.expose()) {
        return Err(CognitoError::not_authorized(format!(
            "Unable to verify secret for client {}",
            client.id
        )));
    }
    let m2m = client.settings.allowed_oauth_flows_user_pool_client == Some(true)
        && client
            .settings
            .allowed_oauth_flows
            .iter()
            .flatten()
            .any(|f| f == "client_credentials");
    if !m2m {
        return Err(CognitoError::operation_not_enabled(
            "The client is not set up for machine-to-machine tokens (a secret and the client_credentials OAuth flow).",
        ));
    }
    match machine::access_token(ctx, &pool_id, &client, req.scopes) {
        Ok((token, expires_in)) => Ok(json!({
            "ClientAuthenticationResult": {
                "AccessToken": token,
                "ExpiresIn": expires_in,
                "TokenType": "Bearer",
            }
        })),
        Err(machine::Refusal::InvalidScope) => Err(CognitoError::invalid_parameter(
            "Invalid scope: each must be allowed to the client and defined by a resource server of the pool.",
        )),
        Err(machine::Refusal::Signing) => Err(CognitoError::internal("The token could not be signed.")),
    }
}
