//! Helpers shared by the emulator's integration tests: a socket-free router, raw JSON calls,
//! pools with clients, users, and an SRP sign-in done with the SDK's client math.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use cognito_emulator::{EmulatorBuilder, Handle};
use cognito_protocol::srp::{self, ClaimInput, ClientEphemeral};
use cognito_protocol::wire::{self, AuthResponse, ErrorKind, Sensitive};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

pub struct App {
    pub router: Router,
    pub handle: Handle,
}

pub fn app() -> App {
    let (router, handle) = EmulatorBuilder::default().into_router();
    App { router, handle }
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Value,
}

impl Reply {
    pub fn error(&self) -> (ErrorKind, String) {
        assert_eq!(
            self.status,
            StatusCode::BAD_REQUEST,
            "expected an error, got {}",
            self.body
        );
        (
            ErrorKind::from_code(self.body["__type"].as_str().unwrap()),
            self.body["message"].as_str().unwrap().to_owned(),
        )
    }
}

pub async fn raw(router: &Router, target: Option<&str>, body: impl Into<Body>) -> Reply {
    let mut req = Request::post("/").header("content-type", wire::CONTENT_TYPE);
    if let Some(t) = target {
        req = req.header("x-amz-target", t);
    }
    let resp = router
        .clone()
        .oneshot(req.body(body.into()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Reply {
        status,
        headers,
        body,
    }
}

pub async fn call(router: &Router, op: &str, body: Value) -> Reply {
    raw(router, Some(&wire::target(op)), body.to_string()).await
}

pub async fn get(router: &Router, path: &str) -> Reply {
    let resp = router
        .clone()
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        headers,
        body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    }
}

/// Calls an operation on the handle and panics on error.
pub fn ok(handle: &Handle, op: &str, body: Value) -> Value {
    handle
        .call::<Value, Value>(op, &body)
        .unwrap_or_else(|e| panic!("{op} failed: {e}"))
}

/// Calls an operation on the handle and returns its error.
pub fn err(handle: &Handle, op: &str, body: Value) -> (ErrorKind, String) {
    match handle.call::<Value, Value>(op, &body) {
        Ok(v) => panic!("{op} succeeded: {v}"),
        Err(e) => (e.kind, e.message),
    }
}

pub struct PoolIds {
    pub pool_id: String,
    pub client_id: String,
}

pub const ALL_FLOWS: &[&str] = &[
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
];

pub fn pool(handle: &Handle, pool_extra: Value, client_extra: Value) -> PoolIds {
    let mut p = json!({"PoolName": "test", "AutoVerifiedAttributes": ["email"]});
    merge(&mut p, pool_extra);
    let pool_id = ok(handle, "CreateUserPool", p)["UserPool"]["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut c = json!({"UserPoolId": pool_id, "ClientName": "c", "ExplicitAuthFlows": ALL_FLOWS});
    merge(&mut c, client_extra);
    let client_id = ok(handle, "CreateUserPoolClient", c)["UserPoolClient"]["ClientId"]
        .as_str()
        .unwrap()
        .to_owned();
    PoolIds { pool_id, client_id }
}

fn merge(base: &mut Value, extra: Value) {
    if let (Some(b), Value::Object(e)) = (base.as_object_mut(), extra) {
        for (k, v) in e {
            b.insert(k, v);
        }
    }
}

/// A confirmed user with a permanent password.
pub fn user(handle: &Handle, pool_id: &str, username: &str, password: &str) {
    ok(
        handle,
        "AdminCreateUser",
        json!({
            "UserPoolId": pool_id, "Username": username, "MessageAction": "SUPPRESS",
            "UserAttributes": [{"Name": "email", "Value": format!("{username}@example.com")}],
        }),
    );
    ok(
        handle,
        "AdminSetUserPassword",
        json!({"UserPoolId": pool_id, "Username": username, "Password": password, "Permanent": true}),
    );
}

pub fn password_auth(
    handle: &Handle,
    ids: &PoolIds,
    username: &str,
    password: &str,
) -> Result<AuthResponse, (ErrorKind, String)> {
    handle
        .call::<Value, AuthResponse>(
            "InitiateAuth",
            &json!({
                "ClientId": ids.client_id, "AuthFlow": "USER_PASSWORD_AUTH",
                "AuthParameters": {"USERNAME": username, "PASSWORD": password},
            }),
        )
        .map_err(|e| (e.kind, e.message))
}

/// The two SRP round trips, as a client would do them, with the SDK's client math.
#[derive(Debug)]
pub struct SrpAttempt {
    pub challenge: AuthResponse,
    pub client: ClientEphemeral,
}

pub fn srp_start(
    handle: &Handle,
    ids: &PoolIds,
    username: &str,
    extra: &[(&str, String)],
) -> Result<SrpAttempt, (ErrorKind, String)> {
    let client = ClientEphemeral::from_private_bytes(&rand_bytes()).unwrap();
    let mut params = BTreeMap::from([
        ("USERNAME".to_owned(), username.to_owned()),
        ("SRP_A".to_owned(), client.public_hex()),
    ]);
    for (k, v) in extra {
        params.insert((*k).to_owned(), v.clone());
    }
    let challenge = handle
        .call::<Value, AuthResponse>("InitiateAuth", &json!({"ClientId": ids.client_id, "AuthFlow": "USER_SRP_AUTH", "AuthParameters": params}))
        .map_err(|e| (e.kind, e.message))?;
    Ok(SrpAttempt { challenge, client })
}

pub fn srp_answer(
    ids: &PoolIds,
    attempt: &SrpAttempt,
    password: &str,
    timestamp: &str,
) -> BTreeMap<String, String> {
    let p = attempt.challenge.challenge_parameters.as_ref().unwrap();
    let user_id = &p["USER_ID_FOR_SRP"];
    let signature = attempt
        .client
        .password_claim(&ClaimInput {
            realm: srp::pool_name(&ids.pool_id),
            user_id,
            password,
            salt_hex: &p["SALT"],
            srp_b_hex: &p["SRP_B"],
            secret_block_b64: &p["SECRET_BLOCK"],
            timestamp,
        })
        .unwrap();
    BTreeMap::from([
        ("USERNAME".to_owned(), user_id.clone()),
        (
            "PASSWORD_CLAIM_SECRET_BLOCK".to_owned(),
            p["SECRET_BLOCK"].clone(),
        ),
        ("TIMESTAMP".to_owned(), timestamp.to_owned()),
        ("PASSWORD_CLAIM_SIGNATURE".to_owned(), signature),
    ])
}

pub fn respond(
    handle: &Handle,
    ids: &PoolIds,
    challenge: &str,
    responses: BTreeMap<String, String>,
    session: Option<&str>,
) -> Result<AuthResponse, (ErrorKind, String)> {
    let req = wire::RespondToAuthChallengeRequest {
        client_id: ids.client_id.clone(),
        challenge_name: challenge.to_owned(),
        session: session.map(|s| Sensitive(s.to_owned())),
        challenge_responses: Some(Sensitive(responses)),
        ..Default::default()
    };
    handle
        .call::<_, AuthResponse>("RespondToAuthChallenge", &req)
        .map_err(|e| (e.kind, e.message))
}

pub fn now_timestamp() -> String {
    srp::format_timestamp(chrono::Utc::now().timestamp())
}

pub fn srp_sign_in(
    handle: &Handle,
    ids: &PoolIds,
    username: &str,
    password: &str,
) -> Result<AuthResponse, (ErrorKind, String)> {
    let attempt = srp_start(handle, ids, username, &[])?;
    let answer = srp_answer(ids, &attempt, password, &now_timestamp());
    respond(handle, ids, "PASSWORD_VERIFIER", answer, None)
}

pub fn rand_bytes() -> [u8; 128] {
    let mut b = [0u8; 128];
    rand::Rng::fill(&mut rand::thread_rng(), &mut b[..]);
    b
}

/// The claims of a JWT (unverified; the emulator's own verification is tested elsewhere).
pub fn claims(jwt: &str) -> Value {
    use base64::Engine as _;
    let part = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(part)
            .unwrap(),
    )
    .unwrap()
}
