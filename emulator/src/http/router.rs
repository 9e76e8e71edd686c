//! The HTTP surface: `POST /` speaks AWS JSON 1.1 (target header → dispatch table → handler),
//! `GET /{pool}/.well-known/{jwks.json,openid-configuration}` publish the signing key, and
//! `/_emulator/*` lets tests read the outbox and move the clock.
//!
//! Every API answer carries `x-amzn-RequestId`; every failure is Cognito's error shape. A
//! handler that panics is answered with `InternalErrorException` (HTTP 500) and logged; the
//! server keeps serving.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Duration;

use tokio::time::Instant;

use axum::body::{to_bytes, Body};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use cognito_protocol::wire::{self, ErrorKind};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::CognitoError;
use crate::pipeline::faults::{Fault, FaultSpec, RequestFacts};
use crate::pipeline::journal::JournalEntry;
use crate::pipeline::quota::Quota;
use crate::{http::request, ids, ops};

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
        .route(
            "/_emulator/journal",
            get(journal_list).delete(journal_clear),
        )
        .route(
            "/_emulator/faults",
            get(faults_list).post(faults_add).delete(faults_clear),
        )
        .route(
            "/_emulator/faults/{id}",
            axum::routing::delete(faults_remove),
        )
        .route("/_emulator/quotas", get(quotas_state).post(quotas_set))
        .route("/_emulator/users/fill", axum::routing::post(users_fill))
        .route(
            "/_emulator/identity/tokens",
            axum::routing::post(identity_token),
        )
        .route("/_emulator/sigv4/{*rest}", axum::routing::any(sigv4_echo))
        .merge(crate::oauth::routes())
        .merge(crate::http::state_routes::routes())
        .merge(crate::http::console::routes())
        .fallback(not_found)
        .layer(DefaultBodyLimit::disable())
        .layer(axum::middleware::map_response(cors))
        .layer(axum::middleware::from_fn_with_state(ctx.clone(), stored))
        .with_state(ctx)
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

/// The handler of a target: user pools (`AWSCognitoIdentityProviderService.X`) or identity
/// pools (`AWSCognitoIdentityService.X`).
fn handler_of(target: &str) -> Option<crate::ops::Handler> {
    match target.split_once('.') {
        Some((wire::TARGET_PREFIX, op)) => ops::handler(op),
        Some((wire::IDENTITY_TARGET_PREFIX, op)) => crate::identity::ops::handler(op),
        _ => None,
    }
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
    if service != wire::TARGET_PREFIX && service != wire::IDENTITY_TARGET_PREFIX {
        return Err(CognitoError::unknown_operation(format!(
            "Unknown service {service}; this endpoint serves {} and {}.",
            wire::TARGET_PREFIX,
            wire::IDENTITY_TARGET_PREFIX
        )));
    }
    Ok(operation.to_owned())
}

/// Marks a response whose connection must be reset instead (see `serve`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ResetConnection;

fn reset_response() -> Response {
    let mut r = StatusCode::INTERNAL_SERVER_ERROR.into_response();
    r.extensions_mut().insert(ResetConnection);
    r
}

/// The facts fault rules match on, read from the target and body.
fn facts_of(ctx: &Ctx, operation: &str, body: Option<&Value>) -> RequestFacts {
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
    let get = |k: &str| body.and_then(|b| b.get(k));
    let username = text(get("Username"))
        .or_else(|| text(get("AuthParameters").and_then(|p| p.get("USERNAME"))))
        .or_else(|| text(get("ChallengeResponses").and_then(|p| p.get("USERNAME"))));
    let client_id = text(get("ClientId"));
    let pool_id = text(get("UserPoolId")).or_else(|| {
        client_id
            .as_deref()
            .and_then(|c| ctx.store.with(|s| s.pool_of_client(c).ok()))
    });
    RequestFacts {
        operation: operation.to_owned(),
        flow: text(get("AuthFlow")).or_else(|| text(get("ChallengeName"))),
        pool_id,
        client_id,
        username,
    }
}

