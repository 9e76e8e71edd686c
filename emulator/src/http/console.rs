//! The web console (`GET /_emulator/console`): one self-contained page (no external assets)
//! for people debugging a flow. It shows pools, clients and users (status, attributes, MFA,
//! devices, passkeys, groups), the outbox, the journal with filters, fault rules, quotas and the clock,
//! and can sign a user up, add and remove faults, switch quotas and move the clock.
//!
//! The page reads `GET /_emulator/overview` (a read-only view of the pools, so looking does
//! not spend quotas or fill the journal) and the other `/_emulator/*` endpoints; sign-ups go
//! through the real API, so they show in the journal and meet faults like any client's.

use axum::extract::{Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::state::records::User;

const PAGE: &str = include_str!("console.html");

/// At most this many users of a pool are listed.
const USERS_SHOWN: usize = 200;

/// The routes.
pub fn routes() -> Router<Ctx> {
    Router::new()
        .route("/_emulator/console", get(page))
        .route("/_emulator/overview", get(overview))
}

/// The page's Content-Security-Policy: its one inline script and one inline style allowed by
/// their SHA-256 (nothing else runs, even if an attribute value were ever rendered as markup),
/// requests to this origin only, and no framing by any page (against clickjacking).
fn policy() -> &'static str {
    static POLICY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    POLICY.get_or_init(|| {
        let hash = |open: &str, close: &str| {
            let start = PAGE.find(open).map_or(0, |i| i + open.len());
            let end = PAGE[start..].find(close).map_or(start, |i| start + i);
            let digest = <sha2::Sha256 as sha2::Digest>::digest(&PAGE.as_bytes()[start..end]);
            format!(
                "'sha256-{}'",
                base64::Engine::encode(&base64::engine::general_purpose::STANDARD, digest)
            )
        };
        format!(
            "default-src 'none'; script-src {}; style-src {}; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            hash("<script>", "</script>"),
            hash("<style>", "</style>")
        )
    })
}

async fn page() -> Response {
    let mut response = PAGE.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(policy()) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct OverviewQuery {
    /// Only users whose username starts with this (case-insensitively in case-insensitive
    /// pools).
    filter: Option<String>,
}

fn user_json(user: &User) -> Value {
    let attributes: serde_json::Map<String, Value> = user
        .attributes
        .iter()
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    let devices: Vec<Value> = user
        .devices
        .values()
        .map(|d| {
            json!({
                "key": d.key,
                "name": d.name,
                "confirmed": d.verifier.is_some(),
                "remembered": d.remembered,
            })
        })
        .collect();
    json!({
        "username": user.username,
        "sub": user.sub,
        "status": user.status.as_str(),
        "enabled": user.enabled,
        "attributes": attributes,
        "mfa": {"enabled": user.mfa.enabled(), "preferred": user.mfa.preferred},
        "devices": devices,
        "passkeys": user.webauthn.iter().map(|p| json!({
            "id": p.id,
            "relyingPartyId": p.relying_party_id,
            "attachment": p.attachment,
            "created": p.created,
        })).collect::<Vec<_>>(),
        "groups": user.groups,
    })
}

async fn overview(State(ctx): State<Ctx>, Query(q): Query<OverviewQuery>) -> Response {
    let pools: Vec<Value> = ctx.store.with(|state| {
        state
            .pools
            .values()
            .map(|pool| {
                let clients: Vec<Value> = pool
                    .clients
                    .values()
                    .map(|c| {
                        json!({
                            "id": c.id,
                            "name": c.name,
                            "hasSecret": c.secret.is_some(),
                            "flows": c.settings.explicit_auth_flows,
                        })
                    })
                    .collect();
                // Users are ordered by (normalised) username, so a prefix is a range.
                let prefix = pool.user_key(q.filter.as_deref().unwrap_or(""));
                let users: Vec<Value> = pool
                    .users
                    .range(prefix.clone()..)
                    .take_while(|(key, _)| key.starts_with(&prefix))
                    .take(USERS_SHOWN)
                    .map(|(_, u)| user_json(u))
                    .collect();
                json!({
                    "id": pool.id,
                    "name": pool.name,
                    "userCount": pool.users.len(),
                    "clients": clients,
                    "groups": pool.groups.keys().collect::<Vec<_>>(),
                    "users": users,
                })
            })
            .collect()
    });
    Json(json!({
        "pools": pools,
        "durable": ctx.store.is_durable(),
        "usersShown": USERS_SHOWN,
    }))
    .into_response()
}
