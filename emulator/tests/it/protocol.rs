//! The AWS JSON 1.1 surface without a socket: targets, bodies, error shapes, headers, and the
//! JWKS, discovery, outbox and clock endpoints.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::*;
use axum::http::StatusCode;
use cognito_protocol::wire::ErrorKind;
use serde_json::json;

#[tokio::test]
async fn every_answer_has_a_request_id_and_the_json_content_type() {
    let app = app();
    let ok = call(&app.router, "ListUserPools", json!({"MaxResults": 10})).await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(ok.headers["content-type"], "application/x-amz-json-1.1");
    assert_eq!(ok.headers["x-amzn-requestid"].len(), 36);
    let bad = call(
        &app.router,
        "DescribeUserPool",
        json!({"UserPoolId": "us-east-1_missing00"}),
    )
    .await;
    assert_eq!(bad.error().0, ErrorKind::ResourceNotFound);
    assert_eq!(bad.headers["x-amzn-errortype"], "ResourceNotFoundException");
    assert_eq!(bad.headers["x-amzn-requestid"].len(), 36);
    assert_ne!(
        ok.headers["x-amzn-requestid"],
        bad.headers["x-amzn-requestid"]
    );
}

#[tokio::test]
async fn missing_foreign_and_unknown_targets() {
    let app = app();
    let (kind, msg) = raw(&app.router, None, "{}").await.error();
    assert_eq!(kind, ErrorKind::UnknownOperation);
    assert!(msg.contains("X-Amz-Target"));
    let (kind, _) = raw(&app.router, Some("AmazonSSM.GetParameter"), "{}")
        .await
        .error();
    assert_eq!(kind, ErrorKind::UnknownOperation);
    // Identity pools share the endpoint: their operations validate their input the same way.
    let (kind, msg) = raw(&app.router, Some("AWSCognitoIdentityService.GetId"), "{}")
        .await
        .error();
    assert_eq!(kind, ErrorKind::InvalidParameter);
    assert!(msg.contains("identityPoolId"), "{msg}");
    let (kind, _) = raw(
        &app.router,
        Some("AWSCognitoIdentityService.Frobnicate"),
        "{}",
    )
    .await
    .error();
    assert_eq!(kind, ErrorKind::UnknownOperation);
    let (kind, msg) = raw(
        &app.router,
        Some("AWSCognitoIdentityProviderService.Frobnicate"),
        "{}",
    )
    .await
    .error();
    assert_eq!(kind, ErrorKind::UnknownOperation);
    assert!(msg.contains("Frobnicate"));
    let (kind, _) = raw(&app.router, Some("garbage"), "{}").await.error();
    assert_eq!(kind, ErrorKind::UnknownOperation);
}

#[tokio::test]
async fn bodies_that_are_not_json_objects() {
    let app = app();
    for body in ["", "not json", "[]", "\"s\"", "{\"MaxResults\": 1"] {
        let (kind, _) = raw(
            &app.router,
            Some("AWSCognitoIdentityProviderService.ListUserPools"),
            body,
        )
        .await
        .error();
        assert_eq!(kind, ErrorKind::Serialization, "body {body:?}");
    }
}

#[tokio::test]
async fn missing_and_mistyped_members_name_the_member() {
    let app = app();
    let (kind, msg) = call(&app.router, "CreateUserPool", json!({})).await.error();
    assert_eq!(kind, ErrorKind::InvalidParameter);
    assert!(
        msg.contains("'poolName'") && msg.contains("must not be null"),
        "{msg}"
    );
    let (kind, msg) = call(&app.router, "CreateUserPool", json!({"PoolName": 7}))
        .await
        .error();
    // A member of the wrong JSON type fails in the decoder, before any constraint.
    assert_eq!(kind, ErrorKind::Serialization);
    assert!(msg.contains("'poolName'"), "{msg}");
    let (_, msg) = call(
        &app.router,
        "CreateUserPool",
        json!({"PoolName": "p", "Policies": {"PasswordPolicy": {"MinimumLength": "8"}}}),
    )
    .await
    .error();
    assert!(
        msg.contains("policies.passwordPolicy.minimumLength"),
        "{msg}"
    );
    let (_, msg) = call(
        &app.router,
        "SignUp",
        json!({"ClientId": "c", "Username": "u", "UserAttributes": [{"Value": "x"}]}),
    )
    .await
    .error();
    assert!(msg.contains("name"), "{msg}");
}

#[tokio::test]
async fn oversized_bodies_are_refused_and_the_server_keeps_serving() {
    let (router, _h) = cognito_emulator::Emulator::builder()
        .max_body_bytes(1024)
        .into_router();
    let big = format!("{{\"PoolName\": \"{}\"}}", "a".repeat(4096));
    let (kind, msg) = raw(
        &router,
        Some("AWSCognitoIdentityProviderService.CreateUserPool"),
        big,
    )
    .await
    .error();
    assert_eq!(kind, ErrorKind::InvalidParameter);
    assert!(msg.contains("1024"));
    assert_eq!(
        call(&router, "ListUserPools", json!({"MaxResults": 1}))
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn cors_preflight_and_headers() {
    let app = app();
    let req = axum::http::Request::options("/")
        .header("origin", "http://localhost:3000")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "content-type,x-amz-target,x-amz-user-agent",
        )
        .body(axum::body::Body::empty())
        .unwrap();
    let resp = tower::ServiceExt::oneshot(app.router.clone(), req)
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["access-control-allow-origin"], "*");
    assert!(resp.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .contains("x-amz-target"));
    let reply = call(&app.router, "ListUserPools", json!({"MaxResults": 1})).await;
    assert_eq!(reply.headers["access-control-allow-origin"], "*");
}

