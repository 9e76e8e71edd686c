//! The routes of one emulator, and what applies to all of them: `POST /` (the API, see
//! [`super::api`]), `GET /` (the operation list), `GET /{pool}/.well-known/{jwks.json,
//! openid-configuration}` (the pool's signing keys), `GET /.well-known/jwks_uri` (identity
//! pools' key), the control plane (`/_emulator/*`, see
//! [`super::control`], [`super::state_routes`], [`super::console`]) and the hosted UI; CORS and,
//! in durable mode, the commit before each answer.

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

use crate::ctx::Ctx;
use crate::error::CognitoError;
use crate::ops;
/// Builds the router for a context.
pub fn router(ctx: Ctx) -> Router {
    let pipeline = super::api::pipeline();
    let api =
        move |State(ctx): State<Ctx>, uri: axum::http::Uri, headers: HeaderMap, body: Body| {
            super::api::api(ctx, pipeline.clone(), uri, headers, body)
        };
    Router::new()
        .route("/", post(api).options(preflight).get(index))
        .route("/{pool_id}/.well-known/jwks.json", get(jwks))
        .route("/.well-known/jwks_uri", get(identity_jwks))
        .route(
            "/{pool_id}/.well-known/openid-configuration",
            get(openid_configuration),
        )
        .merge(super::control::routes())
        .merge(crate::oauth::routes())
        .merge(super::state_routes::routes(
            ctx.config.limits.max_import_bytes,
        ))
        .merge(super::console::routes())
        .merge(super::import_upload::routes())
        .fallback(not_found)
        // Every body-reading extractor (control routes, hosted-UI forms) answers 413 past this;
        // `POST /` reads its body itself, to the same bound, and answers Cognito's error.
        .layer(DefaultBodyLimit::max(ctx.config.max_body_bytes))
        .layer(axum::middleware::from_fn_with_state(
            ctx.clone(),
            declared_size,
        ))
        .layer(axum::middleware::from_fn_with_state(
            ctx.clone(),
            super::guard::guard,
        ))
        .layer(axum::middleware::from_fn_with_state(ctx.clone(), stored))
        .with_state(ctx)
}

/// A body declared larger than the route accepts is refused (413) before any route runs,
/// whether or not the route reads bodies; undeclared (chunked) bodies are cut off at the same
/// bound by whatever reads them. `POST /` answers Cognito's error itself.
async fn declared_size(
    State(ctx): State<Ctx>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let path = request.uri().path();
    let limit = if path == "/_emulator/state" || path.starts_with("/user-import/") {
        ctx.config.limits.max_import_bytes
    } else {
        ctx.config.max_body_bytes
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let api = path == "/" && request.method() == Method::POST;
    if !api && declared.is_some_and(|n| n > limit as u64) {
        let body = json!({
            "__type": "RequestEntityTooLargeException",
            "message": format!("The request body is larger than {limit} bytes."),
        });
        return (StatusCode::PAYLOAD_TOO_LARGE, Json(body)).into_response();
    }
    next.run(request).await
}

/// In durable mode, a response leaves only once every change made before it is stored, so a
/// client never sees a success the database could lose.
async fn stored(
    State(ctx): State<Ctx>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let response = next.run(request).await;
    match ctx.store.sync().await {
        Ok(()) => response,
        Err(e) => {
            tracing::error!(error = %e, "answering with an error: a change could not be stored");
            let err = CognitoError::internal(format!("The change could not be stored: {e}"));
            (StatusCode::INTERNAL_SERVER_ERROR, Json(err.body())).into_response()
        }
    }
}

/// The API's preflight, as Cognito answers it: a fixed list of request headers, whatever the
/// page asks for.
async fn preflight() -> Response {
    let requested = HeaderValue::from_static(super::guard::API_REQUEST_HEADERS);
    let mut response = StatusCode::OK.into_response();
    let h = response.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("POST, GET, OPTIONS"),
    );
    h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, requested);
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("600"),
    );
    response
}

async fn index() -> Response {
    Json(json!({
        "service": "cognito-emulator",
        "protocol": "POST / with X-Amz-Target: AWSCognitoIdentityProviderService.<Operation> or AWSCognitoIdentityService.<Operation>",
        "operations": ops::NAMES,
        "identityOperations": crate::identity::ops::NAMES,
        "unauthenticated": ops::UNAUTHENTICATED,
        "identityUnauthenticated": crate::identity::ops::UNAUTHENTICATED,
    }))
    .into_response()
}

async fn not_found(method: Method) -> Response {
    let body =
        json!({"__type": "NotFound", "message": format!("No route for this {method} request.")});
    (StatusCode::NOT_FOUND, Json(body)).into_response()
}

fn pool_exists(ctx: &Ctx, pool_id: &str) -> bool {
    ctx.store.with(|s| s.pools.contains_key(pool_id))
}

fn missing_pool(pool_id: &str) -> Response {
    let body = json!({"__type": "ResourceNotFoundException", "message": format!("User pool {pool_id} does not exist.")});
    (StatusCode::NOT_FOUND, Json(body)).into_response()
}

async fn jwks(State(ctx): State<Ctx>, Path(pool_id): Path<String>) -> Response {
    if !pool_exists(&ctx, &pool_id) {
        return missing_pool(&pool_id);
    }
    match crate::tokens::pool_keys(&ctx, &pool_id) {
        Ok(keys) => Json(json!({ "keys": keys.jwks() })).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, Json(e.body())).into_response(),
    }
}

/// The key identity pools sign their OpenID tokens with (Cognito publishes it at
/// `https://cognito-identity.amazonaws.com/.well-known/jwks_uri`).
async fn identity_jwks(State(ctx): State<Ctx>) -> Response {
    Json(json!({"keys": [ctx.key.jwk()]})).into_response()
}

async fn openid_configuration(State(ctx): State<Ctx>, Path(pool_id): Path<String>) -> Response {
    if !pool_exists(&ctx, &pool_id) {
        return missing_pool(&pool_id);
    }
    let issuer = ctx.issuer(&pool_id);
    let base = ctx.config.base_url.trim_end_matches('/');
    Json(json!({
        "issuer": issuer,
        "jwks_uri": format!("{base}/{pool_id}/.well-known/jwks.json"),
        "id_token_signing_alg_values_supported": ["RS256"],
        "subject_types_supported": ["public"],
        "response_types_supported": ["code", "token"],
        "scopes_supported": ["openid", "email", "phone", "profile"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "token_use", "cognito:username", "email", "email_verified", "phone_number", "phone_number_verified"],
    }))
    .into_response()
}