fn run_handler(
    ctx: &Ctx,
    op: &str,
    handler: ops::Handler,
    value: Value,
) -> Result<Value, CognitoError> {
    let run = || {
        catch_unwind(AssertUnwindSafe(|| handler(ctx, value))).unwrap_or_else(|_| {
            tracing::error!(operation = %op, "handler panicked");
            Err(CognitoError::internal("An internal error occurred."))
        })
    };
    // A trigger handler (a webhook above all) may block for seconds. On a multi-threaded
    // runtime the worker hands its other work (the I/O driver, signals, other connections) to
    // another thread while it waits; without triggers there is nothing to wait for.
    let multi_thread = tokio::runtime::Handle::try_current()
        .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread);
    if multi_thread && ctx.triggers.any() {
        tokio::task::block_in_place(run)
    } else {
        run()
    }
}

/// Rewrites a processed answer according to a fault that shows after processing.
async fn corrupt(fault: &Fault, response: Response) -> Response {
    match fault {
        Fault::ResetAfter => reset_response(),
        Fault::WrongContentType => {
            let mut r = response;
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            r
        }
        Fault::NonJsonBody => {
            let (mut parts, _) = response.into_parts();
            parts.status = StatusCode::OK;
            Response::from_parts(
                parts,
                Body::from("Service response was not JSON: upstream returned plain text"),
            )
        }
        Fault::TruncatedBody => {
            let (mut parts, body) = response.into_parts();
            let full = to_bytes(body, usize::MAX).await.unwrap_or_default();
            let half = full.slice(..full.len() / 2);
            parts
                .headers
                .insert(header::CONTENT_LENGTH, HeaderValue::from(full.len()));
            // Yield once after the first half so hyper flushes the headers and that half before
            // the error aborts the connection.
            let rest = futures::stream::once(async {
                tokio::task::yield_now().await;
                Err::<bytes::Bytes, _>(std::io::Error::new(
                    std::io::ErrorKind::ConnectionAborted,
                    "injected truncation",
                ))
            });
            let chunks = futures::StreamExt::chain(
                futures::stream::iter([Ok::<_, std::io::Error>(half)]),
                rest,
            );
            Response::from_parts(parts, Body::from_stream(chunks))
        }
        _ => response,
    }
}

fn gateway_page(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let reason = status.canonical_reason().unwrap_or("Error");
    let html = format!("<html>\r\n<head><title>{} {reason}</title></head>\r\n<body>\r\n<center><h1>{} {reason}</h1></center>\r\n</body>\r\n</html>\r\n", status.as_u16(), status.as_u16());
    let mut r = (status, html).into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
    r
}

async fn api(State(ctx): State<Ctx>, headers: HeaderMap, body: Body) -> Response {
    let started = Instant::now();
    let at_ms = ctx.clock.now_millis();
    let request_id = ids::uuid();
    let operation = operation_of(&headers);
    let bytes = to_bytes(body, ctx.config.max_body_bytes).await;
    let parsed = match &bytes {
        Ok(b) => request::json_object(b),
        Err(_) => Err(CognitoError::invalid_parameter(format!(
            "The request body is larger than {} bytes.",
            ctx.config.max_body_bytes
        ))),
    };
    let op_name = operation.as_deref().unwrap_or("?").to_owned();
    let facts = facts_of(&ctx, &op_name, parsed.as_ref().ok());

    let throttled = operation.is_ok() && !ctx.throttle.admit(&op_name, ctx.clock.now_millis());
    let fault = if throttled {
        None
    } else {
        ctx.faults.pick(&facts, ctx.clock.now_secs())
    };

    let mut status_override = None;
    let response = match (&fault, throttled) {
        (_, true) => api_response(
            Err(CognitoError {
                kind: ErrorKind::TooManyRequests,
                message: "Rate exceeded".into(),
            }),
            &request_id,
        ),
        (Some(Fault::ResetBefore), _) => reset_response(),
        (Some(Fault::Hang { max_ms }), _) => {
            // Journal it now: the client will have given up long before the hang ends.
            ctx.journal.record(JournalEntry {
                seq: 0,
                at_ms,
                request: facts.clone(),
                status: 0,
                error: None,
                latency_ms: 0,
                fault: Some(Fault::Hang { max_ms: *max_ms }.name()),
            });
            tokio::time::sleep(Duration::from_millis(max_ms.unwrap_or(600_000))).await;
            return reset_response();
        }
        (Some(Fault::InternalError), _) => api_response(
            Err(CognitoError::internal(
                "An internal error occurred (injected).",
            )),
            &request_id,
        ),
        (Some(Fault::Gateway { status }), _) => gateway_page(status.unwrap_or(503)),
        (
            Some(Fault::Exception {
                code,
                message,
                status,
            }),
            _,
        ) => {
            status_override = *status;
            let kind = ErrorKind::from_code(code);
            let message = message
                .clone()
                .unwrap_or_else(|| format!("{code} (injected)"));
            api_response(Err(CognitoError { kind, message }), &request_id)
        }
        (other, false) => {
            if let Some(Fault::Latency { ms }) = other {
                tokio::time::sleep(Duration::from_millis(*ms)).await;
            }
            let result = match &operation {
                Err(e) => Err(e.clone()),
                Ok(op) => match headers
                    .get("x-amz-target")
                    .and_then(|t| t.to_str().ok())
                    .and_then(handler_of)
                {
                    None => Err(CognitoError::unknown_operation(format!(
                        "Unknown operation {op}."
                    ))),
                    Some(handler) => parsed.and_then(|value| run_handler(&ctx, op, handler, value)),
                },
            };
            let response = api_response(result, &request_id);
            match other {
                Some(f) => corrupt(f, response).await,
                None => response,
            }
        }
    };
    let mut response = response;
    if let Some(s) = status_override.and_then(|s| StatusCode::from_u16(s).ok()) {
        *response.status_mut() = s;
    }

    let reset = response.extensions().get::<ResetConnection>().is_some();
    let status = if reset { 0 } else { response.status().as_u16() };
    let error = response
        .headers()
        .get("x-amzn-errortype")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    match &error {
        None => {
            tracing::info!(operation = %op_name, request_id, status, latency_ms, fault = fault.as_ref().map(Fault::name), "request")
        }
        Some(e) => {
            tracing::info!(operation = %op_name, request_id, status, error = %e, latency_ms, fault = fault.as_ref().map(Fault::name), "request failed")
        }
    }
    ctx.journal.record(JournalEntry {
        seq: 0,
        at_ms,
        request: facts,
        status,
        error,
        latency_ms,
        fault: fault.as_ref().map(Fault::name),
    });
    response
}

