//! The control plane's own routes (`/_emulator/*`): health, the outbox, the clock, the journal,
//! fault rules, quotas, filler users, accepted public-provider tokens and the SigV4 echo. The
//! state export and the console have modules of their own (`state_routes`, `console`).

use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use cognito_protocol::wire::ErrorKind;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::CognitoError;
use crate::pipeline::faults::FaultSpec;
use crate::pipeline::journal::ControlEvent;
use crate::pipeline::quota::{Category, Quota};

/// The control routes, to be merged into the emulator's router.
pub fn routes() -> Router<Ctx> {
    Router::new()
        .route("/_emulator/health", get(health))
        .route("/_emulator/outbox", get(outbox))
        .route("/_emulator/auth-events", get(auth_events))
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
        .route("/_emulator/users/fill", post(users_fill))
        .route("/_emulator/identity/tokens", post(identity_token))
        .route("/_emulator/sigv4/{*rest}", axum::routing::any(sigv4_echo))
}

async fn health() -> Response {
    Json(json!({"status": "ok"})).into_response()
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct OutboxQuery {
    pool_id: Option<String>,
    username: Option<String>,
    /// At most this many messages, the newest (default 1000, at most 10000).
    limit: Option<usize>,
}

/// `GET /_emulator/outbox[?poolId=&username=&limit=]`: the newest matching messages, oldest
/// first, and `more` when older ones matched too.
async fn outbox(State(ctx): State<Ctx>, Query(q): Query<OutboxQuery>) -> Response {
    let limit = q.limit.unwrap_or(1000).clamp(1, 10_000);
    let (messages, more) = ctx.outbox.recent(limit, |m| {
        q.pool_id.as_ref().is_none_or(|p| *p == m.pool_id)
            && q.username
                .as_ref()
                .is_none_or(|u| *u == m.username || *u == m.destination)
    });
    Json(json!({"messages": messages, "more": more})).into_response()
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AuthEventsQuery {
    pool_id: String,
    username: String,
}

/// `GET /_emulator/auth-events?poolId=&username=`: a user's sign-in history, newest first,
/// each event with the `feedbackToken` Cognito would put in its risk notification email (what
/// UpdateAuthEventFeedback takes).
async fn auth_events(State(ctx): State<Ctx>, Query(q): Query<AuthEventsQuery>) -> Response {
    let found = ctx.store.with(|state| {
        let pool = state.pool(&q.pool_id)?;
        let sub = pool.user(&q.username)?.sub.clone();
        let history = state
            .auth_events
            .get(&crate::signin::events::key(&pool.id, &sub))
            .cloned()
            .unwrap_or_default();
        Ok::<_, CognitoError>((pool.id.clone(), sub, history))
    });
    match found {
        Ok((pool_id, sub, history)) => {
            let events: Vec<Value> = history
                .into_iter()
                .rev()
                .map(|mut e| {
                    let id = e["EventId"].as_str().unwrap_or_default().to_owned();
                    e["feedbackToken"] = json!(crate::signin::events::feedback_token(
                        &ctx, &pool_id, &sub, &id
                    ));
                    e
                })
                .collect();
            Json(json!({ "events": events })).into_response()
        }
        Err(e) => (StatusCode::BAD_REQUEST, Json(e.body())).into_response(),
    }
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
    let before = ctx.clock.now_millis();
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
    // For the journal's record of what happened (`?format=scenario`): a jump, not the few
    // milliseconds a running clock moves by itself during the call.
    let moved = (ctx.clock.now_millis() - before) / 1000;
    if moved != 0 {
        ctx.journal.note(ControlEvent::Clock { seconds: moved });
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

#[derive(Debug, Deserialize)]
struct JournalQuery {
    format: Option<String>,
}

/// `GET /_emulator/journal`: the entries as JSON; `?format=scenario`: a scenario file
/// skeleton of what they show (TOML; see `pipeline::record`).
async fn journal_list(State(ctx): State<Ctx>, Query(q): Query<JournalQuery>) -> Response {
    match q.format.as_deref() {
        None | Some("json") => {
            Json(json!({"entries": ctx.journal.entries(), "notes": ctx.journal.notes()}))
                .into_response()
        }
        Some("scenario") => (
            [(
                axum::http::header::CONTENT_TYPE,
                "application/toml; charset=utf-8",
            )],
            crate::pipeline::record::scenario(&ctx),
        )
            .into_response(),
        Some(other) => bad_request(format!("Unknown journal format {other}: json or scenario.")),
    }
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
    match ctx.faults.add(spec.clone()) {
        Ok(id) => {
            ctx.journal.note(ControlEvent::FaultAdded {
                id,
                rule: serde_json::to_value(&spec).unwrap_or_default(),
            });
            Json(json!({"id": id})).into_response()
        }
        Err(e) => bad_request(e.to_string()),
    }
}

async fn faults_clear(State(ctx): State<Ctx>) -> Response {
    ctx.faults.clear();
    ctx.journal.note(ControlEvent::FaultsCleared);
    Json(json!({})).into_response()
}

async fn faults_remove(State(ctx): State<Ctx>, Path(id): Path<u64>) -> Response {
    if ctx.faults.remove(id) {
        ctx.journal.note(ControlEvent::FaultRemoved { id });
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
            let category = Category::parse(&name);
            let ops: Vec<&str> = super::api::all_operations()
                .filter(|o| Some(o.category) == category)
                .map(|o| o.name)
                .collect();
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
    let request = crate::http::sigv4_check::Signed {
        method: method.as_str(),
        path_and_query: path,
        headers: &headers,
        body: &body,
    };
    match crate::http::sigv4_check::check(&ctx, request) {
        Ok(who) => Json(json!({
            "identityId": who.identity_id,
            "roleArn": who.role_arn,
            "accessKeyId": who.access_key_id,
            "method": method.as_str(),
            "path": uri.path(),
        }))
        .into_response(),
        Err(refusal) => (
            StatusCode::FORBIDDEN,
            Json(json!({"__type": refusal.kind.code(), "message": refusal.message})),
        )
            .into_response(),
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