#[tokio::test]
async fn jwks_and_openid_configuration() {
    let app = app();
    let ids = pool(&app.handle, json!({}), json!({}));
    let jwks = get(
        &app.router,
        &format!("/{}/.well-known/jwks.json", ids.pool_id),
    )
    .await;
    assert_eq!(jwks.status, StatusCode::OK);
    // Two keys of the pool's own (id tokens, access tokens), not the emulator's.
    let keys = jwks.body["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 2);
    for key in keys {
        assert_eq!(key["kty"], "RSA");
        assert_eq!(key["alg"], "RS256");
        assert_eq!(key["use"], "sig");
        assert_eq!(key["e"], "AQAB");
        assert_ne!(key["kid"], app.handle.jwk().kid.as_str());
    }
    assert_ne!(keys[0]["kid"], keys[1]["kid"]);
    let listed: Vec<String> = app
        .handle
        .pool_jwks(&ids.pool_id)
        .unwrap()
        .into_iter()
        .map(|k| k.kid)
        .collect();
    assert_eq!(
        listed,
        [
            keys[0]["kid"].as_str().unwrap(),
            keys[1]["kid"].as_str().unwrap()
        ]
    );
    let conf = get(
        &app.router,
        &format!("/{}/.well-known/openid-configuration", ids.pool_id),
    )
    .await;
    assert_eq!(conf.body["issuer"], app.handle.issuer(&ids.pool_id));
    assert!(conf.body["jwks_uri"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/{}/.well-known/jwks.json", ids.pool_id)));
    assert_eq!(
        get(&app.router, "/us-east-1_nothere00/.well-known/jwks.json")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn clock_endpoint_moves_the_clock() {
    let app = app();
    let frozen = raw_post(
        &app.router,
        "/_emulator/clock",
        json!({"freezeAt": 1_900_000_000}),
    )
    .await;
    assert_eq!(frozen.body["now"], 1_900_000_000);
    assert_eq!(frozen.body["frozen"], true);
    let moved = raw_post(
        &app.router,
        "/_emulator/clock",
        json!({"advanceSeconds": 90}),
    )
    .await;
    assert_eq!(moved.body["now"], 1_900_000_090);
    assert_eq!(app.handle.clock().now_secs(), 1_900_000_090);
    let state = get(&app.router, "/_emulator/clock").await;
    assert_eq!(state.body["now"], 1_900_000_090);
    let bad = raw_post(&app.router, "/_emulator/clock", json!({"advance": "soon"})).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.body["__type"], "InvalidParameterException");
}

#[tokio::test]
async fn outbox_endpoint_lists_codes() {
    let app = app();
    let ids = pool(&app.handle, json!({}), json!({}));
    ok(
        &app.handle,
        "SignUp",
        json!({"ClientId": ids.client_id, "Username": "ann", "Password": "Passw0rd!x", "UserAttributes": [{"Name": "email", "Value": "ann@example.com"}]}),
    );
    let all = get(&app.router, "/_emulator/outbox").await;
    let messages = all.body["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["username"], "ann");
    assert_eq!(messages[0]["destination"], "ann@example.com");
    assert_eq!(messages[0]["kind"], "SIGN_UP_CODE");
    assert_eq!(messages[0]["code"].as_str().unwrap().len(), 6);
    let none = get(&app.router, "/_emulator/outbox?username=bob").await;
    assert!(none.body["messages"].as_array().unwrap().is_empty());
    assert_eq!(
        app.handle
            .outbox()
            .last_code(&ids.pool_id, "ann@example.com")
            .unwrap(),
        messages[0]["code"].as_str().unwrap()
    );
}

#[tokio::test]
async fn unknown_paths_are_404_json() {
    let app = app();
    let r = get(&app.router, "/nope").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body["message"].is_string());
}

#[tokio::test]
async fn index_lists_the_operations() {
    let app = app();
    let r = get(&app.router, "/").await;
    let ops = r.body["operations"].as_array().unwrap();
    assert_eq!(ops.len(), cognito_emulator::operations().len());
    assert!(ops.iter().any(|o| o == "RespondToAuthChallenge"));
    let identity = r.body["identityOperations"].as_array().unwrap();
    assert!(identity.iter().any(|o| o == "GetCredentialsForIdentity"));
}

async fn raw_post(router: &axum::Router, path: &str, body: serde_json::Value) -> Reply {
    use http_body_util::BodyExt;
    let req = axum::http::Request::post(path)
        .header("content-type", "application/json")
        .body(axum::body::Body::from(body.to_string()))
        .unwrap();
    let resp = tower::ServiceExt::oneshot(router.clone(), req)
        .await
        .unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        headers,
        body: serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
    }
}

#[tokio::test]
async fn null_values_in_parameter_maps_count_as_absent() {
    // amazon-cognito-identity-js sends "DEVICE_KEY": null on refresh; Cognito accepts it.
    let app = app();
    let ids = pool(&app.handle, json!({}), json!({}));
    user(&app.handle, &ids.pool_id, "nina", "Passw0rd!");
    let t = password_auth(&app.handle, &ids, "nina", "Passw0rd!")
        .unwrap()
        .authentication_result
        .unwrap();
    let r = call(&app.router, "InitiateAuth", json!({"ClientId": ids.client_id, "AuthFlow": "REFRESH_TOKEN_AUTH", "AuthParameters": {"REFRESH_TOKEN": t.refresh_token, "DEVICE_KEY": null}, "ClientMetadata": {"a": null}})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = call(&app.router, "InitiateAuth", json!({"ClientId": ids.client_id, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": {"USERNAME": "nina", "PASSWORD": null}})).await;
    assert_eq!(r.error().0, ErrorKind::InvalidParameter);
    assert!(r.body["message"].as_str().unwrap().contains("PASSWORD"));
}
