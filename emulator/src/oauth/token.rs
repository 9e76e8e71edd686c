//! `/oauth2/token`: authorization_code (PKCE S256 or plain), refresh_token and
//! client_credentials, with the client authenticated by HTTP Basic or form fields when it has
//! a secret.

use std::collections::HashMap;

use axum::extract::{Form, Path, State as AxumState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine as _;
use serde_json::json;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::{client_auth, oauth_error, pool_of};
use crate::ctx::Ctx;
use crate::state::records::AppClient;
use crate::tokens;

pub async fn handle(
    AxumState(ctx): AxumState<Ctx>,
    Path(domain): Path<String>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let Some(pool_id) = pool_of(&ctx, &domain) else {
        return oauth_error(StatusCode::NOT_FOUND, "invalid_request");
    };
    let client = match ctx
        .store
        .with(|state| client_auth(state, &pool_id, &headers, &form))
    {
        Ok(c) => c,
        Err((status, error)) => return oauth_error(status, error),
    };
    match form.get("grant_type").map(String::as_str) {
        Some("authorization_code") => authorization_code(&ctx, &pool_id, &client, &form),
        Some("refresh_token") => refresh(&ctx, &pool_id, &client, &form),
        Some("client_credentials") => client_credentials(&ctx, &pool_id, &client, &form),
        Some(_) => oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type"),
        None => oauth_error(StatusCode::BAD_REQUEST, "invalid_request"),
    }
}

fn flow_allowed(client: &AppClient, flow: &str) -> bool {
    client.settings.allowed_oauth_flows_user_pool_client == Some(true)
        && client
            .settings
            .allowed_oauth_flows
            .as_deref()
            .unwrap_or_default()
            .iter()
            .any(|f| f == flow)
}

fn authorization_code(
    ctx: &Ctx,
    pool_id: &str,
    client: &AppClient,
    form: &HashMap<String, String>,
) -> Response {
    let now = ctx.now();
    let given = form.get("code").cloned().unwrap_or_default();
    // A code is spent by its first exchange, right or wrong.
    let Some(code) = ctx.store.with(|state| state.oauth.codes.remove(&given)) else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant");
    };
    let redirect = form.get("redirect_uri").map(String::as_str);
    if code.expires_at <= now
        || code.client_id != client.id
        || code.pool_id != pool_id
        || redirect != Some(code.redirect_uri.as_str())
    {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant");
    }
    if let Some((challenge, method)) = &code.challenge {
        let verifier = form.get("code_verifier").cloned().unwrap_or_default();
        let derived = if method == "S256" {
            B64URL.encode(Sha256::digest(verifier.as_bytes()))
        } else {
            verifier
        };
        if !bool::from(derived.as_bytes().ct_eq(challenge.as_bytes())) {
            return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant");
        }
    }
    let issued = ctx
        .store
        .with(|state| {
            let user = state.pool(pool_id)?.user(&code.username)?.clone();
            let origin = tokens::Origin::fresh(now);
            tokens::prepare(
                ctx,
                state,
                tokens::Issue {
                    pool_id,
                    client_id: &client.id,
                    user: &user,
                    origin: &origin,
                    with_refresh: true,
                    overrides: None,
                    device_key: None,
                    scope: Some(&code.scope),
                    nonce: code.nonce.as_deref(),
                },
            )
        })
        .and_then(|unsigned| unsigned.sign(ctx));
    match issued {
        Ok(r) => Json(json!({
            "id_token": r.id_token,
            "access_token": r.access_token,
            "refresh_token": r.refresh_token,
            "expires_in": r.expires_in,
            "token_type": "Bearer",
        }))
        .into_response(),
        Err(_) => oauth_error(StatusCode::BAD_REQUEST, "invalid_grant"),
    }
}

fn refresh(
    ctx: &Ctx,
    pool_id: &str,
    client: &AppClient,
    form: &HashMap<String, String>,
) -> Response {
    let token = form.get("refresh_token").cloned().unwrap_or_default();
    // The client proved itself to this endpoint already.
    match crate::signin::refresh::oauth_grant(ctx, pool_id, &client.id, &token) {
        Ok(r) => {
            let mut answer = json!({
                "id_token": r.id_token,
                "access_token": r.access_token,
                "expires_in": r.expires_in,
                "token_type": "Bearer",
            });
            // A client with refresh token rotation gets the new refresh token.
            if let Some(rotated) = r.refresh_token {
                answer["refresh_token"] = json!(rotated);
            }
            Json(answer).into_response()
        }
        Err(_) => oauth_error(StatusCode::BAD_REQUEST, "invalid_grant"),
    }
}

fn client_credentials(
    ctx: &Ctx,
    pool_id: &str,
    client: &AppClient,
    form: &HashMap<String, String>,
) -> Response {
    if client.secret.is_none() || !flow_allowed(client, "client_credentials") {
        return oauth_error(StatusCode::BAD_REQUEST, "unauthorized_client");
    }
    let requested = form
        .get("scope")
        .map(|s| s.split_whitespace().map(str::to_owned).collect());
    match tokens::machine::access_token(ctx, pool_id, client, requested) {
        Ok((token, expires_in)) => Json(json!({
            "access_token": token,
            "expires_in": expires_in,
            "token_type": "Bearer",
        }))
        .into_response(),
        Err(tokens::machine::Refusal::InvalidScope) => {
            oauth_error(StatusCode::BAD_REQUEST, "invalid_scope")
        }
        Err(tokens::machine::Refusal::Signing) => {
            oauth_error(StatusCode::INTERNAL_SERVER_ERROR, "server_error")
        }
    }
}
