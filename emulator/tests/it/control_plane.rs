//! The control plane's boundary: no CORS on `/_emulator/*` while the API answers CORS as
//! Cognito does (a fixed list of request headers), JSON-only changes, the Host allow-list
//! against DNS rebinding, and the optional admin token.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use cognito_emulator::EmulatorBuilder;
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::common::*;

async fn send(
    router: &axum::Router,
    request: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

fn post(path: &str, content_type: &str, body: &str) -> Request<Body> {
    Request::post(path)
        .header("content-type", content_type)
        .body(Body::from(body.to_owned()))
        .unwrap()
}

#[tokio::test]
async fn no_cors_on_the_control_plane_and_cognitos_cors_on_the_api() {
    let app = app();
    let state = Request::get("/_emulator/state")
        .header("origin", "http://evil.example")
        .body(Body::empty())
        .unwrap();
    let (status, headers, _) = send(&app.router, state).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers.get("access-control-allow-origin").is_none());

    let preflight = Request::options("/_emulator/clock")
        .header("origin", "http://evil.example")
        .header("access-control-request-method", "POST")
        .body(Body::empty())
        .unwrap();
    let (status, headers, _) = send(&app.router, preflight).await;
    assert_ne!(
        status,
        StatusCode::OK,
        "no preflight is answered for the control plane"
    );
    assert!(headers.get("access-control-allow-origin").is_none());

    let api_preflight = Request::options("/")
        .header("origin", "http://app.example")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "x-amz-target, x-evil")
        .body(Body::empty())
        .unwrap();
    let (status, headers, _) = send(&app.router, api_preflight).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["access-control-allow-origin"], "*");
    let allowed = headers["access-control-allow-headers"].to_str().unwrap();
    assert!(
        allowed.contains("x-amz-target") && !allowed.contains("x-evil"),
        "{allowed}"
    );
    let reply = call(
        &app.router,
        "ListUserPools",
        serde_json::json!({"MaxResults": 1}),
    )
    .await;
    assert_eq!(reply.headers["access-control-allow-origin"], "*");
}

