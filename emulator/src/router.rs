//! The HTTP surface: `POST /` speaks AWS JSON 1.1 (target header → dispatch table → handler),
//! `GET /{pool}/.well-known/{jwks.json,openid-configuration}` publish the signing key, and
//! `/_emulator/*` lets tests read the outbox and move the clock.
//!
//! Every API answer carries `x-amzn-RequestId`; every failure is Cognito's error shape. A
//! handler that panics is answered with `InternalErrorException` (HTTP 500) and logged; the
//! server keeps serving.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use axum::body::{to_bytes, Body};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use cognito_sdk::wire::{self, ErrorKind};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::CognitoError;
use crate::{ids, ops, request};

/// Builds the router for a context.
pub fn router(ctx: Ctx) -> Router {
    Router::new()
        .route("/", post(api).options(preflight).get(index))
        .route("/{pool_id}/.well-known/jwks.json", get(jwks))
        .route(
            "/{pool_id}/.well-known/openid-configuration",
            get(openid_configuration),
        )
        .route("/_emulator/health", get(health))
        .route("/_emulator/outbox", get(outbox))
        .route("/_emulator/clock", get(clock_state).post(clock_move))
        .fallback(not_found)
        .layer(DefaultBodyLimit::disable())
        .layer(axum::middleware::map_response(cors))
        .with_state(ctx)
}

async fn cors(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date"),
    );
    response
}

async fn preflight(headers: HeaderMap) -> Response {
    let requested = headers
        .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .cloned()
        .unwrap_or_else(|| {
            HeaderValue::from_static("content-type, x-amz-target, x-amz-user-agent, authorization")
        });
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

fn api_response(result: Result<Value, CognitoError>, request_id: &str) -> Response {
    let (status, body, error_type) = match result {
        Ok(v) => (StatusCode::OK, v, None),
        Err(e) => {
            let status =
                StatusCode::from_u16(e.kind.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
            let body = serde_json::to_value(e.body()).unwrap_or_else(|_| json!({}));
            (status, body, Some(e.kind.code().to_owned()))
        }
    };
    let mut response = (status, body.to_string()).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(wire::CONTENT_TYPE),
    );
    if let Ok(v) = HeaderValue::from_str(request_id) {
        h.insert("x-amzn-requestid", v);
    }
    if let Some(t) = error_type.and_then(|t| HeaderValue::from_str(&t).ok()) {
        h.insert("x-amzn-errortype", t);
    }
    response
}

fn operation_of(headers: &HeaderMap) -> Result<String, CognitoError> {
    let target = headers
        .get("x-amz-target")
        .ok_or_else(|| CognitoError::unknown_operation("Missing X-Amz-Target header."))?
        .to_str()
        .map_err(|_| CognitoError::unknown_operation("X-Amz-Target is not valid text."))?;
    let (service, operation) = target
        .split_once('.')
        .ok_or_else(|| CognitoError::unknown_operation(format!("Unknown target {target}.")))?;
    if service != wire::TARGET_PREFIX {
        return Err(CognitoError::unknown_operation(format!(
            "Unknown service {service}; this endpoint serves {}.",
            wire::TARGET_PREFIX
        )));
    }
    Ok(operation.to_owned())
}

async fn api(State(ctx): State<Ctx>, headers: HeaderMap, body: Body) -> Response {
    let started = Instant::now();
    let request_id = ids::uuid();
    let operation = operation_of(&headers);
    let mut body_value = None;
    let result = match &operation {
        Err(e) => Err(e.clone()),
        Ok(op) => match ops::handler(op) {
            None => Err(CognitoError::unknown_operation(format!(
                "Unknown operation {op}."
            ))),
            Some(handler) => match to_bytes(body, ctx.config.max_body_bytes).await {
                Err(_) => Err(CognitoError::invalid_parameter(format!(
                    "The request body is larger than {} bytes.",
                    ctx.config.max_body_bytes
                ))),
                Ok(bytes) => request::json_object(&bytes).and_then(|value| {
                    body_value = Some(value.clone());
                    catch_unwind(AssertUnwindSafe(|| handler(&ctx, value))).unwrap_or_else(|_| {
                        tracing::error!(operation = %op, "handler panicked");
                        Err(CognitoError::internal("An internal error occurred."))
                    })
                }),
            },
        },
    };
    ctx.journal.record(
        operation.as_deref().unwrap_or("?"),
        body_value.as_ref(),
        result.as_ref().err().map(|e| e.kind.code()),
    );
    let op_name = operation.as_deref().unwrap_or("?");
    match &result {
        Ok(_) => tracing::info!(
            operation = op_name,
            request_id,
            status = 200,
            elapsed_us = started.elapsed().as_micros() as u64,
            "request"
        ),
        Err(e) => {
            tracing::info!(operation = op_name, request_id, error = e.kind.code(), message = %e.message, elapsed_us = started.elapsed().as_micros() as u64, "request failed")
        }
    }
    api_response(result, &request_id)
}

async fn index() -> Response {
    Json(json!({
        "service": "cognito-emulator",
        "protocol": "POST / with X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>",
        "operations": ops::NAMES,
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

async fn health() -> Response {
    Json(json!({"status": "ok"})).into_response()
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct OutboxQuery {
    pool_id: Option<String>,
    username: Option<String>,
}

async fn outbox(State(ctx): State<Ctx>, Query(q): Query<OutboxQuery>) -> Response {
    let messages: Vec<_> = ctx
        .outbox
        .messages()
        .into_iter()
        .filter(|m| q.pool_id.as_ref().is_none_or(|p| *p == m.pool_id))
        .filter(|m| {
            q.username
                .as_ref()
                .is_none_or(|u| *u == m.username || *u == m.destination)
        })
        .collect();
    Json(json!({"messages": messages})).into_response()
}

fn clock_json(ctx: &Ctx) -> Value {
    json!({"now": ctx.clock.now_secs(), "nowMillis": ctx.clock.now_millis(), "frozen": ctx.clock.is_frozen()})
}

async fn clock_state(State(ctx): State<Ctx>) -> Response {
    Json(clock_json(&ctx)).into_response()
}

/// `POST /_emulator/clock` with any of `{"freeze": true}`, `{"freezeAt": <unix secs>}`,
/// `{"advanceSeconds": <n>}`, `{"unfreeze": true}` (applied in that order).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ClockMove {
    #[serde(default)]
    freeze: bool,
    freeze_at: Option<i64>,
    advance_seconds: Option<u64>,
    #[serde(default)]
    unfreeze: bool,
}

async fn clock_move(State(ctx): State<Ctx>, body: axum::body::Bytes) -> Response {
    let parsed = serde_json::from_slice::<ClockMove>(&body);
    let m = match parsed {
        Ok(m) => m,
        Err(e) => {
            let err = CognitoError {
                kind: ErrorKind::InvalidParameter,
                message: format!(
                    "Expected {{\"freeze\", \"freezeAt\", \"advanceSeconds\", \"unfreeze\"}}: {e}"
                ),
            };
            return (StatusCode::BAD_REQUEST, Json(err.body())).into_response();
        }
    };
    if m.freeze {
        ctx.clock.freeze();
    }
    if let Some(at) = m.freeze_at {
        ctx.clock.freeze_at(at);
    }
    if let Some(secs) = m.advance_seconds {
        ctx.clock.advance(Duration::from_secs(secs));
    }
    if m.unfreeze {
        ctx.clock.unfreeze();
    }
    Json(clock_json(&ctx)).into_response()
}
