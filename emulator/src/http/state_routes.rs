//! `/_emulator/state`: the whole durable state as JSON. `GET` exports it (the signing key
//! included, so keep exports private); `PUT` replaces the state with an exported document.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::ctx::Ctx;
use crate::error::CognitoError;
use crate::state::durable::records::Snapshot;

/// The routes.
/// The routes; an import may be up to `max_import_bytes` (the state of a large pool is larger
/// than any API request).
pub fn routes(max_import_bytes: usize) -> Router<Ctx> {
    Router::new()
        .route("/_emulator/state", get(export).put(import))
        .layer(axum::extract::DefaultBodyLimit::max(max_import_bytes))
}

/// The whole durable state with the signing key (what `GET` answers and `Handle::export`
/// returns).
pub(crate) fn snapshot(ctx: &Ctx) -> Snapshot {
    let key = ctx.key.to_pem().to_owned();
    ctx.store.with(|state| Snapshot::of(state, Some(key)))
}

async fn export(State(ctx): State<Ctx>) -> Response {
    Json(snapshot(&ctx)).into_response()
}

async fn import(State(ctx): State<Ctx>, body: axum::body::Bytes) -> Response {
    let refuse = |message: String| {
        let err = CognitoError::invalid_parameter(message);
        (StatusCode::BAD_REQUEST, Json(err.body())).into_response()
    };
    let snapshot: Snapshot = match serde_json::from_slice(&body) {
        Ok(s) => s,
        Err(e) => return refuse(format!("Not an exported state: {e}")),
    };
    if let Err(e) = snapshot.check() {
        return refuse(e);
    }
    let same_key = snapshot
        .signing_key
        .as_deref()
        .is_none_or(|k| k == ctx.key.to_pem());
    let pools = snapshot.pools.len();
    let users: usize = snapshot.pools.iter().map(|p| p.users.len()).sum();
    ctx.store.replace(snapshot);
    ctx.store.with(|state| ctx.keys.load(state));
    Json(json!({
        "pools": pools,
        "users": users,
        "signingKey": if same_key { "same" } else { "kept (restart from the file with --seed to use its key)" },
    }))
    .into_response()
}
