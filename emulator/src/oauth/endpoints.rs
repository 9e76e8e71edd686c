//! `/oauth2/userInfo`, `/oauth2/revoke` and `/logout`.

use std::collections::HashMap;

use axum::extract::{Form, Path, Query, State as AxumState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde_json::{Map, Value};

use super::{client_auth, oauth_error, page, pool_of};
use crate::ctx::Ctx;
use crate::tokens;

/// GET `/oauth2/userInfo` with `Authorization: Bearer <access token>`: the user's attributes.
pub async fn user_info(
    AxumState(ctx): AxumState<Ctx>,
    Path(domain): Path<String>,
    headers: HeaderMap,
) -> Response {
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default()
        .trim()
        .to_owned();
    let Some(pool_id) = pool_of(&ctx, &domain) else {
        return oauth_error(StatusCode::NOT_FOUND, "invalid_request");
    };
    let found = ctx.store.with(|state| {
        let (token_pool, username) = tokens::authorize_access_token(&ctx, state, &token).ok()?;
        if token_pool != pool_id {
            return None;
        }
        let user = state.pool(&pool_id).ok()?.user(&username).ok()?;
        let mut out: Map<String, Value> = user
            .attributes
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        out.insert("username".into(), Value::String(user.username.clone()));
        Some(out)
    });
    match found {
        Some(attrs) => Json(Value::Object(attrs)).into_response(),
        None => oauth_error(StatusCode::UNAUTHORIZED, "invalid_token"),
    }
}

/// POST `/oauth2/revoke` with `token` (a refresh token) and the client's authentication.
pub async fn revoke(
    AxumState(ctx): AxumState<Ctx>,
    Path(domain): Path<String>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let Some(pool_id) = pool_of(&ctx, &domain) else {
        return oauth_error(StatusCode::NOT_FOUND, "invalid_request");
    };
    let token = form.get("token").cloned().unwrap_or_default();
    ctx.store.with(|state| {
        let client = match client_auth(state, &pool_id, &headers, &form) {
            Ok(c) => c,
            Err((status, error)) => return oauth_error(status, error),
        };
        let origin = state
            .refresh_tokens
            .get(&token)
            .filter(|r| r.client_id == client.id)
            .map(|r| r.origin_jti.clone());
        match origin {
            Some(o) => {
                tokens::revoke_origin(state, &o);
                StatusCode::OK.into_response()
            }
            None => oauth_error(StatusCode::BAD_REQUEST, "invalid_request"),
        }
    })
}

/// GET `/logout?client_id=…&logout_uri=…`: back to a registered logout URL.
pub async fn logout(
    AxumState(ctx): AxumState<Ctx>,
    Path(domain): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let Some(pool_id) = pool_of(&ctx, &domain) else {
        return (
            StatusCode::BAD_REQUEST,
            Html(page::error("Unknown domain.")),
        )
            .into_response();
    };
    let client_id = q.get("client_id").cloned().unwrap_or_default();
    let target = q.get("logout_uri").cloned().unwrap_or_default();
    let registered = ctx.store.with(|state| {
        state
            .client_in(&pool_id, &client_id)
            .ok()
            .is_some_and(|(_, c)| {
                c.settings
                    .logout_urls
                    .as_deref()
                    .unwrap_or_default()
                    .contains(&target)
            })
    });
    if registered {
        super::found(&target)
    } else {
        (
            StatusCode::BAD_REQUEST,
            Html(page::error(
                "The logout_uri is not a sign-out URL of this app client.",
            )),
        )
            .into_response()
    }
}
