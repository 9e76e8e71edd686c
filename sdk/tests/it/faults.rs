//! Refresh when the network and the service misbehave: throttling and 5xx are retried with
//! backoff, then surface as typed, retryable errors; hangs time out; truncated or foreign
//! bodies are invalid responses carrying the body; only a refused refresh token clears storage.
//! Time is tokio's paused clock, so backoffs and timeouts cost no wall-clock time.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine as _;
use cognito_sdk::clock::ManualClock;
use cognito_sdk::retry::RetryPolicy;
use cognito_sdk::storage::{Keys, MemoryStorage, Storage};
use cognito_sdk::transport::{HttpRequest, HttpResponse, Transport, TransportError};
use cognito_sdk::{CognitoUserPool, Error};
use futures::future::BoxFuture;
use serde_json::json;

const POOL: &str = "us-east-1_Fault0001";
const CLIENT: &str = "faultclient000000000000001";
const NOW: i64 = 1_800_000_000;

fn jwt(claims: serde_json::Value) -> String {
    format!(
        "{}.{}.sig",
        B64URL.encode(br#"{"alg":"RS256"}"#),
        B64URL.encode(claims.to_string())
    )
}

fn tokens(iat: i64) -> serde_json::Value {
    json!({
        "IdToken": jwt(json!({"sub": "s", "cognito:username": "u", "token_use": "id", "iat": iat, "exp": iat + 3600})),
        "AccessToken": jwt(json!({"sub": "s", "username": "u", "token_use": "access", "iat": iat, "exp": iat + 3600})),
        "ExpiresIn": 3600, "TokenType": "Bearer",
    })
}

enum Reply {
    Http(u16, &'static str, String),
    Fail(TransportError),
}

#[derive(Default)]
struct Scripted {
    replies: Mutex<VecDeque<Reply>>,
    calls: Mutex<usize>,
}

impl std::fmt::Debug for Scripted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Scripted")
    }
}

impl Transport for Scripted {
    fn send(&self, _request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        *self.calls.lock().unwrap() += 1;
        let reply = self
            .replies
            .lock()
            .unwrap()
            .pop_front()
            .expect("scripted reply");
        Box::pin(async move {
            match reply {
                Reply::Http(status, error_type, body) => {
                    let mut headers = vec![("x-amzn-requestid".to_owned(), "rid-1".to_owned())];
                    if !error_type.is_empty() {
                        headers.push(("x-amzn-errortype".to_owned(), error_type.to_owned()));
                    }
                    Ok(HttpResponse {
                        status,
                        headers,
                        body: body.into_bytes(),
                    })
                }
                Reply::Fail(e) => Err(e),
            }
        })
    }
}

struct Harness {
    pool: CognitoUserPool,
    storage: Arc<MemoryStorage>,
    transport: Arc<Scripted>,
}

async fn expired_session(replies: Vec<Reply>, retry: RetryPolicy) -> Harness {
    let storage = Arc::new(MemoryStorage::default());
    let keys = Keys::new(CLIENT);
    let old = tokens(NOW - 7200);
    for (k, v) in [
        (
            keys.id_token("u"),
            old["IdToken"].as_str().unwrap().to_owned(),
        ),
        (
            keys.access_token("u"),
            old["AccessToken"].as_str().unwrap().to_owned(),
        ),
        (keys.refresh_token("u"), "refresh-1".to_owned()),
        (keys.clock_drift("u"), "0".to_owned()),
        (keys.last_auth_user(), "u".to_owned()),
    ] {
        storage.set(&k, &v).await.unwrap();
    }
    let transport = Arc::new(Scripted::default());
    transport.replies.lock().unwrap().extend(replies);
    let pool = CognitoUserPool::builder(POOL, CLIENT)
        .endpoint("http://127.0.0.1:9")
        .transport(transport.clone())
        .storage(storage.clone())
        .clock(Arc::new(ManualClock::at(NOW)))
        .retry(retry)
        .build()
        .unwrap();
    Harness {
        pool,
        storage,
        transport,
    }
}

fn throttled() -> Reply {
    Reply::Http(
        400,
        "TooManyRequestsException",
        r#"{"__type":"TooManyRequestsException","message":"Rate exceeded"}"#.into(),
    )
}

fn ok_refresh() -> Reply {
    Reply::Http(
        200,
        "",
        json!({"AuthenticationResult": tokens(NOW), "ChallengeParameters": {}}).to_string(),
    )
}

fn backoff() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_millis(200),
        max_delay: Duration::from_secs(2),
    }
}

#[tokio::test(start_paused = true)]
async fn throttled_refresh_is_retried_then_succeeds() {
    let h = expired_session(vec![throttled(), throttled(), ok_refresh()], backoff()).await;
    let user = h.pool.current_user().await.unwrap().unwrap();
    let session = user.get_session().await.unwrap();
    assert_eq!(*h.transport.calls.lock().unwrap(), 3);
    assert_eq!(session.access_token().iat(), Some(NOW));
    assert_eq!(
        session.refresh_token(),
        Some("refresh-1"),
        "the old refresh token is kept"
    );
}