#[tokio::test]
async fn changes_must_be_json() {
    let app = app();
    let before = app.handle.clock().now_secs();
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ] {
        let (status, _, body) = send(
            &app.router,
            post(
                "/_emulator/clock",
                content_type,
                r#"{"advanceSeconds": 86400}"#,
            ),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type}: {body}"
        );
    }
    assert!(
        app.handle.clock().now_secs() < before + 86_400,
        "the clock did not move"
    );
    let (status, _, _) = send(
        &app.router,
        post(
            "/_emulator/clock",
            "application/json; charset=utf-8",
            r#"{"advanceSeconds": 86400}"#,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(app.handle.clock().now_secs() >= before + 86_400);
}

#[tokio::test]
async fn only_loopback_and_allowed_hosts_reach_the_control_plane() {
    let (router, _) = EmulatorBuilder::default()
        .allowed_host("cognito")
        .into_router();
    for (host, allowed) in [
        ("localhost:9229", true),
        ("127.0.0.1:9229", true),
        ("127.1.2.3", true),
        ("[::1]:9229", true),
        ("app.localhost", true),
        ("cognito:9229", true),
        ("evil.example", false),
        ("evil.example:9229", false),
        ("192.168.1.10:9229", false),
    ] {
        let request = Request::get("/_emulator/state")
            .header("host", host)
            .body(Body::empty())
            .unwrap();
        let (status, _, body) = send(&router, request).await;
        assert_eq!(status == StatusCode::OK, allowed, "{host}: {status} {body}");
        if !allowed {
            assert_eq!(status, StatusCode::FORBIDDEN);
            assert!(body.contains("--allowed-host"), "{body}");
        }
    }
    // The API itself answers under any name, as Cognito's endpoint does behind any DNS.
    let api = Request::post("/")
        .header("host", "evil.example")
        .header("content-type", "application/x-amz-json-1.1")
        .header(
            "x-amz-target",
            "AWSCognitoIdentityProviderService.ListUserPools",
        )
        .body(Body::from(r#"{"MaxResults": 1}"#))
        .unwrap();
    assert_eq!(send(&router, api).await.0, StatusCode::OK);
}

#[tokio::test]
async fn an_admin_token_guards_the_control_plane_and_the_console() {
    let (router, _) = EmulatorBuilder::default()
        .admin_token("s3cret")
        .into_router();
    let get = |path: &str, header: Option<(&str, &str)>| {
        let mut request = Request::get(path);
        if let Some((name, value)) = header {
            request = request.header(name, value);
        }
        request.body(Body::empty()).unwrap()
    };
    assert_eq!(
        send(&router, get("/_emulator/state", None)).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        send(
            &router,
            get(
                "/_emulator/state",
                Some(("x-emulator-admin-token", "wrong"))
            )
        )
        .await
        .0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        send(
            &router,
            get(
                "/_emulator/state",
                Some(("x-emulator-admin-token", "s3cret"))
            )
        )
        .await
        .0,
        StatusCode::OK
    );
    assert_eq!(
        send(
            &router,
            get(
                "/_emulator/journal",
                Some(("authorization", "Bearer s3cret"))
            )
        )
        .await
        .0,
        StatusCode::OK
    );
    assert_eq!(
        send(&router, get("/_emulator/console", None)).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (status, headers, _) = send(&router, get("/_emulator/console?token=s3cret", None)).await;
    assert_eq!(status, StatusCode::OK);
    let policy = headers["content-security-policy"].to_str().unwrap();
    assert!(
        policy.contains("frame-ancestors 'none'") && !policy.contains("unsafe-inline"),
        "{policy}"
    );
    assert!(policy.contains("script-src 'sha256-"), "{policy}");
    // A token in the query string counts for the console page only.
    assert_eq!(
        send(&router, get("/_emulator/state?token=s3cret", None))
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    // The health check and the API need no token.
    assert_eq!(
        send(&router, get("/_emulator/health", None)).await.0,
        StatusCode::OK
    );
    let reply = call(
        &router,
        "ListUserPools",
        serde_json::json!({"MaxResults": 1}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[tokio::test]
async fn the_outbox_is_read_a_page_at_a_time() {
    let app = app();
    let ids = pool(&app.handle, serde_json::json!({}), serde_json::json!({}));
    for n in 0..5 {
        ok(
            &app.handle,
            "SignUp",
            serde_json::json!({"ClientId": ids.client_id, "Username": format!("p{n}"),
                               "Password": "Passw0rd!",
                               "UserAttributes": [{"Name": "email", "Value": format!("p{n}@example.com")}]}),
        );
    }
    let page = get(
        &app.router,
        &format!("/_emulator/outbox?poolId={}&limit=2", ids.pool_id),
    )
    .await;
    let messages = page.body["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[1]["username"], "p4", "the newest last");
    assert_eq!(page.body["more"], true);
    let one = get(
        &app.router,
        &format!("/_emulator/outbox?poolId={}&username=p0", ids.pool_id),
    )
    .await;
    assert_eq!(one.body["messages"].as_array().unwrap().len(), 1);
    assert_eq!(one.body["more"], false);
}

/// `GET /_emulator/journal?format=scenario`: what came over HTTP and the clock moves made through
/// the control plane, as a scenario file skeleton (the round trip through the scenario runner
/// is tested in `scenarios/tests/record.rs`).
#[tokio::test]
async fn the_journal_becomes_a_scenario_skeleton() {
    let app = app();
    let ids = pool(&app.handle, serde_json::json!({}), serde_json::json!({}));
    let sign_up = serde_json::json!({"ClientId": ids.client_id, "Username": "rec", "Password": "Passw0rd!",
        "UserAttributes": [{"Name": "email", "Value": "rec@example.com"}]});
    let answer = crate::common::call(&app.router, "SignUp", sign_up).await;
    assert_eq!(answer.status, axum::http::StatusCode::OK);
    let (moved, _, _) = send(
        &app.router,
        post(
            "/_emulator/clock",
            "application/json",
            r#"{"advanceSeconds": 7200}"#,
        ),
    )
    .await;
    assert_eq!(moved, StatusCode::OK);
    let bad = crate::common::call(&app.router, "ConfirmSignUp", serde_json::json!({"ClientId": ids.client_id, "Username": "rec", "ConfirmationCode": "000000"})).await;
    assert_eq!(bad.status, axum::http::StatusCode::BAD_REQUEST);
    let recorded = app.handle.recorded_scenario();
    let at = |needle: &str| {
        recorded
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} in\n{recorded}"))
    };
    assert!(at("do = \"sign_up\"") < at("do = \"advance_clock\""));
    assert!(at("seconds = 7200") < at("do = \"confirm_sign_up\""));
    assert!(
        recorded.contains("expect = { error = \"CodeMismatchException\" }"),
        "{recorded}"
    );
    assert!(
        recorded.contains("attributes = { email = \"rec@example.com\" }"),
        "{recorded}"
    );
    assert!(
        !recorded.contains("Passw0rd!"),
        "passwords are never recorded"
    );
    let listed = get(&app.router, "/_emulator/journal?format=bogus").await;
    assert_eq!(listed.status, axum::http::StatusCode::BAD_REQUEST);
    let json = get(&app.router, "/_emulator/journal").await;
    assert_eq!(json.body["notes"][0]["event"], "clock");
    assert_eq!(json.body["notes"][0]["seconds"], 7200);
}

/// `--require-sigv4`: an Admin operation signed with the configured key runs; unsigned, with
/// another secret, with an unknown key or tampered after signing it is refused with AWS's
/// errors; a public operation needs no signature.
#[tokio::test]
async fn require_sigv4_refuses_what_aws_refuses() {
    use cognito_protocol::sigv4::{AwsCredentials, SigV4Signer};
    use cognito_protocol::wire;

    let (router, _handle) = EmulatorBuilder::default()
        .require_sigv4("AKIDTEST", "secret-test")
        .into_router();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let request = |target: &str, body: &str| {
        Request::post("http://127.0.0.1:9229/")
            .header("host", "127.0.0.1:9229")
            .header("content-type", wire::CONTENT_TYPE)
            .header("x-amz-target", format!("{}.{target}", wire::TARGET_PREFIX))
            .body(body.as_bytes().to_vec())
            .unwrap()
    };
    let signed = |key: &str, secret: &str, at: i64, body: &str| {
        let mut r = request("ListUserPools", body);
        SigV4Signer::new("us-east-1", "cognito-idp")
            .sign(&AwsCredentials::new(key, secret, None), at, &mut r)
            .unwrap();
        r
    };
    let call = |r: Request<Vec<u8>>| {
        let router = router.clone();
        async move {
            let r = r.map(Body::from);
            let resp = router.oneshot(r).await.unwrap();
            let status = resp.status();
            let body = resp.into_body().collect().await.unwrap().to_bytes();
            let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
            (status, v["__type"].as_str().unwrap_or("").to_owned())
        }
    };
    let body = r#"{"MaxResults":5}"#;
    assert_eq!(
        call(signed("AKIDTEST", "secret-test", now, body)).await.1,
        ""
    );
    let refused = [
        (
            request("ListUserPools", body),
            "MissingAuthenticationTokenException",
        ),
        (
            signed("AKIDTEST", "other", now, body),
            "InvalidSignatureException",
        ),
        (
            signed("AKIDNOPE", "secret-test", now, body),
            "UnrecognizedClientException",
        ),
        (
            signed("AKIDTEST", "secret-test", now - 3600, body),
            "InvalidSignatureException",
        ),
    ];
    for (r, code) in refused {
        assert_eq!(call(r).await, (StatusCode::BAD_REQUEST, code.to_owned()));
    }
    let mut tampered = signed("AKIDTEST", "secret-test", now, body);
    *tampered.body_mut() = br#"{"MaxResults":6}"#.to_vec();
    assert_eq!(call(tampered).await.1, "InvalidSignatureException");
    let public = request(
        "InitiateAuth",
        r#"{"ClientId":"nope","AuthFlow":"USER_PASSWORD_AUTH"}"#,
    );
    assert_eq!(call(public).await.1, "ResourceNotFoundException");
}