async fn index() -> Response {
    Json(json!({
        "service": "cognito-emulator",
        "protocol": "POST / with X-Amz-Target: AWSCognitoIdentityProviderService.<Operation> or AWSCognitoIdentityService.<Operation>",
        "operations": ops::NAMES,
        "identityOperations": crate::identity::ops::NAMES,
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

fn bad_request(message: String) -> Response {
    let err = CognitoError {
        kind: ErrorKind::InvalidParameter,
        message,
    };
    (StatusCode::BAD_REQUEST, Json(err.body())).into_response()
}

async fn journal_list(State(ctx): State<Ctx>) -> Response {
    Json(json!({"entries": ctx.journal.entries()})).into_response()
}

async fn journal_clear(State(ctx): State<Ctx>) -> Response {
    ctx.journal.clear();
    Json(json!({})).into_response()
}

async fn faults_list(State(ctx): State<Ctx>) -> Response {
    Json(json!({"rules": ctx.faults.list()})).into_response()
}

async fn faults_add(State(ctx): State<Ctx>, body: axum::body::Bytes) -> Response {
    let spec = match serde_json::from_slice::<FaultSpec>(&body) {
        Ok(s) => s,
        Err(e) => {
            return bad_request(format!(
                "Expected {{\"match\": {{…}}, \"fault\": {{\"kind\": …}}}}: {e}"
            ))
        }
    };
    match ctx.faults.add(spec) {
        Ok(id) => Json(json!({"id": id})).into_response(),
        Err(e) => bad_request(e.to_string()),
    }
}

async fn faults_clear(State(ctx): State<Ctx>) -> Response {
    ctx.faults.clear();
    Json(json!({})).into_response()
}

async fn faults_remove(State(ctx): State<Ctx>, Path(id): Path<u64>) -> Response {
    if ctx.faults.remove(id) {
        Json(json!({})).into_response()
    } else {
        (StatusCode::NOT_FOUND, Json(json!({"__type": "ResourceNotFoundException", "message": format!("No fault rule {id}.")}))).into_response()
    }
}

fn quotas_json(ctx: &Ctx) -> Value {
    let quotas: serde_json::Map<String, Value> = ctx
        .throttle
        .quotas()
        .into_iter()
        .map(|(name, q)| {
            let ops: Vec<&str> = crate::pipeline::quota::CATEGORIES
                .iter()
                .find(|(n, _, _)| *n == name)
                .map(|(_, _, ops)| ops.to_vec())
                .unwrap_or_default();
            (
                name,
                json!({"rate": q.rate, "burst": q.burst.unwrap_or(q.rate), "operations": ops}),
            )
        })
        .collect();
    json!({"enabled": ctx.throttle.is_enabled(), "quotas": quotas})
}

async fn quotas_state(State(ctx): State<Ctx>) -> Response {
    Json(quotas_json(&ctx)).into_response()
}

/// `POST /_emulator/quotas` with `{"enabled": bool, "quotas": {"UserAuthentication": {"rate": 0, "burst": 5}}}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuotaChange {
    enabled: Option<bool>,
    #[serde(default)]
    quotas: std::collections::BTreeMap<String, Quota>,
}

/// `POST /_emulator/users/fill` with `{"poolId", "count", "prefix"}`: adds filler users for
/// scale tests (see `users::add_fillers`). Answers `{"added", "users"}`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Fill {
    pool_id: String,
    count: usize,
    #[serde(default = "filler_prefix")]
    prefix: String,
}

fn filler_prefix() -> String {
    "filler".into()
}

async fn users_fill(State(ctx): State<Ctx>, body: axum::body::Bytes) -> Response {
    let fill = match serde_json::from_slice::<Fill>(&body) {
        Ok(f) => f,
        Err(e) => {
            return bad_request(format!(
                "Expected {{\"poolId\", \"count\", \"prefix\"}}: {e}"
            ))
        }
    };
    if fill.count > 10_000_000 {
        return bad_request("count is at most 10000000".into());
    }
    let done = ctx.store.with(|state| {
        state.pool_mut(&fill.pool_id).map(|pool| {
            (
                crate::accounts::users::add_fillers(&ctx, pool, &fill.prefix, fill.count),
                pool.users.len(),
            )
        })
    });
    match done {
        Ok((added, users)) => Json(json!({"added": added, "users": users})).into_response(),
        Err(e) => bad_request(e.message),
    }
}

/// `POST /_emulator/identity/tokens` with `{"provider", "token", "subject"}`: identity pools
/// accept `token` from that public provider as a login of `subject`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExternalToken {
    provider: String,
    token: String,
    subject: String,
}

async fn identity_token(State(ctx): State<Ctx>, body: axum::body::Bytes) -> Response {
    let t = match serde_json::from_slice::<ExternalToken>(&body) {
        Ok(t) if !t.token.is_empty() && !t.subject.is_empty() => t,
        Ok(_) => return bad_request("token and subject must not be empty".into()),
        Err(e) => {
            return bad_request(format!(
                "Expected {{\"provider\", \"token\", \"subject\"}}: {e}"
            ))
        }
    };
    ctx.store.with(|state| {
        state
            .identity
            .external_tokens
            .insert((t.provider, t.token), t.subject)
    });
    Json(json!({})).into_response()
}

/// `ANY /_emulator/sigv4/…`: a stand-in for an IAM-authorised API. 200 with the identity when
/// the request is signed (SigV4) with credentials the identity pools issued; 403 otherwise.
async fn sigv4_echo(
    State(ctx): State<Ctx>,
    method: http::Method,
    uri: http::Uri,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    match crate::http::sigv4_check::check(&ctx, method.as_str(), path, &headers, &body) {
        Ok(who) => Json(json!({
            "identityId": who.identity_id,
            "roleArn": who.role_arn,
            "accessKeyId": who.access_key_id,
            "method": method.as_str(),
            "path": uri.path(),
        }))
        .into_response(),
        Err(message) => (StatusCode::FORBIDDEN, Json(json!({"message": message}))).into_response(),
    }
}

async fn quotas_set(State(ctx): State<Ctx>, body: axum::body::Bytes) -> Response {
    let change = match serde_json::from_slice::<QuotaChange>(&body) {
        Ok(c) => c,
        Err(e) => return bad_request(format!("Expected {{\"enabled\", \"quotas\"}}: {e}")),
    };
    for (category, quota) in change.quotas {
        if let Err(e) = ctx.throttle.set_quota(&category, quota) {
            return bad_request(e.to_string());
        }
    }
    if let Some(on) = change.enabled {
        ctx.throttle.set_enabled(on);
    }
    Json(quotas_json(&ctx)).into_response()
}