#[tokio::test(start_paused = true)]
async fn throttling_that_outlasts_the_retries_keeps_the_tokens() {
    let h = expired_session(
        vec![throttled(), throttled(), throttled(), throttled()],
        backoff(),
    )
    .await;
    let before = h.storage.snapshot();
    let user = h.pool.current_user().await.unwrap().unwrap();
    let e = user.get_session().await.unwrap_err();
    assert_eq!(
        e.kind(),
        Some(&cognito_sdk::wire::ErrorKind::TooManyRequests)
    );
    assert!(e.is_retryable());
    assert_eq!(e.request_id(), Some("rid-1"));
    assert_eq!(*h.transport.calls.lock().unwrap(), 4);
    assert_eq!(h.storage.snapshot(), before);
}

#[tokio::test(start_paused = true)]
async fn server_errors_resets_and_truncated_bodies_keep_the_tokens() {
    type Check = fn(&Error) -> bool;
    let cases: Vec<(Reply, Check)> = vec![
        (
            Reply::Http(
                500,
                "InternalErrorException",
                r#"{"__type":"InternalErrorException","message":"boom"}"#.into(),
            ),
            |e| e.kind() == Some(&cognito_sdk::wire::ErrorKind::InternalError),
        ),
        (
            Reply::Http(503, "", "<html>Service Unavailable</html>".into()),
            |e| matches!(e, Error::InvalidResponse { status: 503, body, .. } if body.contains("Unavailable")),
        ),
        (
            Reply::Http(200, "", r#"{"AuthenticationResult": {"IdTo"#.into()),
            |e| matches!(e, Error::InvalidResponse { status: 200, .. }),
        ),
        (
            Reply::Fail(TransportError::Network(Arc::new(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "connection reset by peer",
            )))),
            |e| {
                matches!(e, Error::Network { .. })
                    && std::error::Error::source(e).is_some_and(|s| s.to_string().contains("reset"))
            },
        ),
        (
            Reply::Fail(TransportError::Timeout(Duration::from_secs(10))),
            |e| matches!(e, Error::Timeout { .. }),
        ),
    ];
    for (reply, check) in cases {
        let h = expired_session(vec![reply], RetryPolicy::none()).await;
        let before = h.storage.snapshot();
        let user = h.pool.current_user().await.unwrap().unwrap();
        let e = user.get_session().await.unwrap_err();
        assert!(check(&e), "{e:?}");
        assert!(!e.invalidates_session());
        assert!(!e.to_string().is_empty());
        assert_eq!(h.storage.snapshot(), before, "tokens kept after {e}");
    }
}

#[tokio::test(start_paused = true)]
async fn refused_refresh_tokens_clear_the_session() {
    for (error_type, message) in [
        ("NotAuthorizedException", "Refresh Token has been revoked"),
        ("UserNotFoundException", "User does not exist."),
        (
            "PasswordResetRequiredException",
            "Password reset required for the user",
        ),
    ] {
        let body = json!({"__type": error_type, "message": message}).to_string();
        let h = expired_session(vec![Reply::Http(400, "", body)], backoff()).await;
        let user = h.pool.current_user().await.unwrap().unwrap();
        let e = user.get_session().await.unwrap_err();
        assert!(e.invalidates_session(), "{e:?}");
        assert_eq!(*h.transport.calls.lock().unwrap(), 1, "not retried");
        assert!(
            h.storage.snapshot().is_empty(),
            "{error_type}: {:?}",
            h.storage.snapshot()
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_hung_connection_times_out_with_the_default_transport() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let held = tokio::spawn(async move {
        let (socket, _) = listener.accept().await.unwrap();
        // Read nothing, answer nothing: hold the connection open.
        std::future::pending::<()>().await;
        drop(socket);
    });
    let pool = CognitoUserPool::builder(POOL, CLIENT)
        .endpoint(&format!("http://{addr}"))
        .timeout(Duration::from_secs(5))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let e = pool
        .user("u")
        .authenticate(cognito_sdk::AuthenticationDetails::new("u", "p"))
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Timeout { after } if after == Duration::from_secs(5)),
        "{e:?}"
    );
    assert!(e.is_retryable());
    held.abort();
}

#[tokio::test]
async fn clock_drift_is_applied_to_expiry() {
    // The device clock is an hour ahead of the server that issued the tokens.
    let storage = Arc::new(MemoryStorage::default());
    let keys = Keys::new(CLIENT);
    let t = tokens(NOW);
    storage
        .set(&keys.id_token("u"), t["IdToken"].as_str().unwrap())
        .await
        .unwrap();
    storage
        .set(&keys.access_token("u"), t["AccessToken"].as_str().unwrap())
        .await
        .unwrap();
    storage.set(&keys.refresh_token("u"), "r").await.unwrap();
    storage.set(&keys.clock_drift("u"), "3600").await.unwrap();
    storage.set(&keys.last_auth_user(), "u").await.unwrap();
    let transport = Arc::new(Scripted::default());
    let clock = Arc::new(ManualClock::at(NOW + 3600 + 1800));
    let pool = CognitoUserPool::builder(POOL, CLIENT)
        .endpoint("http://127.0.0.1:9")
        .transport(transport.clone())
        .storage(storage)
        .clock(clock.clone())
        .build()
        .unwrap();
    let user = pool.current_user().await.unwrap().unwrap();
    user.get_session().await.unwrap();
    assert_eq!(
        *transport.calls.lock().unwrap(),
        0,
        "valid by server time, so no refresh"
    );
    clock.advance(Duration::from_secs(1800 - 10)); // within the 30 s margin of expiry
    transport.replies.lock().unwrap().push_back(ok_refresh());
    user.get_session().await.unwrap();
    assert_eq!(*transport.calls.lock().unwrap(), 1);
}
